/*
 * libscrub: removes the metadata that gives people away (GPS position,
 * serial numbers, names, capture times, thumbnails, editing history,
 * appended videos) from JPEG, PNG, WebP and the other formats scrub(1)
 * cleans, without decoding or re-encoding a pixel. The same engine as the
 * scrub program; libscrub(3) documents every call with an example.
 *
 * Contexts are independent: one context must not be used by two threads
 * at once, but any number of threads may each use their own. Nothing needs
 * initialising first.
 */
#ifndef SCRUB_H
#define SCRUB_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && defined(SCRUB_BUILDING_LIBRARY)
#define SCRUB_API __attribute__((visibility("default")))
#else
#define SCRUB_API
#endif

#define SCRUB_VERSION_MAJOR 0
#define SCRUB_VERSION_MINOR 2
#define SCRUB_VERSION_PATCH 0

/* Every call that can fail returns one of these; 0 means success. */
enum scrub_status {
	SCRUB_OK = 0,
	SCRUB_E_TRUNCATED,   /* the image ends inside a structure */
	SCRUB_E_MALFORMED,   /* the image breaks its container's rules */
	SCRUB_E_NOT_IMAGE,   /* not an image of a format scrub cleans */
	SCRUB_E_CRC,         /* a checksum does not match */
	SCRUB_E_LIMIT,       /* a work or size budget was exceeded */
	SCRUB_E_NOMEM,
	SCRUB_E_IO,          /* a file operation failed: scrub_ctx_error() says which and why */
	SCRUB_E_HARDLINK,    /* refused: the file has several names (SCRUB_FORCE replaces it) */
	SCRUB_E_NOT_REGULAR, /* refused: not a regular file */
	SCRUB_E_SAME_FILE,   /* refused: the output would overwrite the input */
	SCRUB_E_VERIFY,      /* decoded pixels differ between input and output */
	SCRUB_E_UNSUPPORTED, /* an image or video scrub recognises but cannot clean */
	SCRUB_E_COUNT
};

/* What survives beyond the image itself; the default keeps both. */
enum scrub_keep {
	SCRUB_KEEP_NONE = 0,
	SCRUB_KEEP_ORIENTATION = 1u << 0, /* as a minimal EXIF block holding only that tag */
	SCRUB_KEEP_ICC = 1u << 1,         /* the colour profile */
	SCRUB_KEEP_DEFAULT = SCRUB_KEEP_ORIENTATION | SCRUB_KEEP_ICC
};

/* How files are written and checked. */
enum scrub_flags {
	SCRUB_VERIFY = 1u << 0,         /* decode input and output and compare pixels first */
	SCRUB_NO_SYNC = 1u << 1,        /* scrub_file: no fdatasync before the rename */
	SCRUB_FORCE = 1u << 2,          /* scrub_file: replace a file with several hard links */
	SCRUB_PRESERVE_TIMES = 1u << 3  /* scrub_file: keep access and modification times */
};

typedef struct scrub_ctx scrub_ctx;

/* A context with a keep policy (enum scrub_keep) and flags; NULL when out of memory. */
SCRUB_API scrub_ctx *scrub_ctx_new(unsigned keep, unsigned flags);
SCRUB_API void scrub_ctx_free(scrub_ctx *ctx);

/*
 * Scrubs the image in[0..n) into a new buffer *out of *out_len bytes, to be
 * released with scrub_free. *changed (when not NULL) says whether anything
 * was removed; when nothing was, *out is a copy of the input. On failure
 * *out is NULL.
 */
SCRUB_API enum scrub_status scrub_buffer(scrub_ctx *ctx, const void *in, size_t n, void **out,
					 size_t *out_len, int *changed);

/*
 * Scrubs the file at path in place: a temporary file in the same
 * directory, made durable (unless SCRUB_NO_SYNC) and given the original's
 * mode and owner, is renamed over it. On any failure the file is left as
 * it was and no temporary file stays behind. A file with nothing to remove
 * is not rewritten. No signal handler is installed: a process killed in
 * the middle can leave a ".NAME.scrub-tmp-PID-N" file beside the original.
 */
SCRUB_API enum scrub_status scrub_file(scrub_ctx *ctx, const char *path, int *changed);

/*
 * The report of what in[0..n) holds, as the one-line JSON object
 * `scrub --report --json` prints (without the newline), in a string to be
 * released with scrub_free. name is the "file" member (NULL: "-").
 */
SCRUB_API enum scrub_status scrub_report(scrub_ctx *ctx, const void *in, size_t n,
					 const char *name, char **json);

/* The one-line message of the last failure on ctx ("" when none). */
SCRUB_API const char *scrub_ctx_error(const scrub_ctx *ctx);
/* Static English text for a status. */
SCRUB_API const char *scrub_strerror(enum scrub_status st);
/* Releases what scrub_buffer and scrub_report return. */
SCRUB_API void scrub_free(void *p);
/* "0.2.0" */
SCRUB_API const char *scrub_version(void);

#ifdef __cplusplus
}
#endif

#endif
