// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the TCP core (module/core/tcp/). Byte 0 picks the state
 * to start from (LISTEN, SYN_SENT, ESTABLISHED, FIN_WAIT1, FIN_WAIT2,
 * CLOSE_WAIT, LAST_ACK, TIME_WAIT, SYN_RECV by simultaneous open), reached
 * with well-formed segments; then records, each 14 bytes of header plus
 * options and payload:
 *   op (1): 0-3 segment, 4 advance the clock, 5 user send, 6 user recv,
 *           7 close / shutdown, 8+ segment with a broken checksum
 *   flags (1), seq offset from rcv_nxt (4, signed), ack offset from
 *   snd_una (4, signed), window (2), payload length (1, up to 255),
 *   option length (1, up to 40, rounded up to 4) + option bytes + payload.
 * Segments go through segment_parse() (checksum, header) to rcv() as the
 * socket layer would feed them. After every record the control block's
 * invariants must hold; at the end everything is destroyed and nothing
 * may leak or stay armed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "os_user.h"
#include "seq.h"
#include "tcp/tcp_sock.h"
#include "wire/tcp.h"

using namespace cx::tcp;
namespace flag = cx::wire::tcp_flag;

#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)

namespace {

constexpr uint32_t kA = 0x0a000001, kB = 0x0a000002;
constexpr uint16_t kLocal = 1000, kPeer = 2000;

struct Ctx {
	Net net;
	Sock *sk;
	bool dead;
};

Ctx g;

int f_xmit(void *, Sock *, cx_pkt *pkt, uint32_t, uint32_t)
{
	cx_pkt_free(pkt);
	return 0;
}

void f_child_ready(Sock *, Sock *child)
{
	child->ctx = &g;
}

void f_timer(Sock *sk, TimerKind kind)
{
	timer_run(sk, kind);
}

void f_dead(Sock *sk)
{
	if (sk == g.sk)
		g.dead = true;
}

const HostOps kOps = {f_xmit, nullptr, nullptr, f_child_ready, f_timer, f_dead, nullptr};

/* Build a segment B:2000 -> A:1000 and feed it. */
void feed(uint32_t seq, uint32_t ack, uint8_t flags, uint16_t window, const uint8_t *opts,
	  size_t opt_len, const uint8_t *payload, size_t len, bool bad_csum)
{
	size_t hdr = 20 + opt_len;
	cx_pkt *pkt = cx_pkt_alloc(0, hdr + len, CX_GFP_ATOMIC);
	FUZZ_ASSERT(pkt);
	uint8_t *p = cx_pkt_put(pkt, hdr + len);
	memset(p, 0, hdr);
	cx::wire::TcpPacket tcp = cx::wire::TcpPacket::new_unchecked(cx::wire::Bytes(p, hdr + len));
	tcp.set_src_port(kPeer);
	tcp.set_dst_port(kLocal);
	tcp.set_seq(seq);
	tcp.set_ack(ack);
	tcp.set_data_offset(static_cast<uint8_t>(hdr / 4));
	tcp.set_flags(flags);
	tcp.set_window(window);
	if (opt_len)
		memcpy(p + 20, opts, opt_len);
	if (len)
		memcpy(p + hdr, payload, len);
	tcp.fill_checksum_ipv4(kB, kA);
	if (bad_csum)
		p[16] ^= 0x5a;
	Segment seg;
	if (segment_parse(&g.net, pkt, kB, kA, &seg) == 0 && !g.dead) {
		if (g.sk->state == State::Close)
			rcv_no_socket(&g.net, seg);
		else
			rcv(g.sk, seg);
	}
	cx_pkt_free(pkt);
}

void simple(uint32_t seq, uint32_t ack, uint8_t flags)
{
	feed(seq, ack, flags, 65535, nullptr, 0, nullptr, 0, false);
}

bool fill(void *arg, void *dst, size_t count)
{
	memset(dst, *static_cast<const uint8_t *>(arg), count);
	return true;
}

bool drop(void *, const void *, size_t)
{
	return true;
}

void check_invariants(const Sock *sk)
{
	if (sk->state == State::Listen || sk->state == State::Close)
		return;
	FUZZ_ASSERT(cx::seq_before_eq(sk->snd_una, sk->snd_nxt));
	FUZZ_ASSERT(cx::seq_before_eq(sk->snd_nxt, sk->snd_max));
	FUZZ_ASSERT(sk->sndq.len() <= 0x7fffffffu);
	uint32_t data_base = sk->write_seq - static_cast<uint32_t>(sk->sndq.len());
	FUZZ_ASSERT(cx::seq_before_eq(data_base, sk->snd_una + 1));
	FUZZ_ASSERT(cx::seq_before_eq(sk->snd_max, sk->write_seq + 1));
	FUZZ_ASSERT(sk->rcvq.len() + sk->ooo_bytes <= sk->rcvbuf + 65535u);
	uint32_t ooo = 0;
	for (OooSeg &s : const_cast<Sock *>(sk)->ooo) {
		FUZZ_ASSERT(cx::seq_after(s.seq, sk->rcv_nxt) || s.seq == sk->rcv_nxt ||
			    cx::seq_before(s.seq, sk->rcv_nxt));
		ooo += s.len;
	}
	FUZZ_ASSERT(ooo == sk->ooo_bytes);
	FUZZ_ASSERT(sk->cwnd >= sk->mss || sk->state == State::SynSent);
}

/* Reach the starting state with well-formed segments. */
void setup(uint8_t which)
{
	const uint32_t peer_iss = 0x80000000u - 5;
	Sock *sk = g.sk;
	if (which % 9 == 0) {
		listen(sk, kA, kLocal, 2);
		return;
	}
	connect(sk, kA, kLocal, kB, kPeer, 1500);
	if (which % 9 == 1)
		return;
	if (which % 9 == 8) {
		simple(peer_iss, 0, flag::kSyn);	/* simultaneous open: SYN_RECV */
		return;
	}
	simple(peer_iss, sk->iss + 1, flag::kSyn | flag::kAck);
	uint32_t rcv = peer_iss + 1;
	uint8_t x = 'a';
	send(sk, fill, &x, 3000, 0);
	switch (which % 9) {
	case 3:	/* FIN_WAIT1 */
		shutdown(sk, 1);
		break;
	case 4:	/* FIN_WAIT2 */
		shutdown(sk, 1);
		simple(rcv, sk->write_seq + 1, flag::kAck);
		break;
	case 5:	/* CLOSE_WAIT */
		simple(rcv, sk->snd_una, flag::kFin | flag::kAck);
		break;
	case 6:	/* LAST_ACK */
		simple(rcv, sk->snd_una, flag::kFin | flag::kAck);
		shutdown(sk, 1);
		break;
	case 7:	/* TIME_WAIT */
		shutdown(sk, 1);
		simple(rcv, sk->write_seq + 1, flag::kAck);
		simple(rcv, sk->write_seq + 1, flag::kFin | flag::kAck);
		break;
	default:
		break;
	}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	long live = cx_user_live_allocs();
	cx_user_reset();
	memset(static_cast<void *>(&g), 0, sizeof(g));
	net_init(&g.net, &kOps, &g);
	g.net.cfg.timestamps = data[0] & 0x10;
	g.net.cfg.window_scaling = data[0] & 0x20;
	g.sk = sock_create(&g.net, &g, cx::Gfp::Kernel);
	FUZZ_ASSERT(g.sk);
	setup(data[0]);
	size_t pos = 1;
	while (pos + 14 <= size && !g.dead) {
		const uint8_t *r = data + pos;
		pos += 14;
		uint8_t op = r[0];
		uint8_t flags = r[1];
		int32_t seq_off = static_cast<int32_t>((r[2] << 24) | (r[3] << 16) | (r[4] << 8) | r[5]);
		int32_t ack_off = static_cast<int32_t>((r[6] << 24) | (r[7] << 16) | (r[8] << 8) | r[9]);
		uint16_t window = static_cast<uint16_t>((r[10] << 8) | r[11]);
		size_t len = r[12];
		size_t opt_len = ((r[13] % 41) + 3) & ~static_cast<size_t>(3);
		if (opt_len > 40)
			opt_len = 40;
		const uint8_t *opts = data + pos;
		size_t avail = size - pos;
		if (opt_len > avail)
			opt_len = avail & ~static_cast<size_t>(3);
		pos += opt_len;
		avail = size - pos;
		if (len > avail)
			len = avail;
		const uint8_t *payload = data + pos;
		pos += len;
		Sock *sk = g.sk;
		switch (op % 10) {
		case 4:
			cx_user_clock_advance((static_cast<uint64_t>(window) + 1) * 1000000ull);
			break;
		case 5: {
			uint8_t x = flags;
			send(sk, fill, &x, len * 64 + 1, (op & 0x80) ? kMsgMore : 0);
			break;
		}
		case 6:
			recv(sk, drop, nullptr, len * 64 + 1, (op & 0x80) ? kMsgPeek : 0);
			break;
		case 7:
			if (flags & 1) {
				shutdown(sk, flags % 3);
			} else if (!close(sk, flags & 2)) {
				/* orphaned: keep feeding until dead() */
			}
			break;
		default:
			feed(sk->rcv_nxt + static_cast<uint32_t>(seq_off),
			     sk->snd_una + static_cast<uint32_t>(ack_off), flags, window, opts, opt_len,
			     payload, len, op % 10 >= 8);
			break;
		}
		if (!g.dead)
			check_invariants(g.sk);
	}
	/* listener children, the socket itself: everything must go */
	sock_destroy(g.sk);
	FUZZ_ASSERT(cx_user_timers_pending() == 0);
	FUZZ_ASSERT(cx_user_live_allocs() == live);
	return 0;
}
