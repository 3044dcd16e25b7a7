#include "core/plan.h"

#include <stdlib.h>
#include <string.h>

/* A re-encoded image is at most a few times its original; the input cap bounds both. */
#define OWNED_LIMIT ((size_t)4 << 30)

struct scrub_plan_block {
	struct scrub_plan_block *next;
	uint8_t data[];
};

void scrub_plan_init(struct scrub_plan *plan)
{
	plan->iov = NULL;
	plan->cap = 0;
	plan->blocks = NULL;
	scrub_buf_init(&plan->owned, OWNED_LIMIT);
	scrub_plan_reset(plan);
}

void scrub_plan_reset(struct scrub_plan *plan)
{
	plan->n = 0;
	plan->total = 0;
	plan->scratch_used = 0;
	plan->owned.len = 0;
	while (plan->blocks) {
		struct scrub_plan_block *next = plan->blocks->next;
		free(plan->blocks);
		plan->blocks = next;
	}
	plan->block_bytes = 0;
}

void scrub_plan_free(struct scrub_plan *plan)
{
	scrub_plan_reset(plan);
	free(plan->iov);
	scrub_buf_free(&plan->owned);
	scrub_plan_init(plan);
}

enum scrub_status scrub_plan_add(struct scrub_plan *plan, const uint8_t *p, size_t n)
{
	if (n == 0)
		return SCRUB_OK;
	if (plan->n) {
		struct iovec *last = &plan->iov[plan->n - 1];
		if ((const uint8_t *)last->iov_base + last->iov_len == p) {
			last->iov_len += n;
			plan->total += n;
			return SCRUB_OK;
		}
	}
	if (plan->n == plan->cap) {
		size_t cap = plan->cap ? plan->cap * 2 : 16;
		struct iovec *iov = realloc(plan->iov, cap * sizeof *iov);
		if (!iov)
			return SCRUB_E_NOMEM;
		plan->iov = iov;
		plan->cap = cap;
	}
	/* iovec wants a mutable pointer; the writer never writes through it. */
	plan->iov[plan->n].iov_base = (void *)(uintptr_t)p;
	plan->iov[plan->n].iov_len = n;
	plan->n++;
	plan->total += n;
	return SCRUB_OK;
}

uint8_t *scrub_plan_scratch(struct scrub_plan *plan, size_t n)
{
	if (n <= SCRUB_PLAN_SCRATCH - plan->scratch_used) {
		uint8_t *p = plan->scratch + plan->scratch_used;
		plan->scratch_used += n;
		return p;
	}
	/* A block of its own, so earlier ranges never move (they may be in the plan). */
	if (n > SCRUB_PLAN_SCRATCH_MAX - plan->block_bytes)
		return NULL;
	struct scrub_plan_block *b = malloc(sizeof *b + n);
	if (!b)
		return NULL;
	b->next = plan->blocks;
	plan->blocks = b;
	plan->block_bytes += n;
	return b->data;
}

bool scrub_plan_same_as(const struct scrub_plan *plan, const uint8_t *in, size_t len)
{
	if (plan->total != len)
		return false;
	size_t off = 0;
	for (size_t i = 0; i < plan->n; i++) {
		const uint8_t *p = plan->iov[i].iov_base;
		size_t n = plan->iov[i].iov_len;
		if (p != in + off && memcmp(p, in + off, n) != 0)
			return false;
		off += n;
	}
	return true;
}

void scrub_plan_copy(const struct scrub_plan *plan, uint8_t *dst)
{
	for (size_t i = 0; i < plan->n; i++) {
		memcpy(dst, plan->iov[i].iov_base, plan->iov[i].iov_len);
		dst += plan->iov[i].iov_len;
	}
}
