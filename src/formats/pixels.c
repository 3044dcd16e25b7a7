/* Decoded pixels, shared by the codec halves: freeing and turning upright. */
#include <stdlib.h>
#include <string.h>

#include "formats/codec.h"

void scrub_pixels_free(struct scrub_pixels *px)
{
	free(px->data);
	*px = (struct scrub_pixels){ 0 };
}

/* FNV-1a over the value's four bytes: equal sequences give equal digests. */
void scrub_pixels_note_timing(struct scrub_pixels *px, uint32_t value)
{
	uint64_t h = px->timing ? px->timing : 0xcbf29ce484222325u;
	for (int i = 0; i < 4; i++) {
		h ^= (value >> (8 * i)) & 0xFFu;
		h *= 0x100000001b3u;
	}
	px->timing = h;
}

/* Source column and row of destination pixel (x, y) for orientation o (EXIF 2..8). */
static void source_of(int o, uint32_t w, uint32_t h, uint32_t x, uint32_t y, uint32_t *sx,
		      uint32_t *sy)
{
	switch (o) {
	case 2: *sx = w - 1 - x; *sy = y; break;
	case 3: *sx = w - 1 - x; *sy = h - 1 - y; break;
	case 4: *sx = x; *sy = h - 1 - y; break;
	case 5: *sx = y; *sy = x; break;
	case 6: *sx = y; *sy = h - 1 - x; break;
	case 7: *sx = w - 1 - y; *sy = h - 1 - x; break;
	case 8: *sx = w - 1 - y; *sy = x; break;
	default: *sx = x; *sy = y; break;
	}
}

void scrub_pixels_orient(const uint8_t *src, uint32_t w, uint32_t h, size_t bpp, int o,
			 uint8_t *dst)
{
	bool swap = o >= 5 && o <= 8;
	uint32_t dw = swap ? h : w, dh = swap ? w : h;
	for (uint32_t y = 0; y < dh; y++) {
		for (uint32_t x = 0; x < dw; x++) {
			uint32_t sx, sy;
			source_of(o, w, h, x, y, &sx, &sy);
			memcpy(dst, src + ((size_t)sy * w + sx) * bpp, bpp);
			dst += bpp;
		}
	}
}
