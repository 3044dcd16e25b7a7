/*
 * The JPEG XL codec half through libjxl 0.7's JxlDecoder, single-threaded.
 * The probe reads the basic info, the colour encoding (is it an ICC
 * profile, and how big) and every frame header, skipping the frame data;
 * the --verify decode gives each displayed frame as RGBA 16-bit, orientation
 * not applied (the codestream is copied as it is, so both sides carry the
 * same one), with frame durations and the animation's ticks and loop count
 * in the timing digest. Absurd sizes are refused before any pixel buffer
 * exists.
 */
#include <jxl/decode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/codec.h"

/* Decoded frames beyond this are not verified (SCRUB_E_LIMIT). */
#define MAX_PIXEL_BYTES ((size_t)1 << 30)
/* Frames the probe counts before calling the file absurd. */
#define MAX_FRAMES 100000u
#define RGBA16_BYTES 8u

static JxlDecoder *open_decoder(const uint8_t *p, size_t n, int events)
{
	JxlDecoder *dec = JxlDecoderCreate(NULL);
	if (!dec)
		return NULL;
	if (JxlDecoderSubscribeEvents(dec, events) != JXL_DEC_SUCCESS ||
	    JxlDecoderSetInput(dec, p, n) != JXL_DEC_SUCCESS) {
		JxlDecoderDestroy(dec);
		return NULL;
	}
	JxlDecoderCloseInput(dec);
	/* Orientation as the codestream says it; otherwise libjxl reports 1 and turns the sizes. */
	if (JxlDecoderSetKeepOrientation(dec, JXL_TRUE) != JXL_DEC_SUCCESS) {
		JxlDecoderDestroy(dec);
		return NULL;
	}
	return dec;
}

/* An ICC profile's size when the colours are one (not an enum encoding), else 0. */
static uint32_t coded_icc_bytes(const JxlDecoder *dec)
{
	JxlColorEncoding enc;
	size_t size = 0;
	if (JxlDecoderGetColorAsEncodedProfile(dec, NULL, JXL_COLOR_PROFILE_TARGET_ORIGINAL, &enc) ==
	    JXL_DEC_SUCCESS)
		return 0;
	if (JxlDecoderGetICCProfileSize(dec, NULL, JXL_COLOR_PROFILE_TARGET_ORIGINAL, &size) !=
	    JXL_DEC_SUCCESS)
		return 0;
	return size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
}

static void fill_basic(const JxlBasicInfo *b, struct scrub_image_info *info)
{
	bool alpha = b->alpha_bits > 0;
	info->components = (uint8_t)(b->num_color_channels + (alpha ? 1 : 0));
	info->bit_depth = (uint8_t)b->bits_per_sample;
	info->animated = b->have_animation;
	info->coded_orientation = b->orientation > 1 && b->orientation <= 8 ? (uint8_t)b->orientation : 0;
	snprintf(info->color, sizeof info->color, "%s%s", b->num_color_channels == 1 ? "grey" : "RGB",
		 alpha ? "A" : "");
}

/*
 * libjxl reads the codestream alone: what scrub keeps of the file, and out
 * of reach of 0.7's container reader, which misreads 64-bit box sizes.
 */
enum scrub_status scrub_jxl_probe(const uint8_t *p, size_t n, struct scrub_image_info *info,
				  char *msg, size_t msg_size)
{
	*info = (struct scrub_image_info){ 0 };
	struct scrub_buf joined;
	scrub_buf_init(&joined, n);
	const uint8_t *cs;
	size_t len;
	enum scrub_status cst = scrub_jxl_codestream(p, n, &joined, &cs, &len);
	JxlDecoder *dec = cst == SCRUB_OK ? open_decoder(cs, len, JXL_DEC_BASIC_INFO |
							   JXL_DEC_COLOR_ENCODING | JXL_DEC_FRAME)
					  : NULL;
	if (!dec) {
		scrub_buf_free(&joined);
		snprintf(msg, msg_size, "%s", cst == SCRUB_OK ? "libjxl: cannot start a decoder"
							      : "no codestream to read");
		return cst == SCRUB_OK ? SCRUB_E_NOMEM : cst;
	}
	enum scrub_status st = SCRUB_E_MALFORMED;
	const char *why = "libjxl cannot read the codestream";
	for (;;) {
		JxlDecoderStatus ds = JxlDecoderProcessInput(dec);
		JxlBasicInfo basic;
		if (ds == JXL_DEC_BASIC_INFO && JxlDecoderGetBasicInfo(dec, &basic) == JXL_DEC_SUCCESS) {
			fill_basic(&basic, info);
		} else if (ds == JXL_DEC_COLOR_ENCODING) {
			info->coded_icc_bytes = coded_icc_bytes(dec);
		} else if (ds == JXL_DEC_FRAME && ++info->frames > MAX_FRAMES) {
			st = SCRUB_E_LIMIT;
			why = "too many frames";
			break;
		} else if (ds == JXL_DEC_SUCCESS) {
			st = info->frames ? SCRUB_OK : SCRUB_E_MALFORMED;
			break;
		} else if (ds == JXL_DEC_NEED_MORE_INPUT) {
			why = "libjxl: the codestream is truncated";
			break;
		} else if (ds != JXL_DEC_FRAME) {
			break;
		}
	}
	JxlDecoderDestroy(dec);
	scrub_buf_free(&joined);
	if (st != SCRUB_OK) {
		snprintf(msg, msg_size, "%s", why);
		return st;
	}
	info->known = true;
	return SCRUB_OK;
}

/* --- decoding for --verify ------------------------------------------------------ */

struct decode {
	JxlPixelFormat format;
	size_t frame_bytes;
};

static enum scrub_status on_basic_info(JxlDecoder *dec, struct decode *d, struct scrub_pixels *px)
{
	JxlBasicInfo b;
	if (JxlDecoderGetBasicInfo(dec, &b) != JXL_DEC_SUCCESS || !b.xsize || !b.ysize)
		return SCRUB_E_MALFORMED;
	if (b.ysize > MAX_PIXEL_BYTES / RGBA16_BYTES / b.xsize)
		return SCRUB_E_LIMIT; /* before libjxl allocates anything for pixels */
	px->width = b.xsize;
	px->height = b.ysize;
	d->frame_bytes = (size_t)b.xsize * b.ysize * RGBA16_BYTES;
	d->format = (JxlPixelFormat){ 4, JXL_TYPE_UINT16, JXL_NATIVE_ENDIAN, 0 };
	scrub_pixels_note_timing(px, b.have_animation);
	scrub_pixels_note_timing(px, b.animation.tps_numerator);
	scrub_pixels_note_timing(px, b.animation.tps_denominator);
	scrub_pixels_note_timing(px, b.animation.num_loops);
	return SCRUB_OK;
}

/* Room for the next frame at the end of px, handed to libjxl to fill. */
static enum scrub_status on_need_buffer(JxlDecoder *dec, const struct decode *d,
					struct scrub_pixels *px)
{
	size_t size = 0;
	if (JxlDecoderImageOutBufferSize(dec, &d->format, &size) != JXL_DEC_SUCCESS ||
	    size != d->frame_bytes)
		return SCRUB_E_MALFORMED;
	if (size > MAX_PIXEL_BYTES - px->len)
		return SCRUB_E_LIMIT;
	uint8_t *data = realloc(px->data, px->len + size);
	if (!data)
		return SCRUB_E_NOMEM;
	px->data = data;
	if (JxlDecoderSetImageOutBuffer(dec, &d->format, px->data + px->len, size) != JXL_DEC_SUCCESS)
		return SCRUB_E_MALFORMED;
	px->len += size;
	return SCRUB_OK;
}

static enum scrub_status decode_events(JxlDecoder *dec, struct scrub_pixels *px)
{
	struct decode d = { .frame_bytes = 0 };
	for (;;) {
		JxlDecoderStatus ds = JxlDecoderProcessInput(dec);
		enum scrub_status st = SCRUB_OK;
		JxlFrameHeader fh;
		switch (ds) {
		case JXL_DEC_BASIC_INFO: st = on_basic_info(dec, &d, px); break;
		case JXL_DEC_NEED_IMAGE_OUT_BUFFER: st = on_need_buffer(dec, &d, px); break;
		case JXL_DEC_FRAME:
			if (JxlDecoderGetFrameHeader(dec, &fh) != JXL_DEC_SUCCESS)
				return SCRUB_E_MALFORMED;
			scrub_pixels_note_timing(px, fh.duration);
			break;
		case JXL_DEC_FULL_IMAGE: px->frames++; break;
		case JXL_DEC_SUCCESS: return px->frames ? SCRUB_OK : SCRUB_E_MALFORMED;
		case JXL_DEC_NEED_MORE_INPUT: return SCRUB_E_TRUNCATED;
		default: return SCRUB_E_MALFORMED;
		}
		if (st != SCRUB_OK)
			return st;
	}
}

enum scrub_status scrub_jxl_decode(const uint8_t *p, size_t n, struct scrub_pixels *px)
{
	*px = (struct scrub_pixels){ 0 };
	JxlDecoder *dec = open_decoder(p, n, JXL_DEC_BASIC_INFO | JXL_DEC_FRAME | JXL_DEC_FULL_IMAGE);
	if (!dec)
		return SCRUB_E_NOMEM;
	enum scrub_status st = decode_events(dec, px);
	JxlDecoderDestroy(dec);
	if (st != SCRUB_OK)
		scrub_pixels_free(px);
	return st;
}
