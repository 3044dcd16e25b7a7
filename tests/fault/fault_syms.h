/*
 * The calls libscrub_fault.so wraps, with the family a sweep can name to
 * count several entry points as one ("@stat" covers stat, stat64, __xstat,
 * fstatat, statx, ...), and whether a short transfer makes sense for them.
 * glibc 2.33+ exports stat/fstat/lstat themselves; older binaries call the
 * __xstat forms, and fortified ones __open_2 and __read_chk, so all are here.
 */
#ifndef FAULT_SYMS_H
#define FAULT_SYMS_H

#include <stdbool.h>

#define FAULT_SYMBOLS \
	SYM(SYM_OPEN, "open", "@open", false) \
	SYM(SYM_OPEN64, "open64", "@open", false) \
	SYM(SYM_OPEN_2, "__open_2", "@open", false) \
	SYM(SYM_OPEN64_2, "__open64_2", "@open", false) \
	SYM(SYM_OPENAT, "openat", "@open", false) \
	SYM(SYM_OPENAT64, "openat64", "@open", false) \
	SYM(SYM_READ, "read", "@read", true) \
	SYM(SYM_READ_CHK, "__read_chk", "@read", true) \
	SYM(SYM_WRITE, "write", "@write", true) \
	SYM(SYM_WRITEV, "writev", "@write", true) \
	SYM(SYM_FSTAT, "fstat", "@stat", false) \
	SYM(SYM_FSTAT64, "fstat64", "@stat", false) \
	SYM(SYM_FXSTAT, "__fxstat", "@stat", false) \
	SYM(SYM_FXSTAT64, "__fxstat64", "@stat", false) \
	SYM(SYM_STAT, "stat", "@stat", false) \
	SYM(SYM_STAT64, "stat64", "@stat", false) \
	SYM(SYM_XSTAT, "__xstat", "@stat", false) \
	SYM(SYM_XSTAT64, "__xstat64", "@stat", false) \
	SYM(SYM_LSTAT, "lstat", "@stat", false) \
	SYM(SYM_LSTAT64, "lstat64", "@stat", false) \
	SYM(SYM_LXSTAT, "__lxstat", "@stat", false) \
	SYM(SYM_LXSTAT64, "__lxstat64", "@stat", false) \
	SYM(SYM_FSTATAT, "fstatat", "@stat", false) \
	SYM(SYM_FSTATAT64, "fstatat64", "@stat", false) \
	SYM(SYM_FXSTATAT, "__fxstatat", "@stat", false) \
	SYM(SYM_FXSTATAT64, "__fxstatat64", "@stat", false) \
	SYM(SYM_STATX, "statx", "@stat", false) \
	SYM(SYM_FDATASYNC, "fdatasync", "@sync", false) \
	SYM(SYM_FSYNC, "fsync", "@sync", false) \
	SYM(SYM_SYNCFS, "syncfs", "@sync", false) \
	SYM(SYM_FCHMOD, "fchmod", "@attr", false) \
	SYM(SYM_FCHOWN, "fchown", "@attr", false) \
	SYM(SYM_FUTIMENS, "futimens", "@attr", false) \
	SYM(SYM_UTIMENSAT, "utimensat", "@attr", false) \
	SYM(SYM_RENAME, "rename", "@rename", false) \
	SYM(SYM_RENAMEAT, "renameat", "@rename", false) \
	SYM(SYM_RENAMEAT2, "renameat2", "@rename", false) \
	SYM(SYM_UNLINK, "unlink", "@unlink", false) \
	SYM(SYM_UNLINKAT, "unlinkat", "@unlink", false) \
	SYM(SYM_CLOSE, "close", "@close", false) \
	SYM(SYM_MKDIR, "mkdir", "@mkdir", false) \
	SYM(SYM_MKDIRAT, "mkdirat", "@mkdir", false) \
	SYM(SYM_OPENDIR, "opendir", "@dir", false) \
	SYM(SYM_FDOPENDIR, "fdopendir", "@dir", false) \
	SYM(SYM_READDIR, "readdir", "@dir", false) \
	SYM(SYM_READDIR64, "readdir64", "@dir", false)

enum sym_id {
#define SYM(id, name, family, transfers) id,
	FAULT_SYMBOLS
#undef SYM
	SYM_COUNT
};

/* What a call acts on, for the log: a path, or else a descriptor (-1: neither). */
struct fault_subject {
	const char *path;
	int fd;
};

#define AT_PATH(p) ((struct fault_subject){ (p), -1 })
#define AT_FD(f) ((struct fault_subject){ NULL, (f) })

/* Counts one call; true when it is the one to fail (already logged). */
bool fault_here(enum sym_id id, struct fault_subject subject);
/* The next definition of the symbol (libc, or a sanitizer's interceptor). */
void *fault_real(enum sym_id id);
/* SCRUB_FAULT_SHORT: the failure is a short transfer, not an error. */
bool fault_shortens(void);
int fault_errno(void);

#endif
