/*
 * Photoshop image resource blocks (APP13 "Photoshop 3.0"): a sequence of
 * "8BIM", 16-bit id, Pascal name padded to even length, 32-bit size, data
 * padded to even length. Resource 0x0404 holds IPTC-IIM: records of tag
 * marker 0x1C, record number, dataset number, 16-bit length, data (IPTC-IIM
 * 4.2, section 1.5). Only the application record (2) is read for reports.
 */
#include <stdio.h>
#include <string.h>

#include "core/bytes.h"
#include "core/utf8.h"
#include "describe/facts.h"

#define IRB_IPTC 0x0404
/* Photoshop's thumbnail resources (Photoshop File Formats, image resource IDs). */
#define IRB_THUMBNAIL_PS4 0x0409
#define IRB_THUMBNAIL 0x040C
#define IRB_THUMBNAIL_HEAD 28 /* format, width, height, row bytes, sizes, depth, planes */
#define IRB_RESOURCES_MAX 4096
#define IIM_TAG 0x1C
#define IIM_ENVELOPE 1
#define IIM_CHARSET 90 /* 1:90 CodedCharacterSet */
#define IIM_APP_RECORD 2
#define IIM_MAX_RECORDS 4096 /* a budget: real files hold a few dozen */

/* Application record datasets shown in reports (IPTC-IIM 4.2, chapter 6). */
enum {
	IIM_OBJECT_NAME = 5,
	IIM_KEYWORDS = 25,
	IIM_DATE_CREATED = 55,
	IIM_TIME_CREATED = 60,
	IIM_PROGRAM = 65,
	IIM_BY_LINE = 80,
	IIM_CITY = 90,
	IIM_SUBLOCATION = 92,
	IIM_STATE = 95,
	IIM_COUNTRY_CODE = 100,
	IIM_COUNTRY = 101,
	IIM_HEADLINE = 105,
	IIM_COPYRIGHT = 116,
	IIM_CONTACT = 118,
	IIM_WRITER = 122,
	IIM_CAPTION = 120,
};

/*
 * Copies a dataset value into an empty field, trimmed of trailing spaces
 * and NULs. Without 1:90 saying UTF-8, a value that is not UTF-8 is taken
 * as Latin-1 (what writers use by default) and converted.
 */
static void set_text(char *dst, size_t size, const uint8_t *v, size_t n, bool utf8)
{
	if (dst[0])
		return;
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == 0))
		n--;
	if (!utf8 && !scrub_utf8_valid(v, n))
		scrub_latin1_to_utf8(v, n, dst, size);
	else
		scrub_facts_set(dst, size, (const char *)v, n);
}

/* Free text (caption, headline, title) for the "other" group, in UTF-8. */
static void free_text(struct scrub_facts *f, const char *name, const uint8_t *v, size_t n, bool u)
{
	char text[256] = "";
	set_text(text, sizeof text, v, n, u);
	if (text[0])
		scrub_describe_text_entry(name, (const uint8_t *)text, strlen(text), f);
}

/* 2:55 DateCreated is CCYYMMDD; shown as CCYY-MM-DD. */
static void set_date(struct scrub_facts *f, const uint8_t *v, size_t n)
{
	if (f->created[0] || n != 8)
		return;
	for (size_t i = 0; i < 8; i++)
		if (v[i] < '0' || v[i] > '9')
			return;
	memcpy(f->created, v, 4);
	f->created[4] = '-';
	memcpy(f->created + 5, v + 4, 2);
	f->created[7] = '-';
	memcpy(f->created + 8, v + 6, 2);
	f->created[10] = '\0';
}

/*
 * 2:60 TimeCreated is HHMMSS+HHMM; it completes a date 2:55 just set
 * ("2006-10-29T06:27:51-05:00"). Records come in dataset order.
 */
static void set_time(struct scrub_facts *f, const uint8_t *v, size_t n)
{
	if (strlen(f->created) != 10 || n != 11 || (v[6] != '+' && v[6] != '-'))
		return;
	for (size_t i = 0; i < 11; i++)
		if (i != 6 && (v[i] < '0' || v[i] > '9'))
			return;
	snprintf(f->created + 10, sizeof f->created - 10, "T%.2s:%.2s:%.2s%c%.2s:%.2s",
		 (const char *)v, (const char *)v + 2, (const char *)v + 4, v[6],
		 (const char *)v + 7, (const char *)v + 9);
}

static void dataset(struct scrub_facts *f, uint8_t num, const uint8_t *v, size_t n, bool u)
{
	switch (num) {
	case IIM_KEYWORDS: f->keywords++; break;
	case IIM_DATE_CREATED: set_date(f, v, n); break;
	case IIM_TIME_CREATED: set_time(f, v, n); break;
	case IIM_BY_LINE: set_text(f->creator, sizeof f->creator, v, n, u); break;
	case IIM_CITY: set_text(f->city, sizeof f->city, v, n, u); break;
	case IIM_STATE: set_text(f->state, sizeof f->state, v, n, u); break;
	case IIM_COUNTRY: set_text(f->country, sizeof f->country, v, n, u); break;
	case IIM_COPYRIGHT: set_text(f->copyright, sizeof f->copyright, v, n, u); break;
	case IIM_CONTACT: set_text(f->contact, sizeof f->contact, v, n, u); break;
	case IIM_WRITER: set_text(f->writer, sizeof f->writer, v, n, u); break;
	case IIM_SUBLOCATION: set_text(f->sublocation, sizeof f->sublocation, v, n, u); break;
	case IIM_COUNTRY_CODE: set_text(f->country_code, sizeof f->country_code, v, n, u); break;
	case IIM_PROGRAM: set_text(f->software, sizeof f->software, v, n, u); break;
	case IIM_OBJECT_NAME: free_text(f, "ObjectName", v, n, u); break;
	case IIM_HEADLINE: free_text(f, "Headline", v, n, u); break;
	case IIM_CAPTION: free_text(f, "Caption-Abstract", v, n, u); break;
	default: break;
	}
}

/* Names of common datasets for --report -v (IPTC-IIM 4.2, chapter 6); others show as "1:90". */
static const char *dataset_name(uint8_t rec, uint8_t num)
{
	static const struct { uint8_t rec, num; const char *name; } names[] = {
		{ 1, 90, "CodedCharacterSet" }, { 2, 0, "ApplicationRecordVersion" },
		{ 2, 5, "ObjectName" }, { 2, 15, "Category" }, { 2, 20, "SupplementalCategories" },
		{ 2, 25, "Keywords" }, { 2, 40, "SpecialInstructions" }, { 2, 55, "DateCreated" },
		{ 2, 60, "TimeCreated" }, { 2, 62, "DigitalCreationDate" },
		{ 2, 63, "DigitalCreationTime" }, { 2, 65, "OriginatingProgram" },
		{ 2, 80, "By-line" }, { 2, 85, "By-lineTitle" }, { 2, 90, "City" },
		{ 2, 92, "Sub-location" }, { 2, 95, "Province-State" },
		{ 2, 100, "Country-PrimaryLocationCode" }, { 2, 101, "Country-PrimaryLocationName" },
		{ 2, 103, "OriginalTransmissionReference" }, { 2, 105, "Headline" },
		{ 2, 110, "Credit" }, { 2, 115, "Source" }, { 2, 116, "CopyrightNotice" },
		{ 2, 118, "Contact" }, { 2, 120, "Caption-Abstract" }, { 2, 122, "Writer-Editor" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].rec == rec && names[i].num == num)
			return names[i].name;
	return NULL;
}

/* --report -v: one tag per dataset; binary values are left to the renderers' escaping. */
static void list_dataset(struct scrub_buf *tags, uint8_t rec, uint8_t num, const uint8_t *v,
			 size_t n)
{
	char id[8], value[SCRUB_TAG_VALUE_MAX + 1];
	const char *name = dataset_name(rec, num);
	if (!name) {
		snprintf(id, sizeof id, "%u:%u", rec, num);
		name = id;
	}
	size_t len = n < SCRUB_TAG_VALUE_MAX ? n : SCRUB_TAG_VALUE_MAX;
	memcpy(value, v, len);
	value[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (!value[i])
			value[i] = ' '; /* a record is not NUL-terminated text */
	scrub_tags_add(tags, "IPTC", name, value);
}

void scrub_describe_iim(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	bool utf8 = false;
	for (unsigned i = 0; i < IIM_MAX_RECORDS && scrub_rd_left(&rd) >= 5; i++) {
		if (scrub_rd_u8(&rd) != IIM_TAG)
			return;
		uint8_t rec = scrub_rd_u8(&rd);
		uint8_t num = scrub_rd_u8(&rd);
		size_t len = scrub_rd_be16(&rd);
		if (len & 0x8000) {
			/* Extended dataset: the low bits count the length bytes that follow. */
			size_t nbytes = len & 0x7FFF;
			if (nbytes == 0 || nbytes > 4)
				return;
			len = 0;
			for (size_t k = 0; k < nbytes; k++)
				len = len << 8 | scrub_rd_u8(&rd);
		}
		const uint8_t *v = scrub_rd_take(&rd, len);
		if (!v)
			return;
		if (rec == IIM_ENVELOPE && num == IIM_CHARSET && len == 3 && !memcmp(v, "\x1b%G", 3))
			utf8 = true; /* ISO 2022 escape for UTF-8 */
		if (rec == IIM_APP_RECORD)
			dataset(f, num, v, len, utf8);
		if (f->tags)
			list_dataset(f->tags, rec, num, v, len);
	}
}

size_t scrub_describe_irb_iptc(const uint8_t *p, size_t n, struct scrub_facts *f)
{
	struct scrub_rd rd;
	scrub_rd_init(&rd, p, n);
	size_t iptc = 0;
	for (unsigned i = 0; i < IRB_RESOURCES_MAX && scrub_rd_left(&rd) >= 12 &&
			     scrub_rd_peek_eq(&rd, "8BIM", 4); i++) {
		scrub_rd_skip(&rd, 4);
		uint16_t id = scrub_rd_be16(&rd);
		uint8_t name_len = scrub_rd_u8(&rd);
		scrub_rd_skip(&rd, name_len + (name_len % 2 == 0 ? 1u : 0u));
		uint32_t size = scrub_rd_be32(&rd);
		if (!scrub_rd_ok(&rd) || size > scrub_rd_left(&rd))
			return iptc;
		if (id == IRB_IPTC && !iptc) {
			if (f)
				scrub_describe_iim(rd.base + rd.pos, size, f);
			iptc = size;
		}
		/* The picture as it was saved, maybe before a crop: a JPEG after a 28-byte header. */
		if ((id == IRB_THUMBNAIL || id == IRB_THUMBNAIL_PS4) && f && !f->irb_thumbnail_bytes &&
		    size > IRB_THUMBNAIL_HEAD)
			f->irb_thumbnail_bytes = size - IRB_THUMBNAIL_HEAD;
		scrub_rd_skip(&rd, size + (size % 2 && size < scrub_rd_left(&rd) ? 1u : 0u));
	}
	return iptc;
}
