// SPDX-License-Identifier: GPL-2.0
/* utility.h: min/max/swap, array size, container_of, powers of two. */
#include "cx_test.h"
#include "cases.h"
#include "../utility.h"

namespace cx::test {

namespace {

struct Outer {
	uint64_t first;
	uint8_t pad[3];
	uint32_t middle;
	char last;
};

} // namespace

void core_utility_min_max_swap(cx_test *t)
{
	CX_EXPECT_EQ(t, min(3, 5), 3);
	CX_EXPECT_EQ(t, max(3, 5), 5);
	CX_EXPECT_EQ(t, min(-1, -1), -1);
	int a = 1, b = 2;
	swap(a, b);
	CX_EXPECT_EQ(t, a, 2);
	CX_EXPECT_EQ(t, b, 1);
	static_assert(min(7u, 9u) == 7u && max(7u, 9u) == 9u, "constexpr");
}

void core_utility_array_size(cx_test *t)
{
	int ints[7];
	const char text[] = "abc";
	uint8_t bytes[3][5];
	static_assert(CX_ARRAY_SIZE(ints) == 7, "usable as a constant");
	CX_EXPECT_EQ(t, CX_ARRAY_SIZE(text), 4u);
	CX_EXPECT_EQ(t, CX_ARRAY_SIZE(bytes), 3u);
	CX_EXPECT_EQ(t, CX_ARRAY_SIZE(bytes[0]), 5u);
	(void)ints;
}

void core_utility_container_of(cx_test *t)
{
	Outer outer{};
	CX_EXPECT_EQ(t, member_offset(&Outer::first), 0u);
	CX_EXPECT_EQ(t, member_offset(&Outer::middle), static_cast<size_t>(__builtin_offsetof(Outer, middle)));
	CX_EXPECT_EQ(t, container_of(&outer.middle, &Outer::middle), &outer);
	CX_EXPECT_EQ(t, container_of(&outer.last, &Outer::last), &outer);
	const Outer &ref = outer;
	const Outer *back = container_of(&ref.first, &Outer::first);
	CX_EXPECT_EQ(t, back, &outer);
}

void core_utility_powers_of_two(cx_test *t)
{
	CX_EXPECT(t, !is_power_of_two(0));
	CX_EXPECT(t, is_power_of_two(1));
	CX_EXPECT(t, is_power_of_two(4096));
	CX_EXPECT(t, !is_power_of_two(4097));
	CX_EXPECT(t, is_power_of_two(1ull << 63));
	CX_EXPECT_EQ(t, round_up_power_of_two(0), 1u);
	CX_EXPECT_EQ(t, round_up_power_of_two(1), 1u);
	CX_EXPECT_EQ(t, round_up_power_of_two(5), 8u);
	CX_EXPECT_EQ(t, round_up_power_of_two(1024), 1024u);
	CX_EXPECT_EQ(t, round_up_power_of_two(1025), 2048u);
}

} // namespace cx::test
