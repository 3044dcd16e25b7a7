#include <stdio.h>
#include <time.h>

#include "cli/msg.h"
#include "cli/progress.h"

/* The first draw waits this long: short batches never show a line. */
#define FIRST_DRAW_AFTER 1.0
/* At most ten redraws a second. */
#define REDRAW_EVERY 0.1
/* Columns the line may use: one less than 80, so no terminal wraps it. */
#define MAX_COLUMNS 79
/* Times left beyond this are shown as this. */
#define MAX_ETA (100u * 3600 - 1)

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void scrub_progress_init(struct scrub_progress *p, bool enabled, size_t total,
			 uint64_t total_bytes)
{
	*p = (struct scrub_progress){ .enabled = enabled, .total = total,
				      .total_bytes = total_bytes, .start = now() };
}

/* "41.2/330.0 MB": both in the decimal unit that puts the total under 1000. */
static void format_bytes(char *out, size_t size, uint64_t done, uint64_t total)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB", "PB" };
	double scale = 1;
	unsigned u = 0;
	while (u + 1 < sizeof units / sizeof units[0] && (double)total / scale >= 1000) {
		scale *= 1000;
		u++;
	}
	if (u == 0)
		snprintf(out, size, "%ju/%ju B", (uintmax_t)done, (uintmax_t)total);
	else
		snprintf(out, size, "%.1f/%.1f %s", (double)done / scale, (double)total / scale,
			 units[u]);
}

/*
 * Seconds left, from the share of the batch done: the mean of the shares of
 * files and of bytes, since small files cost per file and large ones per
 * byte. Negative when nothing is done yet.
 */
static double seconds_left(const struct scrub_progress *p, double elapsed)
{
	double share = p->total ? (double)p->done / (double)p->total : 1;
	if (p->total_bytes)
		share = (share + (double)p->bytes / (double)p->total_bytes) / 2;
	if (share <= 0)
		return -1;
	return share >= 1 ? 0 : elapsed * (1 - share) / share;
}

static void draw(struct scrub_progress *p, double t)
{
	double elapsed = t - p->start;
	double rate = elapsed > 0 ? (double)p->bytes / elapsed / 1e6 : 0;
	double left = seconds_left(p, elapsed);
	unsigned eta = left < 0 || left > MAX_ETA ? MAX_ETA : (unsigned)(left + 0.5);
	uint64_t total_bytes = p->total_bytes > p->bytes ? p->total_bytes : p->bytes;
	char bytes[48], line[160];
	format_bytes(bytes, sizeof bytes, p->bytes, total_bytes);
	int n = snprintf(line, sizeof line, "\rscrub: %zu/%zu files, %s, %.1f MB/s, %u:%02u:%02u left",
			 p->done, p->total, bytes, rate, eta / 3600, eta / 60 % 60, eta % 60);
	if (n < 0)
		return;
	if ((size_t)n > MAX_COLUMNS + 1) /* more than ten million files: drop the bytes */
		n = snprintf(line, sizeof line, "\rscrub: %zu/%zu files, %u:%02u:%02u left",
			     p->done, p->total, eta / 3600, eta / 60 % 60, eta % 60);
	if (n < 0 || (size_t)n > MAX_COLUMNS + 1)
		n = MAX_COLUMNS + 1;
	/* The line, then erase what a longer line drawn before left to its right. */
	snprintf(line + n, sizeof line - (size_t)n, "\033[K");
	scrub_msg_raw(line, (size_t)n + 3);
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
	if (t - p->start >= FIRST_DRAW_AFTER && t - p->last_draw >= REDRAW_EVERY)
		draw(p, t);
}

void scrub_progress_clear(struct scrub_progress *p)
{
	if (p->shown)
		scrub_msg_raw("\r\033[K", 4);
	p->shown = false;
}
