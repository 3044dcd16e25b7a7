/*
 * PNG decoding for --verify through libpng. Rows are read raw (no palette
 * expansion, no gamma), so the comparison covers exactly what IDAT holds.
 * Debian's libpng has no APNG support: only the default image is compared.
 * libpng reports errors by longjmp; the jump never leaves this file and no
 * message is printed.
 */
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "scrub/codec.h"

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
	px->data = malloc(rows_off + (size_t)h * sizeof(png_bytep));
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
