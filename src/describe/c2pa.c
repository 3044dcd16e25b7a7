/*
 * C2PA facts for reports: whether a JUMBF box (ISO/IEC 19566-5) holds a
 * C2PA manifest store, and the claim generator its claim names. The claim
 * is CBOR; rather than parse it, a bounded search finds the text-string key
 * and reads the one text string after it, which is all a report shows.
 *
 * Safety: reads go through the bounded reader, the generator's length is
 * checked against what remains, only printable UTF-8 is copied and it is
 * cut on a character boundary. Nothing is allocated.
 */
#include <string.h>

#include "core/bytes.h"
#include "describe/facts.h"
#include "core/utf8.h"

/* The manifest store's JUMBF description type (C2PA 2.1, 11.1.4.1). */
static const uint8_t c2pa_uuid[16] = { 0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10,
				       0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 };

/* Claim generator info names the generator in a nearby "name"; look no further. */
#define INFO_WINDOW 1024
/* CBOR major type 3 (text string) heads, RFC 8949 section 3.1. */
#define CBOR_TEXT 0x60
#define CBOR_TEXT_U8 0x78
#define CBOR_TEXT_U16 0x79
#define CBOR_TEXT_U32 0x7A

/*
 * Offset of the jumb superbox: 0 in a PNG caBX or WebP C2PA chunk; in JPEG
 * APP11, after the box instance (2) and sequence number (4), with or
 * without the "JP" common identifier before them (ISO/IEC 19566-5 B.2).
 * False when there is none.
 */
static bool find_jumb(const uint8_t *p, size_t n, size_t *at)
{
	static const size_t starts[] = { 0, 6, 8 };
	for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
		struct scrub_rd rd;
		scrub_rd_init(&rd, p, n);
		if (starts[i] == 8 && !scrub_rd_peek_eq(&rd, "JP", 2))
			continue;
		if (scrub_rd_skip(&rd, starts[i] + 4) && scrub_rd_peek_eq(&rd, "jumb", 4)) {
			*at = starts[i];
			return true;
		}
	}
	return false;
}

/* True when the superbox at rd starts with a description box of type C2PA. */
static bool is_c2pa_store(struct scrub_rd rd)
{
	uint32_t lbox = scrub_rd_be32(&rd);
	scrub_rd_skip(&rd, 4);
	if (lbox == 1)
		scrub_rd_skip(&rd, 8); /* XLBox: a 64-bit length follows */
	scrub_rd_skip(&rd, 4);
	bool jumd = scrub_rd_peek_eq(&rd, "jumd", 4);
	scrub_rd_skip(&rd, 4);
	return jumd && scrub_rd_peek_eq(&rd, c2pa_uuid, sizeof c2pa_uuid);
}

/* Moves rd past the next CBOR text string equal to key (< 24 bytes); false if none. */
static bool find_key(struct scrub_rd *rd, const char *key)
{
	size_t len = strlen(key);
	uint8_t head = (uint8_t)(CBOR_TEXT + len);
	for (;;) {
		size_t at = scrub_rd_find(rd, head);
		if (at == rd->len)
			return false;
		scrub_rd_seek(rd, at + 1);
		if (scrub_rd_peek_eq(rd, key, len))
			return scrub_rd_skip(rd, len);
	}
}

/* Length of the UTF-8 sequence at s[0..n), 0 when malformed or a control character. */
static size_t printable_char(const uint8_t *s, size_t n)
{
	uint32_t cp;
	size_t len = scrub_utf8_decode(s, n, &cp);
	return len && !scrub_utf8_is_control(cp) ? len : 0;
}

/*
 * Copies the CBOR text string at rd into dst, up to its first unprintable
 * character; false when that leaves nothing or the string is cut short.
 */
static bool copy_text(struct scrub_rd *rd, char *dst, size_t size)
{
	uint8_t head = scrub_rd_u8(rd);
	size_t len;
	if (head >= CBOR_TEXT && head < CBOR_TEXT_U8)
		len = head - CBOR_TEXT;
	else if (head == CBOR_TEXT_U8)
		len = scrub_rd_u8(rd);
	else if (head == CBOR_TEXT_U16)
		len = scrub_rd_be16(rd);
	else if (head == CBOR_TEXT_U32)
		len = scrub_rd_be32(rd);
	else
		return false;
	const uint8_t *s = scrub_rd_take(rd, len);
	if (!s)
		return false;
	size_t out = 0;
	while (out < len) {
		size_t c = printable_char(s + out, len - out);
		if (c == 0 || out + c > size - 1)
			break;
		out += c;
	}
	if (out == 0)
		return false;
	memcpy(dst, s, out);
	dst[out] = '\0';
	return true;
}

/*
 * claim_generator (C2PA 1.x claims), else the first name in
 * claim_generator_info (2.x); the first readable one in rd wins.
 */
static void generator(struct scrub_rd rd, struct scrub_facts *f)
{
	char *dst = f->c2pa_generator;
	struct scrub_rd key = rd;
	while (find_key(&key, "claim_generator")) {
		struct scrub_rd value = key;
		if (copy_text(&value, dst, sizeof f->c2pa_generator))
			return;
	}
	key = rd;
	while (find_key(&key, "claim_generator_info")) {
		/* The search goes on after the window, so each byte is looked at once or twice. */
		size_t left = scrub_rd_left(&key);
		struct scrub_rd info;
		scrub_rd_sub(&key, left < INFO_WINDOW ? left : INFO_WINDOW, &info);
		if (find_key(&info, "name") && copy_text(&info, dst, sizeof f->c2pa_generator))
			return;
	}
}

/*
 * Thumbnails the manifest carries (C2PA 2.1, 9.2.4): a claim thumbnail of
 * the picture and one for each ingredient, the pictures it was made from.
 * Each is a box whose description (jumd: type, 16-byte UUID, toggles,
 * label) is labelled "c2pa.thumbnail.claim..." or "c2pa.thumbnail.ingredient...".
 */
#define JUMD_LABEL_OFF 21 /* "jumd", UUID, toggles */

static unsigned thumbnails(const uint8_t *p, size_t n)
{
	static const char label[] = "c2pa.thumbnail.";
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	unsigned count = 0;
	for (;;) {
		size_t at = scrub_rd_find_bytes(&rd, label, sizeof label - 1);
		if (at == rd.len)
			return count;
		if (at >= JUMD_LABEL_OFF && !memcmp(p + at - JUMD_LABEL_OFF, "jumd", 4))
			count++;
		scrub_rd_seek(&rd, at + 1);
	}
}

void scrub_describe_jumbf(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	f->c2pa_thumbnails += thumbnails(p, n);
	size_t at;
	if (!find_jumb(p, n, &at))
		return;
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	scrub_rd_seek(&rd, at);
	if (is_c2pa_store(rd))
		f->c2pa = true;
	/* A JPEG continuation segment has no description box but may hold the claim. */
	if (!f->c2pa_generator[0]) {
		generator(rd, f);
		if (f->c2pa_generator[0])
			f->c2pa = true;
	}
}
