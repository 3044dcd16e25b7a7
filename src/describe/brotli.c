/*
 * Brotli (RFC 7932) for reports: JPEG XL wraps metadata boxes in brob
 * boxes. Inflating stops at the output buffer's limit, so a small stream
 * that claims gigabytes costs no more than the limit. Built without
 * libbrotlidec, nothing is inflated and the report names the box only.
 */
#include "describe/facts.h"

#ifdef SCRUB_HAVE_BROTLI
#include <brotli/decode.h>
#endif

/* Output is handed to the decoder this much at a time. */
#define STEP ((size_t)64 << 10)

bool scrub_brotli_inflate(const uint8_t *p, size_t n, struct scrub_buf *out)
{
#ifndef SCRUB_HAVE_BROTLI
	(void)p;
	(void)n;
	(void)out;
	return false;
#else
	BrotliDecoderState *s = BrotliDecoderCreateInstance(NULL, NULL, NULL);
	if (!s)
		return false;
	size_t avail_in = n;
	const uint8_t *next_in = p;
	BrotliDecoderResult r = BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT;
	while (r == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT) {
		size_t room = out->limit - out->len < STEP ? out->limit - out->len : STEP;
		if (room == 0 || scrub_buf_reserve(out, room) != SCRUB_OK)
			break; /* the cap: what decoded so far is not a whole payload */
		size_t avail_out = room;
		uint8_t *next_out = out->data + out->len;
		r = BrotliDecoderDecompressStream(s, &avail_in, &next_in, &avail_out, &next_out, NULL);
		out->len += room - avail_out;
	}
	BrotliDecoderDestroyInstance(s);
	return r == BROTLI_DECODER_RESULT_SUCCESS;
#endif
}
