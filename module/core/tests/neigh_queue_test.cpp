// SPDX-License-Identifier: GPL-2.0
/* neigh/neigh_table.h: the resolution queue (arp_queue, unres_qlen_bytes). */
#include "cx_test.h"
#include "cases.h"
#include "neigh_test_support.h"

namespace cx::test {

using namespace cx::neigh;
using namespace cx::test::neigh_support;

void neigh_queue_ordered_flush_on_resolution(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	for (uint16_t i = 0; i < 20; i++)
		CX_EXPECT_EQ(t, neigh_resolve_output(entry, make_pkt(i)), 1);
	NeighInfo info = neigh_snapshot(entry);
	CX_EXPECT_EQ(t, info.queue_len, 20u);
	CX_EXPECT_EQ(t, info.queue_bytes, 20 * (100 + kQueuedPktOverhead));
	/* one probe however many packets wait */
	CX_EXPECT_EQ(t, f->solicits, 1u);
	CX_EXPECT_EQ(t, neigh_update(entry, &kMacB, nud::kReachable, update_flags::kOverride), 0);
	CX_EXPECT_EQ(t, f->outputs, 20u);
	for (uint16_t i = 0; i < 20; i++)
		CX_EXPECT_EQ(t, f->output_tags[i], i);
	CX_EXPECT(t, f->last_output_mac == kMacB);
	info = neigh_snapshot(entry);
	CX_EXPECT_EQ(t, info.queue_len, 0u);
	CX_EXPECT_EQ(t, info.queue_bytes, 0u);
	CX_EXPECT_EQ(t, neigh_stats(&f->table).unres_discards, 0u);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_queue_bounded_oldest_dropped(cx_test *t)
{
	NeighParms parms;
	parms.unres_qlen_bytes = 3 * (100 + kQueuedPktOverhead);
	Fixture *f = fixture_create(t, parms);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	for (uint16_t i = 0; i < 5; i++)
		CX_EXPECT_EQ(t, neigh_event_send(entry, make_pkt(i)), 1);
	NeighInfo info = neigh_snapshot(entry);
	CX_EXPECT_EQ(t, info.queue_len, 3u);
	CX_EXPECT_EQ(t, info.queue_bytes, 3 * (100 + kQueuedPktOverhead));
	CX_EXPECT_EQ(t, neigh_stats(&f->table).unres_discards, 2u);
	/* a bigger packet pushes out as many old ones as needed */
	CX_EXPECT_EQ(t, neigh_event_send(entry, make_pkt(5, 150)), 1);
	CX_EXPECT_EQ(t, neigh_snapshot(entry).queue_len, 2u);
	CX_EXPECT_EQ(t, neigh_stats(&f->table).unres_discards, 4u);
	/* the newest survive, in order */
	neigh_update(entry, &kMacA, nud::kStale, update_flags::kOverride);
	CX_EXPECT_EQ(t, f->outputs, 2u);
	CX_EXPECT_EQ(t, f->output_tags[0], 4);
	CX_EXPECT_EQ(t, f->output_tags[1], 5);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_queue_packet_bigger_than_bound_alone(cx_test *t)
{
	NeighParms parms;
	parms.unres_qlen_bytes = 500;
	Fixture *f = fixture_create(t, parms);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	/* like Linux: the queue empties, then the packet is queued anyway */
	neigh_event_send(entry, make_pkt(1));
	neigh_event_send(entry, make_pkt(2));
	CX_EXPECT_EQ(t, neigh_snapshot(entry).queue_len, 1u);
	CX_EXPECT_EQ(t, neigh_stats(&f->table).unres_discards, 1u);
	neigh_update(entry, &kMacA, nud::kReachable, update_flags::kOverride);
	CX_EXPECT_EQ(t, f->outputs, 1u);
	CX_EXPECT_EQ(t, f->output_tags[0], 2);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_queue_failed_reports_every_packet(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	for (uint16_t i = 0; i < 4; i++)
		neigh_event_send(entry, make_pkt(static_cast<uint16_t>(100 + i)));
	vclock_advance(&f->clock, 3 * kSec);
	CX_EXPECT_EQ(t, state_of(entry), nud::kFailed);
	CX_EXPECT_EQ(t, f->errors, 4u);
	for (uint16_t i = 0; i < 4; i++)
		CX_EXPECT_EQ(t, f->error_tags[i], 100 + i);
	NeighStats stats = neigh_stats(&f->table);
	CX_EXPECT_EQ(t, stats.unres_failed, 4u);
	CX_EXPECT_EQ(t, stats.res_failed, 1u);
	CX_EXPECT_EQ(t, f->outputs, 0u);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_queue_probe_source_is_newest_packet(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	neigh_event_send(entry, make_pkt(1, 100, 0x0a000063));
	CX_EXPECT_EQ(t, f->last_saddr_hint, 0x0a000063u);
	neigh_event_send(entry, make_pkt(2, 100, 0x0a000064));
	vclock_advance(&f->clock, 1 * kSec);
	CX_EXPECT_EQ(t, f->solicits, 2u);
	CX_EXPECT_EQ(t, f->last_saddr_hint, 0x0a000064u);
	/* no packet (e.g. a route lookup probing): no hint */
	NeighEntry *bare = create(t, f, kPeerAddr + 1);
	neigh_event_send(bare, nullptr);
	CX_EXPECT_EQ(t, f->last_saddr_hint, 0u);
	neigh_release(bare);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_queue_app_solicit_between_unicast_and_broadcast(cx_test *t)
{
	NeighParms parms;
	parms.app_solicit = 2;
	Fixture *f = fixture_create(t, parms);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	/* INCOMPLETE probes start at ucast_solicit: app_solicit first, then broadcast */
	neigh_event_send(entry, nullptr);
	vclock_advance(&f->clock, 1 * kSec);
	CX_EXPECT_EQ(t, f->app_solicits, 2u);
	CX_EXPECT_EQ(t, f->solicits, 0u);
	vclock_advance(&f->clock, 3 * kSec);
	CX_EXPECT_EQ(t, f->solicits, 3u);
	/* mcast 3 + ucast 3 + app 2 probes in all, counted from ucast 3: 5 sent */
	vclock_advance(&f->clock, 1 * kSec);
	CX_EXPECT_EQ(t, state_of(entry), nud::kFailed);
	neigh_release(entry);
	fixture_destroy(t, f);
}

} // namespace cx::test
