#include <string.h>

#include "describe/facts.h"
#include "core/utf8.h"

void scrub_facts_clear(struct scrub_facts *f)
{
	memset(f, 0, sizeof *f);
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

void scrub_facts_merge(struct scrub_facts *dst, const struct scrub_facts *src)
{
	if (!dst->has_gps && src->has_gps) {
		dst->has_gps = true;
		dst->lat = src->lat;
		dst->lon = src->lon;
		dst->has_alt = src->has_alt;
		dst->alt = src->alt;
		memcpy(dst->gps_time, src->gps_time, sizeof dst->gps_time);
	}
	MERGE_TEXT(make);
	MERGE_TEXT(model);
	MERGE_TEXT(body_serial);
	MERGE_TEXT(lens_serial);
	MERGE_TEXT(lens_model);
	MERGE_TEXT(owner);
	MERGE_TEXT(artist);
	MERGE_TEXT(copyright);
	MERGE_TEXT(creator);
	MERGE_TEXT(city);
	MERGE_TEXT(state);
	MERGE_TEXT(country);
	MERGE_TEXT(sublocation);
	MERGE_TEXT(country_code);
	MERGE_TEXT(document_id);
	MERGE_TEXT(original_document_id);
	if (!dst->history)
		dst->history = src->history;
	if (!dst->keywords)
		dst->keywords = src->keywords;
	/* A date alone (XMP photoshop:DateCreated) gains the time another source has for it. */
	if (strlen(dst->datetime) == 10 && strlen(src->datetime) > 10 &&
	    !strncmp(dst->datetime, src->datetime, 10))
		memcpy(dst->datetime, src->datetime, sizeof dst->datetime);
	MERGE_TEXT(datetime);
	MERGE_TEXT(digitized);
	MERGE_TEXT(edited);
	MERGE_TEXT(software);
	if (!dst->thumbnail_bytes)
		dst->thumbnail_bytes = src->thumbnail_bytes;
	if (!dst->has_makernote) {
		dst->has_makernote = src->has_makernote;
		dst->makernote_bytes = src->makernote_bytes;
	}
	dst->has_gps_ifd |= src->has_gps_ifd;
	MERGE_TEXT(modified);
	MERGE_TEXT(icc_name);
	dst->hidden |= src->hidden;
	if (!dst->mpf_images) {
		dst->mpf_images = src->mpf_images;
		dst->mpf_bytes = src->mpf_bytes;
	}
	dst->c2pa |= src->c2pa;
	MERGE_TEXT(c2pa_generator);
	for (size_t i = 0; i < src->ntext && dst->ntext < SCRUB_TEXT_MAX; i++)
		dst->text[dst->ntext++] = src->text[i];
}

bool scrub_facts_has_location(const struct scrub_facts *f)
{
	return f->has_gps || f->city[0] || f->state[0] || f->country[0] || f->sublocation[0] ||
	       f->country_code[0];
}

bool scrub_facts_has_identity(const struct scrub_facts *f)
{
	return f->owner[0] || f->artist[0] || f->copyright[0] || f->creator[0] ||
	       f->body_serial[0] || f->lens_serial[0];
}
