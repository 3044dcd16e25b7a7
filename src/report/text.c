/* Human-readable reports: one header line per file, then aligned rows. */
#include <stdio.h>
#include <string.h>

#include "scrub/format.h"
#include "scrub/report.h"

/*
 * Values come from the file: print only printable ASCII so a crafted tag
 * cannot move the cursor or recolour the terminal.
 */
static void clean_text(struct scrub_buf *out, const char *s, size_t max)
{
	size_t n = strlen(s);
	bool cut = n > max;
	for (size_t i = 0; i < n && i < max; i++) {
		char c = (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7F ? s[i] : '?';
		scrub_buf_append(out, &c, 1);
	}
	if (cut)
		scrub_buf_append(out, "...", 3);
}

static void size_text(struct scrub_buf *out, size_t bytes)
{
	if (bytes < 10000)
		scrub_buf_printf(out, "%zu B", bytes);
	else if (bytes < 10000000)
		scrub_buf_printf(out, "%.1f kB", (double)bytes / 1e3);
	else
		scrub_buf_printf(out, "%.1f MB", (double)bytes / 1e6);
}

static void row(struct scrub_buf *out, const char *key, const char *val)
{
	if (!val[0])
		return;
	scrub_buf_printf(out, "  %-12s ", key);
	clean_text(out, val, 100);
	scrub_buf_append(out, "\n", 1);
}

/* "Paris, Ile-de-France, France (FR)": the place names that are present. */
static void location_row(struct scrub_buf *out, const struct scrub_facts *f)
{
	const char *parts[] = { f->sublocation, f->city, f->state, f->country };
	char line[300] = "";
	size_t len = 0;
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
		if (parts[i][0] && len < sizeof line)
			len += (size_t)snprintf(line + len, sizeof line - len, "%s%s",
						len ? ", " : "", parts[i]);
	if (f->country_code[0] && len < sizeof line)
		snprintf(line + len, sizeof line - len, "%s(%s)", len ? " " : "", f->country_code);
	row(out, "location", line);
}

static void facts_rows(struct scrub_buf *out, const struct scrub_facts *f)
{
	location_row(out, f);
	if (f->has_gps) {
		scrub_buf_printf(out, "  %-12s %.6f, %.6f", "gps", f->lat, f->lon);
		if (f->has_alt)
			scrub_buf_printf(out, "  alt %.1f m", f->alt);
		if (f->gps_time[0])
			scrub_buf_printf(out, "  %s", f->gps_time);
		scrub_buf_append(out, "\n", 1);
	}
	char camera[140];
	snprintf(camera, sizeof camera, "%s%s%s", f->make, f->make[0] && f->model[0] ? " " : "",
		 f->model);
	if (f->orientation > 1)
		scrub_buf_printf(out, "  %-12s %d\n", "orientation", f->orientation);
	row(out, "camera", camera);
	row(out, "serial", f->body_serial);
	row(out, "lens", f->lens_model);
	row(out, "lens serial", f->lens_serial);
	row(out, "owner", f->owner);
	row(out, "artist", f->artist);
	row(out, "creator", f->creator);
	row(out, "copyright", f->copyright);
	row(out, "captured", f->datetime);
	row(out, "software", f->software);
	if (f->thumbnail_bytes) {
		scrub_buf_printf(out, "  %-12s ", "thumbnail");
		size_text(out, f->thumbnail_bytes);
		scrub_buf_append(out, "\n", 1);
	}
	row(out, "modified", f->modified);
	row(out, "icc profile", f->icc_name);
	if (f->history)
		scrub_buf_printf(out, "  %-12s %u entries\n", "history", f->history);
	row(out, "document id", f->document_id);
	if (f->keywords)
		scrub_buf_printf(out, "  %-12s %u\n", "keywords", f->keywords);
	for (size_t i = 0; i < f->ntext; i++) {
		char line[sizeof f->text[i].keyword + sizeof f->text[i].value + 2];
		snprintf(line, sizeof line, "%s: %s", f->text[i].keyword, f->text[i].value);
		row(out, "text", line);
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
static void image_text(struct scrub_buf *out, const struct scrub_image_info *im, const char *format)
{
	if (!im->known)
		return;
	scrub_buf_printf(out, " (%s %u-bit", im->color, im->bit_depth);
	if (im->progressive)
		scrub_buf_printf(out, ", %s", strcmp(format, "png") ? "progressive" : "interlaced");
	if (im->lossless)
		scrub_buf_printf(out, ", lossless");
	if (im->animated)
		scrub_buf_printf(out, ", %u frames", im->frames);
	scrub_buf_printf(out, ")");
}

static void full_report(struct scrub_buf *out, const struct scrub_result *r, bool verbose)
{
	size_t bytes;
	size_t n = removable(r, &bytes);
	clean_text(out, r->name, 4096);
	scrub_buf_printf(out, ": %s %ux%u", r->format, r->width, r->height);
	image_text(out, &r->image, r->format);
	scrub_buf_printf(out, ", ");
	const char *verdict = scrub_result_verdict(r);
	if (r->outcome == SCRUB_RES_CLEAN) {
		scrub_buf_printf(out, "clean");
	} else {
		scrub_buf_printf(out, "%zu to remove (", n);
		size_text(out, bytes);
		scrub_buf_printf(out, ")");
	}
	if (strcmp(verdict, "clean"))
		scrub_buf_printf(out, ", verdict %s", verdict);
	scrub_buf_printf(out, "\n");
	for (size_t i = 0; i < r->nfound; i++) {
		const struct scrub_finding *f = &r->found[i];
		if (f->kind == SCRUB_KIND_IMAGE && !verbose)
			continue;
		scrub_buf_printf(out, "  %-6s %-11s ", f->keep ? "keep" : "remove",
				 scrub_kind_name(f->kind));
		if (f->bytes) {
			struct scrub_buf sz;
			scrub_buf_init(&sz, 64);
			size_text(&sz, f->bytes);
			scrub_buf_printf(out, "%9.*s", (int)sz.len, (const char *)sz.data);
			scrub_buf_free(&sz);
		} else {
			scrub_buf_printf(out, "%9s", "");
		}
		scrub_buf_printf(out, "  %s%s\n", f->derived ? "in " : "", f->label);
	}
	facts_rows(out, &r->facts);
}

/* "-v" line in scrub mode: what happened and what went. */
static void scrub_line(struct scrub_buf *out, const struct scrub_result *r)
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
	const char *sep = " ";
	bool named[SCRUB_KIND_COUNT] = { false };
	for (size_t i = 0; i < r->nfound; i++) {
		const struct scrub_finding *f = &r->found[i];
		if (f->keep || f->kind >= SCRUB_KIND_COUNT || named[f->kind])
			continue;
		named[f->kind] = true;
		scrub_buf_printf(out, "%s%s", sep, scrub_kind_name(f->kind));
		sep = ", ";
	}
	if (r->bytes_out <= r->bytes_in) {
		scrub_buf_printf(out, " (");
		size_text(out, r->bytes_in - r->bytes_out);
		scrub_buf_printf(out, ")");
	}
	if (r->baked)
		scrub_buf_printf(out, ", orientation %d applied to the pixels", r->baked);
	scrub_buf_printf(out, "\n");
}

enum scrub_status scrub_report_text(struct scrub_buf *out, const struct scrub_result *r,
				    const struct scrub_report_style *style)
{
	if (r->outcome == SCRUB_RES_ERROR)
		return SCRUB_OK; /* errors go to stderr through msg.c */
	switch (style->mode) {
	case SCRUB_MODE_CHECK:
		/* Raw name: scripts read this list back. */
		if (r->outcome == SCRUB_RES_DIRTY) {
			scrub_buf_append(out, r->name, strlen(r->name));
			scrub_buf_append(out, "\n", 1);
		}
		break;
	case SCRUB_MODE_REPORT:
		if (r->outcome == SCRUB_RES_SKIPPED) {
			if (style->verbose)
				scrub_line(out, r);
		} else {
			full_report(out, r, style->verbose);
		}
		break;
	case SCRUB_MODE_SCRUB:
		if (style->verbose)
			scrub_line(out, r);
		break;
	}
	return SCRUB_OK;
}
