#ifndef SCRUB_CODEC_H
#define SCRUB_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "scrub/format.h"
#include "scrub/status.h"

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
};

void scrub_pixels_free(struct scrub_pixels *px);

/*
 * Decodes a and b with the backend's codec and compares the pixels.
 * SCRUB_OK when identical; SCRUB_E_VERIFY when they differ; another status
 * (with *why set) when a decode fails.
 */
enum scrub_status scrub_verify(const struct scrub_backend *be, const uint8_t *a, size_t na,
			       const uint8_t *b, size_t nb, const char **why);

enum scrub_status scrub_jpeg_decode(const uint8_t *p, size_t n, struct scrub_pixels *px);
enum scrub_status scrub_png_decode(const uint8_t *p, size_t n, struct scrub_pixels *px);
enum scrub_status scrub_webp_decode(const uint8_t *p, size_t n, struct scrub_pixels *px);

#endif
