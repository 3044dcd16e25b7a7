#ifndef SCRUB_INFLATE_H
#define SCRUB_INFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The one loop that drives zlib over untrusted input: it inflates a zlib
 * stream a piece at a time into sink, never handing over more than budget
 * bytes in all, so each reader decides only what to do with the bytes.
 */
enum scrub_inflate_end {
	SCRUB_INFLATE_DONE,    /* the stream ended properly, within the budget */
	SCRUB_INFLATE_BROKEN,  /* a zlib error, or the input ended before the stream did */
	SCRUB_INFLATE_OVER,    /* the budget ran out first; sink had the first budget bytes */
	SCRUB_INFLATE_STOPPED, /* sink returned false, or zlib had no memory */
};

/* sink(ctx, p, n) takes the next n bytes; returns false to stop. *produced, if
 * given, is the number of bytes sink was handed. */
enum scrub_inflate_end scrub_inflate(const uint8_t *in, size_t n, size_t budget,
				     bool (*sink)(void *ctx, const uint8_t *p, size_t n),
				     void *ctx, size_t *produced);

#endif
