// SPDX-License-Identifier: GPL-2.0
/* IPv4 receive validation: ip_rcv_core(), options, martians, forwarding TTL. */
#include "cx_test.h"
#include "cases.h"
#include "ipv4_test_packets.h"
#include "../memory.h"
#include "../ipv4/ip_input.h"

namespace cx::test {

using namespace cx::ipv4;

namespace {

struct InputEnv {
	IpStats stats;
	IpRcvConfig config;
};

InputEnv *input_env()
{
	return static_cast<InputEnv *>(cx_os_zalloc(sizeof(InputEnv), CX_GFP_KERNEL));
}

/* Run ip_rcv_core() on pkt, free it, return the result. */
IpRcvResult rcv_and_free(InputEnv *env, cx_pkt *pkt)
{
	IpRcvResult result = ip_rcv_core(&env->stats, &env->config, pkt);
	cx_pkt_free(pkt);
	return result;
}

/* A packet whose header byte at index is value (checksum refilled if asked). */
cx_pkt *edited(size_t index, uint8_t value, bool refill)
{
	Ipv4TestSpec spec;
	spec.payload_len = 40;
	cx_pkt *pkt = ipv4_test_packet(spec);
	cx_pkt_data(pkt)[index] = value;
	if (refill)
		ipv4_test_refill_checksum(pkt);
	return pkt;
}

/* Options (padded to 4 bytes by the caller) through ip_rcv_core(). */
IpRcvResult with_options(InputEnv *env, const uint8_t *options, size_t len)
{
	Ipv4TestSpec spec;
	spec.options = options;
	spec.options_len = len;
	spec.payload_len = 8;
	return rcv_and_free(env, ipv4_test_packet(spec));
}

void expect_hdr_error(cx_test *t, InputEnv *env, IpRcvResult result, uint64_t count)
{
	CX_EXPECT(t, result.verdict == IpVerdict::Drop);
	CX_EXPECT(t, result.reason == DropReason::IpInhdr);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::InHdrErrors), count);
	CX_EXPECT_EQ(t, ip_stats_drops(&env->stats, DropReason::IpInhdr), count);
}

} // namespace

void ipv4_input_accepts_valid(cx_test *t)
{
	InputEnv *env = input_env();
	Ipv4TestSpec spec;
	spec.payload_len = 100;
	IpRcvResult r = rcv_and_free(env, ipv4_test_packet(spec));
	CX_EXPECT(t, r.verdict == IpVerdict::Accept);
	CX_EXPECT(t, r.reason == DropReason::NotDropped);
	CX_EXPECT_EQ(t, r.header_len, 20);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::InReceives), 1u);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::InHdrErrors), 0u);
	for (unsigned int i = 0; i < kDropReasonCount; i++)
		CX_EXPECT_EQ(t, env->stats.drops[i], 0u);
	cx_os_free(env);
}

void ipv4_input_truncated_header(cx_test *t)
{
	InputEnv *env = input_env();
	for (size_t len = 0; len < 20; len++) {
		Ipv4TestSpec spec;
		cx_pkt *pkt = ipv4_test_packet(spec);
		cx_pkt_trim(pkt, len);
		expect_hdr_error(t, env, rcv_and_free(env, pkt), len + 1);
	}
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::InReceives), 20u);
	cx_os_free(env);
}

void ipv4_input_bad_version(cx_test *t)
{
	InputEnv *env = input_env();
	expect_hdr_error(t, env, rcv_and_free(env, edited(0, 0x65, true)), 1);
	expect_hdr_error(t, env, rcv_and_free(env, edited(0, 0x05, true)), 2);
	cx_os_free(env);
}

void ipv4_input_bad_ihl(cx_test *t)
{
	InputEnv *env = input_env();
	for (uint8_t ihl = 0; ihl < 5; ihl++)
		expect_hdr_error(t, env, rcv_and_free(env, edited(0, 0x40 | ihl, false)), ihl + 1u);
	cx_os_free(env);
}

void ipv4_input_ihl_beyond_frame(cx_test *t)
{
	InputEnv *env = input_env();
	/* IHL 15 (60 bytes) in a 28-byte frame: pskb_may_pull() fails */
	Ipv4TestSpec spec;
	spec.payload_len = 8;
	cx_pkt *pkt = ipv4_test_packet(spec);
	cx_pkt_data(pkt)[0] = 0x4f;
	expect_hdr_error(t, env, rcv_and_free(env, pkt), 1);
	cx_os_free(env);
}

void ipv4_input_bad_checksum(cx_test *t)
{
	InputEnv *env = input_env();
	/* TTL changed without fixing the checksum */
	IpRcvResult r = rcv_and_free(env, edited(8, 3, false));
	CX_EXPECT(t, r.verdict == IpVerdict::Drop);
	CX_EXPECT(t, r.reason == DropReason::IpCsum);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::InCsumErrors), 1u);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::InHdrErrors), 1u);
	CX_EXPECT_EQ(t, ip_stats_drops(&env->stats, DropReason::IpCsum), 1u);
	cx_os_free(env);
}

void ipv4_input_total_len_exceeds_frame(cx_test *t)
{
	InputEnv *env = input_env();
	Ipv4TestSpec spec;
	spec.payload_len = 40;
	cx_pkt *pkt = ipv4_test_packet(spec);
	wire::store_be16(cx_pkt_data(pkt) + 2, 61);
	ipv4_test_refill_checksum(pkt);
	IpRcvResult r = rcv_and_free(env, pkt);
	CX_EXPECT(t, r.verdict == IpVerdict::Drop);
	CX_EXPECT(t, r.reason == DropReason::PktTooSmall);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::InTruncatedPkts), 1u);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::InHdrErrors), 0u);
	CX_EXPECT_EQ(t, ip_stats_drops(&env->stats, DropReason::PktTooSmall), 1u);
	cx_os_free(env);
}

void ipv4_input_total_len_below_header(cx_test *t)
{
	InputEnv *env = input_env();
	Ipv4TestSpec spec;
	spec.payload_len = 40;
	cx_pkt *pkt = ipv4_test_packet(spec);
	wire::store_be16(cx_pkt_data(pkt) + 2, 19);
	ipv4_test_refill_checksum(pkt);
	expect_hdr_error(t, env, rcv_and_free(env, pkt), 1);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::InTruncatedPkts), 0u);
	cx_os_free(env);
}

void ipv4_input_padding_trimmed(cx_test *t)
{
	InputEnv *env = input_env();
	Ipv4TestSpec spec;
	spec.payload_len = 6;
	spec.padding = 20; /* a 26-byte datagram padded to the 46-byte Ethernet minimum */
	cx_pkt *pkt = ipv4_test_packet(spec);
	CX_EXPECT_EQ(t, cx_pkt_len(pkt), 46u);
	IpRcvResult r = ip_rcv_core(&env->stats, &env->config, pkt);
	CX_EXPECT(t, r.verdict == IpVerdict::Accept);
	CX_EXPECT_EQ(t, cx_pkt_len(pkt), 26u);
	CX_EXPECT(t, ipv4_test_payload_matches(pkt, 6, spec.seed));
	cx_pkt_free(pkt);
	cx_os_free(env);
}

void ipv4_input_options_accepted(cx_test *t)
{
	InputEnv *env = input_env();
	/* NOP, router alert, record route (room for 2), timestamp (room for 1), END */
	static const uint8_t options[] = {
		1, 148, 4, 0, 0,	       /* NOP, RA */
		7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, /* RR */
		68, 8, 5, 0, 0, 0, 0, 0,	       /* TS (tsonly) */
		0, 0, 0, 0,		       /* END + padding */
	};
	static_assert(sizeof(options) % 4 == 0, "options are whole words");
	Ipv4TestSpec spec;
	spec.options = options;
	spec.options_len = sizeof(options);
	spec.payload_len = 8;
	cx_pkt *pkt = ipv4_test_packet(spec);
	IpRcvResult r = ip_rcv_core(&env->stats, &env->config, pkt);
	CX_EXPECT(t, r.verdict == IpVerdict::Accept);
	CX_EXPECT_EQ(t, r.header_len, 20 + sizeof(options));
	CX_EXPECT_EQ(t, r.options.router_alert, 21);
	CX_EXPECT_EQ(t, r.options.rr, 25);
	CX_EXPECT_EQ(t, r.options.ts, 36);
	CX_EXPECT_EQ(t, r.options.srr, 0);
	cx_pkt_free(pkt);

	/* bytes after END are rewritten to END and the checksum stays valid */
	static const uint8_t after_end[] = {1, 0, 7, 1};
	spec.options = after_end;
	spec.options_len = sizeof(after_end);
	pkt = ipv4_test_packet(spec);
	r = ip_rcv_core(&env->stats, &env->config, pkt);
	CX_EXPECT(t, r.verdict == IpVerdict::Accept);
	CX_EXPECT_EQ(t, cx_pkt_data(pkt)[22], 0);
	CX_EXPECT_EQ(t, cx_pkt_data(pkt)[23], 0);
	CX_EXPECT(t, ipv4_test_checksum_ok(cx_pkt_data(pkt)));
	cx_pkt_free(pkt);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::InHdrErrors), 0u);
	cx_os_free(env);
}

void ipv4_input_options_malformed(cx_test *t)
{
	InputEnv *env = input_env();
	struct Case {
		uint8_t options[8];
		uint16_t pointer; /* expected, from the IP header start */
	};
	static const Case cases[] = {
		{{1, 1, 1, 7, 0, 0, 0, 0}, 23},		/* option length 0 < 2 */
		{{1, 1, 1, 130, 0, 0, 0, 0}, 23},		/* length 0 */
		{{1, 1, 1, 1, 1, 1, 1, 130}, 27},		/* type byte, no length byte */
		{{130, 9, 0, 0, 0, 0, 0, 0}, 20},		/* length past the header */
		{{7, 2, 0, 0, 0, 0, 0, 0}, 21},		/* RR shorter than 3 */
		{{7, 7, 3, 0, 0, 0, 0, 0}, 22},		/* RR pointer < 4 */
		{{7, 7, 4, 0, 0, 0, 0, 0}, 0},		/* valid (checked below) */
		{{7, 3, 4, 7, 3, 4, 0, 0}, 23},		/* RR twice */
		{{68, 3, 5, 0, 0, 0, 0, 0}, 21},		/* TS shorter than 4 */
		{{68, 8, 4, 0, 0, 0, 0, 0}, 22},		/* TS pointer < 5 */
		{{68, 8, 9, 0xf0, 0, 0, 0, 0}, 23},		/* TS full, overflow 15 */
		{{68, 8, 5, 1, 0, 0, 0, 0}, 22},		/* TS addr+time needs 8 bytes */
		{{131, 7, 3, 0, 0, 0, 0, 0}, 22},		/* LSRR pointer < 4 */
		{{148, 3, 0, 0, 0, 0, 0, 0}, 21},		/* RA shorter than 4 */
	};
	uint64_t errors = 0;
	for (const Case &c : cases) {
		IpRcvResult r = with_options(env, c.options, sizeof(c.options));
		if (c.options[0] == 7 && c.options[1] == 7 && c.options[2] == 4) {
			/* RR with pointer 4 in 7 bytes: one address slot, valid */
			CX_EXPECT(t, r.verdict == IpVerdict::Accept);
			continue;
		}
		errors++;
		CX_EXPECT(t, r.verdict == IpVerdict::DropParamProblem);
		CX_EXPECT(t, r.reason == DropReason::IpOptions);
		CX_EXPECT_EQ(t, r.icmp_pointer, c.pointer);
	}
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::InHdrErrors), errors);
	CX_EXPECT_EQ(t, ip_stats_drops(&env->stats, DropReason::IpOptions), errors);
	cx_os_free(env);
}

void ipv4_input_source_route(cx_test *t)
{
	InputEnv *env = input_env();
	static const uint8_t lsrr[] = {131, 7, 4, 10, 0, 0, 1, 0};
	IpRcvResult r = with_options(env, lsrr, sizeof(lsrr));
	CX_EXPECT(t, r.verdict == IpVerdict::Drop);
	CX_EXPECT(t, r.reason == DropReason::IpSourceRoute);
	/* Linux counts no MIB for it */
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::InHdrErrors), 0u);
	env->config.accept_source_route = true;
	r = with_options(env, lsrr, sizeof(lsrr));
	CX_EXPECT(t, r.verdict == IpVerdict::Accept);
	CX_EXPECT_EQ(t, r.options.srr, 20);
	CX_EXPECT(t, !r.options.is_strictroute);
	cx_os_free(env);
}

void ipv4_input_martians(cx_test *t)
{
	InputEnv *env = input_env();
	const uint32_t host = wire::ipv4_address(10, 0, 0, 1);
	CX_EXPECT(t, !ip_rcv_martian(&env->stats, kIpv4TestSrc, host));
	CX_EXPECT(t, ip_rcv_martian(&env->stats, wire::ipv4_address(224, 0, 0, 1), host));
	CX_EXPECT(t, ip_rcv_martian(&env->stats, 0xffffffffu, host));
	CX_EXPECT(t, ip_rcv_martian(&env->stats, 0, host));
	/* DHCP discover: 0.0.0.0 -> 255.255.255.255 */
	CX_EXPECT(t, !ip_rcv_martian(&env->stats, 0, 0xffffffffu));
	CX_EXPECT(t, ip_rcv_martian(&env->stats, kIpv4TestSrc, 0));
	/* the rest of 0/8 is unicast since Linux 5.3 */
	CX_EXPECT(t, !ip_rcv_martian(&env->stats, wire::ipv4_address(0, 27, 1, 70), host));
	CX_EXPECT(t, !ip_rcv_martian(&env->stats, kIpv4TestSrc, wire::ipv4_address(0, 1, 2, 3)));
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::InAddrErrors), 4u);
	CX_EXPECT_EQ(t, ip_stats_drops(&env->stats, DropReason::IpInaddrErrors), 4u);
	cx_os_free(env);
}

void ipv4_input_forward_ttl(cx_test *t)
{
	InputEnv *env = input_env();
	DropReason reason;
	for (unsigned int ttl = 2; ttl <= 255; ttl += 31) {
		Ipv4TestSpec spec;
		spec.ttl = static_cast<uint8_t>(ttl);
		cx_pkt *pkt = ipv4_test_packet(spec);
		CX_EXPECT(t, ip_forward_ttl(&env->stats, pkt, &reason) == IpVerdict::Accept);
		CX_EXPECT_EQ(t, cx_pkt_data(pkt)[8], ttl - 1);
		CX_EXPECT(t, ipv4_test_checksum_ok(cx_pkt_data(pkt)));
		cx_pkt_free(pkt);
	}
	for (uint8_t ttl = 0; ttl <= 1; ttl++) {
		Ipv4TestSpec spec;
		spec.ttl = ttl;
		cx_pkt *pkt = ipv4_test_packet(spec);
		CX_EXPECT(t, ip_forward_ttl(&env->stats, pkt, &reason) == IpVerdict::DropTimeExceeded);
		CX_EXPECT(t, reason == DropReason::IpInhdr);
		CX_EXPECT_EQ(t, cx_pkt_data(pkt)[8], ttl);
		cx_pkt_free(pkt);
	}
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::InHdrErrors), 2u);
	cx_os_free(env);
}

} // namespace cx::test
