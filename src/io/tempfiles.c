/*
 * Temp-file registry for signal cleanup.
 *
 *   FREE --register--> CLAIMED --path copied--> ACTIVE --release--> FREE
 *
 * The signal handler reads only ACTIVE slots, whose path is complete and
 * immutable, and does nothing but unlink(), re-install the default action
 * and re-raise, all async-signal-safe. A slot is registered before its file
 * is created and released after rename or unlink, so a signal at any point
 * leaves no temp file behind (unlinking a name that does not exist yet, or
 * no longer does, is harmless: names carry our pid and a counter).
 */
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "scrub/tempfiles.h"

enum { SLOT_FREE, SLOT_CLAIMED, SLOT_ACTIVE };

#define SLOTS 1024

static struct {
	atomic_int state;
	char path[PATH_MAX];
} slots[SLOTS];

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = 1;
	for (size_t i = 0; i < SLOTS; i++)
		if (atomic_load(&slots[i].state) == SLOT_ACTIVE)
			unlink(slots[i].path);
	signal(sig, SIG_DFL);
	raise(sig);
}

void scrub_temp_install_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

int scrub_temp_register(const char *path)
{
	size_t n = strlen(path);
	if (n >= PATH_MAX)
		return -1;
	for (int i = 0; i < SLOTS; i++) {
		int expect = SLOT_FREE;
		if (!atomic_compare_exchange_strong(&slots[i].state, &expect, SLOT_CLAIMED))
			continue;
		memcpy(slots[i].path, path, n + 1);
		atomic_store(&slots[i].state, SLOT_ACTIVE);
		return i;
	}
	return -1;
}

void scrub_temp_release(int slot)
{
	if (slot >= 0 && slot < SLOTS)
		atomic_store(&slots[slot].state, SLOT_FREE);
}

bool scrub_temp_interrupted(void)
{
	return interrupted != 0;
}
