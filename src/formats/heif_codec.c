/*
 * The HEIF codec half through libheif (1.15 in Debian bookworm, with its
 * built-in HEVC and AV1 decoders): the header probe for reports, and the
 * decode for --verify, which compares the primary image as a viewer shows
 * it (grid assembled, irot/imir/clap applied, alpha included).
 *
 * libheif only ever sees files the walker accepted: every box length and
 * extent has been checked against the file by then. The decode is refused
 * beyond MAX_PIXELS so a crafted ispe cannot make it allocate gigabytes.
 *
 * The probe does not veto a file the walker accepted: libheif 1.15 refuses
 * valid files scrub can clean (it reads iloc extent_index only in version
 * 2, and rejects metadata that describes a tmap item, as iPhone 15 and 16
 * photos have it), and the strip path never needs the codec. When libheif
 * cannot read the header, the report simply has no codec facts; --verify
 * still refuses to replace a file it cannot decode.
 */
#include <libheif/heif.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/codec.h"

/* 256 megapixels: four times the largest camera sensor, 1 GB as RGBA. */
#define MAX_PIXELS ((uint64_t)1 << 28)
#define MAX_SIDE 65535

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

/* Reference-counted in libheif; never released, so plugins load once per process. */
static void init_libheif(void)
{
	heif_init(NULL);
}

static void copy_msg(char *msg, size_t size, struct heif_error err)
{
	if (msg && size)
		snprintf(msg, size, "%s", err.message ? err.message : "libheif error");
}

/* Reads the file and opens its primary image; *ctx must be freed by the caller. */
static enum scrub_status open_primary(const uint8_t *p, size_t n, struct heif_context **ctx,
				      struct heif_image_handle **handle, char *msg, size_t size)
{
	pthread_once(&init_once, init_libheif);
	*handle = NULL;
	*ctx = NULL;
	if (!scrub_heif_codec_safe(p, n)) {
		if (msg && size)
			snprintf(msg, size, "libheif 1.15 cannot read this file safely");
		return SCRUB_E_MALFORMED;
	}
	*ctx = heif_context_alloc();
	if (!*ctx)
		return SCRUB_E_NOMEM;
	heif_context_set_maximum_image_size_limit(*ctx, MAX_SIDE);
	struct heif_error err = heif_context_read_from_memory_without_copy(*ctx, p, n, NULL);
	if (err.code == heif_error_Ok)
		err = heif_context_get_primary_image_handle(*ctx, handle);
	if (err.code != heif_error_Ok) {
		copy_msg(msg, size, err);
		return err.code == heif_error_Memory_allocation_error ? SCRUB_E_LIMIT
								       : SCRUB_E_MALFORMED;
	}
	return SCRUB_OK;
}

static void close_primary(struct heif_context *ctx, struct heif_image_handle *handle)
{
	if (handle)
		heif_image_handle_release(handle);
	if (ctx)
		heif_context_free(ctx);
}

enum scrub_status scrub_heif_probe(const uint8_t *p, size_t n, struct scrub_image_info *info,
				   char *msg, size_t msg_size)
{
	struct heif_context *ctx;
	struct heif_image_handle *handle;
	enum scrub_status st = open_primary(p, n, &ctx, &handle, msg, msg_size);
	if (st == SCRUB_E_MALFORMED) {
		*info = (struct scrub_image_info){ .known = false };
		st = SCRUB_OK; /* see the file comment: no codec facts, no veto */
	} else if (st == SCRUB_OK) {
		int w = heif_image_handle_get_width(handle);
		int h = heif_image_handle_get_height(handle);
		int bits = heif_image_handle_get_luma_bits_per_pixel(handle);
		bool alpha = heif_image_handle_has_alpha_channel(handle);
		if (w <= 0 || h <= 0 || bits <= 0 || bits > 16) {
			snprintf(msg, msg_size, "primary image has no size or bit depth");
			st = SCRUB_E_MALFORMED;
		} else {
			*info = (struct scrub_image_info){ .known = true, .bit_depth = (uint8_t)bits,
							   .components = alpha ? 4 : 3, .frames = 1 };
			snprintf(info->color, sizeof info->color, "%s", alpha ? "YCbCr+alpha" : "YCbCr");
		}
	}
	close_primary(ctx, handle);
	return st;
}

/* Packs the interleaved plane row by row (libheif pads rows to its stride). */
static enum scrub_status take_pixels(const struct heif_image *img, size_t bpp,
				     struct scrub_pixels *px)
{
	int w = heif_image_get_width(img, heif_channel_interleaved);
	int h = heif_image_get_height(img, heif_channel_interleaved);
	int stride = 0;
	const uint8_t *plane = heif_image_get_plane_readonly(img, heif_channel_interleaved, &stride);
	if (!plane || w <= 0 || h <= 0 || (size_t)stride < (size_t)w * bpp)
		return SCRUB_E_MALFORMED;
	size_t row = (size_t)w * bpp;
	px->data = malloc(row * (size_t)h);
	if (!px->data)
		return SCRUB_E_NOMEM;
	for (int y = 0; y < h; y++)
		memcpy(px->data + (size_t)y * row, plane + (size_t)y * (size_t)stride, row);
	px->len = row * (size_t)h;
	px->width = (uint32_t)w;
	px->height = (uint32_t)h;
	px->frames = 1;
	return SCRUB_OK;
}

enum scrub_status scrub_heif_decode(const uint8_t *p, size_t n, struct scrub_pixels *px)
{
	*px = (struct scrub_pixels){ 0 };
	struct heif_context *ctx;
	struct heif_image_handle *handle;
	enum scrub_status st = open_primary(p, n, &ctx, &handle, NULL, 0);
	if (st != SCRUB_OK) {
		close_primary(ctx, handle);
		return st;
	}
	uint64_t w = (uint64_t)heif_image_handle_get_width(handle);
	uint64_t h = (uint64_t)heif_image_handle_get_height(handle);
	bool alpha = heif_image_handle_has_alpha_channel(handle);
	bool deep = heif_image_handle_get_luma_bits_per_pixel(handle) > 8;
	enum heif_chroma chroma = deep ? (alpha ? heif_chroma_interleaved_RRGGBBAA_BE
						: heif_chroma_interleaved_RRGGBB_BE)
				       : (alpha ? heif_chroma_interleaved_RGBA
						: heif_chroma_interleaved_RGB);
	size_t bpp = (size_t)(alpha ? 4 : 3) * (deep ? 2 : 1);
	struct heif_image *img = NULL;
	if (w == 0 || h == 0 || w * h > MAX_PIXELS) {
		st = SCRUB_E_LIMIT;
	} else {
		struct heif_error err = heif_decode_image(handle, &img, heif_colorspace_RGB, chroma, NULL);
		st = err.code == heif_error_Ok ? take_pixels(img, bpp, px) : SCRUB_E_MALFORMED;
	}
	if (img)
		heif_image_release(img);
	close_primary(ctx, handle);
	if (st != SCRUB_OK)
		scrub_pixels_free(px);
	return st;
}
