// SPDX-License-Identifier: GPL-2.0
/*
 * UDP sockets of AF_CXNET: socket(AF_CXNET, SOCK_DGRAM, 0 | IPPROTO_UDP).
 *
 * The calls behave as Linux's net/ipv4/udp.c + af_inet.c + datagram.c do
 * for AF_INET, with the same checks in the same order and the same errno
 * values; the comments name the Linux function each part follows.
 * Addresses are struct sockaddr_in; sin_family may be AF_INET or the
 * registered cxnet family (cxnet_family). Addresses the kernel returns
 * (getsockname, getpeername, recvfrom) carry the family the application
 * last used in bind, connect or sendto on the socket, cxnet_family if none:
 * code written for AF_INET gets AF_INET back, AF_CXNET-aware code its own.
 *
 * Port table: per netns (its own pernet slot), 256 chains hashed by local
 * port (udp_table with hash by port only). Writers (bind, autobind,
 * disconnect, close, connect setting the local address) take the chain's
 * spinlock with BH off; the receive path (softirq) walks a chain under RCU
 * without taking references: sockets are SOCK_RCU_FREE, so one found
 * under rcu_read_lock() stays valid until the read side ends, as in Linux.
 * Each hashed socket holds a reference (sk_add_node_rcu).
 *
 * Receive (cxnet_udp_rcv, softirq): unicast goes to the best scoring
 * socket (compute_score: exact local address beats a wildcard bind, a
 * connected 4-tuple and a bound device add to the score); broadcast and
 * multicast go to every matching socket, a clone each
 * (__udp4_lib_mcast_deliver). The socket filter sees the UDP header, then
 * the header is pulled and the sender's address kept in skb->cb for
 * recvmsg. InDatagrams is counted when the application reads the
 * datagram, as Linux counts it in udp_recvmsg().
 *
 * Send: the route is resolved first (errors as ip_route_output_flow, EACCES
 * for broadcast without SO_BROADCAST), the datagram is built in an skb
 * charged to the sender's SO_SNDBUF (sock_alloc_send_skb: blocks, or EAGAIN
 * with MSG_DONTWAIT) with its checksum, and handed to the stack.
 *
 * Not supported (the same call fails as noted): UDP_CORK / MSG_MORE
 * (ignored: each sendmsg is one datagram), UDP_SEGMENT / GRO, UDP
 * encapsulation, IP options, IP_RECVERR and the error queue, multicast
 * membership options; SOL_IP and SOL_UDP options other than those below
 * answer ENOPROTOOPT. SO_REUSEPORT cannot be set: Linux 6.1's
 * sk_setsockopt() refuses it (EOPNOTSUPP) for families other than
 * AF_INET/AF_INET6 (sk_is_inet(), stable backport), before any protocol
 * code runs, and there is no way around it: __sys_setsockopt() hands
 * SOL_SOCKET to the protocol's setsockopt only for MPTCP
 * (sock_use_custom_sol_socket(); the SOCK_CUSTOM_SOCKOPT flag of later
 * kernels does not exist in 6.1). Turning it off (0) succeeds, as for any
 * family. The port table still applies Linux's rules to sk_reuseport
 * should the socket layer allow it.
 *
 * ICMP ping sockets (ping.c) share the socket calls that Linux's ping.c
 * shares with UDP (dgram.h); where the two differ the code looks at
 * sk->sk_protocol, and the port table is reached through sk_prot->get_port
 * and ->unhash.
 */
#define pr_fmt(fmt) "cxnet: " fmt

#include <asm/ioctls.h>
#include <linux/bitmap.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/icmp.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/netns/generic.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <linux/cxnet.h>

#include "cxnet.h"
#include "dgram.h"

/* ---- per-netns port table ------------------------------------------------------------ */

#define CXUDP_HASH_LOG		8
#define CXUDP_HASH_SIZE		(1U << CXUDP_HASH_LOG)
#define CXUDP_HASH_MASK		(CXUDP_HASH_SIZE - 1)
#define CXUDP_PORTS_PER_CHAIN	(65536 / CXUDP_HASH_SIZE)

struct cxudp_slot {
	struct hlist_head head;	/* sockets bound to ports == slot (mod size), RCU */
	spinlock_t lock;	/* writers */
	unsigned int count;
};

struct cxudp_net {
	struct cxudp_slot slots[CXUDP_HASH_SIZE];
};

static unsigned int cxudp_net_id __read_mostly;

static inline struct cxudp_net *cxudp_pernet(const struct net *net)
{
	return net_generic(net, cxudp_net_id);
}

static inline struct cxudp_slot *cxudp_slot(const struct net *net, u16 port)
{
	return &cxudp_pernet(net)->slots[port & CXUDP_HASH_MASK];
}

static struct proto cxudp_prot;
static struct proto_ops cxudp_ops __ro_after_init;

static inline void cxudp_count(const struct sock *sk, enum cx_udp_mib mib)
{
	struct cx_stack *stack = cxudp_stack(sk);

	if (stack)
		cx_stack_udp_count(stack, mib);
}

/* net.ipv4.ip_local_port_range of the netns (inet_get_local_port_range). */
static void cxudp_port_range(const struct net *net, int *low, int *high)
{
	const struct cx_tunables *t = cxnet_pernet(net)->tunables;

	*low = (int)cx_tunable_read(t, CX_TUNABLE_IP_LOCAL_PORT_RANGE, 0);
	*high = (int)cx_tunable_read(t, CX_TUNABLE_IP_LOCAL_PORT_RANGE, 1);
	if (*high < *low)
		*high = *low;
}

/* inet_rcv_saddr_equal(sk, sk2, true) for IPv4: equal, or either is a wildcard. */
static inline bool cxudp_rcv_saddr_equal(const struct sock *sk, const struct sock *sk2)
{
	return sk->sk_rcv_saddr == sk2->sk_rcv_saddr || !sk->sk_rcv_saddr || !sk2->sk_rcv_saddr;
}

/*
 * udp_lib_lport_inuse(): with bitmap NULL, is port num taken for sk? With a
 * bitmap, mark every port of the chain that is taken for sk. Slot lock held.
 */
static int cxudp_lport_inuse(const struct cxudp_slot *slot, u16 num, unsigned long *bitmap,
			     struct sock *sk)
{
	kuid_t uid = sock_i_uid(sk);
	struct sock *sk2;

	sk_for_each(sk2, &slot->head) {
		if (sk2 == sk || (!bitmap && sk2->sk_num != num))
			continue;
		/* SO_REUSEADDR on both sockets */
		if (sk2->sk_reuse && sk->sk_reuse)
			continue;
		if (sk2->sk_bound_dev_if && sk->sk_bound_dev_if &&
		    sk2->sk_bound_dev_if != sk->sk_bound_dev_if)
			continue;
		if (!cxudp_rcv_saddr_equal(sk, sk2))
			continue;
		/* SO_REUSEPORT on both, same owner */
		if (sk2->sk_reuseport && sk->sk_reuseport && uid_eq(uid, sock_i_uid(sk2))) {
			if (!bitmap)
				return 0;
		} else {
			if (!bitmap)
				return 1;
			__set_bit(sk2->sk_num >> CXUDP_HASH_LOG, bitmap);
		}
	}
	return 0;
}

/*
 * udp_lib_get_port(): bind sk to snum, or with snum 0 to a random free port
 * of ip_local_port_range (random start, then an odd multiple of the table
 * size as the step: every port of a chain is tried once, chain after chain).
 * 0 or -EADDRINUSE. Caller holds the socket lock.
 */
static int cxudp_get_port(struct sock *sk, unsigned short snum)
{
	struct net *net = sock_net(sk);
	struct cxudp_slot *slot;

	if (!snum) {
		DECLARE_BITMAP(bitmap, CXUDP_PORTS_PER_CHAIN);
		unsigned short first, last;
		int low, high, remaining;
		unsigned int rand;

		cxudp_port_range(net, &low, &high);
		remaining = high - low + 1;
		rand = get_random_u32();
		first = reciprocal_scale(rand, remaining) + low;
		rand = (rand | 1) * CXUDP_HASH_SIZE;
		last = first + CXUDP_HASH_SIZE;
		do {
			slot = cxudp_slot(net, first);
			bitmap_zero(bitmap, CXUDP_PORTS_PER_CHAIN);
			spin_lock_bh(&slot->lock);
			cxudp_lport_inuse(slot, 0, bitmap, sk);
			snum = first;
			do {
				if (low <= snum && snum <= high &&
				    !test_bit(snum >> CXUDP_HASH_LOG, bitmap))
					goto found;
				snum += rand;
			} while (snum != first);
			spin_unlock_bh(&slot->lock);
			cond_resched();
		} while (++first != last);
		return -EADDRINUSE;
	}

	slot = cxudp_slot(net, snum);
	spin_lock_bh(&slot->lock);
	if (cxudp_lport_inuse(slot, snum, NULL, sk)) {
		spin_unlock_bh(&slot->lock);
		return -EADDRINUSE;
	}
found:
	WRITE_ONCE(sk->sk_num, snum);
	if (sk_unhashed(sk)) {
		sk_add_node_rcu(sk, &slot->head);
		slot->count++;
		sock_prot_inuse_add(net, sk->sk_prot, 1);
	}
	spin_unlock_bh(&slot->lock);
	return 0;
}

/* udp_lib_unhash(): the port is free again. */
static void cxudp_unhash(struct sock *sk)
{
	struct cxudp_slot *slot;

	if (sk_unhashed(sk))
		return;
	slot = cxudp_slot(sock_net(sk), sk->sk_num);
	spin_lock_bh(&slot->lock);
	if (sk_del_node_init_rcu(sk)) {
		slot->count--;
		WRITE_ONCE(sk->sk_num, 0);
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	}
	spin_unlock_bh(&slot->lock);
}

/*
 * The bound address changes (connect, disconnect): under the chain lock, as
 * udp_lib_rehash. Ping sockets are found by identifier alone (no rehash).
 */
static void cxudp_set_rcv_saddr(struct sock *sk, __be32 addr)
{
	struct cxudp_slot *slot;

	if (sk_unhashed(sk) || sk->sk_protocol != IPPROTO_UDP) {
		WRITE_ONCE(sk->sk_rcv_saddr, addr);
		return;
	}
	slot = cxudp_slot(sock_net(sk), sk->sk_num);
	spin_lock_bh(&slot->lock);
	WRITE_ONCE(sk->sk_rcv_saddr, addr);
	spin_unlock_bh(&slot->lock);
}

/* inet_autobind(): -EAGAIN if no port (ping: identifier) is free. */
int cxudp_autobind(struct sock *sk)
{
	int err = 0;

	lock_sock(sk);
	if (!sk->sk_num) {
		if (sk->sk_prot->get_port(sk, 0))
			err = -EAGAIN;
		else
			WRITE_ONCE(cxudp_sk(sk)->sport, htons(sk->sk_num));
	}
	release_sock(sk);
	return err;
}

/* ---- lookup (RCU) ------------------------------------------------------------------- */

/*
 * compute_score(): -1 if sk cannot take the datagram. dif < 0: the input
 * link is not known (ICMP errors), any bound device matches.
 */
static int cxudp_score(struct sock *sk, __be32 saddr, __be16 sport, __be32 daddr, u16 hnum,
		       int dif)
{
	int score = 2, bound;
	__be32 peer;
	__be16 pport;

	if (READ_ONCE(sk->sk_num) != hnum || READ_ONCE(sk->sk_rcv_saddr) != daddr)
		return -1;
	peer = READ_ONCE(sk->sk_daddr);
	if (peer) {
		if (peer != saddr)
			return -1;
		score += 4;
	}
	pport = READ_ONCE(sk->sk_dport);
	if (pport) {
		if (pport != sport)
			return -1;
		score += 4;
	}
	bound = READ_ONCE(sk->sk_bound_dev_if);
	if (bound) {
		if (dif >= 0 && bound != dif)
			return -1;
		score += 4;
	}
	if (READ_ONCE(sk->sk_incoming_cpu) == raw_smp_processor_id())
		score++;
	return score;
}

static struct sock *cxudp_lookup_addr(struct cxudp_slot *slot, __be32 saddr, __be16 sport,
				      __be32 daddr, u16 hnum, int dif)
{
	struct sock *sk, *result = NULL;
	int score, badness = 0;

	sk_for_each_rcu(sk, &slot->head) {
		score = cxudp_score(sk, saddr, sport, daddr, hnum, dif);
		if (score > badness) {
			result = sk;
			badness = score;
		}
	}
	return result;
}

/*
 * __udp4_lib_lookup(): sockets bound to the destination address first,
 * then wildcard binds. Caller holds rcu_read_lock().
 */
static struct sock *cxudp_lookup(const struct net *net, __be32 saddr, __be16 sport,
				 __be32 daddr, u16 hnum, int dif)
{
	struct cxudp_slot *slot = cxudp_slot(net, hnum);
	struct sock *sk;

	sk = cxudp_lookup_addr(slot, saddr, sport, daddr, hnum, dif);
	if (!sk && daddr != htonl(INADDR_ANY))
		sk = cxudp_lookup_addr(slot, saddr, sport, htonl(INADDR_ANY), hnum, dif);
	return sk;
}

/* __udp_is_mcast_sock() (every socket joins with IP_MULTICAST_ALL's default). */
static bool cxudp_mcast_match(struct sock *sk, __be32 loc_addr, __be16 rmt_port,
			      __be32 rmt_addr, u16 hnum, int dif)
{
	__be32 peer = READ_ONCE(sk->sk_daddr), local = READ_ONCE(sk->sk_rcv_saddr);
	__be16 pport = READ_ONCE(sk->sk_dport);
	int bound = READ_ONCE(sk->sk_bound_dev_if);

	return READ_ONCE(sk->sk_num) == hnum && (!peer || peer == rmt_addr) &&
	       (!pport || pport == rmt_port) && (!local || local == loc_addr) &&
	       (!bound || bound == dif);
}

/* ---- receive ------------------------------------------------------------------------- */

/*
 * udp_queue_rcv_one_skb() + __udp_queue_rcv_skb(): filter (on the UDP
 * header), pull the header, queue. Takes the skb.
 */
static void cxudp_queue_rcv(struct sock *sk, struct sk_buff *skb,
			    const struct cx_udp_rx_info *info, bool mcast)
{
	struct cxudp_cb *cb;
	int rc;

	nf_reset_ct(skb);
	if (!pskb_may_pull(skb, sizeof(struct udphdr)) ||
	    sk_filter_trim_cap(sk, skb, sizeof(struct udphdr)))
		goto drop;
	__skb_pull(skb, sizeof(struct udphdr));

	cb = CXUDP_CB(skb);
	cb->saddr = htonl(info->saddr);
	cb->daddr = htonl(info->daddr);
	cb->sport = htons(info->sport);
	cb->mcast = mcast;
	cb->ifindex = info->ifindex;

	if (READ_ONCE(sk->sk_daddr)) {
		sock_rps_save_rxhash(sk, skb);
		sk_incoming_cpu_update(sk);
	}
	/* rcvbuf full: -ENOMEM (RcvbufErrors), no memory: -ENOBUFS; both count sk_drops */
	rc = __sock_queue_rcv_skb(sk, skb);
	if (rc < 0) {
		if (rc == -ENOMEM)
			cxudp_count(sk, CX_UDP_RCVBUF_ERRORS);
		cxudp_count(sk, CX_UDP_IN_ERRORS);
		kfree_skb(skb);
	}
	return;

drop:
	cxudp_count(sk, CX_UDP_IN_ERRORS);
	atomic_inc(&sk->sk_drops);
	kfree_skb(skb);
}

/* __udp4_lib_mcast_deliver(): a clone to every matching socket but the first. */
static void cxudp_mcast_deliver(const struct net *net, struct sk_buff *skb,
				const struct cx_udp_rx_info *info)
{
	__be32 saddr = htonl(info->saddr), daddr = htonl(info->daddr);
	__be16 sport = htons(info->sport);
	struct sock *sk, *first = NULL;
	struct sk_buff *nskb;

	sk_for_each_rcu(sk, &cxudp_slot(net, info->dport)->head) {
		if (!cxudp_mcast_match(sk, daddr, sport, saddr, info->dport, info->ifindex))
			continue;
		if (!first) {
			first = sk;
			continue;
		}
		nskb = skb_clone(skb, GFP_ATOMIC);
		if (unlikely(!nskb)) {
			atomic_inc(&sk->sk_drops);
			cxudp_count(sk, CX_UDP_RCVBUF_ERRORS);
			cxudp_count(sk, CX_UDP_IN_ERRORS);
			continue;
		}
		cxudp_queue_rcv(sk, nskb, info, true);
	}
	if (first)
		cxudp_queue_rcv(first, skb, info, true);
	else
		consume_skb(skb);	/* Linux counts it as IgnoredMulti, not NoPorts */
}

bool cxnet_udp_rcv(void *host_ctx, struct cx_pkt *pkt, const struct cx_udp_rx_info *info)
{
	struct cxnet_net *cn = host_ctx;
	struct sk_buff *skb = (struct sk_buff *)pkt;
	__be32 daddr = htonl(info->daddr);
	struct sock *sk;
	bool mcast;

	/* Linux decides by the route (RTCF_BROADCAST/MULTICAST), not by the frame */
	mcast = ipv4_is_multicast(daddr) || ipv4_is_lbcast(daddr) ||
		(info->pkt_type != CX_PKT_HOST && cn->stack &&
		 cx_stack_addr_is_broadcast(cn->stack, info->daddr));

	rcu_read_lock();
	if (mcast) {
		cxudp_mcast_deliver(cn->net, skb, info);
		rcu_read_unlock();
		return true;
	}
	sk = cxudp_lookup(cn->net, htonl(info->saddr), htons(info->sport), daddr, info->dport,
			  info->ifindex);
	if (!sk) {
		rcu_read_unlock();
		return false;	/* the stack counts NoPorts and answers port unreachable */
	}
	cxudp_queue_rcv(sk, skb, info, false);
	rcu_read_unlock();
	return true;
}

/*
 * __udp4_lib_err() / ping_err() with IP_RECVERR off: only hard errors
 * become the socket's pending error (and only on a connected socket, which
 * the caller checks). Frag-needed is one unless IP_PMTUDISC_DONT. Soft
 * errors (time exceeded, source quench, redirect) would only reach the
 * error queue.
 */
int cxudp_icmp_hard_error(const struct cx_icmp_err_info *info, u8 pmtudisc)
{
	switch (info->type) {
	case ICMP_PARAMETERPROB:
		return -EPROTO;
	case ICMP_DEST_UNREACH:
		if (info->code == ICMP_FRAG_NEEDED)
			return pmtudisc == IP_PMTUDISC_DONT ? 0 : -EMSGSIZE;
		if (info->code <= NR_ICMP_UNREACH && icmp_err_convert[info->code].fatal)
			return -icmp_err_convert[info->code].errno;
		return 0;
	default:
		return 0;
	}
}

/* An ICMP error about a UDP datagram (__udp4_lib_err) or an echo request (ping_err). */
void cxnet_udp_err(void *host_ctx, const struct cx_icmp_err_info *info)
{
	struct cxnet_net *cn = host_ctx;
	struct sock *sk;
	int err;

	if (info->proto == IPPROTO_ICMP) {
		cxnet_ping_err(cn, info);
		return;
	}
	if (info->proto != IPPROTO_UDP)
		return;

	rcu_read_lock();
	/* as if the quoted datagram's destination had answered it */
	sk = cxudp_lookup(cn->net, htonl(info->daddr), htons(info->dport), htonl(info->saddr),
			  info->sport, -1);
	if (!sk || READ_ONCE(sk->sk_state) != TCP_ESTABLISHED)
		goto out;
	err = cxudp_icmp_hard_error(info, READ_ONCE(cxudp_sk(sk)->pmtudisc));
	if (!err)
		goto out;
	WRITE_ONCE(sk->sk_err, -err);
	sk_error_report(sk);
out:
	rcu_read_unlock();
}

/* ---- socket calls ------------------------------------------------------------------------ */

/* __inet_bind() with udp_v4_get_port(). */
static int cxudp_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *addr = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	struct cxudp_sock *us = cxudp_sk(sk);
	struct net *net = sock_net(sk);
	struct cxnet_net *cn = cxnet_pernet(net);
	__be32 a;
	bool bcast, local;
	u16 snum;
	int err;

	if (addr_len < sizeof(struct sockaddr_in))
		return -EINVAL;
	if (!cxudp_family_ok(addr->sin_family)) {
		/* AF_UNSPEC is accepted for INADDR_ANY only (compatibility, as Linux) */
		if (addr->sin_family != AF_UNSPEC || addr->sin_addr.s_addr != htonl(INADDR_ANY))
			return -EAFNOSUPPORT;
	}
	a = addr->sin_addr.s_addr;
	bcast = ipv4_is_multicast(a) || ipv4_is_lbcast(a) ||
		(cn->stack && cx_stack_addr_is_broadcast(cn->stack, ntohl(a)));
	local = !bcast && a != htonl(INADDR_ANY) && cn->stack &&
		cx_stack_addr_is_local(cn->stack, ntohl(a));
	if (a != htonl(INADDR_ANY) && !local && !bcast)
		return -EADDRNOTAVAIL;

	snum = ntohs(addr->sin_port);
	if (snum &&
	    snum < cx_tunable_read(cn->tunables, CX_TUNABLE_IP_UNPRIVILEGED_PORT_START, 0) &&
	    !ns_capable(net->user_ns, CAP_NET_BIND_SERVICE))
		return -EACCES;

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_CLOSE || sk->sk_num)
		goto out;

	WRITE_ONCE(sk->sk_rcv_saddr, a);
	WRITE_ONCE(us->saddr, bcast ? 0 : a);	/* broadcast/multicast: the device's address */
	err = cxudp_get_port(sk, snum);
	if (err) {
		WRITE_ONCE(sk->sk_rcv_saddr, 0);
		WRITE_ONCE(us->saddr, 0);
		goto out;
	}
	if (a)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (snum)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	WRITE_ONCE(us->sport, htons(sk->sk_num));
	WRITE_ONCE(sk->sk_daddr, 0);
	WRITE_ONCE(sk->sk_dport, 0);
	if (addr->sin_family != AF_UNSPEC)
		cxudp_note_family(sk, addr->sin_family);
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* __udp_disconnect(): the association goes, so do an automatic address and port. */
static int cxudp_disconnect(struct sock *sk)
{
	struct cxudp_sock *us = cxudp_sk(sk);

	lock_sock(sk);
	WRITE_ONCE(sk->sk_state, TCP_CLOSE);
	WRITE_ONCE(sk->sk_daddr, 0);
	WRITE_ONCE(sk->sk_dport, 0);
	sock_rps_reset_rxhash(sk);
	WRITE_ONCE(sk->sk_bound_dev_if, 0);
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK)) {
		WRITE_ONCE(us->saddr, 0);
		cxudp_set_rcv_saddr(sk, 0);
	}
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK)) {
		sk->sk_prot->unhash(sk);
		WRITE_ONCE(us->sport, 0);
	}
	release_sock(sk);
	return 0;
}

void cxudp_flow_init(struct sock *sk, struct cx_flow *fl, __be32 daddr, __be16 dport)
{
	struct cxudp_sock *us = cxudp_sk(sk);

	memset(fl, 0, sizeof(*fl));
	fl->daddr = ntohl(daddr);
	fl->saddr = ntohl(READ_ONCE(us->saddr));
	fl->oif = READ_ONCE(sk->sk_bound_dev_if);
	fl->mark = READ_ONCE(sk->sk_mark);
	fl->proto = sk->sk_protocol;
	fl->tos = READ_ONCE(us->tos);
	fl->broadcast_ok = sock_flag(sk, SOCK_BROADCAST);
	fl->sport = ntohs(READ_ONCE(us->sport));
	fl->dport = ntohs(dport);
}

/* inet_dgram_connect() + ip4_datagram_connect(). */
int cxudp_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len, int flags)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	struct cxudp_sock *us = cxudp_sk(sk);
	struct cx_stack *stack = cxudp_stack(sk);
	struct cx_route_out out;
	struct cx_flow fl;
	int err;

	if (addr_len < sizeof(uaddr->sa_family))
		return -EINVAL;
	if (uaddr->sa_family == AF_UNSPEC)
		return cxudp_disconnect(sk);
	if (!READ_ONCE(sk->sk_num) && cxudp_autobind(sk))
		return -EAGAIN;

	lock_sock(sk);
	err = -EINVAL;
	if (addr_len < sizeof(*usin))
		goto out;
	err = -EAFNOSUPPORT;
	if (!cxudp_family_ok(usin->sin_family))
		goto out;
	err = -ENETUNREACH;
	if (!stack)
		goto out;
	cxudp_flow_init(sk, &fl, usin->sin_addr.s_addr, usin->sin_port);
	err = cx_stack_route_output(stack, &fl, &out);
	if (err)
		goto out;
	err = -EACCES;
	if (out.broadcast && !sock_flag(sk, SOCK_BROADCAST))
		goto out;
	if (!us->saddr)
		WRITE_ONCE(us->saddr, htonl(out.saddr));
	if (!sk->sk_rcv_saddr)
		cxudp_set_rcv_saddr(sk, htonl(out.saddr));
	WRITE_ONCE(sk->sk_daddr, htonl(out.daddr));
	WRITE_ONCE(sk->sk_dport, usin->sin_port);
	WRITE_ONCE(sk->sk_state, TCP_ESTABLISHED);
	sk_set_txhash(sk);
	cxudp_note_family(sk, usin->sin_family);
	err = 0;
out:
	release_sock(sk);
	return err;
}

/* inet_getname(). */
int cxudp_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	DECLARE_SOCKADDR(struct sockaddr_in *, sin, uaddr);
	struct sock *sk = sock->sk;
	struct cxudp_sock *us = cxudp_sk(sk);
	int ret;

	lock_sock(sk);
	ret = cxnet_fill_name(sk, sin, peer, us->addr_family, us->sport, sk->sk_rcv_saddr ? sk->sk_rcv_saddr : us->saddr);
	release_sock(sk);
	return ret;
}

/* ipcm_init_sk(): the socket's source, device and mark. */
void cxudp_ipc_init(struct sock *sk, struct cxudp_ipc *ipc)
{
	memset(ipc, 0, sizeof(*ipc));
	ipc->addr = READ_ONCE(cxudp_sk(sk)->saddr);
	ipc->oif = READ_ONCE(sk->sk_bound_dev_if);
	ipc->tos = -1;
	sockcm_init(&ipc->sockc, sk);
	ipc->sockc.mark = READ_ONCE(sk->sk_mark);
}

/* ip_cmsg_send() (+ udp_cmsg_send() for UDP) for what cxnet carries. */
int cxudp_cmsg_send(struct sock *sk, struct msghdr *msg, struct cxudp_ipc *ipc)
{
	struct cmsghdr *cmsg;
	int err, val;

	for_each_cmsghdr(cmsg, msg) {
		if (!CMSG_OK(msg, cmsg))
			return -EINVAL;
		if (cmsg->cmsg_level == SOL_SOCKET) {
			err = __sock_cmsg_send(sk, msg, cmsg, &ipc->sockc);
			if (err)
				return err;
			continue;
		}
		/*
		 * SOL_UDP: UDP_SEGMENT (GSO) is not supported, anything else is
		 * EINVAL in Linux too; ping sockets ignore the level (ip_cmsg_send)
		 */
		if (cmsg->cmsg_level == SOL_UDP && sk->sk_protocol == IPPROTO_UDP)
			return -EINVAL;
		if (cmsg->cmsg_level != SOL_IP)
			continue;
		switch (cmsg->cmsg_type) {
		case IP_PKTINFO: {
			struct in_pktinfo *info;

			if (cmsg->cmsg_len != CMSG_LEN(sizeof(struct in_pktinfo)))
				return -EINVAL;
			info = (struct in_pktinfo *)CMSG_DATA(cmsg);
			if (info->ipi_ifindex)
				ipc->oif = info->ipi_ifindex;
			ipc->addr = info->ipi_spec_dst.s_addr;
			break;
		}
		case IP_TTL:
			if (cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
				return -EINVAL;
			val = *(int *)CMSG_DATA(cmsg);
			if (val < 1 || val > 255)
				return -EINVAL;
			ipc->ttl = val;
			break;
		case IP_TOS:
			if (cmsg->cmsg_len == CMSG_LEN(sizeof(int)))
				val = *(int *)CMSG_DATA(cmsg);
			else if (cmsg->cmsg_len == CMSG_LEN(sizeof(u8)))
				val = *(u8 *)CMSG_DATA(cmsg);
			else
				return -EINVAL;
			if (val < 0 || val > 255)
				return -EINVAL;
			ipc->tos = val;
			break;
		case IP_PROTOCOL:	/* validated as Linux does; UDP ignores it */
			if (cmsg->cmsg_len != CMSG_LEN(sizeof(int)))
				return -EINVAL;
			val = *(int *)CMSG_DATA(cmsg);
			if (val < 1 || val > 255)
				return -EINVAL;
			break;
		default:		/* IP_RETOPTS: IP options are not supported */
			return -EINVAL;
		}
	}
	return 0;
}

/* inet_sendmsg() + udp_sendmsg() + ip_make_skb() + udp_send_skb(), without corking. */
static int cxudp_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	DECLARE_SOCKADDR(struct sockaddr_in *, usin, msg->msg_name);
	struct sock *sk = sock->sk;
	struct cxudp_sock *us = cxudp_sk(sk);
	struct cx_stack *stack = cxudp_stack(sk);
	struct cxudp_ipc ipc;
	struct cx_route_out out;
	struct cx_flow fl;
	struct sk_buff *skb;
	struct udphdr *uh;
	__be32 daddr;
	__be16 dport;
	int err, maxsize, uc_ttl;

	/* inet_send_prepare(): bind a port before anything else */
	if (!READ_ONCE(sk->sk_num) && cxudp_autobind(sk))
		return -EAGAIN;
	if (len > 0xFFFF)
		return -EMSGSIZE;
	if (msg->msg_flags & MSG_OOB)	/* BSD compatibility */
		return -EOPNOTSUPP;

	if (usin) {
		if (msg->msg_namelen < sizeof(*usin))
			return -EINVAL;
		if (!cxudp_family_ok(usin->sin_family) && usin->sin_family != AF_UNSPEC)
			return -EAFNOSUPPORT;
		daddr = usin->sin_addr.s_addr;
		dport = usin->sin_port;
		if (!dport)
			return -EINVAL;
		cxudp_note_family(sk, usin->sin_family);
	} else {
		if (READ_ONCE(sk->sk_state) != TCP_ESTABLISHED)
			return -EDESTADDRREQ;
		daddr = READ_ONCE(sk->sk_daddr);
		dport = READ_ONCE(sk->sk_dport);
	}

	cxudp_ipc_init(sk, &ipc);
	if (msg->msg_controllen) {
		err = cxudp_cmsg_send(sk, msg, &ipc);
		if (err)
			return err;
	}
	if (!stack)
		return -ENETUNREACH;

	cxudp_flow_init(sk, &fl, daddr, dport);
	fl.saddr = ntohl(ipc.addr);
	fl.oif = ipc.oif;
	fl.mark = ipc.sockc.mark;
	if (ipc.tos >= 0)
		fl.tos = ipc.tos;
	/* __ip_make_skb(): the cmsg TTL, else mc_ttl (1) to multicast, else IP_TTL */
	uc_ttl = READ_ONCE(us->uc_ttl);
	if (ipc.ttl)
		fl.ttl = ipc.ttl;
	else if (ipv4_is_multicast(daddr))
		fl.ttl = 1;
	else
		fl.ttl = uc_ttl < 0 ? 0 : uc_ttl;
	/* !ip_sk_ignore_df(): DO, PROBE and INTERFACE never fragment */
	fl.df = READ_ONCE(us->pmtudisc) >= IP_PMTUDISC_DO &&
		READ_ONCE(us->pmtudisc) != IP_PMTUDISC_OMIT;

	err = cx_stack_route_output(stack, &fl, &out);
	if (err)
		goto out;
	err = -EACCES;
	if (out.broadcast && !sock_flag(sk, SOCK_BROADCAST))
		goto out;
	err = 0;
	if (msg->msg_flags & MSG_PROBE)	/* ip_make_skb() builds nothing */
		goto out;

	/* __ip_append_data(): the datagram must fit one IPv4 packet, or the path MTU with DF */
	maxsize = fl.df ? (int)out.mtu : IP_MAX_MTU;
	err = -EMSGSIZE;
	if ((int)(len + sizeof(*uh)) > maxsize - (int)sizeof(struct iphdr))
		goto out;

	skb = sock_alloc_send_skb(sk, CXUDP_HEADROOM + sizeof(*uh) + len,
				  msg->msg_flags & MSG_DONTWAIT, &err);
	if (!skb)
		goto out;
	skb_reserve(skb, CXUDP_HEADROOM);
	uh = skb_put(skb, sizeof(*uh));
	err = memcpy_from_msg(skb_put(skb, len), msg, len);
	if (err) {
		kfree_skb(skb);
		goto out;
	}
	uh->source = READ_ONCE(us->sport);
	uh->dest = dport;
	uh->len = htons(skb->len);
	uh->check = 0;
	uh->check = csum_tcpudp_magic(htonl(out.saddr), htonl(fl.daddr), skb->len, IPPROTO_UDP,
				      csum_partial(skb->data, skb->len, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
	skb->priority = ipc.tos >= 0 ? rt_tos2priority(ipc.tos) : READ_ONCE(sk->sk_priority);
	skb->mark = ipc.sockc.mark;

	/* the source routing chose, so the header matches the checksum */
	fl.saddr = out.saddr;
	err = cx_stack_send(stack, (struct cx_pkt *)skb, &fl);
	if (err == -ENOBUFS) {
		/* udp_send_skb() with IP_RECVERR off: a local drop is not the caller's error */
		cxudp_count(sk, CX_UDP_SNDBUF_ERRORS);
		err = 0;
	} else if (!err) {
		cxudp_count(sk, CX_UDP_OUT_DATAGRAMS);
	}
out:
	if (!err)
		return len;
	if (err == -ENOBUFS || test_bit(SOCK_NOSPACE, &sock->flags))
		cxudp_count(sk, CX_UDP_SNDBUF_ERRORS);
	return err;
}

/* IP_PKTINFO on receive (ip_cmsg_recv_pktinfo): ipi_spec_dst as fib_compute_spec_dst(). */
static void cxudp_cmsg_recv_pktinfo(struct sock *sk, struct msghdr *msg, const struct sk_buff *skb)
{
	const struct cxudp_cb *cb = CXUDP_CB(skb);
	struct cx_stack *stack = cxudp_stack(sk);
	struct in_pktinfo info = {
		.ipi_ifindex = cb->ifindex,
		.ipi_spec_dst.s_addr = cb->daddr,
		.ipi_addr.s_addr = cb->daddr,
	};

	if (cb->mcast) {
		/* a broadcast's reply goes out from the input link's address */
		struct cx_route_out out;
		struct cx_flow fl = {
			.daddr = ntohl(cb->saddr),
			.oif = cb->ifindex,
			.proto = IPPROTO_UDP,
			.broadcast_ok = true,
		};

		info.ipi_spec_dst.s_addr = 0;
		if (stack && !cx_stack_route_output(stack, &fl, &out))
			info.ipi_spec_dst.s_addr = htonl(out.saddr);
	}
	put_cmsg(msg, SOL_IP, IP_PKTINFO, sizeof(info), &info);
}

/* inet_recvmsg() + udp_recvmsg(). */
static int cxudp_recvmsg(struct socket *sock, struct msghdr *msg, size_t len, int flags)
{
	DECLARE_SOCKADDR(struct sockaddr_in *, sin, msg->msg_name);
	struct sock *sk = sock->sk;
	struct cxudp_sock *us = cxudp_sk(sk);
	int off, err, peeking = flags & MSG_PEEK;
	unsigned int ulen, copied;
	struct sk_buff *skb;

	/* ip_recv_error(): IP_RECVERR is not supported, the error queue stays empty */
	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;

	off = sk_peek_offset(sk, flags);
	skb = __skb_recv_datagram(sk, &sk->sk_receive_queue, flags, &off, &err);
	if (!skb)
		return err;

	ulen = skb->len;
	copied = len;
	if (copied > ulen - off)
		copied = ulen - off;
	else if (copied < ulen)
		msg->msg_flags |= MSG_TRUNC;

	err = skb_copy_datagram_msg(skb, off, msg, copied);
	if (unlikely(err)) {
		if (!peeking) {
			atomic_inc(&sk->sk_drops);
			cxudp_count(sk, CX_UDP_IN_ERRORS);
		}
		skb_free_datagram(sk, skb);
		return err;
	}
	if (!peeking)
		cxudp_count(sk, CX_UDP_IN_DATAGRAMS);

	sock_recv_cmsgs(msg, sk, skb);
	if (sin) {
		sin->sin_family = READ_ONCE(us->addr_family);
		sin->sin_port = CXUDP_CB(skb)->sport;
		sin->sin_addr.s_addr = CXUDP_CB(skb)->saddr;
		memset(sin->sin_zero, 0, sizeof(sin->sin_zero));
		msg->msg_namelen = sizeof(*sin);
	} else {
		msg->msg_namelen = 0;
	}
	if (READ_ONCE(us->cmsg_flags) & CXUDP_CMSG_PKTINFO)
		cxudp_cmsg_recv_pktinfo(sk, msg, skb);

	err = copied;
	if (flags & MSG_TRUNC)
		err = ulen;

	/* skb_consume_udp(): SO_PEEK_OFF moves forward when peeking, back when reading */
	if (unlikely(READ_ONCE(sk->sk_peek_off) >= 0)) {
		bool slow = lock_sock_fast(sk);

		sk_peek_offset_bwd(sk, peeking ? -err : err);
		unlock_sock_fast(sk, slow);
	}
	skb_free_datagram(sk, skb);
	return err;
}

/* inet_shutdown() for a datagram socket. */
int cxudp_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	int err = 0;

	how++;	/* 0->1 (RCV), 1->2 (SEND), 2->3 (both) */
	if ((how & ~SHUTDOWN_MASK) || !how)
		return -EINVAL;
	lock_sock(sk);
	if (sk->sk_state == TCP_CLOSE)
		err = -ENOTCONN;	/* still shut down: wakes pollers (EPOLLHUP) */
	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

/* udp_ioctl(): SIOCINQ is the size of the next datagram, SIOCOUTQ the send buffer in use. */
static int cxudp_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct sk_buff *skb;
	int amount;

	switch (cmd) {
	case SIOCOUTQ:
		amount = sk_wmem_alloc_get(sk);
		return put_user(amount, (int __user *)arg);
	case SIOCINQ:
		spin_lock_bh(&sk->sk_receive_queue.lock);
		skb = skb_peek(&sk->sk_receive_queue);
		amount = skb ? skb->len : 0;
		spin_unlock_bh(&sk->sk_receive_queue.lock);
		return put_user(amount, (int __user *)arg);
	default:
		return -ENOIOCTLCMD;
	}
}

/*
 * do_ip_setsockopt() for IP_TOS, IP_TTL, IP_MTU_DISCOVER and IP_PKTINFO;
 * udp_lib_setsockopt()'s checks for SOL_UDP (ping sockets: ip_setsockopt,
 * ENOPROTOOPT for any level but SOL_IP). SOL_SOCKET never gets here (the
 * socket layer handles it).
 */
int cxudp_setsockopt(struct socket *sock, int level, int optname, sockptr_t optval,
		     unsigned int optlen)
{
	struct sock *sk = sock->sk;
	struct cxudp_sock *us = cxudp_sk(sk);
	int val = 0, err = 0;

	if ((level == SOL_UDP || level == SOL_UDPLITE) && sk->sk_protocol == IPPROTO_UDP) {
		if (optlen < sizeof(int))
			return -EINVAL;
		if (copy_from_sockptr(&val, optval, sizeof(val)))
			return -EFAULT;
		return -ENOPROTOOPT;	/* UDP_CORK, UDP_SEGMENT, ...: not supported */
	}
	if (level != SOL_IP)
		return -ENOPROTOOPT;

	switch (optname) {
	case IP_TOS:
	case IP_TTL:
	case IP_MTU_DISCOVER:
	case IP_PKTINFO:
		/* an int, or a single byte; no bytes at all means 0 */
		if (optlen >= sizeof(int)) {
			if (copy_from_sockptr(&val, optval, sizeof(val)))
				return -EFAULT;
		} else if (optlen >= sizeof(char)) {
			unsigned char ucval;

			if (copy_from_sockptr(&ucval, optval, sizeof(ucval)))
				return -EFAULT;
			val = ucval;
		}
		break;
	default:
		return -ENOPROTOOPT;
	}

	lock_sock(sk);
	switch (optname) {
	case IP_TOS:
		if (us->tos != (u8)val) {
			WRITE_ONCE(us->tos, val);
			WRITE_ONCE(sk->sk_priority, rt_tos2priority(val));
		}
		break;
	case IP_TTL:
		if (optlen < 1 || (val != -1 && (val < 1 || val > 255)))
			err = -EINVAL;
		else
			WRITE_ONCE(us->uc_ttl, val);
		break;
	case IP_MTU_DISCOVER:
		if (val < IP_PMTUDISC_DONT || val > IP_PMTUDISC_OMIT)
			err = -EINVAL;
		else
			WRITE_ONCE(us->pmtudisc, val);
		break;
	case IP_PKTINFO:
		WRITE_ONCE(us->cmsg_flags, val ? us->cmsg_flags | CXUDP_CMSG_PKTINFO :
					   us->cmsg_flags & ~CXUDP_CMSG_PKTINFO);
		break;
	}
	release_sock(sk);
	return err;
}

/*
 * do_ip_getsockopt() / udp_lib_getsockopt(): a level other than SOL_IP/SOL_UDP
 * is EOPNOTSUPP (ping sockets: other than SOL_IP).
 */
int cxudp_getsockopt(struct socket *sock, int level, int optname, char __user *optval,
		     int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct cxudp_sock *us = cxudp_sk(sk);
	int val, len;

	if ((level == SOL_UDP || level == SOL_UDPLITE) && sk->sk_protocol == IPPROTO_UDP) {
		if (get_user(len, optlen))
			return -EFAULT;
		if (len < 0)
			return -EINVAL;
		return -ENOPROTOOPT;
	}
	if (level != SOL_IP)
		return -EOPNOTSUPP;
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;

	lock_sock(sk);
	switch (optname) {
	case IP_TOS:
		val = us->tos;
		break;
	case IP_TTL:
		val = us->uc_ttl == -1 ? IPDEFTTL : us->uc_ttl;
		break;
	case IP_MTU_DISCOVER:
		val = us->pmtudisc;
		break;
	case IP_PKTINFO:
		val = !!(us->cmsg_flags & CXUDP_CMSG_PKTINFO);
		break;
	case IP_MTU: {
		/* the path MTU toward the connected peer; ENOTCONN without one */
		struct cx_stack *stack = cxudp_stack(sk);
		struct cx_route_out out;
		struct cx_flow fl;

		val = 0;
		if (sk->sk_state == TCP_ESTABLISHED && stack) {
			cxudp_flow_init(sk, &fl, sk->sk_daddr, sk->sk_dport);
			if (!cx_stack_route_output(stack, &fl, &out))
				val = out.mtu;
		}
		if (!val) {
			release_sock(sk);
			return -ENOTCONN;
		}
		break;
	}
	default:
		release_sock(sk);
		return -ENOPROTOOPT;
	}
	release_sock(sk);

	if (len < sizeof(int) && len > 0 && val >= 0 && val <= 255) {
		unsigned char ucval = (unsigned char)val;

		len = 1;
		if (put_user(len, optlen))
			return -EFAULT;
		if (copy_to_user(optval, &ucval, 1))
			return -EFAULT;
	} else {
		len = min_t(unsigned int, sizeof(int), len);
		if (put_user(len, optlen))
			return -EFAULT;
		if (copy_to_user(optval, &val, len))
			return -EFAULT;
	}
	return 0;
}

/*
 * close(): udp_lib_close() -> sk_common_release(): unhash (the port is
 * free at once), orphan, drop the file's reference. Datagrams a reader
 * queued after it found the socket (RCU) are freed with the socket.
 */
int cxudp_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	atomic_dec(&cxnet_pernet(sock_net(sk))->sockets);
	sk_common_release(sk);
	sock->sk = NULL;
	return 0;
}

/* sk_destruct, after the RCU grace period (SOCK_RCU_FREE): no reader can queue any more. */
static void cxudp_destruct(struct sock *sk)
{
	skb_queue_purge(&sk->sk_receive_queue);
	skb_queue_purge(&sk->sk_error_queue);
	WARN_ON_ONCE(!sock_flag(sk, SOCK_DEAD));
	WARN_ON_ONCE(atomic_read(&sk->sk_rmem_alloc));
}

static struct proto cxudp_prot = {
	.name = "CXNET-UDP",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct cxudp_sock),
	.get_port = cxudp_get_port,
	.unhash = cxudp_unhash,
};

/* .family is set at init: the number is a module parameter. */
static struct proto_ops cxudp_ops __ro_after_init = {
	.owner = THIS_MODULE,
	.release = cxudp_release,
	.bind = cxudp_bind,
	.connect = cxudp_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = cxudp_getname,
	.poll = datagram_poll,
	.ioctl = cxudp_ioctl,
	.gettstamp = sock_gettstamp,
	.listen = sock_no_listen,
	.shutdown = cxudp_shutdown,
	.setsockopt = cxudp_setsockopt,
	.getsockopt = cxudp_getsockopt,
	.sendmsg = cxudp_sendmsg,
	.recvmsg = cxudp_recvmsg,
	.mmap = sock_no_mmap,
	.sendpage = sock_no_sendpage,
	.set_peek_off = sk_set_peek_off,
};

/* After sock_init_data(): what inet_create() sets up for any datagram socket. */
void cxudp_sock_init(struct sock *sk)
{
	struct cxudp_sock *us = cxudp_sk(sk);

	sk->sk_destruct = cxudp_destruct;
	sock_set_flag(sk, SOCK_RCU_FREE);
	us->uc_ttl = -1;
	us->pmtudisc = IP_PMTUDISC_WANT;	/* net.ipv4.ip_no_pmtu_disc = 0 */
	us->addr_family = cxnet_family;
}

/* inet_create() for SOCK_DGRAM/IPPROTO_UDP (af.c checked type and protocol). */
int cxnet_udp_create(struct net *net, struct socket *sock, int kern)
{
	struct sock *sk;

	sk = sk_alloc(net, cxnet_family, GFP_KERNEL, &cxudp_prot, kern);
	if (!sk)
		return -ENOBUFS;
	sock->ops = &cxudp_ops;
	sock_init_data(sock, sk);
	sk->sk_protocol = IPPROTO_UDP;
	cxudp_sock_init(sk);
	return 0;
}

/* ---- netns and module ----------------------------------------------------------------- */

static int __net_init cxudp_net_init(struct net *net)
{
	struct cxudp_net *un = cxudp_pernet(net);
	unsigned int i;

	for (i = 0; i < CXUDP_HASH_SIZE; i++) {
		INIT_HLIST_HEAD(&un->slots[i].head);
		spin_lock_init(&un->slots[i].lock);
		un->slots[i].count = 0;
	}
	return 0;
}

static void __net_exit cxudp_net_exit(struct net *net)
{
	struct cxudp_net *un = cxudp_pernet(net);
	unsigned int i;

	/* every user socket holds its netns: none can be bound here */
	for (i = 0; i < CXUDP_HASH_SIZE; i++)
		WARN_ON_ONCE(!hlist_empty(&un->slots[i].head));
}

static struct pernet_operations cxudp_net_ops = {
	.init = cxudp_net_init,
	.exit = cxudp_net_exit,
	.id = &cxudp_net_id,
	.size = sizeof(struct cxudp_net),
};

int cxnet_udp_init(void)
{
	int err;

	sock_skb_cb_check_size(sizeof(struct cxudp_cb));
	cxudp_ops.family = cxnet_family;
	err = register_pernet_subsys(&cxudp_net_ops);
	if (err)
		return err;
	err = proto_register(&cxudp_prot, 1);
	if (err)
		goto err_pernet;
	err = cxnet_ping_init();
	if (err)
		goto err_proto;
	return 0;

err_proto:
	proto_unregister(&cxudp_prot);
err_pernet:
	unregister_pernet_subsys(&cxudp_net_ops);
	return err;
}

void cxnet_udp_exit(void)
{
	cxnet_ping_exit();
	proto_unregister(&cxudp_prot);
	unregister_pernet_subsys(&cxudp_net_ops);
}
