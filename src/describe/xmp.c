/*
 * XMP facts for reports, through expat with namespace processing (XMP spec
 * part 1, ISO 16684-1). A property is found by namespace URI and local name,
 * as an element (simple value, or the first rdf:li of an rdf:Alt, rdf:Seq
 * or rdf:Bag) or as an attribute of rdf:Description. Report path only.
 *
 * Safety: packets above SCRUB_XMP_MAX are not parsed, values are cut at
 * XMP_VALUE_MAX bytes on a UTF-8 boundary, nesting stops at XMP_DEPTH_MAX,
 * and any DOCTYPE or entity declaration stops the parse and drops what it
 * found: XMP never needs a DTD, so there is nothing to expand.
 */
#include <expat.h>
#include <stdio.h>
#include <string.h>

#include "scrub/bytes.h"
#include "scrub/facts.h"

#define XMP_VALUE_MAX 256
#define XMP_DEPTH_MAX 256
#define NS_SEP ' '
/* ExtendedXMP chunk: 32-byte GUID, full length, offset (XMP spec part 3, 1.1.3.1). */
#define EXT_GUID_LEN 32
#define EXT_HEAD_LEN (EXT_GUID_LEN + 8)

#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

enum prop {
	P_LAT, P_LON, P_CITY, P_STATE, P_COUNTRY, P_LOCATION, P_CC, P_CREATOR, P_RIGHTS,
	P_OWNER, P_AUX_SERIAL, P_BODY_SERIAL, P_LENS_SERIAL, P_MAKE, P_MODEL, P_TOOL,
	P_CREATE_DATE, P_PS_DATE, P_ORIGINAL_DATE, P_HISTORY, P_DOCID, P_ODOCID, P_COUNT
};

/* Expat's name for a property: namespace URI, NS_SEP, local name. */
static const char *const prop_names[P_COUNT] = {
	[P_LAT] = "http://ns.adobe.com/exif/1.0/ GPSLatitude",
	[P_LON] = "http://ns.adobe.com/exif/1.0/ GPSLongitude",
	[P_CITY] = "http://ns.adobe.com/photoshop/1.0/ City",
	[P_STATE] = "http://ns.adobe.com/photoshop/1.0/ State",
	[P_COUNTRY] = "http://ns.adobe.com/photoshop/1.0/ Country",
	[P_LOCATION] = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/ Location",
	[P_CC] = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/ CountryCode",
	[P_CREATOR] = "http://purl.org/dc/elements/1.1/ creator",
	[P_RIGHTS] = "http://purl.org/dc/elements/1.1/ rights",
	[P_OWNER] = "http://ns.adobe.com/xap/1.0/rights/ Owner",
	[P_AUX_SERIAL] = "http://ns.adobe.com/exif/1.0/aux/ SerialNumber",
	[P_BODY_SERIAL] = "http://cipa.jp/exif/1.0/ BodySerialNumber",
	[P_LENS_SERIAL] = "http://cipa.jp/exif/1.0/ LensSerialNumber",
	[P_MAKE] = "http://ns.adobe.com/tiff/1.0/ Make",
	[P_MODEL] = "http://ns.adobe.com/tiff/1.0/ Model",
	[P_TOOL] = "http://ns.adobe.com/xap/1.0/ CreatorTool",
	[P_CREATE_DATE] = "http://ns.adobe.com/xap/1.0/ CreateDate",
	[P_PS_DATE] = "http://ns.adobe.com/photoshop/1.0/ DateCreated",
	[P_ORIGINAL_DATE] = "http://ns.adobe.com/exif/1.0/ DateTimeOriginal",
	[P_HISTORY] = "http://ns.adobe.com/xap/1.0/mm/ History",
	[P_DOCID] = "http://ns.adobe.com/xap/1.0/mm/ DocumentID",
	[P_ODOCID] = "http://ns.adobe.com/xap/1.0/mm/ OriginalDocumentID",
};

/*
 * Parse state. Outside a property cur is -1; inside one, cur names it and
 * cur_depth is its element's depth; text collects the character data of
 * the innermost element and goes to val[cur] when that element ends.
 */
struct xmp_state {
	XML_Parser parser;
	bool refused;
	int depth;
	int cur;
	int cur_depth;
	unsigned items; /* rdf:li directly in the property's container */
	size_t text_len;
	char text[XMP_VALUE_MAX];
	char val[P_COUNT][XMP_VALUE_MAX];
};

static int find_prop(const char *name)
{
	for (int i = 0; i < P_COUNT; i++)
		if (!strcmp(prop_names[i], name))
			return i;
	return -1;
}

/* Stores s (trimmed) as the value of prop unless it has one. */
static void store(struct xmp_state *st, int prop, const char *s, size_t n)
{
	if (prop == P_HISTORY || st->val[prop][0])
		return;
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	if (n > XMP_VALUE_MAX - 1) {
		n = XMP_VALUE_MAX - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* never cut a UTF-8 sequence */
	}
	memcpy(st->val[prop], s, n);
	st->val[prop][n] = '\0';
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attr)
{
	struct xmp_state *st = ud;
	if (++st->depth > XMP_DEPTH_MAX) {
		XML_StopParser(st->parser, XML_FALSE);
		return;
	}
	for (size_t i = 0; attr[i] && attr[i + 1]; i += 2) {
		int p = find_prop(attr[i]);
		if (p >= 0)
			store(st, p, attr[i + 1], strlen(attr[i + 1]));
	}
	st->text_len = 0;
	st->text[0] = '\0';
	if (st->cur < 0) {
		st->cur = find_prop(name);
		st->cur_depth = st->depth;
		st->items = 0;
	} else if (st->depth == st->cur_depth + 2 && !strcmp(name, NS_RDF " li")) {
		st->items++;
	}
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct xmp_state *st = ud;
	(void)name;
	if (st->cur >= 0) {
		store(st, st->cur, st->text, st->text_len);
		st->text_len = 0;
		st->text[0] = '\0';
		if (st->depth == st->cur_depth) {
			if (st->cur == P_HISTORY && st->val[P_HISTORY][0] == '\0')
				snprintf(st->val[P_HISTORY], XMP_VALUE_MAX, "%u", st->items);
			st->cur = -1;
		}
	}
	st->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct xmp_state *st = ud;
	if (st->cur < 0 || len <= 0)
		return;
	size_t room = sizeof st->text - 1 - st->text_len;
	size_t n = (size_t)len;
	if (n > room) {
		n = room;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* never cut a UTF-8 sequence */
	}
	memcpy(st->text + st->text_len, s, n);
	st->text_len += n;
	st->text[st->text_len] = '\0';
}

/* XMP has no use for a DTD: a DOCTYPE or an entity declaration ends the parse. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	struct xmp_state *st = ud;
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	st->refused = true;
	XML_StopParser(st->parser, XML_FALSE);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param,
			      const XML_Char *value, int value_len, const XML_Char *base,
			      const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
	struct xmp_state *st = ud;
	(void)name, (void)is_param, (void)value, (void)value_len, (void)base;
	(void)sysid, (void)pubid, (void)notation;
	st->refused = true;
	XML_StopParser(st->parser, XML_FALSE);
}

/* Digits with an optional fraction; advances *s. False when there are none. */
static bool decimal(const char **s, double *out)
{
	const char *p = *s;
	double v = 0, scale = 1;
	bool any = false;
	for (; *p >= '0' && *p <= '9'; p++, any = true)
		v = v * 10 + (*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, any = true)
			v += (*p - '0') * (scale /= 10);
	*s = p;
	*out = v;
	return any;
}

/* XMP GPSCoordinate: "DDD,MM,SSk" or "DDD,MM.mmk", k one of N S E W. */
static bool coordinate(const char *s, char pos, char neg, double limit, double *out)
{
	double d, m = 0, sec = 0;
	if (!decimal(&s, &d))
		return false;
	if (*s == ',' && (s++, !decimal(&s, &m)))
		return false;
	if (*s == ',' && (s++, !decimal(&s, &sec)))
		return false;
	char k = *s;
	if ((k != pos && k != neg) || s[1] || m >= 60 || sec >= 60)
		return false;
	double v = d + m / 60.0 + sec / 3600.0;
	if (v > limit)
		return false;
	*out = k == neg ? -v : v;
	return true;
}

static void set_text(char *dst, size_t size, const char *v)
{
	if (dst[0] || !v[0])
		return;
	size_t n = strlen(v);
	if (n > size - 1)
		n = size - 1;
	while (n > 0 && ((unsigned char)v[n] & 0xC0) == 0x80)
		n--;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static void commit(const struct xmp_state *st, struct scrub_facts *f)
{
	double lat, lon;
	if (!f->has_gps && coordinate(st->val[P_LAT], 'N', 'S', 90, &lat) &&
	    coordinate(st->val[P_LON], 'E', 'W', 180, &lon)) {
		f->has_gps = true;
		f->lat = lat;
		f->lon = lon;
	}
	set_text(f->city, sizeof f->city, st->val[P_CITY]);
	set_text(f->state, sizeof f->state, st->val[P_STATE]);
	set_text(f->country, sizeof f->country, st->val[P_COUNTRY]);
	set_text(f->sublocation, sizeof f->sublocation, st->val[P_LOCATION]);
	set_text(f->country_code, sizeof f->country_code, st->val[P_CC]);
	set_text(f->creator, sizeof f->creator, st->val[P_CREATOR]);
	set_text(f->copyright, sizeof f->copyright, st->val[P_RIGHTS]);
	set_text(f->owner, sizeof f->owner, st->val[P_OWNER]);
	set_text(f->body_serial, sizeof f->body_serial, st->val[P_BODY_SERIAL]);
	set_text(f->body_serial, sizeof f->body_serial, st->val[P_AUX_SERIAL]);
	set_text(f->lens_serial, sizeof f->lens_serial, st->val[P_LENS_SERIAL]);
	set_text(f->make, sizeof f->make, st->val[P_MAKE]);
	set_text(f->model, sizeof f->model, st->val[P_MODEL]);
	set_text(f->software, sizeof f->software, st->val[P_TOOL]);
	set_text(f->datetime, sizeof f->datetime, st->val[P_ORIGINAL_DATE]);
	set_text(f->datetime, sizeof f->datetime, st->val[P_PS_DATE]);
	set_text(f->datetime, sizeof f->datetime, st->val[P_CREATE_DATE]);
	set_text(f->document_id, sizeof f->document_id, st->val[P_DOCID]);
	set_text(f->original_document_id, sizeof f->original_document_id, st->val[P_ODOCID]);
	unsigned h = 0;
	for (const char *p = st->val[P_HISTORY]; *p >= '0' && *p <= '9' && h < 100000; p++)
		h = h * 10 + (unsigned)(*p - '0');
	if (!f->history)
		f->history = h;
}

/* A JPEG ExtendedXMP chunk holding a whole extension: its XML, else NULL. */
static const uint8_t *extended_whole(const uint8_t *p, size_t n, size_t *len)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	for (size_t i = 0; i < EXT_GUID_LEN; i++) {
		int c = scrub_rd_u8(&rd) | 0x20;
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return NULL;
	}
	uint32_t full = scrub_rd_be32(&rd);
	uint32_t off = scrub_rd_be32(&rd);
	if (!scrub_rd_ok(&rd) || off != 0 || full != scrub_rd_left(&rd))
		return NULL;
	*len = full;
	return scrub_rd_take(&rd, full);
}

void scrub_describe_xmp(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	const uint8_t *ext;
	size_t ext_len;
	if (n >= EXT_HEAD_LEN && p[0] != '<' && (ext = extended_whole(p, n, &ext_len))) {
		p = ext;
		n = ext_len;
	}
	if (n == 0 || n > SCRUB_XMP_MAX)
		return;
	struct xmp_state st;
	memset(&st, 0, sizeof st);
	st.cur = -1;
	st.parser = XML_ParserCreateNS(NULL, NS_SEP);
	if (!st.parser)
		return;
	XML_SetUserData(st.parser, &st);
	XML_SetElementHandler(st.parser, on_start, on_end);
	XML_SetCharacterDataHandler(st.parser, on_text);
	XML_SetStartDoctypeDeclHandler(st.parser, on_doctype);
	XML_SetEntityDeclHandler(st.parser, on_entity);
	/* A parse error keeps what was read before it: the report shows what is there. */
	XML_Parse(st.parser, (const char *)p, (int)n, XML_TRUE);
	XML_ParserFree(st.parser);
	if (!st.refused)
		commit(&st, f);
}
