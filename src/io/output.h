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
	uid_t uid;           /* the temp's owner and group: the original's where permitted */
	gid_t gid;
	int owner_err;       /* why the original's owner could not be given (EPERM), or 0 */
};

/*
 * Replacing target (or creating it, for -o) atomically, in two halves, so a
 * batch can write many temp files, make them durable with one syncfs per
 * filesystem, then rename them all. prepare writes an exclusive temp file in
 * the same directory (mode 0600): writev, fdatasync if opts->sync, owner and
 * group then mode (and times) from src_st; commit renames it over the
 * target; discard unlinks it. Both free pend. On failure the target is
 * untouched, the temp is gone and errno is preserved.
 */
enum scrub_status scrub_out_prepare(const char *target, const struct stat *src_st,
				    const struct scrub_plan *plan,
				    const struct scrub_write_opts *opts, struct scrub_pending *pend);
enum scrub_status scrub_out_commit(struct scrub_pending *pend);
void scrub_out_discard(struct scrub_pending *pend);
/*
 * Whether a batch makes its temps durable a group at a time, with one
 * syncfs per file system (Linux). Without syncfs (SCRUB_PORTABLE), prepare
 * must flush each temp itself (opts->sync) and scrub_out_sync_fs does
 * nothing; the renames still wait for their group.
 */
#ifdef SCRUB_PORTABLE
#define SCRUB_SYNC_IN_GROUPS 0
#else
#define SCRUB_SYNC_IN_GROUPS 1
#endif
/* Flushes the filesystem holding pend's temp file (syncfs). */
enum scrub_status scrub_out_sync_fs(const struct scrub_pending *pend);

/* The folder holding path ("." for a bare name), malloc'd; NULL when out of memory. */
char *scrub_out_dir_of(const char *path);
/*
 * fsync of a folder: after a rename into it, what makes the new name (and
 * not the original, metadata and all) survive a power loss.
 */
enum scrub_status scrub_out_sync_dir(const char *dir);

/* mkdir -p of the folders above path (for -o copies); -1 with errno on failure. */
int scrub_out_make_parents(const char *path);
/*
 * 1 when path exists and is the file st describes (an -o copy onto its
 * input), 0 when it does not exist or is another file, -1 with errno when
 * stat cannot tell: writing then could replace the input itself.
 */
int scrub_out_same_file(const char *path, const struct stat *st);

/* Writes the plan to standard output, handling short writes. */
enum scrub_status scrub_out_stdout(const struct scrub_plan *plan);

/* Suffix marking scrub's temp files, so walks can skip them. */
#define SCRUB_TEMP_MARK ".scrub-tmp-"
/*
 * The process id in a file name that is exactly one of scrub's temp names,
 * ".NAME.scrub-tmp-PID-N" (NAME not empty, PID and N decimal); -1 otherwise.
 */
long scrub_out_temp_pid(const char *name);

#endif
