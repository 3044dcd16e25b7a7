#ifndef SCRUB_RESULT_H
#define SCRUB_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/status.h"
#include "describe/facts.h"
#include "formats/format.h"

/* What the caller asked for: clean, or only look (--report, --check). */
enum scrub_mode {
	SCRUB_MODE_SCRUB,
	SCRUB_MODE_REPORT,
	SCRUB_MODE_CHECK
};

enum scrub_outcome {
	SCRUB_RES_CLEAN,    /* nothing to remove */
	SCRUB_RES_DIRTY,    /* audit: something would be removed */
	SCRUB_RES_SCRUBBED, /* metadata removed and written */
	SCRUB_RES_SKIPPED,  /* not an image, met in a walk */
	SCRUB_RES_UNSUPPORTED, /* an image or video scrub cannot clean: its metadata stays */
	SCRUB_RES_ERROR
};

const char *scrub_outcome_name(enum scrub_outcome o);

/*
 * What a file gives away: the first group (describe/facts.h, most
 * sensitive first) holding something that would be removed, or clean.
 * The values are the groups' own, so a verdict names a group.
 */
enum scrub_verdict {
	SCRUB_VERDICT_LOCATION = SCRUB_GROUP_LOCATION,
	SCRUB_VERDICT_IDENTITY = SCRUB_GROUP_IDENTITY,
	SCRUB_VERDICT_PROMPT = SCRUB_GROUP_PROMPT,
	SCRUB_VERDICT_TIME = SCRUB_GROUP_TIME,
	SCRUB_VERDICT_DEVICE = SCRUB_GROUP_DEVICE,
	SCRUB_VERDICT_HIDDEN = SCRUB_GROUP_HIDDEN,
	SCRUB_VERDICT_OTHER = SCRUB_GROUP_OTHER,
	SCRUB_VERDICT_CLEAN = SCRUB_GROUP_COUNT,
	SCRUB_VERDICT_COUNT
};

/* The group's name ("location", ..., "other"), or "clean". */
const char *scrub_verdict_name(enum scrub_verdict v);

/*
 * A line of the "found" list: a segment (a container element) as the walker
 * classified it, or something found inside one (GPS in an EXIF block).
 */
struct scrub_finding {
	uint8_t kind;     /* enum scrub_kind */
	bool keep;
	bool derived;     /* found inside another element */
	size_t bytes;
	size_t offset;
	char label[28];
};

/* What processing one file produced: segments -> findings -> facts. */
struct scrub_result {
	const char *name;          /* as the user gave it (or "-") */
	const char *format;        /* backend name (or what an unsupported file is), or NULL */
	enum scrub_outcome outcome;
	enum scrub_status status;  /* for SCRUB_RES_ERROR and SCRUB_RES_UNSUPPORTED */
	uint32_t width;
	uint32_t height;
	size_t bytes_in;
	size_t bytes_out;
	struct scrub_finding *found;
	size_t nfound;
	struct scrub_facts facts;
	struct scrub_image_info image; /* the codec's header probe */
	int baked;                 /* orientation applied to the pixels (2..8), 0 if none */
	char error[1024];          /* one-line message for SCRUB_RES_ERROR and _UNSUPPORTED */
	char note[160];            /* warning to print with the result (e.g. --force) */
	struct scrub_buf tags;     /* --report -v: every tag decoded (scrub_tags_add records) */
};

void scrub_result_init(struct scrub_result *r, const char *name);
void scrub_result_free(struct scrub_result *r);
/*
 * The verdict of a described image: its facts' groups (a kept colour
 * profile and the file name do not count), then the group each removed
 * element stands for by itself (a trailer is hidden, the rest other).
 */
enum scrub_verdict scrub_result_verdict(const struct scrub_result *r);
/* Appends a finding; false when out of memory (the finding is lost). */
bool scrub_result_add_finding(struct scrub_result *r, const struct scrub_finding *f);
/*
 * Marks r failed with st and the one-line message "VERB 'NAME': REASON",
 * the name made printable (control bytes become '?').
 */
void scrub_result_fail(struct scrub_result *r, enum scrub_status st, const char *verb,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* scrub_result_fail with errno's text as the reason. */
void scrub_result_fail_errno(struct scrub_result *r, const char *verb, int err);

#endif
