/*
 * PNG decoding for --verify through libpng. Rows are read raw (no palette
 * expansion, no gamma), so the comparison covers exactly what IDAT holds.
 * Debian's libpng has no APNG support: only the default image is compared.
 * libpng reports errors by longjmp; the jump never leaves this file and no
 * message is printed.
 */
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/codec.h"

/* Decoded-size cap: 1 GiB of samples is far beyond any photo. */
#define MAX_PIXEL_BYTES ((size_t)1 << 30)

struct mem_src {
	const uint8_t *p;
	size_t n;
	size_t pos;
};

static void on_error(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void read_mem(png_structp png, png_bytep dst, size_t len)
{
	struct mem_src *src = png_get_io_ptr(png);
	if (len > src->n - src->pos)
		png_error(png, "read past end");
	memcpy(dst, src->p + src->pos, len);
	src->pos += len;
}

/*
 * The row pointers live in the same allocation as the pixels, after them,
 * so a longjmp out of png_read_image leaves nothing but px->data to free.
 */
static enum scrub_status read_image(png_structp png, png_infop info, struct scrub_pixels *px)
{
	png_read_info(png, info);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);
	size_t pitch = png_get_rowbytes(png, info);
	png_uint_32 h = png_get_image_height(png, info);
	if (pitch == 0 || h == 0 || h > MAX_PIXEL_BYTES / pitch)
		return SCRUB_E_LIMIT;
	size_t len = pitch * h;
	size_t rows_off = (len + 15) & ~(size_t)15;
	/* Zeroed: libpng leaves the padding bits of a sub-byte row's last byte as it found them. */
	px->data = calloc(1, rows_off + (size_t)h * sizeof(png_bytep));
	if (!px->data)
		return SCRUB_E_NOMEM;
	px->len = len;
	png_bytepp rows = (png_bytepp)(void *)(px->data + rows_off);
	for (png_uint_32 y = 0; y < h; y++)
		rows[y] = px->data + (size_t)y * pitch;
	png_read_image(png, rows);
	png_read_end(png, NULL);
	px->width = png_get_image_width(png, info);
	px->height = h;
	px->frames = 1;
	return SCRUB_OK;
}

enum scrub_status scrub_png_decode(const uint8_t *p, size_t n, struct scrub_pixels *px)
{
	*px = (struct scrub_pixels){ 0 };
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, on_error, on_warning);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info) {
		png_destroy_read_struct(&png, NULL, NULL);
		return SCRUB_E_NOMEM;
	}
	struct mem_src src = { p, n, 0 };
	volatile enum scrub_status st = SCRUB_E_MALFORMED;
	if (setjmp(png_jmpbuf(png)) == 0) {
		png_set_read_fn(png, &src, read_mem);
		png_set_user_limits(png, 1u << 16, 1u << 16);
		st = read_image(png, info, px);
	} else {
		st = SCRUB_E_MALFORMED;
	}
	png_destroy_read_struct(&png, &info, NULL);
	if (st != SCRUB_OK)
		scrub_pixels_free(px);
	return st;
}

/*
 * Header probe and orientation. The error context keeps libpng's message
 * for the one-line report; nothing is printed.
 */
struct codec_err {
	char msg[SCRUB_CODEC_MSG];
};

static void on_error_msg(png_structp png, png_const_charp msg)
{
	struct codec_err *err = png_get_error_ptr(png);
	snprintf(err->msg, sizeof err->msg, "%s", msg);
	png_longjmp(png, 1);
}

/* Walks the chunks of a PNG the container walker already accepted. */
struct chunk_iter {
	const uint8_t *p;
	size_t n;
	size_t pos;
};

static bool next_chunk(struct chunk_iter *it, const uint8_t **type, const uint8_t **data,
		       uint32_t *len)
{
	if (it->pos < 8)
		it->pos = 8;
	if (it->n - it->pos < 12 || it->pos > it->n)
		return false;
	const uint8_t *c = it->p + it->pos;
	*len = (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 | (uint32_t)c[2] << 8 | c[3];
	if (*len > it->n - it->pos - 12)
		return false;
	*type = c + 4;
	*data = c + 8;
	it->pos += 12 + (size_t)*len;
	return memcmp(*type, "IEND", 4) != 0;
}

/* APNG (acTL) frame count; 0 when the file is a still image. libpng cannot see it. */
static unsigned apng_frames(const uint8_t *p, size_t n)
{
	struct chunk_iter it = { p, n, 0 };
	const uint8_t *type, *data;
	uint32_t len;
	while (next_chunk(&it, &type, &data, &len))
		if (!memcmp(type, "acTL", 4) && len >= 8)
			return (unsigned)data[0] << 24 | (unsigned)data[1] << 16 |
			       (unsigned)data[2] << 8 | data[3];
	return 0;
}

static const char *color_name(int type)
{
	switch (type) {
	case PNG_COLOR_TYPE_GRAY: return "grey";
	case PNG_COLOR_TYPE_GRAY_ALPHA: return "grey+alpha";
	case PNG_COLOR_TYPE_PALETTE: return "palette";
	case PNG_COLOR_TYPE_RGB: return "RGB";
	default: return "RGBA";
	}
}

static png_structp new_reader(struct codec_err *err, struct mem_src *src)
{
	png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, err, on_error_msg, on_warning);
	if (!png)
		return NULL;
	png_set_read_fn(png, src, read_mem);
	png_set_user_limits(png, 1u << 16, 1u << 16);
	/* Text, profiles and EXIF are the walker's business: libpng need not inflate them. */
	static const png_byte skip[] = "tEXt\0zTXt\0iTXt\0iCCP\0eXIf\0sPLT\0tIME\0";
	png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, skip, (int)(sizeof skip - 1) / 5);
	return png;
}

/* png_read_info reads and checks every chunk before the first IDAT; no pixel is inflated. */
enum scrub_status scrub_png_probe(const uint8_t *p, size_t n, struct scrub_image_info *info,
				  char *msg, size_t msg_size)
{
	*info = (struct scrub_image_info){ 0 };
	struct codec_err err = { "" };
	struct mem_src src = { p, n, 0 };
	png_structp png = new_reader(&err, &src);
	png_infop pi = png ? png_create_info_struct(png) : NULL;
	if (!pi) {
		png_destroy_read_struct(&png, NULL, NULL);
		return SCRUB_E_NOMEM;
	}
	enum scrub_status st = SCRUB_E_MALFORMED;
	if (setjmp(png_jmpbuf(png)) == 0) {
		png_read_info(png, pi);
		int type = png_get_color_type(png, pi);
		info->components = png_get_channels(png, pi);
		info->bit_depth = png_get_bit_depth(png, pi);
		info->flags_known = SCRUB_INFO_INTERLACED;
		info->interlaced = png_get_interlace_type(png, pi) != PNG_INTERLACE_NONE;
		snprintf(info->color, sizeof info->color, "%s", color_name(type));
		unsigned frames = apng_frames(p, n);
		info->animated = frames > 0;
		info->frames = frames ? frames : 1;
		info->known = true;
		st = SCRUB_OK;
	} else {
		snprintf(msg, msg_size, "%s", err.msg);
	}
	png_destroy_read_struct(&png, &pi, NULL);
	return st;
}

/* An image unpacked to whole bytes per pixel, with what libpng needs to write it back. */
struct png_img {
	uint8_t *px;        /* rows, then the row pointers */
	size_t bpp;         /* bytes per pixel after png_set_packing */
	png_uint_32 w, h;
	int depth, type, interlace;
	png_color pal[PNG_MAX_PALETTE_LENGTH];
	int npal;
	png_byte trans[PNG_MAX_PALETTE_LENGTH];
	int ntrans;
	png_color_16 trans_color;
};

static void img_free(struct png_img *img)
{
	free(img->px);
	img->px = NULL;
}

/* Row pointers stored after the pixels, so img->px is the only allocation. */
static png_bytepp img_alloc(struct png_img *img, png_uint_32 w, png_uint_32 h)
{
	size_t pitch = (size_t)w * img->bpp;
	if (pitch == 0 || h == 0 || h > MAX_PIXEL_BYTES / pitch)
		return NULL;
	size_t len = pitch * h, rows_off = (len + 15) & ~(size_t)15;
	img->px = malloc(rows_off + (size_t)h * sizeof(png_bytep));
	if (!img->px)
		return NULL;
	png_bytepp rows = (png_bytepp)(void *)(img->px + rows_off);
	for (png_uint_32 y = 0; y < h; y++)
		rows[y] = img->px + (size_t)y * pitch;
	return rows;
}

static void read_unpacked_rows(png_structp png, png_infop pi, struct png_img *img)
{
	png_read_info(png, pi);
	png_get_IHDR(png, pi, &img->w, &img->h, &img->depth, &img->type, &img->interlace, NULL, NULL);
	png_colorp pal = NULL;
	if (png_get_PLTE(png, pi, &pal, &img->npal))
		memcpy(img->pal, pal, (size_t)img->npal * sizeof *pal);
	png_bytep trans = NULL;
	png_color_16p tc = NULL;
	if (png_get_tRNS(png, pi, &trans, &img->ntrans, &tc)) {
		if (trans)
			memcpy(img->trans, trans, (size_t)img->ntrans);
		if (tc)
			img->trans_color = *tc;
	}
	png_set_packing(png); /* 1, 2 and 4-bit samples one to a byte; nothing else changes */
	png_set_interlace_handling(png);
	png_read_update_info(png, pi);
	img->bpp = png_get_rowbytes(png, pi) / img->w;
	png_bytepp rows = img_alloc(img, img->w, img->h);
	if (!rows)
		png_error(png, "image too large");
	png_read_image(png, rows);
	png_read_end(png, NULL);
}

/* Reads p into img (caller frees img->px, also on failure). */
static enum scrub_status read_unpacked(const uint8_t *p, size_t n, struct png_img *img,
				       struct codec_err *err)
{
	struct mem_src src = { p, n, 0 };
	png_structp png = new_reader(err, &src);
	png_infop pi = png ? png_create_info_struct(png) : NULL;
	enum scrub_status st = SCRUB_E_NOMEM;
	if (pi && setjmp(png_jmpbuf(png)) == 0) {
		read_unpacked_rows(png, pi, img);
		st = SCRUB_OK;
	} else if (pi) {
		st = SCRUB_E_MALFORMED;
	}
	png_destroy_read_struct(&png, pi ? &pi : NULL, NULL);
	return st;
}

static void write_mem(png_structp png, png_bytep data, size_t len)
{
	if (scrub_buf_append(png_get_io_ptr(png), data, len) != SCRUB_OK)
		png_error(png, "out of memory");
}

static void flush_mem(png_structp png)
{
	(void)png;
}

/*
 * Ancillary chunks that describe colour or size rather than the picture's
 * history, copied byte for byte around the re-encoded pixels (PNG section
 * 5.6 order: before PLTE, or after it). The strip that follows drops what
 * the policy does not keep (iCCP under --strip-all).
 */
static const char before_plte[] = "gAMA cHRM sRGB iCCP sBIT cICP mDCv cLLi";
static const char after_plte[] = "bKGD hIST pHYs";

static void copy_chunks(png_structp png, const uint8_t *p, size_t n, const char *list, int o)
{
	struct chunk_iter it = { p, n, 0 };
	const uint8_t *type, *data;
	uint32_t len;
	while (next_chunk(&it, &type, &data, &len)) {
		char name[5] = { (char)type[0], (char)type[1], (char)type[2], (char)type[3], '\0' };
		if (!strstr(list, name))
			continue;
		png_byte chunk_name[5];
		memcpy(chunk_name, name, 5);
		/* pHYs: x and y densities trade places when the picture turns a quarter. */
		if (!strcmp(name, "pHYs") && len == 9 && o >= 5) {
			png_byte swapped[9];
			memcpy(swapped, data + 4, 4);
			memcpy(swapped + 4, data, 4);
			swapped[8] = data[8];
			png_write_chunk(png, chunk_name, swapped, 9);
		} else {
			png_write_chunk(png, chunk_name, data, len);
		}
	}
}

static void write_image(png_structp png, png_infop pi, const struct png_img *img, png_bytepp rows,
			const uint8_t *p, size_t n, int o)
{
	png_set_IHDR(png, pi, img->w, img->h, img->depth, img->type, img->interlace,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (img->npal)
		png_set_PLTE(png, pi, img->pal, img->npal);
	if (img->ntrans)
		png_set_tRNS(png, pi, img->trans, img->ntrans, &img->trans_color);
	png_write_info_before_PLTE(png, pi);
	copy_chunks(png, p, n, before_plte, o);
	png_write_info(png, pi);
	copy_chunks(png, p, n, after_plte, o);
	png_set_packing(png);
	if (img->interlace != PNG_INTERLACE_NONE)
		png_set_interlace_handling(png);
	png_write_image(png, rows);
	png_write_end(png, NULL);
}

static enum scrub_status encode(const struct png_img *img, png_bytepp rows, const uint8_t *p,
				size_t n, int o, struct scrub_buf *out, struct codec_err *err)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, err, on_error_msg, on_warning);
	png_infop pi = png ? png_create_info_struct(png) : NULL;
	enum scrub_status st = SCRUB_E_NOMEM;
	if (pi && setjmp(png_jmpbuf(png)) == 0) {
		png_set_write_fn(png, out, write_mem, flush_mem);
		write_image(png, pi, img, rows, p, n, o);
		st = SCRUB_OK;
	} else if (pi) {
		st = SCRUB_E_MALFORMED;
	}
	png_destroy_write_struct(&png, pi ? &pi : NULL);
	return st;
}

/* --verify: the written file reads back to exactly the turned pixels. */
static enum scrub_status check_written(const struct scrub_buf *out, const struct png_img *want,
				       struct codec_err *err)
{
	struct png_img got = { 0 };
	enum scrub_status st = read_unpacked(out->data, out->len, &got, err);
	if (st == SCRUB_OK && (got.w != want->w || got.h != want->h || got.bpp != want->bpp ||
			       memcmp(got.px, want->px, (size_t)got.w * got.h * got.bpp) != 0)) {
		snprintf(err->msg, sizeof err->msg, "the re-encoded image reads back different");
		st = SCRUB_E_VERIFY;
	}
	img_free(&got);
	return st;
}

/* Reads p, turns its pixels for o and encodes them again; dst keeps the turned pixels. */
static enum scrub_status turn(const uint8_t *p, size_t n, int o, struct png_img *dst,
			      struct scrub_buf *out, struct codec_err *err)
{
	struct png_img src = { 0 };
	enum scrub_status st = read_unpacked(p, n, &src, err);
	if (st == SCRUB_OK) {
		*dst = src;
		dst->px = NULL;
		if (o >= 5) {
			dst->w = src.h;
			dst->h = src.w;
		}
		png_bytepp rows = img_alloc(dst, dst->w, dst->h);
		if (rows) {
			scrub_pixels_orient(src.px, src.w, src.h, src.bpp, o, dst->px);
			out->len = 0;
			st = encode(dst, rows, p, n, o, out, err);
		} else {
			st = SCRUB_E_NOMEM;
		}
	}
	img_free(&src);
	return st;
}

enum scrub_orient_result scrub_png_orient(const uint8_t *p, size_t n, int o,
					  const struct scrub_image_info *info, bool check,
					  struct scrub_buf *out, char *msg, size_t msg_size)
{
	if (info->animated || o < 2 || o > 8) {
		snprintf(msg, msg_size, "animated PNG: libpng here cannot write its frames");
		return SCRUB_ORIENT_KEEP_TAG;
	}
	struct codec_err err = { "" };
	struct png_img dst = { 0 };
	enum scrub_status st = turn(p, n, o, &dst, out, &err);
	if (st == SCRUB_OK && check)
		st = check_written(out, &dst, &err);
	img_free(&dst);
	if (st == SCRUB_OK)
		return SCRUB_ORIENT_DONE;
	out->len = 0;
	snprintf(msg, msg_size, "%s", err.msg[0] ? err.msg : scrub_strerror(st));
	return SCRUB_ORIENT_KEEP_TAG;
}
