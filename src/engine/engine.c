/*
 * One image, memory to memory: detect, scan, plan, probe, describe,
 * upright, verify. Everything it learns goes into the result; it prints
 * nothing and touches no file.
 */
#include <stdio.h>
#include <string.h>

#include "describe/describe.h"
#include "engine/engine.h"
#include "engine/upright.h"
#include "engine/verify.h"
#include "formats/codec.h"

/* Largest output assembled in one piece for --verify: the input cap. */
#define MAX_OUTPUT_BYTES ((size_t)4 << 30)

void scrub_engine_init(struct scrub_engine *e)
{
	scrub_scan_init(&e->scan);
	scrub_plan_init(&e->plan);
	scrub_buf_init(&e->out, MAX_OUTPUT_BYTES);
}

void scrub_engine_free(struct scrub_engine *e)
{
	scrub_scan_free(&e->scan);
	scrub_plan_free(&e->plan);
	scrub_buf_free(&e->out);
}

static void add_finding(struct scrub_result *r, enum scrub_kind kind, bool keep, bool derived,
			size_t bytes, const struct scrub_segment *s)
{
	struct scrub_finding f = { .kind = (uint8_t)kind, .keep = keep, .derived = derived,
				   .bytes = bytes, .offset = s->off };
	snprintf(f.label, sizeof f.label, "%s", s->label);
	scrub_result_add_finding(r, &f);
}

/* One finding per segment, then what its payload holds. */
static void describe(const struct scrub_request *rq, const uint8_t *in,
		     const struct scrub_scan *scan, struct scrub_result *r)
{
	struct scrub_describe d;
	scrub_describe_begin(&d, &r->facts, rq->tags ? &r->tags : NULL);
	for (size_t i = 0; i < scan->nseg; i++) {
		const struct scrub_segment *s = &scan->seg[i];
		add_finding(r, s->kind, s->keep, false, s->len, s);
		if (!rq->describe)
			continue;
		scrub_describe_payload(&d, s->payload, in + s->data_off, s->data_len);
		for (size_t k = 0; k < d.nderived; k++)
			add_finding(r, d.derived[k].kind, s->keep, true, d.derived[k].bytes, s);
	}
	scrub_describe_end(&d);
	/* The name goes with every upload; "-" is standard input, which has none. */
	const char *base = strrchr(r->name, '/');
	base = base ? base + 1 : r->name;
	if (rq->describe && strcmp(r->name, "-"))
		scrub_describe_file_name(base, &r->facts);
}

/* The codec's header reader must accept what the container walker accepted. */
static bool probe(const struct scrub_backend *be, const uint8_t *in, size_t n,
		  struct scrub_result *r)
{
	if (!be->probe)
		return true;
	char msg[SCRUB_CODEC_MSG] = "";
	enum scrub_status st = be->probe(in, n, &r->image, msg, sizeof msg);
	if (st == SCRUB_OK)
		return true;
	scrub_result_fail(r, st, "cannot read", "image header is broken: %s",
			  msg[0] ? msg : scrub_strerror(st));
	return false;
}

/* Detects the format, scans and plans; false (r failed) when it cannot. */
static bool take_apart(struct scrub_engine *e, const struct scrub_request *rq, const uint8_t *in,
		       size_t n, struct scrub_result *r)
{
	const struct scrub_backend *be = scrub_format_detect(in, n);
	const struct scrub_unsupported *u = be ? NULL : scrub_format_unsupported(in, n);
	if (u) {
		r->format = u->id;
		scrub_result_fail(r, SCRUB_E_UNSUPPORTED, "cannot clean",
				  "%s is not supported; its metadata stays", u->display);
		r->outcome = SCRUB_RES_UNSUPPORTED;
		return false;
	}
	if (!be) {
		char names[128];
		scrub_format_list(names, sizeof names, " or ");
		scrub_result_fail(r, SCRUB_E_NOT_IMAGE, "cannot read", "not a %s image", names);
		return false;
	}
	r->format = be->name;
	scrub_scan_reset(&e->scan);
	scrub_plan_reset(&e->plan);
	e->scan.backend = be;
	enum scrub_status st = be->scan(in, n, &rq->policy, &e->scan);
	if (st == SCRUB_OK)
		st = be->strip(in, n, &e->scan, &rq->policy, &e->plan);
	if (st == SCRUB_E_UNSUPPORTED) {
		/* A walker refusing what it cannot walk safely names it, as "... are" or "... is". */
		scrub_result_fail(r, st, "cannot clean", "%s not supported; its metadata stays",
				  e->scan.fail_why ? e->scan.fail_why : be->display);
		r->outcome = SCRUB_RES_UNSUPPORTED;
		return false;
	}
	if (st != SCRUB_OK) {
		scrub_result_fail(r, st, "cannot read", "%s: %s (at byte %zu)", scrub_strerror(st),
				  e->scan.fail_why ? e->scan.fail_why : be->name, e->scan.fail_off);
		return false;
	}
	r->width = e->scan.width;
	r->height = e->scan.height;
	r->facts.orientation = e->scan.orientation;
	return probe(be, in, n, r);
}

/* The output decodes to the same pixels as orig, or the original stays. */
static bool verify(struct scrub_engine *e, const uint8_t *orig, size_t orig_len,
		   struct scrub_result *r)
{
	e->out.len = 0;
	enum scrub_status st = scrub_buf_reserve(&e->out, e->plan.total);
	if (st != SCRUB_OK) {
		scrub_result_fail(r, st, "cannot verify", "%s", scrub_strerror(st));
		return false;
	}
	scrub_plan_copy(&e->plan, e->out.data);
	e->out.len = e->plan.total;
	const char *why = NULL;
	st = scrub_verify(e->scan.backend, orig, orig_len, e->out.data, e->out.len, &why);
	if (st != SCRUB_OK) {
		scrub_result_fail(r, st, "cannot verify", "%s; left unchanged",
				  why ? why : scrub_strerror(st));
		return false;
	}
	return true;
}

bool scrub_engine_run(struct scrub_engine *e, const struct scrub_request *rq, const uint8_t *in,
		      size_t n, struct scrub_result *r, bool *changed)
{
	*changed = false;
	r->bytes_in = n;
	if (!take_apart(e, rq, in, n, r))
		return false;
	describe(rq, in, &e->scan, r);
	/* The findings describe the input; upright may replace scan and plan. */
	if (rq->mode == SCRUB_MODE_SCRUB && !scrub_upright(e, rq, in, n, r))
		return false;
	r->bytes_out = e->plan.total;
	*changed = !scrub_plan_same_as(&e->plan, in, n);
	const uint8_t *orig = r->baked ? e->plan.owned.data : in;
	size_t orig_len = r->baked ? e->plan.owned.len : n;
	if (*changed && rq->verify && rq->mode == SCRUB_MODE_SCRUB && !verify(e, orig, orig_len, r))
		return false;
	return true;
}
