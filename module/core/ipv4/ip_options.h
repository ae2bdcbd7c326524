/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv4 header options (RFC 791 section 3.1): validation of received
 * options as Linux's ip_options_compile() does it, and the rewrite that
 * fragmentation applies to the headers after the first fragment
 * (ip_options_fragment()).
 */
#ifndef CXNET_CORE_IPV4_IP_OPTIONS_H
#define CXNET_CORE_IPV4_IP_OPTIONS_H

#include "../types.h"

namespace cx::ipv4 {

namespace ip_option {
constexpr uint8_t kEnd = 0;		/* IPOPT_END */
constexpr uint8_t kNoop = 1;		/* IPOPT_NOOP */
constexpr uint8_t kSecurity = 130;	/* IPOPT_SEC */
constexpr uint8_t kLsrr = 131;		/* IPOPT_LSRR */
constexpr uint8_t kTimestamp = 68;	/* IPOPT_TIMESTAMP */
constexpr uint8_t kCipso = 134;		/* IPOPT_CIPSO */
constexpr uint8_t kRecordRoute = 7;	/* IPOPT_RR */
constexpr uint8_t kStreamId = 136;	/* IPOPT_SID */
constexpr uint8_t kSsrr = 137;		/* IPOPT_SSRR */
constexpr uint8_t kRouterAlert = 148;	/* IPOPT_RA */
/* IPOPT_COPIED(): the option is copied into every fragment */
constexpr bool copied(uint8_t type) { return (type & 0x80) != 0; }
} // namespace ip_option

/* What the options said (offsets from the start of the IP header, 0 = absent). */
struct IpOptionsInfo {
	uint8_t srr;		/* LSRR/SSRR */
	uint8_t rr;		/* record route */
	uint8_t ts;		/* timestamp */
	uint8_t router_alert;
	bool is_strictroute;
};

/*
 * Validate the options of the header at iph (header_len bytes, > 20) as
 * ip_options_compile() does for a received packet. Returns true when they
 * are well formed; otherwise false with *problem_pointer set to the byte
 * offset (from the header start) of the offending byte, the pointer an
 * ICMP parameter problem carries. Bytes after an END option are zeroed
 * (Linux rewrites them to IPOPT_END); *changed says whether that happened
 * (the header checksum then needs recomputing).
 *
 * Record route and timestamp are checked for structure but not filled in
 * (Linux stamps them when forwarding or delivering with a route; cxnet does
 * not implement that yet).
 */
bool ip_options_compile(uint8_t *iph, size_t header_len, IpOptionsInfo *info,
			uint16_t *problem_pointer, bool *changed);

/*
 * ip_options_fragment(): overwrite with NOOP every option whose copied
 * flag is clear, keeping the header length (used for the headers of
 * fragments after the first).
 */
void ip_options_fragment(uint8_t *iph, size_t header_len);

} // namespace cx::ipv4

#endif /* CXNET_CORE_IPV4_IP_OPTIONS_H */
