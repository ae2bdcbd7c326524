// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 output (net/ipv4/ip_output.c): locally generated datagrams get
 * their header, fragmentation to the path MTU and a neighbour; datagrams
 * to ourselves go through a loopback queue; ICMP errors are built by
 * ipv4/icmp and routed back here. Also owns the ICMP limiter and the
 * reassembly table the input path uses.
 */
#include "stack_impl.h"
#include "../checksum.h"
#include "../wire/ipv4.h"

namespace cx::stack {

namespace {

using wire::MacAddress;

void loop_timer_fn(cx_os_timer *timer)
{
	cx_stack *s = reinterpret_cast<OwnedTimer *>(timer)->owner;
	cx_pkt *batch[64];
	for (;;) {
		uint32_t n = 0;
		cx_os_spin_lock_bh(&s->loop_lock);
		while (n < 64 && s->loop_head != s->loop_tail)
			batch[n++] = s->loop_ring[s->loop_head++ % kLoopRing];
		cx_os_spin_unlock_bh(&s->loop_lock);
		if (!n)
			return;
		cx_os_rcu_read_lock();
		for (uint32_t i = 0; i < n; i++) {
			const uint8_t *iph = cx_pkt_data(batch[i]);
			uint32_t dst = wire::Bytes(const_cast<uint8_t *>(iph), 20).be32(16);
			bool bcast = dst == 0xffffffffu || addr_type(s, dst) == RtnType::Broadcast;
			ip_local_deliver(s, batch[i], 0, bcast ? CX_PKT_BROADCAST : CX_PKT_HOST,
					 bcast);
		}
		cx_os_rcu_read_unlock();
	}
}

void frag_timeout(void *ctx, const ipv4::FragKey *key, cx_pkt *head)
{
	(void)key;
	cx_os_rcu_read_lock();
	icmp_send(static_cast<cx_stack *>(ctx), head, ipv4::icmp_type::kTimeExceeded,
		  ipv4::icmp_code::kExcFragTime, 0, -1, false, false);
	cx_os_rcu_read_unlock();
}

/* Resolve nh on link and transmit (ip_finish_output2 / neigh_output). */
void neigh_xmit(cx_stack *s, Link *link, cx_pkt *pkt, uint32_t nh, bool broadcast)
{
	if (broadcast || nh == 0xffffffffu || (link->desc.flags & CX_LINK_F_NOARP)) {
		eth_xmit(s, link, pkt, MacAddress::broadcast());
		return;
	}
	if ((nh & 0xf0000000u) == 0xe0000000u) {
		eth_xmit(s, link, pkt, neigh::arp_multicast_mac(nh));
		return;
	}
	int err = 0;
	neigh::NeighEntry *entry =
		neigh::neigh_create(&s->neigh, link->desc.ifindex, nh, Gfp::Atomic, false, &err);
	if (!entry) {
		link_tx_drop(link, CX_LINK_DROP_NEIGH);
		cx_pkt_free(pkt);
		return;
	}
	neigh::neigh_resolve_output(entry, pkt);
	neigh::neigh_release(entry);
}

/* Build the IPv4 header in front of pkt's data (ip_queue_xmit / __ip_make_skb). */
bool push_header(cx_stack *s, cx_pkt *pkt, const cx_flow *flow, uint32_t saddr, uint32_t daddr)
{
	size_t total = cx_pkt_len(pkt) + wire::Ipv4Packet::kMinHeaderLen;
	uint8_t *p = cx_pkt_push(pkt, wire::Ipv4Packet::kMinHeaderLen);
	if (!p)
		return false;
	wire::Bytes b(p, wire::Ipv4Packet::kMinHeaderLen);
	b.set_u8(0, 0x45);
	b.set_u8(1, flow->tos);
	b.set_be16(2, static_cast<uint16_t>(total));
	b.set_be16(4, next_ip_id(s));
	b.set_be16(6, flow->df ? wire::Ipv4Packet::kFlagDontFragment : 0);
	b.set_u8(8, flow->ttl ? flow->ttl
			      : static_cast<uint8_t>(tunable(s, CX_TUNABLE_IP_DEFAULT_TTL)));
	b.set_u8(9, flow->proto);
	b.set_be16(10, 0);
	b.set_be32(12, saddr);
	b.set_be32(16, daddr);
	b.set_be16(10, internet_checksum(p, wire::Ipv4Packet::kMinHeaderLen));
	return true;
}

} // namespace

void eth_xmit(cx_stack *s, Link *link, cx_pkt *pkt, const MacAddress &mac)
{
	uint8_t *eth = cx_pkt_push(pkt, wire::EthernetFrame::kHeaderLen);
	if (!eth) {
		link_tx_drop(link, CX_LINK_DROP_NOMEM);
		cx_pkt_free(pkt);
		return;
	}
	for (size_t i = 0; i < 6; i++) {
		eth[i] = mac.octets[i];
		eth[6 + i] = link->desc.mac[i];
	}
	eth[12] = wire::ethertype::kIpv4 >> 8;
	eth[13] = wire::ethertype::kIpv4 & 0xff;
	link_xmit(s, link, pkt);
}

uint16_t next_ip_id(cx_stack *s)
{
	return static_cast<uint16_t>(__atomic_fetch_add(&s->ip_id, 1, __ATOMIC_RELAXED));
}

int output_init(cx_stack *s)
{
	static cx_os_lock_class icmp_class, loop_class;
	cx_os_spin_init(&s->icmp_lock, &icmp_class, "cxnet_icmp");
	cx_os_spin_init(&s->loop_lock, &loop_class, "cxnet_loop");
	s->loop_timer.owner = s;
	cx_os_timer_init(&s->loop_timer.timer, loop_timer_fn);
	cx_os_random_bytes(&s->ip_id, sizeof(s->ip_id));
	s->icmp_limiter = ipv4::icmp_rate_limiter_create(Gfp::Kernel);
	if (!s->icmp_limiter)
		return -CX_ENOMEM;
	reasm_config_update(s);
	s->frags = ipv4::frag_table_create(&s->reasm_config, &s->ip_stats, frag_timeout, s,
					   Gfp::Kernel);
	if (!s->frags) {
		ipv4::icmp_rate_limiter_destroy(s->icmp_limiter);
		return -CX_ENOMEM;
	}
	return 0;
}

void reasm_config_update(cx_stack *s)
{
	/* read by the reassembly table on every fragment: word-sized stores */
	__atomic_store_n(&s->reasm_config.high_thresh,
			 static_cast<uint64_t>(tunable(s, CX_TUNABLE_IPFRAG_HIGH_THRESH)),
			 __ATOMIC_RELAXED);
	__atomic_store_n(&s->reasm_config.time_ns,
			 static_cast<uint64_t>(tunable(s, CX_TUNABLE_IPFRAG_TIME)) * 1000000000ull,
			 __ATOMIC_RELAXED);
}

void output_destroy(cx_stack *s)
{
	cx_os_timer_cancel_sync(&s->loop_timer.timer);
	while (s->loop_head != s->loop_tail)
		cx_pkt_free(s->loop_ring[s->loop_head++ % kLoopRing]);
	ipv4::frag_table_destroy(s->frags);
	ipv4::icmp_rate_limiter_destroy(s->icmp_limiter);
}

void loop_enqueue(cx_stack *s, cx_pkt *pkt)
{
	bool queued = false;
	cx_os_spin_lock_bh(&s->loop_lock);
	if (!s->destroying && s->loop_tail - s->loop_head < kLoopRing) {
		s->loop_ring[s->loop_tail++ % kLoopRing] = pkt;
		queued = true;
	}
	cx_os_spin_unlock_bh(&s->loop_lock);
	if (!queued) {
		mib_inc(s, StackMib::OutDiscards);
		cx_pkt_free(pkt);
		return;
	}
	cx_os_timer_arm(&s->loop_timer.timer, 0);
}

int ip_output(cx_stack *s, cx_pkt *pkt, int32_t ifindex, uint32_t nh, uint32_t mtu,
	      bool broadcast)
{
	Link *link = link_find(s, ifindex);
	if (!link) {
		mib_inc(s, StackMib::OutDiscards);
		cx_pkt_free(pkt);
		return -CX_ENETUNREACH;
	}
	if (cx_pkt_len(pkt) <= mtu) {
		neigh_xmit(s, link, pkt, nh, broadcast);
		return 0;
	}
	if (!cx_pkt_csum_resolve(pkt)) {
		link_tx_drop(link, CX_LINK_DROP_NOMEM);
		cx_pkt_free(pkt);
		return -CX_ENOBUFS;
	}
	ipv4::FragmentList frags{};
	unsigned int mtu_out = mtu;
	int err = ipv4::ip_fragment(&s->ip_stats, pkt, mtu, CX_STACK_HEADROOM, &frags, &mtu_out);
	cx_pkt_free(pkt);
	if (err) {
		link_tx_drop(link, err == -CX_EMSGSIZE ? CX_LINK_DROP_FRAG : CX_LINK_DROP_NOMEM);
		return err;
	}
	for (size_t i = 0; i < frags.count; i++) {
		neigh_xmit(s, link, frags.pkts[i], nh, broadcast);
		frags.pkts[i] = nullptr;
	}
	frags.count = 0;
	ipv4::fragment_list_free(&frags);
	return 0;
}

void icmp_send(cx_stack *s, cx_pkt *in, uint8_t type, uint8_t code, uint32_t info,
	       int32_t in_ifindex, bool in_not_host, bool in_bcast_mcast)
{
	(void)in_ifindex;
	if (!cx_pkt_may_pull(in, wire::Ipv4Packet::kMinHeaderLen))
		return;
	wire::Bytes iph(cx_pkt_data(in), wire::Ipv4Packet::kMinHeaderLen);
	uint32_t in_src = iph.be32(12), in_dst = iph.be32(16);
	cx_flow flow{};
	flow.daddr = in_src;
	/* __icmp_send(): our address if the datagram was for us, else the route's */
	flow.saddr = addr_owner(s, in_dst) ? in_dst : 0;
	flow.proto = wire::ip_protocol::kIcmp;
	flow.broadcast_ok = true;
	route::FibResult res;
	cx_route_out out;
	if (route_output(s, &flow, &res, &out)) {
		count(&s->icmp_stats.mib[static_cast<unsigned int>(ipv4::IcmpMib::OutErrors)]);
		return;
	}
	ipv4::IcmpSendContext ctx{};
	ctx.src = out.saddr;
	ctx.route_mtu = out.mtu;
	ctx.ip_id = next_ip_id(s);
	ctx.loopback = out.local;
	ctx.in_not_host = in_not_host;
	ctx.in_bcast_mcast = in_bcast_mcast;
	ctx.headroom = CX_STACK_HEADROOM;
	ctx.now_ns = cx_os_now_ns();
	ipv4::IcmpConfig config = icmp_config(s);
	cx_pkt *msg = nullptr;
	cx_os_spin_lock_bh(&s->icmp_lock);
	ipv4::IcmpSendResult r = ipv4::icmp_build_error(s->icmp_limiter, &s->icmp_stats, &config,
							in, type, code, info, &ctx, &msg);
	cx_os_spin_unlock_bh(&s->icmp_lock);
	if (r != ipv4::IcmpSendResult::Sent)
		return;
	if (out.local)
		loop_enqueue(s, msg);
	else
		ip_output(s, msg, out.oif, res.gateway ? res.gateway : out.daddr, out.mtu, false);
}

} // namespace cx::stack

using namespace cx::stack;

extern "C" {

int cx_stack_send(struct cx_stack *s, struct cx_pkt *pkt, const struct cx_flow *flow)
{
	cx::route::FibResult res;
	cx_route_out out;
	cx_os_rcu_read_lock();
	int err = route_output(s, flow, &res, &out);
	if (err)
		goto drop;
	if (cx_pkt_len(pkt) + cx::wire::Ipv4Packet::kMinHeaderLen > 65535) {
		err = -CX_EMSGSIZE;
		goto drop;
	}
	if (flow->df && cx_pkt_len(pkt) + cx::wire::Ipv4Packet::kMinHeaderLen > out.mtu) {
		err = -CX_EMSGSIZE;
		goto drop;
	}
	if (!push_header(s, pkt, flow, out.saddr, out.daddr)) {
		err = -CX_ENOBUFS;
		goto drop;
	}
	mib_inc(s, StackMib::OutRequests);
	if (out.local) {
		loop_enqueue(s, pkt);
	} else {
		if (out.broadcast) {
			/* broadcasts are looped back to local listeners too (ip_mc_output) */
			cx_pkt *copy = cx_pkt_copy(pkt, CX_STACK_HEADROOM, CX_GFP_ATOMIC);
			if (copy)
				loop_enqueue(s, copy);
		}
		uint32_t nh = out.broadcast ? 0xffffffffu : res.gateway ? res.gateway : out.daddr;
		err = ip_output(s, pkt, out.oif, nh, out.mtu, out.broadcast);
	}
	cx_os_rcu_read_unlock();
	return err;

drop:
	cx_os_rcu_read_unlock();
	mib_inc(s, StackMib::OutDiscards);
	cx_pkt_free(pkt);
	return err;
}

} // extern "C"
