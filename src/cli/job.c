/*
 * The per-file core: open, read once, scan, plan, then audit or write.
 * Everything it learns goes into the result; the caller prints.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "describe/describe.h"
#include "formats/codec.h"
#include "cli/job.h"
#include "cli/msg.h"
#include "io/output.h"
#include "io/input.h"

/* Largest file read from disk; far above any photo, below what would exhaust memory. */
#define MAX_FILE_BYTES ((size_t)4 << 30)

void scrub_worker_init(struct scrub_worker *w)
{
	scrub_buf_init(&w->in, MAX_FILE_BYTES);
	scrub_scan_init(&w->scan);
	scrub_plan_init(&w->plan);
	scrub_buf_init(&w->out, MAX_FILE_BYTES);
}

void scrub_worker_free(struct scrub_worker *w)
{
	scrub_buf_free(&w->in);
	scrub_scan_free(&w->scan);
	scrub_plan_free(&w->plan);
	scrub_buf_free(&w->out);
}

/* Names in messages stay on one line: control bytes become '?'. */
static void printable_name(char *dst, size_t size, const char *name)
{
	size_t i = 0;
	for (; name[i] && i + 1 < size; i++)
		dst[i] = (unsigned char)name[i] < 0x20 || name[i] == 0x7F ? '?' : name[i];
	dst[i] = '\0';
}

static void fail(struct scrub_result *r, enum scrub_status st, const char *verb,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void fail(struct scrub_result *r, enum scrub_status st, const char *verb,
		 const char *fmt, ...)
{
	char name[512], reason[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	printable_name(name, sizeof name, r->name);
	r->outcome = SCRUB_RES_ERROR;
	r->status = st;
	snprintf(r->error, sizeof r->error, "%s '%s': %s", verb, name, reason);
}

static void fail_errno(struct scrub_result *r, const char *verb, int err)
{
	char buf[128];
	fail(r, SCRUB_E_IO, verb, "%s", scrub_msg_errno(err, buf, sizeof buf));
}

static bool add_finding(struct scrub_result *r, enum scrub_kind kind, bool keep, bool derived,
			size_t bytes, size_t offset, const char *label)
{
	struct scrub_finding *v = realloc(r->found, (r->nfound + 1) * sizeof *v);
	if (!v)
		return false;
	r->found = v;
	struct scrub_finding *f = &v[r->nfound++];
	*f = (struct scrub_finding){ .kind = (uint8_t)kind, .keep = keep, .derived = derived,
				     .bytes = bytes, .offset = offset };
	snprintf(f->label, sizeof f->label, "%s", label);
	return true;
}

/* One finding per segment, then what its payload holds (tags: --report -v). */
static void collect_findings(const uint8_t *in, const struct scrub_scan *scan, bool describe,
			     bool tags, struct scrub_result *r)
{
	struct scrub_describe d;
	scrub_describe_begin(&d, &r->facts, tags ? &r->tags : NULL);
	for (size_t i = 0; i < scan->nseg; i++) {
		const struct scrub_segment *s = &scan->seg[i];
		add_finding(r, s->kind, s->keep, false, s->len, s->off, s->label);
		if (!describe)
			continue;
		scrub_describe_payload(&d, s->payload, in + s->data_off, s->data_len);
		for (size_t k = 0; k < d.nderived; k++)
			add_finding(r, d.derived[k].kind, s->keep, true, d.derived[k].bytes, s->off,
				    s->label);
	}
	scrub_describe_end(&d);
}

/*
 * --verify: the output decodes to the same pixels as orig (the input, or
 * the input with orientation baked in), or the original stays.
 */
static bool verify(const struct scrub_backend *be, const struct scrub_buf *orig,
		   struct scrub_worker *w, struct scrub_result *r)
{
	w->out.len = 0;
	enum scrub_status st = scrub_buf_reserve(&w->out, w->plan.total);
	if (st != SCRUB_OK) {
		fail(r, st, "cannot verify", "%s", scrub_strerror(st));
		return false;
	}
	scrub_plan_copy(&w->plan, w->out.data);
	w->out.len = w->plan.total;
	const char *why = NULL;
	st = scrub_verify(be, orig->data, orig->len, w->out.data, w->out.len, &why);
	if (st != SCRUB_OK) {
		fail(r, st, "cannot verify", "%s; left unchanged", why ? why : scrub_strerror(st));
		return false;
	}
	return true;
}

/* The codec's header reader must accept what the container walker accepted. */
static bool probe(const struct scrub_backend *be, struct scrub_worker *w, struct scrub_result *r)
{
	if (!be->probe)
		return true;
	char msg[SCRUB_CODEC_MSG] = "";
	enum scrub_status st = be->probe(w->in.data, w->in.len, &r->image, msg, sizeof msg);
	if (st == SCRUB_OK)
		return true;
	fail(r, st, "cannot read", "image header is broken: %s", msg[0] ? msg : scrub_strerror(st));
	return false;
}

/* SPEC.md section 7: removing an Orientation tag must not leave the picture lying down. */
static bool needs_upright(const struct scrub_options *opt, const struct scrub_scan *scan)
{
	return opt->mode == SCRUB_MODE_SCRUB && !opt->policy.keep_orientation &&
	       scan->orientation >= 2 && scan->orientation <= 8;
}

/* Plans the baked image (in plan->owned) through the normal scan and strip. */
static enum scrub_status plan_baked(const struct scrub_options *opt, const struct scrub_backend *be,
				    struct scrub_worker *w)
{
	const struct scrub_buf *img = &w->plan.owned;
	scrub_scan_reset(&w->scan);
	w->scan.backend = be;
	enum scrub_status st = be->scan(img->data, img->len, &opt->policy, &w->scan);
	return st == SCRUB_OK ? be->strip(img->data, img->len, &w->scan, &opt->policy, &w->plan) : st;
}

/*
 * Applies the orientation to the pixels and replans from the result; when
 * the codec cannot do that losslessly, replans keeping the minimal tag and
 * leaves a note saying why. The scan must still be the input's.
 */
static bool upright(const struct scrub_options *opt, const struct scrub_backend *be,
		    struct scrub_worker *w, struct scrub_result *r)
{
	int o = w->scan.orientation;
	char msg[SCRUB_CODEC_MSG] = "";
	scrub_plan_reset(&w->plan);
	enum scrub_orient_result res = SCRUB_ORIENT_KEEP_TAG;
	if (be->orient)
		res = be->orient(w->in.data, w->in.len, o, &r->image, opt->verify, &w->plan.owned, msg,
				 sizeof msg);
	enum scrub_status st;
	if (res == SCRUB_ORIENT_DONE) {
		r->baked = o;
		st = plan_baked(opt, be, w);
	} else {
		struct scrub_policy pol = opt->policy;
		pol.keep_orientation = true;
		size_t len = strlen(r->note);
		snprintf(r->note + len, sizeof r->note - len, "%sorientation %d kept: %s",
			 len ? "; " : "", o, msg[0] ? msg : "no lossless rotation for this image");
		st = be->strip(w->in.data, w->in.len, &w->scan, &pol, &w->plan);
	}
	if (st != SCRUB_OK)
		fail(r, st, "cannot rotate", "%s", scrub_strerror(st));
	return st == SCRUB_OK;
}

/* Scan and plan; false (with r failed) when the file cannot be taken apart. */
static bool analyse(const struct scrub_options *opt, const struct scrub_item *it,
		    struct scrub_worker *w, struct scrub_result *r, bool *changed)
{
	const uint8_t *in = w->in.data;
	size_t n = w->in.len;
	const struct scrub_backend *be = scrub_format_detect(in, n);
	if (!be) {
		char names[128];
		scrub_format_list(names, sizeof names, " or ");
		if (it->from_walk)
			r->outcome = SCRUB_RES_SKIPPED;
		else
			fail(r, SCRUB_E_NOT_IMAGE, "cannot read", "not a %s image", names);
		return false;
	}
	r->format = be->name;
	scrub_scan_reset(&w->scan);
	scrub_plan_reset(&w->plan);
	w->scan.backend = be;
	enum scrub_status st = be->scan(in, n, &opt->policy, &w->scan);
	if (st == SCRUB_OK)
		st = be->strip(in, n, &w->scan, &opt->policy, &w->plan);
	if (st != SCRUB_OK) {
		fail(r, st, "cannot read", "%s: %s (at byte %zu)", scrub_strerror(st),
		     w->scan.fail_why ? w->scan.fail_why : be->name, w->scan.fail_off);
		return false;
	}
	r->width = w->scan.width;
	r->height = w->scan.height;
	r->facts.orientation = w->scan.orientation;
	if (!probe(be, w, r))
		return false;
	bool describe = opt->mode == SCRUB_MODE_REPORT || opt->json || opt->verbose;
	collect_findings(in, &w->scan, describe, opt->mode == SCRUB_MODE_REPORT && opt->verbose, r);
	/* The findings describe the input; the rest may replace scan and plan. */
	if (needs_upright(opt, &w->scan) && !upright(opt, be, w, r))
		return false;
	r->bytes_out = w->plan.total;
	*changed = !scrub_plan_same_as(&w->plan, in, n);
	const struct scrub_buf *orig = r->baked ? &w->plan.owned : &w->in;
	if (*changed && opt->verify && opt->mode == SCRUB_MODE_SCRUB && !verify(be, orig, w, r))
		return false;
	return true;
}

static int make_parents(const char *path)
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

/* Replaces target now, or leaves a pending temp when the batch syncs in groups. */
static void write_output(const struct scrub_options *opt, bool defer, const char *target,
			 const struct stat *st, struct scrub_worker *w, struct scrub_result *r)
{
	struct scrub_write_opts wo = { .sync = opt->sync && !defer, .swap = !opt->sync,
				       .preserve_times = opt->preserve_times };
	enum scrub_status rs;
	if (defer) {
		r->pending = malloc(sizeof *r->pending);
		if (!r->pending) {
			fail(r, SCRUB_E_NOMEM, "cannot write", "%s", scrub_strerror(SCRUB_E_NOMEM));
			return;
		}
		rs = scrub_out_prepare(target, st, &w->plan, &wo, r->pending);
		if (rs != SCRUB_OK) {
			free(r->pending);
			r->pending = NULL;
		}
	} else {
		rs = scrub_out_replace(target, st, &w->plan, &wo);
	}
	if (rs != SCRUB_OK)
		fail_errno(r, "cannot write", errno);
}

static void write_copy(const struct scrub_options *opt, bool defer, const struct scrub_item *it,
		       const struct stat *st, struct scrub_worker *w, struct scrub_result *r)
{
	struct stat out_st;
	if (stat(it->out_path, &out_st) == 0 && out_st.st_dev == st->st_dev &&
	    out_st.st_ino == st->st_ino) {
		fail(r, SCRUB_E_SAME_FILE, "refusing", "output '%s' is the input itself", it->out_path);
		return;
	}
	if (make_parents(it->out_path) != 0) {
		fail_errno(r, "cannot write", errno);
		return;
	}
	write_output(opt, defer, it->out_path, st, w, r);
}

static void write_in_place(const struct scrub_options *opt, bool defer, const char *target,
			   const struct stat *st, struct scrub_worker *w, struct scrub_result *r)
{
	if (st->st_nlink > 1 && !opt->force) {
		fail(r, SCRUB_E_HARDLINK, "refusing",
		     "%ju hard links: the other names would keep the metadata (use --force)",
		     (uintmax_t)st->st_nlink);
		return;
	}
	if (st->st_nlink > 1)
		snprintf(r->note, sizeof r->note, "replaced one of %ju hard links; the others keep the metadata",
			 (uintmax_t)st->st_nlink);
	write_output(opt, defer, target, st, w, r);
}

/* Opens the input; for in-place work also resolves where to write (a link's target). */
static int open_input(const struct scrub_item *it, struct stat *st, char *target,
		      struct scrub_result *r)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below). */
	int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | (it->from_walk ? O_NOFOLLOW : 0);
	int fd = open(it->path, flags);
	if (fd < 0) {
		fail_errno(r, "cannot open", errno);
		return -1;
	}
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		int err = errno;
		if (S_ISREG(st->st_mode))
			fail_errno(r, "cannot open", err);
		else
			fail(r, SCRUB_E_NOT_REGULAR, "cannot scrub", "%s",
			     scrub_strerror(SCRUB_E_NOT_REGULAR));
		close(fd);
		return -1;
	}
	struct stat lst;
	if (lstat(it->path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		if (!realpath(it->path, target)) {
			fail_errno(r, "cannot resolve", errno);
			close(fd);
			return -1;
		}
	} else {
		snprintf(target, PATH_MAX, "%s", it->path);
	}
	return fd;
}

/*
 * Analyses the bytes in w->in and sets the outcome. True when the caller
 * has output to write (scrub mode, analysis succeeded).
 */
static bool judge(const struct scrub_options *opt, const struct scrub_item *it,
		  struct scrub_worker *w, struct scrub_result *r, bool *changed)
{
	r->bytes_in = w->in.len;
	if (!analyse(opt, it, w, r, changed))
		return false;
	if (opt->mode != SCRUB_MODE_SCRUB) {
		r->outcome = *changed ? SCRUB_RES_DIRTY : SCRUB_RES_CLEAN;
		return false;
	}
	r->outcome = *changed ? SCRUB_RES_SCRUBBED : SCRUB_RES_CLEAN;
	return true;
}

static void process_file(const struct scrub_options *opt, const struct scrub_item *it,
			 bool defer, struct scrub_worker *w, struct scrub_result *r)
{
	struct stat st;
	char target[PATH_MAX];
	int fd = open_input(it, &st, target, r);
	if (fd < 0)
		return;
	enum scrub_status rs = scrub_in_read_all(fd, (size_t)st.st_size, &w->in);
	int err = errno;
	close(fd);
	if (rs != SCRUB_OK) {
		if (rs == SCRUB_E_IO)
			fail_errno(r, "cannot read", err);
		else
			fail(r, rs, "cannot read", "%s", scrub_strerror(rs));
		return;
	}
	bool changed = false;
	if (!judge(opt, it, w, r, &changed))
		return;
	if (opt->to_stdout) {
		if (scrub_out_fd(STDOUT_FILENO, &w->plan) != SCRUB_OK)
			fail_errno(r, "cannot write", errno);
	} else if (it->out_path) {
		write_copy(opt, defer, it, &st, w, r);
	} else if (changed) {
		write_in_place(opt, defer, target, &st, w, r);
	}
}

static void process_stdin(const struct scrub_options *opt, const struct scrub_item *it,
			  struct scrub_worker *w, struct scrub_result *r)
{
	size_t limit = w->in.limit;
	w->in.limit = opt->stdin_limit;
	enum scrub_status rs = scrub_in_read_all(STDIN_FILENO, 0, &w->in);
	w->in.limit = limit;
	if (rs != SCRUB_OK) {
		if (rs == SCRUB_E_LIMIT)
			fail(r, rs, "cannot read", "input larger than --stdin-limit");
		else
			fail_errno(r, "cannot read", errno);
		return;
	}
	bool changed = false;
	if (!judge(opt, it, w, r, &changed))
		return;
	if (scrub_out_fd(STDOUT_FILENO, &w->plan) != SCRUB_OK)
		fail_errno(r, "cannot write", errno);
}

void scrub_job_process(const struct scrub_options *opt, const struct scrub_item *it,
		       bool defer_commit, struct scrub_worker *w, struct scrub_result *r)
{
	if (it->error != SCRUB_OK) {
		if (it->error_text)
			fail(r, it->error, "cannot scrub", "%s", it->error_text);
		else
			fail_errno(r, "cannot read", it->error_errno);
		return;
	}
	if (it->is_stdin)
		process_stdin(opt, it, w, r);
	else
		process_file(opt, it, defer_commit, w, r);
}
