/*
 * The payload-to-describer table: the only place that knows which decoder
 * reads which payload type, and which layer its facts go to.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe/describe.h"

typedef void (*describer_fn)(struct scrub_describe *d, enum scrub_payload type,
			     const uint8_t *p, size_t n);

static void derive(struct scrub_describe *d, enum scrub_kind kind, size_t bytes)
{
	if (d->nderived < sizeof d->derived / sizeof d->derived[0])
		d->derived[d->nderived++] = (struct scrub_derived){ .kind = (uint8_t)kind,
								    .bytes = bytes };
}

/* Facts of one EXIF block go to the result (the first block wins) with what it holds. */
static void merge_exif_facts(struct scrub_describe *d, const struct scrub_facts *one)
{
	if (one->has_gps_ifd)
		derive(d, SCRUB_KIND_GPS, 0);
	if (one->has_makernote)
		derive(d, SCRUB_KIND_MAKERNOTE, one->makernote_bytes);
	if (one->thumbnail_bytes)
		derive(d, SCRUB_KIND_THUMBNAIL, one->thumbnail_bytes);
	scrub_facts_merge(d->facts, one);
}

/*
 * Each EXIF block is read apart; the first one's values win, and a later
 * block's different position becomes the second location (SPEC.md 4).
 */
static void on_exif(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p, size_t n)
{
	(void)type;
	struct scrub_facts one;
	scrub_facts_clear(&one);
	one.tags = d->facts->tags;
	if (d->exif_blocks++)
		snprintf(one.gps_from, sizeof one.gps_from, "EXIF block %u", d->exif_blocks);
	scrub_describe_exif(p, n, &one);
	merge_exif_facts(d, &one);
}

static void on_embedded_jpeg(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p,
			     size_t n)
{
	(void)type;
	struct scrub_facts one;
	scrub_facts_clear(&one);
	one.tags = d->facts->tags;
	snprintf(one.gps_from, sizeof one.gps_from, "an embedded image");
	if (scrub_describe_embedded_jpeg(p, n, &one)) /* its EXIF, SPEC.md section 4 */
		merge_exif_facts(d, &one);
}

static void on_xmp(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p, size_t n)
{
	(void)type;
	scrub_describe_xmp_main(p, n, &d->xmp, &d->ext);
}

/* HEIF mime items with content_encoding "deflate" hold the packet in zlib format. */
static void on_xmp_zlib(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p,
			size_t n)
{
	(void)type;
	scrub_describe_xmp_zlib(p, n, &d->xmp, &d->ext);
}

static void on_xmp_extended(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p,
			    size_t n)
{
	(void)type;
	scrub_xmp_ext_add(&d->ext, p, n);
}

static void on_irb(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p, size_t n)
{
	(void)type;
	size_t iptc = scrub_describe_irb_iptc(p, n, &d->iptc);
	if (iptc)
		derive(d, SCRUB_KIND_IPTC, iptc);
}

static void on_jumbf(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p, size_t n)
{
	(void)type;
	scrub_describe_jumbf(p, n, d->facts);
}

static void on_mpf(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p, size_t n)
{
	(void)type;
	scrub_describe_mpf(p, n, d->facts);
}

static bool keyword_is(const uint8_t *p, size_t n, const char *kw)
{
	size_t k = strlen(kw);
	return n > k && !memcmp(p, kw, k) && p[k] == '\0';
}

/*
 * PNG text ranks by what it carries: XMP (the iTXt packet or ImageMagick's
 * raw xmp profile) as XMP, raw iptc/8bim profiles as IPTC, anything else
 * (raw exif profiles, plain keywords) with the EXIF blocks.
 */
static void on_png_text(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p,
			size_t n)
{
	if (keyword_is(p, n, "XML:com.adobe.xmp") || keyword_is(p, n, "Raw profile type xmp")) {
		scrub_describe_png_text(type, p, n, &d->xmp);
	} else if (keyword_is(p, n, "Raw profile type iptc") ||
		   keyword_is(p, n, "Raw profile type 8bim")) {
		scrub_describe_png_text(type, p, n, &d->iptc);
	} else {
		struct scrub_facts one;
		scrub_facts_clear(&one);
		one.tags = d->facts->tags;
		scrub_describe_png_text(type, p, n, &one);
		merge_exif_facts(d, &one);
	}
}

static void on_png_time(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p,
			size_t n)
{
	(void)type;
	scrub_describe_png_time(p, n, d->facts);
}

static void on_png_iccp(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p,
			size_t n)
{
	(void)type;
	scrub_describe_png_iccp(p, n, d->facts);
}

/*
 * JPEG COM and GIF comment and plain text extensions: free text, unless a
 * generator wrote its settings there.
 */
static void on_comment(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p,
		       size_t n)
{
	scrub_describe_comment(type == SCRUB_PAYLOAD_COMMENT ? "Comment" : "Plain text", p, n,
			       d->facts);
}

/* Records chunk index (0-based) of total; a disagreeing or repeated one spoils the set. */
static void add_chunk(struct scrub_chunks *c, unsigned index, unsigned total, const uint8_t *p,
		      size_t n)
{
	if ((c->total && c->total != total) || index >= total || c->p[index] || n > UINT32_MAX)
		c->bad = true;
	c->total = total;
	if (!c->bad) {
		c->p[index] = p;
		c->n[index] = (uint32_t)n;
	}
}

/* The chunks joined in order, or NULL (not all there, or spoilt); *n their length. */
static uint8_t *join_chunks(const struct scrub_chunks *c, size_t *n)
{
	size_t total = 0;
	for (unsigned i = 0; i < c->total; i++) {
		if (!c->p[i])
			return NULL;
		total += c->n[i];
	}
	if (c->bad || !c->total)
		return NULL;
	uint8_t *joined = malloc(total ? total : 1);
	if (!joined)
		return NULL;
	size_t at = 0;
	for (unsigned i = 0; i < c->total; i++) {
		memcpy(joined + at, c->p[i], c->n[i]);
		at += c->n[i];
	}
	*n = total;
	return joined;
}

/* FLIR chunks: "FLIR\0", 1, index, last index, then that part of the FFF data. */
static void on_flir(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p, size_t n)
{
	(void)type;
	if (n < 8)
		d->flir.bad = true;
	else
		add_chunk(&d->flir, p[6], p[7] + 1u, p + 8, n - 8);
}

/* ICC_PROFILE parts: sequence number from 1, count, then the bytes (ICC.1:2022 B.4). */
static void on_icc_part(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p,
			size_t n)
{
	(void)type;
	if (n < 2 || p[0] == 0)
		d->icc.bad = true;
	else
		add_chunk(&d->icc, p[0] - 1u, p[1], p + 2, n - 2);
}

static void on_icc(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p, size_t n)
{
	(void)type;
	scrub_describe_icc(p, n, d->facts);
}

/* What the numbered chunks hold, once all of them are in. */
static void chunks_end(struct scrub_describe *d)
{
	size_t n;
	uint8_t *flir = join_chunks(&d->flir, &n);
	if (flir)
		scrub_describe_flir(flir, n, d->facts);
	free(flir);
	uint8_t *icc = join_chunks(&d->icc, &n);
	if (icc)
		scrub_describe_icc(icc, n, d->facts);
	free(icc);
}

/* A Samsung trailer: its directory, and the JPEG that may lead it. */
static void on_seft(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p, size_t n)
{
	scrub_describe_seft(p, n, d->facts);
	on_embedded_jpeg(d, type, p, n);
}

static void on_vendor(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p,
		      size_t n)
{
	if (type == SCRUB_PAYLOAD_DUCKY)
		scrub_describe_ducky(p, n, d->facts);
	else if (type == SCRUB_PAYLOAD_PICTURE_INFO)
		scrub_describe_picture_info(p, n, d->facts);
	else if (type == SCRUB_PAYLOAD_QVCI)
		scrub_describe_qvci(p, n, d->facts);
	else if (type == SCRUB_PAYLOAD_UCS2_COMMENT)
		scrub_describe_ucs2_comment(p, n, d->facts);
	else if (type == SCRUB_PAYLOAD_RIFF_INFO)
		scrub_describe_riff_info(p, n, d->facts);
}

/* Bare IPTC-IIM records: the segment itself is the IPTC finding. */
static void on_iim(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p, size_t n)
{
	(void)type;
	scrub_describe_iim(p, n, &d->iptc);
}

/* Inflated brob content beyond this is not described (it is removed all the same). */
#define BROB_MAX SCRUB_XMP_MAX
#define BOX_HEAD 8u

/* What a JPEG XL brob box wraps, by its first four bytes; NONE for nothing described. */
static enum scrub_payload brob_inner(const uint8_t *p, size_t n)
{
	if (n < 4)
		return SCRUB_PAYLOAD_NONE;
	if (!memcmp(p, "Exif", 4))
		return SCRUB_PAYLOAD_EXIF;
	if (!memcmp(p, "xml ", 4))
		return SCRUB_PAYLOAD_XMP;
	return !memcmp(p, "jumb", 4) ? SCRUB_PAYLOAD_JUMBF : SCRUB_PAYLOAD_NONE;
}

/*
 * JPEG XL brob: the wrapped box's type, then its content Brotli-compressed.
 * Exif content starts with a 4-byte offset to the TIFF header; JUMBF
 * describers read a whole box, so its header is put back in front.
 */
static void on_brob(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p, size_t n)
{
	(void)type;
	enum scrub_payload inner = brob_inner(p, n);
	size_t head = inner == SCRUB_PAYLOAD_JUMBF ? BOX_HEAD : 0;
	struct scrub_buf out;
	scrub_buf_init(&out, BROB_MAX);
	if (inner == SCRUB_PAYLOAD_NONE || scrub_buf_reserve(&out, head) != SCRUB_OK)
		return;
	out.len = head;
	if (!scrub_brotli_inflate(p + 4, n - 4, &out)) {
		scrub_buf_free(&out);
		return;
	}
	uint8_t *q = out.data;
	size_t m = out.len;
	if (head) {
		uint8_t h[BOX_HEAD] = { (uint8_t)(m >> 24), (uint8_t)(m >> 16), (uint8_t)(m >> 8),
					(uint8_t)m, 'j', 'u', 'm', 'b' };
		memcpy(q, h, BOX_HEAD);
	}
	uint32_t skip = m >= 4 ? (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 |
					 q[3] : 0;
	if (inner != SCRUB_PAYLOAD_EXIF)
		scrub_describe_payload(d, inner, q, m);
	else if (m >= 4 && skip <= m - 4)
		scrub_describe_payload(d, inner, q + 4 + skip, m - 4 - skip);
	scrub_buf_free(&out);
}

static const describer_fn describers[SCRUB_PAYLOAD_COUNT] = {
	[SCRUB_PAYLOAD_EXIF] = on_exif,
	[SCRUB_PAYLOAD_XMP] = on_xmp,
	[SCRUB_PAYLOAD_XMP_ZLIB] = on_xmp_zlib,
	[SCRUB_PAYLOAD_XMP_EXTENDED] = on_xmp_extended,
	[SCRUB_PAYLOAD_IRB] = on_irb,
	[SCRUB_PAYLOAD_JUMBF] = on_jumbf,
	[SCRUB_PAYLOAD_MPF] = on_mpf,
	[SCRUB_PAYLOAD_PNG_TEXT] = on_png_text,
	[SCRUB_PAYLOAD_PNG_ZTXT] = on_png_text,
	[SCRUB_PAYLOAD_PNG_ITXT] = on_png_text,
	[SCRUB_PAYLOAD_PNG_TIME] = on_png_time,
	[SCRUB_PAYLOAD_PNG_ICCP] = on_png_iccp,
	[SCRUB_PAYLOAD_EMBEDDED_JPEG] = on_embedded_jpeg,
	[SCRUB_PAYLOAD_COMMENT] = on_comment,
	[SCRUB_PAYLOAD_FLIR] = on_flir,
	[SCRUB_PAYLOAD_ICC] = on_icc,
	[SCRUB_PAYLOAD_ICC_PART] = on_icc_part,
	[SCRUB_PAYLOAD_SEFT] = on_seft,
	[SCRUB_PAYLOAD_DUCKY] = on_vendor,
	[SCRUB_PAYLOAD_PICTURE_INFO] = on_vendor,
	[SCRUB_PAYLOAD_QVCI] = on_vendor,
	[SCRUB_PAYLOAD_UCS2_COMMENT] = on_vendor,
	[SCRUB_PAYLOAD_RIFF_INFO] = on_vendor,
	[SCRUB_PAYLOAD_PLAIN_TEXT] = on_comment,
	[SCRUB_PAYLOAD_IPTC_IIM] = on_iim,
	[SCRUB_PAYLOAD_BROTLI_BOX] = on_brob,
};

/* GIF data sub-blocks joined, up to this much (a longer payload is cut there). */
#define GIF_JOINED_MAX SCRUB_XMP_MAX

/* A payload in GIF data sub-blocks: length byte, bytes, ..., 0 (GIF89a section 15). */
static void describe_joined(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p,
			    size_t n)
{
	struct scrub_buf joined;
	scrub_buf_init(&joined, GIF_JOINED_MAX);
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	int len;
	while ((len = scrub_rd_peek(&rd, 0)) > 0) {
		scrub_rd_skip(&rd, 1);
		const uint8_t *b = scrub_rd_take(&rd, (size_t)len);
		if (!b || scrub_buf_append(&joined, b, (size_t)len) != SCRUB_OK)
			break;
	}
	if (joined.len)
		describers[type](d, type, joined.data, joined.len);
	scrub_buf_free(&joined);
}

void scrub_describe_begin(struct scrub_describe *d, struct scrub_facts *facts,
			  struct scrub_buf *tags)
{
	d->facts = facts;
	scrub_facts_clear(&d->xmp);
	scrub_facts_clear(&d->iptc);
	facts->tags = d->xmp.tags = d->iptc.tags = tags;
	scrub_xmp_ext_init(&d->ext);
	d->nderived = 0;
	d->exif_blocks = 0;
	memset(&d->flir, 0, sizeof d->flir);
	memset(&d->icc, 0, sizeof d->icc);
}

void scrub_describe_payload(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p,
			    size_t n)
{
	d->nderived = 0;
	bool blocks = type & SCRUB_PAYLOAD_GIF_BLOCKS;
	type &= ~SCRUB_PAYLOAD_GIF_BLOCKS;
	if ((unsigned)type >= SCRUB_PAYLOAD_COUNT || !describers[type])
		return;
	/*
	 * The numbered-chunk kinds keep pointers into their bytes until
	 * scrub_describe_end; a joined copy is freed before that, so sub-blocked
	 * ones are not read (no backend sends them so).
	 */
	if (!blocks)
		describers[type](d, type, p, n);
	else if (type != SCRUB_PAYLOAD_FLIR && type != SCRUB_PAYLOAD_ICC_PART &&
		 type != SCRUB_PAYLOAD_XMP_EXTENDED)
		describe_joined(d, type, p, n);
}

void scrub_describe_end(struct scrub_describe *d)
{
	chunks_end(d); /* a maker's own block ranks with EXIF, before XMP and IPTC */
	/* After the main packet, whose values win and which names the extension's GUID. */
	scrub_describe_xmp_ext(&d->ext, &d->xmp);
	scrub_facts_merge(d->facts, &d->xmp);
	scrub_facts_merge(d->facts, &d->iptc);
	scrub_genai_finish(d->facts);
}
