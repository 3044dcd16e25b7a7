#ifndef SCRUB_POLICY_H
#define SCRUB_POLICY_H

#include <stdbool.h>

#include "core/status.h"

/* What survives a scrub beyond the image itself (SPEC.md section 2). */
struct scrub_policy {
	bool keep_orientation;
	bool keep_icc;
};

/* Default: orientation and ICC kept. */
struct scrub_policy scrub_policy_default(void);
/* Parses a --keep list ("orientation,icc", "none", "all"); false on a bad word. */
bool scrub_policy_parse(struct scrub_policy *pol, const char *list);

#endif
