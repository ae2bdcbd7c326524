// SPDX-License-Identifier: GPL-2.0
/*
 * Flow lookups (`ip route get`): rules -> tables -> ECMP, route type
 * errnos, rule fall-through and suppression, multipath weights and hash
 * policies, result fields.
 */
#include "cx_test.h"
#include "cases.h"
#include "../route/fib.h"
#include "route_test_support.h"

namespace cx::test {

using namespace cx::route;

namespace {

/* ECMP choices in these cases are checked against fixed expectations. */
constexpr uint32_t kFibTestSeed = 0x5eed;

int add_via(Fib *fib, uint32_t dst, uint8_t len, uint32_t gw, int32_t oif,
	    uint32_t table = kTableMain)
{
	RouteConfig cfg = route_config(dst, len);
	cfg.gateway = gw;
	cfg.oif = oif;
	cfg.table = table;
	return fib->route_add(cfg, Gfp::Kernel);
}

int add_type(Fib *fib, uint32_t dst, uint8_t len, RouteType type, uint32_t table = kTableMain)
{
	RouteConfig cfg = route_config(dst, len);
	cfg.type = type;
	cfg.table = table;
	if (type == RouteType::Local) {
		cfg.scope = kScopeHost;
		cfg.oif = 1;
	} else if (type == RouteType::Broadcast) {
		cfg.scope = kScopeLink;
		cfg.oif = 2;
	}
	return fib->route_add(cfg, Gfp::Kernel);
}

FibFlow flow_to(uint32_t dst, uint32_t src = ip(192, 0, 2, 100))
{
	FibFlow f{};
	f.dst = dst;
	f.src = src;
	f.iif = 1;
	return f;
}

} // namespace

void route_fib_route_type_errnos(cx_test *t)
{
	Fib *fib = new_fib(kFibTestSeed);
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	CX_EXPECT_EQ(t, add_type(fib, ip(10, 1, 0, 0), 16, RouteType::Unreachable), 0);
	CX_EXPECT_EQ(t, add_type(fib, ip(10, 2, 0, 0), 16, RouteType::Prohibit), 0);
	CX_EXPECT_EQ(t, add_type(fib, ip(10, 3, 0, 0), 16, RouteType::Blackhole), 0);
	CX_EXPECT_EQ(t, add_type(fib, ip(10, 4, 0, 1), 32, RouteType::Local, kTableLocal), 0);
	CX_EXPECT_EQ(t, add_type(fib, ip(10, 4, 0, 255), 32, RouteType::Broadcast, kTableLocal), 0);
	CX_EXPECT_EQ(t, add_type(fib, ip(10, 5, 0, 0), 16, RouteType::Throw), 0);
	CX_EXPECT_EQ(t, add_via(fib, ip(10, 5, 0, 0), 16, ip(192, 0, 2, 1), 2, kTableDefault), 0);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	FibResult res;
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(10, 1, 2, 3)), &res), -CX_EHOSTUNREACH);
	CX_EXPECT_EQ(t, res.error, -CX_EHOSTUNREACH);
	CX_EXPECT(t, res.type == RouteType::Unreachable);
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(10, 2, 2, 3)), &res), -CX_EACCES);
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(10, 3, 2, 3)), &res), -CX_EINVAL);
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(10, 4, 0, 1)), &res), 0);
	CX_EXPECT(t, res.type == RouteType::Local);
	CX_EXPECT_EQ(t, res.table, kTableLocal);
	CX_EXPECT_EQ(t, res.rule_pref, 0u);
	CX_EXPECT_EQ(t, res.scope, kScopeHost);
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(10, 4, 0, 255)), &res), 0);
	CX_EXPECT(t, res.type == RouteType::Broadcast);
	/* throw: this table gives up, the next rule's table (default) answers */
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(10, 5, 0, 1)), &res), 0);
	CX_EXPECT_EQ(t, res.table, kTableDefault);
	CX_EXPECT_EQ(t, res.rule_pref, 32767u);
	CX_EXPECT_EQ(t, res.gateway, ip(192, 0, 2, 1));
	/* no route anywhere */
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(11, 0, 0, 1)), &res), -CX_ENETUNREACH);
	free_fib(fib);
}

void route_fib_rule_order_and_fall_through(cx_test *t)
{
	Fib *fib = new_fib(kFibTestSeed);
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	CX_EXPECT_EQ(t, add_via(fib, ip(10, 0, 0, 0), 8, ip(192, 0, 2, 10), 10, 100), 0);
	CX_EXPECT_EQ(t, add_via(fib, 0, 0, ip(192, 0, 2, 1), 2), 0);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	Rule r = rule_config(100, 100);
	r.src = ip(192, 168, 0, 0);
	r.src_len = 16;
	CX_EXPECT_EQ(t, fib->rule_add(r, kNlmCreate | kNlmExcl, Gfp::Kernel), 0);
	FibResult res;
	/* matching rule, table 100 has the route */
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(10, 1, 1, 1), ip(192, 168, 3, 4)), &res), 0);
	CX_EXPECT_EQ(t, res.table, 100u);
	CX_EXPECT_EQ(t, res.rule_pref, 100u);
	CX_EXPECT_EQ(t, res.gateway, ip(192, 0, 2, 10));
	CX_EXPECT_EQ(t, res.prefix, ip(10, 0, 0, 0));
	CX_EXPECT_EQ(t, res.prefix_len, 8);
	/* matching rule, no route in 100: on to main */
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(8, 8, 8, 8), ip(192, 168, 3, 4)), &res), 0);
	CX_EXPECT_EQ(t, res.table, kTableMain);
	CX_EXPECT_EQ(t, res.rule_pref, 32766u);
	CX_EXPECT_EQ(t, res.prefix_len, 0);
	/* rule not matching: main */
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(10, 1, 1, 1), ip(172, 16, 0, 1)), &res), 0);
	CX_EXPECT_EQ(t, res.table, kTableMain);
	/* a rule to a table that does not exist is skipped */
	CX_EXPECT_EQ(t, fib->rule_add(rule_config(50, 4242), kNlmCreate, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(10, 1, 1, 1)), &res), 0);
	CX_EXPECT_EQ(t, res.table, kTableMain);
	/* an earlier prohibit rule wins over everything after it */
	Rule p = rule_config(60, 0);
	p.action = RuleAction::Prohibit;
	p.dst = ip(10, 9, 0, 0);
	p.dst_len = 16;
	CX_EXPECT_EQ(t, fib->rule_add(p, kNlmCreate, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(10, 9, 1, 1), ip(192, 168, 0, 1)), &res), -CX_EACCES);
	p.pref = 61;
	p.action = RuleAction::Unreachable;
	p.dst = ip(10, 8, 0, 0);
	CX_EXPECT_EQ(t, fib->rule_add(p, kNlmCreate, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(10, 8, 1, 1)), &res), -CX_ENETUNREACH);
	p.pref = 62;
	p.action = RuleAction::Blackhole;
	p.dst = ip(10, 7, 0, 0);
	CX_EXPECT_EQ(t, fib->rule_add(p, kNlmCreate, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(10, 7, 1, 1)), &res), -CX_EINVAL);
	/* a nop rule is passed over */
	p.pref = 63;
	p.action = RuleAction::Nop;
	p.dst_len = 0;
	p.dst = 0;
	CX_EXPECT_EQ(t, fib->rule_add(p, kNlmCreate, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(10, 6, 1, 1)), &res), 0);
	free_fib(fib);
}

void route_fib_fwmark_and_ports_select_tables(cx_test *t)
{
	Fib *fib = new_fib(kFibTestSeed);
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	CX_EXPECT_EQ(t, add_via(fib, 0, 0, ip(192, 0, 2, 1), 2), 0);
	CX_EXPECT_EQ(t, add_via(fib, 0, 0, ip(192, 0, 2, 20), 20, 200), 0);
	CX_EXPECT_EQ(t, add_via(fib, 0, 0, ip(192, 0, 2, 30), 30, 300), 0);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	Rule m = rule_config(200, 200);
	m.mark = 0x10;
	m.mark_mask = 0xf0;
	CX_EXPECT_EQ(t, fib->rule_add(m, kNlmCreate | kNlmExcl, Gfp::Kernel), 0);
	Rule ports = rule_config(300, 300);
	ports.ip_proto = 17;
	ports.dport = PortRange{5000, 5999};
	CX_EXPECT_EQ(t, fib->rule_add(ports, kNlmCreate | kNlmExcl, Gfp::Kernel), 0);
	FibResult res;
	FibFlow f = flow_to(ip(8, 8, 8, 8));
	f.mark = 0x3317; /* & 0xf0 = 0x10 */
	CX_EXPECT_EQ(t, fib->lookup(f, &res), 0);
	CX_EXPECT_EQ(t, res.table, 200u);
	f.mark = 0x27;
	CX_EXPECT_EQ(t, fib->lookup(f, &res), 0);
	CX_EXPECT_EQ(t, res.table, kTableMain);
	f.proto = 17;
	f.dport = 5999;
	CX_EXPECT_EQ(t, fib->lookup(f, &res), 0);
	CX_EXPECT_EQ(t, res.table, 300u);
	CX_EXPECT_EQ(t, res.oif, 30);
	f.dport = 6000;
	CX_EXPECT_EQ(t, fib->lookup(f, &res), 0);
	CX_EXPECT_EQ(t, res.table, kTableMain);
	f.dport = 5000;
	f.proto = 6;
	CX_EXPECT_EQ(t, fib->lookup(f, &res), 0);
	CX_EXPECT_EQ(t, res.table, kTableMain);
	free_fib(fib);
}

/* wg-quick's "lookup main suppress_prefixlength 0": main's default route
 * does not count, more specific main routes do. */
void route_fib_suppress_prefixlength(cx_test *t)
{
	Fib *fib = new_fib(kFibTestSeed);
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	CX_EXPECT_EQ(t, add_via(fib, 0, 0, ip(192, 0, 2, 1), 2), 0);
	CX_EXPECT_EQ(t, add_via(fib, ip(192, 0, 2, 0), 24, 0, 2), 0);
	CX_EXPECT_EQ(t, add_via(fib, 0, 0, 0, 51, 51820), 0);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	Rule s = rule_config(32764, kTableMain);
	s.suppress_prefixlen = 0;
	CX_EXPECT_EQ(t, fib->rule_add(s, kNlmCreate | kNlmExcl, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->rule_add(rule_config(32765, 51820), kNlmCreate | kNlmExcl,
				      Gfp::Kernel), 0);
	FibResult res;
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(1, 1, 1, 1)), &res), 0);
	CX_EXPECT_EQ(t, res.table, 51820u);
	CX_EXPECT_EQ(t, res.oif, 51);
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(192, 0, 2, 77)), &res), 0);
	CX_EXPECT_EQ(t, res.table, kTableMain);
	CX_EXPECT_EQ(t, res.rule_pref, 32764u);
	CX_EXPECT_EQ(t, res.oif, 2);
	CX_EXPECT_EQ(t, res.gateway, 0u);
	free_fib(fib);
}

void route_fib_result_fields_and_source_hook(cx_test *t)
{
	Fib *fib = new_fib(kFibTestSeed);
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	RouteConfig cfg = route_config(ip(198, 51, 100, 0), 24);
	cfg.gateway = ip(192, 0, 2, 1);
	cfg.oif = 5;
	cfg.mtu = 1400;
	cfg.priority = 20;
	cfg.protocol = kProtoStatic;
	cfg.prefsrc = ip(192, 0, 2, 55);
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, add_via(fib, ip(203, 0, 113, 0), 24, 0, 6), 0);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	FibResult res;
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(198, 51, 100, 9)), &res), 0);
	CX_EXPECT(t, res.type == RouteType::Unicast);
	CX_EXPECT_EQ(t, res.prefix, ip(198, 51, 100, 0));
	CX_EXPECT_EQ(t, res.prefix_len, 24);
	CX_EXPECT_EQ(t, res.gateway, ip(192, 0, 2, 1));
	CX_EXPECT_EQ(t, res.oif, 5);
	CX_EXPECT_EQ(t, res.mtu, 1400u);
	CX_EXPECT_EQ(t, res.priority, 20u);
	CX_EXPECT_EQ(t, res.protocol, kProtoStatic);
	CX_EXPECT_EQ(t, res.prefsrc, ip(192, 0, 2, 55));
	CX_EXPECT_EQ(t, res.nexthop_count, 1);
	/* no prefsrc: the address code's hook picks one, asked as fib_result_prefsrc()
	 * asks inet_select_addr(): the nexthop's device and gateway (0 on a dev route) */
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(203, 0, 113, 9)), &res), 0);
	CX_EXPECT_EQ(t, res.prefsrc, 0u);
	fib->set_source_select([](void *, int32_t oif, uint32_t gw, uint8_t) -> uint32_t {
		return oif == 6 && gw == 0 ? ip(203, 0, 113, 1) : 0;
	}, nullptr);
	CX_EXPECT_EQ(t, fib->lookup(flow_to(ip(203, 0, 113, 9)), &res), 0);
	CX_EXPECT_EQ(t, res.prefsrc, ip(203, 0, 113, 1));
	free_fib(fib);
}

void route_fib_multipath_upper_bounds(cx_test *t)
{
	Fib *fib = new_fib(kFibTestSeed);
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	Nexthop hops[2] = {{ip(192, 0, 2, 1), 2, 1, 0, 0, 0}, {ip(192, 0, 2, 2), 3, 1, 0, 0, 0}};
	RouteConfig cfg = route_config(ip(10, 0, 0, 0), 8);
	cfg.multipath = hops;
	cfg.multipath_count = 2;
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	const RouteEntry *e = fib->table(kTableMain)->find(ip(10, 0, 0, 0), 8);
	CX_EXPECT(t, e != nullptr);
	if (e) {
		/* fib_rebalance(): DIV_ROUND_CLOSEST(w << 31, total) - 1 */
		CX_EXPECT_EQ(t, e->info->nexthops[0].upper_bound, 1073741823);
		CX_EXPECT_EQ(t, e->info->nexthops[1].upper_bound, 2147483647);
		CX_EXPECT_EQ(t, multipath_select(e->info, 0), 0u);
		CX_EXPECT_EQ(t, multipath_select(e->info, 1073741823), 0u);
		CX_EXPECT_EQ(t, multipath_select(e->info, 1073741824), 1u);
		CX_EXPECT_EQ(t, multipath_select(e->info, 0x7fffffff), 1u);
	}
	free_fib(fib);
}

/* Weights 1:2:5 over 16000 flows: each share within 10% of its weight. */
void route_fib_multipath_weight_distribution(cx_test *t)
{
	Fib *fib = new_fib(kFibTestSeed);
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	CX_EXPECT_EQ(t, fib->set_multipath_hash_policy(1), 0);
	CX_EXPECT_EQ(t, fib->set_multipath_hash_policy(2), -CX_EINVAL);
	Nexthop hops[3] = {{ip(192, 0, 2, 1), 2, 1, 0, 0, 0},
			   {ip(192, 0, 2, 2), 3, 2, 0, 0, 0},
			   {ip(192, 0, 2, 3), 4, 5, 0, 0, 0}};
	RouteConfig cfg = route_config(0, 0);
	cfg.multipath = hops;
	cfg.multipath_count = 3;
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	unsigned int counts[3] = {0, 0, 0};
	const unsigned int flows = 16000;
	for (unsigned int i = 0; i < flows; i++) {
		FibFlow f = flow_to(ip(198, 51, 100, i & 255), ip(192, 0, 2, 100));
		f.proto = 6;
		f.sport = static_cast<uint16_t>(10000 + i);
		f.dport = 443;
		FibResult res;
		CX_EXPECT_EQ(t, fib->lookup(f, &res), 0);
		CX_EXPECT_EQ(t, res.nexthop_count, 3);
		if (res.nh_index < 3)
			counts[res.nh_index]++;
		CX_EXPECT_EQ(t, res.oif, hops[res.nh_index].ifindex);
	}
	const unsigned int weights[3] = {1, 2, 5};
	for (unsigned int i = 0; i < 3; i++) {
		unsigned int expect = flows * weights[i] / 8;
		CX_EXPECT(t, counts[i] * 10 >= expect * 9 && counts[i] * 10 <= expect * 11);
	}
	free_fib(fib);
}

void route_fib_multipath_hash_policies(cx_test *t)
{
	Fib *fib = new_fib(kFibTestSeed);
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	Nexthop hops[4] = {{ip(192, 0, 2, 1), 2, 1, 0, 0, 0}, {ip(192, 0, 2, 2), 3, 1, 0, 0, 0},
			   {ip(192, 0, 2, 3), 4, 1, kNexthopDead, 0, 0},
			   {ip(192, 0, 2, 4), 5, 1, 0, 0, 0}};
	RouteConfig cfg = route_config(0, 0);
	cfg.multipath = hops;
	cfg.multipath_count = 4;
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	/* L3 (policy 0, the default): ports do not matter */
	CX_EXPECT_EQ(t, fib->multipath_hash_policy(), 0);
	unsigned int seen_l3 = 0, seen_l4 = 0, dead = 0;
	FibResult res;
	FibFlow f = flow_to(ip(198, 51, 100, 1));
	f.proto = 6;
	CX_EXPECT_EQ(t, fib->lookup(f, &res), 0);
	uint8_t first = res.nh_index;
	for (unsigned int i = 0; i < 200; i++) {
		f.sport = static_cast<uint16_t>(i * 7 + 1);
		CX_EXPECT_EQ(t, fib->lookup(f, &res), 0);
		seen_l3 |= 1u << res.nh_index;
		CX_EXPECT_EQ(t, res.nh_index, first);
	}
	CX_EXPECT_EQ(t, fib->set_multipath_hash_policy(1), 0);
	for (unsigned int i = 0; i < 200; i++) {
		f.sport = static_cast<uint16_t>(i * 7 + 1);
		CX_EXPECT_EQ(t, fib->lookup(f, &res), 0);
		seen_l4 |= 1u << res.nh_index;
		dead += res.nh_index == 2;
	}
	CX_EXPECT_EQ(t, seen_l3, 1u << first);
	CX_EXPECT_EQ(t, seen_l4, 0xbu); /* nexthops 0, 1, 3: never the dead one */
	CX_EXPECT_EQ(t, dead, 0u);
	/* a fixed output device bypasses the hash: the first nexthop on it */
	f.oif = 5;
	CX_EXPECT_EQ(t, fib->lookup(f, &res), 0);
	CX_EXPECT_EQ(t, res.nh_index, 3);
	CX_EXPECT_EQ(t, res.gateway, ip(192, 0, 2, 4));
	/* the seed keys the hash */
	FibFlow g = flow_to(ip(198, 51, 100, 1));
	uint32_t h1 = fib->multipath_flow_hash(g);
	fib->set_multipath_seed(0x1234);
	CX_EXPECT(t, fib->multipath_flow_hash(g) != h1);
	CX_EXPECT(t, h1 <= 0x7fffffffu);
	free_fib(fib);
}

} // namespace cx::test
