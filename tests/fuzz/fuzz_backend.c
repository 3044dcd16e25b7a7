/*
 * Fuzz target for one format backend's header probe, scan and strip paths, built once per
 * format with FUZZ_BACKEND set to the backend's variable. Beyond "no crash",
 * it checks the strip invariants: the output scans again, stripping it
 * changes nothing, and it never grows beyond the input plus the small
 * blocks a strip may add (orientation, rewritten headers).
 */
#include <stdlib.h>
#include <string.h>

#include "formats/format.h"
#include "formats/orientation.h"
#include "core/plan.h"

#ifndef FUZZ_BACKEND
#error "define FUZZ_BACKEND"
#endif

/* Bytes a strip may add: orientation block, its container header, VP8X/RIFF rewrites. */
#define MAX_GROWTH 128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void strip_once(const uint8_t *in, size_t n, const struct scrub_policy *pol,
		       struct scrub_scan *scan, struct scrub_plan *plan, uint8_t **out, size_t *out_len)
{
	*out = NULL;
	scrub_scan_reset(scan);
	scrub_plan_reset(plan);
	if (FUZZ_BACKEND.scan(in, n, pol, scan) != SCRUB_OK)
		return;
	if (FUZZ_BACKEND.strip(in, n, scan, pol, plan) != SCRUB_OK)
		return;
	*out_len = plan->total;
	*out = malloc(plan->total ? plan->total : 1);
	if (!*out)
		abort();
	scrub_plan_copy(plan, *out);
}

static void check_policy(const uint8_t *data, size_t size, const struct scrub_policy *pol)
{
	struct scrub_scan scan;
	struct scrub_plan plan;
	scrub_scan_init(&scan);
	scrub_plan_init(&plan);
	uint8_t *out1, *out2;
	size_t len1 = 0, len2 = 0;
	strip_once(data, size, pol, &scan, &plan, &out1, &len1);
	if (out1) {
		if (len1 > size + MAX_GROWTH)
			abort(); /* output grew beyond the orientation allowance */
		strip_once(out1, len1, pol, &scan, &plan, &out2, &len2);
		if (!out2)
			abort(); /* our own output must scan and strip */
		if (len2 != len1 || memcmp(out1, out2, len1) != 0)
			abort(); /* strip is not idempotent */
		free(out2);
		free(out1);
	}
	scrub_scan_free(&scan);
	scrub_plan_free(&plan);
}

/*
 * As in the tool, the codec probe only sees files whose container walked:
 * the walker has checked every chunk length against the file first (unchecked,
 * libpng allocates and clears a crafted 2 GB chunk length before reading it).
 */
static void probe_if_walkable(const uint8_t *data, size_t size)
{
	if (!FUZZ_BACKEND.probe)
		return;
	struct scrub_scan scan;
	scrub_scan_init(&scan);
	struct scrub_policy pol = scrub_policy_default();
	if (FUZZ_BACKEND.scan(data, size, &pol, &scan) == SCRUB_OK) {
		struct scrub_image_info info = { 0 };
		char msg[SCRUB_CODEC_MSG];
		if (FUZZ_BACKEND.probe(data, size, &info, msg, sizeof msg) == SCRUB_OK && info.known &&
		    memchr(info.color, '\0', sizeof info.color) == NULL)
			abort(); /* a probe that knows fills a terminated colour name */
	}
	scrub_scan_free(&scan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!FUZZ_BACKEND.sniff(data, size))
		return 0;
	struct scrub_policy keep = scrub_policy_default();
	struct scrub_policy none = { false, false };
	probe_if_walkable(data, size);
	check_policy(data, size, &keep);
	check_policy(data, size, &none);
	return 0;
}
