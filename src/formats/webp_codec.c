/*
 * The WebP codec half through libwebp: decoding for --verify (still images
 * to RGBA, animations frame by frame as the demux API composes each full
 * canvas, all frames one after another), the header probe, and lossless
 * re-encoding of VP8L stills to bake orientation in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <webp/decode.h>
#include <webp/demux.h>
#include <webp/encode.h>
#include <webp/mux.h>

#include "formats/codec.h"

#define MAX_PIXEL_BYTES ((size_t)1 << 30)

static enum scrub_status decode_still(const uint8_t *p, size_t n, struct scrub_pixels *px)
{
	int w = 0, h = 0;
	uint8_t *rgba = WebPDecodeRGBA(p, n, &w, &h);
	if (!rgba)
		return SCRUB_E_MALFORMED;
	px->len = (size_t)w * (size_t)h * 4;
	px->data = malloc(px->len);
	if (px->data)
		memcpy(px->data, rgba, px->len);
	WebPFree(rgba);
	if (!px->data)
		return SCRUB_E_NOMEM;
	px->width = (uint32_t)w;
	px->height = (uint32_t)h;
	px->frames = 1;
	return SCRUB_OK;
}

static enum scrub_status append_frames(WebPAnimDecoder *dec, const WebPAnimInfo *info,
				       struct scrub_pixels *px)
{
	size_t frame = (size_t)info->canvas_width * info->canvas_height * 4;
	if (frame == 0 || info->frame_count > MAX_PIXEL_BYTES / frame)
		return SCRUB_E_LIMIT;
	px->data = malloc(frame * info->frame_count);
	if (!px->data)
		return SCRUB_E_NOMEM;
	while (WebPAnimDecoderHasMoreFrames(dec)) {
		uint8_t *buf;
		int timestamp;
		if (px->frames == info->frame_count || !WebPAnimDecoderGetNext(dec, &buf, &timestamp))
			return SCRUB_E_MALFORMED;
		memcpy(px->data + px->frames * frame, buf, frame);
		px->frames++;
	}
	px->len = frame * px->frames;
	px->width = info->canvas_width;
	px->height = info->canvas_height;
	return SCRUB_OK;
}

static enum scrub_status decode_animation(const uint8_t *p, size_t n, struct scrub_pixels *px)
{
	WebPAnimDecoderOptions opts;
	if (!WebPAnimDecoderOptionsInit(&opts))
		return SCRUB_E_NOMEM;
	opts.color_mode = MODE_RGBA;
	opts.use_threads = 0;
	WebPData data = { p, n };
	WebPAnimDecoder *dec = WebPAnimDecoderNew(&data, &opts);
	if (!dec)
		return SCRUB_E_MALFORMED;
	WebPAnimInfo info;
	enum scrub_status st = WebPAnimDecoderGetInfo(dec, &info) ? append_frames(dec, &info, px)
								 : SCRUB_E_MALFORMED;
	WebPAnimDecoderDelete(dec);
	return st;
}

enum scrub_status scrub_webp_decode(const uint8_t *p, size_t n, struct scrub_pixels *px)
{
	*px = (struct scrub_pixels){ 0 };
	WebPBitstreamFeatures features;
	if (WebPGetFeatures(p, n, &features) != VP8_STATUS_OK)
		return SCRUB_E_MALFORMED;
	enum scrub_status st = features.has_animation ? decode_animation(p, n, px)
						      : decode_still(p, n, px);
	if (st != SCRUB_OK)
		scrub_pixels_free(px);
	return st;
}

static const char *status_text(VP8StatusCode st)
{
	switch (st) {
	case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
	case VP8_STATUS_INVALID_PARAM: return "invalid parameter";
	case VP8_STATUS_BITSTREAM_ERROR: return "bitstream error";
	case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature";
	case VP8_STATUS_NOT_ENOUGH_DATA: return "not enough data";
	default: return "cannot decode";
	}
}

/* WebPGetFeatures reads the bitstream headers only; the demuxer counts frames without decoding. */
enum scrub_status scrub_webp_probe(const uint8_t *p, size_t n, struct scrub_image_info *info,
				   char *msg, size_t msg_size)
{
	*info = (struct scrub_image_info){ 0 };
	WebPBitstreamFeatures f;
	VP8StatusCode vs = WebPGetFeatures(p, n, &f);
	if (vs != VP8_STATUS_OK) {
		snprintf(msg, msg_size, "libwebp: %s", status_text(vs));
		return SCRUB_E_MALFORMED;
	}
	info->components = f.has_alpha ? 4 : 3;
	info->bit_depth = 8;
	info->flags_known = SCRUB_INFO_LOSSLESS;
	info->lossless = f.format == 2 && !f.has_animation;
	info->animated = f.has_animation;
	info->frames = 1;
	snprintf(info->color, sizeof info->color, "%s", f.has_alpha ? "RGBA" : "RGB");
	if (f.has_animation) {
		WebPData data = { p, n };
		WebPDemuxer *dmx = WebPDemux(&data);
		if (!dmx) {
			snprintf(msg, msg_size, "libwebp cannot read the animation's frames");
			return SCRUB_E_MALFORMED;
		}
		info->frames = WebPDemuxGetI(dmx, WEBP_FF_FRAME_COUNT);
		WebPDemuxDelete(dmx);
	}
	info->known = true;
	return SCRUB_OK;
}

/* VP8L with exact=1 keeps every RGBA value, transparent pixels' colours included. */
static enum scrub_status encode_lossless(const uint8_t *rgba, int w, int h, WebPMemoryWriter *wr)
{
	WebPConfig config;
	WebPPicture pic;
	if (!WebPConfigInit(&config) || !WebPPictureInit(&pic))
		return SCRUB_E_NOMEM;
	config.lossless = 1;
	config.exact = 1;
	pic.use_argb = 1;
	pic.width = w;
	pic.height = h;
	pic.writer = WebPMemoryWrite;
	pic.custom_ptr = wr;
	enum scrub_status st = SCRUB_E_NOMEM;
	if (WebPPictureImportRGBA(&pic, rgba, w * 4))
		st = WebPEncode(&config, &pic) ? SCRUB_OK : SCRUB_E_MALFORMED;
	WebPPictureFree(&pic);
	return st;
}

/* The original's ICC profile goes back in (the strip that follows drops it unless kept). */
static enum scrub_status with_icc(const uint8_t *p, size_t n, const WebPMemoryWriter *wr,
				  struct scrub_buf *out)
{
	WebPData in = { p, n }, img = { wr->mem, wr->size }, icc = { NULL, 0 }, whole = { NULL, 0 };
	WebPDemuxer *dmx = WebPDemux(&in);
	WebPChunkIterator it;
	bool has_icc = dmx && WebPDemuxGetChunk(dmx, "ICCP", 1, &it);
	if (has_icc)
		icc = it.chunk;
	enum scrub_status st = SCRUB_OK;
	if (has_icc) {
		WebPMux *mux = WebPMuxCreate(&img, 0);
		st = mux && WebPMuxSetChunk(mux, "ICCP", &icc, 0) == WEBP_MUX_OK &&
		     WebPMuxAssemble(mux, &whole) == WEBP_MUX_OK ? SCRUB_OK : SCRUB_E_NOMEM;
		WebPMuxDelete(mux);
		WebPDemuxReleaseChunkIterator(&it);
	}
	WebPDemuxDelete(dmx);
	out->len = 0;
	if (st == SCRUB_OK)
		st = has_icc ? scrub_buf_append(out, whole.bytes, whole.size)
			     : scrub_buf_append(out, wr->mem, wr->size);
	WebPDataClear(&whole);
	return st;
}

/* --verify: the new file decodes to exactly the turned pixels. */
static enum scrub_status check_written(const struct scrub_buf *out, const uint8_t *want, int w, int h)
{
	int gw = 0, gh = 0;
	uint8_t *got = WebPDecodeRGBA(out->data, out->len, &gw, &gh);
	bool same = got && gw == w && gh == h && !memcmp(got, want, (size_t)w * (size_t)h * 4);
	WebPFree(got);
	return same ? SCRUB_OK : SCRUB_E_VERIFY;
}

static enum scrub_status turn(const uint8_t *p, size_t n, int o, bool check, struct scrub_buf *out)
{
	int w = 0, h = 0;
	uint8_t *rgba = WebPDecodeRGBA(p, n, &w, &h);
	if (!rgba)
		return SCRUB_E_MALFORMED;
	uint8_t *turned = malloc((size_t)w * (size_t)h * 4);
	enum scrub_status st = SCRUB_E_NOMEM;
	if (turned) {
		scrub_pixels_orient(rgba, (uint32_t)w, (uint32_t)h, 4, o, turned);
		if (o >= 5) {
			int t = w;
			w = h;
			h = t;
		}
		WebPMemoryWriter wr;
		WebPMemoryWriterInit(&wr);
		st = encode_lossless(turned, w, h, &wr);
		if (st == SCRUB_OK)
			st = with_icc(p, n, &wr, out);
		if (st == SCRUB_OK && check)
			st = check_written(out, turned, w, h);
		WebPMemoryWriterClear(&wr);
	}
	free(turned);
	WebPFree(rgba);
	return st;
}

enum scrub_orient_result scrub_webp_orient(const uint8_t *p, size_t n, int o,
					   const struct scrub_image_info *info, bool check,
					   struct scrub_buf *out, char *msg, size_t msg_size)
{
	if (info->animated || !info->lossless || o < 2 || o > 8) {
		snprintf(msg, msg_size, "%s", info->animated ? "animated WebP: its frames would be re-encoded"
				   : "lossy WebP: turning it would re-encode with loss");
		return SCRUB_ORIENT_KEEP_TAG;
	}
	enum scrub_status st = turn(p, n, o, check, out);
	if (st == SCRUB_OK)
		return SCRUB_ORIENT_DONE;
	out->len = 0;
	snprintf(msg, msg_size, "libwebp could not re-encode it: %s", scrub_strerror(st));
	return SCRUB_ORIENT_KEEP_TAG;
}
