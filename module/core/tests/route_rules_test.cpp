// SPDX-License-Identifier: GPL-2.0
/*
 * Policy rules: Linux's default rules, insertion order and default pref,
 * add/delete errnos (fib_nl_newrule/fib_nl_delrule), and the selectors of
 * fib_rule_match()/fib4_rule_match().
 */
#include "cx_test.h"
#include "cases.h"
#include "../route/fib.h"
#include "route_test_support.h"

namespace cx::test {

using namespace cx::route;

namespace {

RuleFlowKey flow_key(uint32_t src, uint32_t dst)
{
	RuleFlowKey key{};
	key.src = src;
	key.dst = dst;
	key.iif = 1;
	return key;
}

} // namespace

void route_rules_default_rules(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	const RuleList *rules = fib->rules();
	CX_EXPECT_EQ(t, rules->count, 3u);
	CX_EXPECT_EQ(t, rules->rules[0].pref, 0u);
	CX_EXPECT_EQ(t, rules->rules[0].table, kTableLocal);
	CX_EXPECT_EQ(t, rules->rules[1].pref, 32766u);
	CX_EXPECT_EQ(t, rules->rules[1].table, kTableMain);
	CX_EXPECT_EQ(t, rules->rules[2].pref, 32767u);
	CX_EXPECT_EQ(t, rules->rules[2].table, kTableDefault);
	for (unsigned int i = 0; i < 3; i++) {
		CX_EXPECT(t, rules->rules[i].action == RuleAction::ToTable);
		CX_EXPECT(t, rule_matches(rules->rules[i], flow_key(ip(1, 2, 3, 4), ip(5, 6, 7, 8))));
	}
	free_fib(fib);
}

void route_rules_insertion_order_and_default_pref(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	CX_EXPECT_EQ(t, fib->rule_add(rule_config(100, 100), kNlmCreate | kNlmExcl, Gfp::Kernel), 0);
	/* same pref: after the existing one */
	CX_EXPECT_EQ(t, fib->rule_add(rule_config(100, 101), kNlmCreate | kNlmExcl, Gfp::Kernel), 0);
	/* no pref: fib_default_rule_pref() = second rule's pref - 1 = 99 */
	Rule r = rule_config(0, 102);
	r.has_pref = false;
	CX_EXPECT_EQ(t, fib->rule_add(r, kNlmCreate | kNlmExcl, Gfp::Kernel), 0);
	const RuleList *rules = fib->rules();
	CX_EXPECT_EQ(t, rules->count, 6u);
	const uint32_t prefs[] = {0, 99, 100, 100, 32766, 32767};
	const uint32_t tables[] = {255, 102, 100, 101, 254, 253};
	for (unsigned int i = 0; i < 6 && i < rules->count; i++) {
		CX_EXPECT_EQ(t, rules->rules[i].pref, prefs[i]);
		CX_EXPECT_EQ(t, rules->rules[i].table, tables[i]);
	}
	free_fib(fib);
}

void route_rules_add_delete_errnos(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	Rule r = rule_config(500, 100);
	r.src = ip(192, 168, 0, 0);
	r.src_len = 16;
	r.has_src = true;
	CX_EXPECT_EQ(t, fib->rule_add(r, kNlmCreate | kNlmExcl, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->rule_add(r, kNlmCreate | kNlmExcl, Gfp::Kernel), -CX_EEXIST);
	/* without Excl a duplicate is allowed (as Linux does) */
	CX_EXPECT_EQ(t, fib->rule_add(r, kNlmCreate, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->rules()->count, 5u);
	/* invalid: lookup table 0, reversed port range, ECN/odd tos, goto */
	Rule bad = rule_config(600, 0);
	CX_EXPECT_EQ(t, fib->rule_add(bad, kNlmCreate, Gfp::Kernel), -CX_EINVAL);
	bad = rule_config(600, 100);
	bad.dport = PortRange{2000, 1000};
	CX_EXPECT_EQ(t, fib->rule_add(bad, kNlmCreate, Gfp::Kernel), -CX_EINVAL);
	bad = rule_config(600, 100);
	bad.tos = 0x01;
	CX_EXPECT_EQ(t, fib->rule_add(bad, kNlmCreate, Gfp::Kernel), -CX_EINVAL);
	bad = rule_config(600, 100);
	bad.action = RuleAction::Goto;
	CX_EXPECT_EQ(t, fib->rule_add(bad, kNlmCreate, Gfp::Kernel), -CX_EINVAL);
	bad = rule_config(600, 100);
	bad.src_len = 33;
	CX_EXPECT_EQ(t, fib->rule_add(bad, kNlmCreate, Gfp::Kernel), -CX_EINVAL);

	/* delete: a miss is ENOENT */
	Rule del{};
	del.suppress_prefixlen = -1;
	del.pref = 501;
	del.has_pref = true;
	CX_EXPECT_EQ(t, fib->rule_delete(del, Gfp::Kernel), -CX_ENOENT);
	del.pref = 500;
	del.src = ip(10, 0, 0, 0);
	del.has_src = true;
	CX_EXPECT_EQ(t, fib->rule_delete(del, Gfp::Kernel), -CX_ENOENT);
	del.src = ip(192, 168, 0, 0);
	CX_EXPECT_EQ(t, fib->rule_delete(del, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->rule_delete(del, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->rule_delete(del, Gfp::Kernel), -CX_ENOENT);
	/* by table only */
	Rule by_table{};
	by_table.suppress_prefixlen = -1;
	by_table.table = kTableDefault;
	CX_EXPECT_EQ(t, fib->rule_delete(by_table, Gfp::Kernel), 0);
	/* an empty request deletes the first rule ("ip rule del" removes pref 0) */
	Rule any{};
	any.suppress_prefixlen = -1;
	CX_EXPECT_EQ(t, fib->rule_delete(any, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->rules()->count, 1u);
	CX_EXPECT_EQ(t, fib->rules()->rules[0].table, kTableMain);
	CX_EXPECT_EQ(t, fib->rule_delete(any, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->rules()->count, 0u);
	CX_EXPECT_EQ(t, fib->rule_delete(any, Gfp::Kernel), -CX_ENOENT);
	free_fib(fib);
}

void route_rules_selectors(cx_test *t)
{
	RuleFlowKey key = flow_key(ip(192, 168, 1, 10), ip(10, 1, 2, 3));
	Rule r = rule_config(10, 100);
	CX_EXPECT(t, rule_matches(r, key));
	/* from / to */
	r.src = ip(192, 168, 0, 0);
	r.src_len = 16;
	CX_EXPECT(t, rule_matches(r, key));
	r.src_len = 24;
	CX_EXPECT(t, !rule_matches(r, key));
	r = rule_config(10, 100);
	r.dst = ip(10, 1, 2, 3);
	r.dst_len = 32;
	CX_EXPECT(t, rule_matches(r, key));
	r.dst = ip(10, 1, 2, 4);
	CX_EXPECT(t, !rule_matches(r, key));
	/* iif / oif */
	r = rule_config(10, 100);
	r.iif = 1;
	CX_EXPECT(t, rule_matches(r, key));
	r.iif = 2;
	CX_EXPECT(t, !rule_matches(r, key));
	r = rule_config(10, 100);
	r.oif = 3;
	CX_EXPECT(t, !rule_matches(r, key));
	key.oif = 3;
	CX_EXPECT(t, rule_matches(r, key));
	/* tos, ipproto */
	r = rule_config(10, 100);
	r.tos = 0x10;
	CX_EXPECT(t, !rule_matches(r, key));
	key.tos = 0x10;
	CX_EXPECT(t, rule_matches(r, key));
	r = rule_config(10, 100);
	r.ip_proto = 6;
	CX_EXPECT(t, !rule_matches(r, key));
	key.proto = 6;
	CX_EXPECT(t, rule_matches(r, key));
	/* port ranges, inclusive */
	r.sport = PortRange{1000, 2000};
	key.sport = 999;
	CX_EXPECT(t, !rule_matches(r, key));
	key.sport = 1000;
	CX_EXPECT(t, rule_matches(r, key));
	key.sport = 2000;
	CX_EXPECT(t, rule_matches(r, key));
	key.sport = 2001;
	CX_EXPECT(t, !rule_matches(r, key));
	r.sport = PortRange{};
	r.dport = PortRange{443, 443};
	key.dport = 443;
	CX_EXPECT(t, rule_matches(r, key));
	key.dport = 444;
	CX_EXPECT(t, !rule_matches(r, key));
	/* fwmark under mask */
	r = rule_config(10, 100);
	r.mark = 0x1;
	r.mark_mask = 0xff;
	key.mark = 0x101;
	CX_EXPECT(t, rule_matches(r, key));
	key.mark = 0x102;
	CX_EXPECT(t, !rule_matches(r, key));
	r.mark_mask = 0xffffffffu;
	key.mark = 0x101;
	CX_EXPECT(t, !rule_matches(r, key));
	key.mark = 0x1;
	CX_EXPECT(t, rule_matches(r, key));
	/* "not": inverts the whole match */
	r.flags = kRuleInvert;
	CX_EXPECT(t, !rule_matches(r, key));
	key.mark = 0x2;
	CX_EXPECT(t, rule_matches(r, key));
}

/* A mark without a mask means the full mask (fib_nl2rule()). */
void route_rules_mark_default_mask(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	Rule r = rule_config(10, 100);
	r.mark = 0x5;
	CX_EXPECT_EQ(t, fib->rule_add(r, kNlmCreate | kNlmExcl, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->rules()->rules[1].mark_mask, 0xffffffffu);
	free_fib(fib);
}

} // namespace cx::test
