#ifndef SCRUB_STATUS_H
#define SCRUB_STATUS_H

#include <stddef.h>

/* enum scrub_status and scrub_strerror are part of the public API. */
#include "scrub.h"

/* strerror_r into buf, whichever variant libc has; returns buf. */
const char *scrub_errno_text(int err, char *buf, size_t n);

#endif
