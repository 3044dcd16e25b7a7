/*
 * Unit tests for the GIF backend (src/formats/gif.c, gif_codec.c) on files
 * built byte by byte: what each block is and whether it stays, the exact
 * bytes a strip writes, a clean file planned to itself, every truncation
 * and every sub-block length that runs past the end refused, the plain
 * text / graphic control rule, budgets, the describers' view of GIF
 * payloads, and the giflib decode that --verify compares (pixels and timing).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe/describe.h"
#include "engine/verify.h"
#include "formats/codec.h"
#include "formats/format.h"

#include "check.h"

struct img {
	uint8_t *b;
	size_t n, cap;
	size_t lens[256]; /* offsets of the sub-block length bytes, terminators included */
	size_t nlens;
};

static void put(struct img *m, const void *p, size_t n)
{
	if (m->n + n > m->cap) {
		m->cap = (m->n + n) * 2 + 256;
		m->b = realloc(m->b, m->cap);
		if (!m->b)
			abort();
	}
	if (n)
		memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void byte(struct img *m, uint8_t v)
{
	put(m, &v, 1);
}

static void mark_len(struct img *m)
{
	if (m->nlens < sizeof m->lens / sizeof m->lens[0])
		m->lens[m->nlens++] = m->n;
}

/* p as data sub-blocks of at most 255 bytes, then the terminator. */
static void blocks(struct img *m, const void *p, size_t n)
{
	const uint8_t *q = p;
	while (n) {
		size_t k = n < 255 ? n : 255;
		mark_len(m);
		byte(m, (uint8_t)k);
		put(m, q, k);
		q += k;
		n -= k;
	}
	mark_len(m);
	byte(m, 0);
}

/* GIF89a, a 4x2 screen with a 4-colour global table. */
static void head(struct img *m, const char *version)
{
	static const uint8_t lsd[7] = { 4, 0, 2, 0, 0x81, 0, 0 };
	static const uint8_t gct[12] = { 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255 };
	m->n = m->nlens = 0;
	put(m, "GIF", 3);
	put(m, version, 3);
	put(m, lsd, sizeof lsd);
	put(m, gct, sizeof gct);
}

/* A 4x2 image; LZW (min code size 2) of 0 1 1 0 / 1 0 0 1, or all 1 when alt. */
static void image(struct img *m, bool alt)
{
	static const uint8_t desc[10] = { 0x2C, 0, 0, 0, 0, 4, 0, 2, 0, 0 };
	static const uint8_t lzw[] = { 0x44, 0x62, 0x60, 0x05 }, lzw_alt[] = { 0x8C, 0x6F, 0x05 };
	put(m, desc, sizeof desc);
	byte(m, 2);
	blocks(m, alt ? lzw_alt : lzw, alt ? sizeof lzw_alt : sizeof lzw);
}

static void gce(struct img *m, uint16_t delay, uint8_t disposal, int transparent)
{
	uint8_t g[8] = { 0x21, 0xF9, 4, (uint8_t)(disposal << 2 | (transparent >= 0)),
			 (uint8_t)delay, (uint8_t)(delay >> 8), (uint8_t)(transparent >= 0 ? transparent : 0), 0 };
	put(m, g, 2);
	mark_len(m);
	put(m, g + 2, 5);
	mark_len(m);
	byte(m, g[7]);
}

static void extension(struct img *m, uint8_t label, const char *text)
{
	byte(m, 0x21);
	byte(m, label);
	blocks(m, text, strlen(text));
}

static void app(struct img *m, const char *ident, const void *data, size_t n)
{
	byte(m, 0x21);
	byte(m, 0xFF);
	mark_len(m);
	byte(m, 11);
	put(m, ident, 11);
	blocks(m, data, n);
}

static void loop(struct img *m, uint16_t count)
{
	uint8_t d[3] = { 1, (uint8_t)count, (uint8_t)(count >> 8) };
	app(m, "NETSCAPE2.0", d, 3);
}

static void plain_text(struct img *m, const char *text)
{
	static const uint8_t grid[13] = { 12, 0, 0, 0, 0, 4, 0, 2, 0, 8, 8, 1, 0 };
	byte(m, 0x21);
	byte(m, 0x01);
	mark_len(m);
	put(m, grid, sizeof grid);
	blocks(m, text, strlen(text));
}

/* A small valid ICC profile: size, "acsp" at 36, 128-byte header, no tags. */
static void icc(struct img *m, bool valid)
{
	uint8_t p[132] = { 0 };
	p[3] = sizeof p;
	memcpy(p + 36, valid ? "acsp" : "nope", 4);
	app(m, "ICCRGBG1012", p, sizeof p);
}

static void xmp(struct img *m, const char *packet, bool zone)
{
	byte(m, 0x21);
	byte(m, 0xFF);
	byte(m, 11);
	put(m, "XMP DataXMP", 11);
	put(m, packet, strlen(packet));
	if (zone) {
		byte(m, 1);
		for (int v = 255; v >= 0; v--)
			byte(m, (uint8_t)v);
	}
	byte(m, 0);
}

static void trailer(struct img *m)
{
	byte(m, 0x3B);
}

static const struct scrub_policy keep_all = { true, true }, keep_none = { false, false };

/* Scans and strips; the planned output goes to out (NULL: not needed). */
static enum scrub_status run(const struct img *m, const struct scrub_policy *pol,
			     struct scrub_scan *scan, struct img *out)
{
	scrub_scan_reset(scan);
	enum scrub_status st = scrub_backend_gif.scan(m->b, m->n, pol, scan);
	if (st != SCRUB_OK)
		return st;
	struct scrub_plan plan;
	scrub_plan_init(&plan);
	st = scrub_backend_gif.strip(m->b, m->n, scan, pol, &plan);
	if (st == SCRUB_OK && out) {
		uint8_t *copy = malloc(plan.total + 1);
		if (!copy)
			abort();
		scrub_plan_copy(&plan, copy);
		out->n = 0;
		put(out, copy, plan.total);
		free(copy);
	}
	scrub_plan_free(&plan);
	return st;
}

static bool same(const struct img *a, const struct img *b)
{
	return a->n == b->n && !memcmp(a->b, b->b, a->n);
}

static const struct scrub_segment *find_kind(const struct scrub_scan *scan, enum scrub_kind k,
					     size_t nth)
{
	for (size_t i = 0; i < scan->nseg; i++)
		if (scan->seg[i].kind == k && nth-- == 0)
			return &scan->seg[i];
	return NULL;
}

/* Everything scrub removes, around what it keeps. */
static void dirty_gif(struct img *m, bool tail)
{
	static const uint8_t iim[] = { 0x1C, 2, 90, 0, 7, 'S', 'e', 'c', 'C', 'i', 't', 'y' };
	head(m, "89a");
	loop(m, 3);
	extension(m, 0xFE, "SecretComment");
	xmp(m, "<x:xmpmeta xmlns:x='adobe:ns:meta/'>SecretXmp</x:xmpmeta>", true);
	app(m, "MGKIPTC0000", iim, sizeof iim);
	app(m, "ACMEAPP11.0", "SecretApp", 9);
	extension(m, 0x99, "SecretExt");
	icc(m, true);
	gce(m, 7, 1, -1);
	plain_text(m, "SecretPlain");
	gce(m, 7, 1, -1);
	image(m, false);
	trailer(m);
	if (tail)
		put(m, "SecretTail", 10);
}

/* The same file as scrub must write it, built independently. */
static void dirty_gif_clean(struct img *m, bool with_icc)
{
	head(m, "89a");
	loop(m, 3);
	if (with_icc)
		icc(m, true);
	gce(m, 7, 1, -1);
	image(m, false);
	trailer(m);
}

static void test_strip_bytes(struct scrub_scan *scan)
{
	struct img m = { 0 }, out = { 0 }, want = { 0 };
	dirty_gif(&m, true);
	CHECK(run(&m, &keep_all, scan, &out) == SCRUB_OK);
	dirty_gif_clean(&want, true);
	CHECK(same(&out, &want));
	CHECK(scan->width == 4 && scan->height == 2);
	CHECK(run(&m, &keep_none, scan, &out) == SCRUB_OK);
	dirty_gif_clean(&want, false);
	CHECK(same(&out, &want));
	/* What scrub wrote is clean: it plans to itself, and no byte is removable. */
	CHECK(run(&out, &keep_none, scan, &m) == SCRUB_OK);
	CHECK(same(&out, &m));
	CHECK(!scrub_scan_has_removable(scan));
	free(m.b);
	free(out.b);
	free(want.b);
}

static void test_classify(struct scrub_scan *scan)
{
	struct img m = { 0 };
	dirty_gif(&m, true);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_OK);
	const struct scrub_segment *s;
	CHECK((s = find_kind(scan, SCRUB_KIND_COMMENT, 0)) && !s->keep &&
	      s->payload == (SCRUB_PAYLOAD_COMMENT | SCRUB_PAYLOAD_GIF_BLOCKS));
	CHECK((s = find_kind(scan, SCRUB_KIND_XMP, 0)) && !s->keep && s->payload == SCRUB_PAYLOAD_XMP &&
	      s->data_len == strlen("<x:xmpmeta xmlns:x='adobe:ns:meta/'>SecretXmp</x:xmpmeta>") &&
	      !memcmp(m.b + s->data_off, "<x:xmpmeta", 10));
	CHECK((s = find_kind(scan, SCRUB_KIND_IPTC, 0)) && !s->keep &&
	      s->payload == (SCRUB_PAYLOAD_IPTC_IIM | SCRUB_PAYLOAD_GIF_BLOCKS));
	CHECK((s = find_kind(scan, SCRUB_KIND_ICC, 0)) && s->keep);
	CHECK((s = find_kind(scan, SCRUB_KIND_TEXT, 0)) && !s->keep && !strcmp(s->label, "plain text control"));
	CHECK((s = find_kind(scan, SCRUB_KIND_TEXT, 1)) && !s->keep && !strcmp(s->label, "plain text"));
	CHECK((s = find_kind(scan, SCRUB_KIND_UNKNOWN, 0)) && !s->keep && !strcmp(s->label, "application ACMEAPP1"));
	CHECK((s = find_kind(scan, SCRUB_KIND_UNKNOWN, 1)) && !s->keep && !strcmp(s->label, "extension 0x99"));
	CHECK((s = find_kind(scan, SCRUB_KIND_TRAILER, 0)) && !s->keep && s->len == 10 &&
	      s->off == m.n - 10);
	/* An ICC profile whose signature is wrong goes even when ICC is kept. */
	head(&m, "89a");
	icc(&m, false);
	image(&m, false);
	trailer(&m);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_OK);
	CHECK((s = find_kind(scan, SCRUB_KIND_ICC, 0)) && !s->keep);
	/* Without the landing zone the XMP payload runs to the terminator. */
	head(&m, "89a");
	xmp(&m, "\x0e<x>no zone</x>", false);
	image(&m, false);
	trailer(&m);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_OK);
	CHECK((s = find_kind(scan, SCRUB_KIND_XMP, 0)) && s->data_len == 15);
	free(m.b);
}

static void test_clean_is_itself(struct scrub_scan *scan)
{
	struct img m = { 0 }, out = { 0 };
	const char *versions[] = { "87a", "89a" };
	for (int v = 0; v < 2; v++) {
		head(&m, versions[v]);
		loop(&m, 0);
		gce(&m, 10, 2, 3);
		image(&m, false);
		gce(&m, 20, 1, -1);
		image(&m, true);
		trailer(&m);
		CHECK(run(&m, &keep_all, scan, &out) == SCRUB_OK);
		CHECK(same(&m, &out));
		CHECK(!scrub_scan_has_removable(scan));
	}
	free(m.b);
	free(out.b);
}

/* Every prefix of a file without trailing bytes is refused, under both policies. */
static void test_truncations(struct scrub_scan *scan)
{
	struct img m = { 0 }, cut = { 0 };
	dirty_gif(&m, false);
	size_t refused = 0;
	for (size_t k = 0; k < m.n; k++) {
		cut.n = 0;
		put(&cut, m.b, k);
		refused += run(&cut, &keep_all, scan, NULL) != SCRUB_OK &&
			   run(&cut, &keep_none, scan, NULL) != SCRUB_OK;
	}
	CHECK(refused == m.n);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_OK);
	free(m.b);
	free(cut.b);
}

/* A sub-block length that runs past the end of the file is refused, wherever it is. */
static void test_lying_lengths(struct scrub_scan *scan)
{
	struct img m = { 0 }, bad = { 0 };
	dirty_gif(&m, false);
	CHECK(m.nlens > 15);
	size_t refused = 0, tried = 0;
	for (size_t i = 0; i < m.nlens; i++) {
		size_t at = m.lens[i], left = m.n - at - 1;
		if (left >= 255)
			continue;
		bad.n = 0;
		put(&bad, m.b, m.n);
		bad.b[at] = (uint8_t)(left + 1);
		tried++;
		refused += run(&bad, &keep_all, scan, NULL) != SCRUB_OK;
	}
	CHECK(tried >= 10 && refused == tried);
	free(m.b);
	free(bad.b);
}

static size_t kept_gces(const struct scrub_scan *scan)
{
	size_t n = 0;
	for (size_t i = 0; i < scan->nseg; i++)
		n += scan->seg[i].keep && !strcmp(scan->seg[i].label, "graphic control");
	return n;
}

/* The GCE before a removed plain text goes only when nothing can tell. */
static void test_plain_text_gce(struct scrub_scan *scan)
{
	struct img m = { 0 };
	struct { uint16_t first, second; bool image_after; size_t kept; } cases[] = {
		{ 7, 7, true, 1 },   /* an identical GCE repeats it before the image */
		{ 100, 7, true, 2 }, /* a different one: giflib would take the first */
		{ 7, 0, true, 1 },   /* no second GCE: it is the image's own */
		{ 7, 0, false, 0 },  /* nothing follows: it scoped the text only */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		head(&m, "89a");
		if (!cases[i].image_after)
			image(&m, false);
		gce(&m, cases[i].first, 1, -1);
		plain_text(&m, "text");
		if (cases[i].second)
			gce(&m, cases[i].second, 1, -1);
		if (cases[i].image_after)
			image(&m, false);
		trailer(&m);
		CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_OK);
		CHECK(kept_gces(scan) == cases[i].kept);
	}
	free(m.b);
}

/* Extra sub-blocks after a GCE's or a loop count's standard part go; the rest stays. */
static void test_extra_sub_blocks(struct scrub_scan *scan)
{
	struct img m = { 0 }, out = { 0 }, want = { 0 };
	static const uint8_t buffering[] = { 5, 2, 0, 0, 1, 0 }, count[] = { 3, 1, 9, 0 };
	head(&m, "89a");
	byte(&m, 0x21);
	byte(&m, 0xFF);
	byte(&m, 11);
	put(&m, "NETSCAPE2.0", 11);
	put(&m, buffering, sizeof buffering);
	put(&m, count, sizeof count);
	put(&m, "\x06Secret\0", 8);
	put(&m, "\x21\xF9\x04\x04\x0A\x00\x00\x06Hidden\0", 15);
	image(&m, false);
	trailer(&m);
	CHECK(run(&m, &keep_all, scan, &out) == SCRUB_OK);
	head(&want, "89a");
	loop(&want, 9);
	gce(&want, 10, 1, -1);
	image(&want, false);
	trailer(&want);
	CHECK(same(&out, &want));
	/* A loop extension without a loop count goes whole. */
	head(&m, "89a");
	app(&m, "NETSCAPE2.0", buffering + 1, 5);
	image(&m, false);
	trailer(&m);
	CHECK(run(&m, &keep_all, scan, &out) == SCRUB_OK);
	head(&want, "89a");
	image(&want, false);
	trailer(&want);
	CHECK(same(&out, &want));
	free(m.b);
	free(out.b);
	free(want.b);
}

static void test_refusals(struct scrub_scan *scan)
{
	struct img m = { 0 };
	head(&m, "88a");
	image(&m, false);
	trailer(&m);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_MALFORMED);
	head(&m, "89a");
	trailer(&m);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_MALFORMED); /* no image */
	head(&m, "89a");
	put(&m, "\x21\xF9\x03\x00\x00\x00\x00", 7);
	image(&m, false);
	trailer(&m);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_MALFORMED); /* a 3-byte GCE */
	head(&m, "89a");
	image(&m, false);
	byte(&m, 0x00);
	trailer(&m);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_MALFORMED); /* no block starts at 00 */
	head(&m, "89a");
	put(&m, "\x2C\0\0\0\0\1\0\1\0\0\x0C\x01\0\0", 14); /* LZW code size 12 */
	trailer(&m);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_MALFORMED);
	free(m.b);
}

/* Budgets: more frames than MAX_FRAMES, more blocks than the scan's segment budget. */
static void test_budgets(struct scrub_scan *scan)
{
	struct img m = { 0 };
	head(&m, "89a");
	for (int i = 0; i < 65537; i++)
		image(&m, false);
	trailer(&m);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_LIMIT);
	head(&m, "89a");
	image(&m, false);
	for (size_t i = 0; i <= scan->max_segments; i++)
		put(&m, "\x21\xFE\x01x\0", 5);
	trailer(&m);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_E_LIMIT);
	free(m.b);
}

/* What reports get out of GIF payloads, through the describer table. */
static void test_describe(struct scrub_scan *scan)
{
	struct img m = { 0 };
	dirty_gif(&m, false);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_OK);
	struct scrub_facts facts;
	scrub_facts_clear(&facts);
	struct scrub_describe d;
	scrub_describe_begin(&d, &facts, NULL);
	for (size_t i = 0; i < scan->nseg; i++)
		scrub_describe_payload(&d, scan->seg[i].payload, m.b + scan->seg[i].data_off,
				       scan->seg[i].data_len);
	scrub_describe_end(&d);
	CHECK(!strcmp(facts.city, "SecCity"));
	bool comment = false, plain = false;
	for (size_t i = 0; i < facts.ntext; i++) {
		comment |= !strcmp(facts.text[i].keyword, "Comment") &&
			   !strcmp(facts.text[i].value, "SecretComment");
		plain |= !strcmp(facts.text[i].keyword, "Plain text") &&
			 !strcmp(facts.text[i].value, "SecretPlain");
	}
	CHECK(comment && plain);
	free(m.b);
}

/* A comment in many sub-blocks is joined before it is described. */
static void test_long_comment(struct scrub_scan *scan)
{
	struct img m = { 0 };
	char text[600];
	for (size_t i = 0; i < sizeof text - 1; i++)
		text[i] = (char)('a' + i % 26);
	text[sizeof text - 1] = '\0';
	head(&m, "89a");
	put(&m, "\x21\xFE", 2);
	for (size_t i = 0; i + 10 < sizeof text; i += 10) {
		byte(&m, 10);
		put(&m, text + i, 10);
	}
	byte(&m, 0);
	image(&m, false);
	trailer(&m);
	CHECK(run(&m, &keep_all, scan, NULL) == SCRUB_OK);
	const struct scrub_segment *s = find_kind(scan, SCRUB_KIND_COMMENT, 0);
	struct scrub_facts facts;
	scrub_facts_clear(&facts);
	struct scrub_describe d;
	scrub_describe_begin(&d, &facts, NULL);
	CHECK(s != NULL);
	if (s)
		scrub_describe_payload(&d, s->payload, m.b + s->data_off, s->data_len);
	scrub_describe_end(&d);
	size_t len = sizeof facts.text[0].value - 1;
	CHECK(facts.ntext == 1 && strlen(facts.text[0].value) == len &&
	      !memcmp(facts.text[0].value, text, len));
	free(m.b);
}

/* giflib: two frames composed, transparency and disposal applied, timing digested. */
static void test_codec(void)
{
	struct img m = { 0 };
	head(&m, "89a");
	loop(&m, 0);
	gce(&m, 10, 1, -1);
	image(&m, false);
	size_t second = m.n;
	gce(&m, 20, 2, 1); /* index 1 transparent: the first frame shows through */
	image(&m, true);
	trailer(&m);
	struct scrub_image_info info;
	char msg[SCRUB_CODEC_MSG];
	CHECK(scrub_gif_probe(m.b, m.n, &info, msg, sizeof msg) == SCRUB_OK);
	CHECK(info.frames == 2 && info.animated && info.components == 4);
	struct scrub_pixels a, b;
	struct img before = { 0 };
	put(&before, m.b, m.n);
	CHECK(scrub_gif_decode(m.b, m.n, &a) == SCRUB_OK);
	CHECK(a.frames == 2 && a.width == 4 && a.height == 2 && a.len == 2 * 4 * 2 * 4);
	/* Frame 1 pixel 1 is index 1 (red); frame 2 is all transparent index 1, so it shows frame 1. */
	CHECK(a.len == 64 && a.data[4] == 255 && a.data[5] == 0 && a.data[7] == 255);
	CHECK(a.len == 64 && !memcmp(a.data, a.data + 32, 32));
	m.b[second + 4] = 21; /* the second delay, 20 -> 21 */
	CHECK(scrub_gif_decode(m.b, m.n, &b) == SCRUB_OK);
	CHECK(b.len == a.len && !memcmp(a.data, b.data, a.len) && a.timing != b.timing);
	scrub_pixels_free(&a);
	scrub_pixels_free(&b);
	/* --verify compares the timing too: the same pixels a frame later are not the same file. */
	const char *why = NULL;
	CHECK(scrub_verify(&scrub_backend_gif, before.b, before.n, m.b, m.n, &why) == SCRUB_E_VERIFY &&
	      why && !strcmp(why, "frame timing differs"));
	CHECK(scrub_verify(&scrub_backend_gif, before.b, before.n, before.b, before.n, &why) == SCRUB_OK);
	free(before.b);
	m.n -= 6; /* cut inside the LZW data */
	CHECK(scrub_gif_decode(m.b, m.n, &a) != SCRUB_OK && a.data == NULL);
	free(m.b);
}

int main(void)
{
	struct scrub_scan scan;
	scrub_scan_init(&scan);
	test_strip_bytes(&scan);
	test_classify(&scan);
	test_clean_is_itself(&scan);
	test_truncations(&scan);
	test_lying_lengths(&scan);
	test_plain_text_gce(&scan);
	test_extra_sub_blocks(&scan);
	test_refusals(&scan);
	test_budgets(&scan);
	test_describe(&scan);
	test_long_comment(&scan);
	test_codec();
	scrub_scan_free(&scan);
	return check_summary();
}
