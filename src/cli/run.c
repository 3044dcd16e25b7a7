/*
 * A run: walk the arguments, feeding each item to a worker pool as it is
 * met, print each result in input order, then the summary and the exit
 * code. Nothing is kept per file once it is printed, so memory does not
 * grow with the tree (except the -o names of a run with several arguments,
 * which must be compared).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/strset.h"
#include "cli/msg.h"
#include "cli/progress.h"
#include "cli/run.h"
#include "io/input.h"
#include "io/output.h"
#include "io/pool.h"
#include "io/tempfiles.h"
#include "io/walk.h"
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
	struct scrub_item item;  /* the result names it, so it lives as long */
	struct scrub_result r;
	struct scrub_pending *pending;
	char *dir;             /* renamed into this folder, which the group then fsyncs */
};

/* An item fed to the pool: it moves into its done once a worker takes it. */
struct slot {
	struct scrub_item item;
	struct done *done;     /* allocated by a worker, freed once printed */
};

struct batch {
	const struct scrub_options *opt;
	struct scrub_job_opts job;
	struct scrub_report_style style;
	struct scrub_pool *pool;
	struct slot *ring;     /* item i in ring[i % window] */
	size_t window;
	struct scrub_item first; /* held until a second item says it is a batch */
	size_t nitems;
	bool pool_failed;
	bool check_outputs;    /* -o with several arguments: their names may clash */
	struct scrub_strset outputs;
	struct scrub_worker *workers;
	unsigned jobs;
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
	struct slot *s = &b->ring[i % b->window];
	struct done *d = malloc(sizeof *d);
	s->done = d;
	if (!d)
		return;
	d->item = s->item;
	memset(&s->item, 0, sizeof s->item);
	d->pending = NULL;
	d->dir = NULL;
	struct scrub_result *r = &d->r;
	scrub_result_init(r, d->item.path);
	if (scrub_temp_interrupted()) {
		r->outcome = SCRUB_RES_ERROR;
		snprintf(r->error, sizeof r->error, "interrupted");
		return;
	}
	scrub_job_process(&b->job, &d->item, &b->workers[worker], r,
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
	scrub_item_free(&d->item);
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
	struct slot *s = &b->ring[i % b->window];
	struct done *d = s->done;
	s->done = NULL;
	if (!d) {
		scrub_item_free(&s->item);
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
	if (b->held_files >= GROUP_FILES || b->held_bytes >= GROUP_BYTES || b->nheld == MAX_HELD)
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

/* A temp a killed run left, met by the walk: said even with -q, since a file went. */
static void on_stale(void *ctx, const char *path, long pid, int err)
{
	struct batch *b = ctx;
	char buf[128];
	scrub_progress_clear(&b->progress);
	if (!err) {
		scrub_msg_warn("removed '%s', left by scrub process %ld, which no longer runs", path, pid);
		return;
	}
	scrub_msg_error("cannot remove '%s', left by scrub process %ld, which no longer runs: %s", path,
			pid, scrub_errno_text(err, buf, sizeof buf));
	b->count[SCRUB_RES_ERROR]++;
}

/* A batch of one file syncs it directly; a real batch groups its syncs and runs ahead. */
static int start_pool(struct batch *b, bool batch)
{
	const struct scrub_options *opt = b->opt;
	b->defer_commit = batch && opt->sync && opt->mode == SCRUB_MODE_SCRUB;
	b->window = b->defer_commit ? AHEAD_FILES : AHEAD_RESULTS;
	b->jobs = !batch ? 1 : opt->jobs ? opt->jobs : scrub_pool_cpus();
	b->ring = calloc(b->window, sizeof *b->ring);
	b->workers = calloc(b->jobs, sizeof *b->workers);
	b->held = calloc(MAX_HELD, sizeof *b->held);
	if (!b->ring || !b->workers || !b->held) {
		b->jobs = 0; /* no worker to free */
		return -1;
	}
	for (unsigned t = 0; t < b->jobs; t++)
		scrub_worker_init(&b->workers[t]);
	b->pool = scrub_pool_new(b->jobs, b->window, work, emit, b);
	return b->pool ? 0 : -1;
}

static void feed(struct batch *b, struct scrub_item *it)
{
	size_t i = scrub_pool_reserve(b->pool);
	b->ring[i % b->window].item = *it;
	scrub_pool_submit(b->pool);
}

/*
 * With -o, two inputs may map to one output name (a/x.jpg and b/x.jpg on
 * the command line): the first keeps it, later ones are refused instead of
 * silently replacing its copy.
 */
static int refuse_output_clash(struct batch *b, struct scrub_item *it)
{
	if (!b->check_outputs || !it->out_path || it->error != SCRUB_OK)
		return 0;
	int added = scrub_strset_add(&b->outputs, it->out_path);
	if (added == 0) {
		it->error = SCRUB_E_SAME_FILE;
		it->error_text = "its -o output name is also that of an earlier input";
	}
	return added < 0 ? -1 : 0;
}

/* The walk's taker: the first item waits for a second, which starts the batch. */
static enum scrub_status take_item(void *ctx, struct scrub_item *it)
{
	struct batch *b = ctx;
	if (b->pool_failed || refuse_output_clash(b, it) != 0) {
		scrub_item_free(it);
		return SCRUB_E_NOMEM;
	}
	if (b->nitems++ == 0) {
		b->first = *it;
		return SCRUB_OK;
	}
	if (!b->pool) {
		if (start_pool(b, true) != 0) {
			b->pool_failed = true;
			scrub_item_free(&b->first);
			scrub_item_free(it);
			return SCRUB_E_NOMEM;
		}
		feed(b, &b->first);
	}
	feed(b, it);
	return SCRUB_OK;
}

/* Counts what a walk will meet, for the progress line's totals. */
static enum scrub_status count_item(void *ctx, struct scrub_item *it)
{
	struct scrub_progress *p = ctx;
	p->total++;
	p->total_bytes += it->size;
	scrub_item_free(it);
	return SCRUB_OK;
}

static void ignore_stale(void *ctx, const char *path, long pid, int err)
{
	(void)ctx, (void)path, (void)pid, (void)err;
}

/* Walks every argument, then every listed name, with the walk w; stops at an error. */
static enum scrub_status walk_all(const struct scrub_options *opt, char **names, size_t nnames,
				  struct scrub_walk *w)
{
	enum scrub_status st = SCRUB_OK;
	for (size_t i = 0; i < opt->npaths && st == SCRUB_OK; i++)
		st = scrub_walk_arg(w, opt->paths[i]);
	for (size_t i = 0; i < nnames && st == SCRUB_OK; i++)
		st = scrub_walk_arg(w, names[i]);
	return st;
}

/*
 * The progress line's totals come from a walk that only counts, taken when
 * the line will show: on a terminal, where a person waits, it costs a
 * second pass over the folders (cached by then) and no memory per file.
 */
static void start_progress(const struct scrub_options *opt, char **names, size_t nnames,
			   struct batch *b, const struct scrub_walk *w)
{
	bool wanted = !opt->quiet && isatty(STDERR_FILENO);
	struct scrub_progress count = { 0 };
	if (wanted) {
		struct scrub_walk counter = *w;
		counter.remove_stale = false;
		counter.item = count_item;
		counter.stale = ignore_stale;
		counter.ctx = &count;
		walk_all(opt, names, nnames, &counter);
	}
	scrub_progress_init(&b->progress, wanted && count.total > 1, count.total, count.total_bytes);
}

/* Whether the image goes to standard output: -c, or a "-" among the inputs. */
static bool image_to_stdout(const struct scrub_options *opt, char **names, size_t nnames)
{
	if (opt->mode != SCRUB_MODE_SCRUB)
		return false;
	bool dash = opt->to_stdout;
	for (size_t i = 0; i < opt->npaths; i++)
		dash = dash || !strcmp(opt->paths[i], "-");
	for (size_t i = 0; i < nnames; i++)
		dash = dash || !strcmp(names[i], "-");
	return dash;
}

/* The walk's settings; -1 when the -o directory cannot be looked at. */
static int init_walk(const struct scrub_options *opt, struct batch *b, struct scrub_walk *w)
{
	*w = (struct scrub_walk){ .recursive = opt->recursive, .output_dir = opt->output_dir,
				  .remove_stale = opt->mode == SCRUB_MODE_SCRUB, .item = take_item,
				  .stale = on_stale, .ctx = b };
	struct stat st;
	if (opt->output_dir && stat(opt->output_dir, &st) == 0) {
		w->output_known = true;
		w->output_dev = st.st_dev;
		w->output_ino = st.st_ino;
	} else if (opt->output_dir && errno != ENOENT && errno != ENOTDIR) {
		/*
		 * It may exist, unknown to the walk, which could then take its
		 * copies for inputs; ENOENT and ENOTDIR say it does not (yet:
		 * the walk looks again at each folder).
		 */
		char buf[128];
		scrub_msg_error("cannot use output directory '%s': %s", opt->output_dir,
				scrub_errno_text(errno, buf, sizeof buf));
		return -1;
	}
	return 0;
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
	if (opt->mode != SCRUB_MODE_REPORT || opt->json || opt->quiet || b->nitems < 2)
		return;
	fprintf(b->report_fp, "%zu files:", b->nitems);
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
	if (b->opt->quiet || b->opt->json || b->nitems < 2 || !isatty(STDERR_FILENO))
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

/*
 * Walks and processes everything: items go to the pool as the walk meets
 * them. -1 when workers could not start (nothing was processed then).
 */
static int process_all(const struct scrub_options *opt, char **names, size_t nnames,
		       struct batch *b, struct scrub_walk *w)
{
	enum scrub_status st = walk_all(opt, names, nnames, w);
	if (b->nitems == 1 && !b->pool) {
		if (start_pool(b, false) != 0)
			b->pool_failed = true;
		else
			feed(b, &b->first);
	}
	scrub_pool_finish(b->pool);
	b->pool = NULL;
	if (b->nheld)
		flush_group(b);
	scrub_progress_clear(&b->progress);
	if (b->pool_failed) {
		scrub_item_free(&b->first);
		return -1;
	}
	if (st != SCRUB_OK) {
		scrub_msg_error("cannot list inputs: %s", scrub_strerror(st));
		b->count[SCRUB_RES_ERROR]++;
	}
	return 0;
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
	char **names = NULL;
	size_t nnames = 0;
	int exit_code = SCRUB_EXIT_TROUBLE;
	struct scrub_walk walk;
	if (init_walk(opt, &b, &walk) != 0)
		goto out;
	if (opt->files_from && read_list(opt, &list, &names, &nnames) != 0) {
		char buf[128];
		scrub_msg_error("cannot read list '%s': %s", opt->files_from,
				scrub_errno_text(errno ? errno : ENOMEM, buf, sizeof buf));
		goto out;
	}
	b.check_outputs = opt->output_dir && opt->npaths + nnames > 1;
	bool image_out = image_to_stdout(opt, names, nnames);
	if (image_out && isatty(STDOUT_FILENO)) {
		scrub_msg_error("refusing to write image data to a terminal (redirect stdout)");
		goto out;
	}
	b.report_fp = image_out ? stderr : stdout;
	b.style.color = !opt->json && colour_wanted(fileno(b.report_fp));
	start_progress(opt, names, nnames, &b, &walk);
	if (process_all(opt, names, nnames, &b, &walk) != 0) {
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
	for (unsigned t = 0; t < b.jobs; t++)
		scrub_worker_free(&b.workers[t]);
	free(b.held);
	free(b.ring);
	free(b.workers);
	scrub_strset_free(&b.outputs);
	free(names);
	scrub_buf_free(&list);
	return exit_code;
}
