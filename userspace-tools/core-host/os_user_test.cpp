// SPDX-License-Identifier: GPL-2.0
/* Host-only tests of the userspace OS interface itself (os_user.cpp). */
#include <gtest/gtest.h>

#include <limits.h>
#include <string.h>

#include <vector>

#include "os_user.h"
#include "hash_table.h"
#include "memory.h"
#include "utility.h"

namespace {

class OsUser : public testing::Test {
protected:
	void SetUp() override { cx_user_reset(); }
	void TearDown() override { cx_user_reset(); }
};

/* A timer that records when it fired into a shared log. */
struct LoggedTimer {
	cx_os_timer timer;
	int id;
	std::vector<std::pair<int, uint64_t>> *log;
	unsigned int rearm_times;
	uint64_t period_ns;
};

void log_fire(cx_os_timer *timer)
{
	LoggedTimer *lt = cx::container_of(timer, &LoggedTimer::timer);
	lt->log->push_back({lt->id, cx_os_now_ns()});
	if (lt->rearm_times) {
		lt->rearm_times--;
		cx_os_timer_arm(timer, lt->period_ns);
	}
}

void init_logged(LoggedTimer &lt, int id, std::vector<std::pair<int, uint64_t>> *log)
{
	lt.id = id;
	lt.log = log;
	lt.rearm_times = 0;
	lt.period_ns = 0;
	cx_os_timer_init(&lt.timer, log_fire);
}

using FireLog = std::vector<std::pair<int, uint64_t>>;

} // namespace

// The suite is named os_user (lowercase, for the ctest -R filters).
using os_user = OsUser;

TEST_F(os_user, clock_is_virtual)
{
	const uint64_t start = cx_os_now_ns();
	EXPECT_EQ(start, CX_USER_CLOCK_START_NS);
	EXPECT_EQ(cx_os_now_ns(), start);
	EXPECT_EQ(cx_user_clock_advance(1500), 0u);
	EXPECT_EQ(cx_os_now_ns(), start + 1500);
	cx_user_reset();
	EXPECT_EQ(cx_os_now_ns(), start);
}

TEST_F(os_user, timers_fire_in_deadline_order)
{
	FireLog log;
	LoggedTimer a, b, c;
	init_logged(a, 1, &log);
	init_logged(b, 2, &log);
	init_logged(c, 3, &log);
	const uint64_t t0 = cx_os_now_ns();
	EXPECT_FALSE(cx_os_timer_arm(&a.timer, 300));
	EXPECT_FALSE(cx_os_timer_arm(&b.timer, 100));
	EXPECT_FALSE(cx_os_timer_arm(&c.timer, 200));
	EXPECT_EQ(cx_user_timers_pending(), 3u);

	EXPECT_EQ(cx_user_clock_advance(99), 0u);
	EXPECT_EQ(cx_user_clock_advance(151), 2u);	/* to t0 + 250: b and c */
	ASSERT_EQ(log.size(), 2u);
	EXPECT_EQ(log[0], std::make_pair(2, t0 + 100));	/* the clock reads each deadline */
	EXPECT_EQ(log[1], std::make_pair(3, t0 + 200));
	EXPECT_EQ(cx_os_now_ns(), t0 + 250);
	EXPECT_EQ(cx_user_clock_advance(50), 1u);	/* exactly at the deadline fires */
	EXPECT_EQ(log.back(), std::make_pair(1, t0 + 300));
	EXPECT_EQ(cx_user_timers_pending(), 0u);
}

TEST_F(os_user, timer_ties_fire_in_arming_order)
{
	FireLog log;
	LoggedTimer timers[4];
	for (int i = 0; i < 4; i++) {
		init_logged(timers[i], i, &log);
		cx_os_timer_arm(&timers[i].timer, 10);
	}
	EXPECT_EQ(cx_user_clock_advance(10), 4u);
	ASSERT_EQ(log.size(), 4u);
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(log[i].first, i);
}

TEST_F(os_user, timer_rearm_and_cancel)
{
	FireLog log;
	LoggedTimer a;
	init_logged(a, 1, &log);
	const uint64_t t0 = cx_os_now_ns();
	EXPECT_FALSE(cx_os_timer_arm(&a.timer, 100));
	EXPECT_TRUE(cx_os_timer_arm(&a.timer, 500));	/* re-arm: was pending, deadline moves */
	EXPECT_EQ(cx_user_timers_pending(), 1u);
	EXPECT_EQ(cx_user_clock_advance(499), 0u);
	EXPECT_EQ(cx_user_clock_advance(1), 1u);
	EXPECT_EQ(log.at(0).second, t0 + 500);

	EXPECT_FALSE(cx_os_timer_cancel(&a.timer));	/* not pending */
	cx_os_timer_arm(&a.timer, 10);
	EXPECT_TRUE(cx_os_timer_cancel(&a.timer));
	EXPECT_FALSE(cx_os_timer_cancel_sync(&a.timer));
	EXPECT_EQ(cx_user_clock_advance(1000), 0u);
	EXPECT_EQ(log.size(), 1u);
}

TEST_F(os_user, timer_callback_rearms_periodically)
{
	FireLog log;
	LoggedTimer a;
	init_logged(a, 7, &log);
	a.rearm_times = 9;
	a.period_ns = 10;
	const uint64_t t0 = cx_os_now_ns();
	cx_os_timer_arm(&a.timer, 10);
	EXPECT_EQ(cx_user_clock_advance(1000), 10u);
	ASSERT_EQ(log.size(), 10u);
	for (size_t i = 0; i < log.size(); i++)
		EXPECT_EQ(log[i].second, t0 + 10 * (i + 1));
	EXPECT_EQ(cx_os_now_ns(), t0 + 1000);
}

TEST_F(os_user, run_all_fires_far_timers)
{
	FireLog log;
	LoggedTimer a;
	init_logged(a, 1, &log);
	cx_os_timer_arm(&a.timer, 3600ull * 1000000000ull);
	EXPECT_EQ(cx_user_clock_run_all(100), 1u);
	EXPECT_EQ(cx_os_now_ns(), CX_USER_CLOCK_START_NS + 3600ull * 1000000000ull);
}

namespace {
void cancel_sync_self(cx_os_timer *timer)
{
	cx_os_timer_cancel_sync(timer);
}
} // namespace

TEST_F(os_user, cancel_sync_from_own_callback_dies)
{
	cx_os_timer timer;
	cx_os_timer_init(&timer, cancel_sync_self);
	cx_os_timer_arm(&timer, 1);
	EXPECT_DEATH(cx_user_clock_advance(1), "cancel_sync from its own callback");
	cx_os_timer_cancel(&timer);
}

TEST_F(os_user, pkt_push_pull_put_bounds)
{
	cx_pkt *pkt = cx_pkt_alloc(16, 32, CX_GFP_ATOMIC);
	ASSERT_NE(pkt, nullptr);
	EXPECT_EQ(cx_pkt_len(pkt), 0u);
	uint8_t *start = cx_pkt_data(pkt);

	uint8_t *body = cx_pkt_put(pkt, 20);
	EXPECT_EQ(body, start);
	memset(body, 0x11, 20);
	EXPECT_EQ(cx_pkt_put(pkt, 13), nullptr);	/* 12 bytes of tailroom left */
	EXPECT_EQ(cx_pkt_put(pkt, 12), start + 20);
	EXPECT_EQ(cx_pkt_put(pkt, 1), nullptr);
	EXPECT_EQ(cx_pkt_len(pkt), 32u);

	EXPECT_EQ(cx_pkt_push(pkt, 17), nullptr);	/* 16 bytes of headroom */
	uint8_t *header = cx_pkt_push(pkt, 14);
	EXPECT_EQ(header, start - 14);
	EXPECT_EQ(cx_pkt_data(pkt), header);
	EXPECT_EQ(cx_pkt_push(pkt, 2), start - 16);
	EXPECT_EQ(cx_pkt_push(pkt, 1), nullptr);
	EXPECT_EQ(cx_pkt_len(pkt), 48u);

	EXPECT_TRUE(cx_pkt_may_pull(pkt, 48));
	EXPECT_FALSE(cx_pkt_may_pull(pkt, 49));
	EXPECT_EQ(cx_pkt_pull(pkt, 49), nullptr);
	EXPECT_EQ(cx_pkt_pull(pkt, 16), start);	/* returns the new data */
	EXPECT_EQ(cx_pkt_len(pkt), 32u);
	EXPECT_EQ(cx_pkt_data(pkt)[0], 0x11);
	EXPECT_EQ(cx_pkt_pull(pkt, 32), start + 32);
	EXPECT_EQ(cx_pkt_len(pkt), 0u);
	EXPECT_EQ(cx_pkt_pull(pkt, 1), nullptr);
	cx_pkt_free(pkt);
	cx_pkt_free(nullptr);
}

TEST_F(os_user, pkt_trim)
{
	cx_pkt *pkt = cx_pkt_alloc(0, 100, CX_GFP_KERNEL);
	ASSERT_NE(pkt, nullptr);
	cx_pkt_put(pkt, 60);
	EXPECT_TRUE(cx_pkt_trim(pkt, 80));	/* longer than the packet: no-op */
	EXPECT_EQ(cx_pkt_len(pkt), 60u);
	EXPECT_TRUE(cx_pkt_trim(pkt, 28));
	EXPECT_EQ(cx_pkt_len(pkt), 28u);
	/* trimmed bytes become tailroom again */
	EXPECT_NE(cx_pkt_put(pkt, 72), nullptr);
	EXPECT_EQ(cx_pkt_put(pkt, 1), nullptr);
	cx_pkt_free(pkt);
}

TEST_F(os_user, pkt_alloc_limits)
{
	EXPECT_EQ(cx_pkt_alloc(static_cast<size_t>(INT_MAX) + 1, 0, CX_GFP_KERNEL), nullptr);
	EXPECT_EQ(cx_pkt_alloc(1, INT_MAX, CX_GFP_KERNEL), nullptr);
	cx_pkt *empty = cx_pkt_alloc(0, 0, CX_GFP_KERNEL);
	ASSERT_NE(empty, nullptr);
	EXPECT_EQ(cx_pkt_put(empty, 1), nullptr);
	EXPECT_EQ(cx_pkt_push(empty, 1), nullptr);
	cx_pkt_free(empty);
}

TEST_F(os_user, alloc_failure_injection)
{
	const long live = cx_user_live_allocs();
	const unsigned long failures = cx_user_alloc_failures();
	cx_user_fail_alloc_after(2);
	void *a = cx_os_zalloc(8, CX_GFP_ATOMIC);
	cx_pkt *p = cx_pkt_alloc(0, 8, CX_GFP_ATOMIC);
	EXPECT_NE(a, nullptr);
	EXPECT_NE(p, nullptr);
	EXPECT_EQ(cx_os_zalloc(8, CX_GFP_ATOMIC), nullptr);	/* the third fails */
	EXPECT_EQ(cx_pkt_alloc(0, 8, CX_GFP_ATOMIC), nullptr);	/* and every later one */
	EXPECT_EQ(cx_user_alloc_failures(), failures + 2);
	EXPECT_EQ(cx_user_live_allocs(), live + 2);
	cx_os_free(a);
	cx_pkt_free(p);
	EXPECT_EQ(cx_user_live_allocs(), live);
	cx_user_fail_alloc_after(-1);
	void *b = cx_os_zalloc(8, CX_GFP_ATOMIC);
	EXPECT_NE(b, nullptr);
	cx_os_free(b);
	EXPECT_EQ(cx_os_zalloc(0, CX_GFP_ATOMIC), nullptr);
}

namespace {
struct Entry {
	cx::HashNode hnode;
	int key;
};
} // namespace

TEST_F(os_user, core_allocation_failures_reach_callers)
{
	cx_user_fail_alloc_after(0);
	EXPECT_EQ(cx::make<Entry>(cx::Gfp::Atomic), nullptr);
	EXPECT_EQ(cx::make_array<uint32_t>(4, cx::Gfp::Kernel), nullptr);
	cx::HashTable<Entry, &Entry::hnode> table;
	EXPECT_FALSE(table.init(64, cx::Gfp::Kernel));
	EXPECT_FALSE(table.initialized());
	table.destroy();
	cx_user_fail_alloc_after(-1);
	EXPECT_TRUE(table.init(64, cx::Gfp::Kernel));
	table.destroy();
}

TEST_F(os_user, zalloc_is_zeroed)
{
	uint8_t *p = static_cast<uint8_t *>(cx_os_zalloc(4096, CX_GFP_KERNEL));
	ASSERT_NE(p, nullptr);
	for (int i = 0; i < 4096; i++)
		ASSERT_EQ(p[i], 0);
	cx_os_free(p);
}

TEST_F(os_user, refcount_get_put)
{
	cx_os_refcount ref;
	cx_os_ref_init(&ref, 1);
	cx_os_ref_get(&ref);
	EXPECT_EQ(cx_os_ref_read(&ref), 2u);
	EXPECT_FALSE(cx_os_ref_put(&ref));
	EXPECT_TRUE(cx_os_ref_put(&ref));
	EXPECT_EQ(cx_os_ref_read(&ref), 0u);
}

TEST_F(os_user, refcount_underflow_dies)
{
	cx_os_refcount ref;
	cx_os_ref_init(&ref, 0);
	EXPECT_DEATH(cx_os_ref_put(&ref), "underflow");
}

TEST_F(os_user, refcount_get_from_zero_dies)
{
	cx_os_refcount ref;
	cx_os_ref_init(&ref, 1);
	EXPECT_TRUE(cx_os_ref_put(&ref));
	EXPECT_DEATH(cx_os_ref_get(&ref), "increment on 0");
}

TEST_F(os_user, spinlock_lock_unlock)
{
	cx_os_lock_class cls{};
	cx_os_spinlock lock;
	cx_os_spin_init(&lock, &cls, "test_lock");
	cx_os_spin_lock_bh(&lock);
	cx_os_spin_unlock_bh(&lock);
	cx_os_spin_lock_bh(&lock);
	cx_os_spin_unlock_bh(&lock);
}

TEST_F(os_user, spinlock_recursion_dies)
{
	cx_os_lock_class cls{};
	cx_os_spinlock lock;
	cx_os_spin_init(&lock, &cls, "test_lock");
	EXPECT_DEATH(
		{
			cx_os_spin_lock_bh(&lock);
			cx_os_spin_lock_bh(&lock);
		},
		"test_lock: recursive locking");
	EXPECT_DEATH(cx_os_spin_unlock_bh(&lock), "not held");
}

TEST_F(os_user, bug_on_reports_location_and_aborts)
{
	int two = 2;
	CX_BUG_ON(two != 2);	/* a false condition does nothing */
	EXPECT_DEATH(CX_BUG_ON(two == 2), "BUG at .*os_user_test.cpp:[0-9]+: two == 2");
	EXPECT_DEATH(cx_os_bug("file.cpp", 7, "what"), "BUG at file.cpp:7: what");
}

TEST_F(os_user, random_bytes_deterministic_per_seed)
{
	uint8_t a[37], b[37], c[37];
	cx_user_random_seed(1);
	cx_os_random_bytes(a, sizeof(a));
	cx_user_random_seed(1);
	cx_os_random_bytes(b, sizeof(b));
	cx_user_random_seed(2);
	cx_os_random_bytes(c, sizeof(c));
	EXPECT_EQ(memcmp(a, b, sizeof(a)), 0);
	EXPECT_NE(memcmp(a, c, sizeof(a)), 0);
}
