/*
 * Unit tests for the JPEG XL backend (src/formats/jxl.c, jxl_codec.c) on
 * containers built box by box around a 29-byte codestream that cjxl made
 * (an 8x4 grey gradient, lossless): what each box is and whether it stays,
 * the exact bytes a strip writes, clean files planned to themselves, every
 * truncation and every lying box size refused (or, after a complete
 * codestream, cut off as a trailer), codestream part rules, the image size
 * read from the SizeHeader, brob Exif described through Brotli with a cap,
 * and libjxl's probe and decode.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe/describe.h"
#include "formats/codec.h"
#include "formats/format.h"

#include "check.h"

/* cjxl -d 0 of an 8x4 grey gradient (ImageMagick gradient:black-white). */
static const uint8_t codestream[29] = {
	0xff, 0x0a, 0x18, 0x70, 0x1c, 0x04, 0x95, 0x7b, 0xab, 0x08, 0x02, 0x08, 0x02, 0x01, 0x00,
	0x30, 0x00, 0x4b, 0x18, 0x8b, 0x15, 0xc2, 0x50, 0x38, 0x00, 0x01, 0x02, 0x04, 0x00
};

/* Brotli (python3-brotli) of an Exif box payload: offset 0, TIFF with Artist "PlantedBrob". */
static const uint8_t brob_exif[] = {
	0x1b, 0xb8, 0x00, 0x80, 0x16, 0xa1, 0xd2, 0x09, 0x80, 0x6b, 0xde, 0xf7, 0x22, 0x41, 0xb3,
	0x71, 0x56, 0x18, 0xe0, 0xc5, 0x05, 0x5e, 0x22, 0x33, 0x1b, 0x6c, 0xc0, 0x29, 0x06, 0xea,
	0x81, 0x0d, 0xc2, 0xdb, 0x7a, 0x01, 0x3c, 0x85, 0x51, 0x9d, 0x60, 0xbf, 0x37, 0x40, 0x4e,
	0x14, 0x54, 0x85, 0xa8, 0x63, 0x11, 0xac, 0x84, 0x28, 0x61, 0xf3, 0x6d, 0x8b, 0x11, 0xe0,
	0x08, 0xd9, 0xca, 0xd7, 0xcb, 0xfa, 0x79, 0x3b, 0x8d, 0x17, 0x01, 0x25, 0xb1, 0x40, 0x88,
	0xf0, 0x00, 0xa1, 0x04, 0x11, 0x5e, 0x22, 0x8e, 0x1d, 0xc4, 0xfb, 0x1f, 0x60, 0x86, 0x00,
	0x4b, 0x04, 0x14, 0xff, 0xb8, 0x20, 0x44, 0x80, 0x3a, 0x02, 0x6a, 0x0d
};

/* The first bytes of Brotli for 64 MiB of zeros: far more output than any cap. */
static const uint8_t brotli_bomb[] = { 0xcb, 0xff, 0xff, 0x3f, 0xf8, 0x27, 0x00, 0xe2, 0xb1,
				       0x40, 0x20, 0xf7, 0xfe, 0x8f, 0xff, 0xff, 0x7f, 0xf0,
				       0x4f, 0x00, 0xc4, 0x61, 0x11, 0x80, 0xee, 0xfd, 0x1f };

struct img {
	uint8_t b[8192];
	size_t n;
	size_t box[32]; /* offset of each box */
	size_t nbox;
};

static void put(struct img *m, const void *p, size_t n)
{
	if (m->n + n > sizeof m->b)
		abort();
	if (n)
		memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void be32(struct img *m, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	put(m, b, 4);
}

static void box(struct img *m, const char *type, const void *data, size_t n)
{
	m->box[m->nbox++] = m->n;
	be32(m, (uint32_t)(8 + n));
	put(m, type, 4);
	put(m, data, n);
}

static void large_box(struct img *m, const char *type, const void *data, size_t n)
{
	m->box[m->nbox++] = m->n;
	be32(m, 1);
	put(m, type, 4);
	be32(m, 0);
	be32(m, (uint32_t)(16 + n));
	put(m, data, n);
}

static void start(struct img *m)
{
	static const uint8_t sig[4] = { 0x0D, 0x0A, 0x87, 0x0A };
	static const uint8_t ftyp[12] = { 'j', 'x', 'l', ' ', 0, 0, 0, 0, 'j', 'x', 'l', ' ' };
	m->n = m->nbox = 0;
	box(m, "JXL ", sig, 4);
	box(m, "ftyp", ftyp, sizeof ftyp);
}

/* The codestream in parts jxlp 0.., the last flagged; cut at the given offsets. */
static void parts(struct img *m, const size_t *cuts, size_t ncuts)
{
	size_t from = 0;
	for (size_t i = 0; i <= ncuts; i++) {
		size_t to = i < ncuts ? cuts[i] : sizeof codestream;
		uint8_t p[4 + sizeof codestream];
		uint32_t idx = (uint32_t)i | (i == ncuts ? 0x80000000u : 0);
		p[0] = (uint8_t)(idx >> 24), p[1] = (uint8_t)(idx >> 16), p[2] = (uint8_t)(idx >> 8);
		p[3] = (uint8_t)idx;
		memcpy(p + 4, codestream + from, to - from);
		box(m, "jxlp", p, 4 + to - from);
		from = to;
	}
}

static void exif(struct img *m, uint32_t offset, const char *artist)
{
	uint8_t tiff[64] = { 0, 0, 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x3B, 0, 2 };
	size_t len = strlen(artist) + 1;
	tiff[0] = (uint8_t)(offset >> 24), tiff[3] = (uint8_t)offset;
	tiff[21] = (uint8_t)len;
	tiff[25] = 26; /* value offset from the TIFF header */
	memcpy(tiff + 30, artist, len);
	box(m, "Exif", tiff, 30 + len);
}

static const struct scrub_policy keep_all = { true, true }, keep_none = { false, false };

static enum scrub_status run(const struct img *m, const struct scrub_policy *pol,
			     struct scrub_scan *scan, struct img *out)
{
	scrub_scan_reset(scan);
	enum scrub_status st = scrub_backend_jxl.scan(m->b, m->n, pol, scan);
	if (st != SCRUB_OK)
		return st;
	struct scrub_plan plan;
	scrub_plan_init(&plan);
	st = scrub_backend_jxl.strip(m->b, m->n, scan, pol, &plan);
	if (st == SCRUB_OK && out) {
		out->n = plan.total;
		if (plan.total > sizeof out->b)
			abort();
		scrub_plan_copy(&plan, out->b);
	}
	scrub_plan_free(&plan);
	return st;
}

static bool same(const struct img *a, const struct img *b)
{
	return a->n == b->n && !memcmp(a->b, b->b, a->n);
}

static const struct scrub_segment *seg_at(const struct scrub_scan *scan, size_t off)
{
	for (size_t i = 0; i < scan->nseg; i++)
		if (scan->seg[i].off == off)
			return &scan->seg[i];
	return NULL;
}

/* Every box scrub removes, before and after the codestream, then bytes that make no box. */
static void dirty(struct img *m)
{
	start(m);
	box(m, "jxll", "\x0a", 1);
	exif(m, 0, "SecretArtist");
	box(m, "xml ", "<x:xmpmeta>SecretXmp</x:xmpmeta>", 32);
	box(m, "jumb", "\0\0\0\x09jumdX", 9);
	uint8_t brob[4 + sizeof brob_exif];
	memcpy(brob, "Exif", 4);
	memcpy(brob + 4, brob_exif, sizeof brob_exif);
	box(m, "brob", brob, sizeof brob);
	box(m, "jbrd", "SecretJpegMarkers", 17);
	box(m, "jxli", "\x01\0\0\0\x01\0\0\x03\xe8\0\0\x01", 12);
	box(m, "abcd", "SecretUnknown", 13);
	large_box(m, "zzzz", "SecretLarge", 11);
	box(m, "jxlc", codestream, sizeof codestream);
	exif(m, 0, "SecretAfter");
	put(m, "SecretTrailer", 13);
}

static void test_strip_bytes(struct scrub_scan *scan)
{
	struct img m, out, want;
	dirty(&m);
	CHECK(run(&m, &keep_all, scan, &out) == SCRUB_OK);
	start(&want);
	box(&want, "jxll", "\x0a", 1);
	box(&want, "jxlc", codestream, sizeof codestream);
	CHECK(same(&out, &want));
	CHECK(scan->width == 8 && scan->height == 4);
	CHECK(run(&m, &keep_none, scan, &out) == SCRUB_OK && same(&out, &want));
	CHECK(run(&want, &keep_none, scan, &out) == SCRUB_OK && same(&out, &want));
	CHECK(!scrub_scan_has_removable(scan));
	/* Bare: clean as it is. */
	memcpy(m.b, codestream, sizeof codestream);
	m.n = sizeof codestream;
	CHECK(run(&m, &keep_none, scan, &out) == SCRUB_OK && same(&out, &m));
	CHECK(scan->nseg == 1 && scan->width == 8 && scan->height == 4);
	/* Parts stay parts, in order; what stands between them goes. */
	static const size_t cuts[2] = { 3, 11 };
	start(&m);
	parts(&m, cuts, 1);
	start(&want);
	parts(&want, cuts, 2);
	CHECK(run(&want, &keep_all, scan, &out) == SCRUB_OK && same(&out, &want));
	CHECK(scan->width == 8 && scan->height == 4); /* SizeHeader across two parts */
}

static void test_classify(struct scrub_scan *scan)
{
	struct img m;
	dirty(&m);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_OK);
	const struct scrub_segment *s;
	CHECK((s = seg_at(scan, m.box[3])) && s->kind == SCRUB_KIND_EXIF && !s->keep &&
	      s->payload == SCRUB_PAYLOAD_EXIF && s->data_off == m.box[3] + 12 &&
	      !memcmp(m.b + s->data_off, "MM", 2));
	CHECK((s = seg_at(scan, m.box[4])) && s->kind == SCRUB_KIND_XMP && s->data_len == 32);
	CHECK((s = seg_at(scan, m.box[5])) && s->kind == SCRUB_KIND_JUMBF && s->data_off == m.box[5] &&
	      s->data_len == 17);
	CHECK((s = seg_at(scan, m.box[6])) && s->kind == SCRUB_KIND_EXIF &&
	      s->payload == SCRUB_PAYLOAD_BROTLI_BOX && !strcmp(s->label, "brob Exif, compressed"));
	CHECK((s = seg_at(scan, m.box[7])) && s->kind == SCRUB_KIND_JPEG_REBUILD && !s->keep);
	CHECK((s = seg_at(scan, m.box[8])) && s->kind == SCRUB_KIND_UNKNOWN && !s->keep);
	CHECK((s = seg_at(scan, m.box[9])) && s->kind == SCRUB_KIND_UNKNOWN && !strcmp(s->label, "box abcd"));
	CHECK((s = seg_at(scan, m.box[10])) && s->kind == SCRUB_KIND_UNKNOWN && s->len == 27);
	CHECK((s = seg_at(scan, m.box[11])) && s->kind == SCRUB_KIND_IMAGE && s->keep);
	CHECK((s = seg_at(scan, m.n - 13)) && s->kind == SCRUB_KIND_TRAILER && s->len == 13);
	/* An Exif offset past the box leaves nothing to describe. */
	start(&m);
	exif(&m, 200, "x");
	box(&m, "jxlc", codestream, sizeof codestream);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_OK);
	CHECK((s = seg_at(scan, m.box[2])) && s->data_len == 0);
}

/*
 * Before the codestream is complete every prefix is refused; after it, a
 * cut box is a trailer and the output is the same as for the whole file.
 */
static void test_truncations(struct scrub_scan *scan)
{
	struct img m, cut, out, want;
	dirty(&m);
	CHECK(run(&m, &keep_all, scan, &want) == SCRUB_OK);
	size_t end = m.box[11] + 8 + sizeof codestream, refused = 0, trailers = 0;
	for (size_t k = 0; k < m.n; k++) {
		memcpy(cut.b, m.b, k);
		cut.n = k;
		enum scrub_status st = run(&cut, &keep_all, scan, &out);
		if (k < end)
			refused += st != SCRUB_OK;
		else
			trailers += st == SCRUB_OK && same(&out, &want);
	}
	CHECK(refused == end);
	CHECK(trailers == m.n - end);
}

/* A size past the end, below its header or a 64-bit size below 16 is refused. */
static void test_lying_sizes(struct scrub_scan *scan)
{
	struct img m, bad;
	dirty(&m);
	size_t tried = 0, refused = 0;
	for (size_t i = 1; i < m.nbox && m.box[i] <= m.box[11]; i++) {
		uint32_t lies[3] = { (uint32_t)(m.n - m.box[i] + 1), 4, 0xFFFFFFF0u };
		for (int k = 0; k < 3; k++) {
			bad = m;
			uint8_t *p = bad.b + bad.box[i];
			p[0] = (uint8_t)(lies[k] >> 24), p[1] = (uint8_t)(lies[k] >> 16);
			p[2] = (uint8_t)(lies[k] >> 8), p[3] = (uint8_t)lies[k];
			tried++;
			refused += run(&bad, &keep_all, scan, NULL) != SCRUB_OK;
		}
	}
	CHECK(tried == 3 * 11 && refused == tried);
	bad = m;
	bad.b[m.box[10] + 15] = 8; /* largesize 8 < 16 */
	CHECK(run(&bad, &keep_all, scan, NULL) == SCRUB_E_MALFORMED);
}

static void test_rules(struct scrub_scan *scan)
{
	struct img m;
	static const size_t cut[1] = { 10 };
	start(&m); /* no codestream */
	exif(&m, 0, "x");
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_MALFORMED);
	start(&m); /* parts without the last */
	box(&m, "jxlp", "\0\0\0\0\xff\x0a", 6);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_TRUNCATED);
	start(&m); /* a part after the last */
	parts(&m, cut, 1);
	box(&m, "jxlp", "\0\0\0\x02", 4);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_MALFORMED);
	start(&m); /* out of order */
	box(&m, "jxlp", "\x80\0\0\x01", 4);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_MALFORMED);
	start(&m); /* jxlc and jxlp */
	box(&m, "jxlc", codestream, sizeof codestream);
	parts(&m, cut, 1);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_MALFORMED);
	start(&m); /* two jxlc */
	box(&m, "jxlc", codestream, sizeof codestream);
	box(&m, "jxlc", codestream, sizeof codestream);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_MALFORMED);
	start(&m); /* ftyp not second */
	m.n = 12;
	m.nbox = 1;
	box(&m, "jxll", "\x05", 1);
	box(&m, "ftyp", "jxl \0\0\0\0jxl ", 12);
	box(&m, "jxlc", codestream, sizeof codestream);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_MALFORMED);
	start(&m); /* ftyp of another brand */
	m.b[20] = 'j', m.b[21] = 'p', m.b[22] = '2';
	box(&m, "jxlc", codestream, sizeof codestream);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_MALFORMED);
}

/* SizeHeader bits, least significant first: small sizes, U32 selectors, ratios. */
static void test_size_header(struct scrub_scan *scan)
{
	struct { uint8_t bytes[8]; uint32_t w, h; } cases[] = {
		/* small: h = (3+1)*8, ratio 0, w = (5+1)*8 */
		{ { 0xff, 0x0a, 0x07, 0x0a }, 48, 32 },
		/* not small: selector 1 (13 bits) h = 1000, ratio 4 (3:2) */
		{ { 0xff, 0x0a, 0x3a, 0x1f, 0x04 }, 1500, 1000 },
		/* not small: h = 4 (9 bits), ratio 0, w = 70000 (selector 2, 18 bits) */
		{ { 0xff, 0x0a, 0x18, 0x00, 0xdf, 0x22, 0x02 }, 70000, 4 },
	};
	struct img m;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memcpy(m.b, cases[i].bytes, sizeof cases[i].bytes);
		m.n = sizeof cases[i].bytes;
		CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_OK);
		CHECK(scan->width == cases[i].w && scan->height == cases[i].h);
		if (scan->width != cases[i].w || scan->height != cases[i].h)
			fprintf(stderr, "size case %zu: %ux%u\n", i, scan->width, scan->height);
	}
}

/* brob Exif through the describer table, and a Brotli bomb stopped at the cap. */
static void test_brob(struct scrub_scan *scan)
{
	struct scrub_buf out;
	scrub_buf_init(&out, (size_t)1 << 20);
	bool have = scrub_brotli_inflate(brob_exif, sizeof brob_exif, &out);
	scrub_buf_free(&out);
	if (!have) {
		printf("built without libbrotlidec: brob contents not described\n");
		return;
	}
	struct img m;
	dirty(&m);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_OK);
	const struct scrub_segment *s = seg_at(scan, m.box[6]);
	struct scrub_facts facts;
	scrub_facts_clear(&facts);
	struct scrub_describe d;
	scrub_describe_begin(&d, &facts, NULL);
	if (s)
		scrub_describe_payload(&d, s->payload, m.b + s->data_off, s->data_len);
	scrub_describe_end(&d);
	CHECK(!strcmp(facts.artist, "PlantedBrob"));
	CHECK(facts.has_gps && facts.lat > 48.85 && facts.lat < 48.86);
	scrub_buf_init(&out, (size_t)1 << 20);
	CHECK(!scrub_brotli_inflate(brotli_bomb, sizeof brotli_bomb, &out));
	CHECK(out.len <= (size_t)1 << 20);
	scrub_buf_free(&out);
}

/* libjxl: the probe reads the codestream whatever boxes surround it; the decode gives pixels. */
static void test_codec(void)
{
	struct img m;
	dirty(&m);
	struct scrub_image_info info;
	char msg[SCRUB_CODEC_MSG] = "";
	CHECK(scrub_jxl_probe(m.b, m.n, &info, msg, sizeof msg) == SCRUB_OK);
	CHECK(info.known && info.frames == 1 && info.components == 1 && !info.coded_orientation &&
	      !info.coded_icc_bytes && !strcmp(info.color, "grey"));
	struct scrub_pixels px;
	memcpy(m.b, codestream, sizeof codestream);
	m.n = sizeof codestream;
	CHECK(scrub_jxl_decode(m.b, m.n, &px) == SCRUB_OK);
	CHECK(px.width == 8 && px.height == 4 && px.frames == 1 && px.len == 8 * 4 * 8);
	/* A gradient: the top-left sample is darker than the bottom-right one. */
	uint16_t first = 0, last = 0;
	if (px.len == 256) {
		memcpy(&first, px.data, 2);
		memcpy(&last, px.data + 248, 2);
	}
	CHECK(first < last);
	scrub_pixels_free(&px);
	CHECK(scrub_jxl_decode(m.b, m.n - 5, &px) != SCRUB_OK && px.data == NULL);
}

int main(void)
{
	struct scrub_scan scan;
	scrub_scan_init(&scan);
	test_strip_bytes(&scan);
	test_classify(&scan);
	test_truncations(&scan);
	test_lying_sizes(&scan);
	test_rules(&scan);
	test_size_header(&scan);
	test_brob(&scan);
	test_codec();
	scrub_scan_free(&scan);
	return check_summary();
}
