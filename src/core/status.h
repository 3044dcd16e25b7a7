#ifndef SCRUB_STATUS_H
#define SCRUB_STATUS_H

/* Every fallible function in scrub returns one of these; 0 means success. */
enum scrub_status {
	SCRUB_OK = 0,
	SCRUB_E_TRUNCATED,   /* input ends inside a structure */
	SCRUB_E_MALFORMED,   /* input breaks the container's rules */
	SCRUB_E_NOT_IMAGE,   /* no backend recognises the content */
	SCRUB_E_CRC,         /* a checksum does not match */
	SCRUB_E_LIMIT,       /* a work or size budget was exceeded */
	SCRUB_E_NOMEM,
	SCRUB_E_IO,          /* see errno saved by the caller */
	SCRUB_E_HARDLINK,    /* refused: several names share the file */
	SCRUB_E_NOT_REGULAR, /* refused: not a regular file */
	SCRUB_E_SAME_FILE,   /* refused: output would overwrite the input */
	SCRUB_E_INTERRUPTED, /* a signal asked the run to stop */
	SCRUB_E_VERIFY,      /* decoded pixels differ between input and output */
	SCRUB_E_COUNT
};

/* Static English text for a status; never NULL. */
const char *scrub_strerror(enum scrub_status st);

#endif
