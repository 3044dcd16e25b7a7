/*
 * Unit tests for the JPEG walker (src/formats/jpeg.c): hand-built byte
 * arrays through scrub_backend_jpeg.scan and .strip. Every expected output
 * is spelled out separately from the input, and every output is stripped a
 * second time to check idempotence.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe/facts.h"
#include "formats/format.h"
#include "formats/orientation.h"
#include "core/plan.h"
#include "core/policy.h"

#include "check.h"

/* A small growable byte string for building inputs and expected outputs. */
struct bytes {
	uint8_t d[8192];
	size_t n;
};

static void put(struct bytes *b, const void *p, size_t n)
{
	if (n > sizeof b->d - b->n) {
		fprintf(stderr, "test buffer overflow\n");
		exit(2);
	}
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

/* FF m, length (payload + 2), payload. */
static void seg(struct bytes *b, uint8_t m, const void *payload, size_t n)
{
	uint8_t head[4] = { 0xFF, m, (uint8_t)((n + 2) >> 8), (uint8_t)(n + 2) };
	put(b, head, 4);
	put(b, payload, n);
}

static const uint8_t SOI[] = { 0xFF, 0xD8 };
static const uint8_t EOI[] = { 0xFF, 0xD9 };

/* JFIF 1.01, no thumbnail (length 16). */
static void jfif(struct bytes *b)
{
	static const uint8_t p[] = { 'J', 'F', 'I', 'F', 0, 1, 1, 1, 0, 72, 0, 72, 0, 0 };
	seg(b, 0xE0, p, sizeof p);
}

static void dqt(struct bytes *b)
{
	uint8_t p[65] = { 0 };
	for (int i = 1; i < 65; i++)
		p[i] = (uint8_t)i;
	seg(b, 0xDB, p, sizeof p);
}

/* SOFn for a width x height single-component image. */
static void sof(struct bytes *b, uint8_t m, unsigned width, unsigned height)
{
	const uint8_t p[] = { 8, (uint8_t)(height >> 8), (uint8_t)height, (uint8_t)(width >> 8),
			      (uint8_t)width, 1, 1, 0x11, 0 };
	seg(b, m, p, sizeof p);
}

static void dht(struct bytes *b, uint8_t cls)
{
	uint8_t p[17 + 2] = { cls };
	p[1] = 2; /* two codes of length 1 */
	p[17] = 0;
	p[18] = 1;
	seg(b, 0xC4, p, sizeof p);
}

/* SOS header and entropy-coded data (the data is copied verbatim). */
static void sos(struct bytes *b, const void *ecs, size_t n)
{
	static const uint8_t p[] = { 1, 1, 0x00, 0, 63, 0 };
	seg(b, 0xDA, p, sizeof p);
	put(b, ecs, n);
}

static void com(struct bytes *b, const char *text)
{
	seg(b, 0xFE, text, strlen(text));
}

/* APPn with an identifier (including its NUL, if any) and a text body. */
static void app(struct bytes *b, uint8_t m, const void *ident, size_t ident_len, const char *body)
{
	uint8_t p[2048];
	size_t blen = strlen(body);
	memcpy(p, ident, ident_len);
	memcpy(p + ident_len, body, blen);
	seg(b, m, p, ident_len + blen);
}

/* APP2 ICC_PROFILE part seq of count holding body[0..n). */
static void icc_bytes(struct bytes *b, uint8_t seq, uint8_t count, const uint8_t *body, size_t n)
{
	uint8_t p[256];
	memcpy(p, "ICC_PROFILE\0", 12);
	p[12] = seq;
	p[13] = count;
	memcpy(p + 14, body, n);
	seg(b, 0xE2, p, 14 + n);
}

/* APP2 ICC_PROFILE part seq of count, with a recognisable body (not a valid profile). */
static void icc(struct bytes *b, uint8_t seq, uint8_t count, const char *body)
{
	icc_bytes(b, seq, count, (const uint8_t *)body, strlen(body));
}

/*
 * The smallest valid profile (ICC.1:2022 7.2): a header whose size field
 * says 132, "acsp" at 36, no tags; the description makes it recognisable.
 */
static const uint8_t tiny_profile[132] = {
	[3] = 132, [4] = 'i', [5] = 'c', [6] = 'c', [7] = '1',
	[36] = 'a', [37] = 'c', [38] = 's', [39] = 'p',
};

/* APP1 Exif: big-endian TIFF, IFD0 with Orientation and Artist (text outside the entry). */
static void exif(struct bytes *b, uint16_t orientation, const char *artist)
{
	uint8_t p[512];
	size_t alen = strlen(artist) + 1;
	size_t n = 0;
	memcpy(p, "Exif\0\0MM\0*\0\0\0\x08", 14);
	n = 14;
	const uint8_t ifd[] = {
		0, 2,
		0x01, 0x12, 0, 3, 0, 0, 0, 1, (uint8_t)(orientation >> 8), (uint8_t)orientation, 0, 0,
		0x01, 0x3B, 0, 2, 0, 0, 0, (uint8_t)alen, 0, 0, 0, 38,
		0, 0, 0, 0,
	};
	memcpy(p + n, ifd, sizeof ifd);
	n += sizeof ifd;
	memcpy(p + n, artist, alen);
	n += alen;
	seg(b, 0xE1, p, n);
}

/* Shared frame: DQT, SOF0 16x8, DHT. */
static void frame(struct bytes *b)
{
	dqt(b);
	sof(b, 0xC0, 16, 8);
	dht(b, 0x00);
}

/* Entropy data exercising stuffing, restart markers and fill before EOI. */
static const uint8_t ECS[] = { 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0x00,
			       0xFF, 0xD7, 0x78, 0x9A, 0xFF, 0xFF };

struct run {
	enum scrub_status scan_st;
	enum scrub_status strip_st;
	struct scrub_scan scan;
	struct scrub_plan plan;
	struct bytes out;
};

static void run_init(struct run *r)
{
	scrub_scan_init(&r->scan);
	scrub_plan_init(&r->plan);
	r->out.n = 0;
}

static void run_free(struct run *r)
{
	scrub_scan_free(&r->scan);
	scrub_plan_free(&r->plan);
}

/* Scan and strip in[0..n) under pol; r->out holds the output on success. */
static enum scrub_status run(struct run *r, const uint8_t *in, size_t n,
			     const struct scrub_policy *pol)
{
	scrub_scan_reset(&r->scan);
	scrub_plan_reset(&r->plan);
	r->out.n = 0;
	r->strip_st = SCRUB_E_COUNT;
	r->scan_st = scrub_backend_jpeg.scan(in, n, pol, &r->scan);
	if (r->scan_st != SCRUB_OK)
		return r->scan_st;
	r->strip_st = scrub_backend_jpeg.strip(in, n, &r->scan, pol, &r->plan);
	if (r->strip_st != SCRUB_OK)
		return r->strip_st;
	if (r->plan.total > sizeof r->out.d)
		return SCRUB_E_LIMIT;
	scrub_plan_copy(&r->plan, r->out.d);
	r->out.n = r->plan.total;
	return SCRUB_OK;
}

/* Scrubbing the output again changes nothing (SPEC.md 1.4). */
static bool idempotent(const struct bytes *out, const struct scrub_policy *pol)
{
	struct run r2;
	run_init(&r2);
	bool ok = run(&r2, out->d, out->n, pol) == SCRUB_OK &&
		  scrub_plan_same_as(&r2.plan, out->d, out->n) && r2.out.n == out->n &&
		  memcmp(r2.out.d, out->d, out->n) == 0 && !scrub_scan_has_removable(&r2.scan);
	run_free(&r2);
	return ok;
}

static bool same(const struct bytes *a, const struct bytes *b)
{
	return a->n == b->n && memcmp(a->d, b->d, a->n) == 0;
}

static bool contains(const struct bytes *b, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i + n <= b->n; i++)
		if (!memcmp(b->d + i, s, n))
			return true;
	return false;
}

static const struct scrub_segment *find_kind(const struct scrub_scan *scan, enum scrub_kind k)
{
	for (size_t i = 0; i < scan->nseg; i++)
		if (scan->seg[i].kind == k)
			return &scan->seg[i];
	return NULL;
}

static void test_clean_file_unchanged(void)
{
	struct bytes in = { .n = 0 };
	put(&in, SOI, 2);
	jfif(&in);
	frame(&in);
	sos(&in, ECS, sizeof ECS);
	put(&in, EOI, 2);
	struct scrub_policy pol = scrub_policy_default();
	struct run r;
	run_init(&r);
	CHECK(run(&r, in.d, in.n, &pol) == SCRUB_OK);
	CHECK(same(&r.out, &in));
	CHECK(scrub_plan_same_as(&r.plan, in.d, in.n));
	CHECK(!scrub_scan_has_removable(&r.scan));
	CHECK(r.scan.width == 16 && r.scan.height == 8);
	CHECK(r.scan.orientation == 0);
	run_free(&r);
}

/* COM, EXIF, XMP, Photoshop, vendor APPn and the trailer go; ICC stays in order. */
static void test_removal_and_icc_order(void)
{
	struct bytes in = { .n = 0 }, want = { .n = 0 };
	put(&in, SOI, 2);
	put(&want, SOI, 2);
	jfif(&in);
	jfif(&want);
	exif(&in, 1, "SecretArtist");
	icc_bytes(&in, 1, 2, tiny_profile, 70);
	icc_bytes(&want, 1, 2, tiny_profile, 70);
	com(&in, "SecretComment");
	app(&in, 0xE1, "http://ns.adobe.com/xap/1.0/\0", 29, "<x:xmpmeta>SecretXmp</x:xmpmeta>");
	app(&in, 0xED, "Photoshop 3.0\0", 14, "8BIM\x04\x04SecretIptc");
	icc_bytes(&in, 2, 2, tiny_profile + 70, sizeof tiny_profile - 70);
	icc_bytes(&want, 2, 2, tiny_profile + 70, sizeof tiny_profile - 70);
	app(&in, 0xE9, "Vendor\0", 7, "SecretVendor");
	app(&in, 0xEB, "JP", 2, "SecretJumbf");
	app(&in, 0xE2, "MPF\0", 4, "SecretMpf");
	frame(&in);
	frame(&want);
	com(&in, "SecondSecretComment");
	sos(&in, ECS, sizeof ECS);
	sos(&want, ECS, sizeof ECS);
	put(&in, EOI, 2);
	put(&want, EOI, 2);
	put(&in, "\0\0\0\x18" "ftypmp42SecretVideo", 23);

	struct scrub_policy pol = scrub_policy_default();
	struct run r;
	run_init(&r);
	CHECK(run(&r, in.d, in.n, &pol) == SCRUB_OK);
	CHECK(same(&r.out, &want));
	CHECK(!contains(&r.out, "Secret"));
	CHECK(scrub_scan_has_removable(&r.scan));
	CHECK(idempotent(&r.out, &pol));
	const struct scrub_segment *t = find_kind(&r.scan, SCRUB_KIND_TRAILER);
	CHECK(t && !t->keep && t->off + t->len == in.n && strcmp(t->label, "trailer MP4 video") == 0);
	const struct scrub_segment *c = find_kind(&r.scan, SCRUB_KIND_COMMENT);
	CHECK(c && !c->keep && c->len == 4 + strlen("SecretComment"));
	CHECK(find_kind(&r.scan, SCRUB_KIND_XMP) && !find_kind(&r.scan, SCRUB_KIND_XMP)->keep);
	CHECK(find_kind(&r.scan, SCRUB_KIND_PHOTOSHOP) != NULL);
	CHECK(find_kind(&r.scan, SCRUB_KIND_JUMBF) != NULL);
	CHECK(find_kind(&r.scan, SCRUB_KIND_MPF) != NULL);
	CHECK(find_kind(&r.scan, SCRUB_KIND_UNKNOWN) != NULL);
	const struct scrub_segment *e = find_kind(&r.scan, SCRUB_KIND_EXIF);
	CHECK(e && !e->keep);
	CHECK(find_kind(&r.scan, SCRUB_KIND_ICC) && find_kind(&r.scan, SCRUB_KIND_ICC)->keep);

	/* Without --keep icc the profile goes too. */
	struct scrub_policy none = { .keep_orientation = false, .keep_icc = false };
	struct bytes want2 = { .n = 0 };
	put(&want2, SOI, 2);
	jfif(&want2);
	frame(&want2);
	sos(&want2, ECS, sizeof ECS);
	put(&want2, EOI, 2);
	CHECK(run(&r, in.d, in.n, &none) == SCRUB_OK);
	CHECK(same(&r.out, &want2));
	CHECK(!contains(&r.out, "ICC_PROFILE"));
	CHECK(idempotent(&r.out, &none));
	run_free(&r);
}

/*
 * Parts that do not make a valid profile go, kept ICC or not (SPEC.md 2):
 * a body that is no profile, a missing part, a sequence number twice.
 */
static void test_invalid_icc(void)
{
	struct scrub_policy pol = scrub_policy_default();
	struct run r;
	run_init(&r);
	for (int v = 0; v < 4; v++) {
		struct bytes in = { .n = 0 }, want = { .n = 0 };
		put(&in, SOI, 2);
		put(&want, SOI, 2);
		if (v == 0) {
			icc(&in, 1, 1, "not-a-profile");
		} else {
			icc_bytes(&in, 1, 2, tiny_profile, 70);
			if (v == 2)
				icc_bytes(&in, 1, 2, tiny_profile, 70);
			if (v == 3)
				icc_bytes(&in, 2, 3, tiny_profile + 70, sizeof tiny_profile - 70);
		}
		frame(&in);
		frame(&want);
		sos(&in, ECS, sizeof ECS);
		sos(&want, ECS, sizeof ECS);
		put(&in, EOI, 2);
		put(&want, EOI, 2);
		CHECK(run(&r, in.d, in.n, &pol) == SCRUB_OK);
		CHECK(same(&r.out, &want));
		const struct scrub_segment *c = find_kind(&r.scan, SCRUB_KIND_ICC);
		CHECK(c && !c->keep && !strcmp(c->label, "APP2 ICC_PROFILE invalid"));
	}
	run_free(&r);
}

/* Fill bytes: allowed before any marker; they travel with their segment. */
static void test_fill_bytes(void)
{
	static const uint8_t fill[] = { 0xFF, 0xFF, 0xFF };
	struct bytes in = { .n = 0 }, want = { .n = 0 };
	put(&in, SOI, 2);
	put(&want, SOI, 2);
	put(&in, fill, 3);
	com(&in, "FilledComment");
	put(&in, fill, 2);
	put(&want, fill, 2);
	dqt(&in);
	dqt(&want);
	sof(&in, 0xC0, 300, 200);
	sof(&want, 0xC0, 300, 200);
	dht(&in, 0);
	dht(&want, 0);
	put(&in, fill, 1);
	put(&want, fill, 1);
	sos(&in, ECS, sizeof ECS);
	sos(&want, ECS, sizeof ECS);
	put(&in, EOI, 2);
	put(&want, EOI, 2);
	struct scrub_policy pol = scrub_policy_default();
	struct run r;
	run_init(&r);
	CHECK(run(&r, in.d, in.n, &pol) == SCRUB_OK);
	CHECK(same(&r.out, &want));
	CHECK(r.scan.width == 300 && r.scan.height == 200);
	CHECK(idempotent(&r.out, &pol));

	/* Fill before a plain JFIF header: nothing to remove, so nothing changes. */
	struct bytes clean = { .n = 0 };
	put(&clean, SOI, 2);
	put(&clean, fill, 2);
	jfif(&clean);
	frame(&clean);
	sos(&clean, ECS, sizeof ECS);
	put(&clean, EOI, 2);
	CHECK(run(&r, clean.d, clean.n, &pol) == SCRUB_OK);
	CHECK(!scrub_scan_has_removable(&r.scan));
	CHECK(scrub_plan_same_as(&r.plan, clean.d, clean.n));
	CHECK(same(&r.out, &clean));
	run_free(&r);
}

/*
 * Entropy data: FF00 and RSTn do not end the scan, and a stray FF D9 hidden
 * as stuffed bytes (FF 00 D9) is data, not EOI.
 */
static void test_entropy_data(void)
{
	static const uint8_t tricky[] = { 0xFF, 0x00, 0xD9, 0xFF, 0xD1, 0xFF, 0x00, 0xFF, 0x00,
					  0xFF, 0xD2, 0xFF, 0xD3, 0xFF, 0xD4, 0xFF, 0xD5, 0xFF,
					  0xD6, 0xFF, 0xD7, 0xFF, 0xD0, 0x00, 0x01 };
	struct bytes in = { .n = 0 };
	put(&in, SOI, 2);
	frame(&in);
	sos(&in, tricky, sizeof tricky);
	put(&in, EOI, 2);
	struct bytes withcom = { .n = 0 };
	put(&withcom, in.d, in.n - 2);
	com(&withcom, "AfterScanComment"); /* a real marker after the scan */
	put(&withcom, EOI, 2);
	struct scrub_policy pol = scrub_policy_default();
	struct run r;
	run_init(&r);
	CHECK(run(&r, withcom.d, withcom.n, &pol) == SCRUB_OK);
	CHECK(same(&r.out, &in));
	const struct scrub_segment *s = NULL;
	for (size_t i = 0; i < r.scan.nseg; i++)
		if (!strcmp(r.scan.seg[i].label, "SOS"))
			s = &r.scan.seg[i];
	CHECK(s && s->len == 4 + 6 + sizeof tricky);
	CHECK(find_kind(&r.scan, SCRUB_KIND_TRAILER) == NULL);
	CHECK(idempotent(&r.out, &pol));
	run_free(&r);
}

/* Progressive-like: several SOS with DHT and a COM between them; SOF2. */
static void test_multiple_scans(void)
{
	static const uint8_t scan1[] = { 0x01, 0x02, 0xFF, 0x00, 0x03 };
	static const uint8_t scan2[] = { 0x04, 0xFF, 0xD0, 0x05 };
	static const uint8_t scan3[] = { 0x06 };
	struct bytes in = { .n = 0 }, want = { .n = 0 };
	put(&in, SOI, 2);
	put(&want, SOI, 2);
	jfif(&in);
	jfif(&want);
	dqt(&in);
	dqt(&want);
	sof(&in, 0xC2, 64, 48);
	sof(&want, 0xC2, 64, 48);
	dht(&in, 0x00);
	dht(&want, 0x00);
	sos(&in, scan1, sizeof scan1);
	sos(&want, scan1, sizeof scan1);
	dht(&in, 0x10);
	dht(&want, 0x10);
	com(&in, "BetweenScans");
	sos(&in, scan2, sizeof scan2);
	sos(&want, scan2, sizeof scan2);
	static const uint8_t dri[] = { 0x00, 0x04 };
	seg(&in, 0xDD, dri, 2);
	seg(&want, 0xDD, dri, 2);
	sos(&in, scan3, sizeof scan3);
	sos(&want, scan3, sizeof scan3);
	put(&in, EOI, 2);
	put(&want, EOI, 2);
	struct scrub_policy pol = scrub_policy_default();
	struct run r;
	run_init(&r);
	CHECK(run(&r, in.d, in.n, &pol) == SCRUB_OK);
	CHECK(same(&r.out, &want));
	CHECK(r.scan.width == 64 && r.scan.height == 48);
	size_t nsos = 0;
	for (size_t i = 0; i < r.scan.nseg; i++)
		nsos += !strcmp(r.scan.seg[i].label, "SOS");
	CHECK(nsos == 3);
	CHECK(idempotent(&r.out, &pol));
	run_free(&r);
}

/* A JFIF APP0 with a thumbnail comes out as the plain 16-byte header. */
static void test_jfif_thumbnail(void)
{
	static const uint8_t with_thumb[] = { 'J', 'F', 'I', 'F', 0, 1, 2, 1, 0, 96, 0, 120, 2, 2,
					      0xAA, 0xBB, 0xCC, 0xAA, 0xBB, 0xCC, 0xAA, 0xBB,
					      0xCC, 0xAA, 0xBB, 0xCC };
	static const uint8_t plain[] = { 'J', 'F', 'I', 'F', 0, 1, 2, 1, 0, 96, 0, 120, 0, 0 };
	struct bytes in = { .n = 0 }, want = { .n = 0 };
	put(&in, SOI, 2);
	put(&want, SOI, 2);
	seg(&in, 0xE0, with_thumb, sizeof with_thumb);
	seg(&want, 0xE0, plain, sizeof plain);
	frame(&in);
	frame(&want);
	sos(&in, ECS, sizeof ECS);
	sos(&want, ECS, sizeof ECS);
	put(&in, EOI, 2);
	put(&want, EOI, 2);
	struct scrub_policy pol = scrub_policy_default();
	struct run r;
	run_init(&r);
	CHECK(run(&r, in.d, in.n, &pol) == SCRUB_OK);
	CHECK(same(&r.out, &want));
	CHECK(r.out.n > 6 && r.out.d[4] == 0 && r.out.d[5] == 16);
	const struct scrub_segment *t = find_kind(&r.scan, SCRUB_KIND_THUMBNAIL);
	CHECK(t && !t->keep && t->len == 12);
	CHECK(idempotent(&r.out, &pol));

	/* Padding after the header without thumbnail size is normalised too. */
	struct bytes padded = { .n = 0 };
	uint8_t pad[sizeof plain + 5] = { 0 };
	memcpy(pad, plain, sizeof plain);
	put(&padded, SOI, 2);
	seg(&padded, 0xE0, pad, sizeof pad);
	frame(&padded);
	sos(&padded, ECS, sizeof ECS);
	put(&padded, EOI, 2);
	CHECK(run(&r, padded.d, padded.n, &pol) == SCRUB_OK);
	CHECK(same(&r.out, &want));

	/* JFXX extension thumbnails go entirely. */
	struct bytes jfxx = { .n = 0 }, want2 = { .n = 0 };
	put(&jfxx, SOI, 2);
	put(&want2, SOI, 2);
	seg(&jfxx, 0xE0, plain, sizeof plain);
	seg(&want2, 0xE0, plain, sizeof plain);
	app(&jfxx, 0xE0, "JFXX\0\x10", 6, "ThumbJpegBytes");
	frame(&jfxx);
	frame(&want2);
	sos(&jfxx, ECS, sizeof ECS);
	sos(&want2, ECS, sizeof ECS);
	put(&jfxx, EOI, 2);
	put(&want2, EOI, 2);
	CHECK(run(&r, jfxx.d, jfxx.n, &pol) == SCRUB_OK);
	CHECK(same(&r.out, &want2));
	run_free(&r);
}

/* Orientation 6 survives as the minimal block, after JFIF or right after SOI. */
static void test_orientation(void)
{
	size_t blen = 0;
	const uint8_t *block = scrub_orientation_block(6, &blen);
	CHECK(block != NULL && blen > 6 && blen < 200);
	if (!block)
		return;
	for (int with_jfif = 0; with_jfif <= 1; with_jfif++) {
		struct bytes in = { .n = 0 }, want = { .n = 0 }, bare = { .n = 0 };
		put(&in, SOI, 2);
		put(&want, SOI, 2);
		put(&bare, SOI, 2);
		if (with_jfif) {
			jfif(&in);
			jfif(&want);
			jfif(&bare);
		}
		exif(&in, 6, "OrientedArtist");
		seg(&want, 0xE1, block, blen);
		frame(&in);
		frame(&want);
		frame(&bare);
		sos(&in, ECS, sizeof ECS);
		sos(&want, ECS, sizeof ECS);
		sos(&bare, ECS, sizeof ECS);
		put(&in, EOI, 2);
		put(&want, EOI, 2);
		put(&bare, EOI, 2);
		struct scrub_policy pol = scrub_policy_default();
		struct run r;
		run_init(&r);
		CHECK(run(&r, in.d, in.n, &pol) == SCRUB_OK);
		CHECK(r.scan.orientation == 6);
		CHECK(same(&r.out, &want));
		CHECK(!contains(&r.out, "OrientedArtist"));
		CHECK(idempotent(&r.out, &pol));
		CHECK(scrub_orientation_read_exif(block, blen) == 6);

		/* The output's own block is recognised as kept orientation. */
		struct run r2;
		run_init(&r2);
		CHECK(run(&r2, r.out.d, r.out.n, &pol) == SCRUB_OK);
		CHECK(find_kind(&r2.scan, SCRUB_KIND_ORIENTATION) != NULL);
		CHECK(find_kind(&r2.scan, SCRUB_KIND_EXIF) == NULL);
		/* --keep none drops it, from the original and from the output. */
		struct scrub_policy none = { .keep_orientation = false, .keep_icc = false };
		CHECK(run(&r2, in.d, in.n, &none) == SCRUB_OK);
		CHECK(same(&r2.out, &bare));
		CHECK(run(&r2, want.d, want.n, &none) == SCRUB_OK);
		CHECK(same(&r2.out, &bare));
		run_free(&r2);

		/* Orientation 1 needs no block at all. */
		struct bytes one = { .n = 0 };
		put(&one, SOI, 2);
		if (with_jfif)
			jfif(&one);
		exif(&one, 1, "OrientedArtist");
		frame(&one);
		sos(&one, ECS, sizeof ECS);
		put(&one, EOI, 2);
		CHECK(run(&r, one.d, one.n, &pol) == SCRUB_OK);
		CHECK(r.scan.orientation == 1);
		CHECK(same(&r.out, &bare));
		run_free(&r);
	}
}

static struct bytes valid_file(void)
{
	struct bytes in = { .n = 0 };
	put(&in, SOI, 2);
	jfif(&in);
	exif(&in, 3, "TruncArtist");
	icc(&in, 1, 1, "profile");
	com(&in, "TruncComment");
	frame(&in);
	sos(&in, ECS, sizeof ECS);
	dht(&in, 0x10);
	sos(&in, ECS, sizeof ECS);
	put(&in, EOI, 2);
	return in;
}

/* Every strict prefix of a file is rejected with a status, never accepted. */
static void test_truncated(void)
{
	struct bytes in = valid_file();
	struct scrub_policy pol = scrub_policy_default();
	struct run r;
	run_init(&r);
	CHECK(run(&r, in.d, in.n, &pol) == SCRUB_OK);
	int accepted = 0, wrong_status = 0, bad_off = 0;
	for (size_t n = 0; n < in.n; n++) {
		/* Copy so a read past n would be caught by ASan. */
		uint8_t *p = malloc(n ? n : 1);
		memcpy(p, in.d, n);
		enum scrub_status st = run(&r, p, n, &pol);
		if (st == SCRUB_OK)
			accepted++;
		else if (n >= 3 && st != SCRUB_E_TRUNCATED)
			wrong_status++;
		else if (n < 3 && st != SCRUB_E_NOT_IMAGE)
			wrong_status++;
		if (st != SCRUB_OK && r.scan.fail_off > n)
			bad_off++;
		free(p);
	}
	CHECK(accepted == 0);
	CHECK(wrong_status == 0);
	CHECK(bad_off == 0);
	run_free(&r);
}

static enum scrub_status scan_only(const struct bytes *in)
{
	struct scrub_policy pol = scrub_policy_default();
	struct scrub_scan scan;
	scrub_scan_init(&scan);
	enum scrub_status st = scrub_backend_jpeg.scan(in->d, in->n, &pol, &scan);
	scrub_scan_free(&scan);
	return st;
}

static void test_malformed(void)
{
	struct bytes b;

	/* Segment length 0 and 1 cannot count their own two bytes. */
	for (uint8_t len = 0; len < 2; len++) {
		b.n = 0;
		put(&b, SOI, 2);
		const uint8_t bad[] = { 0xFF, 0xFE, 0x00, len, 'x', 'y' };
		put(&b, bad, sizeof bad);
		frame(&b);
		sos(&b, ECS, sizeof ECS);
		put(&b, EOI, 2);
		CHECK(scan_only(&b) == SCRUB_E_MALFORMED);
	}

	/* A length running past the end of the file. */
	b.n = 0;
	put(&b, SOI, 2);
	const uint8_t longcom[] = { 0xFF, 0xFE, 0x7F, 0xFF, 'x' };
	put(&b, longcom, sizeof longcom);
	CHECK(scan_only(&b) == SCRUB_E_TRUNCATED);

	/* SOS before any SOF. */
	b.n = 0;
	put(&b, SOI, 2);
	dqt(&b);
	sos(&b, ECS, sizeof ECS);
	put(&b, EOI, 2);
	CHECK(scan_only(&b) == SCRUB_E_MALFORMED);

	/* SOF too short to hold the dimensions. */
	b.n = 0;
	put(&b, SOI, 2);
	const uint8_t short_sof[] = { 8, 0, 16 };
	seg(&b, 0xC0, short_sof, sizeof short_sof);
	sos(&b, ECS, sizeof ECS);
	put(&b, EOI, 2);
	CHECK(scan_only(&b) == SCRUB_E_MALFORMED);

	/* No scan at all: EOI right after the tables. */
	b.n = 0;
	put(&b, SOI, 2);
	frame(&b);
	put(&b, EOI, 2);
	CHECK(scan_only(&b) == SCRUB_E_MALFORMED);

	/* Garbage where a marker should be. */
	b.n = 0;
	put(&b, SOI, 2);
	jfif(&b);
	put(&b, "garbage", 7);
	frame(&b);
	sos(&b, ECS, sizeof ECS);
	put(&b, EOI, 2);
	CHECK(scan_only(&b) == SCRUB_E_MALFORMED);

	/* FF 00 and a second SOI are not markers. */
	static const uint8_t not_markers[][2] = { { 0xFF, 0x00 }, { 0xFF, 0xD8 } };
	for (size_t i = 0; i < 2; i++) {
		b.n = 0;
		put(&b, SOI, 2);
		put(&b, not_markers[i], 2);
		frame(&b);
		sos(&b, ECS, sizeof ECS);
		put(&b, EOI, 2);
		CHECK(scan_only(&b) == SCRUB_E_MALFORMED);
	}

	/* Not a JPEG. */
	b.n = 0;
	put(&b, "\x89PNG\r\n\x1a\n", 8);
	CHECK(scan_only(&b) == SCRUB_E_NOT_IMAGE);
	CHECK(!scrub_backend_jpeg.sniff(b.d, b.n));
	CHECK(scrub_backend_jpeg.sniff((const uint8_t *)"\xFF\xD8\xFF", 3));
	CHECK(!scrub_backend_jpeg.sniff(SOI, 2) && !scrub_backend_jpeg.sniff(SOI, 0));
}

/* The segment budget stops hostile files with thousands of tiny segments. */
static void test_segment_budget(void)
{
	struct bytes in = { .n = 0 };
	put(&in, SOI, 2);
	for (int i = 0; i < 50; i++)
		com(&in, "c");
	frame(&in);
	sos(&in, ECS, sizeof ECS);
	put(&in, EOI, 2);
	struct scrub_policy pol = scrub_policy_default();
	struct scrub_scan scan;
	scrub_scan_init(&scan);
	scan.max_segments = 20;
	CHECK(scrub_backend_jpeg.scan(in.d, in.n, &pol, &scan) == SCRUB_E_LIMIT);
	scrub_scan_free(&scan);
	scrub_scan_init(&scan);
	CHECK(scrub_backend_jpeg.scan(in.d, in.n, &pol, &scan) == SCRUB_OK);
	CHECK(scan.nseg >= 50);
	scrub_scan_free(&scan);
}

/*
 * Deterministic mutations of a valid file: any status may come back, but
 * whatever is accepted must strip to an output that is itself stable.
 */
static void test_mutations(void)
{
	struct bytes in = valid_file();
	struct scrub_policy pol = scrub_policy_default();
	struct run r;
	run_init(&r);
	uint32_t seed = 12345;
	int unstable = 0, accepted = 0;
	for (int iter = 0; iter < 3000; iter++) {
		struct bytes m = in;
		int edits = 1 + iter % 3;
		for (int e = 0; e < edits; e++) {
			seed = seed * 1103515245u + 12345u;
			size_t pos = (seed >> 8) % m.n;
			seed = seed * 1103515245u + 12345u;
			uint8_t v = (uint8_t)(seed >> 16);
			m.d[pos] = (e & 1) ? 0xFF : v;
		}
		uint8_t *p = malloc(m.n);
		memcpy(p, m.d, m.n);
		if (run(&r, p, m.n, &pol) == SCRUB_OK) {
			accepted++;
			if (!idempotent(&r.out, &pol))
				unstable++;
		}
		free(p);
	}
	CHECK(accepted > 0);
	CHECK(unstable == 0);
	run_free(&r);
}

/* EXIF of a JPEG after EOI (an MPF secondary image) is found and bounded. */
static void test_embedded_exif(void)
{
	struct bytes img = { .n = 0 };
	put(&img, SOI, 2);
	jfif(&img);
	com(&img, "x");
	exif(&img, 1, "EmbeddedArtist");
	frame(&img);
	sos(&img, ECS, sizeof ECS);
	put(&img, EOI, 2);
	struct scrub_facts f;
	scrub_facts_clear(&f);
	CHECK(scrub_describe_embedded_jpeg(img.d, img.n, &f));
	CHECK(strcmp(f.artist, "EmbeddedArtist") == 0);

	/* Padding before the image: found within 64 bytes, not beyond. */
	struct bytes padded = { .n = 0 };
	uint8_t zeros[100] = { 0 };
	put(&padded, zeros, 40);
	put(&padded, img.d, img.n);
	scrub_facts_clear(&f);
	CHECK(scrub_describe_embedded_jpeg(padded.d, padded.n, &f) && f.artist[0]);
	padded.n = 0;
	put(&padded, zeros, 100);
	put(&padded, img.d, img.n);
	scrub_facts_clear(&f);
	CHECK(!scrub_describe_embedded_jpeg(padded.d, padded.n, &f) && !f.artist[0]);

	/* Every prefix is handled without reading past it; EXIF cut short is not reported whole. */
	int found_short = 0;
	size_t exif_end = 2 + 18 + 5 + 4 + 14 + 30 + strlen("EmbeddedArtist") + 1;
	for (size_t n = 0; n < img.n; n++) {
		uint8_t *p = malloc(n ? n : 1);
		memcpy(p, img.d, n);
		scrub_facts_clear(&f);
		if (scrub_describe_embedded_jpeg(p, n, &f) && n < exif_end)
			found_short++;
		free(p);
	}
	CHECK(found_short == 0);

	/* No JPEG, or a JPEG without EXIF. */
	scrub_facts_clear(&f);
	CHECK(!scrub_describe_embedded_jpeg((const uint8_t *)"\0\0\0\x18" "ftypmp42", 12, &f));
	struct bytes plain = { .n = 0 };
	put(&plain, SOI, 2);
	jfif(&plain);
	frame(&plain);
	sos(&plain, ECS, sizeof ECS);
	put(&plain, EOI, 2);
	CHECK(!scrub_describe_embedded_jpeg(plain.d, plain.n, &f));
}

int main(void)
{
	test_clean_file_unchanged();
	test_removal_and_icc_order();
	test_invalid_icc();
	test_fill_bytes();
	test_entropy_data();
	test_multiple_scans();
	test_jfif_thumbnail();
	test_orientation();
	test_truncated();
	test_malformed();
	test_segment_budget();
	test_mutations();
	test_embedded_exif();
	return check_summary();
}
