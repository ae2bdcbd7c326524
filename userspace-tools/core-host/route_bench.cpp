// SPDX-License-Identifier: GPL-2.0
/*
 * cxnet-route-bench: IPv4 route lookup speed of the portable core's FIB on a
 * synthetic full-view-sized table.
 *
 *   cxnet-route-bench [--prefixes N] [--lookups N] [--seed N] [--dump FILE] [--dev NAME]
 *
 * Generates N prefixes (default 900,000) with route/bench_gen.h: a
 * published BGP table's prefix-length distribution, clustered the way real
 * allocations are (RIR blocks, more-specifics inside covering aggregates),
 * each via one of 16 gateways. The kernel benchmark (cxnet_bench.ko,
 * scripts/bench-route) generates the very same routes and destinations from
 * the same seed. Loads them into the main table of a Fib, compiles the
 * snapshot, and measures single-threaded: build time, memory, ns per lookup
 * on 2M destinations mostly hitting routes (the "hit" mix: independent
 * lookups), the same as a dependent chain (each destination depends on the
 * previous answer: latency, no memory level parallelism), a small hot set,
 * the table lookup (RouteSnapshot::lookup, the fib_table_lookup()
 * equivalent: trie, route record, nexthop) and the full Fib::lookup (rules,
 * table, result); and the same three on uniformly random destinations (the
 * "random" mix, mostly misses). The headline ns_per_lookup is the trie's
 * longest-prefix match alone on the hit mix. With
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=1 the arrays get transparent huge
 * pages (as kzalloc'd memory has in the kernel's direct map). Last line:
 *   route-bench: prefixes=... build_ms=... mem_bytes=... ns_per_lookup=...
 *
 * --dump FILE writes the same routes as `ip -batch` commands for Linux's
 * main table ("route add A.B.C.D/L via 10.255.0.G dev NAME proto 186"; NAME
 * from --dev, default d0, a device addressed 10.255.0.1/16), so that the
 * same table can be loaded into fib_trie in the VM for a same-run
 * comparison.
 */
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "os_user.h"
#include "route/bench_gen.h"
#include "route/fib.h"

namespace {

using namespace cx::route;
using cx::route::bench::DestMix;
using cx::route::bench::Prefix;

std::string dotted(uint32_t a)
{
	char buf[20];
	snprintf(buf, sizeof(buf), "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
		 a & 255);
	return buf;
}

double now_ns()
{
	return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(
					   std::chrono::steady_clock::now().time_since_epoch())
					   .count());
}

struct MixResult {
	double match;
	double table;
	double fib;
	double hit_rate;
};

/* The trie match, RouteSnapshot::lookup and Fib::lookup over dst (a power
 * of two in size), lookups times each (Fib::lookup a quarter of that). */
MixResult measure(const Fib *fib, const RouteSnapshot *snap, const std::vector<uint32_t> &dst,
		  size_t lookups, uint64_t *sink)
{
	MixResult r{};
	const size_t mask = dst.size() - 1;
	size_t hits = 0;
	for (uint32_t d : dst)
		hits += snap->match(d) != 0;
	r.hit_rate = double(hits) / double(dst.size());

	double a = now_ns();
	for (size_t i = 0; i < lookups; i++)
		*sink += snap->match(dst[i & mask]);
	r.match = (now_ns() - a) / double(lookups);

	TableFlowKey tkey{0, 0, 0, kScopeUniverse};
	TableMatch tm;
	a = now_ns();
	for (size_t i = 0; i < lookups; i++) {
		tkey.dst = dst[i & mask];
		*sink += static_cast<uint32_t>(snap->lookup(tkey, &tm)) + tm.nh_index;
	}
	r.table = (now_ns() - a) / double(lookups);

	size_t fib_lookups = lookups / 4 ? lookups / 4 : 1;
	FibFlow flow{};
	flow.iif = 1;
	FibResult res;
	a = now_ns();
	for (size_t i = 0; i < fib_lookups; i++) {
		flow.dst = dst[i & mask];
		*sink += static_cast<uint32_t>(fib->lookup(flow, &res)) + res.prefix_len;
	}
	r.fib = (now_ns() - a) / double(fib_lookups);
	return r;
}

} // namespace

int main(int argc, char **argv)
{
	size_t prefixes = bench::kDefaultPrefixes;
	size_t lookups = 20000000;
	uint32_t seed = bench::kDefaultSeed;
	const char *dump = nullptr;
	const char *dev = "d0";
	for (int i = 1; i < argc; i++) {
		std::string a = argv[i];
		if (a == "--prefixes" && i + 1 < argc)
			prefixes = strtoull(argv[++i], nullptr, 0);
		else if (a == "--lookups" && i + 1 < argc)
			lookups = strtoull(argv[++i], nullptr, 0);
		else if (a == "--seed" && i + 1 < argc)
			seed = static_cast<uint32_t>(strtoul(argv[++i], nullptr, 0));
		else if (a == "--dump" && i + 1 < argc)
			dump = argv[++i];
		else if (a == "--dev" && i + 1 < argc)
			dev = argv[++i];
		else {
			fprintf(stderr,
				"usage: %s [--prefixes N] [--lookups N] [--seed N] [--dump FILE] "
				"[--dev NAME]\n",
				argv[0]);
			return 2;
		}
	}
	if (prefixes == 0 || prefixes > bench::kMaxPrefixes || lookups == 0) {
		fprintf(stderr, "route-bench: --prefixes must be 1..%u, --lookups > 0\n",
			bench::kMaxPrefixes);
		return 2;
	}

	const uint32_t count = static_cast<uint32_t>(prefixes);
	std::vector<Prefix> table(count);
	{
		std::vector<uint8_t> scratch(bench::TableGenerator::scratch_bytes(count));
		if (!bench::TableGenerator::generate(seed, count, table.data(), scratch.data())) {
			fprintf(stderr, "route-bench: cannot generate %u distinct prefixes\n", count);
			return 1;
		}
	}
	unsigned int by_len[33] = {};
	for (const Prefix &p : table)
		by_len[p.len]++;

	if (dump) {
		FILE *f = fopen(dump, "w");
		if (!f) {
			perror(dump);
			return 1;
		}
		for (const Prefix &p : table)
			fprintf(f, "route add %s/%u via %s dev %s proto %u\n",
				dotted(p.prefix).c_str(), p.len,
				dotted(bench::peer_gateway(p.peer)).c_str(), dev, bench::kProtoBgp);
		if (fclose(f) != 0) {
			perror(dump);
			return 1;
		}
	}

	Fib *fib = cx::make<Fib>(cx::Gfp::Kernel);
	if (!fib || fib->init(cx::Gfp::Kernel)) {
		fprintf(stderr, "route-bench: Fib init failed\n");
		return 1;
	}
	double t0 = now_ns();
	for (const Prefix &p : table) {
		RouteConfig cfg = route_config(p.prefix, p.len);
		cfg.gateway = bench::peer_gateway(p.peer);
		cfg.oif = bench::kOif;
		cfg.protocol = bench::kProtoBgp;
		int err = fib->route_add(cfg, cx::Gfp::Kernel);
		if (err) {
			fprintf(stderr, "route-bench: add %s/%u: %d\n", dotted(p.prefix).c_str(),
				p.len, err);
			return 1;
		}
	}
	double t1 = now_ns();
	if (int err = fib->commit(cx::Gfp::Kernel)) {
		fprintf(stderr, "route-bench: commit: %d\n", err);
		return 1;
	}
	double t2 = now_ns();

	const RouteTable *t = fib->table(kTableMain);
	const RouteSnapshot *snap = t->snapshot();

	std::vector<uint32_t> hit(bench::kDefaultDestinations), random(bench::kDefaultDestinations);
	bench::make_destinations(seed, DestMix::Hit, table.data(), count, hit.data(),
				 static_cast<uint32_t>(hit.size()));
	bench::make_destinations(seed, DestMix::Random, table.data(), count, random.data(),
				 static_cast<uint32_t>(random.size()));
	const size_t mask = hit.size() - 1;
	uint64_t sink = 0;

	MixResult rh = measure(fib, snap, hit, lookups, &sink);

	/* dependent chain: the next destination depends on this answer */
	uint32_t prev = 0;
	double a = now_ns();
	for (size_t i = 0; i < lookups; i++) {
		prev = snap->match(hit[(i + prev) & mask]);
		sink += prev;
		prev &= 1;
	}
	double ns_dependent = (now_ns() - a) / double(lookups);

	/* hot set: 1024 destinations, all in cache */
	a = now_ns();
	for (size_t i = 0; i < lookups; i++)
		sink += snap->match(hit[i & 1023]);
	double ns_hot = (now_ns() - a) / double(lookups);

	MixResult rr = measure(fib, snap, random, lookups, &sink);

	size_t snap_bytes = snap->memory_bytes();
	size_t table_bytes = t->memory_bytes();
	printf("route-bench: length distribution:");
	for (unsigned int l = 0; l <= 32; l++)
		if (by_len[l])
			printf(" /%u=%u", l, by_len[l]);
	printf("\n");
	printf("route-bench: add_ms=%.1f build_ms=%.1f nodes=%u leaves=%u trie_bytes=%zu "
	       "snapshot_bytes=%zu table_bytes=%zu fib_bytes=%zu hit_rate=%.3f "
	       "random_hit_rate=%.3f\n",
	       (t1 - t0) / 1e6, (t2 - t1) / 1e6, snap->node_count(), snap->leaf_count(),
	       snap->trie_bytes(), snap_bytes, table_bytes, fib->memory_bytes(), rh.hit_rate,
	       rr.hit_rate);
	printf("route-bench: ns_per_lookup_dependent=%.2f ns_per_lookup_hot=%.2f "
	       "ns_per_table_lookup=%.2f ns_per_fib_lookup=%.2f (sink %" PRIu64 ")\n",
	       ns_dependent, ns_hot, rh.table, rh.fib, sink);
	printf("route-bench: random: ns_per_lookup=%.2f ns_per_table_lookup=%.2f "
	       "ns_per_fib_lookup=%.2f\n",
	       rr.match, rr.table, rr.fib);
	printf("route-bench: prefixes=%zu build_ms=%.1f mem_bytes=%zu ns_per_lookup=%.2f\n",
	       table.size(), (t2 - t1) / 1e6, snap_bytes, rh.match);

	fib->destroy();
	cx::destroy(fib);
	return 0;
}
