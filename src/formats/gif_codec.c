/*
 * The GIF codec half through giflib 5.2: the header probe (screen size,
 * frames, transparency, interlacing; LZW data skipped, not decoded) and the
 * --verify decode: every frame composed onto the logical screen as a
 * browser shows it (the last graphic control extension before an image
 * gives its delay, disposal and transparent index; disposal 2 clears the
 * frame's area, 3 restores what was there), all canvases one after another,
 * with the delays, disposals, transparent indexes and loop count folded
 * into the timing digest.
 */
#include <gif_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/codec.h"

/* Decoded canvases beyond this are not verified (SCRUB_E_LIMIT). */
#define MAX_PIXEL_BYTES ((size_t)1 << 30)
#define NO_DELAY_GCB { DISPOSAL_UNSPECIFIED, false, 0, NO_TRANSPARENT_COLOR }

struct memory {
	const uint8_t *p;
	size_t n;
	size_t pos;
};

static int read_memory(GifFileType *gif, GifByteType *buf, int len)
{
	struct memory *m = gif->UserData;
	size_t want = len > 0 ? (size_t)len : 0;
	size_t left = m->n - m->pos;
	if (want > left)
		want = left;
	memcpy(buf, m->p + m->pos, want);
	m->pos += want;
	return (int)want;
}

static GifFileType *open_memory(struct memory *m, const uint8_t *p, size_t n, int *err)
{
	*m = (struct memory){ .p = p, .n = n };
	return DGifOpen(m, read_memory, err);
}

/* Skips an image's LZW data block by block without decoding it. */
static bool skip_image(GifFileType *gif)
{
	int code_size;
	GifByteType *block;
	if (DGifGetCode(gif, &code_size, &block) == GIF_ERROR)
		return false;
	while (block)
		if (DGifGetCodeNext(gif, &block) == GIF_ERROR)
			return false;
	return true;
}

/*
 * Reads one extension; a graphic control block goes into gcb, a loop count
 * (NETSCAPE2.0 or ANIMEXTS1.0 sub-block 1) into *loop.
 */
static bool read_extension(GifFileType *gif, GraphicsControlBlock *gcb, int *loop)
{
	int code;
	GifByteType *ext;
	if (DGifGetExtension(gif, &code, &ext) == GIF_ERROR)
		return false;
	bool app_loop = code == APPLICATION_EXT_FUNC_CODE && ext && ext[0] == 11 &&
			(!memcmp(ext + 1, "NETSCAPE2.0", 11) || !memcmp(ext + 1, "ANIMEXTS1.0", 11));
	if (code == GRAPHICS_EXT_FUNC_CODE && ext &&
	    DGifExtensionToGCB(ext[0], ext + 1, gcb) == GIF_ERROR)
		return false;
	while (ext) {
		if (DGifGetExtensionNext(gif, &ext) == GIF_ERROR)
			return false;
		if (app_loop && ext && ext[0] >= 3 && ext[1] == 1 && *loop < 0)
			*loop = ext[2] | ext[3] << 8;
	}
	return true;
}

static void probe_message(char *msg, size_t size, int err)
{
	const char *s = GifErrorString(err);
	snprintf(msg, size, "giflib: %s", s ? s : "cannot read the file");
}

enum scrub_status scrub_gif_probe(const uint8_t *p, size_t n, struct scrub_image_info *info,
				  char *msg, size_t msg_size)
{
	*info = (struct scrub_image_info){ 0 };
	struct memory m;
	int err = 0, loop = -1;
	GifFileType *gif = open_memory(&m, p, n, &err);
	if (!gif) {
		probe_message(msg, msg_size, err);
		return SCRUB_E_MALFORMED;
	}
	GifRecordType type = UNDEFINED_RECORD_TYPE;
	bool ok = true, alpha = false;
	while (ok && type != TERMINATE_RECORD_TYPE) {
		ok = DGifGetRecordType(gif, &type) != GIF_ERROR;
		GraphicsControlBlock gcb = NO_DELAY_GCB;
		if (ok && type == EXTENSION_RECORD_TYPE) {
			ok = read_extension(gif, &gcb, &loop);
			alpha |= gcb.TransparentColor != NO_TRANSPARENT_COLOR;
		} else if (ok && type == IMAGE_DESC_RECORD_TYPE) {
			ok = DGifGetImageDesc(gif) != GIF_ERROR && skip_image(gif);
			info->interlaced |= ok && gif->Image.Interlace;
			info->frames += ok;
		}
	}
	if (!ok || !info->frames) {
		probe_message(msg, msg_size, ok ? D_GIF_ERR_NO_IMAG_DSCR : gif->Error);
		DGifCloseFile(gif, &err);
		return SCRUB_E_MALFORMED;
	}
	info->components = alpha ? 4 : 3;
	info->bit_depth = 8;
	info->flags_known = SCRUB_INFO_INTERLACED;
	info->animated = info->frames > 1;
	snprintf(info->color, sizeof info->color, "palette");
	info->known = true;
	DGifCloseFile(gif, &err);
	return SCRUB_OK;
}

/* --- decoding for --verify ------------------------------------------------------ */

struct canvas {
	uint8_t *rgba;  /* the logical screen as shown now */
	uint8_t *saved; /* what disposal 3 restores */
	uint32_t w, h;
	size_t bytes;
};

/* The row an interlaced image's i-th line lands on (GIF89a appendix E). */
static int interlaced_row(int i, int h)
{
	static const int start[4] = { 0, 4, 2, 1 }, step[4] = { 8, 8, 4, 2 };
	for (int pass = 0; pass < 4; pass++) {
		int rows = h > start[pass] ? (h - start[pass] + step[pass] - 1) / step[pass] : 0;
		if (i < rows)
			return start[pass] + i * step[pass];
		i -= rows;
	}
	return h - 1;
}

static void put_line(struct canvas *c, const GifImageDesc *d, const ColorMapObject *map,
		     const GifPixelType *line, int row, int transparent)
{
	long y = (long)d->Top + row;
	if (y < 0 || y >= (long)c->h)
		return;
	for (int x = 0; x < d->Width; x++) {
		long cx = (long)d->Left + x;
		if (cx < 0 || cx >= (long)c->w || line[x] == transparent)
			continue;
		uint8_t *px = c->rgba + ((size_t)y * c->w + (size_t)cx) * 4;
		bool known = map && line[x] < map->ColorCount;
		px[0] = known ? map->Colors[line[x]].Red : line[x];
		px[1] = known ? map->Colors[line[x]].Green : line[x];
		px[2] = known ? map->Colors[line[x]].Blue : line[x];
		px[3] = 255;
	}
}

/* Disposal 2 (restore to background) clears the frame's area to transparent. */
static void clear_area(struct canvas *c, const GifImageDesc *d)
{
	for (long y = d->Top; y < (long)d->Top + d->Height && y < (long)c->h; y++)
		for (long x = d->Left; x < (long)d->Left + d->Width && x < (long)c->w; x++)
			memset(c->rgba + ((size_t)y * c->w + (size_t)x) * 4, 0, 4);
}

/* Appends the canvas as the next frame of px. */
static enum scrub_status append_canvas(const struct canvas *c, struct scrub_pixels *px)
{
	if (c->bytes > MAX_PIXEL_BYTES - px->len)
		return SCRUB_E_LIMIT;
	uint8_t *data = realloc(px->data, px->len + c->bytes);
	if (!data)
		return SCRUB_E_NOMEM;
	px->data = data;
	memcpy(px->data + px->len, c->rgba, c->bytes);
	px->len += c->bytes;
	px->frames++;
	return SCRUB_OK;
}

/* Decodes the image just described onto the canvas, then appends and disposes. */
static enum scrub_status draw_image(GifFileType *gif, struct canvas *c, GifPixelType *line,
				    const GraphicsControlBlock *gcb, struct scrub_pixels *px)
{
	const GifImageDesc *d = &gif->Image;
	const ColorMapObject *map = d->ColorMap ? d->ColorMap : gif->SColorMap;
	if (gcb->DisposalMode == DISPOSE_PREVIOUS)
		memcpy(c->saved, c->rgba, c->bytes);
	if ((d->Width <= 0 || d->Height <= 0) && !skip_image(gif)) /* no line to read */
		return SCRUB_E_MALFORMED;
	for (int i = 0; i < d->Height && d->Width > 0; i++) {
		if (DGifGetLine(gif, line, d->Width) == GIF_ERROR)
			return SCRUB_E_MALFORMED;
		put_line(c, d, map, line, d->Interlace ? interlaced_row(i, d->Height) : i,
			 gcb->TransparentColor);
	}
	enum scrub_status st = append_canvas(c, px);
	if (gcb->DisposalMode == DISPOSE_BACKGROUND)
		clear_area(c, d);
	else if (gcb->DisposalMode == DISPOSE_PREVIOUS)
		memcpy(c->rgba, c->saved, c->bytes);
	scrub_pixels_note_timing(px, (uint32_t)gcb->DelayTime);
	scrub_pixels_note_timing(px, (uint32_t)gcb->DisposalMode);
	scrub_pixels_note_timing(px, (uint32_t)gcb->TransparentColor);
	return st;
}

static enum scrub_status decode_records(GifFileType *gif, struct canvas *c,
					struct scrub_pixels *px)
{
	GifPixelType *line = malloc(65536);
	if (!line)
		return SCRUB_E_NOMEM;
	GraphicsControlBlock gcb = NO_DELAY_GCB;
	GifRecordType type = UNDEFINED_RECORD_TYPE;
	enum scrub_status st = SCRUB_OK;
	int loop = -1;
	while (st == SCRUB_OK && type != TERMINATE_RECORD_TYPE) {
		if (DGifGetRecordType(gif, &type) == GIF_ERROR) {
			st = SCRUB_E_MALFORMED;
		} else if (type == EXTENSION_RECORD_TYPE) {
			st = read_extension(gif, &gcb, &loop) ? SCRUB_OK : SCRUB_E_MALFORMED;
		} else if (type == IMAGE_DESC_RECORD_TYPE) {
			st = DGifGetImageDesc(gif) == GIF_ERROR ? SCRUB_E_MALFORMED
								 : draw_image(gif, c, line, &gcb, px);
			gcb = (GraphicsControlBlock)NO_DELAY_GCB;
		}
	}
	free(line);
	scrub_pixels_note_timing(px, (uint32_t)loop);
	return st == SCRUB_OK && !px->frames ? SCRUB_E_MALFORMED : st;
}

enum scrub_status scrub_gif_decode(const uint8_t *p, size_t n, struct scrub_pixels *px)
{
	*px = (struct scrub_pixels){ 0 };
	struct memory m;
	int err = 0;
	GifFileType *gif = open_memory(&m, p, n, &err);
	if (!gif)
		return SCRUB_E_MALFORMED;
	struct canvas c = { .w = (uint32_t)gif->SWidth, .h = (uint32_t)gif->SHeight };
	c.bytes = (size_t)c.w * c.h * 4;
	enum scrub_status st = c.bytes == 0 ? SCRUB_E_MALFORMED
		: c.bytes > MAX_PIXEL_BYTES ? SCRUB_E_LIMIT : SCRUB_OK;
	if (st == SCRUB_OK) {
		c.rgba = calloc(1, c.bytes);
		c.saved = malloc(c.bytes);
		st = c.rgba && c.saved ? decode_records(gif, &c, px) : SCRUB_E_NOMEM;
	}
	free(c.rgba);
	free(c.saved);
	DGifCloseFile(gif, &err);
	px->width = c.w;
	px->height = c.h;
	if (st != SCRUB_OK)
		scrub_pixels_free(px);
	return st;
}
