/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP core (tcp_sock.h) as plain C, for the kernel's socket layer
 * (module/kernel/tcp.c). A thin shim: every call maps onto one core entry
 * point and keeps its contract (serialisation by the caller's socket lock,
 * contexts, lifetime): read the comment at the top of tcp_sock.h.
 *
 * A struct cx_tcp_sock is the core's Sock; its ctx is the host's socket.
 * Addresses and ports in host byte order; errors negative errno values.
 */
#ifndef CXNET_CORE_TCP_TCP_API_H
#define CXNET_CORE_TCP_TCP_API_H

#include "../types.h"
#include "../os.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cx_tcp_net;
struct cx_tcp_sock;

/* Wake events (tcp_sock.h kWake*). */
#define CX_TCP_WAKE_READ	1
#define CX_TCP_WAKE_WRITE	2
#define CX_TCP_WAKE_ERROR	4
#define CX_TCP_WAKE_HUP		8

/* Timer kinds (tcp_sock.h TimerKind). */
#define CX_TCP_TIMER_RETRANSMIT	0
#define CX_TCP_TIMER_DELACK	1
#define CX_TCP_TIMER_KEEPALIVE	2
#define CX_TCP_TIMER_COUNT	3

/* recv/send flags the core looks at (Linux's values). */
#define CX_TCP_MSG_PEEK		2
#define CX_TCP_MSG_MORE		0x8000

/* The host's side of tcp_sock.h HostOps; sk_ctx is the host socket (cx_tcp_sock_ctx). */
struct cx_tcp_host_ops {
	/* sk may be NULL (reply without a socket). Takes pkt. 0 or -errno. */
	int (*xmit)(void *net_ctx, struct cx_tcp_sock *sk, struct cx_pkt *pkt, uint32_t src,
		    uint32_t dst);
	void (*wake)(struct cx_tcp_sock *sk, uint32_t events);
	/* optional */
	void (*state_change)(struct cx_tcp_sock *sk, int old_state, int new_state);
	void (*child_ready)(struct cx_tcp_sock *listener, struct cx_tcp_sock *child);
	void (*timer)(struct cx_tcp_sock *sk, int kind);
	void (*dead)(struct cx_tcp_sock *sk);
};

/* Tunables the host may set (tcp_sock.h Config); 0 leaves the default. */
struct cx_tcp_config {
	uint32_t time_wait_ms;
	uint32_t fin_timeout_ms;
	uint32_t syn_retries;
	uint32_t synack_retries;
	uint32_t keepalive_time_ms;
	uint32_t keepalive_intvl_ms;
	uint32_t keepalive_probes;
	uint16_t headroom;
};

/* ---- per netns ---- */

struct cx_tcp_net *cx_tcp_net_create(const struct cx_tcp_host_ops *ops, void *ctx);
void cx_tcp_net_destroy(struct cx_tcp_net *net);
void cx_tcp_net_configure(struct cx_tcp_net *net, const struct cx_tcp_config *cfg);
/* fn(group, name, value) for every TCP counter. */
typedef int (*cx_tcp_counter_fn)(void *arg, const char *group, const char *name,
				 uint64_t value);
void cx_tcp_net_counters(struct cx_tcp_net *net, cx_tcp_counter_fn fn, void *arg);

/* ---- a socket (process context unless noted) ---- */

struct cx_tcp_sock *cx_tcp_sock_create(struct cx_tcp_net *net, void *ctx, bool atomic);
void cx_tcp_sock_destroy(struct cx_tcp_sock *sk);
void *cx_tcp_sock_ctx(const struct cx_tcp_sock *sk);
void cx_tcp_sock_set_ctx(struct cx_tcp_sock *sk, void *ctx);

/* The connection's addresses (host order). */
struct cx_tcp_addrs {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
};
void cx_tcp_sock_addrs(const struct cx_tcp_sock *sk, struct cx_tcp_addrs *out);
/* Linux TCP_* state number (tcp_states.h). */
int cx_tcp_sock_state(const struct cx_tcp_sock *sk);
/* The peer's FIN was received (read side ends after the queued bytes). */
bool cx_tcp_sock_rcv_fin(const struct cx_tcp_sock *sk);
/* Pending error without clearing it (positive errno, 0 none). */
int cx_tcp_sock_peek_error(const struct cx_tcp_sock *sk);

int cx_tcp_connect(struct cx_tcp_sock *sk, uint32_t saddr, uint16_t sport, uint32_t daddr,
		   uint16_t dport, uint32_t route_mtu);
int cx_tcp_listen(struct cx_tcp_sock *sk, uint32_t saddr, uint16_t sport, uint32_t backlog);
void cx_tcp_set_route_mtu(struct cx_tcp_sock *sk, uint32_t mtu);
struct cx_tcp_sock *cx_tcp_accept(struct cx_tcp_sock *listener);

typedef bool (*cx_tcp_copy_from_fn)(void *arg, void *dst, size_t count);
typedef bool (*cx_tcp_copy_to_fn)(void *arg, const void *src, size_t count);
long cx_tcp_send(struct cx_tcp_sock *sk, cx_tcp_copy_from_fn copy, void *arg, size_t len,
		 uint32_t flags);
size_t cx_tcp_send_space(const struct cx_tcp_sock *sk);
long cx_tcp_recv(struct cx_tcp_sock *sk, cx_tcp_copy_to_fn copy, void *arg, size_t len,
		 uint32_t flags);
size_t cx_tcp_rcv_queued(const struct cx_tcp_sock *sk);
size_t cx_tcp_snd_queued(const struct cx_tcp_sock *sk);
/* CX_TCP_WAKE_* bits of the socket now (lockless read, as tcp_poll). */
uint32_t cx_tcp_poll(const struct cx_tcp_sock *sk);
int cx_tcp_take_error(struct cx_tcp_sock *sk);
int cx_tcp_shutdown(struct cx_tcp_sock *sk, int how);
bool cx_tcp_close(struct cx_tcp_sock *sk, bool linger0);
void cx_tcp_abort(struct cx_tcp_sock *sk, int err);

void cx_tcp_set_nodelay(struct cx_tcp_sock *sk, bool on);
void cx_tcp_set_cork(struct cx_tcp_sock *sk, bool on);
void cx_tcp_set_keepalive(struct cx_tcp_sock *sk, bool on);
int cx_tcp_set_keepidle(struct cx_tcp_sock *sk, uint32_t seconds);
int cx_tcp_set_keepintvl(struct cx_tcp_sock *sk, uint32_t seconds);
int cx_tcp_set_keepcnt(struct cx_tcp_sock *sk, uint32_t count);
int cx_tcp_set_user_timeout(struct cx_tcp_sock *sk, uint32_t ms);
int cx_tcp_set_maxseg(struct cx_tcp_sock *sk, uint32_t mss);
void cx_tcp_set_sndbuf(struct cx_tcp_sock *sk, uint32_t bytes);
void cx_tcp_set_rcvbuf(struct cx_tcp_sock *sk, uint32_t bytes);

/* Option values as getsockopt reports them. */
struct cx_tcp_opts {
	bool nodelay, cork;
	uint32_t mss;		/* TCP_MAXSEG: mss when connected, else user_mss or 536 */
	uint32_t keepidle_s, keepintvl_s, keepcnt;
	uint32_t user_timeout_ms;
};
void cx_tcp_get_opts(const struct cx_tcp_sock *sk, struct cx_tcp_opts *out);

/* ---- receive (softirq or process context) ---- */

/*
 * Where a segment goes, from cx_tcp_parse(): its 4-tuple (host order).
 * The parse is kept in the packet's buffer only (the host may queue the
 * packet to a socket backlog and feed it later with cx_tcp_rcv_pkt()).
 */
struct cx_tcp_seg_info {
	uint32_t saddr, daddr;
	uint16_t sport, dport;
	uint8_t flags;
};

/*
 * Check the segment (data at the TCP header, IP payload only): checksum,
 * header; counts InSegs/InErrs. 0 or -errno (drop the packet).
 */
int cx_tcp_parse(struct cx_tcp_net *net, struct cx_pkt *pkt, uint32_t src, uint32_t dst,
		 struct cx_tcp_seg_info *info);
/* Feed a checked packet (cx_tcp_parse() returned 0 for it) to sk; pkt is borrowed. */
void cx_tcp_rcv_pkt(struct cx_tcp_sock *sk, struct cx_pkt *pkt, uint32_t src, uint32_t dst);
/* No socket for a checked packet: RST as a CLOSED socket would; pkt is borrowed. */
void cx_tcp_rcv_no_socket(struct cx_tcp_net *net, struct cx_pkt *pkt, uint32_t src,
			  uint32_t dst);
void cx_tcp_timer_run(struct cx_tcp_sock *sk, int kind);

#ifdef __cplusplus
}
#endif

#endif /* CXNET_CORE_TCP_TCP_API_H */
