/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test hooks of the userspace OS interface (os_user.cpp), beyond os.h.
 *
 * Time is virtual: cx_os_now_ns() only moves when a test advances it, and
 * timers fire from cx_user_clock_advance(), in deadline order, each with
 * the clock set to its deadline. Random bytes are deterministic (seeded
 * PRNG, not cryptographic). Everything is single-threaded test machinery.
 */
#ifndef CXNET_CORE_HOST_OS_USER_H
#define CXNET_CORE_HOST_OS_USER_H

#include "os.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The virtual clock's value after cx_user_reset(). */
#define CX_USER_CLOCK_START_NS 1000000000ull

/*
 * Move the clock forward by ns, firing every timer whose deadline falls in
 * the interval, earliest first (ties: first armed first). Callbacks may arm
 * or cancel timers; one re-armed into the interval fires again. Returns the
 * number of callbacks run.
 */
unsigned int cx_user_clock_advance(uint64_t ns);

/* Fire everything pending, however far ahead (bounded by max_fires). */
unsigned int cx_user_clock_run_all(unsigned int max_fires);

/* Timers armed and not yet fired or cancelled. */
unsigned int cx_user_timers_pending(void);

/*
 * Allocation failure injection for cx_os_zalloc() and cx_pkt_alloc(): after
 * n more successful allocations every one fails, until
 * cx_user_fail_alloc_after(-1) (the default: never fail).
 */
void cx_user_fail_alloc_after(long n);
/* Allocations refused by the injection so far. */
unsigned long cx_user_alloc_failures(void);

/* Allocations (zalloc and packets) not yet freed: for leak checks. */
long cx_user_live_allocs(void);

/* Reseed cx_os_random_bytes(). */
void cx_user_random_seed(uint64_t seed);

/*
 * Back to a fresh state between tests: clock to CX_USER_CLOCK_START_NS,
 * pending timers dropped (forgotten, not fired), no failure injection,
 * random seed reset. Live allocation counts are kept.
 */
void cx_user_reset(void);

/* Mark a packet as checksum-verified by the "device" (CHECKSUM_UNNECESSARY). */
void cx_user_pkt_set_csum_unnecessary(struct cx_pkt *pkt, bool value);

#ifdef __cplusplus
}
#endif

#endif /* CXNET_CORE_HOST_OS_USER_H */
