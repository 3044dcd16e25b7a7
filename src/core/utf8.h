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

#endif
