// SPDX-License-Identifier: GPL-2.0
/*
 * ARP receive and transmit: net/ipv4/arp.c (Linux 6.1), IPv4 over Ethernet
 * only, no proxy ARP. Function comments name the Linux function reproduced.
 */
#include "arp.h"

#include "../memory.h"
#include "../utility.h"

namespace cx::neigh {

namespace {

#define ARP_STAT_INC(arp, field) __atomic_fetch_add(&(arp)->stats.field, 1, __ATOMIC_RELAXED)

constexpr uint64_t kNsPerMs = 1000000;

constexpr bool ipv4_is_multicast(uint32_t addr)
{
	return (addr & 0xf0000000u) == 0xe0000000u;
}

constexpr bool ipv4_is_loopback(uint32_t addr)
{
	return (addr >> 24) == 127;
}

constexpr bool ipv4_is_lbcast(uint32_t addr)
{
	return addr == 0xffffffffu;
}

ArpAddrType addr_type(Arp *arp, int ifindex, uint32_t addr)
{
	return arp->ops && arp->ops->addr_type ? arp->ops->addr_type(arp->ctx, ifindex, addr)
					       : ArpAddrType::Unicast;
}

bool confirm_addr(Arp *arp, int ifindex, uint32_t dst, uint32_t local, ArpScope scope)
{
	if (!arp->ops || !arp->ops->confirm_addr)
		return true;
	return arp->ops->confirm_addr(arp->ctx, ifindex, dst, local, scope);
}

/* arp_ignore(): true when a request for tip from sip must not be answered. */
bool arp_ignore(Arp *arp, const ArpDevice &dev, uint32_t sip, uint32_t tip)
{
	int ifindex = dev.ifindex;
	ArpScope scope;
	switch (dev.conf.arp_ignore) {
	case 0:	/* reply for any local address (tip already known local) */
		return false;
	case 1:	/* only if tip is configured on the incoming interface */
		sip = 0;
		scope = ArpScope::Host;
		break;
	case 2:	/* ... and sip is in its subnet */
		scope = ArpScope::Host;
		break;
	case 3:	/* not for scope host addresses */
		sip = 0;
		scope = ArpScope::Link;
		ifindex = -1;
		break;
	case 8:	/* never */
		return true;
	default: /* 4-7 reserved: reply */
		return false;
	}
	return !confirm_addr(arp, ifindex, sip, tip, scope);
}

/* arp_filter(): drop unless a reply would leave by the receiving device. */
bool arp_filter(Arp *arp, const ArpDevice &dev, uint32_t sip, uint32_t tip)
{
	if (!arp->ops || !arp->ops->route_output_ifindex)
		return false;
	return arp->ops->route_output_ifindex(arp->ctx, sip, tip) != dev.ifindex;
}

/* arp_is_garp(): tip == sip (and tha == sha for replies), sender unicast. */
bool arp_is_garp(Arp *arp, const ArpDevice &dev, uint16_t op, uint32_t sip, uint32_t tip,
		 const wire::MacAddress &sha, const wire::MacAddress &tha, ArpAddrType *sip_type,
		 bool *sip_type_known)
{
	bool is_garp = tip == sip;
	if (is_garp && op == wire::arp_operation::kReply)
		is_garp = tha == sha;
	if (is_garp) {
		*sip_type = addr_type(arp, dev.ifindex, sip);
		*sip_type_known = true;
		if (*sip_type != ArpAddrType::Unicast)
			is_garp = false;
	}
	return is_garp;
}

/*
 * The "update our ARP tables" half of arp_process(): an existing entry for
 * the sender is updated from any ARP; a missing one is created only with
 * arp_accept, from gratuitous ARP or a reply from a unicast address.
 */
void arp_update_sender(Arp *arp, const ArpDevice &dev, const wire::ArpPacket &pkt, bool to_host)
{
	uint16_t op = pkt.operation();
	uint32_t sip = pkt.sender_protocol_addr();
	uint32_t tip = pkt.target_protocol_addr();
	wire::MacAddress sha = pkt.sender_hardware_addr();
	wire::MacAddress tha = pkt.target_hardware_addr();

	NeighEntry *entry = neigh_lookup(arp->table, dev.ifindex, sip);
	bool accept = dev.conf.arp_accept != 0;
	ArpAddrType sip_type = ArpAddrType::Unspec;
	bool sip_type_known = false;
	bool is_garp = false;
	if (entry || accept)
		is_garp = arp_is_garp(arp, dev, op, sip, tip, sha, tha, &sip_type, &sip_type_known);

	if (accept && !entry) {
		/* unsolicited ARP creates entries only when accepted */
		bool unicast_reply = false;
		if (op == wire::arp_operation::kReply) {
			if (!sip_type_known)
				sip_type = addr_type(arp, dev.ifindex, sip);
			unicast_reply = sip_type == ArpAddrType::Unicast;
		}
		if (is_garp || unicast_reply) {
			int err;
			entry = neigh_create(arp->table, dev.ifindex, sip, Gfp::Atomic, false, &err);
			if (!entry)
				ARP_STAT_INC(arp, entry_failures);
		}
	}
	if (!entry)
		return;

	/*
	 * Several different replies back to back: keep the FIRST (locktime),
	 * unless it is gratuitous. Broadcast replies and requests do not
	 * prove reachability: STALE.
	 */
	NeighInfo info = neigh_snapshot(entry);
	uint64_t locktime = neigh_table_parms(arp->table).locktime_ms * kNsPerMs;
	bool override = neigh_now_ns(arp->table) > info.updated_ns + locktime || is_garp;
	uint8_t state = (op == wire::arp_operation::kReply && to_host) ? nud::kReachable
								     : nud::kStale;
	neigh_update(entry, &sha, state, override ? update_flags::kOverride : 0);
	neigh_release(entry);
}

} // namespace

wire::MacAddress arp_multicast_mac(uint32_t group)
{
	return {{0x01, 0x00, 0x5e, static_cast<uint8_t>((group >> 16) & 0x7f),
		 static_cast<uint8_t>(group >> 8), static_cast<uint8_t>(group)}};
}

void arp_init(Arp *arp, NeighTable *table, const ArpHostOps *ops, void *ctx)
{
	*arp = Arp{};
	arp->table = table;
	arp->ops = ops;
	arp->ctx = ctx;
}

ArpStats arp_stats(const Arp *arp)
{
	ArpStats copy;
	const uint64_t *src = reinterpret_cast<const uint64_t *>(&arp->stats);
	uint64_t *dst = reinterpret_cast<uint64_t *>(&copy);
	for (size_t i = 0; i < sizeof(ArpStats) / sizeof(uint64_t); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	return copy;
}

int arp_send(Arp *arp, const ArpDevice &dev, uint16_t operation, uint32_t dest_ip,
	     uint32_t src_ip, const wire::MacAddress *eth_dst, const wire::MacAddress *target_hw)
{
	cx_pkt *frame = cx_pkt_alloc(kArpFrameHeadroom, kArpFrameLen, CX_GFP_ATOMIC);
	uint8_t *data = frame ? cx_pkt_put(frame, kArpFrameLen) : nullptr;
	if (!data) {
		if (frame)
			cx_pkt_free(frame);
		ARP_STAT_INC(arp, tx_nomem);
		return -CX_ENOMEM;
	}
	/* arp_create() */
	wire::EthernetFrame eth = wire::EthernetFrame::new_unchecked(wire::Bytes(data, kArpFrameLen));
	eth.set_dst(eth_dst ? *eth_dst : wire::MacAddress::broadcast());
	eth.set_src(dev.mac);
	eth.set_ethertype(wire::ethertype::kArp);
	wire::ArpPacket pkt = wire::ArpPacket::new_unchecked(eth.payload());
	pkt.init_ethernet_ipv4(operation);
	pkt.set_sender_hardware_addr(dev.mac);
	pkt.set_sender_protocol_addr(src_ip);
	pkt.set_target_hardware_addr(target_hw ? *target_hw : wire::MacAddress{});
	pkt.set_target_protocol_addr(dest_ip);
	if (operation == wire::arp_operation::kReply)
		ARP_STAT_INC(arp, tx_replies);
	else
		ARP_STAT_INC(arp, tx_requests);
	if (arp->ops && arp->ops->xmit)
		arp->ops->xmit(arp->ctx, dev.ifindex, frame);
	else
		cx_pkt_free(frame);
	return 0;
}

int arp_solicit(Arp *arp, const ArpDevice &dev, uint32_t target,
		const wire::MacAddress *unicast_to, uint32_t saddr_hint)
{
	uint32_t saddr = 0;
	/* arp_solicit(): the sender address by arp_announce */
	switch (dev.conf.arp_announce) {
	default:
	case 0:	/* any local address: the packet's own source if it is local */
		if (saddr_hint && addr_type(arp, dev.ifindex, saddr_hint) == ArpAddrType::Local)
			saddr = saddr_hint;
		break;
	case 1:	/* the packet's source only if the target is in its subnet */
		if (saddr_hint && addr_type(arp, dev.ifindex, saddr_hint) == ArpAddrType::Local &&
		    confirm_addr(arp, dev.ifindex, target, saddr_hint, ArpScope::Link))
			saddr = saddr_hint;
		break;
	case 2:	/* always the best address for the target */
		break;
	}
	if (!saddr && arp->ops && arp->ops->select_source)
		saddr = arp->ops->select_source(arp->ctx, dev.ifindex, target);
	return arp_send(arp, dev, wire::arp_operation::kRequest, target, saddr, unicast_to, nullptr);
}

int arp_announce_address(Arp *arp, const ArpDevice &dev, uint32_t addr)
{
	/* arp_send(ARPOP_REQUEST, ETH_P_ARP, addr, dev, addr, NULL, dev_addr, NULL) */
	return arp_send(arp, dev, wire::arp_operation::kRequest, addr, addr, nullptr, nullptr);
}

void arp_constructor(Arp *arp, const ArpDevice &dev, NeighEntry *entry)
{
	ArpAddrType type = addr_type(arp, dev.ifindex, entry->addr);
	if (type == ArpAddrType::Multicast) {
		wire::MacAddress mac = arp_multicast_mac(entry->addr);
		neigh_entry_preset(entry, nud::kNoarp, &mac);
	} else if (dev.noarp || dev.loopback) {
		neigh_entry_preset(entry, nud::kNoarp, &dev.mac);
	} else if (type == ArpAddrType::Broadcast || dev.pointopoint) {
		wire::MacAddress mac = wire::MacAddress::broadcast();
		neigh_entry_preset(entry, nud::kNoarp, &mac);
	}
}

ArpRx arp_rcv(Arp *arp, const ArpDevice &dev, wire::Bytes frame)
{
	wire::EthernetFrame eth;
	if (wire::EthernetFrame::new_checked(frame, &eth) != wire::Error::Ok ||
	    eth.ethertype() != wire::ethertype::kArp) {
		ARP_STAT_INC(arp, drop_malformed);
		return ArpRx::Malformed;
	}
	/* arp_rcv(): NOARP devices and frames for other hosts are ignored */
	wire::MacAddress eth_dst = eth.dst();
	bool to_host = eth_dst == dev.mac;
	if (dev.noarp || (!to_host && eth_dst.is_unicast())) {
		ARP_STAT_INC(arp, drop_not_for_us);
		return ArpRx::NotForUs;
	}
	wire::ArpPacket pkt;
	if (wire::ArpPacket::new_checked(eth.payload(), &pkt) != wire::Error::Ok) {
		ARP_STAT_INC(arp, drop_malformed);
		return ArpRx::Malformed;
	}

	/* arp_process() */
	uint16_t op = pkt.operation();
	if (op != wire::arp_operation::kRequest && op != wire::arp_operation::kReply) {
		ARP_STAT_INC(arp, drop_bad_opcode);
		return ArpRx::BadOpcode;
	}
	if (op == wire::arp_operation::kRequest)
		ARP_STAT_INC(arp, rx_requests);
	else
		ARP_STAT_INC(arp, rx_replies);

	uint32_t sip = pkt.sender_protocol_addr();
	uint32_t tip = pkt.target_protocol_addr();
	wire::MacAddress sha = pkt.sender_hardware_addr();
	/* requests for multicast or 127.x.x.x are bogus (route_localnet off) */
	if (ipv4_is_multicast(tip) || ipv4_is_loopback(tip)) {
		ARP_STAT_INC(arp, drop_bad_target);
		return ArpRx::BadTarget;
	}
	/*
	 * Never cache a multicast/loopback/broadcast sender. Linux gets there
	 * through arp_constructor() (such entries are NOARP, which ARP may not
	 * update); refusing up front also sends no reply to them.
	 */
	if (ipv4_is_multicast(sip) || ipv4_is_loopback(sip) || ipv4_is_lbcast(sip) ||
	    sha.is_multicast()) {
		ARP_STAT_INC(arp, drop_bad_sender);
		return ArpRx::BadSender;
	}

	/* duplicate address detection probe (RFC 2131, RFC 5227): answer, cache nothing */
	if (sip == 0) {
		ARP_STAT_INC(arp, rx_probes);
		if (op == wire::arp_operation::kRequest &&
		    addr_type(arp, dev.ifindex, tip) == ArpAddrType::Local) {
			if (arp_ignore(arp, dev, sip, tip))
				ARP_STAT_INC(arp, ignored);
			else
				arp_send(arp, dev, wire::arp_operation::kReply, sip, tip, &sha, &sha);
		}
		return ArpRx::Consumed;
	}

	/* a request for one of our addresses: cache the requester, reply */
	if (op == wire::arp_operation::kRequest &&
	    addr_type(arp, dev.ifindex, tip) == ArpAddrType::Local) {
		bool dont_send = arp_ignore(arp, dev, sip, tip);
		if (!dont_send && dev.conf.arp_filter)
			dont_send = arp_filter(arp, dev, sip, tip);
		if (dont_send) {
			ARP_STAT_INC(arp, ignored);
			return ArpRx::Consumed;
		}
		/* neigh_event_ns(): create or update as STALE, override */
		int err;
		NeighEntry *entry = neigh_create(arp->table, dev.ifindex, sip, Gfp::Atomic, false, &err);
		if (!entry) {
			/* Linux answers only when it could cache the requester */
			ARP_STAT_INC(arp, entry_failures);
			return ArpRx::Consumed;
		}
		neigh_update(entry, &sha, nud::kStale, update_flags::kOverride);
		arp_send(arp, dev, wire::arp_operation::kReply, sip, tip, &sha, &sha);
		neigh_release(entry);
		return ArpRx::Consumed;
	}

	arp_update_sender(arp, dev, pkt, to_host);
	return ArpRx::Consumed;
}

} // namespace cx::neigh
