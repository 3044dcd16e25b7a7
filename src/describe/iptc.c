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
#include "describe/facts.h"

#define IRB_IPTC 0x0404
#define IIM_TAG 0x1C
#define IIM_ENVELOPE 1
#define IIM_CHARSET 90 /* 1:90 CodedCharacterSet */
#define IIM_APP_RECORD 2
#define IIM_MAX_RECORDS 4096 /* a budget: real files hold a few dozen */

/* Application record datasets shown in reports (IPTC-IIM 4.2, chapter 6). */
enum {
	IIM_KEYWORDS = 25,
	IIM_DATE_CREATED = 55,
	IIM_TIME_CREATED = 60,
	IIM_BY_LINE = 80,
	IIM_CITY = 90,
	IIM_STATE = 95,
	IIM_COUNTRY = 101,
	IIM_COPYRIGHT = 116,
};

/* True when v[0..n) is well-formed UTF-8 (lead and continuation bytes only). */
static bool is_utf8(const uint8_t *v, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t len = v[i] < 0x80 ? 1 : (v[i] >> 5) == 6 ? 2 : (v[i] >> 4) == 14 ? 3 :
			     (v[i] >> 3) == 30 ? 4 : 0;
		if (len == 0 || len > n - i)
			return false;
		for (size_t k = 1; k < len; k++)
			if ((v[i + k] & 0xC0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

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
	bool latin1 = !utf8 && !is_utf8(v, n);
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = v[i] ? v[i] : ' ';
		if (latin1 && c >= 0x80) {
			if (out + 2 > size - 1)
				break;
			dst[out++] = (char)(0xC0 | c >> 6);
			dst[out++] = (char)(0x80 | (c & 0x3F));
		} else {
			if (out + 1 > size - 1)
				break;
			dst[out++] = (char)c;
		}
	}
	dst[out] = '\0';
}

/* 2:55 DateCreated is CCYYMMDD; shown as CCYY-MM-DD. */
static void set_date(struct scrub_facts *f, const uint8_t *v, size_t n)
{
	if (f->datetime[0] || n != 8)
		return;
	for (size_t i = 0; i < 8; i++)
		if (v[i] < '0' || v[i] > '9')
			return;
	memcpy(f->datetime, v, 4);
	f->datetime[4] = '-';
	memcpy(f->datetime + 5, v + 4, 2);
	f->datetime[7] = '-';
	memcpy(f->datetime + 8, v + 6, 2);
	f->datetime[10] = '\0';
}

/*
 * 2:60 TimeCreated is HHMMSS+HHMM; it completes a date 2:55 just set
 * ("2006-10-29T06:27:51-05:00"). Records come in dataset order.
 */
static void set_time(struct scrub_facts *f, const uint8_t *v, size_t n)
{
	if (strlen(f->datetime) != 10 || n != 11 || (v[6] != '+' && v[6] != '-'))
		return;
	for (size_t i = 0; i < 11; i++)
		if (i != 6 && (v[i] < '0' || v[i] > '9'))
			return;
	snprintf(f->datetime + 10, sizeof f->datetime - 10, "T%.2s:%.2s:%.2s%c%.2s:%.2s",
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
	while (scrub_rd_left(&rd) >= 12 && scrub_rd_peek_eq(&rd, "8BIM", 4)) {
		scrub_rd_skip(&rd, 4);
		uint16_t id = scrub_rd_be16(&rd);
		uint8_t name_len = scrub_rd_u8(&rd);
		scrub_rd_skip(&rd, name_len + (name_len % 2 == 0 ? 1u : 0u));
		uint32_t size = scrub_rd_be32(&rd);
		if (!scrub_rd_ok(&rd) || size > scrub_rd_left(&rd))
			return 0;
		if (id == IRB_IPTC) {
			if (f)
				scrub_describe_iim(rd.base + rd.pos, size, f);
			return size;
		}
		scrub_rd_skip(&rd, size + (size % 2 && size < scrub_rd_left(&rd) ? 1u : 0u));
	}
	return 0;
}
