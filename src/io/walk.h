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
	uint64_t size;              /* of a regular file when listed: for progress only */
	enum scrub_status error;    /* found while expanding: reported in order, not processed */
	int error_errno;
	const char *error_text;     /* static reason for error, or NULL for strerror */
};

/*
 * A walk hands over each item as it meets it, one directory at a time, so
 * memory stays that of the deepest path of directories, not of the tree.
 */
struct scrub_walk {
	bool recursive;
	const char *output_dir;     /* -o DIR or NULL */
	bool output_known;          /* DIR exists with this identity: never descended into */
	dev_t output_dev;
	ino_t output_ino;
	bool remove_stale;          /* scrubbing: remove the stale temps walks meet */
	/* Takes each item, in order, owning its strings from then on; an error stops the walk. */
	enum scrub_status (*item)(void *ctx, struct scrub_item *it);
	/* A temp a killed scrub left, removed (err 0) or not (err says why). */
	void (*stale)(void *ctx, const char *path, long pid, int err);
	void *ctx;
};

/* Expands one argument (file, directory, "-"); returns the first error item() gave, or SCRUB_E_NOMEM. */
enum scrub_status scrub_walk_arg(struct scrub_walk *w, const char *arg);
void scrub_item_free(struct scrub_item *it);

#endif
