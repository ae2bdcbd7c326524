/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A namespace's IPv4 forwarding information base: its routing tables (a
 * small map from table id to RouteTable, each with its published
 * RouteSnapshot), its policy rules, the shared route-info cache and the
 * multipath hash settings; and the flow lookup of `ip route get`:
 * rules -> table -> ECMP (fib_lookup() / fib_rules_lookup() /
 * fib_table_lookup() / fib_select_path()).
 *
 * Configuration (route_*, rule_*, commit) is serialised by the caller
 * (RTNL); lookup() only reads published immutable snapshots and rule
 * lists, so it may run concurrently under RCU. Route changes are visible
 * to lookups after commit(), which recompiles changed tables ("per batch":
 * the netlink side commits at the end of each request or batch).
 * Superseded snapshots and rule lists go to the retire callback, which in
 * the kernel frees them after a grace period (call_rcu); the default
 * frees at once.
 */
#ifndef CXNET_CORE_ROUTE_FIB_H
#define CXNET_CORE_ROUTE_FIB_H

#include "route.h"
#include "route_info.h"
#include "route_table.h"
#include "route_snapshot.h"
#include "rules.h"
#include "multipath.h"
#include "../memory.h"

namespace cx::route {

/* What a lookup is asked about (struct flowi4). */
struct FibFlow {
	uint32_t dst;
	uint32_t src;
	int32_t iif;	/* input device (LOOPBACK_IFINDEX 1 for local output) */
	int32_t oif;	/* 0: any */
	uint32_t mark;
	uint8_t proto;
	uint8_t tos;
	uint8_t scope;	/* RT_SCOPE_UNIVERSE for ordinary lookups */
	uint16_t sport;
	uint16_t dport;
};

/* What `ip route get` prints (struct fib_result, copied out). */
struct FibResult {
	int error;		/* 0 or a negative errno (also returned) */
	RouteType type;
	uint32_t table;		/* the table that answered */
	uint32_t rule_pref;	/* the rule that answered */
	uint32_t prefix;
	uint8_t prefix_len;
	uint8_t tos;
	uint8_t scope;
	uint8_t protocol;
	uint32_t priority;
	/* the chosen nexthop */
	uint32_t gateway;
	int32_t oif;
	uint8_t nh_flags;
	uint8_t nh_index;
	uint8_t nexthop_count;
	uint32_t prefsrc;	/* route's prefsrc, else the source hook's answer */
	uint32_t route_prefsrc;	/* the route's own prefsrc (fib_info->fib_prefsrc), 0 if none */
	uint32_t mtu;		/* RTAX_MTU, 0 if unset */
};

/* Source address selection (inet_select_addr() on the nexthop device),
 * supplied by the address code; 0 if none. */
using FibSourceSelectFn = uint32_t (*)(void *ctx, int32_t oif, uint32_t dst, uint8_t scope);
/* Deferred free of a superseded read-side object: call free_fn(obj) once no
 * reader can hold obj. */
using FibRetireFn = void (*)(void *ctx, void (*free_fn)(void *obj), void *obj);

class Fib {
public:
	/* Tables per namespace (Linux: unlimited; a few in practice). */
	static constexpr uint32_t kMaxTables = 256;

	Fib() = default;
	Fib(const Fib &) = delete;
	Fib &operator=(const Fib &) = delete;

	/* Main and local tables, the three default rules, a random hash seed. */
	int init(Gfp gfp);
	/* Everything freed (retired objects go through the retire callback). */
	void destroy();

	void set_retire(FibRetireFn fn, void *ctx)
	{
		retire_fn_ = fn;
		retire_ctx_ = ctx;
	}
	void set_source_select(FibSourceSelectFn fn, void *ctx)
	{
		source_fn_ = fn;
		source_ctx_ = ctx;
	}
	/* net.ipv4.fib_multipath_hash_policy: 0 or 1 (-EINVAL otherwise). */
	int set_multipath_hash_policy(int policy);
	int multipath_hash_policy() const { return hash_policy_; }
	void set_multipath_seed(uint32_t seed) { hash_seed_ = seed; }

	/* ---- routes (configuration side) ---- */

	/*
	 * inet_rtm_newroute(): table created on demand (fib_new_table).
	 * With a journal the change is recorded, to be published or undone
	 * by commit(gfp, journal) or undone by abort(journal).
	 */
	int route_add(const RouteConfig &cfg, Gfp gfp, RouteJournal *journal = nullptr);
	/* inet_rtm_delroute(): -ESRCH for a missing table or route. */
	int route_delete(const RouteConfig &cfg, RouteJournal *journal = nullptr,
			 Gfp gfp = Gfp::Kernel);
	/* Every route of table id removed: the count, -ESRCH if no such table. */
	int table_flush(uint32_t id);
	/* The table (0 = main), or null. */
	RouteTable *table(uint32_t id) const;
	uint32_t table_count() const { return table_count_; }
	RouteTable *table_at(uint32_t index) const { return tables_[index].table; }

	/*
	 * Recompile and publish every changed table. Without a journal,
	 * -ENOMEM leaves the old snapshot of a table published and the table
	 * dirty (the next commit retries). With one, the tables it changed are
	 * all built before any is published: if one cannot be, every change
	 * of the journal is undone (no allocation) and -ENOMEM returned, so
	 * the request leaves no trace; otherwise what it replaced or removed
	 * is freed. Either way the journal ends empty.
	 */
	int commit(Gfp gfp, RouteJournal *journal = nullptr);
	/* Undo every change of the journal (an error before commit). */
	void abort(RouteJournal *journal);

	/* ---- rules ---- */

	/* fib_nl_newrule(): kNlmExcl makes an identical rule -EEXIST. */
	int rule_add(const Rule &rule, uint32_t nlflags, Gfp gfp);
	/* fib_nl_delrule(): -ENOENT if no rule matches. */
	int rule_delete(const Rule &request, Gfp gfp);
	const RuleList *rules() const { return __atomic_load_n(&rules_, __ATOMIC_ACQUIRE); }

	/* ---- lookup (read side) ---- */

	/*
	 * fib_lookup() + fib_select_path(): 0 and *res filled, or a negative
	 * errno: the route type's (-EHOSTUNREACH unreachable, -EACCES
	 * prohibit, -EINVAL blackhole), a rule action's (-ENETUNREACH
	 * unreachable, -EACCES prohibit, -EINVAL blackhole), or -ENETUNREACH
	 * when no rule's table has a route.
	 */
	int lookup(const FibFlow &flow, FibResult *res) const;
	/*
	 * fib_table_lookup() on one table, no rules and no ECMP selection
	 * (the first nexthop that fits the flow): 0 and *res filled, or a
	 * negative errno (-EAGAIN nothing matched or a throw route, the route
	 * type's error otherwise). fib_check_nh_v4_gw() asks the route's own
	 * table this way before a full lookup.
	 */
	int lookup_in_table(uint32_t id, const FibFlow &flow, FibResult *res) const;
	/* The ECMP hash of a flow under the current policy and seed. */
	uint32_t multipath_flow_hash(const FibFlow &flow) const;

	/* Bytes: tables' entries + info cache entries (approx.) + snapshots. */
	size_t memory_bytes() const;

private:
	struct TableSlot {
		uint32_t id;
		RouteTable *table;
	};

	RouteTable *table_create(uint32_t id, Gfp gfp, int *err);
	int publish(RouteTable *t, Gfp gfp);
	void retire(void (*free_fn)(void *), void *obj);
	int table_lookup(uint32_t id, const FibFlow &flow, FibResult *res,
			 const RouteInfo **info) const;

	TableSlot tables_[kMaxTables] = {};
	uint32_t table_count_ = 0;
	RouteInfoCache infos_;
	const RuleList *rules_ = nullptr;
	uint64_t build_mark_ = 0;
	uint32_t hash_seed_ = 0;
	int hash_policy_ = kMultipathHashL3;
	FibRetireFn retire_fn_ = nullptr;
	void *retire_ctx_ = nullptr;
	FibSourceSelectFn source_fn_ = nullptr;
	void *source_ctx_ = nullptr;
};

} // namespace cx::route

#endif /* CXNET_CORE_ROUTE_FIB_H */
