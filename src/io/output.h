#ifndef SCRUB_OUTPUT_H
#define SCRUB_OUTPUT_H

#include <stdbool.h>
#include <sys/stat.h>

#include "core/plan.h"
#include "core/status.h"

struct scrub_write_opts {
	bool sync;           /* fdatasync before rename */
	bool swap;           /* --no-sync: exchange names, then unlink the old file */
	bool preserve_times; /* copy atime/mtime (ns) from the source */
};

/* A complete temp file waiting to be renamed over its target. */
struct scrub_pending {
	char *tmp;
	char *target;
	int slot;            /* temp-file registry slot */
	dev_t dev;           /* filesystem holding both names */
	bool swap;           /* from scrub_write_opts */
};

/*
 * Replaces target (or creates it, for -o) with the plan's bytes atomically:
 * exclusive temp file in the same directory (mode 0600), writev, fdatasync,
 * owner/group then mode from src_st, rename. On failure the target is
 * untouched, the temp is gone and errno is preserved.
 */
enum scrub_status scrub_out_replace(const char *target, const struct stat *src_st,
				    const struct scrub_plan *plan,
				    const struct scrub_write_opts *opts);
/*
 * The two halves of scrub_out_replace, so a batch can write many temp files,
 * make them durable with one syncfs per filesystem, then rename them all.
 * prepare writes the temp (fdatasync only if opts->sync) and fills pend;
 * commit renames it over the target; discard unlinks it. Both free pend.
 */
enum scrub_status scrub_out_prepare(const char *target, const struct stat *src_st,
				    const struct scrub_plan *plan,
				    const struct scrub_write_opts *opts, struct scrub_pending *pend);
enum scrub_status scrub_out_commit(struct scrub_pending *pend);
void scrub_out_discard(struct scrub_pending *pend);
/* Flushes the filesystem holding pend's temp file (syncfs). */
enum scrub_status scrub_out_sync_fs(const struct scrub_pending *pend);

/* mkdir -p of the folders above path (for -o copies); -1 with errno on failure. */
int scrub_out_make_parents(const char *path);
/* True when path exists and is the file st describes (an -o copy onto its input). */
bool scrub_out_is_same_file(const char *path, const struct stat *st);

/* Writes the plan to standard output, handling short writes. */
enum scrub_status scrub_out_stdout(const struct scrub_plan *plan);

/* Suffix marking scrub's temp files, so walks can skip them. */
#define SCRUB_TEMP_MARK ".scrub-tmp-"

#endif
