/*
 * The payload-to-describer table: the only place that knows which decoder
 * reads which payload type, and which layer its facts go to.
 */
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

static void on_exif(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p, size_t n)
{
	(void)type;
	struct scrub_facts one;
	scrub_facts_clear(&one);
	one.tags = d->facts->tags;
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
	if (scrub_describe_embedded_jpeg(p, n, &one)) /* its EXIF, SPEC.md section 4 */
		merge_exif_facts(d, &one);
}

static void on_xmp(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p, size_t n)
{
	(void)type;
	scrub_describe_xmp_main(p, n, &d->xmp, &d->ext);
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

static const describer_fn describers[SCRUB_PAYLOAD_COUNT] = {
	[SCRUB_PAYLOAD_EXIF] = on_exif,
	[SCRUB_PAYLOAD_XMP] = on_xmp,
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
};

void scrub_describe_begin(struct scrub_describe *d, struct scrub_facts *facts,
			  struct scrub_buf *tags)
{
	d->facts = facts;
	scrub_facts_clear(&d->xmp);
	scrub_facts_clear(&d->iptc);
	facts->tags = d->xmp.tags = d->iptc.tags = tags;
	scrub_xmp_ext_init(&d->ext);
	d->nderived = 0;
}

void scrub_describe_payload(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p,
			    size_t n)
{
	d->nderived = 0;
	if ((unsigned)type < SCRUB_PAYLOAD_COUNT && describers[type])
		describers[type](d, type, p, n);
}

void scrub_describe_end(struct scrub_describe *d)
{
	/* After the main packet, whose values win and which names the extension's GUID. */
	scrub_describe_xmp_ext(&d->ext, &d->xmp);
	scrub_facts_merge(d->facts, &d->xmp);
	scrub_facts_merge(d->facts, &d->iptc);
}
