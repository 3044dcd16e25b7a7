#include <stdlib.h>
#include <string.h>

#include "engine/verify.h"
#include "formats/codec.h"

enum scrub_status scrub_verify(const struct scrub_backend *be, const uint8_t *a, size_t na,
			       const uint8_t *b, size_t nb, const char **why)
{
	*why = NULL;
	if (!be->decode) {
		*why = "no decoder for this format";
		return SCRUB_E_VERIFY;
	}
	struct scrub_pixels pa, pb;
	enum scrub_status st = be->decode(a, na, &pa);
	if (st != SCRUB_OK) {
		*why = "the original does not decode";
		return st;
	}
	st = be->decode(b, nb, &pb);
	if (st != SCRUB_OK) {
		*why = "the scrubbed image does not decode";
		scrub_pixels_free(&pa);
		return st;
	}
	bool same = pa.width == pb.width && pa.height == pb.height && pa.frames == pb.frames &&
		    pa.len == pb.len && memcmp(pa.data, pb.data, pa.len) == 0;
	bool timed = pa.timing == pb.timing;
	if (!same)
		*why = "decoded pixels differ";
	else if (!timed)
		*why = "frame timing differs";
	same = same && timed;
	scrub_pixels_free(&pa);
	scrub_pixels_free(&pb);
	return same ? SCRUB_OK : SCRUB_E_VERIFY;
}
