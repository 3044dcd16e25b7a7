/*
 * Built outside the tree against an installed libscrub (pkg-config scrub)
 * by tests/cli/test_libscrub.sh: exercises the public API the way an upload
 * service would. Each check prints "ok NAME" or "FAIL NAME: why"; the exit
 * status is the number of failures.
 *
 * usage: api_check IMAGE COPY MALFORMED NOT_AN_IMAGE
 *   IMAGE      an image with metadata (read, never written)
 *   COPY       a copy of IMAGE, scrubbed in place
 *   MALFORMED  a truncated image
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <scrub.h>

static int failures;

static void check(int ok, const char *name, const char *why)
{
	if (ok) {
		printf("ok %s\n", name);
	} else {
		printf("FAIL %s: %s\n", name, why ? why : "");
		failures++;
	}
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	unsigned char *buf = NULL;
	size_t cap = 0;
	*n = 0;
	for (;;) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 65536;
			unsigned char *nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		size_t got = fread(buf + *n, 1, cap - *n, f);
		if (got == 0)
			break;
		*n += got;
	}
	fclose(f);
	return buf;
}

struct job {
	const unsigned char *in;
	size_t n;
	void *out;
	size_t out_len;
	enum scrub_status st;
};

/* One context per thread, as the header says; every thread must get the same bytes. */
static void *scrub_in_thread(void *arg)
{
	struct job *j = arg;
	scrub_ctx *ctx = scrub_ctx_new(SCRUB_KEEP_DEFAULT, 0);
	j->st = ctx ? scrub_buffer(ctx, j->in, j->n, &j->out, &j->out_len, NULL) : SCRUB_E_NOMEM;
	scrub_ctx_free(ctx);
	return NULL;
}

static void check_threads(const unsigned char *in, size_t n, const void *want, size_t want_len)
{
	enum { THREADS = 8 };
	pthread_t t[THREADS];
	struct job j[THREADS];
	for (int i = 0; i < THREADS; i++) {
		j[i] = (struct job){ .in = in, .n = n };
		pthread_create(&t[i], NULL, scrub_in_thread, &j[i]);
	}
	int same = 1;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		same &= j[i].st == SCRUB_OK && j[i].out_len == want_len &&
			memcmp(j[i].out, want, want_len) == 0;
		scrub_free(j[i].out);
	}
	check(same, "threads", "a thread's output differs from the single-threaded one");
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: api_check IMAGE COPY MALFORMED NOT_AN_IMAGE\n");
		return 100;
	}
	size_t n, bad_n, junk_n;
	unsigned char *in = slurp(argv[1], &n), *bad = slurp(argv[3], &bad_n);
	unsigned char *junk = slurp(argv[4], &junk_n);
	if (!in || !bad || !junk) {
		fprintf(stderr, "api_check: cannot read the inputs\n");
		return 100;
	}
	check(strcmp(scrub_version(), "") != 0, "version", NULL);
	scrub_ctx *ctx = scrub_ctx_new(SCRUB_KEEP_DEFAULT, SCRUB_VERIFY);
	check(ctx != NULL, "ctx_new", NULL);

	void *out = NULL;
	size_t out_len = 0;
	int changed = -1;
	enum scrub_status st = scrub_buffer(ctx, in, n, &out, &out_len, &changed);
	check(st == SCRUB_OK && out && changed == 1 && out_len < n, "buffer",
	      scrub_ctx_error(ctx));
	FILE *f = fopen("buffer.out", "wb");
	if (f) {
		fwrite(out, 1, out_len, f);
		fclose(f);
	}

	void *again = NULL;
	size_t again_len = 0;
	st = scrub_buffer(ctx, out, out_len, &again, &again_len, &changed);
	check(st == SCRUB_OK && changed == 0 && again_len == out_len &&
	      memcmp(again, out, out_len) == 0, "buffer idempotent", scrub_ctx_error(ctx));
	scrub_free(again);
	check_threads(in, n, out, out_len);

	char *json = NULL;
	st = scrub_report(ctx, in, n, "photo.jpg", &json);
	check(st == SCRUB_OK && json && strncmp(json, "{\"file\": \"photo.jpg\"", 20) == 0 &&
	      json[strlen(json) - 1] == '}', "report", scrub_ctx_error(ctx));
	if (json)
		printf("report %s\n", json);
	scrub_free(json);
	/* The name given is looked at too: a camera's naming gives the capture time away. */
	st = scrub_report(ctx, in, n, "DCIM/PXL_20240501_123456789.jpg", &json);
	check(st == SCRUB_OK && json && strstr(json, "\"name_time\": \"2024-05-01T12:34:56Z\"") &&
	      strstr(json, "\"name_device\": \"Google Pixel camera\""), "report reads the name given",
	      json);
	scrub_free(json);

	scrub_free(out);
	st = scrub_buffer(ctx, bad, bad_n, &out, &out_len, NULL);
	check(st != SCRUB_OK && out == NULL && strstr(scrub_ctx_error(ctx), "cannot read"),
	      "malformed buffer is an error", scrub_ctx_error(ctx));
	printf("malformed: %s (%s)\n", scrub_strerror(st), scrub_ctx_error(ctx));
	st = scrub_buffer(ctx, junk, junk_n, &out, &out_len, NULL);
	check(st == SCRUB_E_NOT_IMAGE && out == NULL, "not an image", scrub_ctx_error(ctx));
	st = scrub_report(ctx, bad, bad_n, NULL, &json);
	check(st != SCRUB_OK && json == NULL, "malformed report is an error", NULL);

	st = scrub_file(ctx, argv[2], &changed);
	check(st == SCRUB_OK && changed == 1, "file", scrub_ctx_error(ctx));
	st = scrub_file(ctx, argv[2], &changed);
	check(st == SCRUB_OK && changed == 0, "file idempotent", scrub_ctx_error(ctx));
	st = scrub_file(ctx, "no-such-file.jpg", &changed);
	check(st == SCRUB_E_IO && strstr(scrub_ctx_error(ctx), "'no-such-file.jpg'"),
	      "missing file named in the error", scrub_ctx_error(ctx));
	st = scrub_file(ctx, argv[3], &changed);
	check(st != SCRUB_OK && changed == 0, "malformed file refused", scrub_ctx_error(ctx));

	scrub_free(out);
	scrub_ctx_free(ctx);
	free(in);
	free(bad);
	free(junk);
	return failures;
}
