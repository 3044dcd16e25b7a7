/*
 * HEIF backend (HEIC, HEIF, AVIF): one ISOBMFF walker for the still-image
 * brands of ISO/IEC 23008-12 and its AV1 profile (AVIF).
 *
 * Boxes (ISO/IEC 14496-12 4.2): size(4) type(4); size 1 means a 64-bit
 * largesize follows, size 0 that the box runs to the end of the file, type
 * "uuid" that a 16-byte usertype follows. A file is ftyp, one meta (hdlr
 * "pict") describing items, and mdat boxes holding the items' bytes.
 *
 * The walker reads the file into a model (struct heif), decides under the
 * policy which items stay (the primary and what it is derived from, and
 * its alpha), then either lists segments for reports (scan) or writes the
 * file again without the rest (strip; algorithm A of FORMATS-NOTES 1.3):
 * the removed items' infe, iloc, ipma, iref and group entries go, their
 * bytes are cut out of mdat and idat, and every iloc offset that moves is
 * rewritten. Properties only removed items used become zero-filled free
 * boxes of the same size, so ipma indices stay valid. strip parses again
 * rather than trusting the segment list: meta is a few kilobytes.
 *
 * Positions are absolute input offsets throughout: each reader spans the
 * input from 0 to the end of the box being read, so no offset is turned
 * into a pointer outside bytes.c.
 *
 * Refused untouched (SCRUB_E_UNSUPPORTED, with the reason): image
 * sequences (moov, moof), the compact mini form, several meta boxes, data
 * in other files (dref), construction method 2, protected items (ipro,
 * item_protection_index) and infe versions 0 and 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/inflate.h"

#include "formats/codec.h"
#include "formats/format.h"

/* Budgets: far above real files (an iPhone photo has 53 items), small enough to bound work. */
#define MAX_TOP_BOXES 4096
#define MAX_META_CHILDREN 256
#define MAX_ITEMS 32768
#define MAX_EXTENTS ((size_t)1 << 18)
#define MAX_REFS 4096
#define MAX_REF_IDS ((size_t)1 << 18)
#define MAX_PROPS 32767 /* ipma indices have 15 bits */
#define MAX_ASSOCS ((size_t)1 << 20)
#define MAX_GROUPS 4096
#define MAX_GROUP_IDS ((size_t)1 << 18)

#define BOX_HEAD 8u
#define LARGE_HEAD 16u
#define USERTYPE_LEN 16u
#define FULL_HEAD 4u       /* version(1) flags(3) */
#define ICC_HEADER_LEN 128 /* ICC.1:2010 7.2: the profile header */

enum box_form { FORM_PLAIN, FORM_LARGE, FORM_TO_END };

struct box {
	size_t off;  /* first byte of the header */
	size_t head; /* header bytes: 8, 16 with largesize, +16 with a usertype */
	size_t len;  /* the whole box */
	uint8_t type[4];
	uint8_t form; /* enum box_form */
};

/* What becomes of an item. */
enum fate {
	FATE_UNSEEN,
	FATE_KEEP,
	FATE_EXIF,
	FATE_XMP,
	FATE_MIME,
	FATE_URI,
	FATE_UNKNOWN,
	FATE_THUMB,
	FATE_GAIN_MAP,
	FATE_AUX,
	FATE_IMAGE /* another picture not reachable from the primary */
};

enum aux_kind { AUX_NONE, AUX_ALPHA, AUX_DEPTH, AUX_MATTE, AUX_GAIN_MAP, AUX_OTHER };

struct item {
	uint32_t id;
	uint8_t type[4];
	uint8_t fate;       /* enum fate */
	uint8_t aux;        /* enum aux_kind, from its auxC */
	bool hidden;
	bool xmp;           /* mime application/rdf+xml */
	bool zlib;          /* content_encoding deflate */
	struct box infe;
	size_t loc;         /* index + 1 in locs, 0 when the item has no data */
	size_t ipma;        /* index + 1 in ipmas, 0 when it has no properties */
	size_t first_ref;   /* index + 1 of the first iref entry from this item */
};

struct id_index {
	uint32_t id;
	size_t index;
};

/* An ipma entry: which item, and its run of associations in assoc[]. */
struct ipma_entry {
	uint32_t id;
	size_t assoc0;
	size_t nassoc;
};

struct extent {
	uint64_t index;
	uint64_t off;
	uint64_t len;
};

struct loc {
	uint32_t id;
	uint8_t cm;        /* construction method: 0 file offset, 1 idat offset */
	uint16_t dref;
	uint64_t base;
	size_t ext0;
	size_t next;
	size_t item;       /* index in items */
};

struct ref {
	uint8_t type[4];
	uint32_t from;     /* item index */
	size_t to0;        /* first target (item index) in to[] */
	size_t nto;
	size_t next_from;  /* index + 1 of the next entry from the same item */
};

struct prop {
	struct box box;
	bool used;         /* a kept item associates it */
	bool icc_dropped;  /* an ICC colr whose associations go (policy or invalid) */
	bool neutral;      /* written as a zero-filled free box */
	bool removed_use;  /* a removed item associates it */
};

struct assoc {
	uint16_t index;    /* 1-based ipco index, 0 = none */
	bool essential;
	bool dropped;
};

struct group {
	struct box box;
	uint8_t version;
	uint32_t flags;
	uint32_t gid;
	size_t ent0;       /* entities (item indices) in ents[] */
	size_t nent;
	size_t rest;       /* offset of the bytes after the entity list */
	size_t nkept;
};

/* A run of bytes that stays, and where it goes in the output. */
struct range {
	uint64_t start;
	uint64_t len;
	uint64_t out;
};

enum meta_slot {
	SLOT_NONE, SLOT_HDLR, SLOT_PITM, SLOT_IINF, SLOT_ILOC, SLOT_IREF, SLOT_IPRP, SLOT_IDAT,
	SLOT_GRPL, SLOT_DINF, SLOT_COUNT
};

struct heif {
	const uint8_t *p;
	size_t n;
	const struct scrub_policy *pol;
	size_t fail_off;
	const char *fail_why;
	struct box *top;
	size_t ntop, captop;
	size_t meta;                 /* index in top */
	struct box mchild[MAX_META_CHILDREN];
	uint8_t mslot[MAX_META_CHILDREN];
	size_t nmchild;
	struct box slot[SLOT_COUNT]; /* len 0 when absent */
	struct box ipco, ipma;
	size_t niprp_dropped;        /* iprp children that are neither ipco nor ipma */
	uint32_t pitm;               /* item index of the primary */
	uint8_t iinf_version;
	uint32_t iinf_flags;
	uint8_t iloc_version, off_size, len_size, base_size, index_size;
	uint8_t iref_version;
	uint8_t ipma_version;
	uint32_t ipma_flags;
	struct item *items;
	size_t nitems;
	struct id_index *by_id;      /* items sorted by ID */
	struct loc *locs;
	size_t nlocs, caplocs;
	struct extent *ext;
	size_t next, capext;
	struct ref *refs;
	size_t nrefs, caprefs;
	size_t *to;
	size_t nto, capto;
	struct prop *props;
	size_t nprops, capprops;
	struct assoc *assoc;
	size_t nassoc, capassoc;
	struct ipma_entry *ipmas;
	size_t nipma, capipma;
	struct group *groups;
	size_t ngroups, capgroups;
	size_t *ents;
	size_t nents, capents;
	size_t ndref;
	struct range *kept;          /* kept mdat bytes, merged, in file order */
	size_t nkept, capkept;
	struct range *kept_idat;     /* kept idat bytes, offsets into the idat payload */
	size_t nkept_idat, capkept_idat;
	bool changed;                /* the output differs from the input */
};

static enum scrub_status fail(struct heif *h, size_t off, enum scrub_status st, const char *why)
{
	if (!h->fail_why) {
		h->fail_off = off;
		h->fail_why = why;
	}
	return st;
}

static bool is_type(const uint8_t t[4], const char *name)
{
	return memcmp(t, name, 4) == 0;
}

/* Makes room for element n of *vp (cap elements of size bytes each), up to max. */
static enum scrub_status room(void *vp, size_t *cap, size_t n, size_t size, size_t max)
{
	void **v = vp;
	if (n < *cap)
		return SCRUB_OK;
	if (n >= max)
		return SCRUB_E_LIMIT;
	size_t c = *cap ? *cap * 2 : 16;
	if (c > max)
		c = max;
	void *nv = realloc(*v, c * size);
	if (!nv)
		return SCRUB_E_NOMEM;
	*v = nv;
	*cap = c;
	return SCRUB_OK;
}

static void heif_free(struct heif *h)
{
	free(h->top);
	free(h->items);
	free(h->by_id);
	free(h->locs);
	free(h->ext);
	free(h->refs);
	free(h->to);
	free(h->props);
	free(h->assoc);
	free(h->ipmas);
	free(h->groups);
	free(h->ents);
	free(h->kept);
	free(h->kept_idat);
}

/* --- reading boxes --------------------------------------------------------- */

/* A reader over input bytes [start, end): positions stay absolute offsets. */
static void span(const struct heif *h, struct scrub_rd *rd, size_t start, size_t end)
{
	scrub_rd_init(rd, h->p, end);
	scrub_rd_seek(rd, start);
}

static void payload_of(const struct heif *h, const struct box *b, struct scrub_rd *rd)
{
	span(h, rd, b->off + b->head, b->off + b->len);
}

/* Unsigned big-endian field of 0, 1, 2, 4 or 8 bytes (iloc sizes). */
static uint64_t rd_uint(struct scrub_rd *rd, unsigned size)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v = v << 8 | scrub_rd_u8(rd);
	return v;
}

/*
 * Reads the box header at rd's position; rd ends at the parent's end (the
 * file's for top-level boxes). On success rd is past the whole box.
 */
static enum scrub_status read_box(struct heif *h, struct scrub_rd *rd, struct box *b)
{
	b->off = rd->pos;
	uint32_t size32 = scrub_rd_be32(rd);
	const uint8_t *t = scrub_rd_take(rd, 4);
	if (!t)
		return fail(h, b->off, SCRUB_E_TRUNCATED, "box header cut short");
	memcpy(b->type, t, 4);
	uint64_t size = size32;
	b->form = FORM_PLAIN;
	if (size32 == 1) {
		size = rd_uint(rd, 8);
		b->form = FORM_LARGE;
	} else if (size32 == 0) {
		size = rd->len - b->off;
		b->form = FORM_TO_END;
	}
	if (is_type(b->type, "uuid"))
		scrub_rd_skip(rd, USERTYPE_LEN);
	if (!scrub_rd_ok(rd))
		return fail(h, b->off, SCRUB_E_TRUNCATED, "box header cut short");
	b->head = rd->pos - b->off;
	if (size < b->head)
		return fail(h, b->off, SCRUB_E_MALFORMED, "box size smaller than its header");
	if (size > rd->len - b->off)
		return fail(h, b->off, rd->len == h->n ? SCRUB_E_TRUNCATED : SCRUB_E_MALFORMED,
			    "box runs past the end of its parent");
	b->len = (size_t)size;
	scrub_rd_seek(rd, b->off + b->len);
	return SCRUB_OK;
}

static bool read_full(struct scrub_rd *rd, uint8_t *version, uint32_t *flags)
{
	*version = scrub_rd_u8(rd);
	*flags = (uint32_t)rd_uint(rd, 3);
	return scrub_rd_ok(rd);
}

/* A NUL-terminated string at rd; false when the box ends first. */
static bool read_cstr(struct scrub_rd *rd, size_t *off, size_t *len)
{
	size_t nul = scrub_rd_find(rd, 0);
	if (nul == rd->len)
		return false;
	*off = rd->pos;
	*len = nul - rd->pos;
	return scrub_rd_seek(rd, nul + 1);
}

static bool cstr_is(const struct heif *h, size_t off, size_t len, const char *s)
{
	struct scrub_rd rd;
	span(h, &rd, off, off + len);
	return strlen(s) == len && scrub_rd_peek_eq(&rd, s, len);
}

/* --- sniffing -------------------------------------------------------------- */

static const char image_brands[][5] = {
	"mif1", "mif2", "mif3", "miaf", "heic", "heix", "heim", "heis", "heif",
	"avif", "avio", "MiHA", "MiHB", "MiHE", "MiPr", "MA1A", "MA1B",
};
static const char sequence_brands[][5] = { "msf1", "hevc", "hevx", "hevm", "hevs", "avis" };

static bool brand_in(const uint8_t *b, const char (*list)[5], size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (is_type(b, list[i]))
			return true;
	return false;
}

/* 0 none, 1 a sequence brand, 2 a still-image brand among ftyp's brands. */
static int ftyp_brands(struct scrub_rd *rd)
{
	int best = 0;
	for (int i = 0; scrub_rd_left(rd) >= 4; i++) {
		const uint8_t *b = scrub_rd_take(rd, 4);
		if (i == 1)
			continue; /* minor_version */
		if (brand_in(b, image_brands, sizeof image_brands / sizeof image_brands[0]))
			return 2;
		if (brand_in(b, sequence_brands, sizeof sequence_brands / sizeof sequence_brands[0]))
			best = 1;
	}
	return best;
}

/* A top-level meta whose first child is hdlr "pict" (what MP4 and MOV lack). */
static bool has_pict_meta(const uint8_t *p, size_t n)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	for (int i = 0; i < 64 && scrub_rd_left(&rd) >= BOX_HEAD; i++) {
		size_t at = rd.pos;
		uint32_t size = scrub_rd_be32(&rd);
		if (scrub_rd_peek_eq(&rd, "meta", 4)) {
			scrub_rd_skip(&rd, 4 + FULL_HEAD + 4);
			return scrub_rd_peek_eq(&rd, "hdlr", 4) && scrub_rd_skip(&rd, 12) &&
			       scrub_rd_peek_eq(&rd, "pict", 4);
		}
		if (size < BOX_HEAD || !scrub_rd_seek(&rd, at + size))
			return false;
	}
	return false;
}

static bool heif_sniff(const uint8_t *p, size_t n)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	uint32_t size = scrub_rd_be32(&rd);
	if (!scrub_rd_peek_eq(&rd, "ftyp", 4) || size < 16 || size > n)
		return false;
	struct scrub_rd brands;
	scrub_rd_init(&brands, p, size);
	scrub_rd_seek(&brands, BOX_HEAD);
	int b = ftyp_brands(&brands);
	return b == 2 || (b == 1 && has_pict_meta(p, n));
}

/* --- top level --------------------------------------------------------------- */

static enum scrub_status walk_top(struct heif *h)
{
	struct scrub_rd rd;
	span(h, &rd, 0, h->n);
	size_t metas = 0;
	while (scrub_rd_left(&rd)) {
		enum scrub_status st = room(&h->top, &h->captop, h->ntop, sizeof *h->top, MAX_TOP_BOXES);
		if (st != SCRUB_OK)
			return fail(h, rd.pos, st, "too many top-level boxes");
		struct box *b = &h->top[h->ntop];
		if ((st = read_box(h, &rd, b)) != SCRUB_OK)
			return st;
		h->ntop++;
		if (is_type(b->type, "moov") || is_type(b->type, "moof"))
			return fail(h, b->off, SCRUB_E_UNSUPPORTED, "HEIF image sequences (moov) are");
		if (is_type(b->type, "mini"))
			return fail(h, b->off, SCRUB_E_UNSUPPORTED, "compact HEIF files (mini) are");
		if (is_type(b->type, "meta") && metas++ == 0)
			h->meta = h->ntop - 1;
	}
	if (h->ntop == 0 || !is_type(h->top[0].type, "ftyp") || h->top[0].len < BOX_HEAD + 8)
		return fail(h, 0, SCRUB_E_MALFORMED, "the first box is not ftyp");
	if (metas != 1)
		return fail(h, 0, metas ? SCRUB_E_UNSUPPORTED : SCRUB_E_MALFORMED,
			    metas ? "HEIF files with several meta boxes are" : "no meta box");
	return SCRUB_OK;
}

/* --- meta children ------------------------------------------------------------- */

static enum scrub_status on_hdlr(struct heif *h, const struct box *b)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	uint8_t v;
	uint32_t flags;
	read_full(&rd, &v, &flags);
	scrub_rd_skip(&rd, 4); /* pre_defined */
	if (!scrub_rd_peek_eq(&rd, "pict", 4))
		return fail(h, b->off, SCRUB_E_MALFORMED, "meta handler is not pict");
	return SCRUB_OK;
}

static enum scrub_status on_pitm(struct heif *h, const struct box *b)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	uint8_t v;
	uint32_t flags;
	read_full(&rd, &v, &flags);
	h->pitm = v == 0 ? scrub_rd_be16(&rd) : scrub_rd_be32(&rd);
	if (!scrub_rd_ok(&rd))
		return fail(h, b->off, SCRUB_E_MALFORMED, "pitm cut short");
	return SCRUB_OK;
}

/* The type-specific strings of a mime item: content_type, then an optional content_encoding. */
static enum scrub_status infe_mime(struct heif *h, struct scrub_rd *rd, struct item *it)
{
	size_t off, len;
	if (!read_cstr(rd, &off, &len))
		return fail(h, it->infe.off, SCRUB_E_MALFORMED, "mime item without a content type");
	it->xmp = cstr_is(h, off, len, "application/rdf+xml");
	if (scrub_rd_left(rd) && read_cstr(rd, &off, &len))
		it->zlib = cstr_is(h, off, len, "deflate");
	return SCRUB_OK;
}

/* ItemInfoEntry versions 2 and 3 (ISO/IEC 14496-12 8.11.6). */
static enum scrub_status parse_infe(struct heif *h, const struct box *b, struct item *it)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	uint8_t v;
	uint32_t flags;
	if (!read_full(&rd, &v, &flags))
		return fail(h, b->off, SCRUB_E_MALFORMED, "infe cut short");
	if (v < 2 || v > 3)
		return fail(h, b->off, SCRUB_E_UNSUPPORTED, "item info entries before version 2 are");
	*it = (struct item){ .infe = *b, .hidden = flags & 1 };
	it->id = v == 2 ? scrub_rd_be16(&rd) : scrub_rd_be32(&rd);
	uint16_t protection = scrub_rd_be16(&rd);
	const uint8_t *t = scrub_rd_take(&rd, 4);
	if (!t)
		return fail(h, b->off, SCRUB_E_MALFORMED, "infe cut short");
	memcpy(it->type, t, 4);
	if (protection)
		return fail(h, b->off, SCRUB_E_UNSUPPORTED, "protected items are");
	size_t off, len;
	if (scrub_rd_left(&rd) && !read_cstr(&rd, &off, &len))
		return fail(h, b->off, SCRUB_E_MALFORMED, "item name not terminated");
	if (is_type(it->type, "mime"))
		return infe_mime(h, &rd, it);
	return SCRUB_OK;
}

static enum scrub_status on_iinf(struct heif *h, const struct box *b)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	read_full(&rd, &h->iinf_version, &h->iinf_flags);
	uint32_t count = h->iinf_version == 0 ? scrub_rd_be16(&rd) : scrub_rd_be32(&rd);
	if (!scrub_rd_ok(&rd))
		return fail(h, b->off, SCRUB_E_MALFORMED, "iinf cut short");
	/* An infe box is at least 20 bytes: a count above that is a lie. */
	if (count > scrub_rd_left(&rd) / 20 || count > MAX_ITEMS)
		return fail(h, b->off, count > MAX_ITEMS ? SCRUB_E_LIMIT : SCRUB_E_MALFORMED,
			    "iinf entry count larger than the box");
	h->items = calloc(count ? count : 1, sizeof *h->items);
	if (!h->items)
		return SCRUB_E_NOMEM;
	while (scrub_rd_left(&rd)) {
		struct box e;
		enum scrub_status st = read_box(h, &rd, &e);
		if (st != SCRUB_OK)
			return st;
		if (!is_type(e.type, "infe") || h->nitems == count)
			return fail(h, e.off, SCRUB_E_MALFORMED, "iinf holds more than its infe entries");
		if ((st = parse_infe(h, &e, &h->items[h->nitems])) != SCRUB_OK)
			return st;
		h->nitems++;
	}
	if (h->nitems != count)
		return fail(h, b->off, SCRUB_E_MALFORMED, "iinf entry count does not match its entries");
	return SCRUB_OK;
}

static bool iloc_size_ok(unsigned size)
{
	return size == 0 || size == 4 || size == 8;
}

static enum scrub_status iloc_entry(struct heif *h, struct scrub_rd *rd, const struct box *b)
{
	enum scrub_status st = room(&h->locs, &h->caplocs, h->nlocs, sizeof *h->locs, MAX_ITEMS);
	if (st != SCRUB_OK)
		return fail(h, b->off, st, "too many iloc entries");
	struct loc *l = &h->locs[h->nlocs++];
	*l = (struct loc){ .ext0 = h->next };
	l->id = h->iloc_version < 2 ? scrub_rd_be16(rd) : scrub_rd_be32(rd);
	if (h->iloc_version >= 1)
		l->cm = scrub_rd_be16(rd) & 0xF;
	l->dref = scrub_rd_be16(rd);
	l->base = rd_uint(rd, h->base_size);
	uint16_t count = scrub_rd_be16(rd);
	/* Extents of 0-byte fields cost no input: more than one of them is a lie, not data. */
	size_t per_extent = (h->iloc_version >= 1 ? h->index_size : 0) + h->off_size + h->len_size;
	if (per_extent ? count > scrub_rd_left(rd) / per_extent : count > 1)
		return fail(h, b->off, SCRUB_E_MALFORMED, "iloc extent count larger than the box");
	for (uint16_t i = 0; i < count && scrub_rd_ok(rd); i++) {
		if ((st = room(&h->ext, &h->capext, h->next, sizeof *h->ext, MAX_EXTENTS)) != SCRUB_OK)
			return fail(h, b->off, st, "too many extents");
		struct extent *e = &h->ext[h->next++];
		e->index = h->iloc_version >= 1 ? rd_uint(rd, h->index_size) : 0;
		e->off = rd_uint(rd, h->off_size);
		e->len = rd_uint(rd, h->len_size);
	}
	l->next = h->next - l->ext0;
	return scrub_rd_ok(rd) ? SCRUB_OK : fail(h, b->off, SCRUB_E_MALFORMED, "iloc cut short");
}

/* ItemLocationBox (ISO/IEC 14496-12 8.11.3), versions 0 to 2. */
static enum scrub_status on_iloc(struct heif *h, const struct box *b)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	uint8_t v;
	uint32_t flags;
	read_full(&rd, &v, &flags);
	uint8_t s1 = scrub_rd_u8(&rd), s2 = scrub_rd_u8(&rd);
	h->iloc_version = v;
	h->off_size = s1 >> 4;
	h->len_size = s1 & 0xF;
	h->base_size = s2 >> 4;
	h->index_size = v >= 1 ? (s2 & 0xF) : 0;
	uint32_t count = v < 2 ? scrub_rd_be16(&rd) : scrub_rd_be32(&rd);
	if (!scrub_rd_ok(&rd) || v > 2)
		return fail(h, b->off, SCRUB_E_MALFORMED, "iloc header is broken");
	if (!iloc_size_ok(h->off_size) || !iloc_size_ok(h->len_size) ||
	    !iloc_size_ok(h->base_size) || !iloc_size_ok(h->index_size))
		return fail(h, b->off, SCRUB_E_MALFORMED, "iloc field size is not 0, 4 or 8");
	for (uint32_t i = 0; i < count; i++) {
		enum scrub_status st = iloc_entry(h, &rd, b);
		if (st != SCRUB_OK)
			return st;
	}
	if (scrub_rd_left(&rd))
		return fail(h, b->off, SCRUB_E_MALFORMED, "bytes after the last iloc entry");
	return SCRUB_OK;
}

/* One SingleItemTypeReferenceBox; IDs are kept in to[] until link turns them into indices. */
static enum scrub_status iref_entry(struct heif *h, const struct box *e)
{
	enum scrub_status st = room(&h->refs, &h->caprefs, h->nrefs, sizeof *h->refs, MAX_REFS);
	if (st != SCRUB_OK)
		return fail(h, e->off, st, "too many item references");
	struct scrub_rd rd;
	payload_of(h, e, &rd);
	struct ref *r = &h->refs[h->nrefs++];
	memcpy(r->type, e->type, 4);
	bool wide = h->iref_version != 0;
	r->from = wide ? scrub_rd_be32(&rd) : scrub_rd_be16(&rd);
	r->nto = scrub_rd_be16(&rd);
	r->to0 = h->nto;
	for (size_t i = 0; i < r->nto && scrub_rd_ok(&rd); i++) {
		if ((st = room(&h->to, &h->capto, h->nto, sizeof *h->to, MAX_REF_IDS)) != SCRUB_OK)
			return fail(h, e->off, st, "too many item references");
		h->to[h->nto++] = wide ? scrub_rd_be32(&rd) : scrub_rd_be16(&rd);
	}
	if (!scrub_rd_ok(&rd) || scrub_rd_left(&rd))
		return fail(h, e->off, SCRUB_E_MALFORMED, "iref entry length does not match its count");
	return SCRUB_OK;
}

static enum scrub_status on_iref(struct heif *h, const struct box *b)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	uint32_t flags;
	if (!read_full(&rd, &h->iref_version, &flags) || h->iref_version > 1)
		return fail(h, b->off, SCRUB_E_MALFORMED, "iref header is broken");
	while (scrub_rd_left(&rd)) {
		struct box e;
		enum scrub_status st = read_box(h, &rd, &e);
		if (st == SCRUB_OK)
			st = iref_entry(h, &e);
		if (st != SCRUB_OK)
			return st;
	}
	return SCRUB_OK;
}

static enum scrub_status on_ipco(struct heif *h, const struct box *b)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	while (scrub_rd_left(&rd)) {
		enum scrub_status st = room(&h->props, &h->capprops, h->nprops, sizeof *h->props,
					    MAX_PROPS);
		if (st != SCRUB_OK)
			return fail(h, rd.pos, st, "too many item properties");
		struct prop *pr = &h->props[h->nprops];
		*pr = (struct prop){ 0 };
		if ((st = read_box(h, &rd, &pr->box)) != SCRUB_OK)
			return st;
		h->nprops++;
	}
	return SCRUB_OK;
}

/* ItemPropertyAssociation entries; item IDs are matched to items in link. */
static enum scrub_status on_ipma(struct heif *h, const struct box *b)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	read_full(&rd, &h->ipma_version, &h->ipma_flags);
	uint32_t count = scrub_rd_be32(&rd);
	if (!scrub_rd_ok(&rd) || count > scrub_rd_left(&rd) / 3)
		return fail(h, b->off, SCRUB_E_MALFORMED, "ipma entry count larger than the box");
	for (uint32_t i = 0; i < count; i++) {
		enum scrub_status st = room(&h->ipmas, &h->capipma, h->nipma, sizeof *h->ipmas,
					    MAX_ITEMS);
		if (st != SCRUB_OK)
			return fail(h, b->off, st, "too many ipma entries");
		struct ipma_entry *e = &h->ipmas[h->nipma++];
		e->id = h->ipma_version == 0 ? scrub_rd_be16(&rd) : scrub_rd_be32(&rd);
		e->assoc0 = h->nassoc;
		e->nassoc = scrub_rd_u8(&rd);
		bool wide = h->ipma_flags & 1;
		for (size_t k = 0; k < e->nassoc && scrub_rd_ok(&rd); k++) {
			st = room(&h->assoc, &h->capassoc, h->nassoc, sizeof *h->assoc, MAX_ASSOCS);
			if (st != SCRUB_OK)
				return fail(h, b->off, st, "too many property associations");
			uint16_t a = wide ? scrub_rd_be16(&rd) : scrub_rd_u8(&rd);
			h->assoc[h->nassoc++] = (struct assoc){
				.index = (uint16_t)(a & (wide ? 0x7FFF : 0x7F)),
				.essential = (a & (wide ? 0x8000 : 0x80)) != 0 };
		}
	}
	if (!scrub_rd_ok(&rd) || scrub_rd_left(&rd))
		return fail(h, b->off, SCRUB_E_MALFORMED, "ipma length does not match its entries");
	return SCRUB_OK;
}

static enum scrub_status on_iprp(struct heif *h, const struct box *b)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	while (scrub_rd_left(&rd)) {
		struct box c;
		enum scrub_status st = read_box(h, &rd, &c);
		if (st != SCRUB_OK)
			return st;
		if (is_type(c.type, "ipco") || is_type(c.type, "ipma")) {
			struct box *slot = is_type(c.type, "ipco") ? &h->ipco : &h->ipma;
			if (slot->len)
				return fail(h, c.off, SCRUB_E_UNSUPPORTED, "several ipco or ipma boxes are");
			*slot = c;
			st = is_type(c.type, "ipco") ? on_ipco(h, &c) : on_ipma(h, &c);
			if (st != SCRUB_OK)
				return st;
		} else {
			h->niprp_dropped++;
		}
	}
	return SCRUB_OK;
}

static enum scrub_status group_entry(struct heif *h, const struct box *e)
{
	enum scrub_status st = room(&h->groups, &h->capgroups, h->ngroups, sizeof *h->groups,
				    MAX_GROUPS);
	if (st != SCRUB_OK)
		return fail(h, e->off, st, "too many entity groups");
	struct group *g = &h->groups[h->ngroups++];
	*g = (struct group){ .box = *e, .ent0 = h->nents };
	struct scrub_rd rd;
	payload_of(h, e, &rd);
	read_full(&rd, &g->version, &g->flags);
	g->gid = scrub_rd_be32(&rd);
	g->nent = scrub_rd_be32(&rd);
	if (!scrub_rd_ok(&rd) || g->nent > scrub_rd_left(&rd) / 4)
		return fail(h, e->off, SCRUB_E_MALFORMED, "entity group count larger than the box");
	for (size_t i = 0; i < g->nent; i++) {
		if ((st = room(&h->ents, &h->capents, h->nents, sizeof *h->ents, MAX_GROUP_IDS)))
			return fail(h, e->off, st, "too many group entities");
		h->ents[h->nents++] = scrub_rd_be32(&rd);
	}
	g->rest = rd.pos;
	return SCRUB_OK;
}

static enum scrub_status on_grpl(struct heif *h, const struct box *b)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	while (scrub_rd_left(&rd)) {
		struct box e;
		enum scrub_status st = read_box(h, &rd, &e);
		if (st == SCRUB_OK)
			st = group_entry(h, &e);
		if (st != SCRUB_OK)
			return st;
	}
	return SCRUB_OK;
}

/* DataReferenceBox: every entry must say "this file" (flag 1), or the data is elsewhere. */
static enum scrub_status on_dref(struct heif *h, const struct box *b)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	uint8_t v;
	uint32_t flags;
	read_full(&rd, &v, &flags);
	uint32_t count = scrub_rd_be32(&rd);
	if (!scrub_rd_ok(&rd))
		return fail(h, b->off, SCRUB_E_MALFORMED, "dref cut short");
	for (uint32_t i = 0; i < count; i++) {
		struct box e;
		enum scrub_status st = read_box(h, &rd, &e);
		if (st != SCRUB_OK)
			return st;
		struct scrub_rd er;
		payload_of(h, &e, &er);
		if (!read_full(&er, &v, &flags))
			return fail(h, e.off, SCRUB_E_MALFORMED, "dref entry cut short");
		if (!(flags & 1))
			return fail(h, e.off, SCRUB_E_UNSUPPORTED, "data in other files (dref) is");
	}
	if (scrub_rd_left(&rd))
		return fail(h, b->off, SCRUB_E_MALFORMED, "dref holds more than its entry count");
	h->ndref = count;
	return SCRUB_OK;
}

static enum scrub_status on_dinf(struct heif *h, const struct box *b)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	while (scrub_rd_left(&rd)) {
		struct box c;
		enum scrub_status st = read_box(h, &rd, &c);
		if (st == SCRUB_OK && is_type(c.type, "dref"))
			st = on_dref(h, &c);
		if (st != SCRUB_OK)
			return st;
	}
	return SCRUB_OK;
}

static enum scrub_status on_idat(struct heif *h, const struct box *b)
{
	(void)h;
	(void)b;
	return SCRUB_OK;
}

typedef enum scrub_status (*child_fn)(struct heif *h, const struct box *b);

/* The meta children scrub reads; others (free, xml, ...) are dropped. */
static const struct meta_rule {
	char type[5];
	uint8_t slot;
	child_fn fn;
} meta_rules[] = {
	{ "hdlr", SLOT_HDLR, on_hdlr }, { "pitm", SLOT_PITM, on_pitm },
	{ "iinf", SLOT_IINF, on_iinf }, { "iloc", SLOT_ILOC, on_iloc },
	{ "iref", SLOT_IREF, on_iref }, { "iprp", SLOT_IPRP, on_iprp },
	{ "idat", SLOT_IDAT, on_idat }, { "grpl", SLOT_GRPL, on_grpl },
	{ "dinf", SLOT_DINF, on_dinf },
};

static enum scrub_status meta_child(struct heif *h, const struct box *c)
{
	if (is_type(c->type, "ipro"))
		return fail(h, c->off, SCRUB_E_UNSUPPORTED, "protected items (ipro) are");
	if (h->nmchild == MAX_META_CHILDREN)
		return fail(h, c->off, SCRUB_E_LIMIT, "too many boxes in meta");
	h->mchild[h->nmchild] = *c;
	h->mslot[h->nmchild++] = SLOT_NONE;
	for (size_t i = 0; i < sizeof meta_rules / sizeof meta_rules[0]; i++) {
		const struct meta_rule *r = &meta_rules[i];
		if (!is_type(c->type, r->type))
			continue;
		if (h->slot[r->slot].len)
			return fail(h, c->off, SCRUB_E_MALFORMED, "a meta child appears twice");
		h->slot[r->slot] = *c;
		h->mslot[h->nmchild - 1] = r->slot;
		return r->fn(h, c);
	}
	return SCRUB_OK;
}

static enum scrub_status walk_meta(struct heif *h)
{
	const struct box *m = &h->top[h->meta];
	struct scrub_rd rd;
	payload_of(h, m, &rd);
	uint8_t v;
	uint32_t flags;
	if (!read_full(&rd, &v, &flags) || v != 0)
		return fail(h, m->off, SCRUB_E_MALFORMED, "meta is not a version 0 full box");
	while (scrub_rd_left(&rd)) {
		struct box c;
		enum scrub_status st = read_box(h, &rd, &c);
		if (st == SCRUB_OK)
			st = meta_child(h, &c);
		if (st != SCRUB_OK)
			return st;
	}
	if (!h->slot[SLOT_HDLR].len || !is_type(h->mchild[0].type, "hdlr"))
		return fail(h, m->off, SCRUB_E_MALFORMED, "meta does not start with hdlr");
	if (!h->slot[SLOT_PITM].len || !h->slot[SLOT_IINF].len)
		return fail(h, m->off, SCRUB_E_MALFORMED, "meta lacks pitm or iinf");
	return SCRUB_OK;
}

/* --- linking IDs to items ------------------------------------------------------ */

static int id_cmp(const void *a, const void *b)
{
	const struct id_index *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Item index of an ID, or nitems when there is none. */
static size_t find_item(const struct heif *h, uint32_t id)
{
	size_t lo = 0, hi = h->nitems;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->by_id[mid].id == id)
			return h->by_id[mid].index;
		if (h->by_id[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return h->nitems;
}

static enum scrub_status sort_items(struct heif *h)
{
	h->by_id = malloc((h->nitems ? h->nitems : 1) * sizeof *h->by_id);
	if (!h->by_id)
		return SCRUB_E_NOMEM;
	for (size_t i = 0; i < h->nitems; i++)
		h->by_id[i] = (struct id_index){ .id = h->items[i].id, .index = i };
	qsort(h->by_id, h->nitems, sizeof *h->by_id, id_cmp);
	for (size_t i = 1; i < h->nitems; i++)
		if (h->by_id[i].id == h->by_id[i - 1].id)
			return fail(h, h->items[h->by_id[i].index].infe.off, SCRUB_E_MALFORMED,
				    "two items share an ID");
	return SCRUB_OK;
}

static enum scrub_status link_locs(struct heif *h)
{
	size_t at = h->slot[SLOT_ILOC].off;
	for (size_t i = 0; i < h->nlocs; i++) {
		struct loc *l = &h->locs[i];
		l->item = find_item(h, l->id);
		if (l->item == h->nitems)
			return fail(h, at, SCRUB_E_MALFORMED, "iloc names an item iinf does not list");
		if (h->items[l->item].loc)
			return fail(h, at, SCRUB_E_MALFORMED, "an item has two iloc entries");
		h->items[l->item].loc = i + 1;
		if (l->cm == 2)
			return fail(h, at, SCRUB_E_UNSUPPORTED, "construction method 2 (item offsets) is");
		if (l->cm > 2)
			return fail(h, at, SCRUB_E_MALFORMED, "unknown iloc construction method");
		if (l->dref > h->ndref)
			return fail(h, at, SCRUB_E_MALFORMED, "iloc data reference past dref");
	}
	return SCRUB_OK;
}

static enum scrub_status link_ipma(struct heif *h)
{
	size_t at = h->ipma.off;
	for (size_t i = 0; i < h->nipma; i++) {
		const struct ipma_entry *e = &h->ipmas[i];
		size_t it = find_item(h, e->id);
		if (it == h->nitems)
			return fail(h, at, SCRUB_E_MALFORMED, "ipma names an item iinf does not list");
		if (h->items[it].ipma)
			return fail(h, at, SCRUB_E_MALFORMED, "an item has two ipma entries");
		h->items[it].ipma = i + 1;
		for (size_t k = 0; k < e->nassoc; k++)
			if (h->assoc[e->assoc0 + k].index > h->nprops)
				return fail(h, at, SCRUB_E_MALFORMED, "ipma names a property past ipco");
	}
	return SCRUB_OK;
}

/* Turns the IDs of references and groups into item indices; an unknown ID is an error. */
static enum scrub_status link_refs(struct heif *h)
{
	size_t at = h->slot[SLOT_IREF].off;
	for (size_t i = 0; i < h->nrefs; i++) {
		struct ref *r = &h->refs[i];
		size_t from = find_item(h, r->from);
		if (from == h->nitems)
			return fail(h, at, SCRUB_E_MALFORMED, "iref names an item that does not exist");
		r->from = (uint32_t)from;
		r->next_from = h->items[from].first_ref;
		h->items[from].first_ref = i + 1;
		for (size_t k = 0; k < r->nto; k++) {
			size_t to = find_item(h, (uint32_t)h->to[r->to0 + k]);
			if (to == h->nitems)
				return fail(h, at, SCRUB_E_MALFORMED, "iref names an item that does not exist");
			h->to[r->to0 + k] = to;
		}
	}
	for (size_t i = 0; i < h->nents; i++) {
		size_t it = find_item(h, (uint32_t)h->ents[i]);
		if (it == h->nitems)
			return fail(h, h->slot[SLOT_GRPL].off, SCRUB_E_MALFORMED,
				    "an entity group names an item that does not exist");
		h->ents[i] = it;
	}
	return SCRUB_OK;
}

static const struct box *find_top(const struct heif *h, const char *type, size_t *from)
{
	for (; *from < h->ntop; (*from)++)
		if (is_type(h->top[*from].type, type))
			return &h->top[(*from)++];
	return NULL;
}

static bool inside_mdat(const struct heif *h, uint64_t start, uint64_t len)
{
	size_t i = 0;
	for (const struct box *b; (b = find_top(h, "mdat", &i));) {
		uint64_t a = b->off + b->head, end = b->off + b->len;
		if (start >= a && start <= end && len <= end - start)
			return true;
	}
	return false;
}

/* Every extent with bytes lies inside an mdat (file offsets) or inside idat. */
static enum scrub_status check_extents(struct heif *h)
{
	const struct box *idat = &h->slot[SLOT_IDAT];
	uint64_t idat_len = idat->len ? idat->len - idat->head : 0;
	for (size_t i = 0; i < h->nlocs; i++) {
		const struct loc *l = &h->locs[i];
		for (size_t k = 0; k < l->next; k++) {
			const struct extent *e = &h->ext[l->ext0 + k];
			if (e->len == 0)
				continue; /* judged with the item's fate */
			if (e->off > UINT64_MAX - l->base)
				return fail(h, h->slot[SLOT_ILOC].off, SCRUB_E_MALFORMED,
					    "iloc extent offset overflows");
			uint64_t start = l->base + e->off;
			bool ok = l->cm == 0 ? inside_mdat(h, start, e->len)
					     : idat->len && start <= idat_len && e->len <= idat_len - start;
			if (!ok)
				return fail(h, h->slot[SLOT_ILOC].off, SCRUB_E_MALFORMED,
					    l->cm == 0 ? "item data outside every mdat"
						       : "item data outside idat");
		}
	}
	return SCRUB_OK;
}

static enum scrub_status link_all(struct heif *h)
{
	enum scrub_status st = sort_items(h);
	if (st == SCRUB_OK)
		st = link_locs(h);
	if (st == SCRUB_OK)
		st = link_ipma(h);
	if (st == SCRUB_OK)
		st = link_refs(h);
	if (st != SCRUB_OK)
		return st;
	size_t primary = find_item(h, h->pitm);
	if (primary == h->nitems)
		return fail(h, h->slot[SLOT_PITM].off, SCRUB_E_MALFORMED, "pitm names no item");
	h->pitm = (uint32_t)primary;
	return check_extents(h);
}

/* --- what stays --------------------------------------------------------------- */

static bool is_image_type(const uint8_t t[4])
{
	static const char types[][5] = { "hvc1", "av01", "grid", "iovl", "iden", "jpeg",
					 "unci", "avc1", "vvc1", "j2k1", "hvt1" };
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (is_type(t, types[i]))
			return true;
	return false;
}

static const struct prop *item_prop(const struct heif *h, const struct item *it, const char *type)
{
	if (!it->ipma)
		return NULL;
	const struct ipma_entry *e = &h->ipmas[it->ipma - 1];
	for (size_t k = 0; k < e->nassoc; k++) {
		uint16_t idx = h->assoc[e->assoc0 + k].index;
		if (idx && is_type(h->props[idx - 1].box.type, type))
			return &h->props[idx - 1];
	}
	return NULL;
}

/* Reads the auxC URN (ISO/IEC 23008-12 6.5.8) into buf, "" when there is none. */
static void aux_urn(const struct heif *h, const struct item *it, char *buf, size_t size)
{
	buf[0] = '\0';
	const struct prop *pr = item_prop(h, it, "auxC");
	if (!pr)
		return;
	struct scrub_rd rd;
	payload_of(h, &pr->box, &rd);
	size_t off, len;
	if (!scrub_rd_skip(&rd, FULL_HEAD) || !read_cstr(&rd, &off, &len) || len >= size)
		return;
	span(h, &rd, off, off + len);
	memcpy(buf, scrub_rd_take(&rd, len), len);
	buf[len] = '\0';
}

static uint8_t aux_kind(const struct heif *h, const struct item *it)
{
	char urn[128];
	aux_urn(h, it, urn, sizeof urn);
	/* libheif's alpha URNs (HEVC, and the MPEG-B CICP one AVIF uses). */
	if (!strcmp(urn, "urn:mpeg:hevc:2015:auxid:1") ||
	    !strcmp(urn, "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha"))
		return AUX_ALPHA;
	if (strstr(urn, "gainmap"))
		return AUX_GAIN_MAP;
	if (strstr(urn, "depth") || !strcmp(urn, "urn:mpeg:hevc:2015:auxid:2"))
		return AUX_DEPTH;
	if (strstr(urn, "matte"))
		return AUX_MATTE;
	return AUX_OTHER;
}

static bool refs_kept_item(const struct heif *h, const struct ref *r)
{
	for (size_t k = 0; k < r->nto; k++)
		if (h->items[h->to[r->to0 + k]].fate == FATE_KEEP)
			return true;
	return false;
}

/* Marks fate on the dimg inputs of every queued item, breadth first. */
static void spread(struct heif *h, size_t *queue, size_t *head, size_t *tail, bool keep)
{
	while (*head < *tail) {
		size_t x = queue[(*head)++];
		for (size_t r = h->items[x].first_ref; r; r = h->refs[r - 1].next_from) {
			const struct ref *ref = &h->refs[r - 1];
			if (!is_type(ref->type, "dimg"))
				continue;
			for (size_t k = 0; k < ref->nto; k++) {
				struct item *t = &h->items[h->to[ref->to0 + k]];
				bool take = keep ? t->fate != FATE_KEEP : t->fate == FATE_IMAGE;
				if (take) {
					t->fate = h->items[x].fate;
					queue[(*tail)++] = h->to[ref->to0 + k];
				}
			}
		}
	}
}

/* The primary, what it derives from, and its alpha planes (and theirs). */
static void keep_closure(struct heif *h, size_t *queue)
{
	size_t head = 0, tail = 0;
	h->items[h->pitm].fate = FATE_KEEP;
	queue[tail++] = h->pitm;
	for (bool grew = true; grew;) {
		spread(h, queue, &head, &tail, true);
		grew = false;
		for (size_t i = 0; i < h->nrefs; i++) {
			const struct ref *r = &h->refs[i];
			struct item *from = &h->items[r->from];
			if (is_type(r->type, "auxl") && from->fate != FATE_KEEP &&
			    from->aux == AUX_ALPHA && refs_kept_item(h, r)) {
				from->fate = FATE_KEEP;
				queue[tail++] = r->from;
				grew = true;
			}
		}
	}
}

static uint8_t root_fate(const struct heif *h, const struct item *it)
{
	if (is_type(it->type, "Exif"))
		return FATE_EXIF;
	if (is_type(it->type, "mime"))
		return it->xmp ? FATE_XMP : FATE_MIME;
	if (is_type(it->type, "uri "))
		return FATE_URI;
	if (is_type(it->type, "tmap"))
		return FATE_GAIN_MAP;
	for (size_t r = it->first_ref; r; r = h->refs[r - 1].next_from) {
		const struct ref *ref = &h->refs[r - 1];
		if (is_type(ref->type, "thmb"))
			return FATE_THUMB;
		if (is_type(ref->type, "auxl"))
			return it->aux == AUX_GAIN_MAP ? FATE_GAIN_MAP : FATE_AUX;
	}
	return is_image_type(it->type) ? FATE_IMAGE : FATE_UNKNOWN;
}

/* A kept item must be an image whose every byte can be located. */
static enum scrub_status check_kept(struct heif *h, const struct item *it)
{
	if (!is_image_type(it->type))
		return fail(h, it->infe.off, SCRUB_E_MALFORMED, "the primary item is not an image");
	if (!it->loc)
		return is_type(it->type, "iden") ? SCRUB_OK
						 : fail(h, it->infe.off, SCRUB_E_MALFORMED,
							"an image item has no iloc entry");
	const struct loc *l = &h->locs[it->loc - 1];
	if (l->next == 0)
		return fail(h, it->infe.off, SCRUB_E_MALFORMED, "an image item has no extents");
	for (size_t k = 0; k < l->next; k++)
		if (h->ext[l->ext0 + k].len == 0)
			return fail(h, it->infe.off, SCRUB_E_MALFORMED,
				    "an image extent of length 0 (the whole file) cannot be kept");
	return SCRUB_OK;
}

static enum scrub_status classify(struct heif *h)
{
	size_t *queue = malloc((h->nitems ? h->nitems : 1) * sizeof *queue);
	if (!queue)
		return SCRUB_E_NOMEM;
	for (size_t i = 0; i < h->nitems; i++)
		h->items[i].aux = aux_kind(h, &h->items[i]);
	keep_closure(h, queue);
	size_t head = 0, tail = 0;
	for (size_t i = 0; i < h->nitems; i++) {
		struct item *it = &h->items[i];
		if (it->fate == FATE_KEEP)
			continue;
		it->fate = root_fate(h, it);
		h->changed = true;
		if (it->fate == FATE_THUMB || it->fate == FATE_GAIN_MAP || it->fate == FATE_AUX)
			queue[tail++] = i;
	}
	spread(h, queue, &head, &tail, false); /* tiles of a removed grid share its fate */
	free(queue);
	for (size_t i = 0; i < h->nitems; i++) {
		if (h->items[i].fate != FATE_KEEP)
			continue;
		enum scrub_status st = check_kept(h, &h->items[i]);
		if (st != SCRUB_OK)
			return st;
	}
	return SCRUB_OK;
}

/* --- properties --------------------------------------------------------------- */

static bool is_icc_colr(const struct heif *h, const struct box *b)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	return is_type(b->type, "colr") &&
	       (scrub_rd_peek_eq(&rd, "prof", 4) || scrub_rd_peek_eq(&rd, "rICC", 4));
}

/* ICC.1:2010 7.2: a 128-byte header whose size covers it, "acsp" at byte 36. */
static bool icc_valid(const struct heif *h, const struct box *b)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	scrub_rd_skip(&rd, 4);
	size_t n = scrub_rd_left(&rd), start = rd.pos;
	uint32_t declared = scrub_rd_be32(&rd);
	scrub_rd_seek(&rd, start + 36);
	return n >= ICC_HEADER_LEN + 4 && declared >= ICC_HEADER_LEN + 4 && declared <= n &&
	       scrub_rd_peek_eq(&rd, "acsp", 4);
}

static bool zero_free(const struct heif *h, const struct box *b)
{
	if (!is_type(b->type, "free") && !is_type(b->type, "skip"))
		return false;
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	while (scrub_rd_left(&rd))
		if (scrub_rd_u8(&rd) != 0)
			return false;
	return true;
}

/*
 * Kept items keep their properties, except an ICC profile the policy drops
 * or that is no valid profile; every property no kept item uses becomes a
 * zero-filled free box (no text of a removed item stays behind).
 */
static void mark_props(struct heif *h)
{
	for (size_t i = 0; i < h->nitems; i++) {
		const struct item *it = &h->items[i];
		if (!it->ipma)
			continue;
		const struct ipma_entry *e = &h->ipmas[it->ipma - 1];
		for (size_t k = 0; k < e->nassoc; k++) {
			struct assoc *a = &h->assoc[e->assoc0 + k];
			if (!a->index)
				continue;
			struct prop *pr = &h->props[a->index - 1];
			if (it->fate != FATE_KEEP)
				pr->removed_use = true;
			else if (is_icc_colr(h, &pr->box) && (!h->pol->keep_icc || !icc_valid(h, &pr->box))) {
				a->dropped = pr->icc_dropped = true;
				h->changed = true;
			} else {
				pr->used = true;
			}
		}
	}
	for (size_t i = 0; i < h->nprops; i++) {
		struct prop *pr = &h->props[i];
		pr->neutral = !pr->used && !zero_free(h, &pr->box);
		h->changed |= pr->neutral;
	}
}

/* --- bytes that stay ------------------------------------------------------------ */

static int range_cmp(const void *a, const void *b)
{
	const struct range *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sorts and merges overlapping or touching ranges; returns their total length. */
static uint64_t merge_ranges(struct range *v, size_t *n)
{
	if (*n == 0)
		return 0;
	qsort(v, *n, sizeof *v, range_cmp);
	size_t w = 0;
	for (size_t i = 1; i < *n; i++) {
		uint64_t end = v[w].start + v[w].len;
		if (v[i].start <= end) {
			uint64_t e2 = v[i].start + v[i].len;
			if (e2 > end)
				v[w].len = e2 - v[w].start;
		} else {
			v[++w] = v[i];
		}
	}
	*n = w + 1;
	uint64_t total = 0;
	for (size_t i = 0; i < *n; i++)
		total += v[i].len;
	return total;
}

/* The extents of the items all (or only kept ones), split into file and idat ranges. */
static enum scrub_status collect_ranges(struct heif *h, bool all, struct range **file, size_t *nfile,
					size_t *capfile, struct range **idat, size_t *nidat,
					size_t *capidat)
{
	for (size_t i = 0; i < h->nlocs; i++) {
		const struct loc *l = &h->locs[i];
		if (!all && h->items[l->item].fate != FATE_KEEP)
			continue;
		for (size_t k = 0; k < l->next; k++) {
			const struct extent *e = &h->ext[l->ext0 + k];
			if (e->len == 0)
				continue;
			struct range **v = l->cm ? idat : file;
			size_t *n = l->cm ? nidat : nfile, *cap = l->cm ? capidat : capfile;
			enum scrub_status st = room(v, cap, *n, sizeof **v, MAX_EXTENTS);
			if (st != SCRUB_OK)
				return fail(h, h->slot[SLOT_ILOC].off, st, "too many extents");
			(*v)[(*n)++] = (struct range){ .start = l->base + e->off, .len = e->len };
		}
	}
	return SCRUB_OK;
}

static uint64_t mdat_payload_total(const struct heif *h)
{
	uint64_t total = 0;
	size_t i = 0;
	for (const struct box *b; (b = find_top(h, "mdat", &i));)
		total += b->len - b->head;
	return total;
}

static enum scrub_status kept_ranges(struct heif *h)
{
	enum scrub_status st = collect_ranges(h, false, &h->kept, &h->nkept, &h->capkept,
					      &h->kept_idat, &h->nkept_idat, &h->capkept_idat);
	if (st != SCRUB_OK)
		return st;
	/* Anything in mdat or idat that no kept item references is cut. */
	if (merge_ranges(h->kept, &h->nkept) != mdat_payload_total(h))
		h->changed = true;
	const struct box *idat = &h->slot[SLOT_IDAT];
	if (merge_ranges(h->kept_idat, &h->nkept_idat) != (idat->len ? idat->len - idat->head : 0))
		h->changed = true;
	return SCRUB_OK;
}

static void mark_groups(struct heif *h)
{
	for (size_t i = 0; i < h->ngroups; i++) {
		struct group *g = &h->groups[i];
		g->nkept = 0;
		for (size_t k = 0; k < g->nent; k++)
			g->nkept += h->items[h->ents[g->ent0 + k]].fate == FATE_KEEP;
		h->changed |= g->nkept != g->nent;
	}
}

static bool top_kept_type(const struct box *b)
{
	return is_type(b->type, "ftyp") || is_type(b->type, "meta") || is_type(b->type, "mdat");
}

static void mark_dropped_boxes(struct heif *h)
{
	for (size_t i = 0; i < h->ntop; i++)
		h->changed |= !top_kept_type(&h->top[i]);
	for (size_t i = 0; i < h->nmchild; i++)
		h->changed |= h->mslot[i] == SLOT_NONE;
	h->changed |= h->niprp_dropped != 0;
}

static enum scrub_status parse_all(struct heif *h)
{
	enum scrub_status st = walk_top(h);
	if (st == SCRUB_OK)
		st = walk_meta(h);
	if (st == SCRUB_OK)
		st = link_all(h);
	if (st == SCRUB_OK)
		st = classify(h);
	if (st != SCRUB_OK)
		return st;
	mark_props(h);
	mark_groups(h);
	mark_dropped_boxes(h);
	return kept_ranges(h);
}

/* --- segments for reports --------------------------------------------------------- */

static const struct top_rule {
	char type[5];
	uint8_t kind;
	const char *label;
	uint8_t payload;
} top_rules[] = {
	{ "ftyp", SCRUB_KIND_IMAGE, "box ftyp", SCRUB_PAYLOAD_NONE },
	{ "meta", SCRUB_KIND_IMAGE, "box meta", SCRUB_PAYLOAD_NONE },
	{ "mdat", SCRUB_KIND_IMAGE, "box mdat", SCRUB_PAYLOAD_NONE },
	/* Samsung: capture time in UTC, mobile country code (FORMATS-NOTES 1.2). */
	{ "sefd", SCRUB_KIND_TRAILER, "Samsung sefd", SCRUB_PAYLOAD_SEFT },
	/* Android motion photo: the MP4 beside the still (FORMATS-NOTES 2). */
	{ "mpvd", SCRUB_KIND_VIDEO, "box mpvd", SCRUB_PAYLOAD_NONE },
	{ "free", SCRUB_KIND_UNKNOWN, "box free", SCRUB_PAYLOAD_NONE },
	{ "skip", SCRUB_KIND_UNKNOWN, "box skip", SCRUB_PAYLOAD_NONE },
	{ "udta", SCRUB_KIND_UNKNOWN, "box udta", SCRUB_PAYLOAD_NONE },
};

/* C2PA manifest store in ISOBMFF (C2PA 2.1 A.4): this uuid, then a FullBox. */
static const uint8_t c2pa_uuid[16] = { 0xd8, 0xfe, 0xc3, 0xd6, 0x1b, 0x0e, 0x48, 0x3c,
				       0x92, 0x97, 0x58, 0x28, 0x87, 0x7e, 0xc4, 0x81 };

static void printable_type(char out[5], const uint8_t t[4])
{
	for (int i = 0; i < 4; i++)
		out[i] = t[i] >= 0x20 && t[i] < 0x7F ? (char)t[i] : '?';
	out[4] = '\0';
}

/* A C2PA box's JUMBF: after version/flags, box_purpose, and (for a manifest) merkle offset. */
static void c2pa_payload(const struct heif *h, const struct box *b, struct scrub_segment *s)
{
	struct scrub_rd rd;
	payload_of(h, b, &rd);
	size_t off, len;
	if (!scrub_rd_skip(&rd, FULL_HEAD) || !read_cstr(&rd, &off, &len))
		return;
	if (cstr_is(h, off, len, "manifest") && !scrub_rd_skip(&rd, 8))
		return;
	s->payload = SCRUB_PAYLOAD_JUMBF;
	s->data_off = rd.pos;
	s->data_len = scrub_rd_left(&rd);
}

static enum scrub_status top_segment(const struct heif *h, const struct box *b,
				     struct scrub_scan *scan)
{
	char label[28], cc[5];
	printable_type(cc, b->type);
	snprintf(label, sizeof label, "box %s", cc);
	uint8_t kind = SCRUB_KIND_UNKNOWN, payload = SCRUB_PAYLOAD_NONE;
	for (size_t i = 0; i < sizeof top_rules / sizeof top_rules[0]; i++)
		if (is_type(b->type, top_rules[i].type)) {
			kind = top_rules[i].kind;
			payload = top_rules[i].payload;
			snprintf(label, sizeof label, "%s", top_rules[i].label);
		}
	struct scrub_rd rd;
	span(h, &rd, b->off + b->head - USERTYPE_LEN, b->off + b->head);
	bool c2pa = is_type(b->type, "uuid") && scrub_rd_peek_eq(&rd, c2pa_uuid, 16);
	if (c2pa) {
		kind = SCRUB_KIND_JUMBF;
		snprintf(label, sizeof label, "box uuid (C2PA)");
	}
	struct scrub_segment *s = scrub_scan_add(scan, b->off, b->len, kind, top_kept_type(b), label);
	if (!s)
		return SCRUB_E_LIMIT;
	s->data_off = b->off + b->head;
	s->data_len = b->len - b->head;
	s->payload = payload;
	if (c2pa)
		c2pa_payload(h, b, s);
	return SCRUB_OK;
}

static uint64_t item_bytes(const struct heif *h, const struct item *it)
{
	uint64_t n = 0;
	const struct loc *l = it->loc ? &h->locs[it->loc - 1] : NULL;
	for (size_t k = 0; l && k < l->next; k++)
		n += h->ext[l->ext0 + k].len;
	return n;
}

/* Input offset of an item's first byte, and whether its data is one contiguous run. */
static bool item_start(const struct heif *h, const struct item *it, size_t *start)
{
	const struct loc *l = it->loc ? &h->locs[it->loc - 1] : NULL;
	if (!l || l->next == 0 || h->ext[l->ext0].len == 0)
		return false;
	uint64_t s = l->base + h->ext[l->ext0].off;
	if (l->cm == 1)
		s += h->slot[SLOT_IDAT].off + h->slot[SLOT_IDAT].head;
	*start = (size_t)s;
	return l->next == 1;
}

static const char *fate_label(const struct item *it)
{
	switch (it->fate) {
	case FATE_EXIF: return "Exif";
	case FATE_XMP: return it->zlib ? "XMP (deflate)" : "XMP";
	case FATE_MIME: return "mime";
	case FATE_URI: return "uri";
	case FATE_THUMB: return "thumbnail";
	case FATE_GAIN_MAP: return "gain map";
	case FATE_AUX:
		return it->aux == AUX_DEPTH ? "depth map" : it->aux == AUX_MATTE ? "matte" : "auxiliary";
	case FATE_IMAGE: return "other image";
	default: return NULL;
	}
}

static uint8_t fate_kind(uint8_t fate)
{
	static const uint8_t kinds[] = {
		[FATE_EXIF] = SCRUB_KIND_EXIF, [FATE_XMP] = SCRUB_KIND_XMP,
		[FATE_MIME] = SCRUB_KIND_UNKNOWN, [FATE_URI] = SCRUB_KIND_UNKNOWN,
		[FATE_UNKNOWN] = SCRUB_KIND_UNKNOWN, [FATE_THUMB] = SCRUB_KIND_THUMBNAIL,
		[FATE_GAIN_MAP] = SCRUB_KIND_GAIN_MAP, [FATE_AUX] = SCRUB_KIND_AUXILIARY,
		[FATE_IMAGE] = SCRUB_KIND_AUXILIARY, [FATE_KEEP] = SCRUB_KIND_IMAGE,
	};
	return fate < sizeof kinds ? kinds[fate] : SCRUB_KIND_UNKNOWN;
}

/* Exif item data (ISO/IEC 23008-12 A.2.1): a 4-byte offset to the TIFF header, then the block. */
static void exif_payload(const struct heif *h, size_t start, size_t len, struct scrub_segment *s)
{
	struct scrub_rd rd;
	span(h, &rd, start, start + len);
	uint32_t skip = scrub_rd_be32(&rd);
	if (!scrub_rd_ok(&rd) || skip > scrub_rd_left(&rd))
		return;
	s->payload = SCRUB_PAYLOAD_EXIF;
	s->data_off = start + 4 + skip;
	s->data_len = len - 4 - skip;
}

static enum scrub_status item_segment(const struct heif *h, const struct item *it,
				      struct scrub_scan *scan)
{
	bool keep = it->fate == FATE_KEEP;
	bool primary = it == &h->items[h->pitm];
	if (keep && !primary && it->aux != AUX_ALPHA)
		return SCRUB_OK; /* tiles and other inputs: part of the image */
	char label[28], cc[5];
	printable_type(cc, it->type);
	const char *what = keep ? (primary ? "primary" : "alpha") : fate_label(it);
	if (keep)
		snprintf(label, sizeof label, "item %u %s %s", it->id, cc, what);
	else
		snprintf(label, sizeof label, "item %u %s", it->id, what ? what : cc);
	size_t start = it->infe.off, len = (size_t)item_bytes(h, it);
	bool contiguous = item_start(h, it, &start);
	if (len == 0)
		len = it->infe.len; /* a stub: what goes is the entry itself */
	struct scrub_segment *s = scrub_scan_add(scan, start, len, fate_kind(it->fate), keep, label);
	if (!s)
		return SCRUB_E_LIMIT;
	if (contiguous && it->fate == FATE_EXIF)
		exif_payload(h, start, len, s);
	if (contiguous && it->fate == FATE_XMP) {
		s->payload = it->zlib ? SCRUB_PAYLOAD_XMP_ZLIB : SCRUB_PAYLOAD_XMP;
		s->data_off = start;
		s->data_len = len;
	}
	return SCRUB_OK;
}

/* One segment per ICC profile a kept item uses: kept, or removed by policy or as invalid. */
static enum scrub_status icc_segments(const struct heif *h, struct scrub_scan *scan)
{
	for (size_t i = 0; i < h->nprops; i++) {
		const struct prop *pr = &h->props[i];
		if (!(pr->used || pr->icc_dropped) || !is_icc_colr(h, &pr->box))
			continue;
		bool valid = icc_valid(h, &pr->box);
		struct scrub_segment *s = scrub_scan_add(scan, pr->box.off, pr->box.len, SCRUB_KIND_ICC,
							 pr->used, valid ? "colr ICC" : "colr ICC (invalid)");
		if (!s)
			return SCRUB_E_LIMIT;
		s->data_off = pr->box.off + pr->box.head + 4;
		s->data_len = pr->box.len - pr->box.head - 4;
		s->payload = valid ? SCRUB_PAYLOAD_ICC : SCRUB_PAYLOAD_NONE;
	}
	return SCRUB_OK;
}

static enum scrub_status add_unknown(struct scrub_scan *scan, size_t off, size_t len,
				     const char *where, const uint8_t type[4])
{
	char label[28], cc[5];
	printable_type(cc, type);
	snprintf(label, sizeof label, "%s %s", where, cc);
	return scrub_scan_add(scan, off, len, SCRUB_KIND_UNKNOWN, false, label) ? SCRUB_OK
										 : SCRUB_E_LIMIT;
}

/* Boxes inside meta and iprp that are dropped, and properties nothing used. */
static enum scrub_status dropped_segments(struct heif *h, struct scrub_scan *scan)
{
	enum scrub_status st = SCRUB_OK;
	for (size_t i = 0; i < h->nmchild && st == SCRUB_OK; i++)
		if (h->mslot[i] == SLOT_NONE)
			st = add_unknown(scan, h->mchild[i].off, h->mchild[i].len, "meta", h->mchild[i].type);
	struct scrub_rd rd;
	if (h->slot[SLOT_IPRP].len)
		payload_of(h, &h->slot[SLOT_IPRP], &rd);
	while (h->slot[SLOT_IPRP].len && scrub_rd_left(&rd) && st == SCRUB_OK) {
		struct box c;
		if ((st = read_box(h, &rd, &c)) == SCRUB_OK && !is_type(c.type, "ipco") &&
		    !is_type(c.type, "ipma"))
			st = add_unknown(scan, c.off, c.len, "iprp", c.type);
	}
	for (size_t i = 0; i < h->nprops && st == SCRUB_OK; i++) {
		const struct prop *pr = &h->props[i];
		if (pr->neutral && !pr->removed_use && !pr->icc_dropped)
			st = add_unknown(scan, pr->box.off, pr->box.len, "unused", pr->box.type);
	}
	return st;
}

/* Bytes of mdat (or idat) no item references at all: leftovers, cut. */
static enum scrub_status gap_segments(struct scrub_scan *scan, const struct range *v, size_t n,
				      uint64_t start, uint64_t end, uint64_t shift, const char *label)
{
	uint64_t at = start;
	for (size_t i = 0; i <= n && at < end; i++) {
		uint64_t next = i < n ? v[i].start : end;
		if (next > end)
			next = end;
		if (next > at && !scrub_scan_add(scan, (size_t)(at + shift), (size_t)(next - at),
						 SCRUB_KIND_UNKNOWN, false, label))
			return SCRUB_E_LIMIT;
		if (i < n && v[i].start + v[i].len > at)
			at = v[i].start + v[i].len;
	}
	return SCRUB_OK;
}

static enum scrub_status unreferenced_segments(struct heif *h, struct scrub_scan *scan)
{
	struct range *file = NULL, *idat = NULL;
	size_t nfile = 0, capfile = 0, nidat = 0, capidat = 0;
	enum scrub_status st = collect_ranges(h, true, &file, &nfile, &capfile, &idat, &nidat,
					      &capidat);
	merge_ranges(file, &nfile);
	merge_ranges(idat, &nidat);
	size_t i = 0;
	for (const struct box *b; st == SCRUB_OK && (b = find_top(h, "mdat", &i));)
		st = gap_segments(scan, file, nfile, b->off + b->head, b->off + b->len, 0,
				  "mdat unreferenced");
	const struct box *d = &h->slot[SLOT_IDAT];
	if (st == SCRUB_OK && d->len)
		st = gap_segments(scan, idat, nidat, 0, d->len - d->head, d->off + d->head,
				  "idat unreferenced");
	free(file);
	free(idat);
	return st;
}

static enum scrub_status meta_segments(struct heif *h, struct scrub_scan *scan)
{
	for (size_t i = 0; i < h->nitems; i++) {
		enum scrub_status st = item_segment(h, &h->items[i], scan);
		if (st != SCRUB_OK)
			return st;
	}
	enum scrub_status st = icc_segments(h, scan);
	if (st == SCRUB_OK)
		st = dropped_segments(h, scan);
	return st == SCRUB_OK ? unreferenced_segments(h, scan) : st;
}

/* Size from the primary's ispe, turned by irot a quarter turn (ISO/IEC 23008-12 6.5.3, 6.5.10). */
static void primary_size(const struct heif *h, struct scrub_scan *scan)
{
	const struct item *it = &h->items[h->pitm];
	const struct prop *ispe = item_prop(h, it, "ispe");
	const struct prop *irot = item_prop(h, it, "irot");
	struct scrub_rd rd;
	if (!ispe)
		return;
	payload_of(h, &ispe->box, &rd);
	scrub_rd_skip(&rd, FULL_HEAD);
	uint32_t w = scrub_rd_be32(&rd), ht = scrub_rd_be32(&rd);
	if (!scrub_rd_ok(&rd))
		return;
	bool turned = false;
	if (irot) {
		payload_of(h, &irot->box, &rd);
		turned = scrub_rd_u8(&rd) & 1;
	}
	scan->width = turned ? ht : w;
	scan->height = turned ? w : ht;
}

static enum scrub_status list_segments(struct heif *h, struct scrub_scan *scan)
{
	for (size_t i = 0; i < h->ntop; i++) {
		if (top_segment(h, &h->top[i], scan) != SCRUB_OK)
			return fail(h, h->top[i].off, SCRUB_E_LIMIT, "too many segments");
		if (i == h->meta && meta_segments(h, scan) != SCRUB_OK)
			return fail(h, h->top[i].off, SCRUB_E_LIMIT, "too many segments");
	}
	primary_size(h, scan);
	return SCRUB_OK;
}

static enum scrub_status heif_scan(const uint8_t *p, size_t n, const struct scrub_policy *pol,
				   struct scrub_scan *scan)
{
	if (!heif_sniff(p, n))
		return SCRUB_E_NOT_IMAGE;
	struct heif h = { .p = p, .n = n, .pol = pol };
	enum scrub_status st = parse_all(&h);
	if (st == SCRUB_OK)
		st = list_segments(&h, scan);
	if (st != SCRUB_OK) {
		scan->fail_off = h.fail_off;
		scan->fail_why = h.fail_why;
	}
	heif_free(&h);
	return st;
}

/* --- writing ---------------------------------------------------------------------- */

/* A byte writer over plan scratch of an exact, precomputed size. */
struct out {
	uint8_t *p;
	size_t len;
	size_t cap;
	bool bad;
};

static void put(struct out *o, uint64_t v, unsigned size)
{
	if (size > o->cap - o->len) {
		o->bad = true;
		return;
	}
	for (unsigned i = 0; i < size; i++)
		o->p[o->len++] = (uint8_t)(v >> (8 * (size - 1 - i)));
}

static void put_bytes(struct out *o, const struct heif *h, size_t off, size_t len)
{
	if (len > o->cap - o->len) {
		o->bad = true;
		return;
	}
	struct scrub_rd rd;
	span(h, &rd, off, off + len);
	memcpy(o->p + o->len, scrub_rd_take(&rd, len), len);
	o->len += len;
}

/* Header bytes of a rewritten box: 16 when it was (or must become) largesize. */
static size_t head_for(uint8_t form, uint64_t body)
{
	return form == FORM_LARGE || body > UINT32_MAX - BOX_HEAD ? LARGE_HEAD : BOX_HEAD;
}

static void put_head(struct out *o, const char *type, size_t head, uint64_t len, bool to_end)
{
	if (head == LARGE_HEAD) {
		put(o, 1, 4);
		put(o, ((uint64_t)(uint8_t)type[0] << 24 | (uint64_t)(uint8_t)type[1] << 16 |
			(uint64_t)(uint8_t)type[2] << 8 | (uint8_t)type[3]), 4);
		put(o, len, 8);
		return;
	}
	put(o, to_end ? 0 : len, 4);
	put(o, ((uint64_t)(uint8_t)type[0] << 24 | (uint64_t)(uint8_t)type[1] << 16 |
		(uint64_t)(uint8_t)type[2] << 8 | (uint8_t)type[3]), 4);
}

static void put_full(struct out *o, uint8_t version, uint32_t flags)
{
	put(o, version, 1);
	put(o, flags, 3);
}

static size_t id_width(uint8_t version)
{
	return version == 0 ? 2 : 4;
}

/* Bodies of the rewritten meta children; 0 for iref, idat and grpl means the box is dropped. */

static uint64_t iinf_body(const struct heif *h)
{
	uint64_t body = FULL_HEAD + id_width(h->iinf_version);
	for (size_t i = 0; i < h->nitems; i++)
		if (h->items[i].fate == FATE_KEEP)
			body += h->items[i].infe.len;
	return body;
}

static size_t kept_targets(const struct heif *h, const struct ref *r)
{
	size_t n = 0;
	if (h->items[r->from].fate != FATE_KEEP)
		return 0;
	for (size_t k = 0; k < r->nto; k++)
		n += h->items[h->to[r->to0 + k]].fate == FATE_KEEP;
	return n;
}

static uint64_t iref_body(const struct heif *h)
{
	size_t w = id_width(h->iref_version);
	uint64_t body = 0;
	for (size_t i = 0; i < h->nrefs; i++) {
		size_t k = kept_targets(h, &h->refs[i]);
		if (k)
			body += BOX_HEAD + w + 2 + k * w;
	}
	return body ? FULL_HEAD + body : 0;
}

static size_t kept_assocs(const struct heif *h, const struct ipma_entry *e)
{
	size_t n = 0;
	for (size_t k = 0; k < e->nassoc; k++)
		n += !h->assoc[e->assoc0 + k].dropped;
	return n;
}

static bool ipma_entry_kept(const struct heif *h, const struct ipma_entry *e)
{
	return h->items[find_item(h, e->id)].fate == FATE_KEEP;
}

static uint64_t ipma_body(const struct heif *h)
{
	uint64_t body = FULL_HEAD + 4;
	size_t a = h->ipma_flags & 1 ? 2 : 1;
	for (size_t i = 0; i < h->nipma; i++)
		if (ipma_entry_kept(h, &h->ipmas[i]))
			body += id_width(h->ipma_version) + 1 + kept_assocs(h, &h->ipmas[i]) * a;
	return body;
}

static uint64_t boxed(uint8_t form, uint64_t body)
{
	return body ? head_for(form, body) + body : 0;
}

static uint64_t iprp_body(const struct heif *h)
{
	return h->ipco.len + (h->ipma.len ? boxed(h->ipma.form, ipma_body(h)) : 0);
}

static uint64_t ranges_total(const struct range *v, size_t n)
{
	uint64_t t = 0;
	for (size_t i = 0; i < n; i++)
		t += v[i].len;
	return t;
}

static uint64_t iloc_entry_size(const struct heif *h, const struct loc *l)
{
	uint8_t v = h->iloc_version;
	uint64_t per_extent = (v ? h->index_size : 0) + h->off_size + h->len_size;
	return (v < 2 ? 2 : 4) + (v ? 2 : 0) + 2 + h->base_size + 2 + l->next * per_extent;
}

static uint64_t iloc_body(const struct heif *h)
{
	uint64_t body = FULL_HEAD + 2 + (h->iloc_version < 2 ? 2 : 4);
	for (size_t i = 0; i < h->nlocs; i++)
		if (h->items[h->locs[i].item].fate == FATE_KEEP)
			body += iloc_entry_size(h, &h->locs[i]);
	return body;
}

static bool group_kept(const struct group *g)
{
	return g->nkept == g->nent || g->nkept >= 2;
}

static uint64_t group_rest(const struct group *g)
{
	return g->box.off + g->box.len - g->rest;
}

static uint64_t grpl_body(const struct heif *h)
{
	uint64_t body = 0;
	for (size_t i = 0; i < h->ngroups; i++) {
		const struct group *g = &h->groups[i];
		if (group_kept(g))
			body += BOX_HEAD + FULL_HEAD + 8 + 4 * (uint64_t)g->nkept + group_rest(g);
	}
	return body;
}

static uint64_t child_body(const struct heif *h, size_t i)
{
	switch (h->mslot[i]) {
	case SLOT_IINF: return iinf_body(h);
	case SLOT_ILOC: return iloc_body(h);
	case SLOT_IREF: return iref_body(h);
	case SLOT_IPRP: return iprp_body(h);
	case SLOT_IDAT: return ranges_total(h->kept_idat, h->nkept_idat);
	case SLOT_GRPL: return grpl_body(h);
	default: return 0;
	}
}

/* Bytes a meta child takes in the output (0 when dropped). */
static uint64_t child_size(const struct heif *h, size_t i)
{
	uint8_t slot = h->mslot[i];
	if (slot == SLOT_HDLR || slot == SLOT_PITM || slot == SLOT_DINF)
		return h->mchild[i].len; /* copied */
	return slot == SLOT_NONE ? 0 : boxed(h->mchild[i].form, child_body(h, i));
}

static uint64_t meta_body(const struct heif *h)
{
	uint64_t body = FULL_HEAD;
	for (size_t i = 0; i < h->nmchild; i++)
		body += child_size(h, i);
	return body;
}

/* Where a top-level box goes in the output; len 0 when it is dropped. */
struct placed {
	uint64_t pos;
	uint64_t len;
	uint64_t head;
	bool to_end;
};

static uint64_t mdat_kept(const struct heif *h, const struct box *b)
{
	uint64_t start = b->off + b->head, end = b->off + b->len, n = 0;
	for (size_t i = 0; i < h->nkept; i++)
		if (h->kept[i].start >= start && h->kept[i].start < end)
			n += h->kept[i].len;
	return n;
}

static uint64_t top_body(const struct heif *h, size_t i)
{
	const struct box *b = &h->top[i];
	if (is_type(b->type, "ftyp"))
		return b->len;
	if (i == h->meta)
		return meta_body(h);
	return is_type(b->type, "mdat") ? mdat_kept(h, b) : 0;
}

/* Kept mdat runs get their output positions, in file order. */
static void place_ranges(struct heif *h, const struct box *b, uint64_t at)
{
	uint64_t start = b->off + b->head, end = b->off + b->len;
	for (size_t i = 0; i < h->nkept; i++)
		if (h->kept[i].start >= start && h->kept[i].start < end) {
			h->kept[i].out = at;
			at += h->kept[i].len;
		}
}

static uint64_t layout(struct heif *h, struct placed *pl)
{
	size_t last = 0;
	for (size_t i = 0; i < h->ntop; i++) {
		pl[i] = (struct placed){ .len = i == h->meta || top_body(h, i) ? 1 : 0 };
		if (pl[i].len)
			last = i;
	}
	uint64_t pos = 0, at = 0;
	for (size_t i = 0; i < h->ntop; i++) {
		if (!pl[i].len)
			continue;
		const struct box *b = &h->top[i];
		uint64_t body = top_body(h, i);
		if (is_type(b->type, "ftyp")) {
			pl[i] = (struct placed){ .pos = pos, .len = body };
		} else {
			bool to_end = b->form == FORM_TO_END && i == last;
			uint64_t head = to_end ? BOX_HEAD : head_for(b->form, body);
			pl[i] = (struct placed){ .pos = pos, .len = head + body, .head = head,
						 .to_end = to_end };
			if (is_type(b->type, "mdat"))
				place_ranges(h, b, pos + head);
		}
		pos += pl[i].len;
	}
	for (size_t i = 0; i < h->nkept_idat; i++) {
		h->kept_idat[i].out = at;
		at += h->kept_idat[i].len;
	}
	return pos;
}

/* New position of byte x of a kept run. */
static uint64_t map_to(const struct range *v, size_t n, uint64_t x)
{
	size_t lo = 0, hi = n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].start <= x)
			lo = mid;
		else
			hi = mid;
	}
	return v[lo].out + (x - v[lo].start);
}

static bool fits(uint64_t v, unsigned size)
{
	return size == 8 || (size == 4 && v <= UINT32_MAX) || (size == 0 && v == 0);
}

/*
 * New base_offset and extent offsets: bytes only ever move back, by delta_i
 * per extent. The base drops by the largest delta (or to 0), so every
 * extent offset stays non-negative; when all deltas agree only the base
 * moves, as an encoder would have written it.
 */
static enum scrub_status write_loc(const struct heif *h, struct out *o, const struct loc *l)
{
	const struct range *v = l->cm ? h->kept_idat : h->kept;
	size_t nv = l->cm ? h->nkept_idat : h->nkept;
	uint64_t max_delta = 0, first_new = 0;
	for (size_t k = 0; k < l->next; k++) {
		uint64_t old = l->base + h->ext[l->ext0 + k].off, now = map_to(v, nv, old);
		max_delta = old - now > max_delta ? old - now : max_delta;
		if (k == 0)
			first_new = now;
	}
	uint64_t base = h->off_size == 0 ? first_new : l->base >= max_delta ? l->base - max_delta : 0;
	if (!fits(base, h->base_size))
		return SCRUB_E_LIMIT;
	put(o, l->id, h->iloc_version < 2 ? 2 : 4);
	if (h->iloc_version >= 1)
		put(o, l->cm, 2);
	put(o, l->dref, 2);
	put(o, base, h->base_size);
	put(o, l->next, 2);
	for (size_t k = 0; k < l->next; k++) {
		const struct extent *e = &h->ext[l->ext0 + k];
		uint64_t off = map_to(v, nv, l->base + e->off) - base;
		if (!fits(off, h->off_size))
			return SCRUB_E_LIMIT;
		if (h->iloc_version >= 1)
			put(o, e->index, h->index_size);
		put(o, off, h->off_size);
		put(o, e->len, h->len_size);
	}
	return SCRUB_OK;
}

static enum scrub_status write_iloc(const struct heif *h, struct out *o, const struct box *b)
{
	uint64_t body = iloc_body(h);
	put_head(o, "iloc", head_for(b->form, body), head_for(b->form, body) + body, false);
	put_full(o, h->iloc_version, 0);
	put(o, (uint64_t)h->off_size << 4 | h->len_size, 1);
	put(o, (uint64_t)h->base_size << 4 | h->index_size, 1);
	size_t count = 0;
	for (size_t i = 0; i < h->nlocs; i++)
		count += h->items[h->locs[i].item].fate == FATE_KEEP;
	put(o, count, h->iloc_version < 2 ? 2 : 4);
	for (size_t i = 0; i < h->nlocs; i++) {
		if (h->items[h->locs[i].item].fate != FATE_KEEP)
			continue;
		enum scrub_status st = write_loc(h, o, &h->locs[i]);
		if (st != SCRUB_OK)
			return st;
	}
	return SCRUB_OK;
}

static void write_iinf(const struct heif *h, struct out *o, const struct box *b)
{
	uint64_t body = iinf_body(h);
	put_head(o, "iinf", head_for(b->form, body), head_for(b->form, body) + body, false);
	put_full(o, h->iinf_version, h->iinf_flags);
	size_t count = 0;
	for (size_t i = 0; i < h->nitems; i++)
		count += h->items[i].fate == FATE_KEEP;
	put(o, count, id_width(h->iinf_version));
	for (size_t i = 0; i < h->nitems; i++)
		if (h->items[i].fate == FATE_KEEP)
			put_bytes(o, h, h->items[i].infe.off, h->items[i].infe.len);
}

static void write_iref(const struct heif *h, struct out *o, const struct box *b)
{
	uint64_t body = iref_body(h);
	size_t w = id_width(h->iref_version);
	if (!body)
		return;
	put_head(o, "iref", head_for(b->form, body), head_for(b->form, body) + body, false);
	put_full(o, h->iref_version, 0);
	for (size_t i = 0; i < h->nrefs; i++) {
		const struct ref *r = &h->refs[i];
		size_t k = kept_targets(h, r);
		if (!k)
			continue;
		char type[4];
		memcpy(type, r->type, 4);
		put_head(o, type, BOX_HEAD, BOX_HEAD + w + 2 + k * w, false);
		put(o, h->items[r->from].id, (unsigned)w);
		put(o, k, 2);
		for (size_t t = 0; t < r->nto; t++)
			if (h->items[h->to[r->to0 + t]].fate == FATE_KEEP)
				put(o, h->items[h->to[r->to0 + t]].id, (unsigned)w);
	}
}

static void write_ipma(const struct heif *h, struct out *o)
{
	uint64_t body = ipma_body(h);
	bool wide = h->ipma_flags & 1;
	put_head(o, "ipma", head_for(h->ipma.form, body), head_for(h->ipma.form, body) + body, false);
	put_full(o, h->ipma_version, h->ipma_flags);
	size_t count = 0;
	for (size_t i = 0; i < h->nipma; i++)
		count += ipma_entry_kept(h, &h->ipmas[i]);
	put(o, count, 4);
	for (size_t i = 0; i < h->nipma; i++) {
		const struct ipma_entry *e = &h->ipmas[i];
		if (!ipma_entry_kept(h, e))
			continue;
		put(o, e->id, (unsigned)id_width(h->ipma_version));
		put(o, kept_assocs(h, e), 1);
		for (size_t k = 0; k < e->nassoc; k++) {
			const struct assoc *a = &h->assoc[e->assoc0 + k];
			if (!a->dropped)
				put(o, (a->essential ? (wide ? 0x8000u : 0x80u) : 0) | a->index, wide ? 2 : 1);
		}
	}
}

/* ipco as it was, with every property no kept item uses overwritten by a zeroed free box. */
static void write_ipco(const struct heif *h, struct out *o)
{
	size_t at = o->len;
	put_bytes(o, h, h->ipco.off, h->ipco.len);
	if (o->bad)
		return;
	for (size_t i = 0; i < h->nprops; i++) {
		const struct prop *pr = &h->props[i];
		if (!pr->neutral)
			continue;
		struct out box = { .p = o->p + at + (pr->box.off - h->ipco.off), .cap = pr->box.len };
		memset(box.p, 0, box.cap);
		put_head(&box, "free", pr->box.len > UINT32_MAX || pr->box.form == FORM_LARGE ?
					       LARGE_HEAD : BOX_HEAD, pr->box.len, false);
	}
}

static void write_iprp(const struct heif *h, struct out *o, const struct box *b)
{
	uint64_t body = iprp_body(h);
	if (!body)
		return;
	put_head(o, "iprp", head_for(b->form, body), head_for(b->form, body) + body, false);
	bool ipma_first = h->ipma.len && h->ipco.len && h->ipma.off < h->ipco.off;
	if (ipma_first)
		write_ipma(h, o);
	if (h->ipco.len)
		write_ipco(h, o);
	if (h->ipma.len && !ipma_first)
		write_ipma(h, o);
}

static void write_idat(const struct heif *h, struct out *o, const struct box *b)
{
	uint64_t body = ranges_total(h->kept_idat, h->nkept_idat);
	if (!body)
		return;
	put_head(o, "idat", head_for(b->form, body), head_for(b->form, body) + body, false);
	for (size_t i = 0; i < h->nkept_idat; i++)
		put_bytes(o, h, b->off + b->head + (size_t)h->kept_idat[i].start,
			  (size_t)h->kept_idat[i].len);
}

static void write_grpl(const struct heif *h, struct out *o, const struct box *b)
{
	uint64_t body = grpl_body(h);
	if (!body)
		return;
	put_head(o, "grpl", head_for(b->form, body), head_for(b->form, body) + body, false);
	for (size_t i = 0; i < h->ngroups; i++) {
		const struct group *g = &h->groups[i];
		if (!group_kept(g))
			continue;
		char type[4];
		memcpy(type, g->box.type, 4);
		put_head(o, type, BOX_HEAD, BOX_HEAD + FULL_HEAD + 8 + 4 * g->nkept + group_rest(g),
			 false);
		put_full(o, g->version, g->flags);
		put(o, g->gid, 4);
		put(o, g->nkept, 4);
		for (size_t k = 0; k < g->nent; k++)
			if (h->items[h->ents[g->ent0 + k]].fate == FATE_KEEP)
				put(o, h->items[h->ents[g->ent0 + k]].id, 4);
		put_bytes(o, h, g->rest, (size_t)group_rest(g));
	}
}

static enum scrub_status write_child(const struct heif *h, struct out *o, size_t i)
{
	const struct box *b = &h->mchild[i];
	switch (h->mslot[i]) {
	case SLOT_HDLR: case SLOT_PITM: case SLOT_DINF:
		put_bytes(o, h, b->off, b->len);
		return SCRUB_OK;
	case SLOT_IINF: write_iinf(h, o, b); return SCRUB_OK;
	case SLOT_ILOC: return write_iloc(h, o, b);
	case SLOT_IREF: write_iref(h, o, b); return SCRUB_OK;
	case SLOT_IPRP: write_iprp(h, o, b); return SCRUB_OK;
	case SLOT_IDAT: write_idat(h, o, b); return SCRUB_OK;
	case SLOT_GRPL: write_grpl(h, o, b); return SCRUB_OK;
	default: return SCRUB_OK;
	}
}

static enum scrub_status emit_meta(const struct heif *h, const struct placed *pl,
				   struct scrub_plan *plan)
{
	if (pl->len > SIZE_MAX)
		return SCRUB_E_LIMIT;
	struct out o = { .p = scrub_plan_scratch(plan, (size_t)pl->len), .cap = (size_t)pl->len };
	if (!o.p)
		return SCRUB_E_LIMIT;
	put_head(&o, "meta", (size_t)pl->head, pl->len, pl->to_end);
	put_full(&o, 0, 0);
	for (size_t i = 0; i < h->nmchild; i++) {
		enum scrub_status st = write_child(h, &o, i);
		if (st != SCRUB_OK)
			return st;
	}
	if (o.bad || o.len != o.cap)
		return SCRUB_E_MALFORMED; /* the sizes computed above and the bytes written disagree */
	return scrub_plan_add(plan, o.p, o.len);
}

static enum scrub_status emit_mdat(const struct heif *h, const struct box *b,
				   const struct placed *pl, struct scrub_plan *plan)
{
	struct out o = { .p = scrub_plan_scratch(plan, (size_t)pl->head), .cap = (size_t)pl->head };
	if (!o.p)
		return SCRUB_E_LIMIT;
	put_head(&o, "mdat", (size_t)pl->head, pl->len, pl->to_end);
	enum scrub_status st = scrub_plan_add(plan, o.p, o.len);
	uint64_t start = b->off + b->head, end = b->off + b->len;
	for (size_t i = 0; i < h->nkept && st == SCRUB_OK; i++) {
		const struct range *r = &h->kept[i];
		if (r->start < start || r->start >= end)
			continue;
		struct scrub_rd rd;
		span(h, &rd, (size_t)r->start, (size_t)(r->start + r->len));
		st = scrub_plan_add(plan, scrub_rd_take(&rd, (size_t)r->len), (size_t)r->len);
	}
	return st;
}

static enum scrub_status emit(struct heif *h, struct scrub_plan *plan)
{
	struct placed *pl = malloc(h->ntop * sizeof *pl);
	if (!pl)
		return SCRUB_E_NOMEM;
	layout(h, pl);
	enum scrub_status st = SCRUB_OK;
	for (size_t i = 0; i < h->ntop && st == SCRUB_OK; i++) {
		const struct box *b = &h->top[i];
		if (!pl[i].len)
			continue;
		if (i == h->meta) {
			st = emit_meta(h, &pl[i], plan);
		} else if (is_type(b->type, "mdat")) {
			st = emit_mdat(h, b, &pl[i], plan);
		} else {
			struct scrub_rd rd;
			span(h, &rd, b->off, b->off + b->len);
			st = scrub_plan_add(plan, scrub_rd_take(&rd, b->len), b->len);
		}
	}
	free(pl);
	return st;
}

static enum scrub_status heif_strip(const uint8_t *p, size_t n, const struct scrub_scan *scan,
				    const struct scrub_policy *pol, struct scrub_plan *plan)
{
	(void)scan;
	struct heif h = { .p = p, .n = n, .pol = pol };
	enum scrub_status st = parse_all(&h);
	if (st == SCRUB_OK)
		st = h.changed ? emit(&h, plan) : scrub_plan_add(plan, p, n);
	heif_free(&h);
	return st;
}

/* --- what libheif may be given ---------------------------------------------------- */

/* Inflated bytes, all items together, past which a file is not handed over (libheif holds them all). */
#define INFLATE_LIMIT ((size_t)64 << 20)

static bool read_item(const struct heif *h, const struct item *it, uint8_t **out, size_t *len)
{
	const struct loc *l = it->loc ? &h->locs[it->loc - 1] : NULL;
	uint64_t total = item_bytes(h, it);
	*len = 0;
	*out = malloc(total ? (size_t)total : 1);
	if (!*out)
		return false;
	size_t origin = l && l->cm ? h->slot[SLOT_IDAT].off + h->slot[SLOT_IDAT].head : 0;
	for (size_t k = 0; l && k < l->next; k++) {
		const struct extent *e = &h->ext[l->ext0 + k];
		struct scrub_rd rd;
		size_t at = origin + (size_t)(l->base + e->off);
		span(h, &rd, at, at + (size_t)e->len);
		memcpy(*out + *len, scrub_rd_take(&rd, (size_t)e->len), (size_t)e->len);
		*len += (size_t)e->len;
	}
	return true;
}

static bool discard(void *ctx, const uint8_t *p, size_t n)
{
	(void)ctx, (void)p, (void)n;
	return true;
}

/* True when the zlib stream ends properly within *budget bytes of output, which it uses up. */
static bool inflates_fully(const uint8_t *data, size_t len, size_t *budget)
{
	size_t produced;
	enum scrub_inflate_end end = scrub_inflate(data, len, *budget, discard, NULL, &produced);
	*budget -= produced;
	return end == SCRUB_INFLATE_DONE;
}

/*
 * libheif 1.15 inflates every mime item with content_encoding deflate when
 * it reads a file, and loops for ever when that stream is empty or ends
 * early (libheif/metadata_compression.cc; fixed upstream after 1.17). The
 * codec half asks here before it hands libheif a file.
 */
bool scrub_heif_codec_safe(const uint8_t *p, size_t n)
{
	struct scrub_policy pol = scrub_policy_default();
	struct heif h = { .p = p, .n = n, .pol = &pol };
	bool safe = parse_all(&h) == SCRUB_OK;
	size_t budget = INFLATE_LIMIT;
	for (size_t i = 0; safe && i < h.nitems; i++) {
		const struct item *it = &h.items[i];
		if (!it->zlib)
			continue;
		uint8_t *data;
		size_t len;
		safe = read_item(&h, it, &data, &len) && inflates_fully(data, len, &budget);
		free(data);
	}
	heif_free(&h);
	return safe;
}

const struct scrub_backend scrub_backend_heif = {
	.name = "heif",
	.display = "HEIF/AVIF",
	.sniff = heif_sniff,
	.scan = heif_scan,
	.strip = heif_strip,
	.decode = scrub_heif_decode,
	.probe = scrub_heif_probe,
};
