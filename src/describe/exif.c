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
#include "core/utf8.h"
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

/*
 * Copies a text entry, trimmed of trailing spaces and NULs and cut on a
 * UTF-8 boundary; keeps dst if set. ASCII is the rule, but some phones
 * write UNDEFINED, which readers show all the same.
 */
static void text(ExifData *ed, ExifIfd ifd, ExifTag tag, char *dst, size_t size)
{
	if (dst[0])
		return;
	ExifEntry *e = exif_content_get_entry(ed->ifd[ifd], tag);
	if (!e || !e->data || (e->format != EXIF_FORMAT_ASCII && e->format != EXIF_FORMAT_UNDEFINED))
		return;
	size_t n = e->size < size - 1 ? e->size : size - 1;
	size_t len = 0;
	while (len < n && e->data[len])
		len++;
	if (len == size - 1 && len < e->size)
		len = scrub_utf8_cut((const char *)e->data, len);
	while (len > 0 && (e->data[len - 1] == ' '))
		len--;
	memcpy(dst, e->data, len);
	dst[len] = '\0';
}

/* Component i of a RATIONAL or SRATIONAL entry (phones write either for GPS). */
static bool rational(const ExifEntry *e, ExifByteOrder order, unsigned i, double *out)
{
	if (!e || !e->data || e->components <= i || e->size < 8 * (i + 1))
		return false;
	if (e->format == EXIF_FORMAT_RATIONAL) {
		ExifRational r = exif_get_rational(e->data + 8 * i, order);
		if (r.denominator == 0)
			return false;
		*out = (double)r.numerator / r.denominator;
		return true;
	}
	if (e->format == EXIF_FORMAT_SRATIONAL) {
		ExifSRational r = exif_get_srational(e->data + 8 * i, order);
		if (r.denominator == 0)
			return false;
		*out = (double)r.numerator / r.denominator;
		return true;
	}
	return false;
}

/* Up to three numbers of a coordinate written as text ("48,51,30.5N", "48.85837"). */
static unsigned text_numbers(const ExifEntry *e, double v[3], char *hemisphere)
{
	char buf[64];
	size_t n = e->size < sizeof buf - 1 ? e->size : sizeof buf - 1;
	memcpy(buf, e->data, n);
	buf[n] = '\0';
	unsigned k = 0;
	for (char *p = buf; *p && k < 3;) {
		if (strchr("NSEWnsew", *p) && !*hemisphere)
			*hemisphere = (char)(*p & ~0x20);
		if ((*p >= '0' && *p <= '9') || *p == '-' || *p == '.') {
			char *end;
			v[k++] = strtod(p, &end);
			p = end > p ? end : p + 1;
		} else {
			p++;
		}
	}
	return k;
}

/*
 * A coordinate from RATIONAL or SRATIONAL degrees, minutes, seconds, or
 * from text. The sign is south/west from the reference (any case) or a
 * negative component; a value past limit is not believed.
 */
static bool degrees(ExifData *ed, ExifTag tag, ExifTag ref_tag, double limit, double *out)
{
	ExifByteOrder order = exif_data_get_byte_order(ed);
	ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], tag);
	double v[3] = { 0, 0, 0 };
	char hemi = 0;
	if (!e || !e->data)
		return false;
	if (e->format == EXIF_FORMAT_ASCII) {
		if (!text_numbers(e, v, &hemi))
			return false;
	} else if (!rational(e, order, 0, &v[0])) {
		return false;
	} else {
		rational(e, order, 1, &v[1]);
		rational(e, order, 2, &v[2]);
	}
	bool negative = v[0] < 0 || v[1] < 0 || v[2] < 0;
	double mag = (v[0] < 0 ? -v[0] : v[0]) + (v[1] < 0 ? -v[1] : v[1]) / 60.0 +
		     (v[2] < 0 ? -v[2] : v[2]) / 3600.0;
	ExifEntry *ref = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], ref_tag);
	if (ref && ref->data && ref->size >= 1)
		hemi = (char)(ref->data[0] & ~0x20);
	negative |= hemi == 'S' || hemi == 'W';
	if (!isfinite(mag) || mag > limit)
		return false;
	*out = negative ? -mag : mag;
	return true;
}

static void gps_time(ExifData *ed, struct scrub_facts *f)
{
	ExifByteOrder order = exif_data_get_byte_order(ed);
	char date[16] = "";
	text(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_DATE_STAMP, date, sizeof date);
	ExifEntry *t = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], (ExifTag)EXIF_TAG_GPS_TIME_STAMP);
	double h, mi, s;
	if (date[0] && rational(t, order, 0, &h) && rational(t, order, 1, &mi) &&
	    rational(t, order, 2, &s) && h >= 0 && mi >= 0 && s >= 0 && h < 24 && mi < 60 &&
	    s < 61 && strlen(date) == 10) {
		date[4] = '-';
		date[7] = '-';
		/* The modulos only tell the compiler what the checks above made sure of. */
		snprintf(f->gps_time, sizeof f->gps_time, "%.10sT%02u:%02u:%02uZ", date,
			 (unsigned)h % 24u, (unsigned)mi % 60u, (unsigned)s % 61u);
	} else if (date[0]) {
		snprintf(f->gps_time, sizeof f->gps_time, "%s", date);
	}
}

static void gps(ExifData *ed, struct scrub_facts *f)
{
	ExifContent *g = ed->ifd[EXIF_IFD_GPS];
	if (!g || g->count == 0 || f->has_gps)
		return;
	f->has_gps_ifd = true;
	gps_time(ed, f);
	if (!degrees(ed, (ExifTag)EXIF_TAG_GPS_LATITUDE, (ExifTag)EXIF_TAG_GPS_LATITUDE_REF, 90,
		     &f->lat) ||
	    !degrees(ed, (ExifTag)EXIF_TAG_GPS_LONGITUDE, (ExifTag)EXIF_TAG_GPS_LONGITUDE_REF, 180,
		     &f->lon))
		return;
	f->has_gps = true;
	if (!f->gps_from[0])
		snprintf(f->gps_from, sizeof f->gps_from, "EXIF");
	ExifByteOrder order = exif_data_get_byte_order(ed);
	double alt;
	if (rational(exif_content_get_entry(g, (ExifTag)EXIF_TAG_GPS_ALTITUDE), order, 0, &alt) &&
	    isfinite(alt)) {
		ExifEntry *ref = exif_content_get_entry(g, (ExifTag)EXIF_TAG_GPS_ALTITUDE_REF);
		if (ref && ref->data && ref->size >= 1 && ref->data[0] == 1 && alt != 0)
			alt = -alt; /* below sea level; a zero stays 0, not -0 */
		f->alt = alt;
		f->has_alt = true;
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

/* True when a date holds a digit other than 0: "0000:00:00 00:00:00" and blanks say nothing. */
static bool says_something(const char *s)
{
	for (; *s; s++)
		if (*s >= '1' && *s <= '9')
			return true;
	return false;
}

/*
 * One EXIF date in ISO 8601, with its time zone when the matching
 * OffsetTime tag (EXIF 2.31, "+02:00") gives it; dst is kept if set.
 */
static void date(ExifData *ed, ExifIfd ifd, ExifTag tag, ExifTag offset_tag, char *dst,
		 size_t size)
{
	if (dst[0])
		return;
	char v[32] = "", tz[8] = ""; /* an offset is "+hh:mm"; anything longer is not one */
	text(ed, ifd, tag, v, sizeof v);
	if (!says_something(v))
		return;
	iso_date(v);
	text(ed, EXIF_IFD_EXIF, offset_tag, tz, sizeof tz);
	bool zone = strlen(v) == 19 && strlen(tz) == 6 && (tz[0] == '+' || tz[0] == '-') &&
		    tz[3] == ':';
	snprintf(dst, size, "%s%s", v, zone ? tz : "");
}

/* libexif's maker-note decoders (Canon, Fuji, Olympus, Pentax, Apple) name serials and owners. */
static void makernote_value(ExifMnoteData *md, const char *want, char *dst, size_t size)
{
	unsigned count = exif_mnote_data_count(md);
	for (unsigned i = 0; i < count && !dst[0]; i++) {
		const char *name = exif_mnote_data_get_name(md, i);
		char v[128];
		if (!name || strcmp(name, want) || !exif_mnote_data_get_value(md, i, v, sizeof v))
			continue;
		v[sizeof v - 1] = '\0';
		size_t len = strlen(v);
		while (len > 0 && v[len - 1] == ' ')
			v[--len] = '\0';
		if (!strcmp(want, "SerialNumber") && len == 10 && v[4] == '-' &&
		    strspn(v, "0123456789ABCDEF") == 4 && strspn(v + 5, "0123456789") == 5) {
			/*
			 * libexif shows Canon's 32-bit serial as "%04X-%05d" of its
			 * halves; the camera and exiftool print the plain number.
			 */
			unsigned long hi = strtoul(v, NULL, 16), lo = strtoul(v + 5, NULL, 10);
			snprintf(v, sizeof v, "%lu", hi * 65536 + lo);
			len = strlen(v);
		}
		if (len >= size)
			len = size - 1;
		memcpy(dst, v, len);
		dst[len] = '\0';
	}
}

static void makernote_facts(ExifData *ed, struct scrub_facts *f)
{
	ExifMnoteData *md = exif_data_get_mnote_data(ed);
	if (!md)
		return;
	makernote_value(md, "SerialNumber", f->body_serial, sizeof f->body_serial);
	makernote_value(md, "OwnerName", f->owner, sizeof f->owner);
}

/* Where a text is shown: generator text becomes the prompt, the rest free text under other. */
static void free_text(const char *keyword, const char *v, size_t n, struct scrub_facts *f)
{
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\0' || v[n - 1] == '\n'))
		n--;
	if (n == 0 || scrub_genai_comment((const uint8_t *)v, n, f))
		return;
	scrub_describe_text_entry(keyword, (const uint8_t *)v, n, f);
}

/*
 * UserComment (EXIF 2.32 4.6.5): an 8-byte character code, then the text.
 * UNICODE is UTF-16: big-endian when the zero bytes of ASCII text sit at
 * even offsets (A1111 writes that in any file), else little-endian, else
 * the file's byte order. Without a known code the bytes are taken as text.
 */
static void user_comment(ExifData *ed, struct scrub_facts *f)
{
	ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF], EXIF_TAG_USER_COMMENT);
	if (!e || !e->data || e->size == 0)
		return;
	const uint8_t *p = e->data;
	size_t n = e->size;
	if (n >= 8 && !memcmp(p, "UNICODE\0", 8)) {
		size_t even = 0, odd = 0;
		for (size_t i = 8; i + 1 < n && i < 8 + 256; i += 2) {
			even += p[i] == 0;
			odd += p[i + 1] == 0;
		}
		int big = even != odd ? even > odd : exif_data_get_byte_order(ed) == EXIF_BYTE_ORDER_MOTOROLA;
		size_t cap = 4 * (n - 8) / 2 + 1;
		char *u = malloc(cap);
		if (!u)
			return;
		size_t len = scrub_utf16_to_utf8(p + 8, n - 8, big, u, cap);
		free_text("UserComment", u, len, f);
		free(u);
		return;
	}
	if (n >= 8 && (!memcmp(p, "ASCII\0\0\0", 8) || !memcmp(p, "\0\0\0\0\0\0\0\0", 8)))
		p += 8, n -= 8;
	else if (n >= 8 && !memcmp(p, "JIS\0\0\0\0\0", 8))
		return; /* JIS X0208: not decoded */
	size_t len = 0;
	while (len < n && p[len])
		len++;
	free_text("UserComment", (const char *)p, len, f);
}

/* Windows' XP tags (IFD0 0x9C9B..0x9C9F): UCS-2 little-endian, whatever the file's order. */
static void xp_tags(ExifData *ed, struct scrub_facts *f)
{
	static const struct { ExifTag tag; const char *name; } xp[] = {
		{ (ExifTag)0x9C9B, "XPTitle" }, { (ExifTag)0x9C9C, "XPComment" },
		{ (ExifTag)0x9C9D, "XPAuthor" }, { (ExifTag)0x9C9E, "XPKeywords" },
		{ (ExifTag)0x9C9F, "XPSubject" },
	};
	for (size_t i = 0; i < sizeof xp / sizeof xp[0]; i++) {
		ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], xp[i].tag);
		if (!e || !e->data || e->size < 2)
			continue;
		char v[256];
		size_t len = scrub_utf16_to_utf8(e->data, e->size, 0, v, sizeof v);
		if (xp[i].tag == (ExifTag)0x9C9D)
			scrub_facts_set(f->artist, sizeof f->artist, v, len);
		else if (len)
			scrub_describe_text_entry(xp[i].name, (const uint8_t *)v, len, f);
	}
}

/*
 * Make, Model and ImageDescription as ComfyUI's WebP saver uses them:
 * "prompt:{...}", "workflow:{...}". True when the entry was that.
 */
static bool comfy_entry(ExifData *ed, ExifTag tag, struct scrub_facts *f)
{
	ExifEntry *e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], tag);
	if (!e || !e->data || e->format != EXIF_FORMAT_ASCII)
		return false;
	static const char *const keys[] = { "prompt", "workflow", "Prompt", "Workflow" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		size_t k = strlen(keys[i]);
		if (e->size > k + 1 && !memcmp(e->data, keys[i], k) && e->data[k] == ':') {
			size_t len = e->size - k - 1;
			while (len > 0 && !e->data[k + 1 + len - 1])
				len--;
			return scrub_genai_text(i % 2 ? "workflow" : "prompt", e->data + k + 1, len, f);
		}
	}
	return false;
}

/* ImageDescription: free text, unless a generator put its graph there. */
static void description(ExifData *ed, struct scrub_facts *f)
{
	if (comfy_entry(ed, EXIF_TAG_IMAGE_DESCRIPTION, f))
		return;
	char v[256] = "";
	text(ed, EXIF_IFD_0, EXIF_TAG_IMAGE_DESCRIPTION, v, sizeof v);
	free_text("ImageDescription", v, strlen(v), f);
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

static void people_and_device(ExifData *ed, struct scrub_facts *f)
{
	if (!comfy_entry(ed, EXIF_TAG_MAKE, f))
		text(ed, EXIF_IFD_0, EXIF_TAG_MAKE, f->make, sizeof f->make);
	if (!comfy_entry(ed, EXIF_TAG_MODEL, f))
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
	text(ed, EXIF_IFD_EXIF, EXIF_TAG_IMAGE_UNIQUE_ID, f->image_id, sizeof f->image_id);
}

void scrub_describe_exif(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	ExifData *ed = load(p, n);
	if (!ed)
		return;
	people_and_device(ed, f);
	/* SPEC.md section 4: the modify date is never the capture date, only "edited". */
	date(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, (ExifTag)0x9011, f->original,
	     sizeof f->original);
	date(ed, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_DIGITIZED, (ExifTag)0x9012, f->digitized,
	     sizeof f->digitized);
	date(ed, EXIF_IFD_0, EXIF_TAG_DATE_TIME, (ExifTag)0x9010, f->edited, sizeof f->edited);
	gps(ed, f);
	makernote_facts(ed, f);
	description(ed, f);
	user_comment(ed, f);
	xp_tags(ed, f);
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
