/*
 * Unit tests for ICC profiles: the walkers' validity check
 * (src/formats/icc_check.c: whole, in JPEG parts, zlib-compressed) and
 * the report's reading of description, maker, model and copyright
 * (src/describe/icc.c). Profiles are built byte by byte after ICC.1:2022;
 * every truncation goes back in a block of exactly its size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "describe/facts.h"
#include "formats/icc_check.h"

#include "check.h"

struct prof {
	uint8_t b[2048];
	size_t n;
};

static void be32_at(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (24 - 8 * i));
}

/* Appends a tag to the profile: its entry goes in the table (room for 8), its data at the end. */
static void tag(struct prof *m, const char *sig, const void *data, size_t len)
{
	uint32_t count = (uint32_t)m->b[131] | (uint32_t)m->b[130] << 8;
	uint8_t *e = m->b + 132 + 12 * count;
	memcpy(e, sig, 4);
	be32_at(e + 4, (uint32_t)m->n);
	be32_at(e + 8, (uint32_t)len);
	memcpy(m->b + m->n, data, len);
	m->n += len + (4 - len % 4) % 4;
	be32_at(m->b + 128, count + 1);
	be32_at(m->b, (uint32_t)m->n);
}

/* A v4 'mluc' with one en-US record holding ascii as UTF-16BE. */
static size_t mluc(uint8_t *out, const char *ascii)
{
	size_t k = strlen(ascii);
	memset(out, 0, 28 + 2 * k);
	memcpy(out, "mluc", 4);
	be32_at(out + 8, 1);
	be32_at(out + 12, 12);
	memcpy(out + 16, "enUS", 4);
	be32_at(out + 20, (uint32_t)(2 * k));
	be32_at(out + 24, 28);
	for (size_t i = 0; i < k; i++)
		out[28 + 2 * i + 1] = (uint8_t)ascii[i];
	return 28 + 2 * k;
}

/* Header: class mntr, RGB, XYZ, "acsp", manufacturer APPL, model; table for 8 tags. */
static void profile(struct prof *m, const char *desc)
{
	memset(m, 0, sizeof *m);
	memcpy(m->b + 12, "mntrRGB XYZ ", 12);
	memcpy(m->b + 36, "acsp", 4);
	memcpy(m->b + 48, "APPL", 4);
	memcpy(m->b + 52, "\0\0\xA0\x01", 4);
	m->n = 132 + 12 * 8;
	uint8_t t[512];
	tag(m, "desc", t, mluc(t, desc));
	tag(m, "cprt", t, mluc(t, "Copyright Jane Roe"));
}

static void test_validity(void)
{
	struct prof m;
	profile(&m, "Display");
	CHECK(scrub_icc_valid(m.b, m.n));
	CHECK(!scrub_icc_valid(m.b, m.n - 1) && !scrub_icc_valid(m.b, 100));
	be32_at(m.b, (uint32_t)m.n + 4); /* the size field says more than there is */
	CHECK(!scrub_icc_valid(m.b, m.n));
	be32_at(m.b, (uint32_t)m.n);
	memcpy(m.b + 36, "acsq", 4);
	CHECK(!scrub_icc_valid(m.b, m.n));
	memcpy(m.b + 36, "acsp", 4);
	be32_at(m.b + 128, 0x7FFFFFFF); /* a tag table that cannot fit */
	CHECK(!scrub_icc_valid(m.b, m.n));
	be32_at(m.b + 128, (uint32_t)((m.n - 132) / 12) + 1);
	CHECK(!scrub_icc_valid(m.b, m.n));
	be32_at(m.b + 128, 2);
	/* In parts, with the header cut across the first two. */
	struct scrub_icc_part parts[3] = { { m.b, 100 }, { m.b + 100, 200 }, { m.b + 300, m.n - 300 } };
	CHECK(scrub_icc_parts_valid(parts, 3));
	CHECK(!scrub_icc_parts_valid(parts, 2));
	parts[1].n = 199;
	CHECK(!scrub_icc_parts_valid(parts, 3));
	struct scrub_icc_part tiny[2] = { { m.b, 10 }, { m.b + 10, 20 } };
	CHECK(!scrub_icc_parts_valid(tiny, 2));
}

static void test_zlib(void)
{
	struct prof m;
	profile(&m, "Display");
	uint8_t z[4096];
	uLongf zn = sizeof z;
	CHECK(compress(z, &zn, m.b, m.n) == Z_OK);
	CHECK(scrub_icc_zlib_valid(z, zn));
	/* Every truncation of the stream is refused, in an exact-size block. */
	size_t bad = 0;
	for (size_t cut = 0; cut < zn; cut++) {
		uint8_t *c = malloc(cut ? cut : 1);
		if (!c)
			abort();
		memcpy(c, z, cut);
		bad += scrub_icc_zlib_valid(c, cut);
		free(c);
	}
	CHECK(bad == 0);
	/* A stream that inflates past the size its header states. */
	uint8_t big[8192];
	memset(big, 0, sizeof big);
	memcpy(big, m.b, m.n);
	zn = sizeof z;
	CHECK(compress(z, &zn, big, sizeof big) == Z_OK);
	CHECK(!scrub_icc_zlib_valid(z, zn));
	CHECK(!scrub_icc_zlib_valid((const uint8_t *)"not zlib", 8));
}

static void describe(const struct prof *m, struct scrub_facts *f)
{
	for (size_t cut = 0; cut <= m->n; cut++) {
		uint8_t *c = malloc(cut ? cut : 1);
		if (!c)
			abort();
		memcpy(c, m->b, cut);
		scrub_facts_clear(f);
		scrub_describe_icc(c, cut, f);
		free(c);
	}
}

static void test_describe(void)
{
	struct prof m;
	struct scrub_facts f;
	profile(&m, "Jane's MacBook Pro");
	describe(&m, &f);
	CHECK(f.icc_read && !f.icc_standard);
	CHECK(!strcmp(f.icc_desc, "Jane's MacBook Pro") && !strcmp(f.icc_maker, "Apple"));
	CHECK(!strcmp(f.icc_copyright, "Copyright Jane Roe"));
	CHECK(f.icc_model[0] == '\0'); /* model 0000A001 is not text */
	CHECK(scrub_facts_icc_points_at_device(&f));
	/* 'dmnd'/'dmdd' win over the header, v2 'desc' and 'text' read too. */
	profile(&m, "x");
	static const char v2[] = "desc\0\0\0\0\0\0\0\x12sRGB IEC61966-2.1";
	m.b[131] = 0, m.n = 132 + 12 * 8;
	tag(&m, "desc", v2, sizeof v2);
	tag(&m, "dmnd", "text\0\0\0\0Acme Displays", 21);
	uint8_t t[128];
	tag(&m, "dmdd", t, mluc(t, "Acme 27 Pro"));
	describe(&m, &f);
	CHECK(!strcmp(f.icc_desc, "sRGB IEC61966-2.1") && f.icc_standard);
	CHECK(!strcmp(f.icc_maker, "Acme Displays") && !strcmp(f.icc_model, "Acme 27 Pro"));
	CHECK(!scrub_facts_icc_points_at_device(&f));
	/* Variants of standard names count; a longer name that only starts alike does not. */
	profile(&m, "Display P3");
	describe(&m, &f);
	CHECK(f.icc_standard);
	profile(&m, "sRGBfoo");
	describe(&m, &f);
	CHECK(!f.icc_standard);
	/* No signature: nothing read. A tag pointing outside the profile is skipped. */
	profile(&m, "Display");
	memcpy(m.b + 36, "xxxx", 4);
	describe(&m, &f);
	CHECK(!f.icc_read && !f.icc_desc[0]);
	profile(&m, "Display");
	be32_at(m.b + 132 + 4, 0xFFFFFFF0);
	describe(&m, &f);
	CHECK(f.icc_read && !f.icc_desc[0] && !strcmp(f.icc_copyright, "Copyright Jane Roe"));
}

int main(void)
{
	test_validity();
	test_zlib();
	test_describe();
	return check_summary();
}
