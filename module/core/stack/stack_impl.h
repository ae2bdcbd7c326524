/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stack's private state (the core/stack sources only). See stack.h for the
 * contract with the kernel skin.
 *
 * Read side: links and addresses are immutable arrays published by
 * pointer (release store) and read under cx_os_rcu_read_lock() with an
 * acquire load; configuration (serialised by the caller) builds a new
 * array, publishes it and retires the old one through cx_os_rcu_retire().
 * A Link outlives the LinkSet that dropped it by a grace period as well.
 */
#ifndef CXNET_CORE_STACK_STACK_IMPL_H
#define CXNET_CORE_STACK_STACK_IMPL_H

#include "stack.h"
#include "../memory.h"
#include "../tunables.h"
#include "../route/fib.h"
#include "../neigh/neigh_table.h"
#include "../neigh/arp.h"
#include "../ipv4/ip_stats.h"
#include "../ipv4/icmp.h"
#include "../ipv4/reassembly.h"
#include "../ipv4/fragment.h"
#include "../wire/ethernet.h"

struct cx_stack;

namespace cx::stack {

/* Relaxed atomic counter increments: softirqs on several CPUs count at once. */
/* NOLINTNEXTLINE(readability-non-const-parameter): __atomic_fetch_add writes it */
inline void count(uint64_t *counter, uint64_t n = 1)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}
inline uint64_t read_count(const uint64_t *counter)
{
	return __atomic_load_n(counter, __ATOMIC_RELAXED);
}

struct Link {
	cx_link_desc desc;
	void *ctx;
	neigh::ArpDevice arp_dev;
	cx_link_stats stats;	/* updated with count() */
};

struct LinkSet {
	uint32_t count;
	Link *links[];		/* sorted by ifindex */
};

struct AddrSet {
	uint32_t count;
	cx_addr addrs[];	/* per link: primaries, then secondaries, in insertion order */
};

/* IPv4 counters beyond what ipv4/ip_stats.h counts (IPSTATS_MIB_* names). */
enum class StackMib : uint8_t {
	InNoRoutes,
	InUnknownProtos,
	InDelivers,
	ForwDatagrams,
	OutRequests,
	OutNoRoutes,
	OutDiscards,
	InBcastPkts,
	Count
};

/* Loopback queue depth (netdev_max_backlog is 1000). */
constexpr uint32_t kLoopRing = 512;

/* A timer that knows its stack (cx_os_timer first: the callback casts back). */
struct OwnedTimer {
	cx_os_timer timer;
	cx_stack *owner;
};

} // namespace cx::stack

struct cx_stack {
	const cx_stack_host_ops *ops;
	void *host_ctx;
	const cx_tunables *tunables;

	cx::route::Fib fib;
	cx::neigh::NeighTable neigh;
	cx::neigh::Arp arp;
	cx::ipv4::IpStats ip_stats;
	cx::ipv4::IcmpStats icmp_stats;
	cx::ipv4::IcmpRateLimiter *icmp_limiter;
	cx_os_spinlock icmp_lock;	/* the limiter is not thread-safe */
	cx::ipv4::ReassemblyConfig reasm_config;
	cx::ipv4::FragTable *frags;

	const cx::stack::LinkSet *links;
	const cx::stack::AddrSet *addrs;
	/* an empty set, published while addr_flush_link() edits the real one in place */
	cx::stack::AddrSet *no_addrs;

	uint64_t mib[static_cast<unsigned int>(cx::stack::StackMib::Count)];
	uint64_t udp_mib[CX_UDP_MIB_COUNT];
	uint32_t ip_id;

	/* Datagrams to ourselves: delivered from a timer (softirq), as the
	 * loopback device's netif_rx() does, never recursively. */
	cx_os_spinlock loop_lock;
	cx_pkt *loop_ring[cx::stack::kLoopRing];
	uint32_t loop_head, loop_tail;	/* free-running; tail - head queued */
	cx::stack::OwnedTimer loop_timer;
	bool destroying;
};

namespace cx::stack {

inline void mib_inc(cx_stack *s, StackMib m)
{
	count(&s->mib[static_cast<unsigned int>(m)]);
}

/* ---- links (stack.cpp) ---- */
const LinkSet *links(const cx_stack *s);
/* Under cx_os_rcu_read_lock(): the link or null. */
Link *link_find(const cx_stack *s, int32_t ifindex);
inline void link_drop(Link *link, unsigned int reason)
{
	count(&link->stats.rx_dropped);
	count(&link->stats.drops[reason]);
}
inline void link_tx_drop(Link *link, unsigned int reason)
{
	count(&link->stats.tx_dropped);
	count(&link->stats.drops[reason]);
}
/* Transmit a whole Ethernet frame on link (counts TX). */
void link_xmit(cx_stack *s, Link *link, cx_pkt *frame);
int64_t tunable(const cx_stack *s, unsigned int id, unsigned int index = 0);

/* ---- addresses (stack_addr.cpp) ---- */
const AddrSet *addrs(const cx_stack *s);
/* inet_select_addr(dev, dst, scope) */
uint32_t select_source(const cx_stack *s, int32_t ifindex, uint32_t dst, uint8_t scope);
/* Is addr a local address of any link (__ip_dev_find)? The link's index, else 0. */
int32_t addr_owner(const cx_stack *s, uint32_t addr);
/* inet_addr_type_dev_table(): RTN_* of addr seen from the local table. */
RtnType addr_type(const cx_stack *s, uint32_t addr);
/* Remove every address of a link (detach), with their routes. */
void addr_flush_link(cx_stack *s, int32_t ifindex);
int addr_init(cx_stack *s);
void addr_destroy(cx_stack *s);

/* ---- neighbours (stack_neigh.cpp) ---- */
int neigh_init(cx_stack *s);
void neigh_destroy(cx_stack *s);
/* ARP frame received on link (data at the Ethernet header). Consumes pkt. */
void arp_input(cx_stack *s, Link *link, cx_pkt *pkt);
/* Gratuitous ARP for a new address. */
void arp_announce(cx_stack *s, int32_t ifindex, uint32_t addr);

/* ---- routing (stack_route.cpp) ---- */
int route_init(cx_stack *s);
void route_destroy(cx_stack *s);
/*
 * The kernel routes of an address (fib_magic): add or delete, recorded in
 * journal if given (committed or aborted by the caller). Adding returns the
 * FIB's error (-EEXIST: another address implies the same route); deleting
 * fails only when the journal cannot record it (-ENOMEM).
 */
int route_magic(cx_stack *s, bool add, RtnType type, uint32_t dst, uint8_t len,
		uint32_t prefsrc, int32_t ifindex, route::RouteJournal *journal = nullptr);
/* Routes with a nexthop through ifindex removed (fib_sync_down_dev, force). */
void route_flush_link(cx_stack *s, int32_t ifindex);
/* ip_route_output_key(): the FIB answer and the cx_route_out view. */
int route_output(cx_stack *s, const cx_flow *flow, route::FibResult *res, cx_route_out *out);

/* ---- output (stack_output.cpp) ---- */
/*
 * Send a complete IPv4 datagram (header and checksum done) to next hop
 * nh (0: the destination) on link ifindex: local delivery for our own
 * addresses, fragments to mtu unless DF (then drops it, frag_needed set),
 * neighbour resolution. Takes ownership; 0 or -errno.
 */
int ip_output(cx_stack *s, cx_pkt *pkt, int32_t ifindex, uint32_t nh, uint32_t mtu,
	      bool broadcast);
/* Ethernet header to mac and transmit on link (under RCU); takes ownership. */
void eth_xmit(cx_stack *s, Link *link, cx_pkt *pkt, const wire::MacAddress &mac);
/* Queue a datagram to ourselves (loopback); takes ownership. */
void loop_enqueue(cx_stack *s, cx_pkt *pkt);
int output_init(cx_stack *s);
/* ipfrag_high_thresh / ipfrag_time into the reassembly table's config. */
void reasm_config_update(cx_stack *s);
void output_destroy(cx_stack *s);
uint16_t next_ip_id(cx_stack *s);
/*
 * icmp_send(): an ICMP error about in (data at its IP header), routed back
 * to its source. in is not consumed. in_ifindex: the link it came from (0 local).
 */
void icmp_send(cx_stack *s, cx_pkt *in, uint8_t type, uint8_t code, uint32_t info,
	       int32_t in_ifindex, bool in_not_host, bool in_bcast_mcast);

/* ---- input (stack_input.cpp) ---- */
/* The net.ipv4.icmp_* tunables as the ICMP library takes them. */
ipv4::IcmpConfig icmp_config(const cx_stack *s);
/* An IPv4 datagram (data at the IP header) for local delivery after defrag; consumes pkt. */
void ip_local_deliver(cx_stack *s, cx_pkt *pkt, int32_t ifindex, cx_pkt_type pkt_type,
		      bool bcast_mcast);

} // namespace cx::stack

#endif /* CXNET_CORE_STACK_STACK_IMPL_H */
