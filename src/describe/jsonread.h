#ifndef SCRUB_JSONREAD_H
#define SCRUB_JSONREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A small JSON reader (RFC 8259) for what image generators write into
 * files: the text is split into a flat array of tokens in one pass, with
 * no recursion; nesting is tracked on a fixed stack. Budgets: the input
 * size, the token count and the nesting depth; past any of them the
 * parse fails and nothing is read. Python's NaN, Infinity and -Infinity
 * (json.dumps writes them) are taken as numbers.
 *
 * Token i of a container is followed by its children; tok[i].next is the
 * index just past its subtree, so a sibling is one step away. Object
 * children alternate key (a string) and value.
 */
#define SCRUB_JR_MAX_BYTES ((size_t)8 << 20)
#define SCRUB_JR_MAX_TOKENS ((size_t)1 << 18)
#define SCRUB_JR_MAX_DEPTH 64
#define SCRUB_JR_NONE ((size_t)-1)

enum scrub_jr_type {
	SCRUB_JR_OBJECT = 1,
	SCRUB_JR_ARRAY,
	SCRUB_JR_STRING,  /* start/len: between the quotes, escapes not undone */
	SCRUB_JR_NUMBER,
	SCRUB_JR_LITERAL  /* true, false, null */
};

struct scrub_jr_tok {
	uint8_t type;
	uint32_t start;
	uint32_t len;
	uint32_t next;
};

struct scrub_jr {
	const char *text;
	size_t ntok;
	struct scrub_jr_tok *tok; /* owned; tok[0] is the top value */
};

/* Parses s[0..n) (surrounding white space allowed); false on bad JSON or a budget. */
bool scrub_jr_parse(struct scrub_jr *j, const char *s, size_t n);
void scrub_jr_free(struct scrub_jr *j);
/* Type of token i, 0 for SCRUB_JR_NONE. */
enum scrub_jr_type scrub_jr_type(const struct scrub_jr *j, size_t i);
/* The value of member key in object obj, or SCRUB_JR_NONE. */
size_t scrub_jr_get(const struct scrub_jr *j, size_t obj, const char *key);
/* First child of a container (SCRUB_JR_NONE when empty), and the sibling after i in parent. */
size_t scrub_jr_first(const struct scrub_jr *j, size_t parent);
size_t scrub_jr_next(const struct scrub_jr *j, size_t parent, size_t i);
/* Number of children of a container (members count twice in an object). */
size_t scrub_jr_count(const struct scrub_jr *j, size_t parent);
/* True when token i is a string equal to s (escapes undone). */
bool scrub_jr_is(const struct scrub_jr *j, size_t i, const char *s);
/*
 * The text of a string (escapes undone, cut on a UTF-8 boundary), number
 * or literal into dst (size > 0); false for containers and SCRUB_JR_NONE.
 */
bool scrub_jr_text(const struct scrub_jr *j, size_t i, char *dst, size_t size);

#endif
