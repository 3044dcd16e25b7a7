#ifndef SCRUB_PNG_TEXT_H
#define SCRUB_PNG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/format.h"

/*
 * PNG text chunk data (PNG 3rd edition, section 11.3.3): the keyword and
 * the value, inflated under a cap when the chunk is compressed. Shared by
 * the PNG walker (orientation hidden in text) and the text describer.
 */
#define SCRUB_PNG_INFLATE_CAP ((size_t)4 << 20) /* a raw EXIF profile is ~130 kB of hex */
#define SCRUB_PNG_KEYWORD_MAX 79                /* section 11.3.3.2: 1..79 bytes */

struct scrub_png_text {
	const uint8_t *keyword;
	size_t keyword_len;
	const uint8_t *value; /* into the chunk, or into owned */
	size_t value_len;
	uint8_t *owned;       /* inflated text, freed by scrub_png_text_free */
};

/*
 * Splits tEXt, zTXt or iTXt data (payload type PNG_TEXT, PNG_ZTXT or
 * PNG_ITXT). False when the chunk is malformed or uses an unknown
 * compression method; whatever inflated before a zlib error is kept.
 */
bool scrub_png_text_read(enum scrub_payload type, const uint8_t *p, size_t n,
			 struct scrub_png_text *t);
void scrub_png_text_free(struct scrub_png_text *t);
/*
 * Inflates zlib data under SCRUB_PNG_INFLATE_CAP into t->value (owned), as
 * for zTXt; HEIF's deflated XMP items use it too. False when out of memory.
 */
bool scrub_zlib_inflate(const uint8_t *p, size_t n, struct scrub_png_text *t);
/* True when the keyword is exactly kw. */
bool scrub_png_text_is(const struct scrub_png_text *t, const char *kw);

/*
 * ImageMagick's raw profile text ("\n<name>\n<spaces><length>\n<hex>"):
 * decodes at most the stated length into a malloc'd *out; returns the byte
 * count (0, with *out NULL, when it is not one).
 */
size_t scrub_png_raw_profile(const uint8_t *p, size_t n, uint8_t **out);

#endif
