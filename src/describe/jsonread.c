/*
 * The JSON reader of jsonread.h. One pass over the text, a state machine
 * with an explicit stack of open containers (never recursion): each value
 * becomes a token; a container's token learns where its subtree ends when
 * it closes. Strings are checked for their escapes and left escaped;
 * scrub_jr_text undoes them when asked.
 *
 * States: VALUE (a value must come: after '[', ',' in an array, ':' or
 * at the start), KEY (a key or, right after '{', the end), COLON, AFTER
 * (after a value: ',', the container's close, or the end of the text).
 */
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "describe/jsonread.h"

enum state { VALUE, KEY_OR_END, KEY, COLON, AFTER, VALUE_OR_END };

struct parser {
	struct scrub_jr *j;
	const char *s;
	size_t n;
	size_t pos;
	size_t cap;
	size_t stack[SCRUB_JR_MAX_DEPTH];
	size_t depth;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool push_token(struct parser *p, enum scrub_jr_type type, size_t start, size_t len)
{
	struct scrub_jr *j = p->j;
	if (j->ntok == SCRUB_JR_MAX_TOKENS)
		return false;
	if (j->ntok == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct scrub_jr_tok *t = realloc(j->tok, cap * sizeof *t);
		if (!t)
			return false;
		j->tok = t;
		p->cap = cap;
	}
	j->tok[j->ntok] = (struct scrub_jr_tok){ .type = (uint8_t)type, .start = (uint32_t)start,
						.len = (uint32_t)len,
						.next = (uint32_t)(j->ntok + 1) };
	j->ntok++;
	return true;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A string at p->pos (on the quote): checks escapes, stops after the closing quote. */
static bool scan_string(struct parser *p, size_t *start, size_t *len)
{
	size_t i = p->pos + 1;
	*start = i;
	while (i < p->n && p->s[i] != '"') {
		unsigned char c = (unsigned char)p->s[i];
		if (c < 0x20)
			return false; /* RFC 8259 section 7: control characters are escaped */
		if (c != '\\') {
			i++;
			continue;
		}
		if (i + 1 >= p->n)
			return false;
		char e = p->s[i + 1];
		if (e == 'u') {
			if (p->n - i < 6)
				return false;
			for (size_t k = 2; k < 6; k++)
				if (hex(p->s[i + k]) < 0)
					return false;
			i += 6;
		} else if (e && strchr("\"\\/bfnrt", e)) {
			i += 2;
		} else {
			return false;
		}
	}
	if (i >= p->n)
		return false;
	*len = i - *start;
	p->pos = i + 1;
	return true;
}

static bool word_at(const struct parser *p, const char *w)
{
	size_t k = strlen(w);
	return p->n - p->pos >= k && !memcmp(p->s + p->pos, w, k);
}

/* A number (or NaN/Infinity) or literal at p->pos. */
static bool scan_scalar(struct parser *p)
{
	static const char *const literals[] = { "true", "false", "null" };
	static const char *const specials[] = { "NaN", "Infinity", "-Infinity" };
	size_t start = p->pos;
	for (size_t i = 0; i < 3; i++)
		if (word_at(p, literals[i])) {
			p->pos += strlen(literals[i]);
			return push_token(p, SCRUB_JR_LITERAL, start, p->pos - start);
		}
	for (size_t i = 0; i < 3; i++)
		if (word_at(p, specials[i])) {
			p->pos += strlen(specials[i]);
			return push_token(p, SCRUB_JR_NUMBER, start, p->pos - start);
		}
	size_t i = p->pos;
	if (i < p->n && p->s[i] == '-')
		i++;
	size_t digits = i;
	while (i < p->n && p->s[i] >= '0' && p->s[i] <= '9')
		i++;
	if (i == digits)
		return false;
	if (i < p->n && p->s[i] == '.')
		for (i++; i < p->n && p->s[i] >= '0' && p->s[i] <= '9';)
			i++;
	if (i < p->n && (p->s[i] == 'e' || p->s[i] == 'E')) {
		i++;
		if (i < p->n && (p->s[i] == '+' || p->s[i] == '-'))
			i++;
		while (i < p->n && p->s[i] >= '0' && p->s[i] <= '9')
			i++;
	}
	p->pos = i;
	return push_token(p, SCRUB_JR_NUMBER, start, i - start);
}

/* A value at p->pos; containers are opened and left on the stack. */
static bool value(struct parser *p, enum state *st)
{
	char c = p->s[p->pos];
	if (c == '{' || c == '[') {
		if (p->depth == SCRUB_JR_MAX_DEPTH ||
		    !push_token(p, c == '{' ? SCRUB_JR_OBJECT : SCRUB_JR_ARRAY, p->pos, 0))
			return false;
		p->stack[p->depth++] = p->j->ntok - 1;
		p->pos++;
		*st = c == '{' ? KEY_OR_END : VALUE_OR_END;
		return true;
	}
	size_t start, len;
	*st = AFTER;
	if (c == '"')
		return scan_string(p, &start, &len) && push_token(p, SCRUB_JR_STRING, start, len);
	return scan_scalar(p);
}

/* Closes the innermost container on c; its subtree ends at the current token count. */
static bool close_container(struct parser *p, char c)
{
	if (p->depth == 0)
		return false;
	struct scrub_jr_tok *t = &p->j->tok[p->stack[p->depth - 1]];
	if ((c == '}') != (t->type == SCRUB_JR_OBJECT))
		return false;
	t->next = (uint32_t)p->j->ntok;
	t->len = (uint32_t)(p->pos + 1 - t->start);
	p->depth--;
	p->pos++;
	return true;
}

static bool in_object(const struct parser *p)
{
	return p->depth && p->j->tok[p->stack[p->depth - 1]].type == SCRUB_JR_OBJECT;
}

/* One step of the state machine at a non-white-space character. */
static bool step(struct parser *p, enum state *st)
{
	char c = p->s[p->pos];
	size_t start, len;
	switch (*st) {
	case VALUE_OR_END:
		if (c == ']')
			return close_container(p, c) && (*st = AFTER, true);
		/* fall through */
	case VALUE:
		return value(p, st);
	case KEY_OR_END:
		if (c == '}')
			return close_container(p, c) && (*st = AFTER, true);
		/* fall through */
	case KEY:
		*st = COLON;
		return c == '"' && scan_string(p, &start, &len) &&
		       push_token(p, SCRUB_JR_STRING, start, len);
	case COLON:
		*st = VALUE;
		return c == ':' && (p->pos++, true);
	case AFTER:
		if (p->depth == 0)
			return false; /* something after the top value */
		if (c == ',') {
			p->pos++;
			*st = in_object(p) ? KEY : VALUE;
			return true;
		}
		return close_container(p, c);
	}
	return false;
}

bool scrub_jr_parse(struct scrub_jr *j, const char *s, size_t n)
{
	*j = (struct scrub_jr){ .text = s };
	if (n > SCRUB_JR_MAX_BYTES)
		return false;
	struct parser p = { .j = j, .s = s, .n = n };
	enum state st = VALUE;
	for (;;) {
		while (p.pos < n && is_ws(s[p.pos]))
			p.pos++;
		if (p.pos == n)
			break;
		if (!step(&p, &st)) {
			scrub_jr_free(j);
			return false;
		}
	}
	if (st != AFTER || p.depth != 0 || j->ntok == 0) {
		scrub_jr_free(j);
		return false;
	}
	return true;
}

void scrub_jr_free(struct scrub_jr *j)
{
	free(j->tok);
	j->tok = NULL;
	j->ntok = 0;
}

enum scrub_jr_type scrub_jr_type(const struct scrub_jr *j, size_t i)
{
	return i < j->ntok ? (enum scrub_jr_type)j->tok[i].type : (enum scrub_jr_type)0;
}

size_t scrub_jr_first(const struct scrub_jr *j, size_t parent)
{
	enum scrub_jr_type t = scrub_jr_type(j, parent);
	if ((t != SCRUB_JR_OBJECT && t != SCRUB_JR_ARRAY) || j->tok[parent].next == parent + 1)
		return SCRUB_JR_NONE;
	return parent + 1;
}

size_t scrub_jr_next(const struct scrub_jr *j, size_t parent, size_t i)
{
	if (i >= j->ntok || parent >= j->ntok)
		return SCRUB_JR_NONE;
	size_t next = j->tok[i].next;
	return next < j->tok[parent].next ? next : SCRUB_JR_NONE;
}

size_t scrub_jr_count(const struct scrub_jr *j, size_t parent)
{
	size_t n = 0;
	for (size_t i = scrub_jr_first(j, parent); i != SCRUB_JR_NONE; i = scrub_jr_next(j, parent, i))
		n++;
	return n;
}

/* Undoes the escapes of string token i into dst; returns the length (dst NUL-terminated). */
static size_t unescape(const struct scrub_jr *j, size_t i, char *dst, size_t size)
{
	const char *s = j->text + j->tok[i].start;
	size_t n = j->tok[i].len, out = 0;
	for (size_t k = 0; k < n;) {
		char enc[4];
		size_t len = 1;
		if (s[k] != '\\') {
			/* Whole sequences, so a cut never splits one; a stray byte goes alone. */
			len = scrub_utf8_decode((const unsigned char *)s + k, n - k, NULL);
			len = len ? len : 1;
			memcpy(enc, s + k, len);
			k += len;
		} else if (s[k + 1] != 'u') {
			static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
			enc[0] = to[strchr(from, s[k + 1]) - from];
			k += 2;
		} else {
			uint32_t cp = 0;
			for (size_t d = 2; d < 6; d++)
				cp = cp << 4 | (uint32_t)hex(s[k + d]);
			k += 6;
			/* A high surrogate and the low one after it make one code point. */
			if (cp >= 0xD800 && cp < 0xDC00 && n - k >= 6 && s[k] == '\\' && s[k + 1] == 'u') {
				uint32_t lo = 0;
				for (size_t d = 2; d < 6; d++)
					lo = lo << 4 | (uint32_t)hex(s[k + d]);
				if (lo >= 0xDC00 && lo < 0xE000) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					k += 6;
				}
			}
			len = scrub_utf8_encode(cp ? cp : ' ', enc);
		}
		if (out + len > size - 1)
			break;
		memcpy(dst + out, enc, len);
		out += len;
	}
	dst[out] = '\0';
	return out;
}

bool scrub_jr_is(const struct scrub_jr *j, size_t i, const char *s)
{
	if (scrub_jr_type(j, i) != SCRUB_JR_STRING)
		return false;
	size_t k = strlen(s);
	const struct scrub_jr_tok *t = &j->tok[i];
	if (t->len == k && !memcmp(j->text + t->start, s, k))
		return true;
	if (!memchr(j->text + t->start, '\\', t->len) || k > 255)
		return false;
	char buf[256];
	return unescape(j, i, buf, sizeof buf) == k && !memcmp(buf, s, k);
}

size_t scrub_jr_get(const struct scrub_jr *j, size_t obj, const char *key)
{
	if (scrub_jr_type(j, obj) != SCRUB_JR_OBJECT)
		return SCRUB_JR_NONE;
	for (size_t k = scrub_jr_first(j, obj); k != SCRUB_JR_NONE;) {
		size_t v = scrub_jr_next(j, obj, k);
		if (v == SCRUB_JR_NONE)
			break;
		if (scrub_jr_is(j, k, key))
			return v;
		k = scrub_jr_next(j, obj, v);
	}
	return SCRUB_JR_NONE;
}

bool scrub_jr_text(const struct scrub_jr *j, size_t i, char *dst, size_t size)
{
	enum scrub_jr_type t = scrub_jr_type(j, i);
	dst[0] = '\0';
	if (t == SCRUB_JR_STRING) {
		unescape(j, i, dst, size);
		return true;
	}
	if (t != SCRUB_JR_NUMBER && t != SCRUB_JR_LITERAL)
		return false;
	size_t n = j->tok[i].len < size - 1 ? j->tok[i].len : size - 1;
	memcpy(dst, j->text + j->tok[i].start, n);
	dst[n] = '\0';
	return true;
}
