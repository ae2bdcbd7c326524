// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only randomized checksum tests: long buffers, any alignment, random
 * splits, against a reference written independently of the core's.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "checksum.h"

namespace {

/* RFC 1071 by 16-bit words in a 64-bit accumulator, folded once at the end. */
uint16_t reference_checksum(const uint8_t *p, size_t len)
{
	uint64_t sum = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (static_cast<uint64_t>(p[i]) << 8) | p[i + 1];
	if (len & 1)
		sum += static_cast<uint64_t>(p[len - 1]) << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return static_cast<uint16_t>(~sum);
}

} // namespace

TEST(checksum_host, random_buffers_match_reference)
{
	std::mt19937 rng(20240601);
	std::vector<uint8_t> buf(70000);
	for (int round = 0; round < 3000; round++) {
		size_t len = round < 100 ? rng() % 70000 : rng() % 3000;
		size_t align = rng() % 8;
		if (align + len > buf.size())
			len = buf.size() - align;
		for (size_t i = 0; i < align + len; i++)
			buf[i] = static_cast<uint8_t>(rng());
		/* skewed data: long runs of 0xff stress the carries */
		if (round % 4 == 0)
			for (size_t i = 0; i < align + len; i += 1 + rng() % 3)
				buf[i] = 0xff;
		const uint8_t *p = buf.data() + align;
		const uint16_t expected = reference_checksum(p, len);
		ASSERT_EQ(cx::internet_checksum(p, len), expected) << "len " << len << " align " << align;

		/* the same bytes summed in random pieces */
		uint32_t sum = 0;
		size_t offset = 0;
		while (offset < len) {
			size_t piece = 1 + rng() % (len - offset);
			if (rng() % 2)	/* many short pieces too */
				piece = std::min(piece, static_cast<size_t>(1 + rng() % 7));
			sum = cx::csum_continue(sum, p + offset, piece, offset);
			offset += piece;
		}
		ASSERT_EQ(cx::csum_finish(sum), expected) << "len " << len << " in pieces";
	}
}

TEST(checksum_host, random_incremental_updates_match_recompute)
{
	std::mt19937 rng(1624);
	std::vector<uint8_t> buf(64);
	for (int round = 0; round < 20000; round++) {
		const size_t len = 2 * (3 + rng() % 30);	/* even, 6..64 bytes */
		for (size_t i = 0; i < len; i++)
			buf[i] = static_cast<uint8_t>(rng());
		/* word 0 is never changed and never zero: the data is never all zero */
		buf[0] |= 0x01;
		const size_t words = len / 2;
		const size_t check_at = 2 * (1 + rng() % (words - 1));
		buf[check_at] = buf[check_at + 1] = 0;
		uint16_t check = reference_checksum(buf.data(), len);
		buf[check_at] = static_cast<uint8_t>(check >> 8);
		buf[check_at + 1] = static_cast<uint8_t>(check);

		size_t at;
		do
			at = 2 * (1 + rng() % (words - 1));
		while (at == check_at);
		const uint16_t old_value = static_cast<uint16_t>((buf[at] << 8) | buf[at + 1]);
		const uint16_t new_value = static_cast<uint16_t>(rng());
		buf[at] = static_cast<uint8_t>(new_value >> 8);
		buf[at + 1] = static_cast<uint8_t>(new_value);
		check = cx::csum_replace16(check, old_value, new_value);

		buf[check_at] = buf[check_at + 1] = 0;
		ASSERT_EQ(check, reference_checksum(buf.data(), len)) << "round " << round;
	}
}
