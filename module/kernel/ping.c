// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP "ping" sockets of AF_CXNET: socket(AF_CXNET, SOCK_DGRAM, IPPROTO_ICMP).
 *
 * The calls behave as Linux's net/ipv4/ping.c (ping_prot over
 * inet_sockraw_ops) does for AF_INET, with the same checks in the same order
 * and the same errno values; the comments name the Linux function each
 * part follows. What ping sockets share with UDP (connect, getname,
 * shutdown, socket options, ancillary data, close) is udp.c's (dgram.h).
 *
 * Creation (ping_init_sock): allowed when the caller's effective group or
 * one of its supplementary groups lies within net.ipv4.ping_group_range of
 * the netns (cxnet's own tunable, Linux's name and default "1 0", which
 * allows nobody, root included), else EACCES. The range holds group ids as
 * seen from the netns's user namespace (Linux stores the writer's mapping).
 *
 * Identifiers (ping_get_port): the local "port" of a ping socket is the
 * identifier of its echo requests. bind() with port 0, connect() or the
 * first sendmsg() picks the next free one after the last picked (a rover
 * over 1..65535, per netns here, global in Linux); bind() to a given one
 * fails with EADDRINUSE if another socket of the netns has it, unless both
 * have SO_REUSEADDR, which ping sockets have from the start (inet_create()
 * with INET_PROTOSW_REUSE). Privileged ports do not apply. The table: per netns
 * (own pernet slot), 64 chains by identifier, one spinlock for writers,
 * RCU for the receive path (sockets are SOCK_RCU_FREE).
 *
 * Send (ping_v4_sendmsg): the message starts with an ICMP header from the
 * user; only an echo request (type 8 code 0, or 42 code 0, RFC 8335's
 * extended echo) is accepted, else EINVAL. The identifier is replaced by
 * the socket's and the checksum computed; the sequence number and the
 * payload are the user's.
 *
 * Receive (ping_rcv): the stack offers every ICMP echo reply for us (host
 * op icmp_echo_reply); it goes to the first socket of its identifier that
 * is bound to the reply's destination or to the wildcard, and to its
 * device if bound to one. recvmsg returns the whole ICMP message (header
 * included), the sender's address with port 0, and IP_PKTINFO if asked.
 *
 * ICMP errors quoting one of our echo requests (ping_err) reach the socket
 * of its identifier; with IP_RECVERR off (not supported) only hard errors
 * (icmp_err_convert[].fatal: port/protocol unreachable, parameter
 * problem, administratively prohibited, ...) on a connected socket become
 * its pending error, as for UDP; host and net unreachable are soft errors.
 *
 * Not supported: extended echo replies (type 43: the stack drops ICMP types
 * above 18), IP_RECVERR and the error queue, IP options, /proc/net/icmp,
 * the ICMP OutMsgs/OutEchos counters for what ping sockets send.
 */
#define pr_fmt(fmt) "cxnet: " fmt

#include <linux/cred.h>
#include <linux/filter.h>
#include <linux/icmp.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/net.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/uidgid.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/netns/generic.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <linux/cxnet.h>

#include "cxnet.h"
#include "dgram.h"

#ifndef ICMP_EXT_ECHO
#define ICMP_EXT_ECHO 42
#endif

/* ---- per-netns identifier table ---------------------------------------------------- */

#define CXPING_HASH_SIZE	64
#define CXPING_HASH_MASK	(CXPING_HASH_SIZE - 1)

struct cxping_net {
	/* writers of every chain, and the rover; process context only (as ping_table.lock) */
	spinlock_t lock;
	u16 rover;			/* the identifier picked last (ping_port_rover) */
	struct hlist_head chains[CXPING_HASH_SIZE];	/* by identifier, RCU */
};

static unsigned int cxping_net_id __read_mostly;

static inline struct cxping_net *cxping_pernet(const struct net *net)
{
	return net_generic(net, cxping_net_id);
}

static inline struct hlist_head *cxping_chain(struct cxping_net *pn, u16 ident)
{
	return &pn->chains[ident & CXPING_HASH_MASK];
}

static struct proto cxping_prot;
static struct proto_ops cxping_ops __ro_after_init;

/* Does a socket of the chain have this identifier? Table lock held. */
static bool cxping_ident_used(struct hlist_head *chain, u16 ident)
{
	struct sock *sk2;

	sk_for_each(sk2, chain)
		if (sk2->sk_num == ident)
			return true;
	return false;
}

/*
 * ping_get_port(): ident 0 picks the next free identifier after the rover
 * (every one of 1..65535 is tried once); a given one is refused if another
 * socket has it, unless both have SO_REUSEADDR. 0 or -EADDRINUSE.
 */
static int cxping_get_port(struct sock *sk, unsigned short ident)
{
	struct net *net = sock_net(sk);
	struct cxping_net *pn = cxping_pernet(net);
	struct hlist_head *chain;
	struct sock *sk2;

	spin_lock(&pn->lock);
	if (!ident) {
		u16 result = pn->rover + 1;
		u32 i;

		for (i = 0; i < (1U << 16); i++, result++) {
			if (!result)
				result++;	/* never 0 */
			if (!cxping_ident_used(cxping_chain(pn, result), result))
				break;
		}
		if (i == (1U << 16))
			goto fail;
		pn->rover = result;
		ident = result;
		chain = cxping_chain(pn, ident);
	} else {
		chain = cxping_chain(pn, ident);
		sk_for_each(sk2, chain) {
			if (sk2->sk_num == ident && sk2 != sk && (!sk2->sk_reuse || !sk->sk_reuse))
				goto fail;
		}
	}
	WRITE_ONCE(sk->sk_num, ident);
	if (sk_unhashed(sk)) {
		sk_add_node_rcu(sk, chain);
		sock_prot_inuse_add(net, sk->sk_prot, 1);
	}
	spin_unlock(&pn->lock);
	return 0;

fail:
	spin_unlock(&pn->lock);
	return -EADDRINUSE;
}

/* ping_unhash(): the identifier is free again. */
static void cxping_unhash(struct sock *sk)
{
	struct cxping_net *pn = cxping_pernet(sock_net(sk));

	spin_lock(&pn->lock);
	if (sk_del_node_init_rcu(sk)) {
		WRITE_ONCE(sk->sk_num, 0);
		WRITE_ONCE(cxudp_sk(sk)->sport, 0);
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	}
	spin_unlock(&pn->lock);
}

/*
 * ping_lookup(): the first socket with the identifier, bound to daddr or
 * the wildcard, and to the input device if bound to one (dif < 0: not
 * known, any). Caller holds rcu_read_lock().
 */
static struct sock *cxping_lookup(const struct net *net, u16 ident, __be32 daddr, int dif)
{
	struct sock *sk;

	sk_for_each_rcu(sk, cxping_chain(cxping_pernet(net), ident)) {
		__be32 rcv_saddr = READ_ONCE(sk->sk_rcv_saddr);
		int bound = READ_ONCE(sk->sk_bound_dev_if);

		if (READ_ONCE(sk->sk_num) != ident)
			continue;
		if (rcv_saddr && rcv_saddr != daddr)
			continue;
		if (bound && dif >= 0 && bound != dif)
			continue;
		return sk;
	}
	return NULL;
}

/* ---- receive and errors (softirq) ----------------------------------------------------- */

/* ping_rcv() + ping_queue_rcv_skb(): data at the ICMP header. */
bool cxnet_ping_rcv(void *host_ctx, struct cx_pkt *pkt, const struct cx_udp_rx_info *info)
{
	struct cxnet_net *cn = host_ctx;
	struct sk_buff *skb = (struct sk_buff *)pkt;
	struct cxudp_cb *cb;
	struct sock *sk;

	rcu_read_lock();
	sk = cxping_lookup(cn->net, info->sport, htonl(info->daddr), info->ifindex);
	if (!sk) {
		rcu_read_unlock();
		return false;
	}
	nf_reset_ct(skb);
	if (sk_filter(sk, skb)) {
		kfree_skb(skb);
		goto out;
	}
	cb = CXUDP_CB(skb);
	cb->saddr = htonl(info->saddr);
	cb->daddr = htonl(info->daddr);
	cb->sport = 0;
	cb->mcast = false;
	cb->ifindex = info->ifindex;
	if (__sock_queue_rcv_skb(sk, skb) < 0)
		kfree_skb(skb);	/* rcvbuf full or no memory: sk_drops counted */
out:
	rcu_read_unlock();
	return true;
}

/* ping_err() with IP_RECVERR off: hard errors on a connected socket. */
void cxnet_ping_err(struct cxnet_net *cn, const struct cx_icmp_err_info *info)
{
	struct sock *sk;
	int err;

	rcu_read_lock();
	/* the error was addressed to the echo request's source: our address */
	sk = cxping_lookup(cn->net, info->sport, htonl(info->saddr), -1);
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

/* ping_check_bind_addr() + ping_bind(): no broadcast or multicast, no privileged identifiers. */
static int cxping_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *addr = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	struct cxudp_sock *us = cxudp_sk(sk);
	struct cx_stack *stack = cxudp_stack(sk);
	u16 ident;
	__be32 a;
	int err;

	if (addr_len < sizeof(*addr))
		return -EINVAL;
	if (!cxudp_family_ok(addr->sin_family) &&
	    !(addr->sin_family == AF_UNSPEC && addr->sin_addr.s_addr == htonl(INADDR_ANY)))
		return -EAFNOSUPPORT;
	a = addr->sin_addr.s_addr;
	if (a != htonl(INADDR_ANY) &&
	    (ipv4_is_multicast(a) || ipv4_is_lbcast(a) || !stack ||
	     cx_stack_addr_is_broadcast(stack, ntohl(a)) ||
	     !cx_stack_addr_is_local(stack, ntohl(a))))
		return -EADDRNOTAVAIL;

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_num)
		goto out;
	ident = ntohs(addr->sin_port);
	/* the address first: a reply found by the new identifier sees the right one */
	WRITE_ONCE(sk->sk_rcv_saddr, a);
	err = cxping_get_port(sk, ident);
	if (err) {
		WRITE_ONCE(sk->sk_rcv_saddr, 0);
		goto out;
	}
	WRITE_ONCE(us->saddr, a);
	if (a)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (ident)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	WRITE_ONCE(us->sport, htons(sk->sk_num));
	WRITE_ONCE(sk->sk_daddr, 0);
	WRITE_ONCE(sk->sk_dport, 0);
	if (addr->sin_family != AF_UNSPEC)
		cxudp_note_family(sk, addr->sin_family);
out:
	release_sock(sk);
	return err;
}

/* ping_supported() for IPv4. */
static inline bool cxping_supported(u8 type, u8 code)
{
	return (type == ICMP_ECHO || type == ICMP_EXT_ECHO) && code == 0;
}

/* inet_sendmsg() + ping_common_sendmsg() + ping_v4_sendmsg(), without corking. */
static int cxping_sendmsg(struct socket *sock, struct msghdr *msg, size_t len)
{
	DECLARE_SOCKADDR(struct sockaddr_in *, usin, msg->msg_name);
	struct sock *sk = sock->sk;
	struct cxudp_sock *us = cxudp_sk(sk);
	struct cx_stack *stack = cxudp_stack(sk);
	struct icmphdr user_icmph, *icmph;
	struct cxudp_ipc ipc;
	struct cx_route_out out;
	struct cx_flow fl;
	struct sk_buff *skb;
	__be32 daddr;
	int err, maxsize, uc_ttl;

	/* inet_send_prepare(): an identifier before anything else */
	if (!READ_ONCE(sk->sk_num) && cxudp_autobind(sk))
		return -EAGAIN;

	/* ping_common_sendmsg(): the user's ICMP header is consumed from the message */
	if (len > 0xFFFF)
		return -EMSGSIZE;
	if (len < sizeof(user_icmph))
		return -EINVAL;
	if (msg->msg_flags & MSG_OOB)	/* BSD compatibility */
		return -EOPNOTSUPP;
	if (memcpy_from_msg(&user_icmph, msg, sizeof(user_icmph)))
		return -EFAULT;
	if (!cxping_supported(user_icmph.type, user_icmph.code))
		return -EINVAL;

	if (usin) {
		if (msg->msg_namelen < sizeof(*usin))
			return -EINVAL;
		if (!cxudp_family_ok(usin->sin_family))
			return -EAFNOSUPPORT;
		daddr = usin->sin_addr.s_addr;
		/* no remote port */
		cxudp_note_family(sk, usin->sin_family);
	} else {
		if (READ_ONCE(sk->sk_state) != TCP_ESTABLISHED)
			return -EDESTADDRREQ;
		daddr = READ_ONCE(sk->sk_daddr);
	}

	cxudp_ipc_init(sk, &ipc);
	if (msg->msg_controllen) {
		err = cxudp_cmsg_send(sk, msg, &ipc);
		if (err)
			return err;
	}
	if (!stack)
		return -ENETUNREACH;

	cxudp_flow_init(sk, &fl, daddr, 0);
	fl.saddr = ntohl(ipc.addr);
	fl.oif = ipc.oif;
	fl.mark = ipc.sockc.mark;
	if (ipc.tos >= 0)
		fl.tos = ipc.tos;
	/* flowi4 without ports; fl4_icmp_type/code overlay the destination port */
	fl.sport = 0;
	fl.dport = user_icmph.type << 8 | user_icmph.code;
	uc_ttl = READ_ONCE(us->uc_ttl);
	if (ipc.ttl)
		fl.ttl = ipc.ttl;
	else if (ipv4_is_multicast(daddr))
		fl.ttl = 1;
	else
		fl.ttl = uc_ttl < 0 ? 0 : uc_ttl;
	fl.df = READ_ONCE(us->pmtudisc) >= IP_PMTUDISC_DO &&
		READ_ONCE(us->pmtudisc) != IP_PMTUDISC_OMIT;

	err = cx_stack_route_output(stack, &fl, &out);
	if (err)
		return err;
	if (out.broadcast && !sock_flag(sk, SOCK_BROADCAST))
		return -EACCES;
	if (msg->msg_flags & MSG_PROBE)	/* ip_append_data() builds nothing */
		return len;

	/* __ip_append_data(): the message must fit one IPv4 packet, or the path MTU with DF */
	maxsize = fl.df ? (int)out.mtu : IP_MAX_MTU;
	if ((int)len > maxsize - (int)sizeof(struct iphdr))
		return -EMSGSIZE;

	skb = sock_alloc_send_skb(sk, CXUDP_HEADROOM + len, msg->msg_flags & MSG_DONTWAIT, &err);
	if (!skb)
		return err;
	skb_reserve(skb, CXUDP_HEADROOM);
	icmph = skb_put(skb, sizeof(*icmph));
	err = memcpy_from_msg(skb_put(skb, len - sizeof(*icmph)), msg, len - sizeof(*icmph));
	if (err) {
		kfree_skb(skb);
		return err;
	}
	/* ping_v4_push_pending_frames(): our identifier, the user's sequence number */
	icmph->type = user_icmph.type;
	icmph->code = user_icmph.code;
	icmph->checksum = 0;
	icmph->un.echo.id = READ_ONCE(us->sport);
	icmph->un.echo.sequence = user_icmph.un.echo.sequence;
	icmph->checksum = csum_fold(csum_partial(skb->data, skb->len, 0));
	skb->ip_summed = CHECKSUM_NONE;
	skb->priority = ipc.tos >= 0 ? rt_tos2priority(ipc.tos) : READ_ONCE(sk->sk_priority);
	skb->mark = ipc.sockc.mark;

	/* the source routing chose */
	fl.saddr = out.saddr;
	/* ip_push_pending_frames(): a local drop is the caller's error here */
	err = cx_stack_send(stack, (struct cx_pkt *)skb, &fl);
	return err ? err : len;
}

/* inet_recvmsg() + ping_recvmsg(): the whole ICMP message, the sender with port 0. */
static int cxping_recvmsg(struct socket *sock, struct msghdr *msg, size_t len, int flags)
{
	DECLARE_SOCKADDR(struct sockaddr_in *, sin, msg->msg_name);
	struct sock *sk = sock->sk;
	struct sk_buff *skb;
	int copied, err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	/* ip_recv_error(): IP_RECVERR is not supported, the error queue stays empty */
	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;

	skb = skb_recv_datagram(sk, flags, &err);
	if (!skb)
		return err;

	copied = skb->len;
	if (copied > len) {
		msg->msg_flags |= MSG_TRUNC;
		copied = len;
	}
	err = skb_copy_datagram_msg(skb, 0, msg, copied);
	if (err)
		goto done;

	sock_recv_timestamp(msg, sk, skb);
	if (sin) {
		sin->sin_family = READ_ONCE(cxudp_sk(sk)->addr_family);
		sin->sin_port = 0;
		sin->sin_addr.s_addr = CXUDP_CB(skb)->saddr;
		memset(sin->sin_zero, 0, sizeof(sin->sin_zero));
		msg->msg_namelen = sizeof(*sin);
	} else {
		msg->msg_namelen = 0;
	}
	if (READ_ONCE(cxudp_sk(sk)->cmsg_flags) & CXUDP_CMSG_PKTINFO) {
		/* ip_cmsg_recv_pktinfo() without ipv4_pktinfo_prepare(): no spec_dst */
		struct in_pktinfo info = {
			.ipi_ifindex = CXUDP_CB(skb)->ifindex,
			.ipi_addr.s_addr = CXUDP_CB(skb)->daddr,
		};

		put_cmsg(msg, SOL_IP, IP_PKTINFO, sizeof(info), &info);
	}
	err = copied;
done:
	skb_free_datagram(sk, skb);
	return err;
}

/* inet_ioctl(): ping_prot has no ioctl of its own (SIOCINQ is ENOTTY). */
static int cxping_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	return -ENOIOCTLCMD;
}

static struct proto cxping_prot = {
	.name = "CXNET-PING",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct cxudp_sock),
	.get_port = cxping_get_port,
	.unhash = cxping_unhash,
};

/* .family is set at init: the number is a module parameter. */
static struct proto_ops cxping_ops __ro_after_init = {
	.owner = THIS_MODULE,
	.release = cxudp_release,
	.bind = cxping_bind,
	.connect = cxudp_connect,
	.socketpair = sock_no_socketpair,
	.accept = sock_no_accept,
	.getname = cxudp_getname,
	.poll = datagram_poll,
	.ioctl = cxping_ioctl,
	.gettstamp = sock_gettstamp,
	.listen = sock_no_listen,
	.shutdown = cxudp_shutdown,
	.setsockopt = cxudp_setsockopt,
	.getsockopt = cxudp_getsockopt,
	.sendmsg = cxping_sendmsg,
	.recvmsg = cxping_recvmsg,
	.mmap = sock_no_mmap,
	.sendpage = sock_no_sendpage,
	/* inet_sockraw_ops: no set_peek_off (SO_PEEK_OFF is EOPNOTSUPP) */
};

/* Is gid within [low, high] as the netns's user namespace sees it? */
static bool cxping_gid_in_range(struct user_namespace *ns, kgid_t gid, s64 low, s64 high)
{
	gid_t g = from_kgid(ns, gid);

	return g != (gid_t)-1 && low <= g && g <= high;
}

/* ping_init_sock(): the effective group, or any supplementary one, in ping_group_range. */
static bool cxping_group_allowed(struct net *net)
{
	const struct cx_tunables *t = cxnet_pernet(net)->tunables;
	s64 low = cx_tunable_read(t, CX_TUNABLE_PING_GROUP_RANGE, 0);
	s64 high = cx_tunable_read(t, CX_TUNABLE_PING_GROUP_RANGE, 1);
	struct group_info *groups;
	bool allowed = false;
	int i;

	if (cxping_gid_in_range(net->user_ns, current_egid(), low, high))
		return true;
	groups = get_current_groups();
	for (i = 0; i < groups->ngroups && !allowed; i++)
		allowed = cxping_gid_in_range(net->user_ns, groups->gid[i], low, high);
	put_group_info(groups);
	return allowed;
}

/* inet_create() for SOCK_DGRAM/IPPROTO_ICMP (af.c checked type and protocol). */
int cxnet_ping_create(struct net *net, struct socket *sock, int kern)
{
	struct sock *sk;

	if (!cxping_group_allowed(net))
		return -EACCES;
	sk = sk_alloc(net, cxnet_family, GFP_KERNEL, &cxping_prot, kern);
	if (!sk)
		return -ENOBUFS;
	sock->ops = &cxping_ops;
	sock_init_data(sock, sk);
	sk->sk_protocol = IPPROTO_ICMP;
	sk->sk_reuse = SK_CAN_REUSE;	/* INET_PROTOSW_REUSE */
	cxudp_sock_init(sk);
	return 0;
}

/* ---- netns and module ----------------------------------------------------------------- */

static int __net_init cxping_net_init(struct net *net)
{
	struct cxping_net *pn = cxping_pernet(net);
	unsigned int i;

	spin_lock_init(&pn->lock);
	pn->rover = 0;
	for (i = 0; i < CXPING_HASH_SIZE; i++)
		INIT_HLIST_HEAD(&pn->chains[i]);
	return 0;
}

static void __net_exit cxping_net_exit(struct net *net)
{
	struct cxping_net *pn = cxping_pernet(net);
	unsigned int i;

	/* every user socket holds its netns: none can be bound here */
	for (i = 0; i < CXPING_HASH_SIZE; i++)
		WARN_ON_ONCE(!hlist_empty(&pn->chains[i]));
}

static struct pernet_operations cxping_net_ops = {
	.init = cxping_net_init,
	.exit = cxping_net_exit,
	.id = &cxping_net_id,
	.size = sizeof(struct cxping_net),
};

int cxnet_ping_init(void)
{
	int err;

	cxping_ops.family = cxnet_family;
	err = register_pernet_subsys(&cxping_net_ops);
	if (err)
		return err;
	err = proto_register(&cxping_prot, 1);
	if (err)
		unregister_pernet_subsys(&cxping_net_ops);
	return err;
}

void cxnet_ping_exit(void)
{
	proto_unregister(&cxping_prot);
	unregister_pernet_subsys(&cxping_net_ops);
}
