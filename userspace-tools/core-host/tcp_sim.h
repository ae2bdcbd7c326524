/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A deterministic TCP simulation: two hosts, each a cx::tcp::Net with its
 * sockets, joined by a simulated link (one queue per direction) on
 * os_user's virtual clock. The link has a rate, a delay with jitter, a
 * queue limit, and injectable loss, duplication, reordering, corruption,
 * outages and a per-packet drop hook. Everything random comes from one
 * seed (std::mt19937_64), printed on failure by the tests, so a failing run
 * replays exactly (CXNET_SIM_SEED=N overrides the seed).
 *
 * Delivery runs inside os_user timers: a link's timer fires at the next
 * packet's arrival and hands it to the receiving host's demux (exact
 * 4-tuple, then a listener on the port, else a RST as a closed port).
 */
#ifndef CXNET_CORE_HOST_TCP_SIM_H
#define CXNET_CORE_HOST_TCP_SIM_H

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <vector>

#include "os_user.h"
#include "tcp/tcp_sock.h"

namespace sim {

namespace tcp = cx::tcp;

struct Host;

struct LinkParams {
	uint64_t rate_bps = 100'000'000;
	uint64_t delay_ns = 5'000'000;	/* one way */
	uint64_t jitter_ns = 0;
	size_t queue_limit = 1 << 20;	/* bytes waiting for serialisation */
	uint32_t loss_ppm = 0;
	uint32_t dup_ppm = 0;
	uint32_t reorder_ppm = 0;
	uint64_t reorder_extra_ns = 3'000'000;
	uint32_t corrupt_ppm = 0;
	bool down = false;		/* drop everything */
};

struct Link {
	struct Pending {
		cx_pkt *pkt;
		uint32_t src, dst;
	};

	cx_os_timer timer;	/* first member: the callback finds the Link */
	LinkParams p;
	Host *to = nullptr;
	std::multimap<uint64_t, Pending> queue;
	uint64_t busy_until = 0;
	uint64_t armed_for = UINT64_MAX;
	/* return true to drop this packet (the n-th handed to the link, from 0) */
	std::function<bool(uint64_t n, const uint8_t *tcp, size_t len)> drop_hook;
	uint64_t sent = 0, dropped = 0, duplicated = 0, corrupted = 0, reordered = 0;
	/* every packet handed to the link: time, TCP bytes */
	std::function<void(uint64_t now, const uint8_t *tcp, size_t len)> tap;
};

struct Sim;

struct Host {
	Sim *sim = nullptr;
	tcp::Net net{};
	uint32_t addr = 0;
	Link *out = nullptr;
	std::vector<tcp::Sock *> socks;	/* every Sock this host owns, listeners too */
	std::vector<tcp::Sock *> dead;	/* dead() called: destroyed by Sim::reap() */
	std::vector<std::pair<tcp::Sock *, tcp::Sock *>> ready;	/* child_ready(l, child) */
	uint64_t wakes = 0;
};

class Sim {
public:
	explicit Sim(uint64_t seed);
	~Sim();
	Sim(const Sim &) = delete;
	Sim &operator=(const Sim &) = delete;

	uint64_t seed() const { return seed_; }
	Host a, b;
	Link ab, ba;	/* a -> b, b -> a */

	tcp::Sock *socket(Host &h);
	/* close(): destroyed now if the core allows, else when dead() comes */
	void close(Host &h, tcp::Sock *sk, bool linger0 = false);
	void destroy(Host &h, tcp::Sock *sk);
	/* destroy the socks dead() reported */
	void reap();

	/* advance the virtual clock (timers, deliveries), then reap */
	void run(uint64_t ns);
	/* run in steps of step_ns until pred() or max_ns passed; returns pred() */
	bool run_until(const std::function<bool()> &pred, uint64_t max_ns,
		       uint64_t step_ns = 1'000'000);

	/* a connected pair: client on a, server (accepted) on b; nullptr on failure */
	bool connect_pair(tcp::Sock **client, tcp::Sock **server, uint16_t port = 80,
			  uint32_t backlog = 16);

	std::mt19937_64 rng;
	bool chance(uint32_t ppm) { return ppm && rng() % 1000000 < ppm; }

	void enqueue(Link &l, cx_pkt *pkt, uint32_t src, uint32_t dst);
	void deliver(Host &to, cx_pkt *pkt, uint32_t src, uint32_t dst);

private:
	uint64_t seed_;
	uint16_t next_port_ = 40000;

	void arm(Link &l);
};

/* The byte at stream offset i of a test stream with salt. */
inline uint8_t stream_byte(uint64_t i, uint32_t salt)
{
	uint64_t x = (i >> 3) * 0x9e3779b97f4a7c15ull + salt;
	x ^= x >> 29;
	return static_cast<uint8_t>(x >> (8 * (i & 7)));
}

/* Write up to n bytes of the stream from offset *off; returns bytes queued (or -errno). */
long send_stream(tcp::Sock *sk, uint64_t *off, size_t n, uint32_t salt, uint32_t flags = 0);
/* Read everything available, checking it against the stream; returns bytes or -errno. */
long recv_stream(tcp::Sock *sk, uint64_t *off, uint32_t salt, bool *mismatch);
/* Read everything available into out. */
long recv_all(tcp::Sock *sk, std::vector<uint8_t> *out);
long send_bytes(tcp::Sock *sk, const void *data, size_t len, uint32_t flags = 0);

uint64_t stat(const Host &h, tcp::Mib mib);

} // namespace sim

#endif /* CXNET_CORE_HOST_TCP_SIM_H */
