// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the wire views (module/core/wire/: ethernet, arp, ipv4, udp). Every view's
 * new_checked() on the input, and on success every accessor, with the
 * bounds the check promised asserted (a CX_BUG_ON inside an accessor is a
 * crash: check() let through a view its accessors cannot read).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "os_user.h"
#include "wire/arp.h"
#include "wire/ethernet.h"
#include "wire/ipv4.h"
#include "wire/udp.h"

using namespace cx::wire;

#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)

static volatile uint32_t sink;

static void use_mac(const MacAddress &mac)
{
	sink += mac.octets[0] + mac.is_broadcast() + mac.is_multicast() + mac.is_zero();
}

static void fuzz_ipv4(Bytes b)
{
	Ipv4Packet ip;
	if (Ipv4Packet::new_checked(b, &ip) != Error::Ok)
		return;
	FUZZ_ASSERT(ip.version() == 4 && ip.header_len() >= Ipv4Packet::kMinHeaderLen);
	FUZZ_ASSERT(ip.header_len() <= ip.total_len() && ip.total_len() <= b.len());
	sink += ip.dscp() + ip.ecn() + ip.ident() + ip.dont_frag() + ip.more_frags() +
		ip.frag_offset() + ip.is_fragment() + ip.ttl() + ip.protocol() + ip.checksum() +
		ip.src() + ip.dst() + ip.verify_checksum();
	Bytes opts = ip.options();
	FUZZ_ASSERT(opts.len() == ip.header_len() - Ipv4Packet::kMinHeaderLen);
	Bytes payload = ip.payload();
	FUZZ_ASSERT(payload.len() == ip.total_len() - ip.header_len());
	UdpPacket udp;
	if (UdpPacket::new_checked(payload, &udp) == Error::Ok) {
		FUZZ_ASSERT(udp.length() >= UdpPacket::kHeaderLen && udp.length() <= payload.len());
		sink += udp.src_port() + udp.dst_port() + udp.checksum() +
			udp.verify_checksum_ipv4(ip.src(), ip.dst());
		FUZZ_ASSERT(udp.payload().len() == udp.length() - UdpPacket::kHeaderLen);
	}
}

static void fuzz_arp(Bytes b)
{
	ArpPacket arp;
	if (ArpPacket::new_checked(b, &arp) != Error::Ok)
		return;
	FUZZ_ASSERT(b.len() >= ArpPacket::kLen);
	FUZZ_ASSERT(arp.hardware_len() == 6 && arp.protocol_len() == 4);
	sink += arp.hardware_type() + arp.protocol_type() + arp.operation() +
		arp.sender_protocol_addr() + arp.target_protocol_addr();
	use_mac(arp.sender_hardware_addr());
	use_mac(arp.target_hardware_addr());
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A private, exactly-sized copy: ASan catches any read past the end. */
	uint8_t *copy = static_cast<uint8_t *>(malloc(size ? size : 1));
	if (size)
		memcpy(copy, data, size);
	Bytes bytes(copy, size);

	EthernetFrame frame;
	if (EthernetFrame::new_checked(bytes, &frame) == Error::Ok) {
		FUZZ_ASSERT(size >= EthernetFrame::kHeaderLen);
		use_mac(frame.dst());
		use_mac(frame.src());
		Bytes payload = frame.payload();
		FUZZ_ASSERT(payload.len() == size - EthernetFrame::kHeaderLen);
		if (frame.ethertype() == ethertype::kIpv4)
			fuzz_ipv4(payload);
		else if (frame.ethertype() == ethertype::kArp)
			fuzz_arp(payload);
	}
	/* The inner views on the raw bytes too: no Ethernet header needed to reach them. */
	fuzz_ipv4(bytes);
	fuzz_arp(bytes);
	UdpPacket udp;
	if (UdpPacket::new_checked(bytes, &udp) == Error::Ok)
		sink += udp.payload().len();
	free(copy);
	return 0;
}
