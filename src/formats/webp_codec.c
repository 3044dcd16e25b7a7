/*
 * WebP decoding for --verify through libwebp: still images to RGBA, and
 * animations frame by frame (the demux API composes each full canvas), all
 * frames stored one after another.
 */
#include <stdlib.h>
#include <string.h>
#include <webp/decode.h>
#include <webp/demux.h>

#include "scrub/codec.h"

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
