// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP state machine driven with crafted segments: one Sock (or a
 * listener) at A:1000, a peer at B:2000 that exists only as the segments
 * the test feeds and the segments it captures. Timers are run by hand
 * (timer_run), so the cases behave the same under KUnit's real clock.
 */
#include "cx_test.h"
#include "cases.h"
#include "../cx_errno.h"
#include "../memory.h"
#include "../wire/tcp.h"
#include "../tcp/tcp_sock.h"

namespace cx::test {

using namespace cx::tcp;
using wire::Bytes;
using wire::TcpPacket;
namespace flag = wire::tcp_flag;

namespace {

constexpr uint32_t kA = 0x0a000001, kB = 0x0a000002;
constexpr uint16_t kLocal = 1000, kPeer = 2000;
constexpr uint32_t kPeerIss = 9000;
constexpr unsigned int kMaxOut = 16;

struct Wire {
	Net net;
	cx_pkt *out[kMaxOut];
	unsigned int n;
	unsigned int dead;
	Sock *ready;
};

int w_xmit(void *ctx, Sock *, cx_pkt *pkt, uint32_t, uint32_t)
{
	Wire *w = static_cast<Wire *>(ctx);
	if (w->n < kMaxOut)
		w->out[w->n++] = pkt;
	else
		cx_pkt_free(pkt);
	return 0;
}

void w_child_ready(Sock *l, Sock *child)
{
	Wire *w = static_cast<Wire *>(l->net->ctx);
	w->ready = child;
	child->ctx = w;
}

void w_timer(Sock *sk, TimerKind kind)
{
	timer_run(sk, kind);
}

void w_dead(Sock *sk)
{
	static_cast<Wire *>(sk->net->ctx)->dead++;
}

constexpr HostOps kOps = {w_xmit, nullptr, nullptr, w_child_ready, w_timer, w_dead, nullptr};

/* What a captured segment says. */
struct Out {
	bool valid;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window;
	uint32_t len;
	wire::TcpOptions opts;
};

void clear(Wire *w)
{
	for (unsigned int i = 0; i < w->n; i++)
		cx_pkt_free(w->out[i]);
	w->n = 0;
}

Out out_at(Wire *w, unsigned int i)
{
	Out o{};
	if (i >= w->n)
		return o;
	TcpPacket tcp;
	if (TcpPacket::new_checked(Bytes(cx_pkt_data(w->out[i]), cx_pkt_len(w->out[i])), &tcp) !=
	    wire::Error::Ok)
		return o;
	o.valid = true;
	o.seq = tcp.seq();
	o.ack = tcp.ack();
	o.flags = tcp.flags();
	o.window = tcp.window();
	o.len = static_cast<uint32_t>(tcp.payload().len());
	wire::tcp_parse_options(tcp.options(), &o.opts);
	return o;
}

Out last(Wire *w)
{
	return w->n ? out_at(w, w->n - 1) : Out{};
}

Wire *wire_new(bool options)
{
	Wire *w = make<Wire>(Gfp::Kernel);
	if (!w)
		return nullptr;
	net_init(&w->net, &kOps, w);
	w->net.cfg.timestamps = options;
	w->net.cfg.window_scaling = options;
	return w;
}

void wire_free(Wire *w)
{
	clear(w);
	destroy(w);
}

Segment seg(uint32_t seq_no, uint32_t ack_no, uint8_t ctl, uint32_t len = 0)
{
	static const uint8_t kData[2048] = {'x'};
	Segment s{};
	s.src = kB;
	s.dst = kA;
	s.sport = kPeer;
	s.dport = kLocal;
	s.seq = seq_no;
	s.ack = ack_no;
	s.flags = ctl;
	s.window = 65535;
	s.len = len;
	s.payload = kData;
	return s;
}

/* An ESTABLISHED active socket: rcv_nxt = kPeerIss + 1, mss 1460 (no options) or 1448. */
Sock *established(cx_test *t, Wire *w, uint32_t peer_tsval = 0)
{
	Sock *sk = sock_create(&w->net, w, Gfp::Kernel);
	CX_EXPECT(t, sk != nullptr);
	if (!sk)
		return nullptr;
	CX_EXPECT_EQ(t, connect(sk, kA, kLocal, kB, kPeer, 1500), 0);
	Segment s = seg(kPeerIss, sk->iss + 1, flag::kSyn | flag::kAck);
	s.opts.mss_present = true;
	s.opts.mss = 1460;
	if (peer_tsval) {
		s.opts.ts_present = true;
		s.opts.tsval = peer_tsval;
		s.opts.tsecr = last(w).opts.tsval;
	}
	rcv(sk, s);
	CX_EXPECT(t, sk->state == State::Established);
	clear(w);
	return sk;
}

} // namespace

void tcp_state_passive_open(cx_test *t)
{
	Wire *w = wire_new(true);
	if (!w)
		return;
	Sock *l = sock_create(&w->net, w, Gfp::Kernel);
	CX_EXPECT_EQ(t, listen(l, kA, kLocal, 4), 0);
	Segment syn = seg(5000, 0, flag::kSyn);
	syn.opts.mss_present = true;
	syn.opts.mss = 1400;
	syn.opts.wscale_present = true;
	syn.opts.wscale = 9;
	rcv(l, syn);
	Out sa = last(w);
	CX_EXPECT(t, sa.valid && sa.flags == (flag::kSyn | flag::kAck));
	CX_EXPECT_EQ(t, sa.ack, 5001u);
	CX_EXPECT(t, sa.opts.mss_present && sa.opts.mss == 1460);
	CX_EXPECT(t, sa.opts.wscale_present && !sa.opts.ts_present);	/* the SYN had no TS */
	CX_EXPECT_EQ(t, l->syn_count, 1u);
	CX_EXPECT(t, accept(l) == nullptr);
	/* a retransmitted SYN gets the SYN-ACK again */
	rcv(l, syn);
	CX_EXPECT_EQ(t, w->n, 2u);
	CX_EXPECT_EQ(t, out_at(w, 1).seq, sa.seq);
	rcv(l, seg(5001, sa.seq + 1, flag::kAck));
	CX_EXPECT(t, w->ready != nullptr);
	Sock *child = accept(l);
	CX_EXPECT(t, child == w->ready);
	if (child) {
		CX_EXPECT(t, child->state == State::Established);
		CX_EXPECT_EQ(t, child->mss, 1400);
		CX_EXPECT_EQ(t, child->snd_wscale, 9);
		CX_EXPECT_EQ(t, child->snd_wnd, 65535u << 9);
		CX_EXPECT_EQ(t, child->rcv_nxt, 5001u);
		sock_destroy(child);
	}
	CX_EXPECT_EQ(t, l->syn_count, 0u);
	CX_EXPECT_EQ(t, w->net.stats.get(Mib::PassiveOpens), 1u);
	CX_EXPECT_EQ(t, w->net.stats.get(Mib::CurrEstab), 1u);
	sock_destroy(l);
	wire_free(w);
}

void tcp_state_active_open(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	Sock *sk = sock_create(&w->net, w, Gfp::Kernel);
	CX_EXPECT_EQ(t, connect(sk, kA, kLocal, kB, kPeer, 1500), 0);
	Out syn = last(w);
	CX_EXPECT(t, syn.valid && syn.flags == flag::kSyn && syn.seq == sk->iss);
	CX_EXPECT(t, sk->state == State::SynSent);
	CX_EXPECT_EQ(t, recv(sk, nullptr, nullptr, 10, 0), -CX_EAGAIN);
	rcv(sk, seg(kPeerIss, sk->iss + 1, flag::kSyn | flag::kAck));
	CX_EXPECT(t, sk->state == State::Established);
	Out ack = last(w);
	CX_EXPECT(t, ack.flags == flag::kAck && ack.ack == kPeerIss + 1 && ack.seq == sk->iss + 1);
	CX_EXPECT_EQ(t, sk->mss, 536);	/* no MSS option: the default */
	CX_EXPECT_EQ(t, w->net.stats.get(Mib::ActiveOpens), 1u);
	sock_destroy(sk);
	wire_free(w);
}

void tcp_state_simultaneous_open(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	Sock *sk = sock_create(&w->net, w, Gfp::Kernel);
	connect(sk, kA, kLocal, kB, kPeer, 1500);
	rcv(sk, seg(kPeerIss, 0, flag::kSyn));
	CX_EXPECT(t, sk->state == State::SynRecv);
	Out sa = last(w);
	CX_EXPECT(t, sa.flags == (flag::kSyn | flag::kAck) && sa.seq == sk->iss &&
		     sa.ack == kPeerIss + 1);
	rcv(sk, seg(kPeerIss + 1, sk->iss + 1, flag::kAck));
	CX_EXPECT(t, sk->state == State::Established);
	sock_destroy(sk);
	wire_free(w);
}

void tcp_state_syn_sent_rst_and_bad_ack(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	Sock *sk = sock_create(&w->net, w, Gfp::Kernel);
	connect(sk, kA, kLocal, kB, kPeer, 1500);
	clear(w);
	rcv(sk, seg(1, sk->iss, flag::kRst | flag::kAck));	/* unacceptable ACK: ignored */
	CX_EXPECT(t, sk->state == State::SynSent);
	CX_EXPECT_EQ(t, w->n, 0u);
	rcv(sk, seg(1, sk->iss + 5, flag::kAck));	/* bad ACK: RST <SEQ=SEG.ACK> */
	Out rst = last(w);
	CX_EXPECT(t, rst.flags == flag::kRst && rst.seq == sk->iss + 5);
	rcv(sk, seg(1, 0, flag::kRst));	/* RST without ACK: ignored */
	CX_EXPECT(t, sk->state == State::SynSent);
	rcv(sk, seg(1, sk->iss + 1, flag::kRst | flag::kAck));
	CX_EXPECT(t, sk->state == State::Close);
	CX_EXPECT_EQ(t, take_error(sk), CX_ECONNREFUSED);
	CX_EXPECT_EQ(t, w->net.stats.get(Mib::AttemptFails), 1u);
	sock_destroy(sk);
	wire_free(w);
}

void tcp_state_rst_validation_and_challenge_ack(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	Sock *sk = established(t, w);
	if (sk) {
		rcv(sk, seg(kPeerIss + 1 + 100, 0, flag::kRst));	/* in window, not exact */
		Out ca = last(w);
		CX_EXPECT(t, ca.flags == flag::kAck && ca.ack == kPeerIss + 1);
		CX_EXPECT(t, sk->state == State::Established);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::TCPChallengeACK), 1u);
		clear(w);
		rcv(sk, seg(kPeerIss + 1 + 10000000, 0, flag::kRst));	/* out of window */
		CX_EXPECT_EQ(t, w->n, 0u);
		CX_EXPECT(t, sk->state == State::Established);
		rcv(sk, seg(kPeerIss + 1, 0, flag::kRst));	/* exact */
		CX_EXPECT(t, sk->state == State::Close);
		CX_EXPECT_EQ(t, take_error(sk), CX_ECONNRESET);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::EstabResets), 1u);
		CX_EXPECT_EQ(t, w->n, 0u);	/* never answer a RST */
		sock_destroy(sk);
	}
	wire_free(w);
}

void tcp_state_syn_in_established_challenged(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	Sock *sk = established(t, w);
	if (sk) {
		rcv(sk, seg(kPeerIss + 50, 0, flag::kSyn));
		Out ca = last(w);
		CX_EXPECT(t, ca.valid && ca.flags == flag::kAck && ca.ack == kPeerIss + 1);
		CX_EXPECT(t, sk->state == State::Established);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::TCPSYNChallenge), 1u);
		sock_destroy(sk);
	}
	wire_free(w);
}

void tcp_state_challenge_ack_rate_limited(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	w->net.cfg.challenge_ack_limit = 2;
	Sock *sk = established(t, w);
	if (sk) {
		for (int i = 0; i < 4; i++)
			rcv(sk, seg(kPeerIss + 10, 0, flag::kRst));
		CX_EXPECT_EQ(t, w->n, 2u);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::TCPChallengeACK), 2u);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::TCPACKSkippedChallenge), 2u);
		sock_destroy(sk);
	}
	wire_free(w);
}

void tcp_state_paws_drops_old_timestamp(cx_test *t)
{
	Wire *w = wire_new(true);
	if (!w)
		return;
	Sock *sk = established(t, w, 1000);
	if (sk) {
		CX_EXPECT(t, sk->ts_ok);
		CX_EXPECT_EQ(t, sk->mss, 1448);
		Segment old = seg(kPeerIss + 1, sk->snd_nxt, flag::kAck, 10);
		old.opts.ts_present = true;
		old.opts.tsval = 500;
		rcv(sk, old);
		CX_EXPECT_EQ(t, sk->rcv_nxt, kPeerIss + 1);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::PAWSEstab), 1u);
		Out dup = last(w);
		CX_EXPECT(t, dup.valid && dup.ack == kPeerIss + 1 && dup.opts.tsecr == 1000);
		Segment fresh = old;
		fresh.opts.tsval = 2000;
		rcv(sk, fresh);
		CX_EXPECT_EQ(t, sk->rcv_nxt, kPeerIss + 11);
		CX_EXPECT_EQ(t, sk->ts_recent, 2000u);
		sock_destroy(sk);
	}
	wire_free(w);
}

namespace {

bool to_buf(void *arg, const void *src, size_t count)
{
	uint8_t **p = static_cast<uint8_t **>(arg);
	__builtin_memcpy(*p, src, count);
	*p += count;
	return true;
}

} // namespace

void tcp_state_out_of_order_queue(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	Sock *sk = established(t, w);
	if (sk) {
		rcv(sk, seg(kPeerIss + 101, sk->snd_nxt, flag::kAck, 100));
		CX_EXPECT_EQ(t, sk->ooo_bytes, 100u);
		CX_EXPECT_EQ(t, rcv_queued(sk), 0u);
		CX_EXPECT_EQ(t, last(w).ack, kPeerIss + 1);	/* immediate duplicate ACK */
		rcv(sk, seg(kPeerIss + 101, sk->snd_nxt, flag::kAck, 100));	/* duplicate */
		CX_EXPECT_EQ(t, sk->ooo_bytes, 100u);
		rcv(sk, seg(kPeerIss + 1, sk->snd_nxt, flag::kAck, 100));	/* fills the hole */
		CX_EXPECT_EQ(t, sk->rcv_nxt, kPeerIss + 201);
		CX_EXPECT_EQ(t, sk->ooo_bytes, 0u);
		CX_EXPECT_EQ(t, rcv_queued(sk), 200u);
		CX_EXPECT_EQ(t, last(w).ack, kPeerIss + 201);
		uint8_t buf[256];
		uint8_t *p = buf;
		CX_EXPECT_EQ(t, recv(sk, to_buf, &p, sizeof(buf), kMsgPeek), 200);
		CX_EXPECT_EQ(t, rcv_queued(sk), 200u);
		p = buf;
		CX_EXPECT_EQ(t, recv(sk, to_buf, &p, sizeof(buf), 0), 200);
		CX_EXPECT_EQ(t, buf[0], static_cast<uint8_t>('x'));
		CX_EXPECT_EQ(t, buf[1], 0);
		CX_EXPECT_EQ(t, recv(sk, to_buf, &p, sizeof(buf), 0), -CX_EAGAIN);
		CX_EXPECT(t, w->net.stats.get(Mib::TCPOFOQueue) >= 1u);
		sock_destroy(sk);
	}
	wire_free(w);
}

void tcp_state_passive_close(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	Sock *sk = established(t, w);
	if (sk) {
		rcv(sk, seg(kPeerIss + 1, sk->snd_nxt, flag::kFin | flag::kAck));
		CX_EXPECT(t, sk->state == State::CloseWait);
		CX_EXPECT_EQ(t, last(w).ack, kPeerIss + 2);
		CX_EXPECT_EQ(t, recv(sk, nullptr, nullptr, 10, 0), 0);	/* EOF */
		CX_EXPECT(t, (poll(sk) & kWakeRead) != 0);
		uint32_t fin_seq = sk->snd_nxt;
		CX_EXPECT(t, !close(sk, false));
		CX_EXPECT(t, sk->state == State::LastAck);
		Out fin = last(w);
		CX_EXPECT(t, (fin.flags & flag::kFin) && fin.seq == fin_seq);
		rcv(sk, seg(kPeerIss + 2, fin_seq + 1, flag::kAck));
		CX_EXPECT(t, sk->state == State::Close);
		CX_EXPECT_EQ(t, w->dead, 1u);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::CurrEstab), 0u);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::EstabResets), 0u);
		sock_destroy(sk);
	}
	wire_free(w);
}

void tcp_state_active_close_and_time_wait(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	Sock *sk = established(t, w);
	if (sk) {
		uint32_t fin_seq = sk->snd_nxt;
		CX_EXPECT(t, !close(sk, false));
		CX_EXPECT(t, sk->state == State::FinWait1);
		CX_EXPECT(t, (last(w).flags & flag::kFin) != 0);
		rcv(sk, seg(kPeerIss + 1, fin_seq + 1, flag::kAck));
		CX_EXPECT(t, sk->state == State::FinWait2);
		rcv(sk, seg(kPeerIss + 1, fin_seq + 1, flag::kFin | flag::kAck));
		CX_EXPECT(t, sk->state == State::TimeWait);
		CX_EXPECT_EQ(t, last(w).ack, kPeerIss + 2);
		/* data after close: the peer is reset */
		timer_run(sk, TimerKind::Keepalive);	/* 2MSL expired */
		CX_EXPECT(t, sk->state == State::Close);
		CX_EXPECT_EQ(t, w->dead, 1u);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::TW), 1u);
		sock_destroy(sk);
	}
	wire_free(w);
}

void tcp_state_simultaneous_close(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	Sock *sk = established(t, w);
	if (sk) {
		uint32_t fin_seq = sk->snd_nxt;
		close(sk, false);
		rcv(sk, seg(kPeerIss + 1, fin_seq, flag::kFin | flag::kAck));	/* crossing FINs */
		CX_EXPECT(t, sk->state == State::Closing);
		rcv(sk, seg(kPeerIss + 2, fin_seq + 1, flag::kAck));
		CX_EXPECT(t, sk->state == State::TimeWait);
		sock_destroy(sk);
	}
	wire_free(w);
}

void tcp_state_rst_in_each_state(cx_test *t)
{
	/* exact RST: FIN_WAIT1, FIN_WAIT2, CLOSE_WAIT (EPIPE), CLOSING, LAST_ACK, TIME_WAIT */
	static const State kStates[] = {State::FinWait1, State::FinWait2, State::CloseWait,
					State::Closing, State::LastAck, State::TimeWait};
	static const int kErrors[] = {CX_ECONNRESET, CX_ECONNRESET, CX_EPIPE, 0, 0, 0};
	for (unsigned int i = 0; i < CX_ARRAY_SIZE(kStates); i++) {
		Wire *w = wire_new(false);
		if (!w)
			return;
		Sock *sk = established(t, w);
		if (!sk) {
			wire_free(w);
			return;
		}
		uint32_t fin_seq = sk->snd_nxt;
		uint32_t peer_seq = kPeerIss + 1;
		State s = kStates[i];
		if (s == State::CloseWait || s == State::LastAck) {
			tcp::rcv(sk, seg(peer_seq, fin_seq, flag::kFin | flag::kAck));
			peer_seq++;
			if (s == State::LastAck)
				shutdown(sk, 1);
		} else {
			shutdown(sk, 1);
			if (s == State::FinWait2 || s == State::TimeWait)
				tcp::rcv(sk, seg(peer_seq, fin_seq + 1, flag::kAck));
			if (s == State::Closing || s == State::TimeWait) {
				tcp::rcv(sk, seg(peer_seq, s == State::Closing ? fin_seq : fin_seq + 1,
						 flag::kFin | flag::kAck));
				peer_seq++;
			}
		}
		CX_EXPECT_EQ(t, static_cast<int>(sk->state), static_cast<int>(s));
		tcp::rcv(sk, seg(peer_seq, 0, flag::kRst));
		CX_EXPECT(t, sk->state == State::Close);
		CX_EXPECT_EQ(t, take_error(sk), kErrors[i]);
		sock_destroy(sk);
		wire_free(w);
	}
	/* SYN_RECV (a listener's child): the embryo goes away */
	Wire *w = wire_new(false);
	if (!w)
		return;
	Sock *l = sock_create(&w->net, w, Gfp::Kernel);
	listen(l, kA, kLocal, 4);
	rcv(l, seg(5000, 0, flag::kSyn));
	CX_EXPECT_EQ(t, l->syn_count, 1u);
	Segment rst = seg(5001, 0, flag::kRst);
	rcv(l, rst);
	CX_EXPECT_EQ(t, l->syn_count, 0u);
	CX_EXPECT_EQ(t, w->net.stats.get(Mib::EmbryonicRsts), 1u);
	sock_destroy(l);
	wire_free(w);
}

void tcp_state_listener_answers_ack_with_rst(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	Sock *l = sock_create(&w->net, w, Gfp::Kernel);
	listen(l, kA, kLocal, 0);
	rcv(l, seg(1, 777, flag::kAck));
	Out rst = last(w);
	CX_EXPECT(t, rst.flags == flag::kRst && rst.seq == 777);
	clear(w);
	rcv(l, seg(1, 0, flag::kRst));
	CX_EXPECT_EQ(t, w->n, 0u);
	/* backlog 0: one SYN is taken (SYN queue of at least one), the accept queue holds 1 */
	rcv(l, seg(100, 0, flag::kSyn));
	CX_EXPECT_EQ(t, l->syn_count, 1u);
	Segment syn2 = seg(200, 0, flag::kSyn);
	syn2.sport = kPeer + 1;
	rcv(l, syn2);
	CX_EXPECT_EQ(t, l->syn_count, 1u);
	CX_EXPECT_EQ(t, w->net.stats.get(Mib::ListenDrops), 1u);
	sock_destroy(l);
	wire_free(w);
}

void tcp_state_closed_port_reset_reply(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	rcv_no_socket(&w->net, seg(100, 0, flag::kSyn, 10));
	Out r = last(w);
	CX_EXPECT(t, r.flags == (flag::kRst | flag::kAck) && r.seq == 0 && r.ack == 111);
	rcv_no_socket(&w->net, seg(100, 555, flag::kAck));
	r = last(w);
	CX_EXPECT(t, r.flags == flag::kRst && r.seq == 555);
	clear(w);
	rcv_no_socket(&w->net, seg(100, 555, flag::kRst));
	CX_EXPECT_EQ(t, w->n, 0u);
	CX_EXPECT_EQ(t, w->net.stats.get(Mib::OutRsts), 2u);
	wire_free(w);
}

void tcp_state_checksum_errors_counted(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	cx_pkt *pkt = cx_pkt_alloc(0, 24, CX_GFP_KERNEL);
	if (pkt) {
		uint8_t *p = cx_pkt_put(pkt, 24);
		__builtin_memset(p, 0, 24);
		TcpPacket tcp = TcpPacket::new_unchecked(Bytes(p, 24));
		tcp.set_data_offset(6);
		tcp.set_flags(flag::kSyn);
		const uint8_t mss[4] = {2, 4, 5, 0xb4};
		__builtin_memcpy(p + 20, mss, 4);
		tcp.fill_checksum_ipv4(kB, kA);
		Segment s;
		CX_EXPECT_EQ(t, segment_parse(&w->net, pkt, kB, kA, &s), 0);
		CX_EXPECT(t, s.opts.mss_present && s.opts.mss == 1460 && s.flags == flag::kSyn);
		p[4] ^= 0x40;
		CX_EXPECT_EQ(t, segment_parse(&w->net, pkt, kB, kA, &s), -CX_EPROTO);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::InCsumErrors), 1u);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::InErrs), 1u);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::InSegs), 2u);
		p[12] = 4 << 4;
		CX_EXPECT_EQ(t, segment_parse(&w->net, pkt, kB, kA, &s), -CX_EINVAL);
		cx_pkt_free(pkt);
	}
	wire_free(w);
}

namespace {

bool fill_bytes(void *, void *dst, size_t count)
{
	__builtin_memset(dst, 'd', count);
	return true;
}

} // namespace

void tcp_state_fast_retransmit_on_third_dupack(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	Sock *sk = established(t, w);
	if (sk) {
		set_nodelay(sk, true);
		uint32_t first = sk->snd_una;
		CX_EXPECT_EQ(t, send(sk, fill_bytes, nullptr, size_t{5} * 1460, 0), 5 * 1460);
		CX_EXPECT_EQ(t, w->n, 5u);
		clear(w);
		for (int i = 0; i < 2; i++)
			rcv(sk, seg(kPeerIss + 1, first, flag::kAck));
		CX_EXPECT_EQ(t, w->n, 0u);
		rcv(sk, seg(kPeerIss + 1, first, flag::kAck));	/* third duplicate */
		CX_EXPECT_EQ(t, w->n, 1u);
		Out rtx = last(w);
		CX_EXPECT(t, rtx.seq == first && rtx.len == 1460);
		CX_EXPECT(t, sk->ca_state == CaState::Recovery);
		CX_EXPECT_EQ(t, sk->ssthresh, 5u * 1460 / 2);	/* max(flight / 2, 2 MSS) */
		CX_EXPECT_EQ(t, sk->cwnd, sk->ssthresh + 3u * 1460);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::TCPFastRetrans), 1u);
		/* a partial ACK retransmits the next hole and stays in recovery */
		rcv(sk, seg(kPeerIss + 1, first + 1460, flag::kAck));
		CX_EXPECT(t, sk->ca_state == CaState::Recovery);
		CX_EXPECT_EQ(t, last(w).seq, first + 1460);
		/* the full ACK ends it */
		rcv(sk, seg(kPeerIss + 1, first + 5 * 1460, flag::kAck));
		CX_EXPECT(t, sk->ca_state == CaState::Open);
		CX_EXPECT(t, sk->cwnd <= sk->ssthresh);
		CX_EXPECT_EQ(t, snd_queued(sk), 0u);
		sock_destroy(sk);
	}
	wire_free(w);
}

void tcp_state_rto_goes_back_n(cx_test *t)
{
	Wire *w = wire_new(false);
	if (!w)
		return;
	Sock *sk = established(t, w);
	if (sk) {
		set_nodelay(sk, true);
		uint32_t first = sk->snd_una;
		send(sk, fill_bytes, nullptr, size_t{3} * 1460, 0);
		clear(w);
		timer_run(sk, TimerKind::Retransmit);
		CX_EXPECT_EQ(t, w->n, 1u);
		CX_EXPECT_EQ(t, last(w).seq, first);
		CX_EXPECT_EQ(t, sk->snd_nxt, first + 1460);
		CX_EXPECT_EQ(t, sk->cwnd, 1460u);
		CX_EXPECT_EQ(t, sk->rto.backoff, 1);
		CX_EXPECT(t, sk->ca_state == CaState::Loss);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::TCPTimeouts), 1u);
		/* its ACK: slow start sends the next two (old data, counted as retransmissions) */
		rcv(sk, seg(kPeerIss + 1, first + 1460, flag::kAck));
		CX_EXPECT_EQ(t, w->n, 3u);
		CX_EXPECT_EQ(t, sk->rto.backoff, 0);
		CX_EXPECT_EQ(t, w->net.stats.get(Mib::RetransSegs), 3u);
		sock_destroy(sk);
	}
	wire_free(w);
}

} // namespace cx::test
