/*
 * Arguments to items. A walk reads each directory fully and sorts it before
 * anything is written into it, never follows symbolic links, skips scrub's
 * own temp files (removing, when asked, those a killed scrub left) and the
 * -o directory, and records unreadable entries as error items so they are
 * reported in order.
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

static struct scrub_item *push(struct scrub_items *items, const char *path)
{
	if (items->n == items->cap) {
		size_t cap = items->cap ? items->cap * 2 : 64;
		struct scrub_item *v = realloc(items->v, cap * sizeof *v);
		if (!v)
			return NULL;
		items->v = v;
		items->cap = cap;
	}
	struct scrub_item *it = &items->v[items->n];
	memset(it, 0, sizeof *it);
	it->path = strdup(path);
	if (!it->path)
		return NULL;
	items->n++;
	return it;
}

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
static int set_output(struct scrub_item *it, const struct scrub_walk_opts *wo, const char *rel)
{
	if (!wo->output_dir)
		return 0;
	while (rel[0] == '/')
		rel++;
	it->out_path = join(wo->output_dir, rel);
	return it->out_path ? 0 : -1;
}

static void add_stale(struct scrub_items *items, char *path, long pid, int err)
{
	struct scrub_stale *v = realloc(items->stale, (items->nstale + 1) * sizeof *v);
	if (!v) {
		free(path);
		return;
	}
	items->stale = v;
	v[items->nstale++] = (struct scrub_stale){ path, pid, err };
}

/*
 * A temp left by a scrub that was killed or crashed: exactly our name
 * pattern, a regular file we own and nothing else links to, and the process
 * in its name gone. Its target is intact (still the original, or already
 * the clean output), so the temp only holds a copy and goes. Anything less
 * certain (another owner, a live or reused pid) is left alone.
 */
static void remove_if_stale(const char *dir, const char *name, struct scrub_items *items)
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
	add_stale(items, path, pid, unlink(path) == 0 ? 0 : errno);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Reads a directory fully into a sorted list of names. On an error (err
 * set) the names read until then are still returned, so they are scrubbed.
 */
static char **read_dir(const char *path, const struct scrub_walk_opts *wo,
			struct scrub_items *items, size_t *count, int *err)
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
			if (wo->remove_stale)
				remove_if_stale(path, e->d_name, items);
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

static enum scrub_status walk_dir(const char *dir, const char *rel,
				  const struct scrub_walk_opts *wo, struct scrub_items *items);

static enum scrub_status walk_entry(const char *path, const char *rel,
				    const struct scrub_walk_opts *wo, struct scrub_items *items)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		struct scrub_item *it = push(items, path);
		if (!it)
			return SCRUB_E_NOMEM;
		it->from_walk = true;
		it->error = SCRUB_E_IO;
		it->error_errno = errno;
		return SCRUB_OK;
	}
	if (S_ISLNK(st.st_mode))
		return SCRUB_OK; /* walks never follow links (SPEC.md section 3) */
	if (S_ISDIR(st.st_mode)) {
		if (wo->output_exists && st.st_dev == wo->output_dev && st.st_ino == wo->output_ino)
			return SCRUB_OK;
		return walk_dir(path, rel, wo, items);
	}
	if (!S_ISREG(st.st_mode))
		return SCRUB_OK;
	struct scrub_item *it = push(items, path);
	if (!it || set_output(it, wo, rel) != 0)
		return SCRUB_E_NOMEM;
	it->from_walk = true;
	items->bytes += (uint64_t)st.st_size;
	return SCRUB_OK;
}

static enum scrub_status walk_dir(const char *dir, const char *rel,
				  const struct scrub_walk_opts *wo, struct scrub_items *items)
{
	size_t n = 0;
	int err = 0;
	char **names = read_dir(dir, wo, items, &n, &err);
	enum scrub_status st = SCRUB_OK;
	if (err) {
		struct scrub_item *it = push(items, dir);
		if (!it)
			st = SCRUB_E_NOMEM;
		else {
			it->from_walk = true;
			it->error = SCRUB_E_IO;
			it->error_errno = err;
		}
	}
	for (size_t i = 0; i < n; i++) {
		char *path = join(dir, names[i]);
		char *sub = join(rel, names[i]);
		if (!path || !sub)
			st = SCRUB_E_NOMEM;
		if (st == SCRUB_OK)
			st = walk_entry(path, sub, wo, items);
		free(path);
		free(sub);
		free(names[i]);
	}
	free(names);
	return st;
}

enum scrub_status scrub_walk_arg(const char *arg, const struct scrub_walk_opts *wo,
				 struct scrub_items *items)
{
	if (!strcmp(arg, "-")) {
		struct scrub_item *it = push(items, "-");
		if (!it)
			return SCRUB_E_NOMEM;
		it->is_stdin = true;
		return SCRUB_OK;
	}
	struct stat st;
	/* A link named on the command line is followed (stat, not lstat). */
	if (stat(arg, &st) != 0) {
		/* Reported with its real cause (a folder that cannot be read is no file). */
		struct scrub_item *it = push(items, arg);
		if (!it)
			return SCRUB_E_NOMEM;
		it->error = SCRUB_E_IO;
		it->error_errno = errno;
		return SCRUB_OK;
	}
	if (S_ISDIR(st.st_mode)) {
		if (wo->recursive)
			return walk_dir(arg, "", wo, items);
		struct scrub_item *it = push(items, arg);
		if (!it)
			return SCRUB_E_NOMEM;
		it->error = SCRUB_E_NOT_REGULAR;
		it->error_text = "is a directory (use -r to walk it)";
		return SCRUB_OK;
	}
	struct scrub_item *it = push(items, arg);
	if (!it)
		return SCRUB_E_NOMEM;
	if (S_ISREG(st.st_mode))
		items->bytes += (uint64_t)st.st_size;
	const char *slash = strrchr(arg, '/');
	return set_output(it, wo, slash ? slash + 1 : arg) == 0 ? SCRUB_OK : SCRUB_E_NOMEM;
}

void scrub_items_free(struct scrub_items *items)
{
	for (size_t i = 0; i < items->n; i++) {
		free(items->v[i].path);
		free(items->v[i].out_path);
	}
	free(items->v);
	for (size_t i = 0; i < items->nstale; i++)
		free(items->stale[i].path);
	free(items->stale);
	memset(items, 0, sizeof *items);
}
