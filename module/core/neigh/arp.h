/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ARP for IPv4 over Ethernet: net/ipv4/arp.c (Linux 6.1) over the
 * neighbour table (neigh_table.h).
 *
 * arp_rcv() takes a received Ethernet frame carrying ARP and does what
 * arp_rcv() + arp_process() do: validate, answer requests for local
 * addresses (creating the requester's entry), update existing entries from
 * any ARP, create entries from unsolicited ARP only with arp_accept.
 * arp_solicit() builds the resolution probes the table asks for (broadcast
 * for INCOMPLETE, unicast for PROBE), arp_announce_address() the
 * gratuitous ARP sent when an address is added (arp_ifup / inetaddr event).
 *
 * The kernel side answers address questions (ArpHostOps) and transmits the
 * frames; the per-device sysctls (arp_ignore, arp_announce, arp_filter,
 * arp_accept) come in ArpDevice with Linux's defaults (all 0). Callbacks
 * are called without any lock held. Everything here may run in softirq.
 */
#ifndef CXNET_CORE_NEIGH_ARP_H
#define CXNET_CORE_NEIGH_ARP_H

#include "../rtn_type.h"
#include "../types.h"
#include "../os.h"
#include "../wire/arp.h"
#include "../wire/bytes.h"
#include "../wire/ethernet.h"
#include "neigh_table.h"

namespace cx::neigh {

/* inet_addr_type() results: Linux's RTN_* values. */
using ArpAddrType = cx::RtnType;

/* Route scopes for confirm_addr (RT_SCOPE_*). */
enum class ArpScope : uint8_t {
	Universe = 0,
	Link = 253,
	Host = 254,
};

/* Per-device ARP sysctls (net.ipv4.conf.<dev>.*), Linux's defaults. */
struct ArpDeviceConf {
	int32_t arp_ignore = 0;
	int32_t arp_announce = 0;
	int32_t arp_filter = 0;
	int32_t arp_accept = 0;
};

/* The receiving/sending device as ARP needs it. */
struct ArpDevice {
	int ifindex;
	wire::MacAddress mac;
	ArpDeviceConf conf;
	bool noarp;		/* IFF_NOARP */
	bool loopback;		/* IFF_LOOPBACK */
	bool pointopoint;	/* IFF_POINTOPOINT */
};

/* Questions ARP asks the kernel side; all may be called from softirq. */
struct ArpHostOps {
	/* inet_addr_type_dev_table(net, dev, addr) */
	ArpAddrType (*addr_type)(void *ctx, int ifindex, uint32_t addr);
	/*
	 * inet_confirm_addr(net, in_dev, dst, local, scope): is there an
	 * address of scope <= scope (on ifindex, or any device when ifindex
	 * is -1) equal to local (any when 0) and in dst's subnet (any when dst
	 * is 0)? Used by arp_ignore 1..3 and arp_announce 1.
	 */
	bool (*confirm_addr)(void *ctx, int ifindex, uint32_t dst, uint32_t local, ArpScope scope);
	/* inet_select_addr(dev, dst, RT_SCOPE_LINK): a source for dst, 0 if none */
	uint32_t (*select_source)(void *ctx, int ifindex, uint32_t dst);
	/* arp_filter(): the ifindex a reply to dst from src would leave by, -1 if unroutable */
	int (*route_output_ifindex)(void *ctx, uint32_t dst, uint32_t src);
	/* Transmit a complete Ethernet frame on ifindex; takes ownership. */
	void (*xmit)(void *ctx, int ifindex, cx_pkt *frame);
};

/* ARP counters (per netns); drops by reason. */
struct ArpStats {
	uint64_t rx_requests;
	uint64_t rx_replies;
	uint64_t rx_probes;		/* sender 0.0.0.0: duplicate address detection */
	uint64_t tx_requests;
	uint64_t tx_replies;
	uint64_t tx_nomem;		/* frames not built: no memory */
	uint64_t drop_malformed;	/* truncated, not Ethernet/IPv4, bad lengths */
	uint64_t drop_bad_opcode;	/* neither request nor reply */
	uint64_t drop_not_for_us;	/* unicast to another host, or NOARP device */
	uint64_t drop_bad_target;	/* target multicast or loopback */
	uint64_t drop_bad_sender;	/* sender multicast, loopback or broadcast */
	uint64_t ignored;		/* request for us not answered (arp_ignore/arp_filter) */
	uint64_t entry_failures;	/* requester's entry could not be created: no reply */
};

/* What arp_rcv() did with a frame. */
enum class ArpRx : uint8_t {
	Consumed,		/* processed (answered, cached, or nothing to do) */
	Malformed,
	BadOpcode,
	NotForUs,
	BadTarget,
	BadSender,
};

struct Arp {
	NeighTable *table;
	const ArpHostOps *ops;
	void *ctx;
	ArpStats stats;
};

/* Headroom left in built frames for lower layers (LL_RESERVED_SPACE-ish). */
constexpr size_t kArpFrameHeadroom = 32;
/* Ethernet header + ARP for Ethernet/IPv4; the driver pads to 60. */
constexpr size_t kArpFrameLen = wire::EthernetFrame::kHeaderLen + wire::ArpPacket::kLen;

void arp_init(Arp *arp, NeighTable *table, const ArpHostOps *ops, void *ctx);
ArpStats arp_stats(const Arp *arp);

/* arp_rcv() + arp_process() on one received frame (not consumed: the caller frees it). */
ArpRx arp_rcv(Arp *arp, const ArpDevice &dev, wire::Bytes frame);

/*
 * arp_create() + arp_xmit(): an ARP frame to eth_dst (null: broadcast) with
 * the given fields (target_hw null: zeros). 0, or -CX_ENOMEM.
 */
int arp_send(Arp *arp, const ArpDevice &dev, uint16_t operation, uint32_t dest_ip,
	     uint32_t src_ip, const wire::MacAddress *eth_dst, const wire::MacAddress *target_hw);

/*
 * arp_solicit(): a request for target, broadcast or unicast_to, with the
 * sender address chosen by arp_announce from saddr_hint (the probed-for
 * packet's source). For the table's NeighOps::solicit.
 */
int arp_solicit(Arp *arp, const ArpDevice &dev, uint32_t target,
		const wire::MacAddress *unicast_to, uint32_t saddr_hint);

/* Gratuitous ARP for a newly added address (arp_ifup / arp_netdev_event). */
int arp_announce_address(Arp *arp, const ArpDevice &dev, uint32_t addr);

/*
 * arp_constructor(): a new entry's initial state: NOARP for multicast
 * (mapped MAC), NOARP/loopback devices (own MAC), broadcast or
 * point-to-point (broadcast MAC); NONE otherwise. For NeighOps::constructor.
 */
void arp_constructor(Arp *arp, const ArpDevice &dev, NeighEntry *entry);

/* ip_eth_mc_map(): 01:00:5e + the low 23 bits of a multicast group. */
wire::MacAddress arp_multicast_mac(uint32_t group);

} // namespace cx::neigh

#endif /* CXNET_CORE_NEIGH_ARP_H */
