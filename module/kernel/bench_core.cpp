// SPDX-License-Identifier: GPL-2.0
/*
 * cxnet_bench.ko, C++ side: the generated full-view table
 * (core/route/bench_gen.h, the same routes and destinations as the
 * userspace cxnet-route-bench and the `ip -batch` dump for fib_trie) in a
 * cx::route::Fib, and the timed lookup loops. Restricted C++ like the core:
 * no kernel header, memory through os.h.
 */
#include "bench.h"

#include "../core/memory.h"
#include "../core/route/bench_gen.h"
#include "../core/route/fib.h"

using namespace cx::route;

struct cx_bench {
	Fib *fib;
	const RouteSnapshot *snap; /* the main table's, owned by fib */
	bench::Prefix *prefixes;
	uint32_t prefix_count;
	uint32_t dest_count;
	uint32_t *dests[CX_BENCH_MIXES];
};

namespace {

/* Under the noinline loops the compiler cannot hoist or drop a lookup. */
__attribute__((noinline)) uint64_t run_match(const RouteSnapshot *snap, const uint32_t *dst,
					     uint32_t count)
{
	uint64_t sink = 0;
	for (uint32_t i = 0; i < count; i++)
		sink += snap->match(dst[i]);
	return sink;
}

__attribute__((noinline)) uint64_t run_table(const RouteSnapshot *snap, const uint32_t *dst,
					     uint32_t count)
{
	uint64_t sink = 0;
	TableFlowKey key{0, 0, 0, kScopeUniverse};
	TableMatch m;
	for (uint32_t i = 0; i < count; i++) {
		key.dst = dst[i];
		sink += static_cast<uint32_t>(snap->lookup(key, &m)) + m.nh_index;
	}
	return sink;
}

__attribute__((noinline)) uint64_t run_fib(const Fib *fib, const uint32_t *dst, uint32_t count)
{
	uint64_t sink = 0;
	FibFlow flow{};
	flow.iif = 1; /* LOOPBACK_IFINDEX: local output, as fib_lookup() is asked below */
	FibResult res;
	for (uint32_t i = 0; i < count; i++) {
		flow.dst = dst[i];
		sink += static_cast<uint32_t>(fib->lookup(flow, &res)) + res.prefix_len;
	}
	return sink;
}

} // namespace

extern "C" void cx_bench_destroy(struct cx_bench *b)
{
	if (!b)
		return;
	if (b->fib) {
		b->fib->destroy();
		cx::destroy(b->fib);
	}
	for (uint32_t *d : b->dests)
		cx_os_free_large(d);
	cx_os_free_large(b->prefixes);
	cx::destroy(b);
}

extern "C" int cx_bench_create(uint32_t seed, uint32_t prefixes, uint32_t destinations,
			       struct cx_bench **out, struct cx_bench_stats *stats)
{
	*out = nullptr;
	*stats = cx_bench_stats{};
	if (prefixes == 0 || prefixes > bench::kMaxPrefixes || destinations == 0 ||
	    destinations > (1u << 26))
		return -CX_EINVAL;
	cx_bench *b = cx::make<cx_bench>(cx::Gfp::Kernel);
	if (!b)
		return -CX_ENOMEM;
	b->prefix_count = prefixes;
	b->dest_count = destinations;

	uint64_t t0 = cx_os_now_ns();
	b->prefixes = static_cast<bench::Prefix *>(
		cx_os_zalloc_large(size_t(prefixes) * sizeof(bench::Prefix), CX_GFP_KERNEL));
	void *scratch = cx_os_zalloc_large(bench::TableGenerator::scratch_bytes(prefixes),
					   CX_GFP_KERNEL);
	for (uint32_t *&d : b->dests)
		d = static_cast<uint32_t *>(
			cx_os_zalloc_large(size_t(destinations) * sizeof(uint32_t), CX_GFP_KERNEL));
	if (!b->prefixes || !scratch || !b->dests[0] || !b->dests[1]) {
		cx_os_free_large(scratch);
		cx_bench_destroy(b);
		return -CX_ENOMEM;
	}
	bool ok = bench::TableGenerator::generate(seed, prefixes, b->prefixes, scratch);
	cx_os_free_large(scratch);
	if (!ok) {
		cx_bench_destroy(b);
		return -CX_EINVAL;
	}
	for (uint32_t m = 0; m < CX_BENCH_MIXES; m++)
		bench::make_destinations(seed, static_cast<bench::DestMix>(m), b->prefixes, prefixes,
					 b->dests[m], destinations);
	uint64_t t1 = cx_os_now_ns();

	b->fib = cx::make<Fib>(cx::Gfp::Kernel);
	if (!b->fib) {
		cx_bench_destroy(b);
		return -CX_ENOMEM;
	}
	int err = b->fib->init(cx::Gfp::Kernel);
	if (err) {
		cx::destroy(b->fib);
		b->fib = nullptr;
		cx_bench_destroy(b);
		return err;
	}
	for (uint32_t i = 0; i < prefixes; i++) {
		const bench::Prefix &p = b->prefixes[i];
		RouteConfig cfg = route_config(p.prefix, p.len);
		cfg.gateway = bench::peer_gateway(p.peer);
		cfg.oif = bench::kOif;
		cfg.protocol = bench::kProtoBgp;
		err = b->fib->route_add(cfg, cx::Gfp::Kernel);
		if (err) {
			cx_os_log(CX_LOG_ERR, "cxnet_bench: route %u/%u: error %d\n", p.prefix, p.len,
				  err);
			cx_bench_destroy(b);
			return err;
		}
	}
	uint64_t t2 = cx_os_now_ns();
	err = b->fib->commit(cx::Gfp::Kernel);
	if (err) {
		cx_bench_destroy(b);
		return err;
	}
	uint64_t t3 = cx_os_now_ns();

	const RouteTable *t = b->fib->table(kTableMain);
	b->snap = t ? t->snapshot() : nullptr;
	if (!b->snap) {
		cx_bench_destroy(b);
		return -CX_EINVAL;
	}
	stats->generate_ns = t1 - t0;
	stats->add_ns = t2 - t1;
	stats->commit_ns = t3 - t2;
	stats->fib_bytes = b->fib->memory_bytes();
	stats->table_bytes = t->memory_bytes();
	stats->snapshot_bytes = b->snap->memory_bytes();
	stats->trie_bytes = b->snap->trie_bytes();
	stats->nodes = b->snap->node_count();
	stats->leaves = b->snap->leaf_count();
	*out = b;
	return 0;
}

extern "C" const uint32_t *cx_bench_destinations(const struct cx_bench *b, enum cx_bench_mix mix)
{
	return b->dests[mix];
}

extern "C" uint64_t cx_bench_run(const struct cx_bench *b, enum cx_bench_op op,
				 enum cx_bench_mix mix, uint32_t first, uint32_t count)
{
	const uint32_t *dst = b->dests[mix] + first;
	switch (op) {
	case CX_BENCH_MATCH:
		return run_match(b->snap, dst, count);
	case CX_BENCH_TABLE:
		return run_table(b->snap, dst, count);
	default:
		return run_fib(b->fib, dst, count);
	}
}

extern "C" void cx_bench_lookup(const struct cx_bench *b, uint32_t dst, struct cx_bench_answer *ans)
{
	FibFlow flow{};
	flow.dst = dst;
	flow.iif = 1;
	FibResult res;
	ans->err = b->fib->lookup(flow, &res);
	ans->prefix = res.prefix;
	ans->len = res.prefix_len;
	ans->gateway = res.gateway;
}
