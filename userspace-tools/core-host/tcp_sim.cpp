// SPDX-License-Identifier: GPL-2.0
/* The deterministic TCP simulation harness (tcp_sim.h). */
#include "tcp_sim.h"

#include <cstdlib>
#include <cstring>

#include "wire/tcp.h"

namespace sim {

namespace {

Sim *g_sim;	/* the one simulation running (timer callbacks find it here) */

int host_xmit(void *net_ctx, tcp::Sock *, cx_pkt *pkt, uint32_t src, uint32_t dst)
{
	Host *h = static_cast<Host *>(net_ctx);
	h->sim->enqueue(*h->out, pkt, src, dst);
	return 0;
}

void host_wake(tcp::Sock *sk, uint32_t)
{
	if (sk->ctx)
		static_cast<Host *>(sk->ctx)->wakes++;
}

void host_child_ready(tcp::Sock *listener, tcp::Sock *child)
{
	Host *h = static_cast<Host *>(listener->ctx);
	child->ctx = h;
	h->socks.push_back(child);
	h->ready.emplace_back(listener, child);
}

void host_timer(tcp::Sock *sk, tcp::TimerKind kind)
{
	tcp::timer_run(sk, kind);
}

void host_dead(tcp::Sock *sk)
{
	Host *h = static_cast<Host *>(sk->ctx);
	if (!h)
		h = static_cast<Host *>(sk->net->ctx);
	h->dead.push_back(sk);
}

const tcp::HostOps kOps = {
	host_xmit, host_wake, nullptr, host_child_ready, host_timer, host_dead, nullptr,
};

void link_timer_fn(cx_os_timer *timer)
{
	Sim *s = g_sim;
	Link &l = timer == &s->ab.timer ? s->ab : s->ba;
	l.armed_for = UINT64_MAX;
	uint64_t now = cx_os_now_ns();
	while (!l.queue.empty() && l.queue.begin()->first <= now) {
		Link::Pending p = l.queue.begin()->second;
		l.queue.erase(l.queue.begin());
		s->deliver(*l.to, p.pkt, p.src, p.dst);
	}
	if (!l.queue.empty()) {
		l.armed_for = l.queue.begin()->first;
		cx_os_timer_arm(&l.timer, l.armed_for - now);
	}
}

} // namespace

Sim::Sim(uint64_t seed) : rng(seed), seed_(seed)
{
	g_sim = this;
	cx_user_reset();
	cx_user_random_seed(seed);
	a.sim = b.sim = this;
	a.addr = 0x0a000001;
	b.addr = 0x0a000002;
	tcp::net_init(&a.net, &kOps, &a);
	tcp::net_init(&b.net, &kOps, &b);
	a.out = &ab;
	b.out = &ba;
	ab.to = &b;
	ba.to = &a;
	cx_os_timer_init(&ab.timer, link_timer_fn);
	cx_os_timer_init(&ba.timer, link_timer_fn);
}

Sim::~Sim()
{
	reap();
	for (Host *h : {&a, &b}) {
		for (tcp::Sock *sk : h->socks)
			tcp::sock_destroy(sk);
		h->socks.clear();
	}
	for (Link *l : {&ab, &ba}) {
		cx_os_timer_cancel_sync(&l->timer);
		for (auto &e : l->queue)
			cx_pkt_free(e.second.pkt);
		l->queue.clear();
	}
	g_sim = nullptr;
}

tcp::Sock *Sim::socket(Host &h)
{
	tcp::Sock *sk = tcp::sock_create(&h.net, &h, cx::Gfp::Kernel);
	if (sk)
		h.socks.push_back(sk);
	return sk;
}

void Sim::destroy(Host &h, tcp::Sock *sk)
{
	for (size_t i = 0; i < h.socks.size(); i++) {
		if (h.socks[i] == sk) {
			h.socks.erase(h.socks.begin() + static_cast<long>(i));
			break;
		}
	}
	tcp::sock_destroy(sk);
}

void Sim::close(Host &h, tcp::Sock *sk, bool linger0)
{
	if (tcp::close(sk, linger0))
		destroy(h, sk);
	reap();
}

void Sim::reap()
{
	for (Host *h : {&a, &b}) {
		std::vector<tcp::Sock *> dead;
		dead.swap(h->dead);
		for (tcp::Sock *sk : dead)
			destroy(*h, sk);
	}
}

void Sim::run(uint64_t ns)
{
	cx_user_clock_advance(ns);
	reap();
}

bool Sim::run_until(const std::function<bool()> &pred, uint64_t max_ns, uint64_t step_ns)
{
	for (uint64_t t = 0; t < max_ns; t += step_ns) {
		if (pred())
			return true;
		run(step_ns);
	}
	return pred();
}

bool Sim::connect_pair(tcp::Sock **client, tcp::Sock **server, uint16_t port, uint32_t backlog)
{
	tcp::Sock *l = socket(b);
	if (tcp::listen(l, b.addr, port, backlog) != 0)
		return false;
	tcp::Sock *c = socket(a);
	if (tcp::connect(c, a.addr, next_port_++, b.addr, port, 1500) != 0)
		return false;
	tcp::Sock *s = nullptr;
	run_until([&] { return (s = tcp::accept(l)) != nullptr && c->state == tcp::State::Established; },
		  10'000'000'000ull);
	if (!s) {
		s = tcp::accept(l);
		if (!s)
			return false;
	}
	close(b, l);
	*client = c;
	*server = s;
	return c->state == tcp::State::Established;
}

void Sim::arm(Link &l)
{
	if (l.queue.empty())
		return;
	uint64_t first = l.queue.begin()->first;
	if (first < l.armed_for) {
		l.armed_for = first;
		uint64_t now = cx_os_now_ns();
		cx_os_timer_arm(&l.timer, first > now ? first - now : 0);
	}
}

void Sim::enqueue(Link &l, cx_pkt *pkt, uint32_t src, uint32_t dst)
{
	uint64_t now = cx_os_now_ns();
	uint64_t n = l.sent++;
	size_t len = cx_pkt_len(pkt);
	if (l.tap)
		l.tap(now, cx_pkt_data(pkt), len);
	size_t queued = 0;
	for (auto &e : l.queue)
		queued += cx_pkt_len(e.second.pkt);
	if (l.p.down || chance(l.p.loss_ppm) || queued + len > l.p.queue_limit ||
	    (l.drop_hook && l.drop_hook(n, cx_pkt_data(pkt), len))) {
		l.dropped++;
		cx_pkt_free(pkt);
		return;
	}
	if (chance(l.p.corrupt_ppm)) {
		uint8_t *d = cx_pkt_data(pkt);
		size_t at = rng() % len;
		d[at] ^= static_cast<uint8_t>(1 + rng() % 255);
		l.corrupted++;
	}
	uint64_t start = std::max(now, l.busy_until);
	uint64_t tx = (len + 40 + 14) * 8ull * 1'000'000'000ull / l.p.rate_bps;
	l.busy_until = start + tx;
	uint64_t at = l.busy_until + l.p.delay_ns;
	if (l.p.jitter_ns)
		at += rng() % l.p.jitter_ns;
	if (chance(l.p.reorder_ppm)) {
		at += l.p.reorder_extra_ns;
		l.reordered++;
	}
	if (chance(l.p.dup_ppm)) {
		cx_pkt *copy = cx_pkt_copy(pkt, 128, CX_GFP_ATOMIC);
		if (copy) {
			l.duplicated++;
			l.queue.emplace(at + 1000, Link::Pending{copy, src, dst});
		}
	}
	l.queue.emplace(at, Link::Pending{pkt, src, dst});
	arm(l);
}

void Sim::deliver(Host &to, cx_pkt *pkt, uint32_t src, uint32_t dst)
{
	tcp::Segment seg;
	if (tcp::segment_parse(&to.net, pkt, src, dst, &seg) != 0) {
		cx_pkt_free(pkt);
		return;
	}
	tcp::Sock *match = nullptr, *listener = nullptr;
	for (tcp::Sock *sk : to.socks) {
		if (sk->state == tcp::State::Listen) {
			if (sk->sport == seg.dport)
				listener = sk;
			continue;
		}
		if (sk->state == tcp::State::Close)
			continue;
		if (sk->saddr == seg.dst && sk->sport == seg.dport && sk->daddr == seg.src &&
		    sk->dport == seg.sport)
			match = sk;
	}
	if (match)
		tcp::rcv(match, seg);
	else if (listener)
		tcp::rcv(listener, seg);
	else
		tcp::rcv_no_socket(&to.net, seg);
	cx_pkt_free(pkt);
}

namespace {

struct StreamSrc {
	uint64_t off;
	uint32_t salt;
};

bool copy_stream(void *arg, void *dst, size_t count)
{
	StreamSrc *s = static_cast<StreamSrc *>(arg);
	uint8_t *d = static_cast<uint8_t *>(dst);
	for (size_t i = 0; i < count; i++)
		d[i] = stream_byte(s->off + i, s->salt);
	s->off += count;
	return true;
}

struct StreamCheck {
	uint64_t off;
	uint32_t salt;
	bool mismatch;
};

bool check_stream(void *arg, const void *src, size_t count)
{
	StreamCheck *s = static_cast<StreamCheck *>(arg);
	const uint8_t *d = static_cast<const uint8_t *>(src);
	for (size_t i = 0; i < count; i++)
		if (d[i] != stream_byte(s->off + i, s->salt))
			s->mismatch = true;
	s->off += count;
	return true;
}

bool copy_vec(void *arg, const void *src, size_t count)
{
	auto *v = static_cast<std::vector<uint8_t> *>(arg);
	const uint8_t *d = static_cast<const uint8_t *>(src);
	v->insert(v->end(), d, d + count);
	return true;
}

bool copy_mem(void *arg, void *dst, size_t count)
{
	const uint8_t **src = static_cast<const uint8_t **>(arg);
	memcpy(dst, *src, count);
	*src += count;
	return true;
}

} // namespace

long send_stream(tcp::Sock *sk, uint64_t *off, size_t n, uint32_t salt, uint32_t flags)
{
	StreamSrc s{*off, salt};
	long got = tcp::send(sk, copy_stream, &s, n, flags);
	if (got > 0)
		*off += static_cast<uint64_t>(got);
	return got;
}

long recv_stream(tcp::Sock *sk, uint64_t *off, uint32_t salt, bool *mismatch)
{
	StreamCheck s{*off, salt, false};
	long got = tcp::recv(sk, check_stream, &s, SIZE_MAX, 0);
	if (got > 0)
		*off += static_cast<uint64_t>(got);
	if (s.mismatch)
		*mismatch = true;
	return got;
}

long recv_all(tcp::Sock *sk, std::vector<uint8_t> *out)
{
	return tcp::recv(sk, copy_vec, out, SIZE_MAX, 0);
}

long send_bytes(tcp::Sock *sk, const void *data, size_t len, uint32_t flags)
{
	const uint8_t *p = static_cast<const uint8_t *>(data);
	return tcp::send(sk, copy_mem, &p, len, flags);
}

uint64_t stat(const Host &h, tcp::Mib mib)
{
	return h.net.stats.get(mib);
}

} // namespace sim
