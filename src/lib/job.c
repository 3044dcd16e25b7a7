/*
 * The per-file job: open, read once, run the engine over the bytes in
 * memory, then audit or write. Everything it learns goes into the result;
 * the caller prints.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/input.h"
#include "lib/job.h"

/* Largest file read from disk; far above any photo, below what would exhaust memory. */
#define MAX_FILE_BYTES ((size_t)4 << 30)

void scrub_worker_init(struct scrub_worker *w)
{
	scrub_buf_init(&w->in, MAX_FILE_BYTES);
	scrub_engine_init(&w->engine);
}

void scrub_worker_free(struct scrub_worker *w)
{
	scrub_buf_free(&w->in);
	scrub_engine_free(&w->engine);
}

/*
 * SPEC 1.2 gives the original's owner "where permitted": when it was not,
 * the file is still replaced, and a warning names it and says who owns it.
 */
static void note_owner(struct scrub_result *r, const struct stat *orig,
		       const struct scrub_pending *pend)
{
	if (!pend->owner_err)
		return;
	char buf[128];
	size_t len = strlen(r->note);
	snprintf(r->note + len, sizeof r->note - len,
		 "%sowner %ju:%ju not kept (%s): the cleaned file belongs to %ju:%ju",
		 len ? "; " : "", (uintmax_t)orig->st_uid, (uintmax_t)orig->st_gid,
		 scrub_errno_text(pend->owner_err, buf, sizeof buf), (uintmax_t)pend->uid,
		 (uintmax_t)pend->gid);
}

/* After a durable rename, the folder's fsync: one file replaced alone. */
static void sync_folder(const char *target, struct scrub_result *r)
{
	char *dir = scrub_out_dir_of(target);
	char buf[128];
	if (!dir)
		scrub_result_fail(r, SCRUB_E_NOMEM, "cannot sync", "%s", scrub_strerror(SCRUB_E_NOMEM));
	else if (scrub_out_sync_dir(dir) != SCRUB_OK)
		scrub_result_fail(r, SCRUB_E_IO, "cannot sync", "directory '%s': %s", dir,
				  scrub_errno_text(errno, buf, sizeof buf));
	free(dir);
}

/* Replaces target now, or leaves *pending for the caller to sync and commit in a group. */
static void write_output(const struct scrub_job_opts *opt, const char *target,
			 const struct stat *st, const struct scrub_plan *plan,
			 struct scrub_result *r, struct scrub_pending **pending)
{
	struct scrub_write_opts wo = { .sync = opt->sync && (!pending || !SCRUB_SYNC_IN_GROUPS),
				       .swap = !opt->sync,
				       .preserve_times = opt->preserve_times };
	struct scrub_pending now, *pend = &now;
	if (pending && !(pend = *pending = malloc(sizeof **pending))) {
		scrub_result_fail(r, SCRUB_E_NOMEM, "cannot write", "%s", scrub_strerror(SCRUB_E_NOMEM));
		return;
	}
	enum scrub_status rs = scrub_out_prepare(target, st, plan, &wo, pend);
	if (rs == SCRUB_OK)
		note_owner(r, st, pend);
	if (rs == SCRUB_OK && !pending)
		rs = scrub_out_commit(pend);
	if (rs != SCRUB_OK && pending) {
		free(*pending);
		*pending = NULL;
	}
	if (rs != SCRUB_OK)
		scrub_result_fail_errno(r, "cannot write", errno);
	else if (!pending && wo.sync)
		sync_folder(target, r);
}

static void write_copy(const struct scrub_job_opts *opt, const struct scrub_item *it,
		       const struct stat *st, const struct scrub_plan *plan,
		       struct scrub_result *r, struct scrub_pending **pending)
{
	int same = scrub_out_same_file(it->out_path, st);
	if (same < 0) {
		scrub_result_fail_errno(r, "cannot write", errno);
		return;
	}
	if (same) {
		scrub_result_fail(r, SCRUB_E_SAME_FILE, "refusing", "output '%s' is the input itself",
				  it->out_path);
		return;
	}
	if (scrub_out_make_parents(it->out_path) != 0) {
		scrub_result_fail_errno(r, "cannot write", errno);
		return;
	}
	write_output(opt, it->out_path, st, plan, r, pending);
}

static void write_in_place(const struct scrub_job_opts *opt, const char *target,
			   const struct stat *st, const struct scrub_plan *plan,
			   struct scrub_result *r, struct scrub_pending **pending)
{
	if (st->st_nlink > 1 && !opt->force) {
		scrub_result_fail(r, SCRUB_E_HARDLINK, "refusing",
				  "%ju hard links: the other names would keep the metadata (use --force)",
				  (uintmax_t)st->st_nlink);
		return;
	}
	if (st->st_nlink > 1)
		snprintf(r->note, sizeof r->note, "replaced one of %ju hard links; the others keep the metadata",
			 (uintmax_t)st->st_nlink);
	write_output(opt, target, st, plan, r, pending);
}

/*
 * Runs the engine over w->in and sets the outcome. True when the caller
 * has output to write (scrub mode, analysis succeeded).
 */
static bool judge(const struct scrub_job_opts *opt, const struct scrub_item *it,
		  struct scrub_worker *w, struct scrub_result *r, bool *changed)
{
	const struct scrub_request *rq = &opt->request;
	if (!scrub_engine_run(&w->engine, rq, w->in.data, w->in.len, r, changed)) {
		/* In a walk, files that are not images are passed over quietly. */
		if (r->status == SCRUB_E_NOT_IMAGE && it->from_walk) {
			r->outcome = SCRUB_RES_SKIPPED;
			r->error[0] = '\0';
		}
		return false;
	}
	if (rq->mode != SCRUB_MODE_SCRUB) {
		r->outcome = *changed ? SCRUB_RES_DIRTY : SCRUB_RES_CLEAN;
		return false;
	}
	r->outcome = *changed ? SCRUB_RES_SCRUBBED : SCRUB_RES_CLEAN;
	return true;
}

static void process_file(const struct scrub_job_opts *opt, const struct scrub_item *it,
			 struct scrub_worker *w, struct scrub_result *r,
			 struct scrub_pending **pending)
{
	struct scrub_input in;
	const char *verb;
	enum scrub_status st = scrub_in_load(it->path, it->from_walk, &in, &w->in, &verb);
	if (st == SCRUB_E_IO) {
		scrub_result_fail_errno(r, verb, errno);
		return;
	}
	if (st != SCRUB_OK) {
		scrub_result_fail(r, st, st == SCRUB_E_NOT_REGULAR ? "cannot scrub" : "cannot read",
				  "%s", scrub_strerror(st));
		return;
	}
	bool changed = false;
	if (!judge(opt, it, w, r, &changed))
		return;
	const struct scrub_plan *plan = &w->engine.plan;
	if (opt->to_stdout) {
		if (scrub_out_stdout(plan) != SCRUB_OK)
			scrub_result_fail_errno(r, "cannot write", errno);
	} else if (it->out_path) {
		write_copy(opt, it, &in.st, plan, r, pending);
	} else if (changed) {
		write_in_place(opt, in.target, &in.st, plan, r, pending);
	}
}

static void process_stdin(const struct scrub_job_opts *opt, const struct scrub_item *it,
			  struct scrub_worker *w, struct scrub_result *r)
{
	enum scrub_status st = scrub_in_load_stdin(&w->in, opt->stdin_limit);
	if (st == SCRUB_E_LIMIT) {
		scrub_result_fail(r, st, "cannot read", "input larger than --stdin-limit");
		return;
	}
	if (st != SCRUB_OK) {
		scrub_result_fail_errno(r, "cannot read", errno);
		return;
	}
	bool changed = false;
	if (!judge(opt, it, w, r, &changed))
		return;
	if (scrub_out_stdout(&w->engine.plan) != SCRUB_OK)
		scrub_result_fail_errno(r, "cannot write", errno);
}

void scrub_job_process(const struct scrub_job_opts *opt, const struct scrub_item *it,
		       struct scrub_worker *w, struct scrub_result *r,
		       struct scrub_pending **pending)
{
	if (pending)
		*pending = NULL;
	if (it->error != SCRUB_OK) {
		if (it->error_text)
			scrub_result_fail(r, it->error, "cannot scrub", "%s", it->error_text);
		else
			scrub_result_fail_errno(r, "cannot read", it->error_errno);
		return;
	}
	if (it->is_stdin)
		process_stdin(opt, it, w, r);
	else
		process_file(opt, it, w, r, pending);
}
