/* One option table feeds getopt_long, --help and (through a test) the man page. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/msg.h"
#include "cli/options.h"
#include "formats/format.h"

enum opt_id {
	OPT_KEEP = 256,
	OPT_STRIP_ALL,
	OPT_CHECK,
	OPT_JSON,
	OPT_NO_SYNC,
	OPT_VERIFY,
	OPT_FORCE,
	OPT_FILES_FROM,
	OPT_STDIN_LIMIT,
};

struct opt_def {
	const char *name;
	int val;   /* short letter or enum opt_id */
	int has_arg;
	const char *arg;
	const char *help;
};

static const struct opt_def table[] = {
	{ "recursive", 'r', no_argument, NULL, "walk directories (symbolic links are not followed)" },
	{ "report", 'n', no_argument, NULL, "audit only: show what each file holds; change nothing" },
	{ "check", OPT_CHECK, no_argument, NULL, "audit only: list files holding removable metadata" },
	{ "json", OPT_JSON, no_argument, NULL, "one JSON object per file on stdout (JSON Lines)" },
	{ "output", 'o', required_argument, "DIR", "write cleaned copies under DIR; originals untouched" },
	{ "stdout", 'c', no_argument, NULL, "write the cleaned image to stdout (one input)" },
	{ "files-from", OPT_FILES_FROM, required_argument, "FILE", "read paths from FILE (- for stdin), one per line" },
	{ "null", '0', no_argument, NULL, "with --files-from: paths are NUL-separated" },
	{ "keep", OPT_KEEP, required_argument, "LIST", "keep these beyond the image: orientation,icc or none" },
	{ "strip-all", OPT_STRIP_ALL, no_argument, NULL, "same as --keep none" },
	{ "jobs", 'j', required_argument, "N", "files processed in parallel (default: online CPUs)" },
	{ "verify", OPT_VERIFY, no_argument, NULL, "decode input and output and compare pixels first" },
	{ "no-sync", OPT_NO_SYNC, no_argument, NULL, "skip fdatasync before replacing (less crash-safe)" },
	{ "force", OPT_FORCE, no_argument, NULL, "replace files that have several hard links" },
	{ "preserve-times", 'p', no_argument, NULL, "keep access and modification times" },
	{ "stdin-limit", OPT_STDIN_LIMIT, required_argument, "MB", "largest image read from stdin (default 256)" },
	{ "quiet", 'q', no_argument, NULL, "print errors only" },
	{ "verbose", 'v', no_argument, NULL, "one line per file; with --report, every segment and tag" },
	{ "help", 'h', no_argument, NULL, "show this help and exit" },
	{ "version", 'V', no_argument, NULL, "show the version and exit" },
};

#define NOPTS (sizeof table / sizeof table[0])

/* --help, generated from the option table. */
static void print_help(FILE *fp)
{
	char formats[128];
	scrub_format_list(formats, sizeof formats, " and ");
	fprintf(fp, "Usage: scrub [OPTION]... [--] PATH...\n"
		    "       scrub [OPTION]... -      (stdin to stdout)\n"
		    "Remove location, camera, owner and other metadata from images without\n"
		    "touching a pixel. Files are replaced atomically.\n"
		    "Formats: %s.\n\n", formats);
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt_def *o = &table[i];
		char left[40];
		char shortname[5] = "    ";
		if (o->val < 256)
			snprintf(shortname, sizeof shortname, "-%c, ", o->val);
		snprintf(left, sizeof left, "%s--%s%s%s", shortname, o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
		fprintf(fp, "  %-26s %s\n", left, o->help);
	}
	fprintf(fp, "\nImages and videos it cannot clean (TIFF and raw, PSD, BMP, SVG, MP4, MOV...)\n"
		    "are named, never passed over: trouble when scrubbing, a finding when auditing.\n"
		    "Exit status: 0 done (or nothing to remove), 1 metadata found (--report,\n"
		    "--check), 2 trouble. See scrub(1).\n");
}

/* Overflow-checked decimal in [lo, hi]. */
static bool parse_number(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;
	errno = 0;
	if (*s < '0' || *s > '9')
		return false;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static enum scrub_parse usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static enum scrub_parse usage(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	scrub_msg_error("%s (see scrub --help)", line);
	return SCRUB_PARSE_USAGE;
}

static enum scrub_parse apply(struct scrub_options *opt, int c, const char *arg)
{
	unsigned long v;
	switch (c) {
	case 'r': opt->recursive = true; break;
	case 'n': opt->mode = SCRUB_MODE_REPORT; break;
	case OPT_CHECK: opt->mode = SCRUB_MODE_CHECK; break;
	case OPT_JSON: opt->json = true; break;
	case 'o': opt->output_dir = arg; break;
	case 'c': opt->to_stdout = true; break;
	case OPT_FILES_FROM: opt->files_from = arg; break;
	case '0': opt->null_sep = true; break;
	case OPT_KEEP:
		if (!scrub_policy_parse(&opt->policy, arg))
			return usage("invalid --keep list '%s': use orientation, icc or none", arg);
		break;
	case OPT_STRIP_ALL: opt->policy = (struct scrub_policy){ false, false }; break;
	case 'j':
		if (!parse_number(arg, 1, 1024, &v))
			return usage("invalid --jobs '%s': expected 1 to 1024", arg);
		opt->jobs = (unsigned)v;
		break;
	case OPT_VERIFY: opt->verify = true; break;
	case OPT_NO_SYNC: opt->sync = false; break;
	case OPT_FORCE: opt->force = true; break;
	case 'p': opt->preserve_times = true; break;
	case OPT_STDIN_LIMIT:
		if (!parse_number(arg, 1, SIZE_MAX >> 21, &v))
			return usage("invalid --stdin-limit '%s': expected megabytes", arg);
		opt->stdin_limit = (size_t)v << 20;
		break;
	case 'q': opt->quiet = true; opt->verbose = false; break;
	case 'v': opt->verbose = true; opt->quiet = false; break;
	case 'h': print_help(stdout); return SCRUB_PARSE_EXIT0;
	case 'V': printf("scrub %s\n", SCRUB_VERSION); return SCRUB_PARSE_EXIT0;
	default: return SCRUB_PARSE_USAGE;
	}
	return SCRUB_PARSE_RUN;
}

static enum scrub_parse check_combination(const struct scrub_options *opt)
{
	if (!opt->npaths && !opt->files_from)
		return usage("%s", "no input files");
	if (opt->to_stdout && opt->output_dir)
		return usage("%s", "-c and -o exclude each other");
	if (opt->to_stdout && (opt->npaths != 1 || opt->files_from || opt->recursive))
		return usage("%s", "-c takes exactly one input file");
	for (size_t i = 0; i < opt->npaths && opt->output_dir; i++)
		if (!strcmp(opt->paths[i], "-"))
			return usage("%s", "-o does not apply to '-' (stdin goes to stdout)");
	if (opt->null_sep && !opt->files_from)
		return usage("%s", "-0 only applies to --files-from");
	if (opt->mode != SCRUB_MODE_SCRUB && (opt->to_stdout || opt->output_dir))
		return usage("%s", "--report and --check change nothing: -c and -o do not apply");
	return SCRUB_PARSE_RUN;
}

enum scrub_parse scrub_options_parse(int argc, char **argv, struct scrub_options *opt)
{
	*opt = (struct scrub_options){ .mode = SCRUB_MODE_SCRUB, .policy = scrub_policy_default(),
				       .sync = true, .stdin_limit = (size_t)256 << 20 };
	struct option longopts[NOPTS + 1];
	char shortopts[2 * NOPTS + 2];
	size_t ns = 0;
	shortopts[ns++] = ':'; /* report missing arguments as ':' so we word the message */
	for (size_t i = 0; i < NOPTS; i++) {
		longopts[i] = (struct option){ table[i].name, table[i].has_arg, NULL, table[i].val };
		if (table[i].val < 256) {
			shortopts[ns++] = (char)table[i].val;
			if (table[i].has_arg)
				shortopts[ns++] = ':';
		}
	}
	longopts[NOPTS] = (struct option){ 0 };
	shortopts[ns] = '\0';
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			char name[3] = { '-', (char)optopt, '\0' };
			const char *what = optopt > 0 && optopt < 256 ? name : argv[optind - 1];
			return usage(c == '?' ? "unknown option '%s'" : "option '%s' needs an argument",
				     what);
		}
		enum scrub_parse p = apply(opt, c, optarg);
		if (p != SCRUB_PARSE_RUN)
			return p;
	}
	opt->paths = argv + optind;
	opt->npaths = (size_t)(argc - optind);
	return check_combination(opt);
}
