#include <string.h>

#include "describe/facts.h"
#include "core/utf8.h"

void scrub_facts_clear(struct scrub_facts *f)
{
	memset(f, 0, sizeof *f);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void scrub_facts_set(char *dst, size_t size, const char *v, size_t n)
{
	if (dst[0])
		return;
	while (n > 0 && (is_space(*v) || !*v))
		v++, n--;
	while (n > 0 && (is_space(v[n - 1]) || !v[n - 1]))
		n--;
	if (n > size - 1)
		n = scrub_utf8_cut(v, size - 1);
	for (size_t i = 0; i < n; i++)
		dst[i] = v[i] ? v[i] : ' ';
	dst[n] = '\0';
}

bool scrub_facts_has_text(const struct scrub_facts *f, const char *value)
{
	for (size_t i = 0; i < f->ntext; i++)
		if (!strcmp(f->text[i].value, value))
			return true;
	return false;
}

void scrub_tags_add(struct scrub_buf *tags, const char *source, const char *name,
		    const char *value)
{
	if (!tags)
		return;
	size_t ns = strlen(source) + 1, nn = strlen(name) + 1;
	size_t nv = scrub_utf8_cut(value, strnlen(value, SCRUB_TAG_VALUE_MAX));
	size_t mark = tags->len;
	if (scrub_buf_append(tags, source, ns) != SCRUB_OK || scrub_buf_append(tags, name, nn) != SCRUB_OK ||
	    scrub_buf_append(tags, value, nv) != SCRUB_OK || scrub_buf_append(tags, "", 1) != SCRUB_OK)
		tags->len = mark; /* full: the record goes whole or not at all */
}

bool scrub_tags_next(const struct scrub_buf *tags, size_t *pos, const char **source,
		     const char **name, const char **value)
{
	const char **parts[3] = { source, name, value };
	size_t at = *pos;
	for (size_t i = 0; i < 3; i++) {
		if (at >= tags->len)
			return false;
		const char *s = (const char *)tags->data + at;
		const char *end = memchr(s, '\0', tags->len - at);
		if (!end)
			return false;
		*parts[i] = s;
		at += (size_t)(end - s) + 1;
	}
	*pos = at;
	return true;
}

#define MERGE_TEXT(field)                                        \
	do {                                                     \
		if (!dst->field[0])                              \
			memcpy(dst->field, src->field, sizeof dst->field); \
	} while (0)

/* Positions closer than this (degrees, about 1 cm) are the same one written twice. */
#define SAME_PLACE 1e-7

static bool same_place(double lat1, double lon1, double lat2, double lon2)
{
	double dlat = lat1 - lat2, dlon = lon1 - lon2;
	return dlat < SAME_PLACE && -dlat < SAME_PLACE && dlon < SAME_PLACE && -dlon < SAME_PLACE;
}

/* The first position wins; a different later one is kept as the second (SPEC.md section 4). */
static void merge_gps(struct scrub_facts *dst, const struct scrub_facts *src)
{
	if (!src->has_gps)
		return;
	if (!dst->has_gps) {
		dst->has_gps = true;
		dst->lat = src->lat;
		dst->lon = src->lon;
		dst->has_alt = src->has_alt;
		dst->alt = src->alt;
		memcpy(dst->gps_from, src->gps_from, sizeof dst->gps_from);
		if (!dst->gps_time[0])
			memcpy(dst->gps_time, src->gps_time, sizeof dst->gps_time);
	} else if (!dst->has_gps2 && !same_place(dst->lat, dst->lon, src->lat, src->lon)) {
		dst->has_gps2 = true;
		dst->lat2 = src->lat;
		dst->lon2 = src->lon;
		memcpy(dst->gps2_from, src->gps_from, sizeof dst->gps2_from);
	}
	if (!dst->has_gps2 && src->has_gps2) {
		dst->has_gps2 = true;
		dst->lat2 = src->lat2;
		dst->lon2 = src->lon2;
		memcpy(dst->gps2_from, src->gps2_from, sizeof dst->gps2_from);
	}
}

static void merge_prompt(struct scrub_prompt *dst, const struct scrub_prompt *src)
{
	MERGE_TEXT(generator);
	MERGE_TEXT(prompt);
	MERGE_TEXT(negative);
	MERGE_TEXT(seed);
	MERGE_TEXT(model);
	MERGE_TEXT(sampler);
	MERGE_TEXT(steps);
	MERGE_TEXT(input_image);
	if (!dst->nodes)
		dst->nodes = src->nodes;
}

static void merge_place_and_people(struct scrub_facts *dst, const struct scrub_facts *src)
{
	MERGE_TEXT(city);
	MERGE_TEXT(state);
	MERGE_TEXT(country);
	MERGE_TEXT(sublocation);
	MERGE_TEXT(country_code);
	MERGE_TEXT(mcc);
	MERGE_TEXT(owner);
	MERGE_TEXT(artist);
	MERGE_TEXT(copyright);
	MERGE_TEXT(creator);
	MERGE_TEXT(body_serial);
	MERGE_TEXT(lens_serial);
	MERGE_TEXT(file_path);
	MERGE_TEXT(people);
	MERGE_TEXT(contact);
	MERGE_TEXT(writer);
}

static void merge_times(struct scrub_facts *dst, const struct scrub_facts *src)
{
	/* A date alone (XMP photoshop:DateCreated) gains the time another source has for it. */
	if (strlen(dst->created) == 10 && strlen(src->created) > 10 &&
	    !strncmp(dst->created, src->created, 10))
		memcpy(dst->created, src->created, sizeof dst->created);
	MERGE_TEXT(original);
	MERGE_TEXT(created);
	MERGE_TEXT(digitized);
	MERGE_TEXT(edited);
	MERGE_TEXT(gps_time);
	if (!dst->vendor_time[0]) {
		memcpy(dst->vendor_time, src->vendor_time, sizeof dst->vendor_time);
		memcpy(dst->vendor_time_from, src->vendor_time_from, sizeof dst->vendor_time_from);
	}
	MERGE_TEXT(file_times[0]);
	MERGE_TEXT(file_times[1]);
	MERGE_TEXT(modified);
	if (!dst->history)
		dst->history = src->history;
	MERGE_TEXT(name_time);
}

static void merge_device(struct scrub_facts *dst, const struct scrub_facts *src)
{
	MERGE_TEXT(make);
	MERGE_TEXT(model);
	MERGE_TEXT(lens_model);
	MERGE_TEXT(software);
	MERGE_TEXT(source);
	MERGE_TEXT(c2pa_generator);
	if (!dst->has_makernote) {
		dst->has_makernote = src->has_makernote;
		dst->makernote_bytes = src->makernote_bytes;
	}
	MERGE_TEXT(name_device);
	if (!dst->icc_read) {
		MERGE_TEXT(icc_desc);
		MERGE_TEXT(icc_maker);
		MERGE_TEXT(icc_model);
		MERGE_TEXT(icc_copyright);
		dst->icc_read = src->icc_read;
		dst->icc_standard = src->icc_standard;
	}
	MERGE_TEXT(icc_name);
}

void scrub_facts_merge(struct scrub_facts *dst, const struct scrub_facts *src)
{
	merge_gps(dst, src);
	merge_place_and_people(dst, src);
	merge_prompt(&dst->prompt, &src->prompt);
	merge_times(dst, src);
	merge_device(dst, src);
	if (!dst->thumbnail_bytes)
		dst->thumbnail_bytes = src->thumbnail_bytes;
	if (!dst->irb_thumbnail_bytes)
		dst->irb_thumbnail_bytes = src->irb_thumbnail_bytes;
	dst->hidden |= src->hidden;
	if (!dst->mpf_images) {
		dst->mpf_images = src->mpf_images;
		dst->mpf_bytes = src->mpf_bytes;
	}
	if (!dst->c2pa_thumbnails)
		dst->c2pa_thumbnails = src->c2pa_thumbnails;
	MERGE_TEXT(document_id);
	MERGE_TEXT(original_document_id);
	MERGE_TEXT(image_id);
	if (!dst->keywords)
		dst->keywords = src->keywords;
	dst->c2pa |= src->c2pa;
	dst->has_gps_ifd |= src->has_gps_ifd;
	for (size_t i = 0; i < src->ntext && dst->ntext < SCRUB_TEXT_MAX; i++)
		if (!scrub_facts_has_text(dst, src->text[i].value))
			dst->text[dst->ntext++] = src->text[i];
}

static const char *const group_names[SCRUB_GROUP_COUNT] = {
	"location", "identity", "prompt", "time", "device", "hidden", "other"
};

const char *scrub_group_name(enum scrub_group g)
{
	return (unsigned)g < SCRUB_GROUP_COUNT ? group_names[g] : "other";
}

static bool any_text(const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i][0])
			return true;
	return false;
}

#define ANY(...) any_text((const char *const[]){ __VA_ARGS__ }, \
			  sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *))

bool scrub_facts_icc_points_at_device(const struct scrub_facts *f)
{
	return f->icc_read && !f->icc_standard;
}

/* The groups findings.c shows these facts in; a test holds the two to agreement. */
unsigned scrub_facts_groups(const struct scrub_facts *f, bool icc_removed)
{
	const struct scrub_prompt *p = &f->prompt;
	bool icc = icc_removed && f->icc_read;
	bool groups[SCRUB_GROUP_COUNT] = {
		[SCRUB_GROUP_LOCATION] = f->has_gps || f->has_gps2 ||
					 ANY(f->city, f->state, f->country, f->sublocation,
					     f->country_code, f->mcc),
		[SCRUB_GROUP_IDENTITY] = ANY(f->owner, f->artist, f->copyright, f->creator,
					     f->body_serial, f->lens_serial, f->file_path, f->people,
					     f->contact, f->writer),
		[SCRUB_GROUP_PROMPT] = p->nodes || ANY(p->generator, p->prompt, p->negative, p->seed,
						       p->model, p->sampler, p->steps, p->input_image),
		[SCRUB_GROUP_TIME] = f->history || ANY(f->original, f->created, f->digitized,
						       f->edited, f->gps_time, f->vendor_time,
						       f->file_times[0], f->file_times[1], f->modified),
		[SCRUB_GROUP_DEVICE] = f->has_makernote || (icc && !f->icc_standard) ||
				       ANY(f->make, f->model, f->lens_model, f->software, f->source,
					   f->c2pa_generator),
		[SCRUB_GROUP_HIDDEN] = f->thumbnail_bytes || f->irb_thumbnail_bytes || f->hidden ||
				       f->mpf_images ||
				       f->c2pa_thumbnails,
		[SCRUB_GROUP_OTHER] = f->keywords || f->c2pa || f->ntext || (icc && f->icc_standard) ||
				      ANY(f->document_id, f->original_document_id, f->image_id),
	};
	unsigned bits = 0;
	for (unsigned g = 0; g < SCRUB_GROUP_COUNT; g++)
		if (groups[g])
			bits |= 1u << g;
	return bits;
}

enum scrub_group scrub_kind_group(enum scrub_kind kind)
{
	switch (kind) {
	case SCRUB_KIND_THUMBNAIL:
	case SCRUB_KIND_MPF:
	case SCRUB_KIND_TRAILER:
	case SCRUB_KIND_JPEG_REBUILD: /* the original JPEG's own markers ride in it */
		return SCRUB_GROUP_HIDDEN;
	case SCRUB_KIND_MAKERNOTE:
		return SCRUB_GROUP_DEVICE;
	default:
		return SCRUB_GROUP_OTHER;
	}
}
