// SPDX-License-Identifier: GPL-2.0
/* TCP sequence arithmetic modulo 2^32. */
#include "cx_test.h"
#include "cases.h"
#include "../seq.h"

namespace cx::test {

/* usable in constant expressions */
static_assert(seq_before(1, 2) && seq_after(0, 0xffffffffu), "seq.h is constexpr");
static_assert(seq_between(0, 0xfffffff0u, 0x10), "seq_between wraps");

void seq_before_after_basic(cx_test *t)
{
	CX_EXPECT(t, seq_before(1, 2));
	CX_EXPECT(t, !seq_before(2, 1));
	CX_EXPECT(t, seq_after(2, 1));
	CX_EXPECT(t, !seq_after(1, 2));
	CX_EXPECT(t, seq_before(1000, 1000 + 0x7fffffffu));
	CX_EXPECT_EQ(t, seq_diff(5, 3), 2);
	CX_EXPECT_EQ(t, seq_diff(3, 5), -2);
}

void seq_wrap_around(cx_test *t)
{
	/* 0xfffffff0 comes 0x20 before 0x10 across the wrap */
	CX_EXPECT(t, seq_before(0xfffffff0u, 0x10));
	CX_EXPECT(t, seq_after(0x10, 0xfffffff0u));
	CX_EXPECT(t, seq_before(0xffffffffu, 0));
	CX_EXPECT(t, seq_after(0, 0xffffffffu));
	CX_EXPECT_EQ(t, seq_diff(0x10, 0xfffffff0u), 0x20);
	CX_EXPECT(t, seq_before_eq(0xffffffffu, 0));
	CX_EXPECT(t, seq_after_eq(0, 0xffffffffu));
}

void seq_equal_is_neither_before_nor_after(cx_test *t)
{
	const uint32_t values[] = {0, 1, 0x7fffffffu, 0x80000000u, 0xffffffffu};
	for (uint32_t v : values) {
		CX_EXPECT(t, !seq_before(v, v));
		CX_EXPECT(t, !seq_after(v, v));
		CX_EXPECT(t, seq_before_eq(v, v));
		CX_EXPECT(t, seq_after_eq(v, v));
	}
}

void seq_half_space_boundary(cx_test *t)
{
	/* less than 2^31 apart: ordered; at 2^31 both are "before" (like the kernel) */
	const uint32_t a = 0x12345678u;
	CX_EXPECT(t, seq_before(a, a + 0x7fffffffu));
	CX_EXPECT(t, !seq_before(a + 0x7fffffffu, a));
	CX_EXPECT(t, seq_before(a, a + 0x80000000u));
	CX_EXPECT(t, seq_before(a + 0x80000000u, a));
	/* past half the space the order flips */
	CX_EXPECT(t, seq_after(a, a + 0x80000001u));
}

void seq_between_inclusive(cx_test *t)
{
	CX_EXPECT(t, seq_between(10, 10, 20));
	CX_EXPECT(t, seq_between(15, 10, 20));
	CX_EXPECT(t, seq_between(20, 10, 20));
	CX_EXPECT(t, !seq_between(9, 10, 20));
	CX_EXPECT(t, !seq_between(21, 10, 20));
	CX_EXPECT(t, seq_between(7, 7, 7));
}

void seq_between_across_wrap(cx_test *t)
{
	CX_EXPECT(t, seq_between(0xfffffff0u, 0xfffffff0u, 0x10));
	CX_EXPECT(t, seq_between(0xffffffffu, 0xfffffff0u, 0x10));
	CX_EXPECT(t, seq_between(0, 0xfffffff0u, 0x10));
	CX_EXPECT(t, seq_between(0x10, 0xfffffff0u, 0x10));
	CX_EXPECT(t, !seq_between(0x11, 0xfffffff0u, 0x10));
	CX_EXPECT(t, !seq_between(0xffffffefu, 0xfffffff0u, 0x10));
}

void seq_in_window_half_open(cx_test *t)
{
	CX_EXPECT(t, seq_in_window(100, 100, 10));
	CX_EXPECT(t, seq_in_window(109, 100, 10));
	CX_EXPECT(t, !seq_in_window(110, 100, 10));
	CX_EXPECT(t, !seq_in_window(99, 100, 10));
	CX_EXPECT(t, !seq_in_window(100, 100, 0));
	CX_EXPECT(t, seq_in_window(2, 0xfffffffeu, 5));
	CX_EXPECT(t, !seq_in_window(3, 0xfffffffeu, 5));
}

void seq_max_min_across_wrap(cx_test *t)
{
	CX_EXPECT_EQ(t, seq_max(0xfffffff0u, 0x10), 0x10u);
	CX_EXPECT_EQ(t, seq_min(0xfffffff0u, 0x10), 0xfffffff0u);
	CX_EXPECT_EQ(t, seq_max(5, 5), 5u);
	CX_EXPECT_EQ(t, seq_min(1, 2), 1u);
}

} // namespace cx::test
