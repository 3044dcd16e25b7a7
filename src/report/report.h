#ifndef SCRUB_REPORT_H
#define SCRUB_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/bytes.h"
#include "engine/result.h"

struct scrub_report_style {
	enum scrub_mode mode;
	bool verbose;
	bool color;
};

/* Appends the human-readable report of one file to out. */
enum scrub_status scrub_report_text(struct scrub_buf *out, const struct scrub_result *r,
				    const struct scrub_report_style *style);
/* Appends one JSON Lines object (with trailing newline) to out. */
enum scrub_status scrub_report_json(struct scrub_buf *out, const struct scrub_result *r,
				    const struct scrub_report_style *style);
/* printf into a buffer. */
enum scrub_status scrub_buf_printf(struct scrub_buf *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
