#include "core/policy.h"

#include <string.h>

struct scrub_policy scrub_policy_default(void)
{
	return (struct scrub_policy){ .keep_orientation = true, .keep_icc = true };
}

/* Words of --keep; "none" clears both, so "--keep none" equals --strip-all. */
bool scrub_policy_parse(struct scrub_policy *pol, const char *list)
{
	struct scrub_policy p = { false, false };
	const char *s = list;
	while (*s) {
		size_t n = strcspn(s, ",");
		if (n == 11 && !strncmp(s, "orientation", n))
			p.keep_orientation = true;
		else if (n == 3 && !strncmp(s, "icc", n))
			p.keep_icc = true;
		else if (n == 3 && !strncmp(s, "all", n))
			p = scrub_policy_default();
		else if (!(n == 4 && !strncmp(s, "none", n)))
			return false;
		s += n;
		if (*s == ',')
			s++;
	}
	*pol = p;
	return true;
}
