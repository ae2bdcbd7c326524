// SPDX-License-Identifier: GPL-2.0
/*
 * TCP input: segment arrival per RFC 9293 3.10.7 (LISTEN, SYN-SENT, the
 * synchronized states), with RFC 5961 (RST and SYN validation, challenge
 * ACKs with a per-namespace rate limit, ACK range check), RFC 7323 (PAWS,
 * timestamp recording, window scaling), RFC 5681 / RFC 6582 (duplicate
 * ACKs, fast retransmit, NewReno recovery with partial ACKs), delayed and
 * quick ACKs, out-of-order queueing, FIN handling and the listener's SYN
 * and accept queues. Every dropped segment is counted by reason.
 */
#include "tcp_sock.h"

#include "../cx_errno.h"
#include "../seq.h"

namespace cx::tcp {

using namespace detail;
using wire::Bytes;
using wire::TcpPacket;
namespace tcp_flag = wire::tcp_flag;

namespace {

constexpr uint64_t kNsPerSec = 1000000000ull;
constexpr uint64_t kPawsIdleNs = 24ull * 24 * 3600 * kNsPerSec;	/* RFC 7323 5.5 */
constexpr uint64_t kInvalidAckRateNs = 500ull * 1000000;	/* tcp_invalid_ratelimit */

bool has(const Segment &seg, uint8_t flag)
{
	return (seg.flags & flag) != 0;
}

/* RFC 5961 7: challenge ACKs, at most challenge_ack_limit per second per namespace. */
void send_challenge_ack(Sock *sk)
{
	Net *net = sk->net;
	uint64_t second = cx_os_now_ns() / kNsPerSec;
	if (second != net->challenge_second) {
		net->challenge_second = second;
		net->challenge_count = 0;
	}
	if (net->challenge_count >= net->cfg.challenge_ack_limit) {
		count(sk, Mib::TCPACKSkippedChallenge);
		return;
	}
	net->challenge_count++;
	count(sk, Mib::TCPChallengeACK);
	send_ack(sk);
}

/* A duplicate ACK for an unacceptable segment, rate limited per socket. */
void send_dupack(Sock *sk)
{
	uint64_t now = cx_os_now_ns();
	if (sk->last_oow_ack_ns && now - sk->last_oow_ack_ns < kInvalidAckRateNs) {
		count(sk, Mib::TCPACKSkippedSeq);
		return;
	}
	sk->last_oow_ack_ns = now;
	send_ack(sk);
}

/* Options of a SYN or SYN-ACK: MSS, window scale, timestamps (what both sides offered). */
void apply_syn_options(Sock *sk, const Segment &seg, bool passive)
{
	const Config &cfg = sk->net->cfg;
	const wire::TcpOptions &o = seg.opts;
	sk->peer_mss = o.mss_present && o.mss ? o.mss : static_cast<uint16_t>(cfg.base_mss);
	bool ws_offered = passive ? cfg.window_scaling : sk->wscale_ok;
	bool ts_offered = passive ? cfg.timestamps : sk->ts_ok;
	sk->wscale_ok = ws_offered && o.wscale_present;
	if (sk->wscale_ok) {
		sk->snd_wscale = min(o.wscale, static_cast<uint8_t>(14));
	} else {
		sk->snd_wscale = 0;
		sk->rcv_wscale = 0;
	}
	sk->ts_ok = ts_offered && o.ts_present;
	if (sk->ts_ok) {
		sk->ts_recent = o.tsval;
		sk->ts_recent_stamp_ns = cx_os_now_ns();
	}
	sk->sack_ok = false;	/* SACK is not implemented: never negotiated */
	update_mss(sk);
}

void take_rtt_sample(Sock *sk, uint32_t ack)
{
	if (!sk->rtt_start_ns || seq_before(ack, sk->rtt_seq))
		return;
	uint64_t rtt_ns = cx_os_now_ns() - sk->rtt_start_ns;
	sk->rtt_start_ns = 0;
	uint64_t rtt_us = rtt_ns / 1000;
	if (rtt_us > 0xffffffffu)
		rtt_us = 0xffffffffu;
	rto_sample(&sk->rto, static_cast<uint32_t>(rtt_us), sk->net->cfg);
	if (sk->cc->pkts_acked)
		sk->cc->pkts_acked(sk, 0, static_cast<int64_t>(rtt_us));
}

/* ---- listener ------------------------------------------------------------ */

Sock *find_child(Sock *listener, const Segment &seg)
{
	for (Sock &child : listener->syn_queue)
		if (child.daddr == seg.src && child.dport == seg.sport && child.saddr == seg.dst &&
		    child.sport == seg.dport)
			return &child;
	return nullptr;
}

void rcv_listen(Sock *l, const Segment &seg)
{
	Net *net = l->net;
	if (has(seg, tcp_flag::kRst))
		return;
	if (has(seg, tcp_flag::kAck)) {
		count(l, Mib::CxInListenNoSyn);
		send_reset_reply(net, seg);
		return;
	}
	if (!has(seg, tcp_flag::kSyn)) {
		count(l, Mib::CxInListenNoSyn);
		return;
	}
	if (l->accept_count > l->backlog) {
		count(l, Mib::ListenOverflows);
		count(l, Mib::ListenDrops);
		return;
	}
	if (l->syn_count >= max(l->backlog, 1u)) {
		count(l, Mib::ListenDrops);
		return;
	}
	Sock *child = sock_create(net, nullptr, Gfp::Atomic);
	if (!child) {
		count(l, Mib::ListenDrops);
		return;
	}
	child->saddr = seg.dst;
	child->sport = seg.dport;
	child->daddr = seg.src;
	child->dport = seg.sport;
	child->nodelay = l->nodelay;
	child->keepalive = l->keepalive;
	child->keepidle_ms = l->keepidle_ms;
	child->keepintvl_ms = l->keepintvl_ms;
	child->keepcnt = l->keepcnt;
	child->user_timeout_ms = l->user_timeout_ms;
	child->linger2_ms = l->linger2_ms;
	child->user_mss = l->user_mss;
	child->sndbuf = l->sndbuf;
	child->sndbuf_locked = l->sndbuf_locked;
	child->rcvbuf = l->rcvbuf;
	child->rcvbuf_locked = l->rcvbuf_locked;
	child->cc = l->cc;
	init_connection(child, l->route_mtu);
	child->irs = seg.seq;
	child->rcv_nxt = seg.seq + 1;
	child->rcv_adv = child->rcv_nxt;
	apply_syn_options(child, seg, true);
	child->snd_wnd = seg.window;	/* never scaled in a SYN (RFC 7323 2.2) */
	child->max_snd_wnd = seg.window;
	child->snd_wl1 = seg.seq;
	child->snd_wl2 = child->iss;
	cc_init(child);
	child->state = State::SynRecv;	/* embryonic: no host callbacks yet */
	child->parent = l;
	bool first = l->syn_queue.empty();
	l->syn_queue.push_back(*child);
	l->syn_count++;
	send_synack(child);
	child->rtx_deadline_ns = cx_os_now_ns() +
				 static_cast<uint64_t>(net->cfg.rto_initial_ms) * 1000000;
	if (first)
		arm_synack_timer(l);
}

/* The handshake of a listener's child completed: SYN queue -> accept queue. */
bool establish_child(Sock *child)
{
	Sock *l = child->parent;
	if (l->accept_count > l->backlog) {
		count(child, Mib::ListenOverflows);
		count(child, Mib::ListenDrops);
		return false;
	}
	l->syn_queue.remove(*child);
	l->syn_count--;
	l->accept_queue.push_back(*child);
	l->accept_count++;
	if (l->syn_queue.empty())
		cx_os_timer_cancel(&l->rtx_timer);
	child->retransmits = 0;
	set_state(child, State::Established);
	count(child, Mib::PassiveOpens);
	arm_keepalive(child);
	if (l->net->ops->child_ready)
		l->net->ops->child_ready(l, child);
	wake(l, kWakeRead);
	return true;
}

/* ---- receive queue ------------------------------------------------------- */

void ooo_insert(Sock *sk, uint32_t seq, const uint8_t *data, uint32_t len)
{
	if (sk->rcvq.len() + sk->ooo_bytes + len > sk->rcvbuf) {
		count(sk, Mib::TCPOFODrop);
		return;
	}
	OooSeg *before = nullptr;	/* insert before this one */
	for (OooSeg &s : sk->ooo) {
		if (seq_before_eq(s.seq, seq) && seq_after_eq(s.seq + s.len, seq + len)) {
			count(sk, Mib::TCPOFOMerge);
			return;	/* already have every byte */
		}
		if (!before && seq_after(s.seq, seq))
			before = &s;
	}
	auto *seg = static_cast<OooSeg *>(cx_os_zalloc(sizeof(OooSeg) + len, CX_GFP_ATOMIC));
	if (!seg) {
		count(sk, Mib::TCPOFODrop);
		return;
	}
	new (seg) OooSeg();
	seg->seq = seq;
	seg->len = len;
	__builtin_memcpy(seg->data(), data, len);
	if (before) {
		/* link before `before`: rebuild the order by moving the tail */
		List<OooSeg, &OooSeg::node> tail;
		bool moving = false;
		for (OooSeg &s : sk->ooo.removal_safe()) {
			if (&s == before)
				moving = true;
			if (moving) {
				sk->ooo.remove(s);
				tail.push_back(s);
			}
		}
		sk->ooo.push_back(*seg);
		while (OooSeg *s = tail.pop_front()) {
			if (seq_after_eq(s->seq, seq) && seq_before_eq(s->seq + s->len, seq + len)) {
				count(sk, Mib::TCPOFOMerge);
				sk->ooo_bytes -= s->len;
				cx_os_free(s);
				continue;
			}
			sk->ooo.push_back(*s);
		}
	} else {
		sk->ooo.push_back(*seg);
	}
	sk->ooo_bytes += len;
	count(sk, Mib::TCPOFOQueue);
}

/* Move out-of-order bytes that became in order to the receive queue. */
void ooo_drain(Sock *sk)
{
	while (OooSeg *s = sk->ooo.front()) {
		if (seq_after(s->seq, sk->rcv_nxt))
			break;
		uint32_t end = s->seq + s->len;
		if (seq_after(end, sk->rcv_nxt)) {
			uint32_t off = sk->rcv_nxt - s->seq;
			uint32_t take = end - sk->rcv_nxt;
			size_t got = sk->rcvq.append_bytes(s->data() + off, take, Gfp::Atomic);
			sk->rcv_nxt += static_cast<uint32_t>(got);
			sk->bytes_received += got;
			if (got < take)
				count(sk, Mib::TCPRcvQDrop);
		}
		sk->ooo.remove(*s);
		sk->ooo_bytes -= s->len;
		cx_os_free(s);
	}
}

/* The peer's FIN arrived in order (RFC 9293 3.10.7.4, eighth). */
void rcv_fin(Sock *sk)
{
	sk->rcv_nxt++;
	sk->rcv_fin = true;
	sk->ooo_fin = false;
	switch (sk->state) {
	case State::SynRecv:
	case State::Established:
		set_state(sk, State::CloseWait);
		break;
	case State::FinWait1:
		set_state(sk, State::Closing);
		break;
	case State::FinWait2:
		set_state(sk, State::TimeWait);
		arm_time_wait(sk);
		break;
	default:
		break;
	}
	send_ack(sk);
	wake(sk, kWakeRead | (sk->state == State::TimeWait ? kWakeHup : 0));
}

/* Segment text and FIN for ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2. */
void rcv_data(Sock *sk, uint32_t seq, const uint8_t *data, uint32_t len, bool fin)
{
	bool had_data = len > 0;
	if (seq_before(seq, sk->rcv_nxt)) {
		uint32_t skip = sk->rcv_nxt - seq;
		if (skip >= len) {
			/* old data (a retransmission we already have); a FIN at its end is new */
			if (!(fin && seq + len == sk->rcv_nxt)) {
				send_ack(sk);
				return;
			}
			skip = len;
		}
		data += skip;
		len -= skip;
		seq = sk->rcv_nxt;
	}
	uint32_t room = seq_after(sk->rcv_adv, seq) ? sk->rcv_adv - seq : 0;
	if (len > room) {
		if (room == 0 && seq == sk->rcv_nxt)
			count(sk, Mib::TCPZeroWindowDrop);
		len = room;
		fin = false;
	}
	if (len == 0 && !fin) {
		if (had_data)
			send_ack(sk);
		return;
	}
	if (seq != sk->rcv_nxt) {
		ooo_insert(sk, seq, data, len);
		if (fin) {
			sk->ooo_fin = true;
			sk->ooo_fin_seq = seq + len;
		}
		send_ack(sk);	/* duplicate ACK: the sender's fast retransmit */
		return;
	}
	bool filled_hole = !sk->ooo.empty();
	if (len) {
		size_t got = sk->rcvq.append_bytes(data, len, Gfp::Atomic);
		sk->rcv_nxt += static_cast<uint32_t>(got);
		sk->bytes_received += got;
		if (got < len) {
			count(sk, Mib::TCPRcvQDrop);
			fin = false;
		}
		sk->unacked_rcv += static_cast<uint32_t>(got);
	}
	ooo_drain(sk);
	if (len)
		wake(sk, kWakeRead);
	if (fin || (sk->ooo_fin && sk->rcv_nxt == sk->ooo_fin_seq)) {
		rcv_fin(sk);
		return;
	}
	if (filled_hole || sk->quickack || sk->unacked_rcv >= 2u * sk->advmss) {
		if (sk->quickack)
			sk->quickack--;
		send_ack(sk);
	} else {
		arm_delack(sk);
	}
}

/* ---- SYN-SENT ----------------------------------------------------------- */

void rcv_synsent(Sock *sk, const Segment &seg)
{
	if (has(seg, tcp_flag::kAck)) {
		if (seq_before_eq(seg.ack, sk->iss) || seq_after(seg.ack, sk->snd_max)) {
			count(sk, Mib::CxInBadSynSent);
			send_reset_reply(sk->net, seg);
			return;
		}
	}
	if (has(seg, tcp_flag::kRst)) {
		if (has(seg, tcp_flag::kAck))
			done(sk, CX_ECONNREFUSED);
		else
			count(sk, Mib::CxInBadSynSent);
		return;
	}
	if (!has(seg, tcp_flag::kSyn)) {
		count(sk, Mib::CxInBadSynSent);
		return;
	}
	sk->irs = seg.seq;
	sk->rcv_nxt = seg.seq + 1;
	sk->rcv_adv = sk->rcv_nxt + sk->rcv_wnd;	/* what our SYN offered */
	apply_syn_options(sk, seg, false);
	sk->snd_wnd = seg.window;
	sk->max_snd_wnd = seg.window;
	sk->snd_wl1 = seg.seq;
	sk->snd_wl2 = seg.ack;
	sk->last_rcv_ns = cx_os_now_ns();
	if (has(seg, tcp_flag::kAck)) {
		sk->snd_una = seg.ack;
		if (sk->retransmits == 0)
			take_rtt_sample(sk, seg.ack);
		sk->rtt_start_ns = 0;
		sk->retransmits = 0;
		sk->rto.backoff = 0;
		stop_rtx(sk);
		sk->cwnd = sk->net->cfg.init_cwnd_segs * sk->mss;
		set_state(sk, State::Established);
		arm_keepalive(sk);
		if (seg.len || has(seg, tcp_flag::kFin))
			rcv_data(sk, seg.seq + 1, seg.payload, seg.len, has(seg, tcp_flag::kFin));
		else
			send_ack(sk);
		wake(sk, kWakeWrite);
		write_xmit(sk, false);
		return;
	}
	/* simultaneous open (RFC 9293 3.5, figure 7) */
	set_state(sk, State::SynRecv);
	sk->retransmits = 0;
	sk->rto.backoff = 0;
	send_synack(sk);
	arm_rtx(sk);
}

/* ---- ACK processing ------------------------------------------------------ */

/* Returns false if the socket reached CLOSED (LAST-ACK done). */
bool rcv_ack(Sock *sk, const Segment &seg)
{
	uint32_t ack = seg.ack;
	uint32_t wnd = static_cast<uint32_t>(seg.window) << sk->snd_wscale;
	if (sk->ts_ok && seg.opts.ts_present && seq_before_eq(seg.seq, sk->last_ack_sent) &&
	    !seq_before(seg.opts.tsval, sk->ts_recent)) {
		sk->ts_recent = seg.opts.tsval;
		sk->ts_recent_stamp_ns = cx_os_now_ns();
	}
	bool fin_acked = false;
	if (seq_after(ack, sk->snd_una)) {
		uint32_t acked = ack - sk->snd_una;
		uint32_t prior_flight = sk->snd_max - sk->snd_una;
		uint32_t data_base = sk->write_seq - static_cast<uint32_t>(sk->sndq.len());
		if (seq_after(ack, data_base)) {
			uint32_t n = min(ack - data_base, static_cast<uint32_t>(sk->sndq.len()));
			sk->sndq.consume(n);
			sk->bytes_acked += n;
		}
		if (sk->fin_queued && seq_after(ack, sk->write_seq))
			fin_acked = true;
		sk->snd_una = ack;
		if (seq_before(sk->snd_nxt, ack))
			sk->snd_nxt = ack;
		take_rtt_sample(sk, ack);
		sk->retransmits = 0;
		sk->rto.backoff = 0;
		sk->first_retrans_ns = 0;
		if (sk->cc->pkts_acked)
			sk->cc->pkts_acked(sk, acked, -1);
		if (sk->ca_state == CaState::Recovery) {
			if (seq_after_eq(ack, sk->recover)) {
				/* full ACK: leave recovery (RFC 6582 3.2 step 3, option 1) */
				uint32_t flight = sk->snd_max - sk->snd_una;
				sk->cwnd = min(sk->ssthresh, max(flight, static_cast<uint32_t>(sk->mss)) +
							     sk->mss);
				sk->dupacks = 0;
				cc_set_state(sk, CaState::Open);
			} else {
				/* partial ACK: retransmit the next hole, deflate (step 4) */
				retransmit_head(sk);
				sk->cwnd = sk->cwnd > acked ? sk->cwnd - acked : 0;
				if (acked >= sk->mss)
					sk->cwnd += sk->mss;
				sk->cwnd = max(sk->cwnd, static_cast<uint32_t>(sk->mss));
			}
		} else {
			sk->dupacks = 0;
			if (sk->ca_state == CaState::Loss && seq_after_eq(ack, sk->recover))
				cc_set_state(sk, CaState::Open);
			bool cwnd_limited = prior_flight + sk->mss >= sk->cwnd ||
					    (sk->cwnd < sk->ssthresh && 2 * prior_flight >= sk->cwnd);
			if (cwnd_limited)
				sk->cc->cong_avoid(sk, acked);
		}
		if (sk->snd_una == sk->snd_max) {
			if (sk->rtx_mode == Sock::RtxMode::Retransmit)
				stop_rtx(sk);
		} else if (sk->rtx_mode != Sock::RtxMode::Persist) {
			arm_rtx(sk);	/* RFC 6298 5.3 */
		}
		if (!sk->sndbuf_locked) {
			uint64_t want = 2ull * sk->cwnd + 4ull * sk->mss;
			if (want > sk->sndbuf)
				sk->sndbuf = static_cast<uint32_t>(min<uint64_t>(want,
										 sk->net->cfg.wmem_max));
		}
		wake(sk, kWakeWrite);
	} else if (ack == sk->snd_una) {
		/* RFC 5681 2: a duplicate ACK */
		if (seg.len == 0 && !has(seg, tcp_flag::kFin) && wnd == sk->snd_wnd &&
		    sk->snd_una != sk->snd_max) {
			if (sk->ca_state == CaState::Recovery) {
				sk->cwnd += sk->mss;	/* inflate (RFC 5681 3.2 step 4) */
			} else if (sk->ca_state == CaState::Open) {
				sk->dupacks++;
				if (sk->dupacks == 3 && seq_after(ack, sk->recover)) {
					/* fast retransmit (RFC 6582 3.2 step 2) */
					sk->ssthresh = sk->cc->ssthresh(sk);
					sk->recover = sk->snd_max;
					cc_set_state(sk, CaState::Recovery);
					count(sk, Mib::TCPRenoRecovery);
					count(sk, Mib::TCPFastRetrans);
					retransmit_head(sk);
					sk->cwnd = sk->ssthresh + 3u * sk->mss;
					arm_rtx(sk);
				}
			}
		}
	}
	if (seg.len == 0)
		count(sk, Mib::TCPPureAcks);
	/* window update (RFC 9293 3.10.7.4, SND.WL1 / SND.WL2) */
	if (seq_before(sk->snd_wl1, seg.seq) ||
	    (sk->snd_wl1 == seg.seq && seq_before_eq(sk->snd_wl2, ack))) {
		sk->snd_wnd = wnd;
		sk->snd_wl1 = seg.seq;
		sk->snd_wl2 = ack;
		sk->max_snd_wnd = max(sk->max_snd_wnd, wnd);
		if (wnd && sk->rtx_mode == Sock::RtxMode::Persist)
			stop_rtx(sk);
	}
	sk->probes_out = 0;
	if (fin_acked) {
		switch (sk->state) {
		case State::FinWait1:
			set_state(sk, State::FinWait2);
			if (sk->orphan)
				arm_fin_wait2(sk);
			break;
		case State::Closing:
			set_state(sk, State::TimeWait);
			arm_time_wait(sk);
			wake(sk, kWakeHup);
			break;
		case State::LastAck:
			set_state(sk, State::Close);
			wake(sk, kWakeHup);
			return false;
		default:
			break;
		}
	}
	return true;
}

/* ---- synchronized states ------------------------------------------------- */

bool acceptable(const Sock *sk, const Segment &seg, uint32_t seg_len, bool *ack_only)
{
	uint32_t rwnd = seq_after(sk->rcv_adv, sk->rcv_nxt) ? sk->rcv_adv - sk->rcv_nxt : 0;
	*ack_only = false;
	if (seg_len == 0) {
		if (rwnd == 0)
			return seg.seq == sk->rcv_nxt;
		return seq_in_window(seg.seq, sk->rcv_nxt, rwnd);
	}
	if (rwnd == 0) {
		/* RFC 9293: a zero window still takes valid ACKs, URGs and RSTs */
		*ack_only = seg.seq == sk->rcv_nxt;
		return *ack_only;
	}
	return seq_in_window(seg.seq, sk->rcv_nxt, rwnd) ||
	       seq_in_window(seg.seq + seg_len - 1, sk->rcv_nxt, rwnd);
}

void rcv_synchronized(Sock *sk, const Segment &seg)
{
	uint64_t now = cx_os_now_ns();
	bool rst = has(seg, tcp_flag::kRst);
	bool syn = has(seg, tcp_flag::kSyn);
	bool fin = has(seg, tcp_flag::kFin);
	uint32_t seg_len = seg.len + (syn ? 1 : 0) + (fin ? 1 : 0);

	/* a listener's child: the peer retransmitted its SYN (our SYN-ACK was lost) */
	if (sk->state == State::SynRecv && syn && !rst && !has(seg, tcp_flag::kAck) &&
	    seg.seq == sk->irs) {
		send_synack(sk);
		return;
	}
	/* PAWS (RFC 7323 5.3 R1) */
	if (sk->ts_ok && seg.opts.ts_present && !rst &&
	    seq_before(seg.opts.tsval, sk->ts_recent) &&
	    now - sk->ts_recent_stamp_ns <= kPawsIdleNs) {
		count(sk, Mib::PAWSEstab);
		send_dupack(sk);
		return;
	}
	/* TIME-WAIT: the peer's FIN again (our last ACK was lost): ACK, restart 2MSL */
	if (sk->state == State::TimeWait && fin && !rst && !syn) {
		send_ack(sk);
		arm_time_wait(sk);
		return;
	}
	/* first: sequence number */
	bool ack_only = false;
	if (!acceptable(sk, seg, seg_len, &ack_only)) {
		if (rst)
			return;
		count(sk, Mib::CxInOutOfWindow);
		send_dupack(sk);
		return;
	}
	sk->last_rcv_ns = now;
	/* second: RST (RFC 5961 3.2) */
	if (rst) {
		if (seg.seq != sk->rcv_nxt) {
			send_challenge_ack(sk);
			return;
		}
		switch (sk->state) {
		case State::SynRecv:
			if (sk->parent) {
				Sock *l = sk->parent;
				count(sk, Mib::EmbryonicRsts);
				l->syn_queue.remove(*sk);
				l->syn_count--;
				sk->parent = nullptr;
				free_embryo(sk);
				arm_synack_timer(l);
				return;
			}
			done(sk, CX_ECONNREFUSED);
			return;
		case State::CloseWait:
			done(sk, CX_EPIPE);
			return;
		case State::Established:
		case State::FinWait1:
		case State::FinWait2:
			done(sk, CX_ECONNRESET);
			return;
		default:
			done(sk, 0);
			return;
		}
	}
	/* fourth: SYN (RFC 5961 4.2) */
	if (syn) {
		count(sk, Mib::TCPSYNChallenge);
		send_challenge_ack(sk);
		return;
	}
	/* fifth: ACK */
	if (!has(seg, tcp_flag::kAck)) {
		count(sk, Mib::CxInNoAck);
		return;
	}
	if (sk->state == State::SynRecv) {
		if (!seq_after(seg.ack, sk->snd_una) || seq_after(seg.ack, sk->snd_max)) {
			send_reset_reply(sk->net, seg);
			return;
		}
		if (sk->parent) {
			if (!establish_child(sk))
				return;
		} else {
			set_state(sk, State::Established);
			arm_keepalive(sk);
			wake(sk, kWakeWrite);
		}
		sk->snd_wnd = static_cast<uint32_t>(seg.window) << sk->snd_wscale;
		sk->max_snd_wnd = max(sk->max_snd_wnd, sk->snd_wnd);
		sk->snd_wl1 = seg.seq;
		sk->snd_wl2 = seg.ack;
	}
	if (seq_after(seg.ack, sk->snd_max)) {
		count(sk, Mib::CxInAckUnsent);
		send_dupack(sk);
		return;
	}
	if (sk->max_snd_wnd && seq_before(seg.ack, sk->snd_una - sk->max_snd_wnd)) {
		count(sk, Mib::CxInAckTooOld);
		send_challenge_ack(sk);
		return;
	}
	if (!rcv_ack(sk, seg))
		return;
	/* seventh: segment text; eighth: FIN */
	if (seg.len || fin) {
		switch (sk->state) {
		case State::Established:
		case State::FinWait1:
		case State::FinWait2:
			if (sk->shut_rd && sk->state != State::Established &&
			    seq_after(seg.seq + seg.len, sk->rcv_nxt) && seg.len) {
				/* data after close(): RFC 2525 2.17, Linux tcp_rcv_state_process */
				count(sk, Mib::TCPAbortOnData);
				send_reset_reply(sk->net, seg);
				done(sk, CX_ECONNRESET);
				return;
			}
			if (ack_only) {
				if (seg.len)
					count(sk, Mib::TCPZeroWindowDrop);
				send_ack(sk);
				break;
			}
			rcv_data(sk, seg.seq, seg.payload, seg.len, fin);
			break;
		default:
			/* CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: the peer's FIN came already */
			break;
		}
	}
	if (sk->state != State::Close)
		write_xmit(sk, false);
}

} // namespace

/* ---- entry points ------------------------------------------------------- */

int segment_parse(Net *net, cx_pkt *pkt, uint32_t src, uint32_t dst, Segment *seg)
{
	count(net, Mib::InSegs);
	size_t len = cx_pkt_len(pkt);
	if (!cx_pkt_may_pull(pkt, len)) {
		count(net, Mib::InErrs);
		count(net, Mib::CxInTruncated);
		return -CX_EINVAL;
	}
	TcpPacket tcp;
	if (TcpPacket::new_checked(Bytes(cx_pkt_data(pkt), len), &tcp) != wire::Error::Ok) {
		count(net, Mib::InErrs);
		count(net, Mib::CxInTruncated);
		return -CX_EINVAL;
	}
	if (!cx_pkt_csum_unnecessary(pkt) && !tcp.verify_checksum_ipv4(src, dst)) {
		count(net, Mib::InCsumErrors);
		count(net, Mib::InErrs);
		return -CX_EPROTO;
	}
	seg->src = src;
	seg->dst = dst;
	seg->sport = tcp.src_port();
	seg->dport = tcp.dst_port();
	seg->seq = tcp.seq();
	seg->ack = tcp.ack();
	seg->flags = tcp.flags();
	seg->window = tcp.window();
	Bytes payload = tcp.payload();
	seg->payload = payload.data();
	seg->len = static_cast<uint32_t>(payload.len());
	seg->opt_error = wire::tcp_parse_options(tcp.options(), &seg->opts);
	if (seg->opt_error != wire::TcpOptError::Ok)
		count(net, Mib::CxInBadOptions);
	return 0;
}

void rcv(Sock *sk, const Segment &seg)
{
	sk->segs_in++;
	switch (sk->state) {
	case State::Close:
		count(sk, Mib::CxInAfterClose);
		send_reset_reply(sk->net, seg);
		return;
	case State::Listen:
		if (Sock *child = find_child(sk, seg)) {
			rcv_synchronized(child, seg);
			return;
		}
		rcv_listen(sk, seg);
		return;
	case State::SynSent:
		rcv_synsent(sk, seg);
		return;
	default:
		rcv_synchronized(sk, seg);
		return;
	}
}

void rcv_no_socket(Net *net, const Segment &seg)
{
	send_reset_reply(net, seg);
}

} // namespace cx::tcp
