#ifndef SCRUB_UPRIGHT_H
#define SCRUB_UPRIGHT_H

#include <stdbool.h>

#include "engine/engine.h"

/*
 * SPEC.md section 7: when the policy removes an Orientation tag other than
 * 1, the picture must not be left lying down. Applies the orientation to
 * the pixels losslessly and replans from the result (r->baked says so), or
 * replans keeping the minimal tag with a note saying why. Does nothing
 * when the orientation is kept or absent. e->scan must still be in's.
 */
bool scrub_upright(struct scrub_engine *e, const struct scrub_request *rq, const uint8_t *in,
		   size_t n, struct scrub_result *r);

#endif
