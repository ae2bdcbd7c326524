/* SPDX-License-Identifier: GPL-2.0 */
/* Test cases of the tcp area: X(suite, name) per case, as in cases.h. */
#ifndef CXNET_CORE_TESTS_CASES_TCP_H
#define CXNET_CORE_TESTS_CASES_TCP_H

#define CX_CORE_TEST_CASES_TCP(X) \
	X(wire_tcp, truncated_and_bad_offset) \
	X(wire_tcp, header_fields_and_checksum) \
	X(wire_tcp, options_round_trip) \
	X(wire_tcp, malformed_options) \
	X(tcp_isn, siphash_reference_vector) \
	X(tcp_isn, keyed_per_tuple_and_clocked) \
	X(tcp_rto, rfc6298_samples_and_clamps) \
	X(tcp_rto, backoff_doubles_up_to_max) \
	X(tcp_cong, reno_slow_start_and_avoidance) \
	X(tcp_cong, registry) \
	X(tcp_state, passive_open) \
	X(tcp_state, active_open) \
	X(tcp_state, simultaneous_open) \
	X(tcp_state, syn_sent_rst_and_bad_ack) \
	X(tcp_state, rst_validation_and_challenge_ack) \
	X(tcp_state, syn_in_established_challenged) \
	X(tcp_state, challenge_ack_rate_limited) \
	X(tcp_state, paws_drops_old_timestamp) \
	X(tcp_state, out_of_order_queue) \
	X(tcp_state, passive_close) \
	X(tcp_state, active_close_and_time_wait) \
	X(tcp_state, simultaneous_close) \
	X(tcp_state, rst_in_each_state) \
	X(tcp_state, listener_answers_ack_with_rst) \
	X(tcp_state, closed_port_reset_reply) \
	X(tcp_state, checksum_errors_counted) \
	X(tcp_state, fast_retransmit_on_third_dupack) \
	X(tcp_state, rto_goes_back_n)

#endif /* CXNET_CORE_TESTS_CASES_TCP_H */
