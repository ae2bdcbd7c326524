// SPDX-License-Identifier: GPL-2.0
/*
 * The OS interface (module/core/os.h) for userspace: unit tests and, later,
 * fuzzers of the portable core. Hosted C++ (libc, pthreads) is fine here.
 *
 * Bugs the kernel would only warn about abort here, loudly, so that tests
 * see them: refcount underflow or increment from zero, recursive locking,
 * unlocking a lock not held, cancel_sync() from a timer's own callback.
 */
#include "os_user.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atomic>
#include <new>

namespace {

[[noreturn]] __attribute__((format(printf, 1, 2))) void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("cxnet os_user: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

/* ---- allocation accounting and failure injection ---------------------- */

std::atomic<long> g_fail_after{-1};
std::atomic<unsigned long> g_alloc_failures{0};
std::atomic<long> g_live_allocs{0};

bool allocation_allowed()
{
	long left = g_fail_after.load();
	while (left >= 0) {
		if (left == 0) {
			g_alloc_failures++;
			return false;
		}
		if (g_fail_after.compare_exchange_weak(left, left - 1))
			return true;
	}
	return true;
}

/* ---- virtual clock, deterministic randomness ---------------------------- */

uint64_t g_now_ns = CX_USER_CLOCK_START_NS;
constexpr uint64_t kDefaultRandomSeed = 0x6378'6e65'7400'0001ull;
uint64_t g_random_state = kDefaultRandomSeed;

/* splitmix64 */
uint64_t next_random()
{
	uint64_t z = (g_random_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t saturating_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

/* ---- spinlocks: error-checking pthread mutexes -------------------------- */

constexpr uint32_t kSpinMagic = 0x5350494e;	/* "SPIN" */

struct UserSpinlock {
	pthread_mutex_t mutex;
	uint32_t magic;
	const char *name;
};
static_assert(sizeof(UserSpinlock) <= sizeof(cx_os_spinlock::opaque), "spinlock storage");
static_assert(alignof(UserSpinlock) <= alignof(cx_os_spinlock), "spinlock alignment");

UserSpinlock *user_spinlock(cx_os_spinlock *lock)
{
	UserSpinlock *spin = reinterpret_cast<UserSpinlock *>(lock->opaque);
	if (spin->magic != kSpinMagic)
		die("spinlock %p used before cx_os_spin_init()", static_cast<void *>(lock));
	return spin;
}

/* ---- timers: a pending list ordered on demand --------------------------- */

constexpr uint32_t kTimerMagic = 0x54494d52;	/* "TIMR" */

struct UserTimer {
	uint32_t magic;
	bool pending;
	uint64_t deadline_ns;
	uint64_t armed_seq;	/* ties on the deadline fire in arming order */
	cx_os_timer *prev;
	cx_os_timer *next;
};
static_assert(sizeof(UserTimer) <= sizeof(cx_os_timer::opaque), "timer storage");
static_assert(alignof(UserTimer) <= alignof(cx_os_timer), "timer alignment");

cx_os_timer *g_pending_timers;	/* doubly linked through UserTimer::prev/next */
unsigned int g_pending_count;
uint64_t g_arm_seq;
cx_os_timer *g_running_timer;

UserTimer *user_timer(cx_os_timer *timer)
{
	UserTimer *ut = reinterpret_cast<UserTimer *>(timer->opaque);
	if (ut->magic != kTimerMagic)
		die("timer %p used before cx_os_timer_init()", static_cast<void *>(timer));
	return ut;
}

void unlink_timer(cx_os_timer *timer)
{
	UserTimer *ut = user_timer(timer);
	if (ut->prev)
		user_timer(ut->prev)->next = ut->next;
	else
		g_pending_timers = ut->next;
	if (ut->next)
		user_timer(ut->next)->prev = ut->prev;
	ut->prev = ut->next = nullptr;
	ut->pending = false;
	g_pending_count--;
}

/* The pending timer to fire first: earliest deadline, then earliest armed. */
cx_os_timer *earliest_timer()
{
	cx_os_timer *best = nullptr;
	for (cx_os_timer *t = g_pending_timers; t; t = user_timer(t)->next) {
		if (!best)
			best = t;
		else {
			const UserTimer *a = user_timer(t), *b = user_timer(best);
			if (a->deadline_ns < b->deadline_ns ||
			    (a->deadline_ns == b->deadline_ns && a->armed_seq < b->armed_seq))
				best = t;
		}
	}
	return best;
}

void fire(cx_os_timer *timer)
{
	UserTimer *ut = user_timer(timer);
	unlink_timer(timer);
	if (ut->deadline_ns > g_now_ns)
		g_now_ns = ut->deadline_ns;
	g_running_timer = timer;
	timer->fn(timer);
	g_running_timer = nullptr;
}

} // namespace

/* ---- packet buffers ------------------------------------------------------ */

struct cx_pkt {
	uint8_t *head;
	uint8_t *data;
	uint8_t *tail;
	uint8_t *end;
	bool csum_unnecessary;
};

extern "C" {

/* ---- memory ------------------------------------------------------------ */

void *cx_os_zalloc(size_t size, enum cx_gfp gfp)
{
	if (gfp != CX_GFP_ATOMIC && gfp != CX_GFP_KERNEL)
		die("cx_os_zalloc: bad gfp %d", static_cast<int>(gfp));
	if (size == 0 || !allocation_allowed())
		return nullptr;
	void *ptr = calloc(1, size);
	if (ptr)
		g_live_allocs++;
	return ptr;
}

void cx_os_free(const void *ptr)
{
	if (!ptr)
		return;
	g_live_allocs--;
	free(const_cast<void *>(ptr));
}

/* Same accounting and failure injection as the small allocations. */
void *cx_os_zalloc_large(size_t size, enum cx_gfp gfp)
{
	return cx_os_zalloc(size, gfp);
}

void cx_os_free_large(const void *ptr)
{
	cx_os_free(ptr);
}

/* ---- time, randomness -------------------------------------------------- */

uint64_t cx_os_now_ns(void)
{
	return g_now_ns;
}

void cx_os_random_bytes(void *buf, size_t len)
{
	uint8_t *out = static_cast<uint8_t *>(buf);
	while (len) {
		uint64_t word = next_random();
		size_t n = len < sizeof(word) ? len : sizeof(word);
		memcpy(out, &word, n);
		out += n;
		len -= n;
	}
}

/* ---- logging ----------------------------------------------------------- */

void cx_os_log(enum cx_log_level level, const char *fmt, ...)
{
	static const char *const names[] = {"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"};
	const char *name = static_cast<unsigned int>(level) < 8 ? names[level] : "?";
	if (level == CX_LOG_DEBUG && !getenv("CXNET_DEBUG"))
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "cxnet %s: ", name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

void cx_os_bug(const char *file, int line, const char *what)
{
	die("BUG at %s:%d: %s", file, line, what);
}

/* ---- locks ------------------------------------------------------------- */

void cx_os_spin_init(struct cx_os_spinlock *lock, struct cx_os_lock_class *, const char *name)
{
	UserSpinlock *spin = new (lock->opaque) UserSpinlock;
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
	if (pthread_mutex_init(&spin->mutex, &attr) != 0)
		die("spinlock %s: pthread_mutex_init failed", name ? name : "?");
	pthread_mutexattr_destroy(&attr);
	spin->magic = kSpinMagic;
	spin->name = name;
}

void cx_os_spin_lock_bh(struct cx_os_spinlock *lock)
{
	UserSpinlock *spin = user_spinlock(lock);
	int err = pthread_mutex_lock(&spin->mutex);
	if (err == EDEADLK)
		die("spinlock %s: recursive locking (deadlock)", spin->name ? spin->name : "?");
	if (err)
		die("spinlock %s: lock failed: %s", spin->name ? spin->name : "?", strerror(err));
}

void cx_os_spin_unlock_bh(struct cx_os_spinlock *lock)
{
	UserSpinlock *spin = user_spinlock(lock);
	int err = pthread_mutex_unlock(&spin->mutex);
	if (err)
		die("spinlock %s: unlock of a lock not held by this thread (%s)",
		    spin->name ? spin->name : "?", strerror(err));
}

/* ---- reference counts -------------------------------------------------- */

void cx_os_ref_init(struct cx_os_refcount *ref, unsigned int value)
{
	if (value > INT_MAX)
		die("refcount %p: init to %u overflows", static_cast<void *>(ref), value);
	__atomic_store_n(&ref->opaque, static_cast<int>(value), __ATOMIC_RELAXED);
}

void cx_os_ref_get(struct cx_os_refcount *ref)
{
	int old = __atomic_fetch_add(&ref->opaque, 1, __ATOMIC_RELAXED);
	if (old <= 0)
		die("refcount %p: increment on %d (use after free?)", static_cast<void *>(ref), old);
	if (old == INT_MAX)
		die("refcount %p: overflow", static_cast<void *>(ref));
}

bool cx_os_ref_put(struct cx_os_refcount *ref)
{
	int old = __atomic_fetch_sub(&ref->opaque, 1, __ATOMIC_ACQ_REL);
	if (old <= 0)
		die("refcount %p: underflow (put at %d)", static_cast<void *>(ref), old);
	return old == 1;
}

unsigned int cx_os_ref_read(const struct cx_os_refcount *ref)
{
	return static_cast<unsigned int>(__atomic_load_n(&ref->opaque, __ATOMIC_RELAXED));
}

/* ---- timers ------------------------------------------------------------ */

void cx_os_timer_init(struct cx_os_timer *timer, cx_os_timer_fn fn)
{
	UserTimer *ut = new (timer->opaque) UserTimer{};
	ut->magic = kTimerMagic;
	timer->fn = fn;
}

bool cx_os_timer_arm(struct cx_os_timer *timer, uint64_t delay_ns)
{
	UserTimer *ut = user_timer(timer);
	bool was_pending = ut->pending;
	if (!was_pending) {
		ut->prev = nullptr;
		ut->next = g_pending_timers;
		if (g_pending_timers)
			user_timer(g_pending_timers)->prev = timer;
		g_pending_timers = timer;
		ut->pending = true;
		g_pending_count++;
	}
	ut->deadline_ns = saturating_add(g_now_ns, delay_ns);
	ut->armed_seq = ++g_arm_seq;
	return was_pending;
}

bool cx_os_timer_cancel(struct cx_os_timer *timer)
{
	UserTimer *ut = user_timer(timer);
	if (!ut->pending)
		return false;
	unlink_timer(timer);
	return true;
}

bool cx_os_timer_cancel_sync(struct cx_os_timer *timer)
{
	if (g_running_timer == timer)
		die("timer %p: cancel_sync from its own callback deadlocks", static_cast<void *>(timer));
	return cx_os_timer_cancel(timer);
}

/* ---- packet buffers ---------------------------------------------------- */

struct cx_pkt *cx_pkt_alloc(size_t headroom, size_t len, enum cx_gfp gfp)
{
	if (gfp != CX_GFP_ATOMIC && gfp != CX_GFP_KERNEL)
		die("cx_pkt_alloc: bad gfp %d", static_cast<int>(gfp));
	/* the kernel's limit (sk_buff lengths are 32-bit) */
	if (headroom > INT_MAX || len > INT_MAX - headroom)
		return nullptr;
	if (!allocation_allowed())
		return nullptr;
	size_t size = headroom + len;
	cx_pkt *pkt = static_cast<cx_pkt *>(calloc(1, sizeof(*pkt)));
	/* exactly size bytes, so that ASan catches any access past the end */
	uint8_t *buf = static_cast<uint8_t *>(malloc(size ? size : 1));
	if (!pkt || !buf) {
		free(pkt);
		free(buf);
		return nullptr;
	}
	/* like an skb, the buffer is not zeroed: poison it */
	memset(buf, 0xa5, size);
	pkt->head = buf;
	pkt->data = pkt->tail = buf + headroom;
	pkt->end = buf + size;
	g_live_allocs++;
	return pkt;
}

void cx_pkt_free(struct cx_pkt *pkt)
{
	if (!pkt)
		return;
	g_live_allocs--;
	free(pkt->head);
	free(pkt);
}

size_t cx_pkt_len(const struct cx_pkt *pkt)
{
	return static_cast<size_t>(pkt->tail - pkt->data);
}

uint8_t *cx_pkt_data(struct cx_pkt *pkt)
{
	return pkt->data;
}

bool cx_pkt_may_pull(struct cx_pkt *pkt, size_t len)
{
	/* always linear */
	return len <= cx_pkt_len(pkt);
}

uint8_t *cx_pkt_pull(struct cx_pkt *pkt, size_t len)
{
	if (!cx_pkt_may_pull(pkt, len))
		return nullptr;
	pkt->data += len;
	return pkt->data;
}

uint8_t *cx_pkt_push(struct cx_pkt *pkt, size_t len)
{
	if (len > static_cast<size_t>(pkt->data - pkt->head))
		return nullptr;
	pkt->data -= len;
	return pkt->data;
}

uint8_t *cx_pkt_put(struct cx_pkt *pkt, size_t len)
{
	if (len > static_cast<size_t>(pkt->end - pkt->tail))
		return nullptr;
	uint8_t *old_tail = pkt->tail;
	pkt->tail += len;
	return old_tail;
}

bool cx_pkt_trim(struct cx_pkt *pkt, size_t len)
{
	if (len < cx_pkt_len(pkt))
		pkt->tail = pkt->data + len;
	return true;
}

size_t cx_pkt_headroom(const struct cx_pkt *pkt)
{
	return static_cast<size_t>(pkt->data - pkt->head);
}

bool cx_pkt_make_writable(struct cx_pkt *pkt, size_t len)
{
	/* never shared in userspace */
	return len <= cx_pkt_len(pkt);
}

struct cx_pkt *cx_pkt_copy(const struct cx_pkt *pkt, size_t headroom, enum cx_gfp gfp)
{
	size_t len = cx_pkt_len(pkt);
	size_t room = static_cast<size_t>(pkt->data - pkt->head);
	cx_pkt *copy = cx_pkt_alloc(headroom > room ? headroom : room, len, gfp);
	if (!copy)
		return nullptr;
	memcpy(cx_pkt_put(copy, len), pkt->data, len);
	copy->csum_unnecessary = pkt->csum_unnecessary;
	return copy;
}

bool cx_pkt_csum_unnecessary(const struct cx_pkt *pkt)
{
	return pkt->csum_unnecessary;
}

bool cx_pkt_csum_resolve(struct cx_pkt *pkt)
{
	(void)pkt; /* userspace packets always carry complete checksums */
	return true;
}

void cx_user_pkt_set_csum_unnecessary(struct cx_pkt *pkt, bool value)
{
	pkt->csum_unnecessary = value;
}

/* ---- RCU: single-threaded tests have no concurrent readers ------------- */

void cx_os_rcu_read_lock(void)
{
}

void cx_os_rcu_read_unlock(void)
{
}

void cx_os_rcu_retire(void (*fn)(void *obj), void *obj)
{
	fn(obj);
}

void cx_os_rcu_barrier(void)
{
}

void cx_os_rcu_synchronize(void)
{
}

/* ---- test hooks (os_user.h) --------------------------------------------- */

unsigned int cx_user_clock_advance(uint64_t ns)
{
	if (g_running_timer)
		die("cx_user_clock_advance() from a timer callback");
	uint64_t target = saturating_add(g_now_ns, ns);
	unsigned int fired = 0;
	for (;;) {
		cx_os_timer *next = earliest_timer();
		if (!next || user_timer(next)->deadline_ns > target)
			break;
		fire(next);
		fired++;
	}
	g_now_ns = target;
	return fired;
}

unsigned int cx_user_clock_run_all(unsigned int max_fires)
{
	if (g_running_timer)
		die("cx_user_clock_run_all() from a timer callback");
	unsigned int fired = 0;
	while (fired < max_fires) {
		cx_os_timer *next = earliest_timer();
		if (!next)
			break;
		fire(next);
		fired++;
	}
	return fired;
}

unsigned int cx_user_timers_pending(void)
{
	return g_pending_count;
}

void cx_user_fail_alloc_after(long n)
{
	g_fail_after = n < 0 ? -1 : n;
}

unsigned long cx_user_alloc_failures(void)
{
	return g_alloc_failures;
}

long cx_user_live_allocs(void)
{
	return g_live_allocs;
}

void cx_user_random_seed(uint64_t seed)
{
	g_random_state = seed;
}

void cx_user_reset(void)
{
	while (g_pending_timers)
		unlink_timer(g_pending_timers);
	g_running_timer = nullptr;
	g_now_ns = CX_USER_CLOCK_START_NS;
	g_arm_seq = 0;
	g_fail_after = -1;
	g_random_state = kDefaultRandomSeed;
}

} // extern "C"
