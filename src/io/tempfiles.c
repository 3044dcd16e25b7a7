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
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "io/tempfiles.h"

enum { SLOT_FREE, SLOT_CLAIMED, SLOT_ACTIVE };

#define SLOTS 1024

static struct {
	atomic_int state;
	char path[PATH_MAX];
} slots[SLOTS];

/* Atomic, not just sig_atomic_t: workers on other threads read it. */
static atomic_int interrupted;

/*
 * Creating a temp and the handler's sweep exclude each other: a creator
 * blocks the handled signals in its own thread, counts itself in
 * `creating`, then checks `stopping`; the handler (necessarily on another
 * thread, or after the creator unblocked) sets `stopping`, waits until no
 * thread is inside a creation, then sweeps. Without this, a worker could
 * create its file just after the sweep passed its slot and before the
 * process died, and leave it behind.
 */
static atomic_int stopping;
static atomic_int creating;
static _Thread_local sigset_t creating_saved_mask;

static void on_signal(int sig)
{
	atomic_store(&interrupted, 1);
	atomic_store(&stopping, 1);
	while (atomic_load(&creating) > 0)
		;
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

int scrub_temp_create_begin(void)
{
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, &creating_saved_mask);
	atomic_fetch_add(&creating, 1);
	if (atomic_load(&stopping)) {
		scrub_temp_create_end();
		return -1;
	}
	return 0;
}

void scrub_temp_create_end(void)
{
	atomic_fetch_sub(&creating, 1);
	pthread_sigmask(SIG_SETMASK, &creating_saved_mask, NULL);
}

bool scrub_temp_interrupted(void)
{
	return atomic_load(&interrupted) != 0;
}
