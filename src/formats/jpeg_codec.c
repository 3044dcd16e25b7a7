/*
 * JPEG decoding for --verify, through libjpeg's full decoder: TurboJPEG's
 * header reader refuses some valid files (unusual sampling factors) that
 * libjpeg decodes. libjpeg reports errors by longjmp; the jump never leaves
 * this file, and its messages are kept, never printed.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>

#include "scrub/codec.h"

struct decode_err {
	struct jpeg_error_mgr mgr;
	jmp_buf jump;
};

static void on_error(j_common_ptr cinfo)
{
	struct decode_err *err = (struct decode_err *)cinfo->err;
	longjmp(err->jump, 1);
}

static void on_message(j_common_ptr cinfo)
{
	(void)cinfo; /* warnings decode identically on both sides: nothing to say */
}

/* Rows in the decoder's own output colour space, so nothing is converted away. */
static enum scrub_status read_rows(struct jpeg_decompress_struct *cinfo, struct scrub_pixels *px)
{
	jpeg_start_decompress(cinfo);
	size_t pitch = (size_t)cinfo->output_width * (size_t)cinfo->output_components;
	if (pitch == 0 || cinfo->output_height > SIZE_MAX / pitch)
		return SCRUB_E_LIMIT;
	px->len = pitch * cinfo->output_height;
	px->data = malloc(px->len);
	if (!px->data)
		return SCRUB_E_NOMEM;
	while (cinfo->output_scanline < cinfo->output_height) {
		JSAMPROW row = px->data + (size_t)cinfo->output_scanline * pitch;
		jpeg_read_scanlines(cinfo, &row, 1);
	}
	px->width = cinfo->output_width;
	px->height = cinfo->output_height;
	px->frames = 1;
	jpeg_finish_decompress(cinfo);
	return SCRUB_OK;
}

enum scrub_status scrub_jpeg_decode(const uint8_t *p, size_t n, struct scrub_pixels *px)
{
	*px = (struct scrub_pixels){ 0 };
	if (n > (unsigned long)-1)
		return SCRUB_E_LIMIT;
	struct jpeg_decompress_struct cinfo;
	struct decode_err err;
	cinfo.err = jpeg_std_error(&err.mgr);
	err.mgr.error_exit = on_error;
	err.mgr.output_message = on_message;
	/* volatile: read after longjmp */
	volatile enum scrub_status st = SCRUB_E_MALFORMED;
	if (setjmp(err.jump)) {
		jpeg_destroy_decompress(&cinfo);
		scrub_pixels_free(px);
		return st;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_mem_src(&cinfo, p, (unsigned long)n);
	jpeg_read_header(&cinfo, TRUE);
	st = read_rows(&cinfo, px);
	jpeg_destroy_decompress(&cinfo);
	if (st != SCRUB_OK)
		scrub_pixels_free(px);
	return st;
}
