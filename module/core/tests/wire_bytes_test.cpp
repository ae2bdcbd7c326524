// SPDX-License-Identifier: GPL-2.0
/* wire/bytes.h and wire/error.h. */
#include "cx_test.h"
#include "cases.h"
#include "../wire/bytes.h"
#include "../wire/error.h"

namespace cx::test {

using namespace cx::wire;

void wire_bytes_big_endian_load_store(cx_test *t)
{
	uint8_t buf[6] = {};
	store_be16(buf, 0x1234);
	store_be32(buf + 2, 0xa1b2c3d4u);
	CX_EXPECT_EQ(t, buf[0], 0x12);
	CX_EXPECT_EQ(t, buf[1], 0x34);
	CX_EXPECT_EQ(t, buf[2], 0xa1);
	CX_EXPECT_EQ(t, buf[5], 0xd4);
	CX_EXPECT_EQ(t, load_be16(buf), 0x1234u);
	CX_EXPECT_EQ(t, load_be32(buf + 2), 0xa1b2c3d4u);
	/* high bytes do not sign-extend */
	const uint8_t high[4] = {0xff, 0xfe, 0x80, 0x01};
	CX_EXPECT_EQ(t, load_be16(high), 0xfffeu);
	CX_EXPECT_EQ(t, load_be32(high), 0xfffe8001u);
}

void wire_bytes_has_rejects_overflowing_ranges(cx_test *t)
{
	uint8_t buf[16] = {};
	Bytes bytes(buf);
	const size_t huge = ~static_cast<size_t>(0);
	CX_EXPECT_EQ(t, bytes.len(), 16u);
	CX_EXPECT(t, bytes.has(0, 16));
	CX_EXPECT(t, bytes.has(16, 0));
	CX_EXPECT(t, bytes.has(8, 8));
	CX_EXPECT(t, !bytes.has(8, 9));
	CX_EXPECT(t, !bytes.has(17, 0));
	CX_EXPECT(t, !bytes.has(huge, 2));
	CX_EXPECT(t, !bytes.has(2, huge));
	CX_EXPECT(t, !bytes.has(huge, huge));
	Bytes empty;
	CX_EXPECT(t, empty.empty());
	CX_EXPECT(t, empty.has(0, 0));
	CX_EXPECT(t, !empty.has(0, 1));
}

void wire_bytes_sub_and_accessors(cx_test *t)
{
	uint8_t buf[12] = {};
	Bytes bytes(buf);
	bytes.set_u8(0, 0x42);
	bytes.set_be16(1, 0xbeef);
	bytes.set_be32(8, 0x01020304u);
	CX_EXPECT_EQ(t, bytes.u8(0), 0x42);
	CX_EXPECT_EQ(t, bytes.be16(1), 0xbeefu);
	Bytes tail = bytes.from(8);
	CX_EXPECT_EQ(t, tail.len(), 4u);
	CX_EXPECT_EQ(t, tail.be32(0), 0x01020304u);
	Bytes mid = bytes.sub(1, 2);
	CX_EXPECT_EQ(t, mid.len(), 2u);
	CX_EXPECT_EQ(t, mid.be16(0), 0xbeefu);
	CX_EXPECT_EQ(t, bytes.first(3).len(), 3u);
	CX_EXPECT(t, bytes.from(12).empty());
	const uint8_t src[3] = {7, 8, 9};
	uint8_t dst[3] = {};
	bytes.write(4, src, 3);
	bytes.read(3, dst, 3);
	CX_EXPECT_EQ(t, dst[0], 0);
	CX_EXPECT_EQ(t, dst[1], 7);
	CX_EXPECT_EQ(t, dst[2], 8);
	mid.fill(0xaa);
	CX_EXPECT_EQ(t, buf[1], 0xaa);
	CX_EXPECT_EQ(t, buf[2], 0xaa);
	CX_EXPECT_EQ(t, buf[3], 0);
}

void wire_error_names(cx_test *t)
{
	CX_EXPECT(t, __builtin_strcmp(error_name(Error::Ok), "Ok") == 0);
	CX_EXPECT(t, __builtin_strcmp(error_name(Error::Truncated), "Truncated") == 0);
	CX_EXPECT(t, __builtin_strcmp(error_name(Error::BadIhl), "BadIhl") == 0);
	CX_EXPECT(t, __builtin_strcmp(error_name(Error::LengthExceedsBuffer), "LengthExceedsBuffer") == 0);
	CX_EXPECT(t, __builtin_strcmp(error_name(static_cast<Error>(200)), "?") == 0);
}

} // namespace cx::test
