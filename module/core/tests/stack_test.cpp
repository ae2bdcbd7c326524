// SPDX-License-Identifier: GPL-2.0
/*
 * The whole stack in one process, portable (gtest in userspace, KUnit in the
 * kernel): stacks joined by a test wire that queues frames and delivers them
 * when pumped, so nothing recurses and nothing depends on timers. The host
 * tests (userspace-tools/core-host/stack_host_test.cpp) cover the timer
 * driven parts on the virtual clock.
 */
#include "cx_test.h"
#include "../cx_errno.h"
#include "../checksum.h"
#include "../memory.h"
#include "../tunables.h"
#include "../stack/stack.h"

namespace cx::test {

namespace {

constexpr unsigned int kWireSlots = 64;
constexpr unsigned int kHosts = 3;

struct TestHost;

struct TestPort {
	TestHost *host;
	int32_t ifindex;
	uint8_t mac[6];
	TestPort *peer;
};

struct TestHost {
	cx_stack *s;
	cx_tunables *t;
	uint16_t bound_port;
	uint32_t received;
	uint32_t received_len;
	uint32_t received_from;
	int last_errno;
	uint8_t last_icmp_type;
	uint8_t last_err_proto;
	uint16_t last_err_sport;
	uint32_t echo_replies;	/* icmp_echo_reply hook (ping sockets) */
	uint16_t echo_id;
	uint32_t echo_len;
	uint32_t echo_from;
};

struct Net {
	TestHost hosts[kHosts];
	TestPort ports[4];
	cx_pkt *frames[kWireSlots];
	TestPort *dest[kWireSlots];
	unsigned int head, tail;
	unsigned int dropped;
};

Net *g_net;	/* the wire the xmit hook reaches (one test at a time) */

int wire_xmit(void *link_ctx, cx_pkt *frame)
{
	TestPort *p = static_cast<TestPort *>(link_ctx);
	Net *n = g_net;
	if (!p->peer || n->tail - n->head == kWireSlots) {
		n->dropped++;
		cx_pkt_free(frame);
		return 0;
	}
	n->dest[n->tail % kWireSlots] = p->peer;
	n->frames[n->tail++ % kWireSlots] = frame;
	return 0;
}

bool test_udp_rcv(void *host_ctx, cx_pkt *pkt, const cx_udp_rx_info *info)
{
	TestHost *h = static_cast<TestHost *>(host_ctx);
	if (!h->bound_port || info->dport != h->bound_port)
		return false;
	h->received++;
	h->received_len = static_cast<uint32_t>(cx_pkt_len(pkt)) - 8;
	h->received_from = info->saddr;
	cx_pkt_free(pkt);
	return true;
}

void test_udp_err(void *host_ctx, const cx_icmp_err_info *info)
{
	TestHost *h = static_cast<TestHost *>(host_ctx);
	h->last_errno = info->errno_value;
	h->last_icmp_type = info->type;
	h->last_err_proto = info->proto;
	h->last_err_sport = info->sport;
}

bool test_echo_reply(void *host_ctx, cx_pkt *pkt, const cx_udp_rx_info *info)
{
	TestHost *h = static_cast<TestHost *>(host_ctx);
	const uint8_t *icmp = cx_pkt_data(pkt);
	if (cx_pkt_len(pkt) < 8 || icmp[0] != 0 || info->sport != (icmp[4] << 8 | icmp[5]))
		return false;
	h->echo_replies++;
	h->echo_id = info->sport;
	h->echo_len = static_cast<uint32_t>(cx_pkt_len(pkt));
	h->echo_from = info->saddr;
	cx_pkt_free(pkt);
	return true;
}

const cx_stack_host_ops kTestOps = { wire_xmit, test_udp_rcv, test_udp_err, nullptr, test_echo_reply,
				     nullptr };

void pump(Net *n)
{
	for (unsigned int i = 0; i < 1000 && n->head != n->tail; i++) {
		TestPort *to = n->dest[n->head % kWireSlots];
		cx_pkt *pkt = n->frames[n->head++ % kWireSlots];
		const uint8_t *eth = cx_pkt_data(pkt);
		bool bcast = eth[0] & 1;
		bool mine = true;
		for (int b = 0; b < 6; b++)
			mine &= eth[b] == to->mac[b];
		cx_pkt_type type = bcast ? CX_PKT_BROADCAST : mine ? CX_PKT_HOST : CX_PKT_OTHERHOST;
		if (!cx_stack_rx(to->host->s, to->ifindex, pkt, type))
			cx_pkt_free(pkt);
	}
}

bool net_init(Net *n, unsigned int hosts)
{
	for (unsigned int i = 0; i < hosts; i++) {
		TestHost *h = &n->hosts[i];
		h->t = static_cast<cx_tunables *>(cx_os_zalloc(cx_tunables_size(), CX_GFP_KERNEL));
		if (!h->t)
			return false;
		cx_tunables_init(h->t);
		h->s = cx_stack_create(&kTestOps, h, h->t);
		if (!h->s)
			return false;
	}
	g_net = n;
	return true;
}

bool attach(Net *n, unsigned int port, unsigned int host, int32_t ifindex)
{
	TestPort *p = &n->ports[port];
	p->host = &n->hosts[host];
	p->ifindex = ifindex;
	uint8_t mac[6] = { 0x02, 0xcc, 0, 0, static_cast<uint8_t>(port), 1 };
	cx_link_desc d{};
	d.ifindex = ifindex;
	d.name[0] = 'e';
	d.name[1] = static_cast<char>('0' + port);
	for (int i = 0; i < 6; i++)
		p->mac[i] = d.mac[i] = mac[i];
	d.mtu = 1500;
	d.flags = CX_LINK_F_UP | CX_LINK_F_BROADCAST | CX_LINK_F_RUNNING;
	return cx_stack_link_attach(p->host->s, &d, p) == 0;
}

void wire(Net *n, unsigned int a, unsigned int b)
{
	n->ports[a].peer = &n->ports[b];
	n->ports[b].peer = &n->ports[a];
}

int add_addr(TestHost *h, int32_t ifindex, uint32_t local, uint8_t len)
{
	cx_addr a{};
	a.ifindex = ifindex;
	a.local = local;
	a.prefixlen = len;
	const char *msg = nullptr;
	return cx_stack_addr_add(h->s, &a, CX_NLM_F_CREATE | CX_NLM_F_EXCL, &msg);
}

int add_default(TestHost *h, uint32_t gw)
{
	cx_route r{};
	r.type = 1;
	r.protocol = 4;
	r.nexthop_count = 1;
	r.nexthops[0].gateway = gw;
	const char *msg = nullptr;
	return cx_stack_route_add(h->s, &r, CX_NLM_F_CREATE | CX_NLM_F_EXCL, &msg);
}

int send_udp(TestHost *h, uint32_t dst, uint16_t dport, size_t len, uint8_t ttl)
{
	cx_flow f{};
	f.daddr = dst;
	f.proto = 17;
	f.ttl = ttl;
	cx_route_out out;
	int err = cx_stack_route_output(h->s, &f, &out);
	if (err)
		return err;
	f.saddr = out.saddr;
	cx_pkt *pkt = cx_pkt_alloc(CX_STACK_HEADROOM, 8 + len, CX_GFP_KERNEL);
	if (!pkt)
		return -CX_ENOMEM;
	uint8_t *u = cx_pkt_put(pkt, 8 + len);
	for (size_t i = 0; i < 8 + len; i++)
		u[i] = static_cast<uint8_t>(i);
	u[0] = 0x30;
	u[1] = 0x39;
	u[2] = static_cast<uint8_t>(dport >> 8);
	u[3] = static_cast<uint8_t>(dport);
	u[4] = static_cast<uint8_t>((8 + len) >> 8);
	u[5] = static_cast<uint8_t>(8 + len);
	u[6] = u[7] = 0;	/* no checksum: allowed for UDP over IPv4 */
	return cx_stack_send(h->s, pkt, &f);
}

/* An ICMP echo request as a ping socket sends it: identifier id, len bytes of payload. */
int send_echo(TestHost *h, uint32_t dst, uint16_t id, size_t len, uint8_t ttl)
{
	cx_flow f{};
	f.daddr = dst;
	f.proto = 1;
	f.ttl = ttl;
	cx_route_out out;
	int err = cx_stack_route_output(h->s, &f, &out);
	if (err)
		return err;
	f.saddr = out.saddr;
	cx_pkt *pkt = cx_pkt_alloc(CX_STACK_HEADROOM, 8 + len, CX_GFP_KERNEL);
	if (!pkt)
		return -CX_ENOMEM;
	uint8_t *m = cx_pkt_put(pkt, 8 + len);
	for (size_t i = 0; i < 8 + len; i++)
		m[i] = static_cast<uint8_t>(i);
	m[0] = 8;
	m[1] = 0;
	m[2] = m[3] = 0;
	m[4] = static_cast<uint8_t>(id >> 8);
	m[5] = static_cast<uint8_t>(id);
	uint16_t sum = cx::internet_checksum(m, 8 + len);
	m[2] = static_cast<uint8_t>(sum >> 8);
	m[3] = static_cast<uint8_t>(sum);
	return cx_stack_send(h->s, pkt, &f);
}

void net_destroy(Net *n, unsigned int hosts)
{
	for (unsigned int p = 0; p < 4; p++)
		if (n->ports[p].host && n->ports[p].host->s)
			cx_stack_link_detach(n->ports[p].host->s, n->ports[p].ifindex);
	while (n->head != n->tail)
		cx_pkt_free(n->frames[n->head++ % kWireSlots]);
	for (unsigned int i = 0; i < hosts; i++) {
		cx_stack_destroy(n->hosts[i].s);
		cx_os_free(n->hosts[i].t);
	}
	g_net = nullptr;
	cx_os_free(n);
}

Net *net_new(unsigned int hosts)
{
	Net *n = static_cast<Net *>(cx_os_zalloc(sizeof(Net), CX_GFP_KERNEL));
	if (n && !net_init(n, hosts)) {
		net_destroy(n, hosts);
		return nullptr;
	}
	return n;
}

constexpr uint32_t addr(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	return uint32_t(a) << 24 | uint32_t(b) << 16 | uint32_t(c) << 8 | d;
}

} // namespace

void stack_udp_over_arp_between_two_stacks(cx_test *t)
{
	Net *n = net_new(2);
	CX_EXPECT(t, n != nullptr);
	if (!n)
		return;
	CX_EXPECT(t, attach(n, 0, 0, 2));
	CX_EXPECT(t, attach(n, 1, 1, 2));
	wire(n, 0, 1);
	CX_EXPECT_EQ(t, add_addr(&n->hosts[0], 2, addr(10, 0, 0, 1), 24), 0);
	CX_EXPECT_EQ(t, add_addr(&n->hosts[1], 2, addr(10, 0, 0, 2), 24), 0);
	pump(n);
	n->hosts[1].bound_port = 53;
	/* ARP request, reply, then the queued datagram */
	CX_EXPECT_EQ(t, send_udp(&n->hosts[0], addr(10, 0, 0, 2), 53, 200, 0), 0);
	pump(n);
	CX_EXPECT_EQ(t, n->hosts[1].received, 1u);
	CX_EXPECT_EQ(t, n->hosts[1].received_len, 200u);
	CX_EXPECT_EQ(t, n->hosts[1].received_from, addr(10, 0, 0, 1));
	/* 4000 bytes: fragmented on the way out, reassembled on the way in */
	CX_EXPECT_EQ(t, send_udp(&n->hosts[0], addr(10, 0, 0, 2), 53, 4000, 0), 0);
	pump(n);
	CX_EXPECT_EQ(t, n->hosts[1].received, 2u);
	CX_EXPECT_EQ(t, n->hosts[1].received_len, 4000u);
	/* no socket: ICMP port unreachable -> ECONNREFUSED */
	CX_EXPECT_EQ(t, send_udp(&n->hosts[0], addr(10, 0, 0, 2), 54, 10, 0), 0);
	pump(n);
	CX_EXPECT_EQ(t, n->hosts[0].last_errno, CX_ECONNREFUSED);
	CX_EXPECT_EQ(t, n->dropped, 0u);
	net_destroy(n, 2);
}

void stack_forwarding_and_ttl_expiry(cx_test *t)
{
	Net *n = net_new(3);
	CX_EXPECT(t, n != nullptr);
	if (!n)
		return;
	TestHost *a = &n->hosts[0], *r = &n->hosts[1], *b = &n->hosts[2];
	CX_EXPECT(t, attach(n, 0, 0, 2));
	CX_EXPECT(t, attach(n, 1, 1, 2));
	CX_EXPECT(t, attach(n, 2, 1, 3));
	CX_EXPECT(t, attach(n, 3, 2, 2));
	wire(n, 0, 1);
	wire(n, 2, 3);
	CX_EXPECT_EQ(t, add_addr(a, 2, addr(10, 1, 0, 2), 24), 0);
	CX_EXPECT_EQ(t, add_addr(r, 2, addr(10, 1, 0, 1), 24), 0);
	CX_EXPECT_EQ(t, add_addr(r, 3, addr(10, 2, 0, 1), 24), 0);
	CX_EXPECT_EQ(t, add_addr(b, 2, addr(10, 2, 0, 2), 24), 0);
	CX_EXPECT_EQ(t, add_default(a, addr(10, 1, 0, 1)), 0);
	CX_EXPECT_EQ(t, add_default(b, addr(10, 2, 0, 1)), 0);
	pump(n);
	b->bound_port = 7;
	int64_t on = 1;
	const char *msg;
	int bad;
	CX_EXPECT_EQ(t, cx_tunable_set(r->t, CX_TUNABLE_IP_FORWARD, &on, 1, &msg, &bad), 0);
	CX_EXPECT_EQ(t, send_udp(a, addr(10, 2, 0, 2), 7, 100, 0), 0);
	pump(n);
	CX_EXPECT_EQ(t, b->received, 1u);
	CX_EXPECT_EQ(t, send_udp(a, addr(10, 2, 0, 2), 7, 100, 1), 0);
	pump(n);
	CX_EXPECT_EQ(t, b->received, 1u);
	CX_EXPECT_EQ(t, a->last_icmp_type, 11);	/* time exceeded */
	CX_EXPECT_EQ(t, a->last_errno, CX_EHOSTUNREACH);
	cx_link_stats st{};
	CX_EXPECT_EQ(t, cx_stack_link_get(r->s, 2, nullptr, &st), 0);
	CX_EXPECT_EQ(t, st.drops[CX_LINK_DROP_TTL], 1u);
	net_destroy(n, 3);
}

void stack_address_and_route_errnos(cx_test *t)
{
	Net *n = net_new(1);
	CX_EXPECT(t, n != nullptr);
	if (!n)
		return;
	TestHost *h = &n->hosts[0];
	CX_EXPECT(t, attach(n, 0, 0, 5));
	CX_EXPECT_EQ(t, add_addr(h, 5, addr(192, 168, 1, 1), 24), 0);
	CX_EXPECT_EQ(t, add_addr(h, 5, addr(192, 168, 1, 1), 24), -CX_EEXIST);
	CX_EXPECT_EQ(t, add_addr(h, 6, addr(192, 168, 2, 1), 24), -CX_ENODEV);
	CX_EXPECT_EQ(t, add_default(h, addr(172, 16, 0, 1)), -CX_ENETUNREACH);
	CX_EXPECT_EQ(t, add_default(h, addr(192, 168, 1, 254)), 0);
	CX_EXPECT_EQ(t, add_default(h, addr(192, 168, 1, 254)), -CX_EEXIST);
	cx_route_query q{};
	q.dst = addr(8, 8, 8, 8);
	cx_route_answer ans;
	const char *msg = nullptr;
	CX_EXPECT_EQ(t, cx_stack_route_get(h->s, &q, &ans, &msg), 0);
	CX_EXPECT_EQ(t, ans.gateway, addr(192, 168, 1, 254));
	CX_EXPECT_EQ(t, ans.prefsrc, addr(192, 168, 1, 1));
	CX_EXPECT_EQ(t, ans.oif, 5);
	CX_EXPECT(t, cx_stack_addr_is_local(h->s, addr(192, 168, 1, 1)));
	CX_EXPECT(t, cx_stack_addr_is_broadcast(h->s, addr(192, 168, 1, 255)));
	CX_EXPECT_EQ(t, cx_stack_link_detach(h->s, 5), 0);
	CX_EXPECT_EQ(t, cx_stack_route_get(h->s, &q, &ans, &msg), -CX_ENETUNREACH);
	n->ports[0].host = nullptr;
	net_destroy(n, 1);
}

/* Ping sockets: echo replies reach the host hook by identifier, ICMP errors quoting an echo too. */
void stack_echo_reply_and_errors_reach_ping_host(cx_test *t)
{
	Net *n = net_new(3);
	CX_EXPECT(t, n != nullptr);
	if (!n)
		return;
	TestHost *a = &n->hosts[0], *r = &n->hosts[1], *b = &n->hosts[2];
	CX_EXPECT(t, attach(n, 0, 0, 2));
	CX_EXPECT(t, attach(n, 1, 1, 2));
	CX_EXPECT(t, attach(n, 2, 1, 3));
	CX_EXPECT(t, attach(n, 3, 2, 2));
	wire(n, 0, 1);
	wire(n, 2, 3);
	CX_EXPECT_EQ(t, add_addr(a, 2, addr(10, 1, 0, 2), 24), 0);
	CX_EXPECT_EQ(t, add_addr(r, 2, addr(10, 1, 0, 1), 24), 0);
	CX_EXPECT_EQ(t, add_addr(r, 3, addr(10, 2, 0, 1), 24), 0);
	CX_EXPECT_EQ(t, add_addr(b, 2, addr(10, 2, 0, 2), 24), 0);
	CX_EXPECT_EQ(t, add_default(a, addr(10, 1, 0, 1)), 0);
	CX_EXPECT_EQ(t, add_default(b, addr(10, 2, 0, 1)), 0);
	pump(n);
	/* the neighbour answers; the reply reaches the hook with our identifier */
	CX_EXPECT_EQ(t, send_echo(a, addr(10, 1, 0, 1), 0x1234, 56, 0), 0);
	pump(n);
	CX_EXPECT_EQ(t, a->echo_replies, 1u);
	CX_EXPECT_EQ(t, a->echo_id, 0x1234);
	CX_EXPECT_EQ(t, a->echo_len, 64u);
	CX_EXPECT_EQ(t, a->echo_from, addr(10, 1, 0, 1));
	/* TTL 1 through the router: time exceeded quoting the echo, sport = its identifier */
	int64_t on = 1;
	const char *msg;
	int bad;
	CX_EXPECT_EQ(t, cx_tunable_set(r->t, CX_TUNABLE_IP_FORWARD, &on, 1, &msg, &bad), 0);
	CX_EXPECT_EQ(t, send_echo(a, addr(10, 2, 0, 2), 0x4321, 8, 1), 0);
	pump(n);
	CX_EXPECT_EQ(t, a->last_icmp_type, 11);
	CX_EXPECT_EQ(t, a->last_err_proto, 1);
	CX_EXPECT_EQ(t, a->last_err_sport, 0x4321);
	CX_EXPECT_EQ(t, a->last_errno, CX_EHOSTUNREACH);
	/* and across the router */
	CX_EXPECT_EQ(t, send_echo(a, addr(10, 2, 0, 2), 0x1111, 1000, 0), 0);
	pump(n);
	CX_EXPECT_EQ(t, a->echo_replies, 2u);
	CX_EXPECT_EQ(t, a->echo_id, 0x1111);
	CX_EXPECT_EQ(t, a->echo_len, 1008u);
	CX_EXPECT_EQ(t, a->echo_from, addr(10, 2, 0, 2));
	CX_EXPECT_EQ(t, n->dropped, 0u);
	net_destroy(n, 3);
}

} // namespace cx::test
