#include <stdio.h>

#include "cli/options.h"
#include "cli/run.h"

int main(int argc, char **argv)
{
	struct scrub_options opt;
	switch (scrub_options_parse(argc, argv, &opt)) {
	case SCRUB_PARSE_EXIT0:
		return fflush(stdout) == 0 ? SCRUB_EXIT_OK : SCRUB_EXIT_TROUBLE;
	case SCRUB_PARSE_USAGE:
		return SCRUB_EXIT_TROUBLE;
	case SCRUB_PARSE_RUN:
		break;
	}
	int rc = scrub_run(&opt);
	if (fflush(stdout) != 0)
		rc = SCRUB_EXIT_TROUBLE;
	return rc;
}
