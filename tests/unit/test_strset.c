/*
 * Unit tests for the string set (src/core/strset.c) that holds a run's -o
 * names: a name is new once and only once, names that share a hash slot or
 * a prefix stay apart, and every name survives the set growing.
 */
#include <stdio.h>
#include <string.h>

#include "core/strset.h"

#include "check.h"

static void test_once(void)
{
	struct scrub_strset set = { 0 };
	CHECK(scrub_strset_add(&set, "out/a.jpg") == 1);
	CHECK(scrub_strset_add(&set, "out/a.jpg") == 0);
	CHECK(scrub_strset_add(&set, "out/a.jp") == 1);
	CHECK(scrub_strset_add(&set, "out/a.jpgx") == 1);
	CHECK(scrub_strset_add(&set, "") == 1);
	CHECK(scrub_strset_add(&set, "") == 0);
	CHECK(set.n == 4);
	scrub_strset_free(&set);
	CHECK(set.n == 0 && set.cap == 0 && !set.slot);
}

/* The caller's buffer changes after each add: the set must hold copies. */
static void test_copies(void)
{
	struct scrub_strset set = { 0 };
	char name[32];
	strcpy(name, "one");
	CHECK(scrub_strset_add(&set, name) == 1);
	strcpy(name, "two");
	CHECK(scrub_strset_add(&set, name) == 1);
	CHECK(scrub_strset_add(&set, "one") == 0);
	scrub_strset_free(&set);
}

/* 100,000 names: many growths, many collisions in a table of 2^18 slots. */
static void test_growth(void)
{
	struct scrub_strset set = { 0 };
	enum { N = 100000 };
	char name[64];
	int added = 0, again = 0;
	for (int i = 0; i < N; i++) {
		snprintf(name, sizeof name, "o/%d/IMG_%04d.HEIC", i % 97, i);
		added += scrub_strset_add(&set, name) == 1;
	}
	for (int i = N - 1; i >= 0; i--) {
		snprintf(name, sizeof name, "o/%d/IMG_%04d.HEIC", i % 97, i);
		again += scrub_strset_add(&set, name) == 0;
	}
	CHECK(added == N);
	CHECK(again == N);
	CHECK(set.n == N);
	CHECK(set.cap >= 2 * (size_t)N && (set.cap & (set.cap - 1)) == 0);
	scrub_strset_free(&set);
}

int main(void)
{
	test_once();
	test_copies();
	test_growth();
	return check_summary();
}
