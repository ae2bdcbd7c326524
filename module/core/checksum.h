/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Internet checksum (RFC 1071) and its incremental update (RFC 1624).
 *
 * Values are in host order as read big-endian from the wire: a checksum
 * returned here is stored with store_be16() and a field value passed in is
 * the one load_be16()/load_be32() gives. Partial sums are 32-bit,
 * unfolded one's complement sums (like the kernel's __wsum); csum_fold()
 * reduces one to 16 bits and csum_finish() gives the header field value.
 */
#ifndef CXNET_CORE_CHECKSUM_H
#define CXNET_CORE_CHECKSUM_H

#include "types.h"

namespace cx {

/* One's complement addition of two partial sums (end-around carry). */
constexpr uint32_t csum_add(uint32_t a, uint32_t b)
{
	uint32_t sum = a + b;
	return sum + (sum < a ? 1u : 0u);
}

/* Partial sum with sum plus len bytes, the first at an even stream offset. */
uint32_t csum_partial(const void *data, size_t len, uint32_t sum);

/*
 * Add a block's partial sum to sum, the block starting at byte offset of
 * the summed stream: at an odd offset its bytes swap roles (high/low).
 */
constexpr uint32_t csum_block_add(uint32_t sum, uint32_t block_sum, size_t offset)
{
	if (offset & 1)
		block_sum = (block_sum >> 8) | (block_sum << 24);
	return csum_add(sum, block_sum);
}

/* Continue sum with len bytes starting at byte offset of the stream. */
inline uint32_t csum_continue(uint32_t sum, const void *data, size_t len, size_t offset)
{
	return csum_block_add(sum, csum_partial(data, len, 0), offset);
}

/* Fold a partial sum to the 16-bit one's complement sum (not inverted). */
constexpr uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return static_cast<uint16_t>(sum);
}

/* The checksum field value for a partial sum: ~fold(sum). */
constexpr uint16_t csum_finish(uint32_t sum)
{
	return static_cast<uint16_t>(~csum_fold(sum));
}

/* RFC 1071 checksum of a byte range (0xffff for an empty range). */
inline uint16_t internet_checksum(const void *data, size_t len)
{
	return csum_finish(csum_partial(data, len, 0));
}

/* Partial sum of the IPv4 pseudo-header: src, dst, zero, protocol, length. */
constexpr uint32_t csum_ipv4_pseudo(uint32_t src, uint32_t dst, uint8_t protocol, uint16_t length)
{
	return csum_add(csum_add(csum_add(src, dst), protocol), length);
}

/*
 * RFC 1624 eqn. 3: the new checksum after a 16-bit field changed from
 * old_value to new_value: HC' = ~(~HC + ~m + m').
 */
constexpr uint16_t csum_replace16(uint16_t check, uint16_t old_value, uint16_t new_value)
{
	uint32_t sum = static_cast<uint16_t>(~check);
	sum += static_cast<uint16_t>(~old_value);
	sum += new_value;
	return csum_finish(sum);
}

/* The same for an aligned 32-bit field (an address, a sequence number). */
constexpr uint16_t csum_replace32(uint16_t check, uint32_t old_value, uint32_t new_value)
{
	/* ~x of 32 bits is -x modulo 0xffff, like ~x of 16 bits */
	uint32_t sum = csum_add(static_cast<uint16_t>(~check), ~old_value);
	return csum_finish(csum_add(sum, new_value));
}

} // namespace cx

#endif /* CXNET_CORE_CHECKSUM_H */
