// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 1071 Internet checksum over byte ranges.
 *
 * Big-endian 32-bit words are summed into a 64-bit accumulator: since
 * 2^16 == 1 modulo 0xffff, summing 32-bit words and folding gives the same
 * one's complement sum as summing 16-bit words.
 */
#include "checksum.h"

namespace cx {

namespace {

inline uint32_t load_be32(const uint8_t *p)
{
	return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
	       (static_cast<uint32_t>(p[2]) << 8) | static_cast<uint32_t>(p[3]);
}

/* Reduce a 64-bit sum to 32 bits, keeping its value modulo 0xffff. */
inline uint32_t fold64(uint64_t sum)
{
	sum = (sum & 0xffffffffu) + (sum >> 32);
	sum = (sum & 0xffffffffu) + (sum >> 32);
	return static_cast<uint32_t>(sum);
}

} // namespace

uint32_t csum_partial(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = static_cast<const uint8_t *>(data);
	uint64_t acc = sum;

	while (len >= 4) {
		acc += load_be32(p);
		/* fold long before the 64-bit accumulator could overflow */
		if (acc >> 62)
			acc = fold64(acc);
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		acc += (static_cast<uint32_t>(p[0]) << 8) | p[1];
		p += 2;
		len -= 2;
	}
	if (len)	/* an odd last byte is the high half of a zero-padded word */
		acc += static_cast<uint32_t>(p[0]) << 8;
	return fold64(acc);
}

} // namespace cx
