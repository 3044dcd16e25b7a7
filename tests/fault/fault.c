/*
 * libscrub_fault.so: an LD_PRELOAD shim that fails exactly one file-system
 * call of the process it is loaded into, for tests/fault/sweep.py. Never
 * installed.
 *
 * Environment:
 *   SCRUB_FAULT_LOG    file the shim appends its lines to (required for any output)
 *   SCRUB_FAULT_FUNCS  comma-separated symbol or family names to count
 *                      ("write", "stat", "open64", ...); unset: every wrapped call
 *   SCRUB_FAULT_NTH    fail the Nth counted call (1-based); unset or 0: only count
 *   SCRUB_FAULT_ERRNO  errno for the failure, by name (ENOSPC) or number; default EIO
 *   SCRUB_FAULT_SHORT  1: instead of an error, the Nth counted read/write/writev
 *                      transfers half of what was asked (only those calls count)
 *   SCRUB_FAULT_SIGNAL a signal number: at the Nth counted call, send it to the process
 *                      (9: SIGKILL, a crash at a chosen point) instead of failing
 *                      the call; a signal the process survives lets the call run
 *   SCRUB_FAULT_TRACE  1: also log every counted call
 *
 * Log lines, each written with one write(2) on an O_APPEND descriptor:
 *   call SEQ SYMBOL FD ACCESS SUBJECT         (trace only)
 *   fault SEQ SYMBOL ERRNO FD ACCESS SUBJECT  the call that was failed (ERRNO "short"
 *                                             for a short transfer)
 *   signal SEQ SYMBOL SIG FD ACCESS SUBJECT   the call at which the signal was sent
 *   count SYMBOL N                            at exit, every symbol called at least once
 *   total N                                   at exit, the number of counted calls
 * SUBJECT is the path the call names or the path behind its descriptor FD
 * (from /proc/self/fd), "-" when unknown; FD is -1 for calls that name a
 * path. ACCESS is how FD is open: r, w, rw, or - (no descriptor).
 *
 * A failed call does nothing and returns -1 (NULL) with errno set, except
 * close, which really closes the descriptor first, as Linux does when close
 * reports an error. Counting is atomic, so with several threads exactly one
 * call fails, whichever reaches the Nth position first.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fault_syms.h"

struct sym {
	const char *name;
	const char *family;
	bool transfers;         /* read/write/writev: can be shortened */
	atomic_ulong calls;
	void *_Atomic real;
};

static struct sym syms[SYM_COUNT] = {
#define SYM(id, name, family, transfers) [id] = { name, family, transfers, 0, NULL },
	FAULT_SYMBOLS
#undef SYM
};

static struct {
	bool ready;
	unsigned long nth;
	int err;
	bool shorten;
	bool trace;
	int signal;
	bool counts_all;
	bool selected[SYM_COUNT];
	char log[PATH_MAX];
} cfg;

static atomic_ulong counted;

struct errno_name {
	const char *name;
	int value;
};

static const struct errno_name errno_names[] = {
	{ "EIO", EIO }, { "ENOSPC", ENOSPC }, { "EACCES", EACCES }, { "EPERM", EPERM },
	{ "EMFILE", EMFILE }, { "ENFILE", ENFILE }, { "ENOMEM", ENOMEM }, { "EDQUOT", EDQUOT },
	{ "EROFS", EROFS }, { "EXDEV", EXDEV }, { "EBUSY", EBUSY }, { "EINTR", EINTR },
	{ "ENOENT", ENOENT }, { "EEXIST", EEXIST }, { "ENOTDIR", ENOTDIR }, { "EISDIR", EISDIR },
	{ "EFBIG", EFBIG }, { "EOVERFLOW", EOVERFLOW }, { "ELOOP", ELOOP }, { "ESTALE", ESTALE },
	{ "ENAMETOOLONG", ENAMETOOLONG }, { "EAGAIN", EAGAIN }, { "EBADF", EBADF },
	{ "EINVAL", EINVAL }, { "ENOTSUP", ENOTSUP }, { "ENOSYS", ENOSYS },
};

static int parse_errno(const char *s)
{
	if (!s || !*s)
		return EIO;
	for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++)
		if (!strcmp(s, errno_names[i].name))
			return errno_names[i].value;
	int v = atoi(s);
	return v > 0 ? v : EIO;
}

static const char *errno_label(int err, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++)
		if (errno_names[i].value == err)
			return errno_names[i].name;
	snprintf(buf, size, "%d", err);
	return buf;
}

/* Marks every symbol whose name or family is one of the comma-separated names. */
static void select_functions(const char *list)
{
	cfg.counts_all = !list || !*list;
	for (size_t i = 0; i < SYM_COUNT; i++) {
		bool in_list = cfg.counts_all;
		for (const char *p = list; p && *p && !in_list;) {
			size_t len = strcspn(p, ",");
			in_list = (strlen(syms[i].name) == len && !strncmp(p, syms[i].name, len)) ||
				  (strlen(syms[i].family) == len && !strncmp(p, syms[i].family, len));
			p += len + (p[len] == ',');
		}
		cfg.selected[i] = in_list && (!cfg.shorten || syms[i].transfers);
	}
}

/* Runs before main (and before any thread exists), so cfg is read-only afterwards. */
__attribute__((constructor)) static void fault_init(void)
{
	const char *log = getenv("SCRUB_FAULT_LOG");
	const char *nth = getenv("SCRUB_FAULT_NTH");
	const char *shorten = getenv("SCRUB_FAULT_SHORT");
	const char *trace = getenv("SCRUB_FAULT_TRACE");
	const char *sig = getenv("SCRUB_FAULT_SIGNAL");
	snprintf(cfg.log, sizeof cfg.log, "%s", log ? log : "");
	cfg.nth = nth ? strtoul(nth, NULL, 10) : 0;
	cfg.err = parse_errno(getenv("SCRUB_FAULT_ERRNO"));
	cfg.shorten = shorten && !strcmp(shorten, "1");
	cfg.trace = trace && !strcmp(trace, "1");
	cfg.signal = sig ? atoi(sig) : 0;
	select_functions(getenv("SCRUB_FAULT_FUNCS"));
	cfg.ready = true;
}

void *fault_real(enum sym_id id)
{
	void *fn = atomic_load(&syms[id].real);
	if (fn)
		return fn;
	fn = dlsym(RTLD_NEXT, syms[id].name);
	/* Pre-2.33 stat entry points are compat symbols, invisible to plain dlsym. */
	if (!fn)
		fn = dlvsym(RTLD_NEXT, syms[id].name, "GLIBC_2.2.5");
	if (fn)
		atomic_store(&syms[id].real, fn);
	return fn;
}

/* Appends one line to the log through the real open/write, uncounted. */
static void log_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void log_line(const char *fmt, ...)
{
	if (!cfg.log[0])
		return;
	char line[PATH_MAX + 128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	if ((size_t)n >= sizeof line)
		n = sizeof line - 1;
	int saved = errno;
	int (*real_open)(const char *, int, ...) = fault_real(SYM_OPEN);
	ssize_t (*real_write)(int, const void *, size_t) = fault_real(SYM_WRITE);
	int (*real_close)(int) = fault_real(SYM_CLOSE);
	int fd = real_open(cfg.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd >= 0) {
		(void)!real_write(fd, line, (size_t)n);
		real_close(fd);
	}
	errno = saved;
}

/* What a call acts on: its path, or the path behind its descriptor. */
static const char *subject_text(const struct fault_subject *s, char *buf, size_t size)
{
	if (s->path)
		return s->path;
	if (s->fd < 0)
		return "-";
	char link[64];
	snprintf(link, sizeof link, "/proc/self/fd/%d", s->fd);
	ssize_t n = readlink(link, buf, size - 1);
	if (n <= 0)
		return "-";
	buf[n] = '\0';
	return buf;
}

static const char *access_text(int fd)
{
	int flags = fd >= 0 ? fcntl(fd, F_GETFL) : -1;
	if (flags < 0)
		return "-";
	int acc = flags & O_ACCMODE;
	return acc == O_RDONLY ? "r" : acc == O_WRONLY ? "w" : "rw";
}

/* Newlines in a subject would split a log line; the sweep never uses them. */
static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n')
			*s = '?';
}

bool fault_here(enum sym_id id, struct fault_subject subject)
{
	if (!cfg.ready)
		return false;
	atomic_fetch_add(&syms[id].calls, 1);
	if (!cfg.selected[id])
		return false;
	unsigned long seq = atomic_fetch_add(&counted, 1) + 1;
	bool hit = seq == cfg.nth;
	if (!hit && !cfg.trace)
		return false;
	char buf[PATH_MAX], path[PATH_MAX], ebuf[16];
	snprintf(path, sizeof path, "%s", subject_text(&subject, buf, sizeof buf));
	one_line(path);
	const char *acc = access_text(subject.fd);
	if (cfg.trace)
		log_line("call %lu %s %d %s %s\n", seq, syms[id].name, subject.fd, acc, path);
	if (hit && cfg.signal > 0) {
		log_line("signal %lu %s %d %d %s %s\n", seq, syms[id].name, cfg.signal, subject.fd,
			 acc, path);
		kill(getpid(), cfg.signal);
		return false;
	}
	if (hit)
		log_line("fault %lu %s %s %d %s %s\n", seq, syms[id].name,
			 cfg.shorten ? "short" : errno_label(cfg.err, ebuf, sizeof ebuf), subject.fd,
			 acc, path);
	return hit;
}

bool fault_shortens(void)
{
	return cfg.shorten;
}

int fault_errno(void)
{
	return cfg.err;
}

__attribute__((destructor)) static void fault_report(void)
{
	for (size_t i = 0; i < SYM_COUNT; i++) {
		unsigned long n = atomic_load(&syms[i].calls);
		if (n)
			log_line("count %s %lu\n", syms[i].name, n);
	}
	log_line("total %lu\n", atomic_load(&counted));
}
