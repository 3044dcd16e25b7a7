/*
 * WebP backend: a RIFF walker (WebP container specification, RFC 9649).
 * "RIFF" size(4, little-endian) "WEBP", then chunks: fourcc size(4 LE)
 * payload, plus one pad byte when size is odd. Every size is checked
 * against its parent. A simple file holds one VP8 or VP8L chunk; an
 * extended one starts with VP8X, whose flags must say which optional
 * chunks follow, so strip regenerates the RIFF header and VP8X. Bytes past
 * the RIFF size are a trailer. libwebpmux is not used: 1.2.4 refuses files
 * with trailing bytes or two EXIF chunks and cannot drop chunks inside ANMF
 * (LIBRARY-NOTES.md).
 */
#include <stdio.h>
#include <string.h>

#include "formats/codec.h"
#include "formats/format.h"
#include "formats/icc_check.h"
#include "formats/orientation.h"

#define RIFF_HEAD_LEN 12u   /* "RIFF", size, "WEBP" */
#define CHUNK_HEAD_LEN 8u   /* fourcc, size */
#define VP8X_LEN 10u        /* RFC 9649 section 2.7: flags(1) reserved(3) w-1(3) h-1(3) */
#define ANMF_HEAD_LEN 16u   /* section 2.7.1.1: x, y, w-1, h-1 (3 each), duration(3), flags(1) */
/* VP8X flag bits, RFC 9649 section 2.7. */
#define FLAG_ANIM 0x02u
#define FLAG_XMP 0x04u
#define FLAG_EXIF 0x08u
#define FLAG_ALPHA 0x10u
#define FLAG_ICC 0x20u
/* VP8L header (WebP lossless spec section 3.2): signature then 14+14+1+3 bits. */
#define VP8L_SIGNATURE 0x2F
#define VP8L_ALPHA_BIT 28
/* VP8 key frame (RFC 6386 section 9.1): 3-byte tag, start code, 14-bit sizes. */
#define VP8_HEAD_LEN 10u

struct walk {
	struct scrub_rd rd;
	const struct scrub_policy *pol;
	struct scrub_scan *scan;
	bool extended;
	bool has_image;
	bool in_frame; /* walking the chunks inside an ANMF */
};

typedef enum scrub_status (*chunk_fn)(struct walk *w, struct scrub_segment *s,
				      struct scrub_rd *payload);

struct chunk_rule {
	char fourcc[5];
	uint8_t kind;    /* enum scrub_kind */
	uint8_t payload; /* enum scrub_payload of the chunk's data */
	bool in_frame; /* may stand inside ANMF */
	chunk_fn fn;
};

static enum scrub_status on_vp8x(struct walk *w, struct scrub_segment *s, struct scrub_rd *pl);
static enum scrub_status on_vp8(struct walk *w, struct scrub_segment *s, struct scrub_rd *pl);
static enum scrub_status on_vp8l(struct walk *w, struct scrub_segment *s, struct scrub_rd *pl);
static enum scrub_status on_anmf(struct walk *w, struct scrub_segment *s, struct scrub_rd *pl);
static enum scrub_status on_exif(struct walk *w, struct scrub_segment *s, struct scrub_rd *pl);
static enum scrub_status on_iccp(struct walk *w, struct scrub_segment *s, struct scrub_rd *pl);

/* SPEC.md section 2: image rows and ICCP (keep_icc) stay; the rest goes. */
static const struct chunk_rule chunk_rules[] = {
	{ "VP8X", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, false, on_vp8x },
	{ "VP8 ", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, true, on_vp8 },
	{ "VP8L", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, true, on_vp8l },
	{ "ALPH", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, true, NULL },
	{ "ANIM", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, false, NULL },
	{ "ANMF", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, false, on_anmf },
	{ "ICCP", SCRUB_KIND_ICC, SCRUB_PAYLOAD_ICC, false, on_iccp },
	{ "EXIF", SCRUB_KIND_EXIF, SCRUB_PAYLOAD_EXIF, false, on_exif },
	{ "XMP ", SCRUB_KIND_XMP, SCRUB_PAYLOAD_XMP, false, NULL },
	/* C2PA for WebP: a JUMBF manifest store in a chunk of its own (C2PA 2.1, A.3.5). */
	{ "C2PA", SCRUB_KIND_JUMBF, SCRUB_PAYLOAD_JUMBF, false, NULL },
};

static bool webp_sniff(const uint8_t *p, size_t n)
{
	return n >= RIFF_HEAD_LEN && !memcmp(p, "RIFF", 4) && !memcmp(p + 8, "WEBP", 4);
}

static enum scrub_status fail(struct walk *w, size_t off, enum scrub_status st)
{
	w->scan->fail_off = off;
	return st;
}

static uint32_t get_le24(struct scrub_rd *rd)
{
	uint32_t v = scrub_rd_u8(rd);
	v |= (uint32_t)scrub_rd_u8(rd) << 8;
	return v | (uint32_t)scrub_rd_u8(rd) << 16;
}

static enum scrub_status on_vp8x(struct walk *w, struct scrub_segment *s, struct scrub_rd *pl)
{
	/* Only as the first chunk (segment 1, after the RIFF header). */
	if (w->scan->nseg != 2 || scrub_rd_left(pl) < VP8X_LEN)
		return fail(w, s->off, SCRUB_E_MALFORMED);
	scrub_rd_skip(pl, 4);
	w->scan->width = get_le24(pl) + 1;
	w->scan->height = get_le24(pl) + 1;
	w->extended = true;
	return SCRUB_OK;
}

/* Frame size from a VP8 key frame header; the canvas of a simple lossy file. */
static enum scrub_status on_vp8(struct walk *w, struct scrub_segment *s, struct scrub_rd *pl)
{
	w->has_image = true;
	if (w->extended || w->in_frame)
		return SCRUB_OK; /* canvas comes from VP8X */
	const uint8_t *h = scrub_rd_take(pl, VP8_HEAD_LEN);
	if (!h || (h[0] & 1) || h[3] != 0x9D || h[4] != 0x01 || h[5] != 0x2A)
		return fail(w, s->off, SCRUB_E_MALFORMED);
	w->scan->width = ((uint32_t)h[7] << 8 | h[6]) & 0x3FFF;
	w->scan->height = ((uint32_t)h[9] << 8 | h[8]) & 0x3FFF;
	if (w->scan->width == 0 || w->scan->height == 0)
		return fail(w, s->off, SCRUB_E_MALFORMED);
	return SCRUB_OK;
}

static enum scrub_status on_vp8l(struct walk *w, struct scrub_segment *s, struct scrub_rd *pl)
{
	w->has_image = true;
	if (w->extended || w->in_frame)
		return SCRUB_OK;
	uint8_t sig = scrub_rd_u8(pl);
	uint32_t bits = scrub_rd_le32(pl);
	if (!scrub_rd_ok(pl) || sig != VP8L_SIGNATURE)
		return fail(w, s->off, SCRUB_E_MALFORMED);
	w->scan->width = (bits & 0x3FFF) + 1;
	w->scan->height = (bits >> 14 & 0x3FFF) + 1;
	return SCRUB_OK;
}

/* EXIF payload is a bare TIFF; real files often prefix "Exif\0\0" (LIBRARY-NOTES.md). */
static enum scrub_status on_exif(struct walk *w, struct scrub_segment *s, struct scrub_rd *pl)
{
	const uint8_t *data = pl->base + pl->pos;
	size_t n = scrub_rd_left(pl);
	int o = scrub_orientation_read_exif(data, n);
	if (w->scan->orientation == 0)
		w->scan->orientation = o;
	size_t blen = 0;
	const uint8_t *block = scrub_orientation_block(o, &blen);
	if (block && blen - SCRUB_EXIF_HEADER_LEN == n &&
	    !memcmp(block + SCRUB_EXIF_HEADER_LEN, data, n)) {
		s->kind = SCRUB_KIND_ORIENTATION;
		s->payload = SCRUB_PAYLOAD_NONE; /* its one fact, orientation, is the scan's */
		s->keep = w->pol->keep_orientation;
		snprintf(s->label, sizeof s->label, "EXIF orientation");
	}
	return SCRUB_OK;
}

/* A profile that is not valid goes, and VP8X loses its ICC flag (SPEC.md section 2). */
static enum scrub_status on_iccp(struct walk *w, struct scrub_segment *s, struct scrub_rd *pl)
{
	(void)w;
	if (!scrub_icc_valid(pl->base + pl->pos, scrub_rd_left(pl))) {
		s->keep = false;
		snprintf(s->label, sizeof s->label, "ICCP invalid");
	}
	return SCRUB_OK;
}

static const struct chunk_rule *find_rule(const uint8_t *fourcc)
{
	for (size_t i = 0; i < sizeof chunk_rules / sizeof chunk_rules[0]; i++)
		if (!memcmp(chunk_rules[i].fourcc, fourcc, 4))
			return &chunk_rules[i];
	return NULL;
}

/* Report label for a chunk nobody listed: its printable fourcc, "LIST INFO" for RIFF info lists. */
static void unknown_label(char *label, size_t size, const uint8_t *fourcc, struct scrub_rd *pl)
{
	char cc[5];
	for (int i = 0; i < 4; i++)
		cc[i] = fourcc[i] >= 0x20 && fourcc[i] < 0x7F ? (char)fourcc[i] : '?';
	cc[4] = '\0';
	if (!memcmp(fourcc, "LIST", 4) && scrub_rd_peek_eq(pl, "INFO", 4))
		snprintf(label, size, "LIST INFO");
	else
		snprintf(label, size, "%s", cc);
}

/*
 * Reads one chunk header at rd and a child reader over its payload; the
 * pad byte of an odd size must fit in the parent too (RFC 9649 section 2.4).
 */
static enum scrub_status read_chunk(struct walk *w, struct scrub_rd *rd, const uint8_t **fourcc,
				    struct scrub_rd *payload)
{
	size_t start = rd->pos;
	*fourcc = scrub_rd_take(rd, 4);
	uint32_t size = scrub_rd_le32(rd);
	if (!*fourcc || !scrub_rd_ok(rd))
		return fail(w, start, SCRUB_E_MALFORMED);
	if (!scrub_rd_sub(rd, size, payload) || !scrub_rd_skip(rd, size & 1u))
		return fail(w, start, SCRUB_E_MALFORMED);
	return SCRUB_OK;
}

static enum scrub_status walk_chunks(struct walk *w, struct scrub_rd *rd, size_t base);

/* ANMF: frame header, then its own chunks, walked so unknown ones can go. */
static enum scrub_status on_anmf(struct walk *w, struct scrub_segment *s, struct scrub_rd *pl)
{
	if (!scrub_rd_skip(pl, ANMF_HEAD_LEN))
		return fail(w, s->off, SCRUB_E_MALFORMED);
	/* The ANMF segment covers header and frame header; sub-chunks follow as segments. */
	s->len = CHUNK_HEAD_LEN + ANMF_HEAD_LEN;
	w->has_image = true;
	size_t base = s->data_off; /* s dangles once walk_chunks adds segments */
	struct scrub_rd sub;
	scrub_rd_init(&sub, pl->base, pl->len);
	scrub_rd_seek(&sub, ANMF_HEAD_LEN);
	w->in_frame = true;
	enum scrub_status st = walk_chunks(w, &sub, base);
	w->in_frame = false;
	return st;
}

/* Classifies segment s; the handler runs last because it may move the segment array. */
static enum scrub_status classify(struct walk *w, struct scrub_segment *s, const uint8_t *fourcc,
				  struct scrub_rd *pl)
{
	const struct chunk_rule *rule = find_rule(fourcc);
	s->data_off = s->off + CHUNK_HEAD_LEN;
	s->data_len = pl->len;
	if (!rule) {
		unknown_label(s->label, sizeof s->label, fourcc, pl);
		/* RIFF INFO: artist, copyright, dates and titles as text sub-chunks. */
		if (!memcmp(fourcc, "LIST", 4) && scrub_rd_peek_eq(pl, "INFO", 4)) {
			s->kind = SCRUB_KIND_TEXT;
			s->payload = SCRUB_PAYLOAD_RIFF_INFO;
			s->data_off += 4;
			s->data_len -= 4;
		}
		return SCRUB_OK;
	}
	s->kind = rule->kind;
	s->payload = rule->payload;
	if (w->in_frame && !rule->in_frame) {
		/* Metadata hidden in a frame goes; ANIM/ANMF/VP8X there are not allowed. */
		if (rule->kind == SCRUB_KIND_IMAGE)
			return fail(w, s->off, SCRUB_E_MALFORMED);
		snprintf(s->label, sizeof s->label, "ANMF %.4s", (const char *)fourcc);
		return SCRUB_OK;
	}
	s->keep = rule->kind == SCRUB_KIND_IMAGE || (rule->kind == SCRUB_KIND_ICC && w->pol->keep_icc);
	return rule->fn ? rule->fn(w, s, pl) : SCRUB_OK;
}

/* Walks the chunks in rd, whose offset 0 is input offset base. */
static enum scrub_status walk_chunks(struct walk *w, struct scrub_rd *rd, size_t base)
{
	while (scrub_rd_left(rd)) {
		size_t start = base + rd->pos;
		const uint8_t *fourcc;
		struct scrub_rd pl;
		enum scrub_status st = read_chunk(w, rd, &fourcc, &pl);
		if (st != SCRUB_OK) {
			w->scan->fail_off = base + w->scan->fail_off;
			return st;
		}
		char label[8];
		snprintf(label, sizeof label, "%.4s", (const char *)fourcc);
		struct scrub_segment *s = scrub_scan_add(w->scan, start, base + rd->pos - start,
							 SCRUB_KIND_UNKNOWN, false, label);
		if (!s)
			return fail(w, start, SCRUB_E_LIMIT);
		/* The first chunk decides simple or extended (RFC 9649 section 2.5). */
		if (w->scan->nseg == 2 && memcmp(fourcc, "VP8X", 4) && memcmp(fourcc, "VP8 ", 4) &&
		    memcmp(fourcc, "VP8L", 4))
			return fail(w, start, SCRUB_E_MALFORMED);
		st = classify(w, s, fourcc, &pl);
		if (st != SCRUB_OK)
			return st;
	}
	return SCRUB_OK;
}

static enum scrub_status webp_scan(const uint8_t *p, size_t n, const struct scrub_policy *pol,
				   struct scrub_scan *scan)
{
	struct walk w = { .pol = pol, .scan = scan };
	if (!webp_sniff(p, n))
		return SCRUB_E_NOT_IMAGE;
	scrub_rd_init(&w.rd, p, n);
	scrub_rd_skip(&w.rd, 4);
	uint32_t size = scrub_rd_le32(&w.rd);
	/* The RIFF size counts "WEBP" and the chunks; it may not exceed the file. */
	if (size < 4 || size > n - CHUNK_HEAD_LEN)
		return fail(&w, 4, size < 4 ? SCRUB_E_MALFORMED : SCRUB_E_TRUNCATED);
	if (!scrub_scan_add(scan, 0, RIFF_HEAD_LEN, SCRUB_KIND_IMAGE, true, "RIFF WEBP"))
		return fail(&w, 0, SCRUB_E_LIMIT);
	struct scrub_rd body;
	scrub_rd_init(&body, p, CHUNK_HEAD_LEN + (size_t)size);
	scrub_rd_seek(&body, RIFF_HEAD_LEN);
	enum scrub_status st = walk_chunks(&w, &body, 0);
	if (st != SCRUB_OK)
		return st;
	if (!w.has_image)
		return fail(&w, RIFF_HEAD_LEN, SCRUB_E_MALFORMED);
	size_t end = CHUNK_HEAD_LEN + (size_t)size;
	if (end < n) {
		struct scrub_segment *s = scrub_scan_add(scan, end, n - end, SCRUB_KIND_TRAILER,
							 false, "trailer data");
		if (!s)
			return fail(&w, end, SCRUB_E_LIMIT);
		s->data_len = n - end;
	}
	return SCRUB_OK;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put_le24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
}

static bool is_cc(const uint8_t *p, const struct scrub_segment *s, const char *cc)
{
	return s->len >= 4 && !memcmp(p + s->off, cc, 4);
}

/* What the output will hold; computed before anything is emitted. */
struct layout {
	bool extended;
	uint8_t flags;
	const uint8_t *tiff; /* orientation EXIF payload, or NULL */
	size_t tlen;
	size_t body;         /* bytes after "WEBP" */
};

/* Alpha is a property of the image, not metadata: the old flag (or the VP8L bit) stays. */
static bool alpha_flag(const uint8_t *p, const struct scrub_scan *scan, size_t vp8x)
{
	if (vp8x)
		return p[scan->seg[vp8x].data_off] & FLAG_ALPHA;
	for (size_t i = 1; i < scan->nseg; i++) {
		const struct scrub_segment *s = &scan->seg[i];
		if (is_cc(p, s, "VP8L") && s->data_len >= 5)
			return p[s->data_off + 4] >> (VP8L_ALPHA_BIT - 24) & 1;
	}
	return false;
}

static void plan_layout(const uint8_t *p, const struct scrub_scan *scan,
			const struct scrub_policy *pol, struct layout *lay)
{
	size_t vp8x = scan->nseg > 1 && is_cc(p, &scan->seg[1], "VP8X") ? 1 : 0;
	size_t blen = 0;
	const uint8_t *block = scrub_orientation_block(pol->keep_orientation ? scan->orientation : 0,
						       &blen);
	*lay = (struct layout){ .extended = vp8x != 0, .body = 4 };
	if (block) {
		lay->tiff = block + SCRUB_EXIF_HEADER_LEN;
		lay->tlen = blen - SCRUB_EXIF_HEADER_LEN;
		lay->flags |= FLAG_EXIF;
		lay->extended = true;
		lay->body += CHUNK_HEAD_LEN + lay->tlen + (lay->tlen & 1u);
	}
	for (size_t i = 1; i < scan->nseg; i++) {
		const struct scrub_segment *s = &scan->seg[i];
		if (!s->keep || i == vp8x || s->kind == SCRUB_KIND_ORIENTATION)
			continue;
		lay->body += s->len;
		if (s->kind == SCRUB_KIND_ICC) {
			lay->flags |= FLAG_ICC;
			lay->extended = true;
		}
		if (is_cc(p, s, "ANIM") || is_cc(p, s, "ANMF"))
			lay->flags |= FLAG_ANIM;
	}
	if (alpha_flag(p, scan, vp8x))
		lay->flags |= FLAG_ALPHA;
	if (lay->extended)
		lay->body += CHUNK_HEAD_LEN + VP8X_LEN;
}

static enum scrub_status emit_head(const struct scrub_scan *scan, const struct layout *lay,
				   struct scrub_plan *plan)
{
	uint8_t *h = scrub_plan_scratch(plan, RIFF_HEAD_LEN);
	if (!h)
		return SCRUB_E_LIMIT;
	memcpy(h, "RIFF", 4);
	put_le32(h + 4, (uint32_t)lay->body);
	memcpy(h + 8, "WEBP", 4);
	enum scrub_status st = scrub_plan_add(plan, h, RIFF_HEAD_LEN);
	if (st != SCRUB_OK || !lay->extended)
		return st;
	uint8_t *x = scrub_plan_scratch(plan, CHUNK_HEAD_LEN + VP8X_LEN);
	if (!x)
		return SCRUB_E_LIMIT;
	memset(x, 0, CHUNK_HEAD_LEN + VP8X_LEN);
	memcpy(x, "VP8X", 4);
	put_le32(x + 4, VP8X_LEN);
	x[8] = lay->flags;
	put_le24(x + 12, scan->width - 1);
	put_le24(x + 15, scan->height - 1);
	return scrub_plan_add(plan, x, CHUNK_HEAD_LEN + VP8X_LEN);
}

/*
 * ANMF header, resized when some chunk inside the frame goes. A rewritten
 * header costs 8 bytes of plan scratch, so an animation with more than
 * about a hundred junk-carrying frames is refused (SCRUB_E_LIMIT) rather
 * than left with its junk; untouched frames are copied from the input.
 */
static enum scrub_status emit_anmf(const uint8_t *p, const struct scrub_scan *scan, size_t i,
				   struct scrub_plan *plan)
{
	const struct scrub_segment *a = &scan->seg[i];
	size_t end = a->data_off + a->data_len, kept = ANMF_HEAD_LEN;
	bool dropped = false;
	for (size_t j = i + 1; j < scan->nseg && scan->seg[j].off < end; j++) {
		if (scan->seg[j].keep)
			kept += scan->seg[j].len;
		else
			dropped = true;
	}
	if (!dropped)
		return scrub_plan_add(plan, p + a->off, a->len);
	uint8_t *h = scrub_plan_scratch(plan, CHUNK_HEAD_LEN);
	if (!h)
		return SCRUB_E_LIMIT;
	memcpy(h, "ANMF", 4);
	put_le32(h + 4, (uint32_t)kept);
	enum scrub_status st = scrub_plan_add(plan, h, CHUNK_HEAD_LEN);
	return st == SCRUB_OK ? scrub_plan_add(plan, p + a->data_off, ANMF_HEAD_LEN) : st;
}

/* Minimal EXIF chunk at the end, where RFC 9649 section 2.7 puts metadata. */
static enum scrub_status emit_orientation(const struct layout *lay, struct scrub_plan *plan)
{
	if (!lay->tiff)
		return SCRUB_OK;
	uint8_t *h = scrub_plan_scratch(plan, CHUNK_HEAD_LEN + 1);
	if (!h)
		return SCRUB_E_LIMIT;
	memcpy(h, "EXIF", 4);
	put_le32(h + 4, (uint32_t)lay->tlen);
	h[CHUNK_HEAD_LEN] = 0;
	enum scrub_status st = scrub_plan_add(plan, h, CHUNK_HEAD_LEN);
	if (st == SCRUB_OK)
		st = scrub_plan_add(plan, lay->tiff, lay->tlen);
	return st == SCRUB_OK ? scrub_plan_add(plan, h + CHUNK_HEAD_LEN, lay->tlen & 1u) : st;
}

static enum scrub_status webp_strip(const uint8_t *p, size_t n, const struct scrub_scan *scan,
				    const struct scrub_policy *pol, struct scrub_plan *plan)
{
	(void)n;
	struct layout lay;
	plan_layout(p, scan, pol, &lay);
	int o = pol->keep_orientation ? scan->orientation : 0;
	if (o >= 2 && o <= 8 && !lay.tiff)
		return SCRUB_E_NOMEM; /* the orientation block could not be built */
	if (lay.body > UINT32_MAX - CHUNK_HEAD_LEN)
		return SCRUB_E_LIMIT;
	enum scrub_status st = emit_head(scan, &lay, plan);
	for (size_t i = 1; i < scan->nseg && st == SCRUB_OK; i++) {
		const struct scrub_segment *s = &scan->seg[i];
		if (!s->keep || s->kind == SCRUB_KIND_ORIENTATION || is_cc(p, s, "VP8X"))
			continue;
		if (is_cc(p, s, "ANMF"))
			st = emit_anmf(p, scan, i, plan);
		else
			st = scrub_plan_add(plan, p + s->off, s->len);
	}
	return st == SCRUB_OK ? emit_orientation(&lay, plan) : st;
}

const struct scrub_backend scrub_backend_webp = {
	.name = "webp",
	.display = "WebP",
	.sniff = webp_sniff,
	.scan = webp_scan,
	.strip = webp_strip,
	.decode = scrub_webp_decode,
	.probe = scrub_webp_probe,
	.orient = scrub_webp_orient,
};
