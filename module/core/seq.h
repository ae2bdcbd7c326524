/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP sequence number arithmetic modulo 2^32 (RFC 793 3.3, RFC 1982),
 * like the kernel's before()/after()/between(): a is before b when the
 * signed 32-bit difference a - b is negative. Meaningful for numbers less
 * than 2^31 apart; at exactly 2^31 apart each is "before" the other.
 */
#ifndef CXNET_CORE_SEQ_H
#define CXNET_CORE_SEQ_H

#include "types.h"

namespace cx {

/* a - b as a signed distance (wraps modulo 2^32). */
constexpr int32_t seq_diff(uint32_t a, uint32_t b)
{
	return static_cast<int32_t>(a - b);
}

constexpr bool seq_before(uint32_t a, uint32_t b)
{
	return seq_diff(a, b) < 0;
}

constexpr bool seq_after(uint32_t a, uint32_t b)
{
	return seq_before(b, a);
}

constexpr bool seq_before_eq(uint32_t a, uint32_t b)
{
	return seq_diff(a, b) <= 0;
}

constexpr bool seq_after_eq(uint32_t a, uint32_t b)
{
	return seq_before_eq(b, a);
}

/* low <= seq <= high, inclusive, walking forward from low (kernel between()). */
constexpr bool seq_between(uint32_t seq, uint32_t low, uint32_t high)
{
	return high - low >= seq - low;
}

/* seq in the half-open window [start, start + len). */
constexpr bool seq_in_window(uint32_t seq, uint32_t start, uint32_t len)
{
	return seq - start < len;
}

/* The later / earlier of two sequence numbers. */
constexpr uint32_t seq_max(uint32_t a, uint32_t b)
{
	return seq_after(a, b) ? a : b;
}

constexpr uint32_t seq_min(uint32_t a, uint32_t b)
{
	return seq_before(a, b) ? a : b;
}

} // namespace cx

#endif /* CXNET_CORE_SEQ_H */
