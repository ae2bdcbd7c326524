// SPDX-License-Identifier: GPL-2.0
/*
 * Longest-prefix match on compiled snapshots (Poptrie): /0, /32, nested
 * prefixes, every length, stride boundaries, a randomised comparison with a
 * linear scan, fib_table_lookup()'s backtracking, and snapshot lifetime
 * across updates.
 */
#include "cx_test.h"
#include "cases.h"
#include "xorshift.h"
#include "../route/fib.h"
#include "route_test_support.h"

namespace cx::test {

using namespace cx::route;

namespace {

int add(Fib *fib, uint32_t dst, uint8_t len, uint32_t table = kTableMain)
{
	RouteConfig cfg = route_config(dst, len);
	cfg.gateway = ip(192, 0, 2, 1);
	cfg.oif = 2;
	cfg.table = table;
	return fib->route_add(cfg, Gfp::Kernel);
}

/* The length of the longest prefix matching addr in table's snapshot, -1 for none. */
int matched_len(const Fib *fib, uint32_t addr, uint32_t table = kTableMain)
{
	const RouteSnapshot *snap = fib->table(table)->snapshot();
	if (!snap)
		return -2;
	uint32_t group = snap->match(addr);
	if (!group)
		return -1;
	uint32_t count;
	const SnapshotRoute *r = snap->group_routes(group, &count);
	if (!count || !prefix_contains(r->prefix, r->len, addr))
		return -3;
	return r->len;
}

} // namespace

void route_lpm_empty_and_default(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	CX_EXPECT_EQ(t, matched_len(fib, ip(1, 2, 3, 4)), -2); /* nothing published */
	fib->table(kTableMain)->exchange_snapshot(nullptr);
	CX_EXPECT_EQ(t, add(fib, ip(10, 0, 0, 0), 8), 0);
	CX_EXPECT_EQ(t, fib->table_flush(kTableMain), 1);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, matched_len(fib, ip(1, 2, 3, 4)), -1);
	CX_EXPECT_EQ(t, add(fib, 0, 0), 0);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, matched_len(fib, 0), 0);
	CX_EXPECT_EQ(t, matched_len(fib, 0xffffffffu), 0);
	CX_EXPECT_EQ(t, matched_len(fib, ip(10, 1, 2, 3)), 0);
	free_fib(fib);
}

void route_lpm_host_routes(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	const uint32_t hosts[] = {0, 1, ip(10, 0, 0, 1), ip(10, 0, 0, 2), ip(10, 0, 0, 63),
				  ip(10, 0, 0, 64), ip(255, 255, 255, 255), ip(255, 255, 255, 254)};
	for (uint32_t h : hosts)
		CX_EXPECT_EQ(t, add(fib, h, 32), 0);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	for (uint32_t h : hosts) {
		CX_EXPECT_EQ(t, matched_len(fib, h), 32);
		bool next_is_host = h == 0xffffffffu;
		for (uint32_t other : hosts)
			next_is_host |= other == h + 1;
		if (!next_is_host)
			CX_EXPECT_EQ(t, matched_len(fib, h + 1), -1);
	}
	CX_EXPECT_EQ(t, matched_len(fib, ip(10, 0, 0, 3)), -1);
	CX_EXPECT_EQ(t, matched_len(fib, ip(10, 0, 0, 0)), -1);
	free_fib(fib);
}

void route_lpm_nested_prefixes(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	CX_EXPECT_EQ(t, add(fib, ip(10, 0, 0, 0), 8), 0);
	CX_EXPECT_EQ(t, add(fib, ip(10, 1, 0, 0), 16), 0);
	CX_EXPECT_EQ(t, add(fib, ip(10, 1, 2, 0), 24), 0);
	CX_EXPECT_EQ(t, add(fib, ip(10, 1, 2, 128), 25), 0);
	CX_EXPECT_EQ(t, add(fib, ip(10, 1, 2, 129), 32), 0);
	CX_EXPECT_EQ(t, add(fib, ip(10, 1, 3, 0), 23), -CX_EINVAL);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, matched_len(fib, ip(10, 200, 0, 1)), 8);
	CX_EXPECT_EQ(t, matched_len(fib, ip(10, 1, 200, 1)), 16);
	CX_EXPECT_EQ(t, matched_len(fib, ip(10, 1, 2, 1)), 24);
	CX_EXPECT_EQ(t, matched_len(fib, ip(10, 1, 2, 127)), 24);
	CX_EXPECT_EQ(t, matched_len(fib, ip(10, 1, 2, 128)), 25);
	CX_EXPECT_EQ(t, matched_len(fib, ip(10, 1, 2, 129)), 32);
	CX_EXPECT_EQ(t, matched_len(fib, ip(10, 1, 2, 130)), 25);
	CX_EXPECT_EQ(t, matched_len(fib, ip(10, 1, 3, 0)), 16);
	CX_EXPECT_EQ(t, matched_len(fib, ip(11, 0, 0, 0)), -1);
	CX_EXPECT_EQ(t, matched_len(fib, ip(9, 255, 255, 255)), -1);
	/* parents: the /32's chain is /25, /24, /16, /8 */
	const RouteSnapshot *snap = fib->table(kTableMain)->snapshot();
	uint32_t g = snap->match(ip(10, 1, 2, 129));
	unsigned int chain = 0;
	for (; g; g = snap->group_parent(g))
		chain++;
	CX_EXPECT_EQ(t, chain, 5u);
	/* dump order: by prefix, then length */
	const uint8_t lens[] = {8, 16, 24, 25, 32};
	CX_EXPECT_EQ(t, snap->route_count(), 5u);
	for (uint32_t i = 0; i < 5 && i < snap->route_count(); i++)
		CX_EXPECT_EQ(t, snap->route_at(i).len, lens[i]);
	free_fib(fib);
}

/* One prefix of every length along one address: each length wins exactly
 * where the address first differs below it. */
void route_lpm_every_length(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	const uint32_t base = ip(172, 20, 93, 157);
	for (unsigned int len = 0; len <= 32; len++)
		CX_EXPECT_EQ(t, add(fib, base & prefix_mask(len), static_cast<uint8_t>(len)), 0);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, matched_len(fib, base), 32);
	for (unsigned int len = 0; len < 32; len++) {
		/* flip bit `len` (from the top): the longest match is /len */
		uint32_t addr = base ^ (0x80000000u >> len);
		CX_EXPECT_EQ(t, matched_len(fib, addr), static_cast<int>(len));
		/* and with everything below it changed too */
		CX_EXPECT_EQ(t, matched_len(fib, addr ^ (len < 31 ? (0x7fffffffu >> len) : 0)),
			     static_cast<int>(len));
	}
	free_fib(fib);
}

/* Lengths either side of the direct array (18) and the strides (24, 30). */
void route_lpm_stride_boundaries(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	const uint8_t lens[] = {17, 18, 19, 23, 24, 25, 29, 30, 31, 32};
	for (unsigned int i = 0; i < CX_ARRAY_SIZE(lens); i++) {
		uint32_t dst = ip(100, static_cast<uint32_t>(i), 255, 255) & prefix_mask(lens[i]);
		CX_EXPECT_EQ(t, add(fib, dst, lens[i]), 0);
	}
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	for (unsigned int i = 0; i < CX_ARRAY_SIZE(lens); i++) {
		uint32_t dst = ip(100, static_cast<uint32_t>(i), 255, 255) & prefix_mask(lens[i]);
		uint32_t last = dst | ~prefix_mask(lens[i]);
		CX_EXPECT_EQ(t, matched_len(fib, dst), lens[i]);
		CX_EXPECT_EQ(t, matched_len(fib, last), lens[i]);
		if (dst != 0)
			CX_EXPECT(t, matched_len(fib, dst - 1) != lens[i] ||
					     !prefix_contains(dst, lens[i], dst - 1));
	}
	free_fib(fib);
}

namespace {

struct RandomPrefixes {
	uint32_t prefix[1500];
	uint8_t len[1500];
	unsigned int count;
};

/* Lengths weighted like a routing table: mostly 16..24, some of everything. */
uint8_t random_len(Xorshift32 &rng)
{
	uint32_t r = rng.below(100);
	if (r < 50)
		return 24;
	if (r < 80)
		return static_cast<uint8_t>(16 + rng.below(8));
	return static_cast<uint8_t>(rng.below(33));
}

/* A few /8s so that prefixes nest. */
uint32_t random_addr(Xorshift32 &rng)
{
	static constexpr uint8_t kFirst[] = {10, 23, 100, 172, 192, 203};
	return (uint32_t(kFirst[rng.below(CX_ARRAY_SIZE(kFirst))]) << 24) | (rng.next() >> 8);
}

int linear_len(const RandomPrefixes &p, uint32_t addr)
{
	int best = -1;
	for (unsigned int i = 0; i < p.count; i++)
		if (prefix_contains(p.prefix[i], p.len[i], addr) && int(p.len[i]) > best)
			best = p.len[i];
	return best;
}

} // namespace

void route_lpm_random_matches_linear_scan(cx_test *t)
{
	Fib *fib = new_fib();
	auto *p = make<RandomPrefixes>(Gfp::Kernel);
	CX_EXPECT(t, fib && p);
	if (!fib || !p) {
		if (fib)
			free_fib(fib);
		cx::destroy(p);
		return;
	}
	Xorshift32 rng(20240611);
	while (p->count < CX_ARRAY_SIZE(p->prefix)) {
		uint8_t len = random_len(rng);
		uint32_t dst = random_addr(rng) & prefix_mask(len);
		if (add(fib, dst, len) == 0) {
			p->prefix[p->count] = dst;
			p->len[p->count] = len;
			p->count++;
		}
	}
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	unsigned int mismatches = 0;
	for (unsigned int i = 0; i < 20000; i++) {
		/* half near a known prefix, half anywhere in the chosen /8s */
		uint32_t addr = random_addr(rng);
		if (i & 1)
			addr = p->prefix[rng.below(p->count)] | (rng.next() & 0xff);
		if (matched_len(fib, addr) != linear_len(*p, addr))
			mismatches++;
	}
	CX_EXPECT_EQ(t, mismatches, 0u);
	/* delete a third, recompile, compare again */
	for (unsigned int i = 0; i < p->count; i += 3) {
		RouteConfig del = route_delete_config(p->prefix[i], p->len[i]);
		CX_EXPECT_EQ(t, fib->route_delete(del), 0);
	}
	/* keep the others */
	unsigned int kept = 0;
	for (unsigned int i = 0; i < p->count; i++)
		if (i % 3 != 0) {
			p->prefix[kept] = p->prefix[i];
			p->len[kept] = p->len[i];
			kept++;
		}
	p->count = kept;
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	mismatches = 0;
	for (unsigned int i = 0; i < 20000; i++) {
		uint32_t addr = random_addr(rng);
		if (i & 1)
			addr = p->prefix[rng.below(p->count)] | (rng.next() & 0xff);
		if (matched_len(fib, addr) != linear_len(*p, addr))
			mismatches++;
	}
	CX_EXPECT_EQ(t, mismatches, 0u);
	cx::destroy(p);
	free_fib(fib);
}

/* fib_table_lookup(): a tos-specific longest match does not hide the
 * shorter tos-0 route, and a route whose nexthops are all dead is skipped. */
void route_lpm_backtracks_on_tos_and_dead(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	CX_EXPECT_EQ(t, add(fib, ip(10, 5, 0, 0), 16), 0);
	RouteConfig cfg = route_config(ip(10, 5, 1, 0), 24);
	cfg.oif = 3;
	cfg.tos = 0x10;
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	cfg = route_config(ip(10, 5, 2, 0), 24);
	cfg.oif = 4;
	cfg.nh_flags = kNexthopDead;
	CX_EXPECT_EQ(t, fib->route_add(cfg, Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	const RouteSnapshot *snap = fib->table(kTableMain)->snapshot();
	TableMatch m;
	TableFlowKey key{ip(10, 5, 1, 1), 0, 0, kScopeUniverse};
	CX_EXPECT_EQ(t, snap->lookup(key, &m), 0);
	CX_EXPECT(t, m.route && m.route->len == 16);
	key.tos = 0x10;
	CX_EXPECT_EQ(t, snap->lookup(key, &m), 0);
	CX_EXPECT(t, m.route && m.route->len == 24);
	key = TableFlowKey{ip(10, 5, 2, 1), 0, 0, kScopeUniverse};
	CX_EXPECT_EQ(t, snap->lookup(key, &m), 0);
	CX_EXPECT(t, m.route && m.route->len == 16);
	/* oif restricts the nexthops: none on device 7 */
	key.oif = 7;
	CX_EXPECT_EQ(t, snap->lookup(key, &m), -CX_EAGAIN);
	CX_EXPECT(t, m.route == nullptr);
	/* scope: a link-scope lookup skips universe routes */
	key = TableFlowKey{ip(10, 5, 3, 1), 0, 0, kScopeLink};
	CX_EXPECT_EQ(t, snap->lookup(key, &m), -CX_EAGAIN);
	free_fib(fib);
}

/* A published snapshot is immutable: updates show only after commit, and
 * an old snapshot stays valid (its infos referenced) after the routes go. */
void route_lpm_snapshot_survives_updates(cx_test *t)
{
	Fib *fib = new_fib();
	CX_EXPECT(t, fib);
	if (!fib)
		return;
	CX_EXPECT_EQ(t, add(fib, ip(10, 6, 0, 0), 16), 0);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	RouteTable *main = fib->table(kTableMain);
	CX_EXPECT(t, !main->dirty());
	CX_EXPECT_EQ(t, add(fib, ip(10, 6, 7, 0), 24), 0);
	CX_EXPECT(t, main->dirty());
	CX_EXPECT_EQ(t, matched_len(fib, ip(10, 6, 7, 1)), 16);
	/* take the old snapshot out as a reader would still hold it */
	int err;
	RouteSnapshot *fresh = RouteSnapshot::build(*main, 0xfeed0001ull, Gfp::Kernel, &err);
	CX_EXPECT(t, fresh != nullptr);
	if (!fresh) {
		free_fib(fib);
		return;
	}
	const RouteSnapshot *old = main->exchange_snapshot(fresh);
	CX_EXPECT_EQ(t, matched_len(fib, ip(10, 6, 7, 1)), 24);
	CX_EXPECT_EQ(t, fib->table_flush(kTableMain), 2);
	/* the old one still answers, with the deleted route's attributes */
	uint32_t g = old->match(ip(10, 6, 7, 1));
	uint32_t count;
	const SnapshotRoute *r = old->group_routes(g, &count);
	CX_EXPECT_EQ(t, count, 1u);
	CX_EXPECT_EQ(t, r->len, 16);
	CX_EXPECT_EQ(t, old->info(*r)->nexthops[0].gateway, ip(192, 0, 2, 1));
	RouteSnapshot::free(old);
	CX_EXPECT_EQ(t, fib->commit(Gfp::Kernel), 0);
	CX_EXPECT_EQ(t, matched_len(fib, ip(10, 6, 7, 1)), -1);
	free_fib(fib);
}

} // namespace cx::test
