// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP control block: creation and destruction, the byte queues, and the
 * user-side entry points (connect, listen, accept, send, recv, shutdown,
 * close, options). Segment arrival is tcp_input.cpp, segment building
 * tcp_output.cpp, timers tcp_timer.cpp.
 */
#include "tcp_sock.h"

#include "../cx_errno.h"
#include "../seq.h"

namespace cx::tcp {

using namespace detail;

const char *state_name(State state)
{
	switch (state) {
	case State::Established: return "ESTABLISHED";
	case State::SynSent: return "SYN_SENT";
	case State::SynRecv: return "SYN_RECV";
	case State::FinWait1: return "FIN_WAIT1";
	case State::FinWait2: return "FIN_WAIT2";
	case State::TimeWait: return "TIME_WAIT";
	case State::Close: return "CLOSE";
	case State::CloseWait: return "CLOSE_WAIT";
	case State::LastAck: return "LAST_ACK";
	case State::Listen: return "LISTEN";
	case State::Closing: return "CLOSING";
	}
	return "?";
}

void net_init(Net *net, const HostOps *ops, void *ctx)
{
	net->ops = ops;
	net->ctx = ctx;
	net->cfg = Config{};
	isn_key_init(&net->isn_key);
	net->stats = TcpStats{};
	net->challenge_second = 0;
	net->challenge_count = 0;
	net->default_cc = cong_reno();
}

/* ---- ByteQueue ------------------------------------------------------------ */

long ByteQueue::append(bool (*copy)(void *arg, void *dst, size_t count), void *arg, size_t n,
		       Gfp gfp)
{
	size_t done = 0;
	while (done < n) {
		Chunk *tail = chunks_.back();
		if (!tail || tail->used == kChunkData) {
			tail = make<Chunk>(gfp);
			if (!tail)
				break;
			chunks_.push_back(*tail);
		}
		size_t room = kChunkData - tail->used;
		size_t count = min(room, n - done);
		if (!copy(arg, tail->data + tail->used, count)) {
			if (done == 0)
				return -CX_EFAULT;
			break;
		}
		tail->used += static_cast<uint32_t>(count);
		len_ += count;
		done += count;
	}
	return static_cast<long>(done);
}

namespace {

struct MemSource {
	const uint8_t *src;
};

bool copy_from_memory(void *arg, void *dst, size_t count)
{
	MemSource *m = static_cast<MemSource *>(arg);
	__builtin_memcpy(dst, m->src, count);
	m->src += count;
	return true;
}

bool copy_to_memory(void *arg, const void *src, size_t count)
{
	uint8_t **dst = static_cast<uint8_t **>(arg);
	__builtin_memcpy(*dst, src, count);
	*dst += count;
	return true;
}

} // namespace

size_t ByteQueue::append_bytes(const uint8_t *src, size_t n, Gfp gfp)
{
	MemSource m{src};
	long got = append(copy_from_memory, &m, n, gfp);
	return got > 0 ? static_cast<size_t>(got) : 0;
}

bool ByteQueue::peek(size_t offset, size_t count,
		     bool (*out)(void *arg, const void *src, size_t count), void *arg) const
{
	CX_BUG_ON(offset > len_ || count > len_ - offset);
	size_t skip = head_ + offset;
	auto &chunks = const_cast<List<Chunk, &Chunk::node> &>(chunks_);
	for (Chunk &c : chunks) {
		if (count == 0)
			break;
		if (skip >= c.used) {
			skip -= c.used;
			continue;
		}
		size_t n = min(static_cast<size_t>(c.used) - skip, count);
		if (!out(arg, c.data + skip, n))
			return false;
		count -= n;
		skip = 0;
	}
	return true;
}

void ByteQueue::copy_to(size_t offset, uint8_t *dst, size_t count) const
{
	peek(offset, count, copy_to_memory, &dst);
}

void ByteQueue::consume(size_t n)
{
	CX_BUG_ON(n > len_);
	len_ -= n;
	while (n) {
		Chunk *c = chunks_.front();
		size_t avail = c->used - head_;
		if (n < avail) {
			head_ += n;
			return;
		}
		n -= avail;
		head_ = 0;
		chunks_.remove(*c);
		destroy(c);
	}
	/* keep the last chunk's space reusable when it is empty */
	Chunk *c = chunks_.front();
	if (c && head_ == c->used) {
		chunks_.remove(*c);
		destroy(c);
		head_ = 0;
	}
}

void ByteQueue::clear()
{
	while (Chunk *c = chunks_.pop_front())
		destroy(c);
	len_ = 0;
	head_ = 0;
}

/* ---- helpers shared by the tcp_*.cpp files ------------------------------- */

namespace detail {

void count(Net *net, Mib mib, uint64_t n)
{
	TcpStats *stats = net->ops && net->ops->stats ? net->ops->stats(net->ctx) : &net->stats;
	stats->v[static_cast<size_t>(mib)] += n;
}

void wake(Sock *sk, uint32_t events)
{
	if (sk->net->ops && sk->net->ops->wake && !sk->orphan)
		sk->net->ops->wake(sk, events);
}

static bool counted_established(State state)
{
	return state == State::Established || state == State::CloseWait;
}

void set_state(Sock *sk, State state)
{
	State old = sk->state;
	if (old == state)
		return;
	sk->state = state;
	if (state == State::Established)
		count(sk, Mib::CurrEstab);
	else if (counted_established(old) && !counted_established(state))
		count(sk, Mib::CurrEstab, ~0ull);	/* -1 modulo 2^64 */
	if (state == State::Close && counted_established(old))
		count(sk, Mib::EstabResets);
	if (state == State::Close) {
		stop_timers(sk);
		cc_release(sk);
	}
	if (sk->net->ops && sk->net->ops->state_change)
		sk->net->ops->state_change(sk, old, state);
	if (state == State::Close && sk->orphan && !sk->dead_called) {
		sk->dead_called = true;
		if (sk->net->ops && sk->net->ops->dead)
			sk->net->ops->dead(sk);
	}
}

void done(Sock *sk, int err)
{
	if (sk->state == State::SynSent || sk->state == State::SynRecv)
		count(sk, Mib::AttemptFails);
	if (err)
		sk->err = err;
	sk->sndq.clear();
	sk->write_seq = sk->snd_una;
	sk->fin_queued = false;
	while (OooSeg *seg = sk->ooo.pop_front())
		cx_os_free(seg);
	sk->ooo_bytes = 0;
	sk->shut_rd = true;
	set_state(sk, State::Close);
	wake(sk, kWakeRead | kWakeWrite | kWakeHup | (err ? kWakeError : 0));
}

uint32_t ts_now(const Sock *sk)
{
	return static_cast<uint32_t>(cx_os_now_ns() / 1000000) + sk->ts_offset;
}

void free_embryo(Sock *child)
{
	cx_os_timer_cancel(&child->rtx_timer);
	cx_os_timer_cancel(&child->delack_timer);
	cx_os_timer_cancel(&child->ka_timer);
	cc_release(child);
	destroy(child);
}

} // namespace detail

/* ---- creation, destruction ---------------------------------------------- */

namespace {

void rtx_timer_fn(cx_os_timer *timer)
{
	Sock *sk = container_of(timer, &Sock::rtx_timer);
	sk->net->ops->timer(sk, TimerKind::Retransmit);
}

void delack_timer_fn(cx_os_timer *timer)
{
	Sock *sk = container_of(timer, &Sock::delack_timer);
	sk->net->ops->timer(sk, TimerKind::DelayedAck);
}

void ka_timer_fn(cx_os_timer *timer)
{
	Sock *sk = container_of(timer, &Sock::ka_timer);
	sk->net->ops->timer(sk, TimerKind::Keepalive);
}

uint8_t choose_rcv_wscale(const Sock *sk)
{
	if (!sk->net->cfg.window_scaling)
		return 0;
	uint32_t space = max(sk->rcvbuf, sk->net->cfg.rmem_max);
	uint8_t scale = 0;
	while (space > 65535 && scale < 14) {
		space >>= 1;
		scale++;
	}
	return scale;
}

} // namespace

Sock *sock_create(Net *net, void *ctx, Gfp gfp)
{
	Sock *sk = make<Sock>(gfp);
	if (!sk)
		return nullptr;
	sk->net = net;
	sk->ctx = ctx;
	sk->state = State::Close;
	sk->sndbuf = net->cfg.wmem_default;
	sk->rcvbuf = net->cfg.rmem_default;
	sk->route_mtu = 1500;
	sk->mss = static_cast<uint16_t>(net->cfg.base_mss);
	sk->advmss = mss_for_mtu(1500);
	sk->ssthresh = 0x7fffffff;
	sk->cc = net->default_cc ? net->default_cc : cong_reno();
	rto_init(&sk->rto, net->cfg);
	cx_os_timer_init(&sk->rtx_timer, rtx_timer_fn);
	cx_os_timer_init(&sk->delack_timer, delack_timer_fn);
	cx_os_timer_init(&sk->ka_timer, ka_timer_fn);
	return sk;
}

/* NOLINTNEXTLINE(misc-no-recursion): one level: a listener's children have none */
void sock_destroy(Sock *sk)
{
	if (!sk)
		return;
	cx_os_timer_cancel_sync(&sk->rtx_timer);
	cx_os_timer_cancel_sync(&sk->delack_timer);
	cx_os_timer_cancel_sync(&sk->ka_timer);
	if (sk->parent) {
		Sock *parent = sk->parent;
		if (sk->state == State::SynRecv && parent->syn_count) {
			parent->syn_queue.remove(*sk);
			parent->syn_count--;
		} else {
			parent->accept_queue.remove(*sk);
			parent->accept_count--;
		}
		sk->parent = nullptr;
	}
	while (Sock *child = sk->syn_queue.pop_front()) {
		child->parent = nullptr;
		sock_destroy(child);
	}
	while (Sock *child = sk->accept_queue.pop_front()) {
		child->parent = nullptr;
		sock_destroy(child);
	}
	while (OooSeg *seg = sk->ooo.pop_front())
		cx_os_free(seg);
	cc_release(sk);
	destroy(sk);
}

/* ---- opening ----------------------------------------------------------- */

namespace detail {

/* Shared by connect() and the passive open: sequence numbers, windows, cc. */
void init_connection(Sock *sk, uint32_t route_mtu)
{
	Net *net = sk->net;
	sk->route_mtu = static_cast<uint16_t>(min(route_mtu, 65535u));
	sk->advmss = mss_for_mtu(route_mtu);
	if (sk->user_mss && sk->user_mss < sk->advmss)
		sk->advmss = sk->user_mss;
	sk->iss = isn_generate(net->isn_key, sk->saddr, sk->daddr, sk->sport, sk->dport,
			       cx_os_now_ns());
	sk->ts_offset = isn_hash(net->isn_key, sk->daddr, sk->saddr, sk->dport, sk->sport);
	sk->snd_una = sk->snd_nxt = sk->snd_max = sk->iss;
	sk->write_seq = sk->iss + 1;
	sk->rcv_wscale = choose_rcv_wscale(sk);
	sk->quickack = static_cast<uint8_t>(min(net->cfg.quickacks, 255u));
	sk->last_rcv_ns = cx_os_now_ns();
	rto_init(&sk->rto, net->cfg);
}

} // namespace detail

int connect(Sock *sk, uint32_t saddr, uint16_t sport, uint32_t daddr, uint16_t dport,
	    uint32_t route_mtu)
{
	if (sk->state == State::SynSent)
		return -CX_EALREADY;
	if (sk->state != State::Close)
		return -CX_EISCONN;
	if (!daddr || !dport || route_mtu < 68)
		return -CX_EINVAL;
	sk->saddr = saddr;
	sk->sport = sport;
	sk->daddr = daddr;
	sk->dport = dport;
	sk->err = 0;
	sk->shut_rd = false;
	sk->rcv_fin = false;
	sk->orphan = false;
	init_connection(sk, route_mtu);
	sk->mss = min(sk->advmss, static_cast<uint16_t>(sk->net->cfg.base_mss));
	cc_init(sk);
	set_state(sk, State::SynSent);
	count(sk, Mib::ActiveOpens);
	send_syn(sk);
	arm_rtx(sk);
	return 0;
}

int listen(Sock *sk, uint32_t saddr, uint16_t sport, uint32_t backlog)
{
	if (sk->state != State::Close && sk->state != State::Listen)
		return -CX_EINVAL;
	sk->saddr = saddr;
	sk->sport = sport;
	sk->backlog = backlog;
	set_state(sk, State::Listen);
	return 0;
}

void set_route_mtu(Sock *sk, uint32_t mtu)
{
	sk->route_mtu = static_cast<uint16_t>(min(max(mtu, 68u), 65535u));
}

Sock *accept(Sock *listener)
{
	Sock *child = listener->accept_queue.pop_front();
	if (!child)
		return nullptr;
	listener->accept_count--;
	child->parent = nullptr;
	return child;
}

/* ---- data --------------------------------------------------------------- */

size_t send_space(const Sock *sk)
{
	return sk->sndbuf > sk->sndq.len() ? sk->sndbuf - sk->sndq.len() : 0;
}

long send(Sock *sk, CopyFrom copy, void *arg, size_t len, uint32_t flags)
{
	if (sk->err)
		return -take_error(sk);
	switch (sk->state) {
	case State::Established:
	case State::CloseWait:
		break;
	case State::SynSent:
	case State::SynRecv:
		return -CX_EAGAIN;
	default:
		return -CX_EPIPE;
	}
	if (sk->fin_queued)
		return -CX_EPIPE;
	sk->more = (flags & kMsgMore) != 0;
	if (len == 0) {
		write_xmit(sk, false);
		return 0;
	}
	size_t space = send_space(sk);
	if (space == 0)
		return -CX_EAGAIN;
	long got = sk->sndq.append(copy, arg, min(len, space), Gfp::Kernel);
	if (got < 0)
		return got;
	if (got == 0)
		return -CX_ENOMEM;
	sk->write_seq += static_cast<uint32_t>(got);
	write_xmit(sk, false);
	return got;
}

size_t rcv_queued(const Sock *sk)
{
	return sk->rcvq.len();
}

size_t snd_queued(const Sock *sk)
{
	return sk->sndq.len();
}

long recv(Sock *sk, CopyTo copy, void *arg, size_t len, uint32_t flags)
{
	if (sk->state == State::Listen)
		return -CX_ENOTCONN;
	if (sk->rcvq.len() == 0 || len == 0) {
		if (len == 0 && sk->rcvq.len())
			return 0;
		if (sk->rcv_fin)
			return 0;
		if (sk->err)
			return -take_error(sk);
		if (sk->shut_rd)
			return 0;
		if (sk->state == State::Close)
			return -CX_ENOTCONN;
		return -CX_EAGAIN;
	}
	size_t n = min(len, sk->rcvq.len());
	if (!sk->rcvq.peek(0, n, copy, arg))
		return -CX_EFAULT;
	if (!(flags & kMsgPeek)) {
		sk->rcvq.consume(n);
		maybe_window_update(sk);
	}
	return static_cast<long>(n);
}

uint32_t poll(const Sock *sk)
{
	uint32_t events = 0;
	if (sk->state == State::Listen)
		return sk->accept_queue.empty() ? 0 : kWakeRead;
	if (sk->err)
		events |= kWakeError;
	bool send_shut = sk->fin_queued || sk->state == State::Close;
	if ((send_shut && (sk->shut_rd || sk->rcv_fin)) || sk->state == State::Close)
		events |= kWakeHup;
	if (sk->rcvq.len() || sk->rcv_fin || sk->shut_rd)
		events |= kWakeRead;
	if (sk->state != State::SynSent && sk->state != State::SynRecv) {
		/* shut down for writing: writable (send() fails at once), as Linux */
		if (send_shut || (send_space(sk) >= sk->sndbuf / 3 && send_space(sk) > 0))
			events |= kWakeWrite;
	}
	return events;
}

int take_error(Sock *sk)
{
	int err = sk->err;
	sk->err = 0;
	return err;
}

/* ---- closing ----------------------------------------------------------- */

namespace {

/* RFC 9293 CLOSE / shutdown(SHUT_WR): queue our FIN. True if one was queued. */
bool close_state(Sock *sk)
{
	switch (sk->state) {
	case State::Established:
	case State::SynRecv:
		set_state(sk, State::FinWait1);
		break;
	case State::CloseWait:
		set_state(sk, State::LastAck);
		break;
	default:
		return false;
	}
	sk->fin_queued = true;
	write_xmit(sk, false);
	return true;
}

void listener_stop(Sock *sk)
{
	while (Sock *child = sk->syn_queue.pop_front()) {
		sk->syn_count--;
		child->parent = nullptr;
		sock_destroy(child);
	}
	while (Sock *child = sk->accept_queue.pop_front()) {
		sk->accept_count--;
		child->parent = nullptr;
		child->orphan = true;
		count(child, Mib::TCPAbortOnClose);
		if (child->state == State::Close) {
			child->dead_called = true;
			if (sk->net->ops && sk->net->ops->dead)
				sk->net->ops->dead(child);
		} else {
			abort(child, CX_ECONNRESET);
		}
	}
}

} // namespace

int shutdown(Sock *sk, int how)
{
	if (how < 0 || how > 2)
		return -CX_EINVAL;
	switch (sk->state) {
	case State::Close:
		return -CX_ENOTCONN;
	case State::Listen:
		if (how == 1)
			return -CX_ENOTCONN;
		listener_stop(sk);
		set_state(sk, State::Close);
		return 0;
	case State::SynSent:
		done(sk, 0);
		return 0;
	default:
		break;
	}
	if (how == 0 || how == 2) {
		sk->shut_rd = true;
		wake(sk, kWakeRead);
	}
	if (how == 1 || how == 2)
		close_state(sk);
	return 0;
}

bool close(Sock *sk, bool linger0)
{
	switch (sk->state) {
	case State::Close:
		return true;
	case State::Listen:
		listener_stop(sk);
		set_state(sk, State::Close);
		return true;
	case State::SynSent:
		set_state(sk, State::Close);
		return true;
	default:
		break;
	}
	sk->shut_rd = true;
	if (sk->rcvq.len()) {
		/* RFC 2525 2.17: unread data is lost, tell the peer */
		count(sk, Mib::TCPAbortOnClose);
		abort(sk, 0);
		return true;
	}
	if (linger0) {
		count(sk, Mib::TCPAbortOnData);
		abort(sk, 0);
		return true;
	}
	sk->orphan = true;
	if (!sk->fin_queued)
		close_state(sk);
	if (sk->state == State::FinWait2)
		arm_fin_wait2(sk);
	/* close_state() may have ended in CLOSE (dead() was called then) */
	return false;
}

void abort(Sock *sk, int err)
{
	switch (sk->state) {
	case State::Established:
	case State::SynRecv:
	case State::FinWait1:
	case State::FinWait2:
	case State::CloseWait:
	case State::Closing:
	case State::LastAck:
		send_rst(sk);
		break;
	default:
		break;
	}
	done(sk, err);
}

/* ---- options ----------------------------------------------------------- */

void set_nodelay(Sock *sk, bool on)
{
	sk->nodelay = on;
	if (on)
		write_xmit(sk, false);
}

void set_cork(Sock *sk, bool on)
{
	sk->cork = on;
	if (!on)
		write_xmit(sk, false);
}

void set_keepalive(Sock *sk, bool on)
{
	sk->keepalive = on;
	if (on)
		arm_keepalive(sk);
	else if (sk->state != State::TimeWait && sk->state != State::FinWait2)
		cx_os_timer_cancel(&sk->ka_timer);
}

/* Linux's limits: MAX_TCP_KEEPIDLE / KEEPINTVL 32767 s, MAX_TCP_KEEPCNT 127. */
int set_keepidle(Sock *sk, uint32_t seconds)
{
	if (seconds < 1 || seconds > 32767)
		return -CX_EINVAL;
	sk->keepidle_ms = seconds * 1000;
	if (sk->keepalive)
		arm_keepalive(sk);
	return 0;
}

int set_keepintvl(Sock *sk, uint32_t seconds)
{
	if (seconds < 1 || seconds > 32767)
		return -CX_EINVAL;
	sk->keepintvl_ms = seconds * 1000;
	return 0;
}

int set_keepcnt(Sock *sk, uint32_t count)
{
	if (count < 1 || count > 127)
		return -CX_EINVAL;
	sk->keepcnt = count;
	return 0;
}

int set_user_timeout(Sock *sk, uint32_t ms)
{
	if (ms > 0x7fffffffu)
		return -CX_EINVAL;
	sk->user_timeout_ms = ms;
	return 0;
}

/* TCP_MAXSEG: 0 (none) or TCP_MIN_MSS (88) .. MAX_TCP_WINDOW (32767), as Linux. */
int set_maxseg(Sock *sk, uint32_t mss)
{
	if (mss && (mss < 88 || mss > 32767))
		return -CX_EINVAL;
	sk->user_mss = static_cast<uint16_t>(mss);
	if (sk->state != State::Close && sk->state != State::Listen)
		update_mss(sk);
	return 0;
}

void set_sndbuf(Sock *sk, uint32_t bytes)
{
	sk->sndbuf = max(bytes, 4608u);
	sk->sndbuf_locked = true;
	wake(sk, kWakeWrite);
}

void set_rcvbuf(Sock *sk, uint32_t bytes)
{
	sk->rcvbuf = max(bytes, 2304u);
	sk->rcvbuf_locked = true;
}

int set_congestion(Sock *sk, const char *name)
{
	const CongOps *ops = cong_find(name);
	if (!ops)
		return -CX_ENOENT;
	cc_release(sk);
	sk->cc = ops;
	if (sk->state != State::Close && sk->state != State::Listen)
		cc_init(sk);
	return 0;
}

} // namespace cx::tcp
