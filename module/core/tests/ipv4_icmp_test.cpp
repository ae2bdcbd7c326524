// SPDX-License-Identifier: GPL-2.0
/* ICMPv4: icmp_rcv(), echo replies, __icmp_send() rules, rate limits. */
#include "cx_test.h"
#include "cases.h"
#include "ipv4_test_packets.h"
#include "../memory.h"
#include "../ipv4/icmp.h"
#include "../ipv4/reassembly.h"

namespace cx::test {

using namespace cx::ipv4;

namespace {

constexpr uint32_t kUs = wire::ipv4_address(198, 51, 100, 7);
constexpr uint64_t kSec = 1000000000ull;
constexpr uint64_t kT0 = 5000 * kSec;

struct IcmpEnv {
	IcmpStats stats{};
	IcmpConfig config;
	IcmpRateLimiter *limiter = nullptr;
	IcmpSendContext ctx{};
};

IcmpEnv *icmp_env()
{
	IcmpEnv *env = make<IcmpEnv>(Gfp::Kernel);
	env->limiter = icmp_rate_limiter_create(Gfp::Kernel);
	env->ctx.src = kUs;
	env->ctx.route_mtu = 1500;
	env->ctx.ip_id = 0x4242;
	env->ctx.headroom = 16;
	env->ctx.now_ns = kT0;
	return env;
}

void icmp_env_free(IcmpEnv *env)
{
	icmp_rate_limiter_destroy(env->limiter);
	destroy(env);
}

/* An ICMP message (header + body_len pattern bytes) in an IP datagram to us. */
cx_pkt *icmp_packet(uint8_t type, uint8_t code, uint32_t rest, size_t body_len,
		    uint32_t src = kIpv4TestSrc)
{
	Ipv4TestSpec spec;
	spec.protocol = 1;
	spec.src = src;
	spec.dst = kUs;
	spec.payload_len = 8 + body_len;
	spec.tos = 0x10;
	cx_pkt *pkt = ipv4_test_packet(spec);
	uint8_t *icmp = cx_pkt_data(pkt) + 20;
	icmp[0] = type;
	icmp[1] = code;
	icmp[2] = 0;
	icmp[3] = 0;
	wire::store_be32(icmp + 4, rest);
	wire::store_be16(icmp + 2, internet_checksum(icmp, 8 + body_len));
	return pkt;
}

/* A UDP datagram to us of payload_len bytes (what errors are about). */
cx_pkt *udp_packet(size_t payload_len, uint32_t src = kIpv4TestSrc)
{
	Ipv4TestSpec spec;
	spec.src = src;
	spec.dst = kUs;
	spec.tos = 0x1c | 0x01; /* some TOS bits and ECT(1) */
	spec.payload_len = payload_len;
	return ipv4_test_packet(spec);
}

IcmpSendResult send_error(IcmpEnv *env, cx_pkt *in, uint8_t type, uint8_t code, uint32_t info,
			  cx_pkt **out)
{
	return icmp_build_error(env->limiter, &env->stats, &env->config, in, type, code, info,
				&env->ctx, out);
}

/* Build an error about a fresh packet and throw both away. */
IcmpSendResult try_error(IcmpEnv *env, cx_pkt *in, uint8_t type, uint8_t code)
{
	cx_pkt *out = nullptr;
	IcmpSendResult r = send_error(env, in, type, code, 0, &out);
	if (out)
		cx_pkt_free(out);
	cx_pkt_free(in);
	return r;
}

} // namespace

void ipv4_icmp_echo_reply_bytes(cx_test *t)
{
	IcmpEnv *env = icmp_env();
	cx_pkt *in = icmp_packet(icmp_type::kEcho, 0, 0xbeef0007, 56);
	IcmpRcvResult r = icmp_rcv(env->limiter, &env->stats, &env->config, in, false, &env->ctx);
	CX_EXPECT(t, r.action == IcmpRcvAction::Reply);
	CX_EXPECT(t, r.reply != nullptr);
	if (r.reply) {
		const uint8_t *in_p = cx_pkt_data(in);
		const uint8_t *p = cx_pkt_data(r.reply);
		CX_EXPECT_EQ(t, cx_pkt_len(r.reply), 20 + 8 + 56u);
		CX_EXPECT_EQ(t, p[0], 0x45);
		CX_EXPECT_EQ(t, p[1], 0x10); /* the request's TOS */
		CX_EXPECT_EQ(t, wire::load_be16(p + 2), 84);
		CX_EXPECT_EQ(t, wire::load_be16(p + 4), 0x4242);
		CX_EXPECT_EQ(t, wire::load_be16(p + 6), 0); /* no DF: IP_PMTUDISC_DONT */
		CX_EXPECT_EQ(t, p[8], 64);
		CX_EXPECT_EQ(t, p[9], 1);
		CX_EXPECT_EQ(t, wire::load_be32(p + 12), kUs);
		CX_EXPECT_EQ(t, wire::load_be32(p + 16), kIpv4TestSrc);
		CX_EXPECT(t, ipv4_test_checksum_ok(p));
		CX_EXPECT_EQ(t, p[20], 0);
		CX_EXPECT_EQ(t, p[21], 0);
		CX_EXPECT_EQ(t, wire::load_be32(p + 24), 0xbeef0007u); /* id, sequence */
		CX_EXPECT_EQ(t, __builtin_memcmp(p + 28, in_p + 28, 56), 0);
		CX_EXPECT_EQ(t, internet_checksum(p + 20, 64), 0);
		/* only the type byte changed: RFC 1624 says checksum + 0x0800 */
		CX_EXPECT_EQ(t, wire::load_be16(p + 22),
			     csum_replace16(wire::load_be16(in_p + 22), 0x0800, 0x0000));
		cx_pkt_free(r.reply);
	}
	CX_EXPECT_EQ(t, icmp_stats_get(&env->stats, IcmpMib::InMsgs), 1u);
	CX_EXPECT_EQ(t, icmp_stats_get(&env->stats, IcmpMib::OutMsgs), 1u);
	CX_EXPECT_EQ(t, env->stats.in_type[8], 1u);
	CX_EXPECT_EQ(t, env->stats.out_type[0], 1u);
	cx_pkt_free(in);
	icmp_env_free(env);
}

void ipv4_icmp_receive_checks(cx_test *t)
{
	IcmpEnv *env = icmp_env();
	/* bad checksum */
	cx_pkt *in = icmp_packet(icmp_type::kEcho, 0, 1, 8);
	cx_pkt_data(in)[30] ^= 1;
	IcmpRcvResult r = icmp_rcv(env->limiter, &env->stats, &env->config, in, false, &env->ctx);
	CX_EXPECT(t, r.action == IcmpRcvAction::Drop);
	CX_EXPECT_EQ(t, icmp_stats_get(&env->stats, IcmpMib::InCsumErrors), 1u);
	CX_EXPECT_EQ(t, icmp_stats_get(&env->stats, IcmpMib::InErrors), 1u);
	cx_pkt_free(in);
	/* shorter than an ICMP header */
	in = icmp_packet(icmp_type::kEcho, 0, 1, 0);
	cx_pkt_trim(in, 24);
	wire::store_be16(cx_pkt_data(in) + 2, 24);
	ipv4_test_refill_checksum(in);
	r = icmp_rcv(env->limiter, &env->stats, &env->config, in, false, &env->ctx);
	CX_EXPECT(t, r.action == IcmpRcvAction::Drop);
	CX_EXPECT_EQ(t, icmp_stats_get(&env->stats, IcmpMib::InErrors), 2u);
	cx_pkt_free(in);
	/* unknown type */
	in = icmp_packet(40, 0, 0, 8);
	r = icmp_rcv(env->limiter, &env->stats, &env->config, in, false, &env->ctx);
	CX_EXPECT(t, r.action == IcmpRcvAction::Drop);
	CX_EXPECT_EQ(t, icmp_stats_get(&env->stats, IcmpMib::InErrors), 3u);
	CX_EXPECT_EQ(t, env->stats.in_type[40], 1u);
	cx_pkt_free(in);
	/* echo to broadcast ignored (icmp_echo_ignore_broadcasts) */
	in = icmp_packet(icmp_type::kEcho, 0, 0, 8);
	r = icmp_rcv(env->limiter, &env->stats, &env->config, in, true, &env->ctx);
	CX_EXPECT(t, r.action == IcmpRcvAction::Drop);
	env->config.echo_ignore_broadcasts = false;
	r = icmp_rcv(env->limiter, &env->stats, &env->config, in, true, &env->ctx);
	CX_EXPECT(t, r.action == IcmpRcvAction::Reply);
	if (r.reply)
		cx_pkt_free(r.reply);
	/* icmp_echo_ignore_all */
	env->config.echo_ignore_all = true;
	r = icmp_rcv(env->limiter, &env->stats, &env->config, in, false, &env->ctx);
	CX_EXPECT(t, r.action == IcmpRcvAction::Consumed);
	cx_pkt_free(in);
	/* an error with a quoted header goes to the transport; without, InErrors */
	cx_pkt *quoted = udp_packet(8);
	in = icmp_packet(icmp_type::kDestUnreach, icmp_code::kPortUnreach, 0, 28);
	__builtin_memcpy(cx_pkt_data(in) + 28, cx_pkt_data(quoted), 28);
	uint8_t *icmp = cx_pkt_data(in) + 20;
	icmp[2] = 0;
	icmp[3] = 0;
	wire::store_be16(icmp + 2, internet_checksum(icmp, 36));
	r = icmp_rcv(env->limiter, &env->stats, &env->config, in, false, &env->ctx);
	CX_EXPECT(t, r.action == IcmpRcvAction::DeliverError);
	CX_EXPECT_EQ(t, r.type, icmp_type::kDestUnreach);
	CX_EXPECT_EQ(t, r.code, icmp_code::kPortUnreach);
	CX_EXPECT_EQ(t, r.inner_offset, 28u);
	cx_pkt_free(in);
	cx_pkt_free(quoted);
	uint64_t errors = icmp_stats_get(&env->stats, IcmpMib::InErrors);
	in = icmp_packet(icmp_type::kDestUnreach, icmp_code::kPortUnreach, 0, 12);
	r = icmp_rcv(env->limiter, &env->stats, &env->config, in, false, &env->ctx);
	CX_EXPECT(t, r.action == IcmpRcvAction::Drop);
	CX_EXPECT_EQ(t, icmp_stats_get(&env->stats, IcmpMib::InErrors), errors + 1);
	cx_pkt_free(in);
	icmp_env_free(env);
}

void ipv4_icmp_error_quotes(cx_test *t)
{
	IcmpEnv *env = icmp_env();
	/* port unreachable about a small datagram quotes all of it */
	cx_pkt *in = udp_packet(30);
	cx_pkt *out = nullptr;
	CX_EXPECT(t, send_error(env, in, icmp_type::kDestUnreach, icmp_code::kPortUnreach, 0,
				&out) == IcmpSendResult::Sent);
	if (out) {
		const uint8_t *p = cx_pkt_data(out);
		CX_EXPECT_EQ(t, cx_pkt_len(out), 20 + 8 + 50u);
		CX_EXPECT_EQ(t, p[1], 0xc0 | 0x1c); /* TOS bits kept, precedence internet control */
		CX_EXPECT_EQ(t, wire::load_be32(p + 12), kUs);
		CX_EXPECT_EQ(t, wire::load_be32(p + 16), kIpv4TestSrc);
		CX_EXPECT(t, ipv4_test_checksum_ok(p));
		CX_EXPECT_EQ(t, p[20], 3);
		CX_EXPECT_EQ(t, p[21], 3);
		CX_EXPECT_EQ(t, wire::load_be32(p + 24), 0u);
		CX_EXPECT_EQ(t, internet_checksum(p + 20, cx_pkt_len(out) - 20), 0);
		CX_EXPECT_EQ(t, __builtin_memcmp(p + 28, cx_pkt_data(in), 50), 0);
		cx_pkt_free(out);
	}
	cx_pkt_free(in);
	/* a large one: as much as fits 576 bytes */
	in = udp_packet(1400);
	CX_EXPECT(t, send_error(env, in, icmp_type::kTimeExceeded, icmp_code::kExcTtl, 0, &out) ==
			     IcmpSendResult::Sent);
	if (out) {
		CX_EXPECT_EQ(t, cx_pkt_len(out), 576u);
		CX_EXPECT_EQ(t, __builtin_memcmp(cx_pkt_data(out) + 28, cx_pkt_data(in), 548), 0);
		cx_pkt_free(out);
	}
	/* a smaller route MTU shrinks the quote; too small for a header: none */
	env->ctx.route_mtu = 100;
	CX_EXPECT(t, send_error(env, in, icmp_type::kParameterProb, 0, 9u << 24, &out) ==
			     IcmpSendResult::Sent);
	if (out) {
		CX_EXPECT_EQ(t, cx_pkt_len(out), 100u);
		CX_EXPECT_EQ(t, wire::load_be32(cx_pkt_data(out) + 24), 9u << 24);
		cx_pkt_free(out);
	}
	env->ctx.route_mtu = 48;
	CX_EXPECT(t, send_error(env, in, icmp_type::kDestUnreach, icmp_code::kHostUnreach, 0,
				&out) == IcmpSendResult::TooSmall);
	CX_EXPECT(t, out == nullptr);
	/* frag-needed carries the next-hop MTU in the low 16 bits */
	env->ctx.route_mtu = 1500;
	CX_EXPECT(t, send_error(env, in, icmp_type::kDestUnreach, icmp_code::kFragNeeded, 1400,
				&out) == IcmpSendResult::Sent);
	if (out) {
		CX_EXPECT_EQ(t, wire::load_be16(cx_pkt_data(out) + 26), 1400);
		cx_pkt_free(out);
	}
	CX_EXPECT_EQ(t, icmp_stats_get(&env->stats, IcmpMib::OutMsgs), 4u);
	CX_EXPECT_EQ(t, env->stats.out_type[3], 2u);
	CX_EXPECT_EQ(t, env->stats.out_type[11], 1u);
	CX_EXPECT_EQ(t, env->stats.out_type[12], 1u);
	cx_pkt_free(in);
	icmp_env_free(env);
}

void ipv4_icmp_never_reply(cx_test *t)
{
	IcmpEnv *env = icmp_env();
	const uint8_t unreach = icmp_type::kDestUnreach;
	const uint8_t host = icmp_code::kHostUnreach;
	/* about ICMP errors, or unknown ICMP types: never */
	CX_EXPECT(t, try_error(env, icmp_packet(icmp_type::kDestUnreach, 3, 0, 28), unreach, host) ==
			     IcmpSendResult::NotAllowed);
	CX_EXPECT(t, try_error(env, icmp_packet(icmp_type::kTimeExceeded, 0, 0, 28), unreach,
			       host) == IcmpSendResult::NotAllowed);
	CX_EXPECT(t, try_error(env, icmp_packet(44, 0, 0, 28), unreach, host) ==
			     IcmpSendResult::NotAllowed);
	/* about an echo request: yes */
	CX_EXPECT(t, try_error(env, icmp_packet(icmp_type::kEcho, 0, 0, 28), unreach, host) ==
			     IcmpSendResult::Sent);
	/* non-first fragments: never; the first: yes */
	Ipv4TestSpec spec;
	spec.mf = true;
	spec.frag_offset = 8;
	spec.payload_len = 16;
	CX_EXPECT(t, try_error(env, ipv4_test_packet(spec), unreach, host) ==
			     IcmpSendResult::NotAllowed);
	spec.frag_offset = 0;
	CX_EXPECT(t, try_error(env, ipv4_test_packet(spec), unreach, host) == IcmpSendResult::Sent);
	/* sources that are not a single host */
	static const uint32_t bad_sources[] = {0, wire::ipv4_address(224, 0, 0, 5),
					       wire::ipv4_address(239, 1, 2, 3),
					       wire::ipv4_address(240, 0, 0, 1), 0xffffffffu};
	for (uint32_t src : bad_sources)
		CX_EXPECT(t, try_error(env, udp_packet(8, src), unreach, host) ==
				     IcmpSendResult::NotAllowed);
	/* broadcast / multicast input, at the link or IP level */
	env->ctx.in_not_host = true;
	CX_EXPECT(t, try_error(env, udp_packet(8), unreach, host) == IcmpSendResult::NotAllowed);
	env->ctx.in_not_host = false;
	env->ctx.in_bcast_mcast = true;
	CX_EXPECT(t, try_error(env, udp_packet(8), unreach, host) == IcmpSendResult::NotAllowed);
	env->ctx.in_bcast_mcast = false;
	CX_EXPECT_EQ(t, icmp_stats_get(&env->stats, IcmpMib::OutMsgs), 2u);
	icmp_env_free(env);
}

void ipv4_icmp_rate_limit_host(cx_test *t)
{
	IcmpEnv *env = icmp_env();
	env->config.msgs_burst = 1000000; /* keep the global bucket out of the way */
	env->config.msgs_per_sec = 1000000;
	const uint32_t peer_a = wire::ipv4_address(203, 0, 113, 1);
	const uint32_t peer_b = wire::ipv4_address(203, 0, 113, 2);
	auto allow = [&](uint32_t dst, uint8_t type, uint8_t code) {
		return icmp_host_allow(env->limiter, &env->stats, &env->config, type, code, dst, 0,
				       false, env->ctx.now_ns);
	};
	/* a new peer has a burst of 6 (XRLIM_BURST_FACTOR), then one per icmp_ratelimit */
	unsigned int sent = 0;
	for (int i = 0; i < 20; i++)
		sent += allow(peer_a, icmp_type::kDestUnreach, icmp_code::kPortUnreach);
	CX_EXPECT_EQ(t, sent, 6u);
	CX_EXPECT_EQ(t, icmp_stats_get(&env->stats, IcmpMib::OutRateLimitHost), 14u);
	/* another destination has its own bucket */
	CX_EXPECT(t, allow(peer_b, icmp_type::kTimeExceeded, 0));
	env->ctx.now_ns += 999 * 1000000ull;
	CX_EXPECT(t, !allow(peer_a, icmp_type::kDestUnreach, 1));
	env->ctx.now_ns += 1000000ull;
	CX_EXPECT(t, allow(peer_a, icmp_type::kDestUnreach, 1));
	CX_EXPECT(t, !allow(peer_a, icmp_type::kDestUnreach, 1));
	/* not limited: echo replies (not in icmp_ratemask), frag-needed, loopback */
	for (int i = 0; i < 10; i++) {
		CX_EXPECT(t, allow(peer_a, icmp_type::kEchoReply, 0));
		CX_EXPECT(t, allow(peer_a, icmp_type::kDestUnreach, icmp_code::kFragNeeded));
		CX_EXPECT(t, icmp_host_allow(env->limiter, &env->stats, &env->config,
					     icmp_type::kDestUnreach, 1, peer_a, 0, true,
					     env->ctx.now_ns));
	}
	/* a long pause refills to the burst, not beyond */
	env->ctx.now_ns += 3600 * kSec;
	sent = 0;
	for (int i = 0; i < 20; i++)
		sent += allow(peer_a, icmp_type::kParameterProb, 0);
	CX_EXPECT_EQ(t, sent, 6u);
	/* icmp_ratelimit = 0: no limit */
	env->config.ratelimit_ms = 0;
	for (int i = 0; i < 20; i++)
		CX_EXPECT(t, allow(peer_a, icmp_type::kParameterProb, 0));
	icmp_env_free(env);
}

void ipv4_icmp_rate_limit_global(cx_test *t)
{
	IcmpEnv *env = icmp_env();
	auto allow = [&](uint8_t type, uint8_t code) {
		return icmp_global_allow(env->limiter, &env->stats, &env->config, type, code,
					 env->ctx.now_ns);
	};
	/*
	 * A burst of icmp_msgs_burst (50) tokens, each message taking 0..2 at
	 * random (1 on average): at least 25 pass; more than 100 would need
	 * 100 draws summing under 50, six standard deviations away.
	 */
	unsigned int sent = 0;
	for (int i = 0; i < 500; i++)
		sent += allow(icmp_type::kDestUnreach, icmp_code::kPortUnreach);
	CX_EXPECT(t, sent >= 25 && sent <= 100);
	CX_EXPECT_EQ(t, icmp_stats_get(&env->stats, IcmpMib::OutRateLimitGlobal), 500u - sent);
	/* no refill within 20 ms */
	env->ctx.now_ns += 19 * 1000000ull;
	CX_EXPECT(t, !allow(icmp_type::kDestUnreach, icmp_code::kPortUnreach));
	/* 20 ms at 1000/s: 20 tokens */
	env->ctx.now_ns += 1000000ull;
	sent = 0;
	for (int i = 0; i < 100; i++)
		sent += allow(icmp_type::kTimeExceeded, 0);
	CX_EXPECT(t, sent >= 10 && sent <= 60);
	/* unlimited types pass even with the bucket empty */
	for (int i = 0; i < 100; i++) {
		CX_EXPECT(t, allow(icmp_type::kEchoReply, 0));
		CX_EXPECT(t, allow(icmp_type::kDestUnreach, icmp_code::kFragNeeded));
		CX_EXPECT(t, allow(icmp_type::kRedirect, 0)); /* bit 5 not in 0x1818 */
	}
	/* a whole second refills to the burst only */
	env->ctx.now_ns += 10 * kSec;
	sent = 0;
	for (int i = 0; i < 500; i++)
		sent += allow(icmp_type::kSourceQuench, 0);
	CX_EXPECT(t, sent >= 25 && sent <= 100);
	icmp_env_free(env);
}

void ipv4_icmp_errors_rate_limited(cx_test *t)
{
	IcmpEnv *env = icmp_env();
	/* through icmp_build_error(): the per-host burst of 6, then RateLimited */
	unsigned int sent = 0, limited = 0;
	for (int i = 0; i < 10; i++) {
		IcmpSendResult r = try_error(env, udp_packet(8), icmp_type::kDestUnreach,
					     icmp_code::kPortUnreach);
		sent += r == IcmpSendResult::Sent;
		limited += r == IcmpSendResult::RateLimited;
	}
	CX_EXPECT_EQ(t, sent, 6u);
	CX_EXPECT_EQ(t, limited, 4u);
	CX_EXPECT_EQ(t, icmp_stats_get(&env->stats, IcmpMib::OutRateLimitHost), 4u);
	/* echo replies are not limited by default */
	cx_pkt *in = icmp_packet(icmp_type::kEcho, 0, 1, 8);
	for (int i = 0; i < 100; i++) {
		IcmpRcvResult r =
			icmp_rcv(env->limiter, &env->stats, &env->config, in, false, &env->ctx);
		CX_EXPECT(t, r.action == IcmpRcvAction::Reply);
		if (r.reply)
			cx_pkt_free(r.reply);
	}
	cx_pkt_free(in);
	icmp_env_free(env);
}

namespace {

struct TimeoutSink {
	IcmpEnv *icmp;
	cx_pkt *sent;
};

/* What the kernel side will do on reassembly timeout: ICMP time exceeded, code 1. */
void send_reasm_timeout(void *ctx, const FragKey *, cx_pkt *head)
{
	TimeoutSink *sink = static_cast<TimeoutSink *>(ctx);
	icmp_build_error(sink->icmp->limiter, &sink->icmp->stats, &sink->icmp->config, head,
			 icmp_type::kTimeExceeded, icmp_code::kExcFragTime, 0, &sink->icmp->ctx,
			 &sink->sent);
}

} // namespace

void ipv4_icmp_reassembly_timeout_message(cx_test *t)
{
	IcmpEnv *env = icmp_env();
	IpStats *ip_stats = make<IpStats>(Gfp::Kernel);
	ReassemblyConfig *config = make<ReassemblyConfig>(Gfp::Kernel);
	TimeoutSink sink{env, nullptr};
	FragTable *table = frag_table_create(config, ip_stats, send_reasm_timeout, &sink, Gfp::Kernel);
	Ipv4TestSpec spec;
	spec.dst = kUs;
	spec.mf = true;
	spec.payload_len = 64;
	cx_pkt *out = nullptr;
	DropReason reason;
	ip_defrag(table, ipv4_test_packet(spec), 0, 0, &out, &reason);
	FragKey key{};
	key.src = spec.src;
	key.dst = spec.dst;
	key.id = spec.id;
	key.protocol = spec.protocol;
	CX_EXPECT(t, frag_table_expire_now(table, &key));
	CX_EXPECT(t, sink.sent != nullptr);
	if (sink.sent) {
		const uint8_t *p = cx_pkt_data(sink.sent);
		CX_EXPECT_EQ(t, p[20], icmp_type::kTimeExceeded);
		CX_EXPECT_EQ(t, p[21], icmp_code::kExcFragTime);
		/* the first fragment's header (MF set) and its data are quoted */
		CX_EXPECT_EQ(t, cx_pkt_len(sink.sent), 20 + 8 + 84u);
		CX_EXPECT_EQ(t, wire::load_be16(p + 28 + 6), 0x2000);
		cx_pkt_free(sink.sent);
	}
	frag_table_destroy(table);
	destroy(config);
	destroy(ip_stats);
	icmp_env_free(env);
}

} // namespace cx::test
