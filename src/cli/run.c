/*
 * A run: expand arguments into items, process them on a worker pool, print
 * each result in input order, then the summary and the exit code.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/msg.h"
#include "cli/progress.h"
#include "cli/run.h"
#include "io/input.h"
#include "io/output.h"
#include "io/pool.h"
#include "io/tempfiles.h"
#include "lib/job.h"
#include "report/report.h"

/* Cap for a --files-from list. */
#define MAX_LIST_BYTES ((size_t)1 << 30)

/*
 * Durable batches sync in groups: temps are written unsynced, then one
 * syncfs per filesystem makes a whole group durable before its renames,
 * and one fsync per folder makes the renames durable.
 * A group closes at this many files or bytes.
 *
 * Every temp of a group and of the files the workers run ahead on exists
 * until its rename, so a crash can leave GROUP_FILES + AHEAD_FILES - 1 of
 * them (the man page's SAFETY section says 95; it was 64 + 256 before).
 * Each group costs two journal commits (about 5 ms each here), so groups
 * stay at 64 files; half a group ahead keeps both workers busy while small
 * files flush (on 1000 small and 40 camera JPEGs, groups and windows of
 * 16 to 64 files all ran within noise of each other).
 */
#define GROUP_FILES 64
#define AHEAD_FILES 32
#define GROUP_BYTES ((size_t)256 << 20)
/* Otherwise workers may run this far ahead of the printer: bounds memory only. */
#define AHEAD_RESULTS 256
/* Results held behind an open group, clean ones included; bounds memory. */
#define MAX_HELD 512

/* One file done: its result and, in a durable batch, the temp awaiting its group's sync. */
struct done {
	struct scrub_result r;
	struct scrub_pending *pending;
	char *dir;             /* renamed into this folder, which the group then fsyncs */
};

struct batch {
	const struct scrub_options *opt;
	struct scrub_job_opts job;
	struct scrub_report_style style;
	struct scrub_items items;
	struct done **done;    /* allocated by a worker, freed once printed */
	struct scrub_worker *workers;
	bool defer_commit;
	FILE *report_fp;       /* stdout, or stderr when stdout carries an image */
	struct scrub_progress progress;
	struct done **held;    /* waiting for their group's sync */
	size_t nheld;
	size_t held_files;
	size_t held_bytes;
	size_t count[SCRUB_RES_ERROR + 1];
	size_t verdicts[SCRUB_VERDICT_COUNT];
};

static void work(void *ctx, size_t i, unsigned worker)
{
	struct batch *b = ctx;
	struct done *d = malloc(sizeof *d);
	b->done[i] = d;
	if (!d)
		return;
	d->pending = NULL;
	d->dir = NULL;
	struct scrub_result *r = &d->r;
	scrub_result_init(r, b->items.v[i].path);
	if (scrub_temp_interrupted()) {
		r->outcome = SCRUB_RES_ERROR;
		snprintf(r->error, sizeof r->error, "interrupted");
		return;
	}
	scrub_job_process(&b->job, &b->items.v[i], &b->workers[worker], r,
			  b->defer_commit ? &d->pending : NULL);
}

static void print_result(struct batch *b, struct done *d)
{
	struct scrub_result *r = &d->r;
	struct scrub_buf out;
	scrub_buf_init(&out, (size_t)1 << 30);
	if (b->opt->json)
		scrub_report_json(&out, r, &b->style);
	else
		scrub_report_text(&out, r, &b->style);
	bool failed = r->outcome == SCRUB_RES_ERROR || r->outcome == SCRUB_RES_UNSUPPORTED;
	/* Only a file that prints takes the progress line off; the next draw brings it back. */
	if (out.len || failed || r->note[0])
		scrub_progress_clear(&b->progress);
	if (out.len)
		fwrite(out.data, 1, out.len, b->report_fp);
	scrub_buf_free(&out);
	if (failed) {
		fflush(b->report_fp);
		scrub_msg_error("%s", r->error);
	} else if (r->note[0]) { /* names a risk the user took: shown even with -q */
		scrub_msg_warn("'%s': %s", r->name, r->note);
	}
	b->count[r->outcome]++;
	if (r->outcome == SCRUB_RES_DIRTY || r->outcome == SCRUB_RES_CLEAN)
		b->verdicts[scrub_result_verdict(r)]++;
	if (d->pending) {
		scrub_out_discard(d->pending);
		free(d->pending);
	}
	free(d->dir);
	scrub_result_free(r);
	free(d);
}

/* Marks a held file failed: its temp is not known to be durable, so no rename. */
static void fail_held(struct done *d, const char *verb, const char *reason)
{
	char buf[128];
	scrub_result_fail(&d->r, SCRUB_E_IO, verb, "%s",
			  reason ? reason : scrub_errno_text(errno, buf, sizeof buf));
}

/* Makes every held temp durable: one syncfs per filesystem. */
static void sync_held(struct batch *b)
{
	for (size_t i = 0; i < b->nheld; i++) {
		struct done *d = b->held[i];
		if (!d->pending)
			continue;
		const struct done *first = NULL; /* synced this file system already */
		for (size_t j = 0; j < i && !first; j++)
			if (b->held[j]->pending && b->held[j]->pending->dev == d->pending->dev)
				first = b->held[j];
		if (!first && scrub_out_sync_fs(d->pending) != SCRUB_OK)
			fail_held(d, "cannot sync", NULL);
		else if (first && first->r.outcome == SCRUB_RES_ERROR)
			fail_held(d, "cannot sync", "the file system reported an error (see above)");
	}
}

/* Renames every durable held temp over its target, noting the folder it went into. */
static void commit_held(struct batch *b)
{
	for (size_t i = 0; i < b->nheld; i++) {
		struct done *d = b->held[i];
		if (!d->pending || d->r.outcome == SCRUB_RES_ERROR)
			continue;
		d->dir = scrub_out_dir_of(d->pending->target);
		if (!d->dir) {
			fail_held(d, "cannot replace", scrub_strerror(SCRUB_E_NOMEM));
			scrub_out_discard(d->pending);
		} else if (scrub_out_commit(d->pending) != SCRUB_OK) {
			fail_held(d, "cannot replace", NULL);
			free(d->dir);
			d->dir = NULL;
		}
		free(d->pending);
		d->pending = NULL;
	}
}

/*
 * One fsync per folder that received renames, so after a power loss the
 * names hold the clean files; if it fails, every file renamed there fails.
 */
static void sync_held_dirs(struct batch *b)
{
	for (size_t i = 0; i < b->nheld; i++) {
		const char *dir = b->held[i]->dir;
		bool seen = false;
		for (size_t j = 0; j < i && !seen && dir; j++)
			seen = b->held[j]->dir && !strcmp(b->held[j]->dir, dir);
		if (!dir || seen || scrub_out_sync_dir(dir) == SCRUB_OK)
			continue;
		char buf[128], why[PATH_MAX + 160];
		snprintf(why, sizeof why, "directory '%s': %s", dir, scrub_errno_text(errno, buf, sizeof buf));
		for (size_t k = i; k < b->nheld; k++)
			if (b->held[k]->dir && !strcmp(b->held[k]->dir, dir))
				fail_held(b->held[k], "cannot sync", why);
	}
}

/* Syncs the held temps, renames them, syncs their folders, prints in order. */
static void flush_group(struct batch *b)
{
	sync_held(b);
	commit_held(b);
	sync_held_dirs(b);
	for (size_t i = 0; i < b->nheld; i++)
		print_result(b, b->held[i]);
	b->nheld = 0;
	b->held_files = 0;
	b->held_bytes = 0;
}

static void emit(void *ctx, size_t i)
{
	struct batch *b = ctx;
	struct done *d = b->done[i];
	b->done[i] = NULL;
	if (!d) {
		scrub_msg_error("out of memory");
		b->count[SCRUB_RES_ERROR]++;
		return;
	}
	scrub_progress_step(&b->progress, d->r.bytes_in);
	if (!d->pending && b->nheld == 0) {
		print_result(b, d);
		return;
	}
	b->held[b->nheld++] = d;
	if (d->pending) {
		b->held_files++;
		b->held_bytes += d->r.bytes_out;
	}
	if (b->held_files >= GROUP_FILES || b->held_bytes >= GROUP_BYTES || b->nheld == MAX_HELD ||
	    i + 1 == b->items.n)
		flush_group(b);
}

/* Splits a --files-from list on '\n' or NUL; empty entries are ignored. */
static int read_list(const struct scrub_options *opt, struct scrub_buf *list, char ***names,
		     size_t *count)
{
	int fd = strcmp(opt->files_from, "-") ? open(opt->files_from, O_RDONLY | O_CLOEXEC)
					       : STDIN_FILENO;
	if (fd < 0)
		return -1;
	enum scrub_status st = scrub_in_read_all(fd, 0, list);
	if (fd != STDIN_FILENO)
		close(fd);
	if (st != SCRUB_OK || scrub_buf_append(list, "", 1) != SCRUB_OK)
		return -1;
	char sep = opt->null_sep ? '\0' : '\n';
	size_t n = 0, cap = 0;
	char **v = NULL;
	for (size_t pos = 0; pos + 1 < list->len;) {
		char *s = (char *)list->data + pos;
		char *end = memchr(s, sep, list->len - 1 - pos);
		size_t len = end ? (size_t)(end - s) : list->len - 1 - pos;
		s[len] = '\0';
		pos += len + 1;
		if (len == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nv = realloc(v, cap * sizeof *nv);
			if (!nv) {
				free(v);
				return -1;
			}
			v = nv;
		}
		v[n++] = s;
	}
	*names = v;
	*count = n;
	return 0;
}

static int cmp_out_path(const void *a, const void *b)
{
	const struct scrub_item *x = *(const struct scrub_item *const *)a;
	const struct scrub_item *y = *(const struct scrub_item *const *)b;
	int c = strcmp(x->out_path, y->out_path);
	return c ? c : (x > y) - (x < y); /* same name: input order */
}

/*
 * With -o, two inputs may map to one output name (a/x.jpg and b/x.jpg on
 * the command line): the first keeps it, later ones are refused instead of
 * silently replacing its copy.
 */
static int refuse_output_clashes(struct scrub_items *items)
{
	struct scrub_item **v = malloc((items->n ? items->n : 1) * sizeof *v);
	if (!v)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < items->n; i++)
		if (items->v[i].out_path && items->v[i].error == SCRUB_OK)
			v[n++] = &items->v[i];
	qsort(v, n, sizeof *v, cmp_out_path);
	for (size_t i = 1; i < n; i++) {
		if (strcmp(v[i - 1]->out_path, v[i]->out_path) != 0)
			continue;
		v[i]->error = SCRUB_E_SAME_FILE;
		v[i]->error_text = "its -o output name is also that of an earlier input";
	}
	free(v);
	return 0;
}

/* Temps of killed runs the walk removed: said even with -q, since files went. */
static void report_stale(struct batch *b)
{
	for (size_t i = 0; i < b->items.nstale; i++) {
		const struct scrub_stale *s = &b->items.stale[i];
		char buf[128];
		if (!s->err) {
			scrub_msg_warn("removed '%s', left by scrub process %ld, which no longer runs",
				       s->path, s->pid);
			continue;
		}
		scrub_msg_error("cannot remove '%s', left by scrub process %ld, which no longer runs: %s",
				s->path, s->pid, scrub_errno_text(s->err, buf, sizeof buf));
		b->count[SCRUB_RES_ERROR]++;
	}
}

static int expand(const struct scrub_options *opt, struct batch *b, struct scrub_buf *list)
{
	struct scrub_walk_opts wo = { .recursive = opt->recursive, .output_dir = opt->output_dir,
				      .remove_stale = opt->mode == SCRUB_MODE_SCRUB };
	struct stat st;
	if (opt->output_dir && stat(opt->output_dir, &st) == 0) {
		wo.output_exists = true;
		wo.output_dev = st.st_dev;
		wo.output_ino = st.st_ino;
	} else if (opt->output_dir && errno != ENOENT && errno != ENOTDIR) {
		/*
		 * It may exist, unknown to the walk, which could then take its
		 * copies for inputs; ENOENT and ENOTDIR say it does not.
		 */
		char buf[128];
		scrub_msg_error("cannot use output directory '%s': %s", opt->output_dir,
				scrub_errno_text(errno, buf, sizeof buf));
		return -1;
	}
	char **names = NULL;
	size_t nnames = 0;
	if (opt->files_from && read_list(opt, list, &names, &nnames) != 0) {
		char buf[128];
		scrub_msg_error("cannot read list '%s': %s", opt->files_from,
				scrub_errno_text(errno ? errno : ENOMEM, buf, sizeof buf));
		return -1;
	}
	enum scrub_status st2 = SCRUB_OK;
	for (size_t i = 0; i < opt->npaths && st2 == SCRUB_OK; i++)
		st2 = scrub_walk_arg(opt->paths[i], &wo, &b->items);
	for (size_t i = 0; i < nnames && st2 == SCRUB_OK; i++)
		st2 = scrub_walk_arg(names[i], &wo, &b->items);
	free(names);
	if (st2 == SCRUB_OK && opt->output_dir && refuse_output_clashes(&b->items) != 0)
		st2 = SCRUB_E_NOMEM;
	if (st2 != SCRUB_OK) {
		scrub_msg_error("cannot list inputs: %s", scrub_strerror(st2));
		return -1;
	}
	report_stale(b);
	return 0;
}

static bool image_to_stdout(const struct scrub_options *opt, const struct scrub_items *items)
{
	if (opt->mode != SCRUB_MODE_SCRUB)
		return false;
	if (opt->to_stdout)
		return true;
	for (size_t i = 0; i < items->n; i++)
		if (items->v[i].is_stdin)
			return true;
	return false;
}

/*
 * After a text report of several files, one line on what the batch gives
 * away, each verdict that some file has, in verdict order: "12 files: 3
 * location, 2 identity, 1 prompt, 3 time, 3 clean, 0 failed". It is part
 * of the report, so it goes with it to standard output.
 */
static void report_summary(const struct batch *b)
{
	const struct scrub_options *opt = b->opt;
	if (opt->mode != SCRUB_MODE_REPORT || opt->json || opt->quiet || b->items.n < 2)
		return;
	fprintf(b->report_fp, "%zu files:", b->items.n);
	const char *sep = "";
	for (unsigned v = 0; v < SCRUB_VERDICT_COUNT; v++) {
		if (!b->verdicts[v])
			continue;
		fprintf(b->report_fp, "%s %zu %s", sep, b->verdicts[v], scrub_verdict_name(v));
		sep = ",";
	}
	if (b->count[SCRUB_RES_SKIPPED]) {
		fprintf(b->report_fp, "%s %zu skipped", sep, b->count[SCRUB_RES_SKIPPED]);
		sep = ",";
	}
	if (b->count[SCRUB_RES_UNSUPPORTED]) {
		fprintf(b->report_fp, "%s %zu unsupported", sep, b->count[SCRUB_RES_UNSUPPORTED]);
		sep = ",";
	}
	fprintf(b->report_fp, "%s %zu failed\n", sep, b->count[SCRUB_RES_ERROR]);
}

static void summary(const struct batch *b)
{
	const size_t *c = b->count;
	if (b->opt->quiet || b->opt->json || b->items.n < 2 || !isatty(STDERR_FILENO))
		return;
	char unsupported[64] = "";
	if (c[SCRUB_RES_UNSUPPORTED])
		snprintf(unsupported, sizeof unsupported, ", %zu unsupported", c[SCRUB_RES_UNSUPPORTED]);
	char line[256];
	int n;
	if (b->opt->mode == SCRUB_MODE_SCRUB)
		n = snprintf(line, sizeof line, "scrub: %zu scrubbed, %zu already clean, %zu skipped%s, %zu failed\n",
			     c[SCRUB_RES_SCRUBBED], c[SCRUB_RES_CLEAN], c[SCRUB_RES_SKIPPED], unsupported,
			     c[SCRUB_RES_ERROR]);
	else
		n = snprintf(line, sizeof line, "scrub: %zu with metadata, %zu clean, %zu skipped%s, %zu failed\n",
			     c[SCRUB_RES_DIRTY], c[SCRUB_RES_CLEAN], c[SCRUB_RES_SKIPPED], unsupported,
			     c[SCRUB_RES_ERROR]);
	if (n > 0)
		scrub_msg_raw(line, (size_t)n);
}


/* Colour only on a terminal, and never when NO_COLOR is set (no-color.org) or TERM=dumb. */
static bool colour_wanted(int fd)
{
	const char *no = getenv("NO_COLOR");
	const char *term = getenv("TERM");
	return isatty(fd) && !(no && no[0]) && !(term && !strcmp(term, "dumb"));
}

static int process_all(const struct scrub_options *opt, struct batch *b)
{
	unsigned jobs = opt->jobs ? opt->jobs : scrub_pool_cpus();
	if (jobs > b->items.n)
		jobs = b->items.n ? (unsigned)b->items.n : 1;
	b->done = calloc(b->items.n ? b->items.n : 1, sizeof *b->done);
	b->workers = calloc(jobs, sizeof *b->workers);
	b->held = calloc(b->items.n < MAX_HELD ? b->items.n + 1 : MAX_HELD, sizeof *b->held);
	if (!b->done || !b->workers || !b->held)
		return -1;
	/* One file gains nothing from grouping: sync it directly. */
	b->defer_commit = opt->sync && opt->mode == SCRUB_MODE_SCRUB && b->items.n > 1;
	scrub_progress_init(&b->progress, !opt->quiet && isatty(STDERR_FILENO) && b->items.n > 1,
			    b->items.n, b->items.bytes);
	for (unsigned t = 0; t < jobs; t++)
		scrub_worker_init(&b->workers[t]);
	int rc = scrub_pool_run(b->items.n, jobs, b->defer_commit ? AHEAD_FILES : AHEAD_RESULTS,
				work, emit, b);
	if (b->nheld)
		flush_group(b);
	scrub_progress_clear(&b->progress);
	for (unsigned t = 0; t < jobs; t++)
		scrub_worker_free(&b->workers[t]);
	return rc;
}

int scrub_run(const struct scrub_options *opt)
{
	scrub_temp_install_signals();
	struct batch b = { .opt = opt };
	b.job = (struct scrub_job_opts){
		.request = { .mode = opt->mode, .policy = opt->policy, .verify = opt->verify,
			     /* -v lines and JSON name what was found, not just reports */
			     .describe = opt->mode == SCRUB_MODE_REPORT || opt->json || opt->verbose,
			     .tags = opt->mode == SCRUB_MODE_REPORT && opt->verbose },
		.to_stdout = opt->to_stdout, .sync = opt->sync, .force = opt->force,
		.preserve_times = opt->preserve_times, .stdin_limit = opt->stdin_limit,
	};
	b.style = (struct scrub_report_style){ .mode = opt->mode, .verbose = opt->verbose };
	struct scrub_buf list;
	scrub_buf_init(&list, MAX_LIST_BYTES);
	int exit_code = SCRUB_EXIT_TROUBLE;
	if (expand(opt, &b, &list) != 0)
		goto out;
	bool image_out = image_to_stdout(opt, &b.items);
	if (image_out && isatty(STDOUT_FILENO)) {
		scrub_msg_error("refusing to write image data to a terminal (redirect stdout)");
		goto out;
	}
	b.report_fp = image_out ? stderr : stdout;
	b.style.color = !opt->json && colour_wanted(fileno(b.report_fp));
	if (process_all(opt, &b) != 0) {
		scrub_msg_error("cannot start workers: out of memory");
		goto out;
	}
	report_summary(&b);
	fflush(b.report_fp);
	summary(&b);
	/* A file that cannot be cleaned is trouble when cleaning, a finding when auditing. */
	size_t unsupported = b.count[SCRUB_RES_UNSUPPORTED];
	if (b.count[SCRUB_RES_ERROR] || (opt->mode == SCRUB_MODE_SCRUB && unsupported))
		exit_code = SCRUB_EXIT_TROUBLE;
	else if (opt->mode != SCRUB_MODE_SCRUB && (b.count[SCRUB_RES_DIRTY] || unsupported))
		exit_code = SCRUB_EXIT_FOUND;
	else
		exit_code = SCRUB_EXIT_OK;
out:
	free(b.held);
	free(b.done);
	free(b.workers);
	scrub_items_free(&b.items);
	scrub_buf_free(&list);
	return exit_code;
}
