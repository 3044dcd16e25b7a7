#ifndef SCRUB_MSG_H
#define SCRUB_MSG_H

#include <stddef.h>

/*
 * Diagnostics. Only this module writes to stderr, always as one line:
 * "scrub: cannot read 'x.jpg': reason" (lowercase, no full stop).
 */
void scrub_msg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void scrub_msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes n bytes to stderr as they are (pre-rendered messages, progress). */
void scrub_msg_raw(const char *p, size_t n);

#endif
