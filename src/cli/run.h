#ifndef SCRUB_RUN_H
#define SCRUB_RUN_H

#include "cli/options.h"

/* Exit codes (SPEC.md section 3). */
enum scrub_exit {
	SCRUB_EXIT_OK = 0,
	SCRUB_EXIT_FOUND = 1,
	SCRUB_EXIT_TROUBLE = 2
};

/* Runs the whole command over opt->paths; returns the process exit code. */
int scrub_run(const struct scrub_options *opt);

#endif
