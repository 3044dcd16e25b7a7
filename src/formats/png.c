/*
 * PNG backend: a chunk walker (PNG 3rd edition, section 5). After the
 * 8-byte signature every chunk is length(4, big-endian) type(4) data CRC(4);
 * the CRC covers type and data. The walk stops at IEND; whatever follows is
 * a trailer. Kept chunks are copied byte for byte, so IDAT/fdAT never change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crc32.h"
#include "formats/codec.h"
#include "formats/format.h"
#include "formats/icc_check.h"
#include "formats/orientation.h"
#include "formats/png_text.h"

/* PNG section 5.2: the signature. */
static const uint8_t png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

#define CHUNK_OVERHEAD 12u       /* length, type, CRC (section 5.3) */
#define CHUNK_MAX_LEN 0x7FFFFFFFu /* section 5.3: length is at most 2^31-1 */
#define IHDR_LEN 13u             /* section 11.2.1 */
#define XMP_KEYWORD "XML:com.adobe.xmp" /* iTXt keyword for XMP (XMP spec part 3, 1.1.5) */

struct walk {
	struct scrub_rd rd;
	const struct scrub_policy *pol;
	struct scrub_scan *scan;
	bool seen_ihdr;
	bool seen_idat;
	bool seen_iend;
	bool still_apng; /* acTL says no frames: an invalid APNG viewers show as its still image */
};

/* A chunk handler refines a classified segment; data is the chunk's payload. */
typedef enum scrub_status (*chunk_fn)(struct walk *w, struct scrub_segment *s,
				      const uint8_t *data, size_t n);

struct chunk_rule {
	char type[5];
	uint8_t kind;    /* enum scrub_kind */
	uint8_t payload; /* enum scrub_payload of the chunk's data */
	chunk_fn fn;
};

static enum scrub_status on_ihdr(struct walk *w, struct scrub_segment *s, const uint8_t *data,
				 size_t n);
static enum scrub_status on_idat(struct walk *w, struct scrub_segment *s, const uint8_t *data,
				 size_t n);
static enum scrub_status on_iend(struct walk *w, struct scrub_segment *s, const uint8_t *data,
				 size_t n);
static enum scrub_status on_exif(struct walk *w, struct scrub_segment *s, const uint8_t *data,
				 size_t n);
static enum scrub_status on_itxt(struct walk *w, struct scrub_segment *s, const uint8_t *data,
				 size_t n);
static enum scrub_status on_actl(struct walk *w, struct scrub_segment *s, const uint8_t *data,
				 size_t n);
static enum scrub_status on_iccp(struct walk *w, struct scrub_segment *s, const uint8_t *data,
				 size_t n);

/*
 * SPEC.md section 2: the kept chunks are the image-kind rows (and iCCP
 * under keep_icc); every other chunk, listed or not, is removed.
 */
static const struct chunk_rule chunk_rules[] = {
	{ "IHDR", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, on_ihdr },
	{ "PLTE", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, NULL },
	{ "IDAT", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, on_idat },
	{ "IEND", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, on_iend },
	{ "tRNS", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, NULL },
	{ "gAMA", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, NULL },
	{ "cHRM", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, NULL },
	{ "sRGB", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, NULL },
	{ "cICP", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, NULL },
	{ "mDCv", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, NULL },
	{ "cLLi", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, NULL },
	{ "sBIT", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, NULL },
	{ "bKGD", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, NULL },
	{ "hIST", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, NULL },
	{ "pHYs", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, NULL },
	{ "acTL", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, on_actl },
	{ "fcTL", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, NULL },
	{ "fdAT", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, NULL },
	{ "iCCP", SCRUB_KIND_ICC, SCRUB_PAYLOAD_PNG_ICCP, on_iccp },
	{ "eXIf", SCRUB_KIND_EXIF, SCRUB_PAYLOAD_EXIF, on_exif },
	{ "tEXt", SCRUB_KIND_TEXT, SCRUB_PAYLOAD_PNG_TEXT, NULL },
	{ "zTXt", SCRUB_KIND_TEXT, SCRUB_PAYLOAD_PNG_ZTXT, NULL },
	{ "iTXt", SCRUB_KIND_TEXT, SCRUB_PAYLOAD_PNG_ITXT, on_itxt },
	{ "tIME", SCRUB_KIND_TIME, SCRUB_PAYLOAD_PNG_TIME, NULL },
	{ "caBX", SCRUB_KIND_JUMBF, SCRUB_PAYLOAD_JUMBF, NULL },
	{ "dSIG", SCRUB_KIND_UNKNOWN, SCRUB_PAYLOAD_NONE, NULL },
	{ "sPLT", SCRUB_KIND_UNKNOWN, SCRUB_PAYLOAD_NONE, NULL },
};

static bool png_sniff(const uint8_t *p, size_t n)
{
	return n >= sizeof png_signature && !memcmp(p, png_signature, sizeof png_signature);
}

static bool keep_kind(enum scrub_kind kind, const struct scrub_policy *pol)
{
	return kind == SCRUB_KIND_IMAGE || (kind == SCRUB_KIND_ICC && pol->keep_icc);
}

static enum scrub_status fail(struct walk *w, size_t off, enum scrub_status st)
{
	w->scan->fail_off = off;
	return st;
}

static enum scrub_status on_ihdr(struct walk *w, struct scrub_segment *s, const uint8_t *data,
				 size_t n)
{
	if (w->seen_ihdr || n != IHDR_LEN)
		return fail(w, s->off, SCRUB_E_MALFORMED);
	struct scrub_rd rd;
	scrub_rd_init(&rd, data, n);
	w->scan->width = scrub_rd_be32(&rd);
	w->scan->height = scrub_rd_be32(&rd);
	/* Section 11.2.1: zero and values above 2^31-1 are invalid. */
	if (w->scan->width == 0 || w->scan->height == 0 || w->scan->width > CHUNK_MAX_LEN ||
	    w->scan->height > CHUNK_MAX_LEN)
		return fail(w, s->off, SCRUB_E_MALFORMED);
	w->seen_ihdr = true;
	return SCRUB_OK;
}

static enum scrub_status on_idat(struct walk *w, struct scrub_segment *s, const uint8_t *data,
				 size_t n)
{
	(void)s;
	(void)data;
	(void)n;
	w->seen_idat = true;
	return SCRUB_OK;
}

static enum scrub_status on_iend(struct walk *w, struct scrub_segment *s, const uint8_t *data,
				 size_t n)
{
	(void)data;
	if (n != 0 || !w->seen_idat)
		return fail(w, s->off, SCRUB_E_MALFORMED);
	w->seen_iend = true;
	return SCRUB_OK;
}

/* True when data is exactly the TIFF part of scrub's own orientation block for o. */
static bool is_canonical_tiff(int o, const uint8_t *data, size_t n)
{
	size_t blen = 0;
	const uint8_t *block = scrub_orientation_block(o, &blen);
	return block && blen - SCRUB_EXIF_HEADER_LEN == n &&
	       !memcmp(block + SCRUB_EXIF_HEADER_LEN, data, n);
}

/*
 * eXIf holds a bare TIFF (PNG section 11.3.6); some writers wrongly prefix
 * "Exif\0\0". It must precede IDAT, and browsers ignore one that does not
 * (w3c/png#447), so a late one gives no orientation: it is just metadata.
 */
static enum scrub_status on_exif(struct walk *w, struct scrub_segment *s, const uint8_t *data,
				 size_t n)
{
	if (w->seen_idat) {
		snprintf(s->label, sizeof s->label, "eXIf after IDAT");
		return SCRUB_OK;
	}
	int o = scrub_orientation_read_exif(data, n);
	if (w->scan->orientation == 0)
		w->scan->orientation = o;
	if (is_canonical_tiff(o, data, n)) {
		s->kind = SCRUB_KIND_ORIENTATION;
		s->payload = SCRUB_PAYLOAD_NONE; /* its one fact, orientation, is the scan's */
		s->keep = w->pol->keep_orientation;
		snprintf(s->label, sizeof s->label, "eXIf orientation");
	}
	return SCRUB_OK;
}

/* iTXt keyword "XML:com.adobe.xmp" is XMP; the rest is ordinary text. */
static enum scrub_status on_itxt(struct walk *w, struct scrub_segment *s, const uint8_t *data,
				 size_t n)
{
	(void)w;
	if (n > sizeof XMP_KEYWORD && !memcmp(data, XMP_KEYWORD, sizeof XMP_KEYWORD)) {
		s->kind = SCRUB_KIND_XMP;
		snprintf(s->label, sizeof s->label, "iTXt XMP");
	}
	return SCRUB_OK;
}

/* APNG acTL: num_frames(4) num_plays(4); 0 frames is not a valid animation. */
static enum scrub_status on_actl(struct walk *w, struct scrub_segment *s, const uint8_t *data,
				 size_t n)
{
	(void)s;
	w->still_apng = n >= 4 && !data[0] && !data[1] && !data[2] && !data[3];
	return SCRUB_OK;
}

/*
 * iCCP (section 11.3.2.3): profile name (1-79 bytes), NUL, method 0, zlib
 * data. A profile that does not inflate to a valid one goes (SPEC.md 2).
 */
static enum scrub_status on_iccp(struct walk *w, struct scrub_segment *s, const uint8_t *data,
				 size_t n)
{
	(void)w;
	size_t name = 0;
	while (name < n && name <= SCRUB_PNG_KEYWORD_MAX && data[name])
		name++;
	bool ok = name >= 1 && name <= SCRUB_PNG_KEYWORD_MAX && name + 2 <= n && data[name + 1] == 0 &&
		  scrub_icc_zlib_valid(data + name + 2, n - name - 2);
	if (!ok) {
		s->keep = false;
		snprintf(s->label, sizeof s->label, "iCCP invalid");
	}
	return SCRUB_OK;
}

/* Section 5.4: chunk type bytes are ASCII letters. */
static bool valid_type(const uint8_t *t)
{
	for (int i = 0; i < 4; i++) {
		uint8_t c = t[i] | 0x20;
		if (c < 'a' || c > 'z')
			return false;
	}
	return true;
}

static const struct chunk_rule *find_rule(const uint8_t *type)
{
	for (size_t i = 0; i < sizeof chunk_rules / sizeof chunk_rules[0]; i++)
		if (!memcmp(chunk_rules[i].type, type, 4))
			return &chunk_rules[i];
	return NULL;
}

/* Text chunks are labelled with their keyword so a report says "tEXt Comment". */
static void text_label(struct scrub_segment *s, const uint8_t *type, const uint8_t *data, size_t n)
{
	size_t len = 0;
	while (len < n && len < 79 && data[len] >= 0x20 && data[len] < 0x7F)
		len++;
	snprintf(s->label, sizeof s->label, "%.4s %.*s", (const char *)type, (int)len,
		 (const char *)data);
}

static enum scrub_status classify(struct walk *w, struct scrub_segment *s, const uint8_t *type,
				  const uint8_t *data, size_t n)
{
	const struct chunk_rule *rule = find_rule(type);
	s->data_off = s->off + 8;
	s->data_len = n;
	if (!rule)
		return SCRUB_OK; /* unknown: removed, wherever it stands */
	s->kind = rule->kind;
	s->payload = rule->payload;
	s->keep = keep_kind((enum scrub_kind)rule->kind, w->pol);
	if (rule->kind == SCRUB_KIND_TEXT)
		text_label(s, type, data, n);
	return rule->fn ? rule->fn(w, s, data, n) : SCRUB_OK;
}

static enum scrub_status walk_chunk(struct walk *w)
{
	struct scrub_rd *rd = &w->rd;
	size_t start = rd->pos;
	uint32_t len = scrub_rd_be32(rd);
	const uint8_t *type = scrub_rd_take(rd, 4);
	if (!type)
		return fail(w, start, SCRUB_E_TRUNCATED);
	if (len > CHUNK_MAX_LEN || !valid_type(type))
		return fail(w, start, SCRUB_E_MALFORMED);
	const uint8_t *data = scrub_rd_take(rd, len);
	uint32_t stored = scrub_rd_be32(rd);
	if (!data || !scrub_rd_ok(rd))
		return fail(w, start, SCRUB_E_TRUNCATED);
	/* CRC over type and data; a bad one is refused, never repaired (STYLE.md). */
	if (scrub_crc32(0, type, (size_t)len + 4) != stored)
		return fail(w, start, SCRUB_E_CRC);
	if (!w->seen_ihdr && memcmp(type, "IHDR", 4))
		return fail(w, start, SCRUB_E_MALFORMED);
	char label[8];
	snprintf(label, sizeof label, "%.4s", (const char *)type);
	struct scrub_segment *s = scrub_scan_add(w->scan, start, rd->pos - start,
						 SCRUB_KIND_UNKNOWN, false, label);
	if (!s)
		return fail(w, start, SCRUB_E_LIMIT);
	return classify(w, s, type, data, len);
}

static bool chunk_is(const struct walk *w, const struct scrub_segment *s, const char *type)
{
	struct scrub_rd at = w->rd;
	return scrub_rd_seek(&at, s->off + 4) && scrub_rd_peek_eq(&at, type, 4);
}

/*
 * An acTL announcing no frames makes the file an invalid APNG, which
 * viewers show as its still image (the IDAT). The animation chunks go, so
 * the output is a valid still PNG showing the same.
 */
static void drop_animation(struct walk *w)
{
	for (size_t i = 0; i < w->scan->nseg; i++) {
		struct scrub_segment *s = &w->scan->seg[i];
		if (!chunk_is(w, s, "acTL") && !chunk_is(w, s, "fcTL") && !chunk_is(w, s, "fdAT"))
			continue;
		s->kind = SCRUB_KIND_UNKNOWN;
		s->keep = false;
		snprintf(s->label + 4, sizeof s->label - 4, " of a 0-frame APNG");
	}
}

/* XMP tiff:Orientation, as an attribute (="6") or an element (>6<); 0 if none. */
static int xmp_orientation(const uint8_t *p, size_t n)
{
	static const char prop[] = "tiff:Orientation";
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	while (scrub_rd_seek(&rd, scrub_rd_find_bytes(&rd, prop, sizeof prop - 1)) &&
	       scrub_rd_skip(&rd, sizeof prop - 1)) {
		int c;
		while ((c = scrub_rd_peek(&rd, 0)) == ' ' || c == '=' || c == '"' || c == '\'' ||
		       c == '>')
			scrub_rd_skip(&rd, 1);
		int o = scrub_rd_peek(&rd, 0) - '0';
		int after = scrub_rd_peek(&rd, 1);
		if (o >= 1 && o <= 8 && (after == '"' || after == '\'' || after == '<'))
			return o;
	}
	return 0;
}

/* Orientation 1..8 from one text chunk: ImageMagick's raw EXIF profile, or XMP. */
static int text_chunk_orientation(const struct walk *w, const struct scrub_segment *s, bool xmp)
{
	struct scrub_png_text t;
	struct scrub_rd at = w->rd;
	const uint8_t *data = scrub_rd_seek(&at, s->data_off) ? scrub_rd_take(&at, s->data_len) : NULL;
	if (!data || !scrub_png_text_read((enum scrub_payload)s->payload, data, s->data_len, &t))
		return 0;
	int o = 0;
	uint8_t *raw = NULL;
	size_t n = 0;
	if (!xmp && (scrub_png_text_is(&t, "Raw profile type exif") ||
		     scrub_png_text_is(&t, "Raw profile type APP1"))) {
		n = scrub_png_raw_profile(t.value, t.value_len, &raw);
		o = scrub_orientation_read_exif(raw, n);
	} else if (xmp && scrub_png_text_is(&t, "XML:com.adobe.xmp")) {
		o = xmp_orientation(t.value, t.value_len);
	} else if (xmp && scrub_png_text_is(&t, "Raw profile type xmp")) {
		n = scrub_png_raw_profile(t.value, t.value_len, &raw);
		o = xmp_orientation(raw, n);
	}
	free(raw);
	scrub_png_text_free(&t);
	return o;
}

/*
 * SPEC.md section 2: with no eXIf orientation before IDAT, the one in
 * ImageMagick's raw EXIF profile is the only copy, then the one in XMP;
 * the output carries it as a proper eXIf.
 */
static int text_orientation(const struct walk *w)
{
	for (int xmp = 0; xmp <= 1; xmp++) {
		for (size_t i = 0; i < w->scan->nseg; i++) {
			const struct scrub_segment *s = &w->scan->seg[i];
			if (s->kind != SCRUB_KIND_TEXT && s->kind != SCRUB_KIND_XMP)
				continue;
			int o = text_chunk_orientation(w, s, xmp);
			if (o)
				return o;
		}
	}
	return 0;
}

static enum scrub_status png_scan(const uint8_t *p, size_t n, const struct scrub_policy *pol,
				  struct scrub_scan *scan)
{
	struct walk w = { .pol = pol, .scan = scan };
	if (!png_sniff(p, n))
		return SCRUB_E_NOT_IMAGE;
	scrub_rd_init(&w.rd, p, n);
	scrub_rd_skip(&w.rd, sizeof png_signature);
	if (!scrub_scan_add(scan, 0, sizeof png_signature, SCRUB_KIND_IMAGE, true, "signature"))
		return fail(&w, 0, SCRUB_E_LIMIT);
	while (!w.seen_iend) {
		if (!scrub_rd_left(&w.rd))
			return fail(&w, w.rd.pos, SCRUB_E_TRUNCATED); /* no IEND */
		enum scrub_status st = walk_chunk(&w);
		if (st != SCRUB_OK)
			return st;
	}
	size_t left = scrub_rd_left(&w.rd);
	if (left) {
		struct scrub_segment *s = scrub_scan_add(scan, w.rd.pos, left, SCRUB_KIND_TRAILER,
							 false, "trailer data");
		if (!s)
			return fail(&w, w.rd.pos, SCRUB_E_LIMIT);
		s->data_len = left;
	}
	if (w.still_apng)
		drop_animation(&w);
	if (scan->orientation == 0)
		scan->orientation = text_orientation(&w);
	return SCRUB_OK;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* An eXIf chunk holding the TIFF part of the minimal orientation block. */
static enum scrub_status emit_orientation(int o, struct scrub_plan *plan)
{
	size_t blen = 0;
	const uint8_t *block = scrub_orientation_block(o, &blen);
	if (o < 2 || o > 8)
		return SCRUB_OK;
	if (!block)
		return SCRUB_E_NOMEM;
	const uint8_t *tiff = block + SCRUB_EXIF_HEADER_LEN;
	size_t tlen = blen - SCRUB_EXIF_HEADER_LEN;
	uint8_t *head = scrub_plan_scratch(plan, 8);
	uint8_t *tail = scrub_plan_scratch(plan, 4);
	if (!head || !tail)
		return SCRUB_E_LIMIT;
	put_be32(head, (uint32_t)tlen);
	memcpy(head + 4, "eXIf", 4);
	put_be32(tail, scrub_crc32(scrub_crc32(0, head + 4, 4), tiff, tlen));
	enum scrub_status st = scrub_plan_add(plan, head, 8);
	if (st == SCRUB_OK)
		st = scrub_plan_add(plan, tiff, tlen);
	return st == SCRUB_OK ? scrub_plan_add(plan, tail, 4) : st;
}

/*
 * Kept chunks in their order; the orientation eXIf goes right after IHDR
 * (segment 1), which is before IDAT as section 5.6 requires, and where a
 * second scan finds it so a scrubbed file is clean.
 */
static enum scrub_status png_strip(const uint8_t *p, size_t n, const struct scrub_scan *scan,
				   const struct scrub_policy *pol, struct scrub_plan *plan)
{
	(void)n;
	int o = pol->keep_orientation ? scan->orientation : 0;
	enum scrub_status st = SCRUB_OK;
	for (size_t i = 0; i < scan->nseg && st == SCRUB_OK; i++) {
		const struct scrub_segment *s = &scan->seg[i];
		if (s->keep && s->kind != SCRUB_KIND_ORIENTATION)
			st = scrub_plan_add(plan, p + s->off, s->len);
		if (st == SCRUB_OK && i == 1)
			st = emit_orientation(o, plan);
	}
	return st;
}

const struct scrub_backend scrub_backend_png = {
	.name = "png",
	.display = "PNG",
	.sniff = png_sniff,
	.scan = png_scan,
	.strip = png_strip,
	.decode = scrub_png_decode,
	.probe = scrub_png_probe,
	.orient = scrub_png_orient,
};
