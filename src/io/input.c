#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
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

/*
 * A link named by the user is followed: its target is what gets replaced.
 * When lstat fails nothing is known, and taking the path as the target
 * would replace the link itself with a regular file: an error.
 */
static enum scrub_status resolve_target(const char *path, struct scrub_input *in,
					const char **verb)
{
	struct stat lst;
	if (lstat(path, &lst) != 0)
		return SCRUB_E_IO;
	if (S_ISLNK(lst.st_mode)) {
		if (!realpath(path, in->target)) {
			*verb = "cannot resolve";
			return SCRUB_E_IO;
		}
	} else {
		snprintf(in->target, sizeof in->target, "%s", path);
	}
	return SCRUB_OK;
}

enum scrub_status scrub_in_load(const char *path, bool nofollow, struct scrub_input *in,
				struct scrub_buf *buf, const char **verb)
{
	*verb = "cannot open";
	/* O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below). */
	int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (nofollow ? O_NOFOLLOW : 0);
	int fd = open(path, flags);
	if (fd < 0)
		return SCRUB_E_IO;
	enum scrub_status st = SCRUB_OK;
	if (fstat(fd, &in->st) != 0)
		st = SCRUB_E_IO;
	else if (!S_ISREG(in->st.st_mode))
		st = SCRUB_E_NOT_REGULAR;
	else if (nofollow) /* opened with O_NOFOLLOW: not a link */
		snprintf(in->target, sizeof in->target, "%s", path);
	else
		st = resolve_target(path, in, verb);
	if (st == SCRUB_OK) {
		*verb = "cannot read";
		st = scrub_in_read_all(fd, (size_t)in->st.st_size, buf);
	}
	int err = errno;
	close(fd);
	errno = err;
	return st;
}

enum scrub_status scrub_in_load_stdin(struct scrub_buf *buf, size_t limit)
{
	size_t cap = buf->limit;
	buf->limit = limit;
	enum scrub_status st = scrub_in_read_all(STDIN_FILENO, 0, buf);
	buf->limit = cap;
	return st;
}
