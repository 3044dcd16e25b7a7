#include "core/bytes.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void scrub_rd_init(struct scrub_rd *rd, const uint8_t *base, size_t len)
{
	rd->base = base;
	rd->len = base ? len : 0;
	rd->pos = 0;
	rd->err = SCRUB_OK;
}

void scrub_rd_fail(struct scrub_rd *rd, enum scrub_status st)
{
	if (rd->err == SCRUB_OK)
		rd->err = st;
	rd->pos = rd->len;
}

/* Every read funnels through here: the check is "need more than remains". */
static const uint8_t *rd_need(struct scrub_rd *rd, size_t n)
{
	if (rd->err != SCRUB_OK || n > rd->len - rd->pos) {
		scrub_rd_fail(rd, SCRUB_E_TRUNCATED);
		return NULL;
	}
	const uint8_t *p = rd->base + rd->pos;
	rd->pos += n;
	return p;
}

uint8_t scrub_rd_u8(struct scrub_rd *rd)
{
	const uint8_t *p = rd_need(rd, 1);
	return p ? p[0] : 0;
}

uint16_t scrub_rd_be16(struct scrub_rd *rd)
{
	const uint8_t *p = rd_need(rd, 2);
	return p ? (uint16_t)((unsigned)p[0] << 8 | p[1]) : 0;
}

uint32_t scrub_rd_be32(struct scrub_rd *rd)
{
	const uint8_t *p = rd_need(rd, 4);
	return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] : 0;
}

uint16_t scrub_rd_le16(struct scrub_rd *rd)
{
	const uint8_t *p = rd_need(rd, 2);
	return p ? (uint16_t)((unsigned)p[1] << 8 | p[0]) : 0;
}

uint32_t scrub_rd_le32(struct scrub_rd *rd)
{
	const uint8_t *p = rd_need(rd, 4);
	return p ? (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0] : 0;
}

uint16_t scrub_rd_u16(struct scrub_rd *rd, bool big)
{
	return big ? scrub_rd_be16(rd) : scrub_rd_le16(rd);
}

uint32_t scrub_rd_u32(struct scrub_rd *rd, bool big)
{
	return big ? scrub_rd_be32(rd) : scrub_rd_le32(rd);
}

bool scrub_rd_skip(struct scrub_rd *rd, size_t n)
{
	return rd_need(rd, n) != NULL;
}

bool scrub_rd_seek(struct scrub_rd *rd, size_t off)
{
	if (rd->err != SCRUB_OK || off > rd->len) {
		scrub_rd_fail(rd, SCRUB_E_TRUNCATED);
		return false;
	}
	rd->pos = off;
	return true;
}

const uint8_t *scrub_rd_take(struct scrub_rd *rd, size_t n)
{
	return rd_need(rd, n);
}

bool scrub_rd_sub(struct scrub_rd *rd, size_t n, struct scrub_rd *child)
{
	const uint8_t *p = rd_need(rd, n);
	scrub_rd_init(child, p, p ? n : 0);
	if (!p)
		child->err = SCRUB_E_TRUNCATED;
	return p != NULL;
}

bool scrub_rd_peek_eq(const struct scrub_rd *rd, const void *p, size_t n)
{
	if (rd->err != SCRUB_OK || n > rd->len - rd->pos)
		return false;
	return memcmp(rd->base + rd->pos, p, n) == 0;
}

int scrub_rd_peek(const struct scrub_rd *rd, size_t ahead)
{
	if (rd->err != SCRUB_OK || ahead >= rd->len - rd->pos)
		return -1;
	return rd->base[rd->pos + ahead];
}

size_t scrub_rd_find(const struct scrub_rd *rd, uint8_t c)
{
	if (rd->err != SCRUB_OK || rd->pos == rd->len)
		return rd->len;
	const uint8_t *hit = memchr(rd->base + rd->pos, c, rd->len - rd->pos);
	return hit ? (size_t)(hit - rd->base) : rd->len;
}

#ifdef SCRUB_PORTABLE
/*
 * memmem is not in POSIX.1-2008. The same search by memchr on the first
 * byte: at most n compared bytes per candidate, so O(len * n) for the short
 * needles scrub looks for.
 */
static const void *find_bytes(const void *hay, size_t len, const void *needle, size_t n)
{
	const uint8_t *p = hay;
	const uint8_t first = *(const uint8_t *)needle;
	while (len >= n) {
		const uint8_t *hit = memchr(p, first, len - n + 1);
		if (!hit)
			return NULL;
		if (!memcmp(hit, needle, n))
			return hit;
		len -= (size_t)(hit - p) + 1;
		p = hit + 1;
	}
	return NULL;
}
#else
#define find_bytes memmem
#endif

size_t scrub_rd_find_bytes(const struct scrub_rd *rd, const void *needle, size_t n)
{
	if (rd->err != SCRUB_OK || n == 0 || n > rd->len - rd->pos)
		return rd->len;
	const uint8_t *hit = find_bytes(rd->base + rd->pos, rd->len - rd->pos, needle, n);
	return hit ? (size_t)(hit - rd->base) : rd->len;
}

void scrub_buf_init(struct scrub_buf *b, size_t limit)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->limit = limit;
}

void scrub_buf_free(struct scrub_buf *b)
{
	free(b->data);
	scrub_buf_init(b, b->limit);
}

/*
 * Large buffers (whole image files) are 2 MiB aligned and marked for
 * transparent huge pages: a page fault costs microseconds on the VMs we run
 * on, and a 12 MP photo otherwise faults a thousand 4 KiB pages into every
 * fresh buffer. Buffers are reused across files, so this is paid once.
 */
#define HUGE_BUFFER ((size_t)4 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

static uint8_t *huge_alloc(const struct scrub_buf *b, size_t cap)
{
	cap = (cap + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	void *p = NULL;
	if (posix_memalign(&p, HUGE_PAGE, cap) != 0)
		return NULL;
#ifndef SCRUB_PORTABLE /* madvise and huge pages are Linux's; POSIX has only the alignment */
	madvise(p, cap, MADV_HUGEPAGE);
#endif
	if (b->len)
		memcpy(p, b->data, b->len);
	free(b->data);
	return p;
}

enum scrub_status scrub_buf_reserve(struct scrub_buf *b, size_t extra)
{
	if (extra > b->limit - b->len || b->len > b->limit)
		return SCRUB_E_LIMIT;
	size_t need = b->len + extra;
	if (need <= b->cap)
		return SCRUB_OK;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > b->limit)
		cap = b->limit;
	uint8_t *p = cap >= HUGE_BUFFER ? huge_alloc(b, cap) : realloc(b->data, cap);
	if (!p)
		return SCRUB_E_NOMEM;
	b->data = p;
	b->cap = cap;
	return SCRUB_OK;
}

enum scrub_status scrub_buf_append(struct scrub_buf *b, const void *p, size_t n)
{
	enum scrub_status st = scrub_buf_reserve(b, n);
	if (st != SCRUB_OK)
		return st;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return SCRUB_OK;
}
