#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strset.h"

/* FNV-1a: names differ in their last bytes, which it mixes in. */
static size_t hash(const char *s)
{
	uint64_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return (size_t)h;
}

/* The slot holding s, or the empty one where it would go. */
static char **find(const struct scrub_strset *set, const char *s)
{
	size_t mask = set->cap - 1;
	for (size_t i = hash(s) & mask;; i = (i + 1) & mask)
		if (!set->slot[i] || !strcmp(set->slot[i], s))
			return &set->slot[i];
}

static int grow(struct scrub_strset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64;
	if (cap > SIZE_MAX / sizeof(char *))
		return -1;
	struct scrub_strset bigger = { calloc(cap, sizeof(char *)), cap, set->n };
	if (!bigger.slot)
		return -1;
	for (size_t i = 0; i < set->cap; i++)
		if (set->slot[i])
			*find(&bigger, set->slot[i]) = set->slot[i];
	free(set->slot);
	*set = bigger;
	return 0;
}

int scrub_strset_add(struct scrub_strset *set, const char *s)
{
	if ((set->n + 1) * 2 > set->cap && grow(set) != 0)
		return -1;
	char **at = find(set, s);
	if (*at)
		return 0;
	if (!(*at = strdup(s)))
		return -1;
	set->n++;
	return 1;
}

void scrub_strset_free(struct scrub_strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	memset(set, 0, sizeof *set);
}
