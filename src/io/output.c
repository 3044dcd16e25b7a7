#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "io/output.h"
#include "io/tempfiles.h"

/* writev in IOV_MAX slices, resuming after short writes. */
static int write_iov(int fd, const struct iovec *iov, size_t n)
{
	size_t i = 0, done = 0; /* done: bytes of iov[i] already written */
	while (i < n) {
		if (iov[i].iov_len == done) {
			i++;
			done = 0;
			continue;
		}
		struct iovec v[64];
		v[0].iov_base = (char *)iov[i].iov_base + done;
		v[0].iov_len = iov[i].iov_len - done;
		size_t k = 1;
		for (; k < 64 && i + k < n; k++)
			v[k] = iov[i + k];
		ssize_t w = writev(fd, v, (int)k);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		size_t left = (size_t)w;
		while (i < n && left >= iov[i].iov_len - done) {
			left -= iov[i].iov_len - done;
			done = 0;
			i++;
		}
		done += left;
	}
	return 0;
}

enum scrub_status scrub_out_stdout(const struct scrub_plan *plan)
{
	return write_iov(STDOUT_FILENO, plan->iov, plan->n) == 0 ? SCRUB_OK : SCRUB_E_IO;
}

/* ".NAME.scrub-tmp-PID-N" beside target; NAME shortened to stay within NAME_MAX. */
static int temp_name(char *out, size_t size, const char *target)
{
	static atomic_uint counter;
	const char *slash = strrchr(target, '/');
	int dir_len = slash ? (int)(slash - target + 1) : 0;
	const char *base = slash ? slash + 1 : target;
	int n = snprintf(out, size, "%.*s.%.180s" SCRUB_TEMP_MARK "%ld-%u", dir_len, target, base,
			 (long)getpid(), atomic_fetch_add(&counter, 1));
	return n > 0 && (size_t)n < size ? 0 : -1;
}

/* A temp's bytes to disk: fdatasync skips the times; POSIX systems without it have fsync. */
static int flush_data(int fd)
{
#ifdef SCRUB_PORTABLE
	return fsync(fd);
#else
	return fdatasync(fd);
#endif
}

/* Past the decimal digits at p, or NULL when there are none. */
static const char *skip_digits(const char *p)
{
	const char *q = p;
	while (*q >= '0' && *q <= '9')
		q++;
	return q > p ? q : NULL;
}

long scrub_out_temp_pid(const char *name)
{
	const char *mark = NULL; /* the last one: NAME may hold the mark too */
	for (const char *p = strstr(name, SCRUB_TEMP_MARK); p; p = strstr(p + 1, SCRUB_TEMP_MARK))
		mark = p;
	if (name[0] != '.' || !mark || mark <= name + 1)
		return -1;
	const char *pid = mark + strlen(SCRUB_TEMP_MARK);
	const char *dash = skip_digits(pid);
	if (!dash || *dash != '-' || dash - pid > 9)
		return -1;
	const char *end = skip_digits(dash + 1);
	if (!end || *end != '\0')
		return -1;
	return strtol(pid, NULL, 10);
}

/*
 * Gives the temp (now cur's owner and group) the original's. Someone who may
 * not give a file away (EPERM) keeps at least the group when it is one of
 * theirs; what could not be kept stays in pend for a warning, not an error.
 */
static int copy_owner(int fd, const struct stat *src, const struct stat *cur,
		      struct scrub_pending *pend)
{
	pend->uid = cur->st_uid;
	pend->gid = cur->st_gid;
	pend->owner_err = 0;
	if (cur->st_uid == src->st_uid && cur->st_gid == src->st_gid)
		return 0;
	if (fchown(fd, src->st_uid, src->st_gid) == 0) {
		pend->uid = src->st_uid;
		pend->gid = src->st_gid;
		return 0;
	}
	if (errno != EPERM)
		return -1;
	pend->owner_err = errno;
	if (cur->st_gid == src->st_gid)
		return 0;
	if (fchown(fd, (uid_t)-1, src->st_gid) == 0)
		pend->gid = src->st_gid;
	else if (errno != EPERM)
		return -1;
	return 0;
}

/* Owner and group first (chown may clear set-id bits), then mode, then times. */
static int copy_attrs(int fd, const struct stat *src, const struct stat *cur,
		      const struct scrub_write_opts *opts, struct scrub_pending *pend)
{
	if (copy_owner(fd, src, cur, pend) != 0)
		return -1;
	if (fchmod(fd, src->st_mode & 07777) != 0)
		return -1;
	if (opts->preserve_times) {
		const struct timespec ts[2] = { src->st_atim, src->st_mtim };
		if (futimens(fd, ts) != 0)
			return -1;
	}
	return 0;
}

/*
 * Names, registers and creates pend's temp for target (exclusively, 0600);
 * the descriptor, or -1 with errno and nothing left behind.
 */
static int create_temp(const char *target, struct scrub_pending *pend)
{
	char tmp[PATH_MAX];
	memset(pend, 0, sizeof *pend);
	pend->slot = -1;
	if (temp_name(tmp, sizeof tmp, target) != 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	pend->tmp = strdup(tmp);
	pend->target = strdup(target);
	pend->slot = pend->tmp && pend->target ? scrub_temp_register(tmp) : -1;
	if (pend->slot < 0) {
		errno = pend->tmp && pend->target ? EMFILE : ENOMEM;
		scrub_out_discard(pend);
		return -1;
	}
	int fd = -1;
	errno = EINTR;
	if (scrub_temp_create_begin() == 0) {
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		int err = errno;
		scrub_temp_create_end();
		errno = err;
	}
	if (fd < 0) {
		/* Not ours to unlink: the name may be another file's (EEXIST). */
		int err = errno;
		scrub_temp_release(pend->slot);
		pend->slot = -1;
		scrub_out_discard(pend);
		errno = err;
	}
	return fd;
}

enum scrub_status scrub_out_prepare(const char *target, const struct stat *src_st,
				    const struct scrub_plan *plan,
				    const struct scrub_write_opts *opts, struct scrub_pending *pend)
{
	int fd = create_temp(target, pend);
	if (fd < 0)
		return errno == ENOMEM ? SCRUB_E_NOMEM : SCRUB_E_IO;
	struct stat st;
	int rc = write_iov(fd, plan->iov, plan->n);
	if (rc == 0 && opts->sync)
		rc = flush_data(fd);
	if (rc == 0)
		rc = fstat(fd, &st);
	if (rc == 0)
		rc = copy_attrs(fd, src_st, &st, opts, pend);
	int err = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		err = errno;
	}
	if (rc != 0) {
		scrub_out_discard(pend);
		errno = err;
		return SCRUB_E_IO;
	}
	pend->dev = st.st_dev;
	pend->swap = opts->swap;
	return SCRUB_OK;
}

static void pending_free(struct scrub_pending *pend)
{
	scrub_temp_release(pend->slot);
	free(pend->tmp);
	free(pend->target);
	memset(pend, 0, sizeof *pend);
	pend->slot = -1;
}

#ifdef SCRUB_PORTABLE
/* POSIX has no way to exchange two names: --no-sync renames like a durable run. */
static bool swap_names(struct scrub_pending *pend, int *rc)
{
	(void)pend;
	(void)rc;
	return false;
}
#else
/*
 * Without a sync, renaming over an existing file makes ext4 (auto_da_alloc)
 * allocate and start writing the new data inside rename(), which costs more
 * than the rest of a small file's scrub. Exchanging the two names is just as
 * atomic for the target and skips that; the old file, now under the temp
 * name (still registered for signal cleanup), is unlinked right after.
 * When that unlink fails, the names are exchanged back, so the original is
 * in place again and the temp holding the clean output can go: the file
 * fails as if never replaced, instead of leaving the original, metadata
 * and all, under a hidden name.
 * False when the exchange did not happen (no such target, or a filesystem
 * without RENAME_EXCHANGE): the caller renames as usual.
 */
static bool swap_names(struct scrub_pending *pend, int *rc)
{
	if (renameat2(AT_FDCWD, pend->tmp, AT_FDCWD, pend->target, RENAME_EXCHANGE) != 0)
		return false;
	*rc = 0;
	if (unlink(pend->tmp) == 0 || errno == ENOENT)
		return true;
	int err = errno;
	*rc = -1;
	if (renameat2(AT_FDCWD, pend->tmp, AT_FDCWD, pend->target, RENAME_EXCHANGE) == 0)
		unlink(pend->tmp);
	errno = err;
	return true;
}
#endif

enum scrub_status scrub_out_commit(struct scrub_pending *pend)
{
	int rc;
	if (!pend->swap || !swap_names(pend, &rc)) {
		rc = rename(pend->tmp, pend->target);
		if (rc != 0) {
			int err = errno;
			unlink(pend->tmp);
			errno = err;
		}
	}
	int err = errno;
	pending_free(pend);
	errno = err;
	return rc == 0 ? SCRUB_OK : SCRUB_E_IO;
}

void scrub_out_discard(struct scrub_pending *pend)
{
	int err = errno;
	if (pend->tmp && pend->slot >= 0)
		unlink(pend->tmp);
	pending_free(pend);
	errno = err;
}

enum scrub_status scrub_out_sync_fs(const struct scrub_pending *pend)
{
#ifdef SCRUB_PORTABLE
	(void)pend; /* SCRUB_SYNC_IN_GROUPS is 0: prepare flushed every temp itself */
	return SCRUB_OK;
#else
	int fd = open(pend->tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return SCRUB_E_IO;
	int rc = syncfs(fd);
	int err = errno;
	close(fd);
	errno = err;
	return rc == 0 ? SCRUB_OK : SCRUB_E_IO;
#endif
}

char *scrub_out_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	return strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

enum scrub_status scrub_out_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return SCRUB_E_IO;
	int rc = fsync(fd);
	int err = errno;
	close(fd);
	errno = err;
	return rc == 0 ? SCRUB_OK : SCRUB_E_IO;
}

int scrub_out_make_parents(const char *path)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

int scrub_out_same_file(const char *path, const struct stat *st)
{
	struct stat out_st;
	if (stat(path, &out_st) != 0)
		return errno == ENOENT ? 0 : -1;
	return out_st.st_dev == st->st_dev && out_st.st_ino == st->st_ino;
}
