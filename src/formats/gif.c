/*
 * GIF backend: a block walker for GIF87a and GIF89a (GIF89a specification,
 * CompuServe 1990). After the header (6 bytes) and the Logical Screen
 * Descriptor (7 bytes, section 18) with its optional global colour table
 * (section 19), the file is a run of blocks named by their first byte:
 * 0x21 an extension (label, then data sub-blocks), 0x2C an image (a 10-byte
 * descriptor, section 20, an optional local colour table, the LZW minimum
 * code size and data sub-blocks, section 22), 0x3B the trailer (section 27).
 * Data sub-blocks (section 15) are a length byte 1..255 and that many bytes;
 * a 0 byte ends them. Every length is checked against what remains.
 *
 * Kept (SPEC.md section 2): header, screen descriptor, colour tables,
 * graphic control extensions, images with their LZW data as they are, the
 * NETSCAPE2.0 / ANIMEXTS1.0 loop count, ICCRGBG1012 under the ICC policy,
 * the trailer. Everything else goes: comments, plain text, every other
 * application or extension, bytes after the trailer. A kept extension with
 * sub-blocks beyond its standard part is split into ranges, so the extra
 * bytes go and the rest is copied: the strip only lists input ranges and
 * never writes a byte of its own, so a clean file plans to its input.
 */
#include <stdio.h>
#include <string.h>

#include "formats/codec.h"
#include "formats/format.h"
#include "formats/icc_check.h"

#define HEADER_LEN 6u
#define SCREEN_END 13u        /* header + logical screen descriptor (section 18) */
#define DESCRIPTOR_LEN 10u    /* section 20, separator included */
#define GCE_DATA_LEN 4u       /* section 23: packed, delay (LE 16), transparent index */
#define APP_ID_LEN 11u        /* section 26: identifier (8) and authentication code (3) */
#define LOOP_BLOCK_LEN 3u     /* NETSCAPE2.0 sub-block: id 1, loop count (LE 16) */
#define MAX_LZW_CODE_SIZE 11u /* codes grow to 12 bits, one more than this (section 22) */
#define MAX_FRAMES 65536u
/* An XMP packet in GIF ends with 0x01, 0xFF down to 0x00 (XMP part 3, GIF). */
#define XMP_LANDING_ZONE 257u

struct walk {
	struct scrub_rd rd;
	const struct scrub_policy *pol;
	struct scrub_scan *scan;
	unsigned frames;
	size_t block;      /* offset of the block being walked */
	size_t gce_first;  /* first segment of the GCE awaiting its graphic block, + 1; 0: none */
	size_t gce_last;   /* one past its last segment */
	size_t text_first; /* the same for a GCE whose graphic block was a plain text */
	size_t text_last;
};

static bool gif_sniff(const uint8_t *p, size_t n)
{
	return n >= HEADER_LEN && !memcmp(p, "GIF8", 4);
}

static enum scrub_status fail(struct walk *w, size_t off, enum scrub_status st, const char *why)
{
	w->scan->fail_off = off;
	w->scan->fail_why = why;
	return st;
}

/*
 * Adds [from, to) as a segment, or grows the previous one when it is part
 * of the same block, ends at from and has the same kind, fate and label (a
 * kept extension split in ranges whose extra part was empty).
 */
static enum scrub_status add_range(struct walk *w, size_t from, size_t to, enum scrub_kind kind,
				   bool keep, const char *label)
{
	struct scrub_scan *scan = w->scan;
	if (from == to)
		return SCRUB_OK;
	if (scan->nseg) {
		struct scrub_segment *last = &scan->seg[scan->nseg - 1];
		if (last->off >= w->block && last->off + last->len == from && last->kind == kind &&
		    last->keep == keep && !strcmp(last->label, label)) {
			last->len = to - last->off;
			return SCRUB_OK;
		}
	}
	if (!scrub_scan_add(scan, from, to - from, kind, keep, label))
		return fail(w, from, SCRUB_E_LIMIT, "too many blocks");
	return SCRUB_OK;
}

/* The segment just added, to set its payload. */
static struct scrub_segment *last_seg(struct walk *w)
{
	return &w->scan->seg[w->scan->nseg - 1];
}

/* Moves past data sub-blocks and their terminator; false when one runs past the end. */
static bool skip_sub_blocks(struct scrub_rd *rd)
{
	for (;;) {
		int n = scrub_rd_peek(rd, 0);
		if (n < 0 || !scrub_rd_skip(rd, 1 + (size_t)n))
			return false;
		if (n == 0)
			return true;
	}
}

static enum scrub_status sub_blocks_or_fail(struct walk *w, size_t off)
{
	if (!skip_sub_blocks(&w->rd))
		return fail(w, off, SCRUB_E_TRUNCATED, "a data sub-block runs past the end of the file");
	return SCRUB_OK;
}

/* Length of the colour table a packed byte announces (sections 18, 20), 0 for none. */
static size_t colour_table_len(uint8_t packed)
{
	return packed & 0x80 ? (size_t)3 << ((packed & 7) + 1) : 0;
}

static enum scrub_status walk_screen(struct walk *w)
{
	const uint8_t *h = scrub_rd_take(&w->rd, SCREEN_END);
	if (!h)
		return fail(w, 0, SCRUB_E_TRUNCATED, "file ends inside the logical screen descriptor");
	if (memcmp(h, "GIF87a", HEADER_LEN) && memcmp(h, "GIF89a", HEADER_LEN))
		return fail(w, 0, SCRUB_E_MALFORMED, "not a GIF87a or GIF89a header");
	w->scan->width = (uint32_t)h[6] | (uint32_t)h[7] << 8;
	w->scan->height = (uint32_t)h[8] | (uint32_t)h[9] << 8;
	if (!scrub_rd_skip(&w->rd, colour_table_len(h[10])))
		return fail(w, SCREEN_END, SCRUB_E_TRUNCATED, "file ends inside the global colour table");
	char label[24];
	snprintf(label, sizeof label, "GIF%.3s screen", (const char *)h + 3);
	return add_range(w, 0, w->rd.pos, SCRUB_KIND_IMAGE, true, label);
}

static enum scrub_status walk_image(struct walk *w, size_t off)
{
	const uint8_t *d = scrub_rd_take(&w->rd, DESCRIPTOR_LEN);
	if (!d)
		return fail(w, off, SCRUB_E_TRUNCATED, "file ends inside an image descriptor");
	if (!scrub_rd_skip(&w->rd, colour_table_len(d[9])))
		return fail(w, off, SCRUB_E_TRUNCATED, "file ends inside a local colour table");
	int code_size = scrub_rd_peek(&w->rd, 0);
	if (code_size < 0)
		return fail(w, w->rd.pos, SCRUB_E_TRUNCATED, "file ends before the image data");
	if (code_size < 1 || code_size > (int)MAX_LZW_CODE_SIZE)
		return fail(w, w->rd.pos, SCRUB_E_MALFORMED, "LZW minimum code size out of range");
	scrub_rd_skip(&w->rd, 1);
	enum scrub_status st = sub_blocks_or_fail(w, off);
	if (st != SCRUB_OK)
		return st;
	if (++w->frames > MAX_FRAMES)
		return fail(w, off, SCRUB_E_LIMIT, "too many frames");
	/* This image is what any waiting graphic control extension applied to. */
	w->gce_first = w->text_first = 0;
	return add_range(w, off, w->rd.pos, SCRUB_KIND_IMAGE, true, "image");
}

/* The four data bytes of the GCE whose first segment is index first - 1. */
static const uint8_t *gce_data(const struct walk *w, size_t first)
{
	return w->rd.base + w->scan->seg[first - 1].off + 3;
}

/* The GCE that only scoped a removed plain text goes, as part of that text. */
static void drop_text_gce(struct walk *w)
{
	for (size_t i = w->text_first - 1; i < w->text_last; i++) {
		struct scrub_segment *s = &w->scan->seg[i];
		s->keep = false;
		s->kind = SCRUB_KIND_TEXT;
		snprintf(s->label, sizeof s->label, "plain text control");
	}
	w->text_first = 0;
}

/*
 * A GCE scopes the next graphic rendering block (section 23). One whose
 * block was a removed plain text goes only when this GCE, before the next
 * image, says the same: giflib applies the first GCE before an image, and
 * browsers and Pillow keep a transparency index from an earlier one, so a
 * differing GCE stays and every decoder sees the timing it saw before.
 */
static void settle_text_gce(struct walk *w, size_t first)
{
	if (w->text_first && !memcmp(gce_data(w, w->text_first), gce_data(w, first), GCE_DATA_LEN))
		drop_text_gce(w);
	w->text_first = 0;
}

/*
 * Keeps [off, std_end) and the terminator of an extension whose standard
 * part ends at std_end (rd there); sub-blocks in between go as extra.
 */
static enum scrub_status keep_standard_part(struct walk *w, size_t off, size_t std_end,
					    const char *label, const char *extra)
{
	enum scrub_status st = sub_blocks_or_fail(w, off);
	size_t term = w->rd.pos - 1;
	if (st == SCRUB_OK)
		st = add_range(w, off, std_end, SCRUB_KIND_IMAGE, true, label);
	if (st == SCRUB_OK)
		st = add_range(w, std_end, term, SCRUB_KIND_UNKNOWN, false, extra);
	return st == SCRUB_OK ? add_range(w, term, term + 1, SCRUB_KIND_IMAGE, true, label) : st;
}

/* Graphic control (0xF9): one 4-byte sub-block (section 23), kept. */
static enum scrub_status on_gce(struct walk *w, size_t off)
{
	if (scrub_rd_peek(&w->rd, 0) != (int)GCE_DATA_LEN)
		return fail(w, off, scrub_rd_left(&w->rd) ? SCRUB_E_MALFORMED : SCRUB_E_TRUNCATED,
			    "graphic control extension is not 4 bytes");
	if (!scrub_rd_skip(&w->rd, 1 + GCE_DATA_LEN))
		return fail(w, off, SCRUB_E_TRUNCATED, "file ends inside a graphic control extension");
	size_t first = w->scan->nseg + 1;
	enum scrub_status st = keep_standard_part(w, off, w->rd.pos, "graphic control",
						  "graphic control extra data");
	if (st != SCRUB_OK)
		return st;
	settle_text_gce(w, first);
	w->gce_first = first;
	w->gce_last = w->scan->nseg;
	return SCRUB_OK;
}

static enum scrub_status on_comment(struct walk *w, size_t off)
{
	enum scrub_status st = sub_blocks_or_fail(w, off);
	if (st == SCRUB_OK)
		st = add_range(w, off, w->rd.pos, SCRUB_KIND_COMMENT, false, "comment");
	if (st == SCRUB_OK) {
		struct scrub_segment *s = last_seg(w);
		s->payload = SCRUB_PAYLOAD_COMMENT | SCRUB_PAYLOAD_GIF_BLOCKS;
		s->data_off = off + 2;
		s->data_len = w->rd.pos - s->data_off;
	}
	return st;
}

/* Plain text (0x01, section 25): a 12-byte text grid, then the text; removed. */
static enum scrub_status on_plain_text(struct walk *w, size_t off)
{
	int grid = scrub_rd_peek(&w->rd, 0);
	enum scrub_status st = sub_blocks_or_fail(w, off);
	if (st != SCRUB_OK)
		return st;
	if (!scrub_scan_add(w->scan, off, w->rd.pos - off, SCRUB_KIND_TEXT, false, "plain text"))
		return fail(w, off, SCRUB_E_LIMIT, "too many blocks");
	struct scrub_segment *s = last_seg(w);
	s->payload = SCRUB_PAYLOAD_PLAIN_TEXT | SCRUB_PAYLOAD_GIF_BLOCKS;
	s->data_off = off + 2 + (grid > 0 ? 1 + (size_t)grid : 0);
	s->data_len = w->rd.pos - s->data_off;
	if (w->gce_first) { /* the waiting GCE scoped this text */
		w->text_first = w->gce_first;
		w->text_last = w->gce_last;
		w->gce_first = 0;
	}
	return SCRUB_OK;
}

/* Any other extension label: nothing a decoder needs (section 24 lists no others). */
static enum scrub_status on_unknown_extension(struct walk *w, size_t off)
{
	enum scrub_status st = sub_blocks_or_fail(w, off);
	char label[24];
	snprintf(label, sizeof label, "extension 0x%02X", w->rd.base[off + 1]);
	return st == SCRUB_OK ? add_range(w, off, w->rd.pos, SCRUB_KIND_UNKNOWN, false, label) : st;
}

/*
 * NETSCAPE2.0 / ANIMEXTS1.0: the loop count is a data sub-block 03 01 lo hi;
 * that one stays with the identifier and terminator, other sub-blocks (a
 * buffering hint, anything hidden) go. Without it the extension goes.
 */
static enum scrub_status on_loop(struct walk *w, size_t off, const char *label)
{
	size_t id_end = w->rd.pos, loop = 0;
	struct scrub_rd look = w->rd;
	int n;
	while ((n = scrub_rd_peek(&look, 0)) > 0) {
		if (!loop && n == (int)LOOP_BLOCK_LEN && scrub_rd_peek(&look, 1) == 1)
			loop = look.pos;
		if (!scrub_rd_skip(&look, 1 + (size_t)n))
			break;
	}
	if (!loop) {
		enum scrub_status st = sub_blocks_or_fail(w, off);
		return st == SCRUB_OK ? add_range(w, off, w->rd.pos, SCRUB_KIND_UNKNOWN, false,
						  "loop extension, no count") : st;
	}
	scrub_rd_seek(&w->rd, loop);
	enum scrub_status st = add_range(w, off, id_end, SCRUB_KIND_IMAGE, true, label);
	if (st == SCRUB_OK)
		st = add_range(w, id_end, loop, SCRUB_KIND_UNKNOWN, false, "loop extension extra data");
	scrub_rd_skip(&w->rd, 1 + LOOP_BLOCK_LEN);
	return st == SCRUB_OK ? keep_standard_part(w, loop, w->rd.pos, label,
						   "loop extension extra data") : st;
}

/* Concatenated sub-block bytes from at: the first want bytes into out, the total length. */
static size_t join_prefix(const struct scrub_rd *rd, size_t at, uint8_t *out, size_t want)
{
	size_t total = 0;
	struct scrub_rd r = *rd;
	scrub_rd_seek(&r, at);
	int n;
	while ((n = scrub_rd_peek(&r, 0)) > 0 && scrub_rd_skip(&r, 1)) {
		for (size_t i = 0; i < (size_t)n && total + i < want; i++)
			out[total + i] = (uint8_t)scrub_rd_peek(&r, i);
		if (!scrub_rd_skip(&r, (size_t)n))
			break;
		total += (size_t)n;
	}
	return total;
}

/*
 * SPEC.md section 2: a profile that is not valid is removed; the check is
 * the one every walker shares (formats/icc_check.h), on the sub-blocks joined.
 */
static bool icc_valid(const struct scrub_rd *rd, size_t at)
{
	uint8_t head[SCRUB_ICC_CHECK_LEN];
	size_t total = join_prefix(rd, at, head, sizeof head);
	return scrub_icc_head_valid(head, total < sizeof head ? total : sizeof head, total);
}

/* XMP: raw packet bytes (not sub-blocks), then the landing zone, then 0. */
static size_t xmp_packet_len(const uint8_t *p, size_t from, size_t term)
{
	if (term - from < XMP_LANDING_ZONE)
		return term - from;
	const uint8_t *z = p + term - XMP_LANDING_ZONE;
	if (z[0] != 1)
		return term - from;
	for (size_t i = 1; i < XMP_LANDING_ZONE; i++)
		if (z[i] != (uint8_t)(XMP_LANDING_ZONE - 1 - i))
			return term - from;
	return term - from - XMP_LANDING_ZONE;
}

struct app_rule {
	char ident[APP_ID_LEN + 1];
	size_t match;    /* bytes of ident compared: 8 when any authentication code goes */
	uint8_t kind;    /* enum scrub_kind */
	uint8_t payload; /* enum scrub_payload of the data after the identifier */
	const char *label;
};

/* Application extensions scrub names (FORMATS-NOTES.md section 4); all go but loop and ICC. */
static const struct app_rule app_rules[] = {
	{ "ICCRGBG1012", 11, SCRUB_KIND_ICC, SCRUB_PAYLOAD_ICC | SCRUB_PAYLOAD_GIF_BLOCKS,
	  "ICCRGBG1012 ICC profile" },
	{ "XMP DataXMP", 11, SCRUB_KIND_XMP, SCRUB_PAYLOAD_XMP, "XMP DataXMP" },
	{ "MGKIPTC0000", 11, SCRUB_KIND_IPTC, SCRUB_PAYLOAD_IPTC_IIM | SCRUB_PAYLOAD_GIF_BLOCKS,
	  "MGKIPTC0000 IPTC" },
	{ "MGK8BIM0000", 11, SCRUB_KIND_PHOTOSHOP, SCRUB_PAYLOAD_IRB | SCRUB_PAYLOAD_GIF_BLOCKS,
	  "MGK8BIM0000 Photoshop" },
	/* C2PA 2.1 A.3.4: a JUMBF manifest store in sub-blocks after "C2PA_GIF". */
	{ "C2PA_GIF", 8, SCRUB_KIND_JUMBF, SCRUB_PAYLOAD_JUMBF | SCRUB_PAYLOAD_GIF_BLOCKS,
	  "C2PA_GIF manifest" },
};

/* An application extension that goes: classified by its identifier, payload after it. */
static enum scrub_status app_removed(struct walk *w, size_t off, const uint8_t *id)
{
	const struct app_rule *rule = NULL;
	for (size_t i = 0; i < sizeof app_rules / sizeof app_rules[0]; i++)
		if (id && !memcmp(id, app_rules[i].ident, app_rules[i].match))
			rule = &app_rules[i];
	size_t data = w->rd.pos;
	enum scrub_status st = sub_blocks_or_fail(w, off);
	if (st != SCRUB_OK)
		return st;
	bool icc = rule && rule->kind == SCRUB_KIND_ICC, valid = icc && icc_valid(&w->rd, data);
	bool keep = valid && w->pol->keep_icc;
	char label[28];
	if (!rule)
		snprintf(label, sizeof label, "application %.8s", id ? (const char *)id : "(no name)");
	else
		snprintf(label, sizeof label, "%s", icc && !valid ? "ICCRGBG1012 invalid ICC" : rule->label);
	for (size_t i = 0; !rule && label[i]; i++)
		if ((unsigned char)label[i] < 0x20 || (unsigned char)label[i] > 0x7E)
			label[i] = '?';
	if (!scrub_scan_add(w->scan, off, w->rd.pos - off, rule ? rule->kind : SCRUB_KIND_UNKNOWN,
			    keep, label))
		return fail(w, off, SCRUB_E_LIMIT, "too many blocks");
	struct scrub_segment *s = last_seg(w);
	if (rule) {
		s->payload = rule->payload;
		s->data_off = data;
		s->data_len = w->rd.pos - data;
		if (rule->payload == SCRUB_PAYLOAD_XMP)
			s->data_len = xmp_packet_len(w->rd.base, data, w->rd.pos - 1);
	}
	return SCRUB_OK;
}

/* Application (0xFF, section 26): an 11-byte identifier sub-block, then data. */
static enum scrub_status on_application(struct walk *w, size_t off)
{
	const uint8_t *id = NULL;
	if (scrub_rd_peek(&w->rd, 0) == (int)APP_ID_LEN) {
		scrub_rd_skip(&w->rd, 1);
		id = scrub_rd_take(&w->rd, APP_ID_LEN);
		if (!id)
			return fail(w, off, SCRUB_E_TRUNCATED, "file ends inside an application extension");
	}
	if (id && !memcmp(id, "NETSCAPE2.0", APP_ID_LEN))
		return on_loop(w, off, "NETSCAPE2.0 loop");
	if (id && !memcmp(id, "ANIMEXTS1.0", APP_ID_LEN))
		return on_loop(w, off, "ANIMEXTS1.0 loop");
	return app_removed(w, off, id);
}

typedef enum scrub_status (*extension_fn)(struct walk *w, size_t off);

static const struct {
	uint8_t label;
	extension_fn fn;
} extension_rules[] = {
	{ 0xF9, on_gce },
	{ 0xFE, on_comment },
	{ 0x01, on_plain_text },
	{ 0xFF, on_application },
};

static enum scrub_status walk_extension(struct walk *w, size_t off)
{
	int label = scrub_rd_peek(&w->rd, 1);
	if (label < 0)
		return fail(w, off, SCRUB_E_TRUNCATED, "file ends inside an extension");
	scrub_rd_skip(&w->rd, 2);
	for (size_t i = 0; i < sizeof extension_rules / sizeof extension_rules[0]; i++)
		if (extension_rules[i].label == label)
			return extension_rules[i].fn(w, off);
	return on_unknown_extension(w, off);
}

/* Trailer, then whatever follows it: a removed trailer segment. */
static enum scrub_status walk_trailer(struct walk *w, size_t off)
{
	if (w->text_first) /* no image followed: the GCE scoped only the text */
		drop_text_gce(w);
	if (!w->frames)
		return fail(w, off, SCRUB_E_MALFORMED, "no image before the trailer");
	scrub_rd_skip(&w->rd, 1);
	enum scrub_status st = add_range(w, off, off + 1, SCRUB_KIND_IMAGE, true, "trailer");
	size_t end = w->rd.len;
	if (st != SCRUB_OK || end == off + 1)
		return st;
	if (!scrub_scan_add(w->scan, off + 1, end - off - 1, SCRUB_KIND_TRAILER, false,
			    "trailer data"))
		return fail(w, off + 1, SCRUB_E_LIMIT, "too many blocks");
	struct scrub_segment *s = last_seg(w);
	s->payload = SCRUB_PAYLOAD_EMBEDDED_JPEG;
	s->data_off = off + 1;
	s->data_len = end - off - 1;
	return SCRUB_OK;
}

static enum scrub_status gif_scan(const uint8_t *p, size_t n, const struct scrub_policy *pol,
				  struct scrub_scan *scan)
{
	struct walk w = { .pol = pol, .scan = scan };
	if (!gif_sniff(p, n))
		return SCRUB_E_NOT_IMAGE;
	scrub_rd_init(&w.rd, p, n);
	enum scrub_status st = walk_screen(&w);
	while (st == SCRUB_OK) {
		size_t off = w.block = w.rd.pos;
		switch (scrub_rd_peek(&w.rd, 0)) {
		case 0x21: st = walk_extension(&w, off); break;
		case 0x2C: st = walk_image(&w, off); break;
		case 0x3B: return walk_trailer(&w, off);
		case -1: return fail(&w, off, SCRUB_E_TRUNCATED, "file ends before the trailer");
		default: return fail(&w, off, SCRUB_E_MALFORMED, "no block starts here");
		}
	}
	return st;
}

/* The kept ranges, in order; scrub_plan_add joins the ones that touch. */
static enum scrub_status gif_strip(const uint8_t *p, size_t n, const struct scrub_scan *scan,
				   const struct scrub_policy *pol, struct scrub_plan *plan)
{
	(void)n;
	(void)pol; /* the scan applied it: the ICC extension's keep says it */
	enum scrub_status st = SCRUB_OK;
	for (size_t i = 0; i < scan->nseg && st == SCRUB_OK; i++)
		if (scan->seg[i].keep)
			st = scrub_plan_add(plan, p + scan->seg[i].off, scan->seg[i].len);
	return st;
}

const struct scrub_backend scrub_backend_gif = {
	.name = "gif",
	.display = "GIF",
	.sniff = gif_sniff,
	.scan = gif_scan,
	.strip = gif_strip,
	.decode = scrub_gif_decode,
	.probe = scrub_gif_probe,
};
