// SPDX-License-Identifier: GPL-2.0
/* neigh/neigh_table.h: every NUD transition of neigh_timer_handler(), __neigh_event_send(), __neigh_update(). */
#include "cx_test.h"
#include "cases.h"
#include "neigh_test_support.h"

namespace cx::test {

using namespace cx::neigh;
using namespace cx::test::neigh_support;

namespace {

/* An entry made REACHABLE with kMacA (from NONE, as a reply would). */
NeighEntry *reachable_entry(cx_test *t, Fixture *f, uint32_t addr = kPeerAddr)
{
	NeighEntry *entry = create(t, f, addr);
	if (entry)
		CX_EXPECT_EQ(t, neigh_update(entry, &kMacA, nud::kReachable, update_flags::kOverride), 0);
	return entry;
}

/* An entry made STALE with kMacA (as a request for us would). */
NeighEntry *stale_entry(cx_test *t, Fixture *f, uint32_t addr = kPeerAddr)
{
	NeighEntry *entry = create(t, f, addr);
	if (entry)
		CX_EXPECT_EQ(t, neigh_update(entry, &kMacA, nud::kStale, update_flags::kOverride), 0);
	return entry;
}

bool str_equal(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

} // namespace

void neigh_nud_incomplete_to_reachable_on_reply(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	CX_EXPECT_EQ(t, state_of(entry), nud::kNone);
	/* first use: INCOMPLETE, one broadcast probe at once, packet queued */
	CX_EXPECT_EQ(t, neigh_resolve_output(entry, make_pkt(7)), 1);
	CX_EXPECT_EQ(t, state_of(entry), nud::kIncomplete);
	CX_EXPECT_EQ(t, f->solicits, 1u);
	CX_EXPECT_EQ(t, f->unicast_solicits, 0u);
	CX_EXPECT_EQ(t, neigh_snapshot(entry).queue_len, 1u);
	CX_EXPECT_EQ(t, f->outputs, 0u);
	/* the reply */
	CX_EXPECT_EQ(t, neigh_update(entry, &kMacA, nud::kReachable, update_flags::kOverride), 0);
	CX_EXPECT_EQ(t, state_of(entry), nud::kReachable);
	CX_EXPECT(t, mac_of(entry) == kMacA);
	CX_EXPECT_EQ(t, f->outputs, 1u);
	CX_EXPECT_EQ(t, f->output_tags[0], 7);
	CX_EXPECT(t, f->last_output_mac == kMacA);
	CX_EXPECT_EQ(t, neigh_snapshot(entry).queue_len, 0u);
	/* now sent directly */
	CX_EXPECT_EQ(t, neigh_resolve_output(entry, make_pkt(8)), 0);
	CX_EXPECT_EQ(t, f->outputs, 2u);
	CX_EXPECT_EQ(t, f->output_tags[1], 8);
	/* no further probe once resolved */
	vclock_advance(&f->clock, 3 * kSec);
	CX_EXPECT_EQ(t, f->solicits, 1u);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_nud_incomplete_to_failed_after_mcast_solicit(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	CX_EXPECT_EQ(t, neigh_event_send(entry, make_pkt(1)), 1);
	CX_EXPECT_EQ(t, f->solicits, 1u);
	/* mcast_solicit (3) broadcasts, retrans_time (1 s) apart */
	vclock_advance(&f->clock, 999 * kMs);
	CX_EXPECT_EQ(t, f->solicits, 1u);
	vclock_advance(&f->clock, 1 * kMs);
	CX_EXPECT_EQ(t, f->solicits, 2u);
	vclock_advance(&f->clock, 1 * kSec);
	CX_EXPECT_EQ(t, f->solicits, 3u);
	CX_EXPECT_EQ(t, state_of(entry), nud::kIncomplete);
	CX_EXPECT_EQ(t, f->errors, 0u);
	/* a third retrans_time later: FAILED, the queued packet reported */
	vclock_advance(&f->clock, 1 * kSec);
	CX_EXPECT_EQ(t, state_of(entry), nud::kFailed);
	CX_EXPECT_EQ(t, f->solicits, 3u);
	CX_EXPECT_EQ(t, f->unicast_solicits, 0u);
	CX_EXPECT_EQ(t, f->errors, 1u);
	CX_EXPECT_EQ(t, f->error_tags[0], 1);
	NeighStats stats = neigh_stats(&f->table);
	CX_EXPECT_EQ(t, stats.res_failed, 1u);
	CX_EXPECT_EQ(t, stats.unres_failed, 1u);
	CX_EXPECT_EQ(t, neigh_snapshot(entry).queue_len, 0u);
	/* FAILED arms no timer: nothing more happens */
	vclock_advance(&f->clock, 10 * kSec);
	CX_EXPECT_EQ(t, f->solicits, 3u);
	CX_EXPECT_EQ(t, neigh_snapshot(entry).refcnt, 2u);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_nud_failed_entry_resolves_again_on_use(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	neigh_event_send(entry, nullptr);
	vclock_advance(&f->clock, 3 * kSec);
	CX_EXPECT_EQ(t, state_of(entry), nud::kFailed);
	CX_EXPECT_EQ(t, f->solicits, 3u);
	/* __neigh_event_send(): FAILED is not final, the next use restarts */
	CX_EXPECT_EQ(t, neigh_event_send(entry, make_pkt(2)), 1);
	CX_EXPECT_EQ(t, state_of(entry), nud::kIncomplete);
	CX_EXPECT_EQ(t, f->solicits, 4u);
	CX_EXPECT_EQ(t, neigh_update(entry, &kMacB, nud::kReachable, update_flags::kOverride), 0);
	CX_EXPECT_EQ(t, f->outputs, 1u);
	CX_EXPECT(t, f->last_output_mac == kMacB);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_nud_reachable_to_stale_after_reachable_time(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	uint64_t reachable = neigh_reachable_time_ns(&f->table);
	/* randomised in [base/2, 3*base/2) */
	CX_EXPECT(t, reachable >= 15 * kSec && reachable < 45 * kSec);
	NeighEntry *entry = reachable_entry(t, f);
	unsigned int notifies = f->notifies;
	/* not used since: STALE right at confirmed + reachable_time */
	vclock_advance(&f->clock, reachable - 1);
	CX_EXPECT_EQ(t, state_of(entry), nud::kReachable);
	vclock_advance(&f->clock, 1);
	/* the timer fires at the deadline; STALE needs now > confirmed + reachable */
	vclock_advance(&f->clock, 10 * kMs);
	CX_EXPECT_EQ(t, state_of(entry), nud::kStale);
	CX_EXPECT(t, f->notifies > notifies);
	CX_EXPECT(t, mac_of(entry) == kMacA);
	/* STALE has no timer: it stays STALE */
	vclock_advance(&f->clock, 10 * kSec);
	CX_EXPECT_EQ(t, state_of(entry), nud::kStale);
	CX_EXPECT_EQ(t, f->solicits + f->unicast_solicits, 0u);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_nud_reachable_to_delay_when_used_late(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	uint64_t reachable = neigh_reachable_time_ns(&f->table);
	NeighEntry *entry = reachable_entry(t, f);
	/* used 1 s before the reachable time runs out */
	vclock_advance(&f->clock, reachable - 1 * kSec);
	CX_EXPECT_EQ(t, neigh_event_send(entry, nullptr), 0);
	vclock_advance(&f->clock, 2 * kSec);
	/* used within delay_first_probe_time: DELAY, not STALE */
	CX_EXPECT_EQ(t, state_of(entry), nud::kDelay);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_nud_reachable_extended_by_confirm(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	uint64_t reachable = neigh_reachable_time_ns(&f->table);
	NeighEntry *entry = reachable_entry(t, f);
	vclock_advance(&f->clock, reachable / 2);
	neigh_confirm(entry);
	/* at the original deadline the timer re-arms for confirmed + reachable_time */
	vclock_advance(&f->clock, reachable / 2 + 10 * kMs);
	CX_EXPECT_EQ(t, state_of(entry), nud::kReachable);
	vclock_advance(&f->clock, reachable / 2 + 10 * kMs);
	CX_EXPECT_EQ(t, state_of(entry), nud::kStale);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_nud_stale_to_delay_on_use(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = stale_entry(t, f);
	CX_EXPECT_EQ(t, state_of(entry), nud::kStale);
	/* a STALE entry is usable at once: the packet goes out, the entry moves to DELAY */
	CX_EXPECT_EQ(t, neigh_resolve_output(entry, make_pkt(3)), 0);
	CX_EXPECT_EQ(t, f->outputs, 1u);
	CX_EXPECT(t, f->last_output_mac == kMacA);
	CX_EXPECT_EQ(t, state_of(entry), nud::kDelay);
	CX_EXPECT_EQ(t, f->solicits + f->unicast_solicits, 0u);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_nud_delay_to_reachable_on_confirm(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = stale_entry(t, f);
	neigh_event_send(entry, nullptr);
	CX_EXPECT_EQ(t, state_of(entry), nud::kDelay);
	vclock_advance(&f->clock, 2 * kSec);
	neigh_confirm(entry);	/* e.g. a TCP ACK */
	vclock_advance(&f->clock, 3 * kSec);
	/* delay_first_probe_time after entering DELAY: confirmed meanwhile, REACHABLE */
	CX_EXPECT_EQ(t, state_of(entry), nud::kReachable);
	CX_EXPECT_EQ(t, f->solicits + f->unicast_solicits, 0u);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_nud_delay_to_probe_to_failed(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = stale_entry(t, f);
	neigh_event_send(entry, nullptr);
	CX_EXPECT_EQ(t, state_of(entry), nud::kDelay);
	vclock_advance(&f->clock, 5 * kSec - 1);
	CX_EXPECT_EQ(t, state_of(entry), nud::kDelay);
	vclock_advance(&f->clock, 1);
	/* no confirmation: PROBE, ucast_solicit unicast probes to the cached address */
	CX_EXPECT_EQ(t, state_of(entry), nud::kProbe);
	CX_EXPECT_EQ(t, f->unicast_solicits, 1u);
	CX_EXPECT(t, f->last_solicit_mac == kMacA);
	/* PROBE is still usable: packets go out directly */
	CX_EXPECT_EQ(t, neigh_resolve_output(entry, make_pkt(4)), 0);
	CX_EXPECT_EQ(t, f->outputs, 1u);
	vclock_advance(&f->clock, 1 * kSec);
	CX_EXPECT_EQ(t, f->unicast_solicits, 2u);
	vclock_advance(&f->clock, 1 * kSec);
	CX_EXPECT_EQ(t, f->unicast_solicits, 3u);
	CX_EXPECT_EQ(t, state_of(entry), nud::kProbe);
	vclock_advance(&f->clock, 1 * kSec);
	CX_EXPECT_EQ(t, state_of(entry), nud::kFailed);
	CX_EXPECT_EQ(t, f->unicast_solicits, 3u);
	CX_EXPECT_EQ(t, f->solicits, 0u);	/* mcast_resolicit 0: no broadcast */
	CX_EXPECT_EQ(t, neigh_stats(&f->table).res_failed, 1u);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_nud_probe_to_reachable_on_reply(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = stale_entry(t, f);
	neigh_event_send(entry, nullptr);
	vclock_advance(&f->clock, 5 * kSec);
	CX_EXPECT_EQ(t, state_of(entry), nud::kProbe);
	CX_EXPECT_EQ(t, neigh_update(entry, &kMacA, nud::kReachable, 0), 0);
	CX_EXPECT_EQ(t, state_of(entry), nud::kReachable);
	vclock_advance(&f->clock, 3 * kSec);
	CX_EXPECT_EQ(t, f->unicast_solicits, 1u);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_nud_permanent_untouched(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	CX_EXPECT_EQ(t, neigh_add(&f->table, kIfindex, kPeerAddr, &kMacA, nud::kPermanent,
				  add_flags::kCreate),
		     0);
	NeighEntry *entry = neigh_lookup(&f->table, kIfindex, kPeerAddr);
	CX_EXPECT(t, entry != nullptr);
	if (!entry) {
		fixture_destroy(t, f);
		return;
	}
	CX_EXPECT_EQ(t, state_of(entry), nud::kPermanent);
	/* ARP (no admin flag) may not touch it */
	CX_EXPECT_EQ(t, neigh_update(entry, &kMacB, nud::kReachable, update_flags::kOverride),
		     -CX_EPERM);
	CX_EXPECT_EQ(t, neigh_update(entry, nullptr, nud::kFailed, 0), -CX_EPERM);
	CX_EXPECT_EQ(t, neigh_resolve_output(entry, make_pkt(5)), 0);
	CX_EXPECT(t, f->last_output_mac == kMacA);
	vclock_advance(&f->clock, 3600 * kSec);
	neigh_periodic_gc(&f->table);
	neigh_forced_gc(&f->table);
	CX_EXPECT_EQ(t, state_of(entry), nud::kPermanent);
	CX_EXPECT(t, mac_of(entry) == kMacA);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 1u);
	CX_EXPECT_EQ(t, f->solicits + f->unicast_solicits, 0u);
	/* an administrator may */
	CX_EXPECT_EQ(t, neigh_add(&f->table, kIfindex, kPeerAddr, &kMacB, nud::kPermanent,
				  add_flags::kReplace),
		     0);
	CX_EXPECT(t, mac_of(entry) == kMacB);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_nud_noarp_refuses_protocol_updates(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	CX_EXPECT_EQ(t, neigh_add(&f->table, kIfindex, kPeerAddr, &kMacA, nud::kNoarp,
				  add_flags::kCreate),
		     0);
	NeighEntry *entry = neigh_lookup(&f->table, kIfindex, kPeerAddr);
	if (!entry) {
		CX_EXPECT(t, entry != nullptr);
		fixture_destroy(t, f);
		return;
	}
	CX_EXPECT_EQ(t, neigh_update(entry, &kMacB, nud::kStale, update_flags::kOverride), -CX_EPERM);
	CX_EXPECT_EQ(t, neigh_event_send(entry, nullptr), 0);
	CX_EXPECT_EQ(t, state_of(entry), nud::kNoarp);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_nud_update_override_semantics(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = reachable_entry(t, f);
	/* a different address without override: ignored */
	CX_EXPECT_EQ(t, neigh_update(entry, &kMacB, nud::kReachable, 0), 0);
	CX_EXPECT(t, mac_of(entry) == kMacA);
	CX_EXPECT_EQ(t, state_of(entry), nud::kReachable);
	/* weak override on a connected entry: STALE, address kept */
	CX_EXPECT_EQ(t, neigh_update(entry, &kMacB, nud::kReachable, update_flags::kWeakOverride), 0);
	CX_EXPECT(t, mac_of(entry) == kMacA);
	CX_EXPECT_EQ(t, state_of(entry), nud::kStale);
	/* override: new address */
	CX_EXPECT_EQ(t, neigh_update(entry, &kMacB, nud::kReachable, update_flags::kOverride), 0);
	CX_EXPECT(t, mac_of(entry) == kMacB);
	CX_EXPECT_EQ(t, state_of(entry), nud::kReachable);
	/* same address reported STALE (a request): stays REACHABLE */
	CX_EXPECT_EQ(t, neigh_update(entry, &kMacB, nud::kStale, update_flags::kOverride), 0);
	CX_EXPECT_EQ(t, state_of(entry), nud::kReachable);
	/* ... unless an administrator says so */
	CX_EXPECT_EQ(t, neigh_update(entry, &kMacB, nud::kStale,
				     update_flags::kOverride | update_flags::kAdmin),
		     0);
	CX_EXPECT_EQ(t, state_of(entry), nud::kStale);
	/* no address for an entry that never had one */
	NeighEntry *fresh = create(t, f, kPeerAddr + 1);
	CX_EXPECT_EQ(t, neigh_update(fresh, nullptr, nud::kReachable, update_flags::kOverride),
		     -CX_EINVAL);
	CX_EXPECT_EQ(t, state_of(fresh), nud::kNone);
	neigh_release(fresh);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_nud_admin_failed_reports_queue(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	neigh_event_send(entry, make_pkt(11));
	neigh_event_send(entry, make_pkt(12));
	CX_EXPECT_EQ(t, neigh_update(entry, nullptr, nud::kFailed,
				     update_flags::kOverride | update_flags::kAdmin),
		     0);
	CX_EXPECT_EQ(t, state_of(entry), nud::kFailed);
	CX_EXPECT_EQ(t, f->errors, 2u);
	CX_EXPECT_EQ(t, f->error_tags[0], 11);
	CX_EXPECT_EQ(t, f->error_tags[1], 12);
	/* the INCOMPLETE timer was cancelled with its reference */
	CX_EXPECT_EQ(t, neigh_snapshot(entry).refcnt, 2u);
	vclock_advance(&f->clock, 5 * kSec);
	CX_EXPECT_EQ(t, f->solicits, 1u);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_nud_state_names(cx_test *t)
{
	CX_EXPECT(t, str_equal(nud_state_name(nud::kReachable), "REACHABLE"));
	CX_EXPECT(t, str_equal(nud_state_name(nud::kNone), "NONE"));
	CX_EXPECT(t, str_equal(nud_state_name(nud::kPermanent), "PERMANENT"));
	CX_EXPECT(t, str_equal(nud_state_name(nud::kStale | nud::kDelay), "?"));
	/* Linux's bit values (uapi) */
	CX_EXPECT_EQ(t, nud::kInTimer, 0x1b);
	CX_EXPECT_EQ(t, nud::kValid, 0xde);
	CX_EXPECT_EQ(t, nud::kConnected, 0xc2);
}

} // namespace cx::test
