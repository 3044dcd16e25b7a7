#include <stdlib.h>
#include <string.h>

#include "scrub/codec.h"

void scrub_pixels_free(struct scrub_pixels *px)
{
	free(px->data);
	*px = (struct scrub_pixels){ 0 };
}

enum scrub_status scrub_verify(const struct scrub_backend *be, const uint8_t *a, size_t na,
			       const uint8_t *b, size_t nb, const char **why)
{
	*why = NULL;
	if (!be->decode) {
		*why = "no decoder for this format";
		return SCRUB_E_VERIFY;
	}
	struct scrub_pixels pa, pb;
	enum scrub_status st = be->decode(a, na, &pa);
	if (st != SCRUB_OK) {
		*why = "the original does not decode";
		return st;
	}
	st = be->decode(b, nb, &pb);
	if (st != SCRUB_OK) {
		*why = "the scrubbed image does not decode";
		scrub_pixels_free(&pa);
		return st;
	}
	bool same = pa.width == pb.width && pa.height == pb.height && pa.frames == pb.frames &&
		    pa.len == pb.len && memcmp(pa.data, pb.data, pa.len) == 0;
	if (!same)
		*why = "decoded pixels differ";
	scrub_pixels_free(&pa);
	scrub_pixels_free(&pb);
	return same ? SCRUB_OK : SCRUB_E_VERIFY;
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
