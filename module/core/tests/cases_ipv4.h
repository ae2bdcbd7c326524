/* SPDX-License-Identifier: GPL-2.0 */
/* Test cases of the ipv4 area: X(suite, name) per case, as in cases.h. */
#ifndef CXNET_CORE_TESTS_CASES_IPV4_H
#define CXNET_CORE_TESTS_CASES_IPV4_H

#define CX_CORE_TEST_CASES_IPV4(X) \
	X(ipv4_input, accepts_valid) \
	X(ipv4_input, truncated_header) \
	X(ipv4_input, bad_version) \
	X(ipv4_input, bad_ihl) \
	X(ipv4_input, ihl_beyond_frame) \
	X(ipv4_input, bad_checksum) \
	X(ipv4_input, total_len_exceeds_frame) \
	X(ipv4_input, total_len_below_header) \
	X(ipv4_input, padding_trimmed) \
	X(ipv4_input, options_accepted) \
	X(ipv4_input, options_malformed) \
	X(ipv4_input, source_route) \
	X(ipv4_input, martians) \
	X(ipv4_input, forward_ttl) \
	X(ipv4_reassembly, in_order) \
	X(ipv4_reassembly, reverse_order) \
	X(ipv4_reassembly, random_order) \
	X(ipv4_reassembly, duplicates_ignored) \
	X(ipv4_reassembly, overlap_discards) \
	X(ipv4_reassembly, inconsistent_end) \
	X(ipv4_reassembly, unaligned_middle_rounded) \
	X(ipv4_reassembly, too_large) \
	X(ipv4_reassembly, timeout_icmp_needs_first) \
	X(ipv4_reassembly, memory_cap) \
	X(ipv4_reassembly, max_dist) \
	X(ipv4_reassembly, df_and_ecn) \
	X(ipv4_reassembly, keys_separate) \
	X(ipv4_fragment, round_trip) \
	X(ipv4_fragment, linux_sizes) \
	X(ipv4_fragment, df_refused) \
	X(ipv4_fragment, options_copied) \
	X(ipv4_fragment, of_fragment) \
	X(ipv4_icmp, echo_reply_bytes) \
	X(ipv4_icmp, receive_checks) \
	X(ipv4_icmp, error_quotes) \
	X(ipv4_icmp, never_reply) \
	X(ipv4_icmp, rate_limit_host) \
	X(ipv4_icmp, rate_limit_global) \
	X(ipv4_icmp, errors_rate_limited) \
	X(ipv4_icmp, reassembly_timeout_message)

#endif /* CXNET_CORE_TESTS_CASES_IPV4_H */
