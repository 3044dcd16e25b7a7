/*
 * XMP facts for reports, through expat with namespace processing (XMP spec
 * part 1, ISO 16684-1). A property is found by namespace URI and local name,
 * as an element (simple value, or the first rdf:li of an rdf:Alt, rdf:Seq
 * or rdf:Bag) or as an attribute of rdf:Description. Report path only.
 *
 * A JPEG ExtendedXMP extension split over several APP1 chunks (part 3,
 * 1.1.3.1) is parsed in place: expat takes the chunks one after another in
 * offset order, so nothing is copied or allocated for the reassembly.
 *
 * Safety: packets above SCRUB_XMP_MAX are not parsed, values are cut at
 * XMP_VALUE_MAX bytes on a UTF-8 boundary, nesting stops at XMP_DEPTH_MAX,
 * and any DOCTYPE or entity declaration stops the parse and drops what it
 * found: XMP never needs a DTD, so there is nothing to expand.
 */
#include <assert.h>
#include <expat.h>
#include <stdio.h>
#include <string.h>

#include "core/bytes.h"
#include "describe/facts.h"
#include "core/utf8.h"

#define XMP_VALUE_MAX 256
/* Values a generator fills with its settings (exif:UserComment, dc:description) keep this much. */
#define XMP_LONG_MAX ((size_t)16 << 10)
#define XMP_DEPTH_MAX 256
#define NS_SEP ' '
/* ExtendedXMP chunk: 32-byte GUID, full length, offset (XMP spec part 3, 1.1.3.1). */
#define EXT_HEAD_LEN (SCRUB_XMP_GUID_LEN + 8)

#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_HDRGM "http://ns.adobe.com/hdr-gain-map/1.0/"
#define NS_ITEM "http://ns.google.com/photos/1.0/container/item/"
#define NS_GCAMERA "http://ns.google.com/photos/1.0/camera/"
#define NS_IPTC_EXT "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"

enum prop {
	P_LAT, P_LON, P_CITY, P_STATE, P_COUNTRY, P_LOCATION, P_CC, P_CREATOR, P_RIGHTS,
	P_OWNER, P_AUX_SERIAL, P_BODY_SERIAL, P_LENS_SERIAL, P_MAKE, P_MODEL, P_TOOL,
	P_CREATE_DATE, P_PS_DATE, P_ORIGINAL_DATE, P_DIGITIZED, P_MODIFY_DATE, P_METADATA_DATE,
	P_HISTORY, P_DOCID, P_ODOCID, P_HAS_EXT, P_EXT_CITY, P_EXT_STATE, P_EXT_COUNTRY,
	P_EXT_SUBLOCATION, P_EXT_CC, P_TITLE, P_DESCRIPTION, P_USER_COMMENT, P_PERSON,
	P_REGION_NAME, P_MS_PERSON, P_CI_EMAIL, P_CI_TEL, P_CI_URL, P_CAPTION_WRITER, P_COUNT
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
	[P_DIGITIZED] = "http://ns.adobe.com/exif/1.0/ DateTimeDigitized",
	[P_MODIFY_DATE] = "http://ns.adobe.com/xap/1.0/ ModifyDate",
	[P_METADATA_DATE] = "http://ns.adobe.com/xap/1.0/ MetadataDate",
	[P_HISTORY] = "http://ns.adobe.com/xap/1.0/mm/ History",
	[P_DOCID] = "http://ns.adobe.com/xap/1.0/mm/ DocumentID",
	[P_ODOCID] = "http://ns.adobe.com/xap/1.0/mm/ OriginalDocumentID",
	[P_HAS_EXT] = "http://ns.adobe.com/xmp/note/ HasExtendedXMP",
	/* IPTC Extension LocationCreated/LocationShown: the same place fields, one level down. */
	[P_EXT_CITY] = NS_IPTC_EXT " City",
	[P_EXT_STATE] = NS_IPTC_EXT " ProvinceState",
	[P_EXT_COUNTRY] = NS_IPTC_EXT " CountryName",
	[P_EXT_SUBLOCATION] = NS_IPTC_EXT " Sublocation",
	[P_EXT_CC] = NS_IPTC_EXT " CountryCode",
	[P_TITLE] = "http://purl.org/dc/elements/1.1/ title",
	[P_DESCRIPTION] = "http://purl.org/dc/elements/1.1/ description",
	/* Draw Things keeps its generation settings here, as JSON. */
	[P_USER_COMMENT] = "http://ns.adobe.com/exif/1.0/ UserComment",
	/* Who is in the picture: IPTC Extension, MWG face regions, Windows Photo Gallery tags. */
	[P_PERSON] = NS_IPTC_EXT " PersonInImage",
	[P_REGION_NAME] = "http://www.metadataworkinggroup.com/schemas/regions/ Name",
	[P_MS_PERSON] = "http://ns.microsoft.com/photo/1.2/t/Region# PersonDisplayName",
	[P_CI_EMAIL] = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/ CiEmailWork",
	[P_CI_TEL] = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/ CiTelWork",
	[P_CI_URL] = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/ CiUrlWork",
	[P_CAPTION_WRITER] = "http://ns.adobe.com/photoshop/1.0/ CaptionWriter",
};

/*
 * Properties that announce an image riding along. Unlike the facts above,
 * every occurrence counts: a Container lists one Item:Semantic per image.
 * A NULL value means any non-empty one.
 */
struct hidden_rule {
	const char *name;
	const char *value;
	unsigned bit;
};
static const struct hidden_rule hidden_rules[] = {
	{ NS_ITEM " Semantic", "GainMap", SCRUB_HIDDEN_GAIN_MAP },
	{ NS_ITEM " Semantic", "Depth", SCRUB_HIDDEN_DEPTH_MAP },
	{ NS_ITEM " Semantic", "MotionPhoto", SCRUB_HIDDEN_MOTION },
	{ "http://ns.google.com/photos/1.0/depthmap/ Data", NULL, SCRUB_HIDDEN_DEPTH_MAP },
	{ "http://ns.google.com/photos/1.0/image/ Data", NULL, SCRUB_HIDDEN_ORIGINAL },
	{ NS_GCAMERA " MotionPhoto", "1", SCRUB_HIDDEN_MOTION },
	{ NS_GCAMERA " MicroVideo", "1", SCRUB_HIDDEN_MOTION },
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
	bool watch;     /* the innermost element is named in hidden_rules */
	unsigned hidden;
	size_t text_len;
	char text[XMP_LONG_MAX];
	char val[P_COUNT][XMP_VALUE_MAX];
	char long_val[2][XMP_LONG_MAX]; /* whole P_DESCRIPTION and P_USER_COMMENT */
	struct scrub_buf *tags; /* --report -v: every property, else NULL */
	char last_prop[96];     /* short name of the innermost property, for rdf:li values */
};


static int find_prop(const char *name)
{
	for (int i = 0; i < P_COUNT; i++)
		if (!strcmp(prop_names[i], name))
			return i;
	return -1;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Narrows s[0..*n) to its text without surrounding white space. */
static const char *trim(const char *s, size_t *n)
{
	while (*n > 0 && is_space(*s)) {
		s++;
		(*n)--;
	}
	while (*n > 0 && is_space(s[*n - 1]))
		(*n)--;
	return s;
}

/* Stores s (trimmed) as the value of prop unless it has one; long ones whole too. */
static void store(struct xmp_state *st, int prop, const char *s, size_t n)
{
	if (prop == P_HISTORY || st->val[prop][0])
		return;
	s = trim(s, &n);
	if (prop == P_DESCRIPTION || prop == P_USER_COMMENT) {
		char *whole = st->long_val[prop == P_USER_COMMENT];
		size_t w = n > XMP_LONG_MAX - 1 ? scrub_utf8_cut(s, XMP_LONG_MAX - 1) : n;
		memcpy(whole, s, w);
		whole[w] = '\0';
	}
	if (n > XMP_VALUE_MAX - 1)
		n = scrub_utf8_cut(s, XMP_VALUE_MAX - 1);
	memcpy(st->val[prop], s, n);
	st->val[prop][n] = '\0';
}

/*
 * Hidden-image bits that property name with value v announces; v is NULL
 * when the value is not known yet (an element just opened). Any gain map
 * property (hdrgm:Version on the primary image, ...) means there is one.
 */
static unsigned hidden_bits(const char *name, const char *v, size_t n)
{
	if (!strncmp(name, NS_HDRGM " ", sizeof NS_HDRGM))
		return SCRUB_HIDDEN_GAIN_MAP;
	if (!v)
		return 0;
	v = trim(v, &n);
	unsigned bits = 0;
	for (size_t i = 0; i < sizeof hidden_rules / sizeof hidden_rules[0]; i++) {
		const struct hidden_rule *r = &hidden_rules[i];
		if (strcmp(r->name, name))
			continue;
		if (r->value ? strlen(r->value) == n && !memcmp(r->value, v, n) : n > 0)
			bits |= r->bit;
	}
	return bits;
}

static bool is_hidden_name(const char *name)
{
	for (size_t i = 0; i < sizeof hidden_rules / sizeof hidden_rules[0]; i++)
		if (!strcmp(hidden_rules[i].name, name))
			return true;
	return false;
}

/* Prefixes shown for well-known namespaces in --report -v; others show their URI. */
static const struct { const char *uri, *prefix; } ns_prefixes[] = {
	{ "http://ns.adobe.com/exif/1.0/", "exif" },
	{ "http://ns.adobe.com/exif/1.0/aux/", "aux" },
	{ "http://ns.adobe.com/tiff/1.0/", "tiff" },
	{ "http://ns.adobe.com/xap/1.0/", "xmp" },
	{ "http://ns.adobe.com/xap/1.0/mm/", "xmpMM" },
	{ "http://ns.adobe.com/xap/1.0/rights/", "xmpRights" },
	{ "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#", "stEvt" },
	{ "http://ns.adobe.com/xap/1.0/sType/ResourceRef#", "stRef" },
	{ "http://ns.adobe.com/xmp/note/", "xmpNote" },
	{ "http://ns.adobe.com/photoshop/1.0/", "photoshop" },
	{ "http://ns.adobe.com/camera-raw-settings/1.0/", "crs" },
	{ "http://ns.adobe.com/hdr-gain-map/1.0/", "hdrgm" },
	{ "http://purl.org/dc/elements/1.1/", "dc" },
	{ "http://cipa.jp/exif/1.0/", "exifEX" },
	{ "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/", "Iptc4xmpCore" },
	{ "http://iptc.org/std/Iptc4xmpExt/2008-02-29/", "Iptc4xmpExt" },
	{ "http://ns.google.com/photos/1.0/camera/", "GCamera" },
	{ "http://ns.google.com/photos/1.0/container/", "Container" },
	{ "http://ns.google.com/photos/1.0/container/item/", "Item" },
	{ "http://ns.google.com/photos/1.0/depthmap/", "GDepth" },
	{ "http://ns.google.com/photos/1.0/image/", "GImage" },
	{ "http://www.metadataworkinggroup.com/schemas/regions/", "mwg-rs" },
};

/* "prefix:local" for expat's "URI local", into dst. */
static void short_name(const char *name, char *dst, size_t size)
{
	const char *sep = strchr(name, NS_SEP);
	if (!sep) {
		snprintf(dst, size, "%s", name);
		return;
	}
	size_t uri_len = (size_t)(sep - name);
	for (size_t i = 0; i < sizeof ns_prefixes / sizeof ns_prefixes[0]; i++)
		if (strlen(ns_prefixes[i].uri) == uri_len && !strncmp(name, ns_prefixes[i].uri, uri_len)) {
			snprintf(dst, size, "%s:%s", ns_prefixes[i].prefix, sep + 1);
			return;
		}
	snprintf(dst, size, "%.*s%s", (int)uri_len, name, sep + 1);
}

/*
 * Structure, not values: RDF, x:xmpmeta and xml:lang names list nothing
 * themselves, nor do attributes outside any namespace (rdf:about written
 * without its prefix).
 */
static bool is_syntax(const char *name)
{
	return !strchr(name, NS_SEP) || !strncmp(name, NS_RDF, sizeof NS_RDF - 1) ||
	       !strncmp(name, "adobe:ns:meta/", 14) ||
	       !strncmp(name, "http://www.w3.org/XML/1998/namespace", 36);
}

static void list_value(struct xmp_state *st, const char *name, const char *v, size_t n)
{
	char shown[96], value[XMP_VALUE_MAX];
	const char *t = trim(v, &n);
	if (!n)
		return;
	if (name)
		short_name(name, shown, sizeof shown);
	snprintf(value, sizeof value, "%.*s", (int)n, t);
	scrub_tags_add(st->tags, "XMP", name ? shown : st->last_prop, value);
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
		size_t n = strlen(attr[i + 1]);
		if (p >= 0)
			store(st, p, attr[i + 1], n);
		st->hidden |= hidden_bits(attr[i], attr[i + 1], n);
		if (st->tags && !is_syntax(attr[i]))
			list_value(st, attr[i], attr[i + 1], n);
	}
	if (st->tags && !is_syntax(name))
		short_name(name, st->last_prop, sizeof st->last_prop);
	st->hidden |= hidden_bits(name, NULL, 0);
	st->watch = is_hidden_name(name);
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
	if (st->tags && (!is_syntax(name) || !strcmp(name, NS_RDF " li")))
		list_value(st, is_syntax(name) ? NULL : name, st->text, st->text_len);
	if (st->watch) {
		st->hidden |= hidden_bits(name, st->text, st->text_len);
		st->watch = false;
	}
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
	/* A parent's end must not see its last child's text again. */
	st->text_len = 0;
	st->text[0] = '\0';
	st->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct xmp_state *st = ud;
	if ((st->cur < 0 && !st->watch && !st->tags) || len <= 0)
		return;
	size_t room = sizeof st->text - 1 - st->text_len;
	size_t n = (size_t)len;
	if (n > room)
		n = scrub_utf8_cut(s, room);
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
		n = scrub_utf8_cut(v, size - 1);
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static void commit_place(const struct xmp_state *st, struct scrub_facts *f)
{
	double lat, lon;
	if (coordinate(st->val[P_LAT], 'N', 'S', 90, &lat) &&
	    coordinate(st->val[P_LON], 'E', 'W', 180, &lon)) {
		struct scrub_facts pos = { .has_gps = true, .lat = lat, .lon = lon,
					   .gps_from = "XMP" };
		scrub_facts_merge(f, &pos); /* first position wins, a different one is the second */
	}
	static const struct { int prop, ext; } places[] = {
		{ P_CITY, P_EXT_CITY }, { P_STATE, P_EXT_STATE }, { P_COUNTRY, P_EXT_COUNTRY },
		{ P_LOCATION, P_EXT_SUBLOCATION }, { P_CC, P_EXT_CC },
	};
	char *dst[] = { f->city, f->state, f->country, f->sublocation, f->country_code };
	size_t size[] = { sizeof f->city, sizeof f->state, sizeof f->country, sizeof f->sublocation,
			  sizeof f->country_code };
	for (size_t i = 0; i < sizeof places / sizeof places[0]; i++) {
		set_text(dst[i], size[i], st->val[places[i].prop]);
		set_text(dst[i], size[i], st->val[places[i].ext]);
	}
}

static void commit_people_and_device(const struct xmp_state *st, struct scrub_facts *f)
{
	set_text(f->creator, sizeof f->creator, st->val[P_CREATOR]);
	set_text(f->copyright, sizeof f->copyright, st->val[P_RIGHTS]);
	set_text(f->owner, sizeof f->owner, st->val[P_OWNER]);
	set_text(f->body_serial, sizeof f->body_serial, st->val[P_BODY_SERIAL]);
	set_text(f->body_serial, sizeof f->body_serial, st->val[P_AUX_SERIAL]);
	set_text(f->lens_serial, sizeof f->lens_serial, st->val[P_LENS_SERIAL]);
	set_text(f->make, sizeof f->make, st->val[P_MAKE]);
	set_text(f->model, sizeof f->model, st->val[P_MODEL]);
	set_text(f->software, sizeof f->software, st->val[P_TOOL]);
	set_text(f->people, sizeof f->people, st->val[P_PERSON]);
	set_text(f->people, sizeof f->people, st->val[P_REGION_NAME]);
	set_text(f->people, sizeof f->people, st->val[P_MS_PERSON]);
	set_text(f->contact, sizeof f->contact, st->val[P_CI_EMAIL]);
	set_text(f->contact, sizeof f->contact, st->val[P_CI_TEL]);
	set_text(f->contact, sizeof f->contact, st->val[P_CI_URL]);
	set_text(f->writer, sizeof f->writer, st->val[P_CAPTION_WRITER]);
	set_text(f->document_id, sizeof f->document_id, st->val[P_DOCID]);
	set_text(f->original_document_id, sizeof f->original_document_id, st->val[P_ODOCID]);
}

/*
 * SPEC.md section 4: exif:DateTimeOriginal is the original, then the XMP
 * creation dates (photoshop:DateCreated, xmp:CreateDate), then digitised;
 * the modify and metadata dates are only ever edits.
 */
static void commit_times(const struct xmp_state *st, struct scrub_facts *f)
{
	set_text(f->original, sizeof f->original, st->val[P_ORIGINAL_DATE]);
	set_text(f->created, sizeof f->created, st->val[P_PS_DATE]);
	set_text(f->created, sizeof f->created, st->val[P_CREATE_DATE]);
	set_text(f->digitized, sizeof f->digitized, st->val[P_DIGITIZED]);
	set_text(f->edited, sizeof f->edited, st->val[P_MODIFY_DATE]);
	set_text(f->edited, sizeof f->edited, st->val[P_METADATA_DATE]);
	unsigned h = 0;
	for (const char *p = st->val[P_HISTORY]; *p >= '0' && *p <= '9' && h < 100000; p++)
		h = h * 10 + (unsigned)(*p - '0');
	if (!f->history)
		f->history = h;
}

/* Generator settings (Draw Things) become the prompt; a plain caption is free text. */
static void commit_text(const struct xmp_state *st, struct scrub_facts *f)
{
	const char *comment = st->long_val[1], *desc = st->long_val[0];
	bool prompt = comment[0] && scrub_genai_comment((const uint8_t *)comment, strlen(comment), f);
	if (comment[0] && !prompt)
		scrub_describe_text_entry("exif:UserComment", (const uint8_t *)comment,
					  strlen(comment), f);
	/* Draw Things repeats its prompt in dc:description: shown once. */
	if (desc[0] && !prompt && !scrub_genai_comment((const uint8_t *)desc, strlen(desc), f))
		scrub_describe_text_entry("dc:description", (const uint8_t *)desc, strlen(desc), f);
	if (st->val[P_TITLE][0])
		scrub_describe_text_entry("dc:title", (const uint8_t *)st->val[P_TITLE],
					  strlen(st->val[P_TITLE]), f);
}

static void commit(const struct xmp_state *st, struct scrub_facts *f)
{
	commit_place(st, f);
	commit_people_and_device(st, f);
	commit_times(st, f);
	commit_text(st, f);
	f->hidden |= st->hidden;
}

/*
 * Parses the parts, in order, as one packet into f; records the extension
 * GUID in want. True when the whole packet was well-formed.
 */
static bool parse(const struct scrub_xmp_part *const *parts, size_t nparts, struct scrub_facts *f,
		  char *want)
{
	struct xmp_state st;
	memset(&st, 0, sizeof st);
	st.cur = -1;
	st.tags = f->tags;
	st.parser = XML_ParserCreateNS(NULL, NS_SEP);
	if (!st.parser)
		return false;
	XML_SetUserData(st.parser, &st);
	XML_SetElementHandler(st.parser, on_start, on_end);
	XML_SetCharacterDataHandler(st.parser, on_text);
	XML_SetStartDoctypeDeclHandler(st.parser, on_doctype);
	XML_SetEntityDeclHandler(st.parser, on_entity);
	/* A parse error keeps what was read before it: the report shows what is there. */
	bool ok = true;
	for (size_t i = 0; i < nparts && ok; i++) {
		assert(parts[i]->len <= SCRUB_XMP_MAX);
		ok = XML_Parse(st.parser, (const char *)parts[i]->data, (int)parts[i]->len,
			       i + 1 == nparts) == XML_STATUS_OK;
	}
	XML_ParserFree(st.parser);
	if (st.refused)
		return false;
	commit(&st, f);
	if (want && !want[0] && strlen(st.val[P_HAS_EXT]) == SCRUB_XMP_GUID_LEN)
		memcpy(want, st.val[P_HAS_EXT], SCRUB_XMP_GUID_LEN + 1);
	return ok;
}

static bool is_hex(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

void scrub_xmp_ext_init(struct scrub_xmp_ext *x)
{
	x->want[0] = '\0';
	x->nparts = 0;
}

bool scrub_xmp_ext_add(struct scrub_xmp_ext *x, const uint8_t *p, size_t n)
{
	if (x->nparts == SCRUB_XMP_PARTS_MAX)
		return false;
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	const uint8_t *guid = scrub_rd_take(&rd, SCRUB_XMP_GUID_LEN);
	for (size_t i = 0; guid && i < SCRUB_XMP_GUID_LEN; i++)
		if (!is_hex(guid[i]))
			return false;
	uint32_t full = scrub_rd_be32(&rd);
	uint32_t off = scrub_rd_be32(&rd);
	size_t len = scrub_rd_left(&rd);
	/* Checked from the trusted side: off < full, so full - off cannot wrap. */
	if (!scrub_rd_ok(&rd) || full > SCRUB_XMP_MAX || off >= full || len == 0 ||
	    len > full - off)
		return false;
	x->part[x->nparts++] = (struct scrub_xmp_part){ .guid = guid,
							.data = scrub_rd_take(&rd, len),
							.len = (uint32_t)len,
							.full = full,
							.off = off };
	return true;
}

/* The GUID to read: the one the main packet names if a chunk has it, else the first chunk's. */
static const uint8_t *chosen_guid(const struct scrub_xmp_ext *x)
{
	if (strlen(x->want) == SCRUB_XMP_GUID_LEN)
		for (size_t i = 0; i < x->nparts; i++)
			if (!memcmp(x->part[i].guid, x->want, SCRUB_XMP_GUID_LEN))
				return x->part[i].guid;
	return x->nparts ? x->part[0].guid : NULL;
}

bool scrub_describe_xmp_ext(const struct scrub_xmp_ext *x, struct scrub_facts *f)
{
	const uint8_t *guid = chosen_guid(x);
	if (!guid)
		return false;
	const struct scrub_xmp_part *sel[SCRUB_XMP_PARTS_MAX];
	size_t n = 0;
	for (size_t i = 0; i < x->nparts; i++) {
		const struct scrub_xmp_part *part = &x->part[i];
		if (memcmp(part->guid, guid, SCRUB_XMP_GUID_LEN))
			continue;
		/* Insertion sort by offset: at most SCRUB_XMP_PARTS_MAX parts. */
		size_t j = n++;
		for (; j > 0 && sel[j - 1]->off > part->off; j--)
			sel[j] = sel[j - 1];
		sel[j] = part;
	}
	/* The parts must tile [0, full) exactly: no gap, no overlap, one full length. */
	uint32_t at = 0;
	for (size_t i = 0; i < n; i++) {
		if (sel[i]->full != sel[0]->full || sel[i]->off != at)
			return false;
		at += sel[i]->len; /* add() kept off + len <= full <= SCRUB_XMP_MAX */
	}
	if (at != sel[0]->full)
		return false;
	return parse(sel, n, f, NULL);
}

void scrub_describe_xmp_main(const uint8_t *p, size_t n, struct scrub_facts *f,
			     struct scrub_xmp_ext *x)
{
	if (n == 0 || n > SCRUB_XMP_MAX)
		return;
	const struct scrub_xmp_part whole = { .data = p, .len = (uint32_t)n };
	const struct scrub_xmp_part *one = &whole;
	(void)parse(&one, 1, f, x ? x->want : NULL);
}

void scrub_describe_xmp(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	/* An ExtendedXMP chunk starts with its GUID, a packet with '<' (or a BOM). */
	if (n >= EXT_HEAD_LEN && is_hex(p[0])) {
		struct scrub_xmp_ext x;
		scrub_xmp_ext_init(&x);
		if (scrub_xmp_ext_add(&x, p, n))
			scrub_describe_xmp_ext(&x, f);
		return;
	}
	scrub_describe_xmp_main(p, n, f, NULL);
}
