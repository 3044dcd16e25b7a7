/*
 * The wrapped entry points of libscrub_fault.so (see fault.c). Each counts
 * itself through fault_here and, when it is the call to fail, returns the
 * error without doing anything; otherwise it calls the next definition.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fault_syms.h"

#define FAIL_WITH(ret) \
	do { \
		errno = fault_errno(); \
		return ret; \
	} while (0)

/* A call whose failure is "-1 and errno": int NAME PARAMS, forwarding ARGS. */
#define WRAP_INT(id, name, params, args, subject) \
	int name params; \
	int name params \
	{ \
		if (fault_here(id, subject)) \
			FAIL_WITH(-1); \
		int (*real) params = fault_real(id); \
		if (!real) \
			FAIL_WITH(-1); \
		return real args; \
	}

/* The mode argument exists only when the flags create a file. */
#define OPEN_MODE(flags, mode) \
	do { \
		if ((flags) & (O_CREAT | O_TMPFILE)) { \
			va_list ap; \
			va_start(ap, flags); \
			mode = va_arg(ap, mode_t); \
			va_end(ap); \
		} \
	} while (0)

static int open_through(enum sym_id id, const char *path, int flags, mode_t mode)
{
	if (fault_here(id, AT_PATH(path)))
		FAIL_WITH(-1);
	int (*real)(const char *, int, ...) = fault_real(id);
	if (!real)
		FAIL_WITH(-1);
	return real(path, flags, mode);
}

static int openat_through(enum sym_id id, int dirfd, const char *path, int flags, mode_t mode)
{
	if (fault_here(id, AT_PATH(path)))
		FAIL_WITH(-1);
	int (*real)(int, const char *, int, ...) = fault_real(id);
	if (!real)
		FAIL_WITH(-1);
	return real(dirfd, path, flags, mode);
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	OPEN_MODE(flags, mode);
	return open_through(SYM_OPEN, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	OPEN_MODE(flags, mode);
	return open_through(SYM_OPEN64, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	OPEN_MODE(flags, mode);
	return openat_through(SYM_OPENAT, dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	OPEN_MODE(flags, mode);
	return openat_through(SYM_OPENAT64, dirfd, path, flags, mode);
}

WRAP_INT(SYM_OPEN_2, __open_2, (const char *path, int flags), (path, flags), AT_PATH(path))
WRAP_INT(SYM_OPEN64_2, __open64_2, (const char *path, int flags), (path, flags), AT_PATH(path))

/* How many bytes a shortened transfer of n moves: half, at least one. */
static size_t shortened(size_t n)
{
	return n > 1 ? n / 2 : n;
}

ssize_t read(int fd, void *buf, size_t n)
{
	ssize_t (*real)(int, void *, size_t) = fault_real(SYM_READ);
	if (fault_here(SYM_READ, AT_FD(fd))) {
		if (!fault_shortens())
			FAIL_WITH(-1);
		n = shortened(n);
	}
	return real(fd, buf, n);
}

ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen);
ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	ssize_t (*real)(int, void *, size_t, size_t) = fault_real(SYM_READ_CHK);
	if (fault_here(SYM_READ_CHK, AT_FD(fd))) {
		if (!fault_shortens())
			FAIL_WITH(-1);
		n = shortened(n);
	}
	return real(fd, buf, n, buflen);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	ssize_t (*real)(int, const void *, size_t) = fault_real(SYM_WRITE);
	if (fault_here(SYM_WRITE, AT_FD(fd))) {
		if (!fault_shortens())
			FAIL_WITH(-1);
		n = shortened(n);
	}
	return real(fd, buf, n);
}

/* Copies the first half of the bytes iov describes into out (at most cap entries). */
static int shorten_iov(const struct iovec *iov, int cnt, struct iovec *out, int cap)
{
	size_t total = 0;
	for (int i = 0; i < cnt; i++)
		total += iov[i].iov_len;
	size_t want = shortened(total);
	int k = 0;
	for (; k < cnt && k < cap && want > 0; k++) {
		out[k] = iov[k];
		if (out[k].iov_len > want)
			out[k].iov_len = want;
		want -= out[k].iov_len;
	}
	return k;
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	ssize_t (*real)(int, const struct iovec *, int) = fault_real(SYM_WRITEV);
	if (fault_here(SYM_WRITEV, AT_FD(fd))) {
		if (!fault_shortens())
			FAIL_WITH(-1);
		struct iovec part[1024];
		int k = shorten_iov(iov, cnt, part, 1024);
		return real(fd, part, k);
	}
	return real(fd, iov, cnt);
}

WRAP_INT(SYM_FSTAT, fstat, (int fd, struct stat *st), (fd, st), AT_FD(fd))
WRAP_INT(SYM_FSTAT64, fstat64, (int fd, struct stat64 *st), (fd, st), AT_FD(fd))
WRAP_INT(SYM_FXSTAT, __fxstat, (int ver, int fd, struct stat *st), (ver, fd, st), AT_FD(fd))
WRAP_INT(SYM_FXSTAT64, __fxstat64, (int ver, int fd, struct stat64 *st), (ver, fd, st), AT_FD(fd))
WRAP_INT(SYM_STAT, stat, (const char *path, struct stat *st), (path, st), AT_PATH(path))
WRAP_INT(SYM_STAT64, stat64, (const char *path, struct stat64 *st), (path, st), AT_PATH(path))
WRAP_INT(SYM_XSTAT, __xstat, (int ver, const char *path, struct stat *st), (ver, path, st),
	 AT_PATH(path))
WRAP_INT(SYM_XSTAT64, __xstat64, (int ver, const char *path, struct stat64 *st),
	 (ver, path, st), AT_PATH(path))
WRAP_INT(SYM_LSTAT, lstat, (const char *path, struct stat *st), (path, st), AT_PATH(path))
WRAP_INT(SYM_LSTAT64, lstat64, (const char *path, struct stat64 *st), (path, st), AT_PATH(path))
WRAP_INT(SYM_LXSTAT, __lxstat, (int ver, const char *path, struct stat *st), (ver, path, st),
	 AT_PATH(path))
WRAP_INT(SYM_LXSTAT64, __lxstat64, (int ver, const char *path, struct stat64 *st),
	 (ver, path, st), AT_PATH(path))
WRAP_INT(SYM_FSTATAT, fstatat, (int dirfd, const char *path, struct stat *st, int flags),
	 (dirfd, path, st, flags), AT_PATH(path))
WRAP_INT(SYM_FSTATAT64, fstatat64, (int dirfd, const char *path, struct stat64 *st, int flags),
	 (dirfd, path, st, flags), AT_PATH(path))
WRAP_INT(SYM_FXSTATAT, __fxstatat, (int ver, int dirfd, const char *path, struct stat *st, int flags),
	 (ver, dirfd, path, st, flags), AT_PATH(path))
WRAP_INT(SYM_FXSTATAT64, __fxstatat64,
	 (int ver, int dirfd, const char *path, struct stat64 *st, int flags),
	 (ver, dirfd, path, st, flags), AT_PATH(path))
WRAP_INT(SYM_STATX, statx,
	 (int dirfd, const char *path, int flags, unsigned int mask, struct statx *st),
	 (dirfd, path, flags, mask, st), AT_PATH(path))

WRAP_INT(SYM_FDATASYNC, fdatasync, (int fd), (fd), AT_FD(fd))
WRAP_INT(SYM_FSYNC, fsync, (int fd), (fd), AT_FD(fd))
WRAP_INT(SYM_SYNCFS, syncfs, (int fd), (fd), AT_FD(fd))
WRAP_INT(SYM_FCHMOD, fchmod, (int fd, mode_t mode), (fd, mode), AT_FD(fd))
WRAP_INT(SYM_FCHOWN, fchown, (int fd, uid_t uid, gid_t gid), (fd, uid, gid), AT_FD(fd))
WRAP_INT(SYM_FUTIMENS, futimens, (int fd, const struct timespec ts[2]), (fd, ts), AT_FD(fd))
WRAP_INT(SYM_UTIMENSAT, utimensat,
	 (int dirfd, const char *path, const struct timespec ts[2], int flags),
	 (dirfd, path, ts, flags), AT_PATH(path))

WRAP_INT(SYM_RENAME, rename, (const char *from, const char *to), (from, to), AT_PATH(to))
WRAP_INT(SYM_RENAMEAT, renameat, (int fromfd, const char *from, int tofd, const char *to),
	 (fromfd, from, tofd, to), AT_PATH(to))
WRAP_INT(SYM_RENAMEAT2, renameat2,
	 (int fromfd, const char *from, int tofd, const char *to, unsigned int flags),
	 (fromfd, from, tofd, to, flags), AT_PATH(to))
WRAP_INT(SYM_UNLINK, unlink, (const char *path), (path), AT_PATH(path))
WRAP_INT(SYM_UNLINKAT, unlinkat, (int dirfd, const char *path, int flags), (dirfd, path, flags),
	 AT_PATH(path))
WRAP_INT(SYM_MKDIR, mkdir, (const char *path, mode_t mode), (path, mode), AT_PATH(path))
WRAP_INT(SYM_MKDIRAT, mkdirat, (int dirfd, const char *path, mode_t mode), (dirfd, path, mode),
	 AT_PATH(path))

/* Linux closes the descriptor even when close reports an error: so does this. */
int close(int fd)
{
	int (*real)(int) = fault_real(SYM_CLOSE);
	if (fault_here(SYM_CLOSE, AT_FD(fd))) {
		real(fd);
		FAIL_WITH(-1);
	}
	return real(fd);
}

DIR *opendir(const char *path)
{
	if (fault_here(SYM_OPENDIR, AT_PATH(path)))
		FAIL_WITH(NULL);
	DIR *(*real)(const char *) = fault_real(SYM_OPENDIR);
	return real(path);
}

DIR *fdopendir(int fd)
{
	if (fault_here(SYM_FDOPENDIR, AT_FD(fd)))
		FAIL_WITH(NULL);
	DIR *(*real)(int) = fault_real(SYM_FDOPENDIR);
	return real(fd);
}

struct dirent *readdir(DIR *d)
{
	if (fault_here(SYM_READDIR, AT_FD(dirfd(d))))
		FAIL_WITH(NULL);
	struct dirent *(*real)(DIR *) = fault_real(SYM_READDIR);
	return real(d);
}

struct dirent64 *readdir64(DIR *d)
{
	if (fault_here(SYM_READDIR64, AT_FD(dirfd(d))))
		FAIL_WITH(NULL);
	struct dirent64 *(*real)(DIR *) = fault_real(SYM_READDIR64);
	return real(d);
}
