/*
 * scrub_pixels_orient: every EXIF orientation on a 3x2 image against the
 * layout written out by hand (EXIF 2.32, Orientation tag), and each turn
 * undone by its inverse.
 */
#include <stdio.h>
#include <string.h>

#include "formats/codec.h"

static int failures;

static void expect(int o, const uint8_t *got, const char *want)
{
	if (memcmp(got, want, 6) != 0) {
		printf("FAIL: orientation %d: got %.6s, want %s\n", o, (const char *)got, want);
		failures++;
	}
}

int main(void)
{
	/* Stored as    a b c     1 byte a pixel.
	 *              d e f  */
	static const uint8_t img[6] = { 'a', 'b', 'c', 'd', 'e', 'f' };
	static const char *const upright[9] = {
		NULL,
		"abcdef", /* 1 */
		"cbafed", /* 2: mirrored left-right */
		"fedcba", /* 3: half turn */
		"defabc", /* 4: mirrored top-bottom */
		"adbecf", /* 5: transposed, 2 wide and 3 high */
		"daebfc", /* 6: quarter turn clockwise */
		"fcebda", /* 7: transverse */
		"cfbead", /* 8: quarter turn anticlockwise */
	};
	static const int inverse[9] = { 0, 1, 2, 3, 4, 5, 8, 7, 6 };
	for (int o = 1; o <= 8; o++) {
		uint8_t out[6], back[6];
		scrub_pixels_orient(img, 3, 2, 1, o, out);
		expect(o, out, upright[o]);
		uint32_t w = o >= 5 ? 2 : 3, h = o >= 5 ? 3 : 2;
		scrub_pixels_orient(out, w, h, 1, inverse[o], back);
		expect(o, back, "abcdef");
	}
	/* Wider pixels move whole. */
	static const uint8_t wide[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }; /* 2x2, 2 bytes a pixel */
	uint8_t turned[8];
	scrub_pixels_orient(wide, 2, 2, 2, 6, turned);
	static const uint8_t want[8] = { 5, 6, 1, 2, 7, 8, 3, 4 };
	if (memcmp(turned, want, 8) != 0) {
		printf("FAIL: 2-byte pixels\n");
		failures++;
	}
	printf("%s\n", failures ? "FAILED" : "ok");
	return failures != 0;
}
