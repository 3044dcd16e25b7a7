/*
 * CRC-32 by carry-less multiplication, after Gopal et al., "Fast CRC
 * Computation for Generic Polynomials Using PCLMULQDQ Instruction" (Intel,
 * 2009), bit-reflected form: four 128-bit lanes fold 64 bytes a step, then
 * fold into one lane, reduce 128 to 64 bits, and a Barrett reduction gives
 * the 32-bit remainder. zlib's table code (about 3.5 GB/s here) does what is
 * left, under 16 bytes, and everything on other machines. PNG checks the CRC
 * of every chunk, so this is the scan's largest cost after reading the file.
 */
#include <zlib.h>

#include "core/crc32.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(SCRUB_PORTABLE)
#include <immintrin.h>
#include <stdatomic.h>
#include <stdbool.h>

#define SIMD_MIN 64 /* one step of four lanes */

/*
 * The paper's constants for P(x) = 0x04C11DB7, bit-reflected, each 33 bits:
 * x^(4*128+32) and x^(4*128-32) mod P fold 64 bytes ahead, x^(128+32) and
 * x^(128-32) mod P fold one lane, x^64 mod P folds 64 to 32 bits, and P' and
 * u = floor(x^64 / P) drive the Barrett reduction.
 */
static const uint64_t fold4[2] = { 0x154442bd4, 0x1c6e41596 };
static const uint64_t fold1[2] = { 0x1751997d0, 0x0ccaa009e };
static const uint64_t fold64 = 0x163cd6124;
static const uint64_t barrett[2] = { 0x1db710641, 0x1f7011641 };

__attribute__((target("pclmul,sse4.1")))
static __m128i fold(__m128i x, __m128i k, __m128i next)
{
	__m128i lo = _mm_clmulepi64_si128(x, k, 0x00);
	__m128i hi = _mm_clmulepi64_si128(x, k, 0x11);
	return _mm_xor_si128(_mm_xor_si128(lo, hi), next);
}

/* The CRC register (not inverted) after n bytes, n a multiple of 16, at least 64. */
__attribute__((target("pclmul,sse4.1")))
static uint32_t fold_blocks(uint32_t reg, const uint8_t *p, size_t n)
{
	__m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i x2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
	__m128i x3 = _mm_loadu_si128((const __m128i *)(const void *)(p + 32));
	__m128i x4 = _mm_loadu_si128((const __m128i *)(const void *)(p + 48));
	x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128((int)reg));
	__m128i k = _mm_loadu_si128((const __m128i *)(const void *)fold4);
	for (p += 64, n -= 64; n >= 64; p += 64, n -= 64) {
		x1 = fold(x1, k, _mm_loadu_si128((const __m128i *)(const void *)p));
		x2 = fold(x2, k, _mm_loadu_si128((const __m128i *)(const void *)(p + 16)));
		x3 = fold(x3, k, _mm_loadu_si128((const __m128i *)(const void *)(p + 32)));
		x4 = fold(x4, k, _mm_loadu_si128((const __m128i *)(const void *)(p + 48)));
	}
	k = _mm_loadu_si128((const __m128i *)(const void *)fold1);
	x1 = fold(fold(fold(x1, k, x2), k, x3), k, x4);
	for (; n >= 16; p += 16, n -= 16)
		x1 = fold(x1, k, _mm_loadu_si128((const __m128i *)(const void *)p));
	/* 128 bits to 64: the low half times x^(128-32), added to the high half. */
	const __m128i low32 = _mm_setr_epi32(-1, 0, -1, 0);
	x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), _mm_clmulepi64_si128(x1, k, 0x10));
	/* 64 to 32 bits plus the 32 that remain in the high part. */
	__m128i high = _mm_srli_si128(x1, 4);
	x1 = _mm_clmulepi64_si128(_mm_and_si128(x1, low32), _mm_cvtsi64_si128((long long)fold64), 0x00);
	x1 = _mm_xor_si128(x1, high);
	/* Barrett: q = floor(x1 / P) through u, then x1 - q * P. */
	k = _mm_loadu_si128((const __m128i *)(const void *)barrett);
	__m128i q = _mm_clmulepi64_si128(_mm_and_si128(x1, low32), k, 0x10);
	q = _mm_clmulepi64_si128(_mm_and_si128(q, low32), k, 0x00);
	return (uint32_t)_mm_extract_epi32(_mm_xor_si128(x1, q), 1);
}

static bool simd_ok(void)
{
	static atomic_int ok = -1; /* racing first calls store the same answer */
	int v = atomic_load_explicit(&ok, memory_order_relaxed);
	if (v < 0) {
		v = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
		atomic_store_explicit(&ok, v, memory_order_relaxed);
	}
	return v;
}
#endif

uint32_t scrub_crc32(uint32_t crc, const uint8_t *p, size_t n)
{
#if defined(__x86_64__) && defined(__GNUC__) && !defined(SCRUB_PORTABLE)
	if (n >= SIMD_MIN && simd_ok()) {
		size_t blocks = n & ~(size_t)15;
		crc = ~fold_blocks(~crc, p, blocks);
		p += blocks;
		n -= blocks;
	}
#endif
	/* zlib takes at most UINT_MAX bytes a call (z_size_t is not in every zlib). */
	while (n) {
		uInt part = n > 0x40000000u ? 0x40000000u : (uInt)n;
		crc = (uint32_t)crc32(crc, p, part);
		p += part;
		n -= part;
	}
	return crc;
}
