/*
 * The JPEG codec half: header probe and full decoding for --verify through
 * libjpeg (TurboJPEG's header reader refuses some valid files with unusual
 * sampling factors that libjpeg decodes), and lossless orientation
 * transforms through TurboJPEG. libjpeg reports errors by longjmp; the jump
 * never leaves this file, and messages are kept, never printed.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <turbojpeg.h>

#include "formats/codec.h"

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

/* libjpeg errors jump back to the caller's setjmp; warnings are dropped. */
static void quiet_errors(struct jpeg_decompress_struct *cinfo, struct decode_err *err)
{
	cinfo->err = jpeg_std_error(&err->mgr);
	err->mgr.error_exit = on_error;
	err->mgr.output_message = on_message;
}

enum scrub_status scrub_jpeg_decode(const uint8_t *p, size_t n, struct scrub_pixels *px)
{
	*px = (struct scrub_pixels){ 0 };
	if (n > (unsigned long)-1)
		return SCRUB_E_LIMIT;
	struct jpeg_decompress_struct cinfo;
	struct decode_err err;
	quiet_errors(&cinfo, &err);
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

/* Header fields in words a report can show; subsampling from component 0 against 1. */
static void describe_color(const struct jpeg_decompress_struct *cinfo, char *color, size_t size)
{
	static const char *const spaces[] = { "unknown", "grey", "RGB", "YCbCr", "CMYK", "YCCK" };
	int cs = cinfo->jpeg_color_space;
	const char *name = cs >= 0 && cs <= JCS_YCCK ? spaces[cs] : "unknown";
	if (cs != JCS_YCbCr || cinfo->num_components != 3) {
		snprintf(color, size, "%s", name);
		return;
	}
	const jpeg_component_info *c = cinfo->comp_info;
	int h = c[1].h_samp_factor ? c[0].h_samp_factor / c[1].h_samp_factor : 0;
	int v = c[1].v_samp_factor ? c[0].v_samp_factor / c[1].v_samp_factor : 0;
	const char *sub = h == 1 && v == 1 ? "4:4:4" : h == 2 && v == 2 ? "4:2:0"
			: h == 2 && v == 1 ? "4:2:2" : h == 1 && v == 2 ? "4:4:0"
			: h == 4 && v == 1 ? "4:1:1" : "other";
	snprintf(color, size, "%s %s", name, sub);
}

/*
 * Reads the markers up to the first SOS through libjpeg (tables, frame and
 * scan headers are checked), never the entropy-coded data. TurboJPEG's
 * tjDecompressHeader3 is not used: it refuses valid files with unusual
 * sampling and cannot say whether a file is progressive.
 */
enum scrub_status scrub_jpeg_probe(const uint8_t *p, size_t n, struct scrub_image_info *info,
				   char *msg, size_t msg_size)
{
	*info = (struct scrub_image_info){ 0 };
	if (n > (unsigned long)-1)
		return SCRUB_E_LIMIT;
	struct jpeg_decompress_struct cinfo;
	struct decode_err err;
	quiet_errors(&cinfo, &err);
	if (setjmp(err.jump)) {
		char text[JMSG_LENGTH_MAX];
		(*cinfo.err->format_message)((j_common_ptr)&cinfo, text);
		snprintf(msg, msg_size, "%s", text);
		jpeg_destroy_decompress(&cinfo);
		return SCRUB_E_MALFORMED;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_mem_src(&cinfo, p, (unsigned long)n);
	jpeg_read_header(&cinfo, TRUE);
	info->known = true;
	info->components = (uint8_t)cinfo.num_components;
	info->bit_depth = (uint8_t)cinfo.data_precision;
	info->flags_known = SCRUB_INFO_PROGRESSIVE;
	info->progressive = cinfo.progressive_mode;
	info->frames = 1;
	describe_color(&cinfo, info->color, sizeof info->color);
	jpeg_destroy_decompress(&cinfo);
	return SCRUB_OK;
}

/* EXIF Orientation 1..8 as the TurboJPEG transform that makes the image upright. */
static const int orient_ops[9] = {
	TJXOP_NONE, TJXOP_NONE, TJXOP_HFLIP, TJXOP_ROT180, TJXOP_VFLIP,
	TJXOP_TRANSPOSE, TJXOP_ROT90, TJXOP_TRANSVERSE, TJXOP_ROT270,
};

/* The orientation whose transform undoes o's: the two quarter turns swap, the rest are their own. */
static int inverse_orientation(int o)
{
	return o == 6 ? 8 : o == 8 ? 6 : o;
}

/*
 * One lossless transform. TJXOPT_PERFECT makes TurboJPEG refuse partial
 * MCUs before it decodes anything. Markers are copied (ICC among them);
 * the strip that follows drops whatever the policy does not keep.
 * Returns 0, or -1 with TurboJPEG's message in msg.
 */
static int transform(tjhandle tj, const uint8_t *p, size_t n, int o, bool progressive,
		     struct scrub_buf *out, char *msg, size_t msg_size)
{
	tjtransform xf = { .op = orient_ops[o],
			   .options = TJXOPT_PERFECT | (progressive ? TJXOPT_PROGRESSIVE : 0) };
	unsigned char *dst = NULL;
	unsigned long dst_len = 0;
	/* A failed transform may still fill dst: only the return code counts. */
	int rc = tjTransform(tj, p, (unsigned long)n, 1, &dst, &dst_len, &xf, 0);
	if (rc != 0 && strstr(tjGetErrorStr2(tj), "not perfect"))
		snprintf(msg, msg_size, "the size is not a whole number of JPEG blocks (MCUs), "
			 "a lossless turn would lose edge pixels");
	else if (rc != 0)
		snprintf(msg, msg_size, "%s", tjGetErrorStr2(tj));
	out->len = 0;
	if (rc == 0 && scrub_buf_append(out, dst, dst_len) != SCRUB_OK) {
		snprintf(msg, msg_size, "out of memory");
		rc = -1;
	}
	tjFree(dst);
	return rc;
}

/*
 * --verify: undoing the transform must give back the original's pixels
 * exactly. The way back keeps the original's mode: libjpeg-turbo decodes
 * progressive files through a different (smoothing) path.
 */
static bool check_inverse(tjhandle tj, const uint8_t *p, size_t n, int o, bool progressive,
			  const struct scrub_buf *out, char *msg, size_t msg_size)
{
	struct scrub_buf back;
	scrub_buf_init(&back, out->limit);
	struct scrub_pixels a = { 0 }, b = { 0 };
	bool same = transform(tj, out->data, out->len, inverse_orientation(o), progressive, &back, msg,
			      msg_size) == 0 &&
		    scrub_jpeg_decode(p, n, &a) == SCRUB_OK &&
		    scrub_jpeg_decode(back.data, back.len, &b) == SCRUB_OK && a.len == b.len &&
		    a.width == b.width && a.height == b.height && !memcmp(a.data, b.data, a.len);
	if (!same && !msg[0])
		snprintf(msg, msg_size, "the rotated image does not turn back into the original");
	scrub_pixels_free(&a);
	scrub_pixels_free(&b);
	scrub_buf_free(&back);
	return same;
}

enum scrub_orient_result scrub_jpeg_orient(const uint8_t *p, size_t n, int o,
					   const struct scrub_image_info *info, bool check,
					   struct scrub_buf *out, char *msg, size_t msg_size)
{
	msg[0] = '\0';
	if (o < 2 || o > 8 || n > (unsigned long)-1) {
		snprintf(msg, msg_size, "no lossless transform for this file");
		return SCRUB_ORIENT_KEEP_TAG;
	}
	tjhandle tj = tjInitTransform();
	if (!tj) {
		snprintf(msg, msg_size, "cannot start TurboJPEG");
		return SCRUB_ORIENT_KEEP_TAG;
	}
	bool ok = transform(tj, p, n, o, info->progressive, out, msg, msg_size) == 0 &&
		  (!check || check_inverse(tj, p, n, o, info->progressive, out, msg, msg_size));
	tjDestroy(tj);
	if (!ok)
		out->len = 0;
	return ok ? SCRUB_ORIENT_DONE : SCRUB_ORIENT_KEEP_TAG;
}
