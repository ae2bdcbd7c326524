/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ECMP nexthop selection: hash-threshold over weighted nexthops
 * (fib_select_multipath() with the bounds of fib_rebalance()), and the
 * flow hash of net.ipv4.fib_multipath_hash_policy 0 (L3: saddr, daddr)
 * and 1 (L4: + protocol, ports), keyed with a random per-namespace seed.
 */
#ifndef CXNET_CORE_ROUTE_MULTIPATH_H
#define CXNET_CORE_ROUTE_MULTIPATH_H

#include "route.h"

namespace cx::route {

/* fib_multipath_hash_policy values */
constexpr int kMultipathHashL3 = 0;
constexpr int kMultipathHashL4 = 1;

struct MultipathFlowKey {
	uint32_t src;
	uint32_t dst;
	uint8_t proto;
	uint16_t sport;
	uint16_t dport;
};

/* fib_multipath_hash(): a 31-bit hash (Linux shifts the flow hash right by one). */
uint32_t multipath_hash(const MultipathFlowKey &key, int policy, uint32_t seed);

/* fib_select_multipath(): the first live nexthop whose upper bound is >=
 * hash; the first nexthop if none (all dead). */
uint32_t multipath_select(const RouteInfo *info, uint32_t hash);

} // namespace cx::route

#endif /* CXNET_CORE_ROUTE_MULTIPATH_H */
