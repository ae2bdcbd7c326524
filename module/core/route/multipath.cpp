// SPDX-License-Identifier: GPL-2.0
/* fib_multipath_hash() and fib_select_multipath() (net/ipv4/route.c, fib_semantics.c). */
#include "multipath.h"
#include "../hash.h"

namespace cx::route {

uint32_t multipath_hash(const MultipathFlowKey &key, int policy, uint32_t seed)
{
	/*
	 * Linux hashes the dissected keys with flow_hash_from_keys() (siphash,
	 * boot-time key); here jhash with the namespace's seed. Policy 0 uses
	 * the addresses only, so all fragments and ports of a host pair stay
	 * on one path; policy 1 adds the protocol and ports.
	 */
	uint32_t h = jhash_2words(key.src, key.dst, seed);
	if (policy == kMultipathHashL4)
		h = jhash_3words(h, (uint32_t(key.sport) << 16) | key.dport, key.proto, seed);
	return h >> 1;
}

uint32_t multipath_select(const RouteInfo *info, uint32_t hash)
{
	for (uint32_t i = 0; i < info->nexthop_count; i++) {
		/* dead nexthops have upper_bound -1: never chosen */
		if (static_cast<int32_t>(hash) > info->nexthops[i].upper_bound)
			continue;
		return i;
	}
	return 0;
}

} // namespace cx::route
