/*
 * The grouped findings both renderers print: decoded facts sorted into
 * what they reveal, then the removed segments nothing else explains.
 */
#include <stdio.h>
#include <string.h>

#include "report/findings.h"
#include "formats/format.h"

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

static struct scrub_fact *add_date(struct scrub_fact_list *l, enum scrub_group g,
				   const char *key, const char *label, const char *val)
{
	struct scrub_fact *f = NULL;
	if (val[0] && (f = add(l, g, SCRUB_VALUE_DATE, key, label)))
		f->text = val;
	return f;
}

/* A date for JSON only: the text report shows it in a combined row. */
static void add_json_date(struct scrub_fact_list *l, enum scrub_group g, const char *key,
			  const char *val)
{
	struct scrub_fact *f = add_date(l, g, key, key, val);
	if (f)
		f->show = SCRUB_SHOW_JSON;
}

static struct scrub_fact *add_number(struct scrub_fact_list *l, enum scrub_group g,
				     enum scrub_value_type type, const char *key,
				     const char *label, double v, unsigned show)
{
	struct scrub_fact *f = add(l, g, type, key, label);
	if (f) {
		f->number = v;
		f->show = (uint8_t)show;
	}
	return f;
}

/* A JSON-only number with decimals digits (the text shows it in a combined row). */
static void add_real(struct scrub_fact_list *l, enum scrub_group g, const char *key, double v,
		     unsigned decimals)
{
	struct scrub_fact *f = add_number(l, g, SCRUB_VALUE_REAL, key, key, v, SCRUB_SHOW_JSON);
	if (f)
		f->decimals = (uint8_t)decimals;
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

static void gps_rows(const struct scrub_facts *f, struct scrub_fact_list *l)
{
	char *s;
	if (f->has_gps && (s = combined(l, SCRUB_GROUP_LOCATION, "gps"))) {
		int n = snprintf(s, sizeof l->scratch[0], "%.6f, %.6f", f->lat, f->lon);
		if (f->has_alt && n > 0)
			snprintf(s + n, sizeof l->scratch[0] - (size_t)n, ", alt %.1f m", f->alt);
	}
	if (f->has_gps) {
		add_real(l, SCRUB_GROUP_LOCATION, "lat", f->lat, 6);
		add_real(l, SCRUB_GROUP_LOCATION, "lon", f->lon, 6);
	}
	if (f->has_gps && f->has_alt)
		add_real(l, SCRUB_GROUP_LOCATION, "alt", f->alt, 1);
	/* A position that disagrees with the first, from another block (SPEC.md section 4). */
	if (f->has_gps2 && (s = combined(l, SCRUB_GROUP_LOCATION, "other gps")))
		snprintf(s, sizeof l->scratch[0], "%.6f, %.6f, in %s", f->lat2, f->lon2,
			 f->gps2_from[0] ? f->gps2_from : "another block");
	if (f->has_gps2) {
		add_real(l, SCRUB_GROUP_LOCATION, "second_lat", f->lat2, 6);
		add_real(l, SCRUB_GROUP_LOCATION, "second_lon", f->lon2, 6);
		add_json_text(l, SCRUB_GROUP_LOCATION, "second_from", f->gps2_from);
	}
}

static void location(const struct scrub_facts *f, struct scrub_fact_list *l)
{
	char *s;
	gps_rows(f, l);
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
	if (f->mcc[0] && (s = combined(l, SCRUB_GROUP_LOCATION, "network")))
		snprintf(s, sizeof l->scratch[0], "mobile country code %s", f->mcc);
	add_json_text(l, SCRUB_GROUP_LOCATION, "mobile_country_code", f->mcc);
}

/* The first top-level segment of a kind (not one found inside another), or NULL. */
static const struct scrub_finding *first_segment(const struct scrub_result *r, enum scrub_kind k)
{
	for (size_t i = 0; i < r->nfound; i++)
		if (r->found[i].kind == k && !r->found[i].derived)
			return &r->found[i];
	return NULL;
}

static void identity(const struct scrub_facts *f, struct scrub_fact_list *l)
{
	add_text(l, SCRUB_GROUP_IDENTITY, "owner", "owner", f->owner);
	add_text(l, SCRUB_GROUP_IDENTITY, "artist", "artist", f->artist);
	add_text(l, SCRUB_GROUP_IDENTITY, "creator", "creator", f->creator);
	add_text(l, SCRUB_GROUP_IDENTITY, "copyright", "copyright", f->copyright);
	add_text(l, SCRUB_GROUP_IDENTITY, "body_serial", "serial", f->body_serial);
	add_text(l, SCRUB_GROUP_IDENTITY, "lens_serial", "lens serial", f->lens_serial);
	add_text(l, SCRUB_GROUP_IDENTITY, "people", "people shown", f->people);
	add_text(l, SCRUB_GROUP_IDENTITY, "contact", "contact", f->contact);
	add_text(l, SCRUB_GROUP_IDENTITY, "writer", "caption by", f->writer);
	add_text(l, SCRUB_GROUP_IDENTITY, "file_path", "file path", f->file_path);
}

/* What was asked of an image generator, and with what: SPEC.md section 4's prompt group. */
static void prompt(const struct scrub_facts *f, struct scrub_fact_list *l)
{
	const struct scrub_prompt *p = &f->prompt;
	char *s;
	add_text(l, SCRUB_GROUP_PROMPT, "generator", "generator", p->generator);
	add_text(l, SCRUB_GROUP_PROMPT, "prompt", "prompt", p->prompt);
	add_text(l, SCRUB_GROUP_PROMPT, "negative_prompt", "negative", p->negative);
	add_text(l, SCRUB_GROUP_PROMPT, "model", "model", p->model);
	add_text(l, SCRUB_GROUP_PROMPT, "seed", "seed", p->seed);
	add_text(l, SCRUB_GROUP_PROMPT, "sampler", "sampler", p->sampler);
	add_text(l, SCRUB_GROUP_PROMPT, "steps", "steps", p->steps);
	add_text(l, SCRUB_GROUP_PROMPT, "input_image", "input image", p->input_image);
	if (p->nodes && (s = combined(l, SCRUB_GROUP_PROMPT, "workflow")))
		snprintf(s, sizeof l->scratch[0], "%u nodes", p->nodes);
	if (p->nodes)
		add_number(l, SCRUB_GROUP_PROMPT, SCRUB_VALUE_INT, "workflow_nodes", "workflow",
			   p->nodes, SCRUB_SHOW_JSON);
}

/*
 * Captured is the first of DateTimeOriginal, the XMP/IPTC creation date
 * and DateTimeDigitized (SPEC.md section 4); the others are shown under
 * their own names, each value once. The modify date is only ever "edited".
 */
static void times(const struct scrub_facts *f, struct scrub_fact_list *l)
{
	/* A maker's own capture time (FLIR, Casio, Samsung) when no standard tag has one. */
	const char *captured = f->original[0] ? f->original : f->created[0] ? f->created :
			       f->digitized[0] ? f->digitized : f->vendor_time;
	add_date(l, SCRUB_GROUP_TIME, "captured", "captured", captured);
	if (captured != f->created)
		add_date(l, SCRUB_GROUP_TIME, "created", "created", f->created);
	if (captured != f->digitized)
		add_date(l, SCRUB_GROUP_TIME, "digitized", "digitized", f->digitized);
	add_date(l, SCRUB_GROUP_TIME, "edited", "edited", f->edited);
	add_date(l, SCRUB_GROUP_TIME, "gps_time", "gps time", f->gps_time);
	char *s;
	if (captured != f->vendor_time && f->vendor_time[0] &&
	    (s = combined(l, SCRUB_GROUP_TIME, "camera time")))
		snprintf(s, sizeof l->scratch[0], "%s, in %s", f->vendor_time, f->vendor_time_from);
	if (captured != f->vendor_time)
		add_json_date(l, SCRUB_GROUP_TIME, "camera_time", f->vendor_time);
	add_date(l, SCRUB_GROUP_TIME, "file_created", "file created", f->file_times[0]);
	add_date(l, SCRUB_GROUP_TIME, "file_modified", "file modified", f->file_times[1]);
	add_date(l, SCRUB_GROUP_TIME, "png_time", "png tIME", f->modified);
	if (f->history)
		add_number(l, SCRUB_GROUP_TIME, SCRUB_VALUE_INT, "edits", "edits", f->history,
			   SCRUB_SHOW_BOTH);
	/* The name is not metadata scrub removes: the row says it stays. */
	if (f->name_time[0] && (s = combined(l, SCRUB_GROUP_TIME, "file name")))
		snprintf(s, sizeof l->scratch[0], "%s (kept: rename the file)", f->name_time);
	add_json_date(l, SCRUB_GROUP_TIME, "name_time", f->name_time);
}

/* The colour profile, kept by default: what it still tells, and whether it is a standard one. */
static void icc_rows(const struct scrub_result *r, struct scrub_fact_list *l)
{
	const struct scrub_facts *f = &r->facts;
	const char *desc = f->icc_desc[0] ? f->icc_desc : f->icc_name;
	if (!f->icc_read && !desc[0])
		return;
	enum scrub_group g = scrub_facts_icc_points_at_device(f) ? SCRUB_GROUP_DEVICE
								 : SCRUB_GROUP_OTHER;
	const struct scrub_finding *seg = first_segment(r, SCRUB_KIND_ICC);
	/* Whether it stays comes first, so a cut row still says it. */
	char *s = combined(l, g, "icc profile");
	if (s) {
		size_t len = (size_t)snprintf(s, sizeof l->scratch[0], "%s (%s%s)", desc[0] ? desc : "unnamed",
					      !f->icc_read ? "" : f->icc_standard ? "standard, " :
					      "not a standard profile: it can point at a device; ",
					      seg && seg->keep ? "kept" : "removed");
		const char *parts[] = { f->icc_maker, f->icc_model };
		for (size_t i = 0; i < 2 && len < sizeof l->scratch[0]; i++)
			if (parts[i][0])
				len += (size_t)snprintf(s + len, sizeof l->scratch[0] - len, ", %s",
							parts[i]);
	}
	add_json_text(l, g, "icc_profile", desc);
	add_json_text(l, g, "icc_manufacturer", f->icc_maker);
	add_json_text(l, g, "icc_model", f->icc_model);
	add_text(l, g, "icc_copyright", "icc copyright", f->icc_copyright);
	if (f->icc_read)
		add_number(l, g, SCRUB_VALUE_BOOL, "icc_standard", "standard", f->icc_standard,
			   SCRUB_SHOW_JSON);
}

static void device(const struct scrub_result *r, struct scrub_fact_list *l)
{
	const struct scrub_facts *f = &r->facts;
	char *s;
	if ((f->make[0] || f->model[0]) && (s = combined(l, SCRUB_GROUP_DEVICE, "camera")))
		snprintf(s, sizeof l->scratch[0], "%s%s%s", f->make,
			 f->make[0] && f->model[0] ? " " : "", f->model);
	add_json_text(l, SCRUB_GROUP_DEVICE, "make", f->make);
	add_json_text(l, SCRUB_GROUP_DEVICE, "model", f->model);
	add_text(l, SCRUB_GROUP_DEVICE, "lens", "lens", f->lens_model);
	add_text(l, SCRUB_GROUP_DEVICE, "software", "software", f->software);
	add_text(l, SCRUB_GROUP_DEVICE, "source", "source", f->source);
	add_text(l, SCRUB_GROUP_DEVICE, "c2pa_generator", "c2pa tool", f->c2pa_generator);
	if (f->has_makernote)
		add_number(l, SCRUB_GROUP_DEVICE, SCRUB_VALUE_BYTES, "makernote_bytes", "maker note",
			   (double)f->makernote_bytes, SCRUB_SHOW_BOTH);
	if (scrub_facts_icc_points_at_device(f))
		icc_rows(r, l);
	if (f->name_device[0] && (s = combined(l, SCRUB_GROUP_DEVICE, "file name")))
		snprintf(s, sizeof l->scratch[0], "%s (kept: rename the file)", f->name_device);
	add_json_text(l, SCRUB_GROUP_DEVICE, "name_device", f->name_device);
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

/* Pictures and videos a container holds as elements of their own (HEIF items and boxes). */
static const struct rider {
	uint8_t kind;
	const char *label;
	const char *key;
} riders[] = {
	{ SCRUB_KIND_GAIN_MAP, "gain map", "gain_map_bytes" },
	{ SCRUB_KIND_AUXILIARY, "auxiliary", "auxiliary_bytes" },
	{ SCRUB_KIND_VIDEO, "motion video", "motion_video_bytes" },
};

/* "63.1 kB, in item 51 gain map; HDR rendering lost", or "3 items, 80.2 kB". */
static void rider_rows(const struct scrub_result *r, struct scrub_fact_list *l)
{
	for (size_t k = 0; k < sizeof riders / sizeof riders[0]; k++) {
		const struct scrub_finding *first = first_segment(r, riders[k].kind);
		size_t count = 0, bytes = 0;
		bool removed = false;
		for (size_t i = 0; i < r->nfound; i++)
			if (r->found[i].kind == riders[k].kind && !r->found[i].derived) {
				count++;
				bytes += r->found[i].bytes;
				removed |= !r->found[i].keep;
			}
		if (!first)
			continue;
		char size[32], *row = combined(l, SCRUB_GROUP_HIDDEN, riders[k].label);
		scrub_size_text(size, sizeof size, bytes);
		const char *loss = removed ? scrub_kind_loss(riders[k].kind) : NULL;
		if (row && count == 1)
			snprintf(row, sizeof l->scratch[0], "%s, in %s%s%s", size, first->label,
				 loss ? "; " : "", loss ? loss : "");
		else if (row)
			snprintf(row, sizeof l->scratch[0], "%zu items, %s%s%s", count, size,
				 loss ? "; " : "", loss ? loss : "");
		add_number(l, SCRUB_GROUP_HIDDEN, SCRUB_VALUE_BYTES, riders[k].key, riders[k].label,
			   (double)bytes, SCRUB_SHOW_JSON);
		if (loss)
			add_json_text(l, SCRUB_GROUP_HIDDEN, "loss", loss);
	}
}

/* A thumbnail row for text and its size for JSON under key. */
static void thumbnail(struct scrub_fact_list *l, const char *key, size_t bytes, const char *where)
{
	if (!bytes)
		return;
	size_row(l, SCRUB_GROUP_HIDDEN, "thumbnail", bytes, where);
	add_number(l, SCRUB_GROUP_HIDDEN, SCRUB_VALUE_BYTES, key, "thumbnail", (double)bytes,
		   SCRUB_SHOW_JSON);
}

static void hidden(const struct scrub_result *r, struct scrub_fact_list *l)
{
	const struct scrub_facts *f = &r->facts;
	thumbnail(l, "exif_thumbnail_bytes", f->thumbnail_bytes, "EXIF");
	thumbnail(l, "photoshop_thumbnail_bytes", f->irb_thumbnail_bytes, "Photoshop resources");
	const struct scrub_finding *seg = first_segment(r, SCRUB_KIND_THUMBNAIL);
	if (seg)
		thumbnail(l, "jfif_thumbnail_bytes", seg->bytes, seg->label);
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
	rider_rows(r, l);
	add_flag(l, SCRUB_GROUP_HIDDEN, "gain_map", "gain map", f->hidden & SCRUB_HIDDEN_GAIN_MAP);
	add_flag(l, SCRUB_GROUP_HIDDEN, "depth_map", "depth map", f->hidden & SCRUB_HIDDEN_DEPTH_MAP);
	add_flag(l, SCRUB_GROUP_HIDDEN, "original_image", "original",
		 f->hidden & SCRUB_HIDDEN_ORIGINAL);
	add_flag(l, SCRUB_GROUP_HIDDEN, "motion_photo", "motion photo",
		 f->hidden & SCRUB_HIDDEN_MOTION);
	add_flag(l, SCRUB_GROUP_HIDDEN, "thermal_image", "thermal image",
		 f->hidden & SCRUB_HIDDEN_THERMAL);
	add_flag(l, SCRUB_GROUP_HIDDEN, "embedded_images", "more images",
		 f->hidden & SCRUB_HIDDEN_EXTRA);
	add_flag(l, SCRUB_GROUP_HIDDEN, "audio", "sound", f->hidden & SCRUB_HIDDEN_AUDIO);
	if (f->c2pa_thumbnails)
		add_number(l, SCRUB_GROUP_HIDDEN, SCRUB_VALUE_INT, "c2pa_thumbnails",
			   "c2pa thumbnails", f->c2pa_thumbnails, SCRUB_SHOW_BOTH);
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

/* Kinds some group already speaks for, or that are kept. */
static bool explained(const struct scrub_finding *s)
{
	switch (s->kind) {
	case SCRUB_KIND_EXIF: case SCRUB_KIND_GPS: case SCRUB_KIND_MAKERNOTE:
	case SCRUB_KIND_THUMBNAIL: case SCRUB_KIND_XMP: case SCRUB_KIND_IPTC:
	case SCRUB_KIND_PHOTOSHOP: case SCRUB_KIND_MPF: case SCRUB_KIND_JUMBF:
	case SCRUB_KIND_TRAILER: case SCRUB_KIND_IMAGE: case SCRUB_KIND_TEXT:
	case SCRUB_KIND_COMMENT:
	case SCRUB_KIND_JPEG_REBUILD:
	case SCRUB_KIND_AUXILIARY: case SCRUB_KIND_GAIN_MAP: case SCRUB_KIND_VIDEO:
		return true;
	default:
		return s->keep || s->derived;
	}
}

/*
 * Identifiers that tie copies of one picture together but name no one:
 * XMP document IDs and the EXIF image ID. The C2PA manifest's size and
 * the Photoshop resources go here too; their telling parts (generator,
 * thumbnails, IPTC) are shown in their own groups.
 */
static void identifiers(const struct scrub_result *r, struct scrub_fact_list *l)
{
	const struct scrub_facts *f = &r->facts;
	add_text(l, SCRUB_GROUP_OTHER, "document_id", "document id", f->document_id);
	add_text(l, SCRUB_GROUP_OTHER, "original_document_id", "original id",
		 f->original_document_id);
	add_text(l, SCRUB_GROUP_OTHER, "image_id", "image id", f->image_id);
	size_t bytes = 0;
	for (size_t i = 0; i < r->nfound; i++)
		if (r->found[i].kind == SCRUB_KIND_JUMBF && !r->found[i].derived)
			bytes += r->found[i].bytes;
	if (f->c2pa || bytes)
		add_number(l, SCRUB_GROUP_OTHER, SCRUB_VALUE_BYTES, "c2pa_bytes", "c2pa manifest",
			   (double)bytes, SCRUB_SHOW_BOTH);
	const struct scrub_finding *irb = first_segment(r, SCRUB_KIND_PHOTOSHOP);
	if (irb)
		add_number(l, SCRUB_GROUP_OTHER, SCRUB_VALUE_BYTES, "photoshop_bytes", "photoshop",
			   (double)irb->bytes, SCRUB_SHOW_BOTH);
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
	if (!scrub_facts_icc_points_at_device(f))
		icc_rows(r, l);
	if (f->orientation > 1) /* kept, and in the top-level JSON already */
		add_number(l, SCRUB_GROUP_OTHER, SCRUB_VALUE_INT, NULL, "orientation", f->orientation,
			   SCRUB_SHOW_TEXT);
	identifiers(r, l);
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
	prompt(&r->facts, l);
	times(&r->facts, l);
	device(r, l);
	hidden(r, l);
	other(r, l);
}
