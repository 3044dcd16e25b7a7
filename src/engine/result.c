#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	case SCRUB_RES_UNSUPPORTED:
		return "unsupported";
	case SCRUB_RES_ERROR:
		break;
	}
	return "error";
}

const char *scrub_verdict_name(enum scrub_verdict v)
{
	return (unsigned)v < SCRUB_GROUP_COUNT ? scrub_group_name((enum scrub_group)v) : "clean";
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
	free(r->found);
	r->found = NULL;
	r->nfound = 0;
	scrub_buf_free(&r->tags);
}

/*
 * True when the colour profile goes: --keep none, a profile that is not
 * valid, or one that only a removed element carries (a raw profile in PNG
 * text). The first profile element is the one described.
 */
static bool icc_removed(const struct scrub_result *r)
{
	for (size_t i = 0; i < r->nfound; i++)
		if (r->found[i].kind == SCRUB_KIND_ICC && !r->found[i].derived)
			return !r->found[i].keep;
	return true;
}

enum scrub_verdict scrub_result_verdict(const struct scrub_result *r)
{
	unsigned groups = scrub_facts_groups(&r->facts, icc_removed(r));
	for (size_t i = 0; i < r->nfound; i++) {
		const struct scrub_finding *f = &r->found[i];
		if (!f->keep && !f->derived && f->kind != SCRUB_KIND_IMAGE)
			groups |= 1u << scrub_kind_group((enum scrub_kind)f->kind);
	}
	for (unsigned g = 0; g < SCRUB_GROUP_COUNT; g++)
		if (groups & 1u << g)
			return (enum scrub_verdict)g;
	return SCRUB_VERDICT_CLEAN;
}

bool scrub_result_add_finding(struct scrub_result *r, const struct scrub_finding *f)
{
	struct scrub_finding *v = realloc(r->found, (r->nfound + 1) * sizeof *v);
	if (!v)
		return false;
	r->found = v;
	v[r->nfound++] = *f;
	return true;
}

/* Names in messages stay on one line: control bytes become '?'. */
static void printable_name(char *dst, size_t size, const char *name)
{
	size_t i = 0;
	for (; name[i] && i + 1 < size; i++)
		dst[i] = (unsigned char)name[i] < 0x20 || name[i] == 0x7F ? '?' : name[i];
	dst[i] = '\0';
}

void scrub_result_fail(struct scrub_result *r, enum scrub_status st, const char *verb,
		       const char *fmt, ...)
{
	char name[512], reason[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	printable_name(name, sizeof name, r->name);
	r->outcome = SCRUB_RES_ERROR;
	r->status = st;
	snprintf(r->error, sizeof r->error, "%s '%s': %s", verb, name, reason);
}

void scrub_result_fail_errno(struct scrub_result *r, const char *verb, int err)
{
	char buf[128];
	scrub_result_fail(r, SCRUB_E_IO, verb, "%s", scrub_errno_text(err, buf, sizeof buf));
}
