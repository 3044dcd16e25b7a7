#include "formats/orientation.h"

#include <libexif/exif-data.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"

#define TIFF_TAG_ORIENTATION 0x0112
#define TIFF_TYPE_SHORT 3
#define TIFF_ENTRY_LEN 12

static int read_tiff(const uint8_t *tiff, size_t n)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, tiff, n);
	bool big;
	if (scrub_rd_peek_eq(&rd, "MM\0*", 4))
		big = true;
	else if (scrub_rd_peek_eq(&rd, "II*\0", 4))
		big = false;
	else
		return 0;
	scrub_rd_skip(&rd, 4);
	uint32_t ifd0 = scrub_rd_u32(&rd, big);
	if (!scrub_rd_ok(&rd) || !scrub_rd_seek(&rd, ifd0))
		return 0;
	uint16_t count = scrub_rd_u16(&rd, big);
	/* Entries are 12 bytes each; a count that cannot fit is corrupt. */
	if (!scrub_rd_ok(&rd) || count > scrub_rd_left(&rd) / TIFF_ENTRY_LEN)
		return 0;
	for (unsigned i = 0; i < count; i++) {
		uint16_t tag = scrub_rd_u16(&rd, big);
		uint16_t type = scrub_rd_u16(&rd, big);
		uint32_t cnt = scrub_rd_u32(&rd, big);
		uint16_t value = scrub_rd_u16(&rd, big);
		scrub_rd_skip(&rd, 2);
		if (tag == TIFF_TAG_ORIENTATION && type == TIFF_TYPE_SHORT && cnt >= 1)
			return value >= 1 && value <= 8 ? value : 0;
	}
	return 0;
}

int scrub_orientation_read_exif(const uint8_t *p, size_t n)
{
	if (n >= SCRUB_EXIF_HEADER_LEN && !memcmp(p, "Exif\0", 5))
		return read_tiff(p + SCRUB_EXIF_HEADER_LEN, n - SCRUB_EXIF_HEADER_LEN);
	return read_tiff(p, n);
}

static uint8_t *blocks[9];
static size_t block_len[9];

/*
 * One IFD0 entry, big-endian, no IFD1: the smallest block exiftool and
 * browsers read. Deliberately no exif_data_fix(), which would add ten tags.
 */
static int build_block(int o)
{
	ExifData *ed = exif_data_new();
	if (!ed)
		return -1;
	exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_MOTOROLA);
	exif_data_set_data_type(ed, EXIF_DATA_TYPE_COMPRESSED);
	ExifEntry *e = exif_entry_new();
	int rc = -1;
	if (e) {
		exif_content_add_entry(ed->ifd[EXIF_IFD_0], e);
		exif_entry_initialize(e, EXIF_TAG_ORIENTATION);
		exif_set_short(e->data, EXIF_BYTE_ORDER_MOTOROLA, (ExifShort)o);
		unsigned char *buf = NULL;
		unsigned int len = 0;
		exif_data_save_data(ed, &buf, &len);
		if (buf && len > SCRUB_EXIF_HEADER_LEN) {
			blocks[o] = malloc(len);
			if (blocks[o]) {
				memcpy(blocks[o], buf, len);
				block_len[o] = len;
				rc = 0;
			}
		}
		free(buf);
		exif_entry_unref(e);
	}
	exif_data_unref(ed);
	return rc;
}

static pthread_once_t blocks_once = PTHREAD_ONCE_INIT;

/* A block that fails to build (out of memory) stays NULL: callers say so. */
static void build_blocks(void)
{
	for (int o = 2; o <= 8; o++)
		build_block(o);
}

const uint8_t *scrub_orientation_block(int o, size_t *len)
{
	pthread_once(&blocks_once, build_blocks);
	if (o < 2 || o > 8 || !blocks[o])
		return NULL;
	*len = block_len[o];
	return blocks[o];
}
