#include <stdio.h>
#include <string.h>

#include "engine/upright.h"

/* Plans the baked image (in plan->owned) through the normal scan and strip. */
static enum scrub_status plan_baked(struct scrub_engine *e, const struct scrub_request *rq,
				    const struct scrub_backend *be)
{
	const struct scrub_buf *img = &e->plan.owned;
	scrub_scan_reset(&e->scan);
	e->scan.backend = be;
	enum scrub_status st = be->scan(img->data, img->len, &rq->policy, &e->scan);
	return st == SCRUB_OK ? be->strip(img->data, img->len, &e->scan, &rq->policy, &e->plan) : st;
}

bool scrub_upright(struct scrub_engine *e, const struct scrub_request *rq, const uint8_t *in,
		   size_t n, struct scrub_result *r)
{
	int o = e->scan.orientation;
	if (rq->policy.keep_orientation || o < 2 || o > 8)
		return true;
	const struct scrub_backend *be = e->scan.backend;
	char msg[SCRUB_CODEC_MSG] = "";
	scrub_plan_reset(&e->plan);
	enum scrub_orient_result res = SCRUB_ORIENT_KEEP_TAG;
	if (be->orient)
		res = be->orient(in, n, o, &r->image, rq->verify, &e->plan.owned, msg, sizeof msg);
	enum scrub_status st;
	if (res == SCRUB_ORIENT_DONE) {
		r->baked = o;
		st = plan_baked(e, rq, be);
	} else {
		struct scrub_policy pol = rq->policy;
		pol.keep_orientation = true;
		size_t len = strlen(r->note);
		snprintf(r->note + len, sizeof r->note - len, "%sorientation %d kept: %s",
			 len ? "; " : "", o, msg[0] ? msg : "no lossless rotation for this image");
		st = be->strip(in, n, &e->scan, &pol, &e->plan);
	}
	if (st != SCRUB_OK)
		scrub_result_fail(r, st, "cannot rotate", "%s", scrub_strerror(st));
	return st == SCRUB_OK;
}
