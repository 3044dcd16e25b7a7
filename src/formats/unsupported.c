/*
 * Images and videos scrub recognises but cannot clean. They are never
 * passed over as if they were clean (SPEC.md section 3): the engine names
 * them, so a walk or --check over a folder that holds one says so. Each
 * sniffer looks at magic numbers only, through the bounded reader; the
 * formats scrub cleans are tried first (formats/list.h), so a brand that a
 * backend takes never reaches this table.
 */
#include <string.h>

#include "formats/format.h"

/* TIFF 6.0 section 2: byte order, 42, offset of IFD0. */
#define TIFF_MAGIC 42
#define TAG_MAKE 0x010F
#define TAG_DNG_VERSION 0xC612 /* DNG 1.6, "DNGVersion" */
#define IFD_ENTRIES_MAX 512    /* past this, a "TIFF" is not worth naming further */

static const struct scrub_unsupported kinds[] = {
	{ "tiff", "TIFF image" },    { "dng", "DNG raw image" },    { "cr2", "CR2 raw image" },
	{ "nef", "NEF raw image" },  { "arw", "ARW raw image" },    { "orf", "ORF raw image" },
	{ "rw2", "RW2 raw image" },  { "pef", "PEF raw image" },    { "cr3", "CR3 raw image" },
	{ "psd", "PSD image" },      { "bmp", "BMP image" },        { "ico", "ICO image" },
	{ "svg", "SVG image" },      { "jp2", "JPEG 2000 image" },  { "mp4", "MP4 video" },
	{ "mov", "MOV video" },      { "3gp", "3GP video" },        { "avi", "AVI video" },
	/* What heif.c leaves here: sequence brands (msf1, hevc, avis) without a pict meta. */
	{ "heif", "HEIF image sequence" }, { "avif", "AVIF image sequence" },
};

static const struct scrub_unsupported *kind(const char *id)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kinds[i].id, id))
			return &kinds[i];
	return NULL;
}

static bool starts(const uint8_t *p, size_t n, const void *magic, size_t len)
{
	return n >= len && !memcmp(p, magic, len);
}

/* Make, as IFD0 holds it (ASCII, inline when 4 bytes or fewer), into dst. */
static void tiff_make(const struct scrub_rd *file, struct scrub_rd *entry, bool big,
		      uint32_t count, char *dst, size_t size)
{
	size_t want = count < size ? count : size - 1;
	const uint8_t *s = NULL;
	if (count <= 4) {
		s = scrub_rd_take(entry, 4);
	} else {
		struct scrub_rd at = *file;
		if (scrub_rd_seek(&at, scrub_rd_u32(entry, big)))
			s = scrub_rd_take(&at, want);
	}
	if (s)
		memcpy(dst, s, want);
}

/* The raw formats built on a plain TIFF header, told apart by IFD0. */
static const struct scrub_unsupported *tiff_kind(const uint8_t *p, size_t n)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	bool big = p[0] == 'M';
	scrub_rd_skip(&rd, 4);
	uint32_t ifd = scrub_rd_u32(&rd, big);
	char make[16] = "";
	bool dng = false;
	if (scrub_rd_ok(&rd) && scrub_rd_seek(&rd, ifd)) {
		uint16_t entries = scrub_rd_u16(&rd, big);
		for (unsigned i = 0; i < entries && i < IFD_ENTRIES_MAX && scrub_rd_ok(&rd); i++) {
			uint16_t tag = scrub_rd_u16(&rd, big);
			uint16_t type = scrub_rd_u16(&rd, big);
			uint32_t count = scrub_rd_u32(&rd, big);
			dng |= tag == TAG_DNG_VERSION;
			struct scrub_rd entry;
			if (!scrub_rd_sub(&rd, 4, &entry))
				break;
			if (tag == TAG_MAKE && type == 2)
				tiff_make(&rd, &entry, big, count, make, sizeof make);
		}
	}
	if (dng)
		return kind("dng");
	static const struct { const char *make; const char *id; } makers[] = {
		{ "NIKON", "nef" }, { "SONY", "arw" }, { "PENTAX", "pef" }, { "RICOH", "pef" },
	};
	for (size_t i = 0; i < sizeof makers / sizeof makers[0]; i++)
		if (!strncmp(make, makers[i].make, strlen(makers[i].make)))
			return kind(makers[i].id);
	return kind("tiff");
}

static const struct scrub_unsupported *tiff_family(const uint8_t *p, size_t n)
{
	if (n < 8)
		return NULL;
	bool ii = p[0] == 'I' && p[1] == 'I', mm = p[0] == 'M' && p[1] == 'M';
	if (ii && (starts(p, n, "IIRO", 4) || starts(p, n, "IIRS", 4)))
		return kind("orf"); /* Olympus: 0x4F52 / 0x5352 where TIFF has 42 */
	if (mm && starts(p, n, "MMOR", 4))
		return kind("orf");
	if (ii && p[2] == 'U' && p[3] == 0)
		return kind("rw2"); /* Panasonic: 0x55 where TIFF has 42 */
	bool tiff = (ii && p[2] == TIFF_MAGIC && p[3] == 0) || (mm && p[2] == 0 && p[3] == TIFF_MAGIC);
	if (!tiff)
		return NULL;
	if (n >= 10 && p[8] == 'C' && p[9] == 'R')
		return kind("cr2"); /* Canon: "CR" and a version after the header */
	return tiff_kind(p, n);
}

/* ISO 14496-12 files: what the ftyp brands say (HEIF ones a backend did not take). */
static const struct scrub_unsupported *ftyp_family(const uint8_t *p, size_t n)
{
	static const struct { char brand[5]; const char *id; } brands[] = {
		{ "crx ", "cr3" }, { "qt  ", "mov" }, { "3gp4", "3gp" }, { "3gp5", "3gp" },
		{ "3gp6", "3gp" }, { "3g2a", "3gp" }, { "avif", "avif" }, { "avis", "avif" },
		{ "heic", "heif" }, { "heix", "heif" }, { "hevc", "heif" }, { "hevx", "heif" },
		{ "heim", "heif" }, { "heis", "heif" }, { "mif1", "heif" }, { "msf1", "heif" },
		{ "jp2 ", "jp2" },
	};
	if (n < 12 || memcmp(p + 4, "ftyp", 4))
		return NULL;
	for (size_t i = 0; i < sizeof brands / sizeof brands[0]; i++)
		if (!memcmp(p + 8, brands[i].brand, 4))
			return kind(brands[i].id);
	return kind("mp4"); /* isom, mp41, mp42, avc1, M4V and the rest of the family */
}

/* QuickTime files from before ftyp open with one of these atoms. */
static const struct scrub_unsupported *old_quicktime(const uint8_t *p, size_t n)
{
	static const char atoms[][5] = { "moov", "mdat", "wide", "pnot", "skip", "free" };
	if (n < 8)
		return NULL;
	for (size_t i = 0; i < sizeof atoms / sizeof atoms[0]; i++)
		if (!memcmp(p + 4, atoms[i], 4))
			return kind("mov");
	return NULL;
}

/* "BM", then a DIB header of one of the sizes the versions of it define. */
static const struct scrub_unsupported *bmp(const uint8_t *p, size_t n)
{
	static const uint32_t dib_sizes[] = { 12, 40, 52, 56, 64, 108, 124 };
	if (n < 18 || !starts(p, n, "BM", 2))
		return NULL;
	uint32_t dib = (uint32_t)p[14] | (uint32_t)p[15] << 8 | (uint32_t)p[16] << 16 |
		       (uint32_t)p[17] << 24;
	for (size_t i = 0; i < sizeof dib_sizes / sizeof dib_sizes[0]; i++)
		if (dib == dib_sizes[i])
			return kind("bmp");
	return NULL;
}

/* ICO or CUR: reserved 0, type 1 or 2, 1..255 images, first entry's reserved byte 0. */
static const struct scrub_unsupported *ico(const uint8_t *p, size_t n)
{
	if (n < 22 || p[0] || p[1] || (p[2] != 1 && p[2] != 2) || p[3] || p[5] || !p[4] || p[9])
		return NULL;
	return kind("ico");
}

/* An SVG document: "<svg", or an XML declaration and "<svg" in the first 4 kB. */
static const struct scrub_unsupported *svg(const uint8_t *p, size_t n)
{
	size_t i = 0;
	if (starts(p, n, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (starts(p + i, n - i, "<svg", 4))
		return kind("svg");
	if (!starts(p + i, n - i, "<?xml", 5))
		return NULL;
	size_t look = n - i < 4096 ? n - i : 4096;
	for (size_t k = i; k + 4 <= i + look; k++)
		if (!memcmp(p + k, "<svg", 4))
			return kind("svg");
	return NULL;
}

static const struct scrub_unsupported *simple_magic(const uint8_t *p, size_t n)
{
	static const struct { const char *magic; uint8_t len; const char *id; } magics[] = {
		{ "8BPS", 4, "psd" },
		{ "\0\0\0\x0CjP  \r\n\x87\n", 12, "jp2" },
		{ "\xFF\x4F\xFF\x51", 4, "jp2" },
	};
	for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
		if (starts(p, n, magics[i].magic, magics[i].len))
			return kind(magics[i].id);
	if (n >= 12 && starts(p, n, "RIFF", 4) && !memcmp(p + 8, "AVI ", 4))
		return kind("avi");
	return NULL;
}

const struct scrub_unsupported *scrub_format_unsupported(const uint8_t *p, size_t n)
{
	const struct scrub_unsupported *u = simple_magic(p, n);
	if (!u)
		u = tiff_family(p, n);
	if (!u)
		u = ftyp_family(p, n);
	if (!u)
		u = bmp(p, n);
	if (!u)
		u = ico(p, n);
	if (!u)
		u = svg(p, n);
	if (!u)
		u = old_quicktime(p, n);
	return u;
}
