/* SPDX-License-Identifier: GPL-2.0 */
/* Packet builders shared by the ipv4 area's test cases (kernel-safe). */
#ifndef CXNET_CORE_TESTS_IPV4_TEST_PACKETS_H
#define CXNET_CORE_TESTS_IPV4_TEST_PACKETS_H

#include "../types.h"
#include "../os.h"
#include "../checksum.h"
#include "../wire/bytes.h"
#include "../wire/ipv4.h"

namespace cx::test {

constexpr uint32_t kIpv4TestSrc = wire::ipv4_address(192, 0, 2, 1);
constexpr uint32_t kIpv4TestDst = wire::ipv4_address(198, 51, 100, 7);

/* The payload byte at datagram offset i of a pattern (seeded). */
constexpr uint8_t ipv4_test_byte(size_t i, uint32_t seed)
{
	return static_cast<uint8_t>((i * 131u + (i >> 8) * 7u + seed) & 0xff);
}

struct Ipv4TestSpec {
	uint32_t src = kIpv4TestSrc;
	uint32_t dst = kIpv4TestDst;
	uint8_t protocol = 17;
	uint16_t id = 0x1234;
	uint8_t tos = 0;
	uint8_t ttl = 64;
	bool df = false;
	bool mf = false;
	uint16_t frag_offset = 0;	/* bytes */
	const uint8_t *options = nullptr;
	size_t options_len = 0;		/* a multiple of 4 */
	size_t payload_len = 0;
	size_t payload_start = 0;	/* pattern position of the first payload byte */
	uint32_t seed = 1;
	size_t padding = 0;		/* link-layer bytes after the datagram */
	size_t headroom = 32;
};

/* A datagram (or fragment) as spec says, checksum filled. NULL on allocation failure. */
inline cx_pkt *ipv4_test_packet(const Ipv4TestSpec &spec)
{
	size_t hlen = 20 + spec.options_len;
	size_t len = hlen + spec.payload_len;
	cx_pkt *pkt = cx_pkt_alloc(spec.headroom, len + spec.padding, CX_GFP_KERNEL);
	if (!pkt)
		return nullptr;
	uint8_t *p = cx_pkt_put(pkt, len + spec.padding);
	__builtin_memset(p, 0, hlen);
	wire::Ipv4Packet ip = wire::Ipv4Packet::new_unchecked(wire::Bytes(p, len));
	ip.set_version(4);
	ip.set_ihl(static_cast<uint8_t>(hlen / 4));
	p[1] = spec.tos;
	ip.set_total_len(static_cast<uint16_t>(len));
	ip.set_ident(spec.id);
	ip.set_dont_frag(spec.df);
	ip.set_more_frags(spec.mf);
	ip.set_frag_offset(spec.frag_offset);
	ip.set_ttl(spec.ttl);
	ip.set_protocol(spec.protocol);
	ip.set_src(spec.src);
	ip.set_dst(spec.dst);
	if (spec.options_len)
		__builtin_memcpy(p + 20, spec.options, spec.options_len);
	for (size_t i = 0; i < spec.payload_len; i++)
		p[hlen + i] = ipv4_test_byte(spec.payload_start + i, spec.seed);
	for (size_t i = 0; i < spec.padding; i++)
		p[len + i] = 0xee;
	ip.fill_checksum();
	return pkt;
}

/* Does the header checksum of the datagram at p verify? */
inline bool ipv4_test_checksum_ok(const uint8_t *p)
{
	return csum_fold(csum_partial(p, static_cast<size_t>(p[0] & 0x0f) * 4, 0)) == 0xffff;
}

/* Does the payload of the datagram in pkt match the pattern? */
inline bool ipv4_test_payload_matches(cx_pkt *pkt, size_t payload_len, uint32_t seed)
{
	uint8_t *p = cx_pkt_data(pkt);
	size_t hlen = static_cast<size_t>(p[0] & 0x0f) * 4;
	if (cx_pkt_len(pkt) != hlen + payload_len)
		return false;
	for (size_t i = 0; i < payload_len; i++)
		if (p[hlen + i] != ipv4_test_byte(i, seed))
			return false;
	return true;
}

/* Recompute the header checksum after a test edited the header. */
inline void ipv4_test_refill_checksum(cx_pkt *pkt)
{
	uint8_t *p = cx_pkt_data(pkt);
	size_t hlen = static_cast<size_t>(p[0] & 0x0f) * 4;
	p[10] = 0;
	p[11] = 0;
	wire::store_be16(p + 10, internet_checksum(p, hlen));
}

} // namespace cx::test

#endif /* CXNET_CORE_TESTS_IPV4_TEST_PACKETS_H */
