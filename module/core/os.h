/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OS interface: everything the portable core may ask of its host.
 *
 * The core (C++, no kernel header) sees only this file. It is implemented
 * twice: by the kernel shim (module/kernel/os_kernel.c, C, owns every
 * kernel header) and by a userspace implementation for unit tests and
 * fuzzing (userspace-tools/core-host/os_user.cpp). The header is plain C so
 * both sides compile it.
 *
 * Objects whose kernel type has a debug-dependent size (spinlock_t,
 * timer_list) are opaque, suitably aligned storage; the kernel shim checks
 * with BUILD_BUG_ON that the real type fits.
 */
#ifndef CXNET_CORE_OS_H
#define CXNET_CORE_OS_H

#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- memory ------------------------------------------------------------ */

/* Allocation context: every allocation says whether it may sleep. */
enum cx_gfp {
	CX_GFP_ATOMIC = 0,	/* softirq / under spinlock: never sleeps */
	CX_GFP_KERNEL = 1,	/* process context: may sleep */
};

/* Zeroed allocation; NULL on failure. Size 0 returns NULL. */
void *cx_os_zalloc(size_t size, enum cx_gfp gfp);
void cx_os_free(const void *ptr);
/*
 * For arrays sized by their contents (route tables): may be virtually
 * contiguous only (kvzalloc), so large sizes work. With CX_GFP_ATOMIC it is
 * a plain contiguous allocation, as kvmalloc() does. Free with
 * cx_os_free_large().
 */
void *cx_os_zalloc_large(size_t size, enum cx_gfp gfp);
void cx_os_free_large(const void *ptr);

/* ---- time ------------------------------------------------------------- */

/* Monotonic clock in nanoseconds (ktime_get_ns in the kernel). */
uint64_t cx_os_now_ns(void);
/* Cryptographically strong random bytes (get_random_bytes). */
void cx_os_random_bytes(void *buf, size_t len);

/* ---- logging ---------------------------------------------------------- */

enum cx_log_level {
	CX_LOG_ERR = 3,
	CX_LOG_WARN = 4,
	CX_LOG_INFO = 6,
	CX_LOG_DEBUG = 7,
};
void cx_os_log(enum cx_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * A broken invariant: reports file:line and stops (BUG() in the kernel).
 * Deliberately not declared noreturn: objtool cannot see that an external
 * C++ callee never returns, so C++ callers follow the call with
 * __builtin_trap() (CX_BUG_ON in utility.h does).
 */
void cx_os_bug(const char *file, int line, const char *what);

/* ---- locks ------------------------------------------------------------- */

/*
 * A lock class: lockdep needs one static key per kind of lock. Declare one
 * with static storage duration per lock kind (CX_LOCK_CLASS in the core).
 */
struct cx_os_lock_class {
	void *opaque[4];
};

/* A bottom-half safe spinlock (spin_lock_bh). */
struct cx_os_spinlock {
	unsigned char opaque[128] __attribute__((aligned(8)));
};
void cx_os_spin_init(struct cx_os_spinlock *lock, struct cx_os_lock_class *cls, const char *name);
void cx_os_spin_lock_bh(struct cx_os_spinlock *lock);
void cx_os_spin_unlock_bh(struct cx_os_spinlock *lock);

/* ---- RCU ---------------------------------------------------------------- */

/*
 * Read-side critical sections around lookups of published objects, and
 * deferred frees of superseded ones (call_rcu). Readers never sleep inside.
 * In userspace (single-threaded tests) these are no-ops and frees happen at
 * once.
 */
void cx_os_rcu_read_lock(void);
void cx_os_rcu_read_unlock(void);
/* Process context: fn(obj) once every current reader has finished. */
void cx_os_rcu_retire(void (*fn)(void *obj), void *obj);
/* Wait until every retired object was freed (before module unload). */
void cx_os_rcu_barrier(void);
/* Process context: wait until every reader that may have started has finished. */
void cx_os_rcu_synchronize(void);

/* ---- reference counts ------------------------------------------------ */

/* refcount_t semantics: saturates and warns on overflow/underflow. */
struct cx_os_refcount {
	int opaque;
};
void cx_os_ref_init(struct cx_os_refcount *ref, unsigned int value);
void cx_os_ref_get(struct cx_os_refcount *ref);
/* true when the count dropped to zero: the caller frees the object */
bool cx_os_ref_put(struct cx_os_refcount *ref);
unsigned int cx_os_ref_read(const struct cx_os_refcount *ref);

/* ---- timers ------------------------------------------------------------ */

struct cx_os_timer;
typedef void (*cx_os_timer_fn)(struct cx_os_timer *timer);

/* A one-shot timer; the callback runs in softirq context. */
struct cx_os_timer {
	unsigned char opaque[160] __attribute__((aligned(8)));
	cx_os_timer_fn fn;
};
void cx_os_timer_init(struct cx_os_timer *timer, cx_os_timer_fn fn);
/* (Re)arm to fire after delay_ns. Returns true if it was pending. */
bool cx_os_timer_arm(struct cx_os_timer *timer, uint64_t delay_ns);
/* Cancel; returns true if it was pending. Does not wait for a running callback. */
bool cx_os_timer_cancel(struct cx_os_timer *timer);
/* Cancel and wait for a running callback to finish. Process context only. */
bool cx_os_timer_cancel_sync(struct cx_os_timer *timer);

/* ---- packet buffers ---------------------------------------------------- */

/* A packet buffer (struct sk_buff in the kernel). */
struct cx_pkt;

/*
 * A linear buffer with `headroom` bytes before data and room for `len`
 * bytes after it; it starts empty (cx_pkt_len() == 0): cx_pkt_put() fills it.
 */
struct cx_pkt *cx_pkt_alloc(size_t headroom, size_t len, enum cx_gfp gfp);
void cx_pkt_free(struct cx_pkt *pkt);
/* Bytes from data to tail, and the first byte. */
size_t cx_pkt_len(const struct cx_pkt *pkt);
uint8_t *cx_pkt_data(struct cx_pkt *pkt);
/* Make the first len bytes linear (pskb_may_pull); false if shorter. */
bool cx_pkt_may_pull(struct cx_pkt *pkt, size_t len);
/* Move data forward by len (consume a header); NULL if too short. */
uint8_t *cx_pkt_pull(struct cx_pkt *pkt, size_t len);
/* Prepend len bytes of headroom; NULL if there is no room. */
uint8_t *cx_pkt_push(struct cx_pkt *pkt, size_t len);
/* Append len bytes of tailroom; NULL if there is no room. */
uint8_t *cx_pkt_put(struct cx_pkt *pkt, size_t len);
/* Cut to len bytes (no-op if already shorter); false if it could not. */
bool cx_pkt_trim(struct cx_pkt *pkt, size_t len);
/* Bytes of headroom before data. */
size_t cx_pkt_headroom(const struct cx_pkt *pkt);
/*
 * Make the first len bytes private and writable (skb_ensure_writable:
 * received packets may share data with a clone, e.g. a packet tap).
 */
bool cx_pkt_make_writable(struct cx_pkt *pkt, size_t len);
/* A private copy with at least headroom bytes before data (skb_copy_expand); NULL on failure. */
struct cx_pkt *cx_pkt_copy(const struct cx_pkt *pkt, size_t headroom, enum cx_gfp gfp);
/*
 * The device vouched for the transport checksum (skb_csum_unnecessary():
 * CHECKSUM_UNNECESSARY, or CHECKSUM_PARTIAL from a local sender over veth,
 * whose checksum field is not filled in yet). Transports skip verification.
 */
bool cx_pkt_csum_unnecessary(const struct cx_pkt *pkt);
/*
 * Fill in a transport checksum a local sender left to the device
 * (skb_checksum_help() on CHECKSUM_PARTIAL) before the packet's bytes are
 * copied into fragments. True if there was nothing to do or it succeeded.
 */
bool cx_pkt_csum_resolve(struct cx_pkt *pkt);

#ifdef __cplusplus
}
#endif

#endif /* CXNET_CORE_OS_H */
