#ifndef SCRUB_POOL_H
#define SCRUB_POOL_H

#include <stddef.h>

/*
 * Runs work(ctx, i, worker) for every i in [0, n) on `jobs` threads (worker
 * is 0..jobs-1, for per-worker buffers) and calls emit(ctx, i) on the
 * calling thread in index order, each as soon as item i is done. No work
 * starts on an item `window` or more past the next one to emit, so at most
 * `window` items are in work or done and waiting. With one job everything
 * runs on the calling thread. Returns 0, or -1 if threads could not be
 * started (then nothing ran).
 */
int scrub_pool_run(size_t n, unsigned jobs, size_t window,
		   void (*work)(void *ctx, size_t i, unsigned worker),
		   void (*emit)(void *ctx, size_t i), void *ctx);

/* Online CPUs, at least 1. */
unsigned scrub_pool_cpus(void);

#endif
