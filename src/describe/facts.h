#ifndef SCRUB_FACTS_H
#define SCRUB_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "formats/format.h"

/*
 * Free text shown in reports under "other", with where it came from: PNG
 * text chunks whose keyword says nothing more specific (Title, Comment,
 * ...), EXIF ImageDescription and UserComment, JPEG COM. The first few,
 * cut.
 */
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
	SCRUB_HIDDEN_MOTION = 1u << 3,     /* motion photo / micro video (XMP, Samsung trailer) */
	SCRUB_HIDDEN_THERMAL = 1u << 4,    /* a FLIR camera's raw thermal image */
	SCRUB_HIDDEN_EXTRA = 1u << 5,      /* other embedded pictures (Samsung dual shot, FLIR visible) */
	SCRUB_HIDDEN_AUDIO = 1u << 6,      /* a voice note or sound clip (FLIR, Samsung sound & shot) */
};

/* Longest prompt text kept (bytes, cut on a UTF-8 boundary); the text report cuts shorter. */
#define SCRUB_PROMPT_MAX 512
#define SCRUB_NEGATIVE_MAX 256

/* What someone asked an image generator, as the generator wrote it into the file. */
struct scrub_prompt {
	char generator[48];   /* "Automatic1111", "ComfyUI", "NovelAI", ... */
	char prompt[SCRUB_PROMPT_MAX];
	char negative[SCRUB_NEGATIVE_MAX];
	char seed[24];
	char model[96];
	char sampler[48];
	char steps[8];
	char input_image[96]; /* the picture an img2img run started from (ComfyUI LoadImage) */
	unsigned nodes;       /* nodes of a ComfyUI workflow or graph */
};

/*
 * Facts a person cares about, decoded from metadata payloads for reports,
 * each stored once (describe/facts.c says which group each one is shown
 * in). Dates are ISO 8601 text.
 */
struct scrub_facts {
	/* location */
	bool has_gps;
	bool has_alt;
	double lat;
	double lon;
	double alt;
	char gps_from[24];     /* where the position was read: "EXIF", "XMP", "FLIR", ... */
	bool has_gps2;         /* a second, different position (a later block, XMP, a vendor) */
	double lat2;
	double lon2;
	char gps2_from[24];    /* where the second one is: "second EXIF block", "XMP", "FLIR" */
	char city[64];         /* XMP photoshop:City, IPTC 2:90 */
	char state[64];        /* XMP photoshop:State, IPTC 2:95 */
	char country[64];      /* XMP photoshop:Country, IPTC 2:101 */
	char sublocation[64];  /* XMP Iptc4xmpCore:Location, IPTC 2:92 */
	char country_code[8];  /* XMP Iptc4xmpCore:CountryCode, IPTC 2:100 */
	char mcc[8];           /* mobile network country code (Samsung MCC_Data) */
	/* identity */
	char owner[64];
	char artist[128];      /* EXIF Artist, XPAuthor, PNG Author */
	char copyright[128];
	char creator[128];     /* XMP dc:creator, IPTC By-line */
	char body_serial[64];
	char lens_serial[64];
	char file_path[128];   /* an original file name or path the metadata records */
	char people[128];      /* people shown: XMP PersonInImage, face-region names */
	char contact[128];     /* the creator's e-mail, phone or web address; IPTC Contact */
	char writer[64];       /* who wrote the caption: IPTC Writer-Editor, photoshop:CaptionWriter */
	/* prompt */
	struct scrub_prompt prompt;
	/* time */
	char original[40];     /* EXIF DateTimeOriginal (or XMP exif:DateTimeOriginal) */
	char created[40];      /* XMP photoshop:DateCreated, xmp:CreateDate, IPTC, PNG Creation Time */
	char digitized[40];    /* EXIF DateTimeDigitized, XMP exif:DateTimeDigitized */
	char edited[40];       /* EXIF DateTime (IFD0), XMP xmp:ModifyDate / MetadataDate */
	char gps_time[32];     /* "2024-05-01T12:00:00Z" */
	char vendor_time[40];  /* a maker's own capture time (FLIR, Samsung trailer, Casio) */
	char vendor_time_from[16];
	char file_times[2][40]; /* ImageMagick date:create and date:modify: the source file's */
	char modified[32];     /* PNG tIME, "2024-05-01T12:00:00Z" */
	unsigned history;      /* XMP xmpMM:History entries: each a dated edit */
	char name_time[32];    /* what the file name says (kept: scrub does not rename) */
	/* device */
	char make[64];
	char model[64];
	char lens_model[64];
	char software[64];
	char source[64];       /* PNG Source: "device used to create the image" */
	char c2pa_generator[96]; /* a C2PA claim's generator, when readable */
	size_t makernote_bytes;
	bool has_makernote;
	char name_device[48];  /* what the file name says (kept) */
	/* the colour profile: a standard one is "other", any other one "device" */
	char icc_name[80];     /* PNG iCCP profile name */
	char icc_desc[80];     /* ICC 'desc' */
	char icc_maker[64];    /* ICC 'dmnd', else the header's device manufacturer */
	char icc_model[64];    /* ICC 'dmdd', else the header's device model */
	char icc_copyright[96]; /* ICC 'cprt' */
	bool icc_read;         /* a profile was read (its header at least) */
	bool icc_standard;     /* sRGB, Display P3, Adobe RGB and the like */
	/* hidden */
	size_t thumbnail_bytes;
	size_t irb_thumbnail_bytes; /* Photoshop's own thumbnail resource */
	unsigned hidden;       /* enum scrub_hidden bits: images riding along */
	unsigned mpf_images;   /* MPF index entries after the first (secondary images) */
	size_t mpf_bytes;      /* their total size, as the MPF index states it */
	unsigned c2pa_thumbnails; /* thumbnails inside a C2PA manifest (claim, ingredients) */
	/* other */
	char document_id[80];  /* XMP xmpMM:DocumentID */
	char original_document_id[80]; /* XMP xmpMM:OriginalDocumentID */
	char image_id[48];     /* EXIF ImageUniqueID */
	unsigned keywords;     /* IPTC 2:25 Keywords records */
	bool c2pa;             /* a C2PA manifest (JUMBF) is present */
	bool has_gps_ifd;
	int orientation;       /* EXIF Orientation 1..8, 0 when absent */
	size_t ntext;
	struct scrub_text_entry text[SCRUB_TEXT_MAX];
	/* --report -v: where decoders list every tag they see; NULL when not asked. */
	struct scrub_buf *tags;
};

void scrub_facts_clear(struct scrub_facts *f);

/*
 * Sets dst (when it is empty) to v[0..n) trimmed of surrounding white
 * space, NULs made spaces, cut on a UTF-8 boundary to fit size.
 */
void scrub_facts_set(char *dst, size_t size, const char *v, size_t n);

/*
 * A comment (JPEG COM): a generator's settings become the prompt; other
 * text, converted from Latin-1 when it is not UTF-8, an entry named keyword.
 */
void scrub_describe_comment(const char *keyword, const uint8_t *p, size_t n,
			    struct scrub_facts *f);
/*
 * True when f has a free-text entry with this value: the same text in two
 * blocks (EXIF ImageDescription and IPTC Caption, UserComment in EXIF and
 * XMP) is shown once, from the first.
 */
bool scrub_facts_has_text(const struct scrub_facts *f, const char *value);
/* Adds a text entry (keyword, the text as it is, cut to fit): free text for "other". */
void scrub_describe_text_entry(const char *keyword, const uint8_t *p, size_t n,
			       struct scrub_facts *f);

/*
 * Image generators (describe/genai.c) fill f->prompt. scrub_genai_text
 * takes the value of a PNG text keyword a generator writes (parameters,
 * prompt, workflow, invokeai_metadata, sd-metadata, Dream, Comment) and
 * scrub_genai_comment an EXIF or XMP UserComment. Both return true when
 * they recognised the text, which is then shown as the prompt and not
 * again as free text. scrub_genai_finish runs once all payloads are in:
 * it names the generator from Software and takes NovelAI's prompt from its
 * Description.
 */
bool scrub_genai_text(const char *keyword, const uint8_t *p, size_t n, struct scrub_facts *f);
bool scrub_genai_comment(const uint8_t *p, size_t n, struct scrub_facts *f);
void scrub_genai_finish(struct scrub_facts *f);

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
/*
 * What a fact gives away, most sensitive first (SPEC.md section 4): every
 * fact is shown under one group, and a file's verdict is the first group
 * holding something that would be removed.
 */
enum scrub_group {
	SCRUB_GROUP_LOCATION,
	SCRUB_GROUP_IDENTITY,
	SCRUB_GROUP_PROMPT,
	SCRUB_GROUP_TIME,
	SCRUB_GROUP_DEVICE,
	SCRUB_GROUP_HIDDEN,
	SCRUB_GROUP_OTHER,
	SCRUB_GROUP_COUNT
};

/* "location", ..., "other": the group's name in text, JSON and verdicts. */
const char *scrub_group_name(enum scrub_group g);

/*
 * The groups (bit 1u << group) holding a fact of f that scrub would
 * remove. What stays does not count: the file name, and the colour
 * profile unless icc_removed.
 */
unsigned scrub_facts_groups(const struct scrub_facts *f, bool icc_removed);
/* True when the colour profile's facts belong under device (not a standard profile). */
bool scrub_facts_icc_points_at_device(const struct scrub_facts *f);
/* The group a removed element of this kind stands for by itself (trailers: hidden). */
enum scrub_group scrub_kind_group(enum scrub_kind kind);
/*
 * Copies into dst every fact dst does not have yet (the first source
 * wins); a position of src that differs from dst's becomes dst's second
 * one, named by src->gps_from.
 */
void scrub_facts_merge(struct scrub_facts *dst, const struct scrub_facts *src);
/*
 * Bytes of IPTC data (resource 0x0404) in a Photoshop IRB payload, 0 if
 * none; when f is not NULL, also fills it from the IPTC-IIM records found
 * there (By-line, Copyright, City, Province-State, Country, DateCreated,
 * Keywords), without overwriting fields already set, and notes the size of
 * a thumbnail resource (0x0409, 0x040C).
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

/*
 * Appends the Brotli stream p[0..n) decoded to out, up to out's limit.
 * True only when the whole stream decoded within it; false also when scrub
 * was built without libbrotlidec.
 */
bool scrub_brotli_inflate(const uint8_t *p, size_t n, struct scrub_buf *out);
void scrub_describe_png_iccp(const uint8_t *p, size_t n, struct scrub_facts *f);
/* Inflates a zlib-format XMP packet (under the text cap) and describes it as a main packet. */
void scrub_describe_xmp_zlib(const uint8_t *p, size_t n, struct scrub_facts *f,
			     struct scrub_xmp_ext *x);

/*
 * The capture time and the device a file's name gives away (describe/
 * filename.c): name is the last component of the path, as the user gave it.
 */
void scrub_describe_file_name(const char *name, struct scrub_facts *f);

/*
 * A whole ICC profile (describe/icc.c): description, device manufacturer
 * and model, copyright, and whether it is a standard profile. The first
 * profile read wins.
 */
void scrub_describe_icc(const uint8_t *p, size_t n, struct scrub_facts *f);

/*
 * Makers' own segments (describe/vendor.c): a FLIR FFF block (the APP1
 * FLIR chunks joined), a Samsung trailer ending in SEFT, an APP12 Ducky or
 * Picture Info segment, a Casio APP1 QVCI segment (with its "QVCI\0"),
 * and an APP10 PhotoStudio comment (UCS-2 after "UNICODE\0").
 */
void scrub_describe_flir(const uint8_t *p, size_t n, struct scrub_facts *f);
void scrub_describe_seft(const uint8_t *p, size_t n, struct scrub_facts *f);
void scrub_describe_ducky(const uint8_t *p, size_t n, struct scrub_facts *f);
void scrub_describe_picture_info(const uint8_t *p, size_t n, struct scrub_facts *f);
void scrub_describe_qvci(const uint8_t *p, size_t n, struct scrub_facts *f);
void scrub_describe_ucs2_comment(const uint8_t *p, size_t n, struct scrub_facts *f);
/* A RIFF LIST INFO's sub-chunks (after "INFO"): artist, copyright, date, software, free text. */
void scrub_describe_riff_info(const uint8_t *p, size_t n, struct scrub_facts *f);

#endif
