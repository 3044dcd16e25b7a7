/*
 * Arguments to items, handed over one at a time. A walk reads each
 * directory fully and sorts it before handing over its first entry, so
 * before anything is written into it; it never follows symbolic links,
 * skips scrub's own temp files (removing, when asked, those a killed scrub
 * left) and the -o directory, and hands over unreadable entries as error
 * items so they are reported in order.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/output.h"
#include "io/walk.h"

static char *join(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	bool slash = na && a[na - 1] != '/';
	char *s = malloc(na + slash + nb + 1);
	if (!s)
		return NULL;
	memcpy(s, a, na);
	if (slash)
		s[na] = '/';
	memcpy(s + na + slash, b, nb + 1);
	return s;
}

/* Output path: DIR/rel, where rel never climbs out of DIR. */
static int set_output(struct scrub_item *it, const struct scrub_walk *w, const char *rel)
{
	if (!w->output_dir)
		return 0;
	while (rel[0] == '/')
		rel++;
	it->out_path = join(w->output_dir, rel);
	return it->out_path ? 0 : -1;
}

/* Hands it over (the taker owns its strings), or frees them if making them failed. */
static enum scrub_status give(struct scrub_walk *w, struct scrub_item *it, bool made)
{
	if (!made || !it->path) {
		scrub_item_free(it);
		return SCRUB_E_NOMEM;
	}
	return w->item(w->ctx, it);
}

/* An item for path that failed with errno err. */
static enum scrub_status give_error(struct scrub_walk *w, const char *path, bool from_walk, int err)
{
	struct scrub_item it = { .path = strdup(path), .from_walk = from_walk, .error = SCRUB_E_IO,
				 .error_errno = err };
	return give(w, &it, true);
}

/*
 * A temp left by a scrub that was killed or crashed: exactly our name
 * pattern, a regular file we own and nothing else links to, and the process
 * in its name gone. Its target is intact (still the original, or already
 * the clean output), so the temp only holds a copy and goes. Anything less
 * certain (another owner, a live or reused pid) is left alone.
 */
static void remove_if_stale(const char *dir, const char *name, struct scrub_walk *w)
{
	long pid = scrub_out_temp_pid(name);
	if (pid <= 0 || pid > INT_MAX || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 ||
	    errno != ESRCH)
		return;
	char *path = join(dir, name);
	struct stat st;
	if (!path || lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_nlink != 1) {
		free(path);
		return;
	}
	w->stale(w->ctx, path, pid, unlink(path) == 0 ? 0 : errno);
	free(path);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Reads a directory fully into a sorted list of names. On an error (err
 * set) the names read until then are still returned, so they are scrubbed.
 */
static char **read_dir(const char *path, struct scrub_walk *w, size_t *count, int *err)
{
	DIR *d = opendir(path);
	if (!d) {
		*err = errno;
		return NULL;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	*err = 0;
	for (;;) {
		/* NULL is both the end and an error: only errno tells them apart. */
		errno = 0;
		const struct dirent *e = readdir(d);
		if (!e) {
			*err = errno;
			break;
		}
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (strstr(e->d_name, SCRUB_TEMP_MARK)) {
			if (w->remove_stale)
				remove_if_stale(path, e->d_name, w);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			char **v = realloc(names, cap * sizeof *v);
			if (!v) {
				*err = ENOMEM;
				break;
			}
			names = v;
		}
		if (!(names[n] = strdup(e->d_name))) {
			*err = ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof *names, cmp_names);
	*count = n;
	return names;
}

static enum scrub_status walk_dir(struct scrub_walk *w, const char *dir, const char *rel);

/*
 * Whether dir is the -o directory. It may have been created after the run
 * began (by this run's first copies), so until it is seen it is looked up
 * again at each folder the walk meets.
 */
static bool is_output_dir(struct scrub_walk *w, const struct stat *dir)
{
	if (!w->output_dir)
		return false;
	struct stat st;
	if (!w->output_known && stat(w->output_dir, &st) == 0) {
		w->output_known = true;
		w->output_dev = st.st_dev;
		w->output_ino = st.st_ino;
	}
	return w->output_known && dir->st_dev == w->output_dev && dir->st_ino == w->output_ino;
}

static enum scrub_status walk_entry(struct scrub_walk *w, const char *path, const char *rel)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return give_error(w, path, true, errno);
	if (S_ISLNK(st.st_mode))
		return SCRUB_OK; /* walks never follow links (SPEC.md section 3) */
	if (S_ISDIR(st.st_mode))
		return is_output_dir(w, &st) ? SCRUB_OK : walk_dir(w, path, rel);
	if (!S_ISREG(st.st_mode))
		return SCRUB_OK;
	struct scrub_item it = { .path = strdup(path), .from_walk = true, .size = (uint64_t)st.st_size };
	return give(w, &it, set_output(&it, w, rel) == 0);
}

static enum scrub_status walk_dir(struct scrub_walk *w, const char *dir, const char *rel)
{
	size_t n = 0;
	int err = 0;
	char **names = read_dir(dir, w, &n, &err);
	enum scrub_status st = err ? give_error(w, dir, true, err) : SCRUB_OK;
	for (size_t i = 0; i < n; i++) {
		char *path = join(dir, names[i]);
		char *sub = join(rel, names[i]);
		if (!path || !sub)
			st = SCRUB_E_NOMEM;
		if (st == SCRUB_OK)
			st = walk_entry(w, path, sub);
		free(path);
		free(sub);
		free(names[i]);
	}
	free(names);
	return st;
}

enum scrub_status scrub_walk_arg(struct scrub_walk *w, const char *arg)
{
	if (!strcmp(arg, "-")) {
		struct scrub_item it = { .path = strdup("-"), .is_stdin = true };
		return give(w, &it, true);
	}
	struct stat st;
	/* A link named on the command line is followed (stat, not lstat). */
	if (stat(arg, &st) != 0)
		return give_error(w, arg, false, errno); /* its real cause: an unreadable folder is no file */
	if (S_ISDIR(st.st_mode)) {
		if (w->recursive)
			return walk_dir(w, arg, "");
		struct scrub_item it = { .path = strdup(arg), .error = SCRUB_E_NOT_REGULAR,
					 .error_text = "is a directory (use -r to walk it)" };
		return give(w, &it, true);
	}
	struct scrub_item it = { .path = strdup(arg) };
	if (S_ISREG(st.st_mode))
		it.size = (uint64_t)st.st_size;
	const char *slash = strrchr(arg, '/');
	return give(w, &it, set_output(&it, w, slash ? slash + 1 : arg) == 0);
}

void scrub_item_free(struct scrub_item *it)
{
	free(it->path);
	free(it->out_path);
	it->path = it->out_path = NULL;
}
