/*
 * What a file name gives away (SPEC.md section 4): every upload sends it,
 * and cameras, phones and apps write the capture time and their own name
 * into it. scrub does not rename files, so the report says so.
 *
 * The table below lists the names' shapes as their writers document or
 * produce them. A pattern is matched against the start of the name, case
 * aside, with these fields: %Y year (1990..2099), %M month, %D day, %h hour
 * (two digits), %H hour (one or two), %m minute, %s second, %f three more
 * digits (milliseconds), %p " AM"/" PM" (12-hour clock), %# one or more
 * digits, %? any one character. Whatever follows the pattern (".jpg",
 * " (1)", "_HDR") does not matter.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "describe/facts.h"

struct name_rule {
	const char *pattern;
	const char *device;  /* what the name says made the picture, or NULL */
	bool utc;            /* the time in the name is UTC (Pixel) */
};

static const struct name_rule name_rules[] = {
	{ "PXL_%Y%M%D_%h%m%s%f", "Google Pixel camera", true },
	{ "MVIMG_%Y%M%D_%h%m%s", "Google Camera motion photo", false },
	{ "IMG_%Y%M%D_%h%m%s", "phone camera (Android naming)", false },
	{ "IMG%Y%M%D%h%m%s", "phone camera (OnePlus, Oppo, Realme naming)", false },
	{ "%Y%M%D_%h%m%s", "phone camera (Samsung naming)", false },
	{ "IMG-%Y%M%D-WA%#", "WhatsApp (Android)", false },
	/* The 12-hour forms first: the 24-hour ones would take "12.05.00 AM" as noon. */
	{ "WhatsApp Image %Y-%M-%D at %H.%m.%s%p", "WhatsApp", false },
	{ "WhatsApp Image %Y-%M-%D at %h.%m.%s", "WhatsApp", false },
	{ "Screenshot %Y-%M-%D at %H.%m.%s%p", "macOS screenshot", false },
	{ "Screenshot %Y-%M-%D at %h.%m.%s", "macOS screenshot", false },
	{ "Screen Shot %Y-%M-%D at %H.%m.%s%p", "macOS screenshot", false },
	{ "Screen Shot %Y-%M-%D at %h.%m.%s", "macOS screenshot", false },
	{ "Bildschirmfoto %Y-%M-%D um %h.%m.%s", "macOS screenshot", false },
	{ "Screenshot %Y-%M-%D %h%m%s", "Windows screenshot", false },
	{ "Screenshot from %Y-%M-%D %h-%m-%s", "GNOME screenshot", false },
	{ "Screenshot_%Y%M%D-%h%m%s", "Android screenshot", false },
	{ "Screenshot_%Y%M%D_%h%m%s", "Android screenshot", false },
	{ "Screenshot_%Y-%M-%D-%h-%m-%s", "Android screenshot", false },
	{ "signal-%Y-%M-%D-%h%m%s", "Signal", false },
	{ "signal-%Y-%M-%D-%h-%m-%s", "Signal", false },
	{ "photo_%Y-%M-%D_%h-%m-%s", "Telegram", false },
	{ "%Y-%M-%D %h.%m.%s", "Dropbox camera upload", false },
	{ "DJI_%Y%M%D%h%m%s_", "DJI drone", false },
	{ "DJI_%#", "DJI drone", false },
	{ "DSC_%#", "Nikon camera", false },
	{ "DSCN%#", "Nikon Coolpix camera", false },
	{ "DSCF%#", "Fujifilm camera", false },
	{ "DSC0%#", "Sony camera", false },
	{ "_MG_%#", "Canon camera", false },
	{ "GOPR%#", "GoPro camera", false },
	{ "GH01%#", "GoPro camera", false },
	{ "GX01%#", "GoPro camera", false },
	{ "CIMG%#", "Casio camera", false },
	{ "SAM_%#", "Samsung camera", false },
	{ "Snapchat-%#", "Snapchat", false },
	{ "FB_IMG_%#", "Facebook", false },
};

/* What a match read: the time fields (-1 when the pattern has none). */
struct when {
	int y, mo, d, h, mi, s;
	bool pm, am;
};

/* n digits at *p into *v, within [lo, hi]; advances *p. */
static bool digits(const char **p, int n, int lo, int hi, int *v)
{
	int x = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		x = x * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*v = x;
	return x >= lo && x <= hi;
}

/* One %-field of a pattern at *p; false when the name does not have it there. */
static bool field(char c, const char **p, struct when *w)
{
	int ignored;
	switch (c) {
	case 'Y': return digits(p, 4, 1990, 2099, &w->y);
	case 'M': return digits(p, 2, 1, 12, &w->mo);
	case 'D': return digits(p, 2, 1, 31, &w->d);
	case 'h': return digits(p, 2, 0, 23, &w->h);
	case 'H':
		return digits(p, isdigit((unsigned char)(*p)[0]) && isdigit((unsigned char)(*p)[1]) ? 2 : 1,
			      1, 12, &w->h);
	case 'm': return digits(p, 2, 0, 59, &w->mi);
	case 's': return digits(p, 2, 0, 60, &w->s);
	case 'f': return digits(p, 3, 0, 999, &ignored);
	case 'p':
		if (strncasecmp(*p, " PM", 3) && strncasecmp(*p, " AM", 3))
			return false;
		w->pm = toupper((unsigned char)(*p)[1]) == 'P';
		w->am = !w->pm;
		*p += 3;
		return true;
	case '#':
		if (!isdigit((unsigned char)**p))
			return false;
		while (isdigit((unsigned char)**p))
			(*p)++;
		return true;
	case '?':
		return **p && (++*p, true);
	default:
		return false;
	}
}

/* Matches pattern against the start of name; no backtracking, so linear in both. */
static bool match(const char *pattern, const char *name, struct when *w)
{
	*w = (struct when){ -1, -1, -1, -1, -1, -1, false, false };
	for (const char *q = pattern, *p = name; *q; q++) {
		if (*q == '%') {
			if (!field(*++q, &p, w))
				return false;
		} else if (tolower((unsigned char)*q) != tolower((unsigned char)*p++)) {
			return false;
		}
	}
	return true;
}

void scrub_describe_file_name(const char *name, struct scrub_facts *f)
{
	for (size_t i = 0; i < sizeof name_rules / sizeof name_rules[0]; i++) {
		const struct name_rule *r = &name_rules[i];
		struct when w;
		if (!match(r->pattern, name, &w))
			continue;
		if (r->device)
			scrub_facts_set(f->name_device, sizeof f->name_device, r->device,
					strlen(r->device));
		if (w.y >= 0 && w.h >= 0) {
			int h = w.pm ? w.h % 12 + 12 : w.am ? w.h % 12 : w.h;
			snprintf(f->name_time, sizeof f->name_time, "%04d-%02d-%02dT%02d:%02d:%02d%s",
				 w.y % 10000, w.mo % 100, w.d % 100, h % 100, w.mi % 100, w.s % 100,
				 r->utc ? "Z" : "");
		} else if (w.y >= 0) {
			snprintf(f->name_time, sizeof f->name_time, "%04d-%02d-%02d", w.y % 10000,
				 w.mo % 100, w.d % 100);
		}
		return;
	}
}
