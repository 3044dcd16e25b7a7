#ifndef SCRUB_JOB_H
#define SCRUB_JOB_H

#include "core/bytes.h"
#include "formats/format.h"
#include "cli/options.h"
#include "core/plan.h"
#include "engine/result.h"
#include "io/walk.h"

/* Buffers one worker thread reuses from file to file. */
struct scrub_worker {
	struct scrub_buf in;
	struct scrub_scan scan;
	struct scrub_plan plan;
	struct scrub_buf out;   /* the output in one piece, for --verify only */
};

void scrub_worker_init(struct scrub_worker *w);
void scrub_worker_free(struct scrub_worker *w);

/*
 * Processes one item under opt: read, scan, and audit or write. Fills r
 * (r->error holds the one-line reason on failure). Prints nothing and keeps
 * no state outside w and r, so workers can run it concurrently. With
 * defer_commit, an output is left as a complete temp file in r->pending for
 * the caller to sync and rename with the rest of its group.
 */
void scrub_job_process(const struct scrub_options *opt, const struct scrub_item *it,
		       bool defer_commit, struct scrub_worker *w, struct scrub_result *r);

#endif
