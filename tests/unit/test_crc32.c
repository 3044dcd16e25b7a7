/*
 * Unit tests for scrub_crc32 (src/core/crc32.c): the same value as zlib's
 * crc32 for every length up to 1 KB at every alignment, for large buffers
 * (the folding path's loops), for chained calls, and for the check value of
 * the standard ("123456789" gives 0xCBF43926).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/crc32.h"

#include "check.h"

/* Deterministic bytes (xorshift), so a failure is the same on every run. */
static void fill(uint8_t *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		p[i] = (uint8_t)seed;
	}
}

static uint32_t zlib_crc(uint32_t crc, const uint8_t *p, size_t n)
{
	return (uint32_t)crc32(crc, p, (uInt)n);
}

static void test_check_value(void)
{
	CHECK(scrub_crc32(0, (const uint8_t *)"123456789", 9) == 0xCBF43926u);
	CHECK(scrub_crc32(0, NULL, 0) == 0);
	static const uint8_t iend[] = { 'I', 'E', 'N', 'D' };
	CHECK(scrub_crc32(0, iend, 4) == 0xAE426082u); /* every PNG ends with it */
}

static void test_lengths_and_alignments(void)
{
	uint8_t *buf = malloc(1024 + 16);
	if (!buf) {
		CHECK(!"out of memory");
		return;
	}
	fill(buf, 1024 + 16, 0x2545F491u);
	int mismatches = 0;
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n <= 1024; n++)
			mismatches += scrub_crc32(0, buf + off, n) != zlib_crc(0, buf + off, n);
	CHECK(mismatches == 0);
	free(buf);
}

static void test_large_and_chained(void)
{
	size_t n = ((size_t)16 << 20) + 37;
	uint8_t *buf = malloc(n);
	if (!buf) {
		CHECK(!"out of memory");
		return;
	}
	fill(buf, n, 0x9E3779B9u);
	uint32_t whole = zlib_crc(0, buf, n);
	CHECK(scrub_crc32(0, buf, n) == whole);
	/* Chained over uneven pieces, some too short to fold, gives the same. */
	uint32_t crc = 0;
	size_t pos = 0, piece = 1;
	while (pos < n) {
		size_t take = piece < n - pos ? piece : n - pos;
		crc = scrub_crc32(crc, buf + pos, take);
		pos += take;
		piece = piece * 3 + 1;
	}
	CHECK(crc == whole);
	memset(buf, 0, 4096);
	CHECK(scrub_crc32(0, buf, 4096) == zlib_crc(0, buf, 4096));
	memset(buf, 0xFF, 4096);
	CHECK(scrub_crc32(0xFFFFFFFFu, buf, 4096) == zlib_crc(0xFFFFFFFFu, buf, 4096));
	free(buf);
}

int main(void)
{
	test_check_value();
	test_lengths_and_alignments();
	test_large_and_chained();
	return check_summary();
}
