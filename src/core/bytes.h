#ifndef SCRUB_BYTES_H
#define SCRUB_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

/*
 * Bounded reader over an immutable byte range. Invariant: pos <= len.
 * Reads past the end set a sticky error, return zero and leave pos at len,
 * so a parser may read a whole header and check rd_ok() once.
 */
struct scrub_rd {
	const uint8_t *base;
	size_t len;
	size_t pos;
	enum scrub_status err;
};

void scrub_rd_init(struct scrub_rd *rd, const uint8_t *base, size_t len);
static inline bool scrub_rd_ok(const struct scrub_rd *rd) { return rd->err == SCRUB_OK; }
static inline size_t scrub_rd_left(const struct scrub_rd *rd) { return rd->len - rd->pos; }
/* Marks the reader dead with a status (first error wins). */
void scrub_rd_fail(struct scrub_rd *rd, enum scrub_status st);

uint8_t scrub_rd_u8(struct scrub_rd *rd);
uint16_t scrub_rd_be16(struct scrub_rd *rd);
uint32_t scrub_rd_be32(struct scrub_rd *rd);
uint16_t scrub_rd_le16(struct scrub_rd *rd);
uint32_t scrub_rd_le32(struct scrub_rd *rd);
/* Reads 16/32 bits in the byte order given (big-endian when big is true). */
uint16_t scrub_rd_u16(struct scrub_rd *rd, bool big);
uint32_t scrub_rd_u32(struct scrub_rd *rd, bool big);

/* Advances n bytes; fails (truncated) when fewer remain. */
bool scrub_rd_skip(struct scrub_rd *rd, size_t n);
/* Moves to absolute offset off (<= len). */
bool scrub_rd_seek(struct scrub_rd *rd, size_t off);
/* Returns a pointer to the next n bytes and advances, or NULL (truncated). */
const uint8_t *scrub_rd_take(struct scrub_rd *rd, size_t n);
/* Child reader over the next n bytes; the parent advances past them. */
bool scrub_rd_sub(struct scrub_rd *rd, size_t n, struct scrub_rd *child);
/* True when the next n bytes equal p (does not advance). */
bool scrub_rd_peek_eq(const struct scrub_rd *rd, const void *p, size_t n);
/* Byte at pos + ahead without advancing, or -1 past the end. */
int scrub_rd_peek(const struct scrub_rd *rd, size_t ahead);
/* Offset of the next byte equal to c at or after pos, or len if none. */
size_t scrub_rd_find(const struct scrub_rd *rd, uint8_t c);
/* Offset of the next n bytes equal to needle at or after pos, or len if none. */
size_t scrub_rd_find_bytes(const struct scrub_rd *rd, const void *needle, size_t n);

/* Growable byte buffer with a hard cap; reused across files to avoid faults. */
struct scrub_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
	size_t limit;
};

void scrub_buf_init(struct scrub_buf *b, size_t limit);
void scrub_buf_free(struct scrub_buf *b);
/* Ensures room for len + extra bytes; SCRUB_E_LIMIT past the limit. */
enum scrub_status scrub_buf_reserve(struct scrub_buf *b, size_t extra);
enum scrub_status scrub_buf_append(struct scrub_buf *b, const void *p, size_t n);

#endif
