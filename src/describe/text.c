/*
 * PNG chunk facts for reports: tEXt/zTXt/iTXt keyword and value (PNG 3rd
 * edition, sections 11.3.3), tIME as an ISO date, the iCCP profile name,
 * and the EXIF that ImageMagick hides in "Raw profile type exif" text.
 * Report path only; compressed text is inflated under a size cap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "describe/facts.h"

/* Inflated text beyond this is not read: a raw EXIF profile is at most ~130 kB of hex. */
#define INFLATE_CAP ((size_t)4 << 20)
#define KEYWORD_MAX 79 /* section 11.3.3.2: keywords are 1..79 bytes */

/* Decoded text: points into the chunk, or into an owned inflated buffer. */
struct text_value {
	const uint8_t *p;
	size_t n;
	uint8_t *owned;
};

/* Inflates zlib data up to INFLATE_CAP; keeps whatever decoded before an error. */
static bool inflate_capped(const uint8_t *src, size_t n, struct text_value *out)
{
	size_t cap = n * 4 + 256 < INFLATE_CAP ? n * 4 + 256 : INFLATE_CAP;
	uint8_t *buf = malloc(cap);
	if (!buf)
		return false;
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit(&zs) != Z_OK) {
		free(buf);
		return false;
	}
	zs.next_in = (Bytef *)(uintptr_t)src; /* zlib does not write through next_in */
	zs.avail_in = n > UINT32_MAX ? UINT32_MAX : (uInt)n;
	size_t used = 0;
	for (;;) {
		zs.next_out = buf + used;
		zs.avail_out = (uInt)(cap - used);
		int rc = inflate(&zs, Z_NO_FLUSH);
		used = cap - zs.avail_out;
		if (rc != Z_OK || zs.avail_out != 0 || cap == INFLATE_CAP)
			break;
		size_t ncap = cap * 2 < INFLATE_CAP ? cap * 2 : INFLATE_CAP;
		uint8_t *nbuf = realloc(buf, ncap);
		if (!nbuf)
			break;
		buf = nbuf;
		cap = ncap;
	}
	inflateEnd(&zs);
	*out = (struct text_value){ .p = buf, .n = used, .owned = buf };
	return true;
}

/* Reads a NUL-terminated field of the chunk into rd's caller; false if no NUL. */
static bool take_cstr(struct scrub_rd *rd, const uint8_t **s, size_t *len)
{
	size_t nul = scrub_rd_find(rd, 0);
	if (nul == rd->len)
		return false;
	*len = nul - rd->pos;
	*s = scrub_rd_take(rd, *len + 1);
	return *s != NULL;
}

static int hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * ImageMagick raw profile: "\n<name>\n<spaces><length>\n<hex, wrapped>".
 * Decodes at most the stated length; returns the decoded byte count.
 */
static size_t raw_profile_decode(const uint8_t *p, size_t n, uint8_t **out)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	while (scrub_rd_peek(&rd, 0) == '\n')
		scrub_rd_skip(&rd, 1);
	scrub_rd_seek(&rd, scrub_rd_find(&rd, '\n')); /* past the profile name */
	size_t len = 0;
	int c;
	while ((c = scrub_rd_peek(&rd, 0)) == '\n' || c == ' ')
		scrub_rd_skip(&rd, 1);
	while ((c = scrub_rd_peek(&rd, 0)) >= '0' && c <= '9' && len < INFLATE_CAP) {
		len = len * 10 + (size_t)(c - '0');
		scrub_rd_skip(&rd, 1);
	}
	if (len == 0 || len > scrub_rd_left(&rd) / 2)
		return 0;
	uint8_t *buf = malloc(len);
	if (!buf)
		return 0;
	size_t got = 0;
	int hi = -1;
	while (got < len && (c = scrub_rd_peek(&rd, 0)) >= 0) {
		scrub_rd_skip(&rd, 1);
		int d = hex_digit((uint8_t)c);
		if (d < 0)
			continue;
		if (hi < 0) {
			hi = d;
		} else {
			buf[got++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	*out = buf;
	return got;
}

static bool has_prefix(const uint8_t *p, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);
	return n >= k && !memcmp(p, prefix, k);
}

static void add_text(struct scrub_facts *f, const uint8_t *kw, size_t kwlen, const uint8_t *val,
		     size_t vlen)
{
	if (f->ntext >= SCRUB_TEXT_MAX)
		return;
	struct scrub_text_entry *e = &f->text[f->ntext++];
	size_t k = kwlen < sizeof e->keyword - 1 ? kwlen : sizeof e->keyword - 1;
	size_t v = vlen < sizeof e->value - 1 ? vlen : sizeof e->value - 1;
	memcpy(e->keyword, kw, k);
	e->keyword[k] = '\0';
	memcpy(e->value, val, v);
	e->value[v] = '\0';
	/* Text is Latin-1 or UTF-8 with no NULs; a NUL would cut the entry short anyway. */
	for (size_t i = 0; i < v; i++)
		if (!e->value[i])
			e->value[i] = ' ';
}

void scrub_describe_text_entry(const char *keyword, const uint8_t *p, size_t n,
			       struct scrub_facts *f)
{
	add_text(f, (const uint8_t *)keyword, strlen(keyword), p, n);
}

/* "Raw profile type X": the text row only names it; exif and APP1 hold EXIF to describe. */
static void raw_profile(const uint8_t *kw, size_t kwlen, const struct text_value *tv,
			struct scrub_facts *f)
{
	uint8_t *data = NULL;
	size_t n = raw_profile_decode(tv->p, tv->n, &data);
	char summary[64];
	int len = snprintf(summary, sizeof summary, "raw profile, %zu bytes", n);
	add_text(f, kw, kwlen, (const uint8_t *)summary, (size_t)len);
	/* ImageMagick keeps IPTC as Photoshop resources or bare IIM records, XMP as is. */
	if (has_prefix(kw, kwlen, "Raw profile type iptc") || has_prefix(kw, kwlen, "Raw profile type 8bim")) {
		if (n && data[0] == 0x1C)
			scrub_describe_iim(data, n, f);
		else if (n)
			scrub_describe_irb_iptc(data, n, f);
	} else if (has_prefix(kw, kwlen, "Raw profile type xmp") && n) {
		scrub_describe_xmp(data, n, f);
	}
	bool exif = has_prefix(kw, kwlen, "Raw profile type exif") ||
		    has_prefix(kw, kwlen, "Raw profile type APP1");
	if (exif && n && (has_prefix(data, n, "Exif\0\0") || has_prefix(data, n, "II*\0") ||
		  has_prefix(data, n, "MM\0*")))
		scrub_describe_exif(data, n, f);
	free(data);
}

static void text_entry(const uint8_t *kw, size_t kwlen, const struct text_value *tv,
		       struct scrub_facts *f)
{
	if (kwlen == 17 && has_prefix(kw, kwlen, "XML:com.adobe.xmp")) {
		scrub_describe_xmp(tv->p, tv->n, f); /* its own finding, not a text row */
		return;
	}
	if (has_prefix(kw, kwlen, "Raw profile type "))
		raw_profile(kw, kwlen, tv, f);
	else
		add_text(f, kw, kwlen, tv->p, tv->n);
}

/* tEXt: keyword NUL text; zTXt: keyword NUL method compressed-text. */
static void latin1_text(struct scrub_rd *rd, bool compressed, struct scrub_facts *f)
{
	const uint8_t *kw;
	size_t kwlen;
	if (!take_cstr(rd, &kw, &kwlen) || kwlen > KEYWORD_MAX)
		return;
	struct text_value tv = { 0 };
	if (compressed) {
		if (scrub_rd_u8(rd) != 0 || !inflate_capped(rd->base + rd->pos, scrub_rd_left(rd), &tv))
			return; /* method 0 is the only one (section 11.3.3.3) */
	} else {
		tv.p = rd->base + rd->pos;
		tv.n = scrub_rd_left(rd);
	}
	text_entry(kw, kwlen, &tv, f);
	free(tv.owned);
}

/* iTXt: keyword NUL flag method language NUL translated-keyword NUL text. */
static void intl_text(struct scrub_rd *rd, struct scrub_facts *f)
{
	const uint8_t *kw, *lang, *tkw;
	size_t kwlen, langlen, tkwlen;
	if (!take_cstr(rd, &kw, &kwlen) || kwlen > KEYWORD_MAX)
		return;
	uint8_t flag = scrub_rd_u8(rd);
	uint8_t method = scrub_rd_u8(rd);
	if (!scrub_rd_ok(rd) || !take_cstr(rd, &lang, &langlen) || !take_cstr(rd, &tkw, &tkwlen))
		return;
	struct text_value tv = { .p = rd->base + rd->pos, .n = scrub_rd_left(rd) };
	if (flag && (method != 0 || !inflate_capped(tv.p, tv.n, &tv)))
		return;
	text_entry(kw, kwlen, &tv, f);
	free(tv.owned);
}

/* tIME: year(2) month day hour minute second, UTC (section 11.3.6.1). */
static void mod_time(struct scrub_rd *rd, struct scrub_facts *f)
{
	unsigned y = scrub_rd_be16(rd), mo = scrub_rd_u8(rd), d = scrub_rd_u8(rd);
	unsigned h = scrub_rd_u8(rd), mi = scrub_rd_u8(rd), s = scrub_rd_u8(rd);
	if (!scrub_rd_ok(rd) || f->modified[0])
		return;
	snprintf(f->modified, sizeof f->modified, "%04u-%02u-%02uT%02u:%02u:%02uZ", y, mo % 100,
		 d % 100, h % 100, mi % 100, s % 100);
}

/* iCCP: profile name NUL method compressed-profile. */
static void icc_name(struct scrub_rd *rd, struct scrub_facts *f)
{
	const uint8_t *name;
	size_t len;
	if (f->icc_name[0] || !take_cstr(rd, &name, &len) || len > KEYWORD_MAX)
		return;
	memcpy(f->icc_name, name, len);
	f->icc_name[len] = '\0';
}

void scrub_describe_png_text(enum scrub_payload type, const uint8_t *p, size_t n,
			     struct scrub_facts *f)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	if (type == SCRUB_PAYLOAD_PNG_ITXT)
		intl_text(&rd, f);
	else
		latin1_text(&rd, type == SCRUB_PAYLOAD_PNG_ZTXT, f);
}

void scrub_describe_png_time(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	mod_time(&rd, f);
}

void scrub_describe_png_iccp(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	icc_name(&rd, f);
}
