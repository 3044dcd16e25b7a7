/*
 * Unit tests for the report decoders added for hidden images and
 * provenance: MPF index (src/describe/mpf.c), JUMBF/C2PA claim generator
 * (src/describe/c2pa.c), ExtendedXMP reassembly and the XMP hidden-image
 * flags and dates (src/describe/xmp.c). Payloads are built byte by byte;
 * every truncation of them is fed back so ASan sees any overread.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe/facts.h"

#include "check.h"

struct bytes {
	uint8_t b[8192];
	size_t n;
};

static void put(struct bytes *m, const void *p, size_t n)
{
	if (m->n + n > sizeof m->b)
		abort();
	if (n)
		memcpy(m->b + m->n, p, n);
	m->n += n;
}

static void put_str(struct bytes *m, const char *s)
{
	put(m, s, strlen(s));
}

static void u8(struct bytes *m, unsigned v)
{
	uint8_t b = (uint8_t)v;
	put(m, &b, 1);
}

static void u16(struct bytes *m, unsigned v, bool big)
{
	uint8_t b[2] = { (uint8_t)(big ? v >> 8 : v), (uint8_t)(big ? v : v >> 8) };
	put(m, b, 2);
}

static void u32(struct bytes *m, uint32_t v, bool big)
{
	for (int i = 0; i < 4; i++)
		u8(m, big ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void be32_at(struct bytes *m, size_t at, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		m->b[at + i] = (uint8_t)(v >> (24 - 8 * i));
}

/* Copies p into a heap block of exactly n bytes, so ASan catches a read past it. */
static uint8_t *exact(const uint8_t *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);
	if (!c)
		abort();
	if (n)
		memcpy(c, p, n);
	return c;
}

/* ---- MPF ---- */

struct mpf_spec {
	bool prefix, big;
	uint32_t images;      /* NumberOfImages value; 0 leaves the tag out */
	uint32_t nentries;    /* entries written */
	uint32_t entry_count; /* MPEntry count field; 0 means 16 * nentries */
	uint32_t entry_off;   /* MPEntry offset; 0 means right after the IFD */
	uint32_t ifd_off;     /* first IFD; 0 means 8 */
	uint32_t next_ifd;
	const uint32_t *sizes;
};

/* A JPEG APP2 MPF payload: TIFF header, MP Index IFD, MP Entries (CIPA DC-007 5.2). */
static void mpf(struct bytes *m, const struct mpf_spec *s)
{
	m->n = 0;
	if (s->prefix)
		put(m, "MPF", 4);
	bool big = s->big;
	put(m, big ? "MM\0*" : "II*\0", 4);
	u32(m, s->ifd_off ? s->ifd_off : 8, big);
	unsigned tags = s->images ? 3 : 2;
	u16(m, tags, big);
	u16(m, 0xB000, big), u16(m, 7, big), u32(m, 4, big), put(m, "0100", 4);
	if (s->images)
		u16(m, 0xB001, big), u16(m, 4, big), u32(m, 1, big), u32(m, s->images, big);
	uint32_t after = 8 + 2 + 12 * tags + 4;
	u16(m, 0xB002, big), u16(m, 7, big);
	u32(m, s->entry_count ? s->entry_count : 16 * s->nentries, big);
	u32(m, s->entry_off ? s->entry_off : after, big);
	u32(m, s->next_ifd, big);
	for (uint32_t i = 0; i < s->nentries; i++) {
		u32(m, i == 0 ? 0x20030000 : 0x00020000, big); /* primary, then dependent */
		u32(m, s->sizes[i], big);
		u32(m, i == 0 ? 0 : 1000 * i, big);
		u16(m, 0, big), u16(m, 0, big);
	}
}

static void mpf_facts(const struct bytes *m, struct scrub_facts *f)
{
	scrub_facts_clear(f);
	uint8_t *c = exact(m->b, m->n);
	scrub_describe_mpf(c, m->n, f);
	free(c);
}

static void test_mpf_counts(void)
{
	static const uint32_t sizes[] = { 50000, 1000, 200, 300 };
	struct bytes m;
	struct scrub_facts f;
	for (int v = 0; v < 4; v++) {
		bool prefix = v & 1, big = v & 2;
		mpf(&m, &(struct mpf_spec){ .prefix = prefix, .big = big, .images = 4, .nentries = 4,
					    .sizes = sizes });
		mpf_facts(&m, &f);
		CHECK(f.mpf_images == 3);
		CHECK(f.mpf_bytes == 1500);
	}
	/* One entry: the primary image alone has nothing riding along. */
	mpf(&m, &(struct mpf_spec){ .images = 1, .nentries = 1, .sizes = sizes });
	mpf_facts(&m, &f);
	CHECK(f.mpf_images == 0 && f.mpf_bytes == 0);
	/* Zero entries. */
	mpf(&m, &(struct mpf_spec){ .nentries = 0, .sizes = sizes });
	mpf_facts(&m, &f);
	CHECK(f.mpf_images == 0);
	/* No NumberOfImages: the MPEntry count alone decides. */
	mpf(&m, &(struct mpf_spec){ .nentries = 3, .sizes = sizes });
	mpf_facts(&m, &f);
	CHECK(f.mpf_images == 2 && f.mpf_bytes == 1200);
	/* A value already decoded stays. */
	mpf(&m, &(struct mpf_spec){ .images = 3, .nentries = 3, .sizes = sizes });
	scrub_facts_clear(&f);
	f.mpf_images = 7;
	scrub_describe_mpf(m.b, m.n, &f);
	CHECK(f.mpf_images == 7 && f.mpf_bytes == 0);
}

static void test_mpf_refused(void)
{
	static const uint32_t sizes[] = { 50000, 1000, 200 };
	struct bytes m;
	struct scrub_facts f;
	/* The two counts disagree. */
	mpf(&m, &(struct mpf_spec){ .images = 5, .nentries = 3, .sizes = sizes });
	mpf_facts(&m, &f);
	CHECK(f.mpf_images == 0);
	/* MPEntry count not a whole number of entries. */
	mpf(&m, &(struct mpf_spec){ .nentries = 3, .entry_count = 40, .sizes = sizes });
	mpf_facts(&m, &f);
	CHECK(f.mpf_images == 0);
	/* More entries claimed than the cap, and than the payload holds. */
	mpf(&m, &(struct mpf_spec){ .nentries = 3, .entry_count = 16 * 5000, .sizes = sizes });
	mpf_facts(&m, &f);
	CHECK(f.mpf_images == 0);
	mpf(&m, &(struct mpf_spec){ .images = 0xFFFFFFFF, .nentries = 3,
				    .entry_count = 0xFFFFFFF0, .sizes = sizes });
	mpf_facts(&m, &f);
	CHECK(f.mpf_images == 0);
	/* Offsets past the end, and offset + count wrapping around. */
	mpf(&m, &(struct mpf_spec){ .nentries = 3, .entry_off = 0xFFFFFFF0, .sizes = sizes });
	mpf_facts(&m, &f);
	CHECK(f.mpf_images == 0);
	mpf(&m, &(struct mpf_spec){ .nentries = 3, .ifd_off = 0xFFFFFFFF, .sizes = sizes });
	mpf_facts(&m, &f);
	CHECK(f.mpf_images == 0);
	/* The IFD offset points back at the header: garbage tags, nothing believed. */
	mpf(&m, &(struct mpf_spec){ .nentries = 3, .ifd_off = 0, .sizes = sizes });
	m.b[4] = m.b[5] = m.b[6] = m.b[7] = 0;
	mpf_facts(&m, &f);
	CHECK(f.mpf_images == 0);
	/* A next-IFD link to itself is never followed: the index still reads. */
	mpf(&m, &(struct mpf_spec){ .nentries = 3, .next_ifd = 8, .sizes = sizes });
	mpf_facts(&m, &f);
	CHECK(f.mpf_images == 2 && f.mpf_bytes == 1200);
	/* Not a TIFF header. */
	mpf(&m, &(struct mpf_spec){ .nentries = 3, .sizes = sizes });
	m.b[0] = 'X';
	mpf_facts(&m, &f);
	CHECK(f.mpf_images == 0);
	/* Every truncation: the entries come last, so none may be believed. */
	mpf(&m, &(struct mpf_spec){ .prefix = true, .images = 3, .nentries = 3, .sizes = sizes });
	size_t bad = 0;
	for (size_t cut = 0; cut < m.n; cut++) {
		struct bytes t = m;
		t.n = cut;
		mpf_facts(&t, &f);
		bad += f.mpf_images != 0;
	}
	CHECK(bad == 0);
}

/* ---- JUMBF / C2PA ---- */

static const uint8_t c2pa_uuid[16] = { 0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10,
				       0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 };

enum jumbf_wrap { RAW, APP11, APP11_JP };

/* CBOR text string head for n bytes, in the form asked for (0: shortest). */
static void cbor_text_head(struct bytes *m, size_t n, int form)
{
	if (form == 0 && n < 24)
		u8(m, 0x60 + (unsigned)n);
	else if (form <= 1 && n < 256)
		u8(m, 0x78), u8(m, (unsigned)n);
	else
		u8(m, 0x79), u16(m, (unsigned)n, true);
}

/*
 * A manifest store superbox whose description has the given UUID, holding
 * one box with the claim's CBOR bytes (cbor[0..ncbor)).
 */
static void jumbf(struct bytes *m, enum jumbf_wrap wrap, const uint8_t *uuid,
		  const struct bytes *cbor)
{
	m->n = 0;
	if (wrap == APP11_JP)
		put(m, "JP", 2);
	if (wrap != RAW)
		u16(m, 0x0211, true), u32(m, 1, true); /* box instance, sequence number */
	size_t start = m->n;
	u32(m, 0, true), put(m, "jumb", 4);
	u32(m, 8 + 16 + 1 + 5, true), put(m, "jumd", 4), put(m, uuid, 16), u8(m, 3);
	put(m, "c2pa", 5);
	u32(m, 8 + (uint32_t)cbor->n, true), put(m, "cbor", 4), put(m, cbor->b, cbor->n);
	be32_at(m, start, (uint32_t)(m->n - start));
}

static void claim(struct bytes *c, const char *gen, int form)
{
	c->n = 0;
	u8(c, 0xA3);
	cbor_text_head(c, 15, 0), put_str(c, "claim_generator");
	cbor_text_head(c, strlen(gen), form), put_str(c, gen);
	cbor_text_head(c, 9, 0), put_str(c, "dc:format");
	cbor_text_head(c, 10, 0), put_str(c, "image/jpeg");
}

static void jumbf_facts(const struct bytes *m, struct scrub_facts *f)
{
	scrub_facts_clear(f);
	uint8_t *c = exact(m->b, m->n);
	scrub_describe_jumbf(c, m->n, f);
	free(c);
}

static void test_c2pa_generator(void)
{
	static const char *const gens[] = { "adobe unit test",
					    "make_test_images/0.33.1 c2pa-rs/0.33.1" };
	struct bytes c, m;
	struct scrub_facts f;
	for (int wrap = RAW; wrap <= APP11_JP; wrap++) {
		for (int form = 0; form <= 2; form++) {
			for (size_t g = 0; g < 2; g++) {
				claim(&c, gens[g], form);
				jumbf(&m, (enum jumbf_wrap)wrap, c2pa_uuid, &c);
				jumbf_facts(&m, &f);
				CHECK(f.c2pa);
				CHECK(!strcmp(f.c2pa_generator, gens[g]));
			}
		}
	}
	/* A generator already known stays. */
	claim(&c, "second", 0);
	jumbf(&m, RAW, c2pa_uuid, &c);
	scrub_facts_clear(&f);
	strcpy(f.c2pa_generator, "first");
	scrub_describe_jumbf(m.b, m.n, &f);
	CHECK(f.c2pa && !strcmp(f.c2pa_generator, "first"));
}

/* Thumbnail boxes are counted by their jumd label; a mere reference to one is not a thumbnail. */
static void test_c2pa_thumbnails(void)
{
	struct bytes c = { .n = 0 }, m;
	struct scrub_facts f;
	static const char ref[] = "self#jumbf=c2pa.assertions/c2pa.thumbnail.claim.jpeg";
	put(&c, ref, sizeof ref);
	for (int i = 0; i < 2; i++) {
		u32(&c, 40, true);
		put_str(&c, "jumd");
		put(&c, "\x40\xcb\x0c\x32\xbb\x8a\x48\x9d\xa7\x0b\x2a\xd6\xf4\x7f\x43\x69", 16);
		u8(&c, 3);
		put_str(&c, i ? "c2pa.thumbnail.ingredient.jpeg" : "c2pa.thumbnail.claim.jpeg");
		u8(&c, 0);
	}
	jumbf(&m, RAW, c2pa_uuid, &c);
	jumbf_facts(&m, &f);
	CHECK(f.c2pa && f.c2pa_thumbnails == 2);
	/* Cut just inside the second label's box description: one left. */
	struct bytes cut = m;
	cut.n = m.n - 40;
	jumbf_facts(&cut, &f);
	CHECK(f.c2pa_thumbnails == 1);
}

static void test_c2pa_text_limits(void)
{
	struct bytes c, m;
	struct scrub_facts f;
	/* 200 bytes of two-byte characters: cut to the field on a character boundary. */
	char longer[201];
	for (int i = 0; i < 200; i += 2)
		longer[i] = (char)0xC3, longer[i + 1] = (char)0xA9;
	longer[200] = '\0';
	claim(&c, longer, 2);
	jumbf(&m, RAW, c2pa_uuid, &c);
	jumbf_facts(&m, &f);
	size_t len = strlen(f.c2pa_generator);
	CHECK(len == 94 && !memcmp(f.c2pa_generator, longer, len));
	/* A control character ends the copy; a bad UTF-8 start leaves nothing. */
	claim(&c, "abc\001def", 0);
	jumbf(&m, RAW, c2pa_uuid, &c);
	jumbf_facts(&m, &f);
	CHECK(!strcmp(f.c2pa_generator, "abc"));
	claim(&c, "\xC0\xAFx", 0);
	jumbf(&m, RAW, c2pa_uuid, &c);
	jumbf_facts(&m, &f);
	CHECK(f.c2pa && !f.c2pa_generator[0]);
	/* The text runs past the payload: the store is known, the generator is not. */
	claim(&c, "make_test_images/0.33.1 c2pa-rs/0.33.1", 1);
	c.n -= 30;
	jumbf(&m, RAW, c2pa_uuid, &c);
	jumbf_facts(&m, &f);
	CHECK(f.c2pa && !f.c2pa_generator[0]);
	/* The key with a value that is not text. */
	c.n = 0;
	cbor_text_head(&c, 15, 0), put_str(&c, "claim_generator"), u8(&c, 0x18), u8(&c, 7);
	jumbf(&m, RAW, c2pa_uuid, &c);
	jumbf_facts(&m, &f);
	CHECK(f.c2pa && !f.c2pa_generator[0]);
}

static void test_c2pa_other(void)
{
	struct bytes c, m;
	struct scrub_facts f;
	/* No generator at all. */
	c.n = 0;
	u8(&c, 0xA1), cbor_text_head(&c, 9, 0), put_str(&c, "dc:format"), u8(&c, 0x60);
	jumbf(&m, APP11, c2pa_uuid, &c);
	jumbf_facts(&m, &f);
	CHECK(f.c2pa && !f.c2pa_generator[0]);
	/* C2PA 2.x: the first name in claim_generator_info. */
	c.n = 0;
	u8(&c, 0xA1), cbor_text_head(&c, 20, 0), put_str(&c, "claim_generator_info");
	u8(&c, 0x81), u8(&c, 0xA2);
	cbor_text_head(&c, 7, 0), put_str(&c, "version"), cbor_text_head(&c, 3, 0), put_str(&c, "0.1");
	cbor_text_head(&c, 4, 0), put_str(&c, "name");
	cbor_text_head(&c, 20, 1), put_str(&c, "MIPAMS GENERATOR 0.1");
	jumbf(&m, APP11_JP, c2pa_uuid, &c);
	jumbf_facts(&m, &f);
	CHECK(f.c2pa && !strcmp(f.c2pa_generator, "MIPAMS GENERATOR 0.1"));
	/* JUMBF that is not C2PA (another description type), and no box at all. */
	uint8_t other[16];
	memcpy(other, c2pa_uuid, 16);
	other[0] = 'x';
	c.n = 0;
	jumbf(&m, RAW, other, &c);
	jumbf_facts(&m, &f);
	CHECK(!f.c2pa);
	static const char junk[] = "JP\x02\x11\0\0\0\x01random bytes, no box here";
	m.n = 0;
	put(&m, junk, sizeof junk - 1);
	jumbf_facts(&m, &f);
	CHECK(!f.c2pa && !f.c2pa_generator[0]);
	/* Every truncation: no generator unless its text (21 bytes before the end) is whole. */
	claim(&c, "adobe unit test", 1);
	jumbf(&m, APP11_JP, c2pa_uuid, &c);
	size_t wrong = 0;
	for (size_t cut = 0; cut < m.n; cut++) {
		struct bytes t = m;
		t.n = cut;
		jumbf_facts(&t, &f);
		wrong += f.c2pa_generator[0] && cut < m.n - 21;
	}
	CHECK(wrong == 0);
}

/* ---- ExtendedXMP ---- */

static const char ext_doc[] =
	"<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
	"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
	"<rdf:Description rdf:about=''"
	" xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'"
	" xmlns:GDepth='http://ns.google.com/photos/1.0/depthmap/'"
	" photoshop:City='Gr\xC3\xA9noble'>"
	"<GDepth:Data>iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgAB</GDepth:Data>"
	"</rdf:Description></rdf:RDF></x:xmpmeta>";

#define GUID_A "0123456789ABCDEF0123456789ABCDEF"
#define GUID_B "FEDCBA9876543210FEDCBA9876543210"

/* One ExtendedXMP chunk payload: GUID, full length, offset, data. */
struct chunk {
	struct bytes m;
};

static void ext_chunk(struct chunk *c, const char *guid, uint32_t full, uint32_t off,
		      const char *data, size_t n)
{
	c->m.n = 0;
	put(&c->m, guid, 32);
	u32(&c->m, full, true);
	u32(&c->m, off, true);
	put(&c->m, data, n);
}

/* The document in three chunks, cut at a and b. */
static void three_chunks(struct chunk c[3], const char *doc, size_t a, size_t b)
{
	uint32_t full = (uint32_t)strlen(doc);
	ext_chunk(&c[0], GUID_A, full, 0, doc, a);
	ext_chunk(&c[1], GUID_A, full, (uint32_t)a, doc + a, b - a);
	ext_chunk(&c[2], GUID_A, full, (uint32_t)b, doc + b, full - b);
}

static bool ext_parse(struct chunk *const *c, size_t n, const char *want, struct scrub_facts *f)
{
	struct scrub_xmp_ext x;
	scrub_xmp_ext_init(&x);
	if (want)
		snprintf(x.want, sizeof x.want, "%s", want);
	scrub_facts_clear(f);
	for (size_t i = 0; i < n; i++)
		scrub_xmp_ext_add(&x, c[i]->m.b, c[i]->m.n);
	return scrub_describe_xmp_ext(&x, f);
}

static void test_ext_split(void)
{
	struct chunk c[3];
	struct scrub_facts f;
	size_t len = strlen(ext_doc);
	/* Out of order, and cut inside a tag and inside a UTF-8 sequence. */
	size_t e = (size_t)(strstr(ext_doc, "\xA9") - ext_doc);
	three_chunks(c, ext_doc, e, len - 40);
	CHECK(ext_parse((struct chunk *[]){ &c[2], &c[0], &c[1] }, 3, NULL, &f));
	CHECK(!strcmp(f.city, "Gr\xC3\xA9noble"));
	CHECK(f.hidden == SCRUB_HIDDEN_DEPTH_MAP);
	/* Every pair of cuts. */
	size_t bad = 0;
	for (size_t a = 1; a < len; a += 7) {
		for (size_t b = a + 1; b < len; b += 13) {
			three_chunks(c, ext_doc, a, b);
			bad += !ext_parse((struct chunk *[]){ &c[1], &c[2], &c[0] }, 3, NULL, &f) ||
			       strcmp(f.city, "Gr\xC3\xA9noble") != 0;
		}
	}
	CHECK(bad == 0);
	/* One chunk holding the whole extension, through the plain entry point too. */
	ext_chunk(&c[0], GUID_A, (uint32_t)len, 0, ext_doc, len);
	CHECK(ext_parse((struct chunk *[]){ &c[0] }, 1, NULL, &f) && f.city[0]);
	scrub_facts_clear(&f);
	scrub_describe_xmp(c[0].m.b, c[0].m.n, &f);
	CHECK(!strcmp(f.city, "Gr\xC3\xA9noble"));
}

static void test_ext_refused(void)
{
	struct chunk c[4];
	struct scrub_facts f;
	size_t len = strlen(ext_doc);
	three_chunks(c, ext_doc, 100, 200);
	/* A gap: the middle part is missing. */
	CHECK(!ext_parse((struct chunk *[]){ &c[0], &c[2] }, 2, NULL, &f) && !f.city[0]);
	/* An overlap: the middle part starts 10 bytes early. */
	ext_chunk(&c[3], GUID_A, (uint32_t)len, 90, ext_doc + 90, 110);
	CHECK(!ext_parse((struct chunk *[]){ &c[0], &c[3], &c[2] }, 3, NULL, &f) && !f.city[0]);
	/* The same part twice. */
	CHECK(!ext_parse((struct chunk *[]){ &c[0], &c[1], &c[1], &c[2] }, 4, NULL, &f));
	/* The middle part belongs to another extension. */
	ext_chunk(&c[3], GUID_B, (uint32_t)len, 100, ext_doc + 100, 100);
	CHECK(!ext_parse((struct chunk *[]){ &c[0], &c[3], &c[2] }, 3, NULL, &f) && !f.city[0]);
	/* Parts that disagree on the full length. */
	ext_chunk(&c[3], GUID_A, (uint32_t)len + 1, 100, ext_doc + 100, 100);
	CHECK(!ext_parse((struct chunk *[]){ &c[0], &c[3], &c[2] }, 3, NULL, &f));
	/* Data past the stated full length, offset at the end, bad GUID: not recorded. */
	struct scrub_xmp_ext x;
	scrub_xmp_ext_init(&x);
	ext_chunk(&c[3], GUID_A, 10, 0, ext_doc, 11);
	CHECK(!scrub_xmp_ext_add(&x, c[3].m.b, c[3].m.n));
	ext_chunk(&c[3], GUID_A, 10, 10, ext_doc, 1);
	CHECK(!scrub_xmp_ext_add(&x, c[3].m.b, c[3].m.n));
	ext_chunk(&c[3], "0123456789ABCDEF0123456789ABCDE\x10", 10, 0, ext_doc, 10);
	CHECK(!scrub_xmp_ext_add(&x, c[3].m.b, c[3].m.n));
	ext_chunk(&c[3], GUID_A, (uint32_t)SCRUB_XMP_MAX + 1, 0, ext_doc, 10);
	CHECK(!scrub_xmp_ext_add(&x, c[3].m.b, c[3].m.n));
	CHECK(!scrub_xmp_ext_add(&x, c[3].m.b, 39));
	CHECK(x.nparts == 0);
	/* The part array is bounded. */
	ext_chunk(&c[3], GUID_A, 1000, 0, "<", 1);
	size_t added = 0;
	for (int i = 0; i < SCRUB_XMP_PARTS_MAX + 10; i++)
		added += scrub_xmp_ext_add(&x, c[3].m.b, c[3].m.n);
	CHECK(added == SCRUB_XMP_PARTS_MAX);
}

/* The main packet names the extension to read when several are present. */
static void test_ext_guid(void)
{
	static const char doc_b[] =
		"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
		"xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
		"xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/' photoshop:City='Bern'/>"
		"</rdf:RDF></x:xmpmeta>";
	static const char main_pkt[] =
		"<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
		"xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
		"xmlns:xmpNote='http://ns.adobe.com/xmp/note/'><xmpNote:HasExtendedXMP>" GUID_B
		"</xmpNote:HasExtendedXMP></rdf:Description></rdf:RDF></x:xmpmeta>";
	struct chunk a, b;
	ext_chunk(&a, GUID_A, (uint32_t)strlen(ext_doc), 0, ext_doc, strlen(ext_doc));
	ext_chunk(&b, GUID_B, (uint32_t)strlen(doc_b), 0, doc_b, strlen(doc_b));
	struct scrub_xmp_ext x;
	struct scrub_facts f;
	scrub_xmp_ext_init(&x);
	scrub_facts_clear(&f);
	scrub_xmp_ext_add(&x, a.m.b, a.m.n);
	scrub_xmp_ext_add(&x, b.m.b, b.m.n);
	scrub_describe_xmp_main((const uint8_t *)main_pkt, strlen(main_pkt), &f, &x);
	CHECK(!strcmp(x.want, GUID_B));
	CHECK(scrub_describe_xmp_ext(&x, &f) && !strcmp(f.city, "Bern"));
	/* Without the main packet's word, the first chunk's extension. */
	x.want[0] = '\0';
	scrub_facts_clear(&f);
	CHECK(scrub_describe_xmp_ext(&x, &f) && !strcmp(f.city, "Gr\xC3\xA9noble"));
}

/* ---- XMP hidden images and dates ---- */

static void xmp_facts(const char *body, struct scrub_facts *f)
{
	char doc[4096];
	snprintf(doc, sizeof doc,
		 "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
		 "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description "
		 "xmlns:hdrgm='http://ns.adobe.com/hdr-gain-map/1.0/' "
		 "xmlns:Container='http://ns.google.com/photos/1.0/container/' "
		 "xmlns:Item='http://ns.google.com/photos/1.0/container/item/' "
		 "xmlns:GDepth='http://ns.google.com/photos/1.0/depthmap/' "
		 "xmlns:GImage='http://ns.google.com/photos/1.0/image/' "
		 "xmlns:GCamera='http://ns.google.com/photos/1.0/camera/' "
		 "xmlns:xmp='http://ns.adobe.com/xap/1.0/' "
		 "xmlns:exif='http://ns.adobe.com/exif/1.0/' %s</rdf:Description></rdf:RDF></x:xmpmeta>",
		 body);
	scrub_facts_clear(f);
	scrub_describe_xmp((const uint8_t *)doc, strlen(doc), f);
}

static void test_xmp_hidden(void)
{
	struct scrub_facts f;
	/* Several container items: each Semantic counts, not just the first. */
	xmp_facts("><Container:Directory><rdf:Seq>"
		  "<rdf:li rdf:parseType='Resource'><Container:Item Item:Semantic='Primary'/></rdf:li>"
		  "<rdf:li rdf:parseType='Resource'><Container:Item Item:Semantic='GainMap'/></rdf:li>"
		  "<rdf:li rdf:parseType='Resource'><Container:Item Item:Semantic='MotionPhoto'/></rdf:li>"
		  "</rdf:Seq></Container:Directory>", &f);
	CHECK(f.hidden == (SCRUB_HIDDEN_GAIN_MAP | SCRUB_HIDDEN_MOTION));
	/* The element form of Semantic. */
	xmp_facts("><Container:Directory><rdf:Seq><rdf:li rdf:parseType='Resource'>"
		  "<Container:Item rdf:parseType='Resource'><Item:Semantic> Depth </Item:Semantic>"
		  "</Container:Item></rdf:li></rdf:Seq></Container:Directory>", &f);
	CHECK(f.hidden == SCRUB_HIDDEN_DEPTH_MAP);
	xmp_facts("hdrgm:Version='1.0'>", &f);
	CHECK(f.hidden == SCRUB_HIDDEN_GAIN_MAP);
	xmp_facts("><hdrgm:GainMapMax>2.3</hdrgm:GainMapMax>", &f);
	CHECK(f.hidden == SCRUB_HIDDEN_GAIN_MAP);
	xmp_facts("GImage:Mime='image/jpeg' GImage:Data='/9j/4AAQ'>", &f);
	CHECK(f.hidden == SCRUB_HIDDEN_ORIGINAL);
	xmp_facts("GDepth:Format='RangeInverse'><GDepth:Data>iVBORw0K</GDepth:Data>", &f);
	CHECK(f.hidden == SCRUB_HIDDEN_DEPTH_MAP);
	/* Depth parameters without the image, empty data, a zero flag: nothing hidden. */
	xmp_facts("GDepth:Format='RangeInverse' GDepth:Data='' GCamera:MicroVideo='0'>", &f);
	CHECK(f.hidden == 0);
	xmp_facts("GCamera:MicroVideo='1'>", &f);
	CHECK(f.hidden == SCRUB_HIDDEN_MOTION);
	xmp_facts("><GCamera:MotionPhoto>1</GCamera:MotionPhoto>", &f);
	CHECK(f.hidden == SCRUB_HIDDEN_MOTION);
	/* A DOCTYPE refuses the packet, flags included. */
	static const char dtd[] =
		"<!DOCTYPE x [<!ENTITY e 'x'>]><x:xmpmeta xmlns:x='adobe:ns:meta/' "
		"xmlns:hdrgm='http://ns.adobe.com/hdr-gain-map/1.0/' hdrgm:Version='1.0'/>";
	scrub_facts_clear(&f);
	scrub_describe_xmp((const uint8_t *)dtd, strlen(dtd), &f);
	CHECK(f.hidden == 0);
}

static void test_xmp_dates(void)
{
	struct scrub_facts f;
	xmp_facts("xmp:MetadataDate='2024-05-03T10:00:00+02:00' xmp:ModifyDate='2024-05-02T09:00:00' "
		  "exif:DateTimeDigitized='2024-05-01T08:00:00'>", &f);
	CHECK(!strcmp(f.edited, "2024-05-02T09:00:00"));
	CHECK(!strcmp(f.digitized, "2024-05-01T08:00:00"));
	xmp_facts("><xmp:MetadataDate>2024-05-03T10:00:00+02:00</xmp:MetadataDate>"
		  "<xmp:CreateDate>2024-05-01T07:00:00</xmp:CreateDate>", &f);
	CHECK(!strcmp(f.edited, "2024-05-03T10:00:00+02:00"));
	/* xmp:CreateDate is a creation date (SPEC.md section 4), never a digitised one. */
	CHECK(!strcmp(f.created, "2024-05-01T07:00:00"));
	CHECK(f.digitized[0] == '\0');
	CHECK(f.original[0] == '\0');
	/* EXIF's values, decoded first, stay. */
	scrub_facts_clear(&f);
	strcpy(f.edited, "2020-01-01T00:00:00");
	static const char pkt[] =
		"<x:xmpmeta xmlns:x='adobe:ns:meta/' xmlns:xmp='http://ns.adobe.com/xap/1.0/' "
		"xmp:ModifyDate='2024-05-02T09:00:00'/>";
	scrub_describe_xmp((const uint8_t *)pkt, strlen(pkt), &f);
	CHECK(!strcmp(f.edited, "2020-01-01T00:00:00"));
}

int main(void)
{
	test_mpf_counts();
	test_mpf_refused();
	test_c2pa_generator();
	test_c2pa_text_limits();
	test_c2pa_thumbnails();
	test_c2pa_other();
	test_ext_split();
	test_ext_refused();
	test_ext_guid();
	test_xmp_hidden();
	test_xmp_dates();
	return check_summary();
}
