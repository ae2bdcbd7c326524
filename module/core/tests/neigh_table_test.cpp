// SPDX-License-Identifier: GPL-2.0
/* neigh/neigh_table.h: entries, references and lifetime, administration, GC. */
#include "cx_test.h"
#include "cases.h"
#include "neigh_test_support.h"

namespace cx::test {

using namespace cx::neigh;
using namespace cx::test::neigh_support;

namespace {

NeighParms small_gc_parms()
{
	NeighParms parms;
	parms.gc_thresh1 = 4;
	parms.gc_thresh2 = 8;
	parms.gc_thresh3 = 16;
	return parms;
}

/* Create and release: an unreferenced NONE entry in the table. */
void add_unreferenced(cx_test *t, Fixture *f, uint32_t addr)
{
	NeighEntry *entry = create(t, f, addr);
	if (entry)
		neigh_release(entry);
}

} // namespace

void neigh_table_create_lookup_release(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	CX_EXPECT(t, neigh_lookup(&f->table, kIfindex, kPeerAddr) == nullptr);
	NeighEntry *entry = create(t, f, kPeerAddr);
	/* the table's reference and ours */
	CX_EXPECT_EQ(t, neigh_snapshot(entry).refcnt, 2u);
	CX_EXPECT_EQ(t, neigh_snapshot(entry).ifindex, kIfindex);
	CX_EXPECT_EQ(t, neigh_snapshot(entry).addr, kPeerAddr);
	NeighEntry *same = neigh_lookup(&f->table, kIfindex, kPeerAddr);
	CX_EXPECT(t, same == entry);
	/* creating again returns the existing entry */
	NeighEntry *again = create(t, f, kPeerAddr);
	CX_EXPECT(t, again == entry);
	CX_EXPECT_EQ(t, neigh_snapshot(entry).refcnt, 4u);
	/* the key is (ifindex, address) */
	NeighEntry *other_dev = create(t, f, kPeerAddr, kIfindex + 1);
	CX_EXPECT(t, other_dev != entry);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 2u);
	neigh_release(again);
	neigh_release(same);
	neigh_release(other_dev);
	neigh_release(entry);
	NeighStats stats = neigh_stats(&f->table);
	CX_EXPECT_EQ(t, stats.allocs, 2u);
	CX_EXPECT_EQ(t, stats.destroys, 0u);
	CX_EXPECT_EQ(t, stats.lookups, 2u);
	CX_EXPECT_EQ(t, stats.hits, 1u);
	fixture_destroy(t, f);
}

void neigh_table_many_entries_hash(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	for (uint32_t i = 0; i < 300; i++)
		add_unreferenced(t, f, 0x0a010000 + i);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 300u);
	for (uint32_t i = 0; i < 300; i += 37) {
		NeighEntry *entry = neigh_lookup(&f->table, kIfindex, 0x0a010000 + i);
		CX_EXPECT(t, entry != nullptr);
		if (entry) {
			CX_EXPECT_EQ(t, neigh_snapshot(entry).addr, 0x0a010000 + i);
			neigh_release(entry);
		}
	}
	CX_EXPECT_EQ(t, neigh_flush_dev(&f->table, -1), 300u);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 0u);
	CX_EXPECT_EQ(t, neigh_stats(&f->table).destroys, 300u);
	fixture_destroy(t, f);
}

void neigh_table_entry_outlives_removal(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	neigh_update(entry, &kMacA, nud::kReachable, update_flags::kOverride);
	/* device down: out of the table, but our reference keeps it */
	CX_EXPECT_EQ(t, neigh_flush_dev(&f->table, kIfindex), 1u);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 0u);
	NeighInfo info = neigh_snapshot(entry);
	CX_EXPECT(t, info.dead);
	CX_EXPECT_EQ(t, info.refcnt, 1u);
	/* neigh_flush_dev(): a referenced valid entry becomes NOARP, timer gone */
	CX_EXPECT_EQ(t, info.state, nud::kNoarp);
	CX_EXPECT_EQ(t, vclock_armed_count(&f->clock), 1u);	/* the GC timer only */
	/* a dead entry arms nothing and cannot be updated */
	CX_EXPECT_EQ(t, neigh_update(entry, &kMacB, nud::kReachable, update_flags::kOverride),
		     -CX_EPERM);
	CX_EXPECT(t, neigh_lookup(&f->table, kIfindex, kPeerAddr) == nullptr);
	CX_EXPECT_EQ(t, neigh_stats(&f->table).destroys, 0u);
	neigh_release(entry);
	CX_EXPECT_EQ(t, neigh_stats(&f->table).destroys, 1u);
	fixture_destroy(t, f);
}

void neigh_table_dead_entry_drops_packets(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	neigh_flush_dev(&f->table, -1);
	CX_EXPECT_EQ(t, state_of(entry), nud::kNone);
	CX_EXPECT_EQ(t, neigh_resolve_output(entry, make_pkt(1)), 1);
	CX_EXPECT_EQ(t, f->solicits, 0u);
	CX_EXPECT_EQ(t, f->outputs, 0u);
	CX_EXPECT_EQ(t, neigh_stats(&f->table).unres_failed, 1u);
	CX_EXPECT_EQ(t, vclock_armed_count(&f->clock), 1u);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_table_no_timer_after_delete(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	neigh_event_send(entry, make_pkt(9));
	CX_EXPECT_EQ(t, vclock_armed_count(&f->clock), 2u);	/* GC + retransmit */
	CX_EXPECT_EQ(t, neigh_snapshot(entry).refcnt, 3u);	/* table, ours, timer */
	neigh_release(entry);
	/* delete: FAILED (queue reported), timer cancelled with its reference, freed */
	CX_EXPECT_EQ(t, neigh_delete(&f->table, kIfindex, kPeerAddr), 0);
	CX_EXPECT_EQ(t, f->errors, 1u);
	CX_EXPECT_EQ(t, f->error_tags[0], 9);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 0u);
	CX_EXPECT_EQ(t, neigh_stats(&f->table).destroys, 1u);
	CX_EXPECT_EQ(t, vclock_armed_count(&f->clock), 1u);
	vclock_advance(&f->clock, 10 * kSec);
	CX_EXPECT_EQ(t, f->solicits, 1u);
	CX_EXPECT_EQ(t, neigh_delete(&f->table, kIfindex, kPeerAddr), -CX_ENOENT);
	fixture_destroy(t, f);
}

void neigh_table_delete_referenced_stays_failed(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	neigh_update(entry, &kMacA, nud::kReachable, update_flags::kOverride);
	/* neigh_remove_one() only unlinks an entry nobody else holds */
	CX_EXPECT_EQ(t, neigh_delete(&f->table, kIfindex, kPeerAddr), 0);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 1u);
	CX_EXPECT_EQ(t, state_of(entry), nud::kFailed);
	CX_EXPECT_EQ(t, vclock_armed_count(&f->clock), 1u);
	neigh_release(entry);
	/* ... and GC takes it (FAILED, unreferenced) */
	CX_EXPECT_EQ(t, neigh_forced_gc(&f->table), 1u);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 0u);
	fixture_destroy(t, f);
}

void neigh_table_destroy_with_timers_armed(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	for (uint32_t i = 0; i < 5; i++) {
		NeighEntry *entry = create(t, f, kPeerAddr + i);
		neigh_event_send(entry, make_pkt(static_cast<uint16_t>(i)));
		neigh_release(entry);
	}
	CX_EXPECT_EQ(t, vclock_armed_count(&f->clock), 6u);
	/* fixture_destroy checks every timer is gone; the runner checks for leaks */
	fixture_destroy(t, f);
}

void neigh_table_flush_dev_only_that_device(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	add_unreferenced(t, f, kPeerAddr);
	add_unreferenced(t, f, kPeerAddr + 1);
	NeighEntry *other = create(t, f, kPeerAddr, kIfindex + 1);
	CX_EXPECT_EQ(t, neigh_flush_dev(&f->table, kIfindex), 2u);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 1u);
	CX_EXPECT(t, !neigh_snapshot(other).dead);
	neigh_release(other);
	fixture_destroy(t, f);
}

void neigh_table_add_flags(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	CX_EXPECT_EQ(t, neigh_add(&f->table, kIfindex, kPeerAddr, &kMacA, nud::kReachable, 0),
		     -CX_ENOENT);
	CX_EXPECT_EQ(t, neigh_add(&f->table, kIfindex, kPeerAddr, &kMacA, nud::kNone,
				  add_flags::kCreate),
		     -CX_EINVAL);
	CX_EXPECT_EQ(t, neigh_add(&f->table, kIfindex, kPeerAddr, &kMacA, nud::kReachable,
				  add_flags::kCreate),
		     0);
	CX_EXPECT_EQ(t, neigh_add(&f->table, kIfindex, kPeerAddr, &kMacB, nud::kReachable,
				  add_flags::kCreate | add_flags::kExcl),
		     -CX_EEXIST);
	NeighEntry *entry = neigh_lookup(&f->table, kIfindex, kPeerAddr);
	CX_EXPECT(t, entry != nullptr);
	if (entry) {
		/* without NLM_F_REPLACE a different address is not taken */
		CX_EXPECT_EQ(t, neigh_add(&f->table, kIfindex, kPeerAddr, &kMacB, nud::kReachable,
					  add_flags::kCreate),
			     0);
		CX_EXPECT(t, mac_of(entry) == kMacA);
		CX_EXPECT_EQ(t, neigh_add(&f->table, kIfindex, kPeerAddr, &kMacB, nud::kStale,
					  add_flags::kReplace),
			     0);
		CX_EXPECT(t, mac_of(entry) == kMacB);
		CX_EXPECT_EQ(t, state_of(entry), nud::kStale);
		neigh_release(entry);
	}
	fixture_destroy(t, f);
}

namespace {

struct DumpCount {
	unsigned int entries;
	unsigned int reachable;
};

void count_entry(const NeighInfo &info, void *arg)
{
	DumpCount *count = static_cast<DumpCount *>(arg);
	count->entries++;
	if (info.state == nud::kReachable)
		count->reachable++;
}

} // namespace

void neigh_table_for_each_dumps(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	neigh_add(&f->table, kIfindex, kPeerAddr, &kMacA, nud::kReachable, add_flags::kCreate);
	neigh_add(&f->table, kIfindex, kPeerAddr + 1, &kMacB, nud::kStale, add_flags::kCreate);
	add_unreferenced(t, f, kPeerAddr + 2);
	DumpCount count = {};
	neigh_for_each(&f->table, count_entry, &count);
	CX_EXPECT_EQ(t, count.entries, 3u);
	CX_EXPECT_EQ(t, count.reachable, 1u);
	fixture_destroy(t, f);
}

void neigh_table_rand_reach_time_range(cx_test *t)
{
	const uint64_t base = 30 * kSec;
	for (int i = 0; i < 200; i++) {
		uint64_t value = neigh_rand_reach_time_ns(base);
		CX_EXPECT(t, value >= base / 2);
		CX_EXPECT(t, value < base + base / 2);
	}
	CX_EXPECT_EQ(t, neigh_rand_reach_time_ns(0), 0u);
}

void neigh_table_defaults_like_linux(cx_test *t)
{
	NeighParms p;
	CX_EXPECT_EQ(t, p.base_reachable_time_ms, 30000u);
	CX_EXPECT_EQ(t, p.retrans_time_ms, 1000u);
	CX_EXPECT_EQ(t, p.delay_first_probe_time_ms, 5000u);
	CX_EXPECT_EQ(t, p.gc_stale_time_ms, 60000u);
	CX_EXPECT_EQ(t, p.locktime_ms, 1000u);
	CX_EXPECT_EQ(t, p.mcast_solicit, 3u);
	CX_EXPECT_EQ(t, p.ucast_solicit, 3u);
	CX_EXPECT_EQ(t, p.app_solicit, 0u);
	CX_EXPECT_EQ(t, p.unres_qlen_bytes, 212992u);
	CX_EXPECT_EQ(t, p.gc_thresh1, 128u);
	CX_EXPECT_EQ(t, p.gc_thresh2, 512u);
	CX_EXPECT_EQ(t, p.gc_thresh3, 1024u);
}

/* ---- GC ----------------------------------------------------------------------- */

void neigh_table_full_fails_with_enobufs(cx_test *t)
{
	Fixture *f = fixture_create(t, small_gc_parms());
	if (!f)
		return;
	for (uint32_t i = 0; i < 16; i++)
		add_unreferenced(t, f, 0x0a010000 + i);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 16u);
	/* at gc_thresh3 and everything fresher than 5 s: forced GC frees nothing */
	int err = 0;
	NeighEntry *entry =
		neigh_create(&f->table, kIfindex, 0x0a020000, Gfp::Kernel, false, &err);
	CX_EXPECT(t, entry == nullptr);
	CX_EXPECT_EQ(t, err, -CX_ENOBUFS);
	NeighStats stats = neigh_stats(&f->table);
	CX_EXPECT_EQ(t, stats.table_fulls, 1u);
	CX_EXPECT_EQ(t, stats.forced_gc_runs, 1u);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 16u);
	/* PERMANENT (exempt) entries are not limited */
	CX_EXPECT_EQ(t, neigh_add(&f->table, kIfindex, 0x0a030000, &kMacA, nud::kPermanent,
				  add_flags::kCreate),
		     0);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 17u);
	/* 6 s later they are old enough: forced GC brings the table down to gc_thresh2 */
	vclock_advance(&f->clock, 6 * kSec);
	entry = neigh_create(&f->table, kIfindex, 0x0a020000, Gfp::Kernel, false, &err);
	CX_EXPECT(t, entry != nullptr);
	CX_EXPECT_EQ(t, err, 0);
	if (entry)
		neigh_release(entry);
	stats = neigh_stats(&f->table);
	CX_EXPECT_EQ(t, stats.forced_gc_runs, 2u);
	/* 17 GC entries counted with the new one: 17 - gc_thresh2 = 9 collected */
	CX_EXPECT_EQ(t, neigh_count(&f->table), 17u - 9u + 1u);
	NeighEntry *permanent = neigh_lookup(&f->table, kIfindex, 0x0a030000);
	CX_EXPECT(t, permanent != nullptr);
	if (permanent)
		neigh_release(permanent);
	fixture_destroy(t, f);
}

void neigh_table_forced_gc_over_thresh2_after_5s(cx_test *t)
{
	Fixture *f = fixture_create(t, small_gc_parms());
	if (!f)
		return;
	for (uint32_t i = 0; i < 10; i++)
		add_unreferenced(t, f, 0x0a010000 + i);
	/* over gc_thresh2 but the last flush (table creation) is recent: no GC */
	CX_EXPECT_EQ(t, neigh_stats(&f->table).forced_gc_runs, 0u);
	vclock_advance(&f->clock, 6 * kSec);
	add_unreferenced(t, f, 0x0a020000);
	CX_EXPECT_EQ(t, neigh_stats(&f->table).forced_gc_runs, 1u);
	/* gc_entries 11 (with the new one) - gc_thresh2 8 = 3 collected */
	CX_EXPECT_EQ(t, neigh_count(&f->table), 10u - 3u + 1u);
	fixture_destroy(t, f);
}

void neigh_table_gc_spares_referenced_and_busy(cx_test *t)
{
	/* gc_thresh2 0: forced GC may collect everything collectable */
	NeighParms parms = small_gc_parms();
	parms.gc_thresh2 = 0;
	Fixture *f = fixture_create(t, parms);
	if (!f)
		return;
	NeighEntry *held = create(t, f, kPeerAddr);
	NeighEntry *resolving = create(t, f, kPeerAddr + 1);
	neigh_event_send(resolving, nullptr);	/* INCOMPLETE: its timer holds it */
	neigh_release(resolving);
	add_unreferenced(t, f, kPeerAddr + 2);
	vclock_advance(&f->clock, 10 * kMs);
	neigh_update(held, &kMacA, nud::kStale, update_flags::kOverride);
	vclock_advance(&f->clock, 6 * kSec);
	/* the resolving one failed by now (unreferenced FAILED), the NONE one is old */
	CX_EXPECT_EQ(t, neigh_forced_gc(&f->table), 2u);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 1u);
	CX_EXPECT(t, !neigh_snapshot(held).dead);
	neigh_release(held);
	fixture_destroy(t, f);
}

void neigh_table_periodic_gc_collects_stale(cx_test *t)
{
	Fixture *f = fixture_create(t, small_gc_parms());
	if (!f)
		return;
	/* gc_thresh1 (4) entries or more for the periodic GC to work */
	for (uint32_t i = 0; i < 6; i++) {
		NeighEntry *entry = create(t, f, 0x0a010000 + i);
		neigh_update(entry, &kMacA, nud::kStale, update_flags::kOverride);
		neigh_release(entry);
	}
	neigh_add(&f->table, kIfindex, kPeerAddr, &kMacB, nud::kPermanent, add_flags::kCreate);
	NeighEntry *held = create(t, f, kPeerAddr + 1);
	neigh_update(held, &kMacA, nud::kStale, update_flags::kOverride);
	/* the GC timer runs every base_reachable_time/2; gc_stale_time is 60 s */
	vclock_advance(&f->clock, 45 * kSec);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 8u);
	vclock_advance(&f->clock, 30 * kSec);
	CX_EXPECT(t, neigh_stats(&f->table).periodic_gc_runs >= 4u);
	/* the stale unreferenced ones are gone; PERMANENT and referenced stay */
	CX_EXPECT_EQ(t, neigh_count(&f->table), 2u);
	CX_EXPECT(t, !neigh_snapshot(held).dead);
	neigh_release(held);
	fixture_destroy(t, f);
}

void neigh_table_periodic_gc_below_thresh1_keeps_all(cx_test *t)
{
	Fixture *f = fixture_create(t, small_gc_parms());
	if (!f)
		return;
	for (uint32_t i = 0; i < 3; i++) {
		NeighEntry *entry = create(t, f, 0x0a010000 + i);
		neigh_update(entry, &kMacA, nud::kStale, update_flags::kOverride);
		neigh_release(entry);
	}
	vclock_advance(&f->clock, 600 * kSec);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 3u);
	fixture_destroy(t, f);
}

/* The OS timers (not the virtual clock): an armed entry timer is cancelled on destroy. */
void neigh_table_os_timers_cancelled_on_destroy(cx_test *t)
{
	NeighTable *table = make<NeighTable>(Gfp::Kernel);
	CX_EXPECT(t, table != nullptr);
	if (!table)
		return;
	CX_EXPECT_EQ(t, neigh_table_init(table, NeighParms{}, nullptr, nullptr, nullptr), 0);
	int err;
	NeighEntry *entry = neigh_create(table, kIfindex, kPeerAddr, Gfp::Kernel, false, &err);
	CX_EXPECT(t, entry != nullptr);
	if (entry) {
		CX_EXPECT_EQ(t, neigh_event_send(entry, make_pkt(1)), 1);
		CX_EXPECT_EQ(t, neigh_snapshot(entry).state, nud::kIncomplete);
		CX_EXPECT_EQ(t, neigh_snapshot(entry).refcnt, 3u);
		neigh_release(entry);
	}
	neigh_table_destroy(table);
	destroy(table);
}

} // namespace cx::test
