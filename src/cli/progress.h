#ifndef SCRUB_PROGRESS_H
#define SCRUB_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Progress line on a terminal's stderr: shown once a batch has run for a
 * second, redrawn at most ten times a second, erased before any other
 * message and at the end.
 */
struct scrub_progress {
	bool enabled;
	bool shown;
	size_t total;
	size_t done;
	uint64_t bytes;
	double start;
	double last_draw;
};

void scrub_progress_init(struct scrub_progress *p, bool enabled, size_t total);
void scrub_progress_step(struct scrub_progress *p, uint64_t bytes);
/* Erases the line if it is on screen (call before printing to stderr). */
void scrub_progress_clear(struct scrub_progress *p);

#endif
