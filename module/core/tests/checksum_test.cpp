// SPDX-License-Identifier: GPL-2.0
/* RFC 1071 checksum and RFC 1624 incremental update, against a naive reference. */
#include "cx_test.h"
#include "cases.h"
#include "xorshift.h"
#include "../checksum.h"
#include "../memory.h"

namespace cx::test {

namespace {

/* RFC 1071 the slow way: 16-bit big-endian words, end-around carry at every step. */
uint16_t reference_sum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	for (size_t i = 0; i < len; i += 2) {
		uint32_t word = static_cast<uint32_t>(p[i]) << 8;
		if (i + 1 < len)
			word |= p[i + 1];
		sum += word;
		if (sum > 0xffff)
			sum -= 0xffff;
	}
	return static_cast<uint16_t>(sum);
}

uint16_t reference_checksum(const uint8_t *p, size_t len)
{
	return static_cast<uint16_t>(~reference_sum(p, len));
}

void store16(uint8_t *p, uint16_t v)
{
	p[0] = static_cast<uint8_t>(v >> 8);
	p[1] = static_cast<uint8_t>(v);
}

uint16_t load16(const uint8_t *p)
{
	return static_cast<uint16_t>((p[0] << 8) | p[1]);
}

/* A random IPv4-like 20-byte header (first byte 0x45) with its checksum filled. */
void random_header(Xorshift32 &rng, uint8_t *h)
{
	rng.fill(h, 20);
	h[0] = 0x45;
	store16(h + 10, 0);
	store16(h + 10, internet_checksum(h, 20));
}

uint16_t recomputed_checksum(uint8_t *h)
{
	uint16_t saved = load16(h + 10);
	store16(h + 10, 0);
	uint16_t check = internet_checksum(h, 20);
	store16(h + 10, saved);
	return check;
}

} // namespace

void checksum_rfc1071_example(cx_test *t)
{
	/* RFC 1071 section 3: the one's complement sum of these bytes is ddf2 */
	const uint8_t bytes[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	CX_EXPECT_EQ(t, csum_fold(csum_partial(bytes, sizeof(bytes), 0)), 0xddf2u);
	CX_EXPECT_EQ(t, internet_checksum(bytes, sizeof(bytes)), 0x220du);
	CX_EXPECT_EQ(t, reference_checksum(bytes, sizeof(bytes)), 0x220du);
}

void checksum_empty_range(cx_test *t)
{
	CX_EXPECT_EQ(t, csum_partial(nullptr, 0, 0), 0u);
	CX_EXPECT_EQ(t, internet_checksum(nullptr, 0), 0xffffu);
	/* an empty range leaves a running sum unchanged */
	CX_EXPECT_EQ(t, csum_partial(nullptr, 0, 0x1234u), 0x1234u);
}

void checksum_odd_length_pads_with_zero(cx_test *t)
{
	const uint8_t odd[] = {0x01, 0x02, 0x03};
	const uint8_t padded[] = {0x01, 0x02, 0x03, 0x00};
	CX_EXPECT_EQ(t, csum_fold(csum_partial(odd, 3, 0)), 0x0402u);
	CX_EXPECT_EQ(t, internet_checksum(odd, 3), internet_checksum(padded, 4));
	const uint8_t one[] = {0xab};
	CX_EXPECT_EQ(t, csum_fold(csum_partial(one, 1, 0)), 0xab00u);
}

void checksum_matches_reference_every_length(cx_test *t)
{
	uint8_t buf[264];
	Xorshift32 rng(1071);
	for (size_t align = 0; align < 4; align++) {
		for (size_t len = 0; len + align <= 260; len++) {
			rng.fill(buf, sizeof(buf));
			const uint8_t *p = buf + align;
			CX_EXPECT_EQ(t, internet_checksum(p, len), reference_checksum(p, len));
		}
	}
}

void checksum_continuation_at_every_split(cx_test *t)
{
	uint8_t buf[77];
	Xorshift32 rng(42);
	rng.fill(buf, sizeof(buf));
	const uint16_t whole = internet_checksum(buf, sizeof(buf));
	for (size_t split = 0; split <= sizeof(buf); split++) {
		uint32_t sum = csum_partial(buf, split, 0);
		sum = csum_continue(sum, buf + split, sizeof(buf) - split, split);
		CX_EXPECT_EQ(t, csum_finish(sum), whole);
	}
}

void checksum_block_add_three_pieces(cx_test *t)
{
	uint8_t buf[61];
	Xorshift32 rng(7);
	for (int round = 0; round < 50; round++) {
		rng.fill(buf, sizeof(buf));
		size_t a = rng.below(sizeof(buf) + 1);
		size_t b = a + rng.below(static_cast<uint32_t>(sizeof(buf) - a + 1));
		/* pieces summed independently, then combined at their offsets */
		uint32_t s1 = csum_partial(buf, a, 0);
		uint32_t s2 = csum_partial(buf + a, b - a, 0);
		uint32_t s3 = csum_partial(buf + b, sizeof(buf) - b, 0);
		uint32_t sum = csum_block_add(csum_block_add(s1, s2, a), s3, b);
		CX_EXPECT_EQ(t, csum_finish(sum), reference_checksum(buf, sizeof(buf)));
	}
}

void checksum_all_ones_carry(cx_test *t)
{
	/* 4 MiB of 0xff words: every addition carries; the sum stays 0xffff */
	const size_t len = 4096;
	uint8_t *buf = static_cast<uint8_t *>(cx_os_zalloc(len, CX_GFP_ATOMIC));
	CX_EXPECT(t, buf != nullptr);
	if (!buf)
		return;
	for (size_t i = 0; i < len; i++)
		buf[i] = 0xff;
	uint32_t sum = 0;
	for (int i = 0; i < 1024; i++)
		sum = csum_continue(sum, buf, len, 0);
	CX_EXPECT_EQ(t, csum_fold(sum), 0xffffu);
	CX_EXPECT_EQ(t, internet_checksum(buf, len), 0u);
	CX_EXPECT_EQ(t, internet_checksum(buf, 3), reference_checksum(buf, 3));
	cx_os_free(buf);
}

void checksum_ipv4_header_example(cx_test *t)
{
	uint8_t h[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		       0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	/* a header with a correct checksum sums to 0xffff */
	CX_EXPECT_EQ(t, csum_fold(csum_partial(h, sizeof(h), 0)), 0xffffu);
	CX_EXPECT_EQ(t, recomputed_checksum(h), 0xb861u);
}

void checksum_pseudo_header_matches_bytes(cx_test *t)
{
	Xorshift32 rng(768);
	for (int round = 0; round < 200; round++) {
		uint32_t src = rng.next(), dst = rng.next();
		uint8_t proto = rng.next8();
		uint16_t len = rng.next16();
		const uint8_t bytes[12] = {
			static_cast<uint8_t>(src >> 24), static_cast<uint8_t>(src >> 16),
			static_cast<uint8_t>(src >> 8),	 static_cast<uint8_t>(src),
			static_cast<uint8_t>(dst >> 24), static_cast<uint8_t>(dst >> 16),
			static_cast<uint8_t>(dst >> 8),	 static_cast<uint8_t>(dst),
			0,				 proto,
			static_cast<uint8_t>(len >> 8),	 static_cast<uint8_t>(len),
		};
		CX_EXPECT_EQ(t, csum_fold(csum_ipv4_pseudo(src, dst, proto, len)),
			     reference_sum(bytes, sizeof(bytes)));
	}
}

void checksum_rfc1624_example(cx_test *t)
{
	/* RFC 1624 section 4: eqn. 3 yields 0x0000 where eqn. 2 wrongly gave 0xffff */
	CX_EXPECT_EQ(t, csum_replace16(0xdd2f, 0x5555, 0x3285), 0x0000u);
	/* and the reverse change restores the original */
	CX_EXPECT_EQ(t, csum_replace16(0x0000, 0x3285, 0x5555), 0xdd2fu);
}

void checksum_incremental16_matches_recompute(cx_test *t)
{
	uint8_t h[20];
	Xorshift32 rng(1624);
	for (int round = 0; round < 2000; round++) {
		random_header(rng, h);
		/* any 16-bit word but the checksum itself */
		size_t word = rng.below(9);
		size_t off = (word >= 5 ? word + 1 : word) * 2;
		uint16_t old_value = load16(h + off);
		uint16_t new_value = round % 10 == 0 ? static_cast<uint16_t>(~old_value) : rng.next16();
		store16(h + off, new_value);
		uint16_t updated = csum_replace16(load16(h + 10), old_value, new_value);
		CX_EXPECT_EQ(t, updated, recomputed_checksum(h));
	}
}

void checksum_incremental32_matches_recompute(cx_test *t)
{
	uint8_t h[20];
	Xorshift32 rng(3022);
	for (int round = 0; round < 2000; round++) {
		random_header(rng, h);
		/* rewrite the source or destination address (NAT) */
		size_t off = rng.below(2) ? 12 : 16;
		uint32_t old_value = (static_cast<uint32_t>(load16(h + off)) << 16) | load16(h + off + 2);
		uint32_t new_value = rng.next();
		store16(h + off, static_cast<uint16_t>(new_value >> 16));
		store16(h + off + 2, static_cast<uint16_t>(new_value));
		uint16_t updated = csum_replace32(load16(h + 10), old_value, new_value);
		CX_EXPECT_EQ(t, updated, recomputed_checksum(h));
	}
}

void checksum_incremental_chain_stays_exact(cx_test *t)
{
	/* many successive updates of one header never drift from recomputation */
	uint8_t h[20];
	Xorshift32 rng(99);
	random_header(rng, h);
	uint16_t check = load16(h + 10);
	for (int round = 0; round < 1000; round++) {
		/* decrement TTL the way a router does, wrapping, plus a random ident */
		uint16_t old_ttl_word = load16(h + 8);
		h[8] = static_cast<uint8_t>(h[8] - 1);
		check = csum_replace16(check, old_ttl_word, load16(h + 8));
		uint16_t old_ident = load16(h + 4);
		store16(h + 4, rng.next16());
		check = csum_replace16(check, old_ident, load16(h + 4));
		store16(h + 10, check);
	}
	CX_EXPECT_EQ(t, check, recomputed_checksum(h));
	CX_EXPECT_EQ(t, csum_fold(csum_partial(h, 20, 0)), 0xffffu);
}

} // namespace cx::test
