/* PNG text chunk data: keywords, inflated values, ImageMagick raw profiles. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "core/inflate.h"
#include "formats/png_text.h"

static bool append(void *ctx, const uint8_t *p, size_t n)
{
	return scrub_buf_append(ctx, p, n) == SCRUB_OK;
}

/* Inflates zlib data up to the cap into t's value; keeps whatever decoded before an error. */
static bool inflate_capped(const uint8_t *src, size_t n, struct scrub_png_text *t)
{
	struct scrub_buf out;
	scrub_buf_init(&out, SCRUB_PNG_INFLATE_CAP);
	size_t guess = n * 4 + 256 < SCRUB_PNG_INFLATE_CAP ? n * 4 + 256 : SCRUB_PNG_INFLATE_CAP;
	if (scrub_buf_reserve(&out, guess) != SCRUB_OK)
		return false;
	scrub_inflate(src, n, SCRUB_PNG_INFLATE_CAP, append, &out, NULL);
	t->value = t->owned = out.data;
	t->value_len = out.len;
	return true;
}

/* Reads a NUL-terminated field of the chunk into rd's caller; false if no NUL. */
static bool take_cstr(struct scrub_rd *rd, const uint8_t **s, size_t *len)
{
	size_t nul = scrub_rd_find(rd, 0);
	if (nul == rd->len)
		return false;
	*len = nul - rd->pos;
	*s = scrub_rd_take(rd, *len + 1);
	return *s != NULL;
}

static int hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

size_t scrub_png_raw_profile(const uint8_t *p, size_t n, uint8_t **out)
{
	*out = NULL;
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	while (scrub_rd_peek(&rd, 0) == '\n')
		scrub_rd_skip(&rd, 1);
	scrub_rd_seek(&rd, scrub_rd_find(&rd, '\n')); /* past the profile name */
	size_t len = 0;
	int c;
	while ((c = scrub_rd_peek(&rd, 0)) == '\n' || c == ' ')
		scrub_rd_skip(&rd, 1);
	while ((c = scrub_rd_peek(&rd, 0)) >= '0' && c <= '9' && len < SCRUB_PNG_INFLATE_CAP) {
		len = len * 10 + (size_t)(c - '0');
		scrub_rd_skip(&rd, 1);
	}
	if (len == 0 || len > scrub_rd_left(&rd) / 2)
		return 0;
	uint8_t *buf = malloc(len);
	if (!buf)
		return 0;
	size_t got = 0;
	int hi = -1;
	while (got < len && (c = scrub_rd_peek(&rd, 0)) >= 0) {
		scrub_rd_skip(&rd, 1);
		int d = hex_digit((uint8_t)c);
		if (d < 0)
			continue;
		if (hi < 0) {
			hi = d;
		} else {
			buf[got++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	*out = buf;
	return got;
}


/* tEXt: keyword NUL text; zTXt: keyword NUL method compressed-text. */
static bool latin1_text(struct scrub_rd *rd, bool compressed, struct scrub_png_text *t)
{
	size_t left = scrub_rd_left(rd);
	if (!compressed) {
		t->value = scrub_rd_take(rd, left);
		t->value_len = left;
		return true;
	}
	/* Method 0 is the only one (section 11.3.3.3). */
	if (scrub_rd_u8(rd) != 0 || !scrub_rd_ok(rd))
		return false;
	left = scrub_rd_left(rd);
	return inflate_capped(scrub_rd_take(rd, left), left, t);
}

/* iTXt: keyword NUL flag method language NUL translated-keyword NUL text. */
static bool intl_text(struct scrub_rd *rd, struct scrub_png_text *t)
{
	const uint8_t *lang, *tkw;
	size_t langlen, tkwlen;
	uint8_t flag = scrub_rd_u8(rd);
	uint8_t method = scrub_rd_u8(rd);
	if (!scrub_rd_ok(rd) || !take_cstr(rd, &lang, &langlen) || !take_cstr(rd, &tkw, &tkwlen))
		return false;
	size_t left = scrub_rd_left(rd);
	const uint8_t *text = scrub_rd_take(rd, left);
	if (!flag) {
		t->value = text;
		t->value_len = left;
		return true;
	}
	return method == 0 && inflate_capped(text, left, t);
}

bool scrub_png_text_read(enum scrub_payload type, const uint8_t *p, size_t n,
			 struct scrub_png_text *t)
{
	*t = (struct scrub_png_text){ 0 };
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	if (!take_cstr(&rd, &t->keyword, &t->keyword_len) ||
	    t->keyword_len > SCRUB_PNG_KEYWORD_MAX)
		return false;
	bool ok = type == SCRUB_PAYLOAD_PNG_ITXT ? intl_text(&rd, t)
						 : latin1_text(&rd, type == SCRUB_PAYLOAD_PNG_ZTXT, t);
	if (!ok)
		scrub_png_text_free(t);
	return ok;
}

void scrub_png_text_free(struct scrub_png_text *t)
{
	free(t->owned);
	t->owned = NULL;
	t->value = NULL;
	t->value_len = 0;
}

bool scrub_png_text_is(const struct scrub_png_text *t, const char *kw)
{
	size_t k = strlen(kw);
	return t->keyword_len == k && !memcmp(t->keyword, kw, k);
}

bool scrub_zlib_inflate(const uint8_t *p, size_t n, struct scrub_png_text *t)
{
	*t = (struct scrub_png_text){ 0 };
	return inflate_capped(p, n, t);
}
