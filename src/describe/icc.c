/*
 * What a kept colour profile still tells (SPEC.md section 4): its
 * description, device manufacturer and model, copyright, and whether it
 * is one of the standard profiles every system ships (which tell nothing)
 * or something else, such as a display calibrated for one screen, which
 * can point at a device or a person.
 *
 * ICC.1:2022: a 128-byte header (device manufacturer at 48, model at 52,
 * class at 12), then the tag count and 12-byte entries: signature,
 * offset, size. Text tags are 'desc' type (v2: ASCII count and text),
 * 'mluc' (v4: records of language, country, length, offset into the tag;
 * UTF-16BE), or 'text' (ASCII). Tags read: desc, dmnd, dmdd, cprt.
 * Every offset is checked against the profile; nothing is allocated.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/bytes.h"
#include "core/utf8.h"
#include "describe/facts.h"

#define HEADER_LEN 128
#define TAGS_MAX 256 /* tag entries looked at; real profiles have a few dozen */

/* Descriptions of profiles every system ships: they say nothing about who made the picture. */
static const char *const standard_profiles[] = {
	"sRGB", "sRGB IEC61966-2.1", "sRGB IEC61966-2-1", "sRGB built-in", "sRGB v4 ICC",
	"Display P3", "DCI-P3", "P3 D65", "Adobe RGB (1998)", "Apple RGB", "ColorMatch RGB",
	"ProPhoto RGB", "ROMM-RGB", "eciRGB v2", "ITU-R BT.2020", "Rec. 2020", "Rec.2020",
	"ITU-R BT.709", "Rec. 709", "Generic RGB Profile", "Generic Gray Profile",
	"Generic Gray Gamma 2.2 Profile", "Generic CMYK Profile", "Gray Gamma 2.2", "Dot Gain 20%",
	"Linear sRGB", "scRGB", "c2", "c2ci", "uRGB", "GIMP built-in sRGB", "Google/Skia",
	"U.S. Web Coated (SWOP) v2", "Coated FOGRA39", "Coated FOGRA27", "Uncoated FOGRA29",
	"Japan Color 2001 Coated", "Web Coated SWOP", "ISO Coated v2", "PSO Coated",
};

static bool is_standard(const char *desc)
{
	for (size_t i = 0; i < sizeof standard_profiles / sizeof standard_profiles[0]; i++) {
		size_t k = strlen(standard_profiles[i]);
		/* A variant ("sRGB IEC61966-2.1 black scaled", "Coated FOGRA39 (ISO 12647-2:2004)") counts. */
		if (!strncasecmp(desc, standard_profiles[i], k) &&
		    (desc[k] == '\0' || desc[k] == ' ' || desc[k] == '('))
			return true;
	}
	return false;
}

/* The text of a 'desc', 'mluc' or 'text' tag at rec into dst (empty when not one). */
static void tag_text(struct scrub_rd rec, char *dst, size_t size)
{
	char buf[256] = "";
	if (scrub_rd_peek_eq(&rec, "desc", 4)) {
		scrub_rd_skip(&rec, 8);
		uint32_t n = scrub_rd_be32(&rec);
		const uint8_t *s = n && n <= scrub_rd_left(&rec) ? scrub_rd_take(&rec, n) : NULL;
		if (s)
			scrub_facts_set(buf, sizeof buf, (const char *)s, strnlen((const char *)s, n));
	} else if (scrub_rd_peek_eq(&rec, "text", 4)) {
		scrub_rd_skip(&rec, 8);
		size_t n = scrub_rd_left(&rec);
		const char *s = (const char *)scrub_rd_take(&rec, n);
		if (s)
			scrub_facts_set(buf, sizeof buf, s, strnlen(s, n));
	} else if (scrub_rd_peek_eq(&rec, "mluc", 4)) {
		/* The first record: language, country, length, offset from the tag's start. */
		struct scrub_rd r = rec;
		scrub_rd_skip(&r, 8);
		uint32_t count = scrub_rd_be32(&r), rec_len = scrub_rd_be32(&r);
		scrub_rd_skip(&r, 4);
		uint32_t len = scrub_rd_be32(&r), off = scrub_rd_be32(&r);
		struct scrub_rd t = rec;
		const uint8_t *u = count && rec_len >= 12 && scrub_rd_ok(&r) && scrub_rd_seek(&t, off)
					   ? scrub_rd_take(&t, len) : NULL;
		if (u)
			scrub_utf16_to_utf8(u, len, 1, buf, sizeof buf);
	}
	if (!scrub_utf8_valid((const unsigned char *)buf, strlen(buf)))
		buf[0] = '\0'; /* v2 'desc' ASCII that is not ASCII: not believed */
	scrub_facts_set(dst, size, buf, strlen(buf));
}

/*
 * A header signature (device manufacturer or model) as text: the common
 * manufacturer codes by name (as the ICC registry lists them), others as
 * the four printable characters; "none" and blanks say nothing.
 */
static void signature(const uint8_t *p, char *dst, size_t size)
{
	static const struct { char sig[5]; const char *name; } makers[] = {
		{ "APPL", "Apple" }, { "GOOG", "Google" }, { "MSFT", "Microsoft" }, { "ADBE", "Adobe" },
		{ "HP  ", "Hewlett-Packard" }, { "EPSO", "Epson" }, { "CANO", "Canon" },
		{ "NKON", "Nikon" }, { "SONY", "Sony" }, { "SAMS", "Samsung" }, { "DELL", "Dell" },
		{ "EIZO", "EIZO" }, { "FUJI", "Fujifilm" }, { "KODA", "Kodak" }, { "LGS ", "LG" },
	};
	char s[5];
	for (int i = 0; i < 4; i++) {
		if (p[i] && (p[i] < 0x20 || p[i] > 0x7E))
			return;
		s[i] = p[i] ? (char)p[i] : ' ';
	}
	s[4] = '\0';
	if (!strcmp(s, "none") || !strcmp(s, "    "))
		return;
	for (size_t i = 0; i < sizeof makers / sizeof makers[0]; i++)
		if (!memcmp(s, makers[i].sig, 4)) {
			scrub_facts_set(dst, size, makers[i].name, strlen(makers[i].name));
			return;
		}
	scrub_facts_set(dst, size, s, 4);
}

void scrub_describe_icc(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	if (f->icc_read || n < HEADER_LEN + 4 || !scrub_rd_seek(&rd, 36) ||
	    !scrub_rd_peek_eq(&rd, "acsp", 4))
		return;
	scrub_rd_seek(&rd, HEADER_LEN);
	uint32_t count = scrub_rd_be32(&rd);
	static const char *const sigs[] = { "desc", "dmnd", "dmdd", "cprt" };
	char *dst[] = { f->icc_desc, f->icc_maker, f->icc_model, f->icc_copyright };
	size_t size[] = { sizeof f->icc_desc, sizeof f->icc_maker, sizeof f->icc_model,
			  sizeof f->icc_copyright };
	for (uint32_t i = 0; i < count && i < TAGS_MAX && scrub_rd_left(&rd) >= 12; i++) {
		const uint8_t *sig = scrub_rd_take(&rd, 4);
		uint32_t off = scrub_rd_be32(&rd), len = scrub_rd_be32(&rd);
		struct scrub_rd all, rec;
		scrub_rd_init(&all, p, n);
		if (!scrub_rd_seek(&all, off) || !scrub_rd_sub(&all, len, &rec))
			continue;
		for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
			if (!memcmp(sig, sigs[k], 4))
				tag_text(rec, dst[k], size[k]);
	}
	/* Without 'dmnd'/'dmdd' the header's signatures name the device, when set. */
	signature(p + 48, f->icc_maker, sizeof f->icc_maker);
	if (p[52] || p[53] || p[54] || p[55])
		signature(p + 52, f->icc_model, sizeof f->icc_model);
	f->icc_read = true;
	f->icc_standard = f->icc_desc[0] && is_standard(f->icc_desc);
}
