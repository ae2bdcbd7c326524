// SPDX-License-Identifier: GPL-2.0
/* Per-netns tunables: Linux's defaults, ranges and cross-checks (tunables.h). */
#include "cx_test.h"
#include "cases.h"
#include "../cx_errno.h"
#include "../memory.h"
#include "../tunables.h"

namespace cx::test {

namespace {

cx_tunables *new_tunables()
{
	auto *t = static_cast<cx_tunables *>(cx_os_zalloc(cx_tunables_size(), CX_GFP_ATOMIC));
	if (t)
		cx_tunables_init(t);
	return t;
}

constexpr unsigned kRange = CX_TUNABLE_IP_LOCAL_PORT_RANGE;
constexpr unsigned kUnpriv = CX_TUNABLE_IP_UNPRIVILEGED_PORT_START;

int set2(cx_tunables *t, int64_t lo, int64_t hi, const char **msg, int *bad)
{
	const int64_t v[2] = {lo, hi};
	return cx_tunable_set(t, kRange, v, 2, msg, bad);
}

} // namespace

void tunables_defaults_like_linux(cx_test *t)
{
	cx_tunables *tn = new_tunables();
	CX_EXPECT(t, tn != nullptr);
	if (!tn)
		return;
	int64_t v[CX_TUNABLE_MAX_VALUES] = {};
	cx_tunable_get(tn, kRange, v);
	CX_EXPECT_EQ(t, v[0], 32768);
	CX_EXPECT_EQ(t, v[1], 60999);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kUnpriv, 0), 1024);
	CX_EXPECT_EQ(t, cx_tunable_count(), (unsigned)CX_TUNABLE_COUNT);
	CX_EXPECT_EQ(t, cx_tunable_info(kRange)->count, 2u);
	CX_EXPECT_EQ(t, cx_tunable_info(kRange)->min, 1);
	CX_EXPECT_EQ(t, cx_tunable_info(kRange)->max, 65535);
	CX_EXPECT(t, cx_tunable_info(CX_TUNABLE_COUNT) == nullptr);
	cx_os_free(tn);
}

void tunables_lookup_dot_and_slash_names(cx_test *t)
{
	CX_EXPECT_EQ(t, cx_tunable_lookup("net.ipv4.ip_local_port_range"), (int)kRange);
	CX_EXPECT_EQ(t, cx_tunable_lookup("net/ipv4/ip_local_port_range"), (int)kRange);
	CX_EXPECT_EQ(t, cx_tunable_lookup("net.ipv4.ip_unprivileged_port_start"), (int)kUnpriv);
	CX_EXPECT_EQ(t, cx_tunable_lookup("net.ipv4.ip_local_port_rang"), -1);
	CX_EXPECT_EQ(t, cx_tunable_lookup("net.ipv4.ip_local_port_range2"), -1);
	CX_EXPECT_EQ(t, cx_tunable_lookup(""), -1);
}

void tunables_range_checked_per_element(cx_test *t)
{
	cx_tunables *tn = new_tunables();
	if (!tn)
		return;
	const char *msg = nullptr;
	int bad = -2;
	CX_EXPECT_EQ(t, set2(tn, 70000, 80000, &msg, &bad), -CX_EINVAL);
	CX_EXPECT_EQ(t, bad, 0);
	CX_EXPECT(t, msg != nullptr);
	CX_EXPECT_EQ(t, set2(tn, 2000, 65536, &msg, &bad), -CX_EINVAL);
	CX_EXPECT_EQ(t, bad, 1);
	CX_EXPECT_EQ(t, set2(tn, 0, 100, &msg, &bad), -CX_EINVAL);
	CX_EXPECT_EQ(t, set2(tn, -5, 100, &msg, &bad), -CX_EINVAL);
	/* nothing changed */
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kRange, 0), 32768);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kRange, 1), 60999);
	/* the whole valid range is accepted */
	CX_EXPECT_EQ(t, set2(tn, 1024, 65535, &msg, &bad), 0);
	CX_EXPECT(t, msg == nullptr);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kRange, 1), 65535);
	cx_os_free(tn);
}

void tunables_local_port_range_cross_checks(cx_test *t)
{
	cx_tunables *tn = new_tunables();
	if (!tn)
		return;
	const char *msg;
	int bad;
	/* hi < lo is refused; hi == lo is fine (Linux allows a single port) */
	CX_EXPECT_EQ(t, set2(tn, 5000, 4999, &msg, &bad), -CX_EINVAL);
	CX_EXPECT_EQ(t, set2(tn, 5000, 5000, &msg, &bad), 0);
	/* lo below ip_unprivileged_port_start (1024) is refused */
	CX_EXPECT_EQ(t, set2(tn, 1023, 5000, &msg, &bad), -CX_EINVAL);
	CX_EXPECT_EQ(t, bad, 0);
	/* after lowering ip_unprivileged_port_start, it is accepted */
	const int64_t zero = 0;
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kUnpriv, &zero, 1, &msg, &bad), 0);
	CX_EXPECT_EQ(t, set2(tn, 1, 5000, &msg, &bad), 0);
	cx_os_free(tn);
}

void tunables_unprivileged_port_start_cross_check(cx_test *t)
{
	cx_tunables *tn = new_tunables();
	if (!tn)
		return;
	const char *msg;
	int bad;
	/* must not rise above the first local port (32768) */
	const int64_t above = 40000, at = 32768, max = 65535, over = 65536;
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kUnpriv, &above, 1, &msg, &bad), -CX_EINVAL);
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kUnpriv, &at, 1, &msg, &bad), 0);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kUnpriv, 0), 32768);
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kUnpriv, &max, 1, &msg, &bad), -CX_EINVAL);
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kUnpriv, &over, 1, &msg, &bad), -CX_EINVAL);
	cx_os_free(tn);
}

void tunables_fewer_values_update_leading_elements(cx_test *t)
{
	cx_tunables *tn = new_tunables();
	if (!tn)
		return;
	const char *msg;
	int bad;
	const int64_t lo = 40000;
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kRange, &lo, 1, &msg, &bad), 0);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kRange, 0), 40000);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kRange, 1), 60999);
	/* and the cross-check still sees the full vector */
	const int64_t too_high = 61000;
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kRange, &too_high, 1, &msg, &bad), -CX_EINVAL);
	cx_os_free(tn);
}

void tunables_too_many_or_no_values(cx_test *t)
{
	cx_tunables *tn = new_tunables();
	if (!tn)
		return;
	const char *msg;
	int bad;
	const int64_t v[3] = {2000, 3000, 4000};
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kRange, v, 3, &msg, &bad), -CX_EINVAL);
	CX_EXPECT(t, msg != nullptr);
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kRange, v, 0, &msg, &bad), -CX_EINVAL);
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kUnpriv, v, 2, &msg, &bad), -CX_EINVAL);
	CX_EXPECT_EQ(t, cx_tunable_set(tn, CX_TUNABLE_COUNT, v, 1, &msg, &bad), -CX_EINVAL);
	cx_os_free(tn);
}

void tunables_ping_group_range_like_linux(cx_test *t)
{
	cx_tunables *tn = new_tunables();
	if (!tn)
		return;
	constexpr unsigned kPing = CX_TUNABLE_PING_GROUP_RANGE;
	const char *msg;
	int bad;
	/* default "1 0": an empty range, nobody (not even gid 0) */
	CX_EXPECT_EQ(t, cx_tunable_lookup("net.ipv4.ping_group_range"), (int)kPing);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kPing, 0), 1);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kPing, 1), 0);
	const int64_t all[2] = {0, 4294967294LL};
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kPing, all, 2, &msg, &bad), 0);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kPing, 1), 4294967294LL);
	/* GID_T_MAX is the top; -1 (no gid) is refused */
	const int64_t over[2] = {0, 4294967295LL}, neg[2] = {-1, 5};
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kPing, over, 2, &msg, &bad), -CX_EINVAL);
	CX_EXPECT_EQ(t, bad, 1);
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kPing, neg, 2, &msg, &bad), -CX_EINVAL);
	CX_EXPECT_EQ(t, bad, 0);
	/* an inverted range is accepted and stored as "1 0" */
	const int64_t inverted[2] = {100, 50};
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kPing, inverted, 2, &msg, &bad), 0);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kPing, 0), 1);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kPing, 1), 0);
	/* one value updates the low end; above the high end it empties the range too */
	const int64_t ten[2] = {0, 10}, five = 5, twenty = 20;
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kPing, ten, 2, &msg, &bad), 0);
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kPing, &five, 1, &msg, &bad), 0);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kPing, 0), 5);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kPing, 1), 10);
	CX_EXPECT_EQ(t, cx_tunable_set(tn, kPing, &twenty, 1, &msg, &bad), 0);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kPing, 0), 1);
	CX_EXPECT_EQ(t, cx_tunable_read(tn, kPing, 1), 0);
	cx_os_free(tn);
}

} // namespace cx::test
