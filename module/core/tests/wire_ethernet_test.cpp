// SPDX-License-Identifier: GPL-2.0
/* wire/ethernet.h: EthernetFrame and MacAddress. */
#include "cx_test.h"
#include "cases.h"
#include "../wire/ethernet.h"

namespace cx::test {

using namespace cx::wire;

namespace {

constexpr MacAddress kMacA = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};
constexpr MacAddress kMacB = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x02}};

} // namespace

void wire_ethernet_truncated(cx_test *t)
{
	uint8_t buf[14] = {};
	EthernetFrame frame;
	for (size_t len = 0; len < EthernetFrame::kHeaderLen; len++)
		CX_EXPECT_EQ(t, EthernetFrame::new_checked(Bytes(buf, len), &frame), Error::Truncated);
	/* a bare header is a valid frame with an empty payload */
	CX_EXPECT_EQ(t, EthernetFrame::new_checked(Bytes(buf, 14), &frame), Error::Ok);
	CX_EXPECT_EQ(t, frame.payload().len(), 0u);
	/* the default view is empty and does not check */
	CX_EXPECT_EQ(t, EthernetFrame().check(), Error::Truncated);
}

void wire_ethernet_parse_fields(cx_test *t)
{
	uint8_t buf[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00,
			 0x00, 0x02, 0x08, 0x06, 0xde, 0xad, 0xbe, 0xef};
	EthernetFrame frame;
	CX_EXPECT_EQ(t, EthernetFrame::new_checked(Bytes(buf), &frame), Error::Ok);
	CX_EXPECT(t, frame.dst() == MacAddress::broadcast());
	CX_EXPECT(t, frame.src() == kMacB);
	CX_EXPECT_EQ(t, frame.ethertype(), ethertype::kArp);
	CX_EXPECT_EQ(t, frame.payload().len(), 4u);
	CX_EXPECT_EQ(t, frame.payload().be32(0), 0xdeadbeefu);
	CX_EXPECT_EQ(t, frame.payload().data(), buf + 14);
}

void wire_ethernet_build_round_trip(cx_test *t)
{
	uint8_t buf[EthernetFrame::frame_len(6)] = {};
	EthernetFrame out = EthernetFrame::new_unchecked(Bytes(buf));
	out.set_dst(kMacA);
	out.set_src(kMacB);
	out.set_ethertype(ethertype::kIpv4);
	out.payload().write(0, "cxnet", 6);
	EthernetFrame in;
	CX_EXPECT_EQ(t, EthernetFrame::new_checked(Bytes(buf), &in), Error::Ok);
	CX_EXPECT(t, in.dst() == kMacA);
	CX_EXPECT(t, in.src() == kMacB);
	CX_EXPECT(t, in.src() != kMacA);
	CX_EXPECT_EQ(t, in.ethertype(), 0x0800u);
	CX_EXPECT_EQ(t, in.payload().u8(0), uint8_t('c'));
	CX_EXPECT_EQ(t, buf[12], 0x08);
	CX_EXPECT_EQ(t, buf[13], 0x00);
}

void wire_ethernet_mac_address_kinds(cx_test *t)
{
	CX_EXPECT(t, MacAddress::broadcast().is_broadcast());
	CX_EXPECT(t, MacAddress::broadcast().is_multicast());
	CX_EXPECT(t, kMacA.is_unicast());
	CX_EXPECT(t, !kMacA.is_broadcast());
	const MacAddress ipv4_multicast = {{0x01, 0x00, 0x5e, 0x00, 0x00, 0x01}};
	CX_EXPECT(t, ipv4_multicast.is_multicast());
	CX_EXPECT(t, !ipv4_multicast.is_broadcast());
	const MacAddress zero = {};
	CX_EXPECT(t, zero.is_zero());
	CX_EXPECT(t, !kMacA.is_zero());
	static_assert(MacAddress::broadcast().is_broadcast(), "constexpr");
}

} // namespace cx::test
