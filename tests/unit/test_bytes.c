/* Unit tests for the bounded reader and the capped buffer (src/core/bytes.c). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/bytes.h"

#include "check.h"

static const uint8_t data[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0xFF, 0x00 };

static void test_typed_reads(void)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, data, sizeof data);
	CHECK(scrub_rd_ok(&rd));
	CHECK(scrub_rd_left(&rd) == sizeof data);
	CHECK(scrub_rd_u8(&rd) == 0x01);
	CHECK(scrub_rd_be16(&rd) == 0x0203);
	CHECK(scrub_rd_le16(&rd) == 0x0504);
	CHECK(rd.pos == 5);
	scrub_rd_init(&rd, data, sizeof data);
	CHECK(scrub_rd_be32(&rd) == 0x01020304u);
	CHECK(scrub_rd_le32(&rd) == 0x08070605u);
	scrub_rd_init(&rd, data, sizeof data);
	CHECK(scrub_rd_u16(&rd, true) == 0x0102);
	CHECK(scrub_rd_u16(&rd, false) == 0x0403);
	CHECK(scrub_rd_u32(&rd, true) == 0x05060708u);
	scrub_rd_init(&rd, data, sizeof data);
	CHECK(scrub_rd_u32(&rd, false) == 0x04030201u);
	CHECK(scrub_rd_ok(&rd));
}

/* A read that does not fit fails, returns 0, parks pos at len and stays failed. */
static void test_sticky_error(void)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, data, 3);
	CHECK(scrub_rd_be16(&rd) == 0x0102);
	CHECK(scrub_rd_be16(&rd) == 0);
	CHECK(!scrub_rd_ok(&rd));
	CHECK(rd.err == SCRUB_E_TRUNCATED);
	CHECK(rd.pos == rd.len);
	CHECK(scrub_rd_left(&rd) == 0);
	/* Even a read that would fit an empty reader now fails. */
	CHECK(scrub_rd_u8(&rd) == 0);
	CHECK(!scrub_rd_skip(&rd, 0));
	CHECK(scrub_rd_take(&rd, 0) == NULL);
	CHECK(!scrub_rd_seek(&rd, 0));
	CHECK(rd.pos <= rd.len);
	CHECK(scrub_rd_peek(&rd, 0) == -1);
	CHECK(!scrub_rd_peek_eq(&rd, "", 0));
	CHECK(scrub_rd_find(&rd, 0x01) == rd.len);

	/* First error wins. */
	scrub_rd_init(&rd, data, sizeof data);
	scrub_rd_fail(&rd, SCRUB_E_MALFORMED);
	scrub_rd_fail(&rd, SCRUB_E_LIMIT);
	scrub_rd_u8(&rd);
	CHECK(rd.err == SCRUB_E_MALFORMED);
	CHECK(rd.pos == rd.len);

	/* be32 with three bytes left: nothing is consumed partially. */
	scrub_rd_init(&rd, data, 7);
	scrub_rd_skip(&rd, 4);
	CHECK(scrub_rd_be32(&rd) == 0);
	CHECK(rd.pos == 7);

	/* Huge sizes must not wrap around. */
	scrub_rd_init(&rd, data, sizeof data);
	scrub_rd_u8(&rd);
	CHECK(!scrub_rd_skip(&rd, SIZE_MAX));
	CHECK(rd.pos == rd.len);
	scrub_rd_init(&rd, data, sizeof data);
	CHECK(scrub_rd_take(&rd, sizeof data + 1) == NULL);
	scrub_rd_init(&rd, data, sizeof data);
	CHECK(scrub_rd_take(&rd, sizeof data) == data);
	CHECK(scrub_rd_ok(&rd) && scrub_rd_left(&rd) == 0);

	/* NULL base gives an empty reader. */
	scrub_rd_init(&rd, NULL, 100);
	CHECK(rd.len == 0);
	CHECK(scrub_rd_u8(&rd) == 0 && !scrub_rd_ok(&rd));
}

static void test_seek_skip(void)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, data, sizeof data);
	CHECK(scrub_rd_skip(&rd, 4));
	CHECK(scrub_rd_u8(&rd) == 0x05);
	CHECK(scrub_rd_seek(&rd, 1));
	CHECK(scrub_rd_u8(&rd) == 0x02);
	CHECK(scrub_rd_seek(&rd, sizeof data));
	CHECK(scrub_rd_ok(&rd) && scrub_rd_left(&rd) == 0);
	CHECK(!scrub_rd_seek(&rd, sizeof data + 1));
	CHECK(!scrub_rd_ok(&rd) && rd.pos == rd.len);
}

static void test_sub(void)
{
	struct scrub_rd rd, child;
	scrub_rd_init(&rd, data, sizeof data);
	scrub_rd_skip(&rd, 2);
	CHECK(scrub_rd_sub(&rd, 4, &child));
	CHECK(rd.pos == 6);
	CHECK(child.len == 4 && child.pos == 0 && scrub_rd_ok(&child));
	CHECK(scrub_rd_be32(&child) == 0x03040506u);
	/* The child cannot see past its end, and its failure does not hurt the parent. */
	CHECK(scrub_rd_u8(&child) == 0);
	CHECK(!scrub_rd_ok(&child));
	CHECK(scrub_rd_ok(&rd));
	CHECK(scrub_rd_u8(&rd) == 0x07);

	/* A child larger than what remains fails both. */
	CHECK(!scrub_rd_sub(&rd, 10, &child));
	CHECK(!scrub_rd_ok(&rd));
	CHECK(!scrub_rd_ok(&child));
	CHECK(child.len == 0);
	CHECK(scrub_rd_u8(&child) == 0);

	/* Empty child at the end is fine. */
	scrub_rd_init(&rd, data, sizeof data);
	scrub_rd_skip(&rd, sizeof data);
	CHECK(scrub_rd_sub(&rd, 0, &child));
	CHECK(scrub_rd_ok(&child) && scrub_rd_left(&child) == 0);
}

static void test_peek_find(void)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, data, sizeof data);
	scrub_rd_skip(&rd, 7);
	CHECK(scrub_rd_peek(&rd, 0) == 0x08);
	CHECK(scrub_rd_peek(&rd, 1) == 0xFF);
	CHECK(scrub_rd_peek(&rd, 2) == 0x00);
	CHECK(scrub_rd_peek(&rd, 3) == -1);
	CHECK(scrub_rd_peek(&rd, SIZE_MAX) == -1);
	CHECK(rd.pos == 7 && scrub_rd_ok(&rd));
	CHECK(scrub_rd_peek_eq(&rd, "\x08\xFF\x00", 3));
	CHECK(!scrub_rd_peek_eq(&rd, "\x08\xFF\x01", 3));
	CHECK(!scrub_rd_peek_eq(&rd, "\x08\xFF\x00\x00", 4));
	CHECK(scrub_rd_peek_eq(&rd, "", 0));
	CHECK(rd.pos == 7 && scrub_rd_ok(&rd));

	scrub_rd_init(&rd, data, sizeof data);
	CHECK(scrub_rd_find(&rd, 0xFF) == 8);
	CHECK(scrub_rd_find(&rd, 0x01) == 0);
	CHECK(scrub_rd_find(&rd, 0x42) == sizeof data);
	scrub_rd_skip(&rd, 3);
	CHECK(scrub_rd_find(&rd, 0x01) == sizeof data); /* only at or after pos */
	CHECK(scrub_rd_find(&rd, 0x04) == 3);
	CHECK(rd.pos == 3);
	/* A sub reader finds within its own range only. */
	struct scrub_rd child;
	scrub_rd_init(&rd, data, sizeof data);
	scrub_rd_sub(&rd, 8, &child);
	CHECK(scrub_rd_find(&child, 0xFF) == child.len);
}

/* scrub_rd_find_bytes, memmem or (SCRUB_PORTABLE) its memchr stand-in. */
static void test_find_bytes(void)
{
	static const uint8_t hay[] = "aaabaab<x:xmpmeta<x:xmpmetaZ";
	const size_t len = sizeof hay - 1;
	struct scrub_rd rd;
	scrub_rd_init(&rd, hay, len);
	CHECK(scrub_rd_find_bytes(&rd, "aab", 3) == 1);     /* after a partial match at 0 */
	CHECK(scrub_rd_find_bytes(&rd, "aaab", 4) == 0);
	CHECK(scrub_rd_find_bytes(&rd, "<x:xmpmeta", 10) == 7);
	CHECK(scrub_rd_find_bytes(&rd, "xmpmetaZ", 8) == len - 8); /* ends at the end */
	CHECK(scrub_rd_find_bytes(&rd, "Z", 1) == len - 1);
	CHECK(scrub_rd_find_bytes(&rd, "abab", 4) == len);  /* absent */
	CHECK(scrub_rd_find_bytes(&rd, "", 0) == len);
	CHECK(scrub_rd_find_bytes(&rd, hay, len) == 0);
	scrub_rd_skip(&rd, 8);
	CHECK(scrub_rd_find_bytes(&rd, "<x:xmpmeta", 10) == 17); /* only at or after pos */
	CHECK(scrub_rd_find_bytes(&rd, hay, len) == len);   /* longer than what is left */
	CHECK(rd.pos == 8 && scrub_rd_ok(&rd));
}

static void test_buf(void)
{
	struct scrub_buf b;
	scrub_buf_init(&b, 1000);
	CHECK(b.len == 0 && b.data == NULL);
	CHECK(scrub_buf_append(&b, "abc", 3) == SCRUB_OK);
	CHECK(b.len == 3 && memcmp(b.data, "abc", 3) == 0);
	CHECK(b.cap >= 3 && b.cap <= b.limit);
	CHECK(scrub_buf_append(&b, NULL, 0) == SCRUB_OK);
	uint8_t big[997];
	memset(big, 'x', sizeof big);
	CHECK(scrub_buf_append(&b, big, sizeof big) == SCRUB_OK);
	CHECK(b.len == 1000 && b.cap == 1000);
	CHECK(b.data[999] == 'x' && b.data[0] == 'a');
	/* At the limit: one more byte is refused and nothing changes. */
	CHECK(scrub_buf_append(&b, "y", 1) == SCRUB_E_LIMIT);
	CHECK(b.len == 1000);
	CHECK(scrub_buf_reserve(&b, 0) == SCRUB_OK);
	CHECK(scrub_buf_reserve(&b, SIZE_MAX) == SCRUB_E_LIMIT);
	scrub_buf_free(&b);
	CHECK(b.data == NULL && b.len == 0 && b.cap == 0 && b.limit == 1000);

	/* Reserve grows capacity without changing len; a too-large reserve fails cleanly. */
	scrub_buf_init(&b, 100);
	CHECK(scrub_buf_reserve(&b, 50) == SCRUB_OK);
	CHECK(b.len == 0 && b.cap >= 50 && b.cap <= 100);
	CHECK(scrub_buf_reserve(&b, 101) == SCRUB_E_LIMIT);
	CHECK(scrub_buf_append(&b, big, 101) == SCRUB_E_LIMIT);
	CHECK(b.len == 0);
	CHECK(scrub_buf_append(&b, big, 100) == SCRUB_OK);
	CHECK(b.len == 100);
	scrub_buf_free(&b);

	/* Growth doubles in many small steps and keeps the content. */
	scrub_buf_init(&b, (size_t)1 << 20);
	for (unsigned i = 0; i < 5000; i++) {
		uint8_t c = (uint8_t)i;
		if (scrub_buf_append(&b, &c, 1) != SCRUB_OK)
			break;
	}
	CHECK(b.len == 5000);
	bool same = true;
	for (unsigned i = 0; i < b.len; i++)
		same = same && b.data[i] == (uint8_t)i;
	CHECK(same);
	scrub_buf_free(&b);
}

int main(void)
{
	test_typed_reads();
	test_sticky_error();
	test_seek_skip();
	test_sub();
	test_peek_find();
	test_find_bytes();
	test_buf();
	return check_summary();
}
