#include "formats/format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The backend table, one row per line of formats/list.h. */
static const struct scrub_backend *const backends[] = {
#define SCRUB_FORMAT(id, name) &scrub_backend_##id,
#include "formats/list.h"
#undef SCRUB_FORMAT
};
#define NBACKENDS (sizeof backends / sizeof backends[0])

const struct scrub_backend *scrub_format_detect(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < NBACKENDS; i++)
		if (backends[i]->sniff(p, n))
			return backends[i];
	return NULL;
}

void scrub_format_list(char *dst, size_t size, const char *last)
{
	size_t len = 0;
	dst[0] = '\0';
	for (size_t i = 0; i < NBACKENDS && len < size; i++) {
		const char *sep = i == 0 ? "" : i + 1 == NBACKENDS ? last : ", ";
		len += (size_t)snprintf(dst + len, size - len, "%s%s", sep, backends[i]->display);
	}
}

static const char *const kind_names[SCRUB_KIND_COUNT] = {
	[SCRUB_KIND_IMAGE] = "image",
	[SCRUB_KIND_JFIF] = "jfif",
	[SCRUB_KIND_ADOBE] = "adobe",
	[SCRUB_KIND_ICC] = "icc",
	[SCRUB_KIND_ORIENTATION] = "orientation",
	[SCRUB_KIND_EXIF] = "exif",
	[SCRUB_KIND_GPS] = "gps",
	[SCRUB_KIND_MAKERNOTE] = "makernote",
	[SCRUB_KIND_THUMBNAIL] = "thumbnail",
	[SCRUB_KIND_XMP] = "xmp",
	[SCRUB_KIND_IPTC] = "iptc",
	[SCRUB_KIND_PHOTOSHOP] = "photoshop",
	[SCRUB_KIND_COMMENT] = "comment",
	[SCRUB_KIND_TEXT] = "text",
	[SCRUB_KIND_TIME] = "time",
	[SCRUB_KIND_MPF] = "mpf",
	[SCRUB_KIND_FLASHPIX] = "flashpix",
	[SCRUB_KIND_JUMBF] = "jumbf",
	[SCRUB_KIND_TRAILER] = "trailer",
	[SCRUB_KIND_VENDOR] = "vendor",
	[SCRUB_KIND_AUXILIARY] = "auxiliary",
	[SCRUB_KIND_GAIN_MAP] = "gain_map",
	[SCRUB_KIND_VIDEO] = "video",
	[SCRUB_KIND_UNKNOWN] = "unknown",
	[SCRUB_KIND_JPEG_REBUILD] = "jpeg_reconstruction",
};

const char *scrub_kind_name(enum scrub_kind kind)
{
	return (unsigned)kind < SCRUB_KIND_COUNT ? kind_names[kind] : "unknown";
}

const char *scrub_kind_loss(enum scrub_kind kind)
{
	return kind == SCRUB_KIND_GAIN_MAP ? "HDR rendering lost" : NULL;
}

/* Generous for real files (a progressive JPEG has a few dozen), small enough to bound work. */
#define DEFAULT_MAX_SEGMENTS 100000

void scrub_scan_init(struct scrub_scan *scan)
{
	scan->seg = NULL;
	scan->capseg = 0;
	scan->max_segments = DEFAULT_MAX_SEGMENTS;
	scrub_scan_reset(scan);
}

void scrub_scan_reset(struct scrub_scan *scan)
{
	scan->backend = NULL;
	scan->width = 0;
	scan->height = 0;
	scan->orientation = 0;
	scan->nseg = 0;
	scan->fail_off = 0;
	scan->fail_why = NULL;
}

void scrub_scan_free(struct scrub_scan *scan)
{
	free(scan->seg);
	scrub_scan_init(scan);
}

struct scrub_segment *scrub_scan_add(struct scrub_scan *scan, size_t off, size_t len,
				     enum scrub_kind kind, bool keep, const char *label)
{
	if (scan->nseg >= scan->max_segments)
		return NULL;
	if (scan->nseg == scan->capseg) {
		size_t cap = scan->capseg ? scan->capseg * 2 : 32;
		struct scrub_segment *seg = realloc(scan->seg, cap * sizeof *seg);
		if (!seg)
			return NULL;
		scan->seg = seg;
		scan->capseg = cap;
	}
	struct scrub_segment *s = &scan->seg[scan->nseg++];
	s->off = off;
	s->len = len;
	s->data_off = off;
	s->data_len = 0;
	s->kind = (uint8_t)kind;
	s->payload = SCRUB_PAYLOAD_NONE;
	s->keep = keep;
	size_t n = strlen(label);
	if (n >= sizeof s->label)
		n = sizeof s->label - 1;
	memcpy(s->label, label, n);
	s->label[n] = '\0';
	return s;
}

bool scrub_scan_has_removable(const struct scrub_scan *scan)
{
	for (size_t i = 0; i < scan->nseg; i++)
		if (!scan->seg[i].keep)
			return true;
	return false;
}
