#ifndef SCRUB_RESULT_H
#define SCRUB_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "describe/facts.h"
#include "core/status.h"

enum scrub_outcome {
	SCRUB_RES_CLEAN,    /* nothing to remove */
	SCRUB_RES_DIRTY,    /* audit: something would be removed */
	SCRUB_RES_SCRUBBED, /* metadata removed and written */
	SCRUB_RES_SKIPPED,  /* not an image, met in a walk */
	SCRUB_RES_ERROR
};

const char *scrub_outcome_name(enum scrub_outcome o);

struct scrub_result;
/*
 * One word for what a file gives away, worst first: "location" (a GPS
 * position or place names), "identity" (owner, artist, creator, copyright
 * or serial numbers), "low" (only other removable metadata: device, times,
 * software, ...), or "clean". Meaningful for a described image.
 */
const char *scrub_result_verdict(const struct scrub_result *r);

struct scrub_pending;

/* What processing one file produced; owned by the batch until printed. */
struct scrub_result {
	const char *name;          /* as the user gave it (or "-") */
	const char *format;        /* backend name or NULL */
	enum scrub_outcome outcome;
	enum scrub_status status;  /* for SCRUB_RES_ERROR */
	uint32_t width;
	uint32_t height;
	size_t bytes_in;
	size_t bytes_out;
	struct scrub_finding *found;
	size_t nfound;
	struct scrub_facts facts;
	struct scrub_image_info image; /* the codec's header probe */
	int baked;                 /* orientation applied to the pixels (2..8), 0 if none */
	char error[1024];          /* one-line reason for SCRUB_RES_ERROR */
	char note[160];            /* warning to print with the result (e.g. --force) */
	struct scrub_pending *pending; /* written temp awaiting the batch's sync and rename */
	struct scrub_buf tags;     /* --report -v: every tag decoded (scrub_tags_add records) */
};

void scrub_result_init(struct scrub_result *r, const char *name);
void scrub_result_free(struct scrub_result *r);

#endif
