#ifndef SCRUB_INPUT_H
#define SCRUB_INPUT_H

#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "core/bytes.h"

/* An input file opened for reading, and where an in-place result goes. */
struct scrub_input {
	int fd;
	struct stat st;          /* of the open file */
	char target[PATH_MAX];   /* the path itself, or a symbolic link's target */
};

/*
 * Opens path read-only (never following a symbolic link when nofollow; a
 * FIFO never blocks) and checks it is a regular file. On failure returns
 * SCRUB_E_NOT_REGULAR, or SCRUB_E_IO with errno set and *verb saying what
 * failed ("cannot open", "cannot resolve"); nothing is left open.
 */
enum scrub_status scrub_in_open(const char *path, bool nofollow, struct scrub_input *in,
				const char **verb);

/*
 * Reads all of fd into buf (reused across files: fresh multi-MB allocations
 * cost more in page faults than the read itself). size_hint is the expected
 * length (st_size) or 0; buf->limit caps what is read.
 */
enum scrub_status scrub_in_read_all(int fd, size_t size_hint, struct scrub_buf *buf);

#endif
