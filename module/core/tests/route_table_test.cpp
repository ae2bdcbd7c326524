// SPDX-License-Identifier: GPL-2.0
/*
 * Route tables: add/replace/append/delete/flush semantics and errnos as
 * fib_table_insert()/fib_table_delete(), fib_info sharing and validation.
 */
#include "cx_test.h"
#include "cases.h"
#include "../route/fib.h"
#include "route_test_support.h"

namespace cx::test {

using namespace cx::route;

namespace {

RouteConfig via(uint32_t dst, uint8_t len, uint32_t gw, int32_t oif)
{
	RouteConfig cfg = route_config(dst, len);
	cfg.gateway = gw;
	cfg.oif = oif;
	return cfg;
}

/* The gateways of prefix/len's aliases in list order, into out[]. */
unsigned int gateways(const RouteTable *t, uint32_t dst, uint8_t len, uint32_t *out,
		      unsigned int max)
{
	unsigned int n = 0;
	for (const RouteEntry *e = t->find(dst, len); e && n < max; e = e->next)
		out[n++] = e->info->nexthops[0].gateway;
	return n;
}

} // namespace

void route_table_add_existing_is_eexist(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	RouteConfig cfg = via(ip(10, 0, 0, 0), 8, ip(192, 0, 2, 1), 2);
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), -CX_EEXIST);
	/* another gateway: same (prefix, tos, priority) is still EEXIST with Excl */
	RouteConfig other = via(ip(10, 0, 0, 0), 8, ip(192, 0, 2, 9), 2);
	CX_EXPECT_EQ(t, fib->route_add(other, Gfp::Kernel), -CX_EEXIST);
	/* a different metric or tos is a different route */
	other.priority = 100;
	CX_EXPECT_EQ(t, fib->route_add(other, Gfp::Kernel), 0);
	other.priority = 0;
	other.tos = 0x10;
	CX_EXPECT_EQ(t, fib->route_add(other, Gfp::Kernel), 0);
	/* prepend (Create without Excl) of the identical route: EEXIST */
	cfg.nlflags = kNlmCreate;
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), -CX_EEXIST);
	/* prepend of a different nexthop works and goes first */
	RouteConfig pre = via(ip(10, 0, 0, 0), 8, ip(192, 0, 2, 7), 2);
	pre.nlflags = kNlmCreate;
	CX_EXPECT_EQ(t, fib->route_add(pre, Gfp::Kernel), 0);
	const RouteTable *main = fib->table(kTableMain);
	CX_EXPECT_EQ(t, main->prefix_count(), 1u);
	CX_EXPECT_EQ(t, main->route_count(), 4u);
	uint32_t gw[8];
	unsigned int n = gateways(main, ip(10, 0, 0, 0), 8, gw, 8);
	CX_EXPECT_EQ(t, n, 4u);
	/* tos 0x10 first (tos descending), then tos 0 by priority: 0, 0, 100 */
	CX_EXPECT_EQ(t, gw[0], ip(192, 0, 2, 9));
	CX_EXPECT_EQ(t, gw[1], ip(192, 0, 2, 7));
	CX_EXPECT_EQ(t, gw[2], ip(192, 0, 2, 1));
	CX_EXPECT_EQ(t, gw[3], ip(192, 0, 2, 9));
	free_fib(fib);
}

void route_table_add_invalid_is_einval(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	RouteConfig cfg = route_config(ip(10, 0, 0, 0), 33);
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), -CX_EINVAL);
	cfg = route_config(ip(10, 0, 0, 1), 24); /* host bits set */
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), -CX_EINVAL);
	cfg = route_config(ip(10, 0, 0, 0), 24);
	cfg.tos = 0x11; /* ECN bit */
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), -CX_EINVAL);
	cfg = route_config(ip(10, 0, 0, 1), 32);
	cfg.type = RouteType::Local; /* local needs host scope */
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), -CX_EINVAL);
	cfg.scope = kScopeHost;
	cfg.oif = 1;
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	cfg = via(ip(10, 9, 0, 0), 16, ip(192, 0, 2, 1), 0);
	cfg.type = RouteType::Blackhole; /* no nexthop on reject types */
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), -CX_EINVAL);
	cfg = via(ip(10, 9, 0, 0), 16, ip(192, 0, 2, 1), 2);
	cfg.scope = kScopeHost; /* host scope with a gateway */
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), -CX_EINVAL);
	cfg.scope = kScopeNowhere;
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), -CX_EINVAL);
	Nexthop hops[2] = {{ip(192, 0, 2, 1), 2, 1, 0, 0, 0}, {ip(192, 0, 2, 2), 2, 257, 0, 0, 0}};
	cfg = route_config(ip(10, 9, 0, 0), 16);
	cfg.multipath = hops;
	cfg.multipath_count = 2;
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), -CX_EINVAL);
	hops[1].weight = 256;
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	cfg = route_config(ip(10, 10, 0, 0), 16);
	cfg.type = static_cast<RouteType>(42);
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), -CX_EINVAL);
	CX_EXPECT_EQ(t, fib->table(kTableMain)->route_count(), 2u);
	free_fib(fib);
}

void route_table_replace_and_change(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	/* "ip route change" (Replace without Create) of nothing: ENOENT */
	RouteConfig cfg = via(ip(10, 1, 0, 0), 16, ip(192, 0, 2, 1), 2);
	cfg.nlflags = kNlmReplace;
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), -CX_ENOENT);
	/* "ip route replace" creates */
	cfg.nlflags = kNlmCreate | kNlmReplace;
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	/* replacing with the identical route is a no-op */
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	/* and with another gateway replaces in place */
	cfg.gateway = ip(192, 0, 2, 2);
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	const RouteTable *main = fib->table(kTableMain);
	CX_EXPECT_EQ(t, main->route_count(), 1u);
	const RouteEntry *e = main->find(ip(10, 1, 0, 0), 16);
	CX_EXPECT(t, e && e->info->nexthops[0].gateway == ip(192, 0, 2, 2));
	/* replace changes the type too */
	RouteConfig bh = route_config(ip(10, 1, 0, 0), 16);
	bh.type = RouteType::Blackhole;
	bh.nlflags = kNlmReplace;
	CX_EXPECT_EQ(t, fib->route_add(bh, Gfp::Kernel), 0);
	e = main->find(ip(10, 1, 0, 0), 16);
	CX_EXPECT(t, e && e->type == RouteType::Blackhole && !e->next);
	/* the replaced info is released: only the blackhole info (+ none) left */
	free_fib(fib);
}

void route_table_append_goes_after_run(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	RouteConfig cfg = via(ip(10, 2, 0, 0), 16, ip(192, 0, 2, 1), 2);
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	cfg.gateway = ip(192, 0, 2, 2);
	cfg.nlflags = kNlmCreate | kNlmAppend;
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	cfg.gateway = ip(192, 0, 2, 3);
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	/* appending an identical one: EEXIST */
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), -CX_EEXIST);
	cfg.gateway = ip(192, 0, 2, 4);
	cfg.priority = 5; /* worse metric: after them all anyway */
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	cfg.gateway = ip(192, 0, 2, 0);
	cfg.priority = 0;
	cfg.nlflags = kNlmCreate; /* prepend */
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	uint32_t gw[8];
	unsigned int n = gateways(fib->table(kTableMain), ip(10, 2, 0, 0), 16, gw, 8);
	CX_EXPECT_EQ(t, n, 5u);
	for (unsigned int i = 0; i < n; i++)
		CX_EXPECT_EQ(t, gw[i], ip(192, 0, 2, i));
	free_fib(fib);
}

void route_table_delete_partial_keys(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	for (uint32_t i = 1; i <= 3; i++) {
		RouteConfig cfg = via(ip(10, 3, 0, 0), 16, ip(192, 0, 2, i), int32_t(i));
		cfg.nlflags = kNlmCreate | kNlmAppend;
		cfg.protocol = static_cast<uint8_t>(i == 3 ? kProtoStatic : kProtoBoot);
		CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	}
	RouteConfig del = route_delete_config(ip(10, 3, 0, 0), 16);
	del.gateway = ip(192, 0, 2, 2);
	CX_EXPECT_EQ(t, fib->route_delete(del), 0);
	CX_EXPECT_EQ(t, fib->route_delete(del), -CX_ESRCH);
	del = route_delete_config(ip(10, 3, 0, 0), 16);
	del.protocol = kProtoStatic;
	CX_EXPECT_EQ(t, fib->route_delete(del), 0);
	del = route_delete_config(ip(10, 3, 0, 0), 16);
	del.type = RouteType::Blackhole; /* type mismatch */
	CX_EXPECT_EQ(t, fib->route_delete(del), -CX_ESRCH);
	del.type = RouteType::Unspec;
	del.priority = 7; /* metric mismatch */
	CX_EXPECT_EQ(t, fib->route_delete(del), -CX_ESRCH);
	del.priority = 0;
	del.tos = 0x10; /* tos must match exactly */
	CX_EXPECT_EQ(t, fib->route_delete(del), -CX_ESRCH);
	del.tos = 0;
	del.scope = kScopeLink; /* scope mismatch */
	CX_EXPECT_EQ(t, fib->route_delete(del), -CX_ESRCH);
	del.scope = kScopeNowhere;
	del.oif = 9;
	CX_EXPECT_EQ(t, fib->route_delete(del), -CX_ESRCH);
	del.oif = 0;
	/* wildcard: deletes the first (and last) one */
	CX_EXPECT_EQ(t, fib->route_delete(del), 0);
	CX_EXPECT(t, fib->table(kTableMain)->find(ip(10, 3, 0, 0), 16) == nullptr);
	CX_EXPECT_EQ(t, fib->table(kTableMain)->prefix_count(), 0u);
	CX_EXPECT_EQ(t, fib->route_delete(del), -CX_ESRCH);
	del.dst = ip(10, 3, 0, 1);
	CX_EXPECT_EQ(t, fib->route_delete(del), -CX_EINVAL);
	del = route_delete_config(ip(10, 3, 0, 0), 16);
	del.table = 100;
	CX_EXPECT_EQ(t, fib->route_delete(del), -CX_ESRCH); /* no such table */
	free_fib(fib);
}

void route_table_flush_and_tables(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	CX_EXPECT(t, fib->table(kTableLocal) != nullptr);
	CX_EXPECT(t, fib->table(kTableMain) != nullptr);
	CX_EXPECT(t, fib->table(0) == fib->table(kTableMain));
	CX_EXPECT(t, fib->table(100) == nullptr);
	for (uint32_t i = 0; i < 300; i++) {
		RouteConfig cfg = via(ip(10, i >> 8, i & 255, 0), 24, ip(192, 0, 2, 1), 2);
		cfg.table = 100;
		CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	}
	CX_EXPECT(t, fib->table(100) != nullptr);
	CX_EXPECT_EQ(t, fib->table(100)->prefix_count(), 300u);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->table_flush(100), 300);
	CX_EXPECT_EQ(t, fib->table_flush(100), 0);
	CX_EXPECT_EQ(t, fib->table_flush(101), -CX_ESRCH);
	CX_EXPECT_EQ(t, fib->table(100)->route_count(), 0u);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->table(100)->snapshot()->prefix_count(), 0u);
	free_fib(fib);
}

void route_table_infos_are_shared(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	for (uint32_t i = 0; i < 64; i++)
		CX_EXPECT_EQ(t, fib->route_add(via(ip(10, 4, i, 0), 24, ip(192, 0, 2, 1), 2),
					       Gfp::Kernel), 0);
	const RouteTable *main = fib->table(kTableMain);
	const RouteEntry *a = main->find(ip(10, 4, 0, 0), 24);
	const RouteEntry *b = main->find(ip(10, 4, 63, 0), 24);
	CX_EXPECT(t, a && b && a->info == b->info);
	CX_EXPECT_EQ(t, a->info->tree_refs, 64u);
	CX_EXPECT(t, main->find(ip(10, 4, 64, 0), 24) == nullptr);
	free_fib(fib);
}

/*
 * A journal records insert, replace and delete; abort() puts the table back
 * exactly (aliases in order, counts, infos' references, clean), commit()
 * publishes the changes together and frees what they replaced or removed.
 */
void route_table_journal_undo_and_commit(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	RouteConfig a1 = via(ip(10, 1, 0, 0), 16, ip(192, 0, 2, 1), 2);
	RouteConfig a2 = via(ip(10, 1, 0, 0), 16, ip(192, 0, 2, 2), 2);
	a2.nlflags = kNlmCreate | kNlmAppend;
	RouteConfig a3 = via(ip(10, 1, 0, 0), 16, ip(192, 0, 2, 3), 2);
	a3.nlflags = kNlmCreate | kNlmAppend;
	RouteConfig b = via(ip(10, 2, 0, 0), 16, ip(192, 0, 2, 9), 2);
	CX_EXPECT_EQ(t, fib->route_add(a1, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->route_add(a2, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->route_add(a3, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->route_add(b, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	const RouteTable *main = fib->table(kTableMain);
	const RouteInfo *b_info = main->find(ip(10, 2, 0, 0), 16)->info;
	const uint32_t b_refs = b_info->tree_refs;

	for (int round = 0; round < 2; round++) {
		RouteJournal j;
		/* a new prefix, a new table, a replace of the first alias, a middle
		 * alias and a whole prefix deleted, a head deleted */
		RouteConfig c = via(ip(10, 3, 0, 0), 16, ip(192, 0, 2, 7), 2);
		CX_EXPECT_EQ(t, fib->route_add(c, Gfp::Kernel, &j), 0);
		RouteConfig c100 = c;
		c100.table = 100;
		CX_EXPECT_EQ(t, fib->route_add(c100, Gfp::Kernel, &j), 0);
		RouteConfig r = via(ip(10, 1, 0, 0), 16, ip(192, 0, 2, 5), 2);
		r.nlflags = kNlmReplace;
		CX_EXPECT_EQ(t, fib->route_add(r, Gfp::Kernel, &j), 0);
		RouteConfig d = a2;
		d.nlflags = 0;
		CX_EXPECT_EQ(t, fib->route_delete(d, &j), 0);
		RouteConfig head = route_config(ip(10, 1, 0, 0), 16);
		head.gateway = ip(192, 0, 2, 5);
		CX_EXPECT_EQ(t, fib->route_delete(head, &j), 0);
		CX_EXPECT_EQ(t, fib->route_delete(route_config(ip(10, 2, 0, 0), 16), &j), 0);
		CX_EXPECT_EQ(t, j.count(), 6u);
		uint32_t gw[4];
		CX_EXPECT_EQ(t, gateways(main, ip(10, 1, 0, 0), 16, gw, 4), 1u);
		CX_EXPECT_EQ(t, gw[0], ip(192, 0, 2, 3));
		CX_EXPECT(t, main->find(ip(10, 2, 0, 0), 16) == nullptr);
		if (round == 0) {
			fib->abort(&j);
			CX_EXPECT_EQ(t, j.count(), 0u);
			CX_EXPECT(t, !main->dirty());
			CX_EXPECT_EQ(t, main->route_count(), 4u);
			CX_EXPECT_EQ(t, main->prefix_count(), 2u);
			CX_EXPECT_EQ(t, gateways(main, ip(10, 1, 0, 0), 16, gw, 4), 3u);
			CX_EXPECT_EQ(t, gw[0], ip(192, 0, 2, 1));
			CX_EXPECT_EQ(t, gw[1], ip(192, 0, 2, 2));
			CX_EXPECT_EQ(t, gw[2], ip(192, 0, 2, 3));
			const RouteEntry *e = main->find(ip(10, 2, 0, 0), 16);
			CX_EXPECT(t, e && e->info == b_info && !e->next);
			CX_EXPECT_EQ(t, b_info->tree_refs, b_refs);
			CX_EXPECT(t, main->find(ip(10, 3, 0, 0), 16) == nullptr);
			CX_EXPECT_EQ(t, fib->table(100)->route_count(), 0u);
			CX_EXPECT(t, !fib->table(100)->dirty());
			/* the snapshot is the one published before: still agrees */
			TableFlowKey key{};
			key.dst = ip(10, 2, 3, 4);
			TableMatch m;
			CX_EXPECT_EQ(t, main->snapshot()->lookup(key, &m), 0);
			continue;
		}
		CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel, &j), 0);
		CX_EXPECT_EQ(t, j.count(), 0u);
		CX_EXPECT(t, !main->dirty());
		CX_EXPECT_EQ(t, main->route_count(), 2u);
		TableFlowKey key{};
		key.dst = ip(10, 2, 3, 4);
		TableMatch m;
		CX_EXPECT(t, main->snapshot()->lookup(key, &m) != 0);
		key.dst = ip(10, 3, 3, 4);
		CX_EXPECT_EQ(t, main->snapshot()->lookup(key, &m), 0);
		CX_EXPECT_EQ(t, fib->table(100)->snapshot()->prefix_count(), 1u);
	}
	free_fib(fib);
}

} // namespace cx::test
