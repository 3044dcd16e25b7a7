#ifndef SCRUB_POOL_H
#define SCRUB_POOL_H

#include <stddef.h>

/*
 * A pool that is fed items one at a time, as a walk meets them. Item i
 * runs as work(ctx, i, worker) on one of `jobs` threads (worker is
 * 0..jobs-1, for per-worker buffers) and is handed to emit(ctx, i) on the
 * feeding thread in index order. At most `window` items are in work or
 * done and waiting, so the caller keeps them in a ring of that many slots,
 * item i in slot i % window. With one job, work and emit run on the
 * feeding thread at scrub_pool_submit.
 */
struct scrub_pool;

/* NULL if no thread could be started. */
struct scrub_pool *scrub_pool_new(unsigned jobs, size_t window,
				  void (*work)(void *ctx, size_t i, unsigned worker),
				  void (*emit)(void *ctx, size_t i), void *ctx);
/*
 * Index of the next item. Emits what is done, and waits for (and emits)
 * more while the window is full, so on return its slot is free: fill it,
 * then submit.
 */
size_t scrub_pool_reserve(struct scrub_pool *p);
void scrub_pool_submit(struct scrub_pool *p);
/* Emits every item submitted, stops the threads and frees the pool. */
void scrub_pool_finish(struct scrub_pool *p);

/* Online CPUs, at least 1. */
unsigned scrub_pool_cpus(void);

#endif
