/*
 * PNG chunk facts for reports: tEXt/zTXt/iTXt keyword and value (PNG 3rd
 * edition, sections 11.3.3), tIME as an ISO date, the iCCP profile name,
 * and the EXIF that ImageMagick hides in "Raw profile type exif" text.
 * Report path only; compressed text is inflated under a size cap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe/facts.h"
#include "formats/png_text.h"


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
static void raw_profile(const uint8_t *kw, size_t kwlen, const struct scrub_png_text *tv,
			struct scrub_facts *f)
{
	uint8_t *data = NULL;
	size_t n = scrub_png_raw_profile(tv->value, tv->value_len, &data);
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

static void text_entry(const struct scrub_png_text *tv, struct scrub_facts *f)
{
	const uint8_t *kw = tv->keyword;
	size_t kwlen = tv->keyword_len;
	if (scrub_png_text_is(tv, "XML:com.adobe.xmp")) {
		scrub_describe_xmp(tv->value, tv->value_len, f); /* its own finding, not a text row */
		return;
	}
	if (has_prefix(kw, kwlen, "Raw profile type "))
		raw_profile(kw, kwlen, tv, f);
	else
		add_text(f, kw, kwlen, tv->value, tv->value_len);
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

/* iCCP: profile name NUL method compressed-profile, laid out like tEXt. */
static void icc_name(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_png_text t;
	if (f->icc_name[0] || !scrub_png_text_read(SCRUB_PAYLOAD_PNG_TEXT, p, n, &t))
		return;
	memcpy(f->icc_name, t.keyword, t.keyword_len);
	f->icc_name[t.keyword_len] = '\0';
}

void scrub_describe_png_text(enum scrub_payload type, const uint8_t *p, size_t n,
			     struct scrub_facts *f)
{
	struct scrub_png_text tv;
	if (!scrub_png_text_read(type, p, n, &tv))
		return;
	text_entry(&tv, f);
	scrub_png_text_free(&tv);
}

void scrub_describe_png_time(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	mod_time(&rd, f);
}

void scrub_describe_png_iccp(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	icc_name(p, n, f);
}
