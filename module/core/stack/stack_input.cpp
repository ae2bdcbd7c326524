// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: Ethernet demux to ARP and IPv4, then Linux's ip_rcv ->
 * ip_route_input_noref (martians, rp_filter, FIB) -> ip_local_deliver
 * (reassembly, ICMP, UDP) or ip_forward. Every drop is counted on the
 * link by reason (and in the Ip/IpDrop counters by the ipv4 library).
 */
#include "stack_impl.h"
#include "../checksum.h"
#include "../wire/ipv4.h"
#include "../wire/udp.h"
#include "../ipv4/ip_input.h"

namespace cx::stack {

namespace {

using route::FibFlow;
using route::FibResult;
using wire::Bytes;

constexpr int32_t kLoopbackIfindex = 1;
constexpr uint32_t kDefragLocalDeliver = 0;	/* IP_DEFRAG_LOCAL_DELIVER */
constexpr uint8_t kIcmpPktFiltered = 13;	/* ICMP_PKT_FILTERED */
constexpr uint8_t kIcmpExtEcho = 42;		/* ICMP_EXT_ECHO (RFC 8335) */

/* icmp_err_convert[] (net/ipv4/icmp.c) and the other error types. */
int icmp_errno(uint8_t type, uint8_t code)
{
	static const int unreach[] = {
		CX_ENETUNREACH, CX_EHOSTUNREACH, CX_ENOPROTOOPT, CX_ECONNREFUSED, CX_EMSGSIZE,
		CX_EOPNOTSUPP,	CX_ENETUNREACH,	 CX_EHOSTDOWN,	 CX_ENONET,	 CX_ENETUNREACH,
		CX_EHOSTUNREACH, CX_ENETUNREACH, CX_EHOSTUNREACH, CX_EHOSTUNREACH, CX_EHOSTUNREACH,
		CX_EHOSTUNREACH,
	};
	switch (type) {
	case ipv4::icmp_type::kDestUnreach:
		return code < sizeof(unreach) / sizeof(unreach[0]) ? unreach[code] : CX_EHOSTUNREACH;
	case ipv4::icmp_type::kParameterProb:
		return CX_EPROTO;
	default:
		return CX_EHOSTUNREACH;
	}
}

void icmp_input(cx_stack *s, cx_pkt *pkt, int32_t ifindex, cx_pkt_type pkt_type, bool bcast)
{
	Bytes iph(cx_pkt_data(pkt), wire::Ipv4Packet::kMinHeaderLen);
	uint32_t src = iph.be32(12), dst = iph.be32(16);
	ipv4::IcmpSendContext ctx{};
	cx_flow flow{};
	flow.daddr = src;
	flow.saddr = addr_owner(s, dst) ? dst : 0;
	flow.proto = wire::ip_protocol::kIcmp;
	route::FibResult res;
	cx_route_out out;
	bool routable = route_output(s, &flow, &res, &out) == 0;
	ctx.src = routable ? out.saddr : dst;
	ctx.route_mtu = routable ? out.mtu : 576;
	ctx.ip_id = next_ip_id(s);
	ctx.loopback = routable && out.local;
	ctx.in_bcast_mcast = bcast;
	ctx.headroom = CX_STACK_HEADROOM;
	ctx.now_ns = cx_os_now_ns();
	ipv4::IcmpConfig config = icmp_config(s);
	cx_os_spin_lock_bh(&s->icmp_lock);
	ipv4::IcmpRcvResult r =
		ipv4::icmp_rcv(s->icmp_limiter, &s->icmp_stats, &config, pkt, bcast, &ctx);
	cx_os_spin_unlock_bh(&s->icmp_lock);
	switch (r.action) {
	case ipv4::IcmpRcvAction::Reply:
		if (!routable) {
			cx_pkt_free(r.reply);
		} else if (out.local) {
			loop_enqueue(s, r.reply);
		} else {
			ip_output(s, r.reply, out.oif, res.gateway ? res.gateway : out.daddr, out.mtu,
				  false);
		}
		break;
	case ipv4::IcmpRcvAction::DeliverError: {
		size_t off = r.inner_offset;
		if (!s->ops->udp_err || !cx_pkt_may_pull(pkt, off + wire::Ipv4Packet::kMinHeaderLen))
			break;
		Bytes inner(cx_pkt_data(pkt) + off, wire::Ipv4Packet::kMinHeaderLen);
		size_t ihl = static_cast<size_t>(inner.u8(0) & 0x0f) * 4;
		cx_icmp_err_info info{};
		info.type = r.type;
		info.code = r.code;
		info.info = r.info;
		info.proto = inner.u8(9);
		info.saddr = inner.be32(12);
		info.daddr = inner.be32(16);
		if (cx_pkt_may_pull(pkt, off + ihl + 4)) {
			Bytes ports(cx_pkt_data(pkt) + off + ihl, 4);
			info.sport = ports.be16(0);
			info.dport = ports.be16(2);
		}
		info.errno_value = icmp_errno(r.type, r.code);
		if (info.proto == wire::ip_protocol::kIcmp) {
			/* ping_err(): only about an echo request, found by its identifier */
			if (!cx_pkt_may_pull(pkt, off + ihl + 8))
				break;
			Bytes echo(cx_pkt_data(pkt) + off + ihl, 8);
			if ((echo.u8(0) != ipv4::icmp_type::kEcho && echo.u8(0) != kIcmpExtEcho) ||
			    echo.u8(1) != 0)
				break;
			info.sport = echo.be16(4);
			info.dport = 0;
		} else if (info.proto != wire::ip_protocol::kUdp) {
			break;
		}
		s->ops->udp_err(s->host_ctx, &info);
		break;
	}
	case ipv4::IcmpRcvAction::Consumed: {
		/* ping_rcv(): an echo reply goes to the ping socket of its identifier */
		if (r.type != ipv4::icmp_type::kEchoReply || !s->ops->icmp_echo_reply)
			break;
		/* icmp_rcv() made the whole message linear */
		uint8_t *p = cx_pkt_data(pkt);
		size_t ihl = static_cast<size_t>(p[0] & 0x0f) * 4;
		cx_udp_rx_info info{};
		info.saddr = src;
		info.daddr = dst;
		info.sport = Bytes(p + ihl, 8).be16(4);
		info.ifindex = ifindex;
		info.pkt_type = pkt_type;
		cx_pkt_pull(pkt, ihl);
		if (s->ops->icmp_echo_reply(s->host_ctx, pkt, &info))
			return;
		break;
	}
	default:
		break;
	}
	cx_pkt_free(pkt);
}

void udp_input(cx_stack *s, cx_pkt *pkt, size_t hlen, int32_t ifindex, cx_pkt_type pkt_type,
	       bool bcast)
{
	size_t len = cx_pkt_len(pkt);
	if (len < hlen + wire::UdpPacket::kHeaderLen || !cx_pkt_may_pull(pkt, hlen + 8)) {
		cx_stack_udp_count(s, CX_UDP_IN_ERRORS);
		cx_pkt_free(pkt);
		return;
	}
	Bytes iph(cx_pkt_data(pkt), hlen + 8);
	uint32_t src = iph.be32(12), dst = iph.be32(16);
	uint16_t ulen = iph.be16(hlen + 4);
	uint16_t csum = iph.be16(hlen + 6);
	/* __udp4_lib_rcv(): the UDP length must fit the datagram; trim what follows */
	if (ulen < wire::UdpPacket::kHeaderLen || ulen > len - hlen || !cx_pkt_trim(pkt, hlen + ulen)) {
		cx_stack_udp_count(s, CX_UDP_IN_ERRORS);
		cx_pkt_free(pkt);
		return;
	}
	if (csum && !cx_pkt_csum_unnecessary(pkt)) {
		if (!cx_pkt_may_pull(pkt, hlen + ulen)) {
			cx_stack_udp_count(s, CX_UDP_IN_ERRORS);
			cx_pkt_free(pkt);
			return;
		}
		wire::UdpPacket udp = wire::UdpPacket::new_unchecked(Bytes(cx_pkt_data(pkt) + hlen, ulen));
		if (!udp.verify_checksum_ipv4(src, dst)) {
			cx_stack_udp_count(s, CX_UDP_IN_CSUM_ERRORS);
			cx_stack_udp_count(s, CX_UDP_IN_ERRORS);
			cx_pkt_free(pkt);
			return;
		}
	}
	cx_udp_rx_info info{};
	info.saddr = src;
	info.daddr = dst;
	info.sport = iph.be16(hlen);
	info.dport = iph.be16(hlen + 2);
	info.ifindex = ifindex;
	info.pkt_type = bcast && pkt_type == CX_PKT_HOST ? CX_PKT_BROADCAST : pkt_type;
	cx_pkt_pull(pkt, hlen);
	if (s->ops->udp_rcv && s->ops->udp_rcv(s->host_ctx, pkt, &info))
		return;
	cx_stack_udp_count(s, CX_UDP_NO_PORTS);
	/* no socket: port unreachable, never for broadcasts (__udp4_lib_rcv) */
	cx_pkt_push(pkt, hlen);
	if (!bcast)
		icmp_send(s, pkt, ipv4::icmp_type::kDestUnreach, ipv4::icmp_code::kPortUnreach, 0,
			  ifindex, pkt_type != CX_PKT_HOST, bcast);
	cx_pkt_free(pkt);
}

/* fib_validate_source(): rp_filter and our own addresses as sources. */
bool source_valid(cx_stack *s, Link *link, uint32_t src, uint32_t dst, uint8_t tos)
{
	int64_t rpf = tunable(s, CX_TUNABLE_CONF_ALL_RP_FILTER);
	int64_t dev = tunable(s, CX_TUNABLE_CONF_DEFAULT_RP_FILTER);
	if (dev > rpf)
		rpf = dev;
	if (!rpf)
		return !addr_owner(s, src);
	FibFlow f{};
	f.dst = src;
	f.src = dst;
	f.iif = kLoopbackIfindex;
	f.tos = tos;
	FibResult res;
	if (s->fib.lookup(f, &res) || res.type != RtnType::Unicast)
		return false;
	if (rpf == 1 && res.oif != link->desc.ifindex)
		return false;
	return true;
}

void forward(cx_stack *s, Link *in, cx_pkt *pkt, const FibResult &res, cx_pkt_type pkt_type)
{
	if (pkt_type != CX_PKT_HOST) {
		link_drop(in, CX_LINK_DROP_OTHERHOST);
		cx_pkt_free(pkt);
		return;
	}
	Bytes iph(cx_pkt_data(pkt), wire::Ipv4Packet::kMinHeaderLen);
	size_t hlen = static_cast<size_t>(iph.u8(0) & 0x0f) * 4;
	if (!cx_pkt_make_writable(pkt, hlen)) {
		link_drop(in, CX_LINK_DROP_NOMEM);
		cx_pkt_free(pkt);
		return;
	}
	ipv4::DropReason reason;
	if (ipv4::ip_forward_ttl(&s->ip_stats, pkt, &reason) != ipv4::IpVerdict::Accept) {
		icmp_send(s, pkt, ipv4::icmp_type::kTimeExceeded, ipv4::icmp_code::kExcTtl, 0,
			  in->desc.ifindex, false, false);
		link_drop(in, CX_LINK_DROP_TTL);
		cx_pkt_free(pkt);
		return;
	}
	Link *out = link_find(s, res.oif);
	if (!out) {
		link_drop(in, CX_LINK_DROP_NO_ROUTE);
		cx_pkt_free(pkt);
		return;
	}
	uint32_t mtu = __atomic_load_n(&out->desc.mtu, __ATOMIC_RELAXED);
	if (res.mtu && res.mtu < mtu)
		mtu = res.mtu;
	Bytes h(cx_pkt_data(pkt), wire::Ipv4Packet::kMinHeaderLen);
	if (cx_pkt_len(pkt) > mtu && (h.be16(6) & wire::Ipv4Packet::kFlagDontFragment)) {
		/* ip_exceeds_mtu(): fragmentation needed, with the next-hop MTU */
		ipv4::ip_stats_inc(&s->ip_stats, ipv4::IpMib::FragFails);
		icmp_send(s, pkt, ipv4::icmp_type::kDestUnreach, ipv4::icmp_code::kFragNeeded, mtu,
			  in->desc.ifindex, false, false);
		link_drop(in, CX_LINK_DROP_FRAG);
		cx_pkt_free(pkt);
		return;
	}
	mib_inc(s, StackMib::ForwDatagrams);
	uint32_t dst = h.be32(16);
	ip_output(s, pkt, res.oif, res.gateway ? res.gateway : dst, mtu, false);
}

/* ip_error(): a datagram we cannot route. */
void no_route(cx_stack *s, Link *link, cx_pkt *pkt, int err, cx_pkt_type pkt_type)
{
	if (!tunable(s, CX_TUNABLE_IP_FORWARD)) {
		mib_inc(s, StackMib::InNoRoutes);
	} else if (err == -CX_ENETUNREACH || err == -CX_EHOSTUNREACH || err == -CX_EACCES) {
		uint8_t code = err == -CX_ENETUNREACH	? ipv4::icmp_code::kNetUnreach :
			       err == -CX_EHOSTUNREACH ? ipv4::icmp_code::kHostUnreach :
							  kIcmpPktFiltered;
		if (err == -CX_ENETUNREACH)
			mib_inc(s, StackMib::InNoRoutes);
		icmp_send(s, pkt, ipv4::icmp_type::kDestUnreach, code, 0, link->desc.ifindex,
			  pkt_type != CX_PKT_HOST, false);
	}
	link_drop(link, CX_LINK_DROP_NO_ROUTE);
	cx_pkt_free(pkt);
}

void ip_input(cx_stack *s, Link *link, cx_pkt *pkt, cx_pkt_type pkt_type)
{
	if (pkt_type == CX_PKT_OTHERHOST) {
		link_drop(link, CX_LINK_DROP_OTHERHOST);
		cx_pkt_free(pkt);
		return;
	}
	size_t head = cx_pkt_len(pkt) < wire::Ipv4Packet::kMaxHeaderLen ? cx_pkt_len(pkt)
									  : wire::Ipv4Packet::kMaxHeaderLen;
	if (!cx_pkt_make_writable(pkt, head)) {
		link_drop(link, CX_LINK_DROP_NOMEM);
		cx_pkt_free(pkt);
		return;
	}
	ipv4::IpRcvConfig config{};
	config.accept_source_route = tunable(s, CX_TUNABLE_CONF_ALL_ACCEPT_SOURCE_ROUTE);
	ipv4::IpRcvResult rcv = ipv4::ip_rcv_core(&s->ip_stats, &config, pkt);
	if (rcv.verdict != ipv4::IpVerdict::Accept) {
		if (rcv.verdict == ipv4::IpVerdict::DropParamProblem)
			icmp_send(s, pkt, ipv4::icmp_type::kParameterProb, 0,
				  static_cast<uint32_t>(rcv.icmp_pointer) << 24, link->desc.ifindex,
				  pkt_type != CX_PKT_HOST, false);
		count(&link->stats.rx_errors);
		link_drop(link, CX_LINK_DROP_IP_HEADER);
		cx_pkt_free(pkt);
		return;
	}
	Bytes iph(cx_pkt_data(pkt), rcv.header_len);
	uint32_t src = iph.be32(12), dst = iph.be32(16);
	uint8_t tos = iph.u8(1), proto = iph.u8(9);
	if (ipv4::ip_rcv_martian(&s->ip_stats, src, dst)) {
		link_drop(link, CX_LINK_DROP_MARTIAN);
		cx_pkt_free(pkt);
		return;
	}
	/* ip_route_input_slow(): limited broadcast goes up without a lookup */
	if (dst == 0xffffffffu) {
		if (!source_valid(s, link, src, dst, tos) && src) {
			link_drop(link, CX_LINK_DROP_MARTIAN);
			cx_pkt_free(pkt);
			return;
		}
		mib_inc(s, StackMib::InBcastPkts);
		ip_local_deliver(s, pkt, link->desc.ifindex, pkt_type, true);
		return;
	}
	if ((dst & 0xf0000000u) == 0xe0000000u) {
		/* no multicast routing or group membership yet */
		link_drop(link, CX_LINK_DROP_NO_ROUTE);
		cx_pkt_free(pkt);
		return;
	}
	FibFlow f{};
	f.dst = dst;
	f.src = src;
	f.iif = link->desc.ifindex;
	f.tos = tos;
	f.proto = proto;
	uint16_t frag = iph.be16(6);
	if ((proto == wire::ip_protocol::kUdp || proto == wire::ip_protocol::kTcp) &&
	    !(frag & (wire::Ipv4Packet::kFlagMoreFragments | wire::Ipv4Packet::kFragOffsetMask)) &&
	    cx_pkt_may_pull(pkt, rcv.header_len + 4)) {
		Bytes ports(cx_pkt_data(pkt) + rcv.header_len, 4);
		f.sport = ports.be16(0);
		f.dport = ports.be16(2);
	}
	FibResult res;
	int err = s->fib.lookup(f, &res);
	if (err) {
		no_route(s, link, pkt, err, pkt_type);
		return;
	}
	if (!source_valid(s, link, src, dst, tos)) {
		ipv4::ip_stats_inc(&s->ip_stats, ipv4::IpMib::InAddrErrors);
		link_drop(link, CX_LINK_DROP_MARTIAN);
		cx_pkt_free(pkt);
		return;
	}
	switch (res.type) {
	case RtnType::Local:
		ip_local_deliver(s, pkt, link->desc.ifindex, pkt_type, false);
		return;
	case RtnType::Broadcast:
		mib_inc(s, StackMib::InBcastPkts);
		ip_local_deliver(s, pkt, link->desc.ifindex, pkt_type, true);
		return;
	case RtnType::Unicast:
		if (!tunable(s, CX_TUNABLE_IP_FORWARD)) {
			ipv4::ip_stats_inc(&s->ip_stats, ipv4::IpMib::InAddrErrors);
			link_drop(link, CX_LINK_DROP_NOT_FORWARDING);
			cx_pkt_free(pkt);
			return;
		}
		forward(s, link, pkt, res, pkt_type);
		return;
	default:
		link_drop(link, CX_LINK_DROP_NO_ROUTE);
		cx_pkt_free(pkt);
		return;
	}
}

} // namespace

ipv4::IcmpConfig icmp_config(const cx_stack *s)
{
	ipv4::IcmpConfig c;
	c.ratelimit_ms = static_cast<uint32_t>(tunable(s, CX_TUNABLE_ICMP_RATELIMIT));
	c.ratemask = static_cast<uint32_t>(tunable(s, CX_TUNABLE_ICMP_RATEMASK));
	c.msgs_per_sec = static_cast<uint32_t>(tunable(s, CX_TUNABLE_ICMP_MSGS_PER_SEC));
	c.msgs_burst = static_cast<uint32_t>(tunable(s, CX_TUNABLE_ICMP_MSGS_BURST));
	c.echo_ignore_all = tunable(s, CX_TUNABLE_ICMP_ECHO_IGNORE_ALL);
	c.echo_ignore_broadcasts = tunable(s, CX_TUNABLE_ICMP_ECHO_IGNORE_BROADCASTS);
	c.ttl = static_cast<uint8_t>(tunable(s, CX_TUNABLE_IP_DEFAULT_TTL));
	return c;
}

void ip_local_deliver(cx_stack *s, cx_pkt *pkt, int32_t ifindex, cx_pkt_type pkt_type,
		      bool bcast)
{
	Bytes iph(cx_pkt_data(pkt), wire::Ipv4Packet::kMinHeaderLen);
	if (iph.be16(6) & (wire::Ipv4Packet::kFlagMoreFragments | wire::Ipv4Packet::kFragOffsetMask)) {
		cx_pkt *whole = nullptr;
		ipv4::DropReason reason;
		switch (ipv4::ip_defrag(s->frags, pkt, kDefragLocalDeliver, 0, &whole, &reason)) {
		case ipv4::DefragResult::Complete:
			pkt = whole;
			break;
		case ipv4::DefragResult::Queued:
			return;
		default:
			if (Link *link = link_find(s, ifindex))
				link_drop(link, CX_LINK_DROP_REASM);
			return;
		}
		iph = Bytes(cx_pkt_data(pkt), wire::Ipv4Packet::kMinHeaderLen);
	}
	size_t hlen = static_cast<size_t>(iph.u8(0) & 0x0f) * 4;
	uint8_t proto = iph.u8(9);
	mib_inc(s, StackMib::InDelivers);
	switch (proto) {
	case wire::ip_protocol::kIcmp:
		icmp_input(s, pkt, ifindex, pkt_type, bcast);
		return;
	case wire::ip_protocol::kUdp:
		udp_input(s, pkt, hlen, ifindex, pkt_type, bcast);
		return;
	case wire::ip_protocol::kTcp:
		if (s->ops->tcp_rcv) {
			/* tcp_v4_rcv(): the host parses, checks and answers closed ports */
			Bytes tiph(cx_pkt_data(pkt), wire::Ipv4Packet::kMinHeaderLen);
			cx_udp_rx_info info{};
			info.saddr = tiph.be32(12);
			info.daddr = tiph.be32(16);
			info.ifindex = ifindex;
			info.pkt_type = bcast && pkt_type == CX_PKT_HOST ? CX_PKT_BROADCAST : pkt_type;
			if (cx_pkt_may_pull(pkt, hlen + 4)) {
				Bytes ports(cx_pkt_data(pkt) + hlen, 4);
				info.sport = ports.be16(0);
				info.dport = ports.be16(2);
			}
			cx_pkt_pull(pkt, hlen);
			if (s->ops->tcp_rcv(s->host_ctx, pkt, &info))
				return;
			cx_pkt_push(pkt, hlen);
		}
		[[fallthrough]];
	default:
		mib_inc(s, StackMib::InUnknownProtos);
		if (!bcast)
			icmp_send(s, pkt, ipv4::icmp_type::kDestUnreach, ipv4::icmp_code::kProtUnreach,
				  0, ifindex, pkt_type != CX_PKT_HOST, bcast);
		if (Link *link = link_find(s, ifindex))
			link_drop(link, CX_LINK_DROP_NO_PROTO);
		cx_pkt_free(pkt);
		return;
	}
}

} // namespace cx::stack

using namespace cx::stack;

extern "C" {

bool cx_stack_rx(struct cx_stack *s, int32_t ifindex, struct cx_pkt *pkt,
		 enum cx_pkt_type pkt_type)
{
	if (!cx_pkt_may_pull(pkt, cx::wire::EthernetFrame::kHeaderLen))
		return false;
	const uint8_t *eth = cx_pkt_data(pkt);
	uint16_t type = static_cast<uint16_t>(eth[12] << 8 | eth[13]);
	if (type != cx::wire::ethertype::kIpv4 && type != cx::wire::ethertype::kArp)
		return false;
	cx_os_rcu_read_lock();
	Link *link = link_find(s, ifindex);
	if (!link) {
		cx_os_rcu_read_unlock();
		return false;
	}
	count(&link->stats.rx_packets);
	count(&link->stats.rx_bytes, cx_pkt_len(pkt));
	if (!(__atomic_load_n(&link->desc.flags, __ATOMIC_RELAXED) & CX_LINK_F_UP)) {
		link_drop(link, CX_LINK_DROP_DOWN);
		cx_pkt_free(pkt);
	} else if (type == cx::wire::ethertype::kArp) {
		arp_input(s, link, pkt);
	} else {
		cx_pkt_pull(pkt, cx::wire::EthernetFrame::kHeaderLen);
		ip_input(s, link, pkt, pkt_type);
	}
	cx_os_rcu_read_unlock();
	return true;
}

} // extern "C"
