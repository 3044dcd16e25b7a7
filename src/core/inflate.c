#include <string.h>
#include <zlib.h>

#include "core/inflate.h"

enum scrub_inflate_end scrub_inflate(const uint8_t *in, size_t n, size_t budget,
				     bool (*sink)(void *ctx, const uint8_t *p, size_t n),
				     void *ctx, size_t *produced)
{
	size_t total = 0;
	if (produced)
		*produced = 0;
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit(&zs) != Z_OK)
		return SCRUB_INFLATE_STOPPED;
	zs.next_in = (Bytef *)(uintptr_t)in; /* zlib does not write through next_in */
	zs.avail_in = n > UINT32_MAX ? UINT32_MAX : (uInt)n;
	enum scrub_inflate_end end;
	for (;;) {
		uint8_t piece[1 << 14];
		zs.next_out = piece;
		zs.avail_out = sizeof piece;
		int rc = inflate(&zs, Z_NO_FLUSH);
		size_t got = sizeof piece - zs.avail_out;
		bool over = got > budget - total;
		if (over)
			got = budget - total;
		if (got && !sink(ctx, piece, got)) {
			end = SCRUB_INFLATE_STOPPED;
			break;
		}
		total += got;
		if (over) {
			end = SCRUB_INFLATE_OVER;
			break;
		}
		if (rc == Z_STREAM_END) {
			end = SCRUB_INFLATE_DONE;
			break;
		}
		/*
		 * Z_BUF_ERROR with output means it only wanted more room; without,
		 * no progress was possible: the input ended before the stream.
		 * Each pass either writes output or consumes input, so this ends.
		 */
		if (rc == Z_BUF_ERROR && got)
			continue;
		if (rc != Z_OK) {
			end = rc == Z_MEM_ERROR ? SCRUB_INFLATE_STOPPED : SCRUB_INFLATE_BROKEN;
			break;
		}
	}
	inflateEnd(&zs);
	if (produced)
		*produced = total;
	return end;
}
