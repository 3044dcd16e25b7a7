/*
 * PNG chunk facts for reports: tEXt/zTXt/iTXt keyword and value (PNG 3rd
 * edition, sections 11.3.3), tIME as an ISO date, the iCCP profile name,
 * and the EXIF that ImageMagick hides in "Raw profile type exif" text.
 * Report path only; compressed text is inflated under a size cap.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "describe/facts.h"
#include "core/utf8.h"
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
	struct scrub_text_entry *e = &f->text[f->ntext];
	size_t k = kwlen < sizeof e->keyword - 1 ? kwlen : sizeof e->keyword - 1;
	memcpy(e->keyword, kw, k);
	e->keyword[k] = '\0';
	/* Cut only what does not fit: then val has a byte at the cut, which utf8_cut reads. */
	size_t room = sizeof e->value - 1;
	size_t v = vlen <= room ? vlen : scrub_utf8_cut((const char *)val, room);
	memcpy(e->value, val, v);
	e->value[v] = '\0';
	/* Text is Latin-1 or UTF-8 with no NULs; a NUL would cut the entry short anyway. */
	for (size_t i = 0; i < v; i++)
		if (!e->value[i])
			e->value[i] = ' ';
	if (!scrub_facts_has_text(f, e->value))
		f->ntext++; /* the same text again is shown once */
}

void scrub_describe_text_entry(const char *keyword, const uint8_t *p, size_t n,
			       struct scrub_facts *f)
{
	add_text(f, (const uint8_t *)keyword, strlen(keyword), p, n);
}

void scrub_describe_comment(const char *keyword, const uint8_t *p, size_t n,
			    struct scrub_facts *f)
{
	while (n > 0 && (p[n - 1] == 0 || p[n - 1] == ' ' || p[n - 1] == '\n'))
		n--;
	if (n == 0 || scrub_genai_comment(p, n, f))
		return;
	if (scrub_utf8_valid(p, n)) {
		add_text(f, (const uint8_t *)keyword, strlen(keyword), p, n);
		return;
	}
	char v[256];
	size_t len = scrub_latin1_to_utf8(p, n, v, sizeof v);
	add_text(f, (const uint8_t *)keyword, strlen(keyword), (const uint8_t *)v, len);
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
	} else if (has_prefix(kw, kwlen, "Raw profile type icc") && n) {
		scrub_describe_icc(data, n, f);
	}
	bool exif = has_prefix(kw, kwlen, "Raw profile type exif") ||
		    has_prefix(kw, kwlen, "Raw profile type APP1");
	if (exif && n && (has_prefix(data, n, "Exif\0\0") || has_prefix(data, n, "II*\0") ||
		  has_prefix(data, n, "MM\0*")))
		scrub_describe_exif(data, n, f);
	free(data);
}

/* A date as PNG text writers give it: ISO 8601, EXIF's "2024:05:01 12:00:00", RFC 1123. */
static void text_date(char *dst, size_t size, const char *v)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int y, d, h, mi, sec;
	char mon[4], zone[8] = "";
	if (strlen(v) >= 19 && v[4] == ':' && v[7] == ':' && v[10] == ' ') {
		snprintf(dst, size, "%.4s-%.2s-%.2sT%s", v, v + 5, v + 8, v + 11);
		return;
	}
	const char *p = strchr(v, ',');
	p = p ? p + 1 : v;
	if (sscanf(p, " %d %3s %d %d:%d:%d %7s", &d, mon, &y, &h, &mi, &sec, zone) >= 6) {
		const char *m = strstr(months, mon);
		if (m && strlen(mon) == 3 && (m - months) % 3 == 0 && d >= 1 && d <= 31 && y >= 0 &&
		    y <= 9999 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec < 61) {
			bool utc = !strcmp(zone, "GMT") || !strcmp(zone, "UTC") || !strcmp(zone, "+0000");
			snprintf(dst, size, "%04d-%02d-%02dT%02d:%02d:%02d%s", y, (int)(m - months) / 3 + 1,
				 d, h, mi, sec, utc ? "Z" : "");
			return;
		}
	}
	snprintf(dst, size, "%s", v);
}

/*
 * PNG keywords (PNG 3rd edition, 11.3.3.2, and what writers add) put in
 * the group their meaning says; the rest is free text under "other".
 */
enum text_kind { AS_TEXT, AS_FIELD, AS_DATE };
struct keyword_rule {
	const char *keyword;
	size_t off;
	size_t size;
	enum text_kind kind;
};
#define FACT(field) offsetof(struct scrub_facts, field), sizeof(((struct scrub_facts *)0)->field)
static const struct keyword_rule keyword_rules[] = {
	{ "Author", FACT(artist), AS_FIELD },
	{ "Copyright", FACT(copyright), AS_FIELD },
	{ "Creation Time", FACT(created), AS_DATE },
	{ "create-date", FACT(created), AS_DATE },
	{ "Software", FACT(software), AS_FIELD },
	{ "Source", FACT(source), AS_FIELD },
	{ "File Name", FACT(file_path), AS_FIELD },
	/* ImageMagick: the source file's times, and the EXIF it copied as text. */
	{ "date:create", FACT(file_times[0]), AS_DATE },
	{ "date:modify", FACT(file_times[1]), AS_DATE },
	{ "exif:Make", FACT(make), AS_FIELD },
	{ "exif:Model", FACT(model), AS_FIELD },
	{ "exif:Software", FACT(software), AS_FIELD },
	{ "exif:Artist", FACT(artist), AS_FIELD },
	{ "exif:Copyright", FACT(copyright), AS_FIELD },
	{ "exif:BodySerialNumber", FACT(body_serial), AS_FIELD },
	{ "exif:LensSerialNumber", FACT(lens_serial), AS_FIELD },
	{ "exif:LensModel", FACT(lens_model), AS_FIELD },
	{ "exif:DateTimeOriginal", FACT(original), AS_DATE },
	{ "exif:DateTimeDigitized", FACT(digitized), AS_DATE },
	{ "exif:DateTime", FACT(edited), AS_DATE },
};

static bool keyword_equals(const struct scrub_png_text *tv, const char *kw)
{
	size_t k = strlen(kw);
	return tv->keyword_len == k && !strncasecmp((const char *)tv->keyword, kw, k);
}

/* Stores a mapped keyword's value; false when the field is taken (the value is then free text). */
static bool mapped(const struct scrub_png_text *tv, const char *v, size_t n, struct scrub_facts *f)
{
	for (size_t i = 0; i < sizeof keyword_rules / sizeof keyword_rules[0]; i++) {
		const struct keyword_rule *r = &keyword_rules[i];
		if (!keyword_equals(tv, r->keyword))
			continue;
		char *dst = (char *)f + r->off;
		if (dst[0])
			return false;
		if (r->kind == AS_DATE) {
			char raw[64] = "";
			scrub_facts_set(raw, sizeof raw, v, n);
			text_date(dst, r->size, raw);
		} else {
			scrub_facts_set(dst, r->size, v, n);
		}
		return dst[0] != '\0';
	}
	return false;
}

/* tEXt and zTXt are Latin-1 (section 11.3.3.1), though many writers put UTF-8 there. */
static char *as_utf8(enum scrub_payload type, const struct scrub_png_text *tv, size_t *n)
{
	*n = tv->value_len;
	if (type == SCRUB_PAYLOAD_PNG_ITXT || scrub_utf8_valid(tv->value, tv->value_len))
		return NULL;
	size_t cap = 2 * tv->value_len + 1;
	char *u = malloc(cap);
	if (u)
		*n = scrub_latin1_to_utf8(tv->value, tv->value_len, u, cap);
	return u;
}

static void text_entry(enum scrub_payload type, const struct scrub_png_text *tv,
		       struct scrub_facts *f)
{
	const uint8_t *kw = tv->keyword;
	size_t kwlen = tv->keyword_len;
	if (scrub_png_text_is(tv, "XML:com.adobe.xmp")) {
		scrub_describe_xmp(tv->value, tv->value_len, f); /* its own finding, not a text row */
		return;
	}
	if (has_prefix(kw, kwlen, "Raw profile type ")) {
		raw_profile(kw, kwlen, tv, f);
		return;
	}
	size_t n;
	char *converted = as_utf8(type, tv, &n);
	const char *v = converted ? converted : (const char *)tv->value;
	char keyword[SCRUB_PNG_KEYWORD_MAX + 1];
	memcpy(keyword, kw, kwlen);
	keyword[kwlen] = '\0';
	if (!scrub_genai_text(keyword, (const uint8_t *)v, n, f) && !mapped(tv, v, n, f))
		add_text(f, kw, kwlen, (const uint8_t *)v, n);
	free(converted);
}

/*
 * RIFF INFO (Multimedia Programming Interface and Data Specifications 1.0,
 * section 2-14): sub-chunks of fourcc, little-endian size, NUL-terminated
 * text, a pad byte to even size. Artist, copyright, creation date and
 * software in their groups; the rest (name, comment, subject, keywords,
 * ...) free text under its fourcc.
 */
#define RIFF_INFO_MAX 256

static void riff_info_entry(const uint8_t *cc, const char *v, size_t n, struct scrub_facts *f)
{
	static const struct { char cc[5]; size_t off, size; bool date; } fields[] = {
		{ "IART", FACT(artist), false }, { "ICOP", FACT(copyright), false },
		{ "ICRD", FACT(created), true }, { "ISFT", FACT(software), false },
	};
	char key[5] = { (char)cc[0], (char)cc[1], (char)cc[2], (char)cc[3], '\0' };
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		char *dst = (char *)f + fields[i].off;
		if (memcmp(key, fields[i].cc, 4) || dst[0])
			continue;
		char raw[64] = "";
		scrub_facts_set(fields[i].date ? raw : dst, fields[i].date ? sizeof raw : fields[i].size, v, n);
		if (fields[i].date)
			text_date(dst, fields[i].size, raw);
		return;
	}
	for (int i = 0; i < 4; i++)
		if (key[i] < 0x20 || key[i] > 0x7E)
			key[i] = '?';
	add_text(f, (const uint8_t *)key, 4, (const uint8_t *)v, n);
}

void scrub_describe_riff_info(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	for (unsigned i = 0; i < RIFF_INFO_MAX && scrub_rd_left(&rd) >= 8; i++) {
		const uint8_t *cc = scrub_rd_take(&rd, 4);
		uint32_t len = scrub_rd_le32(&rd);
		const uint8_t *v = scrub_rd_take(&rd, len);
		if (!v)
			return;
		scrub_rd_skip(&rd, len & 1u);
		size_t k = 0;
		while (k < len && v[k])
			k++;
		char text[256];
		size_t tl;
		if (scrub_utf8_valid(v, k)) {
			tl = k < sizeof text ? k : scrub_utf8_cut((const char *)v, sizeof text - 1);
			memcpy(text, v, tl);
		} else {
			tl = scrub_latin1_to_utf8(v, k, text, sizeof text); /* the usual legacy text */
		}
		if (tl)
			riff_info_entry(cc, text, tl, f);
	}
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

/* iCCP: profile name NUL method compressed-profile, laid out like zTXt. */
static void icc_name(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_png_text t;
	if (f->icc_name[0] || !scrub_png_text_read(SCRUB_PAYLOAD_PNG_ZTXT, p, n, &t))
		return;
	memcpy(f->icc_name, t.keyword, t.keyword_len);
	f->icc_name[t.keyword_len] = '\0';
	scrub_describe_icc(t.value, t.value_len, f);
	scrub_png_text_free(&t);
}

void scrub_describe_png_text(enum scrub_payload type, const uint8_t *p, size_t n,
			     struct scrub_facts *f)
{
	struct scrub_png_text tv;
	if (!scrub_png_text_read(type, p, n, &tv))
		return;
	text_entry(type, &tv, f);
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

void scrub_describe_xmp_zlib(const uint8_t *p, size_t n, struct scrub_facts *f,
			     struct scrub_xmp_ext *x)
{
	struct scrub_png_text t;
	if (!scrub_zlib_inflate(p, n, &t))
		return;
	scrub_describe_xmp_main(t.value, t.value_len, f, x);
	scrub_png_text_free(&t);
}
