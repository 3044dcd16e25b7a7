#ifndef SCRUB_TEST_CHECK_H
#define SCRUB_TEST_CHECK_H

/* The unit tests' one assertion: counts, reports the failed expression, goes on. */
#include <stdio.h>

static int passed, failed;

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (cond) {                                                      \
			passed++;                                                \
		} else {                                                         \
			failed++;                                                \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                \
	} while (0)

/* Closing line read by ctest's log readers; exit status 1 on any failure. */
static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}

#endif
