/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv4 route entries, as Linux's net/ipv4/fib_*.c models them: a route is a
 * prefix (dst/len, tos) in one table, with a type (RTN_*), and a shared,
 * reference-counted RouteInfo (struct fib_info: protocol, scope, priority,
 * prefsrc, metrics, nexthops). A single-path route is a one-nexthop route.
 *
 * Values are Linux's ABI (rtnetlink.h): RTN_*, RT_SCOPE_*, RT_TABLE_*,
 * RTNH_F_*, NLM_F_* so that the netlink wrapper passes them through.
 * Addresses are uint32_t in host order. Errors are negative CX_E* values,
 * as the kernel functions return them.
 */
#ifndef CXNET_CORE_ROUTE_ROUTE_H
#define CXNET_CORE_ROUTE_ROUTE_H

#include "../types.h"
#include "../os.h"
#include "../cx_errno.h"
#include "../rtn_type.h"


namespace cx::route {

/* enum rt_class_t */
constexpr uint32_t kTableUnspec = 0;
constexpr uint32_t kTableDefault = 253;
constexpr uint32_t kTableMain = 254;
constexpr uint32_t kTableLocal = 255;

/* enum rtn_type (RTN_*); NAT is not supported (kRouteTypeMax). */
using RouteType = cx::RtnType;
constexpr uint8_t kRouteTypeMax = 9; /* NAT/XRESOLVE are not supported */

/* enum rt_scope_t */
constexpr uint8_t kScopeUniverse = 0;
constexpr uint8_t kScopeSite = 200;
constexpr uint8_t kScopeLink = 253;
constexpr uint8_t kScopeHost = 254;
constexpr uint8_t kScopeNowhere = 255;

/* RTPROT_* (a few; any u8 is accepted) */
constexpr uint8_t kProtoUnspec = 0;
constexpr uint8_t kProtoKernel = 2;
constexpr uint8_t kProtoBoot = 3;
constexpr uint8_t kProtoStatic = 4;

/* RTNH_F_* nexthop flags */
constexpr uint8_t kNexthopDead = 1;
constexpr uint8_t kNexthopOnlink = 4;

/* NLM_F_* request flags, as fib_table_insert() reads them */
constexpr uint32_t kNlmReplace = 0x100;
constexpr uint32_t kNlmExcl = 0x200;
constexpr uint32_t kNlmCreate = 0x400;
constexpr uint32_t kNlmAppend = 0x800;

/* "ip route add" = Create|Excl, "prepend" = Create, "append" = Create|Append,
 * "replace" = Create|Replace, "change" = Replace (iproute2's flags). */
constexpr uint32_t kRouteAddFlags = kNlmCreate | kNlmExcl;

/* IPv4 ECN bits: routes with them in tos are rejected (rtm_to_fib_config). */
constexpr uint8_t kTosEcnMask = 0x03;

/* Nexthop weights (rtnh_hops + 1). */
constexpr uint16_t kWeightMin = 1;
constexpr uint16_t kWeightMax = 256;

/* One nexthop (struct fib_nh): gateway 0 = directly connected. */
struct Nexthop {
	uint32_t gateway;
	int32_t ifindex;
	uint16_t weight;	/* 1..256; 0 in a config means 1 */
	uint8_t flags;		/* kNexthopDead / kNexthopOnlink */
	uint8_t pad;
	/* fib_nh_upper_bound: hash-threshold bound, -1 for a dead nexthop
	 * (fib_rebalance()); ignored in configs. */
	int32_t upper_bound;
};

/*
 * A route request (struct fib_config): what netlink's RTM_NEWROUTE and
 * RTM_DELROUTE carry. For a delete, zero fields (type Unspec, scope
 * kScopeNowhere, protocol 0, priority 0, prefsrc 0, no nexthop keys) are
 * wildcards, as in fib_table_delete().
 */
struct RouteConfig {
	uint32_t dst;
	uint8_t dst_len;
	uint8_t tos;
	RouteType type;
	uint8_t scope;
	uint8_t protocol;
	uint32_t table;		/* 0 means main (RT_TABLE_UNSPEC -> MAIN) */
	uint32_t priority;	/* metric */
	uint32_t prefsrc;
	uint32_t mtu;		/* RTAX_MTU, 0 = unset */
	/* single path (RTA_GATEWAY / RTA_OIF), used when multipath_count == 0 */
	uint32_t gateway;
	int32_t oif;
	uint8_t nh_flags;
	/* RTA_MULTIPATH */
	const Nexthop *multipath;
	uint32_t multipath_count;
	uint32_t nlflags;	/* kNlm* */
};

/* A default add request: unicast, universe scope, boot protocol, main table. */
inline RouteConfig route_config(uint32_t dst, uint8_t dst_len)
{
	RouteConfig cfg{};
	cfg.dst = dst;
	cfg.dst_len = dst_len;
	cfg.type = RouteType::Unicast;
	cfg.scope = kScopeUniverse;
	cfg.protocol = kProtoBoot;
	cfg.table = kTableMain;
	cfg.nlflags = kRouteAddFlags;
	return cfg;
}

/* A delete request matching only on dst/len/tos in the main table. */
inline RouteConfig route_delete_config(uint32_t dst, uint8_t dst_len)
{
	RouteConfig cfg{};
	cfg.dst = dst;
	cfg.dst_len = dst_len;
	cfg.type = RouteType::Unspec;
	cfg.scope = kScopeNowhere;
	cfg.table = kTableMain;
	return cfg;
}

/*
 * Shared route attributes (struct fib_info), deduplicated per Fib like
 * fib_info_hash: a full BGP view shares a handful of them. tree_refs counts
 * routes (fib_treeref, changed under the configuration lock only); refs is
 * the atomic count of holders, routes as one and each snapshot as one
 * (fib_clntref): a published snapshot keeps its infos alive after the
 * routes are gone.
 */
struct RouteInfo {
	RouteInfo *hash_next;
	struct cx_os_refcount refs;
	uint32_t tree_refs;
	uint32_t hash;
	uint32_t priority;
	uint32_t prefsrc;
	uint32_t mtu;
	uint64_t snapshot_mark;	/* build-time dedup of snapshot references */
	uint32_t snapshot_index; /* index in the snapshot being built (with the mark) */
	uint8_t protocol;
	uint8_t scope;
	uint8_t all_dead;	/* RTNH_F_DEAD on the fib_info: every nexthop dead */
	uint8_t nexthop_count;
	Nexthop nexthops[];	/* nexthop_count entries */
};

/* A route (struct fib_alias, with its key): the head of each prefix's alias
 * list sits in the table's hash. */
struct RouteEntry {
	RouteEntry *hash_next;	/* next prefix in the bucket (heads only) */
	RouteEntry *next;	/* next alias of the same prefix */
	RouteInfo *info;
	uint32_t prefix;
	uint8_t len;
	uint8_t tos;
	RouteType type;
	uint8_t pad;
};

/* The errno a lookup hitting a route of this type returns (fib_props[].error):
 * 0 for the types that forward or deliver. */
constexpr int route_type_error(RouteType type)
{
	switch (type) {
	case RouteType::Blackhole:
		return -CX_EINVAL;
	case RouteType::Unreachable:
		return -CX_EHOSTUNREACH;
	case RouteType::Prohibit:
		return -CX_EACCES;
	case RouteType::Throw:
		return -CX_EAGAIN;
	default:
		return 0;
	}
}

/* The narrowest scope a route of this type may have (fib_props[].scope). */
constexpr uint8_t route_type_min_scope(RouteType type)
{
	switch (type) {
	case RouteType::Local:
		return kScopeHost;
	case RouteType::Broadcast:
		return kScopeLink;
	default:
		return kScopeUniverse;
	}
}

/* inet_make_mask() */
constexpr uint32_t prefix_mask(unsigned int len)
{
	return len == 0 ? 0 : ~uint32_t(0) << (32 - len);
}

/* Does prefix/len contain addr? */
constexpr bool prefix_contains(uint32_t prefix, unsigned int len, uint32_t addr)
{
	return ((addr ^ prefix) & prefix_mask(len)) == 0;
}

/* Population count without libgcc (no __popcountdi2 in the kernel): the
 * popcnt instruction when the target has it, else the SWAR reduction. */
inline unsigned int popcount64(uint64_t x)
{
#ifdef __POPCNT__
	return static_cast<unsigned int>(__builtin_popcountll(x));
#else
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return static_cast<unsigned int>((x * 0x0101010101010101ull) >> 56);
#endif
}

} // namespace cx::route

#endif /* CXNET_CORE_ROUTE_ROUTE_H */
