#include <stdio.h>
#include <time.h>

#include "cli/msg.h"
#include "cli/progress.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void scrub_progress_init(struct scrub_progress *p, bool enabled, size_t total)
{
	*p = (struct scrub_progress){ .enabled = enabled, .total = total, .start = now() };
}

static void draw(struct scrub_progress *p, double t)
{
	double elapsed = t - p->start;
	double rate = elapsed > 0 ? (double)p->bytes / elapsed / 1e6 : 0;
	double per_file = p->done ? elapsed / (double)p->done : 0;
	unsigned eta = (unsigned)(per_file * (double)(p->total - p->done) + 0.5);
	char line[160];
	int n = snprintf(line, sizeof line, "\rscrub: %zu/%zu files, %.1f MB/s, ETA %u:%02u:%02u\033[K",
			 p->done, p->total, rate, eta / 3600, eta / 60 % 60, eta % 60);
	if (n > 0)
		scrub_msg_raw(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
	p->shown = true;
	p->last_draw = t;
}

void scrub_progress_step(struct scrub_progress *p, uint64_t bytes)
{
	p->done++;
	p->bytes += bytes;
	if (!p->enabled)
		return;
	double t = now();
	if (t - p->start >= 1.0 && t - p->last_draw >= 0.1)
		draw(p, t);
}

void scrub_progress_clear(struct scrub_progress *p)
{
	if (p->shown)
		scrub_msg_raw("\r\033[K", 4);
	p->shown = false;
}
