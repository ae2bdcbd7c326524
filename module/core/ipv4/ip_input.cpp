// SPDX-License-Identifier: GPL-2.0
/* IPv4 receive validation (Linux net/ipv4/ip_input.c). */
#include "ip_input.h"
#include "../checksum.h"
#include "../wire/bytes.h"

namespace cx::ipv4 {

namespace {

IpRcvResult drop(IpStats *stats, DropReason reason)
{
	ip_stats_drop(stats, reason);
	IpRcvResult result{};
	result.verdict = IpVerdict::Drop;
	result.reason = reason;
	return result;
}

/* ip_rcv_core()'s inhdr_error label */
IpRcvResult inhdr_error(IpStats *stats)
{
	ip_stats_inc(stats, IpMib::InHdrErrors);
	return drop(stats, DropReason::IpInhdr);
}

} // namespace

IpRcvResult ip_rcv_core(IpStats *stats, const IpRcvConfig *config, cx_pkt *pkt)
{
	ip_stats_inc(stats, IpMib::InReceives);
	if (!cx_pkt_may_pull(pkt, 20))
		return inhdr_error(stats);
	const uint8_t *iph = cx_pkt_data(pkt);
	size_t ihl = iph[0] & 0x0f;
	if (ihl < 5 || (iph[0] >> 4) != 4)
		return inhdr_error(stats);
	size_t header_len = ihl * 4;
	if (!cx_pkt_may_pull(pkt, header_len))
		return inhdr_error(stats);
	iph = cx_pkt_data(pkt);
	/* Linux verifies the checksum before looking at the total length */
	if (csum_fold(csum_partial(iph, header_len, 0)) != 0xffff) {
		ip_stats_inc(stats, IpMib::InCsumErrors);
		ip_stats_inc(stats, IpMib::InHdrErrors);
		return drop(stats, DropReason::IpCsum);
	}
	size_t total_len = wire::load_be16(iph + 2);
	if (cx_pkt_len(pkt) < total_len) {
		ip_stats_inc(stats, IpMib::InTruncatedPkts);
		return drop(stats, DropReason::PktTooSmall);
	}
	if (total_len < header_len)
		return inhdr_error(stats);
	/* pskb_trim_rcsum(): link-layer padding is not part of the datagram */
	if (!cx_pkt_trim(pkt, total_len)) {
		ip_stats_inc(stats, IpMib::InDiscards);
		return drop(stats, DropReason::NoMem);
	}

	IpRcvResult result{};
	result.header_len = static_cast<uint16_t>(header_len);
	if (header_len > 20) {
		/* ip_rcv_options() */
		uint8_t *writable = cx_pkt_data(pkt);
		bool changed = false;
		uint16_t pointer = 0;
		if (!ip_options_compile(writable, header_len, &result.options, &pointer, &changed)) {
			ip_stats_inc(stats, IpMib::InHdrErrors);
			IpRcvResult bad = drop(stats, DropReason::IpOptions);
			bad.verdict = IpVerdict::DropParamProblem;
			bad.icmp_pointer = pointer;
			return bad;
		}
		if (changed) {
			/* ip_options_compile() rewrote bytes after END: ip_send_check() */
			writable[10] = 0;
			writable[11] = 0;
			wire::store_be16(writable + 10, internet_checksum(writable, header_len));
		}
		/* IN_DEV_SOURCE_ROUTE() off: dropped without a counter, as Linux */
		if (result.options.srr && !config->accept_source_route)
			return drop(stats, DropReason::IpSourceRoute);
	}
	result.verdict = IpVerdict::Accept;
	result.reason = DropReason::NotDropped;
	return result;
}

bool ip_rcv_martian(IpStats *stats, uint32_t src, uint32_t dst)
{
	bool src_multicast = (src >> 28) == 0xe;
	bool src_lbcast = src == 0xffffffffu;
	/*
	 * ipv4_is_zeronet() is 0.0.0.0 only since Linux 5.3 (the rest of 0/8 is
	 * ordinary unicast); a zero source is accepted only towards limited
	 * broadcast.
	 */
	bool src_zero = src == 0 && dst != 0xffffffffu;
	bool dst_zero = dst == 0;
	if (!src_multicast && !src_lbcast && !src_zero && !dst_zero)
		return false;
	ip_stats_inc(stats, IpMib::InAddrErrors);
	ip_stats_drop(stats, DropReason::IpInaddrErrors);
	return true;
}

IpVerdict ip_forward_ttl(IpStats *stats, cx_pkt *pkt, DropReason *reason)
{
	uint8_t *iph = cx_pkt_data(pkt);
	if (iph[8] <= 1) {
		/* ip_forward(): too_many_hops */
		ip_stats_inc(stats, IpMib::InHdrErrors);
		ip_stats_drop(stats, DropReason::IpInhdr);
		*reason = DropReason::IpInhdr;
		return IpVerdict::DropTimeExceeded;
	}
	/* ip_decrease_ttl(): the TTL is the high byte of the word at 8 */
	uint16_t old_word = wire::load_be16(iph + 8);
	iph[8]--;
	uint16_t new_word = wire::load_be16(iph + 8);
	wire::store_be16(iph + 10, csum_replace16(wire::load_be16(iph + 10), old_word, new_word));
	*reason = DropReason::NotDropped;
	return IpVerdict::Accept;
}

} // namespace cx::ipv4
