/*
 * EXIF facts for reports, through libexif. Report path only: loading runs
 * libexif's maker-note parsers, which the strip path must never reach.
 */
#include <libexif/exif-data.h>
#include <libexif/exif-mnote-data.h>
#include <libexif/exif-utils.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe/facts.h"
#include "formats/orientation.h"

/* libexif wants "Exif\0\0" first; EXIF cut from PNG or WebP lacks it. */
static ExifData *load(const uint8_t *p, size_t n)
{
	ExifData *ed = exif_data_new();
	if (!ed)
		return NULL;
	/* Report what the file holds, not what libexif would "fix" it into. */
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_unset_option(ed, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
	if (n > 0xFFFFFFF0u)
		n = 0xFFFFFFF0u;
	if (n >= SCRUB_EXIF_HEADER_LEN && !memcmp(p, "Exif\0\0", SCRUB_EXIF_HEADER_LEN)) {
		exif_data_load_data(ed, p, (unsigned)n);
		return ed;
	}
	uint8_t *tmp = malloc(n + SCRUB_EXIF_HEADER_LEN);
	if (!tmp) {
		exif_data_unref(ed);
		return NULL;
	}
	memcpy(tmp, "Exif\0\0", SCRUB_EXIF_HEADER_LEN);
	memcpy(tmp + SCRUB_EXIF_HEADER_LEN, p, n);
	exif_data_load_data(ed, tmp, (unsigned)(n + SCRUB_EXIF_HEADER_LEN));
	free(tmp);
	return ed;
}

/* Copies an ASCII entry, trimmed of trailing spaces and NULs; keeps dst if set. */
static void text(ExifData *ed, ExifIfd ifd, ExifTag tag, char *dst, size_t size)
{
	if (dst[0])
		return;
	ExifEntry *e = exif_content_get_entry(ed->ifd[ifd], tag);
	if (!e || !e->data || e->format != EXIF_FORMAT_ASCII)
		return;
	size_t n = e->size < size - 1 ? e->size : size - 1;
	size_t len = 0;
	while (len < n && e->data[len])
		len++;
	while (len > 0 && (e->data[len - 1] == ' '))
		len--;
	memcpy(dst, e->data, len);
	dst[len] = '\0';
}

static bool rational(const ExifEntry *e, ExifByteOrder order, unsigned i, double *out)
{
	if (!e || e->format != EXIF_FORMAT_RATIONAL || e->components <= i || e->size < 8 * (i + 1))
		return false;
	ExifRational r = exif_get_rational(e->data + 8 * i, order);
	if (r.denominator == 0)
		return false;
	*out = (double)r.numerator / r.denominator;
	return true;
}

static bool degrees(ExifData *ed, ExifTag tag, ExifTag ref_tag, double *out)
{
	ExifByteOrder order = exif_data_get_byte_order(ed);
	ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], tag);
	double d, m = 0, s = 0;
	if (!rational(e, order, 0, &d))
		return false;
	rational(e, order, 1, &m);
	rational(e, order, 2, &s);
	double v = d + m / 60.0 + s / 3600.0;
	ExifEntry *ref = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], ref_tag);
	if (ref && ref->data && ref->size >= 1 && (ref->data[0] == 'S' || ref->data[0] == 'W'))
		v = -v;
	if (!isfinite(v))
		return false;
	*out = v;
	return true;
}

static void gps(ExifData *ed, struct scrub_facts *f)
{
	ExifContent *g = ed->ifd[EXIF_IFD_GPS];
	if (!g || g->count == 0 || f->has_gps)
		return;
	f->has_gps_ifd = true;
	if (!degrees(ed, (ExifTag)EXIF_TAG_GPS_LATITUDE, (ExifTag)EXIF_TAG_GPS_LATITUDE_REF, &f->lat) ||
	    !degrees(ed, (ExifTag)EXIF_TAG_GPS_LONGITUDE, (ExifTag)EXIF_TAG_GPS_LONGITUDE_REF, &f->lon))
		return;
	f->has_gps = true;
	ExifByteOrder order = exif_data_get_byte_order(ed);
	if (rational(exif_content_get_entry(g, (ExifTag)EXIF_TAG_GPS_ALTITUDE), order, 0, &f->alt)) {
		ExifEntry *ref = exif_content_get_entry(g, (ExifTag)EXIF_TAG_GPS_ALTITUDE_REF);
		if (ref && ref->data && ref->size >= 1 && ref->data[0] == 1)
			f->alt = -f->alt;
		f->has_alt = true;
	}
	char date[16] = "";
	text(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_DATE_STAMP, date, sizeof date);
	ExifEntry *t = exif_content_get_entry(g, (ExifTag)EXIF_TAG_GPS_TIME_STAMP);
	double h, mi, s;
	if (date[0] && rational(t, order, 0, &h) && rational(t, order, 1, &mi) &&
	    rational(t, order, 2, &s) && h < 24 && mi < 60 && s < 61 && strlen(date) == 10) {
		date[4] = '-';
		date[7] = '-';
		/* The modulos only tell the compiler what the checks above made sure of. */
		snprintf(f->gps_time, sizeof f->gps_time, "%.10sT%02u:%02u:%02uZ", date,
			 (unsigned)h % 24u, (unsigned)mi % 60u, (unsigned)s % 61u);
	} else if (date[0]) {
		snprintf(f->gps_time, sizeof f->gps_time, "%s", date);
	}
}

/* "2024:05:01 12:00:00" becomes ISO 8601 "2024-05-01T12:00:00". */
static void iso_date(char *s)
{
	if (strlen(s) == 19 && s[4] == ':' && s[7] == ':' && s[10] == ' ') {
		s[4] = '-';
		s[7] = '-';
		s[10] = 'T';
	}
}

/* libexif's maker-note decoders (Canon, Fuji, Olympus, Pentax, Apple) name serials. */
static void makernote_serial(ExifData *ed, struct scrub_facts *f)
{
	ExifMnoteData *md = exif_data_get_mnote_data(ed);
	if (!md || f->body_serial[0])
		return;
	unsigned count = exif_mnote_data_count(md);
	for (unsigned i = 0; i < count; i++) {
		const char *name = exif_mnote_data_get_name(md, i);
		char v[64];
		if (!name || strcmp(name, "SerialNumber") || !exif_mnote_data_get_value(md, i, v, sizeof v))
			continue;
		v[sizeof v - 1] = '\0';
		size_t len = strlen(v);
		while (len > 0 && v[len - 1] == ' ')
			v[--len] = '\0';
		if (len == 10 && v[4] == '-' && strspn(v, "0123456789ABCDEF") == 4 &&
		    strspn(v + 5, "0123456789") == 5) {
			/*
			 * libexif shows Canon's 32-bit serial as "%04X-%05d" of its
			 * halves; the camera and exiftool print the plain number.
			 */
			unsigned long hi = strtoul(v, NULL, 16), lo = strtoul(v + 5, NULL, 10);
			snprintf(v, sizeof v, "%lu", hi * 65536 + lo);
			len = strlen(v);
		}
		if (len) {
			memcpy(f->body_serial, v, len + 1);
			return;
		}
	}
}

/* --report -v: every entry of every IFD, then the maker note's, as libexif names them. */
static void list_tags(ExifData *ed, struct scrub_buf *tags)
{
	char value[SCRUB_TAG_VALUE_MAX + 1];
	char source[32];
	for (int i = 0; i < EXIF_IFD_COUNT; i++) {
		ExifContent *c = ed->ifd[i];
		snprintf(source, sizeof source, "EXIF %s", exif_ifd_get_name((ExifIfd)i));
		for (unsigned j = 0; c && j < c->count; j++) {
			ExifEntry *e = c->entries[j];
			const char *name = exif_tag_get_name_in_ifd(e->tag, (ExifIfd)i);
			char unknown[16];
			if (!name) {
				snprintf(unknown, sizeof unknown, "0x%04x", (unsigned)e->tag);
				name = unknown;
			}
			value[0] = '\0';
			exif_entry_get_value(e, value, sizeof value);
			scrub_tags_add(tags, source, name, value);
		}
	}
	ExifMnoteData *md = exif_data_get_mnote_data(ed);
	unsigned count = md ? exif_mnote_data_count(md) : 0;
	for (unsigned i = 0; i < count; i++) {
		const char *name = exif_mnote_data_get_name(md, i);
		value[0] = '\0';
		if (!exif_mnote_data_get_value(md, i, value, sizeof value))
			continue;
		value[sizeof value - 1] = '\0';
		scrub_tags_add(tags, "EXIF MakerNote", name ? name : "?", value);
	}
}

void scrub_describe_exif(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	ExifData *ed = load(p, n);
	if (!ed)
		return;
	text(ed, EXIF_IFD_0, EXIF_TAG_MAKE, f->make, sizeof f->make);
	text(ed, EXIF_IFD_0, EXIF_TAG_MODEL, f->model, sizeof f->model);
	text(ed, EXIF_IFD_0, EXIF_TAG_SOFTWARE, f->software, sizeof f->software);
	text(ed, EXIF_IFD_0, EXIF_TAG_ARTIST, f->artist, sizeof f->artist);
	text(ed, EXIF_IFD_0, EXIF_TAG_COPYRIGHT, f->copyright, sizeof f->copyright);
	text(ed, EXIF_IFD_EXIF, EXIF_TAG_CAMERA_OWNER_NAME, f->owner, sizeof f->owner);
	text(ed, EXIF_IFD_EXIF, EXIF_TAG_BODY_SERIAL_NUMBER, f->body_serial, sizeof f->body_serial);
	text(ed, EXIF_IFD_EXIF, EXIF_TAG_LENS_SERIAL_NUMBER, f->lens_serial, sizeof f->lens_serial);
	text(ed, EXIF_IFD_EXIF, EXIF_TAG_LENS_MODEL, f->lens_model, sizeof f->lens_model);
	/* DNG and some vendors put the body serial in IFD0 (tag 0xC62F). */
	text(ed, EXIF_IFD_0, (ExifTag)0xC62F, f->body_serial, sizeof f->body_serial);
	bool had_date = f->datetime[0] != '\0';
	text(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, f->datetime, sizeof f->datetime);
	text(ed, EXIF_IFD_0, EXIF_TAG_DATE_TIME, f->datetime, sizeof f->datetime);
	if (!had_date)
		iso_date(f->datetime);
	if (!f->digitized[0]) {
		text(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_DIGITIZED, f->digitized, sizeof f->digitized);
		iso_date(f->digitized);
	}
	if (!f->edited[0]) {
		text(ed, EXIF_IFD_0, EXIF_TAG_DATE_TIME, f->edited, sizeof f->edited);
		iso_date(f->edited);
	}
	gps(ed, f);
	makernote_serial(ed, f);
	if (f->tags)
		list_tags(ed, f->tags);
	if (!f->thumbnail_bytes && ed->data && ed->size)
		f->thumbnail_bytes = ed->size;
	ExifEntry *mn = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_MAKER_NOTE);
	if (mn && !f->has_makernote) {
		f->has_makernote = true;
		f->makernote_bytes = mn->size;
	}
	exif_data_unref(ed);
}

/* Markers walked in an embedded JPEG's header (ITU T.81 Annex B). */
#define EMB_SOS 0xDA
#define EMB_EOI 0xD9
#define EMB_APP1 0xE1
/* A trailer may pad before its image; the JPEG backend looks as far when labelling it. */
#define EMB_SOI_SEARCH 64

/* Positions rd on the SOI of the first JPEG starting in the first bytes, or fails. */
static bool find_embedded_soi(struct scrub_rd *rd)
{
	for (size_t off = 0; off < EMB_SOI_SEARCH && off < rd->len; off++) {
		scrub_rd_seek(rd, off);
		if (scrub_rd_peek_eq(rd, "\xFF\xD8\xFF", 3))
			return scrub_rd_skip(rd, 2);
	}
	return false;
}

bool scrub_describe_embedded_jpeg(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	if (!find_embedded_soi(&rd))
		return false;
	/* Every pass consumes at least one marker, so the walk ends with the data. */
	for (;;) {
		if (scrub_rd_peek(&rd, 0) != 0xFF)
			return false;
		while (scrub_rd_peek(&rd, 0) == 0xFF)
			scrub_rd_skip(&rd, 1);
		uint8_t m = scrub_rd_u8(&rd);
		if (!scrub_rd_ok(&rd) || m == EMB_SOS || m == EMB_EOI || m == 0x00)
			return false;
		if (m == 0x01 || (m >= 0xD0 && m <= 0xD8))
			continue; /* standalone markers carry no length */
		uint16_t len = scrub_rd_be16(&rd);
		struct scrub_rd seg;
		if (len < 2 || !scrub_rd_sub(&rd, len - 2u, &seg))
			return false;
		if (m == EMB_APP1 && scrub_rd_peek_eq(&seg, "Exif\0", 5)) {
			scrub_describe_exif(seg.base, seg.len, f);
			return true;
		}
	}
}
