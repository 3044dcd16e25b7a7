#ifndef SCRUB_FORMAT_H
#define SCRUB_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/plan.h"
#include "core/policy.h"
#include "core/status.h"

/* What a segment, chunk or derived finding is; names are the JSON "kind" values. */
enum scrub_kind {
	SCRUB_KIND_IMAGE,       /* pixel data and the structure needed to decode it */
	SCRUB_KIND_JFIF,
	SCRUB_KIND_ADOBE,
	SCRUB_KIND_ICC,
	SCRUB_KIND_ORIENTATION, /* a minimal EXIF block holding only Orientation */
	SCRUB_KIND_EXIF,
	SCRUB_KIND_GPS,
	SCRUB_KIND_MAKERNOTE,
	SCRUB_KIND_THUMBNAIL,
	SCRUB_KIND_XMP,
	SCRUB_KIND_IPTC,
	SCRUB_KIND_PHOTOSHOP,
	SCRUB_KIND_COMMENT,
	SCRUB_KIND_TEXT,
	SCRUB_KIND_TIME,
	SCRUB_KIND_MPF,
	SCRUB_KIND_FLASHPIX,
	SCRUB_KIND_JUMBF,
	SCRUB_KIND_TRAILER,
	SCRUB_KIND_VENDOR,      /* a maker's own segment (FLIR, Ducky, Casio QVCI, Ricoh RMETA, ...) */
	SCRUB_KIND_AUXILIARY,   /* a depth map, matte or other picture riding along (HEIF items) */
	SCRUB_KIND_GAIN_MAP,    /* an HDR gain map: removing it loses HDR rendering */
	SCRUB_KIND_VIDEO,       /* a motion-photo video stored beside the still (HEIF mpvd) */
	SCRUB_KIND_UNKNOWN,
	SCRUB_KIND_JPEG_REBUILD, /* JPEG XL jbrd: what turns the file back into its original JPEG */
	SCRUB_KIND_COUNT
};

const char *scrub_kind_name(enum scrub_kind kind);
/*
 * What removing an element of this kind costs the picture, for reports and
 * the -v line ("HDR rendering lost"), or NULL when it costs nothing visible.
 */
const char *scrub_kind_loss(enum scrub_kind kind);

/*
 * What an element's payload (data_off, data_len) holds, so describers are
 * chosen by table (describe/describe.c) and nothing above the walkers
 * reads labels or compares backends. The walker that sets a type hands the
 * payload in the form its comment gives.
 */
enum scrub_payload {
	SCRUB_PAYLOAD_NONE,
	SCRUB_PAYLOAD_EXIF,          /* TIFF header on, with or without "Exif\0\0" */
	SCRUB_PAYLOAD_XMP,           /* a whole XMP packet */
	SCRUB_PAYLOAD_XMP_ZLIB,      /* an XMP packet in zlib format (HEIF mime, content_encoding deflate) */
	SCRUB_PAYLOAD_XMP_EXTENDED,  /* JPEG ExtendedXMP chunk: GUID, full length, offset, data */
	SCRUB_PAYLOAD_IRB,           /* Photoshop image resource blocks ("8BIM" ...) */
	SCRUB_PAYLOAD_JUMBF,         /* a JUMBF box (C2PA), with or without JPEG's "JP" header */
	SCRUB_PAYLOAD_MPF,           /* JPEG APP2 MPF: the TIFF-style MP index */
	SCRUB_PAYLOAD_PNG_TEXT,      /* PNG tEXt data: keyword, NUL, Latin-1 text */
	SCRUB_PAYLOAD_PNG_ZTXT,      /* PNG zTXt data: keyword, NUL, method, zlib text */
	SCRUB_PAYLOAD_PNG_ITXT,      /* PNG iTXt data: keyword, NUL, flag, method, ... text */
	SCRUB_PAYLOAD_PNG_TIME,      /* PNG tIME data */
	SCRUB_PAYLOAD_PNG_ICCP,      /* PNG iCCP data: profile name, NUL, method, zlib profile */
	SCRUB_PAYLOAD_EMBEDDED_JPEG, /* bytes holding a JPEG near their start (a trailer) */
	SCRUB_PAYLOAD_ICC,           /* a whole ICC profile */
	SCRUB_PAYLOAD_ICC_PART,      /* JPEG APP2 ICC_PROFILE: sequence (1..), count, part of a profile */
	SCRUB_PAYLOAD_COMMENT,       /* comment text, Latin-1 or UTF-8 (JPEG COM, GIF comment extension) */
	SCRUB_PAYLOAD_PLAIN_TEXT,    /* text a GIF plain text extension draws */
	SCRUB_PAYLOAD_IPTC_IIM,      /* IPTC-IIM records (0x1C ...), as ImageMagick's MGKIPTC0000 */
	SCRUB_PAYLOAD_BROTLI_BOX,    /* JPEG XL brob: the wrapped box's type (4), then Brotli data */
	SCRUB_PAYLOAD_FLIR,          /* JPEG APP1 FLIR chunk: "FLIR\0", 1, index, last index, data */
	SCRUB_PAYLOAD_SEFT,          /* data ending in a Samsung SEFT directory (JPEG trailer) */
	SCRUB_PAYLOAD_DUCKY,         /* JPEG APP12 "Ducky" blocks */
	SCRUB_PAYLOAD_PICTURE_INFO,  /* JPEG APP12 Picture Info text (key=value lines) */
	SCRUB_PAYLOAD_QVCI,          /* JPEG APP1 Casio "QVCI\0" block */
	SCRUB_PAYLOAD_UCS2_COMMENT,  /* JPEG APP10 PhotoStudio comment, UCS-2 big-endian */
	SCRUB_PAYLOAD_RIFF_INFO,     /* a RIFF LIST INFO's sub-chunks, after "INFO" (WebP) */
	SCRUB_PAYLOAD_COUNT,
	/*
	 * Flag on a type: the payload is split in GIF data sub-blocks (a length
	 * byte 1..255 and that many bytes, until a 0 byte); describing joins them.
	 * Not for FLIR, ICC_PART or XMP_EXTENDED, which are kept until the end of
	 * the description and so must be the caller's own bytes.
	 */
	SCRUB_PAYLOAD_GIF_BLOCKS = 0x80
};

/* One container element of the input, as the backend's scan saw it. */
struct scrub_segment {
	size_t off;        /* first byte in the input (fill bytes included) */
	size_t len;        /* whole element: marker/header, payload, CRC */
	size_t data_off;   /* payload for describers (identifier skipped) */
	size_t data_len;
	uint8_t kind;      /* enum scrub_kind: what the element is */
	uint8_t payload;   /* enum scrub_payload (maybe | GIF_BLOCKS): what data_off..data_len holds */
	bool keep;
	char label[28];    /* container name for people: "APP1 Exif", "tEXt", "COM" */
};

/* Everything a scan learns about one file; reused across files by one worker. */
struct scrub_scan {
	const struct scrub_backend *backend;
	uint32_t width;
	uint32_t height;
	int orientation;          /* EXIF Orientation 1..8, 0 when absent */
	struct scrub_segment *seg;
	size_t nseg;
	size_t capseg;
	size_t max_segments;      /* budget; exceeding it is SCRUB_E_LIMIT */
	size_t fail_off;          /* where a failed scan gave up */
	const char *fail_why;     /* static text saying what is wrong, or NULL */
};

void scrub_scan_init(struct scrub_scan *scan);
void scrub_scan_reset(struct scrub_scan *scan);
void scrub_scan_free(struct scrub_scan *scan);
/* Appends a segment; returns NULL when the budget or memory runs out. */
struct scrub_segment *scrub_scan_add(struct scrub_scan *scan, size_t off, size_t len,
				     enum scrub_kind kind, bool keep, const char *label);
/* True when some segment would be removed. */
bool scrub_scan_has_removable(const struct scrub_scan *scan);

struct scrub_pixels;

/*
 * What the codec library's header reader says about the image, without
 * decoding pixels: for reports and as a sanity check that the image itself
 * (not just its container) can be read.
 */
struct scrub_image_info {
	bool known;           /* filled by a probe */
	uint8_t components;   /* samples per pixel: 1 grey, 2 grey+alpha, 3 colour, 4 RGBA/CMYK */
	uint8_t bit_depth;    /* bits per sample (PNG palette: bits per index) */
	unsigned flags_known; /* which of the three flags below the probe can tell (SCRUB_INFO_*) */
	bool progressive;     /* JPEG progressive */
	bool interlaced;      /* PNG Adam7 */
	bool lossless;        /* WebP VP8L (a still image) */
	bool animated;        /* APNG or animated WebP */
	unsigned frames;      /* 1 for a still image */
	char color[16];       /* "YCbCr 4:2:0", "RGB", "palette", "CMYK", ... */
	/*
	 * What the coded image itself carries, which no container edit removes
	 * (a JPEG XL codestream): its orientation 2..8 (0: none or upright) and
	 * the size of its ICC profile (0: none, or colours given as an enum).
	 */
	uint8_t coded_orientation;
	uint32_t coded_icc_bytes;
};

enum { SCRUB_INFO_PROGRESSIVE = 1, SCRUB_INFO_INTERLACED = 2, SCRUB_INFO_LOSSLESS = 4 };

/* Room for a codec library's message in a probe or orient failure. */
#define SCRUB_CODEC_MSG 128

/*
 * Result of baking orientation into the pixels: done (out holds a complete
 * image of the same format), or not possible losslessly (the caller keeps
 * the minimal orientation tag and says why).
 */
enum scrub_orient_result {
	SCRUB_ORIENT_DONE,
	SCRUB_ORIENT_KEEP_TAG
};

/*
 * A format backend. sniff looks at magic bytes only; scan walks the whole
 * container, classifies every element under the policy and must reject
 * anything it cannot walk; strip turns a successful scan into the output
 * plan without re-encoding anything. decode (optional, codec library) fully
 * decodes the image for --verify. probe (optional) reads the image header
 * through the codec library, never pixels; on failure it puts the
 * library's message in msg. A probe may also succeed with info->known
 * false: the codec cannot read a file the walker accepted (libheif 1.15
 * and newer HEIF layouts), and the walker alone decides. orient (optional) applies EXIF orientation o
 * (2..8) to the pixels losslessly into out, for when the tag is removed;
 * with check it also proves the result (--verify). A failure to bake is not
 * an error: it answers SCRUB_ORIENT_KEEP_TAG with the reason in msg.
 */
struct scrub_backend {
	const char *name;    /* "jpeg": reports, JSON "format" */
	const char *display; /* "JPEG": messages */
	bool (*sniff)(const uint8_t *p, size_t n);
	enum scrub_status (*scan)(const uint8_t *p, size_t n, const struct scrub_policy *pol,
				  struct scrub_scan *scan);
	enum scrub_status (*strip)(const uint8_t *p, size_t n, const struct scrub_scan *scan,
				   const struct scrub_policy *pol, struct scrub_plan *plan);
	enum scrub_status (*decode)(const uint8_t *p, size_t n, struct scrub_pixels *px);
	enum scrub_status (*probe)(const uint8_t *p, size_t n, struct scrub_image_info *info,
				   char *msg, size_t msg_size);
	enum scrub_orient_result (*orient)(const uint8_t *p, size_t n, int o,
					   const struct scrub_image_info *info, bool check,
					   struct scrub_buf *out, char *msg, size_t msg_size);
};

/* Backend whose magic matches, or NULL. Never looks at file names. */
const struct scrub_backend *scrub_format_detect(const uint8_t *p, size_t n);
/* "JPEG, PNG or WebP" (last = " or "): the formats by their display names. */
void scrub_format_list(char *dst, size_t size, const char *last);

/* An image or video scrub recognises but cannot clean (formats/unsupported.c). */
struct scrub_unsupported {
	const char *id;      /* "mov": JSON "format" */
	const char *display; /* "MOV video": messages */
};

/* What such a file is, or NULL. Try scrub_format_detect first. */
const struct scrub_unsupported *scrub_format_unsupported(const uint8_t *p, size_t n);

#define SCRUB_FORMAT(id, name) extern const struct scrub_backend scrub_backend_##id;
#include "formats/list.h"
#undef SCRUB_FORMAT

#endif
