#ifndef SCRUB_JOB_H
#define SCRUB_JOB_H

#include <stdbool.h>
#include <stddef.h>

#include "core/bytes.h"
#include "engine/engine.h"
#include "engine/result.h"
#include "io/output.h"
#include "io/walk.h"

/* How files are read and written, beyond what the engine is asked. */
struct scrub_job_opts {
	struct scrub_request request;
	bool to_stdout;      /* -c: the cleaned image goes to standard output */
	bool sync;           /* fdatasync (or the batch's syncfs) before a rename */
	bool force;          /* replace a file with several hard links */
	bool preserve_times;
	size_t stdin_limit;  /* bytes read from "-" at most */
};

/* Buffers one worker thread reuses from file to file. */
struct scrub_worker {
	struct scrub_buf in;
	struct scrub_engine engine;
};

void scrub_worker_init(struct scrub_worker *w);
void scrub_worker_free(struct scrub_worker *w);

/*
 * Processes one item: read, run the engine, and audit or write. Fills r
 * (r->error holds the one-line reason on failure). Prints nothing and keeps
 * no state outside w and r, so workers can run it concurrently. With
 * pending not NULL, an in-place or -o output is left as a complete temp
 * file in *pending (malloc'd, or NULL when nothing was written) for the
 * caller to sync and commit with the rest of its group.
 */
void scrub_job_process(const struct scrub_job_opts *opt, const struct scrub_item *it,
		       struct scrub_worker *w, struct scrub_result *r,
		       struct scrub_pending **pending);

#endif
