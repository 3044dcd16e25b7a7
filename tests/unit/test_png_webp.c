/*
 * Unit tests for the PNG and WebP backends (src/formats/png.c, webp.c):
 * classification, the orientation round trip (a scrubbed file scans clean),
 * VP8X synthesis, refusals, and a mutation loop that feeds damaged files
 * (PNG CRCs recomputed so the walk goes deep) through scan and strip.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "engine/engine.h"
#include "formats/format.h"
#include "formats/orientation.h"

#include "check.h"

/* A 24x16 lossless WebP made by cwebp (simple format, VP8L only). */
static const uint8_t vp8l_webp[] = {
	0x52, 0x49, 0x46, 0x46, 0x44, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50,
	0x56, 0x50, 0x38, 0x4c, 0x37, 0x00, 0x00, 0x00, 0x2f, 0x17, 0xc0, 0x03,
	0x00, 0x09, 0x80, 0x48, 0x6a, 0x7f, 0xeb, 0x25, 0x22, 0xfa, 0x9f, 0x5a,
	0x44, 0x88, 0x05, 0x13, 0xad, 0xfc, 0x49, 0x86, 0xd1, 0xd9, 0xff, 0xe8,
	0x01, 0xa5, 0x01, 0x90, 0x30, 0x8c, 0xff, 0xbf, 0x06, 0x6d, 0x64, 0x31,
	0x69, 0x8a, 0x87, 0x97, 0x11, 0x13, 0x00, 0x2e, 0xfb, 0x37, 0x55, 0xf6,
	0xde, 0x63, 0x7f, 0x00
};

struct img {
	uint8_t b[4096];
	size_t n;
};

static void put(struct img *m, const void *p, size_t n)
{
	if (n)
		memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void be32(struct img *m, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	put(m, b, 4);
}

static void le32_at(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void chunk(struct img *m, const char *type, const void *data, size_t n)
{
	be32(m, (uint32_t)n);
	size_t at = m->n;
	put(m, type, 4);
	put(m, data, n);
	be32(m, (uint32_t)crc32(0, m->b + at, (uInt)n + 4));
}

/* 2x2 grey PNG; extra chunks go between IHDR and IDAT. */
static void make_png(struct img *m, const char *type, const void *data, size_t n)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	static const uint8_t ihdr[13] = { 0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0 };
	static const uint8_t rows[6] = { 0, 10, 20, 0, 30, 40 };
	uint8_t z[64];
	uLongf zn = sizeof z;
	compress(z, &zn, rows, sizeof rows);
	m->n = 0;
	put(m, sig, 8);
	chunk(m, "IHDR", ihdr, sizeof ihdr);
	if (type)
		chunk(m, type, data, n);
	chunk(m, "IDAT", z, zn);
	chunk(m, "IEND", NULL, 0);
}

/* Scan then strip; returns the status and leaves the output in out. */
static enum scrub_status run(const struct scrub_backend *be, const uint8_t *p, size_t n,
			     const struct scrub_policy *pol, struct scrub_scan *scan, struct img *out)
{
	struct scrub_plan plan;
	scrub_plan_init(&plan);
	scrub_scan_reset(scan);
	enum scrub_status st = be->scan(p, n, pol, scan);
	if (st == SCRUB_OK)
		st = be->strip(p, n, scan, pol, &plan);
	out->n = 0;
	if (st == SCRUB_OK && plan.total <= sizeof out->b) {
		scrub_plan_copy(&plan, out->b);
		out->n = plan.total;
	}
	scrub_plan_free(&plan);
	return st;
}

static void test_png(struct scrub_scan *scan)
{
	struct scrub_policy pol = scrub_policy_default();
	struct img in, out, again;
	make_png(&in, NULL, NULL, 0);
	CHECK(scrub_format_detect(in.b, in.n) == &scrub_backend_png);
	CHECK(run(&scrub_backend_png, in.b, in.n, &pol, scan, &out) == SCRUB_OK);
	CHECK(out.n == in.n && !memcmp(out.b, in.b, in.n));
	CHECK(scan->width == 2 && scan->height == 2);

	make_png(&in, "tEXt", "Comment\0hello", 13);
	CHECK(run(&scrub_backend_png, in.b, in.n, &pol, scan, &out) == SCRUB_OK);
	CHECK(out.n == in.n - 25 && scrub_scan_has_removable(scan));

	size_t blen;
	const uint8_t *block = scrub_orientation_block(6, &blen);
	make_png(&in, "eXIf", block + SCRUB_EXIF_HEADER_LEN, blen - SCRUB_EXIF_HEADER_LEN);
	CHECK(run(&scrub_backend_png, in.b, in.n, &pol, scan, &out) == SCRUB_OK);
	CHECK(scan->orientation == 6);
	CHECK(out.n == in.n && !memcmp(out.b, in.b, in.n)); /* canonical eXIf: clean */
	make_png(&in, "eXIf", block, blen);                   /* with a wrong Exif prefix */
	CHECK(run(&scrub_backend_png, in.b, in.n, &pol, scan, &out) == SCRUB_OK);
	CHECK(run(&scrub_backend_png, out.b, out.n, &pol, scan, &again) == SCRUB_OK);
	CHECK(again.n == out.n && !memcmp(again.b, out.b, out.n) && scan->orientation == 6);

	make_png(&in, NULL, NULL, 0);
	in.b[in.n - 1] ^= 1;
	CHECK(run(&scrub_backend_png, in.b, in.n, &pol, scan, &out) == SCRUB_E_CRC);
	CHECK(run(&scrub_backend_png, in.b, in.n - 12, &pol, scan, &out) == SCRUB_E_TRUNCATED);
}

static void test_webp(struct scrub_scan *scan)
{
	struct scrub_policy pol = scrub_policy_default();
	struct img in, out, again;
	CHECK(scrub_format_detect(vp8l_webp, sizeof vp8l_webp) == &scrub_backend_webp);
	CHECK(run(&scrub_backend_webp, vp8l_webp, sizeof vp8l_webp, &pol, scan, &out) == SCRUB_OK);
	CHECK(out.n == sizeof vp8l_webp && !memcmp(out.b, vp8l_webp, out.n));
	CHECK(scan->width == 24 && scan->height == 16);

	/* Simple file plus an EXIF chunk with orientation: VP8X is synthesised. */
	size_t blen;
	const uint8_t *block = scrub_orientation_block(3, &blen);
	in.n = 0;
	put(&in, vp8l_webp, sizeof vp8l_webp);
	put(&in, "EXIF", 4);
	uint8_t sz[4];
	le32_at(sz, (uint32_t)blen);
	put(&in, sz, 4);
	put(&in, block, blen);
	le32_at(in.b + 4, (uint32_t)(in.n - 8));
	CHECK(run(&scrub_backend_webp, in.b, in.n, &pol, scan, &out) == SCRUB_OK);
	CHECK(out.n > 30 && !memcmp(out.b + 12, "VP8X", 4) && (out.b[20] & 0x08));
	CHECK(out.b[24] == 23 && out.b[27] == 15); /* canvas 24x16, stored minus one */
	CHECK(run(&scrub_backend_webp, out.b, out.n, &pol, scan, &again) == SCRUB_OK);
	CHECK(again.n == out.n && !memcmp(again.b, out.b, out.n) && scan->orientation == 3);

	/* Trailer removed; RIFF size past the end refused. */
	put(&in, "junk", 4);
	CHECK(run(&scrub_backend_webp, in.b, in.n, &pol, scan, &again) == SCRUB_OK);
	CHECK(again.n == out.n && !memcmp(again.b, out.b, out.n));
	le32_at(in.b + 4, (uint32_t)in.n);
	CHECK(run(&scrub_backend_webp, in.b, in.n, &pol, scan, &out) == SCRUB_E_TRUNCATED);
}

/*
 * A WebP "C2PA" chunk holds a JUMBF manifest store (C2PA 2.1, A.3.5): the
 * walker must say so, so the report names the manifest and its generator,
 * and the chunk goes.
 */
static void test_webp_c2pa(void)
{
	static const uint8_t c2pa_uuid[16] = { 0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10,
					       0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 };
	static const char cbor[] = "\xA1\x6F" "claim_generator" "\x6C" "TestGen/1.0b";
	uint8_t box[128];
	struct img jumbf = { .n = 0 }, in = { .n = 0 };
	put(&jumbf, "\0\0\0\0jumb\0\0\0\x1Ejumd", 16);
	put(&jumbf, c2pa_uuid, 16);
	put(&jumbf, "\x03" "c2pa", 6);
	uint8_t head[8] = { 0, 0, 0, (uint8_t)(8 + sizeof cbor - 1), 'c', 'b', 'o', 'r' };
	put(&jumbf, head, 8);
	put(&jumbf, cbor, sizeof cbor - 1);
	memcpy(box, jumbf.b, jumbf.n);
	box[3] = (uint8_t)jumbf.n;
	put(&in, vp8l_webp, sizeof vp8l_webp);
	put(&in, "C2PA", 4);
	uint8_t sz[4];
	le32_at(sz, (uint32_t)jumbf.n);
	put(&in, sz, 4);
	put(&in, box, jumbf.n);
	le32_at(in.b + 4, (uint32_t)(in.n - 8));

	struct scrub_engine e;
	scrub_engine_init(&e);
	struct scrub_result r;
	scrub_result_init(&r, "c2pa.webp");
	struct scrub_request rq = { .mode = SCRUB_MODE_REPORT, .policy = scrub_policy_default(),
				    .describe = true };
	bool changed = false;
	CHECK(scrub_engine_run(&e, &rq, in.b, in.n, &r, &changed));
	CHECK(changed && r.nfound == 3 && r.found[2].kind == SCRUB_KIND_JUMBF && !r.found[2].keep);
	CHECK(r.facts.c2pa && !strcmp(r.facts.c2pa_generator, "TestGen/1.0b"));
	CHECK(e.plan.total == sizeof vp8l_webp);
	scrub_result_free(&r);
	scrub_engine_free(&e);
}

/* Fixes every PNG CRC it can walk to, so mutations reach the chunk handlers. */
static void fix_crcs(uint8_t *p, size_t n)
{
	size_t pos = 8;
	while (pos + 12 <= n) {
		uint32_t len = (uint32_t)p[pos] << 24 | (uint32_t)p[pos + 1] << 16 |
			       (uint32_t)p[pos + 2] << 8 | p[pos + 3];
		if (len > n - pos - 12)
			return;
		uint32_t c = (uint32_t)crc32(0, p + pos + 4, len + 4);
		uint8_t *q = p + pos + 8 + len;
		q[0] = (uint8_t)(c >> 24);
		q[1] = (uint8_t)(c >> 16);
		q[2] = (uint8_t)(c >> 8);
		q[3] = (uint8_t)c;
		pos += 12 + (size_t)len;
	}
}

static void test_mutations(struct scrub_scan *scan)
{
	struct scrub_policy pol = scrub_policy_default();
	struct img seed, m, out;
	size_t blen;
	const uint8_t *block = scrub_orientation_block(6, &blen);
	make_png(&seed, "eXIf", block, blen);
	srand(12345);
	int ok = 0;
	for (int i = 0; i < 20000; i++) {
		bool png = i & 1;
		m.n = png ? seed.n : sizeof vp8l_webp;
		memcpy(m.b, png ? seed.b : vp8l_webp, m.n);
		for (int k = rand() % 4 + 1; k > 0; k--)
			m.b[rand() % m.n] = (uint8_t)rand();
		if (rand() % 4 == 0)
			m.n = (size_t)rand() % m.n;
		if (png)
			fix_crcs(m.b, m.n);
		const struct scrub_backend *be = png ? &scrub_backend_png : &scrub_backend_webp;
		if (run(be, m.b, m.n, &pol, scan, &out) == SCRUB_OK)
			ok++;
	}
	CHECK(ok > 0); /* survived, and some mutants were still walkable */
}

int main(void)
{
	struct scrub_scan scan;
	scrub_scan_init(&scan);
	test_png(&scan);
	test_webp(&scan);
	test_webp_c2pa();
	test_mutations(&scan);
	scrub_scan_free(&scan);
	return check_summary();
}
