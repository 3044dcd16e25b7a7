#ifndef SCRUB_VERIFY_H
#define SCRUB_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "formats/format.h"

/*
 * Decodes a and b with the backend's codec and compares the pixels.
 * SCRUB_OK when identical; SCRUB_E_VERIFY when they differ; another status
 * (with *why set) when a decode fails.
 */
enum scrub_status scrub_verify(const struct scrub_backend *be, const uint8_t *a, size_t na,
			       const uint8_t *b, size_t nb, const char **why);

#endif
