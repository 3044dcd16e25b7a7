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

enum scrub_status scrub_json_string(struct scrub_buf *out, const char *str, size_t n)
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

static void field_str(struct scrub_buf *out, const char *key, const char *val, bool *first)
{
	if (!val || !val[0])
		return;
	scrub_buf_printf(out, "%s\"%s\": ", *first ? "" : ", ", key);
	scrub_json_string(out, val, strlen(val));
	*first = false;
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
		scrub_json_string(out, f->label, strlen(f->label));
		scrub_buf_printf(out, "}");
		first = false;
	}
	scrub_buf_printf(out, "]");
}

/* PNG text chunks: "text": [{"keyword": ..., "value": ...}]. */
static void text_list(struct scrub_buf *out, const struct scrub_facts *f)
{
	if (!f->ntext)
		return;
	scrub_buf_printf(out, ", \"text\": [");
	for (size_t i = 0; i < f->ntext; i++) {
		const struct scrub_text_entry *e = &f->text[i];
		scrub_buf_printf(out, "%s{\"keyword\": ", i ? ", " : "");
		scrub_json_string(out, e->keyword, strlen(e->keyword));
		scrub_buf_printf(out, ", \"value\": ");
		scrub_json_string(out, e->value, strlen(e->value));
		scrub_buf_printf(out, "}");
	}
	scrub_buf_printf(out, "]");
}

/* XMP and IPTC place names: "location": {"city", "state", "country", ...}. */
static void location_fields(struct scrub_buf *out, const struct scrub_facts *f)
{
	if (!f->city[0] && !f->state[0] && !f->country[0] && !f->sublocation[0] &&
	    !f->country_code[0])
		return;
	bool first = true;
	scrub_buf_printf(out, ", \"location\": {");
	field_str(out, "city", f->city, &first);
	field_str(out, "state", f->state, &first);
	field_str(out, "country", f->country, &first);
	field_str(out, "sublocation", f->sublocation, &first);
	field_str(out, "country_code", f->country_code, &first);
	scrub_buf_printf(out, "}");
}

/* XMP edit history: "history": {"entries", "document_id", "original_document_id"}. */
static void history_fields(struct scrub_buf *out, const struct scrub_facts *f)
{
	if (!f->history && !f->document_id[0] && !f->original_document_id[0])
		return;
	scrub_buf_printf(out, ", \"history\": {\"entries\": %u", f->history);
	bool first = false;
	field_str(out, "document_id", f->document_id, &first);
	field_str(out, "original_document_id", f->original_document_id, &first);
	scrub_buf_printf(out, "}");
}

static void facts_fields(struct scrub_buf *out, const struct scrub_facts *f)
{
	location_fields(out, f);
	if (f->has_gps) {
		scrub_buf_printf(out, ", \"gps\": {\"lat\": %.6f, \"lon\": %.6f", f->lat, f->lon);
		if (f->has_alt)
			scrub_buf_printf(out, ", \"alt\": %.1f", f->alt);
		bool first = false;
		field_str(out, "time", f->gps_time, &first);
		scrub_buf_printf(out, "}");
	}
	if (f->make[0] || f->model[0] || f->body_serial[0] || f->lens_serial[0] || f->lens_model[0]) {
		bool first = true;
		scrub_buf_printf(out, ", \"camera\": {");
		field_str(out, "make", f->make, &first);
		field_str(out, "model", f->model, &first);
		field_str(out, "serial", f->body_serial, &first);
		field_str(out, "lens", f->lens_model, &first);
		field_str(out, "lens_serial", f->lens_serial, &first);
		scrub_buf_printf(out, "}");
	}
	if (f->owner[0] || f->artist[0] || f->copyright[0] || f->creator[0]) {
		bool first = true;
		scrub_buf_printf(out, ", \"people\": {");
		field_str(out, "owner", f->owner, &first);
		field_str(out, "artist", f->artist, &first);
		field_str(out, "creator", f->creator, &first);
		field_str(out, "copyright", f->copyright, &first);
		scrub_buf_printf(out, "}");
	}
	bool first = false;
	field_str(out, "captured", f->datetime, &first);
	field_str(out, "software", f->software, &first);
	if (f->thumbnail_bytes)
		scrub_buf_printf(out, ", \"thumbnail_bytes\": %zu", f->thumbnail_bytes);
	field_str(out, "modified", f->modified, &first);
	field_str(out, "icc_profile", f->icc_name, &first);
	history_fields(out, f);
	if (f->keywords)
		scrub_buf_printf(out, ", \"keywords\": %u", f->keywords);
	text_list(out, f);
}

static void fact_json(struct scrub_buf *out, const struct scrub_fact *f)
{
	switch (f->type) {
	case SCRUB_VALUE_TEXT:
	case SCRUB_VALUE_DATE:
		scrub_json_string(out, f->text, strlen(f->text));
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
			scrub_json_string(out, f->label, strlen(f->label));
			scrub_buf_printf(out, ", \"bytes\": %.0f}", f->number);
		} else {
			scrub_buf_printf(out, "\"keyword\": ");
			scrub_json_string(out, f->name, strlen(f->name));
			scrub_buf_printf(out, ", \"value\": ");
			scrub_json_string(out, f->text, strlen(f->text));
			scrub_buf_printf(out, "}");
		}
	}
	if (open)
		scrub_buf_printf(out, "]");
}

/* "findings": {"location": {...}, "identity": {...}, ...}: groups with something in them. */
static void findings_object(struct scrub_buf *out, const struct scrub_result *r)
{
	struct scrub_fact_list list;
	scrub_fact_list_build(r, &list);
	scrub_buf_printf(out, ", \"findings\": {");
	bool first_group = true;
	for (unsigned g = 0; g < SCRUB_GROUP_COUNT; g++) {
		size_t start = out->len;
		scrub_buf_printf(out, "%s\"%s\": {", first_group ? "" : ", ", scrub_group_key(g));
		size_t empty = out->len;
		bool first = true;
		for (size_t i = 0; i < list.n; i++) {
			const struct scrub_fact *f = &list.v[i];
			if (f->group != g || !f->key || !(f->show & SCRUB_SHOW_JSON))
				continue;
			scrub_buf_printf(out, "%s\"%s\": ", first ? "" : ", ", f->key);
			fact_json(out, f);
			first = false;
		}
		fact_entries(out, &list, g, false, &first);
		fact_entries(out, &list, g, true, &first);
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
		scrub_json_string(out, source, strlen(source));
		scrub_buf_printf(out, ", \"name\": ");
		scrub_json_string(out, name, strlen(name));
		scrub_buf_printf(out, ", \"value\": ");
		scrub_json_string(out, value, strlen(value));
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
	scrub_json_string(out, im->color, strlen(im->color));
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
	scrub_json_string(out, r->name, strlen(r->name));
	if (r->format)
		scrub_buf_printf(out, ", \"format\": \"%s\"", r->format);
	scrub_buf_printf(out, ", \"status\": \"%s\"", scrub_outcome_name(r->outcome));
	if (r->outcome == SCRUB_RES_ERROR) {
		scrub_buf_printf(out, ", \"error\": ");
		scrub_json_string(out, r->error, strlen(r->error));
	}
	if (r->format && r->outcome != SCRUB_RES_ERROR) {
		scrub_buf_printf(out, ", \"verdict\": \"%s\"", scrub_result_verdict(r));
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
			scrub_json_string(out, r->note, strlen(r->note));
		}
		found_list(out, r, style->verbose);
		facts_fields(out, &r->facts);
		findings_object(out, r);
		if (style->verbose)
			tag_list(out, r);
	}
	enum scrub_status st = scrub_buf_printf(out, "}\n");
	if (st != SCRUB_OK)
		out->len = start;
	return st;
}
