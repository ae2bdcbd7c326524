// SPDX-License-Identifier: GPL-2.0
/* wire/ipv4.h: every check() error path, accessors, round trips. */
#include "cx_test.h"
#include "cases.h"
#include "../wire/ipv4.h"

namespace cx::test {

using namespace cx::wire;

namespace {

/* 20-byte header (checksum b861) + 95 bytes of payload: total length 0x73 */
constexpr uint8_t kHeader[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
				 0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
constexpr size_t kTotalLen = 0x73;

void copy_packet(uint8_t *buf)
{
	__builtin_memcpy(buf, kHeader, sizeof(kHeader));
	for (size_t i = sizeof(kHeader); i < kTotalLen; i++)
		buf[i] = static_cast<uint8_t>(i);
}

Error check(uint8_t *buf, size_t len)
{
	Ipv4Packet packet;
	return Ipv4Packet::new_checked(Bytes(buf, len), &packet);
}

} // namespace

void wire_ipv4_truncated_header(cx_test *t)
{
	uint8_t buf[kTotalLen];
	copy_packet(buf);
	for (size_t len = 0; len < Ipv4Packet::kMinHeaderLen; len++)
		CX_EXPECT_EQ(t, check(buf, len), Error::Truncated);
}

void wire_ipv4_bad_version(cx_test *t)
{
	uint8_t buf[kTotalLen];
	copy_packet(buf);
	buf[0] = 0x65;	/* version 6 */
	CX_EXPECT_EQ(t, check(buf, sizeof(buf)), Error::BadVersion);
	buf[0] = 0x05;
	CX_EXPECT_EQ(t, check(buf, sizeof(buf)), Error::BadVersion);
}

void wire_ipv4_bad_ihl(cx_test *t)
{
	uint8_t buf[kTotalLen];
	copy_packet(buf);
	for (uint8_t ihl = 0; ihl < 5; ihl++) {
		buf[0] = static_cast<uint8_t>(0x40 | ihl);
		CX_EXPECT_EQ(t, check(buf, sizeof(buf)), Error::BadIhl);
	}
}

void wire_ipv4_header_beyond_buffer(cx_test *t)
{
	/* IHL 15 says 60 header bytes; the buffer has 40 */
	uint8_t buf[kTotalLen];
	copy_packet(buf);
	buf[0] = 0x4f;
	CX_EXPECT_EQ(t, check(buf, 40), Error::Truncated);
	CX_EXPECT_EQ(t, check(buf, 59), Error::Truncated);
	CX_EXPECT_EQ(t, check(buf, sizeof(buf)), Error::Ok);
}

void wire_ipv4_total_len_below_header(cx_test *t)
{
	uint8_t buf[kTotalLen];
	copy_packet(buf);
	buf[2] = 0;
	buf[3] = 19;
	CX_EXPECT_EQ(t, check(buf, sizeof(buf)), Error::BadTotalLength);
	buf[0] = 0x46;	/* 24-byte header */
	buf[3] = 20;
	CX_EXPECT_EQ(t, check(buf, sizeof(buf)), Error::BadTotalLength);
	buf[3] = 24;	/* header only, no payload: fine */
	CX_EXPECT_EQ(t, check(buf, sizeof(buf)), Error::Ok);
}

void wire_ipv4_total_len_exceeds_buffer(cx_test *t)
{
	uint8_t buf[kTotalLen];
	copy_packet(buf);
	CX_EXPECT_EQ(t, check(buf, kTotalLen - 1), Error::LengthExceedsBuffer);
	CX_EXPECT_EQ(t, check(buf, 20), Error::LengthExceedsBuffer);
	buf[2] = 0xff;
	CX_EXPECT_EQ(t, check(buf, sizeof(buf)), Error::LengthExceedsBuffer);
}

void wire_ipv4_every_prefix_rejected(cx_test *t)
{
	/* no prefix of a valid packet shorter than its total length passes */
	uint8_t buf[kTotalLen];
	copy_packet(buf);
	for (size_t len = 0; len < kTotalLen; len++)
		CX_EXPECT(t, check(buf, len) != Error::Ok);
	CX_EXPECT_EQ(t, check(buf, kTotalLen), Error::Ok);
}

void wire_ipv4_parse_known_header(cx_test *t)
{
	uint8_t buf[kTotalLen];
	copy_packet(buf);
	Ipv4Packet ip;
	CX_EXPECT_EQ(t, Ipv4Packet::new_checked(Bytes(buf), &ip), Error::Ok);
	CX_EXPECT_EQ(t, ip.version(), 4);
	CX_EXPECT_EQ(t, ip.ihl(), 5);
	CX_EXPECT_EQ(t, ip.header_len(), 20u);
	CX_EXPECT_EQ(t, ip.dscp(), 0);
	CX_EXPECT_EQ(t, ip.ecn(), 0);
	CX_EXPECT_EQ(t, ip.total_len(), 0x73u);
	CX_EXPECT_EQ(t, ip.ident(), 0u);
	CX_EXPECT(t, ip.dont_frag());
	CX_EXPECT(t, !ip.more_frags());
	CX_EXPECT_EQ(t, ip.frag_offset(), 0u);
	CX_EXPECT(t, !ip.is_fragment());
	CX_EXPECT_EQ(t, ip.ttl(), 64);
	CX_EXPECT_EQ(t, ip.protocol(), ip_protocol::kUdp);
	CX_EXPECT_EQ(t, ip.checksum(), 0xb861u);
	CX_EXPECT_EQ(t, ip.src(), ipv4_address(192, 168, 0, 1));
	CX_EXPECT_EQ(t, ip.dst(), ipv4_address(192, 168, 0, 199));
	CX_EXPECT(t, ip.verify_checksum());
	CX_EXPECT_EQ(t, ip.options().len(), 0u);
	CX_EXPECT_EQ(t, ip.payload().len(), kTotalLen - 20);
	CX_EXPECT_EQ(t, ip.payload().u8(0), 20);
}

void wire_ipv4_payload_excludes_link_padding(cx_test *t)
{
	/* a 28-byte packet in a 60-byte minimum Ethernet payload */
	uint8_t buf[60] = {};
	Ipv4Packet out = Ipv4Packet::new_unchecked(Bytes(buf));
	out.set_version(4);
	out.set_ihl(5);
	out.set_total_len(28);
	out.set_ttl(1);
	out.set_protocol(ip_protocol::kIcmp);
	out.fill_checksum();
	buf[50] = 0xee;	/* padding garbage does not matter */
	Ipv4Packet in;
	CX_EXPECT_EQ(t, Ipv4Packet::new_checked(Bytes(buf), &in), Error::Ok);
	CX_EXPECT_EQ(t, in.payload().len(), 8u);
	CX_EXPECT_EQ(t, in.payload().data(), buf + 20);
	CX_EXPECT(t, in.verify_checksum());
}

void wire_ipv4_options(cx_test *t)
{
	/* IHL 6: one 4-byte option word (router alert) before the payload */
	uint8_t buf[32] = {};
	Ipv4Packet out = Ipv4Packet::new_unchecked(Bytes(buf));
	out.set_version(4);
	out.set_ihl(6);
	out.set_total_len(32);
	out.set_ttl(1);
	out.set_protocol(2);
	buf[20] = 0x94;
	buf[21] = 0x04;
	buf[24] = 0x77;
	out.fill_checksum();
	Ipv4Packet in;
	CX_EXPECT_EQ(t, Ipv4Packet::new_checked(Bytes(buf), &in), Error::Ok);
	CX_EXPECT_EQ(t, in.header_len(), 24u);
	CX_EXPECT_EQ(t, in.options().len(), 4u);
	CX_EXPECT_EQ(t, in.options().u8(0), 0x94);
	CX_EXPECT_EQ(t, in.payload().len(), 8u);
	CX_EXPECT_EQ(t, in.payload().u8(0), 0x77);
	/* the checksum covers the options */
	CX_EXPECT(t, in.verify_checksum());
	buf[21] = 0x05;
	CX_EXPECT(t, !in.verify_checksum());
}

void wire_ipv4_build_round_trip(cx_test *t)
{
	uint8_t buf[40] = {};
	Ipv4Packet out = Ipv4Packet::new_unchecked(Bytes(buf));
	out.set_version(4);
	out.set_ihl(5);
	out.set_dscp(46);	/* EF */
	out.set_ecn(2);		/* ECT(0) */
	out.set_total_len(40);
	out.set_ident(0xbeef);
	out.set_dont_frag(true);
	out.set_ttl(255);
	out.set_protocol(ip_protocol::kTcp);
	out.set_src(ipv4_address(10, 0, 0, 1));
	out.set_dst(ipv4_address(10, 0, 0, 2));
	out.fill_checksum();
	Ipv4Packet in;
	CX_EXPECT_EQ(t, Ipv4Packet::new_checked(Bytes(buf), &in), Error::Ok);
	CX_EXPECT_EQ(t, in.version(), 4);
	CX_EXPECT_EQ(t, in.dscp(), 46);
	CX_EXPECT_EQ(t, in.ecn(), 2);
	CX_EXPECT_EQ(t, buf[1], 0xba);
	CX_EXPECT_EQ(t, in.total_len(), 40u);
	CX_EXPECT_EQ(t, in.ident(), 0xbeefu);
	CX_EXPECT(t, in.dont_frag());
	CX_EXPECT_EQ(t, in.ttl(), 255);
	CX_EXPECT_EQ(t, in.protocol(), ip_protocol::kTcp);
	CX_EXPECT_EQ(t, in.src(), 0x0a000001u);
	CX_EXPECT_EQ(t, in.dst(), 0x0a000002u);
	CX_EXPECT(t, in.verify_checksum());
	CX_EXPECT_EQ(t, internet_checksum(buf, 20), 0u);
	/* any corrupted header byte is caught */
	for (size_t i = 0; i < 20; i++) {
		buf[i] ^= 0x10;
		CX_EXPECT(t, !in.verify_checksum());
		buf[i] ^= 0x10;
	}
	CX_EXPECT(t, in.verify_checksum());
}

void wire_ipv4_fragment_fields_independent(cx_test *t)
{
	uint8_t buf[20] = {};
	Ipv4Packet ip = Ipv4Packet::new_unchecked(Bytes(buf));
	ip.set_frag_offset(1480);
	ip.set_more_frags(true);
	CX_EXPECT_EQ(t, ip.frag_offset(), 1480u);
	CX_EXPECT(t, ip.more_frags());
	CX_EXPECT(t, !ip.dont_frag());
	CX_EXPECT(t, ip.is_fragment());
	ip.set_dont_frag(true);
	ip.set_more_frags(false);
	CX_EXPECT_EQ(t, ip.frag_offset(), 1480u);
	CX_EXPECT(t, ip.dont_frag());
	CX_EXPECT(t, ip.is_fragment());	/* a last fragment */
	ip.set_frag_offset(65528);
	CX_EXPECT_EQ(t, ip.frag_offset(), 65528u);
	CX_EXPECT(t, ip.dont_frag());
	CX_EXPECT_EQ(t, buf[6], 0x5f);
	CX_EXPECT_EQ(t, buf[7], 0xff);
	ip.clear_flags();
	CX_EXPECT(t, !ip.is_fragment());
	/* version and IHL share a byte, DSCP and ECN another */
	ip.set_ihl(7);
	ip.set_version(4);
	CX_EXPECT_EQ(t, buf[0], 0x47);
	ip.set_ecn(3);
	ip.set_dscp(1);
	CX_EXPECT_EQ(t, buf[1], 0x07);
}

} // namespace cx::test
