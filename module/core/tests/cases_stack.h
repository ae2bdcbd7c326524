/* SPDX-License-Identifier: GPL-2.0 */
/* Test cases of the stack area: X(suite, name) per case, as in cases.h. */
#ifndef CXNET_CORE_TESTS_CASES_STACK_H
#define CXNET_CORE_TESTS_CASES_STACK_H

#define CX_CORE_TEST_CASES_STACK(X) \
	X(stack, udp_over_arp_between_two_stacks) \
	X(stack, forwarding_and_ttl_expiry) \
	X(stack, address_and_route_errnos) \
	X(stack, echo_reply_and_errors_reach_ping_host)

#endif /* CXNET_CORE_TESTS_CASES_STACK_H */
