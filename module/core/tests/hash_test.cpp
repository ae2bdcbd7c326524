// SPDX-License-Identifier: GPL-2.0
/* jhash: published lookup3 vectors and the kernel's word variants. */
#include "cx_test.h"
#include "cases.h"
#include "xorshift.h"
#include "../hash.h"

namespace cx::test {

namespace {

const char kFourScore[] = "Four score and seven years ago";

void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = static_cast<uint8_t>(v);
	p[1] = static_cast<uint8_t>(v >> 8);
	p[2] = static_cast<uint8_t>(v >> 16);
	p[3] = static_cast<uint8_t>(v >> 24);
}

} // namespace

void hash_jhash_lookup3_vectors(cx_test *t)
{
	/* lookup3.c driver5(): hashlittle() is the kernel's jhash() */
	CX_EXPECT_EQ(t, jhash("", 0, 0), 0xdeadbeefu);
	CX_EXPECT_EQ(t, jhash(kFourScore, 30, 0), 0x17770551u);
	CX_EXPECT_EQ(t, jhash(kFourScore, 30, 1), 0xcd628161u);
}

void hash_jhash_words_match_bytes(cx_test *t)
{
	Xorshift32 rng(3);
	uint8_t bytes[12];
	for (int round = 0; round < 100; round++) {
		uint32_t a = rng.next(), b = rng.next(), c = rng.next(), seed = rng.next();
		store_le32(bytes, a);
		store_le32(bytes + 4, b);
		store_le32(bytes + 8, c);
		CX_EXPECT_EQ(t, jhash_3words(a, b, c, seed), jhash(bytes, 12, seed));
		CX_EXPECT_EQ(t, jhash_2words(a, b, seed), jhash(bytes, 8, seed));
		CX_EXPECT_EQ(t, jhash_1word(a, seed), jhash(bytes, 4, seed));
	}
}

void hash_jhash_seed_changes_hash(cx_test *t)
{
	const uint32_t key = 0x0a000001u;
	uint32_t previous = jhash_1word(key, 0);
	for (uint32_t seed = 1; seed < 64; seed++) {
		uint32_t h = jhash_1word(key, seed);
		CX_EXPECT(t, h != previous);
		previous = h;
	}
}

void hash_jhash_every_byte_matters(cx_test *t)
{
	/* flipping any bit of any byte, at every key length up to 40, changes the hash */
	uint8_t key[40];
	Xorshift32 rng(11);
	rng.fill(key, sizeof(key));
	for (size_t len = 1; len <= sizeof(key); len++) {
		uint32_t base = jhash(key, len, 0x5eed);
		for (size_t i = 0; i < len; i++) {
			for (int bit = 0; bit < 8; bit++) {
				key[i] ^= static_cast<uint8_t>(1u << bit);
				CX_EXPECT(t, jhash(key, len, 0x5eed) != base);
				key[i] ^= static_cast<uint8_t>(1u << bit);
			}
		}
	}
}

void hash_jhash_spreads_sequential_keys(cx_test *t)
{
	/* 4096 consecutive keys into 64 buckets: about 64 each, none far off */
	uint16_t buckets[64] = {};
	for (uint32_t key = 0; key < 4096; key++)
		buckets[jhash_1word(key, 0x1234) & 63]++;
	for (uint16_t n : buckets) {
		CX_EXPECT(t, n > 32);
		CX_EXPECT(t, n < 100);
	}
}

} // namespace cx::test
