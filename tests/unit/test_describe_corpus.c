/*
 * The report decoders on real files from the shared corpus: the JPEG
 * backend's segments go through the MPF, JUMBF and XMP decoders as the job
 * hands them over, and the results are compared with known values and,
 * when exiftool is installed, with its reading of the MPF index.
 * Skipped (77) without $SCRUB_SHARED.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe/facts.h"
#include "formats/format.h"
#include "core/policy.h"

#include "check.h"

struct decoded {
	bool ok;           /* file read and scanned */
	bool ext_parsed;   /* the ExtendedXMP extension read as one packet */
	size_t ext_chunks;
	struct scrub_xmp_ext ext;
	struct scrub_facts f;
};

static const char *shared;

static uint8_t *read_all(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return NULL;
	uint8_t *buf = NULL;
	size_t cap = 0;
	*n = 0;
	for (;;) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 65536;
			uint8_t *nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		size_t got = fread(buf + *n, 1, cap - *n, fp);
		*n += got;
		if (got == 0)
			break;
	}
	fclose(fp);
	return buf;
}

/* The describe step of src/cli/job.c for the kinds under test. */
static void decode(const char *name, uint8_t **keep, struct decoded *d)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/corpus/real/jpeg/%s", shared, name);
	memset(d, 0, sizeof *d);
	scrub_xmp_ext_init(&d->ext);
	size_t n;
	uint8_t *in = read_all(path, &n);
	*keep = in;
	struct scrub_scan scan;
	scrub_scan_init(&scan);
	struct scrub_policy pol = scrub_policy_default();
	if (!in || scrub_backend_jpeg.scan(in, n, &pol, &scan) != SCRUB_OK) {
		fprintf(stderr, "cannot scan %s\n", path);
		scrub_scan_free(&scan);
		return;
	}
	for (size_t i = 0; i < scan.nseg; i++) {
		const struct scrub_segment *s = &scan.seg[i];
		const uint8_t *p = in + s->data_off;
		if (s->kind == SCRUB_KIND_MPF)
			scrub_describe_mpf(p, s->data_len, &d->f);
		else if (s->kind == SCRUB_KIND_JUMBF)
			scrub_describe_jumbf(p, s->data_len, &d->f);
		else if (s->kind == SCRUB_KIND_XMP && strstr(s->label, "ExtendedXMP"))
			d->ext_chunks += scrub_xmp_ext_add(&d->ext, p, s->data_len);
		else if (s->kind == SCRUB_KIND_XMP)
			scrub_describe_xmp_main(p, s->data_len, &d->f, &d->ext);
	}
	d->ext_parsed = scrub_describe_xmp_ext(&d->ext, &d->f);
	d->ok = true;
	scrub_scan_free(&scan);
}

/* exiftool -n -MPF:NumberOfImages, or -1 when exiftool is not there. */
static long exiftool_mpf_images(const char *name)
{
	char cmd[4200];
	if (strchr(shared, '\'') ||
	    snprintf(cmd, sizeof cmd,
		     "exiftool -n -s3 -MPF:NumberOfImages '%s/corpus/real/jpeg/%s' 2>/dev/null",
		     shared, name) >= (int)sizeof cmd)
		return -1;
	FILE *fp = popen(cmd, "r");
	if (!fp)
		return -1;
	char line[64] = "";
	bool got = fgets(line, sizeof line, fp) != NULL;
	int rc = pclose(fp);
	return got && rc == 0 ? strtol(line, NULL, 10) : -1;
}

static void test_c2pa(void)
{
	static const struct {
		const char *file, *generator;
	} want[] = {
		{ "c2pa_C.jpg", "make_test_images/0.33.1 c2pa-rs/0.33.1" },
		{ "c2pa_CA.jpg", "make_test_images/0.33.1 c2pa-rs/0.33.1" },
		{ "c2pa_update_manifest.jpg", "adobe unit test" },
		{ "c2pa_no_alg.jpg", "MIPAMS GENERATOR 0.1" }, /* claim_generator_info name */
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		uint8_t *in;
		struct decoded *d = malloc(sizeof *d);
		if (!d)
			abort();
		decode(want[i].file, &in, d);
		CHECK(d->ok && d->f.c2pa);
		CHECK(!strcmp(d->f.c2pa_generator, want[i].generator));
		free(in);
		free(d);
	}
}

static void test_hidden(void)
{
	static const struct {
		const char *file;
		unsigned hidden;
		unsigned mpf_images;
		size_t mpf_bytes;
		size_t ext_chunks; /* ExtendedXMP chunks, all read as one packet */
	} want[] = {
		{ "ente_pixel_8.jpg", SCRUB_HIDDEN_GAIN_MAP, 1, 9554, 1 },
		{ "exiftool_Google.jpg", SCRUB_HIDDEN_GAIN_MAP, 0, 0, 1 },
		{ "ultrahdr_apple_gainmap_new.jpg", 0, 1, 6003, 0 },
		{ "mde_Android_Depth_Map.jpg", SCRUB_HIDDEN_DEPTH_MAP | SCRUB_HIDDEN_ORIGINAL, 0, 0, 8 },
		{ "gmotion_PXL_20200710_061629144.MP.jpg", SCRUB_HIDDEN_MOTION, 0, 0, 0 },
		/* Two chunks; the one with the later offset comes first, before the main packet. */
		{ "exiftool_ExtendedXMP.jpg", 0, 0, 0, 2 },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		uint8_t *in;
		struct decoded *d = malloc(sizeof *d);
		if (!d)
			abort();
		decode(want[i].file, &in, d);
		CHECK(d->ok);
		CHECK(d->f.hidden == want[i].hidden);
		CHECK(d->f.mpf_images == want[i].mpf_images);
		CHECK(d->f.mpf_bytes == want[i].mpf_bytes);
		CHECK(d->ext_chunks == want[i].ext_chunks);
		CHECK(d->ext_parsed == (want[i].ext_chunks > 0));
		long xt = exiftool_mpf_images(want[i].file);
		if (xt >= 0 && want[i].mpf_images)
			CHECK(xt == (long)want[i].mpf_images + 1);
		free(in);
		free(d);
	}
}

/* exiftool_ExtendedXMP.jpg: the main packet names the GUID; one chunk alone is not enough. */
static void test_split_extension(void)
{
	uint8_t *in;
	struct decoded *d = malloc(sizeof *d);
	if (!d)
		abort();
	decode("exiftool_ExtendedXMP.jpg", &in, d);
	CHECK(!strcmp(d->ext.want, "04B9E48040A30A6308713BD1E4223B41"));
	CHECK(d->ext.nparts == 2 && d->ext.part[0].off > 0 && d->ext.part[1].off == 0);
	for (size_t drop = 0; d->ext.nparts == 2 && drop < 2; drop++) {
		struct scrub_xmp_ext one = d->ext;
		one.part[0] = d->ext.part[1 - drop];
		one.nparts = 1;
		struct scrub_facts f;
		scrub_facts_clear(&f);
		CHECK(!scrub_describe_xmp_ext(&one, &f));
	}
	free(in);
	free(d);
}

int main(void)
{
	shared = getenv("SCRUB_SHARED");
	char probe[4096];
	snprintf(probe, sizeof probe, "%s/corpus/real/jpeg/c2pa_C.jpg", shared ? shared : "");
	FILE *fp = shared ? fopen(probe, "rb") : NULL;
	if (!fp) {
		printf("skipped: no shared corpus (SCRUB_SHARED)\n");
		return 77;
	}
	fclose(fp);
	test_c2pa();
	test_hidden();
	test_split_extension();
	return check_summary();
}
