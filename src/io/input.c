#include <errno.h>
#include <unistd.h>

#include "io/input.h"

#define READ_CHUNK (1u << 20)

enum scrub_status scrub_in_read_all(int fd, size_t size_hint, struct scrub_buf *buf)
{
	buf->len = 0;
	/* One byte more than expected so a file that grew is still read to its end. */
	size_t first = size_hint ? size_hint + 1 : READ_CHUNK;
	enum scrub_status st = scrub_buf_reserve(buf, first < buf->limit ? first : buf->limit);
	if (st != SCRUB_OK)
		return st;
	for (;;) {
		if (buf->len == buf->cap && buf->len == buf->limit) {
			/* At the cap: fine only if the input ends exactly here. */
			uint8_t probe;
			ssize_t n = read(fd, &probe, 1);
			if (n < 0 && errno == EINTR)
				continue;
			return n == 0 ? SCRUB_OK : n > 0 ? SCRUB_E_LIMIT : SCRUB_E_IO;
		}
		if (buf->len == buf->cap) {
			size_t room = buf->limit - buf->len;
			st = scrub_buf_reserve(buf, room < READ_CHUNK ? room : READ_CHUNK);
			if (st != SCRUB_OK)
				return st;
		}
		ssize_t n = read(fd, buf->data + buf->len, buf->cap - buf->len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return SCRUB_E_IO;
		}
		if (n == 0)
			return SCRUB_OK;
		buf->len += (size_t)n;
	}
}
