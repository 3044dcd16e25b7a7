/*
 * Unit tests for the makers' segments (src/describe/vendor.c): FLIR FFF
 * (camera record and GPS, both byte orders), the Samsung SEFT trailer,
 * Ducky, Picture Info and Casio QVCI. Blocks are built byte by byte from
 * the layouts vendor.c documents; every truncation goes back in a block
 * of exactly its size so ASan sees any overread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe/facts.h"

#include "check.h"

struct bytes {
	uint8_t b[4096];
	size_t n;
};

static void at(struct bytes *m, size_t off, const void *p, size_t n)
{
	if (off + n > sizeof m->b)
		abort();
	memcpy(m->b + off, p, n);
	if (off + n > m->n)
		m->n = off + n;
}

static void u16_at(struct bytes *m, size_t off, unsigned v, bool big)
{
	uint8_t b[2] = { (uint8_t)(big ? v >> 8 : v), (uint8_t)(big ? v : v >> 8) };
	at(m, off, b, 2);
}

static void u32_at(struct bytes *m, size_t off, uint32_t v, bool big)
{
	uint8_t b[4];
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(big ? v >> (24 - 8 * i) : v >> (8 * i));
	at(m, off, b, 4);
}

static void double_at(struct bytes *m, size_t off, double d, bool big)
{
	uint64_t bits;
	memcpy(&bits, &d, sizeof bits);
	u32_at(m, off + (big ? 0 : 4), (uint32_t)(bits >> 32), big);
	u32_at(m, off + (big ? 4 : 0), (uint32_t)bits, big);
}

typedef void (*describer)(const uint8_t *p, size_t n, struct scrub_facts *f);

/* Every prefix of m through d, in an exact-size block; the facts of the whole come back in f. */
static void all_cuts(const struct bytes *m, describer d, struct scrub_facts *f)
{
	for (size_t cut = 0; cut <= m->n; cut++) {
		uint8_t *c = malloc(cut ? cut : 1);
		if (!c)
			abort();
		memcpy(c, m->b, cut);
		scrub_facts_clear(f);
		d(c, cut, f);
		free(c);
	}
}

/* FFF: header, a directory of two records (CameraInfo at 0x100, GPSInfo at 0x600). */
static void flir(struct bytes *m, bool big, int32_t west, double lat, double lon)
{
	memset(m, 0, sizeof *m);
	at(m, 0, "FFF\0", 4);
	u32_at(m, 0x14, 100, big);
	u32_at(m, 0x18, 0x40, big);
	u32_at(m, 0x1c, 3, big);
	const uint32_t rec[3][3] = { { 0x20, 0x100, 0x400 }, { 0x2b, 0x600, 0x60 }, { 0x01, 0x700, 4 } };
	for (int i = 0; i < 3; i++) {
		u16_at(m, 0x40 + 0x20 * i, rec[i][0], big);
		u32_at(m, 0x40 + 0x20 * i + 0x0c, rec[i][1], big);
		u32_at(m, 0x40 + 0x20 * i + 0x10, rec[i][2], big);
	}
	u16_at(m, 0x100, 2, big); /* the record's byte-order mark */
	at(m, 0x100 + 0xd4, "FLIR E8", 7);
	at(m, 0x100 + 0x104, "63912345", 8);
	at(m, 0x100 + 0x170, "FOL18", 5);
	u32_at(m, 0x100 + 0x384, 1328966228, big); /* 2012-02-11T13:17:08Z */
	u32_at(m, 0x100 + 0x388, 253, big);
	u16_at(m, 0x100 + 0x38c, (unsigned)(uint16_t)west, big);
	u32_at(m, 0x600, 1, big);
	at(m, 0x608, lat < 0 ? "S" : "N", 1);
	at(m, 0x60a, lon < 0 ? "W" : "E", 1);
	double_at(m, 0x610, lat, big);
	double_at(m, 0x618, lon, big);
	at(m, 0x700, "\x89PNG", 4);
}

static void test_flir(void)
{
	struct bytes m;
	struct scrub_facts f;
	for (int big = 0; big <= 1; big++) {
		flir(&m, big, -60, -33.856784, 151.215297);
		all_cuts(&m, scrub_describe_flir, &f);
		CHECK(!strcmp(f.model, "FLIR E8") && !strcmp(f.body_serial, "63912345"));
		CHECK(!strcmp(f.lens_model, "FOL18"));
		/* 60 minutes west of UTC is negative: local 14:17:08 at +01:00. */
		CHECK(!strcmp(f.vendor_time, "2012-02-11T14:17:08.253+01:00"));
		CHECK(!strcmp(f.vendor_time_from, "FLIR"));
		CHECK(f.has_gps && f.lat == -33.856784 && f.lon == 151.215297);
		CHECK(!strcmp(f.gps_from, "FLIR"));
		CHECK(f.hidden & SCRUB_HIDDEN_THERMAL);
	}
	/* GPS not marked valid: no position. A wrong version: nothing at all. */
	flir(&m, true, 0, 10, 20);
	u32_at(&m, 0x600, 0, true);
	all_cuts(&m, scrub_describe_flir, &f);
	CHECK(!f.has_gps && !strcmp(f.vendor_time, "2012-02-11T13:17:08.253Z"));
	u32_at(&m, 0x14, 101, true);
	all_cuts(&m, scrub_describe_flir, &f);
	CHECK(!f.model[0] && !f.vendor_time[0]);
	/* A directory that claims more records than there are bytes stops cleanly. */
	flir(&m, true, 0, 10, 20);
	u32_at(&m, 0x1c, 0xFFFFFFFF, true);
	all_cuts(&m, scrub_describe_flir, &f);
	CHECK(!f.model[0]);
	u32_at(&m, 0x1c, 1000, true);
	all_cuts(&m, scrub_describe_flir, &f);
	CHECK(!strcmp(f.model, "FLIR E8")); /* the records before the end still read */
}

/* A SEFT trailer: blocks, then "SEFH" directory, its length, "SEFT". */
static void seft(struct bytes *m, const char *const names[], const char *const values[],
		 const uint16_t types[], size_t count)
{
	memset(m, 0, sizeof *m);
	size_t pos = 0, off[8];
	for (size_t i = 0; i < count; i++) {
		off[i] = pos;
		u16_at(m, pos + 2, types[i], false);
		u32_at(m, pos + 4, (uint32_t)strlen(names[i]), false);
		at(m, pos + 8, names[i], strlen(names[i]));
		at(m, pos + 8 + strlen(names[i]), values[i], strlen(values[i]));
		pos += 8 + strlen(names[i]) + strlen(values[i]);
	}
	size_t dir = pos;
	at(m, dir, "SEFH", 4);
	u32_at(m, dir + 4, 101, false);
	u32_at(m, dir + 8, (uint32_t)count, false);
	for (size_t i = 0; i < count; i++) {
		size_t e = dir + 12 + 12 * i, end = i + 1 < count ? off[i + 1] : dir;
		u16_at(m, e + 2, types[i], false);
		u32_at(m, e + 4, (uint32_t)(dir - off[i]), false);
		u32_at(m, e + 8, (uint32_t)(end - off[i]), false);
	}
	size_t len = 12 + 12 * count;
	u32_at(m, dir + len, (uint32_t)len, false);
	at(m, dir + len + 4, "SEFT", 4);
}

static void test_seft(void)
{
	static const char *const names[] = { "Image_UTC_Data", "MCC_Data", "MotionPhoto_Data" };
	static const char *const values[] = { "1486666298918", "208", "....ftypmp42" };
	static const uint16_t types[] = { 0x0a01, 0x0aa1, 0x0a30 };
	struct bytes m;
	struct scrub_facts f;
	seft(&m, names, values, types, 3);
	all_cuts(&m, scrub_describe_seft, &f);
	CHECK(!strcmp(f.vendor_time, "2017-02-09T18:51:38.918Z"));
	CHECK(!strcmp(f.vendor_time_from, "Samsung"));
	CHECK(!strcmp(f.mcc, "208"));
	CHECK(f.hidden == SCRUB_HIDDEN_MOTION);
	/* A time that is not digits, a country code that is not one: nothing. */
	static const char *const bad[] = { "14866662989x8", "2O8", "" };
	seft(&m, names, bad, types, 3);
	all_cuts(&m, scrub_describe_seft, &f);
	CHECK(!f.vendor_time[0] && !f.mcc[0]);
	/* An entry pointing before the data stops the walk. */
	seft(&m, names, values, types, 3);
	size_t dir = m.n - 8 - (12 + 36);
	u32_at(&m, dir + 12 + 4, 0x7FFFFFFF, false);
	all_cuts(&m, scrub_describe_seft, &f);
	CHECK(!f.vendor_time[0]);
}

static void test_app_segments(void)
{
	struct bytes m;
	struct scrub_facts f;
	/* Ducky: quality, then comment and copyright as count + UCS-2 big-endian. */
	memset(&m, 0, sizeof m);
	at(&m, 0, "Ducky", 5);
	u16_at(&m, 5, 1, true), u16_at(&m, 7, 4, true), u32_at(&m, 9, 80, true);
	u16_at(&m, 13, 2, true), u16_at(&m, 15, 4 + 6, true), u32_at(&m, 17, 3, true);
	at(&m, 21, "\0h\0i\0!", 6);
	u16_at(&m, 27, 3, true), u16_at(&m, 29, 4 + 4, true), u32_at(&m, 31, 2, true);
	at(&m, 35, "\0\xA9\0J", 4);
	all_cuts(&m, scrub_describe_ducky, &f);
	CHECK(f.ntext == 1 && !strcmp(f.text[0].keyword, "Ducky Comment"));
	CHECK(!strcmp(f.text[0].value, "hi!"));
	CHECK(!strcmp(f.copyright, "\xC2\xA9J"));
	/* Picture Info text. */
	static const char pic[] = "Agfa Gevaert   \0 721\r\n[picture info]\r\nTimeDate=915117440\r\n"
				  "[camera info]\r\nType=SR84\r\nSerial#=#00000001\r\n";
	memset(&m, 0, sizeof m);
	at(&m, 0, pic, sizeof pic - 1);
	all_cuts(&m, scrub_describe_picture_info, &f);
	CHECK(!strcmp(f.vendor_time, "1998-12-31T15:17:20"));
	CHECK(!strcmp(f.body_serial, "#00000001"));
	/* Casio QVCI. */
	memset(&m, 0, sizeof m);
	at(&m, 0, "QVCI\0", 5);
	at(&m, 0x4d, "1998.10.24.12.08.57", 19);
	at(&m, 0x62, "KX-778", 6);
	at(&m, 0x85, "", 1);
	all_cuts(&m, scrub_describe_qvci, &f);
	CHECK(!strcmp(f.vendor_time, "1998-10-24T12:08:57") && !strcmp(f.model, "KX-778"));
	at(&m, 0x4d, "1998.13.24.12.08.57", 19); /* month 13 */
	all_cuts(&m, scrub_describe_qvci, &f);
	CHECK(!f.vendor_time[0]);
}

int main(void)
{
	test_flir();
	test_seft();
	test_app_segments();
	return check_summary();
}
