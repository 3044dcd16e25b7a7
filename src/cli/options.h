#ifndef SCRUB_OPTIONS_H
#define SCRUB_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/policy.h"
#include "report/report.h"

/* Everything the command line decides; read-only once parsing is done. */
struct scrub_options {
	enum scrub_mode mode;
	struct scrub_policy policy;
	bool json;
	bool to_stdout;        /* -c */
	bool recursive;
	bool sync;
	bool force;
	bool preserve_times;
	bool verify;
	bool quiet;
	bool verbose;
	bool null_sep;
	const char *output_dir;
	const char *files_from;
	unsigned jobs;         /* 0 = online CPUs */
	size_t stdin_limit;    /* bytes read from "-" at most */
	char **paths;
	size_t npaths;
};

enum scrub_parse {
	SCRUB_PARSE_RUN,   /* options valid: go on */
	SCRUB_PARSE_EXIT0, /* --help or --version printed */
	SCRUB_PARSE_USAGE  /* usage error printed: exit 2 */
};

enum scrub_parse scrub_options_parse(int argc, char **argv, struct scrub_options *opt);

#endif
