// SPDX-License-Identifier: GPL-2.0
/*
 * C shim over the TCP core for the kernel's socket layer (tcp_api.h). The
 * host's C callbacks are reached through trampolines installed as the
 * core's HostOps; the wrapper struct cx_tcp_net holds the core's Net first.
 */
#include "tcp_api.h"

#include "tcp_sock.h"
#include "../cx_errno.h"

using namespace cx;
using namespace cx::tcp;

struct cx_tcp_net {
	Net net;		/* first: a Sock's net pointer converts back */
	const cx_tcp_host_ops *ops;
	void *ctx;
};

namespace {

inline cx_tcp_sock *c_sock(Sock *sk) { return reinterpret_cast<cx_tcp_sock *>(sk); }
inline Sock *core(cx_tcp_sock *sk) { return reinterpret_cast<Sock *>(sk); }
inline const Sock *core(const cx_tcp_sock *sk) { return reinterpret_cast<const Sock *>(sk); }
inline cx_tcp_net *wrapper(Net *net) { return reinterpret_cast<cx_tcp_net *>(net); }

int tramp_xmit(void *net_ctx, Sock *sk, cx_pkt *pkt, uint32_t src, uint32_t dst)
{
	cx_tcp_net *w = static_cast<cx_tcp_net *>(net_ctx);
	return w->ops->xmit(w->ctx, sk ? c_sock(sk) : nullptr, pkt, src, dst);
}

void tramp_wake(Sock *sk, uint32_t events)
{
	wrapper(sk->net)->ops->wake(c_sock(sk), events);
}

void tramp_state_change(Sock *sk, State old_state, State new_state)
{
	cx_tcp_net *w = wrapper(sk->net);
	if (w->ops->state_change)
		w->ops->state_change(c_sock(sk), static_cast<int>(old_state),
				     static_cast<int>(new_state));
}

void tramp_child_ready(Sock *listener, Sock *child)
{
	wrapper(listener->net)->ops->child_ready(c_sock(listener), c_sock(child));
}

void tramp_timer(Sock *sk, TimerKind kind)
{
	wrapper(sk->net)->ops->timer(c_sock(sk), static_cast<int>(kind));
}

void tramp_dead(Sock *sk)
{
	wrapper(sk->net)->ops->dead(c_sock(sk));
}

constexpr HostOps kTrampolines = {
	tramp_xmit, tramp_wake, tramp_state_change, tramp_child_ready, tramp_timer, tramp_dead,
	nullptr,
};

static_assert(static_cast<int>(TimerKind::Retransmit) == CX_TCP_TIMER_RETRANSMIT, "timer kinds");
static_assert(static_cast<int>(TimerKind::DelayedAck) == CX_TCP_TIMER_DELACK, "timer kinds");
static_assert(static_cast<int>(TimerKind::Keepalive) == CX_TCP_TIMER_KEEPALIVE, "timer kinds");
static_assert(kWakeRead == CX_TCP_WAKE_READ && kWakeWrite == CX_TCP_WAKE_WRITE &&
	      kWakeError == CX_TCP_WAKE_ERROR && kWakeHup == CX_TCP_WAKE_HUP, "wake bits");
static_assert(kMsgPeek == CX_TCP_MSG_PEEK && kMsgMore == CX_TCP_MSG_MORE, "msg flags");

/*
 * Rebuild the Segment of a packet segment_parse() accepted before (the
 * socket backlog keeps packets, not parses): no checks, no counting.
 */
void reparse(cx_pkt *pkt, uint32_t src, uint32_t dst, Segment *seg)
{
	wire::Bytes buf(cx_pkt_data(pkt), cx_pkt_len(pkt));
	wire::TcpPacket tcp = wire::TcpPacket::new_unchecked(buf);
	*seg = Segment{};
	seg->src = src;
	seg->dst = dst;
	seg->sport = tcp.src_port();
	seg->dport = tcp.dst_port();
	seg->seq = tcp.seq();
	seg->ack = tcp.ack();
	seg->flags = tcp.flags();
	seg->window = tcp.window();
	wire::Bytes payload = tcp.payload();
	seg->len = static_cast<uint32_t>(payload.len());
	seg->payload = payload.data();
	seg->opt_error = wire::tcp_parse_options(tcp.options(), &seg->opts);
}

} // namespace

extern "C" {

struct cx_tcp_net *cx_tcp_net_create(const struct cx_tcp_host_ops *ops, void *ctx)
{
	cx_tcp_net *w = make<cx_tcp_net>(Gfp::Kernel);
	if (!w)
		return nullptr;
	w->ops = ops;
	w->ctx = ctx;
	net_init(&w->net, &kTrampolines, w);
	return w;
}

void cx_tcp_net_destroy(struct cx_tcp_net *net)
{
	if (net)
		destroy(net);
}

void cx_tcp_net_configure(struct cx_tcp_net *net, const struct cx_tcp_config *cfg)
{
	Config &c = net->net.cfg;
	if (cfg->time_wait_ms)
		c.time_wait_ms = cfg->time_wait_ms;
	if (cfg->fin_timeout_ms)
		c.fin_timeout_ms = cfg->fin_timeout_ms;
	if (cfg->syn_retries)
		c.syn_retries = cfg->syn_retries;
	if (cfg->synack_retries)
		c.synack_retries = cfg->synack_retries;
	if (cfg->keepalive_time_ms)
		c.keepalive_time_ms = cfg->keepalive_time_ms;
	if (cfg->keepalive_intvl_ms)
		c.keepalive_intvl_ms = cfg->keepalive_intvl_ms;
	if (cfg->keepalive_probes)
		c.keepalive_probes = cfg->keepalive_probes;
	if (cfg->headroom)
		c.headroom = cfg->headroom;
}

void cx_tcp_net_counters(struct cx_tcp_net *net, cx_tcp_counter_fn fn, void *arg)
{
	for (uint16_t i = 0; i < static_cast<uint16_t>(Mib::Count); i++) {
		Mib mib = static_cast<Mib>(i);
		if (fn(arg, mib_group(mib), mib_name(mib), net->net.stats.get(mib)))
			return;
	}
}

struct cx_tcp_sock *cx_tcp_sock_create(struct cx_tcp_net *net, void *ctx, bool atomic)
{
	return c_sock(sock_create(&net->net, ctx, atomic ? Gfp::Atomic : Gfp::Kernel));
}

void cx_tcp_sock_destroy(struct cx_tcp_sock *sk)
{
	sock_destroy(core(sk));
}

void *cx_tcp_sock_ctx(const struct cx_tcp_sock *sk)
{
	return core(sk)->ctx;
}

void cx_tcp_sock_set_ctx(struct cx_tcp_sock *sk, void *ctx)
{
	core(sk)->ctx = ctx;
}

void cx_tcp_sock_addrs(const struct cx_tcp_sock *sk, struct cx_tcp_addrs *out)
{
	const Sock *s = core(sk);
	out->saddr = s->saddr;
	out->daddr = s->daddr;
	out->sport = s->sport;
	out->dport = s->dport;
}

int cx_tcp_sock_state(const struct cx_tcp_sock *sk)
{
	/* read without the socket lock (poll): one byte, relaxed */
	const auto *state = reinterpret_cast<const uint8_t *>(&core(sk)->state);
	return __atomic_load_n(state, __ATOMIC_RELAXED);
}

bool cx_tcp_sock_rcv_fin(const struct cx_tcp_sock *sk)
{
	return __atomic_load_n(&core(sk)->rcv_fin, __ATOMIC_RELAXED);
}

int cx_tcp_sock_peek_error(const struct cx_tcp_sock *sk)
{
	int err = __atomic_load_n(&core(sk)->err, __ATOMIC_RELAXED);
	return err < 0 ? -err : err;
}

int cx_tcp_connect(struct cx_tcp_sock *sk, uint32_t saddr, uint16_t sport, uint32_t daddr,
		   uint16_t dport, uint32_t route_mtu)
{
	return connect(core(sk), saddr, sport, daddr, dport, route_mtu);
}

int cx_tcp_listen(struct cx_tcp_sock *sk, uint32_t saddr, uint16_t sport, uint32_t backlog)
{
	return listen(core(sk), saddr, sport, backlog);
}

void cx_tcp_set_route_mtu(struct cx_tcp_sock *sk, uint32_t mtu)
{
	set_route_mtu(core(sk), mtu);
}

struct cx_tcp_sock *cx_tcp_accept(struct cx_tcp_sock *listener)
{
	Sock *child = accept(core(listener));
	return child ? c_sock(child) : nullptr;
}

long cx_tcp_send(struct cx_tcp_sock *sk, cx_tcp_copy_from_fn copy, void *arg, size_t len,
		 uint32_t flags)
{
	return send(core(sk), copy, arg, len, flags);
}

size_t cx_tcp_send_space(const struct cx_tcp_sock *sk)
{
	return send_space(core(sk));
}

long cx_tcp_recv(struct cx_tcp_sock *sk, cx_tcp_copy_to_fn copy, void *arg, size_t len,
		 uint32_t flags)
{
	return recv(core(sk), copy, arg, len, flags);
}

size_t cx_tcp_rcv_queued(const struct cx_tcp_sock *sk)
{
	return rcv_queued(core(sk));
}

size_t cx_tcp_snd_queued(const struct cx_tcp_sock *sk)
{
	return snd_queued(core(sk));
}

uint32_t cx_tcp_poll(const struct cx_tcp_sock *sk)
{
	return poll(core(sk));
}

int cx_tcp_take_error(struct cx_tcp_sock *sk)
{
	int err = take_error(core(sk));
	return err < 0 ? -err : err;
}

int cx_tcp_shutdown(struct cx_tcp_sock *sk, int how)
{
	return shutdown(core(sk), how);
}

bool cx_tcp_close(struct cx_tcp_sock *sk, bool linger0)
{
	return close(core(sk), linger0);
}

void cx_tcp_abort(struct cx_tcp_sock *sk, int err)
{
	abort(core(sk), err);
}

void cx_tcp_set_nodelay(struct cx_tcp_sock *sk, bool on)
{
	set_nodelay(core(sk), on);
}

void cx_tcp_set_cork(struct cx_tcp_sock *sk, bool on)
{
	set_cork(core(sk), on);
}

void cx_tcp_set_keepalive(struct cx_tcp_sock *sk, bool on)
{
	set_keepalive(core(sk), on);
}

int cx_tcp_set_keepidle(struct cx_tcp_sock *sk, uint32_t seconds)
{
	return set_keepidle(core(sk), seconds);
}

int cx_tcp_set_keepintvl(struct cx_tcp_sock *sk, uint32_t seconds)
{
	return set_keepintvl(core(sk), seconds);
}

int cx_tcp_set_keepcnt(struct cx_tcp_sock *sk, uint32_t count)
{
	return set_keepcnt(core(sk), count);
}

int cx_tcp_set_user_timeout(struct cx_tcp_sock *sk, uint32_t ms)
{
	return set_user_timeout(core(sk), ms);
}

int cx_tcp_set_maxseg(struct cx_tcp_sock *sk, uint32_t mss)
{
	return set_maxseg(core(sk), mss);
}

void cx_tcp_set_sndbuf(struct cx_tcp_sock *sk, uint32_t bytes)
{
	set_sndbuf(core(sk), bytes);
}

void cx_tcp_set_rcvbuf(struct cx_tcp_sock *sk, uint32_t bytes)
{
	set_rcvbuf(core(sk), bytes);
}

void cx_tcp_get_opts(const struct cx_tcp_sock *sk, struct cx_tcp_opts *out)
{
	const Sock *s = core(sk);
	const Config &cfg = s->net->cfg;
	out->nodelay = s->nodelay;
	out->cork = s->cork;
	if (s->state == State::Close || s->state == State::Listen)
		out->mss = s->user_mss ? s->user_mss : cfg.base_mss;
	else
		out->mss = s->mss;
	out->keepidle_s = (s->keepidle_ms ? s->keepidle_ms : cfg.keepalive_time_ms) / 1000;
	out->keepintvl_s = (s->keepintvl_ms ? s->keepintvl_ms : cfg.keepalive_intvl_ms) / 1000;
	out->keepcnt = s->keepcnt ? s->keepcnt : cfg.keepalive_probes;
	out->user_timeout_ms = s->user_timeout_ms;
}

int cx_tcp_parse(struct cx_tcp_net *net, struct cx_pkt *pkt, uint32_t src, uint32_t dst,
		 struct cx_tcp_seg_info *info)
{
	Segment seg;
	int err = segment_parse(&net->net, pkt, src, dst, &seg);
	if (err)
		return err;
	info->saddr = seg.src;
	info->daddr = seg.dst;
	info->sport = seg.sport;
	info->dport = seg.dport;
	info->flags = seg.flags;
	return 0;
}

void cx_tcp_rcv_pkt(struct cx_tcp_sock *sk, struct cx_pkt *pkt, uint32_t src, uint32_t dst)
{
	Segment seg;
	reparse(pkt, src, dst, &seg);
	rcv(core(sk), seg);
}

void cx_tcp_rcv_no_socket(struct cx_tcp_net *net, struct cx_pkt *pkt, uint32_t src, uint32_t dst)
{
	Segment seg;
	reparse(pkt, src, dst, &seg);
	rcv_no_socket(&net->net, seg);
}

void cx_tcp_timer_run(struct cx_tcp_sock *sk, int kind)
{
	timer_run(core(sk), static_cast<TimerKind>(kind));
}

} // extern "C"
