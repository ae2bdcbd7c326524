// SPDX-License-Identifier: GPL-2.0
/*
 * The OS interface (core/os.h) implemented over the kernel: the only place
 * the portable core meets kernel types. Opaque storage in os.h is checked
 * against the real kernel types here at build time.
 */
#define pr_fmt(fmt) "cxnet: " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/timekeeping.h>
#include <linux/random.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/refcount.h>
#include <linux/timer.h>
#include <linux/jiffies.h>
#include <linux/skbuff.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>

#include "../core/os.h"

static inline gfp_t cx_gfp_flags(enum cx_gfp gfp)
{
	return gfp == CX_GFP_KERNEL ? GFP_KERNEL : GFP_ATOMIC;
}

/* ---- memory ------------------------------------------------------------ */

void *cx_os_zalloc(size_t size, enum cx_gfp gfp)
{
	if (gfp == CX_GFP_KERNEL)
		might_sleep();
	if (!size)
		return NULL;
	return kzalloc(size, cx_gfp_flags(gfp) | __GFP_NOWARN);
}

void cx_os_free(const void *ptr)
{
	kfree(ptr);
}

void *cx_os_zalloc_large(size_t size, enum cx_gfp gfp)
{
	if (gfp == CX_GFP_KERNEL)
		might_sleep();
	if (!size)
		return NULL;
	return kvzalloc(size, cx_gfp_flags(gfp) | __GFP_NOWARN);
}

void cx_os_free_large(const void *ptr)
{
	kvfree(ptr);
}

/* ---- time, randomness, logging --------------------------------------------- */

uint64_t cx_os_now_ns(void)
{
	return ktime_get_ns();
}

void cx_os_random_bytes(void *buf, size_t len)
{
	get_random_bytes(buf, len);
}

void cx_os_log(enum cx_log_level level, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	switch (level) {
	case CX_LOG_ERR:
		pr_err("%pV\n", &vaf);
		break;
	case CX_LOG_WARN:
		pr_warn("%pV\n", &vaf);
		break;
	case CX_LOG_INFO:
		pr_info("%pV\n", &vaf);
		break;
	default:
		pr_debug("%pV\n", &vaf);
		break;
	}
	va_end(args);
}

void cx_os_bug(const char *file, int line, const char *what)
{
	pr_emerg("BUG at %s:%d: %s\n", file, line, what);
	BUG();
}

/* ---- locks ------------------------------------------------------------------- */

static inline spinlock_t *cx_spinlock(struct cx_os_spinlock *lock)
{
	BUILD_BUG_ON(sizeof(spinlock_t) > sizeof(lock->opaque));
	BUILD_BUG_ON(__alignof__(spinlock_t) > __alignof__(struct cx_os_spinlock));
	return (spinlock_t *)lock->opaque;
}

void cx_os_spin_init(struct cx_os_spinlock *lock, struct cx_os_lock_class *cls, const char *name)
{
	BUILD_BUG_ON(sizeof(struct lock_class_key) > sizeof(*cls));
#ifdef CONFIG_DEBUG_SPINLOCK
	/* One lockdep class per kind of lock: the caller's static cx_os_lock_class. */
	__raw_spin_lock_init(spinlock_check(cx_spinlock(lock)), name,
			     (struct lock_class_key *)cls, LD_WAIT_CONFIG);
#else
	spin_lock_init(cx_spinlock(lock));
#endif
}

void cx_os_spin_lock_bh(struct cx_os_spinlock *lock)
	__acquires(lock)
{
	spin_lock_bh(cx_spinlock(lock));
}

void cx_os_spin_unlock_bh(struct cx_os_spinlock *lock)
	__releases(lock)
{
	spin_unlock_bh(cx_spinlock(lock));
}

/* ---- reference counts ---------------------------------------------------------- */

static inline refcount_t *cx_refcount(const struct cx_os_refcount *ref)
{
	BUILD_BUG_ON(sizeof(refcount_t) != sizeof(ref->opaque));
	return (refcount_t *)&ref->opaque;
}

void cx_os_ref_init(struct cx_os_refcount *ref, unsigned int value)
{
	refcount_set(cx_refcount(ref), value);
}

void cx_os_ref_get(struct cx_os_refcount *ref)
{
	refcount_inc(cx_refcount(ref));
}

bool cx_os_ref_put(struct cx_os_refcount *ref)
{
	return refcount_dec_and_test(cx_refcount(ref));
}

unsigned int cx_os_ref_read(const struct cx_os_refcount *ref)
{
	return refcount_read(cx_refcount(ref));
}

/* ---- timers ---------------------------------------------------------------------- */

static inline struct timer_list *cx_timer_list(struct cx_os_timer *timer)
{
	BUILD_BUG_ON(sizeof(struct timer_list) > sizeof(timer->opaque));
	return (struct timer_list *)timer->opaque;
}

static void cx_os_timer_trampoline(struct timer_list *t)
{
	struct cx_os_timer *timer =
		(struct cx_os_timer *)((char *)t - offsetof(struct cx_os_timer, opaque));

	timer->fn(timer);
}

void cx_os_timer_init(struct cx_os_timer *timer, cx_os_timer_fn fn)
{
	timer->fn = fn;
	timer_setup(cx_timer_list(timer), cx_os_timer_trampoline, 0);
}

bool cx_os_timer_arm(struct cx_os_timer *timer, uint64_t delay_ns)
{
	/* Round up: a timer never fires early. */
	unsigned long delay = nsecs_to_jiffies(delay_ns + TICK_NSEC - 1);

	return mod_timer(cx_timer_list(timer), jiffies + delay);
}

bool cx_os_timer_cancel(struct cx_os_timer *timer)
{
	return del_timer(cx_timer_list(timer));
}

bool cx_os_timer_cancel_sync(struct cx_os_timer *timer)
{
	might_sleep();
	return del_timer_sync(cx_timer_list(timer));
}

/* ---- packet buffers ---------------------------------------------------------------- */

static inline struct sk_buff *cx_skb(struct cx_pkt *pkt)
{
	return (struct sk_buff *)pkt;
}

struct cx_pkt *cx_pkt_alloc(size_t headroom, size_t len, enum cx_gfp gfp)
{
	struct sk_buff *skb;

	if (headroom > INT_MAX || len > INT_MAX - headroom)
		return NULL;
	skb = alloc_skb(headroom + len, cx_gfp_flags(gfp) | __GFP_NOWARN);
	if (!skb)
		return NULL;
	skb_reserve(skb, headroom);
	return (struct cx_pkt *)skb;
}

void cx_pkt_free(struct cx_pkt *pkt)
{
	kfree_skb(cx_skb(pkt));
}

size_t cx_pkt_len(const struct cx_pkt *pkt)
{
	return ((const struct sk_buff *)pkt)->len;
}

uint8_t *cx_pkt_data(struct cx_pkt *pkt)
{
	return cx_skb(pkt)->data;
}

bool cx_pkt_may_pull(struct cx_pkt *pkt, size_t len)
{
	return len <= UINT_MAX && pskb_may_pull(cx_skb(pkt), len);
}

uint8_t *cx_pkt_pull(struct cx_pkt *pkt, size_t len)
{
	if (!cx_pkt_may_pull(pkt, len))
		return NULL;
	return __skb_pull(cx_skb(pkt), len);
}

uint8_t *cx_pkt_push(struct cx_pkt *pkt, size_t len)
{
	struct sk_buff *skb = cx_skb(pkt);

	if (len > skb_headroom(skb))
		return NULL;
	return skb_push(skb, len);
}

uint8_t *cx_pkt_put(struct cx_pkt *pkt, size_t len)
{
	struct sk_buff *skb = cx_skb(pkt);

	if (skb_is_nonlinear(skb) || len > skb_tailroom(skb))
		return NULL;
	return skb_put(skb, len);
}

bool cx_pkt_trim(struct cx_pkt *pkt, size_t len)
{
	struct sk_buff *skb = cx_skb(pkt);

	if (len >= skb->len)
		return true;
	return pskb_trim(skb, len) == 0;
}

size_t cx_pkt_headroom(const struct cx_pkt *pkt)
{
	return skb_headroom((const struct sk_buff *)pkt);
}

bool cx_pkt_make_writable(struct cx_pkt *pkt, size_t len)
{
	return len <= INT_MAX && skb_ensure_writable(cx_skb(pkt), len) == 0;
}

struct cx_pkt *cx_pkt_copy(const struct cx_pkt *pkt, size_t headroom, enum cx_gfp gfp)
{
	const struct sk_buff *skb = (const struct sk_buff *)pkt;

	if (headroom > INT_MAX)
		return NULL;
	return (struct cx_pkt *)skb_copy_expand(skb, max_t(int, headroom, skb_headroom(skb)), 0,
						cx_gfp_flags(gfp) | __GFP_NOWARN);
}

bool cx_pkt_csum_unnecessary(const struct cx_pkt *pkt)
{
	return skb_csum_unnecessary((const struct sk_buff *)pkt);
}

bool cx_pkt_csum_resolve(struct cx_pkt *pkt)
{
	struct sk_buff *skb = cx_skb(pkt);

	return skb->ip_summed != CHECKSUM_PARTIAL || skb_checksum_help(skb) == 0;
}

/* ---- RCU ------------------------------------------------------------------------------ */

void cx_os_rcu_read_lock(void)
	__acquires(RCU)
{
	rcu_read_lock();
}

void cx_os_rcu_read_unlock(void)
	__releases(RCU)
{
	rcu_read_unlock();
}

struct cx_rcu_retire {
	struct rcu_head rcu;
	void (*fn)(void *obj);
	void *obj;
};

static void cx_rcu_retire_cb(struct rcu_head *head)
{
	struct cx_rcu_retire *r = container_of(head, struct cx_rcu_retire, rcu);

	r->fn(r->obj);
	kfree(r);
}

void cx_os_rcu_retire(void (*fn)(void *obj), void *obj)
{
	struct cx_rcu_retire *r;

	might_sleep();
	r = kmalloc(sizeof(*r), GFP_KERNEL | __GFP_NOWARN);
	if (!r) {
		/* no memory for the callback: wait for the readers instead */
		synchronize_rcu();
		fn(obj);
		return;
	}
	r->fn = fn;
	r->obj = obj;
	call_rcu(&r->rcu, cx_rcu_retire_cb);
}

void cx_os_rcu_synchronize(void)
{
	synchronize_rcu();
}

void cx_os_rcu_barrier(void)
{
	rcu_barrier();
}
