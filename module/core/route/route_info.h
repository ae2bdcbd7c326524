/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared route attributes (fib_info) and their per-namespace dedup table
 * (fib_info_hash / fib_create_info() / fib_release_info() in
 * net/ipv4/fib_semantics.c). Configuration side only: callers serialise
 * (RTNL in the kernel); readers hold references through snapshots.
 */
#ifndef CXNET_CORE_ROUTE_ROUTE_INFO_H
#define CXNET_CORE_ROUTE_ROUTE_INFO_H

#include "route.h"
#include "../memory.h"

namespace cx::route {

class RouteInfoCache {
public:
	RouteInfoCache() = default;
	RouteInfoCache(const RouteInfoCache &) = delete;
	RouteInfoCache &operator=(const RouteInfoCache &) = delete;

	int init(Gfp gfp);
	/* Every info must have been released (tree_refs 0) before. */
	void destroy();

	/*
	 * fib_create_info(): validate cfg's attributes and return the info
	 * equal to them (existing one shared, else a new one), with one more
	 * tree reference. Errors: -EINVAL (bad type/scope/weight/nexthops),
	 * -ENOMEM.
	 */
	RouteInfo *acquire(const RouteConfig &cfg, Gfp gfp, int *err);
	/* fib_release_info(): drop a tree reference taken by acquire(). */
	void release(RouteInfo *info);

	uint32_t count() const { return count_; }
	uint32_t seed() const { return seed_; }

private:
	bool grow(Gfp gfp);

	RouteInfo **buckets_ = nullptr;
	uint32_t mask_ = 0;
	uint32_t count_ = 0;
	uint32_t seed_ = 0;
};

/* An extra holder (a snapshot) of info, and its release; the final put frees. */
void route_info_get(const RouteInfo *info);
void route_info_put(const RouteInfo *info);

/* fib_rebalance(): hash-threshold upper bounds from the live nexthops' weights. */
void route_info_rebalance(RouteInfo *info);
/*
 * fib_sync_down_dev(NETDEV_UNREGISTER): the device of one of info's
 * nexthops goes, so every nexthop is dead (RTNH_F_DEAD on the fib_info), in
 * place: snapshots still holding routes with info skip them from now on,
 * even before (or without) a new snapshot. No allocation.
 */
void route_info_kill(RouteInfo *info);

/* Bytes of an info with n nexthops. */
constexpr size_t route_info_size(uint32_t nexthops)
{
	return sizeof(RouteInfo) + nexthops * sizeof(Nexthop);
}

} // namespace cx::route

#endif /* CXNET_CORE_ROUTE_ROUTE_INFO_H */
