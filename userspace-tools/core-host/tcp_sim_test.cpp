// SPDX-License-Identifier: GPL-2.0
/*
 * Deterministic simulations of the TCP core (tcp_sim.h): handshakes, bulk
 * transfers checked byte for byte over clean and impaired links, RTO
 * backoff, fast retransmit and NewReno recovery, zero window and persist,
 * half-close, simultaneous open and close, TIME_WAIT, keepalive, backlog
 * overflow. Each test prints its seed on failure; CXNET_SIM_SEED=N replays.
 * Every test ends with no allocation left (the fixture checks).
 */
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "tcp_sim.h"
#include "cx_errno.h"
#include "wire/tcp.h"

namespace {

using namespace sim;
using tcp::Mib;
using tcp::State;

constexpr uint64_t kMs = 1'000'000;
constexpr uint64_t kSec = 1'000'000'000;

uint64_t test_seed(uint64_t fallback)
{
	const char *env = getenv("CXNET_SIM_SEED");
	return env ? strtoull(env, nullptr, 0) : fallback;
}

class TcpSim : public ::testing::Test {
protected:
	void SetUp() override { live_ = cx_user_live_allocs(); }

	void start(uint64_t seed)
	{
		sim_ = std::make_unique<Sim>(test_seed(seed));
		trace_ = std::make_unique<::testing::ScopedTrace>(
			__FILE__, __LINE__,
			"simulation seed " + std::to_string(sim_->seed()) +
				" (replay: CXNET_SIM_SEED=" + std::to_string(sim_->seed()) + ")");
	}

	void TearDown() override
	{
		sim_.reset();
		trace_.reset();
		EXPECT_EQ(cx_user_live_allocs(), live_) << "leak";
		cx_user_reset();
	}

	/* Send total bytes client -> server, reading as it arrives; true when all arrived intact. */
	bool bulk(tcp::Sock *c, tcp::Sock *s, uint64_t total, uint64_t max_ns)
	{
		uint64_t sent = 0, got = 0;
		bool mismatch = false;
		bool ok = sim_->run_until(
			[&] {
				while (sent < total) {
					long n = send_stream(c, &sent, total - sent, 7);
					if (n <= 0)
						break;
				}
				recv_stream(s, &got, 7, &mismatch);
				return got == total || mismatch || c->state == State::Close;
			},
			max_ns);
		EXPECT_FALSE(mismatch) << "received bytes differ from the sent stream";
		EXPECT_EQ(got, total);
		return ok && !mismatch && got == total;
	}

	/* Both sides close; everything ends in CLOSE and is reaped. */
	void close_both(tcp::Sock *c, tcp::Sock *s)
	{
		sim_->close(sim_->a, c);
		sim_->run(100 * kMs);
		std::vector<uint8_t> rest;
		recv_all(s, &rest);
		sim_->close(sim_->b, s);
		sim_->run(2 * 60 * kSec + kSec);	/* TIME_WAIT */
		EXPECT_TRUE(sim_->a.socks.empty()) << "client side not reaped";
		EXPECT_TRUE(sim_->b.socks.empty()) << "server side not reaped";
	}

	std::unique_ptr<Sim> sim_;
	std::unique_ptr<::testing::ScopedTrace> trace_;
	long live_ = 0;
};

TEST_F(TcpSim, HandshakeNegotiatesOptions)
{
	start(1);
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	EXPECT_EQ(s->state, State::Established);
	EXPECT_TRUE(c->wscale_ok && s->wscale_ok);
	EXPECT_TRUE(c->ts_ok && s->ts_ok);
	EXPECT_EQ(c->mss, 1448);	/* 1500 - 40 - 12 (timestamps) */
	EXPECT_EQ(s->mss, 1448);
	EXPECT_EQ(c->snd_wscale, s->rcv_wscale);
	EXPECT_EQ(s->snd_wscale, c->rcv_wscale);
	EXPECT_EQ(c->snd_una, s->rcv_nxt);
	EXPECT_EQ(s->snd_una, c->rcv_nxt);
	EXPECT_EQ(stat(sim_->a, Mib::ActiveOpens), 1u);
	EXPECT_EQ(stat(sim_->b, Mib::PassiveOpens), 1u);
	EXPECT_EQ(stat(sim_->a, Mib::CurrEstab), 1u);
	EXPECT_EQ(stat(sim_->b, Mib::CurrEstab), 1u);
	EXPECT_NE(c->rto.srtt_us, 0u) << "the SYN's RTT was not sampled";
	close_both(c, s);
	EXPECT_EQ(stat(sim_->a, Mib::CurrEstab), 0u);
	EXPECT_EQ(stat(sim_->b, Mib::CurrEstab), 0u);
	EXPECT_EQ(stat(sim_->a, Mib::TW), 1u);
}

TEST_F(TcpSim, HandshakeWithoutScalingOrTimestamps)
{
	start(2);
	sim_->b.net.cfg.window_scaling = false;
	sim_->b.net.cfg.timestamps = false;
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	EXPECT_FALSE(c->wscale_ok || s->wscale_ok);
	EXPECT_FALSE(c->ts_ok || s->ts_ok);
	EXPECT_EQ(c->rcv_wscale, 0);
	EXPECT_EQ(c->mss, 1460);
	EXPECT_TRUE(bulk(c, s, 300000, 20 * kSec));
	close_both(c, s);
}

TEST_F(TcpSim, MssClampedToRouteMtuAndMaxseg)
{
	start(3);
	tcp::Sock *l = sim_->socket(sim_->b);
	ASSERT_EQ(tcp::listen(l, sim_->b.addr, 80, 4), 0);
	tcp::set_route_mtu(l, 1400);
	tcp::Sock *c = sim_->socket(sim_->a);
	ASSERT_EQ(tcp::set_maxseg(c, 1000), 0);
	EXPECT_EQ(tcp::set_maxseg(c, 10), -CX_EINVAL);
	ASSERT_EQ(tcp::connect(c, sim_->a.addr, 1234, sim_->b.addr, 80, 1500), 0);
	EXPECT_EQ(tcp::connect(c, sim_->a.addr, 1234, sim_->b.addr, 80, 1500), -CX_EALREADY);
	sim_->run(100 * kMs);
	tcp::Sock *s = tcp::accept(l);
	ASSERT_NE(s, nullptr);
	EXPECT_EQ(c->advmss, 1000);
	EXPECT_EQ(s->advmss, 1360);
	/* TCP_MAXSEG bounds what we send too (Linux: mss_clamp) */
	EXPECT_EQ(c->mss, 1000 - 12);
	EXPECT_EQ(s->mss, 1000 - 12);
	EXPECT_EQ(tcp::connect(c, sim_->a.addr, 1234, sim_->b.addr, 80, 1500), -CX_EISCONN);
	sim_->close(sim_->b, l);
	close_both(c, s);
}

TEST_F(TcpSim, LostSynIsRetransmittedWithBackoff)
{
	start(4);
	std::vector<uint64_t> syn_times;
	sim_->ab.tap = [&](uint64_t now, const uint8_t *p, size_t) {
		if (p[13] == cx::wire::tcp_flag::kSyn)
			syn_times.push_back(now);
	};
	sim_->ab.drop_hook = [](uint64_t n, const uint8_t *, size_t) { return n < 2; };
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	ASSERT_EQ(syn_times.size(), 3u);
	EXPECT_EQ(syn_times[1] - syn_times[0], 1 * kSec);
	EXPECT_EQ(syn_times[2] - syn_times[1], 2 * kSec);
	EXPECT_EQ(stat(sim_->a, Mib::TCPSynRetrans), 2u);
	EXPECT_EQ(c->rto.backoff, 0);
	close_both(c, s);
}

TEST_F(TcpSim, LostSynAckIsRetransmittedByTheListener)
{
	start(5);
	sim_->ba.drop_hook = [](uint64_t n, const uint8_t *, size_t) { return n == 0; };
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	EXPECT_GE(stat(sim_->b, Mib::TCPSynRetrans), 1u);
	close_both(c, s);
}

TEST_F(TcpSim, ConnectToClosedPortIsRefused)
{
	start(6);
	tcp::Sock *c = sim_->socket(sim_->a);
	ASSERT_EQ(tcp::connect(c, sim_->a.addr, 1234, sim_->b.addr, 81, 1500), 0);
	sim_->run(100 * kMs);
	EXPECT_EQ(c->state, State::Close);
	EXPECT_EQ(tcp::take_error(c), CX_ECONNREFUSED);
	EXPECT_EQ(stat(sim_->b, Mib::OutRsts), 1u);
	EXPECT_EQ(stat(sim_->a, Mib::AttemptFails), 1u);
	sim_->close(sim_->a, c);
}

TEST_F(TcpSim, ConnectTimesOutAfterSynRetries)
{
	start(7);
	sim_->a.net.cfg.syn_retries = 3;
	sim_->ab.p.down = true;
	tcp::Sock *c = sim_->socket(sim_->a);
	ASSERT_EQ(tcp::connect(c, sim_->a.addr, 1234, sim_->b.addr, 80, 1500), 0);
	sim_->run(14 * kSec);
	EXPECT_EQ(c->state, State::SynSent);
	sim_->run(2 * kSec);	/* 1 + 2 + 4 + 8 s */
	EXPECT_EQ(c->state, State::Close);
	EXPECT_EQ(tcp::take_error(c), CX_ETIMEDOUT);
	EXPECT_EQ(stat(sim_->a, Mib::TCPSynRetrans), 3u);
	sim_->close(sim_->a, c);
}

TEST_F(TcpSim, SimultaneousOpen)
{
	start(8);
	tcp::Sock *x = sim_->socket(sim_->a);
	tcp::Sock *y = sim_->socket(sim_->b);
	ASSERT_EQ(tcp::connect(x, sim_->a.addr, 5000, sim_->b.addr, 6000, 1500), 0);
	ASSERT_EQ(tcp::connect(y, sim_->b.addr, 6000, sim_->a.addr, 5000, 1500), 0);
	sim_->run(kSec);
	EXPECT_EQ(x->state, State::Established);
	EXPECT_EQ(y->state, State::Established);
	EXPECT_EQ(x->snd_una, y->rcv_nxt);
	EXPECT_TRUE(bulk(x, y, 100000, 10 * kSec));
	close_both(x, y);
}

TEST_F(TcpSim, SimultaneousClose)
{
	start(9);
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	EXPECT_FALSE(tcp::close(c, false));
	EXPECT_FALSE(tcp::close(s, false));
	EXPECT_EQ(c->state, State::FinWait1);
	sim_->run(20 * kMs);
	EXPECT_EQ(c->state, State::TimeWait);
	EXPECT_EQ(s->state, State::TimeWait);
	sim_->run(61 * kSec);
	EXPECT_TRUE(sim_->a.socks.empty());
	EXPECT_TRUE(sim_->b.socks.empty());
	EXPECT_EQ(stat(sim_->a, Mib::TW), 1u);
	EXPECT_EQ(stat(sim_->b, Mib::TW), 1u);
}

struct Impairment {
	const char *name;
	uint32_t loss, dup, reorder, corrupt;
	uint64_t jitter;
};

class TcpSimBulk : public TcpSim, public ::testing::WithParamInterface<Impairment> {};

TEST_P(TcpSimBulk, FourMebibytesByteExact)
{
	const Impairment &imp = GetParam();
	start(100 + imp.loss + imp.dup * 3 + imp.reorder * 7 + imp.corrupt * 11);
	for (Link *l : {&sim_->ab, &sim_->ba}) {
		l->p.loss_ppm = imp.loss;
		l->p.dup_ppm = imp.dup;
		l->p.reorder_ppm = imp.reorder;
		l->p.corrupt_ppm = imp.corrupt;
		l->p.jitter_ns = imp.jitter;
	}
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	ASSERT_TRUE(bulk(c, s, 4u << 20, 600 * kSec));
	if (imp.loss || imp.corrupt) {
		EXPECT_GT(stat(sim_->a, Mib::RetransSegs), 0u);
	}
	if (imp.corrupt) {
		EXPECT_GT(stat(sim_->b, Mib::InCsumErrors) + stat(sim_->a, Mib::InCsumErrors), 0u);
	}
	if (!imp.loss && !imp.dup && !imp.reorder && !imp.corrupt) {
		EXPECT_EQ(stat(sim_->a, Mib::RetransSegs), 0u);
		EXPECT_EQ(stat(sim_->b, Mib::TCPOFOQueue), 0u);
	}
	if (imp.reorder) {
		EXPECT_GT(stat(sim_->b, Mib::TCPOFOQueue), 0u);
	}
	sim_->run(kSec);
	EXPECT_EQ(c->bytes_acked, 4u << 20);
	EXPECT_EQ(s->bytes_received, 4u << 20);
	/* the stream stays usable the other way too */
	EXPECT_TRUE(bulk(s, c, 65536, 60 * kSec));
	/* both ends close: loss may eat FINs, retransmissions bring them */
	close_both(c, s);
}

INSTANTIATE_TEST_SUITE_P(Links, TcpSimBulk,
			 ::testing::Values(Impairment{"clean", 0, 0, 0, 0, 0},
					   Impairment{"loss1pct", 10000, 0, 0, 0, 0},
					   Impairment{"reorder", 0, 0, 20000, 0, 2 * kMs},
					   Impairment{"dup1pct", 0, 10000, 0, 0, 0},
					   Impairment{"corrupt1pct", 0, 0, 0, 10000, 0},
					   Impairment{"all", 10000, 10000, 10000, 10000, kMs}),
			 [](const ::testing::TestParamInfo<Impairment> &info) {
				 return std::string(info.param.name);
			 });

TEST_F(TcpSim, FastRetransmitAndNewRenoRecovery)
{
	start(10);
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	/* drop two data segments of one window: a partial ACK, then a full ACK */
	uint64_t data_seen = 0;
	sim_->ab.drop_hook = [&](uint64_t, const uint8_t *p, size_t len) {
		size_t hdr = (p[12] >> 4) * 4u;
		if (len <= hdr)
			return false;
		data_seen++;
		return data_seen == 40 || data_seen == 44;
	};
	ASSERT_TRUE(bulk(c, s, 1u << 20, 60 * kSec));
	EXPECT_EQ(stat(sim_->a, Mib::TCPRenoRecovery), 1u);
	EXPECT_EQ(stat(sim_->a, Mib::TCPFastRetrans), 1u);
	EXPECT_EQ(stat(sim_->a, Mib::TCPTimeouts), 0u) << "recovery fell back to an RTO";
	EXPECT_EQ(stat(sim_->a, Mib::RetransSegs), 2u);
	EXPECT_LT(c->ssthresh, 0x7fffffffu);
	EXPECT_GE(stat(sim_->b, Mib::TCPOFOQueue), 1u);
	close_both(c, s);
}

TEST_F(TcpSim, RtoBacksOffWhenTheLinkDiesThenTimesOut)
{
	start(11);
	sim_->a.net.cfg.retries2 = 6;
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	ASSERT_TRUE(bulk(c, s, 10000, kSec));
	std::vector<uint64_t> times;
	sim_->ab.p.down = true;
	sim_->ab.tap = [&](uint64_t now, const uint8_t *p, size_t len) {
		if (len > (p[12] >> 4) * 4u)
			times.push_back(now);
	};
	uint64_t off = 0;
	ASSERT_GT(send_stream(c, &off, 1000, 9), 0);
	sim_->run_until([&] { return c->state == State::Close; }, 200 * kSec, 10 * kMs);
	EXPECT_EQ(c->state, State::Close);
	EXPECT_EQ(tcp::take_error(c), CX_ETIMEDOUT);
	ASSERT_EQ(times.size(), 7u);	/* the original and 6 retransmissions */
	for (size_t i = 2; i < times.size(); i++) {
		uint64_t prev = times[i - 1] - times[i - 2], gap = times[i] - times[i - 1];
		EXPECT_NEAR(static_cast<double>(gap), 2.0 * static_cast<double>(prev),
			    static_cast<double>(prev) / 50) << "retransmission " << i;
	}
	EXPECT_GE(times[1] - times[0], 200 * kMs) << "below rto_min";
	EXPECT_EQ(stat(sim_->a, Mib::TCPTimeouts), 6u);
	EXPECT_EQ(stat(sim_->a, Mib::TCPAbortOnTimeout), 1u);
	sim_->destroy(sim_->a, c);
	sim_->close(sim_->b, s, true);
}

TEST_F(TcpSim, UserTimeoutAbortsEarlier)
{
	start(12);
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	ASSERT_EQ(tcp::set_user_timeout(c, 3000), 0);
	sim_->ab.p.down = true;
	uint64_t off = 0;
	ASSERT_GT(send_stream(c, &off, 1000, 9), 0);
	sim_->run(10 * kSec);
	EXPECT_EQ(c->state, State::Close);
	EXPECT_EQ(tcp::take_error(c), CX_ETIMEDOUT);
	EXPECT_LE(stat(sim_->a, Mib::TCPTimeouts), 5u);
	sim_->destroy(sim_->a, c);
	sim_->close(sim_->b, s, true);
}

TEST_F(TcpSim, ZeroWindowPersistAndReopen)
{
	start(13);
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	uint64_t sent = 0;
	/* the server does not read: its window closes */
	sim_->run_until([&] {
		send_stream(c, &sent, 1 << 20, 3);
		return c->snd_wnd == 0 && c->snd_una == c->snd_max;
	}, 30 * kSec);
	ASSERT_EQ(c->snd_wnd, 0u);
	EXPECT_LE(tcp::rcv_queued(s), s->rcvbuf) << "the window promised more than the buffer";
	EXPECT_GE(tcp::rcv_queued(s), s->rcvbuf - 2 * s->advmss);
	EXPECT_GE(stat(sim_->b, Mib::TCPToZeroWindowAdv), 1u);
	uint64_t out_before = stat(sim_->a, Mib::OutSegs);
	sim_->run(10 * kSec);
	EXPECT_GE(stat(sim_->a, Mib::OutSegs) - out_before, 3u) << "no zero-window probes";
	EXPECT_EQ(c->state, State::Established) << "a probed peer that answers is not dropped";
	EXPECT_GE(c->probes_out, 0);
	/* the reader drains: a window update reopens, the rest flows */
	uint64_t got = 0;
	bool mismatch = false;
	bool done = sim_->run_until([&] {
		recv_stream(s, &got, 3, &mismatch);
		return got == sent && tcp::snd_queued(c) == 0;
	}, 60 * kSec);
	EXPECT_TRUE(done);
	EXPECT_FALSE(mismatch);
	EXPECT_GE(stat(sim_->b, Mib::TCPFromZeroWindowAdv), 1u);
	close_both(c, s);
}

TEST_F(TcpSim, HalfClose)
{
	start(14);
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	ASSERT_EQ(send_bytes(c, "request", 7), 7);
	ASSERT_EQ(tcp::shutdown(c, 1), 0);
	EXPECT_EQ(send_bytes(c, "x", 1), -CX_EPIPE);
	sim_->run(100 * kMs);
	EXPECT_EQ(c->state, State::FinWait2);
	EXPECT_EQ(s->state, State::CloseWait);
	std::vector<uint8_t> got;
	EXPECT_EQ(recv_all(s, &got), 7);
	EXPECT_EQ(recv_all(s, &got), 0) << "EOF after the peer's FIN";
	EXPECT_NE(tcp::poll(s) & tcp::kWakeRead, 0u);
	/* the other direction still works */
	ASSERT_EQ(send_bytes(s, "response", 8), 8);
	sim_->run(100 * kMs);
	std::vector<uint8_t> back;
	EXPECT_EQ(recv_all(c, &back), 8);
	EXPECT_EQ(std::string(back.begin(), back.end()), "response");
	EXPECT_FALSE(tcp::close(s, false));
	EXPECT_EQ(s->state, State::LastAck);
	sim_->run(100 * kMs);
	EXPECT_EQ(c->state, State::TimeWait);
	EXPECT_TRUE(sim_->b.socks.empty()) << "LAST_ACK done: the orphan was reaped";
	EXPECT_EQ(recv_all(c, &back), 0);
	sim_->run(61 * kSec);
	EXPECT_EQ(c->state, State::Close) << "TIME_WAIT expired";
	sim_->close(sim_->a, c);
}

TEST_F(TcpSim, TimeWaitLengthIsTunableAndAnswersFinRetransmission)
{
	start(15);
	sim_->a.net.cfg.time_wait_ms = 5000;
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	sim_->close(sim_->a, c);
	sim_->run(50 * kMs);
	/* lose the client's last ACK once: the server retransmits its FIN */
	int dropped = 0;
	sim_->ab.drop_hook = [&](uint64_t, const uint8_t *, size_t) { return dropped++ == 0; };
	sim_->close(sim_->b, s);
	sim_->run(50 * kMs);
	ASSERT_EQ(sim_->a.socks.size(), 1u);
	EXPECT_EQ(sim_->a.socks[0]->state, State::TimeWait);
	sim_->run(2 * kSec);
	EXPECT_TRUE(sim_->b.socks.empty()) << "the retransmitted FIN was answered";
	sim_->run(4 * kSec);
	EXPECT_TRUE(sim_->a.socks.empty()) << "TIME_WAIT (5 s, restarted once) expired";
}

TEST_F(TcpSim, KeepaliveDetectsDeadPeer)
{
	start(16);
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	tcp::set_keepalive(c, true);
	ASSERT_EQ(tcp::set_keepidle(c, 10), 0);
	ASSERT_EQ(tcp::set_keepintvl(c, 2), 0);
	ASSERT_EQ(tcp::set_keepcnt(c, 3), 0);
	EXPECT_EQ(tcp::set_keepcnt(c, 0), -CX_EINVAL);
	/* a live peer answers probes: nothing happens */
	sim_->run(30 * kSec);
	EXPECT_EQ(c->state, State::Established);
	EXPECT_GE(stat(sim_->a, Mib::TCPKeepAlive), 1u);
	/* the peer vanishes silently right after its last segment */
	ASSERT_EQ(send_bytes(c, "ping", 4), 4);
	sim_->run(100 * kMs);
	sim_->destroy(sim_->b, s);
	sim_->ba.p.down = true;
	sim_->run(9 * kSec);
	EXPECT_EQ(c->state, State::Established);
	sim_->run(10 * kSec);	/* idle 10 s + 3 probes 2 s apart */
	EXPECT_EQ(c->state, State::Close);
	EXPECT_EQ(tcp::take_error(c), CX_ETIMEDOUT);
	sim_->close(sim_->a, c);
}

TEST_F(TcpSim, BacklogOverflow)
{
	start(17);
	tcp::Sock *l = sim_->socket(sim_->b);
	ASSERT_EQ(tcp::listen(l, sim_->b.addr, 80, 1), 0);
	std::vector<tcp::Sock *> clients;
	for (int i = 0; i < 4; i++) {
		tcp::Sock *c = sim_->socket(sim_->a);
		ASSERT_EQ(tcp::connect(c, sim_->a.addr, static_cast<uint16_t>(2000 + i),
				       sim_->b.addr, 80, 1500), 0);
		clients.push_back(c);
		sim_->run(50 * kMs);
	}
	/* Linux: the accept queue holds backlog + 1 */
	EXPECT_EQ(l->accept_count, 2u);
	EXPECT_GT(stat(sim_->b, Mib::ListenOverflows), 0u);
	EXPECT_GE(stat(sim_->b, Mib::ListenDrops), stat(sim_->b, Mib::ListenOverflows));
	/* accepting makes room: the retried handshakes complete */
	std::vector<tcp::Sock *> accepted;
	sim_->run_until([&] {
		while (tcp::Sock *s = tcp::accept(l))
			accepted.push_back(s);
		return accepted.size() == 4;
	}, 60 * kSec);
	EXPECT_EQ(accepted.size(), 4u);
	for (tcp::Sock *c : clients)
		EXPECT_EQ(c->state, State::Established);
	for (tcp::Sock *s : accepted)
		sim_->close(sim_->b, s, true);
	sim_->close(sim_->b, l);
	sim_->run(kSec);
	for (tcp::Sock *c : clients)
		EXPECT_EQ(c->state, State::Close) << "linger-0 close sent RST";
	for (tcp::Sock *c : clients)
		sim_->close(sim_->a, c);
}

TEST_F(TcpSim, ListenerCloseResetsUnacceptedChildren)
{
	start(18);
	tcp::Sock *l = sim_->socket(sim_->b);
	ASSERT_EQ(tcp::listen(l, sim_->b.addr, 80, 8), 0);
	tcp::Sock *c = sim_->socket(sim_->a);
	ASSERT_EQ(tcp::connect(c, sim_->a.addr, 3000, sim_->b.addr, 80, 1500), 0);
	sim_->run(100 * kMs);
	ASSERT_EQ(l->accept_count, 1u);
	sim_->close(sim_->b, l);
	sim_->run(100 * kMs);
	EXPECT_TRUE(sim_->b.socks.empty());
	EXPECT_EQ(c->state, State::Close);
	EXPECT_EQ(tcp::take_error(c), CX_ECONNRESET);
	sim_->close(sim_->a, c);
}

TEST_F(TcpSim, CloseWithUnreadDataSendsReset)
{
	start(19);
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	ASSERT_EQ(send_bytes(c, "unread", 6), 6);
	sim_->run(100 * kMs);
	sim_->close(sim_->b, s);	/* data unread: RST, not FIN */
	sim_->run(100 * kMs);
	EXPECT_EQ(c->state, State::Close);
	EXPECT_EQ(tcp::take_error(c), CX_ECONNRESET);
	EXPECT_EQ(stat(sim_->b, Mib::TCPAbortOnClose), 1u);
	EXPECT_EQ(stat(sim_->a, Mib::EstabResets), 1u);
	EXPECT_EQ(send_bytes(c, "x", 1), -CX_EPIPE);
	sim_->close(sim_->a, c);
}

TEST_F(TcpSim, NagleCorkAndMore)
{
	start(20);
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	uint64_t segs = 0;
	sim_->ab.tap = [&](uint64_t, const uint8_t *p, size_t len) {
		if (len > (p[12] >> 4) * 4u)
			segs++;
	};
	/* Nagle: small writes while one is unacked coalesce */
	for (int i = 0; i < 10; i++)
		ASSERT_EQ(send_bytes(c, "abcd", 4), 4);
	EXPECT_EQ(segs, 1u);
	sim_->run(100 * kMs);
	EXPECT_EQ(segs, 2u);
	std::vector<uint8_t> got;
	EXPECT_EQ(recv_all(s, &got), 40);
	/* TCP_NODELAY: each write leaves at once */
	segs = 0;
	tcp::set_nodelay(c, true);
	for (int i = 0; i < 5; i++)
		ASSERT_EQ(send_bytes(c, "abcd", 4), 4);
	EXPECT_EQ(segs, 5u);
	sim_->run(100 * kMs);
	/* MSG_MORE holds a partial segment, a plain send flushes */
	segs = 0;
	ASSERT_EQ(send_bytes(c, "more", 4, tcp::kMsgMore), 4);
	EXPECT_EQ(segs, 0u);
	ASSERT_EQ(send_bytes(c, "done", 4), 4);
	EXPECT_EQ(segs, 1u);
	sim_->run(100 * kMs);
	/* TCP_CORK holds partial segments until uncorked; full ones go */
	segs = 0;
	tcp::set_cork(c, true);
	ASSERT_EQ(send_bytes(c, "corked", 6), 6);
	sim_->run(500 * kMs);
	EXPECT_EQ(segs, 0u);
	tcp::set_cork(c, false);
	EXPECT_EQ(segs, 1u);
	sim_->run(100 * kMs);
	got.clear();
	recv_all(s, &got);
	EXPECT_EQ(got.size(), 20u + 8u + 6u);
	close_both(c, s);
}

TEST_F(TcpSim, DelayedAckAndQuickAck)
{
	start(21);
	tcp::Sock *c, *s;
	ASSERT_TRUE(sim_->connect_pair(&c, &s));
	tcp::set_nodelay(c, true);
	/* quick-ACK at the start: every segment ACKed at once */
	uint64_t acks = 0;
	sim_->ba.tap = [&](uint64_t, const uint8_t *p, size_t len) {
		if (len == (p[12] >> 4) * 4u)
			acks++;
	};
	ASSERT_EQ(send_bytes(c, "a", 1), 1);
	sim_->run(20 * kMs);
	EXPECT_EQ(acks, 1u);
	/* exhaust quick-ACK mode, then one small segment waits for the delayed ACK */
	s->quickack = 0;
	acks = 0;
	ASSERT_EQ(send_bytes(c, "b", 1), 1);
	sim_->run(20 * kMs);
	EXPECT_EQ(acks, 0u) << "ACKed before the delayed-ACK timer";
	sim_->run(40 * kMs);
	EXPECT_EQ(acks, 1u);
	EXPECT_GE(stat(sim_->b, Mib::DelayedACKs), 1u);
	close_both(c, s);
}

} // namespace
