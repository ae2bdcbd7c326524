// SPDX-License-Identifier: GPL-2.0
/* neigh/arp.h: arp_process() on requests, replies, gratuitous ARP, probes, bad frames. */
#include "cx_test.h"
#include "cases.h"
#include "neigh_test_support.h"

namespace cx::test {

using namespace cx::neigh;
using namespace cx::test::neigh_support;
using wire::ArpPacket;
using wire::Bytes;
using wire::EthernetFrame;

namespace {

constexpr uint16_t kRequest = wire::arp_operation::kRequest;
constexpr uint16_t kReply = wire::arp_operation::kReply;
constexpr MacAddress kZeroMac = {};

/* An Ethernet + ARP frame (Ethernet/IPv4) in buf. */
struct Frame {
	uint8_t bytes[kArpFrameLen];
};

void build(Frame *frame, const MacAddress &eth_dst, uint16_t op, const MacAddress &sha,
	   uint32_t sip, const MacAddress &tha, uint32_t tip)
{
	EthernetFrame eth = EthernetFrame::new_unchecked(Bytes(frame->bytes));
	eth.set_dst(eth_dst);
	eth.set_src(sha);
	eth.set_ethertype(wire::ethertype::kArp);
	ArpPacket arp = ArpPacket::new_unchecked(eth.payload());
	arp.init_ethernet_ipv4(op);
	arp.set_sender_hardware_addr(sha);
	arp.set_sender_protocol_addr(sip);
	arp.set_target_hardware_addr(tha);
	arp.set_target_protocol_addr(tip);
}

ArpRx receive(Fixture *f, Frame *frame)
{
	return arp_rcv(&f->arp, f->dev, Bytes(frame->bytes));
}

/* The ARP part of the n-th transmitted frame. */
ArpPacket sent_arp(Fixture *f, unsigned int n)
{
	return ArpPacket::new_unchecked(Bytes(f->frame[n] + EthernetFrame::kHeaderLen, ArpPacket::kLen));
}

EthernetFrame sent_eth(Fixture *f, unsigned int n)
{
	return EthernetFrame::new_unchecked(Bytes(f->frame[n], kArpFrameLen));
}

/* The entry for addr on the test device, or null (released: for state checks only). */
bool lookup_state(Fixture *f, uint32_t addr, uint8_t *state, MacAddress *mac)
{
	NeighEntry *entry = neigh_lookup(&f->table, kIfindex, addr);
	if (!entry)
		return false;
	NeighInfo info = neigh_snapshot(entry);
	*state = info.state;
	*mac = info.ha;
	neigh_release(entry);
	return true;
}

} // namespace

void neigh_arp_request_for_us_answered_and_cached(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	Frame frame;
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, kPeerAddr, kZeroMac, kOurAddr);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	CX_EXPECT_EQ(t, f->frames, 1u);
	EthernetFrame eth = sent_eth(f, 0);
	CX_EXPECT(t, eth.dst() == kMacA);
	CX_EXPECT(t, eth.src() == kOurMac);
	CX_EXPECT_EQ(t, eth.ethertype(), wire::ethertype::kArp);
	ArpPacket reply = sent_arp(f, 0);
	CX_EXPECT_EQ(t, reply.check(), wire::Error::Ok);
	CX_EXPECT_EQ(t, reply.operation(), kReply);
	CX_EXPECT(t, reply.sender_hardware_addr() == kOurMac);
	CX_EXPECT_EQ(t, reply.sender_protocol_addr(), kOurAddr);
	CX_EXPECT(t, reply.target_hardware_addr() == kMacA);
	CX_EXPECT_EQ(t, reply.target_protocol_addr(), kPeerAddr);
	CX_EXPECT_EQ(t, f->frame_ifindex[0], kIfindex);
	/* neigh_event_ns(): the requester cached STALE */
	uint8_t state = 0;
	MacAddress mac = {};
	CX_EXPECT(t, lookup_state(f, kPeerAddr, &state, &mac));
	CX_EXPECT_EQ(t, state, nud::kStale);
	CX_EXPECT(t, mac == kMacA);
	ArpStats stats = arp_stats(&f->arp);
	CX_EXPECT_EQ(t, stats.rx_requests, 1u);
	CX_EXPECT_EQ(t, stats.tx_replies, 1u);
	fixture_destroy(t, f);
}

void neigh_arp_request_for_other_not_cached(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	Frame frame;
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, kPeerAddr, kZeroMac, 0x0a000003);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	CX_EXPECT_EQ(t, f->frames, 0u);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 0u);
	/* but an existing entry for the sender is refreshed (STALE, new address after locktime) */
	NeighEntry *entry = create(t, f, kPeerAddr);
	neigh_update(entry, &kMacB, nud::kReachable, update_flags::kOverride);
	vclock_advance(&f->clock, 2 * kSec);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	CX_EXPECT(t, mac_of(entry) == kMacA);
	CX_EXPECT_EQ(t, state_of(entry), nud::kStale);
	CX_EXPECT_EQ(t, f->frames, 0u);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_arp_reply_resolves_and_flushes(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	f->solicit_via_arp = true;
	NeighEntry *entry = create(t, f, kPeerAddr);
	CX_EXPECT_EQ(t, neigh_resolve_output(entry, make_pkt(42)), 1);
	/* the broadcast request arp_solicit() built */
	CX_EXPECT_EQ(t, f->frames, 1u);
	CX_EXPECT(t, sent_eth(f, 0).dst().is_broadcast());
	ArpPacket request = sent_arp(f, 0);
	CX_EXPECT_EQ(t, request.operation(), kRequest);
	CX_EXPECT_EQ(t, request.target_protocol_addr(), kPeerAddr);
	CX_EXPECT_EQ(t, request.sender_protocol_addr(), kOurAddr);
	CX_EXPECT(t, request.sender_hardware_addr() == kOurMac);
	CX_EXPECT(t, request.target_hardware_addr().is_zero());
	/* unicast reply to us: REACHABLE, the queued packet goes out */
	Frame frame;
	build(&frame, kOurMac, kReply, kMacA, kPeerAddr, kOurMac, kOurAddr);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	CX_EXPECT_EQ(t, state_of(entry), nud::kReachable);
	CX_EXPECT(t, mac_of(entry) == kMacA);
	CX_EXPECT_EQ(t, f->outputs, 1u);
	CX_EXPECT_EQ(t, f->output_tags[0], 42);
	CX_EXPECT(t, f->last_output_mac == kMacA);
	CX_EXPECT_EQ(t, arp_stats(&f->arp).rx_replies, 1u);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_arp_broadcast_reply_is_stale(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	neigh_event_send(entry, make_pkt(1));
	Frame frame;
	build(&frame, MacAddress::broadcast(), kReply, kMacA, kPeerAddr, kOurMac, kOurAddr);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	/* broadcast replies do not prove reachability */
	CX_EXPECT_EQ(t, state_of(entry), nud::kStale);
	CX_EXPECT_EQ(t, f->outputs, 1u);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_arp_unsolicited_reply_needs_arp_accept(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	Frame frame;
	build(&frame, kOurMac, kReply, kMacA, kPeerAddr, kOurMac, kOurAddr);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 0u);
	f->dev.conf.arp_accept = 1;
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	uint8_t state = 0;
	MacAddress mac = {};
	CX_EXPECT(t, lookup_state(f, kPeerAddr, &state, &mac));
	CX_EXPECT_EQ(t, state, nud::kReachable);
	CX_EXPECT(t, mac == kMacA);
	fixture_destroy(t, f);
}

void neigh_arp_gratuitous_updates_existing_only(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	const uint32_t garp_addr = 0x0a000005;
	Frame frame;
	build(&frame, MacAddress::broadcast(), kRequest, kMacB, garp_addr, kZeroMac, garp_addr);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 0u);
	CX_EXPECT_EQ(t, f->frames, 0u);
	/* an existing entry takes the new address at once: gratuitous beats locktime */
	NeighEntry *entry = create(t, f, garp_addr);
	neigh_update(entry, &kMacA, nud::kReachable, update_flags::kOverride);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	CX_EXPECT(t, mac_of(entry) == kMacB);
	CX_EXPECT_EQ(t, state_of(entry), nud::kStale);
	neigh_release(entry);
	/* gratuitous reply: tha must equal sha */
	const uint32_t other = 0x0a000006;
	f->dev.conf.arp_accept = 1;
	build(&frame, MacAddress::broadcast(), kReply, kMacA, other, kMacA, other);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	uint8_t state = 0;
	MacAddress mac = {};
	CX_EXPECT(t, lookup_state(f, other, &state, &mac));
	CX_EXPECT_EQ(t, state, nud::kStale);
	CX_EXPECT(t, mac == kMacA);
	fixture_destroy(t, f);
}

void neigh_arp_locktime_keeps_first_reply(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	NeighEntry *entry = create(t, f, kPeerAddr);
	neigh_event_send(entry, nullptr);
	Frame first, second;
	build(&first, kOurMac, kReply, kMacA, kPeerAddr, kOurMac, kOurAddr);
	build(&second, kOurMac, kReply, kMacB, kPeerAddr, kOurMac, kOurAddr);
	/* the first reply is taken whatever the timing: INCOMPLETE holds no address */
	vclock_advance(&f->clock, 1001 * kMs);
	receive(f, &first);
	CX_EXPECT(t, mac_of(entry) == kMacA);
	vclock_advance(&f->clock, 500 * kMs);
	receive(f, &second);
	CX_EXPECT(t, mac_of(entry) == kMacA);	/* another proxy, too late */
	vclock_advance(&f->clock, 600 * kMs);
	receive(f, &second);
	CX_EXPECT(t, mac_of(entry) == kMacB);	/* locktime (1 s) over */
	CX_EXPECT_EQ(t, state_of(entry), nud::kReachable);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_arp_probe_answered_not_cached(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	Frame frame;
	/* RFC 5227 probe: sender 0.0.0.0 asking for our address */
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, 0, kZeroMac, kOurAddr);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	CX_EXPECT_EQ(t, f->frames, 1u);
	ArpPacket reply = sent_arp(f, 0);
	CX_EXPECT_EQ(t, reply.operation(), kReply);
	CX_EXPECT_EQ(t, reply.sender_protocol_addr(), kOurAddr);
	CX_EXPECT_EQ(t, reply.target_protocol_addr(), 0u);
	CX_EXPECT(t, reply.target_hardware_addr() == kMacA);
	CX_EXPECT(t, sent_eth(f, 0).dst() == kMacA);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 0u);
	/* a probe for someone else: nothing */
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, 0, kZeroMac, 0x0a000009);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	CX_EXPECT_EQ(t, f->frames, 1u);
	CX_EXPECT_EQ(t, arp_stats(&f->arp).rx_probes, 2u);
	fixture_destroy(t, f);
}

void neigh_arp_bad_frames_dropped_and_counted(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	Frame frame;
	/* truncated ARP */
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, kPeerAddr, kZeroMac, kOurAddr);
	CX_EXPECT_EQ(t, arp_rcv(&f->arp, f->dev, Bytes(frame.bytes, kArpFrameLen - 1)),
		     ArpRx::Malformed);
	CX_EXPECT_EQ(t, arp_rcv(&f->arp, f->dev, Bytes(frame.bytes, 10)), ArpRx::Malformed);
	/* not Ethernet hardware */
	frame.bytes[EthernetFrame::kHeaderLen + 1] = 6;
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Malformed);
	/* not ARP ethertype */
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, kPeerAddr, kZeroMac, kOurAddr);
	frame.bytes[12] = 0x08;
	frame.bytes[13] = 0x00;
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Malformed);
	/* unknown opcode (RARP request) */
	build(&frame, MacAddress::broadcast(), 3, kMacA, kPeerAddr, kZeroMac, kOurAddr);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::BadOpcode);
	/* unicast to another host */
	build(&frame, kMacB, kRequest, kMacA, kPeerAddr, kZeroMac, kOurAddr);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::NotForUs);
	/* multicast and loopback targets */
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, kPeerAddr, kZeroMac, 0xe0000001);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::BadTarget);
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, kPeerAddr, kZeroMac, 0x7f000001);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::BadTarget);
	/* multicast, loopback, broadcast senders; multicast sender MAC */
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, 0xe0000001, kZeroMac, kOurAddr);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::BadSender);
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, 0x7f000001, kZeroMac, kOurAddr);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::BadSender);
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, 0xffffffff, kZeroMac, kOurAddr);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::BadSender);
	build(&frame, MacAddress::broadcast(), kRequest, MacAddress::broadcast(), kPeerAddr,
	      kZeroMac, kOurAddr);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::BadSender);
	/* a NOARP device ignores ARP */
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, kPeerAddr, kZeroMac, kOurAddr);
	f->dev.noarp = true;
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::NotForUs);
	ArpStats stats = arp_stats(&f->arp);
	CX_EXPECT_EQ(t, stats.drop_malformed, 4u);
	CX_EXPECT_EQ(t, stats.drop_bad_opcode, 1u);
	CX_EXPECT_EQ(t, stats.drop_not_for_us, 2u);
	CX_EXPECT_EQ(t, stats.drop_bad_target, 2u);
	CX_EXPECT_EQ(t, stats.drop_bad_sender, 4u);
	CX_EXPECT_EQ(t, f->frames, 0u);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 0u);
	fixture_destroy(t, f);
}

void neigh_arp_ignore_modes(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	Frame frame;
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, kPeerAddr, kZeroMac, kOurAddr);
	/* 8: never reply */
	f->dev.conf.arp_ignore = 8;
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	CX_EXPECT_EQ(t, f->frames, 0u);
	CX_EXPECT_EQ(t, neigh_count(&f->table), 0u);
	/* 1: only for addresses of the receiving device */
	f->dev.conf.arp_ignore = 1;
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	CX_EXPECT_EQ(t, f->frames, 1u);
	ArpDevice other = f->dev;
	other.ifindex = kIfindex + 1;
	CX_EXPECT_EQ(t, arp_rcv(&f->arp, other, Bytes(frame.bytes)), ArpRx::Consumed);
	CX_EXPECT_EQ(t, f->frames, 1u);
	/* 2: and the sender in the address's subnet */
	f->dev.conf.arp_ignore = 2;
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, 0x0b000002, kZeroMac, kOurAddr);
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	CX_EXPECT_EQ(t, f->frames, 1u);
	CX_EXPECT_EQ(t, arp_stats(&f->arp).ignored, 3u);
	fixture_destroy(t, f);
}

void neigh_arp_solicit_frames(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	f->local_addrs[1] = 0x0a000063;
	/* broadcast, sender from select_source when the hint is not local */
	CX_EXPECT_EQ(t, arp_solicit(&f->arp, f->dev, kPeerAddr, nullptr, 0x0b000001), 0);
	/* unicast (PROBE), sender = the packet's own local source (arp_announce 0) */
	CX_EXPECT_EQ(t, arp_solicit(&f->arp, f->dev, kPeerAddr, &kMacA, 0x0a000063), 0);
	/* arp_announce 2: always the selected source */
	f->dev.conf.arp_announce = 2;
	CX_EXPECT_EQ(t, arp_solicit(&f->arp, f->dev, kPeerAddr, nullptr, 0x0a000063), 0);
	CX_EXPECT_EQ(t, f->frames, 3u);
	CX_EXPECT(t, sent_eth(f, 0).dst().is_broadcast());
	CX_EXPECT_EQ(t, sent_arp(f, 0).sender_protocol_addr(), kOurAddr);
	CX_EXPECT(t, sent_eth(f, 1).dst() == kMacA);
	CX_EXPECT_EQ(t, sent_arp(f, 1).sender_protocol_addr(), 0x0a000063u);
	CX_EXPECT(t, sent_arp(f, 1).target_hardware_addr().is_zero());
	CX_EXPECT_EQ(t, sent_arp(f, 2).sender_protocol_addr(), kOurAddr);
	for (unsigned int i = 0; i < 3; i++) {
		CX_EXPECT_EQ(t, sent_arp(f, i).operation(), kRequest);
		CX_EXPECT_EQ(t, sent_arp(f, i).target_protocol_addr(), kPeerAddr);
		CX_EXPECT_EQ(t, sent_arp(f, i).check(), wire::Error::Ok);
	}
	CX_EXPECT_EQ(t, arp_stats(&f->arp).tx_requests, 3u);
	fixture_destroy(t, f);
}

void neigh_arp_probe_state_sends_unicast(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	f->solicit_via_arp = true;
	NeighEntry *entry = create(t, f, kPeerAddr);
	neigh_update(entry, &kMacA, nud::kStale, update_flags::kOverride);
	neigh_event_send(entry, nullptr);
	vclock_advance(&f->clock, 5 * kSec);
	CX_EXPECT_EQ(t, state_of(entry), nud::kProbe);
	CX_EXPECT_EQ(t, f->frames, 1u);
	CX_EXPECT(t, sent_eth(f, 0).dst() == kMacA);
	CX_EXPECT_EQ(t, sent_arp(f, 0).target_protocol_addr(), kPeerAddr);
	neigh_release(entry);
	fixture_destroy(t, f);
}

void neigh_arp_gratuitous_announce_frame(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	CX_EXPECT_EQ(t, arp_announce_address(&f->arp, f->dev, kOurAddr), 0);
	CX_EXPECT_EQ(t, f->frames, 1u);
	CX_EXPECT(t, sent_eth(f, 0).dst().is_broadcast());
	CX_EXPECT(t, sent_eth(f, 0).src() == kOurMac);
	ArpPacket garp = sent_arp(f, 0);
	CX_EXPECT_EQ(t, garp.operation(), kRequest);
	CX_EXPECT_EQ(t, garp.sender_protocol_addr(), kOurAddr);
	CX_EXPECT_EQ(t, garp.target_protocol_addr(), kOurAddr);
	CX_EXPECT(t, garp.sender_hardware_addr() == kOurMac);
	CX_EXPECT(t, garp.target_hardware_addr().is_zero());
	fixture_destroy(t, f);
}

void neigh_arp_constructor_noarp_kinds(cx_test *t)
{
	Fixture *f = fixture_create(t);
	if (!f)
		return;
	f->construct_via_arp = true;
	NeighEntry *mcast = create(t, f, 0xe00000fb);	/* 224.0.0.251 */
	NeighEntry *bcast = create(t, f, 0x0a0000ff);
	NeighEntry *unicast = create(t, f, kPeerAddr);
	CX_EXPECT_EQ(t, state_of(mcast), nud::kNoarp);
	const MacAddress mdns = {{0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb}};
	CX_EXPECT(t, mac_of(mcast) == mdns);
	CX_EXPECT(t, arp_multicast_mac(0xefffffff) ==
			     (MacAddress{{0x01, 0x00, 0x5e, 0x7f, 0xff, 0xff}}));
	CX_EXPECT_EQ(t, state_of(bcast), nud::kNoarp);
	CX_EXPECT(t, mac_of(bcast).is_broadcast());
	CX_EXPECT_EQ(t, state_of(unicast), nud::kNone);
	/* NOARP entries are usable at once, no probe */
	CX_EXPECT_EQ(t, neigh_resolve_output(mcast, make_pkt(1)), 0);
	CX_EXPECT(t, f->last_output_mac == mdns);
	CX_EXPECT_EQ(t, f->solicits, 0u);
	neigh_release(mcast);
	neigh_release(bcast);
	neigh_release(unicast);
	/* loopback device: own address */
	f->dev.loopback = true;
	NeighEntry *lo = create(t, f, 0x0a000010);
	CX_EXPECT_EQ(t, state_of(lo), nud::kNoarp);
	CX_EXPECT(t, mac_of(lo) == kOurMac);
	neigh_release(lo);
	fixture_destroy(t, f);
}

void neigh_arp_table_full_no_reply(cx_test *t)
{
	NeighParms parms;
	parms.gc_thresh1 = 1;
	parms.gc_thresh2 = 1;
	parms.gc_thresh3 = 1;
	Fixture *f = fixture_create(t, parms);
	if (!f)
		return;
	NeighEntry *held = create(t, f, 0x0a000077);
	Frame frame;
	build(&frame, MacAddress::broadcast(), kRequest, kMacA, kPeerAddr, kZeroMac, kOurAddr);
	/* arp_process() answers only when it could cache the requester */
	CX_EXPECT_EQ(t, receive(f, &frame), ArpRx::Consumed);
	CX_EXPECT_EQ(t, f->frames, 0u);
	CX_EXPECT_EQ(t, arp_stats(&f->arp).entry_failures, 1u);
	CX_EXPECT_EQ(t, neigh_stats(&f->table).table_fulls, 1u);
	neigh_release(held);
	fixture_destroy(t, f);
}

} // namespace cx::test
