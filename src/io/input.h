#ifndef SCRUB_INPUT_H
#define SCRUB_INPUT_H

#include "core/bytes.h"

/*
 * Reads all of fd into buf (reused across files: fresh multi-MB allocations
 * cost more in page faults than the read itself). size_hint is the expected
 * length (st_size) or 0; buf->limit caps what is read.
 */
enum scrub_status scrub_in_read_all(int fd, size_t size_hint, struct scrub_buf *buf);

#endif
