#ifndef SCRUB_UTF8_H
#define SCRUB_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length of the valid UTF-8 sequence at s[0..n) (RFC 3629: no overlong
 * forms, surrogates or code points past U+10FFFF), 0 if invalid; its code
 * point goes to *cp when cp is not NULL.
 */
size_t scrub_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* True for C0 and C1 control characters and DEL. */
static inline int scrub_utf8_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
}

/*
 * The largest length <= n that does not end inside a UTF-8 sequence, for
 * cutting s (which holds at least n + 1 bytes, or n bytes then a NUL).
 */
size_t scrub_utf8_cut(const char *s, size_t n);

/*
 * Converts UTF-16 text (big- or little-endian) to UTF-8 in dst (size > 0),
 * NUL-terminated, stopping at a NUL unit or when dst is full (never
 * inside a sequence). Lone surrogates become U+FFFD. Returns the length.
 */
size_t scrub_utf16_to_utf8(const uint8_t *p, size_t n, int big, char *dst, size_t size);

/* True when s[0..n) is valid UTF-8 throughout. */
int scrub_utf8_valid(const unsigned char *s, size_t n);

/*
 * Converts Latin-1 text to UTF-8 in dst (size > 0), NUL-terminated, NUL
 * bytes made spaces, stopping when dst is full (never inside a sequence).
 * Returns the length.
 */
size_t scrub_latin1_to_utf8(const unsigned char *s, size_t n, char *dst, size_t size);

/* Writes the UTF-8 form of cp (at most 4 bytes) to dst; returns its length. */
size_t scrub_utf8_encode(uint32_t cp, char *dst);

#endif
