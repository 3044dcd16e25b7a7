/*
 * Unit tests for scrub_inflate (src/core/inflate.c), the loop every zlib
 * reader uses on untrusted input: a whole stream is DONE with every byte
 * handed over in order; every truncation is BROKEN; a budget one byte short
 * is OVER with exactly the budget handed over; a sink that says stop is
 * STOPPED; garbage and empty input are BROKEN.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/inflate.h"

#include "check.h"

struct collected {
	uint8_t *p;
	size_t n;
	size_t cap;
	size_t calls;
	size_t stop_after; /* 0: never stop */
};

static bool collect(void *ctx, const uint8_t *p, size_t n)
{
	struct collected *c = ctx;
	c->calls++;
	if (c->n + n > c->cap)
		return false;
	memcpy(c->p + c->n, p, n);
	c->n += n;
	return !c->stop_after || c->calls < c->stop_after;
}

/* Deterministic text-like bytes that compress but not to nothing. */
static uint8_t *make_plain(size_t n)
{
	uint8_t *p = malloc(n);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (uint8_t)("abcdefgh  \n"[(x >> 16) % 11]);
	}
	return p;
}

static uint8_t *deflate_all(const uint8_t *p, size_t n, size_t *out_n)
{
	uLongf cap = compressBound((uLong)n);
	uint8_t *z = malloc(cap);
	CHECK(compress(z, &cap, p, (uLong)n) == Z_OK);
	*out_n = cap;
	return z;
}

static void test_whole_and_budget(void)
{
	size_t plain_n = 100000, zn;
	uint8_t *plain = make_plain(plain_n);
	uint8_t *z = deflate_all(plain, plain_n, &zn);
	struct collected c = { malloc(plain_n), 0, plain_n, 0, 0 };
	size_t produced = 1;
	CHECK(scrub_inflate(z, zn, plain_n, collect, &c, &produced) == SCRUB_INFLATE_DONE);
	CHECK(produced == plain_n && c.n == plain_n && !memcmp(c.p, plain, plain_n));
	CHECK(c.calls > 1); /* it really went piece by piece */

	c.n = c.calls = 0;
	CHECK(scrub_inflate(z, zn, plain_n - 1, collect, &c, &produced) == SCRUB_INFLATE_OVER);
	CHECK(produced == plain_n - 1 && c.n == plain_n - 1 && !memcmp(c.p, plain, plain_n - 1));

	c.n = c.calls = 0;
	CHECK(scrub_inflate(z, zn, 0, collect, &c, &produced) == SCRUB_INFLATE_OVER);
	CHECK(produced == 0 && c.calls == 0);

	c.n = c.calls = 0;
	c.stop_after = 2;
	CHECK(scrub_inflate(z, zn, plain_n, collect, &c, &produced) == SCRUB_INFLATE_STOPPED);
	CHECK(c.calls == 2);
	c.stop_after = 0;

	/* Bytes after the stream's end are not its business. */
	uint8_t *longer = malloc(zn + 7);
	memcpy(longer, z, zn);
	memset(longer + zn, 0xEE, 7);
	c.n = c.calls = 0;
	CHECK(scrub_inflate(longer, zn + 7, plain_n, collect, &c, NULL) == SCRUB_INFLATE_DONE);
	CHECK(c.n == plain_n);
	free(longer);
	free(c.p);
	free(z);
	free(plain);
}

/* Every cut of a stream is BROKEN, and what came out is a prefix of the whole. */
static void test_every_truncation(void)
{
	size_t plain_n = 3000, zn;
	uint8_t *plain = make_plain(plain_n);
	uint8_t *z = deflate_all(plain, plain_n, &zn);
	int broken = 0, prefix = 0;
	for (size_t cut = 0; cut < zn; cut++) {
		uint8_t *part = malloc(cut ? cut : 1); /* exact size: ASan sees a read past it */
		memcpy(part, z, cut);
		struct collected c = { malloc(plain_n), 0, plain_n, 0, 0 };
		broken += scrub_inflate(part, cut, plain_n, collect, &c, NULL) == SCRUB_INFLATE_BROKEN;
		prefix += !memcmp(c.p, plain, c.n);
		free(c.p);
		free(part);
	}
	CHECK(broken == (int)zn);
	CHECK(prefix == (int)zn);
	free(z);
	free(plain);
}

static void test_garbage(void)
{
	static const uint8_t junk[] = { 0x78, 0x9c, 0xff, 0xff, 0xff, 0xff, 0x00, 0x01 };
	struct collected c = { malloc(64), 0, 64, 0, 0 };
	CHECK(scrub_inflate(junk, sizeof junk, 64, collect, &c, NULL) == SCRUB_INFLATE_BROKEN);
	CHECK(scrub_inflate((const uint8_t *)"not zlib", 8, 64, collect, &c, NULL) == SCRUB_INFLATE_BROKEN);
	CHECK(scrub_inflate(junk, 0, 64, collect, &c, NULL) == SCRUB_INFLATE_BROKEN);
	free(c.p);
}

/* A bomb: 64 MB of zeros in about 64 kB stops at the budget. */
static void test_bomb(void)
{
	size_t plain_n = (size_t)64 << 20, zn;
	uint8_t *plain = calloc(1, plain_n);
	uint8_t *z = deflate_all(plain, plain_n, &zn);
	free(plain);
	struct collected c = { malloc(1 << 20), 0, 1 << 20, 0, 0 };
	size_t produced;
	CHECK(scrub_inflate(z, zn, 1 << 20, collect, &c, &produced) == SCRUB_INFLATE_OVER);
	CHECK(produced == (size_t)1 << 20);
	free(c.p);
	free(z);
}

int main(void)
{
	test_whole_and_budget();
	test_every_truncation();
	test_garbage();
	test_bomb();
	return check_summary();
}
