/*
 * The grouped findings both renderers print: decoded facts sorted into
 * what they reveal, then the removed segments nothing else explains.
 */
#include <stdio.h>
#include <string.h>

#include "report/findings.h"
#include "formats/format.h"

static const char *const group_keys[SCRUB_GROUP_COUNT] = {
	"location", "identity", "time", "device", "hidden_images", "history", "provenance", "other"
};
static const char *const group_labels[SCRUB_GROUP_COUNT] = {
	"location", "identity", "time", "device", "hidden", "history", "provenance", "other"
};

const char *scrub_group_key(enum scrub_group g)
{
	return g < SCRUB_GROUP_COUNT ? group_keys[g] : "other";
}

const char *scrub_group_label(enum scrub_group g)
{
	return g < SCRUB_GROUP_COUNT ? group_labels[g] : "other";
}

void scrub_size_text(char *dst, size_t size, size_t bytes)
{
	if (bytes < 10000)
		snprintf(dst, size, "%zu B", bytes);
	else if (bytes < 10000000)
		snprintf(dst, size, "%.1f kB", (double)bytes / 1e3);
	else
		snprintf(dst, size, "%.1f MB", (double)bytes / 1e6);
}

static struct scrub_fact *add(struct scrub_fact_list *l, enum scrub_group g,
			      enum scrub_value_type type, const char *key, const char *label)
{
	if (l->n == SCRUB_FACT_MAX)
		return NULL;
	struct scrub_fact *f = &l->v[l->n++];
	*f = (struct scrub_fact){ .group = (uint8_t)g, .type = (uint8_t)type,
				  .show = SCRUB_SHOW_BOTH, .key = key, .label = label };
	return f;
}

static struct scrub_fact *add_text(struct scrub_fact_list *l, enum scrub_group g,
				   const char *key, const char *label, const char *val)
{
	struct scrub_fact *f = NULL;
	if (val[0] && (f = add(l, g, SCRUB_VALUE_TEXT, key, label)))
		f->text = val;
	return f;
}

/* A member for JSON only: the text report shows it inside a combined row. */
static void add_json_text(struct scrub_fact_list *l, enum scrub_group g, const char *key,
			  const char *val)
{
	struct scrub_fact *f = add_text(l, g, key, key, val);
	if (f)
		f->show = SCRUB_SHOW_JSON;
}

static void add_date(struct scrub_fact_list *l, enum scrub_group g, const char *key,
		     const char *label, const char *val)
{
	struct scrub_fact *f;
	if (val[0] && (f = add(l, g, SCRUB_VALUE_DATE, key, label)))
		f->text = val;
}

static void add_number(struct scrub_fact_list *l, enum scrub_group g, enum scrub_value_type type,
		       const char *key, const char *label, double v, unsigned show)
{
	struct scrub_fact *f = add(l, g, type, key, label);
	if (f) {
		f->number = v;
		f->show = (uint8_t)show;
	}
}

static void add_flag(struct scrub_fact_list *l, enum scrub_group g, const char *key,
		     const char *label, bool on)
{
	if (on)
		add_number(l, g, SCRUB_VALUE_BOOL, key, label, 1, SCRUB_SHOW_BOTH);
}

/* A member shown in both, named by its JSON key. */
static void add_both_text(struct scrub_fact_list *l, enum scrub_group g, const char *key,
			  const char *val)
{
	add_text(l, g, key, key, val);
}

/* Longest place row; longer place names get a row each (the text report cuts at 100). */
#define PLACE_ROW_MAX 96

/* A text-only row combining JSON members, formatted into the list's scratch. */
static char *combined(struct scrub_fact_list *l, enum scrub_group g, const char *label)
{
	if (l->nscratch == SCRUB_FACT_SCRATCH)
		return NULL;
	struct scrub_fact *f = add(l, g, SCRUB_VALUE_TEXT, NULL, label);
	if (!f)
		return NULL;
	f->show = SCRUB_SHOW_TEXT;
	char *s = l->scratch[l->nscratch++];
	s[0] = '\0';
	f->text = s;
	return s;
}

static void location(const struct scrub_facts *f, struct scrub_fact_list *l)
{
	char *s;
	if (f->has_gps && (s = combined(l, SCRUB_GROUP_LOCATION, "gps"))) {
		int n = snprintf(s, sizeof l->scratch[0], "%.6f, %.6f", f->lat, f->lon);
		if (f->has_alt && n > 0)
			snprintf(s + n, sizeof l->scratch[0] - (size_t)n, ", alt %.1f m", f->alt);
	}
	if (f->has_gps) {
		add_number(l, SCRUB_GROUP_LOCATION, SCRUB_VALUE_REAL, "lat", "latitude", f->lat,
			   SCRUB_SHOW_JSON);
		l->v[l->n - 1].decimals = 6;
		add_number(l, SCRUB_GROUP_LOCATION, SCRUB_VALUE_REAL, "lon", "longitude", f->lon,
			   SCRUB_SHOW_JSON);
		l->v[l->n - 1].decimals = 6;
	}
	if (f->has_gps && f->has_alt) {
		add_number(l, SCRUB_GROUP_LOCATION, SCRUB_VALUE_REAL, "alt", "altitude", f->alt,
			   SCRUB_SHOW_JSON);
		l->v[l->n - 1].decimals = 1;
	}
	/*
	 * "Champ de Mars, Paris, Ile-de-France, France (FR)": the names present,
	 * on one row unless that row would be cut; then one row per name.
	 */
	const char *parts[] = { f->sublocation, f->city, f->state, f->country };
	bool any = f->country_code[0];
	for (size_t i = 0; i < 4; i++)
		any |= parts[i][0] != '\0';
	bool split = !any;
	if (any && (s = combined(l, SCRUB_GROUP_LOCATION, "place"))) {
		size_t len = 0, size = sizeof l->scratch[0];
		for (size_t i = 0; i < 4; i++)
			if (parts[i][0] && len < size)
				len += (size_t)snprintf(s + len, size - len, "%s%s", len ? ", " : "",
							parts[i]);
		if (f->country_code[0] && len < size)
			len += (size_t)snprintf(s + len, size - len, "%s(%s)", len ? " " : "",
						f->country_code);
		split = len > PLACE_ROW_MAX;
		if (split)
			l->v[l->n - 1].show = 0;
	}
	void (*part)(struct scrub_fact_list *, enum scrub_group, const char *, const char *) =
		split ? add_both_text : add_json_text;
	part(l, SCRUB_GROUP_LOCATION, "sublocation", f->sublocation);
	part(l, SCRUB_GROUP_LOCATION, "city", f->city);
	part(l, SCRUB_GROUP_LOCATION, "state", f->state);
	part(l, SCRUB_GROUP_LOCATION, "country", f->country);
	part(l, SCRUB_GROUP_LOCATION, "country_code", f->country_code);
}

static void identity(const struct scrub_facts *f, struct scrub_fact_list *l)
{
	add_text(l, SCRUB_GROUP_IDENTITY, "owner", "owner", f->owner);
	add_text(l, SCRUB_GROUP_IDENTITY, "artist", "artist", f->artist);
	add_text(l, SCRUB_GROUP_IDENTITY, "creator", "creator", f->creator);
	add_text(l, SCRUB_GROUP_IDENTITY, "copyright", "copyright", f->copyright);
	add_text(l, SCRUB_GROUP_IDENTITY, "body_serial", "serial", f->body_serial);
	add_text(l, SCRUB_GROUP_IDENTITY, "lens_serial", "lens serial", f->lens_serial);
}

static void times(const struct scrub_facts *f, struct scrub_fact_list *l)
{
	add_date(l, SCRUB_GROUP_TIME, "captured", "captured", f->datetime);
	add_date(l, SCRUB_GROUP_TIME, "digitized", "digitized", f->digitized);
	add_date(l, SCRUB_GROUP_TIME, "edited", "edited", f->edited);
	add_date(l, SCRUB_GROUP_TIME, "gps_time", "gps time", f->gps_time);
	add_date(l, SCRUB_GROUP_TIME, "png_time", "png tIME", f->modified);
}

static void device(const struct scrub_facts *f, struct scrub_fact_list *l)
{
	char *s;
	if ((f->make[0] || f->model[0]) && (s = combined(l, SCRUB_GROUP_DEVICE, "camera")))
		snprintf(s, sizeof l->scratch[0], "%s%s%s", f->make,
			 f->make[0] && f->model[0] ? " " : "", f->model);
	add_json_text(l, SCRUB_GROUP_DEVICE, "make", f->make);
	add_json_text(l, SCRUB_GROUP_DEVICE, "model", f->model);
	add_text(l, SCRUB_GROUP_DEVICE, "lens", "lens", f->lens_model);
	add_text(l, SCRUB_GROUP_DEVICE, "software", "software", f->software);
	if (f->has_makernote)
		add_number(l, SCRUB_GROUP_DEVICE, SCRUB_VALUE_BYTES, "makernote_bytes", "maker note",
			   (double)f->makernote_bytes, SCRUB_SHOW_BOTH);
}

/* The first top-level segment of a kind (not one found inside another), or NULL. */
static const struct scrub_finding *first_segment(const struct scrub_result *r, enum scrub_kind k)
{
	for (size_t i = 0; i < r->nfound; i++)
		if (r->found[i].kind == k && !r->found[i].derived)
			return &r->found[i];
	return NULL;
}

/* A segment's label without the word "trailer": "JPEG image", "MP4 video". */
static const char *trailer_what(const char *label)
{
	return strncmp(label, "trailer ", 8) ? label : label + 8;
}

/* A size row for the text report: "3603 B, in APP1 Exif". */
static void size_row(struct scrub_fact_list *l, enum scrub_group g, const char *label,
		     size_t bytes, const char *where)
{
	char *row = combined(l, g, label);
	char size[32];
	scrub_size_text(size, sizeof size, bytes);
	if (row)
		snprintf(row, sizeof l->scratch[0], "%s, in %s", size, where);
}

/* JPEG XL jbrd: the original JPEG's own markers ride along, and go with the box. */
static void jpeg_rebuild(const struct scrub_finding *seg, struct scrub_fact_list *l)
{
	char size[32], *row;
	scrub_size_text(size, sizeof size, seg->bytes);
	if ((row = combined(l, SCRUB_GROUP_HIDDEN, "jpeg rebuild")))
		snprintf(row, sizeof l->scratch[0], "%s, the original JPEG's markers%s", size,
			 seg->keep ? "" : "; without it the file cannot be turned back into that JPEG");
	add_number(l, SCRUB_GROUP_HIDDEN, SCRUB_VALUE_BYTES, "jpeg_reconstruction_bytes",
		   "jpeg rebuild", (double)seg->bytes, SCRUB_SHOW_JSON);
}

static void hidden(const struct scrub_result *r, struct scrub_fact_list *l)
{
	const struct scrub_facts *f = &r->facts;
	if (f->thumbnail_bytes) {
		size_row(l, SCRUB_GROUP_HIDDEN, "thumbnail", f->thumbnail_bytes, "EXIF");
		add_number(l, SCRUB_GROUP_HIDDEN, SCRUB_VALUE_BYTES, "exif_thumbnail_bytes",
			   "thumbnail", (double)f->thumbnail_bytes, SCRUB_SHOW_JSON);
	}
	const struct scrub_finding *seg = first_segment(r, SCRUB_KIND_THUMBNAIL);
	if (seg) {
		size_row(l, SCRUB_GROUP_HIDDEN, "thumbnail", seg->bytes, seg->label);
		add_number(l, SCRUB_GROUP_HIDDEN, SCRUB_VALUE_BYTES, "jfif_thumbnail_bytes",
			   "thumbnail", (double)seg->bytes, SCRUB_SHOW_JSON);
	}
	char *row;
	if (f->mpf_images) {
		char size[32];
		scrub_size_text(size, sizeof size, f->mpf_bytes);
		if ((row = combined(l, SCRUB_GROUP_HIDDEN, "mpf images")))
			snprintf(row, sizeof l->scratch[0], "%u, %s in all", f->mpf_images, size);
		add_number(l, SCRUB_GROUP_HIDDEN, SCRUB_VALUE_INT, "mpf_images", "mpf images",
			   f->mpf_images, SCRUB_SHOW_JSON);
		add_number(l, SCRUB_GROUP_HIDDEN, SCRUB_VALUE_BYTES, "mpf_bytes", "mpf size",
			   (double)f->mpf_bytes, SCRUB_SHOW_JSON);
	}
	add_flag(l, SCRUB_GROUP_HIDDEN, "gain_map", "gain map", f->hidden & SCRUB_HIDDEN_GAIN_MAP);
	add_flag(l, SCRUB_GROUP_HIDDEN, "depth_map", "depth map", f->hidden & SCRUB_HIDDEN_DEPTH_MAP);
	add_flag(l, SCRUB_GROUP_HIDDEN, "original_image", "original",
		 f->hidden & SCRUB_HIDDEN_ORIGINAL);
	add_flag(l, SCRUB_GROUP_HIDDEN, "motion_photo", "motion photo",
		 f->hidden & SCRUB_HIDDEN_MOTION);
	if ((seg = first_segment(r, SCRUB_KIND_JPEG_REBUILD)))
		jpeg_rebuild(seg, l);
	if ((seg = first_segment(r, SCRUB_KIND_TRAILER))) {
		char size[32];
		scrub_size_text(size, sizeof size, seg->bytes);
		if ((row = combined(l, SCRUB_GROUP_HIDDEN, "trailer")))
			snprintf(row, sizeof l->scratch[0], "%s, %s", trailer_what(seg->label), size);
		add_json_text(l, SCRUB_GROUP_HIDDEN, "trailer", trailer_what(seg->label));
		add_number(l, SCRUB_GROUP_HIDDEN, SCRUB_VALUE_BYTES, "trailer_bytes", "trailer size",
			   (double)seg->bytes, SCRUB_SHOW_JSON);
	}
}

static void history(const struct scrub_result *r, struct scrub_fact_list *l)
{
	const struct scrub_facts *f = &r->facts;
	if (f->history)
		add_number(l, SCRUB_GROUP_HISTORY, SCRUB_VALUE_INT, "entries", "edits", f->history,
			   SCRUB_SHOW_BOTH);
	add_text(l, SCRUB_GROUP_HISTORY, "document_id", "document id", f->document_id);
	add_text(l, SCRUB_GROUP_HISTORY, "original_document_id", "original id",
		 f->original_document_id);
	const struct scrub_finding *irb = first_segment(r, SCRUB_KIND_PHOTOSHOP);
	if (irb)
		add_number(l, SCRUB_GROUP_HISTORY, SCRUB_VALUE_BYTES, "photoshop_bytes", "photoshop",
			   (double)irb->bytes, SCRUB_SHOW_BOTH);
}

static void provenance(const struct scrub_result *r, struct scrub_fact_list *l)
{
	const struct scrub_facts *f = &r->facts;
	size_t bytes = 0;
	for (size_t i = 0; i < r->nfound; i++)
		if (r->found[i].kind == SCRUB_KIND_JUMBF && !r->found[i].derived)
			bytes += r->found[i].bytes;
	if (!f->c2pa && !bytes)
		return;
	add_number(l, SCRUB_GROUP_PROVENANCE, SCRUB_VALUE_BYTES, "c2pa_bytes", "c2pa manifest",
		   (double)bytes, SCRUB_SHOW_BOTH);
	add_text(l, SCRUB_GROUP_PROVENANCE, "claim_generator", "generator", f->c2pa_generator);
}

/* Kinds some group above already speaks for, or that are kept. */
static bool explained(const struct scrub_finding *s)
{
	switch (s->kind) {
	case SCRUB_KIND_EXIF: case SCRUB_KIND_GPS: case SCRUB_KIND_MAKERNOTE:
	case SCRUB_KIND_THUMBNAIL: case SCRUB_KIND_XMP: case SCRUB_KIND_IPTC:
	case SCRUB_KIND_PHOTOSHOP: case SCRUB_KIND_MPF: case SCRUB_KIND_JUMBF:
	case SCRUB_KIND_TRAILER: case SCRUB_KIND_IMAGE: case SCRUB_KIND_TEXT:
	case SCRUB_KIND_JPEG_REBUILD:
		return true;
	default:
		return s->keep || s->derived;
	}
}

/* What the coded image itself carries (a JPEG XL codestream): no --keep removes it. */
static void coded(const struct scrub_image_info *im, struct scrub_fact_list *l)
{
	char *row;
	if (!im->coded_icc_bytes && !im->coded_orientation)
		return;
	char size[32], icc[48] = "", turn[24] = "";
	scrub_size_text(size, sizeof size, im->coded_icc_bytes);
	if (im->coded_icc_bytes)
		snprintf(icc, sizeof icc, "ICC profile %s", size);
	if (im->coded_orientation)
		snprintf(turn, sizeof turn, "orientation %u", im->coded_orientation);
	if ((row = combined(l, SCRUB_GROUP_OTHER, "in codestream")))
		snprintf(row, sizeof l->scratch[0], "%s%s%s: part of the image, kept even with --keep none",
			 icc, icc[0] && turn[0] ? ", " : "", turn);
	if (im->coded_icc_bytes)
		add_number(l, SCRUB_GROUP_OTHER, SCRUB_VALUE_BYTES, "codestream_icc_bytes",
			   "codestream icc", im->coded_icc_bytes, SCRUB_SHOW_JSON);
	if (im->coded_orientation)
		add_number(l, SCRUB_GROUP_OTHER, SCRUB_VALUE_INT, "codestream_orientation",
			   "codestream orientation", im->coded_orientation, SCRUB_SHOW_JSON);
}

static void other(const struct scrub_result *r, struct scrub_fact_list *l)
{
	const struct scrub_facts *f = &r->facts;
	coded(&r->image, l);
	if (f->keywords)
		add_number(l, SCRUB_GROUP_OTHER, SCRUB_VALUE_INT, "keywords", "keywords", f->keywords,
			   SCRUB_SHOW_BOTH);
	add_text(l, SCRUB_GROUP_OTHER, "icc_profile", "icc profile", f->icc_name);
	if (f->orientation > 1) /* kept, and in the top-level JSON already */
		add_number(l, SCRUB_GROUP_OTHER, SCRUB_VALUE_INT, NULL, "orientation", f->orientation,
			   SCRUB_SHOW_TEXT);
	for (size_t i = 0; i < f->ntext; i++) {
		struct scrub_fact *t = add(l, SCRUB_GROUP_OTHER, SCRUB_VALUE_TEXT, NULL, "text");
		if (t) {
			t->name = f->text[i].keyword;
			t->text = f->text[i].value;
		}
	}
	for (size_t i = 0; i < r->nfound; i++) {
		const struct scrub_finding *s = &r->found[i];
		if (explained(s))
			continue;
		/* The text report lists every segment below the findings already. */
		struct scrub_fact *t = add(l, SCRUB_GROUP_OTHER, SCRUB_VALUE_BYTES, NULL, s->label);
		if (t) {
			t->show = SCRUB_SHOW_JSON;
			t->name = scrub_kind_name(s->kind);
			t->number = (double)s->bytes;
		}
	}
}

void scrub_fact_list_build(const struct scrub_result *r, struct scrub_fact_list *l)
{
	l->n = 0;
	l->nscratch = 0;
	location(&r->facts, l);
	identity(&r->facts, l);
	times(&r->facts, l);
	device(&r->facts, l);
	hidden(r, l);
	history(r, l);
	provenance(r, l);
	other(r, l);
}
