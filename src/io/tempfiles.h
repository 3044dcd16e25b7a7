#ifndef SCRUB_TEMPFILES_H
#define SCRUB_TEMPFILES_H

#include <stdbool.h>

/*
 * Registry of temp files in flight, so a fatal signal can unlink them.
 * Slot states: FREE -> CLAIMED (path being written) -> ACTIVE (file exists,
 * handler unlinks it) -> FREE. Only ACTIVE slots are touched by the handler,
 * and the path is complete before a slot becomes ACTIVE.
 */

/* Installs handlers for SIGINT, SIGTERM and SIGHUP. */
void scrub_temp_install_signals(void);
/* Claims a slot and copies path; returns a slot id or -1 when all are busy. */
int scrub_temp_register(const char *path);
/* Forgets a slot after the file was renamed or unlinked. */
void scrub_temp_release(int slot);
/*
 * Bracket the creation of a registered temp file: begin returns -1 (create
 * nothing) once a signal is being handled; otherwise the handler waits for
 * end before it sweeps, so no file is created behind its back.
 */
int scrub_temp_create_begin(void);
void scrub_temp_create_end(void);
/* True once SIGINT/SIGTERM/SIGHUP arrived (for workers to stop early). */
bool scrub_temp_interrupted(void);

#endif
