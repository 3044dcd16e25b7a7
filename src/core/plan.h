#ifndef SCRUB_PLAN_H
#define SCRUB_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "core/bytes.h"
#include "core/status.h"

/*
 * The output of a strip: an ordered list of byte ranges, most pointing into
 * the input, a few into the plan's own scratch area (generated headers, the
 * minimal orientation block, a rewritten container header). Written with
 * one writev; never copied.
 * When orientation is baked into the pixels, the ranges point into owned
 * instead: the re-encoded image, which lives (and is reused) with the plan.
 */
#define SCRUB_PLAN_SCRATCH 1024
/* Scratch beyond the inline area comes from the heap, up to this much a plan. */
#define SCRUB_PLAN_SCRATCH_MAX ((size_t)256 << 20)

struct scrub_plan_block;

struct scrub_plan {
	struct iovec *iov;
	size_t n;
	size_t cap;
	size_t total;
	size_t scratch_used;
	uint8_t scratch[SCRUB_PLAN_SCRATCH];
	struct scrub_plan_block *blocks; /* heap scratch, freed at reset */
	size_t block_bytes;
	struct scrub_buf owned;
};

void scrub_plan_init(struct scrub_plan *plan);
/* Forgets the ranges and empties owned (its memory is kept for the next file). */
void scrub_plan_reset(struct scrub_plan *plan);
void scrub_plan_free(struct scrub_plan *plan);
/* Appends a range, merging it with the previous one when they touch. */
enum scrub_status scrub_plan_add(struct scrub_plan *plan, const uint8_t *p, size_t n);
/*
 * Reserves n bytes of scratch that stay where they are until the plan is
 * reset; NULL when out of memory or past SCRUB_PLAN_SCRATCH_MAX.
 */
uint8_t *scrub_plan_scratch(struct scrub_plan *plan, size_t n);
/* True when the planned output is byte-identical to in[0..len). */
bool scrub_plan_same_as(const struct scrub_plan *plan, const uint8_t *in, size_t len);
/* Copies the planned output into dst, which holds at least plan->total bytes. */
void scrub_plan_copy(const struct scrub_plan *plan, uint8_t *dst);

#endif
