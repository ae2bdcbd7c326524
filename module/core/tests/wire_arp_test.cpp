// SPDX-License-Identifier: GPL-2.0
/* wire/arp.h: ARP for Ethernet/IPv4. */
#include "cx_test.h"
#include "cases.h"
#include "../wire/arp.h"
#include "../wire/ipv4.h"

namespace cx::test {

using namespace cx::wire;

namespace {

/* who-has 192.168.1.1 tell 192.168.1.100 (00:11:22:33:44:55) */
constexpr uint8_t kRequest[ArpPacket::kLen] = {
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
	0xc0, 0xa8, 0x01, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0xa8, 0x01, 0x01,
};

void copy_request(uint8_t *buf)
{
	__builtin_memcpy(buf, kRequest, sizeof(kRequest));
}

} // namespace

void wire_arp_truncated(cx_test *t)
{
	uint8_t buf[ArpPacket::kLen];
	copy_request(buf);
	ArpPacket arp;
	/* shorter than the fixed part, then valid fixed part but no room for addresses */
	for (size_t len = 0; len < ArpPacket::kLen; len++)
		CX_EXPECT_EQ(t, ArpPacket::new_checked(Bytes(buf, len), &arp), Error::Truncated);
	CX_EXPECT_EQ(t, ArpPacket::new_checked(Bytes(buf), &arp), Error::Ok);
}

void wire_arp_bad_hardware_type(cx_test *t)
{
	uint8_t buf[ArpPacket::kLen];
	copy_request(buf);
	buf[1] = 6;	/* IEEE 802 */
	ArpPacket arp;
	CX_EXPECT_EQ(t, ArpPacket::new_checked(Bytes(buf), &arp), Error::BadHardwareType);
}

void wire_arp_bad_protocol_type(cx_test *t)
{
	uint8_t buf[ArpPacket::kLen];
	copy_request(buf);
	buf[2] = 0x86;	/* IPv6 */
	buf[3] = 0xdd;
	ArpPacket arp;
	CX_EXPECT_EQ(t, ArpPacket::new_checked(Bytes(buf), &arp), Error::BadProtocolType);
}

void wire_arp_bad_address_length(cx_test *t)
{
	uint8_t buf[ArpPacket::kLen];
	ArpPacket arp;
	copy_request(buf);
	buf[4] = 8;
	CX_EXPECT_EQ(t, ArpPacket::new_checked(Bytes(buf), &arp), Error::BadAddressLength);
	copy_request(buf);
	buf[5] = 16;
	CX_EXPECT_EQ(t, ArpPacket::new_checked(Bytes(buf), &arp), Error::BadAddressLength);
}

void wire_arp_parse_request(cx_test *t)
{
	uint8_t buf[ArpPacket::kLen + 4];	/* with trailing padding */
	copy_request(buf);
	ArpPacket arp;
	CX_EXPECT_EQ(t, ArpPacket::new_checked(Bytes(buf), &arp), Error::Ok);
	CX_EXPECT_EQ(t, arp.hardware_type(), kArpHardwareEthernet);
	CX_EXPECT_EQ(t, arp.protocol_type(), ethertype::kIpv4);
	CX_EXPECT_EQ(t, arp.hardware_len(), 6);
	CX_EXPECT_EQ(t, arp.protocol_len(), 4);
	CX_EXPECT_EQ(t, arp.operation(), arp_operation::kRequest);
	const MacAddress sender = {{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}};
	CX_EXPECT(t, arp.sender_hardware_addr() == sender);
	CX_EXPECT_EQ(t, arp.sender_protocol_addr(), ipv4_address(192, 168, 1, 100));
	CX_EXPECT(t, arp.target_hardware_addr().is_zero());
	CX_EXPECT_EQ(t, arp.target_protocol_addr(), ipv4_address(192, 168, 1, 1));
}

void wire_arp_build_reply_round_trip(cx_test *t)
{
	uint8_t buf[ArpPacket::kLen] = {};
	ArpPacket out = ArpPacket::new_unchecked(Bytes(buf));
	const MacAddress ours = {{0x02, 0xcc, 0x00, 0x00, 0x00, 0x01}};
	const MacAddress theirs = {{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}};
	out.init_ethernet_ipv4(arp_operation::kReply);
	out.set_sender_hardware_addr(ours);
	out.set_sender_protocol_addr(ipv4_address(192, 168, 1, 1));
	out.set_target_hardware_addr(theirs);
	out.set_target_protocol_addr(ipv4_address(192, 168, 1, 100));
	ArpPacket in;
	CX_EXPECT_EQ(t, ArpPacket::new_checked(Bytes(buf), &in), Error::Ok);
	CX_EXPECT_EQ(t, in.operation(), arp_operation::kReply);
	CX_EXPECT(t, in.sender_hardware_addr() == ours);
	CX_EXPECT(t, in.target_hardware_addr() == theirs);
	CX_EXPECT_EQ(t, in.sender_protocol_addr(), 0xc0a80101u);
	CX_EXPECT_EQ(t, in.target_protocol_addr(), 0xc0a80164u);
	/* the fixed part is byte for byte the request's but for the operation */
	for (size_t i = 0; i < 6; i++)
		CX_EXPECT_EQ(t, buf[i], kRequest[i]);
	CX_EXPECT_EQ(t, buf[7], 2);
}

} // namespace cx::test
