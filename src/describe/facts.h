#ifndef SCRUB_FACTS_H
#define SCRUB_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "formats/format.h"

/* PNG text chunks shown in reports: the first few, truncated. */
#define SCRUB_TEXT_MAX 16
struct scrub_text_entry {
	char keyword[80];
	char value[256];
};

/* Images that ride along with the main one, as their metadata declares them. */
enum scrub_hidden {
	SCRUB_HIDDEN_GAIN_MAP = 1u << 0,   /* HDR gain map (XMP hdrgm, Container item) */
	SCRUB_HIDDEN_DEPTH_MAP = 1u << 1,  /* GDepth data or a Container "Depth" item */
	SCRUB_HIDDEN_ORIGINAL = 1u << 2,   /* GImage data: the unedited original */
	SCRUB_HIDDEN_MOTION = 1u << 3,     /* motion photo / micro video */
};

/* Facts a person cares about, decoded from metadata payloads for reports. */
struct scrub_facts {
	bool has_gps;
	bool has_alt;
	double lat;
	double lon;
	double alt;
	char gps_time[32];     /* "2024-05-01T12:00:00Z" */
	char make[64];
	char model[64];
	char body_serial[64];
	char lens_serial[64];
	char lens_model[64];
	char owner[64];
	char artist[128];
	char copyright[128];
	char creator[128];     /* XMP dc:creator, IPTC By-line */
	char city[64];         /* XMP photoshop:City, IPTC 2:90 */
	char state[64];        /* XMP photoshop:State, IPTC 2:95 */
	char country[64];      /* XMP photoshop:Country, IPTC 2:101 */
	char sublocation[64];  /* XMP Iptc4xmpCore:Location */
	char country_code[8];  /* XMP Iptc4xmpCore:CountryCode */
	char document_id[80];  /* XMP xmpMM:DocumentID */
	char original_document_id[80]; /* XMP xmpMM:OriginalDocumentID */
	unsigned history;      /* XMP xmpMM:History entries */
	unsigned keywords;     /* IPTC 2:25 Keywords records */
	char datetime[32];     /* capture time, "2024-05-01T12:00:00" */
	char digitized[32];    /* EXIF DateTimeDigitized, XMP xmp:CreateDate */
	char edited[32];       /* EXIF DateTime (IFD0), XMP xmp:ModifyDate / MetadataDate */
	char software[64];
	size_t thumbnail_bytes;
	size_t makernote_bytes;
	bool has_makernote;
	bool has_gps_ifd;
	int orientation;       /* EXIF Orientation 1..8, 0 when absent */
	char modified[32];     /* PNG tIME, "2024-05-01T12:00:00Z" */
	char icc_name[80];     /* PNG iCCP profile name */
	unsigned hidden;       /* enum scrub_hidden bits: images riding along */
	unsigned mpf_images;   /* MPF index entries after the first (secondary images) */
	size_t mpf_bytes;      /* their total size, as the MPF index states it */
	bool c2pa;             /* a C2PA manifest (JUMBF) is present */
	char c2pa_generator[96]; /* its claim generator, when readable */
	size_t ntext;
	struct scrub_text_entry text[SCRUB_TEXT_MAX];
	/* --report -v: where decoders list every tag they see; NULL when not asked. */
	struct scrub_buf *tags;
};

void scrub_facts_clear(struct scrub_facts *f);

/* Bytes of tag records kept for one file's --report -v; later tags are dropped. */
#define SCRUB_TAGS_MAX ((size_t)1 << 20)
/* Longest tag value kept (bytes); the text report cuts shorter still. */
#define SCRUB_TAG_VALUE_MAX 256
/*
 * Appends a tag record (source, name, value: three NUL-terminated strings)
 * to tags when it is not NULL. Values are cut at SCRUB_TAG_VALUE_MAX bytes.
 */
void scrub_tags_add(struct scrub_buf *tags, const char *source, const char *name,
		    const char *value);
/* Walks the records: the next one after *pos, false at the end. */
bool scrub_tags_next(const struct scrub_buf *tags, size_t *pos, const char **source,
		     const char **name, const char **value);
/* True when the facts place the picture: a GPS position or location text. */
bool scrub_facts_has_location(const struct scrub_facts *f);
/* True when the facts name a person or a device: owner, creator, serials. */
bool scrub_facts_has_identity(const struct scrub_facts *f);
/* Copies into dst every fact dst does not have yet (the first source wins). */
void scrub_facts_merge(struct scrub_facts *dst, const struct scrub_facts *src);
/*
 * Bytes of IPTC data (resource 0x0404) in a Photoshop IRB payload, 0 if
 * none; when f is not NULL, also fills it from the IPTC-IIM records found
 * there (By-line, Copyright, City, Province-State, Country, DateCreated,
 * Keywords), without overwriting fields already set.
 */
size_t scrub_describe_irb_iptc(const uint8_t *p, size_t n, struct scrub_facts *f);
/* Fills facts from IPTC-IIM records (0x1C ...); stops at the first non-record byte. */
void scrub_describe_iim(const uint8_t *p, size_t n, struct scrub_facts *f);

/* Largest XMP packet parsed for reports; bigger ones are only counted. */
#define SCRUB_XMP_MAX ((size_t)4 << 20)

/*
 * Fills facts from an XMP packet (the payload of JPEG APP1 XMP, a JPEG
 * ExtendedXMP chunk that holds a whole extension, PNG iTXt
 * XML:com.adobe.xmp text or the WebP "XMP " chunk): GPS, location text,
 * creator, rights, serials, device, dates, history and the images that
 * ride along (gain map, depth map, original, motion). Fields already set
 * are not overwritten. A packet with a DOCTYPE is refused (no entities).
 */
void scrub_describe_xmp(const uint8_t *p, size_t n, struct scrub_facts *f);

/* ExtendedXMP chunks gathered from one JPEG (XMP spec part 3, 1.1.3.1). */
#define SCRUB_XMP_PARTS_MAX 128
#define SCRUB_XMP_GUID_LEN 32
struct scrub_xmp_part {
	const uint8_t *guid; /* SCRUB_XMP_GUID_LEN hex digits, in the chunk */
	const uint8_t *data;
	uint32_t len;
	uint32_t full;       /* length of the whole extension */
	uint32_t off;        /* where this part goes in it */
};
struct scrub_xmp_ext {
	char want[SCRUB_XMP_GUID_LEN + 1]; /* the main packet's xmpNote:HasExtendedXMP, or "" */
	size_t nparts;
	struct scrub_xmp_part part[SCRUB_XMP_PARTS_MAX];
};

void scrub_xmp_ext_init(struct scrub_xmp_ext *x);
/*
 * Like scrub_describe_xmp for a main packet; also records in x (when not
 * NULL) the extension GUID its xmpNote:HasExtendedXMP names.
 */
void scrub_describe_xmp_main(const uint8_t *p, size_t n, struct scrub_facts *f,
			     struct scrub_xmp_ext *x);
/*
 * Records one ExtendedXMP chunk (the payload after the namespace: GUID,
 * full length, offset, data) without copying: p must outlive x. False
 * when the chunk is malformed or x is full.
 */
bool scrub_xmp_ext_add(struct scrub_xmp_ext *x, const uint8_t *p, size_t n);
/*
 * Parses the extension as one packet into f: the chunks of the GUID the
 * main packet names (else of the first chunk recorded), when they agree on
 * the full length and tile it exactly once, in any order. Otherwise (gap,
 * overlap, more than SCRUB_XMP_MAX) nothing is read. True when the
 * extension was complete and well-formed.
 */
bool scrub_describe_xmp_ext(const struct scrub_xmp_ext *x, struct scrub_facts *f);

/*
 * Fills mpf_images and mpf_bytes from a JPEG APP2 MPF payload (with or
 * without "MPF\0"): the MP Index IFD's entries after the first and their
 * stated sizes. Left alone when already set or the index is inconsistent.
 */
void scrub_describe_mpf(const uint8_t *p, size_t n, struct scrub_facts *f);

/*
 * Sets c2pa when p is a JUMBF box holding a C2PA manifest store (JPEG
 * APP11 payload with or without "JP", PNG caBX, WebP C2PA chunk), and
 * c2pa_generator, when empty, from the claim's generator.
 */
void scrub_describe_jumbf(const uint8_t *p, size_t n, struct scrub_facts *f);

/*
 * Fills facts from an EXIF payload (with or without "Exif\0\0"). Fields
 * already set are not overwritten, so the first EXIF block wins.
 */
void scrub_describe_exif(const uint8_t *p, size_t n, struct scrub_facts *f);

/*
 * Fills facts from the first APP1 Exif of a JPEG that starts within the
 * first bytes of p (an MPF secondary image or an appended JPEG after EOI),
 * walking its header up to SOS with a bounded reader. False when there is
 * no such JPEG or EXIF.
 */
bool scrub_describe_embedded_jpeg(const uint8_t *p, size_t n, struct scrub_facts *f);

/*
 * Fills facts from PNG chunk data: text (type PNG_TEXT, PNG_ZTXT or
 * PNG_ITXT) adds keyword/value entries (and the EXIF, XMP or IPTC inside
 * ImageMagick's raw profiles), tIME sets modified, iCCP the profile name.
 */
void scrub_describe_png_text(enum scrub_payload type, const uint8_t *p, size_t n,
			     struct scrub_facts *f);
void scrub_describe_png_time(const uint8_t *p, size_t n, struct scrub_facts *f);
/* Adds a text entry (keyword, the text as it is, cut to fit): GIF comments and plain text. */
void scrub_describe_text_entry(const char *keyword, const uint8_t *p, size_t n,
			       struct scrub_facts *f);

/*
 * Appends the Brotli stream p[0..n) decoded to out, up to out's limit.
 * True only when the whole stream decoded within it; false also when scrub
 * was built without libbrotlidec.
 */
bool scrub_brotli_inflate(const uint8_t *p, size_t n, struct scrub_buf *out);
void scrub_describe_png_iccp(const uint8_t *p, size_t n, struct scrub_facts *f);

#endif
