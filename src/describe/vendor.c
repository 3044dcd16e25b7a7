/*
 * Makers' own metadata, where it holds a time, a position, a serial
 * number or something riding along (issue 15, item 3). Layouts as
 * exiftool documents them (FLIR.pm, Samsung.pm, APP12.pm, Casio.pm):
 *
 *   FLIR FFF      "FFF\0", version 100 at 0x14 (which gives the byte
 *                 order), record directory offset 0x18 and count 0x1c; each
 *                 32-byte entry: type(2) at 0, offset(4) at 0x0c, length(4)
 *                 at 0x10. CameraInfo (0x20): model 0xd4[32], serial
 *                 0x104[16], lens 0x170[32], lens serial 0x1a0[16], time at
 *                 0x384 (unix seconds, milliseconds, zone in minutes west).
 *                 GPSInfo (0x2b): valid(4) at 0, refs at 8 and 0x0a, latitude
 *                 and longitude as doubles at 0x10 and 0x18. RawData (0x01)
 *                 is the thermal image, 0x0e a visible one, 0x24 audio.
 *   Samsung SEFT  a trailer that ends "SEFT" after its directory's length;
 *                 the directory "SEFH", version, count, entries of type(2,
 *                 after 2 zero bytes), offset back from the directory(4),
 *                 size(4); each block: type(4), name length(4), name, value.
 *                 All little-endian.
 *   Ducky         APP12 "Ducky", blocks tag(2) length(2) data: 2 comment,
 *                 3 copyright, each a 4-byte count then UCS-2 big-endian.
 *   Picture Info  APP12 text, "key=value" lines (TimeDate, Serial#).
 *   Casio QVCI    APP1 "QVCI\0": the capture time as "yyyy.mm.dd.hh.mm.ss"
 *                 at 0x4d, the model at 0x62.
 *
 * Everything is read through bounded readers; counts are capped; nothing
 * is allocated.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/bytes.h"
#include "core/utf8.h"
#include "describe/facts.h"

#define FLIR_RECORDS_MAX 1024
#define SEFT_ENTRIES_MAX 1024

/* True when p[0..n) is all decimal digits (p need not be NUL-terminated). */
static bool all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/* A fixed-size string field of a record (NUL-padded), into dst when empty. */
static void field(const struct scrub_rd *rec, size_t off, size_t len, char *dst, size_t size)
{
	struct scrub_rd r = *rec;
	const uint8_t *p = scrub_rd_seek(&r, off) ? scrub_rd_take(&r, len) : NULL;
	if (!p)
		return;
	size_t n = 0;
	while (n < len && p[n])
		n++;
	scrub_facts_set(dst, size, (const char *)p, n);
}

/* "2012-02-11T14:17:08.253+01:00" from seconds since 1970 (UTC), milliseconds, zone east. */
static void unix_time(int64_t t, unsigned ms, int zone_minutes, bool zone, char *dst, size_t size)
{
	time_t local = (time_t)(t + (int64_t)zone_minutes * 60);
	struct tm tm;
	if (!gmtime_r(&local, &tm) || tm.tm_year < 0 || tm.tm_year > 8000)
		return;
	int n = snprintf(dst, size, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (n < 0 || (size_t)n >= size)
		return;
	if (ms < 1000)
		n += snprintf(dst + n, size - (size_t)n, ".%03u", ms);
	int z = zone_minutes < 0 ? -zone_minutes : zone_minutes;
	if (!zone || z >= 24 * 60 || (size_t)n >= size)
		return;
	if (z == 0)
		snprintf(dst + n, size - (size_t)n, "Z");
	else
		snprintf(dst + n, size - (size_t)n, "%c%02d:%02d", zone_minutes < 0 ? '-' : '+',
			 z / 60 % 24, z % 60);
}

static void vendor_time(struct scrub_facts *f, const char *from, const char *when)
{
	if (f->vendor_time[0] || !when[0])
		return;
	snprintf(f->vendor_time, sizeof f->vendor_time, "%s", when);
	snprintf(f->vendor_time_from, sizeof f->vendor_time_from, "%s", from);
}

static void flir_camera(struct scrub_rd rec, bool big, struct scrub_facts *f)
{
	/* The record says its own byte order: its first field reads 2 the right way. */
	if (scrub_rd_u16(&rec, big) >= 0x100)
		big = !big;
	field(&rec, 0xd4, 32, f->model, sizeof f->model);
	field(&rec, 0x104, 16, f->body_serial, sizeof f->body_serial);
	field(&rec, 0x170, 32, f->lens_model, sizeof f->lens_model);
	field(&rec, 0x1a0, 16, f->lens_serial, sizeof f->lens_serial);
	struct scrub_rd t = rec;
	if (!scrub_rd_seek(&t, 0x384))
		return;
	uint32_t secs = scrub_rd_u32(&t, big), ms = scrub_rd_u32(&t, big) & 0xFFFF;
	int16_t west = (int16_t)scrub_rd_u16(&t, big);
	char when[40] = "";
	if (scrub_rd_ok(&t) && secs)
		unix_time(secs, ms, -west, true, when, sizeof when);
	vendor_time(f, "FLIR", when);
}

static double get_double(struct scrub_rd *rd, bool big)
{
	uint64_t hi = scrub_rd_u32(rd, big), lo = scrub_rd_u32(rd, big);
	uint64_t bits = big ? hi << 32 | lo : lo << 32 | hi;
	double d;
	memcpy(&d, &bits, sizeof d);
	return d;
}

static void flir_gps(struct scrub_rd rec, bool big, struct scrub_facts *f)
{
	uint32_t valid = scrub_rd_u32(&rec, big);
	scrub_rd_skip(&rec, 4);
	int lat_ref = scrub_rd_u8(&rec);
	scrub_rd_skip(&rec, 1);
	int lon_ref = scrub_rd_u8(&rec);
	scrub_rd_seek(&rec, 0x10);
	double lat = get_double(&rec, big), lon = get_double(&rec, big);
	if (!scrub_rd_ok(&rec) || valid != 1 || !(lat >= -90 && lat <= 90) ||
	    !(lon >= -180 && lon <= 180))
		return;
	struct scrub_facts pos;
	scrub_facts_clear(&pos);
	pos.has_gps = true;
	pos.lat = lat > 0 && lat_ref == 'S' ? -lat : lat;
	pos.lon = lon > 0 && lon_ref == 'W' ? -lon : lon;
	snprintf(pos.gps_from, sizeof pos.gps_from, "FLIR");
	scrub_facts_merge(f, &pos);
}

void scrub_describe_flir(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	if (!scrub_rd_peek_eq(&rd, "FFF\0", 4) || !scrub_rd_seek(&rd, 0x14))
		return;
	uint32_t v = scrub_rd_be32(&rd);
	bool big = v == 100;
	if (!big && v != 0x64000000)
		return;
	uint32_t dir = scrub_rd_u32(&rd, big), count = scrub_rd_u32(&rd, big);
	if (!scrub_rd_ok(&rd) || count > FLIR_RECORDS_MAX || !scrub_rd_seek(&rd, dir))
		return;
	for (uint32_t i = 0; i < count; i++) {
		struct scrub_rd e;
		if (!scrub_rd_sub(&rd, 0x20, &e))
			return;
		uint16_t type = scrub_rd_u16(&e, big);
		scrub_rd_seek(&e, 0x0c);
		uint32_t off = scrub_rd_u32(&e, big), len = scrub_rd_u32(&e, big);
		struct scrub_rd rec, all;
		scrub_rd_init(&all, p, n);
		if (!scrub_rd_ok(&e) || !scrub_rd_seek(&all, off) || !scrub_rd_sub(&all, len, &rec))
			continue;
		if (type == 0x01)
			f->hidden |= SCRUB_HIDDEN_THERMAL;
		else if (type == 0x0e)
			f->hidden |= SCRUB_HIDDEN_EXTRA;
		else if (type == 0x24)
			f->hidden |= SCRUB_HIDDEN_AUDIO;
		else if (type == 0x20)
			flir_camera(rec, big, f);
		else if (type == 0x2b)
			flir_gps(rec, big, f);
	}
}

/* One SEFT block: its name, and the value after it. */
static void seft_block(struct scrub_rd blk, uint16_t type, struct scrub_facts *f)
{
	scrub_rd_skip(&blk, 4);
	uint32_t name_len = scrub_rd_le32(&blk);
	if (!scrub_rd_ok(&blk) || !scrub_rd_skip(&blk, name_len))
		return;
	size_t n = scrub_rd_left(&blk);
	const char *v = (const char *)scrub_rd_take(&blk, n);
	if (!v)
		return;
	switch (type) {
	case 0x0a01: /* Image_UTC_Data: milliseconds since 1970, UTC */
		if (n < 10 || n > 16 || !all_digits(v, n))
			return;
		unsigned long long ms = 0;
		for (size_t i = 0; i < n; i++)
			ms = ms * 10 + (unsigned)(v[i] - '0');
		char when[40] = "";
		unix_time((int64_t)(ms / 1000), (unsigned)(ms % 1000), 0, true, when, sizeof when);
		vendor_time(f, "Samsung", when);
		break;
	case 0x0aa1: /* MCC_Data: the mobile network's country code */
		if (n >= 3 && n < sizeof f->mcc && all_digits(v, n))
			scrub_facts_set(f->mcc, sizeof f->mcc, v, n);
		break;
	case 0x0a30: case 0x0201: /* motion photo, surround-shot video */
		f->hidden |= SCRUB_HIDDEN_MOTION;
		break;
	case 0x0001: case 0x0a20: /* dual-shot and dual-camera images */
		f->hidden |= SCRUB_HIDDEN_EXTRA;
		break;
	case 0x0100: /* sound & shot */
		f->hidden |= SCRUB_HIDDEN_AUDIO;
		break;
	default:
		break;
	}
}

void scrub_describe_seft(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	if (n < 8 || !scrub_rd_seek(&rd, n - 8))
		return;
	uint32_t len = scrub_rd_le32(&rd);
	if (!scrub_rd_peek_eq(&rd, "SEFT", 4) || len < 12 || len > n - 8)
		return;
	size_t dir = n - 8 - len;
	struct scrub_rd d;
	scrub_rd_seek(&rd, dir);
	scrub_rd_sub(&rd, len, &d);
	if (!scrub_rd_peek_eq(&d, "SEFH", 4))
		return;
	scrub_rd_skip(&d, 8);
	uint32_t count = scrub_rd_le32(&d);
	for (uint32_t i = 0; i < count && i < SEFT_ENTRIES_MAX && scrub_rd_ok(&d); i++) {
		scrub_rd_skip(&d, 2);
		uint16_t type = scrub_rd_le16(&d);
		uint32_t back = scrub_rd_le32(&d), size = scrub_rd_le32(&d);
		struct scrub_rd all, blk;
		scrub_rd_init(&all, p, n);
		if (!scrub_rd_ok(&d) || back > dir || size > back || size < 8)
			return;
		scrub_rd_seek(&all, dir - back);
		if (scrub_rd_sub(&all, size, &blk))
			seft_block(blk, type, f);
	}
}

/* A UCS-2 big-endian value after a 4-byte character count (Ducky comment and copyright). */
static size_t ducky_text(struct scrub_rd *blk, char *dst, size_t size)
{
	scrub_rd_skip(blk, 4);
	size_t n = scrub_rd_left(blk);
	const uint8_t *u = scrub_rd_take(blk, n);
	dst[0] = '\0';
	return u ? scrub_utf16_to_utf8(u, n, 1, dst, size) : 0;
}

void scrub_describe_ducky(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	if (scrub_rd_peek_eq(&rd, "Ducky", 5))
		scrub_rd_skip(&rd, 5);
	/* Each block takes at least 4 bytes, so the walk ends with the segment. */
	while (scrub_rd_left(&rd) >= 4) {
		uint16_t tag = scrub_rd_be16(&rd), len = scrub_rd_be16(&rd);
		struct scrub_rd blk;
		if (!scrub_rd_sub(&rd, len, &blk))
			return;
		char text[256];
		size_t tl;
		if (tag == 2 && (tl = ducky_text(&blk, text, sizeof text)))
			scrub_describe_text_entry("Ducky Comment", (const uint8_t *)text, tl, f);
		else if (tag == 3 && ducky_text(&blk, text, sizeof text))
			scrub_facts_set(f->copyright, sizeof f->copyright, text, strlen(text));
	}
}

/* The value of "key=" on a line of p[0..n), or NULL; its length in *len. */
static const char *ini_value(const char *p, size_t n, const char *key, size_t *len)
{
	size_t k = strlen(key);
	for (size_t i = 0; i + k < n; i++) {
		if ((i && p[i - 1] != '\n') || memcmp(p + i, key, k) || p[i + k] != '=')
			continue;
		const char *v = p + i + k + 1;
		*len = 0;
		while (v + *len < p + n && v[*len] != '\r' && v[*len] != '\n' && v[*len])
			(*len)++;
		return v;
	}
	return NULL;
}

void scrub_describe_picture_info(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	const char *s = (const char *)p;
	size_t len;
	const char *v = ini_value(s, n, "TimeDate", &len);
	if (v && len && len < 12 && all_digits(v, len)) {
		int64_t t = 0;
		for (size_t i = 0; i < len; i++)
			t = t * 10 + (v[i] - '0');
		char when[40] = "";
		/* Seconds since 1970 as the camera's clock read them: no zone known. */
		unix_time(t, 1000, 0, false, when, sizeof when);
		vendor_time(f, "Picture Info", when);
	}
	if ((v = ini_value(s, n, "Serial#", &len)))
		scrub_facts_set(f->body_serial, sizeof f->body_serial, v, len);
}

void scrub_describe_qvci(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	field(&rd, 0x62, 7, f->model, sizeof f->model);
	char raw[24] = "";
	field(&rd, 0x4d, 20, raw, sizeof raw);
	int y, mo, d, h, mi, sec;
	char when[40] = "";
	if (sscanf(raw, "%4d.%2d.%2d.%2d.%2d.%2d", &y, &mo, &d, &h, &mi, &sec) == 6 && mo >= 1 &&
	    mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 &&
	    sec < 61 && y >= 0)
		snprintf(when, sizeof when, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, sec);
	vendor_time(f, "Casio QVCI", when);
}

void scrub_describe_ucs2_comment(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	char text[256];
	size_t len = scrub_utf16_to_utf8(p, n, 1, text, sizeof text);
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
		text[--len] = '\0';
	if (len)
		scrub_describe_text_entry("APP10 comment", (const uint8_t *)text, len, f);
}
