/* SPDX-License-Identifier: GPL-2.0 */
/* Test cases of the route area: X(suite, name) per case, as in cases.h. */
#ifndef CXNET_CORE_TESTS_CASES_ROUTE_H
#define CXNET_CORE_TESTS_CASES_ROUTE_H

#define CX_CORE_TEST_CASES_ROUTE(X) \
	X(route_table, add_existing_is_eexist) \
	X(route_table, add_invalid_is_einval) \
	X(route_table, replace_and_change) \
	X(route_table, append_goes_after_run) \
	X(route_table, delete_partial_keys) \
	X(route_table, flush_and_tables) \
	X(route_table, infos_are_shared) \
	X(route_table, journal_undo_and_commit) \
	X(route_lpm, empty_and_default) \
	X(route_lpm, host_routes) \
	X(route_lpm, nested_prefixes) \
	X(route_lpm, every_length) \
	X(route_lpm, stride_boundaries) \
	X(route_lpm, random_matches_linear_scan) \
	X(route_lpm, backtracks_on_tos_and_dead) \
	X(route_lpm, snapshot_survives_updates) \
	X(route_rules, default_rules) \
	X(route_rules, insertion_order_and_default_pref) \
	X(route_rules, add_delete_errnos) \
	X(route_rules, selectors) \
	X(route_rules, mark_default_mask) \
	X(route_fib, route_type_errnos) \
	X(route_fib, rule_order_and_fall_through) \
	X(route_fib, fwmark_and_ports_select_tables) \
	X(route_fib, suppress_prefixlength) \
	X(route_fib, result_fields_and_source_hook) \
	X(route_fib, multipath_upper_bounds) \
	X(route_fib, multipath_weight_distribution) \
	X(route_fib, multipath_hash_policies)

#endif /* CXNET_CORE_TESTS_CASES_ROUTE_H */
