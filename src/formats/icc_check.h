#ifndef SCRUB_ICC_CHECK_H
#define SCRUB_ICC_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Whether an ICC profile a walker would keep is a profile at all (SPEC.md
 * section 2: one that is not valid cannot serve colour and can carry
 * anything, so it is removed). Valid means, after ICC.1:2022 section 7.2:
 * at least the 128-byte header and the tag count, the size field equal to
 * the bytes there are, "acsp" at offset 36, and the tag table inside the
 * profile. Every walker that keeps a profile asks here: JPEG (its parts
 * joined), PNG (iCCP inflated), WebP, and the newer formats.
 */
#define SCRUB_ICC_HEADER_LEN 128
/* Inflated profiles are counted up to this; a larger one is not believed. */
#define SCRUB_ICC_MAX ((size_t)64 << 20)

/* A whole profile in p[0..n). */
bool scrub_icc_valid(const uint8_t *p, size_t n);

/*
 * A profile of total bytes whose first head_len bytes (all of it, or at
 * least SCRUB_ICC_CHECK_LEN) are head: for walkers that gather the start of
 * a profile scattered in their own framing (GIF data sub-blocks).
 */
#define SCRUB_ICC_CHECK_LEN (SCRUB_ICC_HEADER_LEN + 4)
bool scrub_icc_head_valid(const uint8_t *head, size_t head_len, size_t total);

/* A profile cut in parts (JPEG APP2 ICC_PROFILE), in sequence order, joined virtually. */
struct scrub_icc_part {
	const uint8_t *p;
	size_t n;
};
bool scrub_icc_parts_valid(const struct scrub_icc_part *parts, size_t count);

/* A zlib stream that inflates to a valid profile (PNG iCCP after its method byte). */
bool scrub_icc_zlib_valid(const uint8_t *z, size_t n);

#endif
