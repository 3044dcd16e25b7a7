#ifndef SCRUB_CODEC_H
#define SCRUB_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/format.h"
#include "core/status.h"

/*
 * The codec half of a backend: full decodes for --verify. The strip path
 * never calls these. Frames of an animation are stored one after another.
 */
struct scrub_pixels {
	uint8_t *data;
	size_t len;
	uint32_t width;
	uint32_t height;
	unsigned frames;
	uint64_t timing; /* digest of frame delays, disposal, loop count; 0 when not noted */
};

void scrub_pixels_free(struct scrub_pixels *px);
/* Folds one timing value (a delay, a disposal, a loop count) into px->timing. */
void scrub_pixels_note_timing(struct scrub_pixels *px, uint32_t value);

enum scrub_status scrub_jpeg_decode(const uint8_t *p, size_t n, struct scrub_pixels *px);
enum scrub_status scrub_png_decode(const uint8_t *p, size_t n, struct scrub_pixels *px);
enum scrub_status scrub_webp_decode(const uint8_t *p, size_t n, struct scrub_pixels *px);
enum scrub_status scrub_gif_decode(const uint8_t *p, size_t n, struct scrub_pixels *px);
enum scrub_status scrub_jxl_decode(const uint8_t *p, size_t n, struct scrub_pixels *px);
/*
 * False when libheif must not be given the file: it walks badly, or holds a
 * deflate item libheif 1.15 would loop on for ever (heif.c says more).
 */
bool scrub_heif_codec_safe(const uint8_t *p, size_t n);
/* The primary image with its transformations applied, RGB(A), 16 bits a sample above 8-bit. */
enum scrub_status scrub_heif_decode(const uint8_t *p, size_t n, struct scrub_pixels *px);

/* Header probes (struct scrub_backend.probe): no pixel is decoded. */
enum scrub_status scrub_jpeg_probe(const uint8_t *p, size_t n, struct scrub_image_info *info,
				   char *msg, size_t msg_size);
enum scrub_status scrub_png_probe(const uint8_t *p, size_t n, struct scrub_image_info *info,
				  char *msg, size_t msg_size);
enum scrub_status scrub_webp_probe(const uint8_t *p, size_t n, struct scrub_image_info *info,
				   char *msg, size_t msg_size);
enum scrub_status scrub_gif_probe(const uint8_t *p, size_t n, struct scrub_image_info *info,
				  char *msg, size_t msg_size);
/*
 * The codestream of a JPEG XL file (jxl.c): the file itself when bare, a
 * jxlc payload in place, or the jxlp parts joined into joined (its limit
 * bounds the copy). The file must walk; SCRUB_E_MALFORMED when it has none.
 */
enum scrub_status scrub_jxl_codestream(const uint8_t *p, size_t n, struct scrub_buf *joined,
				       const uint8_t **cs, size_t *len);
enum scrub_status scrub_jxl_probe(const uint8_t *p, size_t n, struct scrub_image_info *info,
				  char *msg, size_t msg_size);
enum scrub_status scrub_heif_probe(const uint8_t *p, size_t n, struct scrub_image_info *info,
				   char *msg, size_t msg_size);

/*
 * Orientation baked into pixels (struct scrub_backend.orient): JPEG by a
 * TurboJPEG lossless transform, PNG and lossless still WebP by lossless
 * re-encoding. Other cases answer SCRUB_ORIENT_KEEP_TAG with the reason.
 */
enum scrub_orient_result scrub_jpeg_orient(const uint8_t *p, size_t n, int o,
					   const struct scrub_image_info *info, bool check,
					   struct scrub_buf *out, char *msg, size_t msg_size);
enum scrub_orient_result scrub_png_orient(const uint8_t *p, size_t n, int o,
					  const struct scrub_image_info *info, bool check,
					  struct scrub_buf *out, char *msg, size_t msg_size);
enum scrub_orient_result scrub_webp_orient(const uint8_t *p, size_t n, int o,
					   const struct scrub_image_info *info, bool check,
					   struct scrub_buf *out, char *msg, size_t msg_size);

/*
 * Writes into dst the w x h image src (bpp bytes a pixel, rows packed)
 * turned upright for EXIF orientation o (1..8); dst is h x w for 5..8.
 */
void scrub_pixels_orient(const uint8_t *src, uint32_t w, uint32_t h, size_t bpp, int o,
			 uint8_t *dst);

#endif
