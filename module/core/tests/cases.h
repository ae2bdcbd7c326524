/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every test case of the portable core, listed once: X(suite, name) names
 * the function cx::test::suite_name, defined in the tests/<concern>_test.cpp file
 * of its concern (checksum_test.cpp, wire_ipv4_test.cpp, ...). The list
 * declares them here and builds cx_core_test_cases[] in cases.cpp: a case
 * missing from it is not run, a listed case not defined fails to link.
 * Suite names start with the area (checksum, seq, list, hash, hash_table,
 * wire_*, core_*) so that ctest -R can select them.
 */
#ifndef CXNET_CORE_TESTS_CASES_H
#define CXNET_CORE_TESTS_CASES_H

#include "cx_test.h"
/* Per-area lists, one file each (so areas are added without touching this one). */
#include "cases_route.h"
#include "cases_neigh.h"
#include "cases_ipv4.h"
#include "cases_stack.h"
#include "cases_tcp.h"

#define CX_CORE_TEST_CASES(X) \
	X(core_utility, min_max_swap) \
	X(core_utility, array_size) \
	X(core_utility, container_of) \
	X(core_utility, powers_of_two) \
	X(core_memory, make_constructs_in_zeroed_storage) \
	X(core_memory, make_forwards_value_category) \
	X(core_memory, destroy_null_is_noop) \
	X(core_memory, make_array) \
	X(core_memory, gfp_maps_to_os) \
	X(checksum, rfc1071_example) \
	X(checksum, empty_range) \
	X(checksum, odd_length_pads_with_zero) \
	X(checksum, matches_reference_every_length) \
	X(checksum, continuation_at_every_split) \
	X(checksum, block_add_three_pieces) \
	X(checksum, all_ones_carry) \
	X(checksum, ipv4_header_example) \
	X(checksum, pseudo_header_matches_bytes) \
	X(checksum, rfc1624_example) \
	X(checksum, incremental16_matches_recompute) \
	X(checksum, incremental32_matches_recompute) \
	X(checksum, incremental_chain_stays_exact) \
	X(seq, before_after_basic) \
	X(seq, wrap_around) \
	X(seq, equal_is_neither_before_nor_after) \
	X(seq, half_space_boundary) \
	X(seq, between_inclusive) \
	X(seq, between_across_wrap) \
	X(seq, in_window_half_open) \
	X(seq, max_min_across_wrap) \
	X(list, starts_empty) \
	X(list, push_back_keeps_order) \
	X(list, push_front_reverses_order) \
	X(list, remove_head_middle_tail) \
	X(list, removal_safe_iteration_every_other) \
	X(list, removal_safe_iteration_empties_list) \
	X(list, pop_front_drains_in_order) \
	X(list, move_between_lists) \
	X(list, element_on_two_lists) \
	X(list, clear_unlinks_all) \
	X(hash, jhash_lookup3_vectors) \
	X(hash, jhash_words_match_bytes) \
	X(hash, jhash_seed_changes_hash) \
	X(hash, jhash_every_byte_matters) \
	X(hash, jhash_spreads_sequential_keys) \
	X(hash_table, init_rounds_to_power_of_two) \
	X(hash_table, init_failure_leaves_table_inert) \
	X(hash_table, insert_lookup_remove) \
	X(hash_table, lookup_missing_returns_null) \
	X(hash_table, colliding_hashes_chain) \
	X(hash_table, same_bucket_different_hash) \
	X(hash_table, many_entries) \
	X(hash_table, for_each_may_remove) \
	X(hash_table, clear_releases_every_entry) \
	X(wire_bytes, big_endian_load_store) \
	X(wire_bytes, has_rejects_overflowing_ranges) \
	X(wire_bytes, sub_and_accessors) \
	X(wire_error, names) \
	X(wire_ethernet, truncated) \
	X(wire_ethernet, parse_fields) \
	X(wire_ethernet, build_round_trip) \
	X(wire_ethernet, mac_address_kinds) \
	X(wire_arp, truncated) \
	X(wire_arp, bad_hardware_type) \
	X(wire_arp, bad_protocol_type) \
	X(wire_arp, bad_address_length) \
	X(wire_arp, parse_request) \
	X(wire_arp, build_reply_round_trip) \
	X(wire_ipv4, truncated_header) \
	X(wire_ipv4, bad_version) \
	X(wire_ipv4, bad_ihl) \
	X(wire_ipv4, header_beyond_buffer) \
	X(wire_ipv4, total_len_below_header) \
	X(wire_ipv4, total_len_exceeds_buffer) \
	X(wire_ipv4, every_prefix_rejected) \
	X(wire_ipv4, parse_known_header) \
	X(wire_ipv4, payload_excludes_link_padding) \
	X(wire_ipv4, options) \
	X(wire_ipv4, build_round_trip) \
	X(wire_ipv4, fragment_fields_independent) \
	X(wire_udp, truncated) \
	X(wire_udp, bad_length) \
	X(wire_udp, length_exceeds_buffer) \
	X(wire_udp, parse_frame_layers) \
	X(wire_udp, build_round_trip) \
	X(wire_udp, zero_checksum_sent_as_ffff) \
	X(wire_udp, zero_checksum_means_none) \
	X(tunables, defaults_like_linux) \
	X(tunables, lookup_dot_and_slash_names) \
	X(tunables, range_checked_per_element) \
	X(tunables, local_port_range_cross_checks) \
	X(tunables, unprivileged_port_start_cross_check) \
	X(tunables, fewer_values_update_leading_elements) \
	X(tunables, too_many_or_no_values) \
	X(tunables, ping_group_range_like_linux) \
	CX_CORE_TEST_CASES_ROUTE(X) \
	CX_CORE_TEST_CASES_NEIGH(X) \
	CX_CORE_TEST_CASES_IPV4(X) \
	CX_CORE_TEST_CASES_STACK(X) \
	CX_CORE_TEST_CASES_TCP(X)

namespace cx::test {

#define CX_DECLARE_TEST_CASE(suite, name) void suite##_##name(cx_test *t);
CX_CORE_TEST_CASES(CX_DECLARE_TEST_CASE)
#undef CX_DECLARE_TEST_CASE

} // namespace cx::test

#endif /* CXNET_CORE_TESTS_CASES_H */
