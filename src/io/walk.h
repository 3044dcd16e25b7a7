#ifndef SCRUB_WALK_H
#define SCRUB_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/status.h"

/* One file to process, in the order results are printed. */
struct scrub_item {
	char *path;                 /* what to open, as the user would write it */
	char *out_path;             /* -o destination, or NULL for in place */
	bool from_walk;             /* met in a directory: skip non-images, never follow links */
	bool is_stdin;
	enum scrub_status error;    /* found while expanding: reported in order, not processed */
	int error_errno;
	const char *error_text;     /* static reason for error, or NULL for strerror */
};

/* A temp file a killed scrub left, met in a walk and removed (or not: err). */
struct scrub_stale {
	char *path;
	long pid;                   /* the process that wrote it, no longer running */
	int err;                    /* 0: removed; else why unlink failed */
};

struct scrub_items {
	struct scrub_item *v;
	size_t n;
	size_t cap;
	struct scrub_stale *stale;
	size_t nstale;
	uint64_t bytes;             /* sizes of the regular files listed: for progress only */
};

struct scrub_walk_opts {
	bool recursive;
	const char *output_dir;     /* -o DIR or NULL */
	dev_t output_dev;           /* identity of DIR, so a walk never descends into it */
	ino_t output_ino;
	bool output_exists;
	bool remove_stale;          /* scrubbing: remove the stale temps walks meet */
};

/* Expands one argument (file, directory, "-") into items; SCRUB_E_NOMEM only. */
enum scrub_status scrub_walk_arg(const char *arg, const struct scrub_walk_opts *wo,
				 struct scrub_items *items);
void scrub_items_free(struct scrub_items *items);

#endif
