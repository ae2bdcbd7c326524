// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only tests of the ipv4 area: the reassembly timer on the virtual
 * clock, allocation-failure injection (no leak on any failure point), and
 * randomized reassembly properties. The shared cases (module/core/tests/
 * ipv4_*_test.cpp) cannot advance time or inject failures in the kernel.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "os_user.h"
#include "memory.h"
#include "cx_errno.h"
#include "ipv4/fragment.h"
#include "ipv4/icmp.h"
#include "ipv4/reassembly.h"
#include "tests/ipv4_test_packets.h"

namespace {

using namespace cx::ipv4;
using cx::test::Ipv4TestSpec;
using cx::test::ipv4_test_packet;

constexpr uint64_t kSec = 1000000000ull;

struct Host {
	IpStats stats{};
	ReassemblyConfig config;
	FragTable *table = nullptr;
	std::vector<uint16_t> timeouts;

	Host()
	{
		cx_user_reset();
		table = frag_table_create(&config, &stats, on_timeout, this, cx::Gfp::Kernel);
	}
	~Host()
	{
		frag_table_destroy(table);
		cx_user_reset();
	}

	static void on_timeout(void *ctx, const FragKey *key, cx_pkt *)
	{
		static_cast<Host *>(ctx)->timeouts.push_back(key->id);
	}

	DefragResult feed(uint16_t id, size_t offset, size_t len, bool mf, cx_pkt **out = nullptr)
	{
		Ipv4TestSpec spec;
		spec.id = id;
		spec.seed = id;
		spec.mf = mf;
		spec.frag_offset = static_cast<uint16_t>(offset);
		spec.payload_len = len;
		spec.payload_start = offset;
		cx_pkt *pkt = ipv4_test_packet(spec);
		if (!pkt)
			return DefragResult::Dropped;
		cx_pkt *done = nullptr;
		DropReason reason;
		DefragResult r = ip_defrag(table, pkt, 0, 0, &done, &reason);
		if (out)
			*out = done;
		else if (done)
			cx_pkt_free(done);
		return r;
	}
};

TEST(ipv4_host, reassembly_timer_fires_after_ipfrag_time)
{
	long live = cx_user_live_allocs();
	{
		Host h;
		h.feed(1, 0, 8, true);	/* first fragment seen */
		h.feed(2, 8, 8, true);	/* not */
		EXPECT_EQ(cx_user_timers_pending(), 2u);
		cx_user_clock_advance(30 * kSec - 1);
		EXPECT_TRUE(h.timeouts.empty());
		EXPECT_EQ(frag_table_queue_count(h.table), 2u);
		cx_user_clock_advance(1);
		EXPECT_EQ(h.timeouts, std::vector<uint16_t>{1});
		EXPECT_EQ(frag_table_queue_count(h.table), 0u);
		EXPECT_EQ(frag_table_mem(h.table), 0u);
		EXPECT_EQ(ip_stats_get(&h.stats, IpMib::ReasmTimeout), 2u);
		EXPECT_EQ(cx_user_timers_pending(), 0u);

		/* a completed datagram cancels its timer */
		h.feed(3, 0, 8, true);
		EXPECT_EQ(h.feed(3, 8, 8, false), DefragResult::Complete);
		EXPECT_EQ(cx_user_timers_pending(), 0u);

		/* the timer is not pushed back by later fragments (Linux arms it once) */
		h.feed(4, 0, 8, true);
		cx_user_clock_advance(20 * kSec);
		h.feed(4, 16, 8, false);
		cx_user_clock_advance(10 * kSec);
		EXPECT_EQ(h.timeouts.back(), 4);
	}
	EXPECT_EQ(cx_user_live_allocs(), live);
}

TEST(ipv4_host, max_dist_reinit_rearms_timer)
{
	Host h;
	h.feed(1, 0, 8, true);
	for (uint16_t i = 0; i < 70; i++)
		h.feed(static_cast<uint16_t>(100 + i), 8, 8, true);
	cx_user_clock_advance(20 * kSec);
	h.feed(1, 8, 8, true); /* too far: restarted, timer re-armed for 30 s */
	cx_user_clock_advance(10 * kSec + 1);
	/* the 70 others expired at t=30 s; queue 1 lives on */
	EXPECT_EQ(frag_table_queue_count(h.table), 1u);
	EXPECT_EQ(ip_stats_drops(&h.stats, DropReason::FragTooFar), 1u);
	cx_user_clock_advance(20 * kSec);
	EXPECT_EQ(frag_table_queue_count(h.table), 0u);
	/* it had lost its first fragment: no ICMP for it */
	EXPECT_EQ(std::count(h.timeouts.begin(), h.timeouts.end(), 1), 0);
}

TEST(ipv4_host, destroy_with_queues_pending)
{
	long live = cx_user_live_allocs();
	{
		Host h;
		for (uint16_t i = 0; i < 100; i++)
			h.feed(i, 0, 100, true);
		EXPECT_EQ(cx_user_timers_pending(), 100u);
	}
	EXPECT_EQ(cx_user_timers_pending(), 0u);
	EXPECT_EQ(cx_user_live_allocs(), live);
}

TEST(ipv4_host, fragment_allocation_failures_leak_nothing)
{
	cx_user_reset();
	IpStats stats{};
	Ipv4TestSpec spec;
	spec.payload_len = 20000;
	cx_pkt *pkt = ipv4_test_packet(spec);
	long live = cx_user_live_allocs();
	int failures = 0;
	for (long n = 0; n < 30; n++) {
		cx_user_fail_alloc_after(n);
		FragmentList list;
		unsigned int mtu;
		int err = ip_fragment(&stats, pkt, 1500, 0, &list, &mtu);
		cx_user_fail_alloc_after(-1);
		if (err == 0) {
			EXPECT_EQ(list.count, 14u);
			fragment_list_free(&list);
		} else {
			EXPECT_EQ(err, -CX_ENOMEM);
			EXPECT_EQ(list.count, 0u);
			failures++;
		}
		EXPECT_EQ(cx_user_live_allocs(), live) << "after failing at allocation " << n;
	}
	EXPECT_EQ(failures, 15); /* the array, then each of 14 fragments */
	EXPECT_EQ(ip_stats_get(&stats, IpMib::FragFails), 15u);
	cx_pkt_free(pkt);
	cx_user_reset();
}

TEST(ipv4_host, reassembly_allocation_failures_leak_nothing)
{
	long live = cx_user_live_allocs();
	for (long n = 0; n < 12; n++) {
		Host h;
		cx_pkt *out = nullptr;
		/* build the fragments first, then fail inside ip_defrag() */
		std::vector<cx_pkt *> frags;
		for (size_t off = 0; off < 4000; off += 1000) {
			Ipv4TestSpec spec;
			spec.mf = off + 1000 < 4000;
			spec.frag_offset = static_cast<uint16_t>(off);
			spec.payload_len = 1000;
			spec.payload_start = off;
			frags.push_back(ipv4_test_packet(spec));
		}
		cx_user_fail_alloc_after(n);
		for (cx_pkt *f : frags) {
			DropReason reason;
			cx_pkt *done = nullptr;
			if (ip_defrag(h.table, f, 0, 0, &done, &reason) == DefragResult::Complete)
				out = done;
		}
		cx_user_fail_alloc_after(-1);
		if (out) {
			EXPECT_TRUE(cx::test::ipv4_test_payload_matches(out, 4000, 1));
			cx_pkt_free(out);
		}
	}
	EXPECT_EQ(cx_user_live_allocs(), live);
	/* creation failures */
	cx_user_fail_alloc_after(0);
	IpStats stats{};
	ReassemblyConfig config;
	EXPECT_EQ(frag_table_create(&config, &stats, nullptr, nullptr, cx::Gfp::Kernel), nullptr);
	EXPECT_EQ(icmp_rate_limiter_create(cx::Gfp::Kernel), nullptr);
	cx_user_fail_alloc_after(1);
	EXPECT_EQ(icmp_rate_limiter_create(cx::Gfp::Kernel), nullptr);
	cx_user_fail_alloc_after(-1);
	EXPECT_EQ(cx_user_live_allocs(), live);
}

TEST(ipv4_host, icmp_allocation_failure)
{
	cx_user_reset();
	long live = cx_user_live_allocs();
	IcmpStats stats{};
	IcmpConfig config;
	IcmpRateLimiter *limiter = icmp_rate_limiter_create(cx::Gfp::Kernel);
	IcmpSendContext ctx{};
	ctx.src = cx::wire::ipv4_address(10, 0, 0, 1);
	ctx.route_mtu = 1500;
	ctx.now_ns = cx_os_now_ns();
	Ipv4TestSpec spec;
	spec.payload_len = 100;
	cx_pkt *in = ipv4_test_packet(spec);
	cx_user_fail_alloc_after(0);
	cx_pkt *out = nullptr;
	EXPECT_EQ(icmp_build_error(limiter, &stats, &config, in, 3, 3, 0, &ctx, &out),
		  IcmpSendResult::NoMem);
	cx_user_fail_alloc_after(-1);
	EXPECT_EQ(out, nullptr);
	EXPECT_EQ(icmp_stats_get(&stats, IcmpMib::OutErrors), 1u);
	EXPECT_EQ(icmp_stats_get(&stats, IcmpMib::OutMsgs), 0u);
	cx_pkt_free(in);
	icmp_rate_limiter_destroy(limiter);
	EXPECT_EQ(cx_user_live_allocs(), live);
}

/*
 * Random fragment streams cut from one datagram, with duplicates, overlaps
 * and reordering: whatever Linux's policy decides, a datagram that comes
 * out must be the original bytes, and exact fragmentations always complete.
 */
TEST(ipv4_host, random_streams_never_corrupt)
{
	std::mt19937 rng(12345);
	long live = cx_user_live_allocs();
	unsigned int completed = 0, clean_runs = 0;
	{
		Host h;
		for (uint16_t id = 1; id <= 2000; id++) {
			/* let the leftovers of broken streams expire (ipfrag_high_thresh) */
			if (id % 100 == 0)
				cx_user_clock_advance(31 * kSec);
			size_t total = 8 + rng() % 6000;
			std::vector<std::pair<size_t, size_t>> pieces;
			bool clean = rng() % 2;
			if (clean) {
				for (size_t off = 0; off < total;) {
					size_t len = std::min(total - off, 8 * (1 + rng() % 200));
					pieces.push_back({off, len});
					off += len;
				}
				/* exact duplicates are harmless */
				size_t dups = rng() % 3;
				for (size_t i = 0; i < dups; i++)
					pieces.push_back(pieces[rng() % pieces.size()]);
			} else {
				for (size_t i = 0, n = 1 + rng() % 12; i < n; i++) {
					size_t off = 8 * (rng() % ((total - 1) / 8 + 1));
					size_t len = std::min(total - off, 8 * (1 + rng() % 200));
					pieces.push_back({off, len});
				}
			}
			std::shuffle(pieces.begin(), pieces.end(), rng);
			bool done = false;
			for (auto [off, len] : pieces) {
				cx_pkt *out = nullptr;
				if (h.feed(id, off, len, off + len < total, &out) == DefragResult::Complete) {
					ASSERT_TRUE(cx::test::ipv4_test_payload_matches(out, total, id));
					cx_pkt_free(out);
					completed++;
					done = true;
				}
			}
			if (clean) {
				EXPECT_TRUE(done) << "datagram " << id;
				clean_runs++;
			}
		}
	}
	EXPECT_GE(completed, clean_runs);
	EXPECT_EQ(cx_user_live_allocs(), live);
}

} // namespace
