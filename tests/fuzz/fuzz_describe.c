/*
 * Fuzz target for the report path: libexif decoding, Photoshop IRB and
 * IPTC-IIM walking, XMP parsing (also as an ExtendedXMP extension cut into
 * up to four chunks), the MPF index, the JUMBF/C2PA claim search, the
 * JSON reader and the image-generator summaries (every keyword a
 * generator writes, and UserComment), the makers' segments (FLIR FFF,
 * Samsung SEFT, Ducky, Picture Info, Casio QVCI), ICC profiles (the
 * walkers' validity checks and the report's reading), file names,
 * payloads in GIF data sub-blocks and JPEG XL brob boxes (Brotli, capped)
 * through the describer table, every other payload type through that table
 * too (joining chunked ones), and both report renderers (JSON escaping
 * and UTF-8 validation, terminal sanitising) over whatever the decoders
 * extracted.
 */
#include <stdlib.h>
#include <string.h>

#include "describe/describe.h"
#include "describe/facts.h"
#include "describe/jsonread.h"
#include "formats/icc_check.h"
#include "report/report.h"
#include "engine/result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* cut[0..nparts]: 0, then len * data[i] / 255 for each inner point (never going back), len. */
static void cut_points(const uint8_t *data, size_t len, size_t nparts, size_t *cut)
{
	cut[0] = 0;
	for (size_t i = 1; i < nparts; i++) {
		size_t c = len * data[i] / 255;
		cut[i] = c < cut[i - 1] ? cut[i - 1] : c;
	}
	cut[nparts] = len;
}

/*
 * The input after 4 header bytes becomes an ExtendedXMP extension in up to
 * four chunks: byte 0 picks the count and whether they come in reverse
 * order, bytes 1..3 the cut points. The same input always gives the same
 * chunks. Each chunk is its own allocation so ASan sees reads past one.
 */
static void split_extension(const uint8_t *data, size_t size, struct scrub_facts *f)
{
	enum { HEAD = 4, PARTS = 4, GUID = SCRUB_XMP_GUID_LEN };
	if (size < HEAD || size - HEAD > SCRUB_XMP_MAX)
		return;
	const uint8_t *body = data + HEAD;
	size_t len = size - HEAD, nparts = 1 + data[0] % PARTS, cut[PARTS + 1];
	cut_points(data, len, nparts, cut);
	struct scrub_xmp_ext x;
	scrub_xmp_ext_init(&x);
	uint8_t *chunk[PARTS] = { NULL };
	for (size_t k = 0; k < nparts; k++) {
		size_t i = data[0] & 4 ? nparts - 1 - k : k, n = cut[i + 1] - cut[i];
		chunk[k] = malloc(GUID + 8 + n);
		if (!chunk[k])
			break;
		memset(chunk[k], 'A', GUID);
		uint32_t v[2] = { (uint32_t)len, (uint32_t)cut[i] };
		for (int j = 0; j < 8; j++)
			chunk[k][GUID + j] = (uint8_t)(v[j / 4] >> (24 - 8 * (j % 4)));
		if (n)
			memcpy(chunk[k] + GUID + 8, body + cut[i], n);
		scrub_xmp_ext_add(&x, chunk[k], GUID + 8 + n);
	}
	scrub_describe_xmp_ext(&x, f);
	for (size_t k = 0; k < nparts; k++)
		free(chunk[k]);
}

/* The JSON reader over the whole input: every token's text, every member looked up. */
static void walk_json(const uint8_t *data, size_t size)
{
	struct scrub_jr j;
	if (!scrub_jr_parse(&j, (const char *)data, size))
		return;
	char v[64];
	for (size_t i = 0; i < j.ntok; i++) {
		scrub_jr_text(&j, i, v, sizeof v);
		scrub_jr_get(&j, i, "prompt");
		scrub_jr_count(&j, i);
	}
	scrub_jr_free(&j);
}

/* The generators' keywords, all of them, then UserComment and the end-of-file pass. */
static void generators(const uint8_t *data, size_t size, struct scrub_facts *f)
{
	static const char *const keywords[] = { "parameters", "prompt", "workflow",
						"invokeai_metadata", "invokeai_graph",
						"sd-metadata", "Dream", "Comment", "fooocus_scheme" };
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
		struct scrub_facts one;
		scrub_facts_clear(&one);
		scrub_genai_text(keywords[i], data, size, &one);
		scrub_facts_merge(f, &one);
	}
	scrub_genai_comment(data, size, f);
	scrub_describe_comment("Comment", data, size, f);
	scrub_genai_finish(f);
}

/*
 * The describer table as a scan feeds it: byte 0 picks the payload type
 * (its top bit the GIF sub-block flag), byte 1 the count and bytes 1..3 the
 * cut points of up to four payloads of that type, given in order, so the
 * chunked kinds (ICC parts, FLIR chunks, ExtendedXMP) are joined at the end
 * as a file's are.
 */
static void describer_table(const uint8_t *data, size_t size, struct scrub_describe *d)
{
	enum { HEAD = 4, PARTS = 4 };
	if (size < HEAD)
		return;
	unsigned type = (data[0] & 0x7F) % SCRUB_PAYLOAD_COUNT, flag = data[0] & 0x80;
	size_t len = size - HEAD, nparts = 1 + data[1] % PARTS, cut[PARTS + 1];
	cut_points(data, len, nparts, cut);
	for (size_t i = 0; i < nparts; i++)
		scrub_describe_payload(d, (enum scrub_payload)(type | flag), data + HEAD + cut[i],
				       cut[i + 1] - cut[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scrub_result r;
	scrub_result_init(&r, "fuzz");
	r.facts.tags = &r.tags; /* the --report -v listing paths too */
	scrub_describe_exif(data, size, &r.facts);
	size_t iptc = scrub_describe_irb_iptc(data, size, &r.facts);
	scrub_describe_xmp(data, size, &r.facts);
	scrub_describe_mpf(data, size, &r.facts);
	scrub_describe_jumbf(data, size, &r.facts);
	split_extension(data, size, &r.facts);
	walk_json(data, size);
	scrub_describe_flir(data, size, &r.facts);
	scrub_describe_seft(data, size, &r.facts);
	scrub_describe_ducky(data, size, &r.facts);
	scrub_describe_picture_info(data, size, &r.facts);
	scrub_describe_qvci(data, size, &r.facts);
	scrub_describe_ucs2_comment(data, size, &r.facts);
	scrub_describe_riff_info(data, size, &r.facts);
	scrub_describe_icc(data, size, &r.facts);
	if (scrub_icc_valid(data, size) != scrub_icc_parts_valid(&(struct scrub_icc_part){ data, size }, 1))
		abort(); /* one profile in one part is the same profile */
	scrub_icc_zlib_valid(data, size);
	char name[256];
	size_t nn = size < sizeof name - 1 ? size : sizeof name - 1;
	memcpy(name, data, nn);
	name[nn] = '\0';
	scrub_describe_file_name(name, &r.facts);
	generators(data, size, &r.facts);
	if (iptc > size)
		abort();
	struct scrub_describe d;
	scrub_describe_begin(&d, &r.facts, &r.tags);
	scrub_describe_payload(&d, SCRUB_PAYLOAD_BROTLI_BOX, data, size);
	scrub_describe_payload(&d, SCRUB_PAYLOAD_IPTC_IIM | SCRUB_PAYLOAD_GIF_BLOCKS, data, size);
	scrub_describe_payload(&d, SCRUB_PAYLOAD_COMMENT | SCRUB_PAYLOAD_GIF_BLOCKS, data, size);
	describer_table(data, size, &d);
	scrub_describe_end(&d);
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
	scrub_buf_free(&r.tags);
	return 0;
}
