#include <stdlib.h>
#include <string.h>

#include "io/output.h"
#include "engine/result.h"

const char *scrub_outcome_name(enum scrub_outcome o)
{
	switch (o) {
	case SCRUB_RES_CLEAN:
		return "clean";
	case SCRUB_RES_DIRTY:
		return "dirty";
	case SCRUB_RES_SCRUBBED:
		return "scrubbed";
	case SCRUB_RES_SKIPPED:
		return "skipped";
	case SCRUB_RES_ERROR:
		break;
	}
	return "error";
}

void scrub_result_init(struct scrub_result *r, const char *name)
{
	memset(r, 0, sizeof *r);
	r->name = name;
	scrub_facts_clear(&r->facts);
	scrub_buf_init(&r->tags, SCRUB_TAGS_MAX);
}

void scrub_result_free(struct scrub_result *r)
{
	if (r->pending) {
		scrub_out_discard(r->pending);
		free(r->pending);
		r->pending = NULL;
	}
	free(r->found);
	r->found = NULL;
	r->nfound = 0;
	scrub_buf_free(&r->tags);
}

const char *scrub_result_verdict(const struct scrub_result *r)
{
	if (scrub_facts_has_location(&r->facts))
		return "location";
	if (scrub_facts_has_identity(&r->facts))
		return "identity";
	for (size_t i = 0; i < r->nfound; i++)
		if (!r->found[i].keep && r->found[i].kind != SCRUB_KIND_IMAGE)
			return "low";
	return "clean";
}
