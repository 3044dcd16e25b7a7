#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "io/pool.h"

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t done_cv;
	pthread_cond_t emitted_cv;
	size_t next;
	size_t emitted;
	size_t n;
	size_t window;         /* items a worker may start past the last one emitted */
	bool *done;
	void (*work)(void *, size_t, unsigned);
	void *ctx;
};

struct worker_arg {
	struct pool *pool;
	unsigned id;
};

static void *worker_main(void *p)
{
	const struct worker_arg *arg = p;
	struct pool *pool = arg->pool;
	for (;;) {
		pthread_mutex_lock(&pool->lock);
		while (pool->next < pool->n && pool->next >= pool->emitted + pool->window)
			pthread_cond_wait(&pool->emitted_cv, &pool->lock);
		size_t i = pool->next < pool->n ? pool->next++ : pool->n;
		pthread_mutex_unlock(&pool->lock);
		if (i == pool->n)
			return NULL;
		pool->work(pool->ctx, i, arg->id);
		pthread_mutex_lock(&pool->lock);
		pool->done[i] = true;
		pthread_cond_broadcast(&pool->done_cv);
		pthread_mutex_unlock(&pool->lock);
	}
}

unsigned scrub_pool_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 4096 ? (unsigned)n : 1;
}

int scrub_pool_run(size_t n, unsigned jobs, size_t window,
		   void (*work)(void *ctx, size_t i, unsigned worker),
		   void (*emit)(void *ctx, size_t i), void *ctx)
{
	assert(window >= 1);
	if (jobs > n)
		jobs = (unsigned)n;
	if (jobs <= 1) {
		for (size_t i = 0; i < n; i++) {
			work(ctx, i, 0);
			emit(ctx, i);
		}
		return 0;
	}
	struct pool pool = { .n = n, .window = window, .work = work, .ctx = ctx };
	pool.done = calloc(n, sizeof *pool.done);
	pthread_t *tids = calloc(jobs, sizeof *tids);
	struct worker_arg *args = calloc(jobs, sizeof *args);
	int rc = -1;
	unsigned started = 0;
	if (!pool.done || !tids || !args)
		goto out;
	pthread_mutex_init(&pool.lock, NULL);
	pthread_cond_init(&pool.done_cv, NULL);
	pthread_cond_init(&pool.emitted_cv, NULL);
	for (; started < jobs; started++) {
		args[started] = (struct worker_arg){ &pool, started };
		if (pthread_create(&tids[started], NULL, worker_main, &args[started]) != 0)
			break;
	}
	if (started == 0) {
		pthread_cond_destroy(&pool.emitted_cv);
		pthread_cond_destroy(&pool.done_cv);
		pthread_mutex_destroy(&pool.lock);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		pthread_mutex_lock(&pool.lock);
		while (!pool.done[i])
			pthread_cond_wait(&pool.done_cv, &pool.lock);
		pthread_mutex_unlock(&pool.lock);
		emit(ctx, i);
		pthread_mutex_lock(&pool.lock);
		pool.emitted = i + 1;
		pthread_cond_broadcast(&pool.emitted_cv);
		pthread_mutex_unlock(&pool.lock);
	}
	for (unsigned t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	pthread_cond_destroy(&pool.emitted_cv);
	pthread_cond_destroy(&pool.done_cv);
	pthread_mutex_destroy(&pool.lock);
	rc = 0;
out:
	free(pool.done);
	free(tids);
	free(args);
	return rc;
}
