/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Congestion control behind an ops table, as Linux's tcp_congestion_ops:
 * the input and output paths never look inside an algorithm. They own loss
 * detection and recovery (RFC 5681 fast retransmit, RFC 6582 NewReno
 * partial ACKs, RTO) and ask the algorithm only for:
 *   ssthresh()    the slow start threshold after a loss (bytes),
 *   cong_avoid()  cwnd growth when an ACK acknowledges new data outside
 *                 recovery,
 * and tell it about RTT samples, state changes and events. cwnd and
 * ssthresh are in bytes (RFC 5681). An algorithm keeps its own state in
 * Sock::cc_priv (kCongPrivSize bytes).
 *
 * "reno" (NewReno, RFC 5681 + RFC 6582) is built in and the default.
 * Others register by name at module init (cong_register) and unregister at
 * exit; the registry is not locked: (un)register only while no socket
 * lookup runs (module init/exit, or under the host's own lock).
 */
#ifndef CXNET_CORE_TCP_TCP_CONG_H
#define CXNET_CORE_TCP_TCP_CONG_H

#include "../types.h"

namespace cx::tcp {

struct Sock;

/* Where the sender is (Linux's tcp_ca_state, reduced). */
enum class CaState : uint8_t {
	Open = 0,	/* normal */
	Recovery = 3,	/* fast recovery after three duplicate ACKs */
	Loss = 4,	/* after an RTO */
};

enum class CaEvent : uint8_t {
	TxStart,	/* first transmission when nothing was in flight */
	CwndRestart,	/* restart after idle (RFC 5681 4.1) */
	Loss,		/* RTO fired */
};

constexpr size_t kCongNameMax = 16;	/* TCP_CA_NAME_MAX */
constexpr size_t kCongPrivSize = 64;

struct CongOps {
	const char *name;
	/* optional: set up cc_priv (zeroed before) when the algorithm is chosen */
	void (*init)(Sock *sk);
	/* optional: tear down before another algorithm is chosen or the socket dies */
	void (*release)(Sock *sk);
	/* required: ssthresh after a loss, in bytes */
	uint32_t (*ssthresh)(Sock *sk);
	/* required: acked bytes of new data were acknowledged outside recovery */
	void (*cong_avoid)(Sock *sk, uint32_t acked);
	/* optional: CaState changes */
	void (*set_state)(Sock *sk, CaState state);
	/* optional: events */
	void (*cwnd_event)(Sock *sk, CaEvent event);
	/* optional: an ACK acknowledged `acked` bytes; rtt_us < 0: no sample */
	void (*pkts_acked)(Sock *sk, uint32_t acked, int64_t rtt_us);
	CongOps *next;	/* registry link, owned by the registry */
};

/* Add ops to the registry: 0, -EEXIST (name taken), -EINVAL (missing ops, bad name). */
int cong_register(CongOps *ops);
void cong_unregister(CongOps *ops);
/* By name ("reno", ...); nullptr if unknown. */
const CongOps *cong_find(const char *name);
/* The built-in NewReno. */
const CongOps *cong_reno();

/*
 * Helpers for algorithms: RFC 5681 slow start (cwnd += min(acked, SMSS), up
 * to ssthresh; returns the acked bytes beyond ssthresh, else 0) and AIMD.
 */
uint32_t cong_slow_start(Sock *sk, uint32_t acked);
void cong_avoid_ai(Sock *sk, uint32_t acked);

} // namespace cx::tcp

#endif /* CXNET_CORE_TCP_TCP_CONG_H */
