// SPDX-License-Identifier: GPL-2.0
/* wire/udp.h, and a whole Ethernet/IPv4/UDP frame parsed layer by layer. */
#include "cx_test.h"
#include "cases.h"
#include "../wire/ethernet.h"
#include "../wire/ipv4.h"
#include "../wire/udp.h"

namespace cx::test {

using namespace cx::wire;

namespace {

/*
 * 02:00:00:00:00:02 -> 02:00:00:00:00:01, 10.0.0.1:12345 -> 10.0.0.2:53,
 * "hello cxnet"; checksums (IPv4 0a7e, UDP 3187) computed independently.
 */
constexpr uint8_t kFrame[53] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x27, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x11, 0x0a, 0x7e, 0x0a, 0x00,
	0x00, 0x01, 0x0a, 0x00, 0x00, 0x02, 0x30, 0x39, 0x00, 0x35, 0x00, 0x13, 0x31, 0x87,
	0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x63, 0x78, 0x6e, 0x65, 0x74,
};
constexpr size_t kUdpOffset = 34;
constexpr uint32_t kSrc = ipv4_address(10, 0, 0, 1);
constexpr uint32_t kDst = ipv4_address(10, 0, 0, 2);

Error check(uint8_t *buf, size_t len)
{
	UdpPacket udp;
	return UdpPacket::new_checked(Bytes(buf, len), &udp);
}

} // namespace

void wire_udp_truncated(cx_test *t)
{
	uint8_t buf[8] = {0, 1, 0, 2, 0, 8, 0, 0};
	for (size_t len = 0; len < UdpPacket::kHeaderLen; len++)
		CX_EXPECT_EQ(t, check(buf, len), Error::Truncated);
	CX_EXPECT_EQ(t, check(buf, 8), Error::Ok);
}

void wire_udp_bad_length(cx_test *t)
{
	uint8_t buf[16] = {0, 1, 0, 2, 0, 0, 0, 0};
	for (uint8_t len = 0; len < 8; len++) {
		buf[5] = len;
		CX_EXPECT_EQ(t, check(buf, sizeof(buf)), Error::BadLength);
	}
}

void wire_udp_length_exceeds_buffer(cx_test *t)
{
	uint8_t buf[16] = {0, 1, 0, 2, 0, 17, 0, 0};
	CX_EXPECT_EQ(t, check(buf, sizeof(buf)), Error::LengthExceedsBuffer);
	buf[4] = 0xff;
	CX_EXPECT_EQ(t, check(buf, sizeof(buf)), Error::LengthExceedsBuffer);
	buf[4] = 0;
	buf[5] = 12;	/* shorter than the buffer: the rest is not payload */
	UdpPacket udp;
	CX_EXPECT_EQ(t, UdpPacket::new_checked(Bytes(buf), &udp), Error::Ok);
	CX_EXPECT_EQ(t, udp.payload().len(), 4u);
}

void wire_udp_parse_frame_layers(cx_test *t)
{
	uint8_t buf[sizeof(kFrame)];
	__builtin_memcpy(buf, kFrame, sizeof(kFrame));
	EthernetFrame eth;
	Ipv4Packet ip;
	UdpPacket udp;
	CX_EXPECT_EQ(t, EthernetFrame::new_checked(Bytes(buf), &eth), Error::Ok);
	CX_EXPECT_EQ(t, eth.ethertype(), ethertype::kIpv4);
	CX_EXPECT_EQ(t, Ipv4Packet::new_checked(eth.payload(), &ip), Error::Ok);
	CX_EXPECT(t, ip.verify_checksum());
	CX_EXPECT_EQ(t, ip.protocol(), ip_protocol::kUdp);
	CX_EXPECT_EQ(t, ip.src(), kSrc);
	CX_EXPECT_EQ(t, ip.dst(), kDst);
	CX_EXPECT_EQ(t, UdpPacket::new_checked(ip.payload(), &udp), Error::Ok);
	CX_EXPECT_EQ(t, udp.src_port(), 12345u);
	CX_EXPECT_EQ(t, udp.dst_port(), 53u);
	CX_EXPECT_EQ(t, udp.length(), 19u);
	CX_EXPECT_EQ(t, udp.checksum(), 0x3187u);
	CX_EXPECT(t, udp.verify_checksum_ipv4(ip.src(), ip.dst()));
	/* the pseudo-header counts: another address fails */
	CX_EXPECT(t, !udp.verify_checksum_ipv4(ip.src(), ipv4_address(10, 0, 0, 3)));
	CX_EXPECT_EQ(t, udp.payload().len(), 11u);
	CX_EXPECT_EQ(t, udp.payload().u8(0), uint8_t('h'));
	CX_EXPECT_EQ(t, udp.payload().u8(10), uint8_t('t'));
	/* a flipped payload bit (odd length: the last byte too) fails */
	buf[sizeof(buf) - 1] ^= 1;
	CX_EXPECT(t, !udp.verify_checksum_ipv4(kSrc, kDst));
}

void wire_udp_build_round_trip(cx_test *t)
{
	uint8_t buf[sizeof(kFrame)] = {};
	/* rebuild kFrame's UDP part with setters: same bytes, same checksum */
	UdpPacket out = UdpPacket::new_unchecked(Bytes(buf + kUdpOffset, sizeof(buf) - kUdpOffset));
	out.set_src_port(12345);
	out.set_dst_port(53);
	out.set_length(19);
	out.payload().write(0, "hello cxnet", 11);
	out.fill_checksum_ipv4(kSrc, kDst);
	CX_EXPECT_EQ(t, out.checksum(), 0x3187u);
	for (size_t i = kUdpOffset; i < sizeof(kFrame); i++)
		CX_EXPECT_EQ(t, buf[i], kFrame[i]);
	UdpPacket in;
	CX_EXPECT_EQ(t, UdpPacket::new_checked(out.buffer(), &in), Error::Ok);
	CX_EXPECT(t, in.verify_checksum_ipv4(kSrc, kDst));
}

void wire_udp_zero_checksum_sent_as_ffff(cx_test *t)
{
	/* choose the last payload word so that the computed checksum is 0 */
	uint8_t buf[12] = {0x04, 0xd2, 0x16, 0x2e, 0x00, 0x0c, 0x00, 0x00, 0x12, 0x34, 0x00, 0x00};
	UdpPacket udp = UdpPacket::new_unchecked(Bytes(buf));
	uint32_t sum = csum_partial(buf, sizeof(buf), csum_ipv4_pseudo(kSrc, kDst, ip_protocol::kUdp, 12));
	uint16_t word = static_cast<uint16_t>(~csum_fold(sum));
	store_be16(buf + 10, word);
	CX_EXPECT_EQ(t, csum_fold(csum_partial(buf, sizeof(buf),
					      csum_ipv4_pseudo(kSrc, kDst, ip_protocol::kUdp, 12))),
		     0xffffu);
	udp.fill_checksum_ipv4(kSrc, kDst);
	CX_EXPECT_EQ(t, udp.checksum(), 0xffffu);
	UdpPacket in;
	CX_EXPECT_EQ(t, UdpPacket::new_checked(Bytes(buf), &in), Error::Ok);
	CX_EXPECT(t, in.verify_checksum_ipv4(kSrc, kDst));
}

void wire_udp_zero_checksum_means_none(cx_test *t)
{
	uint8_t buf[10] = {0x00, 0x07, 0x00, 0x07, 0x00, 0x0a, 0x00, 0x00, 0xab, 0xcd};
	UdpPacket udp;
	CX_EXPECT_EQ(t, UdpPacket::new_checked(Bytes(buf), &udp), Error::Ok);
	CX_EXPECT(t, udp.verify_checksum_ipv4(kSrc, kDst));
	udp.set_checksum(0x1234);
	CX_EXPECT(t, !udp.verify_checksum_ipv4(kSrc, kDst));
}

} // namespace cx::test
