// SPDX-License-Identifier: GPL-2.0
/*
 * Host-only tests of the neighbour table and ARP (module/core/neigh/):
 * allocation-failure injection at every allocation of a resolve/ARP
 * scenario (the state stays consistent, nothing leaks), and the state
 * machine on os.h's own timers (os_user's virtual clock) rather than the
 * NeighClock the shared cases use; and rough figures (ASan build).
 */
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <iterator>
#include <random>
#include <vector>

#include "os_user.h"
#include "tests/neigh_test_support.h"

namespace {

using namespace cx::neigh;
using namespace cx::test::neigh_support;

/* The shared runner's cx_test_fail*() ignore their context: failures land in this gtest. */
cx_test *const kNoContext = nullptr;

cx::wire::Bytes frame_bytes(uint8_t (&buf)[kArpFrameLen])
{
	return cx::wire::Bytes(buf);
}

void build_frame(uint8_t (&buf)[kArpFrameLen], const MacAddress &dst, uint16_t op,
		 const MacAddress &sha, uint32_t sip, uint32_t tip)
{
	auto eth = cx::wire::EthernetFrame::new_unchecked(frame_bytes(buf));
	eth.set_dst(dst);
	eth.set_src(sha);
	eth.set_ethertype(cx::wire::ethertype::kArp);
	auto arp = cx::wire::ArpPacket::new_unchecked(eth.payload());
	arp.init_ethernet_ipv4(op);
	arp.set_sender_hardware_addr(sha);
	arp.set_sender_protocol_addr(sip);
	arp.set_target_hardware_addr(MacAddress{});
	arp.set_target_protocol_addr(tip);
}

/* Resolve two peers, answer a request, take replies: every allocation may fail. */
void scenario(Fixture *f)
{
	f->solicit_via_arp = true;
	int err;
	for (uint32_t i = 0; i < 3; i++) {
		NeighEntry *entry = neigh_create(&f->table, kIfindex, kPeerAddr + i, cx::Gfp::Atomic,
						 false, &err);
		if (!entry) {
			EXPECT_EQ(err, -CX_ENOBUFS);
			continue;
		}
		for (uint16_t tag = 0; tag < 3; tag++) {
			cx_pkt *pkt = make_pkt(tag);
			if (pkt)
				neigh_resolve_output(entry, pkt);
			else
				neigh_event_send(entry, nullptr);
		}
		neigh_release(entry);
	}
	uint8_t frame[kArpFrameLen];
	build_frame(frame, MacAddress::broadcast(), cx::wire::arp_operation::kRequest, kMacB,
		    0x0a000050, kOurAddr);
	arp_rcv(&f->arp, f->dev, frame_bytes(frame));
	build_frame(frame, kOurMac, cx::wire::arp_operation::kReply, kMacA, kPeerAddr, kOurAddr);
	arp_rcv(&f->arp, f->dev, frame_bytes(frame));
	vclock_advance(&f->clock, 10 * kSec);
}

struct Census {
	unsigned int entries;
	unsigned int queued;
};

void census(const NeighInfo &info, void *arg)
{
	auto *c = static_cast<Census *>(arg);
	c->entries++;
	c->queued += info.queue_len;
	/* only the table holds entries after the scenario (and an armed timer) */
	EXPECT_EQ(info.refcnt, (info.state & nud::kInTimer) ? 2u : 1u);
}

TEST(neigh_host, allocation_failure_at_every_step_stays_consistent)
{
	unsigned long total_failures = 0;
	for (long n = 0; n < 60; n++) {
		cx_user_reset();
		const long live_before = cx_user_live_allocs();
		Fixture *f = fixture_create(kNoContext);
		ASSERT_NE(f, nullptr);
		const unsigned long failures_before = cx_user_alloc_failures();
		cx_user_fail_alloc_after(n);
		scenario(f);
		cx_user_fail_alloc_after(-1);
		total_failures += cx_user_alloc_failures() - failures_before;

		NeighStats stats = neigh_stats(&f->table);
		Census c = {};
		neigh_for_each(&f->table, census, &c);
		/* every allocated entry is either in the table or destroyed */
		EXPECT_EQ(stats.allocs - stats.destroys, c.entries) << "n=" << n;
		EXPECT_EQ(f->table.entries, c.entries) << "n=" << n;
		EXPECT_EQ(f->table.gc_entries, c.entries) << "n=" << n;
		/* resolution finished one way or the other: nothing waits after 10 s */
		EXPECT_EQ(c.queued, 0u) << "n=" << n;
		/* the table still works once memory is back */
		NeighEntry *entry = create(kNoContext, f, 0x0a0000f0);
		ASSERT_NE(entry, nullptr);
		EXPECT_EQ(neigh_update(entry, &kMacA, nud::kReachable, update_flags::kOverride), 0);
		EXPECT_EQ(neigh_resolve_output(entry, make_pkt(1)), 0);
		neigh_release(entry);

		fixture_destroy(kNoContext, f);
		EXPECT_EQ(cx_user_live_allocs(), live_before) << "n=" << n;
	}
	EXPECT_GT(total_failures, 0u);
	/* with enough successes the scenario runs clean: the loop covered every allocation */
	cx_user_reset();
	Fixture *f = fixture_create(kNoContext);
	ASSERT_NE(f, nullptr);
	const unsigned long failures_before = cx_user_alloc_failures();
	cx_user_fail_alloc_after(59);
	scenario(f);
	cx_user_fail_alloc_after(-1);
	EXPECT_EQ(cx_user_alloc_failures(), failures_before) << "raise the loop bound";
	fixture_destroy(kNoContext, f);
}

/* ---- os.h timers ------------------------------------------------------------- */

struct Counts {
	unsigned int solicits;
	unsigned int outputs;
	unsigned int errors;
};

Counts g_counts;

const NeighOps kCountingOps = {
	/* solicit */ [](void *, NeighEntry *, const MacAddress *, uint32_t) { g_counts.solicits++; },
	/* app_solicit */ nullptr,
	/* output */
	[](void *, NeighEntry *, cx_pkt *pkt, const MacAddress &) {
		g_counts.outputs++;
		cx_pkt_free(pkt);
	},
	/* error_report */
	[](void *, NeighEntry *, cx_pkt *pkt) {
		g_counts.errors++;
		cx_pkt_free(pkt);
	},
	/* constructor */ nullptr,
	/* notify */ nullptr,
};

TEST(neigh_host, state_machine_on_os_timers)
{
	cx_user_reset();
	g_counts = {};
	const long live_before = cx_user_live_allocs();
	auto *table = cx::make<NeighTable>(cx::Gfp::Kernel);
	ASSERT_NE(table, nullptr);
	ASSERT_EQ(neigh_table_init(table, NeighParms{}, &kCountingOps, nullptr, nullptr), 0);
	EXPECT_EQ(cx_user_timers_pending(), 1u);	/* periodic GC */
	int err;
	NeighEntry *entry = neigh_create(table, kIfindex, kPeerAddr, cx::Gfp::Kernel, false, &err);
	ASSERT_NE(entry, nullptr);
	EXPECT_EQ(neigh_resolve_output(entry, make_pkt(1)), 1);
	EXPECT_EQ(cx_user_timers_pending(), 2u);
	cx_user_clock_advance(2 * kSec);
	EXPECT_EQ(g_counts.solicits, 3u);
	cx_user_clock_advance(1 * kSec);
	EXPECT_EQ(neigh_snapshot(entry).state, nud::kFailed);
	EXPECT_EQ(g_counts.errors, 1u);
	EXPECT_EQ(cx_user_timers_pending(), 1u);

	/* REACHABLE -> STALE on the OS clock */
	EXPECT_EQ(neigh_update(entry, &kMacA, nud::kReachable, update_flags::kOverride), 0);
	EXPECT_EQ(neigh_resolve_output(entry, make_pkt(2)), 0);
	EXPECT_EQ(g_counts.outputs, 1u);
	cx_user_clock_advance(neigh_reachable_time_ns(table) + 20 * kMs);
	EXPECT_EQ(neigh_snapshot(entry).state, nud::kStale);

	/* STALE -> DELAY -> PROBE: armed when deleted, never fires afterwards */
	neigh_event_send(entry, nullptr);
	EXPECT_EQ(neigh_snapshot(entry).state, nud::kDelay);
	neigh_release(entry);
	EXPECT_EQ(neigh_delete(table, kIfindex, kPeerAddr), 0);
	EXPECT_EQ(cx_user_timers_pending(), 1u);
	cx_user_clock_advance(60 * kSec);
	EXPECT_EQ(g_counts.solicits, 3u);

	neigh_table_destroy(table);
	cx::destroy(table);
	EXPECT_EQ(cx_user_timers_pending(), 0u);
	EXPECT_EQ(cx_user_live_allocs(), live_before);
}

} // namespace

/* ---- figures (printed, not asserted; ASan/UBSan build: upper bounds) ------------- */

namespace {

TEST(neigh_host, measure_lookup_and_resolved_output)
{
	cx_user_reset();
	Fixture *f = fixture_create(kNoContext);
	ASSERT_NE(f, nullptr);
	constexpr uint32_t kEntries = 1000;
	for (uint32_t i = 0; i < kEntries; i++) {
		NeighEntry *entry = create(kNoContext, f, 0x0a100000 + i);
		ASSERT_NE(entry, nullptr);
		neigh_update(entry, &kMacA, nud::kReachable, update_flags::kOverride);
		neigh_release(entry);
	}
	constexpr uint32_t kOps = 1000000;
	auto start = std::chrono::steady_clock::now();
	for (uint32_t i = 0; i < kOps; i++) {
		NeighEntry *entry = neigh_lookup(&f->table, kIfindex, 0x0a100000 + (i % kEntries));
		neigh_release(entry);
	}
	auto lookup_ns = std::chrono::duration<double, std::nano>(
				 std::chrono::steady_clock::now() - start).count() / kOps;
	NeighEntry *entry = neigh_lookup(&f->table, kIfindex, 0x0a100000);
	ASSERT_NE(entry, nullptr);
	/* the per-packet check of a resolved entry (neigh_event_send) */
	start = std::chrono::steady_clock::now();
	for (uint32_t i = 0; i < kOps; i++)
		EXPECT_EQ(neigh_event_send(entry, nullptr), 0);
	auto send_ns = std::chrono::duration<double, std::nano>(
			       std::chrono::steady_clock::now() - start).count() / kOps;
	neigh_release(entry);
	std::printf("neigh: %u entries: lookup+release %.1f ns, event_send (REACHABLE) %.1f ns\n",
		    kEntries, lookup_ns, send_ns);
	fixture_destroy(kNoContext, f);
}

} // namespace

/* ---- randomised operation sequences against the table's invariants ---------- */

namespace {

struct Held {
	std::vector<NeighEntry *> refs;
};

unsigned int held_refs(const Held &held, const NeighEntry *entry)
{
	unsigned int n = 0;
	for (const NeighEntry *e : held.refs)
		n += e == entry;
	return n;
}

void check_invariants(Fixture *f, const Held &held, uint64_t step)
{
	NeighTable *table = &f->table;
	NeighStats stats = neigh_stats(table);
	ASSERT_EQ(stats.allocs - stats.destroys, table->entries) << "step " << step;
	ASSERT_EQ(table->gc_entries, table->gc_list.count()) << "step " << step;
	ASSERT_LE(table->hash.count(), table->entries) << "step " << step;
	table->hash.for_each([&](NeighEntry &e) {
		const bool armed = vtimer(&e.timer)->armed;
		EXPECT_FALSE(e.dead) << "step " << step;
		/* exactly one NUD bit, or NONE */
		EXPECT_EQ(e.state & (e.state - 1), 0) << "step " << step;
		/*
		 * An armed timer iff a timed state; it holds a reference. Except
		 * INCOMPLETE set by neigh_update() (an administrator): not a
		 * valid state, so __neigh_update() arms no timer (as in Linux).
		 */
		if (armed || e.state != nud::kIncomplete) {
			EXPECT_EQ(armed, (e.state & nud::kInTimer) != 0)
				<< "step " << step << " state " << nud_state_name(e.state);
		}
		EXPECT_EQ(cx_os_ref_read(&e.refcnt), 1u + held_refs(held, &e) + (armed ? 1u : 0u))
			<< "step " << step;
		/* only INCOMPLETE entries queue */
		if (!e.queue.empty()) {
			EXPECT_EQ(e.state, nud::kIncomplete) << "step " << step;
		}
		EXPECT_EQ(e.gc_node.linked(), !(e.state & nud::kPermanent)) << "step " << step;
	});
}

TEST(neigh_host, random_operations_keep_invariants)
{
	for (uint64_t seed = 1; seed <= 20; seed++) {
		cx_user_reset();
		const long live_before = cx_user_live_allocs();
		std::mt19937_64 rng(seed);
		auto pick = [&](uint64_t n) { return static_cast<uint32_t>(rng() % n); };
		NeighParms parms;
		parms.gc_thresh1 = 2;
		parms.gc_thresh2 = 4;
		parms.gc_thresh3 = 8;
		parms.unres_qlen_bytes = 3000;
		Fixture *f = fixture_create(kNoContext, parms);
		ASSERT_NE(f, nullptr);
		f->solicit_via_arp = true;
		f->construct_via_arp = true;
		Held held;
		const MacAddress macs[] = {kMacA, kMacB};
		const uint8_t states[] = {nud::kIncomplete, nud::kReachable, nud::kStale, nud::kDelay,
					  nud::kProbe, nud::kFailed, nud::kNoarp, nud::kPermanent};
		for (uint64_t step = 0; step < 3000; step++) {
			const uint32_t addr = 0x0a000002 + pick(10);
			const int ifindex = kIfindex + static_cast<int>(pick(2));
			switch (pick(14)) {
			case 0:
			case 1: {
				int err;
				NeighEntry *e = neigh_create(&f->table, ifindex, addr, cx::Gfp::Atomic,
							     false, &err);
				if (e)
					held.refs.push_back(e);
				break;
			}
			case 2:
				if (!held.refs.empty()) {
					size_t i = pick(held.refs.size());
					neigh_release(held.refs[i]);
					held.refs.erase(held.refs.begin() + static_cast<long>(i));
				}
				break;
			case 3:
			case 4:
				if (!held.refs.empty()) {
					cx_pkt *pkt = make_pkt(static_cast<uint16_t>(step), 100 + pick(900));
					neigh_resolve_output(held.refs[pick(held.refs.size())], pkt);
				}
				break;
			case 5:
				if (!held.refs.empty()) {
					uint32_t flags = pick(2) ? update_flags::kOverride : 0;
					if (pick(3) == 0)
						flags |= update_flags::kWeakOverride;
					if (pick(4) == 0)
						flags |= update_flags::kAdmin;
					neigh_update(held.refs[pick(held.refs.size())],
						     pick(5) ? &macs[pick(2)] : nullptr,
						     states[pick(std::size(states))], flags);
				}
				break;
			case 6:
				if (!held.refs.empty())
					neigh_confirm(held.refs[pick(held.refs.size())]);
				break;
			case 7:
				neigh_delete(&f->table, ifindex, addr);
				break;
			case 8:
				if (pick(4) == 0)
					neigh_flush_dev(&f->table, ifindex);
				else
					neigh_forced_gc(&f->table);
				break;
			case 9:
			case 10:
				vclock_advance(&f->clock, pick(8000) * kMs);
				break;
			case 11:
				neigh_add(&f->table, ifindex, addr, &macs[pick(2)],
					  states[pick(std::size(states))],
					  add_flags::kCreate | (pick(2) ? add_flags::kReplace : 0));
				break;
			default: {
				uint8_t frame[kArpFrameLen];
				const uint16_t op = pick(2) ? cx::wire::arp_operation::kRequest
							    : cx::wire::arp_operation::kReply;
				const uint32_t tip = pick(2) ? kOurAddr : addr;
				build_frame(frame, pick(2) ? kOurMac : MacAddress::broadcast(), op,
					    macs[pick(2)], pick(8) ? addr : 0, tip);
				ArpDevice dev = f->dev;
				dev.ifindex = ifindex;
				dev.conf.arp_accept = static_cast<int32_t>(pick(2));
				arp_rcv(&f->arp, dev, frame_bytes(frame));
				break;
			}
			}
			check_invariants(f, held, step);
			if (testing::Test::HasFailure())
				break;
		}
		/* the sequences reach every outcome */
		NeighStats stats = neigh_stats(&f->table);
		EXPECT_GT(f->outputs, 0u) << "seed " << seed;
		EXPECT_GT(f->errors, 0u) << "seed " << seed;
		EXPECT_GT(f->frames, 0u) << "seed " << seed;
		EXPECT_GT(stats.res_failed, 0u) << "seed " << seed;
		EXPECT_GT(stats.destroys, 0u) << "seed " << seed;
		EXPECT_GT(stats.forced_gc_runs, 0u) << "seed " << seed;
		for (NeighEntry *e : held.refs)
			neigh_release(e);
		held.refs.clear();
		check_invariants(f, held, ~0ull);
		fixture_destroy(kNoContext, f);
		EXPECT_EQ(cx_user_live_allocs(), live_before) << "seed " << seed;
		if (testing::Test::HasFailure()) {
			ADD_FAILURE() << "seed " << seed;
			break;
		}
	}
}

} // namespace
