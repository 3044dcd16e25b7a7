/* JSON Lines: one object per file; every string escaped and valid UTF-8. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/findings.h"
#include "formats/format.h"
#include "report/report.h"
#include "core/utf8.h"

enum scrub_status scrub_buf_printf(struct scrub_buf *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char small[256];
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return SCRUB_E_IO;
	if ((size_t)n < sizeof small)
		return scrub_buf_append(out, small, (size_t)n);
	enum scrub_status st = scrub_buf_reserve(out, (size_t)n + 1);
	if (st != SCRUB_OK)
		return st;
	va_start(ap, fmt);
	vsnprintf((char *)out->data + out->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	out->len += (size_t)n;
	return SCRUB_OK;
}

/* s as a JSON string literal: escaped, invalid UTF-8 replaced by U+FFFD. */
static enum scrub_status json_string(struct scrub_buf *out, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	enum scrub_status st = scrub_buf_append(out, "\"", 1);
	for (size_t i = 0; i < n && st == SCRUB_OK;) {
		unsigned c = s[i];
		size_t len = scrub_utf8_decode(s + i, n - i, NULL);
		if (len == 0) {
			st = scrub_buf_append(out, "\\ufffd", 6);
			i++;
		} else if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };
			st = scrub_buf_append(out, esc, 2);
			i++;
		} else if (c < 0x20 || c == 0x7F) {
			st = scrub_buf_printf(out, "\\u%04x", c);
			i++;
		} else {
			st = scrub_buf_append(out, s + i, len);
			i += len;
		}
	}
	return st == SCRUB_OK ? scrub_buf_append(out, "\"", 1) : st;
}

static void found_list(struct scrub_buf *out, const struct scrub_result *r, bool verbose)
{
	scrub_buf_printf(out, ", \"found\": [");
	bool first = true;
	for (size_t i = 0; i < r->nfound; i++) {
		const struct scrub_finding *f = &r->found[i];
		if (f->kind == SCRUB_KIND_IMAGE && !verbose)
			continue;
		scrub_buf_printf(out, "%s{\"kind\": \"%s\", \"action\": \"%s\", \"bytes\": %zu, \"label\": ",
				 first ? "" : ", ", scrub_kind_name(f->kind),
				 f->keep ? "keep" : "remove", f->bytes);
		json_string(out, f->label, strlen(f->label));
		scrub_buf_printf(out, "}");
		first = false;
	}
	scrub_buf_printf(out, "]");
}

static void fact_json(struct scrub_buf *out, const struct scrub_fact *f);

/*
 * The summary members SPEC.md section 4 names ("gps", "camera"), taken from
 * the grouped facts so each value is decoded and stored once: each row maps
 * a fact (group, key) to a member of a summary object.
 */
struct summary_field {
	const char *object;
	const char *member;
	uint8_t group;
	const char *key;
	bool required; /* no object without this member ("gps" only with a position) */
};

static const struct summary_field summary_fields[] = {
	{ "gps", "lat", SCRUB_GROUP_LOCATION, "lat", true },
	{ "gps", "lon", SCRUB_GROUP_LOCATION, "lon", false },
	{ "gps", "alt", SCRUB_GROUP_LOCATION, "alt", false },
	{ "gps", "time", SCRUB_GROUP_TIME, "gps_time", false },
	{ "camera", "make", SCRUB_GROUP_DEVICE, "make", false },
	{ "camera", "model", SCRUB_GROUP_DEVICE, "model", false },
	{ "camera", "serial", SCRUB_GROUP_IDENTITY, "body_serial", false },
	{ "camera", "lens", SCRUB_GROUP_DEVICE, "lens", false },
	{ "camera", "lens_serial", SCRUB_GROUP_IDENTITY, "lens_serial", false },
};

static const struct scrub_fact *find_fact(const struct scrub_fact_list *l, unsigned group,
					  const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].group == group && l->v[i].key && !strcmp(l->v[i].key, key))
			return &l->v[i];
	return NULL;
}

/* "gps": {...}, "camera": {...}: each object written when one of its facts is known. */
static void summary_objects(struct scrub_buf *out, const struct scrub_fact_list *l)
{
	size_t n = sizeof summary_fields / sizeof summary_fields[0];
	for (size_t i = 0; i < n;) {
		const char *object = summary_fields[i].object;
		bool open = false;
		for (; i < n && !strcmp(summary_fields[i].object, object); i++) {
			const struct summary_field *sf = &summary_fields[i];
			const struct scrub_fact *f = find_fact(l, sf->group, sf->key);
			if (!f && sf->required) {
				for (; i < n && !strcmp(summary_fields[i].object, object); i++)
					;
				break;
			}
			if (!f)
				continue;
			scrub_buf_printf(out, open ? ", \"%s\": " : ", \"%s\": {\"%s\": ",
					 open ? sf->member : object, sf->member);
			fact_json(out, f);
			open = true;
		}
		if (open)
			scrub_buf_printf(out, "}");
	}
}

static void fact_json(struct scrub_buf *out, const struct scrub_fact *f)
{
	switch (f->type) {
	case SCRUB_VALUE_TEXT:
	case SCRUB_VALUE_DATE:
		json_string(out, f->text, strlen(f->text));
		break;
	case SCRUB_VALUE_REAL:
		scrub_buf_printf(out, "%.*f", f->decimals, f->number);
		break;
	case SCRUB_VALUE_BOOL:
		scrub_buf_printf(out, "%s", f->number ? "true" : "false");
		break;
	default:
		scrub_buf_printf(out, "%.0f", f->number);
		break;
	}
}

/* The list entries of a group: PNG text ("text") or segments ("segments"). */
static void fact_entries(struct scrub_buf *out, const struct scrub_fact_list *l, unsigned group,
			 bool segments, bool *first)
{
	bool open = false;
	for (size_t i = 0; i < l->n; i++) {
		const struct scrub_fact *f = &l->v[i];
		if (f->group != group || f->key || !(f->show & SCRUB_SHOW_JSON) ||
		    (f->type == SCRUB_VALUE_BYTES) != segments)
			continue;
		if (!open)
			scrub_buf_printf(out, "%s\"%s\": [", *first ? "" : ", ",
					 segments ? "segments" : "text");
		scrub_buf_printf(out, "%s{", open ? ", " : "");
		open = true;
		*first = false;
		if (segments) {
			scrub_buf_printf(out, "\"kind\": \"%s\", \"label\": ", f->name);
			json_string(out, f->label, strlen(f->label));
			scrub_buf_printf(out, ", \"bytes\": %.0f}", f->number);
		} else {
			scrub_buf_printf(out, "\"keyword\": ");
			json_string(out, f->name, strlen(f->name));
			scrub_buf_printf(out, ", \"value\": ");
			json_string(out, f->text, strlen(f->text));
			scrub_buf_printf(out, "}");
		}
	}
	if (open)
		scrub_buf_printf(out, "]");
}

/* "findings": {"location": {...}, "identity": {...}, ...}: groups with something in them. */
static void findings_object(struct scrub_buf *out, const struct scrub_fact_list *l)
{
	scrub_buf_printf(out, ", \"findings\": {");
	bool first_group = true;
	for (unsigned g = 0; g < SCRUB_GROUP_COUNT; g++) {
		size_t start = out->len;
		scrub_buf_printf(out, "%s\"%s\": {", first_group ? "" : ", ", scrub_group_name(g));
		size_t empty = out->len;
		bool first = true;
		for (size_t i = 0; i < l->n; i++) {
			const struct scrub_fact *f = &l->v[i];
			if (f->group != g || !f->key || !(f->show & SCRUB_SHOW_JSON))
				continue;
			scrub_buf_printf(out, "%s\"%s\": ", first ? "" : ", ", f->key);
			fact_json(out, f);
			first = false;
		}
		fact_entries(out, l, g, false, &first);
		fact_entries(out, l, g, true, &first);
		if (out->len == empty) {
			out->len = start;
			continue;
		}
		scrub_buf_printf(out, "}");
		first_group = false;
	}
	scrub_buf_printf(out, "}");
}

/* --report -v: "tags": [{"source", "name", "value"}], every tag the decoders saw. */
static void tag_list(struct scrub_buf *out, const struct scrub_result *r)
{
	size_t pos = 0;
	const char *source, *name, *value;
	bool first = true;
	while (scrub_tags_next(&r->tags, &pos, &source, &name, &value)) {
		scrub_buf_printf(out, "%s{\"source\": ", first ? ", \"tags\": [" : ", ");
		json_string(out, source, strlen(source));
		scrub_buf_printf(out, ", \"name\": ");
		json_string(out, name, strlen(name));
		scrub_buf_printf(out, ", \"value\": ");
		json_string(out, value, strlen(value));
		scrub_buf_printf(out, "}");
		first = false;
	}
	if (!first)
		scrub_buf_printf(out, "]");
}

/* The codec's header probe, with the flags this format's probe can tell. */
static void image_fields(struct scrub_buf *out, const struct scrub_image_info *im)
{
	if (!im->known)
		return;
	scrub_buf_printf(out, ", \"color\": ");
	json_string(out, im->color, strlen(im->color));
	scrub_buf_printf(out, ", \"components\": %u, \"bit_depth\": %u", im->components,
			 im->bit_depth);
	if (im->flags_known & SCRUB_INFO_PROGRESSIVE)
		scrub_buf_printf(out, ", \"progressive\": %s", im->progressive ? "true" : "false");
	if (im->flags_known & SCRUB_INFO_INTERLACED)
		scrub_buf_printf(out, ", \"interlaced\": %s", im->interlaced ? "true" : "false");
	if (im->flags_known & SCRUB_INFO_LOSSLESS)
		scrub_buf_printf(out, ", \"lossless\": %s", im->lossless ? "true" : "false");
	scrub_buf_printf(out, ", \"animated\": %s, \"frames\": %u", im->animated ? "true" : "false",
			 im->frames);
}

enum scrub_status scrub_report_json(struct scrub_buf *out, const struct scrub_result *r,
				    const struct scrub_report_style *style)
{
	size_t start = out->len;
	scrub_buf_printf(out, "{\"file\": ");
	json_string(out, r->name, strlen(r->name));
	if (r->format)
		scrub_buf_printf(out, ", \"format\": \"%s\"", r->format);
	scrub_buf_printf(out, ", \"status\": \"%s\"", scrub_outcome_name(r->outcome));
	if (r->outcome == SCRUB_RES_ERROR || r->outcome == SCRUB_RES_UNSUPPORTED) {
		scrub_buf_printf(out, ", \"error\": ");
		json_string(out, r->error, strlen(r->error));
	}
	if (r->format && r->outcome != SCRUB_RES_ERROR && r->outcome != SCRUB_RES_UNSUPPORTED) {
		scrub_buf_printf(out, ", \"verdict\": \"%s\"",
				 scrub_verdict_name(scrub_result_verdict(r)));
		scrub_buf_printf(out, ", \"width\": %u, \"height\": %u", r->width, r->height);
		if (r->facts.orientation)
			scrub_buf_printf(out, ", \"orientation\": %d", r->facts.orientation);
		image_fields(out, &r->image);
		scrub_buf_printf(out, ", \"bytes\": %zu", r->bytes_in);
		if (style->mode == SCRUB_MODE_SCRUB)
			scrub_buf_printf(out, ", \"bytes_out\": %zu", r->bytes_out);
		if (r->baked)
			scrub_buf_printf(out, ", \"orientation_applied\": %d", r->baked);
		if (r->note[0]) {
			scrub_buf_printf(out, ", \"note\": ");
			json_string(out, r->note, strlen(r->note));
		}
		found_list(out, r, style->verbose);
		struct scrub_fact_list list;
		scrub_fact_list_build(r, &list);
		summary_objects(out, &list);
		findings_object(out, &list);
		if (style->verbose)
			tag_list(out, r);
	}
	enum scrub_status st = scrub_buf_printf(out, "}\n");
	if (st != SCRUB_OK)
		out->len = start;
	return st;
}
