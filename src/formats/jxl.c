/*
 * JPEG XL backend (ISO/IEC 18181-2; FORMATS-NOTES.md section 3). A bare
 * codestream (FF 0A) holds nothing but the image, so it is clean as it is.
 * The container is a run of ISOBMFF-style boxes: a size (u32 big-endian,
 * header included; 1: a u64 size follows the type, 0: to the end of the
 * file), then a 4-byte type. "JXL " (12 bytes) comes first and "ftyp"
 * second; the codestream is one jxlc box or jxlp parts, each starting with
 * a u32 index whose top bit marks the last part, in order.
 *
 * Kept: JXL , ftyp, jxll, jxlc, jxlp, byte for byte and in order. Removed:
 * Exif, xml , jumb, brob (whatever it wraps), jbrd (the JPEG reconstruction
 * data, which holds the original JPEG's comments and IPTC), jxli (a frame
 * index: display does not need it, libjxl 0.7 does not read it, and bytes
 * past its entries could hide anything), every other box, and bytes after a
 * complete codestream that do not make a box. Orientation and ICC live in
 * the codestream and stay; no EXIF orientation block is ever written here.
 */
#include <stdio.h>
#include <string.h>

#include "formats/codec.h"
#include "formats/format.h"

#define SIGNATURE_LEN 12u /* 00 00 00 0C "JXL " 0D 0A 87 0A */
#define BOX_HEAD_LEN 8u
#define LARGE_HEAD_LEN 16u
#define PART_INDEX_LEN 4u  /* jxlp: index, top bit = last part */
#define EXIF_OFFSET_LEN 4u /* Exif box: offset of the TIFF header after this field */
#define HEAD_BYTES 16u     /* codestream bytes that always hold the SizeHeader */

static const uint8_t signature[SIGNATURE_LEN] = { 0, 0, 0, 0x0C, 'J', 'X', 'L', ' ',
						  0x0D, 0x0A, 0x87, 0x0A };

struct walk {
	struct scrub_rd rd;
	struct scrub_scan *scan;
	size_t nbox;
	bool jxlc;
	uint32_t parts;            /* jxlp parts seen */
	bool done;                 /* codestream complete: jxlc, or the last jxlp part */
	uint8_t head[HEAD_BYTES];  /* first codestream bytes, for the image size */
	size_t nhead;
};

struct box {
	size_t off;
	size_t len;  /* whole box */
	size_t data; /* payload offset */
	const uint8_t *type;
};

static bool jxl_sniff(const uint8_t *p, size_t n)
{
	return (n >= 2 && p[0] == 0xFF && p[1] == 0x0A) ||
	       (n >= SIGNATURE_LEN && !memcmp(p, signature, SIGNATURE_LEN));
}

static enum scrub_status fail(struct walk *w, size_t off, enum scrub_status st, const char *why)
{
	w->scan->fail_off = off;
	w->scan->fail_why = why;
	return st;
}

/* --- image size from the codestream's SizeHeader (ISO/IEC 18181-1, A.3.1) --- */

struct bits {
	const uint8_t *p;
	size_t n;
	size_t pos; /* in bits, least significant bit of each byte first */
	bool ok;
};

static uint32_t get_bits(struct bits *b, unsigned k)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < k; i++, b->pos++) {
		if (b->pos / 8 >= b->n) {
			b->ok = false;
			return 0;
		}
		v |= (uint32_t)(b->p[b->pos / 8] >> (b->pos % 8) & 1u) << i;
	}
	return v;
}

/* A dimension: 5 bits of eighths when small, else U32(9, 13, 18, 30 bits) + 1. */
static uint32_t get_dim(struct bits *b, bool small)
{
	static const unsigned widths[4] = { 9, 13, 18, 30 };
	if (small)
		return (get_bits(b, 5) + 1) * 8;
	return get_bits(b, widths[get_bits(b, 2)]) + 1;
}

/* Width and height from the first codestream bytes; left 0 when they are too few. */
static void read_size(const uint8_t *p, size_t n, struct scrub_scan *scan)
{
	static const uint32_t ratio[8][2] = { { 0, 0 }, { 1, 1 }, { 12, 10 }, { 4, 3 },
					      { 3, 2 }, { 16, 9 }, { 5, 4 }, { 2, 1 } };
	struct bits b = { .p = p, .n = n, .pos = 16, .ok = n >= 2 };
	bool small = get_bits(&b, 1);
	uint32_t h = get_dim(&b, small);
	uint32_t r = get_bits(&b, 3);
	uint64_t w = r ? (uint64_t)h * ratio[r][0] / ratio[r][1] : get_dim(&b, small);
	if (b.ok && w <= UINT32_MAX) {
		scan->width = (uint32_t)w;
		scan->height = h;
	}
}

static void gather_head(struct walk *w, const uint8_t *p, size_t n)
{
	while (n-- && w->nhead < HEAD_BYTES)
		w->head[w->nhead++] = *p++;
}

/* --- boxes ------------------------------------------------------------------- */

/*
 * Reads the box header at rd; *trailer is set instead of failing when the
 * bytes cannot be a box but the codestream is already complete.
 */
static enum scrub_status read_box(struct walk *w, struct box *bx, bool *trailer)
{
	struct scrub_rd *rd = &w->rd;
	bx->off = rd->pos;
	size_t left = scrub_rd_left(rd);
	uint64_t size = scrub_rd_be32(rd);
	bx->type = scrub_rd_take(rd, 4);
	size_t head = BOX_HEAD_LEN;
	if (size == 1) {
		size = ((uint64_t)scrub_rd_be32(rd) << 32) | scrub_rd_be32(rd);
		head = LARGE_HEAD_LEN;
	} else if (size == 0) {
		size = left;
	}
	const char *why = NULL;
	if (!scrub_rd_ok(rd))
		why = "file ends inside a box header";
	else if (size < head)
		why = "box size below its header";
	else if (size > left)
		why = "box runs past the end of the file";
	if (why && w->done) {
		*trailer = true;
		return SCRUB_OK;
	}
	if (why)
		return fail(w, bx->off, size < head && scrub_rd_ok(rd) ? SCRUB_E_MALFORMED
									: SCRUB_E_TRUNCATED, why);
	bx->len = (size_t)size;
	bx->data = bx->off + head;
	scrub_rd_seek(rd, bx->off + bx->len);
	return SCRUB_OK;
}

typedef enum scrub_status (*box_fn)(struct walk *w, const struct box *bx,
				    struct scrub_segment *s);

static enum scrub_status on_ftyp(struct walk *w, const struct box *bx, struct scrub_segment *s)
{
	(void)s;
	if (w->nbox != 1)
		return fail(w, bx->off, SCRUB_E_MALFORMED, "ftyp is not the second box");
	if (bx->len - (bx->data - bx->off) < 4 || memcmp(w->rd.base + bx->data, "jxl ", 4))
		return fail(w, bx->off, SCRUB_E_MALFORMED, "ftyp does not name JPEG XL");
	return SCRUB_OK;
}

static enum scrub_status on_jxlc(struct walk *w, const struct box *bx, struct scrub_segment *s)
{
	(void)s;
	if (w->jxlc || w->parts)
		return fail(w, bx->off, SCRUB_E_MALFORMED, "a second codestream box");
	w->jxlc = w->done = true;
	gather_head(w, w->rd.base + bx->data, bx->off + bx->len - bx->data);
	return SCRUB_OK;
}

static enum scrub_status on_jxlp(struct walk *w, const struct box *bx, struct scrub_segment *s)
{
	(void)s;
	struct scrub_rd pl;
	scrub_rd_init(&pl, w->rd.base + bx->data, bx->off + bx->len - bx->data);
	uint32_t index = scrub_rd_be32(&pl);
	if (!scrub_rd_ok(&pl))
		return fail(w, bx->off, SCRUB_E_MALFORMED, "jxlp box without its index");
	if (w->jxlc || w->done)
		return fail(w, bx->off, SCRUB_E_MALFORMED, "jxlp part after the codestream ended");
	if ((index & 0x7FFFFFFFu) != w->parts)
		return fail(w, bx->off, SCRUB_E_MALFORMED, "jxlp parts out of order");
	w->parts++;
	w->done = index >> 31;
	gather_head(w, pl.base + PART_INDEX_LEN, scrub_rd_left(&pl));
	return SCRUB_OK;
}

/* Exif box: a u32 offset, then (after that many bytes) the TIFF header to describe. */
static enum scrub_status on_exif(struct walk *w, const struct box *bx, struct scrub_segment *s)
{
	size_t n = bx->off + bx->len - bx->data;
	const uint8_t *q = w->rd.base + bx->data;
	uint32_t skip = n < EXIF_OFFSET_LEN ? 0 : (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
							  (uint32_t)q[2] << 8 | q[3];
	if (n < EXIF_OFFSET_LEN || skip > n - EXIF_OFFSET_LEN) {
		s->data_len = 0; /* nothing readable: only the box is reported */
		return SCRUB_OK;
	}
	s->data_off = bx->data + EXIF_OFFSET_LEN + skip;
	s->data_len = n - EXIF_OFFSET_LEN - skip;
	return SCRUB_OK;
}

/* JUMBF describers read the superbox itself, header included. */
static enum scrub_status on_jumb(struct walk *w, const struct box *bx, struct scrub_segment *s)
{
	(void)w;
	s->data_off = bx->off;
	s->data_len = bx->len;
	return SCRUB_OK;
}

/* brob: named after what it wraps (its first four bytes), which goes with it. */
static enum scrub_status on_brob(struct walk *w, const struct box *bx, struct scrub_segment *s)
{
	static const struct { char type[5]; uint8_t kind; } wrapped[] = {
		{ "Exif", SCRUB_KIND_EXIF }, { "xml ", SCRUB_KIND_XMP }, { "jumb", SCRUB_KIND_JUMBF },
	};
	if (s->data_len < 4)
		return SCRUB_OK;
	const uint8_t *t = w->rd.base + bx->data;
	for (size_t i = 0; i < sizeof wrapped / sizeof wrapped[0]; i++)
		if (!memcmp(t, wrapped[i].type, 4))
			s->kind = wrapped[i].kind;
	char type[5];
	for (int i = 0; i < 4; i++)
		type[i] = t[i] >= 0x20 && t[i] < 0x7F ? (char)t[i] : '?';
	type[4] = '\0';
	for (int i = 3; i > 0 && type[i] == ' '; i--) /* "xml " reads as "xml" */
		type[i] = '\0';
	snprintf(s->label, sizeof s->label, "brob %s, compressed", type);
	return SCRUB_OK;
}

struct box_rule {
	char type[5];
	uint8_t kind;    /* enum scrub_kind */
	uint8_t payload; /* enum scrub_payload of the box's data */
	bool keep;
	box_fn fn;
	const char *label;
};

/* FORMATS-NOTES.md section 3: the boxes scrub names; all others go as unknown. */
static const struct box_rule box_rules[] = {
	{ "ftyp", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, true, on_ftyp, "ftyp" },
	{ "jxll", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, true, NULL, "jxll level" },
	{ "jxlc", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, true, on_jxlc, "jxlc codestream" },
	{ "jxlp", SCRUB_KIND_IMAGE, SCRUB_PAYLOAD_NONE, true, on_jxlp, "jxlp codestream part" },
	{ "Exif", SCRUB_KIND_EXIF, SCRUB_PAYLOAD_EXIF, false, on_exif, "Exif" },
	{ "xml ", SCRUB_KIND_XMP, SCRUB_PAYLOAD_XMP, false, NULL, "xml XMP" },
	{ "jumb", SCRUB_KIND_JUMBF, SCRUB_PAYLOAD_JUMBF, false, on_jumb, "jumb JUMBF" },
	{ "brob", SCRUB_KIND_UNKNOWN, SCRUB_PAYLOAD_BROTLI_BOX, false, on_brob, "brob" },
	{ "jbrd", SCRUB_KIND_JPEG_REBUILD, SCRUB_PAYLOAD_NONE, false, NULL, "jbrd JPEG reconstruction" },
	{ "jxli", SCRUB_KIND_UNKNOWN, SCRUB_PAYLOAD_NONE, false, NULL, "jxli frame index" },
	{ "jhgm", SCRUB_KIND_UNKNOWN, SCRUB_PAYLOAD_NONE, false, NULL, "jhgm gain map" },
};

static const struct box_rule *find_rule(const uint8_t *type)
{
	for (size_t i = 0; i < sizeof box_rules / sizeof box_rules[0]; i++)
		if (!memcmp(box_rules[i].type, type, 4))
			return &box_rules[i];
	return NULL;
}

/* One box: its segment, classified by the rule table (the signature is box 0). */
static enum scrub_status add_box(struct walk *w, const struct box *bx)
{
	const struct box_rule *rule = w->nbox == 0 ? NULL : find_rule(bx->type);
	char label[28];
	if (w->nbox == 0) {
		snprintf(label, sizeof label, "JXL signature");
	} else if (rule) {
		snprintf(label, sizeof label, "%s", rule->label);
	} else {
		snprintf(label, sizeof label, "box ");
		for (int i = 0; i < 4; i++)
			label[4 + i] = bx->type[i] >= 0x20 && bx->type[i] < 0x7F ? (char)bx->type[i] : '?';
		label[8] = '\0';
	}
	bool image = w->nbox == 0 || (rule && rule->keep);
	struct scrub_segment *s = scrub_scan_add(w->scan, bx->off, bx->len,
						 rule ? rule->kind : image ? SCRUB_KIND_IMAGE
									   : SCRUB_KIND_UNKNOWN,
						 image, label);
	if (!s)
		return fail(w, bx->off, SCRUB_E_LIMIT, "too many boxes");
	s->payload = rule ? rule->payload : SCRUB_PAYLOAD_NONE;
	s->data_off = bx->data;
	s->data_len = rule && rule->payload ? bx->off + bx->len - bx->data : 0;
	enum scrub_status st = rule && rule->fn ? rule->fn(w, bx, s) : SCRUB_OK;
	if (st == SCRUB_OK && w->nbox == 1 && !(rule && rule->fn == on_ftyp))
		st = fail(w, bx->off, SCRUB_E_MALFORMED, "ftyp is not the second box");
	w->nbox++;
	return st;
}

/* Bytes after the complete codestream that make no box: removed as a trailer. */
static enum scrub_status add_trailer(struct walk *w, size_t off)
{
	size_t n = w->rd.len - off;
	struct scrub_segment *s = scrub_scan_add(w->scan, off, n, SCRUB_KIND_TRAILER, false,
						 "trailer data");
	if (!s)
		return fail(w, off, SCRUB_E_LIMIT, "too many boxes");
	s->payload = SCRUB_PAYLOAD_EMBEDDED_JPEG;
	s->data_len = n;
	return SCRUB_OK;
}

static enum scrub_status walk_container(struct walk *w)
{
	while (scrub_rd_left(&w->rd)) {
		struct box bx;
		bool trailer = false;
		enum scrub_status st = read_box(w, &bx, &trailer);
		if (st == SCRUB_OK && trailer)
			return add_trailer(w, bx.off);
		if (st == SCRUB_OK)
			st = add_box(w, &bx);
		if (st != SCRUB_OK)
			return st;
	}
	if (w->nbox < 2)
		return fail(w, w->rd.pos, SCRUB_E_TRUNCATED, "file ends before the ftyp box");
	if (!w->done)
		return fail(w, w->rd.pos, w->parts ? SCRUB_E_TRUNCATED : SCRUB_E_MALFORMED,
			    w->parts ? "codestream parts end without the last one" : "no codestream box");
	return SCRUB_OK;
}

static enum scrub_status jxl_scan(const uint8_t *p, size_t n, const struct scrub_policy *pol,
				  struct scrub_scan *scan)
{
	(void)pol; /* nothing here depends on it: ICC and orientation are in the codestream */
	struct walk w = { .scan = scan };
	if (!jxl_sniff(p, n))
		return SCRUB_E_NOT_IMAGE;
	scrub_rd_init(&w.rd, p, n);
	if (p[0] == 0xFF) { /* bare codestream */
		read_size(p, n, scan);
		if (!scrub_scan_add(scan, 0, n, SCRUB_KIND_IMAGE, true, "JPEG XL codestream"))
			return fail(&w, 0, SCRUB_E_LIMIT, "too many boxes");
		return SCRUB_OK;
	}
	enum scrub_status st = walk_container(&w);
	if (st == SCRUB_OK)
		read_size(w.head, w.nhead, scan);
	return st;
}

static enum scrub_status jxl_strip(const uint8_t *p, size_t n, const struct scrub_scan *scan,
				   const struct scrub_policy *pol, struct scrub_plan *plan)
{
	(void)n;
	(void)pol;
	enum scrub_status st = SCRUB_OK;
	for (size_t i = 0; i < scan->nseg && st == SCRUB_OK; i++)
		if (scan->seg[i].keep)
			st = scrub_plan_add(plan, p + scan->seg[i].off, scan->seg[i].len);
	return st;
}

/* Whether segment s is a codestream box, and where its codestream bytes start. */
static bool codestream_box(const uint8_t *p, const struct scrub_segment *s, size_t *skip)
{
	if (s->len < BOX_HEAD_LEN || !s->keep)
		return false;
	bool jxlc = !memcmp(p + s->off + 4, "jxlc", 4), jxlp = !memcmp(p + s->off + 4, "jxlp", 4);
	*skip = (s->data_off - s->off) + (jxlp ? PART_INDEX_LEN : 0);
	return (jxlc || jxlp) && *skip <= s->len;
}

enum scrub_status scrub_jxl_codestream(const uint8_t *p, size_t n, struct scrub_buf *joined,
				       const uint8_t **cs, size_t *len)
{
	struct scrub_scan scan;
	scrub_scan_init(&scan);
	struct scrub_policy pol = scrub_policy_default();
	enum scrub_status st = jxl_scan(p, n, &pol, &scan);
	*cs = st == SCRUB_OK && p[0] == 0xFF ? p : NULL; /* bare: the file itself */
	*len = *cs ? n : 0;
	size_t parts = 0, skip = 0;
	for (size_t i = 0; st == SCRUB_OK && !(*cs && p[0] == 0xFF) && i < scan.nseg; i++) {
		const struct scrub_segment *s = &scan.seg[i];
		if (!codestream_box(p, s, &skip))
			continue;
		if (parts++ == 0) { /* one part needs no copy */
			*cs = p + s->off + skip;
			*len = s->len - skip;
			continue;
		}
		if (parts == 2)
			st = scrub_buf_append(joined, *cs, *len);
		if (st == SCRUB_OK)
			st = scrub_buf_append(joined, p + s->off + skip, s->len - skip);
		*cs = joined->data;
		*len = joined->len;
	}
	scrub_scan_free(&scan);
	return st == SCRUB_OK && !*cs ? SCRUB_E_MALFORMED : st;
}

const struct scrub_backend scrub_backend_jxl = {
	.name = "jxl",
	.display = "JPEG XL",
	.sniff = jxl_sniff,
	.scan = jxl_scan,
	.strip = jxl_strip,
	.decode = scrub_jxl_decode,
	.probe = scrub_jxl_probe,
};
