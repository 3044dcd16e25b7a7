/*
 * MPF facts for reports (CIPA DC-007, Multi-Picture Format): how many
 * images follow the first one and how many bytes the index says they take.
 * Only the MP Index IFD is read; its next-IFD link (the MP Attribute IFD)
 * is never followed, so there is no offset chain to loop on.
 *
 * Safety: every offset is relative to the TIFF header and checked against
 * the payload before use; at most MPF_ENTRIES_MAX entries are summed, and
 * nothing is allocated.
 */
#include <string.h>

#include "core/bytes.h"
#include "describe/facts.h"

/* DC-007 5.2.3: MP Index IFD tags and the 16-byte MP Entry. */
#define TAG_NUMBER_OF_IMAGES 0xB001
#define TAG_MP_ENTRY 0xB002
#define TYPE_LONG 4
#define TYPE_UNDEFINED 7
#define MP_ENTRY_LEN 16
#define IFD_ENTRY_LEN 12
/* Far above any camera's burst; a count above it is not believed. */
#define MPF_ENTRIES_MAX 1024

/* What the MP Index IFD declares; zero when a tag is absent or unusable. */
struct mp_index {
	uint32_t images;      /* NumberOfImages */
	uint32_t entry_count; /* MPEntry byte count */
	uint32_t entry_off;   /* MPEntry offset from the TIFF header */
};

/* TIFF header: byte order, 42, offset of the first IFD. False when malformed. */
static bool tiff_header(struct scrub_rd *rd, bool *big, uint32_t *ifd)
{
	if (scrub_rd_peek_eq(rd, "MM\0*", 4))
		*big = true;
	else if (scrub_rd_peek_eq(rd, "II*\0", 4))
		*big = false;
	else
		return false;
	scrub_rd_skip(rd, 4);
	*ifd = scrub_rd_u32(rd, *big);
	return scrub_rd_ok(rd);
}

static bool read_index(struct scrub_rd *rd, bool big, uint32_t ifd, struct mp_index *ix)
{
	memset(ix, 0, sizeof *ix);
	if (!scrub_rd_seek(rd, ifd))
		return false;
	uint16_t count = scrub_rd_u16(rd, big);
	for (uint16_t i = 0; i < count && scrub_rd_ok(rd); i++) {
		uint16_t tag = scrub_rd_u16(rd, big);
		uint16_t type = scrub_rd_u16(rd, big);
		uint32_t n = scrub_rd_u32(rd, big);
		uint32_t value = scrub_rd_u32(rd, big);
		if (tag == TAG_NUMBER_OF_IMAGES && type == TYPE_LONG && n == 1)
			ix->images = value;
		else if (tag == TAG_MP_ENTRY && type == TYPE_UNDEFINED) {
			ix->entry_count = n;
			ix->entry_off = value;
		}
	}
	return scrub_rd_ok(rd);
}

void scrub_describe_mpf(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_rd whole, rd;
	scrub_rd_init(&whole, p, n);
	/* The JPEG backend hands the payload after "MPF\0"; a caller may not. */
	if (scrub_rd_peek_eq(&whole, "MPF\0", 4))
		scrub_rd_skip(&whole, 4);
	/* Offsets count from the TIFF header, so it becomes offset 0. */
	scrub_rd_sub(&whole, scrub_rd_left(&whole), &rd);
	bool big;
	uint32_t ifd;
	struct mp_index ix;
	if (f->mpf_images || !tiff_header(&rd, &big, &ifd) || !read_index(&rd, big, ifd, &ix))
		return;
	if (ix.entry_count == 0 || ix.entry_count % MP_ENTRY_LEN)
		return;
	uint32_t entries = ix.entry_count / MP_ENTRY_LEN;
	/* The two counts must agree (DC-007 5.2.3.3); when they do not, trust neither. */
	if ((ix.images && ix.images != entries) || entries > MPF_ENTRIES_MAX)
		return;
	struct scrub_rd list;
	if (!scrub_rd_seek(&rd, ix.entry_off) || !scrub_rd_sub(&rd, ix.entry_count, &list))
		return;
	size_t bytes = 0;
	for (uint32_t i = 0; i < entries; i++) {
		scrub_rd_skip(&list, 4); /* individual image attribute */
		uint32_t size = scrub_rd_u32(&list, big);
		scrub_rd_skip(&list, 8); /* offset, two dependent image entries */
		if (i > 0)
			bytes = size > SIZE_MAX - bytes ? SIZE_MAX : bytes + size;
	}
	if (!scrub_rd_ok(&list))
		return;
	f->mpf_images = entries - 1;
	f->mpf_bytes = bytes;
}
