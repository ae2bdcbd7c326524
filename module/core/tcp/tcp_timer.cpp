// SPDX-License-Identifier: GPL-2.0
/*
 * TCP timers: the RFC 6298 retransmission timeout (Karn's rule is applied by
 * the caller: only segments never retransmitted are timed), exponential
 * backoff, SYN / SYN-ACK retries, zero-window probes (persist), delayed
 * ACKs, keepalive, FIN_WAIT2 timeout, TIME_WAIT and TCP_USER_TIMEOUT.
 *
 * A Sock has three timers: rtx_timer (retransmit or persist, rtx_mode says
 * which; on a listener: SYN-ACK retransmission for its whole SYN queue, so
 * that embryonic children never arm timers of their own), delack_timer, and
 * ka_timer (keepalive, FIN_WAIT2, TIME_WAIT: never needed at once).
 */
#include "tcp_sock.h"

#include "../cx_errno.h"
#include "../seq.h"

namespace cx::tcp {

using namespace detail;

namespace {

constexpr uint64_t kNsPerUs = 1000;
constexpr uint64_t kNsPerMs = 1000000;
constexpr uint8_t kMaxBackoff = 16;

uint64_t ms_to_ns(uint32_t ms)
{
	return static_cast<uint64_t>(ms) * kNsPerMs;
}

} // namespace

namespace detail {

void rto_init(RtoEstimator *est, const Config &cfg)
{
	est->srtt_us = 0;
	est->rttvar_us = 0;
	est->rto_us = cfg.rto_initial_ms * 1000;
	est->backoff = 0;
}

void rto_sample(RtoEstimator *est, uint32_t rtt_us, const Config &cfg)
{
	if (rtt_us == 0)
		rtt_us = 1;
	if (est->srtt_us == 0) {
		/* RFC 6298 2.2 */
		est->srtt_us = rtt_us;
		est->rttvar_us = rtt_us / 2;
	} else {
		/* RFC 6298 2.3, beta 1/4, alpha 1/8 */
		uint32_t delta = est->srtt_us > rtt_us ? est->srtt_us - rtt_us
						       : rtt_us - est->srtt_us;
		est->rttvar_us = static_cast<uint32_t>((3ull * est->rttvar_us + delta) / 4);
		est->srtt_us = static_cast<uint32_t>((7ull * est->srtt_us + rtt_us) / 8);
		if (est->srtt_us == 0)
			est->srtt_us = 1;
	}
	/* RTO = SRTT + max(G, K * RTTVAR), G = 1 ms, clamped to [rto_min, rto_max] */
	uint64_t rto = est->srtt_us + max<uint64_t>(1000, 4ull * est->rttvar_us);
	rto = max<uint64_t>(rto, cfg.rto_min_ms * 1000ull);
	rto = min<uint64_t>(rto, cfg.rto_max_ms * 1000ull);
	est->rto_us = static_cast<uint32_t>(rto);
}

uint64_t rto_current_us(const RtoEstimator &est, const Config &cfg)
{
	uint64_t rto = static_cast<uint64_t>(est.rto_us) << min(est.backoff, kMaxBackoff);
	return min<uint64_t>(rto, cfg.rto_max_ms * 1000ull);
}

void arm_rtx(Sock *sk)
{
	sk->rtx_mode = Sock::RtxMode::Retransmit;
	uint64_t delay = rto_current_us(sk->rto, sk->net->cfg) * kNsPerUs;
	sk->rtx_deadline_ns = cx_os_now_ns() + delay;
	cx_os_timer_arm(&sk->rtx_timer, delay);
}

void arm_persist(Sock *sk)
{
	const Config &cfg = sk->net->cfg;
	sk->rtx_mode = Sock::RtxMode::Persist;
	uint64_t base = max<uint64_t>(sk->rto.rto_us, cfg.rto_min_ms * 1000ull);
	uint64_t delay = min<uint64_t>(base << min(sk->probes_out, kMaxBackoff),
				       cfg.rto_max_ms * 1000ull) * kNsPerUs;
	sk->rtx_deadline_ns = cx_os_now_ns() + delay;
	cx_os_timer_arm(&sk->rtx_timer, delay);
}

void stop_rtx(Sock *sk)
{
	sk->rtx_mode = Sock::RtxMode::None;
	cx_os_timer_cancel(&sk->rtx_timer);
}

void arm_delack(Sock *sk)
{
	sk->ack_pending = true;
	/* the first pending ACK sets the deadline; later segments do not push it */
	if (!sk->delack_armed) {
		sk->delack_armed = true;
		cx_os_timer_arm(&sk->delack_timer, ms_to_ns(sk->net->cfg.delack_min_ms));
	}
}

uint32_t keepidle_ms(const Sock *sk)
{
	return sk->keepidle_ms ? sk->keepidle_ms : sk->net->cfg.keepalive_time_ms;
}

static uint32_t keepintvl_ms(const Sock *sk)
{
	return sk->keepintvl_ms ? sk->keepintvl_ms : sk->net->cfg.keepalive_intvl_ms;
}

static uint32_t keepcnt(const Sock *sk)
{
	return sk->keepcnt ? sk->keepcnt : sk->net->cfg.keepalive_probes;
}

void arm_keepalive(Sock *sk)
{
	if (!sk->keepalive)
		return;
	switch (sk->state) {
	case State::Established:
	case State::CloseWait:
	case State::FinWait1:
	case State::Closing:
	case State::LastAck:
		cx_os_timer_arm(&sk->ka_timer, ms_to_ns(keepidle_ms(sk)));
		break;
	default:
		break;
	}
}

void arm_time_wait(Sock *sk)
{
	stop_rtx(sk);
	cx_os_timer_cancel(&sk->delack_timer);
	sk->delack_armed = false;
	sk->ack_pending = false;
	cx_os_timer_arm(&sk->ka_timer, ms_to_ns(sk->net->cfg.time_wait_ms));
}

void arm_fin_wait2(Sock *sk)
{
	uint32_t ms = sk->linger2_ms ? sk->linger2_ms : sk->net->cfg.fin_timeout_ms;
	cx_os_timer_arm(&sk->ka_timer, ms_to_ns(ms));
}

void stop_timers(Sock *sk)
{
	sk->rtx_mode = Sock::RtxMode::None;
	cx_os_timer_cancel(&sk->rtx_timer);
	cx_os_timer_cancel(&sk->delack_timer);
	cx_os_timer_cancel(&sk->ka_timer);
	sk->delack_armed = false;
	sk->ack_pending = false;
}

void arm_synack_timer(Sock *listener)
{
	uint64_t now = cx_os_now_ns();
	uint64_t next = ~0ull;
	for (Sock &child : listener->syn_queue)
		next = min(next, child.rtx_deadline_ns);
	if (next == ~0ull) {
		cx_os_timer_cancel(&listener->rtx_timer);
		return;
	}
	cx_os_timer_arm(&listener->rtx_timer, next > now ? next - now : 0);
}

} // namespace detail

namespace {

uint32_t retry_limit(const Sock *sk)
{
	const Config &cfg = sk->net->cfg;
	if (sk->state == State::SynSent)
		return cfg.syn_retries;
	if (sk->state == State::SynRecv)
		return cfg.synack_retries;
	if (sk->orphan)
		return cfg.orphan_retries ? cfg.orphan_retries : 8;
	return cfg.retries2;
}

bool user_timeout_expired(const Sock *sk, uint64_t now)
{
	return sk->user_timeout_ms && sk->first_retrans_ns &&
	       now - sk->first_retrans_ns >= ms_to_ns(sk->user_timeout_ms);
}

/* Listener: SYN-ACK retransmission and expiry of its embryonic children. */
void synack_timer(Sock *listener)
{
	const Config &cfg = listener->net->cfg;
	uint64_t now = cx_os_now_ns();
	for (Sock &child : listener->syn_queue.removal_safe()) {
		if (child.rtx_deadline_ns > now)
			continue;
		if (child.retransmits >= cfg.synack_retries) {
			listener->syn_queue.remove(child);
			listener->syn_count--;
			child.parent = nullptr;
			free_embryo(&child);
			continue;
		}
		child.retransmits++;
		count(listener, Mib::TCPSynRetrans);
		count(listener, Mib::RetransSegs);
		send_synack(&child);
		uint64_t timeout = static_cast<uint64_t>(cfg.rto_initial_ms) << child.retransmits;
		child.rtx_deadline_ns = now + ms_to_ns(static_cast<uint32_t>(
			min<uint64_t>(timeout, cfg.rto_max_ms)));
	}
	arm_synack_timer(listener);
}

void retransmit_timer(Sock *sk)
{
	uint64_t now = cx_os_now_ns();
	bool handshake = sk->state == State::SynSent || sk->state == State::SynRecv;
	if (!handshake && sk->snd_una == sk->snd_max) {
		sk->rtx_mode = Sock::RtxMode::None;
		return;
	}
	if (sk->retransmits >= retry_limit(sk) || user_timeout_expired(sk, now)) {
		count(sk, Mib::TCPAbortOnTimeout);
		done(sk, sk->soft_err ? sk->soft_err : CX_ETIMEDOUT);
		return;
	}
	count(sk, Mib::TCPTimeouts);
	if (sk->retransmits == 0)
		sk->first_retrans_ns = now;
	sk->retransmits++;
	sk->rto.backoff = static_cast<uint8_t>(min<uint32_t>(sk->rto.backoff + 1u, kMaxBackoff));
	sk->rtt_start_ns = 0;	/* Karn: nothing in flight is timed any more */
	if (sk->state == State::SynSent) {
		count(sk, Mib::TCPSynRetrans);
		count(sk, Mib::RetransSegs);
		send_syn(sk);
	} else if (sk->state == State::SynRecv) {
		count(sk, Mib::TCPSynRetrans);
		count(sk, Mib::RetransSegs);
		send_synack(sk);
	} else {
		if (sk->ca_state == CaState::Open)
			count(sk, Mib::TCPSlowStartRetrans);
		else if (sk->ca_state == CaState::Recovery)
			count(sk, Mib::TCPRenoFailures);
		cc_on_rto(sk);
		sk->snd_nxt = sk->snd_una;	/* go back N, as cwnd allows */
		retransmit_head(sk);
	}
	arm_rtx(sk);
}

void persist_timer(Sock *sk)
{
	bool unsent = seq_before(sk->snd_nxt, sk->write_seq) ||
		      (sk->fin_queued && sk->snd_nxt == sk->write_seq);
	if (!unsent || sk->snd_una != sk->snd_max) {
		sk->rtx_mode = Sock::RtxMode::None;
		write_xmit(sk, false);
		return;
	}
	if (sk->snd_wnd != 0) {
		/* a window below the SWS threshold that never grew: send into it */
		sk->rtx_mode = Sock::RtxMode::None;
		write_xmit(sk, true);
		return;
	}
	uint32_t limit = sk->orphan ? retry_limit(sk) : sk->net->cfg.retries2;
	if (sk->probes_out >= limit) {
		count(sk, Mib::TCPAbortOnTimeout);
		done(sk, sk->soft_err ? sk->soft_err : CX_ETIMEDOUT);
		return;
	}
	send_probe(sk);
	sk->probes_out++;
	arm_persist(sk);
}

void keepalive_timer(Sock *sk)
{
	uint64_t now = cx_os_now_ns();
	if (sk->state == State::TimeWait) {
		count(sk, Mib::TW);
		set_state(sk, State::Close);
		return;
	}
	if (sk->state == State::FinWait2 && sk->orphan) {
		send_rst(sk);
		count(sk, Mib::TCPAbortOnTimeout);
		done(sk, 0);
		return;
	}
	if (!sk->keepalive || sk->state == State::Close || sk->state == State::Listen ||
	    sk->state == State::SynSent || sk->state == State::SynRecv)
		return;
	if (sk->snd_una != sk->snd_max || sk->sndq.len()) {
		cx_os_timer_arm(&sk->ka_timer, ms_to_ns(keepidle_ms(sk)));
		return;
	}
	uint64_t idle = now - sk->last_rcv_ns;
	uint64_t keepidle = ms_to_ns(keepidle_ms(sk));
	if (idle < keepidle) {
		cx_os_timer_arm(&sk->ka_timer, keepidle - idle);
		return;
	}
	bool expired = sk->user_timeout_ms ? (idle >= ms_to_ns(sk->user_timeout_ms) &&
					      sk->probes_out > 0)
					   : sk->probes_out >= keepcnt(sk);
	if (expired) {
		send_rst(sk);
		count(sk, Mib::TCPAbortOnTimeout);
		done(sk, sk->soft_err ? sk->soft_err : CX_ETIMEDOUT);
		return;
	}
	send_probe(sk);
	count(sk, Mib::TCPKeepAlive);
	sk->probes_out++;
	cx_os_timer_arm(&sk->ka_timer, ms_to_ns(keepintvl_ms(sk)));
}

} // namespace

void timer_run(Sock *sk, TimerKind kind)
{
	switch (kind) {
	case TimerKind::Retransmit:
		if (sk->state == State::Listen) {
			synack_timer(sk);
			return;
		}
		if (sk->state == State::Close || sk->state == State::TimeWait)
			return;
		if (sk->rtx_mode == Sock::RtxMode::Persist)
			persist_timer(sk);
		else if (sk->rtx_mode == Sock::RtxMode::Retransmit)
			retransmit_timer(sk);
		return;
	case TimerKind::DelayedAck:
		sk->delack_armed = false;
		if (sk->ack_pending && sk->state != State::Close && sk->state != State::Listen) {
			count(sk, Mib::DelayedACKs);
			send_ack(sk);
		}
		return;
	case TimerKind::Keepalive:
		keepalive_timer(sk);
		return;
	}
}

} // namespace cx::tcp
