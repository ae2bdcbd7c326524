/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The route lookup benchmark's input: a deterministic synthetic full-view
 * IPv4 table and lookup destinations. Shared by the userspace
 * cxnet-route-bench (userspace-tools/core-host/route_bench.cpp) and the
 * kernel's cxnet_bench.ko (module/kernel/bench_core.cpp), so that both,
 * and Linux's fib_trie loaded from `cxnet-route-bench --dump`, see the same
 * routes and the same destinations for the same seed. Integers only, no
 * libc (it compiles freestanding, in the kernel).
 *
 * Prefix lengths follow a published BGP table distribution (kBgpLengths),
 * clustered the way real allocations are: allocation blocks (/10../19)
 * inside the unicast /8s, each prefix placed inside a block chosen with a
 * skewed (Zipf-like) popularity, so prefixes share upper bits and nest
 * (more-specifics under covering aggregates) as in real tables. Each
 * prefix goes via one of kPeerCount gateways 10.255.0.2.. (a full view
 * from a handful of peers), all on one device whose address is
 * 10.255.0.1/16; no generated prefix is inside 10/8 or 127/8.
 */
#ifndef CXNET_CORE_ROUTE_BENCH_GEN_H
#define CXNET_CORE_ROUTE_BENCH_GEN_H

#include "../types.h"
#include "../tests/xorshift.h"

namespace cx::route::bench {

/*
 * IPv4 prefix-length distribution of the default-free zone, as shares in
 * parts per 100,000, approximated from Geoff Huston's "BGP in 2023" report
 * and the bgp.potaroo.net (AS131072 / AS6447) prefix-length tables of
 * early 2024 (about 950k prefixes: /24 about 60%, /22 about 13%, /23 about
 * 10%, /21 5%, /20 4.5%, /19 2.6%, /16 1.4%, the rest small). The real table
 * dumps (RIPE RIS / RouteViews MRT files) are not reachable from the build
 * machine, so the shares are hard-coded here from those published figures.
 */
struct LengthShare {
	uint8_t len;
	uint16_t per_100k;
};
constexpr LengthShare kBgpLengths[] = {
	{8, 2},     {9, 2},      {10, 4},     {11, 11},    {12, 32},    {13, 62},
	{14, 124},  {15, 213},   {16, 1410},  {17, 860},   {18, 1460},  {19, 2620},
	{20, 4540}, {21, 5530},  {22, 12950}, {23, 10620}, {24, 59510}, {25, 20},
	{26, 12},   {27, 6},     {28, 4},     {29, 3},     {30, 3},     {31, 1},
	{32, 1},
};

constexpr uint32_t kDefaultPrefixes = 900000;
constexpr uint32_t kDefaultSeed = 2024;
/* Destinations per mix (a power of two: the userspace loops mask with it). */
constexpr uint32_t kDefaultDestinations = 1u << 21;
/* generate() refuses more (its dedup set indexes with 32 bits). */
constexpr uint32_t kMaxPrefixes = 1u << 24;

/* Nexthops: gateways 10.255.0.2 .. 10.255.0.(1 + kPeerCount) on one device
 * addressed 10.255.0.1/16 (the `ip -batch` dump names it; cxnet's Fib in
 * the benchmarks is not bound to devices and uses kOif). */
constexpr uint32_t kPeerCount = 16;
constexpr uint32_t kDeviceAddress = 0x0aff0001u; /* 10.255.0.1 */
constexpr uint8_t kDeviceLen = 16;
constexpr int32_t kOif = 2;
constexpr uint8_t kProtoBgp = 186; /* RTPROT_BGP */

struct Prefix {
	uint32_t prefix; /* host order, host bits zero */
	uint8_t len;
	uint8_t peer; /* 0 .. kPeerCount - 1 */
	uint16_t pad;
};

constexpr uint32_t mask_of(unsigned int len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

constexpr uint32_t peer_gateway(uint8_t peer)
{
	return kDeviceAddress + 1 + peer;
}

/*
 * Distinct prefixes from a seed. generate() needs zeroed scratch memory of
 * scratch_bytes(count) bytes (the allocation blocks and a dedup set), which
 * the caller allocates and frees (kvzalloc-sized: about 8.5 MB for 900k).
 */
class TableGenerator {
public:
	struct Block {
		uint32_t base;
		uint32_t len;
	};

	static uint32_t block_count(uint32_t count) { return count / 20 + 64; }

	static uint32_t slot_count(uint32_t count)
	{
		uint32_t slots = 1024;
		while (slots < 2 * count)
			slots <<= 1;
		return slots;
	}

	static size_t scratch_bytes(uint32_t count)
	{
		return size_t(block_count(count)) * sizeof(Block) +
		       size_t(slot_count(count)) * sizeof(uint32_t);
	}

	/* out[0 .. count): true, or false for count 0 / above kMaxPrefixes or
	 * when the distribution cannot give that many distinct prefixes. */
	static bool generate(uint32_t seed, uint32_t count, Prefix *out, void *scratch)
	{
		if (count == 0 || count > kMaxPrefixes)
			return false;
		cx::test::Xorshift32 rng(seed);
		uint8_t firsts[224];
		uint32_t nfirsts = 0;
		for (uint32_t a = 1; a < 224; a++)
			if (a != 10 && a != 127 && a != 100 && a != 169 && a != 172 && a != 192)
				firsts[nfirsts++] = static_cast<uint8_t>(a);
		/* these carry public space outside their reserved parts too */
		firsts[nfirsts++] = 100;
		firsts[nfirsts++] = 172;
		firsts[nfirsts++] = 192;

		uint32_t nblocks = block_count(count);
		Block *blocks = static_cast<Block *>(scratch);
		for (uint32_t i = 0; i < nblocks; i++) {
			uint32_t len = 10 + rng.below(10);
			uint32_t base = (uint32_t(firsts[rng.below(nfirsts)]) << 24) |
					(rng.next() & 0xffffff);
			blocks[i] = {base & mask_of(len), len};
		}
		uint32_t total = 0;
		for (const LengthShare &s : kBgpLengths)
			total += s.per_100k;

		uint32_t slots = slot_count(count);
		uint32_t *set = reinterpret_cast<uint32_t *>(blocks + nblocks); /* index + 1 */
		uint32_t n = 0;
		uint64_t attempts = 0;
		while (n < count) {
			if (++attempts > uint64_t(count) * 64)
				return false;
			uint32_t pick = rng.below(total);
			unsigned int len = 24;
			for (const LengthShare &s : kBgpLengths) {
				if (pick < s.per_100k) {
					len = s.len;
					break;
				}
				pick -= s.per_100k;
			}
			/* skewed block popularity: index ~ nblocks * u^3, u uniform
			 * in [0, 1) as a 21-bit fixed-point fraction */
			uint64_t u = rng.next() >> 11;
			uint64_t u3 = (((u * u) >> 21) * u) >> 21;
			const Block &b = blocks[(u3 * nblocks) >> 21];
			uint32_t addr = b.base | (rng.next() & ~mask_of(b.len));
			uint32_t prefix = addr & mask_of(len);
			if (!insert_unique(set, slots, out, prefix, static_cast<uint8_t>(len), n))
				continue;
			out[n].prefix = prefix;
			out[n].len = static_cast<uint8_t>(len);
			out[n].peer = static_cast<uint8_t>(rng.below(kPeerCount));
			out[n].pad = 0;
			n++;
		}
		return true;
	}

private:
	/* Open addressing over out[]'s indexes: false if (prefix, len) is
	 * there, else records index n for it. */
	static bool insert_unique(uint32_t *set, uint32_t slots, const Prefix *out, uint32_t prefix,
				  uint8_t len, uint32_t n)
	{
		uint64_t key = (uint64_t(prefix) << 6) | len;
		uint32_t i = static_cast<uint32_t>((key * 0x9e3779b97f4a7c15ull) >> 32) & (slots - 1);
		for (;; i = (i + 1) & (slots - 1)) {
			uint32_t v = set[i];
			if (!v) {
				set[i] = n + 1;
				return true;
			}
			if (out[v - 1].prefix == prefix && out[v - 1].len == len)
				return false;
		}
	}
};

/* Destination mixes: Random uniform over the whole address space (most
 * miss a full view without a default route, as a scan would), Hit 90%
 * inside a random prefix of the table and 10% uniform. */
enum class DestMix : uint32_t {
	Random = 0,
	Hit = 1,
};

inline void make_destinations(uint32_t seed, DestMix mix, const Prefix *table, uint32_t count,
			      uint32_t *dst, uint32_t n)
{
	cx::test::Xorshift32 rng(seed ^ (0x51ed2701u + static_cast<uint32_t>(mix)));
	for (uint32_t i = 0; i < n; i++) {
		if (mix == DestMix::Hit && rng.below(10)) {
			const Prefix &p = table[rng.below(count)];
			dst[i] = p.prefix | (rng.next() & ~mask_of(p.len));
		} else {
			dst[i] = rng.next();
		}
	}
}

} // namespace cx::route::bench

#endif /* CXNET_CORE_ROUTE_BENCH_GEN_H */
