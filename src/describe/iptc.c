/*
 * Photoshop image resource blocks (APP13 "Photoshop 3.0"): a sequence of
 * "8BIM", 16-bit id, Pascal name padded to even length, 32-bit size, data
 * padded to even length. Resource 0x0404 holds IPTC-IIM.
 */
#include "scrub/bytes.h"
#include "scrub/facts.h"

#define IRB_IPTC 0x0404

size_t scrub_describe_irb_iptc(const uint8_t *p, size_t n)
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
		if (id == IRB_IPTC)
			return size;
		scrub_rd_skip(&rd, size + (size % 2 && size < scrub_rd_left(&rd) ? 1u : 0u));
	}
	return 0;
}
