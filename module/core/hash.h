/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jhash: Bob Jenkins' lookup3 hash, bit for bit the kernel's jhash(),
 * jhash_1word/2words/3words() (<linux/jhash.h>). Seeded: tables keyed by
 * peer-controlled data hash with a random seed, against hash flooding.
 * Bytes are read little-endian, so results do not depend on the host.
 */
#ifndef CXNET_CORE_HASH_H
#define CXNET_CORE_HASH_H

#include "types.h"

namespace cx {

namespace detail {

constexpr uint32_t kJhashInitval = 0xdeadbeef;

constexpr uint32_t rol32(uint32_t word, unsigned int shift)
{
	return (word << shift) | (word >> ((32 - shift) & 31));
}

/* __jhash_final: final mixing of 3 words into c */
constexpr void jhash_final(uint32_t &a, uint32_t &b, uint32_t &c)
{
	c ^= b; c -= rol32(b, 14);
	a ^= c; a -= rol32(c, 11);
	b ^= a; b -= rol32(a, 25);
	c ^= b; c -= rol32(b, 16);
	a ^= c; a -= rol32(c, 4);
	b ^= a; b -= rol32(a, 14);
	c ^= b; c -= rol32(b, 24);
}

constexpr uint32_t jhash_nwords(uint32_t a, uint32_t b, uint32_t c, uint32_t initval)
{
	a += initval;
	b += initval;
	c += initval;
	jhash_final(a, b, c);
	return c;
}

} // namespace detail

/* Hash of len bytes. */
uint32_t jhash(const void *key, size_t len, uint32_t seed);

/* Hashes of 1, 2 or 3 words: equal to jhash() of their little-endian bytes. */
constexpr uint32_t jhash_3words(uint32_t a, uint32_t b, uint32_t c, uint32_t seed)
{
	return detail::jhash_nwords(a, b, c, seed + detail::kJhashInitval + (3 << 2));
}

constexpr uint32_t jhash_2words(uint32_t a, uint32_t b, uint32_t seed)
{
	return detail::jhash_nwords(a, b, 0, seed + detail::kJhashInitval + (2 << 2));
}

constexpr uint32_t jhash_1word(uint32_t a, uint32_t seed)
{
	return detail::jhash_nwords(a, 0, 0, seed + detail::kJhashInitval + (1 << 2));
}

} // namespace cx

#endif /* CXNET_CORE_HASH_H */
