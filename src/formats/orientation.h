#ifndef SCRUB_ORIENTATION_H
#define SCRUB_ORIENTATION_H

#include <stddef.h>
#include <stdint.h>

/*
 * Orientation is the one EXIF value scrub keeps. Reading it walks only IFD0
 * of a TIFF header with a bounded reader (never libexif: the strip path must
 * not run maker-note parsers). Writing it uses libexif.
 */

/* Orientation 1..8 from a TIFF block ("II*\0" / "MM\0*" first), 0 if absent or invalid. */
int scrub_orientation_read_tiff(const uint8_t *tiff, size_t n);
/* Same, for an APP1-style payload that may start with "Exif\0\0". */
int scrub_orientation_read_exif(const uint8_t *p, size_t n);

/*
 * Minimal EXIF block for orientation o (2..8): "Exif\0\0" followed by a TIFF
 * with one IFD0 entry. Built once at start-up by scrub_orientation_init and
 * shared read-only afterwards. Returns NULL for o outside 2..8.
 */
const uint8_t *scrub_orientation_block(int o, size_t *len);
/* Builds the blocks; call once before any thread starts. */
int scrub_orientation_init(void);

/* Length of the "Exif\0\0" prefix. */
#define SCRUB_EXIF_HEADER_LEN 6

#endif
