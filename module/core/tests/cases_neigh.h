/* SPDX-License-Identifier: GPL-2.0 */
/* Test cases of the neigh area: X(suite, name) per case, as in cases.h. */
#ifndef CXNET_CORE_TESTS_CASES_NEIGH_H
#define CXNET_CORE_TESTS_CASES_NEIGH_H

#define CX_CORE_TEST_CASES_NEIGH(X) \
	X(neigh_table, create_lookup_release) \
	X(neigh_table, many_entries_hash) \
	X(neigh_table, entry_outlives_removal) \
	X(neigh_table, dead_entry_drops_packets) \
	X(neigh_table, no_timer_after_delete) \
	X(neigh_table, delete_referenced_stays_failed) \
	X(neigh_table, destroy_with_timers_armed) \
	X(neigh_table, flush_dev_only_that_device) \
	X(neigh_table, add_flags) \
	X(neigh_table, for_each_dumps) \
	X(neigh_table, rand_reach_time_range) \
	X(neigh_table, defaults_like_linux) \
	X(neigh_table, full_fails_with_enobufs) \
	X(neigh_table, forced_gc_over_thresh2_after_5s) \
	X(neigh_table, gc_spares_referenced_and_busy) \
	X(neigh_table, periodic_gc_collects_stale) \
	X(neigh_table, periodic_gc_below_thresh1_keeps_all) \
	X(neigh_table, os_timers_cancelled_on_destroy) \
	X(neigh_nud, incomplete_to_reachable_on_reply) \
	X(neigh_nud, incomplete_to_failed_after_mcast_solicit) \
	X(neigh_nud, failed_entry_resolves_again_on_use) \
	X(neigh_nud, reachable_to_stale_after_reachable_time) \
	X(neigh_nud, reachable_to_delay_when_used_late) \
	X(neigh_nud, reachable_extended_by_confirm) \
	X(neigh_nud, stale_to_delay_on_use) \
	X(neigh_nud, delay_to_reachable_on_confirm) \
	X(neigh_nud, delay_to_probe_to_failed) \
	X(neigh_nud, probe_to_reachable_on_reply) \
	X(neigh_nud, permanent_untouched) \
	X(neigh_nud, noarp_refuses_protocol_updates) \
	X(neigh_nud, update_override_semantics) \
	X(neigh_nud, admin_failed_reports_queue) \
	X(neigh_nud, state_names) \
	X(neigh_queue, ordered_flush_on_resolution) \
	X(neigh_queue, bounded_oldest_dropped) \
	X(neigh_queue, packet_bigger_than_bound_alone) \
	X(neigh_queue, failed_reports_every_packet) \
	X(neigh_queue, probe_source_is_newest_packet) \
	X(neigh_queue, app_solicit_between_unicast_and_broadcast) \
	X(neigh_arp, request_for_us_answered_and_cached) \
	X(neigh_arp, request_for_other_not_cached) \
	X(neigh_arp, reply_resolves_and_flushes) \
	X(neigh_arp, broadcast_reply_is_stale) \
	X(neigh_arp, unsolicited_reply_needs_arp_accept) \
	X(neigh_arp, gratuitous_updates_existing_only) \
	X(neigh_arp, locktime_keeps_first_reply) \
	X(neigh_arp, probe_answered_not_cached) \
	X(neigh_arp, bad_frames_dropped_and_counted) \
	X(neigh_arp, ignore_modes) \
	X(neigh_arp, solicit_frames) \
	X(neigh_arp, probe_state_sends_unicast) \
	X(neigh_arp, gratuitous_announce_frame) \
	X(neigh_arp, constructor_noarp_kinds) \
	X(neigh_arp, table_full_no_reply)

#endif /* CXNET_CORE_TESTS_CASES_NEIGH_H */
