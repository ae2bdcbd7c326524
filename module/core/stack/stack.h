/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One network namespace's IPv4 stack, as the kernel skin sees it: attached
 * links, addresses, the FIB (tables + rules), ARP/neighbours, IPv4 input,
 * output, forwarding, ICMP and reassembly. The C++ behind it lives in
 * core/stack/ and drives the protocol libraries (route/, neigh/, ipv4/);
 * this header is plain C so module/kernel/ (C) calls it, and userspace
 * tests join two stacks with a simulated wire.
 *
 * Conventions: IPv4 addresses are uint32_t in HOST byte order; ports host
 * order; errors are negative CX_E* values (Linux's errno numbers); `msg`
 * out-parameters receive a static string for extack on error.
 *
 * Context and locking:
 *  - Configuration (cx_stack_link_*, _addr_*, _route_*, _rule_*, _neigh_add/
 *    _del, _set_*) runs in process context, serialised by the caller (the
 *    kernel's per-netns config mutex), and may sleep.
 *  - cx_stack_rx() runs in softirq (the rx_handler), cx_stack_send() in
 *    process or softirq context, concurrently with each other and with
 *    configuration: readers see published snapshots under
 *    cx_os_rcu_read_lock() (taken inside the stack), superseded ones are
 *    freed after a grace period (cx_os_call_rcu).
 *  - Dumps (cx_stack_*_dump) call back under the stack's read side; the
 *    callback must not sleep or re-enter configuration. They page with a
 *    cursor: return nonzero from the callback to stop, and resume later
 *    from the same *cursor.
 */
#ifndef CXNET_CORE_STACK_STACK_H
#define CXNET_CORE_STACK_STACK_H

#include "../types.h"
#include "../os.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cx_stack;
struct cx_tunables;

/* ---- host operations (what the kernel skin provides) ------------------------------ */

/* skb->pkt_type values that matter (PACKET_* of if_packet.h). */
enum cx_pkt_type {
	CX_PKT_HOST = 0,
	CX_PKT_BROADCAST = 1,
	CX_PKT_MULTICAST = 2,
	CX_PKT_OTHERHOST = 3,
};

/* Where a locally delivered UDP datagram comes from (for the socket layer). */
struct cx_udp_rx_info {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	int32_t ifindex;		/* input link */
	enum cx_pkt_type pkt_type;	/* broadcast/multicast deliver to every match */
};

/* An ICMP error about a datagram we sent, for the socket that sent it. */
struct cx_icmp_err_info {
	uint8_t type, code;
	uint32_t info;			/* next-hop MTU for frag-needed */
	uint8_t proto;			/* of the quoted datagram */
	uint32_t saddr, daddr;		/* of the quoted datagram: our address first */
	uint16_t sport, dport;		/* of the quoted datagram (0 if not quoted) */
	int errno_value;		/* Linux's icmp_err_convert[] mapping (positive) */
};

/*
 * Changes reported through ops->notify(host_ctx, event, object); object is
 * the struct named (a copy valid for the call only). Configuration calls
 * report their own changes; neighbour state changes come from softirq.
 */
enum cx_stack_event {
	CX_EVENT_LINK_NEW = 1,	/* struct cx_link_desc */
	CX_EVENT_LINK_DEL,	/* struct cx_link_desc */
	CX_EVENT_ADDR_NEW,	/* struct cx_addr */
	CX_EVENT_ADDR_DEL,	/* struct cx_addr */
	CX_EVENT_ROUTE_NEW,	/* struct cx_route */
	CX_EVENT_ROUTE_DEL,	/* struct cx_route */
	CX_EVENT_RULE_NEW,	/* struct cx_rule */
	CX_EVENT_RULE_DEL,	/* struct cx_rule */
	CX_EVENT_NEIGH_NEW,	/* struct cx_neigh (state change) */
	CX_EVENT_NEIGH_DEL,	/* struct cx_neigh */
};

struct cx_stack_host_ops {
	/* Transmit a complete Ethernet frame on the link; takes ownership. 0 or -errno. */
	int (*xmit)(void *link_ctx, struct cx_pkt *frame);
	/*
	 * A UDP datagram for us: data at the UDP header, checksum verified.
	 * Returns true if a socket took it (ownership passes), false if no
	 * socket is bound (the stack answers ICMP port unreachable and frees it).
	 */
	bool (*udp_rcv)(void *host_ctx, struct cx_pkt *pkt, const struct cx_udp_rx_info *info);
	/*
	 * An ICMP error quoting one of our UDP datagrams, or one of our ICMP
	 * echo requests (proto 1, sport = the echo identifier, dport 0), for
	 * ping sockets (no ownership).
	 */
	void (*udp_err)(void *host_ctx, const struct cx_icmp_err_info *info);
	/* Something changed that netlink listeners should hear (optional): enum cx_stack_event. */
	void (*notify)(void *host_ctx, int event, const void *object);
	/*
	 * An ICMP echo reply for us (optional; ping sockets, ping_rcv): data at
	 * the ICMP header, checksum verified; info->sport is the echo
	 * identifier, dport 0. Returns true if a socket took it (ownership
	 * passes), false to let the stack free it.
	 */
	bool (*icmp_echo_reply)(void *host_ctx, struct cx_pkt *pkt,
				const struct cx_udp_rx_info *info);
	/*
	 * A TCP segment for us (optional; the TCP socket layer, tcp_v4_rcv):
	 * data at the TCP header, trimmed to the IP payload, checksum not yet
	 * verified (the TCP layer does it, counting InCsumErrors). pkt_type is
	 * CX_PKT_BROADCAST for broadcast destinations. Returns true if TCP
	 * took it (ownership passes, answering closed ports itself), false to
	 * let the stack handle it as an unknown protocol.
	 */
	bool (*tcp_rcv)(void *host_ctx, struct cx_pkt *pkt, const struct cx_udp_rx_info *info);
};

/* ---- lifetime ------------------------------------------------------------------- */

/* tunables: the netns's values (read on the fast path; owned by the caller). */
struct cx_stack *cx_stack_create(const struct cx_stack_host_ops *ops, void *host_ctx,
				 const struct cx_tunables *tunables);
/* Every link must have been detached. Frees everything after a grace period. */
void cx_stack_destroy(struct cx_stack *stack);

/*
 * A tunable was written: the stack re-reads the values it caches
 * (net.ipv4.fib_multipath_hash_policy into the FIB, ipfrag_* into
 * reassembly). Configuration context.
 */
void cx_stack_tunables_changed(struct cx_stack *stack);

/* ---- links -------------------------------------------------------------------- */

#define CX_LINK_NAME_MAX 16	/* IFNAMSIZ */

/* Device flags the stack looks at (IFF_* values). */
#define CX_LINK_F_UP		0x1
#define CX_LINK_F_BROADCAST	0x2
#define CX_LINK_F_LOOPBACK	0x8
#define CX_LINK_F_POINTOPOINT	0x10
#define CX_LINK_F_NOARP		0x80
#define CX_LINK_F_RUNNING	0x40	/* IFF_RUNNING: carrier */

struct cx_link_desc {
	int32_t ifindex;
	char name[CX_LINK_NAME_MAX];
	uint8_t mac[6];
	uint32_t mtu;
	uint32_t flags;		/* CX_LINK_F_* */
};

/* Per-link counters (rtnl_link_stats64 names) and drops by reason. */
enum cx_link_drop {
	CX_LINK_DROP_MALFORMED,		/* truncated Ethernet / bad IPv4 header */
	CX_LINK_DROP_OTHERHOST,		/* PACKET_OTHERHOST: not for us */
	CX_LINK_DROP_IP_HEADER,		/* ip_rcv_core refused it (see IpDrop stats) */
	CX_LINK_DROP_NO_ROUTE,		/* input route lookup failed */
	CX_LINK_DROP_MARTIAN,		/* martian source/destination, rp_filter */
	CX_LINK_DROP_NOT_FORWARDING,	/* for another host with ip_forward off */
	CX_LINK_DROP_TTL,		/* TTL expired while forwarding */
	CX_LINK_DROP_NO_PROTO,		/* no local handler for the protocol */
	CX_LINK_DROP_ARP,		/* ARP frame refused */
	CX_LINK_DROP_REASM,		/* fragment dropped or queued datagram expired */
	CX_LINK_DROP_NEIGH,		/* TX: neighbour resolution failed / queue full */
	CX_LINK_DROP_NOMEM,		/* no memory */
	CX_LINK_DROP_DOWN,		/* link down */
	CX_LINK_DROP_FRAG,		/* TX: would need fragmenting with DF set */
	CX_LINK_DROP_COUNT
};
/* Names as `cxip -s link` prints them. */
const char *cx_link_drop_name(unsigned int reason);

struct cx_link_stats {
	uint64_t rx_packets, rx_bytes, rx_errors, rx_dropped;
	uint64_t tx_packets, tx_bytes, tx_errors, tx_dropped;
	uint64_t rx_passed;	/* frames left to the native stack */
	uint64_t drops[CX_LINK_DROP_COUNT];
};

/*
 * Attach a device: from now on cx_stack_rx() may be called for it and the
 * stack transmits on it through ops->xmit(link_ctx). -EEXIST if attached.
 */
int cx_stack_link_attach(struct cx_stack *stack, const struct cx_link_desc *desc, void *link_ctx);
/* Device changed (MTU, MAC, flags): routes and neighbours follow as in Linux. */
int cx_stack_link_change(struct cx_stack *stack, const struct cx_link_desc *desc);
/*
 * Detach: the link's addresses, routes through it and neighbours go. After
 * it returns no new cx_stack_rx/xmit use of link_ctx starts; the caller
 * waits a grace period (synchronize_rcu) before freeing link_ctx.
 * -ENODEV if not attached.
 */
int cx_stack_link_detach(struct cx_stack *stack, int32_t ifindex);
/* Counted by the kernel skin for frames it leaves to Linux. */
void cx_stack_link_count_passed(struct cx_stack *stack, int32_t ifindex);
int cx_stack_link_get(struct cx_stack *stack, int32_t ifindex, struct cx_link_desc *desc,
		      struct cx_link_stats *stats);
/* Dump: fn for each link in ifindex order from *cursor (an ifindex). */
typedef int (*cx_link_dump_fn)(void *arg, const struct cx_link_desc *desc,
			       const struct cx_link_stats *stats);
void cx_stack_link_dump(struct cx_stack *stack, uint64_t *cursor, cx_link_dump_fn fn, void *arg);

/* ---- receive / send --------------------------------------------------------------- */

/*
 * A frame received on an attached link, data at the Ethernet header.
 * Returns true if the stack consumed it (IPv4 or ARP: ownership passes),
 * false to let Linux have it (nothing was changed).
 */
bool cx_stack_rx(struct cx_stack *stack, int32_t ifindex, struct cx_pkt *pkt,
		 enum cx_pkt_type pkt_type);

/* A locally generated datagram's flow (struct flowi4). */
struct cx_flow {
	uint32_t daddr;
	uint32_t saddr;		/* 0: source address selection */
	int32_t oif;		/* SO_BINDTODEVICE / IP_PKTINFO, 0 any */
	uint32_t mark;		/* SO_MARK */
	uint8_t proto;
	uint8_t tos;
	uint8_t ttl;		/* 0: ip_default_ttl */
	bool df;		/* IP_PMTUDISC_DO: never fragment, EMSGSIZE */
	bool broadcast_ok;	/* SO_BROADCAST */
	uint16_t sport, dport;
};

/* What routing said about a flow (for connect() and sendmsg()). */
struct cx_route_out {
	uint32_t saddr;		/* selected (or given) source */
	uint32_t daddr;
	int32_t oif;
	uint32_t mtu;		/* path MTU: route MTU metric or the link's */
	bool broadcast;		/* limited or directed broadcast */
	bool local;		/* destination is one of our addresses */
};

/*
 * ip_route_output_flow(): -ENETUNREACH / -EHOSTUNREACH / -EACCES /
 * -EINVAL as Linux; -EACCES for a broadcast without broadcast_ok;
 * -ENETUNREACH for a saddr that is not ours, -ENODEV for an unattached oif.
 */
int cx_stack_route_output(struct cx_stack *stack, const struct cx_flow *flow,
			  struct cx_route_out *out);

/* Headroom a transport must leave before its header (Ethernet + IPv4 + slack). */
#define CX_STACK_HEADROOM 64

/*
 * ip_queue_xmit()/ip_make_skb(): pkt holds the transport header and
 * payload (data at the transport header, CX_STACK_HEADROOM before it). The
 * stack routes (flow), prepends the IP header, fragments to the path MTU
 * unless flow->df (-EMSGSIZE), resolves the neighbour and transmits.
 * Always takes ownership. 0, or -errno (routing errors as
 * cx_stack_route_output; -ENOBUFS when dropped on the way).
 */
int cx_stack_send(struct cx_stack *stack, struct cx_pkt *pkt, const struct cx_flow *flow);

/* Does this address belong to the netns (any link)? For bind(). */
bool cx_stack_addr_is_local(struct cx_stack *stack, uint32_t addr);
/* Is it a broadcast or multicast address for us (bind to broadcast is allowed)? */
bool cx_stack_addr_is_broadcast(struct cx_stack *stack, uint32_t addr);

/* ---- addresses ------------------------------------------------------------------ */

#define CX_IFA_F_SECONDARY	0x01
#define CX_IFA_F_PERMANENT	0x80
#define CX_ADDR_LABEL_MAX	16

struct cx_addr {
	int32_t ifindex;
	uint32_t local;
	uint8_t prefixlen;
	uint8_t scope;		/* RT_SCOPE_*: 0 universe, 253 link, 254 host */
	uint32_t broadcast;	/* 0: none */
	uint32_t flags;		/* CX_IFA_F_* (output; PERMANENT set on every address) */
	char label[CX_ADDR_LABEL_MAX];	/* "" on add: the device name */
};

/* Linux's NLM_F_* request flags. */
#define CX_NLM_F_REPLACE 0x100
#define CX_NLM_F_EXCL	 0x200
#define CX_NLM_F_CREATE	 0x400
#define CX_NLM_F_APPEND	 0x800

/*
 * inet_rtm_newaddr(): -ENODEV for an unattached link, -EEXIST for an
 * existing address with NLM_F_EXCL, -EINVAL for prefixlen > 32 or a bad
 * label. Primary/secondary as Linux (same subnet -> secondary); local,
 * broadcast and prefix routes in tables local and main (fib_add_ifaddr);
 * gratuitous ARP.
 */
int cx_stack_addr_add(struct cx_stack *s, const struct cx_addr *req, uint32_t nlflags,
		      const char **msg);
/*
 * inet_rtm_deladdr(): match on ifindex + local (+ prefixlen if nonzero,
 * label if set); -EADDRNOTAVAIL if none. Deleting a primary deletes its
 * secondaries (promote_secondaries off, Linux's default).
 */
int cx_stack_addr_del(struct cx_stack *s, const struct cx_addr *req, const char **msg);
/* fn for each address (ifindex 0: every link) from *cursor. */
typedef int (*cx_addr_dump_fn)(void *arg, const struct cx_addr *addr);
void cx_stack_addr_dump(struct cx_stack *stack, int32_t ifindex, uint64_t *cursor,
			cx_addr_dump_fn fn, void *arg);

/* ---- routes ------------------------------------------------------------------ */

struct cx_nexthop {
	uint32_t gateway;
	int32_t ifindex;
	uint16_t weight;	/* 1..256 */
	uint8_t flags;		/* RTNH_F_ONLINK 4, RTNH_F_DEAD 1 */
};

#define CX_ROUTE_MAX_NEXTHOPS 32	/* == CXNET_MULTIPATH_MAX */

struct cx_route {
	uint32_t table;		/* 0: main */
	uint32_t dst;
	uint8_t dst_len;
	uint8_t tos;
	uint8_t type;		/* RTN_* (0 on delete: any) */
	uint8_t scope;		/* RT_SCOPE_* (255 on delete: any) */
	uint8_t protocol;	/* RTPROT_* */
	uint32_t priority;
	uint32_t prefsrc;
	uint32_t mtu;
	uint32_t nexthop_count;	/* 0: no nexthop (e.g. unreachable) */
	struct cx_nexthop nexthops[CX_ROUTE_MAX_NEXTHOPS];
};

/* inet_rtm_newroute(): errnos of fib_table_insert + fib_create_info (-ENODEV bad dev, -ENETUNREACH unreachable gateway). */
int cx_stack_route_add(struct cx_stack *stack, const struct cx_route *route, uint32_t nlflags,
		       const char **msg);
int cx_stack_route_del(struct cx_stack *stack, const struct cx_route *route, const char **msg);
/* fn for each route of table (0: every table) from *cursor. */
typedef int (*cx_route_dump_fn)(void *arg, const struct cx_route *route);
void cx_stack_route_dump(struct cx_stack *stack, uint32_t table, uint64_t *cursor,
			 cx_route_dump_fn fn, void *arg);

/* `ip route get` */
struct cx_route_query {
	uint32_t dst, src;
	int32_t iif;		/* 0: locally generated */
	int32_t oif;
	uint32_t mark;
	uint8_t ipproto;
	uint16_t sport, dport;
};
struct cx_route_answer {
	uint8_t type;		/* RTN_* */
	uint32_t table;
	uint32_t rule_pref;
	uint32_t gateway;
	int32_t oif;
	uint32_t prefsrc;	/* the source the route get prints */
	uint32_t mtu;
	uint8_t dst_len;
	uint32_t dst;		/* the matched prefix */
};
/* 0 or the lookup's errno (-ENETUNREACH, -EHOSTUNREACH, ...); msg as `ip` prints it. */
int cx_stack_route_get(struct cx_stack *stack, const struct cx_route_query *q,
		       struct cx_route_answer *ans, const char **msg);

/* ---- rules ------------------------------------------------------------------- */

struct cx_rule {
	uint32_t pref;
	bool has_pref;
	uint8_t action;		/* FR_ACT_*: 1 to table, 3 nop, 6 blackhole, 7 unreachable, 8 prohibit */
	uint32_t table;
	uint32_t src, dst;
	uint8_t src_len, dst_len;
	uint8_t tos;
	uint8_t ipproto;
	int32_t iif, oif;
	uint32_t mark, mark_mask;
	uint16_t sport_start, sport_end, dport_start, dport_end;
	int32_t suppress_prefixlen;	/* -1: none */
	uint32_t flags;		/* FIB_RULE_INVERT 2 */
};
int cx_stack_rule_add(struct cx_stack *stack, const struct cx_rule *rule, uint32_t nlflags,
		      const char **msg);
int cx_stack_rule_del(struct cx_stack *stack, const struct cx_rule *rule, const char **msg);
typedef int (*cx_rule_dump_fn)(void *arg, const struct cx_rule *rule);
void cx_stack_rule_dump(struct cx_stack *stack, uint64_t *cursor, cx_rule_dump_fn fn, void *arg);

/* ---- neighbours ----------------------------------------------------------------- */

struct cx_neigh {
	int32_t ifindex;
	uint32_t addr;
	uint8_t lladdr[6];
	bool has_lladdr;
	uint16_t state;		/* NUD_* */
	uint32_t probes, refcnt;
	uint32_t used_ms, confirmed_ms, updated_ms;	/* ago */
};
/* neigh_add(): -ENODEV unattached link, NLM_F_* semantics of Linux. */
int cx_stack_neigh_add(struct cx_stack *stack, const struct cx_neigh *n, uint32_t nlflags,
		       const char **msg);
int cx_stack_neigh_del(struct cx_stack *stack, int32_t ifindex, uint32_t addr, const char **msg);
typedef int (*cx_neigh_dump_fn)(void *arg, const struct cx_neigh *n);
/* Neighbour dumps snapshot the table first: fn runs without its lock. */
void cx_stack_neigh_dump(struct cx_stack *stack, int32_t ifindex, uint64_t *cursor,
			 cx_neigh_dump_fn fn, void *arg);

/* ---- counters --------------------------------------------------------------------- */

/*
 * fn(group, name, value) for every counter: groups "Ip", "IpDrop", "Icmp",
 * "IcmpMsg", "Arp", "Neigh", "Udp" (the Udp group is the host's: the
 * stack counts NoPorts and InCsumErrors, the socket layer the rest).
 */
typedef int (*cx_counter_fn)(void *arg, const char *group, const char *name, uint64_t value);
void cx_stack_counters(struct cx_stack *stack, cx_counter_fn fn, void *arg);
/* Udp counters kept by the socket layer, incremented by it. */
enum cx_udp_mib {
	CX_UDP_IN_DATAGRAMS,
	CX_UDP_NO_PORTS,
	CX_UDP_IN_ERRORS,
	CX_UDP_OUT_DATAGRAMS,
	CX_UDP_RCVBUF_ERRORS,
	CX_UDP_SNDBUF_ERRORS,
	CX_UDP_IN_CSUM_ERRORS,
	CX_UDP_MIB_COUNT
};
void cx_stack_udp_count(struct cx_stack *stack, enum cx_udp_mib mib);

#ifdef __cplusplus
}
#endif

#endif /* CXNET_CORE_STACK_STACK_H */
