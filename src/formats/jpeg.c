/*
 * JPEG backend: a segment walker (ITU T.81 Annex B). Markers are FF xx,
 * optionally preceded by FF fill bytes; most carry a 16-bit big-endian
 * length that counts itself. After SOS the entropy-coded data runs until an
 * FF that is not followed by 00 (stuffing) or D0..D7 (RSTn). The walk stops
 * at EOI; whatever follows is a trailer.
 */
#include <stdio.h>
#include <string.h>

#include "formats/codec.h"
#include "formats/format.h"
#include "formats/icc_check.h"
#include "formats/orientation.h"

#define M_SOF0 0xC0
#define M_DHT 0xC4
#define M_JPG 0xC8
#define M_DAC 0xCC
#define M_RST0 0xD0
#define M_RST7 0xD7
#define M_SOI 0xD8
#define M_EOI 0xD9
#define M_SOS 0xDA
#define M_DQT 0xDB
#define M_EXP 0xDF
#define M_APP0 0xE0
#define M_APP15 0xEF
#define M_COM 0xFE
#define M_TEM 0x01

/* JFIF APP0 without thumbnail: length field 16 (JFIF 1.02, section "APP0"). */
#define JFIF_PLAIN_LEN 16
#define JFIF_BODY_LEN 14 /* identifier, version, units, densities, thumb size */

struct app_ident {
	uint8_t marker;
	uint8_t ident_len;
	uint8_t skip;  /* bytes before the payload a describer wants */
	uint8_t kind;
	uint8_t payload; /* enum scrub_payload */
	const char *ident;
	const char *label;
};

/* APPn segments are told apart by the identifier at the start of their data. */
static const struct app_ident app_idents[] = {
	{ 0xE0, 5, 0, SCRUB_KIND_JFIF, SCRUB_PAYLOAD_NONE, "JFIF\0", "APP0 JFIF" },
	{ 0xE0, 5, 5, SCRUB_KIND_THUMBNAIL, SCRUB_PAYLOAD_NONE, "JFXX\0", "APP0 JFXX" },
	{ 0xE1, 5, 6, SCRUB_KIND_EXIF, SCRUB_PAYLOAD_EXIF, "Exif\0", "APP1 Exif" },
	{ 0xE1, 29, 29, SCRUB_KIND_XMP, SCRUB_PAYLOAD_XMP, "http://ns.adobe.com/xap/1.0/\0", "APP1 XMP" },
	{ 0xE1, 35, 35, SCRUB_KIND_XMP, SCRUB_PAYLOAD_XMP_EXTENDED, "http://ns.adobe.com/xmp/extension/\0", "APP1 ExtendedXMP" },
	{ 0xE2, 12, 12, SCRUB_KIND_ICC, SCRUB_PAYLOAD_ICC_PART, "ICC_PROFILE\0", "APP2 ICC_PROFILE" },
	{ 0xE2, 4, 4, SCRUB_KIND_MPF, SCRUB_PAYLOAD_MPF, "MPF\0", "APP2 MPF" },
	{ 0xE2, 5, 5, SCRUB_KIND_FLASHPIX, SCRUB_PAYLOAD_NONE, "FPXR\0", "APP2 FPXR" },
	{ 0xEB, 2, 2, SCRUB_KIND_JUMBF, SCRUB_PAYLOAD_JUMBF, "JP", "APP11 JUMBF" },
	{ 0xED, 14, 14, SCRUB_KIND_PHOTOSHOP, SCRUB_PAYLOAD_IRB, "Photoshop 3.0\0", "APP13 Photoshop" },
	{ 0xEE, 5, 5, SCRUB_KIND_ADOBE, SCRUB_PAYLOAD_NONE, "Adobe", "APP14 Adobe" },
	/*
	 * Makers' segments (identifiers as exiftool's JPEG reader knows them):
	 * named, removed, and decoded where they hold a time, a position or a
	 * serial number. Parrot drones write a plain TIFF with GPS.
	 */
	{ 0xE0, 4, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_NONE, "AVI1", "APP0 AVI1" },
	{ 0xE0, 14, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_NONE, "II\x1a\0\0\0HEAPJPGM", "APP0 Canon CIFF" },
	{ 0xE1, 5, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_FLIR, "FLIR\0", "APP1 FLIR" },
	{ 0xE1, 5, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_QVCI, "QVCI\0", "APP1 Casio QVCI" },
	{ 0xE1, 7, 7, SCRUB_KIND_EXIF, SCRUB_PAYLOAD_EXIF, "PARROT\0", "APP1 Parrot" },
	{ 0xE3, 6, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_NONE, "Meta\0\0", "APP3 Kodak Meta" },
	{ 0xE3, 6, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_NONE, "META\0\0", "APP3 Kodak Meta" },
	{ 0xE5, 6, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_NONE, "RMETA\0", "APP5 Ricoh RMETA" },
	{ 0xE5, 11, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_NONE, "ssuniqueid\0", "APP5 Samsung unique ID" },
	{ 0xE6, 6, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_NONE, "GoPro\0", "APP6 GoPro" },
	{ 0xE6, 6, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_NONE, "EPPIM\0", "APP6 PrintIM" },
	{ 0xE6, 5, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_NONE, "NITF\0", "APP6 NITF" },
	{ 0xE7, 27, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_NONE, "\x1aQualcomm Camera Attributes",
	  "APP7 Qualcomm" },
	{ 0xE8, 6, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_NONE, "SPIFF\0", "APP8 SPIFF" },
	{ 0xE9, 14, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_NONE, "Media Jukebox\0", "APP9 Media Jukebox" },
	{ 0xEA, 8, 8, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_UCS2_COMMENT, "UNICODE\0", "APP10 PhotoStudio" },
	{ 0xEB, 6, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_NONE, "HDR_RI", "APP11 JPEG-HDR" },
	{ 0xEC, 5, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_DUCKY, "Ducky", "APP12 Ducky" },
	/* Any other APP12 is Picture Info text after a maker's name ("Agfa Gevaert"). */
	{ 0xEC, 0, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_PICTURE_INFO, "", NULL },
	{ 0xED, 9, 0, SCRUB_KIND_VENDOR, SCRUB_PAYLOAD_NONE, "Adobe_CM\0", "APP13 Adobe_CM" },
};

static bool jpeg_sniff(const uint8_t *p, size_t n)
{
	return n >= 3 && p[0] == 0xFF && p[1] == M_SOI && p[2] == 0xFF;
}

static bool is_sof(uint8_t m)
{
	return m >= M_SOF0 && m <= 0xCF && m != M_DHT && m != M_JPG && m != M_DAC;
}

/* Markers the decoder needs, kept byte for byte (SPEC.md section 2). */
static bool is_image_marker(uint8_t m)
{
	return (m >= M_SOF0 && m <= 0xCF) || (m >= M_SOS && m <= M_EXP);
}

static bool keep_kind(enum scrub_kind kind, const struct scrub_policy *pol)
{
	switch (kind) {
	case SCRUB_KIND_IMAGE:
	case SCRUB_KIND_JFIF:
	case SCRUB_KIND_ADOBE:
		return true;
	case SCRUB_KIND_ICC:
		return pol->keep_icc;
	default:
		return false;
	}
}

/* Printable part of an unknown APPn identifier, for the report label. */
static void unknown_app_label(char *label, size_t size, uint8_t m, const uint8_t *data, size_t n)
{
	size_t len = (size_t)snprintf(label, size, "APP%d ", m - M_APP0);
	for (size_t i = 0; i < n && i < 12 && len + 1 < size; i++) {
		if (data[i] < 0x20 || data[i] > 0x7E)
			break;
		label[len++] = (char)data[i];
	}
	label[len] = '\0';
}

/* Classifies one APPn segment whose data (after the length) is data[0..n). */
static void classify_app(struct scrub_segment *s, uint8_t m, const uint8_t *data, size_t n,
			 size_t data_off, const struct scrub_policy *pol)
{
	for (size_t i = 0; i < sizeof app_idents / sizeof app_idents[0]; i++) {
		const struct app_ident *id = &app_idents[i];
		if (id->marker != m || n < id->ident_len || memcmp(data, id->ident, id->ident_len))
			continue;
		size_t skip = id->skip <= n ? id->skip : n;
		s->kind = id->kind;
		s->payload = id->payload;
		s->keep = keep_kind(id->kind, pol);
		s->data_off = data_off + skip;
		s->data_len = n - skip;
		if (id->label)
			snprintf(s->label, sizeof s->label, "%s", id->label);
		else
			unknown_app_label(s->label, sizeof s->label, m, data, n);
		return;
	}
	s->kind = SCRUB_KIND_UNKNOWN;
	s->keep = false;
	s->data_off = data_off;
	s->data_len = n;
	unknown_app_label(s->label, sizeof s->label, m, data, n);
}

struct walk {
	struct scrub_rd rd;
	const struct scrub_policy *pol;
	struct scrub_scan *scan;
	bool seen_sof;
	bool seen_sos;
};

static enum scrub_status fail(struct walk *w, enum scrub_status st, const char *why)
{
	w->scan->fail_off = w->rd.pos;
	w->scan->fail_why = why;
	return st;
}

static struct scrub_segment *add(struct walk *w, size_t off, enum scrub_kind kind, bool keep,
				 const char *label)
{
	return scrub_scan_add(w->scan, off, w->rd.pos - off, kind, keep, label);
}

/* A JFIF APP0 carrying a thumbnail is split: header kept, thumbnail removed. */
static bool split_jfif_thumbnail(struct walk *w, struct scrub_segment *s)
{
	size_t body_end = s->data_off + JFIF_BODY_LEN;
	if (s->data_len <= JFIF_BODY_LEN)
		return true;
	size_t seg_end = s->off + s->len;
	s->len = body_end - s->off;
	s->data_len = JFIF_BODY_LEN;
	struct scrub_segment *t = scrub_scan_add(w->scan, body_end, seg_end - body_end,
						 SCRUB_KIND_THUMBNAIL, false, "APP0 JFIF thumbnail");
	if (t) {
		t->data_off = body_end;
		t->data_len = seg_end - body_end;
	}
	return t != NULL;
}

/* An EXIF block that is exactly what scrub writes counts as kept orientation. */
static void classify_exif(struct walk *w, struct scrub_segment *s, const uint8_t *data, size_t n)
{
	int o = scrub_orientation_read_exif(data, n);
	if (w->scan->orientation == 0)
		w->scan->orientation = o;
	size_t blen = 0;
	const uint8_t *block = scrub_orientation_block(o, &blen);
	if (block && blen == n && !memcmp(block, data, n)) {
		s->kind = SCRUB_KIND_ORIENTATION;
		s->payload = SCRUB_PAYLOAD_NONE; /* its one fact, orientation, is the scan's */
		s->keep = w->pol->keep_orientation;
		snprintf(s->label, sizeof s->label, "APP1 Exif orientation");
	}
}

static enum scrub_status marker_segment(struct walk *w, size_t start, uint8_t m)
{
	struct scrub_rd *rd = &w->rd;
	uint16_t len = scrub_rd_be16(rd);
	if (!scrub_rd_ok(rd))
		return fail(w, SCRUB_E_TRUNCATED, "file ends inside a segment header");
	if (len < 2)
		return fail(w, SCRUB_E_MALFORMED, "segment length below 2");
	size_t data_off = rd->pos;
	const uint8_t *data = scrub_rd_take(rd, len - 2u);
	if (!data)
		return fail(w, SCRUB_E_TRUNCATED, "segment runs past the end of the file");
	size_t n = len - 2u;
	char label[16];
	snprintf(label, sizeof label, m == M_COM ? "COM" : "marker FF%02X", m);
	bool image = is_image_marker(m);
	struct scrub_segment *s = add(w, start, image ? SCRUB_KIND_IMAGE
					  : m == M_COM ? SCRUB_KIND_COMMENT : SCRUB_KIND_UNKNOWN,
				      image, label);
	if (!s)
		return fail(w, SCRUB_E_LIMIT, "too many segments");
	s->data_off = data_off;
	s->data_len = n;
	if (m == M_COM)
		s->payload = SCRUB_PAYLOAD_COMMENT;
	if (m >= M_APP0 && m <= M_APP15) {
		classify_app(s, m, data, n, data_off, w->pol);
		if (s->kind == SCRUB_KIND_EXIF)
			classify_exif(w, s, data, n);
		if (s->kind == SCRUB_KIND_JFIF && !split_jfif_thumbnail(w, s))
			return fail(w, SCRUB_E_LIMIT, "too many segments");
	} else if (is_sof(m)) {
		/* SOFn: precision(1) height(2) width(2) components(1) ... */
		if (n < 6)
			return fail(w, SCRUB_E_MALFORMED, "frame header too short");
		if (!w->seen_sof) {
			w->scan->height = (uint32_t)data[1] << 8 | data[2];
			w->scan->width = (uint32_t)data[3] << 8 | data[4];
		}
		w->seen_sof = true;
	}
	return SCRUB_OK;
}

/*
 * Advances over entropy-coded data to the FF of the next real marker.
 * FF00 is a stuffed byte, FFD0..FFD7 are restart markers, FFFF is fill.
 */
static enum scrub_status skip_entropy(struct walk *w)
{
	struct scrub_rd *rd = &w->rd;
	for (;;) {
		if (!scrub_rd_seek(rd, scrub_rd_find(rd, 0xFF)))
			return fail(w, SCRUB_E_TRUNCATED, "scan data ends without EOI");
		int next = scrub_rd_peek(rd, 1);
		if (next < 0)
			return fail(w, SCRUB_E_TRUNCATED, "scan data ends without EOI");
		if (next == 0x00 || (next >= M_RST0 && next <= M_RST7))
			scrub_rd_skip(rd, 2);
		else if (next == 0xFF)
			scrub_rd_skip(rd, 1);
		else
			return SCRUB_OK;
	}
}

/*
 * Trailers that say who wrote them at their very end (as exiftool tells
 * them apart): AFCP ends "AXS!" or "AXS*" and 8 bytes, FotoStation
 * A1 B2 C3 D4, PhotoMechanic "cbipcbbl", Samsung "\0\0SEFT" or "QDIOBS".
 */
static const char *trailer_maker(const uint8_t *t, size_t left, uint8_t *payload)
{
	static const struct { const char *tail; uint8_t len, before; const char *label; } ends[] = {
		{ "\0\0SEFT", 6, 0, "trailer Samsung SEFT" }, { "QDIOBS", 6, 0, "trailer Samsung" },
		{ "\xa1\xb2\xc3\xd4", 4, 0, "trailer FotoStation" },
		{ "cbipcbbl", 8, 0, "trailer PhotoMechanic" },
		{ "AXS!", 4, 8, "trailer AFCP" }, { "AXS*", 4, 8, "trailer AFCP" },
	};
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
		size_t back = (size_t)ends[i].len + ends[i].before;
		if (left >= back && !memcmp(t + left - back, ends[i].tail, ends[i].len)) {
			if (i == 0)
				*payload = SCRUB_PAYLOAD_SEFT;
			return ends[i].label;
		}
	}
	return NULL;
}

/*
 * Names what follows EOI, so a report can say "MP4 video" or "JPEG image",
 * and sets what the describers read in it: an embedded JPEG's EXIF, or a
 * Samsung directory (which also looks for a JPEG at the start).
 */
static const char *trailer_label(const struct scrub_rd *rd, uint8_t *payload)
{
	size_t left = scrub_rd_left(rd);
	const uint8_t *t = rd->base + rd->pos;
	*payload = SCRUB_PAYLOAD_EMBEDDED_JPEG;
	const char *maker = trailer_maker(t, left, payload);
	if (left >= 3 && t[0] == 0xFF && t[1] == M_SOI && t[2] == 0xFF)
		return "trailer JPEG image";
	if (left >= 8 && !memcmp(t + 4, "ftyp", 4))
		return "trailer MP4 video";
	if (maker)
		return maker;
	for (size_t i = 0; i < left && i < 64; i++)
		if (t[i] == 0xFF && i + 2 < left && t[i + 1] == M_SOI && t[i + 2] == 0xFF)
			return "trailer JPEG image";
	return "trailer data";
}

static enum scrub_status walk_segments(struct walk *w)
{
	struct scrub_rd *rd = &w->rd;
	for (;;) {
		size_t start = rd->pos;
		if (scrub_rd_peek(rd, 0) != 0xFF)
			return scrub_rd_left(rd) ? fail(w, SCRUB_E_MALFORMED, "no marker where one must start")
						 : fail(w, SCRUB_E_TRUNCATED, "file ends before EOI");
		while (scrub_rd_peek(rd, 0) == 0xFF)
			scrub_rd_skip(rd, 1);
		uint8_t m = scrub_rd_u8(rd);
		if (!scrub_rd_ok(rd))
			return fail(w, SCRUB_E_TRUNCATED, "file ends in fill bytes");
		if (m == M_EOI)
			return add(w, start, SCRUB_KIND_IMAGE, true, "EOI") ? SCRUB_OK
									   : fail(w, SCRUB_E_LIMIT, "too many segments");
		if (m == 0x00 || m == M_SOI)
			return fail(w, SCRUB_E_MALFORMED, "invalid marker outside scan data");
		if (m == M_TEM || (m >= M_RST0 && m <= M_RST7)) {
			if (!add(w, start, SCRUB_KIND_IMAGE, true, "RST"))
				return fail(w, SCRUB_E_LIMIT, "too many segments");
			continue;
		}
		if (m == M_SOS && !w->seen_sof)
			return fail(w, SCRUB_E_MALFORMED, "scan before frame header (no SOF)");
		enum scrub_status st = marker_segment(w, start, m);
		if (st == SCRUB_OK && m == M_SOS) {
			w->seen_sos = true;
			st = skip_entropy(w);
			struct scrub_segment *s = &w->scan->seg[w->scan->nseg - 1];
			s->len = rd->pos - s->off;
			snprintf(s->label, sizeof s->label, "SOS");
		}
		if (st != SCRUB_OK)
			return st;
	}
}

/* ICC_PROFILE parts: a sequence number and the count, then the bytes (ICC.1:2022 B.4). */
#define ICC_SEQ_MAX 255

/*
 * The APP2 ICC_PROFILE segments must make one valid profile: the same
 * count in each, every sequence number from 1 to it once, and the joined
 * bytes a profile (formats/icc_check.h). Otherwise they all go.
 */
static void check_icc(struct scrub_scan *scan, const uint8_t *p)
{
	struct scrub_icc_part parts[ICC_SEQ_MAX];
	size_t count = 0, seen = 0;
	bool ok = true;
	memset(parts, 0, sizeof parts);
	for (size_t i = 0; i < scan->nseg; i++) {
		const struct scrub_segment *s = &scan->seg[i];
		if (s->kind != SCRUB_KIND_ICC)
			continue;
		if (s->data_len < 3) {
			ok = false;
			seen++;
			continue;
		}
		unsigned seq = p[s->data_off], total = p[s->data_off + 1];
		if (seen == 0)
			count = total;
		ok &= total == count && seq >= 1 && seq <= count && !parts[seq - 1].p;
		if (ok)
			parts[seq - 1] = (struct scrub_icc_part){ .p = p + s->data_off + 2,
								  .n = s->data_len - 2 };
		seen++;
	}
	if (seen == 0 || (ok && seen == count && scrub_icc_parts_valid(parts, count)))
		return;
	for (size_t i = 0; i < scan->nseg; i++) {
		struct scrub_segment *s = &scan->seg[i];
		if (s->kind != SCRUB_KIND_ICC)
			continue;
		s->keep = false;
		snprintf(s->label, sizeof s->label, "APP2 ICC_PROFILE invalid");
	}
}

static enum scrub_status jpeg_scan(const uint8_t *p, size_t n, const struct scrub_policy *pol,
				   struct scrub_scan *scan)
{
	struct walk w = { .pol = pol, .scan = scan };
	scrub_rd_init(&w.rd, p, n);
	if (!jpeg_sniff(p, n))
		return SCRUB_E_NOT_IMAGE;
	scrub_rd_skip(&w.rd, 2);
	if (!add(&w, 0, SCRUB_KIND_IMAGE, true, "SOI"))
		return fail(&w, SCRUB_E_LIMIT, "too many segments");
	enum scrub_status st = walk_segments(&w);
	if (st != SCRUB_OK)
		return st;
	if (!w.seen_sos)
		return fail(&w, SCRUB_E_MALFORMED, "no image data (no SOS)");
	check_icc(scan, p);
	if (scrub_rd_left(&w.rd)) {
		uint8_t payload;
		const char *label = trailer_label(&w.rd, &payload);
		size_t start = w.rd.pos;
		scrub_rd_skip(&w.rd, scrub_rd_left(&w.rd));
		struct scrub_segment *s = add(&w, start, SCRUB_KIND_TRAILER, false, label);
		if (!s)
			return fail(&w, SCRUB_E_LIMIT, "too many segments");
		s->data_len = s->len;
		s->payload = payload;
	}
	return SCRUB_OK;
}

/* JFIF header without thumbnail or fill, length 16. */
static enum scrub_status emit_jfif(const uint8_t *p, const struct scrub_segment *s,
				   struct scrub_plan *plan)
{
	static const uint8_t plain_head[4] = { 0xFF, M_APP0, 0x00, JFIF_PLAIN_LEN };
	/* Already plain: copied with any fill bytes, so a clean file stays byte-identical. */
	size_t marker_off = s->data_off - 4;
	if (s->data_len < JFIF_BODY_LEN || !memcmp(p + marker_off, plain_head, 4))
		return scrub_plan_add(plan, p + s->off, s->len);
	uint8_t *out = scrub_plan_scratch(plan, 4 + JFIF_BODY_LEN);
	if (!out)
		return SCRUB_E_LIMIT;
	memcpy(out, plain_head, 4);
	memcpy(out + 4, p + s->data_off, JFIF_BODY_LEN);
	out[4 + JFIF_BODY_LEN - 2] = 0; /* thumbnail width and height */
	out[4 + JFIF_BODY_LEN - 1] = 0;
	return scrub_plan_add(plan, out, 4 + JFIF_BODY_LEN);
}

static enum scrub_status emit_orientation(int o, struct scrub_plan *plan)
{
	size_t len = 0;
	const uint8_t *block = scrub_orientation_block(o, &len);
	if (o < 2 || o > 8)
		return SCRUB_OK;
	if (!block)
		return SCRUB_E_NOMEM;
	uint8_t *head = scrub_plan_scratch(plan, 4);
	if (!head)
		return SCRUB_E_LIMIT;
	head[0] = 0xFF;
	head[1] = 0xE1;
	head[2] = (uint8_t)((len + 2) >> 8);
	head[3] = (uint8_t)(len + 2);
	enum scrub_status st = scrub_plan_add(plan, head, 4);
	return st != SCRUB_OK ? st : scrub_plan_add(plan, block, len);
}

/* Orientation goes right after SOI, or after JFIF when JFIF leads (it must stay first). */
static size_t orientation_slot(const struct scrub_scan *scan)
{
	for (size_t i = 1; i < scan->nseg; i++) {
		const struct scrub_segment *s = &scan->seg[i];
		if (s->keep && s->kind != SCRUB_KIND_ORIENTATION)
			return s->kind == SCRUB_KIND_JFIF ? i : 0;
	}
	return 0;
}

static enum scrub_status jpeg_strip(const uint8_t *p, size_t n, const struct scrub_scan *scan,
				    const struct scrub_policy *pol, struct scrub_plan *plan)
{
	(void)n;
	int o = pol->keep_orientation ? scan->orientation : 0;
	size_t slot = orientation_slot(scan);
	enum scrub_status st = SCRUB_OK;
	for (size_t i = 0; i < scan->nseg && st == SCRUB_OK; i++) {
		const struct scrub_segment *s = &scan->seg[i];
		/* Existing orientation blocks are dropped and written anew at the slot. */
		if (s->keep && s->kind == SCRUB_KIND_JFIF)
			st = emit_jfif(p, s, plan);
		else if (s->keep && s->kind != SCRUB_KIND_ORIENTATION)
			st = scrub_plan_add(plan, p + s->off, s->len);
		if (st == SCRUB_OK && i == slot)
			st = emit_orientation(o, plan);
	}
	return st;
}

const struct scrub_backend scrub_backend_jpeg = {
	.name = "jpeg",
	.display = "JPEG",
	.sniff = jpeg_sniff,
	.scan = jpeg_scan,
	.strip = jpeg_strip,
	.decode = scrub_jpeg_decode,
	.probe = scrub_jpeg_probe,
	.orient = scrub_jpeg_orient,
};
