/*
 * Unit tests for the HEIF walker (src/formats/heif.c) on files built byte
 * by byte here: every iloc version and field size, positions in base_offset
 * or in the extents, idat items, 32-bit item IDs, largesize boxes, size 0,
 * meta after mdat, interleaved extents, two mdats, shared and unreferenced
 * bytes; removal of thumbnails, auxiliaries and their properties; ICC under
 * --strip-all; refusals; and every truncation and lying length refused.
 *
 * The oracle is independent of the walker: a small reader below resolves
 * an item's bytes through the output's own iloc, so a kept item must read
 * back byte for byte, and no planted string may survive anywhere.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "formats/codec.h"
#include "formats/format.h"

#include "check.h"

/* --- a growable byte buffer -------------------------------------------------- */

struct bb {
	uint8_t *p;
	size_t n, cap;
};

static void bb_put(struct bb *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void bb_uint(struct bb *b, uint64_t v, unsigned size)
{
	assert(size <= 8);
	for (unsigned i = 0; i < size; i++) {
		uint8_t c = (uint8_t)(v >> (8 * (size - 1 - i)));
		bb_put(b, &c, 1);
	}
}

static void bb_str(struct bb *b, const char *s)
{
	bb_put(b, s, strlen(s) + 1);
}

static void set_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Starts a box (largesize when large) and returns where its header is. */
static size_t box_begin(struct bb *b, const char *type, bool large)
{
	size_t at = b->n;
	bb_uint(b, large ? 1 : 0, 4);
	bb_put(b, type, 4);
	if (large)
		bb_uint(b, 0, 8);
	return at;
}

static void box_end(struct bb *b, size_t at)
{
	uint64_t len = b->n - at;
	if (b->p[at + 3] == 1 && !memcmp(b->p + at, "\0\0\0\1", 4)) {
		for (int i = 0; i < 8; i++)
			b->p[at + 8 + i] = (uint8_t)(len >> (8 * (7 - i)));
	} else {
		set_be32(b->p + at, (uint32_t)len);
	}
}

static size_t full_begin(struct bb *b, const char *type, uint8_t v, uint32_t flags, bool large)
{
	size_t at = box_begin(b, type, large);
	bb_uint(b, v, 1);
	bb_uint(b, flags, 3);
	return at;
}

/* --- the file a test describes ------------------------------------------------ */

#define MAXI 16

struct bitem {
	uint32_t id;
	const char *type;
	const uint8_t *data;
	size_t len;
	bool hidden;
	const char *ctype;   /* mime content type */
	const char *enc;     /* mime content encoding, or NULL */
	int storage;         /* mdat number, or IDAT, or NODATA */
	int split;           /* extents */
	int share;           /* index of the item whose extents this one reuses, or -1 */
	int cm;              /* construction method written, -1: from storage */
	uint16_t prot;
	int infe_v;          /* 0: 2 or 3 as the ID needs */
	uint8_t assoc[6];    /* 0x80 essential | 1-based property index */
	int nassoc;
};
enum { IDAT = -1, NODATA = -2 };

struct bref {
	const char *type;
	uint32_t from;
	uint32_t to[4];
	int nto;
};

struct spec {
	int iloc_v, off_size, len_size, base_size, index_size;
	bool use_base;      /* absolute position in base_offset, extents relative */
	struct bitem it[MAXI];
	int nit;
	struct bb props;    /* ipco payload */
	int nprops;
	struct bref ref[8];
	int nref;
	uint32_t pitm;
	const char *layout; /* F ftyp, M meta, 0-2 mdat n, X the next extra box */
	struct bb extra[4];
	int nextra;
	bool large_meta, large_mdat, large_inner, mdat_to_end, interleave, wide_ipma;
	const char *dref_url;  /* a non-self-contained dref entry */
	bool ipro;
	const char *brand;
	uint8_t filler;     /* unreferenced bytes before every mdat piece */
};

struct place {
	uint64_t start[MAXI][4]; /* per item and extent: absolute (mdat) or idat-relative */
	uint64_t len[MAXI][4];
};

static void spec_init(struct spec *s)
{
	memset(s, 0, sizeof *s);
	s->iloc_v = 1;
	s->off_size = s->len_size = 4;
	s->layout = "FM0";
	s->brand = "heic";
}

static int add_item(struct spec *s, uint32_t id, const char *type, const void *data, size_t len)
{
	struct bitem *it = &s->it[s->nit];
	*it = (struct bitem){ .id = id, .type = type, .data = data, .len = len, .split = 1,
			      .share = -1, .cm = -1, .hidden = true };
	return s->nit++;
}

static int add_prop(struct spec *s, const char *type, const void *payload, size_t n)
{
	size_t at = box_begin(&s->props, type, false);
	bb_put(&s->props, payload, n);
	box_end(&s->props, at);
	return ++s->nprops;
}

static void add_ref(struct spec *s, const char *type, uint32_t from, uint32_t to)
{
	s->ref[s->nref++] = (struct bref){ .type = type, .from = from, .to = { to }, .nto = 1 };
}

static bool wide_ids(const struct spec *s)
{
	for (int i = 0; i < s->nit; i++)
		if (s->it[i].id > 0xFFFF)
			return true;
	return false;
}

static void write_infe(const struct spec *s, struct bb *b, const struct bitem *it)
{
	int v = it->infe_v ? it->infe_v : it->id > 0xFFFF ? 3 : 2;
	size_t at = full_begin(b, "infe", (uint8_t)v, it->hidden, s->large_inner);
	if (v < 2) {
		bb_uint(b, it->id, 2);
		bb_uint(b, it->prot, 2);
		bb_str(b, "name");
		bb_str(b, "");
	} else {
		bb_uint(b, it->id, v == 2 ? 2 : 4);
		bb_uint(b, it->prot, 2);
		bb_put(b, it->type, 4);
		/* Kept items keep their names; a removed one's must go with it. */
		bool image = !strcmp(it->type, "hvc1") || !strcmp(it->type, "grid");
		bb_str(b, image ? "HEVC Image" : "PlantedName");
		if (!strcmp(it->type, "mime"))
			bb_str(b, it->ctype ? it->ctype : "application/rdf+xml");
		if (!strcmp(it->type, "mime") && it->enc)
			bb_str(b, it->enc);
	}
	box_end(b, at);
}

static void write_iloc(const struct spec *s, struct bb *b, const struct place *pl)
{
	int v = s->iloc_v;
	size_t at = full_begin(b, "iloc", (uint8_t)v, 0, s->large_inner);
	bb_uint(b, (uint64_t)s->off_size << 4 | (unsigned)s->len_size, 1);
	bb_uint(b, (uint64_t)s->base_size << 4 | (unsigned)(v ? s->index_size : 0), 1);
	int count = 0;
	for (int i = 0; i < s->nit; i++)
		count += s->it[i].storage != NODATA;
	bb_uint(b, (uint64_t)count, v < 2 ? 2 : 4);
	for (int i = 0; i < s->nit; i++) {
		const struct bitem *it = &s->it[i];
		if (it->storage == NODATA)
			continue;
		int src = it->share >= 0 ? it->share : i;
		int cm = it->cm >= 0 ? it->cm : it->storage == IDAT;
		bb_uint(b, it->id, v < 2 ? 2 : 4);
		if (v)
			bb_uint(b, (uint64_t)cm, 2);
		bb_uint(b, s->dref_url && i == 0 ? 2 : 0, 2);
		uint64_t base = s->use_base ? pl->start[src][0] : 0;
		bb_uint(b, base, (unsigned)s->base_size);
		int n = s->it[src].split;
		bb_uint(b, (uint64_t)n, 2);
		for (int k = 0; k < n; k++) {
			if (v)
				bb_uint(b, 0, (unsigned)s->index_size);
			bb_uint(b, pl->start[src][k] - base, (unsigned)s->off_size);
			bb_uint(b, pl->len[src][k], (unsigned)s->len_size);
		}
	}
	box_end(b, at);
}

static void write_iref(const struct spec *s, struct bb *b)
{
	if (!s->nref)
		return;
	unsigned w = wide_ids(s) ? 4 : 2;
	size_t at = full_begin(b, "iref", w == 4, 0, false);
	for (int i = 0; i < s->nref; i++) {
		size_t r = box_begin(b, s->ref[i].type, false);
		bb_uint(b, s->ref[i].from, w);
		bb_uint(b, (uint64_t)s->ref[i].nto, 2);
		for (int k = 0; k < s->ref[i].nto; k++)
			bb_uint(b, s->ref[i].to[k], w);
		box_end(b, r);
	}
	box_end(b, at);
}

static void write_iprp(const struct spec *s, struct bb *b)
{
	size_t at = box_begin(b, "iprp", s->large_inner);
	size_t co = box_begin(b, "ipco", false);
	bb_put(b, s->props.p, s->props.n);
	box_end(b, co);
	bool wide = wide_ids(s);
	size_t ma = full_begin(b, "ipma", wide, s->wide_ipma, false);
	int count = 0;
	for (int i = 0; i < s->nit; i++)
		count += s->it[i].nassoc > 0;
	bb_uint(b, (uint64_t)count, 4);
	for (int i = 0; i < s->nit; i++) {
		const struct bitem *it = &s->it[i];
		if (!it->nassoc)
			continue;
		bb_uint(b, it->id, wide ? 4 : 2);
		bb_uint(b, (uint64_t)it->nassoc, 1);
		for (int k = 0; k < it->nassoc; k++) {
			uint8_t a = it->assoc[k];
			if (s->wide_ipma)
				bb_uint(b, (uint64_t)(a & 0x80) << 8 | (a & 0x7F), 2);
			else
				bb_uint(b, a, 1);
		}
	}
	box_end(b, ma);
	box_end(b, at);
}

static void write_dinf(const struct spec *s, struct bb *b)
{
	size_t at = box_begin(b, "dinf", false);
	size_t dr = full_begin(b, "dref", 0, 0, false);
	bb_uint(b, s->dref_url ? 2 : 1, 4);
	size_t u = full_begin(b, "url ", 0, 1, false);
	box_end(b, u);
	if (s->dref_url) {
		u = full_begin(b, "url ", 0, 0, false);
		bb_str(b, s->dref_url);
		box_end(b, u);
	}
	box_end(b, dr);
	box_end(b, at);
}

static void write_meta(const struct spec *s, struct bb *b, const struct place *pl)
{
	size_t at = full_begin(b, "meta", 0, 0, s->large_meta);
	size_t h = full_begin(b, "hdlr", 0, 0, false);
	bb_uint(b, 0, 4);
	bb_put(b, "pict", 4);
	bb_put(b, "\0\0\0\0\0\0\0\0\0\0\0\0", 12); /* reserved */
	bb_str(b, "");
	box_end(b, h);
	write_dinf(s, b);
	h = full_begin(b, "pitm", s->pitm > 0xFFFF, 0, false);
	bb_uint(b, s->pitm, s->pitm > 0xFFFF ? 4 : 2);
	box_end(b, h);
	h = full_begin(b, "iinf", 0, 0, s->large_inner);
	bb_uint(b, (uint64_t)s->nit, 2);
	for (int i = 0; i < s->nit; i++)
		write_infe(s, b, &s->it[i]);
	box_end(b, h);
	write_iref(s, b);
	write_iprp(s, b);
	bool any_idat = false;
	for (int i = 0; i < s->nit; i++)
		any_idat |= s->it[i].storage == IDAT;
	if (any_idat) {
		h = box_begin(b, "idat", false);
		for (int i = 0; i < s->nit; i++)
			if (s->it[i].storage == IDAT && s->it[i].share < 0)
				bb_put(b, s->it[i].data, s->it[i].len);
		box_end(b, h);
	}
	write_iloc(s, b, pl);
	if (s->ipro) {
		h = full_begin(b, "ipro", 0, 0, false);
		bb_uint(b, 0, 2);
		box_end(b, h);
	}
	box_end(b, at);
}

/* The mdat payload pieces in writing order: item index and extent number. */
static int pieces(const struct spec *s, int mdat, int order[][2])
{
	int n = 0;
	for (int round = 0; round < 4; round++)
		for (int i = 0; i < s->nit; i++) {
			const struct bitem *it = &s->it[i];
			if (it->storage != mdat || it->share >= 0)
				continue;
			for (int k = 0; k < it->split; k++)
				if (s->interleave ? k == round : round == 0) {
					order[n][0] = i;
					order[n++][1] = k;
				}
		}
	return n;
}

static void piece_span(const struct bitem *it, int k, size_t *off, size_t *len)
{
	size_t step = (it->len + (size_t)it->split - 1) / (size_t)it->split;
	*off = step * (size_t)k < it->len ? step * (size_t)k : it->len;
	*len = *off + step < it->len ? step : it->len - *off;
}

static void write_mdat(const struct spec *s, struct bb *b, int mdat, bool last, struct place *pl)
{
	static const uint8_t fill[8] = "Planted!";
	size_t at = box_begin(b, "mdat", s->large_mdat);
	int order[64][2];
	int n = pieces(s, mdat, order);
	for (int p = 0; p < n; p++) {
		const struct bitem *it = &s->it[order[p][0]];
		size_t off, len;
		bb_put(b, fill, s->filler);
		piece_span(it, order[p][1], &off, &len);
		pl->start[order[p][0]][order[p][1]] = b->n;
		pl->len[order[p][0]][order[p][1]] = len;
		bb_put(b, it->data + off, len);
	}
	box_end(b, at);
	if (last && s->mdat_to_end && !s->large_mdat)
		set_be32(b->p + at, 0);
}

static void place_idat(const struct spec *s, struct place *pl)
{
	uint64_t at = 0;
	for (int i = 0; i < s->nit; i++)
		if (s->it[i].storage == IDAT && s->it[i].share < 0) {
			pl->start[i][0] = at;
			pl->len[i][0] = s->it[i].len;
			at += s->it[i].len;
		}
}

static void write_ftyp(const struct spec *s, struct bb *b)
{
	size_t at = box_begin(b, "ftyp", false);
	bb_put(b, s->brand, 4);
	bb_uint(b, 0, 4);
	bb_put(b, "mif1", 4);
	bb_put(b, s->brand, 4);
	box_end(b, at);
}

/* Two passes: meta's size does not depend on the offsets it holds. */
static void build(const struct spec *s, struct bb *out)
{
	struct place pl;
	memset(&pl, 0, sizeof pl);
	place_idat(s, &pl);
	for (int pass = 0; pass < 2; pass++) {
		out->n = 0;
		int extra = 0;
		size_t last = strlen(s->layout) - 1;
		for (size_t t = 0; s->layout[t]; t++) {
			char c = s->layout[t];
			if (c == 'F')
				write_ftyp(s, out);
			else if (c == 'M')
				write_meta(s, out, &pl);
			else if (c == 'X')
				bb_put(out, s->extra[extra].p, s->extra[extra].n), extra++;
			else
				write_mdat(s, out, c - '0', t == last, &pl);
		}
	}
}

/* --- an independent reader: an item's bytes through the file's own iloc -------- */

struct rbox {
	size_t off, head, len;
	char type[5];
};

static uint64_t get(const uint8_t *p, size_t *pos, unsigned size)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v = v << 8 | p[(*pos)++];
	return v;
}

static bool read_rbox(const uint8_t *p, size_t at, size_t end, struct rbox *b)
{
	if (end - at < 8)
		return false;
	size_t pos = at;
	uint64_t size = get(p, &pos, 4);
	memcpy(b->type, p + at + 4, 4);
	b->type[4] = '\0';
	pos += 4;
	if (size == 1) {
		if (end - at < 16)
			return false;
		size = get(p, &pos, 8);
	} else if (size == 0) {
		size = end - at;
	}
	b->off = at;
	b->head = pos - at;
	b->len = (size_t)size;
	return size >= b->head && size <= end - at;
}

static bool find_box(const uint8_t *p, size_t start, size_t end, const char *type, struct rbox *b)
{
	for (size_t at = start; at < end; at += b->len)
		if (!read_rbox(p, at, end, b))
			return false;
		else if (!strcmp(b->type, type))
			return true;
	return false;
}

static bool item_data(const uint8_t *p, size_t n, uint32_t id, struct bb *out)
{
	struct rbox meta, iloc, idat = { 0 };
	out->n = 0;
	if (!find_box(p, 0, n, "meta", &meta))
		return false;
	size_t ms = meta.off + meta.head + 4, me = meta.off + meta.len;
	if (!find_box(p, ms, me, "iloc", &iloc))
		return false;
	bool has_idat = find_box(p, ms, me, "idat", &idat);
	size_t pos = iloc.off + iloc.head;
	unsigned v = p[pos];
	pos += 4;
	unsigned os = p[pos] >> 4, ls = p[pos] & 15, bs = p[pos + 1] >> 4, is = p[pos + 1] & 15;
	pos += 2;
	uint64_t count = get(p, &pos, v < 2 ? 2 : 4);
	for (uint64_t i = 0; i < count; i++) {
		uint64_t iid = get(p, &pos, v < 2 ? 2 : 4);
		uint64_t cm = v ? get(p, &pos, 2) & 15 : 0;
		get(p, &pos, 2);
		uint64_t base = get(p, &pos, bs), ne = get(p, &pos, 2);
		for (uint64_t k = 0; k < ne; k++) {
			if (v)
				get(p, &pos, is);
			uint64_t off = get(p, &pos, os) + base, len = get(p, &pos, ls);
			if (iid != id)
				continue;
			size_t org = cm ? idat.off + idat.head : 0, lim = cm ? idat.off + idat.len : n;
			if ((cm && !has_idat) || off > lim - org || len > lim - org - off)
				return false;
			bb_put(out, p + org + off, (size_t)len);
		}
		if (iid == id)
			return true;
	}
	return false;
}

static bool contains(const struct bb *b, const char *s)
{
	size_t k = strlen(s);
	for (size_t i = 0; i + k <= b->n; i++)
		if (!memcmp(b->p + i, s, k))
			return true;
	return false;
}

/* The index-th (1-based) property box in ipco. */
static bool nth_prop(const uint8_t *p, size_t n, int index, struct rbox *b)
{
	struct rbox meta, iprp, ipco;
	if (!find_box(p, 0, n, "meta", &meta) ||
	    !find_box(p, meta.off + meta.head + 4, meta.off + meta.len, "iprp", &iprp) ||
	    !find_box(p, iprp.off + iprp.head, iprp.off + iprp.len, "ipco", &ipco))
		return false;
	size_t at = ipco.off + ipco.head, end = ipco.off + ipco.len;
	for (int i = 1; at < end && read_rbox(p, at, end, b); i++, at += b->len)
		if (i == index)
			return true;
	return false;
}

static bool zero_after_head(const struct bb *f, const struct rbox *b)
{
	for (size_t i = b->head; i < b->len; i++)
		if (f->p[b->off + i])
			return false;
	return true;
}

/* --- running the walker ---------------------------------------------------------- */

static struct scrub_scan scan;

static enum scrub_status run(const struct bb *in, const struct scrub_policy *pol, struct bb *out)
{
	struct scrub_plan plan;
	scrub_plan_init(&plan);
	scrub_scan_reset(&scan);
	enum scrub_status st = scrub_backend_heif.scan(in->p, in->n, pol, &scan);
	if (st == SCRUB_OK)
		st = scrub_backend_heif.strip(in->p, in->n, &scan, pol, &plan);
	out->n = 0;
	if (st == SCRUB_OK) {
		uint8_t *tmp = malloc(plan.total + 1);
		scrub_plan_copy(&plan, tmp);
		bb_put(out, tmp, plan.total);
		free(tmp);
	}
	scrub_plan_free(&plan);
	return st;
}

/* Data of the test pictures and metadata. */
static uint8_t img[600], img2[300], thumb[200];
static const char exif6[] = "\0\0\0\6Exif\0\0MM\0*\0\0\0\x08PlantedExifArtist";
static const char exif0[] = "\0\0\0\0MM\0*\0\0\0\x08PlantedExifArtist";
static const char xmp[] = "<x:xmpmeta xmlns:x='adobe:ns:meta/'>PlantedXmpCreator</x:xmpmeta>";

static void fill_images(void)
{
	for (size_t i = 0; i < sizeof img; i++)
		img[i] = (uint8_t)(i * 7 + 3);
	for (size_t i = 0; i < sizeof img2; i++)
		img2[i] = (uint8_t)(i * 13 + 5);
	for (size_t i = 0; i < sizeof thumb; i++)
		thumb[i] = (uint8_t)(i * 11 + 1);
}

static void ispe(uint8_t out[12], uint32_t w, uint32_t h)
{
	memset(out, 0, 4);
	set_be32(out + 4, w);
	set_be32(out + 8, h);
}

/* A picture (item 1, hvcC and ispe), its Exif (2) and XMP (3). */
static void dirty(struct spec *s)
{
	spec_init(s);
	uint8_t sz[12];
	ispe(sz, 64, 48);
	int hv = add_prop(s, "hvcC", "\1PlantedNothing", 15);
	int is = add_prop(s, "ispe", sz, 12);
	int i = add_item(s, 1, "hvc1", img, sizeof img);
	s->it[i].hidden = false;
	s->it[i].assoc[0] = (uint8_t)(0x80 | hv);
	s->it[i].assoc[1] = (uint8_t)is;
	s->it[i].nassoc = 2;
	s->pitm = 1;
	add_item(s, 2, "Exif", exif6, sizeof exif6 - 1);
	add_ref(s, "cdsc", 2, 1);
	add_item(s, 3, "mime", xmp, sizeof xmp - 1);
	add_ref(s, "cdsc", 3, 1);
}

/* The same file without items 2 and 3, as an encoder would write it. */
static void clean_twin(const struct spec *d, struct spec *s)
{
	*s = *d;
	s->nit = 1;
	s->nref = 0;
	s->props = (struct bb){ 0 };
	bb_put(&s->props, d->props.p, d->props.n);
}

static void spec_free(struct spec *s)
{
	free(s->props.p);
	for (int i = 0; i < s->nextra; i++)
		free(s->extra[i].p);
}

/*
 * Scrubs in: it must succeed, keep items 1..keep byte for byte, lose every
 * planted string, scan again and come out the same from a second strip.
 */
static void expect_clean(const struct bb *in, const uint32_t *keep, int nkeep, const char *what)
{
	struct scrub_policy pol = scrub_policy_default();
	struct bb out = { 0 }, again = { 0 }, a = { 0 }, b = { 0 };
	enum scrub_status st = run(in, &pol, &out);
	CHECK(st == SCRUB_OK);
	if (st != SCRUB_OK)
		fprintf(stderr, "  %s: %s at %zu\n", what, scan.fail_why ? scan.fail_why : "?",
			scan.fail_off);
	CHECK(scrub_scan_has_removable(&scan));
	for (int i = 0; i < nkeep; i++) {
		CHECK(item_data(in->p, in->n, keep[i], &a));
		CHECK(item_data(out.p, out.n, keep[i], &b) && a.n == b.n && !memcmp(a.p, b.p, a.n));
	}
	CHECK(!contains(&out, "PlantedExif") && !contains(&out, "PlantedXmp") &&
	      !contains(&out, "PlantedName") && !contains(&out, "Planted!"));
	CHECK(out.n < in->n);
	CHECK(run(&out, &pol, &again) == SCRUB_OK);
	CHECK(!scrub_scan_has_removable(&scan));
	CHECK(again.n == out.n && !memcmp(again.p, out.p, out.n));
	free(out.p);
	free(again.p);
	free(a.p);
	free(b.p);
}

static const uint32_t one[] = { 1 };

/* Every iloc version and field size, positions in the extents or in base_offset. */
static void test_iloc_forms(void)
{
	static const int forms[][6] = {
		/* version, offset, length, base, index, use_base */
		{ 0, 4, 4, 0, 0, 0 }, { 0, 4, 4, 4, 0, 1 }, { 0, 8, 8, 8, 0, 1 }, { 0, 4, 8, 8, 0, 0 },
		{ 1, 4, 4, 0, 0, 0 }, { 1, 4, 4, 4, 4, 1 }, { 1, 8, 8, 8, 8, 0 }, { 1, 0, 4, 4, 0, 1 },
		{ 1, 4, 8, 0, 8, 0 }, { 2, 4, 4, 0, 0, 0 }, { 2, 8, 4, 4, 4, 1 }, { 2, 0, 8, 8, 8, 1 },
	};
	for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
		struct spec s, c;
		struct bb in = { 0 }, want = { 0 }, out = { 0 };
		dirty(&s);
		s.iloc_v = forms[f][0];
		s.off_size = forms[f][1];
		s.len_size = forms[f][2];
		s.base_size = forms[f][3];
		s.index_size = forms[f][4];
		s.use_base = forms[f][5];
		build(&s, &in);
		expect_clean(&in, one, 1, "iloc form");
		/* Nothing interleaves: the output is what an encoder writes for the image alone. */
		clean_twin(&s, &c);
		build(&c, &want);
		struct scrub_policy pol = scrub_policy_default();
		CHECK(run(&in, &pol, &out) == SCRUB_OK);
		CHECK(out.n == want.n && !memcmp(out.p, want.p, want.n));
		if (out.n != want.n || memcmp(out.p, want.p, want.n))
			fprintf(stderr, "  iloc form %zu differs from its clean twin\n", f);
		/* And the clean twin itself is left as it is. */
		CHECK(run(&want, &pol, &out) == SCRUB_OK && out.n == want.n &&
		      !memcmp(out.p, want.p, want.n) && !scrub_scan_has_removable(&scan));
		spec_free(&s);
		spec_free(&c);
		free(in.p);
		free(want.p);
		free(out.p);
	}
}

static void build_and_clean(struct spec *s, const uint32_t *keep, int nkeep, const char *what)
{
	struct bb in = { 0 };
	build(s, &in);
	expect_clean(&in, keep, nkeep, what);
	free(in.p);
	spec_free(s);
}

/* Box forms and layouts: largesize, size 0, meta after mdat, two mdats, interleaving. */
static void test_layouts(void)
{
	struct spec s;
	dirty(&s);
	s.large_meta = s.large_mdat = s.large_inner = true;
	build_and_clean(&s, one, 1, "largesize boxes");

	dirty(&s);
	s.mdat_to_end = true;
	build_and_clean(&s, one, 1, "mdat of size 0");

	dirty(&s);
	s.layout = "F0M";
	build_and_clean(&s, one, 1, "meta after mdat");

	dirty(&s);
	s.layout = "F0M";
	s.large_mdat = true;
	s.use_base = true;
	s.base_size = 8;
	build_and_clean(&s, one, 1, "meta after a largesize mdat, base offsets");

	dirty(&s);
	s.layout = "FM01";
	s.it[1].storage = s.it[2].storage = 1;
	build_and_clean(&s, one, 1, "metadata in a second mdat");

	dirty(&s);
	s.layout = "FM01";
	s.it[0].storage = 1;
	build_and_clean(&s, one, 1, "the image in a second mdat");

	dirty(&s);
	s.it[0].split = 3;
	s.it[1].split = s.it[2].split = 2;
	s.interleave = true;
	build_and_clean(&s, one, 1, "interleaved extents");

	dirty(&s);
	s.it[0].split = 3;
	s.it[1].split = 2;
	s.interleave = true;
	s.use_base = true;
	s.base_size = 4;
	build_and_clean(&s, one, 1, "interleaved extents from a base offset");

	dirty(&s);
	s.filler = 8;
	build_and_clean(&s, one, 1, "bytes no item references");

	dirty(&s);
	s.iloc_v = 2;
	for (int i = 0; i < s.nit; i++)
		s.it[i].id += 70000;
	for (int i = 0; i < s.nref; i++) {
		s.ref[i].from += 70000;
		s.ref[i].to[0] += 70000;
	}
	s.pitm += 70000;
	s.wide_ipma = true;
	const uint32_t wide[] = { 70001 };
	build_and_clean(&s, wide, 1, "32-bit item IDs, 16-bit property indices");
}

/* idat items (construction method 1): Exif before a grid descriptor whose offset moves. */
static void test_idat(void)
{
	static const uint8_t grid[8] = { 0, 0, 0, 1, 0, 128, 0, 64 }; /* 1x2 tiles, 128x64 */
	struct spec s;
	dirty(&s);
	s.it[1].storage = IDAT;              /* Exif in idat, first */
	int t2 = add_item(&s, 4, "hvc1", img2, sizeof img2);
	s.it[t2].assoc[0] = s.it[0].assoc[0];
	s.it[t2].nassoc = 1;
	int g = add_item(&s, 5, "grid", grid, sizeof grid);
	s.it[g].storage = IDAT;
	s.it[g].hidden = false;
	s.pitm = 5;
	s.ref[s.nref++] = (struct bref){ .type = "dimg", .from = 5, .to = { 1, 4 }, .nto = 2 };
	s.it[2].storage = IDAT;              /* XMP in idat too, after the grid */
	const uint32_t keep[] = { 1, 4, 5 };
	struct bb in = { 0 }, out = { 0 }, d = { 0 };
	build(&s, &in);
	expect_clean(&in, keep, 3, "idat items");
	struct scrub_policy pol = scrub_policy_default();
	CHECK(run(&in, &pol, &out) == SCRUB_OK);
	CHECK(item_data(out.p, out.n, 5, &d) && d.n == 8 && !memcmp(d.p, grid, 8));
	spec_free(&s);
	free(in.p);
	free(out.p);
	free(d.p);
}

static int aux_prop(struct spec *s, const char *urn)
{
	struct bb b = { 0 };
	bb_uint(&b, 0, 4);
	bb_str(&b, urn);
	int idx = add_prop(s, "auxC", b.p, b.n);
	free(b.p);
	return idx;
}

/*
 * A thumbnail, a depth map with its own XMP, an alpha plane and a shared
 * extent: alpha stays with its auxC; the rest goes, and the properties only
 * they used become zero-filled free boxes (the depth URN text is gone).
 */
static void test_riders(void)
{
	struct spec s;
	dirty(&s);
	int alpha = add_item(&s, 4, "hvc1", img2, sizeof img2);
	int urn_alpha = aux_prop(&s, "urn:mpeg:hevc:2015:auxid:1");
	s.it[alpha].assoc[0] = s.it[0].assoc[0];
	s.it[alpha].assoc[1] = (uint8_t)urn_alpha;
	s.it[alpha].nassoc = 2;
	add_ref(&s, "auxl", 4, 1);
	int depth = add_item(&s, 5, "hvc1", thumb, sizeof thumb);
	int urn_depth = aux_prop(&s, "urn:PlantedDepth:auxid:2");
	s.it[depth].assoc[0] = (uint8_t)urn_depth;
	s.it[depth].nassoc = 1;
	add_ref(&s, "auxl", 5, 1);
	add_item(&s, 6, "mime", xmp, sizeof xmp - 1);
	add_ref(&s, "cdsc", 6, 5);
	int th = add_item(&s, 7, "hvc1", thumb + 10, sizeof thumb - 10);
	s.it[th].hidden = false;
	add_ref(&s, "thmb", 7, 1);
	int shared = add_item(&s, 8, "mime", NULL, 0); /* points at the image's own bytes */
	s.it[shared].share = 0;
	add_ref(&s, "cdsc", 8, 1);
	struct bb in = { 0 }, out = { 0 };
	build(&s, &in);
	const uint32_t keep[] = { 1, 4 };
	expect_clean(&in, keep, 2, "riders");
	struct scrub_policy pol = scrub_policy_default();
	CHECK(run(&in, &pol, &out) == SCRUB_OK);
	CHECK(!contains(&out, "PlantedDepth") && contains(&out, "urn:mpeg:hevc:2015:auxid:1"));
	struct bb d = { 0 };
	CHECK(!item_data(out.p, out.n, 5, &d) && !item_data(out.p, out.n, 7, &d));
	/* Same ipco, property indices unchanged: the depth URN box is a zeroed free box. */
	struct rbox pin, pout;
	CHECK(nth_prop(in.p, in.n, urn_depth, &pin) && nth_prop(out.p, out.n, urn_depth, &pout));
	CHECK(pout.len == pin.len && !strcmp(pout.type, "free") && zero_after_head(&out, &pout));
	CHECK(nth_prop(out.p, out.n, urn_alpha, &pout) && !strcmp(pout.type, "auxC"));
	spec_free(&s);
	free(in.p);
	free(out.p);
	free(d.p);
}

/* A colr box holding an ICC profile: 132 bytes, size and "acsp" where ICC.1 puts them. */
static int icc_prop(struct spec *s, bool valid)
{
	uint8_t icc[4 + 132];
	memset(icc, 0, sizeof icc);
	memcpy(icc, "prof", 4);
	set_be32(icc + 4, valid ? 132 : 4000);
	memcpy(icc + 4 + 36, "acsp", 4);
	memcpy(icc + 4 + 100, "PlantedIccText", 14);
	return add_prop(s, "colr", icc, sizeof icc);
}

/* ICC kept by default, dropped from ipma and neutralised by --strip-all; a bad one always goes. */
static void test_icc(void)
{
	for (int variant = 0; variant < 3; variant++) {
		struct spec s;
		dirty(&s);
		int icc = icc_prop(&s, variant != 2);
		s.it[0].assoc[s.it[0].nassoc++] = (uint8_t)(0x80 | icc);
		struct bb in = { 0 }, out = { 0 };
		build(&s, &in);
		struct scrub_policy pol = scrub_policy_default();
		if (variant == 1)
			pol.keep_icc = false;
		CHECK(run(&in, &pol, &out) == SCRUB_OK);
		bool kept = variant == 0;
		CHECK(contains(&out, "PlantedIccText") == kept);
		struct rbox b;
		CHECK(nth_prop(out.p, out.n, icc, &b) && !strcmp(b.type, kept ? "colr" : "free"));
		/* The ipma entry of item 1 lost the association (one byte) unless kept. */
		struct bb again = { 0 };
		CHECK(run(&out, &pol, &again) == SCRUB_OK && again.n == out.n &&
		      !memcmp(again.p, out.p, out.n));
		CHECK(!scrub_scan_has_removable(&scan));
		spec_free(&s);
		free(in.p);
		free(out.p);
		free(again.p);
	}
}

/* The Exif payload handed to describers starts at the TIFF header, for both offsets. */
static void test_payloads(void)
{
	for (int variant = 0; variant < 2; variant++) {
		struct spec s;
		dirty(&s);
		if (variant) {
			s.it[1].data = (const uint8_t *)exif0;
			s.it[1].len = sizeof exif0 - 1;
		}
		struct bb in = { 0 };
		build(&s, &in);
		struct scrub_policy pol = scrub_policy_default();
		CHECK(scrub_backend_heif.scan(in.p, in.n, &pol, &scan) == SCRUB_OK);
		int exif = 0, xmps = 0;
		for (size_t i = 0; i < scan.nseg; i++) {
			const struct scrub_segment *g = &scan.seg[i];
			if (g->payload == SCRUB_PAYLOAD_EXIF && g->kind == SCRUB_KIND_EXIF && !g->keep &&
			    g->data_len >= 4 && !memcmp(in.p + g->data_off, "MM\0*", 4))
				exif++;
			if (g->payload == SCRUB_PAYLOAD_XMP && g->data_len == sizeof xmp - 1 &&
			    !memcmp(in.p + g->data_off, xmp, g->data_len))
				xmps++;
		}
		CHECK(exif == 1 && xmps == 1);
		CHECK(scan.width == 64 && scan.height == 48);
		scrub_scan_reset(&scan);
		spec_free(&s);
		free(in.p);
	}
}

static void expect_refused(struct spec *s, enum scrub_status want, const char *why_part)
{
	struct bb in = { 0 }, out = { 0 };
	build(s, &in);
	struct scrub_policy pol = scrub_policy_default();
	enum scrub_status st = run(&in, &pol, &out);
	CHECK(st == want);
	CHECK(scan.fail_why && strstr(scan.fail_why, why_part));
	if (st != want || !scan.fail_why || !strstr(scan.fail_why, why_part))
		fprintf(stderr, "  expected refusal '%s', got %d '%s'\n", why_part, st,
			scan.fail_why ? scan.fail_why : "");
	spec_free(s);
	free(in.p);
	free(out.p);
}

static void test_refusals(void)
{
	struct spec s;
	dirty(&s);
	s.layout = "FMX0";
	size_t at = box_begin(&s.extra[0], "moov", false);
	bb_put(&s.extra[0], "PlantedMoov", 11);
	box_end(&s.extra[0], at);
	s.nextra = 1;
	expect_refused(&s, SCRUB_E_UNSUPPORTED, "moov");

	dirty(&s);
	s.layout = "FM0M";
	expect_refused(&s, SCRUB_E_UNSUPPORTED, "several meta");

	dirty(&s);
	s.dref_url = "http://example.com/PlantedRemote";
	expect_refused(&s, SCRUB_E_UNSUPPORTED, "dref");

	dirty(&s);
	s.it[0].cm = 2;
	expect_refused(&s, SCRUB_E_UNSUPPORTED, "construction method 2");

	dirty(&s);
	s.it[1].prot = 1;
	expect_refused(&s, SCRUB_E_UNSUPPORTED, "protected");

	dirty(&s);
	s.ipro = true;
	expect_refused(&s, SCRUB_E_UNSUPPORTED, "ipro");

	dirty(&s);
	s.it[2].infe_v = 1;
	expect_refused(&s, SCRUB_E_UNSUPPORTED, "version 2");

	dirty(&s);
	s.len_size = 0; /* every extent "the whole container" */
	expect_refused(&s, SCRUB_E_MALFORMED, "length 0");

	dirty(&s);
	s.off_size = s.len_size = 0; /* extents that take no bytes: fuzz_heif's 34 s input */
	s.it[0].split = 2;
	expect_refused(&s, SCRUB_E_MALFORMED, "extent count");

	dirty(&s);
	add_ref(&s, "dimg", 1, 99);
	expect_refused(&s, SCRUB_E_MALFORMED, "does not exist");

	dirty(&s);
	s.it[0].assoc[s.it[0].nassoc++] = 40;
	expect_refused(&s, SCRUB_E_MALFORMED, "past ipco");

	dirty(&s);
	s.pitm = 2;
	expect_refused(&s, SCRUB_E_MALFORMED, "not an image");
}

/* The compact form: ftyp mif3 and a mini box instead of meta. */
static void test_mini(void)
{
	struct bb in = { 0 }, out = { 0 };
	size_t at = box_begin(&in, "ftyp", false);
	bb_put(&in, "mif3\0\0\0\0mif3miaf", 16);
	box_end(&in, at);
	at = box_begin(&in, "mini", false);
	bb_put(&in, "\x80PlantedMini", 12);
	box_end(&in, at);
	struct scrub_policy pol = scrub_policy_default();
	CHECK(scrub_format_detect(in.p, in.n) == &scrub_backend_heif);
	CHECK(run(&in, &pol, &out) == SCRUB_E_UNSUPPORTED && strstr(scan.fail_why, "mini"));
	free(in.p);
	free(out.p);
}

/* A file with a bit of everything the walker reads, for the damage tests. */
static void rich(struct spec *s)
{
	dirty(s);
	s->it[1].storage = IDAT;
	int alpha = add_item(s, 4, "hvc1", img2, sizeof img2);
	int urn = aux_prop(s, "urn:mpeg:hevc:2015:auxid:1");
	s->it[alpha].assoc[0] = (uint8_t)urn;
	s->it[alpha].nassoc = 1;
	add_ref(s, "auxl", 4, 1);
	s->it[0].split = 2;
	s->interleave = true;
}

/* Every proper prefix of the file is refused: the walker never plans a cut file. */
static void test_truncations(void)
{
	struct spec s;
	rich(&s);
	struct bb in = { 0 }, cut = { 0 }, out = { 0 };
	build(&s, &in);
	struct scrub_policy pol = scrub_policy_default();
	size_t accepted = 0;
	for (size_t n = 0; n < in.n; n++) {
		cut.n = 0;
		bb_put(&cut, in.p, n);
		if (run(&cut, &pol, &out) == SCRUB_OK) {
			accepted++;
			fprintf(stderr, "  prefix of %zu of %zu bytes accepted\n", n, in.n);
		}
	}
	CHECK(accepted == 0);
	CHECK(run(&in, &pol, &out) == SCRUB_OK);
	spec_free(&s);
	free(in.p);
	free(cut.p);
	free(out.p);
}

/* Every box, at any depth the walker reads, with a size that lies. */
struct boxlist {
	struct rbox b[128];
	int n;
};

static void list_boxes(const uint8_t *p, size_t start, size_t end, struct boxlist *l)
{
	struct rbox b;
	for (size_t at = start; at < end && l->n < 128 && read_rbox(p, at, end, &b); at += b.len) {
		l->b[l->n++] = b;
		size_t skip = !strcmp(b.type, "meta") ? 4 : !strcmp(b.type, "iinf") ? 6
			    : !strcmp(b.type, "dref") ? 8 : !strcmp(b.type, "iref") ? 4 : 0;
		if (skip || !strcmp(b.type, "iprp") || !strcmp(b.type, "ipco") ||
		    !strcmp(b.type, "dinf"))
			list_boxes(p, b.off + b.head + skip, b.off + b.len, l);
	}
}

/* The rich file, its boxes, and buffers for patched copies and outputs. */
struct lying {
	struct spec s;
	struct bb in, bad, out;
	struct boxlist l;
	struct scrub_policy pol;
};

static void lying_init(struct lying *t)
{
	memset(t, 0, sizeof *t);
	rich(&t->s);
	build(&t->s, &t->in);
	list_boxes(t->in.p, 0, t->in.n, &t->l);
	t->pol = scrub_policy_default();
}

static void lying_free(struct lying *t)
{
	spec_free(&t->s);
	free(t->in.p);
	free(t->bad.p);
	free(t->out.p);
}

/* Runs the walker on a copy of the file with a width-byte big-endian v written at pos. */
static enum scrub_status run_patched(struct lying *t, size_t pos, unsigned width, uint64_t v)
{
	t->bad.n = 0;
	bb_put(&t->bad, t->in.p, t->in.n);
	for (unsigned b = 0; b < width; b++)
		t->bad.p[pos + b] = (uint8_t)(v >> (8 * (width - 1 - b)));
	return run(&t->bad, &t->pol, &t->out);
}

static void test_lying_sizes(void)
{
	struct lying t;
	lying_init(&t);
	CHECK(t.l.n > 20);
	static const int64_t lies[] = { 1, -1, 4, -4, 1 << 20 };
	for (int i = 0; i < t.l.n; i++) {
		const struct rbox *b = &t.l.b[i];
		for (size_t k = 0; k < sizeof lies / sizeof lies[0]; k++) {
			uint32_t size = (uint32_t)((int64_t)b->len + lies[k]);
			enum scrub_status st = run_patched(&t, b->off, 4, size);
			CHECK(st != SCRUB_OK);
			if (st == SCRUB_OK)
				fprintf(stderr, "  %s at %zu with size %+lld accepted\n", b->type, b->off,
					(long long)lies[k]);
		}
	}
	lying_free(&t);
}

/* Counts that promise more entries than their box holds. */
static void test_lying_counts(void)
{
	struct lying t;
	lying_init(&t);
	/* Where each count sits after its box header, and how wide it is. */
	static const struct { const char *type; size_t at; unsigned width; } counts[] = {
		{ "iinf", 4, 2 }, { "iloc", 6, 2 }, { "ipma", 4, 4 }, { "dref", 4, 4 },
	};
	int tried = 0;
	for (int i = 0; i < t.l.n; i++)
		for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
			if (strcmp(t.l.b[i].type, counts[c].type))
				continue;
			size_t pos = t.l.b[i].off + t.l.b[i].head + counts[c].at;
			uint64_t v = get(t.in.p, &(size_t){ pos }, counts[c].width);
			for (int delta = -1; delta <= 1; delta += 2) {
				enum scrub_status st = run_patched(&t, pos, counts[c].width, v + (uint64_t)delta);
				CHECK(st != SCRUB_OK);
				if (st == SCRUB_OK)
					fprintf(stderr, "  %s count %+d accepted\n", counts[c].type, delta);
				tried++;
			}
		}
	CHECK(tried == 8);
	lying_free(&t);
}

/* HEIF brands with a pict meta are taken; MP4 with moov only is not. */
static void test_sniff(void)
{
	struct bb mp4 = { 0 };
	size_t at = box_begin(&mp4, "ftyp", false);
	bb_put(&mp4, "isom\0\0\0\0isommp42", 16);
	box_end(&mp4, at);
	at = box_begin(&mp4, "moov", false);
	box_end(&mp4, at);
	CHECK(scrub_format_detect(mp4.p, mp4.n) == NULL);
	struct spec s;
	dirty(&s);
	s.brand = "msf1"; /* a sequence brand: taken for its pict meta, then judged */
	struct bb in = { 0 };
	build(&s, &in);
	CHECK(scrub_format_detect(in.p, in.n) == &scrub_backend_heif);
	memcpy(in.p + 8, "isom", 4);
	memcpy(in.p + 16, "isom", 4);
	memcpy(in.p + 20, "isom", 4);
	CHECK(scrub_format_detect(in.p, in.n) == NULL);
	spec_free(&s);
	free(mp4.p);
	free(in.p);
}

/* Deflate items libheif 1.15 would loop on are reported unsafe for the codec; good ones are not. */
static void test_codec_safe(void)
{
	static const uint8_t good[] = { 0x78, 0x9c, 0x0b, 0xc8, 0x49, 0xcc, 0x2b, 0x49, 0x4d, 0x01,
					0x00, 0x0a, 0xe6, 0x02, 0xc9 }; /* zlib of "Planted" */
	static const struct { const uint8_t *data; size_t len; bool safe; } cases[] = {
		{ good, sizeof good, true }, { good, 0, false }, { good, 6, false },
		{ (const uint8_t *)"PlantedNotZlib", 14, false },
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct spec s;
		dirty(&s);
		int x = add_item(&s, 9, "mime", cases[c].data, cases[c].len);
		s.it[x].ctype = "application/rdf+xml";
		s.it[x].enc = "deflate";
		struct bb in = { 0 };
		build(&s, &in);
		CHECK(scrub_heif_codec_safe(in.p, in.n) == cases[c].safe);
		spec_free(&s);
		free(in.p);
	}
}

int main(void)
{
	fill_images();
	scrub_scan_init(&scan);
	test_iloc_forms();
	test_layouts();
	test_idat();
	test_riders();
	test_icc();
	test_payloads();
	test_refusals();
	test_mini();
	test_truncations();
	test_lying_sizes();
	test_lying_counts();
	test_sniff();
	test_codec_safe();
	scrub_scan_free(&scan);
	return check_summary();
}
