/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv4 receive validation (Linux net/ipv4/ip_input.c: ip_rcv_core(),
 * ip_rcv_options()) and the forwarding TTL step (ip_forward()).
 *
 * The caller keeps ownership of the packet in every case: on a drop it
 * may still quote it in an ICMP error (icmp.h) before freeing it. Both
 * functions may write the header (options after END, the TTL): the caller
 * makes it private first, as ip_rcv_options() and ip_forward() do with
 * skb_cow().
 */
#ifndef CXNET_CORE_IPV4_IP_INPUT_H
#define CXNET_CORE_IPV4_IP_INPUT_H

#include "../types.h"
#include "../os.h"
#include "ip_stats.h"
#include "ip_options.h"

namespace cx::ipv4 {

enum class IpVerdict : uint8_t {
	Accept,
	Drop,
	/* drop and answer ICMP parameter problem (code 0) with icmp_pointer */
	DropParamProblem,
	/* drop and answer ICMP time exceeded (TTL, code 0) */
	DropTimeExceeded,
};

struct IpRcvConfig {
	/* net.ipv4.conf.{all,<dev>}.accept_source_route: off on Linux hosts */
	bool accept_source_route;
};

struct IpRcvResult {
	IpVerdict verdict;
	DropReason reason;	/* NotDropped on Accept */
	uint16_t icmp_pointer;	/* for DropParamProblem */
	uint16_t header_len;	/* on Accept */
	IpOptionsInfo options;	/* on Accept */
};

/*
 * ip_rcv_core() + ip_rcv_options(): pkt's data starts at the IP header.
 * Checks, in Linux's order: at least 20 bytes, version 4 and IHL >= 5
 * (InHdrErrors), IHL*4 present, header checksum (InCsumErrors and
 * InHdrErrors), total length <= frame (InTruncatedPkts) and >= IHL*4
 * (InHdrErrors); trims link padding past the total length; then the
 * options (ip_options_compile: malformed -> InHdrErrors and a parameter
 * problem; source route without accept_source_route -> silent drop).
 * Counts InReceives for every packet and one drop reason per drop.
 */
IpRcvResult ip_rcv_core(IpStats *stats, const IpRcvConfig *config, cx_pkt *pkt);

/*
 * Martian addresses (ip_route_input_slow()): source multicast, limited
 * broadcast or 0.0.0.0 (the last allowed only to 255.255.255.255, DHCP),
 * destination 0.0.0.0. Counts InAddrErrors and IpInaddrErrors on true.
 */
bool ip_rcv_martian(IpStats *stats, uint32_t src, uint32_t dst);

/*
 * ip_forward(): TTL <= 1 -> InHdrErrors, DropTimeExceeded (the caller
 * sends ICMP time exceeded); otherwise ip_decrease_ttl(): TTL - 1 with the
 * checksum updated incrementally (RFC 1624).
 */
IpVerdict ip_forward_ttl(IpStats *stats, cx_pkt *pkt, DropReason *reason);

} // namespace cx::ipv4

#endif /* CXNET_CORE_IPV4_IP_INPUT_H */
