/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * cxnet: a second TCP/IP stack for Linux, as a loadable module.
 * Everything shared between the module and userspace lives here, once.
 * Usable from C and C++ userspace and from the kernel.
 */
#ifndef _UAPI_LINUX_CXNET_H
#define _UAPI_LINUX_CXNET_H

/* Only macros and enums: includable from C, C++ and the freestanding core. */

/*
 * Address family.
 *
 * AF_CXNET reuses AF_ECONET (19). Econet (Acorn) support was removed from
 * Linux in 3.5 (2012); in 6.1 no in-tree code calls sock_register(19), the
 * number is below AF_MAX (46) and is still reserved in <linux/socket.h>, so
 * it can never be handed to another family. Families that 6.1 still
 * registers (e.g. AF_ISDN via mISDN, AF_KEY) were avoided, and so was
 * AF_DECnet (12), which glibc and tools still decode as DECnet.
 *
 * The module parameter `family=N` overrides it; insmod fails with EEXIST
 * and a log line naming the parameter when the number is taken.
 * CXNET_CMD_INFO_GET reports the number actually registered.
 */
#define AF_CXNET 19
#define PF_CXNET AF_CXNET

/* Generic netlink family */
#define CXNET_GENL_NAME		"cxnet"
#define CXNET_GENL_VERSION	1
#define CXNET_GENL_MCGRP_EVENTS	"events"

/* Version of the module / uapi (CXNET_A_INFO_VERSION). */
#define CXNET_VERSION_STRING	"0.1.0"

enum cxnet_cmd {
	CXNET_CMD_UNSPEC,
	CXNET_CMD_INFO_GET,	/* doit: module + per-netns information */
	CXNET_CMD_SYSCTL_GET,	/* doit with CXNET_A_SYSCTL_NAME; dumpit: all tunables */
	CXNET_CMD_SYSCTL_SET,	/* needs CAP_NET_ADMIN over the netns; multicasts SYSCTL_NEW */
	CXNET_CMD_SYSCTL_NEW,	/* event on the "events" group, and reply of GET/SET */
	/*
	 * Links (`cxip link`): ATTACH/DETACH need CXNET_A_IFINDEX or
	 * CXNET_A_IFNAME; GET: doit by index/name, dumpit all attached links.
	 * Replies and events are LINK_NEW / LINK_DEL.
	 */
	CXNET_CMD_LINK_ATTACH,
	CXNET_CMD_LINK_DETACH,
	CXNET_CMD_LINK_GET,
	CXNET_CMD_LINK_NEW,
	CXNET_CMD_LINK_DEL,
	/*
	 * IPv4 addresses (`cxip addr`, RTM_NEWADDR/DELADDR/GETADDR). ADD takes
	 * NLM_F_CREATE/EXCL/REPLACE in CXNET_A_REQUEST_FLAGS, as rtnetlink reads them
	 * from its header.
	 * GET is a dump (optionally filtered by CXNET_A_IFINDEX).
	 */
	CXNET_CMD_ADDR_ADD,
	CXNET_CMD_ADDR_DEL,
	CXNET_CMD_ADDR_GET,
	CXNET_CMD_ADDR_NEW,	/* reply / event */
	CXNET_CMD_ADDR_GONE,	/* event */
	/*
	 * Routes (`cxip route`, RTM_NEWROUTE/DELROUTE/GETROUTE). ADD honours
	 * NLM_F_CREATE/EXCL/REPLACE/APPEND from CXNET_A_REQUEST_FLAGS. GET doit is
	 * `ip route get` (flow attributes CXNET_A_RT_DST, _SRC, _IIF, _OIF,
	 * _MARK, _IPPROTO, _SPORT, _DPORT); GET dumpit lists routes
	 * (CXNET_A_RT_TABLE filters; 0 or absent: every table).
	 */
	CXNET_CMD_ROUTE_ADD,
	CXNET_CMD_ROUTE_DEL,
	CXNET_CMD_ROUTE_GET,
	CXNET_CMD_ROUTE_NEW,	/* reply / event */
	CXNET_CMD_ROUTE_GONE,	/* event */
	/* Policy rules (`cxip rule`, FIB rules): same pattern. */
	CXNET_CMD_RULE_ADD,
	CXNET_CMD_RULE_DEL,
	CXNET_CMD_RULE_GET,
	CXNET_CMD_RULE_NEW,
	CXNET_CMD_RULE_GONE,
	/* Neighbours (`cxip neigh`, RTM_NEWNEIGH/DELNEIGH/GETNEIGH). */
	CXNET_CMD_NEIGH_ADD,
	CXNET_CMD_NEIGH_DEL,
	CXNET_CMD_NEIGH_GET,
	CXNET_CMD_NEIGH_NEW,
	CXNET_CMD_NEIGH_GONE,
	/*
	 * Protocol counters of the netns (`cxip stats`): a dump of
	 * CXNET_A_COUNTERS groups, one per CXNET_A_STATS_GROUP ("Ip", "Icmp",
	 * "IcmpMsg", "Udp", "Arp", "IpDrop", ...), /proc/net/snmp style.
	 */
	CXNET_CMD_STATS_GET,
	CXNET_CMD_STATS_NEW,
	__CXNET_CMD_MAX,
};
#define CXNET_CMD_MAX (__CXNET_CMD_MAX - 1)

/* Top-level attributes (one attribute space for the family). */
enum cxnet_attr {
	CXNET_A_UNSPEC,
	CXNET_A_PAD,
	/* CXNET_CMD_INFO_GET reply */
	CXNET_A_INFO_VERSION,		/* string */
	CXNET_A_INFO_BUILD_ID,		/* string: git describe of the build */
	CXNET_A_INFO_FEATURES,		/* u64: CXNET_FEATURE_* bits */
	CXNET_A_INFO_FAMILY,		/* u32: address family number registered */
	CXNET_A_INFO_NETNS_COOKIE,	/* u64: net cookie of the netns answered for */
	CXNET_A_INFO_COUNTS,		/* nest: CXNET_COUNT_A_* */
	/* sysctl */
	CXNET_A_SYSCTL_NAME,		/* string, e.g. "net.ipv4.ip_local_port_range" */
	CXNET_A_SYSCTL_VALUES,		/* nest of CXNET_SYSCTL_VALUE_A_INT (s64), in order */
	CXNET_A_SYSCTL_MIN,		/* s64: lowest value of each element */
	CXNET_A_SYSCTL_MAX,		/* s64: highest value of each element */
	CXNET_A_SYSCTL_TYPE,		/* u8: CXNET_SYSCTL_TYPE_* */
	/*
	 * Conventions below: IPv4 addresses are u32 in network byte order
	 * (as RTA_DST, IFA_LOCAL); interface indexes u32; times in ms.
	 */
	/* links */
	CXNET_A_IFINDEX,		/* u32 */
	CXNET_A_IFNAME,			/* string (< IFNAMSIZ) */
	CXNET_A_LINK_MTU,		/* u32 (reply) */
	CXNET_A_LINK_ADDRESS,		/* binary: 6-byte MAC (reply) */
	CXNET_A_LINK_FLAGS,		/* u32: IFF_* of the device (reply) */
	CXNET_A_LINK_STATS,		/* nest: CXNET_LINK_STAT_A_* u64 (reply) */
	CXNET_A_COUNTERS,		/* nest of CXNET_COUNTER_A_ENTRY (named u64 counters) */
	/* addresses (IFA_*) */
	CXNET_A_ADDR_LOCAL,		/* be32: the address */
	CXNET_A_ADDR_PREFIXLEN,		/* u8: 0..32 */
	CXNET_A_ADDR_BROADCAST,		/* be32 */
	CXNET_A_ADDR_SCOPE,		/* u8: RT_SCOPE_* */
	CXNET_A_ADDR_LABEL,		/* string (< IFNAMSIZ), must start with the device name */
	CXNET_A_ADDR_FLAGS,		/* u32: IFA_F_* (reply: SECONDARY, PERMANENT) */
	/* routes (RTA_* / struct rtmsg) */
	CXNET_A_RT_TABLE,		/* u32: RT_TABLE_* or 1..2^32-1 */
	CXNET_A_RT_DST,			/* be32 */
	CXNET_A_RT_DST_LEN,		/* u8 */
	CXNET_A_RT_TOS,			/* u8 */
	CXNET_A_RT_TYPE,		/* u8: RTN_* */
	CXNET_A_RT_SCOPE,		/* u8: RT_SCOPE_* */
	CXNET_A_RT_PROTOCOL,		/* u8: RTPROT_* */
	CXNET_A_RT_PRIORITY,		/* u32: metric */
	CXNET_A_RT_PREFSRC,		/* be32 */
	CXNET_A_RT_MTU,			/* u32: RTAX_MTU */
	CXNET_A_RT_GATEWAY,		/* be32 */
	CXNET_A_RT_OIF,			/* u32 */
	CXNET_A_RT_NH_FLAGS,		/* u8: RTNH_F_* (ONLINK on add; DEAD in replies) */
	CXNET_A_RT_MULTIPATH,		/* nest of CXNET_NH_A_NEXTHOP nests */
	/* route get flow (also in its reply) */
	CXNET_A_RT_SRC,			/* be32 */
	CXNET_A_RT_IIF,			/* u32 */
	CXNET_A_RT_MARK,		/* u32 */
	CXNET_A_RT_IPPROTO,		/* u8 */
	CXNET_A_RT_SPORT,		/* u16 (host order) */
	CXNET_A_RT_DPORT,		/* u16 (host order) */
	CXNET_A_RT_RULE_PREF,		/* u32: reply of route get: the rule that answered */
	/* rules (FRA_* / struct fib_rule_hdr) */
	CXNET_A_RULE_PREF,		/* u32: FRA_PRIORITY */
	CXNET_A_RULE_ACTION,		/* u8: FR_ACT_* */
	CXNET_A_RULE_TABLE,		/* u32 */
	CXNET_A_RULE_SRC,		/* be32 */
	CXNET_A_RULE_SRC_LEN,		/* u8 */
	CXNET_A_RULE_DST,		/* be32 */
	CXNET_A_RULE_DST_LEN,		/* u8 */
	CXNET_A_RULE_TOS,		/* u8 */
	CXNET_A_RULE_IPPROTO,		/* u8 */
	CXNET_A_RULE_IIF,		/* u32 ifindex */
	CXNET_A_RULE_OIF,		/* u32 ifindex */
	CXNET_A_RULE_FWMARK,		/* u32 */
	CXNET_A_RULE_FWMASK,		/* u32 */
	CXNET_A_RULE_SPORT_START,	/* u16 */
	CXNET_A_RULE_SPORT_END,		/* u16 */
	CXNET_A_RULE_DPORT_START,	/* u16 */
	CXNET_A_RULE_DPORT_END,		/* u16 */
	CXNET_A_RULE_SUPPRESS_PREFIXLEN, /* u32 (s32 -1: none) */
	CXNET_A_RULE_FLAGS,		/* u32: FIB_RULE_INVERT */
	/* neighbours (NDA_* / struct ndmsg) */
	CXNET_A_NEIGH_DST,		/* be32 */
	CXNET_A_NEIGH_LLADDR,		/* binary: 6-byte MAC */
	CXNET_A_NEIGH_STATE,		/* u16: NUD_* */
	CXNET_A_NEIGH_PROBES,		/* u32 (reply) */
	CXNET_A_NEIGH_USED_MS,		/* u32: ms since last use (reply) */
	CXNET_A_NEIGH_CONFIRMED_MS,	/* u32: ms since last confirmation (reply) */
	CXNET_A_NEIGH_UPDATED_MS,	/* u32: ms since last update (reply) */
	CXNET_A_NEIGH_REFCNT,		/* u32 (reply) */
	/* stats */
	CXNET_A_STATS_GROUP,		/* string: "Ip", "Icmp", ... */
	/*
	 * u32: rtnetlink's NLM_F_CREATE/EXCL/REPLACE/APPEND (same values) for
	 * *_ADD commands. Generic netlink refuses these bits in the netlink
	 * header of strictly validated families, so they travel here. Absent:
	 * 0, which only updates an existing object (like `ip ... change`).
	 */
	CXNET_A_REQUEST_FLAGS,
	__CXNET_A_MAX,
};
#define CXNET_A_MAX (__CXNET_A_MAX - 1)

/* Nested in CXNET_A_INFO_COUNTS: objects in the netns answered for. */
enum cxnet_count_attr {
	CXNET_COUNT_A_UNSPEC,
	CXNET_COUNT_A_SOCKETS,		/* u32: open AF_CXNET sockets */
	CXNET_COUNT_A_SYSCTL_WRITES,	/* u32: successful sysctl writes */
	__CXNET_COUNT_A_MAX,
};
#define CXNET_COUNT_A_MAX (__CXNET_COUNT_A_MAX - 1)

/* Nested in CXNET_A_SYSCTL_VALUES. */
enum cxnet_sysctl_value_attr {
	CXNET_SYSCTL_VALUE_A_UNSPEC,
	CXNET_SYSCTL_VALUE_A_INT,	/* s64 */
	CXNET_SYSCTL_VALUE_A_PAD,
	__CXNET_SYSCTL_VALUE_A_MAX,
};
#define CXNET_SYSCTL_VALUE_A_MAX (__CXNET_SYSCTL_VALUE_A_MAX - 1)

/* Nested in CXNET_A_COUNTERS: one named counter. */
enum cxnet_counters_attr {
	CXNET_COUNTERS_A_UNSPEC,
	CXNET_COUNTERS_A_ENTRY,		/* nest: CXNET_COUNTER_A_* */
	__CXNET_COUNTERS_A_MAX,
};
#define CXNET_COUNTERS_A_MAX (__CXNET_COUNTERS_A_MAX - 1)

enum cxnet_counter_attr {
	CXNET_COUNTER_A_UNSPEC,
	CXNET_COUNTER_A_NAME,		/* string, e.g. "InHdrErrors" */
	CXNET_COUNTER_A_VALUE,		/* u64 */
	CXNET_COUNTER_A_PAD,
	__CXNET_COUNTER_A_MAX,
};
#define CXNET_COUNTER_A_MAX (__CXNET_COUNTER_A_MAX - 1)

/* Nested in CXNET_A_LINK_STATS (struct rtnl_link_stats64 names). */
enum cxnet_link_stat_attr {
	CXNET_LINK_STAT_A_UNSPEC,
	CXNET_LINK_STAT_A_PAD,
	CXNET_LINK_STAT_A_RX_PACKETS,	/* u64: frames cxnet consumed (IPv4 + ARP) */
	CXNET_LINK_STAT_A_RX_BYTES,
	CXNET_LINK_STAT_A_RX_ERRORS,	/* malformed frames */
	CXNET_LINK_STAT_A_RX_DROPPED,	/* every drop (by reason: CXNET_A_COUNTERS) */
	CXNET_LINK_STAT_A_TX_PACKETS,
	CXNET_LINK_STAT_A_TX_BYTES,
	CXNET_LINK_STAT_A_TX_ERRORS,	/* the device refused the frame */
	CXNET_LINK_STAT_A_TX_DROPPED,
	CXNET_LINK_STAT_A_RX_PASSED,	/* frames left to the native stack */
	__CXNET_LINK_STAT_A_MAX,
};
#define CXNET_LINK_STAT_A_MAX (__CXNET_LINK_STAT_A_MAX - 1)

/* Nested in CXNET_A_RT_MULTIPATH (struct rtnexthop). */
enum cxnet_multipath_attr {
	CXNET_MP_A_UNSPEC,
	CXNET_MP_A_NEXTHOP,		/* nest: CXNET_NH_A_* */
	__CXNET_MP_A_MAX,
};
#define CXNET_MP_A_MAX (__CXNET_MP_A_MAX - 1)

enum cxnet_nexthop_attr {
	CXNET_NH_A_UNSPEC,
	CXNET_NH_A_GATEWAY,		/* be32 */
	CXNET_NH_A_IFINDEX,		/* u32 */
	CXNET_NH_A_WEIGHT,		/* u16: 1..256 (rtnh_hops + 1) */
	CXNET_NH_A_FLAGS,		/* u8: RTNH_F_* */
	__CXNET_NH_A_MAX,
};
#define CXNET_NH_A_MAX (__CXNET_NH_A_MAX - 1)

/* Most nexthops of one route (fib_info: Linux has no fixed cap; 32 here). */
#define CXNET_MULTIPATH_MAX 32

enum cxnet_sysctl_type {
	CXNET_SYSCTL_TYPE_INT = 1,	/* one integer */
	CXNET_SYSCTL_TYPE_INT_VEC,	/* a fixed number of integers (e.g. a range) */
};

/* Longest tunable name, without the NUL. */
#define CXNET_SYSCTL_NAME_MAX 127

/* Most values a tunable holds (ip_local_port_range: 2, tcp_rmem: 3). */
#define CXNET_SYSCTL_MAX_VALUES 4

/* CXNET_A_INFO_FEATURES bits: what this build implements. */
#define CXNET_FEATURE_GENL	(1ULL << 0)	/* generic netlink control plane */
#define CXNET_FEATURE_SOCKET	(1ULL << 1)	/* AF_CXNET socket family */
#define CXNET_FEATURE_SYSCTL	(1ULL << 2)	/* per-netns tunables */
#define CXNET_FEATURE_LINK	(1ULL << 3)	/* netdevice attach, ARP, IPv4, ICMP */
#define CXNET_FEATURE_ROUTE	(1ULL << 4)	/* routing tables, rules, forwarding */
#define CXNET_FEATURE_UDP	(1ULL << 5)	/* SOCK_DGRAM over AF_CXNET */
#define CXNET_FEATURE_NAMES	"genl", "socket", "sysctl", "link", "route", "udp"

#endif /* _UAPI_LINUX_CXNET_H */
