#include <stdio.h>
#include <string.h>

#include "core/status.h"

static const char *const messages[SCRUB_E_COUNT] = {
	[SCRUB_OK] = "success",
	[SCRUB_E_TRUNCATED] = "file is truncated",
	[SCRUB_E_MALFORMED] = "file is malformed",
	[SCRUB_E_NOT_IMAGE] = "not an image of a format scrub cleans",
	[SCRUB_E_CRC] = "checksum mismatch",
	[SCRUB_E_LIMIT] = "file exceeds a processing limit",
	[SCRUB_E_NOMEM] = "out of memory",
	[SCRUB_E_IO] = "input/output error",
	[SCRUB_E_HARDLINK] = "file has several hard links",
	[SCRUB_E_NOT_REGULAR] = "not a regular file",
	[SCRUB_E_SAME_FILE] = "output would overwrite the input",
	[SCRUB_E_VERIFY] = "decoded pixels differ after scrubbing",
	[SCRUB_E_UNSUPPORTED] = "cannot be cleaned: its metadata stays",
};

const char *scrub_strerror(enum scrub_status st)
{
	if ((unsigned)st >= SCRUB_E_COUNT || !messages[st])
		return "unknown error";
	return messages[st];
}

const char *scrub_errno_text(int err, char *buf, size_t n)
{
#ifdef SCRUB_PORTABLE
	/* POSIX strerror_r fills buf and returns 0, or an error number. */
	if (strerror_r(err, buf, n) != 0)
		snprintf(buf, n, "error %d", err);
#else
	/* GNU strerror_r may return a static string instead of filling buf. */
	const char *s = strerror_r(err, buf, n);
	if (s != buf)
		snprintf(buf, n, "%s", s);
#endif
	return buf;
}
