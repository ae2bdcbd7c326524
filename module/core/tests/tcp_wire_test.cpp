// SPDX-License-Identifier: GPL-2.0
/* wire/tcp.h, the ISN generator, the RTO estimator and NewReno's cwnd. */
#include "cx_test.h"
#include "cases.h"
#include "../cx_errno.h"
#include "../wire/tcp.h"
#include "../tcp/tcp_isn.h"
#include "../tcp/tcp_sock.h"

namespace cx::test {

using namespace cx::wire;

namespace {

Error check(uint8_t *buf, size_t len)
{
	TcpPacket tcp;
	return TcpPacket::new_checked(Bytes(buf, len), &tcp);
}

TcpOptError parse(const uint8_t *opts, size_t len, TcpOptions *out)
{
	uint8_t buf[40];
	__builtin_memcpy(buf, opts, len);
	return tcp_parse_options(Bytes(buf, len), out);
}

} // namespace

void wire_tcp_truncated_and_bad_offset(cx_test *t)
{
	uint8_t buf[24] = {};
	buf[12] = 5 << 4;
	for (size_t len = 0; len < 20; len++)
		CX_EXPECT_EQ(t, check(buf, len), Error::Truncated);
	CX_EXPECT_EQ(t, check(buf, 20), Error::Ok);
	buf[12] = 4 << 4;
	CX_EXPECT_EQ(t, check(buf, 24), Error::BadDataOffset);
	buf[12] = 6 << 4;
	CX_EXPECT_EQ(t, check(buf, 23), Error::Truncated);
	CX_EXPECT_EQ(t, check(buf, 24), Error::Ok);
	CX_EXPECT(t, __builtin_strcmp(error_name(Error::BadDataOffset), "BadDataOffset") == 0);
}

void wire_tcp_header_fields_and_checksum(cx_test *t)
{
	uint8_t buf[24] = {};
	TcpPacket tcp = TcpPacket::new_unchecked(Bytes(buf, sizeof(buf)));
	tcp.set_src_port(1234);
	tcp.set_dst_port(80);
	tcp.set_seq(0xfffffff0u);
	tcp.set_ack(7);
	tcp.set_data_offset(5);
	tcp.set_flags(tcp_flag::kSyn | tcp_flag::kAck);
	tcp.set_window(65535);
	buf[20] = 'd';
	buf[21] = 'a';
	buf[22] = 't';
	buf[23] = 'a';
	const uint32_t src = ipv4_address(10, 0, 0, 1), dst = ipv4_address(10, 0, 0, 2);
	tcp.fill_checksum_ipv4(src, dst);
	CX_EXPECT_EQ(t, tcp.check(), Error::Ok);
	CX_EXPECT_EQ(t, tcp.src_port(), 1234);
	CX_EXPECT_EQ(t, tcp.dst_port(), 80);
	CX_EXPECT_EQ(t, tcp.seq(), 0xfffffff0u);
	CX_EXPECT_EQ(t, tcp.ack(), 7u);
	CX_EXPECT(t, tcp.has(tcp_flag::kSyn) && tcp.has(tcp_flag::kAck) && !tcp.has(tcp_flag::kFin));
	CX_EXPECT_EQ(t, tcp.payload().len(), 4u);
	CX_EXPECT(t, tcp.verify_checksum_ipv4(src, dst));
	CX_EXPECT(t, !tcp.verify_checksum_ipv4(src, dst + 1));
	/* the checksum equals a sum over pseudo header + segment written out */
	uint8_t pseudo[12 + 24] = {10, 0, 0, 1, 10, 0, 0, 2, 0, 6, 0, 24};
	__builtin_memcpy(pseudo + 12, buf, 24);
	CX_EXPECT_EQ(t, internet_checksum(pseudo, sizeof(pseudo)), 0);
	buf[22] ^= 1;
	CX_EXPECT(t, !tcp.verify_checksum_ipv4(src, dst));
}

void wire_tcp_options_round_trip(cx_test *t)
{
	TcpOptions in;
	in.mss_present = true;
	in.mss = 1460;
	in.wscale_present = true;
	in.wscale = 7;
	in.sack_permitted = true;
	in.ts_present = true;
	in.tsval = 0x11223344u;
	in.tsecr = 0x55667788u;
	uint8_t buf[40];
	size_t len = tcp_options_len(in);
	CX_EXPECT_EQ(t, len, 20u);	/* Linux's SYN: MSS, SACK_PERM+TS, NOP+WS */
	CX_EXPECT_EQ(t, tcp_write_options(Bytes(buf, len), in), len);
	const uint8_t linux_syn[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0x11, 0x22, 0x33, 0x44,
				       0x55, 0x66, 0x77, 0x88, 1, 3, 3, 7};
	CX_EXPECT(t, __builtin_memcmp(buf, linux_syn, 20) == 0);
	TcpOptions out;
	CX_EXPECT_EQ(t, tcp_parse_options(Bytes(buf, len), &out), TcpOptError::Ok);
	CX_EXPECT(t, out.mss_present && out.mss == 1460);
	CX_EXPECT(t, out.wscale_present && out.wscale == 7);
	CX_EXPECT(t, out.sack_permitted);
	CX_EXPECT(t, out.ts_present && out.tsval == 0x11223344u && out.tsecr == 0x55667788u);
	/* timestamps alone: NOP NOP TS */
	TcpOptions ts;
	ts.ts_present = true;
	CX_EXPECT_EQ(t, tcp_options_len(ts), 12u);
	tcp_write_options(Bytes(buf, 12), ts);
	CX_EXPECT(t, buf[0] == 1 && buf[1] == 1 && buf[2] == 8 && buf[3] == 10);
	/* SACK blocks, EOL ends parsing, unknown options skipped */
	const uint8_t sack[] = {1, 1, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4,
				30, 3, 9, 0, 2, 4, 1, 0};
	CX_EXPECT_EQ(t, parse(sack, sizeof(sack), &out), TcpOptError::Ok);
	CX_EXPECT_EQ(t, out.sack_blocks, 2);
	CX_EXPECT_EQ(t, out.sack[1][1], 4u);
	CX_EXPECT(t, !out.mss_present);	/* after EOL */
}

void wire_tcp_malformed_options(cx_test *t)
{
	TcpOptions out;
	const uint8_t missing_len[] = {1, 1, 2};
	CX_EXPECT_EQ(t, parse(missing_len, sizeof(missing_len), &out), TcpOptError::MissingLength);
	const uint8_t zero_len[] = {2, 4, 1, 0, 30, 0, 1, 1};
	CX_EXPECT_EQ(t, parse(zero_len, sizeof(zero_len), &out), TcpOptError::LengthBelowTwo);
	CX_EXPECT(t, out.mss_present && out.mss == 256);	/* kept: before the problem */
	const uint8_t one_len[] = {30, 1, 0, 0};
	CX_EXPECT_EQ(t, parse(one_len, sizeof(one_len), &out), TcpOptError::LengthBelowTwo);
	const uint8_t overrun[] = {8, 10, 0, 0, 0, 1};
	CX_EXPECT_EQ(t, parse(overrun, sizeof(overrun), &out), TcpOptError::LengthOverrun);
	CX_EXPECT(t, !out.ts_present);
	const uint8_t bad_mss[] = {2, 3, 5, 3, 3, 7, 0, 0};
	CX_EXPECT_EQ(t, parse(bad_mss, sizeof(bad_mss), &out), TcpOptError::BadMssLength);
	CX_EXPECT(t, !out.mss_present);
	CX_EXPECT(t, out.wscale_present && out.wscale == 7);	/* parsing went on */
	const uint8_t bad_ws[] = {3, 4, 7, 0};
	CX_EXPECT_EQ(t, parse(bad_ws, sizeof(bad_ws), &out), TcpOptError::BadWindowScaleLength);
	const uint8_t bad_sp[] = {4, 3, 0, 0};
	CX_EXPECT_EQ(t, parse(bad_sp, sizeof(bad_sp), &out), TcpOptError::BadSackPermLength);
	const uint8_t bad_ts[] = {8, 6, 0, 0, 0, 1, 0, 0};
	CX_EXPECT_EQ(t, parse(bad_ts, sizeof(bad_ts), &out), TcpOptError::BadTimestampLength);
	const uint8_t bad_sack[] = {5, 6, 0, 0, 0, 1, 0, 0};
	CX_EXPECT_EQ(t, parse(bad_sack, sizeof(bad_sack), &out), TcpOptError::BadSackLength);
	CX_EXPECT(t, __builtin_strcmp(tcp_opt_error_name(TcpOptError::LengthOverrun),
				      "LengthOverrun") == 0);
	/* every truncation of a valid list parses without reading past it */
	uint8_t buf[20];
	TcpOptions all;
	all.mss_present = all.wscale_present = all.ts_present = true;
	tcp_write_options(Bytes(buf, 20), all);
	for (size_t len = 0; len <= 20; len++)
		tcp_parse_options(Bytes(buf, len), &out);
}

void tcp_isn_siphash_reference_vector(cx_test *t)
{
	/* SipHash-2-4 paper, appendix A: key 00..0f, message 00..0e */
	tcp::IsnKey key{0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull};
	uint8_t msg[15];
	for (uint8_t i = 0; i < 15; i++)
		msg[i] = i;
	CX_EXPECT_EQ(t, tcp::siphash24(key, msg, sizeof(msg)), 0xa129ca6149be45e5ull);
	CX_EXPECT_EQ(t, tcp::siphash24(key, msg, 0), 0x726fdb47dd0e0e31ull);
}

void tcp_isn_keyed_per_tuple_and_clocked(cx_test *t)
{
	tcp::IsnKey k1{1, 2}, k2{3, 4};
	const uint32_t a = 0x0a000001, b = 0x0a000002;
	uint32_t base = tcp::isn_generate(k1, a, b, 1000, 80, 0);
	CX_EXPECT(t, base != tcp::isn_generate(k1, a, b, 1001, 80, 0));
	CX_EXPECT(t, base != tcp::isn_generate(k1, b, a, 1000, 80, 0));
	CX_EXPECT(t, base != tcp::isn_generate(k2, a, b, 1000, 80, 0));
	/* M: one tick per 4 microseconds */
	CX_EXPECT_EQ(t, tcp::isn_generate(k1, a, b, 1000, 80, 4000) - base, 1u);
	CX_EXPECT_EQ(t, tcp::isn_generate(k1, a, b, 1000, 80, 1000000000ull) - base, 250000u);
	tcp::IsnKey r1, r2;
	tcp::isn_key_init(&r1);
	tcp::isn_key_init(&r2);
	CX_EXPECT(t, r1.k0 != r2.k0 || r1.k1 != r2.k1);
}

void tcp_rto_rfc6298_samples_and_clamps(cx_test *t)
{
	tcp::Config cfg;
	tcp::RtoEstimator est;
	tcp::detail::rto_init(&est, cfg);
	CX_EXPECT_EQ(t, est.rto_us, 1000000u);	/* initial 1 s */
	tcp::detail::rto_sample(&est, 100000, cfg);	/* first: srtt R, rttvar R/2 */
	CX_EXPECT_EQ(t, est.srtt_us, 100000u);
	CX_EXPECT_EQ(t, est.rttvar_us, 50000u);
	CX_EXPECT_EQ(t, est.rto_us, 300000u);
	tcp::detail::rto_sample(&est, 200000, cfg);
	CX_EXPECT_EQ(t, est.rttvar_us, (3u * 50000 + 100000) / 4);
	CX_EXPECT_EQ(t, est.srtt_us, (7u * 100000 + 200000) / 8);
	CX_EXPECT_EQ(t, est.rto_us, est.srtt_us + 4 * est.rttvar_us);
	/* tiny RTTs: clamped to rto_min */
	for (int i = 0; i < 50; i++)
		tcp::detail::rto_sample(&est, 100, cfg);
	CX_EXPECT_EQ(t, est.rto_us, 200000u);
	cfg.rto_min_ms = 50;
	tcp::detail::rto_sample(&est, 100, cfg);
	CX_EXPECT(t, est.rto_us < 60000u && est.rto_us >= 50000u);
	/* huge RTTs: clamped to rto_max */
	tcp::detail::rto_init(&est, cfg);
	tcp::detail::rto_sample(&est, 200000000u, cfg);
	CX_EXPECT_EQ(t, est.rto_us, 120000000u);
}

void tcp_rto_backoff_doubles_up_to_max(cx_test *t)
{
	tcp::Config cfg;
	tcp::RtoEstimator est;
	tcp::detail::rto_init(&est, cfg);
	tcp::detail::rto_sample(&est, 100000, cfg);
	uint64_t base = tcp::detail::rto_current_us(est, cfg);
	for (uint8_t i = 1; i < 8; i++) {
		est.backoff = i;
		CX_EXPECT_EQ(t, tcp::detail::rto_current_us(est, cfg), base << i);
	}
	est.backoff = 15;
	CX_EXPECT_EQ(t, tcp::detail::rto_current_us(est, cfg), 120000000u);
}

void tcp_cong_reno_slow_start_and_avoidance(cx_test *t)
{
	tcp::Net *net = make<tcp::Net>(Gfp::Kernel);
	CX_EXPECT(t, net != nullptr);
	if (!net)
		return;
	tcp::net_init(net, nullptr, nullptr);
	tcp::Sock *sk = tcp::sock_create(net, nullptr, Gfp::Kernel);
	CX_EXPECT(t, sk != nullptr);
	if (sk) {
		sk->mss = 1000;
		tcp::detail::cc_init(sk);
		CX_EXPECT_EQ(t, sk->cwnd, 10000u);	/* IW10 */
		/* slow start: + min(acked, MSS) per ACK */
		sk->cc->cong_avoid(sk, 1000);
		CX_EXPECT_EQ(t, sk->cwnd, 11000u);
		sk->cc->cong_avoid(sk, 5000);
		CX_EXPECT_EQ(t, sk->cwnd, 12000u);
		/* loss: ssthresh = max(flight / 2, 2 MSS) */
		sk->snd_una = 0;
		sk->snd_max = 20000;
		CX_EXPECT_EQ(t, sk->cc->ssthresh(sk), 10000u);
		sk->snd_max = 1000;
		CX_EXPECT_EQ(t, sk->cc->ssthresh(sk), 2000u);
		/* congestion avoidance: one MSS per cwnd of bytes acked */
		sk->ssthresh = 12000;
		for (int i = 0; i < 11; i++)
			sk->cc->cong_avoid(sk, 1000);
		CX_EXPECT_EQ(t, sk->cwnd, 12000u);
		sk->cc->cong_avoid(sk, 1000);
		CX_EXPECT_EQ(t, sk->cwnd, 13000u);
		/* an RTO: one segment, ssthresh from the flight */
		sk->snd_max = 30000;
		tcp::detail::cc_on_rto(sk);
		CX_EXPECT_EQ(t, sk->cwnd, 1000u);
		CX_EXPECT_EQ(t, sk->ssthresh, 15000u);
		CX_EXPECT(t, sk->ca_state == tcp::CaState::Loss);
		tcp::sock_destroy(sk);
	}
	destroy(net);
}

namespace {

unsigned int g_test_cc_inits;

void test_cc_init(tcp::Sock *)
{
	g_test_cc_inits++;
}

uint32_t test_cc_ssthresh(tcp::Sock *sk)
{
	return sk->mss;
}

void test_cc_avoid(tcp::Sock *sk, uint32_t)
{
	sk->cwnd += 1;
}

} // namespace

void tcp_cong_registry(cx_test *t)
{
	tcp::CongOps ops = {"cxtest", test_cc_init, nullptr, test_cc_ssthresh, test_cc_avoid,
			    nullptr, nullptr, nullptr, nullptr};
	tcp::CongOps dup = ops;
	dup.name = "reno";
	tcp::CongOps bad = ops;
	bad.ssthresh = nullptr;
	CX_EXPECT(t, tcp::cong_find("reno") == tcp::cong_reno());
	CX_EXPECT(t, tcp::cong_find("cxtest") == nullptr);
	CX_EXPECT_EQ(t, tcp::cong_register(&ops), 0);
	CX_EXPECT_EQ(t, tcp::cong_register(&dup), -CX_EEXIST);
	CX_EXPECT_EQ(t, tcp::cong_register(&bad), -CX_EINVAL);
	CX_EXPECT(t, tcp::cong_find("cxtest") == &ops);
	tcp::Net *net = make<tcp::Net>(Gfp::Kernel);
	if (net) {
		tcp::net_init(net, nullptr, nullptr);
		tcp::Sock *sk = tcp::sock_create(net, nullptr, Gfp::Kernel);
		if (sk) {
			g_test_cc_inits = 0;
			CX_EXPECT_EQ(t, tcp::set_congestion(sk, "nope"), -CX_ENOENT);
			CX_EXPECT_EQ(t, tcp::set_congestion(sk, "cxtest"), 0);
			tcp::detail::cc_init(sk);
			CX_EXPECT_EQ(t, g_test_cc_inits, 1u);
			CX_EXPECT_EQ(t, sk->cc->ssthresh(sk), static_cast<uint32_t>(sk->mss));
			tcp::sock_destroy(sk);
		}
		destroy(net);
	}
	tcp::cong_unregister(&ops);
	CX_EXPECT(t, tcp::cong_find("cxtest") == nullptr);
}

} // namespace cx::test
