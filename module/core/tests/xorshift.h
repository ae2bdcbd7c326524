/* SPDX-License-Identifier: GPL-2.0 */
/* A deterministic pseudo-random generator for test cases (no libc here). */
#ifndef CXNET_CORE_TESTS_XORSHIFT_H
#define CXNET_CORE_TESTS_XORSHIFT_H

#include "../types.h"

namespace cx::test {

/* Marsaglia's xorshift32: same sequence in the kernel and in userspace. */
class Xorshift32 {
public:
	explicit constexpr Xorshift32(uint32_t seed) : state_(seed ? seed : 0x9e3779b9u) {}

	uint32_t next()
	{
		state_ ^= state_ << 13;
		state_ ^= state_ >> 17;
		state_ ^= state_ << 5;
		return state_;
	}

	/* 0 .. bound - 1 (bound > 0; a slight modulo bias is fine for tests) */
	uint32_t below(uint32_t bound) { return next() % bound; }

	uint16_t next16() { return static_cast<uint16_t>(next() >> 16); }
	uint8_t next8() { return static_cast<uint8_t>(next() >> 24); }

	void fill(uint8_t *buf, size_t len)
	{
		for (size_t i = 0; i < len; i++)
			buf[i] = next8();
	}

private:
	uint32_t state_;
};

} // namespace cx::test

#endif /* CXNET_CORE_TESTS_XORSHIFT_H */
