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

/* Owner and group first (chown may clear set-id bits), then mode, then times. */
static int copy_attrs(int fd, const struct stat *st, const struct scrub_write_opts *opts)
{
	if ((st->st_uid != geteuid() || st->st_gid != getegid()) &&
	    fchown(fd, st->st_uid, st->st_gid) != 0 && errno != EPERM)
		return -1;
	if (fchmod(fd, st->st_mode & 07777) != 0)
		return -1;
	if (opts->preserve_times) {
		const struct timespec ts[2] = { st->st_atim, st->st_mtim };
		if (futimens(fd, ts) != 0)
			return -1;
	}
	return 0;
}

enum scrub_status scrub_out_prepare(const char *target, const struct stat *src_st,
				    const struct scrub_plan *plan,
				    const struct scrub_write_opts *opts, struct scrub_pending *pend)
{
	char tmp[PATH_MAX];
	memset(pend, 0, sizeof *pend);
	pend->slot = -1;
	if (temp_name(tmp, sizeof tmp, target) != 0) {
		errno = ENAMETOOLONG;
		return SCRUB_E_IO;
	}
	pend->tmp = strdup(tmp);
	pend->target = strdup(target);
	if (!pend->tmp || !pend->target) {
		scrub_out_discard(pend);
		errno = ENOMEM;
		return SCRUB_E_NOMEM;
	}
	pend->slot = scrub_temp_register(tmp);
	if (pend->slot < 0) {
		scrub_out_discard(pend);
		errno = EMFILE;
		return SCRUB_E_IO;
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
		int err = errno;
		scrub_temp_release(pend->slot);
		pend->slot = -1;
		scrub_out_discard(pend);
		errno = err;
		return SCRUB_E_IO;
	}
	struct stat st;
	int rc = write_iov(fd, plan->iov, plan->n);
	if (rc == 0 && opts->sync)
		rc = fdatasync(fd);
	if (rc == 0)
		rc = copy_attrs(fd, src_st, opts);
	if (rc == 0)
		rc = fstat(fd, &st);
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

/*
 * Without a sync, renaming over an existing file makes ext4 (auto_da_alloc)
 * allocate and start writing the new data inside rename(), which costs more
 * than the rest of a small file's scrub. Exchanging the two names is just as
 * atomic for the target and skips that; the old file, now under the temp
 * name (still registered for signal cleanup), is unlinked right after.
 * False when the exchange did not happen (no such target, or a filesystem
 * without RENAME_EXCHANGE): the caller renames as usual.
 */
static bool swap_names(struct scrub_pending *pend, int *rc)
{
	if (renameat2(AT_FDCWD, pend->tmp, AT_FDCWD, pend->target, RENAME_EXCHANGE) != 0)
		return false;
	*rc = unlink(pend->tmp) == 0 || errno == ENOENT ? 0 : -1;
	return true;
}

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
	int fd = open(pend->tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return SCRUB_E_IO;
	int rc = syncfs(fd);
	int err = errno;
	close(fd);
	errno = err;
	return rc == 0 ? SCRUB_OK : SCRUB_E_IO;
}

enum scrub_status scrub_out_replace(const char *target, const struct stat *src_st,
				    const struct scrub_plan *plan,
				    const struct scrub_write_opts *opts)
{
	struct scrub_pending pend;
	enum scrub_status st = scrub_out_prepare(target, src_st, plan, opts, &pend);
	return st == SCRUB_OK ? scrub_out_commit(&pend) : st;
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

bool scrub_out_is_same_file(const char *path, const struct stat *st)
{
	struct stat out_st;
	return stat(path, &out_st) == 0 && out_st.st_dev == st->st_dev &&
	       out_st.st_ino == st->st_ino;
}
