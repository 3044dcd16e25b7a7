/*
 * The public API (include/scrub.h) over the engine and the file job. A
 * context is one worker: its buffers are reused from call to call, so a
 * service that scrubs many images pays for memory once.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/job.h"
#include "report/report.h"
#include "scrub.h"

/* The name a buffer gets in messages and in the report's "file" member. */
#define BUFFER_NAME "-"

struct scrub_ctx {
	struct scrub_job_opts opts;
	struct scrub_worker worker;
	char error[1024];
};

scrub_ctx *scrub_ctx_new(unsigned keep, unsigned flags)
{
	scrub_ctx *ctx = calloc(1, sizeof *ctx);
	if (!ctx)
		return NULL;
	ctx->opts = (struct scrub_job_opts){
		.request = { .mode = SCRUB_MODE_SCRUB,
			     .policy = { .keep_orientation = keep & SCRUB_KEEP_ORIENTATION,
					 .keep_icc = keep & SCRUB_KEEP_ICC },
			     .verify = flags & SCRUB_VERIFY },
		.sync = !(flags & SCRUB_NO_SYNC),
		.force = flags & SCRUB_FORCE,
		.preserve_times = flags & SCRUB_PRESERVE_TIMES,
	};
	scrub_worker_init(&ctx->worker);
	return ctx;
}

void scrub_ctx_free(scrub_ctx *ctx)
{
	if (!ctx)
		return;
	scrub_worker_free(&ctx->worker);
	free(ctx);
}

const char *scrub_ctx_error(const scrub_ctx *ctx)
{
	return ctx->error;
}

/* Keeps the result's message for scrub_ctx_error and returns its status. */
static enum scrub_status finish(scrub_ctx *ctx, struct scrub_result *r)
{
	bool failed = r->outcome == SCRUB_RES_ERROR || r->outcome == SCRUB_RES_UNSUPPORTED;
	enum scrub_status st = failed ? r->status : SCRUB_OK;
	if (st == SCRUB_OK && failed)
		st = SCRUB_E_IO; /* a failure that carried no status of its own */
	memcpy(ctx->error, r->error, sizeof ctx->error);
	if (st == SCRUB_OK)
		ctx->error[0] = '\0';
	scrub_result_free(r);
	return st;
}

/* Runs the engine over a caller's buffer under mode; false with r failed. */
static bool run(scrub_ctx *ctx, enum scrub_mode mode, const void *in, size_t n,
		struct scrub_result *r, bool *changed)
{
	struct scrub_request rq = ctx->opts.request;
	rq.mode = mode;
	rq.describe = mode == SCRUB_MODE_REPORT;
	return scrub_engine_run(&ctx->worker.engine, &rq, in, n, r, changed);
}

enum scrub_status scrub_buffer(scrub_ctx *ctx, const void *in, size_t n, void **out,
			       size_t *out_len, int *changed)
{
	*out = NULL;
	*out_len = 0;
	struct scrub_result r;
	scrub_result_init(&r, BUFFER_NAME);
	bool differs = false;
	if (run(ctx, SCRUB_MODE_SCRUB, in, n, &r, &differs)) {
		const struct scrub_plan *plan = &ctx->worker.engine.plan;
		uint8_t *buf = malloc(plan->total ? plan->total : 1);
		if (buf) {
			scrub_plan_copy(plan, buf);
			*out = buf;
			*out_len = plan->total;
		} else {
			scrub_result_fail(&r, SCRUB_E_NOMEM, "cannot write", "%s",
					  scrub_strerror(SCRUB_E_NOMEM));
		}
	}
	if (changed)
		*changed = differs;
	return finish(ctx, &r);
}

enum scrub_status scrub_file(scrub_ctx *ctx, const char *path, int *changed)
{
	struct scrub_item it = { .path = (char *)(uintptr_t)path };
	struct scrub_result r;
	scrub_result_init(&r, path);
	scrub_job_process(&ctx->opts, &it, &ctx->worker, &r, NULL);
	if (changed)
		*changed = r.outcome == SCRUB_RES_SCRUBBED;
	return finish(ctx, &r);
}

enum scrub_status scrub_report(scrub_ctx *ctx, const void *in, size_t n, const char *name,
			       char **json)
{
	*json = NULL;
	struct scrub_result r;
	scrub_result_init(&r, name ? name : BUFFER_NAME);
	bool differs = false;
	if (run(ctx, SCRUB_MODE_REPORT, in, n, &r, &differs)) {
		r.outcome = differs ? SCRUB_RES_DIRTY : SCRUB_RES_CLEAN;
		struct scrub_buf line;
		scrub_buf_init(&line, (size_t)1 << 30);
		struct scrub_report_style style = { .mode = SCRUB_MODE_REPORT };
		if (scrub_report_json(&line, &r, &style) == SCRUB_OK &&
		    scrub_buf_append(&line, "", 1) == SCRUB_OK) {
			line.data[line.len - 2] = '\0'; /* the newline of JSON Lines */
			*json = (char *)line.data;
		} else {
			scrub_buf_free(&line);
			scrub_result_fail(&r, SCRUB_E_NOMEM, "cannot report", "%s",
					  scrub_strerror(SCRUB_E_NOMEM));
		}
	}
	return finish(ctx, &r);
}

void scrub_free(void *p)
{
	free(p);
}

const char *scrub_version(void)
{
	return SCRUB_VERSION;
}
