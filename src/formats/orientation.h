#ifndef SCRUB_ORIENTATION_H
#define SCRUB_ORIENTATION_H

#include <stddef.h>
#include <stdint.h>

/*
 * Orientation is the one EXIF value scrub keeps. Reading it walks only IFD0
 * of a TIFF header with a bounded reader (never libexif: the strip path must
 * not run maker-note parsers). Writing it uses libexif.
 */

/*
 * Orientation 1..8 from a TIFF block ("II*\0" / "MM\0*" first) or an
 * APP1-style payload that starts with "Exif\0\0"; 0 if absent or invalid.
 */
int scrub_orientation_read_exif(const uint8_t *p, size_t n);

/*
 * Minimal EXIF block for orientation o (2..8): "Exif\0\0" followed by a TIFF
 * with one IFD0 entry. Built on first use (once, whichever thread comes
 * first) and shared read-only afterwards. Returns NULL for o outside 2..8,
 * and when building it ran out of memory.
 */
const uint8_t *scrub_orientation_block(int o, size_t *len);

/* Length of the "Exif\0\0" prefix. */
#define SCRUB_EXIF_HEADER_LEN 6

#endif
