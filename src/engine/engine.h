#ifndef SCRUB_ENGINE_H
#define SCRUB_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/plan.h"
#include "core/policy.h"
#include "engine/result.h"
#include "formats/format.h"

/* What to do with one image in memory. */
struct scrub_request {
	enum scrub_mode mode;
	struct scrub_policy policy;
	bool describe; /* decode payloads into facts (reports, JSON, -v lines) */
	bool tags;     /* and list every tag they hold (--report -v) */
	bool verify;   /* scrubbing: decode input and output and compare pixels */
};

/*
 * Buffers one worker reuses from image to image (fresh allocations cost
 * more in page faults than the work), and the plan of the last output.
 */
struct scrub_engine {
	struct scrub_scan scan;
	struct scrub_plan plan;
	struct scrub_buf out; /* the output in one piece, for verify only */
};

void scrub_engine_init(struct scrub_engine *e);
void scrub_engine_free(struct scrub_engine *e);

/*
 * The pipeline for one image in memory: detect the format, scan, plan the
 * output, probe the header, describe, turn the picture upright when its
 * orientation tag goes, verify. Fills r and leaves the output in e->plan
 * (its ranges point into in, which must outlive the plan). Returns false
 * with r failed when the image cannot be taken apart, or r->status
 * SCRUB_E_NOT_IMAGE when no format matches (the caller decides whether
 * that is an error). *changed says whether the output differs from in.
 */
bool scrub_engine_run(struct scrub_engine *e, const struct scrub_request *rq, const uint8_t *in,
		      size_t n, struct scrub_result *r, bool *changed);

#endif
