// SPDX-License-Identifier: GPL-2.0
/* jhash() over bytes: lookup3's hashlittle(), as the kernel's jhash(). */
#include "hash.h"

namespace cx {

namespace {

using detail::rol32;

/* __jhash_mix: reversibly mix 3 words */
inline void jhash_mix(uint32_t &a, uint32_t &b, uint32_t &c)
{
	a -= c; a ^= rol32(c, 4);  c += b;
	b -= a; b ^= rol32(a, 6);  a += c;
	c -= b; c ^= rol32(b, 8);  b += a;
	a -= c; a ^= rol32(c, 16); c += b;
	b -= a; b ^= rol32(a, 19); a += c;
	c -= b; c ^= rol32(b, 4);  b += a;
}

inline uint32_t load_le32(const uint8_t *p)
{
	return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
	       (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}

} // namespace

uint32_t jhash(const void *key, size_t len, uint32_t seed)
{
	const uint8_t *k = static_cast<const uint8_t *>(key);
	/* the kernel's length parameter is u32: truncate the same way */
	uint32_t a, b, c;
	a = b = c = detail::kJhashInitval + static_cast<uint32_t>(len) + seed;

	while (len > 12) {
		a += load_le32(k);
		b += load_le32(k + 4);
		c += load_le32(k + 8);
		jhash_mix(a, b, c);
		len -= 12;
		k += 12;
	}
	switch (len) {
	case 12: c += static_cast<uint32_t>(k[11]) << 24; [[fallthrough]];
	case 11: c += static_cast<uint32_t>(k[10]) << 16; [[fallthrough]];
	case 10: c += static_cast<uint32_t>(k[9]) << 8;   [[fallthrough]];
	case 9:  c += k[8];                               [[fallthrough]];
	case 8:  b += static_cast<uint32_t>(k[7]) << 24;  [[fallthrough]];
	case 7:  b += static_cast<uint32_t>(k[6]) << 16;  [[fallthrough]];
	case 6:  b += static_cast<uint32_t>(k[5]) << 8;   [[fallthrough]];
	case 5:  b += k[4];                               [[fallthrough]];
	case 4:  a += static_cast<uint32_t>(k[3]) << 24;  [[fallthrough]];
	case 3:  a += static_cast<uint32_t>(k[2]) << 16;  [[fallthrough]];
	case 2:  a += static_cast<uint32_t>(k[1]) << 8;   [[fallthrough]];
	case 1:  a += k[0];
		detail::jhash_final(a, b, c);
		break;
	case 0: /* nothing left to add */
		break;
	}
	return c;
}

} // namespace cx
