// SPDX-License-Identifier: GPL-2.0
/* RFC 6528 initial sequence numbers (see tcp_isn.h). */
#include "tcp_isn.h"

#include "../os.h"

namespace cx::tcp {

namespace {

constexpr uint64_t rotl(uint64_t x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

struct SipState {
	uint64_t v0, v1, v2, v3;

	void round()
	{
		v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
		v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
		v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
		v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
	}

	void compress(uint64_t m)
	{
		v3 ^= m;
		round();
		round();
		v0 ^= m;
	}
};

uint64_t load_le64(const uint8_t *p, size_t n)
{
	uint64_t word = 0;
	for (size_t i = 0; i < n; i++)
		word |= static_cast<uint64_t>(p[i]) << (8 * i);
	return word;
}

} // namespace

void isn_key_init(IsnKey *key)
{
	cx_os_random_bytes(key, sizeof(*key));
}

uint64_t siphash24(const IsnKey &key, const void *data, size_t len)
{
	const uint8_t *in = static_cast<const uint8_t *>(data);
	SipState s{0x736f6d6570736575ull ^ key.k0, 0x646f72616e646f6dull ^ key.k1,
		   0x6c7967656e657261ull ^ key.k0, 0x7465646279746573ull ^ key.k1};
	size_t full = len & ~static_cast<size_t>(7);
	for (size_t i = 0; i < full; i += 8)
		s.compress(load_le64(in + i, 8));
	uint64_t last = (static_cast<uint64_t>(len) << 56) | load_le64(in + full, len - full);
	s.compress(last);
	s.v2 ^= 0xff;
	s.round();
	s.round();
	s.round();
	s.round();
	return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

uint32_t isn_hash(const IsnKey &key, uint32_t saddr, uint32_t daddr, uint16_t sport,
		  uint16_t dport)
{
	uint8_t tuple[12];
	for (int i = 0; i < 4; i++) {
		tuple[i] = static_cast<uint8_t>(saddr >> (8 * i));
		tuple[4 + i] = static_cast<uint8_t>(daddr >> (8 * i));
	}
	tuple[8] = static_cast<uint8_t>(sport);
	tuple[9] = static_cast<uint8_t>(sport >> 8);
	tuple[10] = static_cast<uint8_t>(dport);
	tuple[11] = static_cast<uint8_t>(dport >> 8);
	return static_cast<uint32_t>(siphash24(key, tuple, sizeof(tuple)));
}

uint32_t isn_generate(const IsnKey &key, uint32_t saddr, uint32_t daddr, uint16_t sport,
		      uint16_t dport, uint64_t now_ns)
{
	return isn_hash(key, saddr, daddr, sport, dport) + static_cast<uint32_t>(now_ns / 4000);
}

} // namespace cx::tcp
