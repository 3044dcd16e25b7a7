/*
 * Fuzz target for the orientation reader and the minimal-EXIF writer:
 * whatever value the bounded IFD0 reader finds in arbitrary TIFF bytes, the
 * block written for it must read back as the same value.
 */
#include <stdlib.h>

#include "formats/orientation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int o = scrub_orientation_read_exif(data, size);
	if (o < 0 || o > 8)
		abort();
	size_t len = 0;
	const uint8_t *block = scrub_orientation_block(o, &len);
	if ((o >= 2) != (block != NULL))
		abort();
	if (block && scrub_orientation_read_exif(block, len) != o)
		abort();
	return 0;
}
