#ifndef SCRUB_OUTPUT_H
#define SCRUB_OUTPUT_H

#include <stdbool.h>
#include <sys/stat.h>

#include "scrub/plan.h"
#include "scrub/status.h"

struct scrub_write_opts {
	bool sync;           /* fdatasync before rename */
	bool preserve_times; /* copy atime/mtime (ns) from the source */
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
/* Writes the plan to fd (stdout), handling short writes. */
enum scrub_status scrub_out_fd(int fd, const struct scrub_plan *plan);

/* Suffix marking scrub's temp files, so walks can skip them. */
#define SCRUB_TEMP_MARK ".scrub-tmp-"

#endif
