/* UTF-8 checks shared by the decoders (cutting values) and the reporters (escaping them). */
#include "core/utf8.h"

size_t scrub_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	uint32_t v = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
	for (size_t i = 1; i < len; i++)
		v = v << 6 | (s[i] & 0x3F);
	static const uint32_t min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	if (cp)
		*cp = v;
	return len;
}

size_t scrub_utf8_cut(const char *s, size_t n)
{
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

size_t scrub_utf8_encode(uint32_t cp, char *dst)
{
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		dst[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		dst[0] = (char)(0xC0 | cp >> 6);
		dst[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		dst[0] = (char)(0xE0 | cp >> 12);
		dst[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		dst[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	dst[0] = (char)(0xF0 | cp >> 18);
	dst[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	dst[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	dst[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static uint32_t unit_at(const uint8_t *p, size_t i, int big)
{
	return big ? (uint32_t)p[i] << 8 | p[i + 1] : (uint32_t)p[i + 1] << 8 | p[i];
}

size_t scrub_utf16_to_utf8(const uint8_t *p, size_t n, int big, char *dst, size_t size)
{
	size_t out = 0;
	for (size_t i = 0; i + 1 < n;) {
		uint32_t cp = unit_at(p, i, big);
		i += 2;
		if (cp == 0)
			break;
		if (cp >= 0xD800 && cp < 0xDC00 && i + 1 < n) {
			uint32_t lo = unit_at(p, i, big);
			if (lo >= 0xDC00 && lo < 0xE000) {
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			}
		}
		char enc[4];
		size_t len = scrub_utf8_encode(cp, enc);
		if (out + len > size - 1)
			break;
		for (size_t k = 0; k < len; k++)
			dst[out++] = enc[k];
	}
	dst[out] = '\0';
	return out;
}

int scrub_utf8_valid(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t len = scrub_utf8_decode(s + i, n - i, NULL);
		if (len == 0)
			return 0;
		i += len;
	}
	return 1;
}

size_t scrub_latin1_to_utf8(const unsigned char *s, size_t n, char *dst, size_t size)
{
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		char enc[4];
		size_t len = scrub_utf8_encode(s[i] ? s[i] : ' ', enc);
		if (out + len > size - 1)
			break;
		for (size_t k = 0; k < len; k++)
			dst[out++] = enc[k];
	}
	dst[out] = '\0';
	return out;
}
