/*
 * Fuzz target for the report path: libexif decoding, Photoshop IRB and
 * IPTC-IIM walking, XMP parsing
 * and both report renderers (JSON escaping and UTF-8 validation, terminal
 * sanitising) over whatever the decoders extracted.
 */
#include <stdlib.h>
#include <string.h>

#include "scrub/facts.h"
#include "scrub/report.h"
#include "scrub/result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scrub_result r;
	scrub_result_init(&r, "fuzz");
	scrub_describe_exif(data, size, &r.facts);
	size_t iptc = scrub_describe_irb_iptc(data, size, &r.facts);
	scrub_describe_xmp(data, size, &r.facts);
	if (iptc > size)
		abort();
	/* The raw input as a label too, to exercise escaping of arbitrary bytes. */
	struct scrub_finding f = { .kind = 0, .bytes = size };
	size_t n = size < sizeof f.label - 1 ? size : sizeof f.label - 1;
	memcpy(f.label, data, n);
	f.label[n] = '\0';
	r.found = &f;
	r.nfound = 1;
	r.format = "jpeg";
	r.outcome = SCRUB_RES_DIRTY;
	struct scrub_buf out;
	scrub_buf_init(&out, (size_t)1 << 24);
	struct scrub_report_style style = { .mode = SCRUB_MODE_REPORT, .verbose = true };
	scrub_report_json(&out, &r, &style);
	scrub_report_text(&out, &r, &style);
	scrub_buf_free(&out);
	return 0;
}
