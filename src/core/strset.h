#ifndef SCRUB_STRSET_H
#define SCRUB_STRSET_H

#include <stddef.h>

/* A set of strings it keeps copies of; open addressing, grows at half full. */
struct scrub_strset {
	char **slot;
	size_t cap;                 /* 0 or a power of two */
	size_t n;
};

/* Adds s: 1 when added, 0 when it was there already, -1 out of memory. */
int scrub_strset_add(struct scrub_strset *set, const char *s);
void scrub_strset_free(struct scrub_strset *set);

#endif
