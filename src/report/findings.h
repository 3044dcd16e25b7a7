#ifndef SCRUB_FINDINGS_H
#define SCRUB_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/result.h"

/*
 * What a file reveals, grouped for a person and typed for scripts. Both
 * report renderers walk the same list, so the text report and the JSON
 * "findings" object cannot disagree. Groups (describe/facts.h) come most
 * sensitive first.
 */
enum scrub_value_type {
	SCRUB_VALUE_TEXT,
	SCRUB_VALUE_DATE,  /* ISO 8601 text */
	SCRUB_VALUE_INT,
	SCRUB_VALUE_REAL,  /* printed with `decimals` digits */
	SCRUB_VALUE_BYTES, /* a size: a number in JSON, "12.3 kB" in text */
	SCRUB_VALUE_BOOL
};

/* Where a fact is shown: some text rows combine several JSON members. */
enum { SCRUB_SHOW_TEXT = 1, SCRUB_SHOW_JSON = 2, SCRUB_SHOW_BOTH = 3 };

struct scrub_fact {
	uint8_t group;
	uint8_t type;
	uint8_t decimals;
	uint8_t show;
	const char *key;   /* JSON member name; NULL for list entries (see below) */
	const char *label; /* text row name */
	const char *name;  /* list entries: PNG text keyword, or NULL */
	const char *text;  /* TEXT and DATE values */
	double number;     /* INT, REAL, BYTES and BOOL values */
};

/*
 * List entries (key NULL) live in the "other" group: free text (name =
 * where it came from: a PNG keyword, "UserComment", "COM"; text = value),
 * shown in JSON as "text": [{"keyword", "value"}], and removed segments no
 * other group explains (label = the segment's label, number = its size),
 * shown as "segments": [{"kind", "label", "bytes"}] with the kind in name.
 */
#define SCRUB_FACT_MAX 128
#define SCRUB_FACT_SCRATCH 16

struct scrub_fact_list {
	size_t n;
	struct scrub_fact v[SCRUB_FACT_MAX];
	/* Storage for combined text rows ("48.858370, 2.294481, alt 35.2 m"). */
	size_t nscratch;
	char scratch[SCRUB_FACT_SCRATCH][320];
};


/* "3603 B", "54.4 kB", "2.1 MB": a size as reports show it. */
void scrub_size_text(char *dst, size_t size, size_t bytes);

/* Builds the grouped list for a described file, in group order. */
void scrub_fact_list_build(const struct scrub_result *r, struct scrub_fact_list *list);

#endif
