// SPDX-License-Identifier: GPL-2.0
/*
 * The congestion control registry and NewReno ("reno", RFC 5681 with RFC
 * 3465 byte counting limited to one SMSS per ACK in slow start; the RFC
 * 6582 recovery itself is in tcp_input.cpp).
 */
#include "tcp_cong.h"

#include "../cx_errno.h"
#include "../utility.h"
#include "tcp_sock.h"

namespace cx::tcp {

/* ---- helpers for algorithms --------------------------------------------- */

uint32_t cong_slow_start(Sock *sk, uint32_t acked)
{
	/* RFC 5681 3.1: cwnd += min(N, SMSS) per ACK, up to ssthresh */
	uint32_t grow = min(acked, static_cast<uint32_t>(sk->mss));
	uint32_t room = sk->ssthresh > sk->cwnd ? sk->ssthresh - sk->cwnd : 0;
	uint32_t used = min(grow, room);
	sk->cwnd += used;
	/* only what crossed ssthresh carries over into congestion avoidance */
	return used < grow ? acked - used : 0;
}

void cong_avoid_ai(Sock *sk, uint32_t acked)
{
	/* RFC 5681 3.1 eq. 3 with byte counting: one SMSS per cwnd bytes acked */
	sk->cwnd_acc += acked;
	if (sk->cwnd_acc >= sk->cwnd) {
		sk->cwnd_acc -= sk->cwnd;
		sk->cwnd += sk->mss;
	}
}

/* ---- NewReno ------------------------------------------------------------ */

namespace {

uint32_t reno_ssthresh(Sock *sk)
{
	/* RFC 5681 eq. 4: max(FlightSize / 2, 2 * SMSS) */
	uint32_t flight = sk->snd_max - sk->snd_una;
	return max(flight / 2, 2u * sk->mss);
}

void reno_cong_avoid(Sock *sk, uint32_t acked)
{
	if (sk->cwnd < sk->ssthresh) {
		acked = cong_slow_start(sk, acked);
		if (!acked)
			return;
	}
	cong_avoid_ai(sk, acked);
}

CongOps g_reno = {
	"reno", nullptr, nullptr, reno_ssthresh, reno_cong_avoid, nullptr, nullptr, nullptr,
	nullptr,
};

/* Registered algorithms besides the built-in one. */
CongOps *g_registered = nullptr;

bool name_equal(const char *a, const char *b)
{
	return __builtin_strcmp(a, b) == 0;
}

} // namespace

const CongOps *cong_reno()
{
	return &g_reno;
}

int cong_register(CongOps *ops)
{
	if (!ops || !ops->name || !ops->ssthresh || !ops->cong_avoid)
		return -CX_EINVAL;
	size_t len = __builtin_strlen(ops->name);
	if (len == 0 || len >= kCongNameMax)
		return -CX_EINVAL;
	if (cong_find(ops->name))
		return -CX_EEXIST;
	ops->next = g_registered;
	g_registered = ops;
	return 0;
}

void cong_unregister(CongOps *ops)
{
	for (CongOps **pp = &g_registered; *pp; pp = &(*pp)->next) {
		if (*pp == ops) {
			*pp = ops->next;
			ops->next = nullptr;
			return;
		}
	}
}

const CongOps *cong_find(const char *name)
{
	if (!name)
		return nullptr;
	if (name_equal(name, g_reno.name))
		return &g_reno;
	for (const CongOps *ops = g_registered; ops; ops = ops->next)
		if (name_equal(name, ops->name))
			return ops;
	return nullptr;
}

/* ---- the socket side ---------------------------------------------------- */

namespace detail {

void cc_init(Sock *sk)
{
	cc_release(sk);
	sk->ca_state = CaState::Open;
	sk->cwnd = sk->net->cfg.init_cwnd_segs * sk->mss;
	sk->ssthresh = 0x7fffffff;
	sk->cwnd_acc = 0;
	sk->dupacks = 0;
	sk->recover = sk->iss;
	__builtin_memset(sk->cc_priv, 0, sizeof(sk->cc_priv));
	if (sk->cc->init)
		sk->cc->init(sk);
	sk->cc_active = true;
}

void cc_release(Sock *sk)
{
	if (!sk->cc_active)
		return;
	sk->cc_active = false;
	if (sk->cc->release)
		sk->cc->release(sk);
}

void cc_set_state(Sock *sk, CaState state)
{
	if (sk->ca_state == state)
		return;
	sk->ca_state = state;
	if (sk->cc->set_state)
		sk->cc->set_state(sk, state);
}

void cc_on_rto(Sock *sk)
{
	/* RFC 5681 3.1 eq. 4 and "LW": one segment after an RTO */
	if (sk->ca_state != CaState::Loss || sk->retransmits == 0)
		sk->ssthresh = sk->cc->ssthresh(sk);
	sk->cwnd = sk->mss;
	sk->cwnd_acc = 0;
	sk->dupacks = 0;
	sk->recover = sk->snd_max;
	cc_set_state(sk, CaState::Loss);
	if (sk->cc->cwnd_event)
		sk->cc->cwnd_event(sk, CaEvent::Loss);
}

} // namespace detail

} // namespace cx::tcp
