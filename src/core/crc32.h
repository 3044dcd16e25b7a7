#ifndef SCRUB_CRC32_H
#define SCRUB_CRC32_H

#include <stddef.h>
#include <stdint.h>

/*
 * CRC-32 of ISO 3309 / ITU-T V.42 (PNG's chunk CRC, zlib's crc32): the same
 * value as crc32(crc, p, n) of zlib, chained the same way (start from 0).
 * On x86-64 with carry-less multiplication it folds 16 bytes at a time.
 */
uint32_t scrub_crc32(uint32_t crc, const uint8_t *p, size_t n);

#endif
