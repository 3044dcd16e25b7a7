#ifndef SCRUB_DESCRIBE_H
#define SCRUB_DESCRIBE_H

#include <stddef.h>
#include <stdint.h>

#include "describe/facts.h"
#include "formats/format.h"

/* Something a payload holds that the report lists as a finding of its own. */
struct scrub_derived {
	uint8_t kind; /* enum scrub_kind: GPS, MAKERNOTE, THUMBNAIL, IPTC */
	size_t bytes;
};

/*
 * Describing one file: payloads go in one at a time, in file order, each to
 * the describer its type names. When blocks disagree, the first EXIF block
 * wins, then XMP, then IPTC (the MWG order), so XMP and IPTC facts wait in
 * their own layers until end merges them; an ExtendedXMP extension is
 * parsed at end, once its main packet has named it.
 */
struct scrub_describe {
	struct scrub_facts *facts;  /* the result's: EXIF, PNG chunks, MPF, C2PA, trailers */
	struct scrub_facts xmp;
	struct scrub_facts iptc;
	struct scrub_xmp_ext ext;
	unsigned exif_blocks;       /* EXIF blocks described so far */
	/*
	 * Blocks a JPEG cuts in numbered APPn chunks, joined at end: the
	 * APP1 FLIR FFF data and the APP2 ICC profile (up to 256 parts).
	 */
	struct scrub_chunks {
		const uint8_t *p[256];
		uint32_t n[256];
		unsigned total;     /* chunk count the first one announced, 0 before it */
		bool bad;           /* counts disagreed, or a number came twice */
	} flir, icc;
	size_t nderived;            /* findings inside the payload described last */
	struct scrub_derived derived[4];
};

/* tags: where decoders list every tag they read (--report -v), or NULL. */
void scrub_describe_begin(struct scrub_describe *d, struct scrub_facts *facts,
			  struct scrub_buf *tags);
/* Describes one payload of the given type; fills d->derived. */
void scrub_describe_payload(struct scrub_describe *d, enum scrub_payload type, const uint8_t *p,
			    size_t n);
/* Parses the extension and merges the XMP and IPTC layers into facts. */
void scrub_describe_end(struct scrub_describe *d);

#endif
