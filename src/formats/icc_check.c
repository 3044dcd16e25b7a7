/*
 * ICC profile validity for the walkers (icc_check.h). Only the header and
 * the tag count are read; the profile's own contents stay the colour
 * engine's business. Parts and compressed profiles are never joined into
 * a copy: the header is gathered into a small buffer, the rest counted.
 */
#include <string.h>

#include "core/inflate.h"
#include "formats/icc_check.h"

/* Header and tag count: 128 + 4 bytes (ICC.1:2022 sections 7.2 and 7.3). */
#define HEAD_LEN (SCRUB_ICC_HEADER_LEN + 4)
#define SIGNATURE_OFF 36
#define TAG_ENTRY_LEN 12

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The checks on a profile whose first HEAD_LEN bytes are head and whose length is n. */
static bool header_valid(const uint8_t head[HEAD_LEN], size_t n)
{
	if (n < HEAD_LEN || be32(head) != n || memcmp(head + SIGNATURE_OFF, "acsp", 4))
		return false;
	uint32_t tags = be32(head + SCRUB_ICC_HEADER_LEN);
	/* Subtracted from the trusted side: the table must fit in what follows the count. */
	return tags <= (n - HEAD_LEN) / TAG_ENTRY_LEN;
}

bool scrub_icc_valid(const uint8_t *p, size_t n)
{
	return n >= HEAD_LEN && header_valid(p, n);
}

bool scrub_icc_head_valid(const uint8_t *head, size_t head_len, size_t total)
{
	return head_len >= HEAD_LEN && header_valid(head, total);
}

bool scrub_icc_parts_valid(const struct scrub_icc_part *parts, size_t count)
{
	uint8_t head[HEAD_LEN];
	size_t total = 0, have = 0;
	for (size_t i = 0; i < count; i++) {
		size_t take = parts[i].n < HEAD_LEN - have ? parts[i].n : HEAD_LEN - have;
		memcpy(head + have, parts[i].p, take);
		have += take;
		if (parts[i].n > SCRUB_ICC_MAX - total)
			return false;
		total += parts[i].n;
	}
	return have == HEAD_LEN && header_valid(head, total);
}

/* The first HEAD_LEN bytes of an inflating profile, and how many came. */
struct icc_head {
	uint8_t head[HEAD_LEN];
	size_t total;
};

static bool take_head(void *ctx, const uint8_t *p, size_t n)
{
	struct icc_head *h = ctx;
	if (h->total < HEAD_LEN) {
		size_t take = n < HEAD_LEN - h->total ? n : HEAD_LEN - h->total;
		memcpy(h->head + h->total, p, take);
	}
	h->total += n;
	/* Past the size the header states, it cannot be valid: no need to inflate on. */
	return h->total < HEAD_LEN || h->total <= be32(h->head);
}

bool scrub_icc_zlib_valid(const uint8_t *z, size_t n)
{
	struct icc_head h = { .total = 0 };
	return scrub_inflate(z, n, SCRUB_ICC_MAX, take_head, &h, NULL) == SCRUB_INFLATE_DONE &&
	       h.total >= HEAD_LEN && header_valid(h.head, h.total);
}
