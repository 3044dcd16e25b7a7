#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "io/pool.h"

struct worker_arg {
	struct scrub_pool *pool;
	unsigned id;
};

struct scrub_pool {
	pthread_mutex_t lock;
	pthread_cond_t work_cv;    /* an item was submitted, or the pool is closing */
	pthread_cond_t done_cv;    /* an item is done */
	size_t submitted;
	size_t next;               /* next item a worker takes */
	size_t emitted;            /* written by the feeding thread only */
	size_t window;
	bool closing;
	bool *done;                /* ring: done[i % window] */
	unsigned started;          /* 0: everything runs on the feeding thread */
	pthread_t *tids;
	struct worker_arg *args;
	void (*work)(void *, size_t, unsigned);
	void (*emit)(void *, size_t);
	void *ctx;
};

static void *worker_main(void *arg_)
{
	const struct worker_arg *arg = arg_;
	struct scrub_pool *p = arg->pool;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (p->next == p->submitted && !p->closing)
			pthread_cond_wait(&p->work_cv, &p->lock);
		if (p->next == p->submitted) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		size_t i = p->next++;
		pthread_mutex_unlock(&p->lock);
		p->work(p->ctx, i, arg->id);
		pthread_mutex_lock(&p->lock);
		p->done[i % p->window] = true;
		pthread_cond_signal(&p->done_cv);
		pthread_mutex_unlock(&p->lock);
	}
}

unsigned scrub_pool_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 && n < 4096 ? (unsigned)n : 1;
}

static void pool_free(struct scrub_pool *p)
{
	free(p->done);
	free(p->tids);
	free(p->args);
	free(p);
}

struct scrub_pool *scrub_pool_new(unsigned jobs, size_t window,
				  void (*work)(void *ctx, size_t i, unsigned worker),
				  void (*emit)(void *ctx, size_t i), void *ctx)
{
	assert(window >= 1);
	struct scrub_pool *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	*p = (struct scrub_pool){ .window = window, .work = work, .emit = emit, .ctx = ctx };
	if (jobs <= 1)
		return p;
	p->done = calloc(window, sizeof *p->done);
	p->tids = calloc(jobs, sizeof *p->tids);
	p->args = calloc(jobs, sizeof *p->args);
	if (!p->done || !p->tids || !p->args) {
		pool_free(p);
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work_cv, NULL);
	pthread_cond_init(&p->done_cv, NULL);
	for (; p->started < jobs; p->started++) {
		p->args[p->started] = (struct worker_arg){ p, p->started };
		if (pthread_create(&p->tids[p->started], NULL, worker_main, &p->args[p->started]) != 0)
			break;
	}
	if (p->started == 0) {
		pthread_cond_destroy(&p->done_cv);
		pthread_cond_destroy(&p->work_cv);
		pthread_mutex_destroy(&p->lock);
		pool_free(p);
		return NULL;
	}
	return p;
}

/* Emits the oldest item not yet emitted; waits for it when wait, else only if it is done. */
static bool emit_oldest(struct scrub_pool *p, bool wait)
{
	size_t slot = p->emitted % p->window;
	pthread_mutex_lock(&p->lock);
	while (wait && !p->done[slot])
		pthread_cond_wait(&p->done_cv, &p->lock);
	bool ready = p->done[slot];
	p->done[slot] = false;
	pthread_mutex_unlock(&p->lock);
	if (ready)
		p->emit(p->ctx, p->emitted++);
	return ready;
}

size_t scrub_pool_reserve(struct scrub_pool *p)
{
	if (p->started) {
		while (p->emitted < p->submitted && emit_oldest(p, false))
			;
		while (p->submitted - p->emitted >= p->window)
			emit_oldest(p, true);
	}
	return p->submitted;
}

void scrub_pool_submit(struct scrub_pool *p)
{
	if (!p->started) {
		size_t i = p->submitted++;
		p->work(p->ctx, i, 0);
		p->emit(p->ctx, i);
		p->emitted = i + 1;
		return;
	}
	pthread_mutex_lock(&p->lock);
	p->submitted++;
	pthread_cond_signal(&p->work_cv);
	pthread_mutex_unlock(&p->lock);
}

void scrub_pool_finish(struct scrub_pool *p)
{
	if (!p)
		return;
	if (p->started) {
		while (p->emitted < p->submitted)
			emit_oldest(p, true);
		pthread_mutex_lock(&p->lock);
		p->closing = true;
		pthread_cond_broadcast(&p->work_cv);
		pthread_mutex_unlock(&p->lock);
		for (unsigned t = 0; t < p->started; t++)
			pthread_join(p->tids[t], NULL);
		pthread_cond_destroy(&p->done_cv);
		pthread_cond_destroy(&p->work_cv);
		pthread_mutex_destroy(&p->lock);
	}
	pool_free(p);
}
