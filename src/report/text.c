/* Human-readable reports: one header line per file, then aligned rows. */
#include <stdio.h>
#include <string.h>

#include "report/findings.h"
#include "formats/format.h"
#include "report/report.h"
#include "core/utf8.h"

/* SGR colours for a terminal; empty strings when colour is off. */
#define C_RED "1;31"
#define C_YELLOW "33"
#define C_MAGENTA "35"
#define C_GREEN "32"

static void paint(struct scrub_buf *out, bool on, const char *sgr, const char *s, int width)
{
	if (on && sgr)
		scrub_buf_printf(out, "\033[%sm%s\033[0m%*s", sgr, s,
				 width > (int)strlen(s) ? width - (int)strlen(s) : 0, "");
	else
		scrub_buf_printf(out, "%-*s", width, s);
}

/*
 * Whether a code point could move the cursor, recolour the terminal or
 * reorder what is shown: control characters, and the bidirectional marks
 * and overrides.
 */
static bool unsafe_code_point(uint32_t cp)
{
	return scrub_utf8_is_control(cp) || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * Values come from the file: valid UTF-8 is shown as it is, tabs and line
 * breaks as spaces, anything else that could act on the terminal (and
 * invalid bytes) as '?', and at most max characters before "...".
 */
static void clean_text(struct scrub_buf *out, const char *str, size_t max)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), shown = 0;
	for (size_t i = 0; i < n;) {
		if (shown == max) {
			scrub_buf_append(out, "...", 3);
			return;
		}
		uint32_t cp = 0;
		size_t len = scrub_utf8_decode(s + i, n - i, &cp);
		if (cp == '\n' || cp == '\r' || cp == '\t') {
			/* Line breaks of a prompt or an address read as the spaces they stand for. */
			scrub_buf_append(out, " ", 1);
			i += len;
		} else if (len == 0 || unsafe_code_point(cp)) {
			scrub_buf_append(out, "?", 1);
			i += len ? len : 1;
		} else {
			scrub_buf_append(out, s + i, len);
			i += len;
		}
		shown++;
	}
}

/* A column: s cleaned and cut at max characters, padded to width bytes, then gap. */
static void cell(struct scrub_buf *out, const char *s, size_t max, size_t width, const char *gap)
{
	size_t at = out->len;
	clean_text(out, s, max);
	size_t w = out->len - at;
	scrub_buf_printf(out, "%*s%s", w < width ? (int)(width - w) : 0, "", gap);
}

static void size_text(struct scrub_buf *out, size_t bytes)
{
	char s[32];
	scrub_size_text(s, sizeof s, bytes);
	scrub_buf_printf(out, "%s", s);
}

/* Values longer than this many characters are cut (the JSON has them whole). */
#define VALUE_MAX 100

/* The groups that name a place, a person or what they asked for are red. */
static const char *const group_colour[SCRUB_GROUP_COUNT] = {
	[SCRUB_GROUP_LOCATION] = C_RED,    [SCRUB_GROUP_IDENTITY] = C_RED,
	[SCRUB_GROUP_PROMPT] = C_RED,      [SCRUB_GROUP_TIME] = C_YELLOW,
	[SCRUB_GROUP_DEVICE] = C_YELLOW,   [SCRUB_GROUP_HIDDEN] = C_MAGENTA,
};

static void fact_value(struct scrub_buf *out, const struct scrub_fact *f)
{
	switch (f->type) {
	case SCRUB_VALUE_TEXT:
	case SCRUB_VALUE_DATE:
		if (f->name) {
			clean_text(out, f->name, 40);
			scrub_buf_append(out, ": ", 2);
		}
		clean_text(out, f->text, VALUE_MAX);
		break;
	case SCRUB_VALUE_INT:
		scrub_buf_printf(out, "%.0f", f->number);
		break;
	case SCRUB_VALUE_REAL:
		scrub_buf_printf(out, "%.*f", f->decimals, f->number);
		break;
	case SCRUB_VALUE_BYTES:
		size_text(out, (size_t)f->number);
		break;
	case SCRUB_VALUE_BOOL:
		scrub_buf_printf(out, "%s", f->number ? "yes" : "no");
		break;
	}
}

/* One aligned row per fact, the group named on its first row. */
static void facts_rows(struct scrub_buf *out, const struct scrub_result *r, bool color)
{
	struct scrub_fact_list list;
	scrub_fact_list_build(r, &list);
	int shown_group = -1;
	for (size_t i = 0; i < list.n; i++) {
		const struct scrub_fact *f = &list.v[i];
		if (!(f->show & SCRUB_SHOW_TEXT))
			continue;
		scrub_buf_append(out, "  ", 2);
		if (f->group != shown_group)
			paint(out, color, group_colour[f->group], scrub_group_name(f->group), 11);
		else
			scrub_buf_printf(out, "%11s", "");
		shown_group = f->group;
		scrub_buf_append(out, " ", 1);
		cell(out, f->label, 40, 13, " ");
		fact_value(out, f);
		scrub_buf_append(out, "\n", 1);
	}
}

static size_t removable(const struct scrub_result *r, size_t *bytes)
{
	size_t n = 0;
	*bytes = 0;
	for (size_t i = 0; i < r->nfound; i++)
		if (!r->found[i].keep && !r->found[i].derived) {
			n++;
			*bytes += r->found[i].bytes;
		}
	return n;
}

/* " (YCbCr 4:2:0 8-bit, progressive)": the codec probe in a few words. */
static void image_text(struct scrub_buf *out, const struct scrub_image_info *im)
{
	if (!im->known)
		return;
	scrub_buf_printf(out, " (%s %u-bit", im->color, im->bit_depth);
	if (im->progressive)
		scrub_buf_printf(out, ", progressive");
	if (im->interlaced)
		scrub_buf_printf(out, ", interlaced");
	if (im->lossless)
		scrub_buf_printf(out, ", lossless");
	if (im->animated)
		scrub_buf_printf(out, ", %u frames", im->frames);
	scrub_buf_printf(out, ")");
}

/* --report -v: every tag the decoders saw, after the segments. */
static void tag_rows(struct scrub_buf *out, const struct scrub_result *r)
{
	size_t pos = 0;
	const char *source, *name, *value;
	while (scrub_tags_next(&r->tags, &pos, &source, &name, &value)) {
		scrub_buf_append(out, "  tag    ", 9);
		cell(out, source, 20, 16, "  ");
		cell(out, name, 40, 28, "  ");
		clean_text(out, value, VALUE_MAX);
		scrub_buf_append(out, "\n", 1);
	}
}

static const char *verdict_colour(enum scrub_verdict v)
{
	if (v == SCRUB_VERDICT_CLEAN)
		return C_GREEN;
	return v <= SCRUB_VERDICT_PROMPT ? C_RED : C_YELLOW;
}

static void full_report(struct scrub_buf *out, const struct scrub_result *r, bool verbose,
			bool color)
{
	size_t bytes;
	size_t n = removable(r, &bytes);
	clean_text(out, r->name, 4096);
	scrub_buf_printf(out, ": %s %ux%u", r->format, r->width, r->height);
	image_text(out, &r->image);
	scrub_buf_printf(out, ", ");
	enum scrub_verdict verdict = scrub_result_verdict(r);
	if (r->outcome == SCRUB_RES_CLEAN) {
		scrub_buf_printf(out, "clean");
	} else {
		scrub_buf_printf(out, "%zu to remove (", n);
		size_text(out, bytes);
		scrub_buf_printf(out, ")");
	}
	if (verdict != SCRUB_VERDICT_CLEAN) {
		scrub_buf_printf(out, ", verdict ");
		paint(out, color, verdict_colour(verdict), scrub_verdict_name(verdict), 0);
	}
	scrub_buf_printf(out, "\n");
	facts_rows(out, r, color);
	for (size_t i = 0; i < r->nfound; i++) {
		const struct scrub_finding *f = &r->found[i];
		if (f->kind == SCRUB_KIND_IMAGE && !verbose)
			continue;
		scrub_buf_append(out, "  ", 2);
		paint(out, color, f->keep ? C_GREEN : NULL, f->keep ? "keep" : "remove", 6);
		scrub_buf_printf(out, " %-11s ", scrub_kind_name(f->kind));
		if (f->bytes) {
			struct scrub_buf sz;
			scrub_buf_init(&sz, 64);
			size_text(&sz, f->bytes);
			scrub_buf_printf(out, "%9.*s", (int)sz.len, (const char *)sz.data);
			scrub_buf_free(&sz);
		} else {
			scrub_buf_printf(out, "%9s", "");
		}
		scrub_buf_printf(out, "  %s", f->derived ? "in " : "");
		clean_text(out, f->label, 40);
		scrub_buf_append(out, "\n", 1);
	}
	if (verbose)
		tag_rows(out, r);
}

/* "-v" line in scrub mode: what happened and what went. */
static void verbose_line(struct scrub_buf *out, const struct scrub_result *r)
{
	clean_text(out, r->name, 4096);
	if (r->outcome == SCRUB_RES_SKIPPED) {
		scrub_buf_printf(out, ": skipped, not an image\n");
		return;
	}
	if (r->outcome == SCRUB_RES_CLEAN) {
		scrub_buf_printf(out, ": already clean\n");
		return;
	}
	scrub_buf_printf(out, ": scrubbed, removed");
	const char *sep = " ", *loss = NULL;
	bool named[SCRUB_KIND_COUNT] = { false };
	for (size_t i = 0; i < r->nfound; i++) {
		const struct scrub_finding *f = &r->found[i];
		if (f->keep || f->kind >= SCRUB_KIND_COUNT || named[f->kind])
			continue;
		named[f->kind] = true;
		scrub_buf_printf(out, "%s%s", sep, scrub_kind_name(f->kind));
		sep = ", ";
		if (!loss)
			loss = scrub_kind_loss(f->kind);
	}
	if (r->bytes_out <= r->bytes_in) {
		scrub_buf_printf(out, " (");
		size_text(out, r->bytes_in - r->bytes_out);
		scrub_buf_printf(out, ")");
	}
	if (r->baked)
		scrub_buf_printf(out, ", orientation %d applied to the pixels", r->baked);
	if (loss)
		scrub_buf_printf(out, "; %s", loss);
	scrub_buf_printf(out, "\n");
}

enum scrub_status scrub_report_text(struct scrub_buf *out, const struct scrub_result *r,
				    const struct scrub_report_style *style)
{
	if (r->outcome == SCRUB_RES_ERROR)
		return SCRUB_OK; /* errors go to stderr through msg.c */
	switch (style->mode) {
	case SCRUB_MODE_CHECK:
		/* Raw name: scripts read this list back. A file scrub cannot clean is not clean. */
		if (r->outcome == SCRUB_RES_DIRTY || r->outcome == SCRUB_RES_UNSUPPORTED) {
			scrub_buf_append(out, r->name, strlen(r->name));
			scrub_buf_append(out, "\n", 1);
		}
		break;
	case SCRUB_MODE_REPORT:
		if (r->outcome == SCRUB_RES_UNSUPPORTED) {
			clean_text(out, r->name, 4096);
			scrub_buf_printf(out, ": %s, cannot be cleaned: its metadata stays\n", r->format);
		} else if (r->outcome == SCRUB_RES_SKIPPED) {
			if (style->verbose)
				verbose_line(out, r);
		} else {
			full_report(out, r, style->verbose, style->color);
		}
		break;
	case SCRUB_MODE_SCRUB:
		if (style->verbose)
			verbose_line(out, r);
		break;
	}
	return SCRUB_OK;
}
