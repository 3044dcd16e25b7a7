#ifndef SCRUB_INPUT_H
#define SCRUB_INPUT_H

#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "core/bytes.h"

/* An input file as read, and where an in-place result goes. */
struct scrub_input {
	struct stat st;          /* of the file read */
	char target[PATH_MAX];   /* the path itself, or a symbolic link's target */
};

/*
 * Reads the regular file at path whole into buf (never following a
 * symbolic link when nofollow; a FIFO never blocks). On failure returns
 * SCRUB_E_NOT_REGULAR, SCRUB_E_LIMIT (larger than buf's limit), or
 * SCRUB_E_IO with errno set and *verb saying what failed ("cannot open",
 * "cannot resolve", "cannot read"); nothing is left open.
 */
enum scrub_status scrub_in_load(const char *path, bool nofollow, struct scrub_input *in,
				struct scrub_buf *buf, const char **verb);
/* Reads standard input whole into buf, up to limit bytes (SCRUB_E_LIMIT past it). */
enum scrub_status scrub_in_load_stdin(struct scrub_buf *buf, size_t limit);

/*
 * Reads all of fd into buf (reused across files: fresh multi-MB allocations
 * cost more in page faults than the read itself). size_hint is the expected
 * length (st_size) or 0; buf->limit caps what is read.
 */
enum scrub_status scrub_in_read_all(int fd, size_t size_hint, struct scrub_buf *buf);

#endif
