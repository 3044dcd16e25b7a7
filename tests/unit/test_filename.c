/*
 * Unit tests for what a file name gives away (src/describe/filename.c):
 * names as phones, cameras and apps write them, with the time and device
 * each one encodes, and names that only look alike.
 */
#include <stdio.h>
#include <string.h>

#include "describe/facts.h"

#include "check.h"

static const struct {
	const char *name, *time, *device;
} cases[] = {
	{ "IMG_20240501_123456.jpg", "2024-05-01T12:34:56", "phone camera (Android naming)" },
	{ "img_20240501_123456_HDR.JPG", "2024-05-01T12:34:56", "phone camera (Android naming)" },
	{ "PXL_20240501_123456789.jpg", "2024-05-01T12:34:56Z", "Google Pixel camera" },
	{ "PXL_20240501_123456789.MP.jpg", "2024-05-01T12:34:56Z", "Google Pixel camera" },
	{ "IMG20231224183005.jpg", "2023-12-24T18:30:05", "phone camera (OnePlus, Oppo, Realme naming)" },
	{ "20240501_123456.jpg", "2024-05-01T12:34:56", "phone camera (Samsung naming)" },
	{ "IMG-20240501-WA0007.jpg", "2024-05-01", "WhatsApp (Android)" },
	{ "WhatsApp Image 2024-05-01 at 12.34.56.jpeg", "2024-05-01T12:34:56", "WhatsApp" },
	{ "WhatsApp Image 2024-05-01 at 1.23.45 PM.jpeg", "2024-05-01T13:23:45", "WhatsApp" },
	{ "WhatsApp Image 2024-05-01 at 12.05.00 AM (1).jpeg", "2024-05-01T00:05:00", "WhatsApp" },
	{ "Screenshot 2024-05-01 at 12.34.56.png", "2024-05-01T12:34:56", "macOS screenshot" },
	{ "Screen Shot 2020-05-01 at 9.08.07 AM.png", "2020-05-01T09:08:07", "macOS screenshot" },
	{ "Screenshot 2024-05-01 123456.png", "2024-05-01T12:34:56", "Windows screenshot" },
	{ "Screenshot from 2024-05-01 12-34-56.png", "2024-05-01T12:34:56", "GNOME screenshot" },
	{ "Screenshot_20240501-123456_Chrome.jpg", "2024-05-01T12:34:56", "Android screenshot" },
	{ "Screenshot_2024-05-01-12-34-56-789_com.whatsapp.jpg", "2024-05-01T12:34:56",
	  "Android screenshot" },
	{ "signal-2024-05-01-123456.jpg", "2024-05-01T12:34:56", "Signal" },
	{ "photo_2024-05-01_12-34-56.jpg", "2024-05-01T12:34:56", "Telegram" },
	{ "2024-05-01 12.34.56.jpg", "2024-05-01T12:34:56", "Dropbox camera upload" },
	{ "DJI_20240501123456_0001_D.JPG", "2024-05-01T12:34:56", "DJI drone" },
	{ "DJI_0001.JPG", "", "DJI drone" },
	{ "DSC_0042.JPG", "", "Nikon camera" },
	{ "DSCF1234.JPG", "", "Fujifilm camera" },
	{ "GOPR0001.JPG", "", "GoPro camera" },
	/* Only alike: the fields are checked. */
	{ "IMG_20241301_123456.jpg", "", "" },  /* month 13 */
	{ "IMG_20240501_253456.jpg", "", "" },  /* hour 25 */
	{ "IMG_2024050_123456.jpg", "", "" },   /* a digit short */
	{ "DSC_party.jpg", "", "" },
	{ "holiday.jpg", "", "" },
	{ "", "", "" },
	{ "IMG_", "", "" },
	{ "Screen Shot 2020-05-01 at 1", "", "" }, /* cut inside the hour */
};

int main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct scrub_facts f;
		scrub_facts_clear(&f);
		scrub_describe_file_name(cases[i].name, &f);
		bool ok = !strcmp(f.name_time, cases[i].time) && !strcmp(f.name_device, cases[i].device);
		if (!ok)
			fprintf(stderr, "%s: got '%s' '%s'\n", cases[i].name, f.name_time, f.name_device);
		CHECK(ok);
	}
	return check_summary();
}
