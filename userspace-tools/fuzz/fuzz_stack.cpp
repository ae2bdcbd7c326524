// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the whole stack (module/core/stack/stack.h) driven by
 * an arbitrary sequence of operations, as the kernel skin would drive it:
 * frames received on two links, configuration requests with arbitrary
 * field values (addresses, routes, rules, neighbours, tunables: what
 * netlink hands over after attribute validation), locally sent datagrams,
 * link detach/re-attach and clock advances. Transmitted frames are fed
 * back into the other link, so replies, forwarding and ARP run too.
 * Every iteration destroys the stack: nothing may leak, no timer may
 * survive, no sanitizer may fire.
 *
 * Input: records of [op][len][len bytes].
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "os_user.h"
#include "cx_errno.h"
#include "tunables.h"
#include "stack/stack.h"

#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)

namespace {

constexpr unsigned int kQueue = 64;

struct Fuzz {
	cx_stack *s;
	cx_tunables *t;
	cx_pkt *queue[kQueue];
	int32_t queue_if[kQueue];
	unsigned int n;
	bool attached[2];
};

Fuzz *g;

int fuzz_xmit(void *link_ctx, cx_pkt *frame)
{
	/* a frame sent on link 2 arrives on link 3 and back: a wire to ourselves */
	int32_t from = static_cast<int32_t>(reinterpret_cast<uintptr_t>(link_ctx));
	if (g->n == kQueue) {
		cx_pkt_free(frame);
		return -CX_ENOBUFS;
	}
	g->queue_if[g->n] = from == 2 ? 3 : 2;
	g->queue[g->n++] = frame;
	return 0;
}

bool fuzz_udp_rcv(void *, cx_pkt *pkt, const cx_udp_rx_info *info)
{
	if (info->dport & 1)
		return false;
	cx_pkt_free(pkt);
	return true;
}

void fuzz_udp_err(void *, const cx_icmp_err_info *info)
{
	FUZZ_ASSERT(info->errno_value > 0);
}

/* ping sockets: the ICMP header is there; take replies with an even identifier */
bool fuzz_echo_reply(void *, cx_pkt *pkt, const cx_udp_rx_info *info)
{
	FUZZ_ASSERT(cx_pkt_len(pkt) >= 8 && cx_pkt_data(pkt)[0] == 0);
	if (info->sport & 1)
		return false;
	cx_pkt_free(pkt);
	return true;
}

const cx_stack_host_ops kOps = { fuzz_xmit, fuzz_udp_rcv, fuzz_udp_err, nullptr, fuzz_echo_reply, nullptr };

uint32_t rd32(const uint8_t *p)
{
	return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | p[3];
}

/* Addresses drawn mostly from two /24s so that operations meet each other. */
uint32_t pick_addr(uint8_t b)
{
	switch (b >> 6) {
	case 0:
		return 0x0a000000u | (b & 0x3f);
	case 1:
		return 0x0a010000u | (b & 0x3f);
	case 2:
		return 0xc0a80000u | uint32_t(b) << 4;
	default:
		return uint32_t(b) * 0x01010101u;
	}
}

void attach(int32_t ifindex)
{
	cx_link_desc d{};
	d.ifindex = ifindex;
	d.name[0] = 'f';
	d.name[1] = static_cast<char>('0' + ifindex);
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0, static_cast<uint8_t>(ifindex) };
	memcpy(d.mac, mac, 6);
	d.mtu = ifindex == 2 ? 1500 : 576;
	d.flags = CX_LINK_F_UP | CX_LINK_F_BROADCAST | CX_LINK_F_RUNNING;
	FUZZ_ASSERT(cx_stack_link_attach(g->s, &d,
					 reinterpret_cast<void *>(static_cast<uintptr_t>(ifindex))) == 0);
	g->attached[ifindex - 2] = true;
}

void pump()
{
	for (unsigned int rounds = 0; rounds < 256 && g->n; rounds++) {
		cx_pkt *pkt = g->queue[0];
		int32_t ifindex = g->queue_if[0];
		g->n--;
		memmove(g->queue, g->queue + 1, g->n * sizeof(g->queue[0]));
		memmove(g->queue_if, g->queue_if + 1, g->n * sizeof(g->queue_if[0]));
		const uint8_t *eth = cx_pkt_data(pkt);
		cx_pkt_type type = (eth[0] & 1) ? CX_PKT_BROADCAST : CX_PKT_HOST;
		if (!cx_stack_rx(g->s, ifindex, pkt, type))
			cx_pkt_free(pkt);
	}
}

void config(const uint8_t *p, size_t len)
{
	uint8_t b[24] = {};
	memcpy(b, p, len < sizeof(b) ? len : sizeof(b));
	const char *msg = nullptr;
	int32_t ifindex = 2 + (b[1] & 1) + ((b[1] & 0x80) ? 5 : 0); /* sometimes unattached */
	uint32_t flags = b[2] & 0x0f ? uint32_t(b[2] & 0x0f) << 8 : CX_NLM_F_CREATE | CX_NLM_F_EXCL;
	switch (b[0] % 8) {
	case 0: {
		cx_addr a{};
		a.ifindex = ifindex;
		a.local = pick_addr(b[3]);
		a.prefixlen = b[4] % 34;
		a.scope = b[5] & 1 ? 253 : 0;
		a.broadcast = b[6] & 1 ? (a.local | 0xff) : 0;
		cx_stack_addr_add(g->s, &a, flags, &msg);
		break;
	}
	case 1: {
		cx_addr a{};
		a.ifindex = ifindex;
		a.local = pick_addr(b[3]);
		a.prefixlen = b[4] & 1 ? b[4] % 34 : 0;
		cx_stack_addr_del(g->s, &a, &msg);
		break;
	}
	case 2:
	case 3: {
		cx_route r{};
		r.table = b[3] & 3 ? (b[3] & 1 ? 254 : 100) : b[3];
		r.dst = pick_addr(b[4]);
		r.dst_len = b[5] % 34;
		r.type = b[6] % 11;
		r.scope = b[7] & 1 ? 253 : b[7] & 2 ? 255 : 0;
		r.protocol = 4;
		r.priority = b[8];
		r.prefsrc = b[9] & 1 ? pick_addr(b[10]) : 0;
		r.mtu = b[11] & 1 ? rd32(b + 12) % 70000 : 0;
		r.nexthop_count = b[16] % 4;
		for (uint32_t i = 0; i < r.nexthop_count; i++) {
			r.nexthops[i].gateway = b[17 + i] & 1 ? pick_addr(b[17 + i]) : 0;
			r.nexthops[i].ifindex = b[17 + i] & 2 ? 0 : 2 + (b[17 + i] >> 7);
			r.nexthops[i].weight = b[20];
			r.nexthops[i].flags = b[21] & 4;
		}
		if (b[0] % 8 == 2)
			cx_stack_route_add(g->s, &r, flags, &msg);
		else
			cx_stack_route_del(g->s, &r, &msg);
		break;
	}
	case 4:
	case 5: {
		cx_rule r{};
		r.pref = b[3];
		r.has_pref = b[4] & 1;
		r.action = b[5] % 9;
		r.table = b[6] & 1 ? 100 : b[6];
		r.src = pick_addr(b[7]);
		r.src_len = b[8] % 34;
		r.mark = b[9] & 3;
		r.mark_mask = b[10] & 1 ? 0xff : 0;
		r.ipproto = b[11] & 1 ? 17 : 0;
		r.dport_start = b[12];
		r.dport_end = b[13];
		r.suppress_prefixlen = b[14] & 1 ? b[15] % 40 : -1;
		r.flags = b[16] & 2;
		if (b[0] % 8 == 4)
			cx_stack_rule_add(g->s, &r, flags, &msg);
		else
			cx_stack_rule_del(g->s, &r, &msg);
		break;
	}
	case 6: {
		cx_neigh n{};
		n.ifindex = ifindex;
		n.addr = pick_addr(b[3]);
		n.has_lladdr = b[4] & 1;
		memcpy(n.lladdr, b + 5, 6);
		n.state = static_cast<uint16_t>(1u << (b[11] % 9));
		if (b[12] & 1)
			cx_stack_neigh_del(g->s, n.ifindex, n.addr, &msg);
		else
			cx_stack_neigh_add(g->s, &n, flags, &msg);
		break;
	}
	default: {
		unsigned int ids[] = { CX_TUNABLE_IP_FORWARD, CX_TUNABLE_CONF_ALL_RP_FILTER,
				       CX_TUNABLE_ICMP_ECHO_IGNORE_BROADCASTS,
				       CX_TUNABLE_FIB_MULTIPATH_HASH_POLICY,
				       CX_TUNABLE_IPFRAG_HIGH_THRESH };
		unsigned int id = ids[b[3] % 5];
		int64_t v = id == CX_TUNABLE_IPFRAG_HIGH_THRESH ? int64_t(b[4]) * 256 : b[4] % 3;
		int bad;
		cx_tunable_set(g->t, id, &v, 1, &msg, &bad);
		cx_stack_tunables_changed(g->s);
		break;
	}
	}
}

void send(const uint8_t *p, size_t len)
{
	uint8_t b[8] = {};
	memcpy(b, p, len < sizeof(b) ? len : sizeof(b));
	cx_flow f{};
	f.daddr = pick_addr(b[0]);
	f.saddr = b[1] & 1 ? pick_addr(b[2]) : 0;
	f.proto = b[3] & 1 ? 17 : 1;
	f.ttl = b[4] & 7;
	f.df = b[5] & 1;
	f.broadcast_ok = b[5] & 2;
	f.mark = b[6] & 3;
	size_t payload = size_t(b[7]) * 40;
	cx_route_out out;
	if (cx_stack_route_output(g->s, &f, &out))
		return;
	cx_pkt *pkt = cx_pkt_alloc(CX_STACK_HEADROOM, 8 + payload, CX_GFP_KERNEL);
	if (!pkt)
		return;
	uint8_t *u = cx_pkt_put(pkt, 8 + payload);
	memset(u, 0, 8 + payload);
	u[3] = 9;
	u[4] = static_cast<uint8_t>((8 + payload) >> 8);
	u[5] = static_cast<uint8_t>(8 + payload);
	cx_stack_send(g->s, pkt, &f);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long live = cx_user_live_allocs();
	cx_user_reset();
	Fuzz fz{};
	g = &fz;
	fz.t = static_cast<cx_tunables *>(cx_os_zalloc(cx_tunables_size(), CX_GFP_KERNEL));
	FUZZ_ASSERT(fz.t);
	cx_tunables_init(fz.t);
	fz.s = cx_stack_create(&kOps, &fz, fz.t);
	FUZZ_ASSERT(fz.s);
	attach(2);
	attach(3);
	const char *msg;
	cx_addr a{};
	a.ifindex = 2;
	a.local = 0x0a000001;
	a.prefixlen = 24;
	FUZZ_ASSERT(cx_stack_addr_add(fz.s, &a, CX_NLM_F_CREATE | CX_NLM_F_EXCL, &msg) == 0);
	a.ifindex = 3;
	a.local = 0x0a010001;
	FUZZ_ASSERT(cx_stack_addr_add(fz.s, &a, CX_NLM_F_CREATE | CX_NLM_F_EXCL, &msg) == 0);

	size_t pos = 0;
	for (unsigned int ops = 0; ops < 64 && pos + 2 <= size; ops++) {
		uint8_t op = data[pos], len = data[pos + 1];
		pos += 2;
		if (len > size - pos)
			len = static_cast<uint8_t>(size - pos);
		const uint8_t *p = data + pos;
		pos += len;
		switch (op % 6) {
		case 0:
		case 1: {
			int32_t ifindex = 2 + (op & 1);
			if (!g->attached[ifindex - 2] || len == 0)
				break;
			cx_pkt *pkt = cx_pkt_alloc(16, len, CX_GFP_ATOMIC);
			if (!pkt)
				break;
			memcpy(cx_pkt_put(pkt, len), p, len);
			cx_user_pkt_set_csum_unnecessary(pkt, op & 0x40);
			if (!cx_stack_rx(fz.s, ifindex, pkt, (op & 0x80) ? CX_PKT_BROADCAST : CX_PKT_HOST))
				cx_pkt_free(pkt);
			break;
		}
		case 2:
			config(p, len);
			break;
		case 3:
			send(p, len);
			break;
		case 4:
			if (g->attached[1]) {
				cx_stack_link_detach(fz.s, 3);
				g->attached[1] = false;
			} else {
				attach(3);
			}
			break;
		default:
			cx_user_clock_advance((len ? p[0] : 1) * 100000000ull);
			break;
		}
		pump();
	}
	/* drain: timers (ARP retries, reassembly expiry, loopback) with the wire pumped */
	for (int i = 0; i < 12; i++) {
		cx_user_clock_advance(3000000000ull);
		pump();
	}
	for (int32_t i = 2; i <= 3; i++)
		if (g->attached[i - 2])
			FUZZ_ASSERT(cx_stack_link_detach(fz.s, i) == 0);
	while (fz.n)
		cx_pkt_free(fz.queue[--fz.n]);
	cx_stack_destroy(fz.s);
	cx_os_free(fz.t);
	FUZZ_ASSERT(cx_user_timers_pending() == 0);
	FUZZ_ASSERT(cx_user_live_allocs() == live);
	return 0;
}
