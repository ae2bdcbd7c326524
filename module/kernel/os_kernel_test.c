// SPDX-License-Identifier: GPL-2.0
/* KUnit tests of the kernel OS interface (os_kernel.c) against real kernel objects. */
#include <linux/delay.h>
#include <linux/completion.h>
#include <linux/skbuff.h>
#include <kunit/test.h>

#include "../core/os.h"
#include "../core/tunables.h"
#include "os_kernel_test.h"

static void cx_os_test_alloc(struct kunit *test)
{
	unsigned char *p = cx_os_zalloc(256, CX_GFP_KERNEL);
	unsigned char *q = cx_os_zalloc(64, CX_GFP_ATOMIC);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);
	for (i = 0; i < 256; i++)
		KUNIT_EXPECT_EQ(test, p[i], 0);
	KUNIT_EXPECT_NULL(test, cx_os_zalloc(0, CX_GFP_KERNEL));
	cx_os_free(p);
	cx_os_free(q);
	cx_os_free(NULL);
}

static void cx_os_test_time(struct kunit *test)
{
	uint64_t a = cx_os_now_ns(), b;

	usleep_range(1000, 2000);
	b = cx_os_now_ns();
	KUNIT_EXPECT_GE(test, b - a, 1000000ULL);
}

static void cx_os_test_refcount(struct kunit *test)
{
	struct cx_os_refcount ref;

	cx_os_ref_init(&ref, 1);
	cx_os_ref_get(&ref);
	KUNIT_EXPECT_EQ(test, cx_os_ref_read(&ref), 2U);
	KUNIT_EXPECT_FALSE(test, cx_os_ref_put(&ref));
	KUNIT_EXPECT_TRUE(test, cx_os_ref_put(&ref));
}

static struct cx_os_lock_class cx_os_test_lock_class;

static void cx_os_test_spinlock(struct kunit *test)
{
	struct cx_os_spinlock *lock = kunit_kzalloc(test, sizeof(*lock), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, lock);
	cx_os_spin_init(lock, &cx_os_test_lock_class, "cx_os_test_lock");
	cx_os_spin_lock_bh(lock);
	KUNIT_EXPECT_TRUE(test, spin_is_locked((spinlock_t *)lock->opaque));
	cx_os_spin_unlock_bh(lock);
	KUNIT_EXPECT_FALSE(test, spin_is_locked((spinlock_t *)lock->opaque));
}

struct cx_os_test_timer {
	struct cx_os_timer timer;
	struct completion fired;
	uint64_t armed_ns, fired_ns;
};

static void cx_os_test_timer_fn(struct cx_os_timer *timer)
{
	struct cx_os_test_timer *t = container_of(timer, struct cx_os_test_timer, timer);

	t->fired_ns = cx_os_now_ns();
	complete(&t->fired);
}

static void cx_os_test_timer(struct kunit *test)
{
	struct cx_os_test_timer *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	init_completion(&t->fired);
	cx_os_timer_init(&t->timer, cx_os_test_timer_fn);
	t->armed_ns = cx_os_now_ns();
	KUNIT_EXPECT_FALSE(test, cx_os_timer_arm(&t->timer, 5 * NSEC_PER_MSEC));
	KUNIT_EXPECT_TRUE(test, cx_os_timer_arm(&t->timer, 5 * NSEC_PER_MSEC));
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&t->fired, 5 * HZ), 0UL);
	KUNIT_EXPECT_GE(test, t->fired_ns - t->armed_ns, 5 * NSEC_PER_MSEC);
	KUNIT_EXPECT_FALSE(test, cx_os_timer_cancel_sync(&t->timer));

	/* A cancelled timer never fires. */
	reinit_completion(&t->fired);
	cx_os_timer_arm(&t->timer, 2 * NSEC_PER_MSEC);
	KUNIT_EXPECT_TRUE(test, cx_os_timer_cancel_sync(&t->timer));
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&t->fired, msecs_to_jiffies(20)), 0UL);
}

static void cx_os_test_pkt(struct kunit *test)
{
	struct cx_pkt *pkt = cx_pkt_alloc(32, 100, CX_GFP_KERNEL);
	uint8_t *p;

	KUNIT_ASSERT_NOT_NULL(test, pkt);
	KUNIT_EXPECT_EQ(test, cx_pkt_len(pkt), (size_t)0);
	p = cx_pkt_put(pkt, 60);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0xab, 60);
	KUNIT_EXPECT_EQ(test, cx_pkt_len(pkt), (size_t)60);
	KUNIT_EXPECT_NULL(test, cx_pkt_put(pkt, 4096));		/* no tailroom */
	KUNIT_EXPECT_NOT_NULL(test, cx_pkt_push(pkt, 14));
	KUNIT_EXPECT_NULL(test, cx_pkt_push(pkt, 4096));	/* no headroom */
	KUNIT_EXPECT_EQ(test, cx_pkt_len(pkt), (size_t)74);
	KUNIT_EXPECT_TRUE(test, cx_pkt_may_pull(pkt, 74));
	KUNIT_EXPECT_FALSE(test, cx_pkt_may_pull(pkt, 75));
	KUNIT_EXPECT_NOT_NULL(test, cx_pkt_pull(pkt, 14));
	KUNIT_EXPECT_EQ(test, cx_pkt_data(pkt)[0], 0xab);
	KUNIT_EXPECT_NULL(test, cx_pkt_pull(pkt, 61));		/* shorter than that */
	KUNIT_EXPECT_TRUE(test, cx_pkt_trim(pkt, 20));
	KUNIT_EXPECT_EQ(test, cx_pkt_len(pkt), (size_t)20);
	KUNIT_EXPECT_TRUE(test, cx_pkt_trim(pkt, 50));		/* longer: no-op */
	KUNIT_EXPECT_EQ(test, cx_pkt_len(pkt), (size_t)20);
	cx_pkt_free(pkt);
}

/* The per-netns tunable table as the netlink code uses it. */
static void cx_os_test_tunables(struct kunit *test)
{
	struct cx_tunables *t = kunit_kzalloc(test, cx_tunables_size(), GFP_KERNEL);
	int64_t v[CX_TUNABLE_MAX_VALUES];
	const char *msg;
	int bad;

	KUNIT_ASSERT_NOT_NULL(test, t);
	cx_tunables_init(t);
	KUNIT_EXPECT_EQ(test, cx_tunable_lookup("net/ipv4/ip_local_port_range"),
			(int)CX_TUNABLE_IP_LOCAL_PORT_RANGE);
	cx_tunable_get(t, CX_TUNABLE_IP_LOCAL_PORT_RANGE, v);
	KUNIT_EXPECT_EQ(test, v[0], 32768LL);
	KUNIT_EXPECT_EQ(test, v[1], 60999LL);
	v[0] = 70000;
	KUNIT_EXPECT_EQ(test, cx_tunable_set(t, CX_TUNABLE_IP_LOCAL_PORT_RANGE, v, 2, &msg, &bad),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_NOT_NULL(test, msg);
}

static struct kunit_case cxnet_os_cases[] = {
	KUNIT_CASE(cx_os_test_alloc),
	KUNIT_CASE(cx_os_test_time),
	KUNIT_CASE(cx_os_test_refcount),
	KUNIT_CASE(cx_os_test_spinlock),
	KUNIT_CASE(cx_os_test_timer),
	KUNIT_CASE(cx_os_test_pkt),
	KUNIT_CASE(cx_os_test_tunables),
	{}
};

struct kunit_suite cxnet_os_suite = {
	.name = "cxnet_os",
	.test_cases = cxnet_os_cases,
};
