// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of the whole IPv4 stack (module/core/stack/): several stacks in
 * one process joined by simulated Ethernet wires, on os_user's virtual clock.
 * ARP resolution, ICMP echo, UDP delivery and port unreachable, forwarding
 * with TTL expiry and fragmentation, reassembly, addresses and their kernel
 * routes, route/rule errnos, malformed frames, neighbour failure, detach with
 * queued packets, and an allocation-failure sweep; every test checks that
 * nothing leaks.
 */
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <cstring>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "os_user.h"
#include "checksum.h"
#include "cx_errno.h"
#include "tunables.h"
#include "stack/stack.h"

namespace {

uint32_t ip(const char *s)
{
	in_addr a{};
	EXPECT_EQ(inet_pton(AF_INET, s, &a), 1) << s;
	return ntohl(a.s_addr);
}

struct Host;

struct Port {
	Host *host;
	int32_t ifindex;
	uint8_t mac[6];
	Port *peer;
	uint32_t mtu = 1500;
};

struct Datagram {
	cx_udp_rx_info info;
	std::vector<uint8_t> payload;
};

struct Frame {
	Port *to;
	cx_pkt *pkt;
};

std::deque<Frame> g_wire;

struct Host {
	cx_stack *s = nullptr;
	cx_tunables *t = nullptr;
	std::vector<uint16_t> bound_ports;
	std::vector<Datagram> received;
	std::vector<cx_icmp_err_info> errors;
};

int xmit(void *link_ctx, cx_pkt *frame)
{
	Port *p = static_cast<Port *>(link_ctx);
	if (!p->peer) {
		cx_pkt_free(frame);
		return 0;
	}
	g_wire.push_back(Frame{p->peer, frame});
	return 0;
}

bool udp_rcv(void *host_ctx, cx_pkt *pkt, const cx_udp_rx_info *info)
{
	Host *h = static_cast<Host *>(host_ctx);
	bool bound = false;
	for (uint16_t port : h->bound_ports)
		bound |= port == info->dport;
	if (!bound)
		return false;
	const uint8_t *d = cx_pkt_data(pkt);
	h->received.push_back(Datagram{*info, std::vector<uint8_t>(d + 8, d + cx_pkt_len(pkt))});
	cx_pkt_free(pkt);
	return true;
}

void udp_err(void *host_ctx, const cx_icmp_err_info *info)
{
	static_cast<Host *>(host_ctx)->errors.push_back(*info);
}

const cx_stack_host_ops kOps = { xmit, udp_rcv, udp_err, nullptr, nullptr, nullptr };

/* Deliver frames until the wire is quiet (and timers due now have run). */
void pump()
{
	for (int rounds = 0; rounds < 100000; rounds++) {
		cx_user_clock_advance(0);
		if (g_wire.empty())
			return;
		Frame f = g_wire.front();
		g_wire.pop_front();
		const uint8_t *eth = cx_pkt_data(f.pkt);
		cx_pkt_type type = CX_PKT_OTHERHOST;
		if (eth[0] & 1)
			type = memcmp(eth, "\xff\xff\xff\xff\xff\xff", 6) == 0 ? CX_PKT_BROADCAST
									: CX_PKT_MULTICAST;
		else if (memcmp(eth, f.to->mac, 6) == 0)
			type = CX_PKT_HOST;
		if (!cx_stack_rx(f.to->host->s, f.to->ifindex, f.pkt, type))
			cx_pkt_free(f.pkt);
	}
	FAIL() << "the wire never went quiet";
}

class StackTest : public ::testing::Test {
protected:
	void SetUp() override
	{
		cx_user_reset();
		live_ = cx_user_live_allocs();
	}

	void TearDown() override
	{
		for (auto &p : ports_)
			if (p->host->s)
				cx_stack_link_detach(p->host->s, p->ifindex);
		while (!g_wire.empty()) {
			cx_pkt_free(g_wire.front().pkt);
			g_wire.pop_front();
		}
		for (auto &h : hosts_) {
			cx_stack_destroy(h->s);
			cx_os_free(h->t);
		}
		ports_.clear();
		hosts_.clear();
		EXPECT_EQ(cx_user_live_allocs(), live_) << "leak";
	}

	Host *host()
	{
		hosts_.push_back(std::make_unique<Host>());
		Host *h = hosts_.back().get();
		h->t = static_cast<cx_tunables *>(cx_os_zalloc(cx_tunables_size(), CX_GFP_KERNEL));
		cx_tunables_init(h->t);
		h->s = cx_stack_create(&kOps, h, h->t);
		EXPECT_NE(h->s, nullptr);
		return h;
	}

	Port *port(Host *h, int32_t ifindex)
	{
		ports_.push_back(std::make_unique<Port>());
		Port *p = ports_.back().get();
		p->host = h;
		p->ifindex = ifindex;
		uint8_t mac[6] = { 0x02, 0, 0, 0, static_cast<uint8_t>(ports_.size()),
				   static_cast<uint8_t>(ifindex) };
		memcpy(p->mac, mac, 6);
		cx_link_desc d{};
		d.ifindex = ifindex;
		snprintf(d.name, sizeof(d.name), "eth%d", ifindex);
		memcpy(d.mac, mac, 6);
		d.mtu = p->mtu;
		d.flags = CX_LINK_F_UP | CX_LINK_F_BROADCAST | CX_LINK_F_RUNNING;
		EXPECT_EQ(cx_stack_link_attach(h->s, &d, p), 0);
		return p;
	}

	static void connect(Port *a, Port *b)
	{
		a->peer = b;
		b->peer = a;
	}

	static int addr(Host *h, int32_t ifindex, const char *a, uint8_t len, uint32_t flags = 0)
	{
		cx_addr req{};
		req.ifindex = ifindex;
		req.local = ip(a);
		req.prefixlen = len;
		if (len < 31)
			req.broadcast = req.local | ~(len ? ~0u << (32 - len) : 0u);
		const char *msg = nullptr;
		return cx_stack_addr_add(h->s, &req, flags ? flags : CX_NLM_F_CREATE | CX_NLM_F_EXCL,
					 &msg);
	}

	static int route(Host *h, const char *dst, uint8_t len, const char *gw, int32_t oif,
			 uint8_t type = 1, uint32_t table = 0)
	{
		cx_route r{};
		r.table = table;
		r.dst = ip(dst);
		r.dst_len = len;
		r.type = type;
		r.protocol = 4;
		r.scope = gw ? 0 : 253;
		if (gw || oif) {
			r.nexthop_count = 1;
			r.nexthops[0].gateway = gw ? ip(gw) : 0;
			r.nexthops[0].ifindex = oif;
		}
		const char *msg = nullptr;
		return cx_stack_route_add(h->s, &r, CX_NLM_F_CREATE | CX_NLM_F_EXCL, &msg);
	}

	static void set(Host *h, unsigned int id, int64_t v)
	{
		const char *msg;
		int bad;
		ASSERT_EQ(cx_tunable_set(h->t, id, &v, 1, &msg, &bad), 0);
	}

	/* A UDP datagram from h (source chosen by routing). */
	static int send_udp(Host *h, const char *dst, uint16_t sport, uint16_t dport, size_t len,
			    uint8_t ttl = 0, bool df = false)
	{
		cx_flow f{};
		f.daddr = ip(dst);
		f.proto = 17;
		f.ttl = ttl;
		f.df = df;
		f.sport = sport;
		f.dport = dport;
		cx_route_out out;
		int err = cx_stack_route_output(h->s, &f, &out);
		if (err)
			return err;
		f.saddr = out.saddr;
		cx_pkt *pkt = cx_pkt_alloc(CX_STACK_HEADROOM, 8 + len, CX_GFP_KERNEL);
		if (!pkt)
			return -CX_ENOMEM;
		uint8_t *u = cx_pkt_put(pkt, 8 + len);
		for (size_t i = 0; i < len; i++)
			u[8 + i] = static_cast<uint8_t>(i * 7 + 1);
		u[0] = sport >> 8;
		u[1] = sport & 0xff;
		u[2] = dport >> 8;
		u[3] = dport & 0xff;
		u[4] = static_cast<uint8_t>((8 + len) >> 8);
		u[5] = static_cast<uint8_t>((8 + len) & 0xff);
		u[6] = u[7] = 0;
		uint32_t sum = cx::csum_ipv4_pseudo(f.saddr, f.daddr, 17, static_cast<uint16_t>(8 + len));
		sum = cx::csum_continue(sum, u, 8 + len, 0);
		uint16_t c = cx::csum_finish(sum);
		if (!c)
			c = 0xffff;
		u[6] = c >> 8;
		u[7] = c & 0xff;
		return cx_stack_send(h->s, pkt, &f);
	}

	static uint64_t counter(Host *h, const char *group, const char *name)
	{
		struct Q {
			const char *group, *name;
			uint64_t value;
			bool found;
		} q{group, name, 0, false};
		cx_stack_counters(
			h->s,
			[](void *arg, const char *g, const char *n, uint64_t v) {
				Q *q = static_cast<Q *>(arg);
				if (!strcmp(g, q->group) && !strcmp(n, q->name)) {
					q->value = v;
					q->found = true;
				}
				return 0;
			},
			&q);
		return q.value;
	}

	static cx_link_stats stats(Host *h, int32_t ifindex)
	{
		cx_link_stats st{};
		EXPECT_EQ(cx_stack_link_get(h->s, ifindex, nullptr, &st), 0);
		return st;
	}

	std::vector<std::unique_ptr<Host>> hosts_;
	std::vector<std::unique_ptr<Port>> ports_;
	long live_ = 0;
};

/* The source a dev route gets: inet_select_addr(dev, 0, scope) = the first primary. */
uint32_t select_first_primary(Host *h, int32_t ifindex)
{
	cx_route r{};
	r.dst = ip("10.99.0.0");
	r.dst_len = 16;
	r.type = 1;
	r.scope = 253;
	r.protocol = 4;
	r.nexthop_count = 1;
	r.nexthops[0].ifindex = ifindex;
	const char *msg = nullptr;
	EXPECT_EQ(cx_stack_route_add(h->s, &r, CX_NLM_F_CREATE | CX_NLM_F_EXCL, &msg), 0);
	cx_route_query q{};
	q.dst = ip("10.99.1.1");
	cx_route_answer ans{};
	EXPECT_EQ(cx_stack_route_get(h->s, &q, &ans, &msg), 0);
	return ans.prefsrc;
}

/* Two hosts on one wire, 10.0.0.1/24 and 10.0.0.2/24. */
class TwoHosts : public StackTest {
protected:
	void SetUp() override
	{
		StackTest::SetUp();
		a_ = host();
		b_ = host();
		pa_ = port(a_, 2);
		pb_ = port(b_, 3);
		connect(pa_, pb_);
		ASSERT_EQ(addr(a_, 2, "10.0.0.1", 24), 0);
		ASSERT_EQ(addr(b_, 3, "10.0.0.2", 24), 0);
		pump(); /* gratuitous ARP */
	}
	Host *a_, *b_;
	Port *pa_, *pb_;
};

TEST_F(TwoHosts, UdpResolvesArpAndDelivers)
{
	b_->bound_ports.push_back(9000);
	uint64_t requests = counter(a_, "Arp", "TxRequests"); /* gratuitous ARP counted */
	ASSERT_EQ(send_udp(a_, "10.0.0.2", 5555, 9000, 100), 0);
	pump();
	ASSERT_EQ(b_->received.size(), 1u);
	EXPECT_EQ(b_->received[0].info.saddr, ip("10.0.0.1"));
	EXPECT_EQ(b_->received[0].info.sport, 5555);
	EXPECT_EQ(b_->received[0].payload.size(), 100u);
	EXPECT_EQ(b_->received[0].payload[10], 71);
	EXPECT_EQ(counter(a_, "Arp", "TxRequests"), requests + 1);
	EXPECT_EQ(counter(b_, "Arp", "TxReplies"), 1u);
	EXPECT_EQ(stats(b_, 3).rx_dropped, 0u);
}

TEST_F(TwoHosts, PortUnreachableBecomesConnRefused)
{
	ASSERT_EQ(send_udp(a_, "10.0.0.2", 5555, 9001, 10), 0);
	pump();
	EXPECT_EQ(counter(b_, "Udp", "NoPorts"), 1u);
	ASSERT_EQ(a_->errors.size(), 1u);
	EXPECT_EQ(a_->errors[0].type, 3);
	EXPECT_EQ(a_->errors[0].code, 3);
	EXPECT_EQ(a_->errors[0].errno_value, 111); /* ECONNREFUSED */
	EXPECT_EQ(a_->errors[0].sport, 5555);
	EXPECT_EQ(a_->errors[0].dport, 9001);
}

TEST_F(TwoHosts, LargeDatagramIsFragmentedAndReassembled)
{
	b_->bound_ports.push_back(7);
	ASSERT_EQ(send_udp(a_, "10.0.0.2", 1, 7, 60000), 0);
	pump();
	ASSERT_EQ(b_->received.size(), 1u);
	ASSERT_EQ(b_->received[0].payload.size(), 60000u);
	for (size_t i = 0; i < 60000; i += 997)
		ASSERT_EQ(b_->received[0].payload[i], static_cast<uint8_t>(i * 7 + 1));
	EXPECT_EQ(counter(a_, "Ip", "FragCreates"), 41u);
	EXPECT_EQ(counter(b_, "Ip", "ReasmOKs"), 1u);
	/* DF: EMSGSIZE instead of fragments */
	EXPECT_EQ(send_udp(a_, "10.0.0.2", 1, 7, 2000, 0, true), -CX_EMSGSIZE);
}

TEST_F(TwoHosts, LocalDeliveryThroughLoopbackQueue)
{
	a_->bound_ports.push_back(53);
	ASSERT_EQ(send_udp(a_, "10.0.0.1", 4000, 53, 20), 0);
	EXPECT_TRUE(a_->received.empty()); /* not recursive: from the loopback timer */
	pump();
	ASSERT_EQ(a_->received.size(), 1u);
	EXPECT_EQ(a_->received[0].info.saddr, ip("10.0.0.1"));
}

TEST_F(TwoHosts, MalformedFramesAreCountedAndDropped)
{
	auto inject = [&](std::vector<uint8_t> ipv4) {
		cx_pkt *pkt = cx_pkt_alloc(0, 14 + ipv4.size(), CX_GFP_KERNEL);
		uint8_t *d = cx_pkt_put(pkt, 14 + ipv4.size());
		memcpy(d, pb_->mac, 6);
		memcpy(d + 6, pa_->mac, 6);
		d[12] = 0x08;
		d[13] = 0x00;
		memcpy(d + 14, ipv4.data(), ipv4.size());
		EXPECT_TRUE(cx_stack_rx(b_->s, 3, pkt, CX_PKT_HOST));
	};
	std::vector<uint8_t> good = { 0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1,
				      10, 0, 0, 2, 0, 1, 0, 2, 0, 8, 0, 0 };
	uint16_t c = cx::internet_checksum(good.data(), 20);
	good[10] = c >> 8;
	good[11] = c & 0xff;
	auto bad_csum = good;
	bad_csum[11] ^= 1;
	auto bad_ihl = good;
	bad_ihl[0] = 0x44;
	std::vector<uint8_t> truncated(good.begin(), good.begin() + 12);
	inject(bad_csum);
	inject(bad_ihl);
	inject(truncated);
	cx_link_stats st = stats(b_, 3);
	EXPECT_EQ(st.drops[CX_LINK_DROP_IP_HEADER], 3u);
	EXPECT_EQ(counter(b_, "Ip", "InCsumErrors"), 1u);
	EXPECT_EQ(counter(b_, "Ip", "InHdrErrors"), 3u);
	inject(good); /* to port 2: nobody bound, port unreachable */
	pump();
	EXPECT_EQ(counter(b_, "Udp", "NoPorts"), 1u);
}

TEST_F(TwoHosts, NeighbourFailureReportsHostUnreachable)
{
	uint64_t requests = counter(a_, "Arp", "TxRequests");
	ASSERT_EQ(send_udp(a_, "10.0.0.99", 1000, 2000, 10), 0);
	pump();
	EXPECT_TRUE(a_->errors.empty());
	/* 3 probes, 1 s apart (mcast_solicit, retrans_time), then FAILED */
	for (int i = 0; i < 5; i++) {
		cx_user_clock_advance(1000000000ull);
		pump();
	}
	ASSERT_EQ(a_->errors.size(), 1u);
	EXPECT_EQ(a_->errors[0].errno_value, 113); /* EHOSTUNREACH */
	EXPECT_EQ(counter(a_, "Arp", "TxRequests"), requests + 3);
}

TEST_F(TwoHosts, DetachWithPacketsWaitingForResolution)
{
	for (int i = 0; i < 5; i++)
		ASSERT_EQ(send_udp(a_, "10.0.0.77", 1000, 2000, 100), 0);
	/* the frames sit in the neighbour queue; detach drops them (TearDown checks leaks) */
	EXPECT_EQ(cx_stack_link_detach(a_->s, 2), 0);
	EXPECT_EQ(cx_stack_link_detach(a_->s, 2), -CX_ENODEV);
	EXPECT_FALSE(cx_stack_addr_is_local(a_->s, ip("10.0.0.1")));
	cx_user_clock_run_all(1000);
}

TEST_F(TwoHosts, AddressesAndTheirKernelRoutes)
{
	EXPECT_EQ(addr(a_, 2, "10.0.0.1", 24), -CX_EEXIST);
	ASSERT_EQ(addr(a_, 2, "10.0.0.5", 24), 0); /* same subnet: secondary */
	ASSERT_EQ(addr(a_, 2, "192.168.7.1", 16), 0);
	struct Seen {
		std::vector<cx_addr> addrs;
		std::vector<cx_route> routes;
	} seen;
	uint64_t cur = 0;
	cx_stack_addr_dump(a_->s, 0, &cur,
			   [](void *arg, const cx_addr *a) {
				   static_cast<Seen *>(arg)->addrs.push_back(*a);
				   return 0;
			   },
			   &seen);
	ASSERT_EQ(seen.addrs.size(), 3u);
	EXPECT_EQ(seen.addrs[0].local, ip("10.0.0.1"));
	EXPECT_EQ(seen.addrs[1].local, ip("192.168.7.1")); /* primaries first */
	/* a second primary goes after the first even when it ends the list */
	ASSERT_EQ(addr(b_, 3, "10.7.0.2", 24), 0);
	EXPECT_EQ(select_first_primary(b_, 3), ip("10.0.0.2"));
	EXPECT_EQ(seen.addrs[2].local, ip("10.0.0.5"));
	EXPECT_TRUE(seen.addrs[2].flags & CX_IFA_F_SECONDARY);
	EXPECT_STREQ(seen.addrs[0].label, "eth2");
	cur = 0;
	cx_stack_route_dump(a_->s, 255, &cur,
			    [](void *arg, const cx_route *r) {
				    static_cast<Seen *>(arg)->routes.push_back(*r);
				    return 0;
			    },
			    &seen);
	/* local: 10.0.0.1, 10.0.0.5 (local), 10.0.0.255, 192.168.255.255 (broadcast), 192.168.7.1 */
	ASSERT_EQ(seen.routes.size(), 5u);
	EXPECT_EQ(seen.routes[0].dst, ip("10.0.0.1"));
	EXPECT_EQ(seen.routes[0].type, 2); /* RTN_LOCAL */
	EXPECT_EQ(seen.routes[0].scope, 254);
	EXPECT_EQ(seen.routes[1].dst, ip("10.0.0.5"));
	EXPECT_EQ(seen.routes[1].prefsrc, ip("10.0.0.1")); /* a secondary's routes name its primary */
	EXPECT_EQ(seen.routes[2].dst, ip("10.0.0.255"));
	EXPECT_EQ(seen.routes[2].type, 3); /* RTN_BROADCAST */
	/* deleting the primary takes the secondary along (promote_secondaries=0) */
	cx_addr del{};
	del.ifindex = 2;
	del.local = ip("10.0.0.1");
	const char *msg = nullptr;
	ASSERT_EQ(cx_stack_addr_del(a_->s, &del, &msg), 0);
	EXPECT_FALSE(cx_stack_addr_is_local(a_->s, ip("10.0.0.5")));
	EXPECT_TRUE(cx_stack_addr_is_local(a_->s, ip("192.168.7.1")));
	EXPECT_EQ(cx_stack_addr_del(a_->s, &del, &msg), -CX_EADDRNOTAVAIL);
	cx_route_query q{};
	q.dst = ip("10.0.0.2");
	cx_route_answer ans;
	EXPECT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), -CX_ENETUNREACH);
}

TEST_F(TwoHosts, RouteTypesAndErrnos)
{
	const char *msg = nullptr;
	EXPECT_EQ(route(a_, "172.16.0.0", 16, "10.9.9.9", 0), -CX_ENETUNREACH); /* gw not on link */
	EXPECT_EQ(route(a_, "172.16.0.0", 16, "10.0.0.2", 99), -CX_ENODEV);
	ASSERT_EQ(route(a_, "172.16.0.0", 16, "10.0.0.2", 0), 0);
	EXPECT_EQ(route(a_, "172.16.0.0", 16, "10.0.0.2", 0), -CX_EEXIST);
	ASSERT_EQ(route(a_, "172.17.0.0", 16, nullptr, 0, 6), 0); /* blackhole */
	ASSERT_EQ(route(a_, "172.18.0.0", 16, nullptr, 0, 7), 0); /* unreachable */
	ASSERT_EQ(route(a_, "172.19.0.0", 16, nullptr, 0, 8), 0); /* prohibit */
	cx_route_query q{};
	cx_route_answer ans;
	q.dst = ip("172.16.3.4");
	ASSERT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), 0);
	EXPECT_EQ(ans.gateway, ip("10.0.0.2"));
	EXPECT_EQ(ans.oif, 2);
	EXPECT_EQ(ans.prefsrc, ip("10.0.0.1"));
	EXPECT_EQ(ans.table, 254u);
	q.dst = ip("172.17.0.1");
	EXPECT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), -CX_EINVAL);
	q.dst = ip("172.18.0.1");
	EXPECT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), -CX_EHOSTUNREACH);
	q.dst = ip("172.19.0.1");
	EXPECT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), -CX_EACCES);
	EXPECT_EQ(send_udp(a_, "172.18.0.1", 1, 2, 10), -CX_EHOSTUNREACH);
	cx_route del{};
	del.dst = ip("172.16.0.0");
	del.dst_len = 16;
	del.scope = 255;
	ASSERT_EQ(cx_stack_route_del(a_->s, &del, &msg), 0);
	EXPECT_EQ(cx_stack_route_del(a_->s, &del, &msg), -CX_ESRCH);
}

/*
 * fib_check_nh_v4_gw(): a gateway without a device is looked up in the
 * route's own table first (scope link or wider), then through the rules.
 */
TEST_F(TwoHosts, GatewayResolvedInTheRoutesOwnTableFirst)
{
	port(a_, 4);
	ASSERT_EQ(addr(a_, 4, "10.1.0.1", 24), 0);
	/* table 100 reaches 10/8 (so 10.0.0.2 too) through the second link */
	ASSERT_EQ(route(a_, "10.0.0.0", 8, nullptr, 4, 1, 100), 0);
	ASSERT_EQ(route(a_, "172.20.0.0", 16, "10.0.0.2", 0, 1, 100), 0);
	/* in main the connected route wins: the first link */
	ASSERT_EQ(route(a_, "172.20.0.0", 16, "10.0.0.2", 0), 0);
	/* table 200 has nothing for the gateway: the full lookup decides */
	ASSERT_EQ(route(a_, "172.21.0.0", 16, "10.0.0.2", 0, 1, 200), 0);
	/* a gateway route in the table does not resolve a gateway (scope universe) */
	ASSERT_EQ(route(a_, "192.168.0.0", 16, "10.0.0.2", 0, 1, 300), 0);
	ASSERT_EQ(route(a_, "172.22.0.0", 16, "192.168.1.1", 0, 1, 300), -CX_ENETUNREACH);
	struct Seen {
		int32_t t100 = 0, t200 = 0, main = 0;
	} seen;
	uint64_t cur = 0;
	cx_stack_route_dump(a_->s, 0, &cur, [](void *arg, const cx_route *r) {
		auto *sn = static_cast<Seen *>(arg);
		if (r->dst != ip("172.20.0.0") && r->dst != ip("172.21.0.0"))
			return 0;
		int32_t dev = r->nexthops[0].ifindex;
		if (r->table == 100)
			sn->t100 = dev;
		else if (r->table == 200)
			sn->t200 = dev;
		else if (r->table == 254)
			sn->main = dev;
		return 0;
	}, &seen);
	EXPECT_EQ(seen.t100, 4);
	EXPECT_EQ(seen.main, 2);
	EXPECT_EQ(seen.t200, 2);
}

/* ip_route_output_key_hash_rcu(): multicast from one of our sources skips the FIB. */
TEST_F(TwoHosts, MulticastFromOurSourceLeavesByItsDevice)
{
	ASSERT_EQ(route(a_, "224.0.0.0", 4, nullptr, 0, 7), 0); /* unreachable */
	const char *msg = nullptr;
	cx_route_query q{};
	cx_route_answer ans{};
	q.dst = ip("229.1.2.3");
	EXPECT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), -CX_EHOSTUNREACH);
	q.src = ip("10.0.0.1");
	ASSERT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), 0);
	EXPECT_EQ(ans.type, 5); /* RTN_MULTICAST */
	EXPECT_EQ(ans.oif, 2);
	EXPECT_EQ(ans.gateway, 0u);
	EXPECT_EQ(ans.prefsrc, ip("10.0.0.1"));
	q.dst = ip("255.255.255.255");
	ASSERT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), 0);
	EXPECT_EQ(ans.type, 3); /* RTN_BROADCAST */
	EXPECT_EQ(ans.oif, 2);
}

/* ip_route_output_key_hash_rcu() + __mkroute_output() corner cases. */
TEST_F(TwoHosts, OutputRouteCornerCasesAsLinux)
{
	const char *msg = nullptr;
	cx_route_query q{};
	cx_route_answer ans{};
	/* multicast by a route of /4 or longer keeps its gateway, by a default route not */
	ASSERT_EQ(route(a_, "0.0.0.0", 0, "10.0.0.2", 0), 0);
	q.dst = ip("239.1.1.1");
	ASSERT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), 0);
	EXPECT_EQ(ans.type, 5);
	EXPECT_EQ(ans.gateway, 0u);
	ASSERT_EQ(route(a_, "224.0.0.0", 4, "10.0.0.2", 0), 0);
	ASSERT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), 0);
	EXPECT_EQ(ans.type, 5);
	EXPECT_EQ(ans.gateway, ip("10.0.0.2"));
	/* no route at all, but a device: out of it, source by scope link */
	cx_route del{};
	del.dst = 0;
	del.dst_len = 0;
	del.scope = 255;
	ASSERT_EQ(cx_stack_route_del(a_->s, &del, &msg), 0);
	q = cx_route_query{};
	q.dst = ip("198.51.100.7");
	EXPECT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), -CX_ENETUNREACH);
	q.oif = 2;
	ASSERT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), 0);
	EXPECT_EQ(ans.type, 1);
	EXPECT_EQ(ans.oif, 2);
	EXPECT_EQ(ans.prefsrc, ip("10.0.0.1"));
	/* 0.0.0.0 is ourselves; the rest of 0/8 is unicast (Linux >= 5.3) */
	q = cx_route_query{};
	q.dst = 0;
	ASSERT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), 0);
	EXPECT_EQ(ans.type, 2);
	EXPECT_EQ(ans.prefsrc, ip("127.0.0.1"));
	q.src = ip("10.0.0.1");
	EXPECT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), 0);
	EXPECT_EQ(ans.type, 2);
	q = cx_route_query{};
	q.dst = ip("0.27.1.70");
	q.oif = 2;
	ASSERT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), 0);
	EXPECT_EQ(ans.type, 1);
	q.oif = 0;
	q.src = ip("10.0.0.1");
	/* a multicast or zeronet source is invalid */
	q.dst = ip("10.0.0.2");
	q.src = ip("224.0.0.1");
	EXPECT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), -CX_EINVAL);
}

TEST_F(TwoHosts, RulesSelectTablesBySourceAndMark)
{
	ASSERT_EQ(addr(a_, 2, "10.0.1.1", 24), 0);
	ASSERT_EQ(route(a_, "0.0.0.0", 0, "10.0.0.2", 0, 1, 100), 0);
	ASSERT_EQ(route(a_, "0.0.0.0", 0, "10.0.1.2", 2, 1, 200), 0);
	cx_rule r{};
	r.pref = 100;
	r.has_pref = true;
	r.action = 1;
	r.table = 100;
	r.src = ip("10.0.1.0");
	r.src_len = 24;
	r.suppress_prefixlen = -1;
	const char *msg = nullptr;
	ASSERT_EQ(cx_stack_rule_add(a_->s, &r, CX_NLM_F_CREATE | CX_NLM_F_EXCL, &msg), 0);
	EXPECT_EQ(cx_stack_rule_add(a_->s, &r, CX_NLM_F_CREATE | CX_NLM_F_EXCL, &msg), -CX_EEXIST);
	cx_rule m{};
	m.pref = 200;
	m.has_pref = true;
	m.action = 1;
	m.table = 200;
	m.mark = 7;
	m.mark_mask = 0xff;
	m.suppress_prefixlen = -1;
	ASSERT_EQ(cx_stack_rule_add(a_->s, &m, CX_NLM_F_CREATE | CX_NLM_F_EXCL, &msg), 0);
	cx_route_query q{};
	cx_route_answer ans;
	q.dst = ip("8.8.8.8");
	EXPECT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), -CX_ENETUNREACH);
	q.src = ip("10.0.1.1");
	ASSERT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), 0);
	EXPECT_EQ(ans.table, 100u);
	EXPECT_EQ(ans.rule_pref, 100u);
	EXPECT_EQ(ans.gateway, ip("10.0.0.2"));
	q.src = 0;
	q.mark = 0x107;
	ASSERT_EQ(cx_stack_route_get(a_->s, &q, &ans, &msg), 0);
	EXPECT_EQ(ans.table, 200u);
	EXPECT_EQ(ans.gateway, ip("10.0.1.2"));
	uint64_t cur = 0;
	int n = 0;
	cx_stack_rule_dump(a_->s, &cur,
			   [](void *arg, const cx_rule *) {
				   ++*static_cast<int *>(arg);
				   return 0;
			   },
			   &n);
	EXPECT_EQ(n, 5); /* 0 local, 100, 200, 32766 main, 32767 default */
	EXPECT_EQ(cx_stack_rule_del(a_->s, &r, &msg), 0);
	EXPECT_EQ(cx_stack_rule_del(a_->s, &r, &msg), -CX_ENOENT);
}

/* A -- R -- B: forwarding, TTL, DF and frag-needed. */
class Routed : public StackTest {
protected:
	void SetUp() override
	{
		StackTest::SetUp();
		a_ = host();
		r_ = host();
		b_ = host();
		connect(port(a_, 2), port(r_, 2));
		Port *rb = port(r_, 3);
		Port *br = port(b_, 2);
		connect(rb, br);
		rb->mtu = br->mtu = 1500;
		ASSERT_EQ(addr(a_, 2, "10.1.0.2", 24), 0);
		ASSERT_EQ(addr(r_, 2, "10.1.0.1", 24), 0);
		ASSERT_EQ(addr(r_, 3, "10.2.0.1", 24), 0);
		ASSERT_EQ(addr(b_, 2, "10.2.0.2", 24), 0);
		ASSERT_EQ(route(a_, "0.0.0.0", 0, "10.1.0.1", 0), 0);
		ASSERT_EQ(route(b_, "0.0.0.0", 0, "10.2.0.1", 0), 0);
		pump();
		b_->bound_ports.push_back(9);
	}
	Host *a_, *r_, *b_;
};

TEST_F(Routed, ForwardsOnlyWithIpForward)
{
	ASSERT_EQ(send_udp(a_, "10.2.0.2", 1, 9, 100), 0);
	pump();
	EXPECT_TRUE(b_->received.empty());
	EXPECT_EQ(stats(r_, 2).drops[CX_LINK_DROP_NOT_FORWARDING], 1u);
	set(r_, CX_TUNABLE_IP_FORWARD, 1);
	ASSERT_EQ(send_udp(a_, "10.2.0.2", 1, 9, 100), 0);
	pump();
	ASSERT_EQ(b_->received.size(), 1u);
	EXPECT_EQ(counter(r_, "Ip", "ForwDatagrams"), 1u);
	/* and through the router's fragmentation: 5000 bytes, no DF */
	ASSERT_EQ(send_udp(a_, "10.2.0.2", 1, 9, 5000), 0);
	pump();
	ASSERT_EQ(b_->received.size(), 2u);
	EXPECT_EQ(b_->received[1].payload.size(), 5000u);
}

TEST_F(Routed, TtlExpiryAnswersTimeExceeded)
{
	set(r_, CX_TUNABLE_IP_FORWARD, 1);
	ASSERT_EQ(send_udp(a_, "10.2.0.2", 33434, 33435, 20, 1), 0);
	pump();
	EXPECT_TRUE(b_->received.empty());
	ASSERT_EQ(a_->errors.size(), 1u);
	EXPECT_EQ(a_->errors[0].type, 11);
	EXPECT_EQ(stats(r_, 2).drops[CX_LINK_DROP_TTL], 1u);
	EXPECT_EQ(counter(a_, "IcmpMsg", "InType11"), 1u);
	/* TTL 2 gets through */
	ASSERT_EQ(send_udp(a_, "10.2.0.2", 33434, 9, 20, 2), 0);
	pump();
	EXPECT_EQ(b_->received.size(), 1u);
}

TEST_F(Routed, NoRouteWhileForwardingAnswersNetUnreachable)
{
	set(r_, CX_TUNABLE_IP_FORWARD, 1);
	ASSERT_EQ(send_udp(a_, "10.3.0.1", 1, 2, 10), 0);
	pump();
	ASSERT_EQ(a_->errors.size(), 1u);
	EXPECT_EQ(a_->errors[0].code, 0); /* net unreachable */
	EXPECT_EQ(a_->errors[0].errno_value, 101);
}

TEST_F(Routed, StrictRpFilterDropsSpoofedSources)
{
	set(r_, CX_TUNABLE_IP_FORWARD, 1);
	set(r_, CX_TUNABLE_CONF_ALL_RP_FILTER, 1);
	/* a source from B's side arriving on A's side */
	ASSERT_EQ(addr(a_, 2, "10.2.0.77", 32), 0);
	cx_flow f{};
	f.daddr = ip("10.2.0.2");
	f.saddr = ip("10.2.0.77");
	f.proto = 17;
	cx_pkt *pkt = cx_pkt_alloc(CX_STACK_HEADROOM, 8, CX_GFP_KERNEL);
	uint8_t *u = cx_pkt_put(pkt, 8);
	memcpy(u, "\x00\x01\x00\x09\x00\x08\x00\x00", 8);
	ASSERT_EQ(cx_stack_send(a_->s, pkt, &f), 0);
	pump();
	EXPECT_TRUE(b_->received.empty());
	EXPECT_EQ(stats(r_, 2).drops[CX_LINK_DROP_MARTIAN], 1u);
}

TEST_F(StackTest, AllocationFailuresLeakNothing)
{
	for (long n = 0; n < 400; n += 3) {
		Host *a = host();
		Host *b = host();
		Port *pa = port(a, 2);
		Port *pb = port(b, 3);
		connect(pa, pb);
		b->bound_ports.push_back(9);
		cx_user_fail_alloc_after(n);
		addr(a, 2, "10.0.0.1", 24);
		addr(b, 3, "10.0.0.2", 24);
		send_udp(a, "10.0.0.2", 1, 9, 3000);
		send_udp(a, "10.0.0.2", 1, 10, 30);
		pump();
		cx_user_clock_advance(5000000000ull);
		pump();
		cx_user_fail_alloc_after(-1);
		TearDown();
		cx_user_reset();
	}
}

/*
 * Configuration changes are all or nothing under allocation failure: a
 * request that fails leaves the configuration and the lookups exactly as
 * before; one that succeeds leaves them as the same request does without
 * failures (the published snapshots match the tables: Fib::commit() with
 * a journal undoes what it cannot publish).
 */
namespace {

std::string fingerprint(cx_stack *s)
{
	std::string out;
	char line[160];
	uint64_t cur = 0;
	cx_stack_addr_dump(s, 0, &cur,
			   [](void *arg, const cx_addr *a) {
				   char l[96];
				   snprintf(l, sizeof(l), "addr %u %08x/%u brd %08x f %x\n", a->ifindex,
					    a->local, a->prefixlen, a->broadcast, a->flags);
				   *static_cast<std::string *>(arg) += l;
				   return 0;
			   },
			   &out);
	for (uint32_t table : { 255u, 254u, 100u }) {
		cur = 0;
		cx_stack_route_dump(s, table, &cur,
				    [](void *arg, const cx_route *r) {
					    char l[128];
					    snprintf(l, sizeof(l), "route t%u %u %08x/%u src %08x gw %08x oif %d\n",
						     r->table, r->type, r->dst, r->dst_len, r->prefsrc,
						     r->nexthop_count ? r->nexthops[0].gateway : 0,
						     r->nexthop_count ? r->nexthops[0].ifindex : 0);
					    *static_cast<std::string *>(arg) += l;
					    return 0;
				    },
				    &out);
	}
	/* what lookups answer (the published snapshots) */
	for (const char *dst : { "10.0.0.1", "10.0.0.5", "10.0.0.9", "10.0.0.255", "172.16.1.1",
				 "172.20.1.1", "192.168.9.9", "192.168.9.255", "8.8.8.8" }) {
		cx_route_query q{};
		q.dst = ip(dst);
		cx_route_answer ans{};
		const char *msg = nullptr;
		int err = cx_stack_route_get(s, &q, &ans, &msg);
		snprintf(line, sizeof(line), "get %s: %d type %u gw %08x oif %d src %08x t%u\n", dst,
			 err, err ? 0 : ans.type, err ? 0 : ans.gateway, err ? 0 : ans.oif,
			 err ? 0 : ans.prefsrc, err ? 0 : ans.table);
		out += line;
		snprintf(line, sizeof(line), "local %s: %d\n", dst, cx_stack_addr_is_local(s, ip(dst)));
		out += line;
	}
	return out;
}

} // namespace

/* Detach cannot fail: with no memory at all, the link's addresses and routes still go. */
TEST_F(StackTest, DetachWithoutMemoryTakesAddressesAlong)
{
	for (long n = 0; n < 12; n++) {
		Host *h = host();
		port(h, 2);
		port(h, 3);
		ASSERT_EQ(addr(h, 2, "10.0.0.1", 24), 0);
		ASSERT_EQ(addr(h, 3, "10.1.0.1", 24), 0);
		cx_user_fail_alloc_after(n);
		EXPECT_EQ(cx_stack_link_detach(h->s, 2), 0);
		cx_user_fail_alloc_after(-1);
		std::string now = fingerprint(h->s);
		EXPECT_EQ(now.find("addr 2 "), std::string::npos) << "n=" << n << "\n" << now;
		EXPECT_NE(now.find("addr 3 "), std::string::npos) << "n=" << n;
		EXPECT_FALSE(cx_stack_addr_is_local(h->s, ip("10.0.0.1"))) << "n=" << n;
		EXPECT_TRUE(cx_stack_addr_is_local(h->s, ip("10.1.0.1"))) << "n=" << n;
		/* the same device back: the address can be added again */
		port(h, 2);
		EXPECT_EQ(addr(h, 2, "10.0.0.1", 24), 0) << "n=" << n;
		EXPECT_TRUE(cx_stack_addr_is_local(h->s, ip("10.0.0.1")));
	}
}

TEST_F(StackTest, ConfigurationChangesAreAllOrNothingUnderAllocationFailure)
{
	using Op = std::function<int(Host *)>;
	auto route_req = [](Host *h, const char *dst, uint8_t len, const char *gw, uint32_t flags,
			    uint32_t table, bool del) {
		cx_route r{};
		r.table = table;
		r.dst = ip(dst);
		r.dst_len = len;
		r.type = 1;
		r.protocol = 4;
		r.scope = del ? 255 : 0;
		r.nexthop_count = 1;
		r.nexthops[0].gateway = ip(gw);
		const char *msg = nullptr;
		return del ? cx_stack_route_del(h->s, &r, &msg)
			   : cx_stack_route_add(h->s, &r, flags, &msg);
	};
	auto addr_del = [](Host *h, const char *a) {
		cx_addr d{};
		d.ifindex = 2;
		d.local = ip(a);
		const char *msg = nullptr;
		return cx_stack_addr_del(h->s, &d, &msg);
	};
	const struct {
		const char *name;
		Op op;
	} ops[] = {
		{ "route add", [&](Host *h) {
			  return route_req(h, "172.20.0.0", 16, "10.0.0.2",
					   CX_NLM_F_CREATE | CX_NLM_F_EXCL, 0, false); } },
		{ "route add table 100", [&](Host *h) {
			  return route_req(h, "172.20.0.0", 16, "10.0.0.2",
					   CX_NLM_F_CREATE | CX_NLM_F_EXCL, 100, false); } },
		{ "route replace", [&](Host *h) {
			  return route_req(h, "172.16.0.0", 16, "10.0.0.3",
					   CX_NLM_F_CREATE | CX_NLM_F_REPLACE, 0, false); } },
		{ "route del", [&](Host *h) {
			  return route_req(h, "172.16.0.0", 16, "10.0.0.2", 0, 0, true); } },
		{ "addr add", [&](Host *h) { return addr(h, 2, "192.168.9.1", 24); } },
		{ "addr add secondary", [&](Host *h) { return addr(h, 2, "10.0.0.9", 24); } },
		{ "addr del secondary", [&](Host *h) { return addr_del(h, "10.0.0.5"); } },
		{ "addr del primary", [&](Host *h) { return addr_del(h, "10.0.0.1"); } },
	};
	auto setup = [&](Host **out) {
		Host *h = host();
		port(h, 2);
		ASSERT_EQ(addr(h, 2, "10.0.0.1", 24), 0);
		ASSERT_EQ(addr(h, 2, "10.0.0.5", 24), 0);
		ASSERT_EQ(route(h, "172.16.0.0", 16, "10.0.0.2", 0), 0);
		*out = h;
	};
	for (const auto &o : ops) {
		/* the expected outcome, without failures */
		Host *ref;
		setup(&ref);
		if (HasFatalFailure())
			return;
		const std::string before = fingerprint(ref->s);
		ASSERT_EQ(o.op(ref), 0) << o.name;
		const std::string after = fingerprint(ref->s);
		ASSERT_NE(before, after) << o.name;
		unsigned long failed = 0;
		for (long n = 0; n < 200; n++) {
			Host *h;
			setup(&h);
			if (HasFatalFailure())
				return;
			ASSERT_EQ(fingerprint(h->s), before);
			cx_user_fail_alloc_after(n);
			unsigned long failures = cx_user_alloc_failures();
			int err = o.op(h);
			bool injected = cx_user_alloc_failures() != failures;
			cx_user_fail_alloc_after(-1);
			if (err) {
				EXPECT_EQ(err, -CX_ENOMEM) << o.name << " n=" << n;
				EXPECT_EQ(fingerprint(h->s), before) << o.name << " failed at n=" << n;
				failed++;
			} else {
				EXPECT_EQ(fingerprint(h->s), after) << o.name << " n=" << n;
			}
			if (!injected) {
				EXPECT_EQ(err, 0) << o.name;
				break;
			}
		}
		EXPECT_GT(failed, 0u) << o.name << ": no allocation could fail?";
		TearDown();
		cx_user_reset();
	}
}

} // namespace
