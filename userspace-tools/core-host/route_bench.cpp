// SPDX-License-Identifier: GPL-2.0
/*
 * cxnet-route-bench: IPv4 route lookup speed of the portable core's FIB on a
 * synthetic full-view-sized table.
 *
 *   cxnet-route-bench [--prefixes N] [--lookups N] [--seed N] [--dump FILE]
 *
 * Generates N prefixes (default 900,000) whose prefix-length distribution
 * follows a published BGP table distribution, clustered the way real
 * allocations are (RIR blocks, more-specifics inside covering aggregates),
 * loads them into a Fib table, compiles the snapshot, and measures
 * single-threaded: build time, memory, ns per lookup on random destinations
 * mostly hitting routes (independent lookups), the same as a dependent chain
 * (each destination depends on the previous answer: latency, no memory
 * level parallelism), a small hot set, the table lookup
 * (RouteSnapshot::lookup, the fib_table_lookup() equivalent: trie, route
 * record, nexthop) and the full Fib::lookup (rules, table, result). The
 * headline ns_per_lookup is the trie's longest-prefix match alone. With
 * GLIBC_TUNABLES=glibc.malloc.hugetlb=1 the arrays get transparent huge
 * pages (as kzalloc'd memory has in the kernel's direct map). Last line:
 *   route-bench: prefixes=... build_ms=... mem_bytes=... ns_per_lookup=...
 *
 * --dump FILE writes the same prefixes as `ip -batch` commands
 * ("route add blackhole A.B.C.D/L table 100"), so that the same table can be
 * loaded into Linux's fib_trie in the VM for a same-run comparison (the
 * longest-prefix-match work does not depend on the route type).
 */
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "os_user.h"
#include "route/fib.h"

namespace {

using namespace cx::route;

/*
 * IPv4 prefix-length distribution of the default-free zone, as shares in
 * parts per 100,000, approximated from Geoff Huston's "BGP in 2023" report
 * and the bgp.potaroo.net (AS131072 / AS6447) prefix-length tables of
 * early 2024 (about 950k prefixes: /24 about 60%, /22 about 13%, /23 about
 * 10%, /21 5%, /20 4.5%, /19 2.6%, /16 1.4%, the rest small). The real table
 * dumps (RIPE RIS / RouteViews MRT files) are not reachable from this build
 * machine, so the shares are hard-coded here from those published figures.
 */
struct LengthShare {
	unsigned int len;
	unsigned int per_100k;
};
constexpr LengthShare kBgpLengths[] = {
	{8, 2},     {9, 2},      {10, 4},     {11, 11},    {12, 32},    {13, 62},
	{14, 124},  {15, 213},   {16, 1410},  {17, 860},   {18, 1460},  {19, 2620},
	{20, 4540}, {21, 5530},  {22, 12950}, {23, 10620}, {24, 59510}, {25, 20},
	{26, 12},   {27, 6},     {28, 4},     {29, 3},     {30, 3},     {31, 1},
	{32, 1},
};

uint32_t mask_of(unsigned int len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

std::string dotted(uint32_t a)
{
	char buf[20];
	snprintf(buf, sizeof(buf), "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
		 a & 255);
	return buf;
}

struct Prefix {
	uint32_t prefix;
	uint8_t len;
};

/*
 * Clustered synthetic table: allocation blocks (/10../19) inside the unicast
 * /8s, each prefix placed inside a block chosen with a skewed (Zipf-like)
 * popularity, so prefixes share upper bits and nest (more-specifics under
 * covering aggregates) as in real tables.
 */
std::vector<Prefix> generate(size_t count, uint32_t seed)
{
	std::mt19937_64 rng(seed);
	std::vector<uint8_t> firsts;
	for (unsigned int a = 1; a < 224; a++)
		if (a != 10 && a != 127 && a != 100 && a != 169 && a != 172 && a != 192)
			firsts.push_back(static_cast<uint8_t>(a));
	firsts.push_back(100); /* these carry public space outside their reserved parts too */
	firsts.push_back(172);
	firsts.push_back(192);

	struct Block {
		uint32_t base;
		unsigned int len;
	};
	std::vector<Block> blocks;
	size_t block_count = count / 20 + 64;
	for (size_t i = 0; i < block_count; i++) {
		unsigned int len = 10 + static_cast<unsigned int>(rng() % 10);
		uint32_t base = (uint32_t(firsts[rng() % firsts.size()]) << 24) |
				(static_cast<uint32_t>(rng()) & 0xffffff);
		blocks.push_back({base & mask_of(len), len});
	}
	uint64_t total = 0;
	for (const LengthShare &s : kBgpLengths)
		total += s.per_100k;

	std::unordered_set<uint64_t> seen;
	seen.reserve(count * 2);
	std::vector<Prefix> out;
	out.reserve(count);
	std::uniform_real_distribution<double> unit(0.0, 1.0);
	while (out.size() < count) {
		uint64_t pick = rng() % total;
		unsigned int len = 24;
		for (const LengthShare &s : kBgpLengths) {
			if (pick < s.per_100k) {
				len = s.len;
				break;
			}
			pick -= s.per_100k;
		}
		/* skewed block popularity: index ~ block_count * u^3 */
		double u = unit(rng);
		const Block &b = blocks[static_cast<size_t>(u * u * u * double(block_count))];
		uint32_t addr = b.base | (static_cast<uint32_t>(rng()) & ~mask_of(b.len));
		uint32_t prefix = addr & mask_of(len);
		uint64_t key = (uint64_t(prefix) << 6) | len;
		if (!seen.insert(key).second)
			continue;
		out.push_back({prefix, static_cast<uint8_t>(len)});
	}
	return out;
}

double now_ns()
{
	return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(
					   std::chrono::steady_clock::now().time_since_epoch())
					   .count());
}

} // namespace

int main(int argc, char **argv)
{
	size_t prefixes = 900000;
	size_t lookups = 20000000;
	uint32_t seed = 2024;
	const char *dump = nullptr;
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
		else {
			fprintf(stderr,
				"usage: %s [--prefixes N] [--lookups N] [--seed N] [--dump FILE]\n",
				argv[0]);
			return 2;
		}
	}
	if (prefixes == 0 || lookups == 0) {
		fprintf(stderr, "route-bench: --prefixes and --lookups must be > 0\n");
		return 2;
	}

	std::vector<Prefix> table = generate(prefixes, seed);
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
			fprintf(f, "route add blackhole %s/%u table 100\n", dotted(p.prefix).c_str(),
				p.len);
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
	/* a handful of peers, as in a full view */
	std::mt19937 rng(seed);
	double t0 = now_ns();
	for (const Prefix &p : table) {
		RouteConfig cfg = route_config(p.prefix, p.len);
		cfg.table = 100;
		unsigned int peer = rng() % 16;
		cfg.gateway = 0xc0000200u | (peer + 1);
		cfg.oif = static_cast<int32_t>(2 + peer % 4);
		cfg.protocol = 186; /* RTPROT_BGP */
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
	/* the table's default route through the rules (as a full view has none,
	 * route everything else to table 100 by a rule) */
	Rule r = rule_config(100, 100);
	fib->rule_add(r, kNlmCreate, cx::Gfp::Kernel);

	const RouteTable *t = fib->table(100);
	const RouteSnapshot *snap = t->snapshot();

	/* destinations: 90% inside a random prefix, 10% anywhere */
	const size_t ndst = 1 << 20;
	std::vector<uint32_t> dst(ndst);
	size_t hits = 0;
	for (size_t i = 0; i < ndst; i++) {
		if (rng() % 10) {
			const Prefix &p = table[rng() % table.size()];
			dst[i] = p.prefix | (rng() & ~mask_of(p.len));
		} else {
			dst[i] = rng();
		}
	}
	uint64_t sink = 0;
	for (size_t i = 0; i < ndst; i++)
		hits += snap->match(dst[i]) != 0;

	/* independent lookups */
	double a = now_ns();
	for (size_t i = 0; i < lookups; i++)
		sink += snap->match(dst[i & (ndst - 1)]);
	double ns_independent = (now_ns() - a) / double(lookups);

	/* dependent chain: the next destination depends on this answer */
	uint32_t prev = 0;
	a = now_ns();
	for (size_t i = 0; i < lookups; i++) {
		prev = snap->match(dst[(i + prev) & (ndst - 1)]);
		sink += prev;
		prev &= 1;
	}
	double ns_dependent = (now_ns() - a) / double(lookups);

	/* hot set: 1024 destinations, all in cache */
	a = now_ns();
	for (size_t i = 0; i < lookups; i++)
		sink += snap->match(dst[i & 1023]);
	double ns_hot = (now_ns() - a) / double(lookups);

	/* table lookup (fib_table_lookup(): trie + route record + nexthop) */
	TableFlowKey tkey{0, 0, 0, kScopeUniverse};
	TableMatch tm;
	a = now_ns();
	for (size_t i = 0; i < lookups; i++) {
		tkey.dst = dst[i & (ndst - 1)];
		sink += static_cast<uint32_t>(snap->lookup(tkey, &tm)) + tm.nh_index;
	}
	double ns_table = (now_ns() - a) / double(lookups);

	/* full flow lookup: rules (4), table lookup, result copy-out */
	size_t fib_lookups = lookups / 4;
	FibFlow flow{};
	flow.src = 0xc0000201u;
	flow.iif = 1;
	FibResult res;
	a = now_ns();
	for (size_t i = 0; i < fib_lookups; i++) {
		flow.dst = dst[i & (ndst - 1)];
		sink += static_cast<uint32_t>(fib->lookup(flow, &res)) + res.prefix_len;
	}
	double ns_fib = (now_ns() - a) / double(fib_lookups);

	size_t snap_bytes = snap->memory_bytes();
	size_t table_bytes = t->memory_bytes();
	printf("route-bench: length distribution:");
	for (unsigned int l = 0; l <= 32; l++)
		if (by_len[l])
			printf(" /%u=%u", l, by_len[l]);
	printf("\n");
	printf("route-bench: add_ms=%.1f build_ms=%.1f nodes=%u leaves=%u trie_bytes=%zu "
	       "snapshot_bytes=%zu table_bytes=%zu hit_rate=%.3f\n",
	       (t1 - t0) / 1e6, (t2 - t1) / 1e6, snap->node_count(), snap->leaf_count(),
	       snap->trie_bytes(), snap_bytes, table_bytes, double(hits) / double(ndst));
	printf("route-bench: ns_per_lookup_dependent=%.2f ns_per_lookup_hot=%.2f "
	       "ns_per_table_lookup=%.2f ns_per_fib_lookup=%.2f (sink %" PRIu64 ")\n",
	       ns_dependent, ns_hot, ns_table, ns_fib, sink);
	printf("route-bench: prefixes=%zu build_ms=%.1f mem_bytes=%zu ns_per_lookup=%.2f\n",
	       table.size(), (t2 - t1) / 1e6, snap_bytes, ns_independent);

	fib->destroy();
	cx::destroy(fib);
	return 0;
}
