// SPDX-License-Identifier: GPL-2.0
/*
 * fib_info: validation (fib_create_info), sharing (fib_info_hash lookup),
 * release (fib_release_info) and multipath bounds (fib_rebalance).
 */
#include "route_info.h"
#include "../hash.h"
#include "../utility.h"

namespace cx::route {

namespace {

/* Linux has no fixed limit (fib_count_nexthops); one byte of count here. */
constexpr uint32_t kMaxNexthops = 255;

/* The info cfg describes, built in tmp-like storage for comparison and hashing. */
uint32_t info_hash(const RouteInfo *info, uint32_t seed)
{
	uint32_t h = jhash_3words(info->priority, info->prefsrc, info->mtu, seed);
	h = jhash_3words(h, info->protocol | (info->scope << 8) | (info->nexthop_count << 16),
			 0, seed);
	for (uint32_t i = 0; i < info->nexthop_count; i++) {
		const Nexthop &nh = info->nexthops[i];
		h = jhash_3words(h ^ nh.gateway, static_cast<uint32_t>(nh.ifindex),
				 nh.weight | (nh.flags << 16), seed);
	}
	return h;
}

/* fib_info_hash's equality (fib_find_info + fib_nh_match style). */
bool info_equal(const RouteInfo *a, const RouteInfo *b)
{
	if (a->priority != b->priority || a->prefsrc != b->prefsrc || a->mtu != b->mtu ||
	    a->protocol != b->protocol || a->scope != b->scope ||
	    a->nexthop_count != b->nexthop_count)
		return false;
	for (uint32_t i = 0; i < a->nexthop_count; i++) {
		const Nexthop &x = a->nexthops[i], &y = b->nexthops[i];
		if (x.gateway != y.gateway || x.ifindex != y.ifindex || x.weight != y.weight ||
		    x.flags != y.flags)
			return false;
	}
	return true;
}

void info_free(const RouteInfo *info)
{
	cx_os_free(info);
}

} // namespace

void route_info_rebalance(RouteInfo *info)
{
	uint32_t total = 0;
	uint32_t alive = 0;
	for (uint32_t i = 0; i < info->nexthop_count; i++) {
		if (info->nexthops[i].flags & kNexthopDead)
			continue;
		total += info->nexthops[i].weight;
		alive++;
	}
	info->all_dead = alive == 0;
	uint32_t w = 0;
	for (uint32_t i = 0; i < info->nexthop_count; i++) {
		Nexthop &nh = info->nexthops[i];
		if (nh.flags & kNexthopDead) {
			nh.upper_bound = -1;
			continue;
		}
		w += nh.weight;
		/* DIV_ROUND_CLOSEST_ULL((u64)w << 31, total) - 1 */
		uint64_t scaled = (uint64_t(w) << 31) + total / 2;
		nh.upper_bound = static_cast<int32_t>(scaled / total - 1);
	}
}

void route_info_kill(RouteInfo *info)
{
	for (uint32_t i = 0; i < info->nexthop_count; i++) {
		Nexthop &nh = info->nexthops[i];
		__atomic_store_n(&nh.upper_bound, -1, __ATOMIC_RELAXED);
		__atomic_store_n(&nh.flags, static_cast<uint8_t>(nh.flags | kNexthopDead),
				 __ATOMIC_RELAXED);
	}
	__atomic_store_n(&info->all_dead, uint8_t(1), __ATOMIC_RELEASE);
}

void route_info_get(const RouteInfo *info)
{
	cx_os_ref_get(&const_cast<RouteInfo *>(info)->refs);
}

void route_info_put(const RouteInfo *info)
{
	if (cx_os_ref_put(&const_cast<RouteInfo *>(info)->refs))
		info_free(info);
}

int RouteInfoCache::init(Gfp gfp)
{
	CX_BUG_ON(buckets_ != nullptr);
	buckets_ = make_array<RouteInfo *>(16, gfp);
	if (!buckets_)
		return -CX_ENOMEM;
	mask_ = 15;
	count_ = 0;
	cx_os_random_bytes(&seed_, sizeof(seed_));
	return 0;
}

void RouteInfoCache::destroy()
{
	CX_BUG_ON(count_ != 0);
	free_array(buckets_);
	buckets_ = nullptr;
}

bool RouteInfoCache::grow(Gfp gfp)
{
	uint32_t new_count = (mask_ + 1) * 2;
	RouteInfo **fresh = make_array<RouteInfo *>(new_count, gfp);
	if (!fresh)
		return false;
	for (uint32_t b = 0; b <= mask_; b++) {
		RouteInfo *info = buckets_[b];
		while (info) {
			RouteInfo *next = info->hash_next;
			uint32_t nb = info->hash & (new_count - 1);
			info->hash_next = fresh[nb];
			fresh[nb] = info;
			info = next;
		}
	}
	free_array(buckets_);
	buckets_ = fresh;
	mask_ = new_count - 1;
	return true;
}

RouteInfo *RouteInfoCache::acquire(const RouteConfig &cfg, Gfp gfp, int *err)
{
	*err = -CX_EINVAL;
	/* fib_create_info(): type range, then fib_props[type].scope > scope */
	if (static_cast<uint8_t>(cfg.type) == 0 ||
	    static_cast<uint8_t>(cfg.type) > kRouteTypeMax)
		return nullptr;
	if (route_type_min_scope(cfg.type) > cfg.scope)
		return nullptr;
	uint32_t count = cfg.multipath_count ? cfg.multipath_count : 1;
	if (count > kMaxNexthops)
		return nullptr;
	/* "Route with host scope can not have multiple nexthops / a gateway" */
	if (route_type_error(cfg.type) == 0 && cfg.scope > kScopeHost)
		return nullptr; /* "Invalid scope" */
	if (cfg.scope == kScopeHost && route_type_error(cfg.type) == 0) {
		if (count != 1)
			return nullptr;
		if (cfg.multipath_count ? cfg.multipath[0].gateway : cfg.gateway)
			return nullptr;
	}

	RouteInfo *info = static_cast<RouteInfo *>(cx_os_zalloc(route_info_size(count),
								 to_os_gfp(gfp)));
	if (!info) {
		*err = -CX_ENOMEM;
		return nullptr;
	}
	info->priority = cfg.priority;
	info->prefsrc = cfg.prefsrc;
	info->mtu = cfg.mtu;
	info->protocol = cfg.protocol;
	info->scope = cfg.scope;
	info->nexthop_count = static_cast<uint8_t>(count);
	bool reject_types = route_type_error(cfg.type) != 0;
	for (uint32_t i = 0; i < count; i++) {
		Nexthop nh = cfg.multipath_count ? cfg.multipath[i] : Nexthop{};
		if (!cfg.multipath_count) {
			nh.gateway = cfg.gateway;
			nh.ifindex = cfg.oif;
			nh.flags = cfg.nh_flags;
			nh.weight = 1;
		}
		if (nh.weight == 0)
			nh.weight = 1;
		if (nh.weight > kWeightMax || (nh.flags & ~(kNexthopDead | kNexthopOnlink))) {
			cx_os_free(info);
			return nullptr;
		}
		/* Blackhole/unreachable/prohibit/throw routes carry no nexthop
		 * (fib_create_info: "Gateway, device and multipath can not be
		 * specified for this route type"). */
		if (reject_types && (nh.gateway || nh.ifindex || cfg.multipath_count)) {
			cx_os_free(info);
			return nullptr;
		}
		nh.pad = 0;
		nh.upper_bound = 0;
		info->nexthops[i] = nh;
	}
	route_info_rebalance(info);
	info->hash = info_hash(info, seed_);

	for (RouteInfo *old = buckets_[info->hash & mask_]; old; old = old->hash_next) {
		if (old->hash == info->hash && info_equal(old, info)) {
			cx_os_free(info);
			old->tree_refs++;
			*err = 0;
			return old;
		}
	}
	if (count_ + 1 > mask_ + 1 && !grow(gfp)) {
		/* the chains still work, only longer */
	}
	cx_os_ref_init(&info->refs, 1);
	info->tree_refs = 1;
	uint32_t b = info->hash & mask_;
	info->hash_next = buckets_[b];
	buckets_[b] = info;
	count_++;
	*err = 0;
	return info;
}

void RouteInfoCache::release(RouteInfo *info)
{
	CX_BUG_ON(info->tree_refs == 0);
	if (--info->tree_refs)
		return;
	RouteInfo **link = &buckets_[info->hash & mask_];
	while (*link != info) {
		CX_BUG_ON(*link == nullptr);
		link = &(*link)->hash_next;
	}
	*link = info->hash_next;
	info->hash_next = nullptr;
	count_--;
	route_info_put(info);
}

} // namespace cx::route
