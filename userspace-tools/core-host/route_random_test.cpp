// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only randomised differential tests of the route code:
 *  - tens of thousands of random routes (several lengths, tos, metrics,
 *    reject types, dead nexthops) and random lookups: the compiled Poptrie
 *    (Fib::lookup over the published snapshot) against a naive reference
 *    (a linear scan for the longest prefix, and a per-length map holding
 *    Linux's alias order for fib_table_lookup() semantics), across rounds
 *    of incremental adds and deletes;
 *  - random policy rules and flows: Fib::lookup against a reference model
 *    of fib_rules_lookup() written independently;
 *  - allocation failures at every point of adds and commits: -ENOMEM,
 *    consistent state, no leaks.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <utility>
#include <vector>

#include "os_user.h"
#include "route/fib.h"

namespace {

using namespace cx::route;

struct RefRoute {
	uint32_t prefix;
	uint8_t len;
	uint8_t tos;
	uint32_t priority;
	RouteType type;
	bool dead;
	uint32_t gateway;
};

uint32_t mask_of(unsigned int len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

int ref_type_error(RouteType type)
{
	switch (type) {
	case RouteType::Unreachable:
		return -CX_EHOSTUNREACH;
	case RouteType::Prohibit:
		return -CX_EACCES;
	case RouteType::Blackhole:
		return -CX_EINVAL;
	case RouteType::Throw:
		return -CX_EAGAIN;
	default:
		return 0;
	}
}

/* One table of the reference: (len, prefix) -> routes. */
struct RefTable {
	std::map<std::pair<int, uint32_t>, std::vector<RefRoute>> routes;

	bool has(const RefRoute &r) const
	{
		auto it = routes.find({r.len, r.prefix});
		if (it == routes.end())
			return false;
		for (const RefRoute &o : it->second)
			if (o.tos == r.tos && o.priority == r.priority)
				return true;
		return false;
	}

	void add(const RefRoute &r) { routes[{r.len, r.prefix}].push_back(r); }

	void remove(const RefRoute &r)
	{
		auto it = routes.find({r.len, r.prefix});
		auto &v = it->second;
		for (size_t i = 0; i < v.size(); i++)
			if (v[i].tos == r.tos && v[i].priority == r.priority) {
				v.erase(v.begin() + static_cast<long>(i));
				break;
			}
		if (v.empty())
			routes.erase(it);
	}

	/* fib_table_lookup() the slow way: every length, Linux's alias order. */
	int lookup(uint32_t dst, uint8_t tos, const RefRoute **out) const
	{
		*out = nullptr;
		for (int len = 32; len >= 0; len--) {
			auto it = routes.find({len, dst & mask_of(len)});
			if (it == routes.end())
				continue;
			std::vector<RefRoute> v = it->second;
			std::stable_sort(v.begin(), v.end(), [](const RefRoute &a, const RefRoute &b) {
				if (a.tos != b.tos)
					return a.tos > b.tos;
				return a.priority < b.priority;
			});
			for (const RefRoute &r : v) {
				if (r.tos && r.tos != tos)
					continue;
				int err = ref_type_error(r.type);
				if (err) {
					*out = &it->second[0];
					for (const RefRoute &o : it->second)
						if (o.tos == r.tos && o.priority == r.priority)
							*out = &o;
					return err;
				}
				if (r.dead)
					continue;
				for (const RefRoute &o : it->second)
					if (o.tos == r.tos && o.priority == r.priority)
						*out = &o;
				return 0;
			}
		}
		return -CX_EAGAIN;
	}
};

class RouteRandom : public testing::Test {
protected:
	void SetUp() override
	{
		cx_user_reset();
		live_before_ = cx_user_live_allocs();
		fib_ = cx::make<Fib>(cx::Gfp::Kernel);
		ASSERT_NE(fib_, nullptr);
		ASSERT_EQ(fib_->init(cx::Gfp::Kernel), 0);
		fib_->set_multipath_seed(1);
	}

	void TearDown() override
	{
		fib_->destroy();
		cx::destroy(fib_);
		EXPECT_EQ(cx_user_live_allocs(), live_before_);
		cx_user_reset();
	}

	RefRoute random_route(std::mt19937 &rng)
	{
		static const uint8_t firsts[] = {1, 10, 23, 45, 100, 172, 185, 192, 203, 212};
		RefRoute r{};
		unsigned int pick = rng() % 100;
		r.len = static_cast<uint8_t>(pick < 55 ? 24 : pick < 85 ? 16 + rng() % 8
						      : pick < 95 ? 25 + rng() % 8 : rng() % 16);
		uint32_t addr = (uint32_t(firsts[rng() % 10]) << 24) | (rng() & 0xffffff);
		/* cluster: most routes inside a few /12s of each /8 */
		if (rng() % 4)
			addr = (addr & 0xff000000u) | ((rng() % 4) << 20) | (addr & 0xfffff);
		r.prefix = addr & mask_of(r.len);
		r.tos = (rng() % 10 == 0) ? 0x10 : 0;
		r.priority = (rng() % 8 == 0) ? 10 : 0;
		unsigned int type = rng() % 50;
		r.type = type == 0   ? RouteType::Unreachable
			 : type == 1 ? RouteType::Prohibit
			 : type == 2 ? RouteType::Blackhole
			 : type == 3 ? RouteType::Throw
				     : RouteType::Unicast;
		r.dead = r.type == RouteType::Unicast && rng() % 40 == 0;
		r.gateway = r.type == RouteType::Unicast ? (0xc0000200u | (rng() % 250 + 1)) : 0;
		return r;
	}

	int add(const RefRoute &r, uint32_t table)
	{
		RouteConfig cfg = route_config(r.prefix, r.len);
		cfg.tos = r.tos;
		cfg.priority = r.priority;
		cfg.type = r.type;
		cfg.table = table;
		if (r.type == RouteType::Unicast) {
			cfg.gateway = r.gateway;
			cfg.oif = 2;
			cfg.nh_flags = r.dead ? kNexthopDead : 0;
		}
		return fib_->route_add(cfg, cx::Gfp::Kernel);
	}

	int remove(const RefRoute &r, uint32_t table)
	{
		RouteConfig cfg = route_delete_config(r.prefix, r.len);
		cfg.tos = r.tos;
		cfg.priority = r.priority;
		cfg.table = table;
		return fib_->route_delete(cfg);
	}

	Fib *fib_ = nullptr;
	long live_before_ = 0;
};

TEST_F(RouteRandom, PoptrieMatchesLinearScan)
{
	std::mt19937 rng(12345);
	std::vector<std::pair<uint32_t, uint8_t>> prefixes;
	for (int i = 0; i < 40000; i++) {
		RefRoute r = random_route(rng);
		r.tos = 0;
		r.priority = 0;
		if (add(r, kTableMain) == 0)
			prefixes.push_back({r.prefix, r.len});
	}
	ASSERT_GT(prefixes.size(), 20000u);
	ASSERT_EQ(fib_->commit(cx::Gfp::Kernel), 0);
	const RouteSnapshot *snap = fib_->table(kTableMain)->snapshot();
	for (int i = 0; i < 4000; i++) {
		uint32_t addr = rng();
		if (i & 1)
			addr = prefixes[rng() % prefixes.size()].first | (rng() & 0x3ff);
		int best = -1;
		uint32_t best_prefix = 0;
		for (const auto &p : prefixes)
			if (((addr ^ p.first) & mask_of(p.second)) == 0 && p.second > best) {
				best = p.second;
				best_prefix = p.first;
			}
		uint32_t group = snap->match(addr);
		if (best < 0) {
			ASSERT_EQ(group, 0u) << std::hex << addr;
			continue;
		}
		ASSERT_NE(group, 0u) << std::hex << addr;
		uint32_t count;
		const SnapshotRoute *r = snap->group_routes(group, &count);
		ASSERT_EQ(r->len, best) << std::hex << addr;
		ASSERT_EQ(r->prefix, best_prefix) << std::hex << addr;
	}
}

TEST_F(RouteRandom, TableLookupAcrossIncrementalUpdates)
{
	std::mt19937 rng(777);
	RefTable ref;
	std::vector<RefRoute> live;
	auto add_some = [&](int n) {
		for (int i = 0; i < n; i++) {
			RefRoute r = random_route(rng);
			int err = add(r, kTableMain);
			if (ref.has(r)) {
				ASSERT_EQ(err, -CX_EEXIST);
			} else {
				ASSERT_EQ(err, 0);
				ref.add(r);
				live.push_back(r);
			}
		}
	};
	add_some(30000);
	for (int round = 0; round < 6; round++) {
		ASSERT_EQ(fib_->commit(cx::Gfp::Kernel), 0);
		for (int i = 0; i < 20000; i++) {
			uint32_t dst = rng();
			if (i % 4)
				dst = live[rng() % live.size()].prefix | (rng() & 0x1ff);
			FibFlow flow{};
			flow.dst = dst;
			flow.iif = 1;
			flow.tos = (rng() % 4 == 0) ? 0x10 : 0;
			const RefRoute *want;
			int want_err = ref.lookup(dst, flow.tos, &want);
			if (want_err == -CX_EAGAIN)
				want_err = -CX_ENETUNREACH;
			FibResult res;
			int err = fib_->lookup(flow, &res);
			ASSERT_EQ(err, want_err) << "round " << round << " dst " << std::hex << dst;
			if (err)
				continue;
			EXPECT_EQ(res.prefix, want->prefix);
			EXPECT_EQ(res.prefix_len, want->len);
			EXPECT_EQ(res.tos, want->tos);
			EXPECT_EQ(res.priority, want->priority);
			EXPECT_EQ(res.gateway, want->gateway);
			EXPECT_EQ(res.table, kTableMain);
		}
		/* incremental: delete ~10%, add ~10% */
		for (size_t k = 0; k < live.size() / 10; k++) {
			size_t at = rng() % live.size();
			ASSERT_EQ(remove(live[at], kTableMain), 0);
			/* metric 0 is a wildcard in a delete: a metric-10 twin would go */
			if (live[at].priority) {
				ASSERT_EQ(remove(live[at], kTableMain), -CX_ESRCH);
			}
			ref.remove(live[at]);
			live[at] = live.back();
			live.pop_back();
		}
		add_some(3000);
	}
}

/* ---- rules ---- */

struct RefRule {
	Rule rule;
};

bool ref_rule_match(const Rule &r, const FibFlow &f)
{
	bool m = (!r.iif || r.iif == f.iif) && (!r.oif || r.oif == f.oif) &&
		 ((r.mark ^ f.mark) & r.mark_mask) == 0 &&
		 ((f.src ^ r.src) & mask_of(r.src_len)) == 0 &&
		 ((f.dst ^ r.dst) & mask_of(r.dst_len)) == 0 && (!r.tos || r.tos == f.tos) &&
		 (!r.ip_proto || r.ip_proto == f.proto) &&
		 (!(r.sport.start && r.sport.end) ||
		  (f.sport >= r.sport.start && f.sport <= r.sport.end)) &&
		 (!(r.dport.start && r.dport.end) ||
		  (f.dport >= r.dport.start && f.dport <= r.dport.end));
	return (r.flags & kRuleInvert) ? !m : m;
}

TEST_F(RouteRandom, RuleSelectionMatchesReferenceModel)
{
	std::mt19937 rng(4242);
	std::map<uint32_t, RefTable> tables;
	const uint32_t table_ids[] = {kTableMain, kTableLocal, 100, 101, 102, 103};
	for (uint32_t id : table_ids) {
		for (int i = 0; i < 300; i++) {
			RefRoute r = random_route(rng);
			if (rng() % 3 == 0)
				r.len = static_cast<uint8_t>(rng() % 9), r.prefix &= mask_of(r.len);
			if (tables[id].has(r))
				continue;
			ASSERT_EQ(add(r, id), 0);
			tables[id].add(r);
		}
	}
	ASSERT_EQ(fib_->commit(cx::Gfp::Kernel), 0);

	std::vector<Rule> ref_rules;
	for (const Rule &r : std::vector<Rule>{rule_config(0, kTableLocal),
						rule_config(32766, kTableMain),
						rule_config(32767, kTableDefault)})
		ref_rules.push_back(r);
	const uint32_t rule_tables[] = {kTableMain, 100, 101, 102, 103, 104 /* missing */};
	for (int i = 0; i < 60; i++) {
		Rule r = rule_config(rng() % 40000, rule_tables[rng() % 6]);
		unsigned int act = rng() % 20;
		if (act == 0)
			r.action = RuleAction::Prohibit, r.table = 0;
		else if (act == 1)
			r.action = RuleAction::Unreachable, r.table = 0;
		else if (act == 2)
			r.action = RuleAction::Blackhole, r.table = 0;
		else if (act == 3)
			r.action = RuleAction::Nop, r.table = 0;
		if (rng() % 3 == 0) {
			r.src_len = static_cast<uint8_t>(rng() % 17);
			r.src = (0xc0a80000u | (rng() & 0xffff)) & mask_of(r.src_len);
		}
		if (rng() % 3 == 0) {
			r.dst_len = static_cast<uint8_t>(rng() % 9);
			r.dst = (uint32_t(rng() % 256) << 24) & mask_of(r.dst_len);
		}
		if (rng() % 5 == 0)
			r.iif = static_cast<int32_t>(1 + rng() % 2);
		if (rng() % 6 == 0)
			r.oif = static_cast<int32_t>(1 + rng() % 2);
		if (rng() % 4 == 0) {
			r.mark = rng() % 4;
			r.mark_mask = (rng() % 2) ? 0x3 : 0xffffffffu;
			if (!r.mark)
				r.mark_mask = 0x3;
		}
		if (rng() % 5 == 0)
			r.ip_proto = (rng() % 2) ? 6 : 17;
		if (rng() % 5 == 0) {
			uint16_t a = static_cast<uint16_t>(1 + rng() % 2000);
			r.dport = PortRange{a, static_cast<uint16_t>(a + rng() % 500)};
		}
		if (rng() % 6 == 0) {
			uint16_t a = static_cast<uint16_t>(1 + rng() % 2000);
			r.sport = PortRange{a, static_cast<uint16_t>(a + rng() % 500)};
		}
		if (rng() % 8 == 0)
			r.tos = 0x10;
		if (rng() % 10 == 0)
			r.flags = kRuleInvert;
		if (r.action == RuleAction::ToTable && rng() % 5 == 0)
			r.suppress_prefixlen = static_cast<int32_t>(rng() % 25);
		ASSERT_EQ(fib_->rule_add(r, kNlmCreate, cx::Gfp::Kernel), 0);
		size_t at = 0;
		while (at < ref_rules.size() && ref_rules[at].pref <= r.pref)
			at++;
		ref_rules.insert(ref_rules.begin() + static_cast<long>(at), r);
	}

	for (int i = 0; i < 30000; i++) {
		FibFlow f{};
		f.dst = (i % 2) ? rng() : ((uint32_t(rng() % 256) << 24) | (rng() & 0xffffff));
		f.src = (rng() % 2) ? (0xc0a80000u | (rng() & 0xffff)) : rng();
		f.iif = static_cast<int32_t>(1 + rng() % 2);
		f.oif = (rng() % 3 == 0) ? static_cast<int32_t>(1 + rng() % 2) : 0;
		f.mark = rng() % 8;
		f.proto = (rng() % 2) ? 6 : 17;
		f.sport = static_cast<uint16_t>(rng() % 2600);
		f.dport = static_cast<uint16_t>(rng() % 2600);
		f.tos = (rng() % 4 == 0) ? 0x10 : 0;

		/* reference fib_rules_lookup() */
		int want = -CX_ESRCH;
		uint32_t want_table = 0, want_pref = 0;
		for (const Rule &r : ref_rules) {
			if (!ref_rule_match(r, f))
				continue;
			int err;
			const RefRoute *route = nullptr;
			if (r.action == RuleAction::Nop)
				continue;
			if (r.action == RuleAction::Prohibit)
				err = -CX_EACCES;
			else if (r.action == RuleAction::Unreachable)
				err = -CX_ENETUNREACH;
			else if (r.action == RuleAction::Blackhole)
				err = -CX_EINVAL;
			else if (!tables.count(r.table))
				err = -CX_EAGAIN;
			else {
				err = tables[r.table].lookup(f.dst, f.tos, &route);
				/* an oif narrows the usable nexthops: all ours are on 2 */
				if (err == 0 && f.oif && f.oif != 2) {
					/* the reference does not model this: skip such flows */
					want = 1;
					break;
				}
			}
			want = err;
			if (err == 0 && route && int(route->len) <= r.suppress_prefixlen) {
				want = -CX_EAGAIN;
				continue;
			}
			if (err != -CX_EAGAIN) {
				want_table = r.table;
				want_pref = r.pref;
				break;
			}
		}
		if (want == 1)
			continue;
		if (want == -CX_ESRCH || want == -CX_EAGAIN)
			want = -CX_ENETUNREACH;
		FibResult res;
		int err = fib_->lookup(f, &res);
		ASSERT_EQ(err, want) << "flow " << i;
		if (!err) {
			EXPECT_EQ(res.table, want_table) << "flow " << i;
			EXPECT_EQ(res.rule_pref, want_pref) << "flow " << i;
		}
	}
}

TEST_F(RouteRandom, AllocationFailuresLeaveConsistentState)
{
	std::mt19937 rng(99);
	std::vector<RefRoute> routes;
	for (int i = 0; i < 200; i++) {
		RefRoute r = random_route(rng);
		if (add(r, 100) == 0)
			routes.push_back(r);
	}
	for (long n = 0; n < 60; n++) {
		cx_user_fail_alloc_after(n);
		RefRoute extra = random_route(rng);
		extra.type = RouteType::Unicast;
		extra.gateway = 0xc6336401u + static_cast<uint32_t>(n);
		int add_err = add(extra, 100);
		int commit_err = fib_->commit(cx::Gfp::Kernel);
		cx_user_fail_alloc_after(-1);
		EXPECT_TRUE(add_err == 0 || add_err == -CX_ENOMEM || add_err == -CX_EEXIST);
		EXPECT_TRUE(commit_err == 0 || commit_err == -CX_ENOMEM);
		/* without injection everything works again and answers */
		ASSERT_EQ(fib_->commit(cx::Gfp::Kernel), 0);
		const RouteSnapshot *snap = fib_->table(100)->snapshot();
		ASSERT_NE(snap, nullptr);
		EXPECT_EQ(snap->prefix_count(), fib_->table(100)->prefix_count());
		if (add_err == 0) {
			EXPECT_EQ(remove(extra, 100), 0);
		}
	}
}

} // namespace
