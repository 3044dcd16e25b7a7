#ifndef SCRUB_PROGRESS_H
#define SCRUB_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Progress line on a terminal's stderr, one line within 80 columns:
 *
 *   scrub: 1234/10000 files, 41.2/330.0 MB, 38.5 MB/s, 0:00:08 left
 *
 * Shown once a batch has run for a second, redrawn at most ten times a
 * second (only when a file is done), erased before any other message and
 * at the end. Callers enable it only when stderr is a terminal.
 */
struct scrub_progress {
	bool enabled;
	bool shown;
	size_t total;
	size_t done;
	uint64_t total_bytes;   /* sizes seen when listing; 0 when unknown */
	uint64_t bytes;
	double start;
	double last_draw;
};

void scrub_progress_init(struct scrub_progress *p, bool enabled, size_t total,
			 uint64_t total_bytes);
/* One file done, of bytes bytes; redraws if it is time. */
void scrub_progress_step(struct scrub_progress *p, uint64_t bytes);
/* Erases the line if it is on screen (call before printing to stderr). */
void scrub_progress_clear(struct scrub_progress *p);

#endif
