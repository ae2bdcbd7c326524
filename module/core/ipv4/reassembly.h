/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv4 reassembly (Linux net/ipv4/ip_fragment.c on top of
 * net/ipv4/inet_fragment.c): one table per netns, queues keyed by
 * (src, dst, id, protocol, user, vif) as struct frag_v4_compare_key.
 *
 * Behaviour reproduced from Linux 6.1:
 *  - ipfrag_time (30 s): one timer per queue, armed at creation (not per
 *    fragment); on expiry ip_expire(): ReasmFails + ReasmTimeout, and the
 *    timeout callback gets the offset-0 fragment only if it arrived (the
 *    caller sends ICMP time exceeded, code 1, per RFC 792 end hosts only).
 *  - ipfrag_high_thresh (4 MiB): inet_frag_find() refuses every fragment
 *    while the memory in use is above it (ReasmFails, NoMem); there is no
 *    eviction since 4.17, ipfrag_low_thresh (3 MiB) is kept but unused.
 *  - ipfrag_max_dist (64): ip_frag_too_far() counts fragments per source
 *    (the inet_peer rid); a queue that saw more than max_dist fragments of
 *    other datagrams from the same source between two of its own is
 *    restarted (ip_frag_reinit(), ReasmFails, FragTooFar).
 *  - inet_frag_queue_insert(): a fragment inside an existing run of
 *    contiguous fragments is a duplicate (dropped, DupFrag, the queue
 *    kept); any other overlap discards the whole datagram (ReasmOverlaps,
 *    ReasmFails), as since 2018 (CVE-2018-5391 "FragmentSmack").
 *  - ip_frag_queue(): a last fragment ending before data already queued or
 *    a second, different last fragment, data past the known end, or an
 *    empty fragment discard the datagram; non-last fragment lengths are
 *    rounded down to a multiple of 8.
 *  - ip_frag_reasm(): header + payload > 65535 -> ReasmFails; the ECN
 *    combination of the fragments per RFC 3168 5.3 (ip_frag_ecn_table);
 *    DF set on the result when every largest fragment had it
 *    (max_df_size == max_size). ReasmOKs on success.
 * Memory is accounted as the fragment bytes plus per-fragment and
 * per-queue bookkeeping (Linux counts skb->truesize, which cx_pkt hides).
 */
#ifndef CXNET_CORE_IPV4_REASSEMBLY_H
#define CXNET_CORE_IPV4_REASSEMBLY_H

#include "../types.h"
#include "../os.h"
#include "../memory.h"
#include "ip_stats.h"

namespace cx::ipv4 {

struct FragKey {
	uint32_t src;
	uint32_t dst;
	uint32_t user;	/* IP_DEFRAG_* in Linux: who reassembles */
	int32_t vif;	/* l3mdev (VRF) master ifindex, 0 without VRF */
	uint16_t id;
	uint8_t protocol;
};

/* The net.ipv4.ipfrag_* sysctls, Linux defaults. */
struct ReassemblyConfig {
	uint64_t high_thresh = 4ull * 1024 * 1024;	/* ipfrag_high_thresh */
	uint64_t low_thresh = 3ull * 1024 * 1024;	/* ipfrag_low_thresh (unused, as Linux) */
	uint64_t time_ns = 30ull * 1000000000;		/* ipfrag_time */
	uint32_t max_dist = 64;				/* ipfrag_max_dist (0: off) */
};

/*
 * Called (softirq context, no lock held) when a queue times out and its
 * first fragment had arrived: head is that fragment, data at its IP
 * header, borrowed for the call (quote it in ICMP time exceeded, code 1).
 */
using ReasmTimeoutFn = void (*)(void *ctx, const FragKey *key, cx_pkt *head);

enum class DefragResult : uint8_t {
	Complete,	/* *out is the whole datagram */
	Queued,		/* pkt kept by the table */
	Dropped,	/* pkt freed; *reason says why */
};

struct FragTable;

/*
 * A table for one netns. config and stats are the caller's and must
 * outlive the table (config is read live, as sysctls are). NULL on
 * allocation failure.
 */
FragTable *frag_table_create(const ReassemblyConfig *config, IpStats *stats,
			     ReasmTimeoutFn on_timeout, void *ctx, Gfp gfp);
/* Process context: kills every queue, waits for running timers, frees. */
void frag_table_destroy(FragTable *table);

/*
 * ip_defrag(): pkt's data is at a valid IP header (ip_rcv_core() passed)
 * of a fragment (MF or offset set); ownership passes to the table. Counts
 * ReasmReqds. On Complete, *out is a new linear packet (Gfp::Atomic, with
 * kReasmHeadroom bytes of headroom) holding the datagram with a fixed
 * header (total length, no MF/offset, checksum), and every fragment has
 * been freed.
 */
constexpr size_t kReasmHeadroom = 128;
DefragResult ip_defrag(FragTable *table, cx_pkt *pkt, uint32_t user, int32_t vif, cx_pkt **out,
		       DropReason *reason);

/* Bytes accounted now (frag_mem_limit()), and live queues. */
uint64_t frag_table_mem(FragTable *table);
size_t frag_table_queue_count(FragTable *table);

/*
 * Run the expiry of key's queue now, as its timer would (for tests on a
 * real clock, and for callers that must flush a queue). false if there is
 * no such queue.
 */
bool frag_table_expire_now(FragTable *table, const FragKey *key);

} // namespace cx::ipv4

#endif /* CXNET_CORE_IPV4_REASSEMBLY_H */
