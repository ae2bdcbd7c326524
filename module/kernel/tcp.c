// SPDX-License-Identifier: GPL-2.0
/*
 * TCP sockets of AF_CXNET: socket(AF_CXNET, SOCK_STREAM, 0 | IPPROTO_TCP).
 *
 * The socket layer over the portable TCP core (core/tcp/, reached through
 * the C shim core/tcp/tcp_api.h). The calls follow Linux's af_inet.c
 * (inet_stream_connect, inet_accept, inet_listen, inet_shutdown) and
 * tcp.c (tcp_sendmsg, tcp_recvmsg, tcp_poll, tcp_close) with their errno
 * values; the protocol itself (state machine, retransmission, windows) is
 * the core's.
 *
 * Locking, as Linux: process context owns the socket with lock_sock(); the
 * receive path (cxnet_tcp_rcv, softirq) looks the socket up under RCU
 * (established 4-tuple table, then listeners by port), takes a reference,
 * bh_lock_sock()s it and feeds the core unless the user owns it, in which
 * case the packet goes to the socket backlog (sk_add_backlog, drops
 * counted in sk_drops), fed from release_sock() by cxtcp_backlog_rcv.
 * Core timers call back from softirq: run under bh_lock_sock, or if the
 * user owns the socket set a deferred bit handled in release_cb. Sockets
 * are SOCK_RCU_FREE, so the lookup's RCU read side keeps them valid.
 *
 * Lifetime: the kernel socket (struct cxtcp_sock) owns one core Sock.
 * close() hands it to the core (cx_tcp_close); when the core keeps an
 * orphan (FIN_WAIT*, TIME_WAIT, ...) the kernel socket stays hashed (the
 * table holds a reference) and is destroyed when the core calls dead():
 * unhash, then a work item destroys the core Sock (its timers are
 * cancelled synchronously, process context) and drops the last
 * references. Children of a listener get their kernel socket when the
 * core reports the handshake complete (child_ready, GFP_ATOMIC) and are
 * hashed there; accept() grafts them onto the new struct socket.
 *
 * Tables, per netns: bind (by local port, sk_bind_node; every socket that
 * owns a port: bound, listening, connected, accepted, orphans until
 * dead), listen (by port, sk_node, RCU) and established (4-tuple hash,
 * sk_node, RCU). One spinlock per table, taken with BH off.
 *
 * Not supported yet: SO_REUSEPORT (6.1 refuses it for other families
 * anyway), MSG_OOB / urgent data, TCP_INFO, TCP_CONGESTION, ICMP errors
 * (PMTU, unreachable), TCP_FASTOPEN, SIOCOUTQNSD.
 */
#define pr_fmt(fmt) "cxnet: " fmt

#include <asm/ioctls.h>
#include <linux/capability.h>
#include <linux/in.h>
#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/poll.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/tcp.h>
#include <linux/workqueue.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/tcp.h>
#include <net/netns/generic.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <linux/cxnet.h>

#include "cxnet.h"
#include "../core/tcp/tcp_api.h"

#define CXTCP_HEADROOM		(CX_STACK_HEADROOM + LL_MAX_HEADER)
#define CXTCP_PORT_HASH_LOG	8
#define CXTCP_PORT_HASH_SIZE	(1U << CXTCP_PORT_HASH_LOG)
#define CXTCP_EST_HASH_LOG	12
#define CXTCP_EST_HASH_SIZE	(1U << CXTCP_EST_HASH_LOG)

enum cxtcp_hashed {
	CXTCP_UNHASHED,
	CXTCP_LISTEN_HASHED,
	CXTCP_EST_HASHED,
};

struct cxtcp_sock {
	struct sock sk;		/* must be first */
	struct cx_tcp_sock *tcp;	/* the core's socket; NULL once destroyed */
	/*
	 * inet_sock's fields: sk_rcv_saddr (bound/local address), sk_num
	 * (local port, host order), sk_daddr/sk_dport (peer) and here the
	 * local port in network order.
	 */
	__be16 sport;
	u8 tos;
	u8 hashed;		/* enum cxtcp_hashed */
	bool bound;		/* in the bind table */
	bool dead;		/* the core called dead(): no more core calls */
	bool unaccepted;	/* a child no accept() took yet: owns its first reference */
	sa_family_t addr_family;
	unsigned long deferred;	/* timers that fired while the user owned the socket */
	int sndbuf_set, rcvbuf_set;	/* SO_SNDBUF/SO_RCVBUF values passed to the core */
	struct work_struct destroy_work;
};

static inline struct cxtcp_sock *cxtcp_sk(const struct sock *sk)
{
	return (struct cxtcp_sock *)sk;
}

/* Source and destination of a backlogged segment (skb->cb). */
struct cxtcp_cb {
	u32 saddr, daddr;	/* host order */
};

#define CXTCP_CB(skb) ((struct cxtcp_cb *)(skb)->cb)

struct cxtcp_net {
	struct net *net;
	struct cx_tcp_net *core;
	spinlock_t bind_lock;
	spinlock_t listen_lock;
	spinlock_t est_lock;
	struct hlist_head *bind;	/* CXTCP_PORT_HASH_SIZE */
	struct hlist_head *listen;	/* CXTCP_PORT_HASH_SIZE */
	struct hlist_head *est;		/* CXTCP_EST_HASH_SIZE */
	u32 hash_seed;
};

static unsigned int cxtcp_net_id __read_mostly;
static struct proto cxtcp_prot;
static struct proto_ops cxtcp_ops __ro_after_init;

/* inet_sk_state_store() (not exported): readers use inet_sk_state_load(). */
static inline void cxtcp_set_state(struct sock *sk, int state)
{
	/* pairs with smp_load_acquire() in inet_sk_state_load() (lockless poll) */
	smp_store_release(&sk->sk_state, state);
}

static inline struct cxtcp_net *cxtcp_pernet(const struct net *net)
{
	return net_generic(net, cxtcp_net_id);
}

static inline struct cxtcp_net *cxtcp_net_of(const struct sock *sk)
{
	return cxtcp_pernet(sock_net(sk));
}

static inline bool cxtcp_family_ok(sa_family_t family)
{
	return family == AF_INET || family == cxnet_family;
}

/* ---- tables ---------------------------------------------------------------------------- */

static inline struct hlist_head *cxtcp_port_head(struct hlist_head *table, u16 port)
{
	return &table[port & (CXTCP_PORT_HASH_SIZE - 1)];
}

static inline struct hlist_head *cxtcp_est_head(const struct cxtcp_net *tn, __be32 laddr,
						u16 lport, __be32 faddr, __be16 fport)
{
	u32 h = jhash_3words((__force u32)laddr, (__force u32)faddr,
			     ((u32)lport << 16) | (__force u16)fport, tn->hash_seed);

	return &tn->est[h & (CXTCP_EST_HASH_SIZE - 1)];
}

static void cxtcp_port_range(const struct net *net, int *low, int *high)
{
	const struct cx_tunables *t = cxnet_pernet(net)->tunables;

	*low = (int)cx_tunable_read(t, CX_TUNABLE_IP_LOCAL_PORT_RANGE, 0);
	*high = (int)cx_tunable_read(t, CX_TUNABLE_IP_LOCAL_PORT_RANGE, 1);
	if (*high < *low)
		*high = *low;
}

/*
 * inet_csk_bind_conflict() for IPv4: another socket on port num conflicts
 * unless devices differ, both have SO_REUSEADDR and the other is not
 * listening, or the addresses differ (neither a wildcard). Bind lock held.
 */
static bool cxtcp_port_conflict(struct cxtcp_net *tn, struct sock *sk, u16 num, __be32 addr)
{
	struct sock *sk2;

	sk_for_each_bound(sk2, cxtcp_port_head(tn->bind, num)) {
		if (sk2 == sk || sk2->sk_num != num)
			continue;
		if (sk->sk_bound_dev_if && sk2->sk_bound_dev_if &&
		    sk->sk_bound_dev_if != sk2->sk_bound_dev_if)
			continue;
		if (sk->sk_reuse && sk2->sk_reuse && sk2->sk_state != TCP_LISTEN)
			continue;
		if (!addr || !sk2->sk_rcv_saddr || addr == sk2->sk_rcv_saddr)
			return true;
	}
	return false;
}

/* Is any socket on port num at all (ephemeral ports are taken only when unused)? */
static bool cxtcp_port_used(struct cxtcp_net *tn, u16 num)
{
	struct sock *sk2;

	sk_for_each_bound(sk2, cxtcp_port_head(tn->bind, num))
		if (sk2->sk_num == num)
			return true;
	return false;
}

/*
 * inet_csk_get_port(): bind sk to snum (sk_rcv_saddr already set), or with
 * snum 0 to a free port of ip_local_port_range from a random start.
 * -EADDRINUSE. Socket lock held.
 */
static int cxtcp_get_port(struct sock *sk, unsigned short snum)
{
	struct cxtcp_net *tn = cxtcp_net_of(sk);
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	int low, high, remaining, i;
	u32 offset;

	spin_lock_bh(&tn->bind_lock);
	if (snum) {
		if (cxtcp_port_conflict(tn, sk, snum, sk->sk_rcv_saddr)) {
			spin_unlock_bh(&tn->bind_lock);
			return -EADDRINUSE;
		}
	} else {
		cxtcp_port_range(sock_net(sk), &low, &high);
		remaining = high - low + 1;
		offset = reciprocal_scale(get_random_u32(), remaining);
		for (i = 0; i < remaining; i++) {
			u16 port = low + (offset + i) % remaining;

			if (!cxtcp_port_used(tn, port)) {
				snum = port;
				break;
			}
		}
		if (!snum) {
			spin_unlock_bh(&tn->bind_lock);
			return -EADDRINUSE;
		}
	}
	sk->sk_num = snum;
	ts->sport = htons(snum);
	if (!ts->bound) {
		hlist_add_head(&sk->sk_bind_node, cxtcp_port_head(tn->bind, snum));
		ts->bound = true;
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	}
	spin_unlock_bh(&tn->bind_lock);
	return 0;
}

static void cxtcp_put_port(struct sock *sk)
{
	struct cxtcp_net *tn = cxtcp_net_of(sk);
	struct cxtcp_sock *ts = cxtcp_sk(sk);

	spin_lock_bh(&tn->bind_lock);
	if (ts->bound) {
		__hlist_del(&sk->sk_bind_node);
		sk_node_init(&sk->sk_bind_node);
		ts->bound = false;
		sock_prot_inuse_add(sock_net(sk), sk->sk_prot, -1);
	}
	spin_unlock_bh(&tn->bind_lock);
}

static void cxtcp_hash_listen(struct sock *sk)
{
	struct cxtcp_net *tn = cxtcp_net_of(sk);

	spin_lock_bh(&tn->listen_lock);
	sk_add_node_rcu(sk, cxtcp_port_head(tn->listen, sk->sk_num));
	cxtcp_sk(sk)->hashed = CXTCP_LISTEN_HASHED;
	spin_unlock_bh(&tn->listen_lock);
}

/* Hash sk by its 4-tuple; -EADDRNOTAVAIL if another socket has it (__inet_check_established). */
static int cxtcp_hash_est(struct sock *sk)
{
	struct cxtcp_net *tn = cxtcp_net_of(sk);
	struct hlist_head *head;
	struct sock *sk2;

	head = cxtcp_est_head(tn, sk->sk_rcv_saddr, sk->sk_num, sk->sk_daddr, sk->sk_dport);
	spin_lock_bh(&tn->est_lock);
	sk_for_each(sk2, head) {
		if (sk2->sk_rcv_saddr == sk->sk_rcv_saddr && sk2->sk_num == sk->sk_num &&
		    sk2->sk_daddr == sk->sk_daddr && sk2->sk_dport == sk->sk_dport) {
			spin_unlock_bh(&tn->est_lock);
			return -EADDRNOTAVAIL;
		}
	}
	sk_add_node_rcu(sk, head);
	cxtcp_sk(sk)->hashed = CXTCP_EST_HASHED;
	spin_unlock_bh(&tn->est_lock);
	return 0;
}

/* Out of the listen or established table (drops the table's reference). */
static void cxtcp_unhash(struct sock *sk)
{
	struct cxtcp_net *tn = cxtcp_net_of(sk);
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	spinlock_t *lock;

	if (ts->hashed == CXTCP_UNHASHED)
		return;
	lock = ts->hashed == CXTCP_LISTEN_HASHED ? &tn->listen_lock : &tn->est_lock;
	spin_lock_bh(lock);
	sk_del_node_init_rcu(sk);
	ts->hashed = CXTCP_UNHASHED;
	spin_unlock_bh(lock);
}

/* ---- lookup (RCU) -------------------------------------------------------------------- */

static struct sock *cxtcp_lookup_est(struct cxtcp_net *tn, __be32 saddr, __be16 sport,
				     __be32 daddr, u16 hnum)
{
	struct sock *sk;

	sk_for_each_rcu(sk, cxtcp_est_head(tn, daddr, hnum, saddr, sport)) {
		if (READ_ONCE(sk->sk_num) == hnum && READ_ONCE(sk->sk_rcv_saddr) == daddr &&
		    READ_ONCE(sk->sk_daddr) == saddr && READ_ONCE(sk->sk_dport) == sport &&
		    refcount_inc_not_zero(&sk->sk_refcnt))
			return sk;
	}
	return NULL;
}

/* __inet_lookup_listener(): an exact address beats a wildcard, a bound device adds. */
static struct sock *cxtcp_lookup_listener(struct cxtcp_net *tn, __be32 daddr, u16 hnum, int dif)
{
	struct sock *sk, *result = NULL;
	int score, best = 0, bound;
	__be32 addr;

	sk_for_each_rcu(sk, cxtcp_port_head(tn->listen, hnum)) {
		if (READ_ONCE(sk->sk_num) != hnum)
			continue;
		score = 1;
		addr = READ_ONCE(sk->sk_rcv_saddr);
		if (addr) {
			if (addr != daddr)
				continue;
			score += 4;
		}
		bound = READ_ONCE(sk->sk_bound_dev_if);
		if (bound) {
			if (bound != dif)
				continue;
			score += 4;
		}
		if (score > best) {
			best = score;
			result = sk;
		}
	}
	if (result && !refcount_inc_not_zero(&result->sk_refcnt))
		result = NULL;
	return result;
}

/* ---- host operations of the core ----------------------------------------------------- */

static inline struct sock *cxtcp_ctx(struct cx_tcp_sock *tsk)
{
	return tsk ? cx_tcp_sock_ctx(tsk) : NULL;
}

static int cxtcp_xmit(void *net_ctx, struct cx_tcp_sock *tsk, struct cx_pkt *pkt, uint32_t src,
		      uint32_t dst)
{
	struct cxtcp_net *tn = net_ctx;
	struct cx_stack *stack = cxnet_pernet(tn->net)->stack;
	struct sk_buff *skb = (struct sk_buff *)pkt;
	struct sock *sk = cxtcp_ctx(tsk);
	struct cx_flow fl = {
		.daddr = dst,
		.saddr = src,
		.proto = IPPROTO_TCP,
		.df = true,
	};

	if (!stack) {
		kfree_skb(skb);
		return -ENETUNREACH;
	}
	if (sk) {
		fl.oif = READ_ONCE(sk->sk_bound_dev_if);
		fl.mark = READ_ONCE(sk->sk_mark);
		fl.tos = READ_ONCE(cxtcp_sk(sk)->tos);
		fl.sport = ntohs(cxtcp_sk(sk)->sport);
		fl.dport = ntohs(sk->sk_dport);
		skb->priority = READ_ONCE(sk->sk_priority);
		skb->mark = fl.mark;
	}
	skb->ip_summed = CHECKSUM_NONE;
	return cx_stack_send(stack, pkt, &fl);
}

/* Readiness changed (socket locked): move a pending error to sk_err, wake. */
static void cxtcp_wake(struct cx_tcp_sock *tsk, uint32_t events)
{
	struct sock *sk = cxtcp_ctx(tsk);
	int err;

	if (!sk)
		return;
	if (events & CX_TCP_WAKE_ERROR) {
		err = cx_tcp_take_error(tsk);
		if (err) {
			WRITE_ONCE(sk->sk_err, err);
			sk_error_report(sk);
		}
	}
	if (events & CX_TCP_WAKE_READ)
		sk->sk_data_ready(sk);
	if (events & CX_TCP_WAKE_WRITE)
		sk->sk_write_space(sk);
	if (events & CX_TCP_WAKE_HUP)
		sk->sk_state_change(sk);
}

static void cxtcp_state_change(struct cx_tcp_sock *tsk, int old_state, int new_state)
{
	struct sock *sk = cxtcp_ctx(tsk);

	if (!sk)
		return;
	cxtcp_set_state(sk, new_state);
	switch (new_state) {
	case TCP_CLOSE:
		WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
		if (old_state != TCP_LISTEN)
			sock_set_flag(sk, SOCK_DONE);
		break;
	case TCP_CLOSE_WAIT:
	case TCP_CLOSING:
	case TCP_TIME_WAIT:
	case TCP_LAST_ACK:
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
		break;
	}
	sk->sk_state_change(sk);
}

static void cxtcp_destroy_work(struct work_struct *work);
static void cxtcp_destruct(struct sock *sk);
static int cxtcp_backlog_rcv(struct sock *sk, struct sk_buff *skb);

/* Common setup of a new kernel socket after sock_init_data(). */
static void cxtcp_sock_setup(struct sock *sk)
{
	struct cxtcp_sock *ts = cxtcp_sk(sk);

	sock_set_flag(sk, SOCK_RCU_FREE);
	sk->sk_protocol = IPPROTO_TCP;
	sk->sk_state = TCP_CLOSE;
	ts->addr_family = cxnet_family;
	sk->sk_destruct = cxtcp_destruct;
	sk->sk_backlog_rcv = cxtcp_backlog_rcv;
	INIT_WORK(&ts->destroy_work, cxtcp_destroy_work);
}

/* The core finished a child's handshake (listener locked, softirq or process). */
static void cxtcp_child_ready(struct cx_tcp_sock *listener, struct cx_tcp_sock *child)
{
	struct sock *lsk = cxtcp_ctx(listener), *sk;
	struct cxtcp_sock *ts;
	struct cx_tcp_addrs a;

	cx_tcp_sock_set_ctx(child, NULL);
	if (!lsk)
		return;
	sk = sk_alloc(sock_net(lsk), cxnet_family, GFP_ATOMIC, &cxtcp_prot, 0);
	if (!sk)
		return;		/* accept() resets the child */
	sock_init_data(NULL, sk);
	cxtcp_sock_setup(sk);
	ts = cxtcp_sk(sk);
	ts->tcp = child;
	ts->unaccepted = true;
	ts->addr_family = cxtcp_sk(lsk)->addr_family;
	ts->tos = cxtcp_sk(lsk)->tos;
	sk->sk_reuse = lsk->sk_reuse;
	sk->sk_bound_dev_if = lsk->sk_bound_dev_if;
	sk->sk_mark = lsk->sk_mark;
	sk->sk_priority = lsk->sk_priority;
	sk->sk_sndbuf = lsk->sk_sndbuf;
	sk->sk_rcvbuf = lsk->sk_rcvbuf;
	sk->sk_userlocks = lsk->sk_userlocks & ~SOCK_BINDADDR_LOCK;
	sk->sk_rcvtimeo = lsk->sk_rcvtimeo;
	sk->sk_sndtimeo = lsk->sk_sndtimeo;
	sk->sk_lingertime = lsk->sk_lingertime;
	if (sock_flag(lsk, SOCK_LINGER))
		sock_set_flag(sk, SOCK_LINGER);
	if (sock_flag(lsk, SOCK_KEEPOPEN))
		sock_set_flag(sk, SOCK_KEEPOPEN);
	cx_tcp_sock_addrs(child, &a);
	sk->sk_rcv_saddr = htonl(a.saddr);
	sk->sk_daddr = htonl(a.daddr);
	sk->sk_dport = htons(a.dport);
	sk->sk_num = a.sport;
	ts->sport = htons(a.sport);
	sk->sk_state = cx_tcp_sock_state(child);
	if (cxtcp_hash_est(sk)) {
		/* the 4-tuple is taken: cannot happen for a fresh handshake */
		sk_free(sk);
		return;
	}
	spin_lock_bh(&cxtcp_net_of(sk)->bind_lock);
	hlist_add_head(&sk->sk_bind_node, cxtcp_port_head(cxtcp_net_of(sk)->bind, sk->sk_num));
	ts->bound = true;
	sock_prot_inuse_add(sock_net(sk), sk->sk_prot, 1);
	spin_unlock_bh(&cxtcp_net_of(sk)->bind_lock);
	cx_tcp_sock_set_ctx(child, sk);
}

static void cxtcp_timer(struct cx_tcp_sock *tsk, int kind)
{
	struct sock *sk = cxtcp_ctx(tsk);
	struct cxtcp_sock *ts;

	if (!sk)
		return;
	ts = cxtcp_sk(sk);
	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		set_bit(kind, &ts->deferred);
	else if (ts->tcp == tsk && !ts->dead)
		cx_tcp_timer_run(tsk, kind);
	bh_unlock_sock(sk);
}

/* An orphan reached CLOSED (socket locked): unhash, destroy from a work item. */
static void cxtcp_dead(struct cx_tcp_sock *tsk)
{
	struct sock *sk = cxtcp_ctx(tsk);
	struct cxtcp_sock *ts;

	if (!sk)
		return;
	ts = cxtcp_sk(sk);
	if (ts->dead)
		return;
	ts->dead = true;
	sock_hold(sk);
	cxtcp_unhash(sk);
	cxtcp_put_port(sk);
	schedule_work(&ts->destroy_work);
}

static void cxtcp_destroy_work(struct work_struct *work)
{
	struct cxtcp_sock *ts = container_of(work, struct cxtcp_sock, destroy_work);
	struct sock *sk = &ts->sk;
	struct cx_tcp_sock *tsk;
	bool unaccepted;

	lock_sock(sk);
	tsk = ts->tcp;
	ts->tcp = NULL;
	unaccepted = ts->unaccepted;
	ts->unaccepted = false;
	if (tsk)
		cx_tcp_sock_destroy(tsk);
	release_sock(sk);
	if (unaccepted)
		sock_put(sk);
	sock_put(sk);
}

static const struct cx_tcp_host_ops cxtcp_core_ops = {
	.xmit = cxtcp_xmit,
	.wake = cxtcp_wake,
	.state_change = cxtcp_state_change,
	.child_ready = cxtcp_child_ready,
	.timer = cxtcp_timer,
	.dead = cxtcp_dead,
};

/* ---- receive ------------------------------------------------------------------------ */

/* tcp_v4_rcv(): find the socket, feed it now or through its backlog. */
bool cxnet_tcp_rcv(void *host_ctx, struct cx_pkt *pkt, const struct cx_udp_rx_info *info)
{
	struct cxnet_net *cn = host_ctx;
	struct cxtcp_net *tn = cxtcp_pernet(cn->net);
	struct sk_buff *skb = (struct sk_buff *)pkt;
	struct cx_tcp_seg_info si;
	struct cxtcp_sock *ts;
	struct sock *sk;

	if (info->pkt_type != CX_PKT_HOST || !tn->core)
		goto drop;
	if (cx_tcp_parse(tn->core, pkt, info->saddr, info->daddr, &si))
		goto drop;

	rcu_read_lock();
	sk = cxtcp_lookup_est(tn, htonl(si.saddr), htons(si.sport), htonl(si.daddr), si.dport);
	if (!sk)
		sk = cxtcp_lookup_listener(tn, htonl(si.daddr), si.dport, info->ifindex);
	rcu_read_unlock();
	if (!sk) {
		cx_tcp_rcv_no_socket(tn->core, pkt, si.saddr, si.daddr);
		consume_skb(skb);
		return true;
	}

	ts = cxtcp_sk(sk);
	CXTCP_CB(skb)->saddr = si.saddr;
	CXTCP_CB(skb)->daddr = si.daddr;
	nf_reset_ct(skb);
	bh_lock_sock_nested(sk);
	if (!sock_owned_by_user(sk)) {
		if (ts->tcp && !ts->dead)
			cx_tcp_rcv_pkt(ts->tcp, pkt, si.saddr, si.daddr);
		bh_unlock_sock(sk);
		consume_skb(skb);
	} else if (sk_add_backlog(sk, skb, READ_ONCE(sk->sk_rcvbuf) + READ_ONCE(sk->sk_sndbuf) +
				  65536)) {
		bh_unlock_sock(sk);
		atomic_inc(&sk->sk_drops);
		kfree_skb(skb);
	} else {
		bh_unlock_sock(sk);
	}
	sock_put(sk);
	return true;

drop:
	kfree_skb(skb);
	return true;
}

/* The backlog, fed by release_sock() (process context, socket owned). */
static int cxtcp_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct cxtcp_sock *ts = cxtcp_sk(sk);

	if (ts->tcp && !ts->dead)
		cx_tcp_rcv_pkt(ts->tcp, (struct cx_pkt *)skb, CXTCP_CB(skb)->saddr,
			       CXTCP_CB(skb)->daddr);
	consume_skb(skb);
	return 0;
}

/* Timers that fired while the user owned the socket (release_sock, slock held). */
static void cxtcp_release_cb(struct sock *sk)
{
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	int kind;

	if (!READ_ONCE(ts->deferred))
		return;
	for (kind = 0; kind < CX_TCP_TIMER_COUNT; kind++) {
		if (test_and_clear_bit(kind, &ts->deferred) && ts->tcp && !ts->dead)
			cx_tcp_timer_run(ts->tcp, kind);
	}
}

/* ---- socket calls ------------------------------------------------------------------ */

/* Push SO_SNDBUF/SO_RCVBUF to the core when the user set them. Socket locked. */
static void cxtcp_sync_bufs(struct sock *sk)
{
	struct cxtcp_sock *ts = cxtcp_sk(sk);

	if (!ts->tcp)
		return;
	if ((sk->sk_userlocks & SOCK_SNDBUF_LOCK) && ts->sndbuf_set != sk->sk_sndbuf) {
		ts->sndbuf_set = sk->sk_sndbuf;
		cx_tcp_set_sndbuf(ts->tcp, sk->sk_sndbuf);
	}
	if ((sk->sk_userlocks & SOCK_RCVBUF_LOCK) && ts->rcvbuf_set != sk->sk_rcvbuf) {
		ts->rcvbuf_set = sk->sk_rcvbuf;
		cx_tcp_set_rcvbuf(ts->tcp, sk->sk_rcvbuf);
	}
}

/* __inet_bind() with inet_csk_get_port(). */
static int cxtcp_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *addr = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	struct net *net = sock_net(sk);
	struct cxnet_net *cn = cxnet_pernet(net);
	__be32 a;
	u16 snum;
	int err;

	if (addr_len < sizeof(struct sockaddr_in))
		return -EINVAL;
	if (!cxtcp_family_ok(addr->sin_family)) {
		if (addr->sin_family != AF_UNSPEC || addr->sin_addr.s_addr != htonl(INADDR_ANY))
			return -EAFNOSUPPORT;
	}
	a = addr->sin_addr.s_addr;
	/* TCP cannot bind to broadcast or multicast addresses */
	if (a != htonl(INADDR_ANY) &&
	    (ipv4_is_multicast(a) || ipv4_is_lbcast(a) || !cn->stack ||
	     !cx_stack_addr_is_local(cn->stack, ntohl(a))))
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
	sk->sk_rcv_saddr = a;
	err = cxtcp_get_port(sk, snum);
	if (err) {
		sk->sk_rcv_saddr = 0;
		goto out;
	}
	if (a)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (snum)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	sk->sk_daddr = 0;
	sk->sk_dport = 0;
	if (addr->sin_family != AF_UNSPEC)
		cxtcp_sk(sk)->addr_family = addr->sin_family;
	err = 0;
out:
	release_sock(sk);
	return err;
}

/*
 * tcp_disconnect(): back to a fresh CLOSED socket (RST if synchronized):
 * a new core socket, the automatic address and port released. Socket locked.
 */
static int cxtcp_disconnect(struct sock *sk)
{
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	struct cx_tcp_sock *old = ts->tcp, *fresh;

	fresh = cx_tcp_sock_create(cxtcp_net_of(sk)->core, sk, false);
	if (!fresh)
		return -ENOMEM;
	cxtcp_unhash(sk);
	if (old) {
		if (cx_tcp_sock_state(old) == TCP_LISTEN) {
			if (!cx_tcp_close(old, false))
				WARN_ON_ONCE(1);
		} else if (cx_tcp_sock_state(old) != TCP_CLOSE) {
			cx_tcp_abort(old, 0);
		}
		cx_tcp_sock_destroy(old);
	}
	ts->tcp = fresh;
	ts->sndbuf_set = 0;
	ts->rcvbuf_set = 0;
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK)) {
		cxtcp_put_port(sk);
		sk->sk_num = 0;
		ts->sport = 0;
	}
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		sk->sk_rcv_saddr = 0;
	sk->sk_daddr = 0;
	sk->sk_dport = 0;
	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);
	cxtcp_set_state(sk, TCP_CLOSE);
	sk->sk_disconnects++;
	return 0;
}

/* tcp_v4_connect(): route, source, port, 4-tuple, SYN. Socket locked. */
static int cxtcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	struct cx_stack *stack = cxnet_pernet(sock_net(sk))->stack;
	struct cx_route_out out;
	struct cx_flow fl;
	bool autobound = false;
	int err;

	if (addr_len < sizeof(struct sockaddr_in))
		return -EINVAL;
	if (!cxtcp_family_ok(usin->sin_family))
		return -EAFNOSUPPORT;
	if (!stack || !ts->tcp)
		return -ENETUNREACH;
	memset(&fl, 0, sizeof(fl));
	fl.daddr = ntohl(usin->sin_addr.s_addr);
	fl.saddr = ntohl(sk->sk_rcv_saddr);
	fl.oif = sk->sk_bound_dev_if;
	fl.mark = sk->sk_mark;
	fl.proto = IPPROTO_TCP;
	fl.tos = ts->tos;
	fl.sport = sk->sk_num;
	fl.dport = ntohs(usin->sin_port);
	err = cx_stack_route_output(stack, &fl, &out);
	if (err)
		return err;
	if (out.broadcast || ipv4_is_multicast(usin->sin_addr.s_addr))
		return -ENETUNREACH;
	if (!sk->sk_rcv_saddr)
		sk->sk_rcv_saddr = htonl(out.saddr);
	if (!sk->sk_num) {
		if (cxtcp_get_port(sk, 0)) {
			err = -EADDRNOTAVAIL;
			goto fail;
		}
		autobound = true;
	}
	sk->sk_daddr = usin->sin_addr.s_addr;
	sk->sk_dport = usin->sin_port;
	err = cxtcp_hash_est(sk);
	if (err)
		goto fail;
	cxtcp_sync_bufs(sk);
	err = cx_tcp_connect(ts->tcp, out.saddr, sk->sk_num, out.daddr, ntohs(usin->sin_port),
			     out.mtu);
	if (err) {
		cxtcp_unhash(sk);
		goto fail;
	}
	ts->addr_family = usin->sin_family;
	sk_set_txhash(sk);
	return 0;

fail:
	sk->sk_daddr = 0;
	sk->sk_dport = 0;
	if (autobound) {
		cxtcp_put_port(sk);
		sk->sk_num = 0;
		ts->sport = 0;
	}
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		sk->sk_rcv_saddr = 0;
	return err;
}

/* inet_wait_for_connect(): the remaining timeout. */
static long cxtcp_wait_for_connect(struct sock *sk, long timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);

	add_wait_queue(sk_sleep(sk), &wait);
	while ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		release_sock(sk);
		timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
		lock_sock(sk);
		if (signal_pending(current) || !timeo)
			break;
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return timeo;
}

/* __inet_stream_connect(). */
static int cxtcp_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len, int flags)
{
	struct sock *sk = sock->sk;
	long timeo;
	int err;

	if (addr_len < sizeof(uaddr->sa_family))
		return -EINVAL;
	lock_sock(sk);
	if (uaddr->sa_family == AF_UNSPEC) {
		err = cxtcp_disconnect(sk);
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		goto out;
	}
	switch (sock->state) {
	default:
		err = -EINVAL;
		goto out;
	case SS_CONNECTED:
		err = -EISCONN;
		goto out;
	case SS_CONNECTING:
		err = -EALREADY;
		break;
	case SS_UNCONNECTED:
		err = -EISCONN;
		if (sk->sk_state != TCP_CLOSE)
			goto out;
		err = cxtcp_v4_connect(sk, uaddr, addr_len);
		if (err < 0)
			goto out;
		sock->state = SS_CONNECTING;
		err = -EINPROGRESS;
		break;
	}

	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)) {
		/* error code is set above */
		if (!timeo || !cxtcp_wait_for_connect(sk, timeo))
			goto out;
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			goto out;
	}
	if (sk->sk_state == TCP_CLOSE)
		goto sock_error;
	sock->state = SS_CONNECTED;
	err = 0;
out:
	release_sock(sk);
	return err;

sock_error:
	err = sock_error(sk) ? : -ECONNABORTED;
	sock->state = SS_UNCONNECTED;
	if (cxtcp_disconnect(sk))
		sock->state = SS_DISCONNECTING;
	goto out;
}

/* inet_listen(): the syscall already limited backlog to net.core.somaxconn. */
static int cxtcp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	unsigned char old_state;
	int err;

	lock_sock(sk);
	err = -EINVAL;
	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM || !ts->tcp)
		goto out;
	old_state = sk->sk_state;
	if (!((1 << old_state) & (TCPF_CLOSE | TCPF_LISTEN)))
		goto out;
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	if (old_state == TCP_LISTEN) {
		err = cx_tcp_listen(ts->tcp, ntohl(sk->sk_rcv_saddr), sk->sk_num,
				    backlog < 0 ? 0 : backlog);
		goto out;
	}
	if (!sk->sk_num && cxtcp_get_port(sk, 0)) {
		err = -EADDRINUSE;
		goto out;
	}
	/* inet_csk_listen_start(): the port must still be ours alone as a listener */
	spin_lock_bh(&cxtcp_net_of(sk)->bind_lock);
	sk->sk_state = TCP_LISTEN;
	err = cxtcp_port_conflict(cxtcp_net_of(sk), sk, sk->sk_num, sk->sk_rcv_saddr) ?
		-EADDRINUSE : 0;
	sk->sk_state = TCP_CLOSE;
	spin_unlock_bh(&cxtcp_net_of(sk)->bind_lock);
	if (err)
		goto out;
	cxtcp_sync_bufs(sk);
	err = cx_tcp_listen(ts->tcp, ntohl(sk->sk_rcv_saddr), sk->sk_num,
			    backlog < 0 ? 0 : backlog);
	if (err)
		goto out;
	cxtcp_set_state(sk, TCP_LISTEN);
	cxtcp_hash_listen(sk);
out:
	release_sock(sk);
	return err;
}

/* Drop a child that has no kernel socket (allocation failed in softirq). Listener locked. */
static void cxtcp_drop_child(struct cx_tcp_sock *child)
{
	cx_tcp_abort(child, ECONNABORTED);
	cx_tcp_sock_destroy(child);
}

/* inet_accept() + inet_csk_accept(). */
static int cxtcp_accept(struct socket *sock, struct socket *newsock, int flags, bool kern)
{
	struct sock *sk = sock->sk, *newsk;
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	struct cx_tcp_sock *child;
	long timeo;
	int err;

	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != TCP_LISTEN || !ts->tcp)
		goto out;
	timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);
	for (;;) {
		child = cx_tcp_accept(ts->tcp);
		if (child) {
			newsk = cx_tcp_sock_ctx(child);
			if (newsk)
				break;
			cxtcp_drop_child(child);
			continue;
		}
		err = -EAGAIN;
		if (!timeo)
			goto out;
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			goto out;
		{
			DEFINE_WAIT_FUNC(wait, woken_wake_function);

			add_wait_queue(sk_sleep(sk), &wait);
			sk_wait_event(sk, &timeo,
				      sk->sk_state != TCP_LISTEN ||
				      (cx_tcp_poll(ts->tcp) & CX_TCP_WAKE_READ), &wait);
			remove_wait_queue(sk_sleep(sk), &wait);
		}
		err = -EINVAL;
		if (sk->sk_state != TCP_LISTEN || !ts->tcp)
			goto out;
	}
	release_sock(sk);

	lock_sock(newsk);
	sock_graft(newsk, newsock);
	newsock->state = SS_CONNECTED;
	cxtcp_sk(newsk)->unaccepted = false;
	release_sock(newsk);
	atomic_inc(&cxnet_pernet(sock_net(newsk))->sockets);
	return 0;
out:
	release_sock(sk);
	return err;
}

/* inet_getname(). */
static int cxtcp_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	DECLARE_SOCKADDR(struct sockaddr_in *, sin, uaddr);
	struct sock *sk = sock->sk;
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	int ret;

	lock_sock(sk);
	ret = cxnet_fill_name(sk, sin, peer, ts->addr_family, ts->sport, sk->sk_rcv_saddr);
	release_sock(sk);
	return ret;
}

/* tcp_poll(). */
static __poll_t cxtcp_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	struct sock *sk = sock->sk;
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	struct cx_tcp_sock *tsk;
	__poll_t mask = 0;
	u32 ev = 0;
	int state;
	u8 shutdown;

	sock_poll_wait(file, sock, wait);
	state = inet_sk_state_load(sk);
	tsk = READ_ONCE(ts->tcp);
	if (tsk)
		ev = cx_tcp_poll(tsk);
	if (state == TCP_LISTEN)
		return (ev & CX_TCP_WAKE_READ) ? EPOLLIN | EPOLLRDNORM : 0;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		if (ev & CX_TCP_WAKE_READ)
			mask |= EPOLLIN | EPOLLRDNORM;
		if (tsk && cx_tcp_sock_rcv_fin(tsk))
			mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
		if (!(shutdown & SEND_SHUTDOWN)) {
			if (state == TCP_CLOSE || (ev & CX_TCP_WAKE_WRITE)) {
				mask |= EPOLLOUT | EPOLLWRNORM;
			} else {
				sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
				set_bit(SOCK_NOSPACE, &sock->flags);
				/* race with a wake in between: check again */
				smp_mb__after_atomic();
				if (tsk && (cx_tcp_poll(tsk) & CX_TCP_WAKE_WRITE))
					mask |= EPOLLOUT | EPOLLWRNORM;
			}
		} else {
			mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	if (READ_ONCE(sk->sk_err) || (ev & CX_TCP_WAKE_ERROR))
		mask |= EPOLLERR;
	return mask;
}

/* tcp_ioctl(): SIOCINQ unread bytes, SIOCOUTQ unacknowledged bytes; EINVAL when listening. */
static int cxtcp_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	struct sock *sk = sock->sk;
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	int answ;

	switch (cmd) {
	case SIOCINQ:
	case SIOCOUTQ:
		break;
	default:
		return -ENOIOCTLCMD;
	}
	lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN) {
		release_sock(sk);
		return -EINVAL;
	}
	if (!ts->tcp)
		answ = 0;
	else if (cmd == SIOCINQ)
		answ = min_t(size_t, cx_tcp_rcv_queued(ts->tcp), INT_MAX);
	else
		answ = min_t(size_t, cx_tcp_snd_queued(ts->tcp), INT_MAX);
	release_sock(sk);
	return put_user(answ, (int __user *)arg);
}

static bool cxtcp_copy_from(void *arg, void *dst, size_t count)
{
	struct msghdr *msg = arg;

	return copy_from_iter_full(dst, count, &msg->msg_iter);
}

static bool cxtcp_copy_to(void *arg, const void *src, size_t count)
{
	struct msghdr *msg = arg;

	return copy_to_iter(src, count, &msg->msg_iter) == count;
}

/* sk_stream_error(): EPIPE raises SIGPIPE unless MSG_NOSIGNAL. */
static int cxtcp_stream_error(struct sock *sk, int flags, int err)
{
	if (err == -EPIPE)
		err = sock_error(sk) ? : -EPIPE;
	if (err == -EPIPE && !(flags & MSG_NOSIGNAL))
		send_sig(SIGPIPE, current, 0);
	return err;
}

/* tcp_sendmsg_locked() without zerocopy, OOB and fastopen. */
static int cxtcp_sendmsg(struct socket *sock, struct msghdr *msg, size_t size)
{
	struct sock *sk = sock->sk;
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int flags = msg->msg_flags;
	size_t copied = 0;
	long timeo, n;
	int err;

	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	lock_sock(sk);
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);

	/* sk_stream_wait_connect() */
	while ((1 << sk->sk_state) & ~(TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)) {
		err = -EPIPE;
		if (sk->sk_err) {
			err = sock_error(sk);
			goto out_err;
		}
		if (!((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)))
			goto out_err;
		err = -EAGAIN;
		if (!timeo)
			goto out_err;
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			goto out_err;
		add_wait_queue(sk_sleep(sk), &wait);
		sk_wait_event(sk, &timeo, sk->sk_err ||
			      !((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV)), &wait);
		remove_wait_queue(sk_sleep(sk), &wait);
	}
	cxtcp_sync_bufs(sk);

	while (msg_data_left(msg)) {
		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN) || !ts->tcp)
			goto do_error;
		n = cx_tcp_send(ts->tcp, cxtcp_copy_from, msg, msg_data_left(msg),
				flags & MSG_MORE ? CX_TCP_MSG_MORE : 0);
		if (n > 0) {
			copied += n;
			continue;
		}
		if (n != -EAGAIN) {
			err = n;
			goto do_error;
		}
		/* sk_stream_wait_memory() */
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		err = -EAGAIN;
		if (!timeo)
			goto do_error;
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			goto do_error;
		add_wait_queue(sk_sleep(sk), &wait);
		sk_wait_event(sk, &timeo, sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN) ||
			      !ts->tcp || cx_tcp_send_space(ts->tcp) > 0, &wait);
		remove_wait_queue(sk_sleep(sk), &wait);
	}
	release_sock(sk);
	return copied;

do_error:
	if (copied) {
		release_sock(sk);
		return copied;
	}
out_err:
	err = cxtcp_stream_error(sk, flags, err);
	release_sock(sk);
	return err;
}

/* tcp_recvmsg_locked() without OOB, zerocopy and timestamps. */
static int cxtcp_recvmsg(struct socket *sock, struct msghdr *msg, size_t len, int flags)
{
	struct sock *sk = sock->sk;
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	DEFINE_WAIT_FUNC(wait, woken_wake_function);
	int copied = 0, target, err;
	long timeo, n;

	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;		/* no error queue (IP_RECVERR) */
	if (flags & MSG_OOB)
		return -EINVAL;		/* no urgent data */
	lock_sock(sk);
	err = -ENOTCONN;
	if (sk->sk_state == TCP_LISTEN || !ts->tcp)
		goto out;
	cxtcp_sync_bufs(sk);
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	if (len > INT_MAX)
		len = INT_MAX;

	while ((size_t)copied < len) {
		n = cx_tcp_recv(ts->tcp, cxtcp_copy_to, msg, len - copied,
				flags & MSG_PEEK ? CX_TCP_MSG_PEEK : 0);
		if (n > 0) {
			copied += n;
			if ((flags & MSG_PEEK) || copied >= target)
				break;
			continue;
		}
		if (copied)
			break;
		if (n == 0) {
			/* end of stream; a reset reports its error first */
			if (sk->sk_err)
				copied = sock_error(sk);
			break;
		}
		if (n != -EAGAIN) {
			copied = sk->sk_err ? sock_error(sk) : n;
			break;
		}
		if (sk->sk_err) {
			copied = sock_error(sk);
			break;
		}
		if (sk->sk_shutdown & RCV_SHUTDOWN)
			break;
		if (sk->sk_state == TCP_CLOSE) {
			/* never connected: ENOTCONN; after a connection: end of stream */
			if (!sock_flag(sk, SOCK_DONE))
				copied = -ENOTCONN;
			break;
		}
		if (!timeo) {
			copied = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			copied = sock_intr_errno(timeo);
			break;
		}
		add_wait_queue(sk_sleep(sk), &wait);
		sk_wait_event(sk, &timeo, !ts->tcp || cx_tcp_rcv_queued(ts->tcp) > 0 ||
			      cx_tcp_sock_rcv_fin(ts->tcp) || sk->sk_err ||
			      (sk->sk_shutdown & RCV_SHUTDOWN) || sk->sk_state == TCP_CLOSE,
			      &wait);
		remove_wait_queue(sk_sleep(sk), &wait);
		if (!ts->tcp)
			break;
	}
	/* data read with MSG_WAITALL cut short by a signal or timeout: what we have */
	err = copied;
out:
	release_sock(sk);
	return err;
}

/* inet_shutdown() + tcp_shutdown(). */
static int cxtcp_shutdown(struct socket *sock, int how)
{
	struct sock *sk = sock->sk;
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	int err = 0;

	how++;	/* 0->1 (RCV), 1->2 (SEND), 2->3 (both) */
	if ((how & ~SHUTDOWN_MASK) || !how)
		return -EINVAL;
	lock_sock(sk);
	if (sock->state == SS_CONNECTING) {
		if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV | TCPF_CLOSE))
			sock->state = SS_DISCONNECTING;
		else
			sock->state = SS_CONNECTED;
	}
	switch (sk->sk_state) {
	case TCP_CLOSE:
		err = -ENOTCONN;
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		break;
	case TCP_LISTEN:
		if (!(how & RCV_SHUTDOWN))
			break;
		fallthrough;
	case TCP_SYN_SENT:
		err = cxtcp_disconnect(sk);
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		break;
	default:
		WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | how);
		if (ts->tcp)
			cx_tcp_shutdown(ts->tcp, how - 1);
		break;
	}
	sk->sk_state_change(sk);
	release_sock(sk);
	return err;
}

/* tcp_close(): the core sends FIN (or RST) and may keep an orphan until dead(). */
static int cxtcp_release(struct socket *sock)
{
	struct sock *sk = sock->sk;
	struct cxtcp_sock *ts;
	struct cx_tcp_sock *tsk;
	bool done = true, linger0;
	long timeo;

	if (!sk)
		return 0;
	ts = cxtcp_sk(sk);
	atomic_dec(&cxnet_pernet(sock_net(sk))->sockets);
	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	linger0 = sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime;
	tsk = ts->tcp;
	if (tsk && !ts->dead)
		done = cx_tcp_close(tsk, linger0);
	if (!done && sock_flag(sk, SOCK_LINGER) && sk->sk_lingertime &&
	    !(current->flags & PF_EXITING)) {
		/* sk_stream_wait_close(): until the FIN is acknowledged or the time is up */
		DEFINE_WAIT_FUNC(wait, woken_wake_function);

		timeo = sk->sk_lingertime;
		add_wait_queue(sk_sleep(sk), &wait);
		while (!signal_pending(current) && timeo &&
		       ((1 << sk->sk_state) & (TCPF_FIN_WAIT1 | TCPF_CLOSING | TCPF_LAST_ACK)))
			sk_wait_event(sk, &timeo, !((1 << sk->sk_state) &
				      (TCPF_FIN_WAIT1 | TCPF_CLOSING | TCPF_LAST_ACK)), &wait);
		remove_wait_queue(sk_sleep(sk), &wait);
	}
	sock_orphan(sk);
	if (done) {
		cxtcp_unhash(sk);
		cxtcp_put_port(sk);
		ts->tcp = NULL;
		ts->dead = true;
		if (tsk)
			cx_tcp_sock_destroy(tsk);
	}
	release_sock(sk);
	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

static void cxtcp_keepalive(struct sock *sk, int valbool)
{
	struct cxtcp_sock *ts = cxtcp_sk(sk);

	if (ts->tcp)
		cx_tcp_set_keepalive(ts->tcp, valbool);
}

/* do_tcp_setsockopt() for the options the core has. */
static int cxtcp_setsockopt(struct socket *sock, int level, int optname, sockptr_t optval,
			    unsigned int optlen)
{
	struct sock *sk = sock->sk;
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	int val, err = 0;

	if (level == SOL_IP) {
		if (optname != IP_TOS)
			return -ENOPROTOOPT;
		if (optlen < sizeof(int))
			return -EINVAL;
		if (copy_from_sockptr(&val, optval, sizeof(val)))
			return -EFAULT;
		lock_sock(sk);
		ts->tos = val & ~INET_ECN_MASK;
		sk->sk_priority = rt_tos2priority(val);
		release_sock(sk);
		return 0;
	}
	if (level != SOL_TCP)
		return -ENOPROTOOPT;
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;

	lock_sock(sk);
	if (!ts->tcp) {
		release_sock(sk);
		return -ENOTCONN;
	}
	switch (optname) {
	case TCP_NODELAY:
		cx_tcp_set_nodelay(ts->tcp, val);
		break;
	case TCP_CORK:
		cx_tcp_set_cork(ts->tcp, val);
		break;
	case TCP_MAXSEG:
		if (val && (val < TCP_MIN_MSS || val > MAX_TCP_WINDOW))
			err = -EINVAL;
		else
			err = cx_tcp_set_maxseg(ts->tcp, val);
		break;
	case TCP_KEEPIDLE:
		if (val < 1 || val > MAX_TCP_KEEPIDLE)
			err = -EINVAL;
		else
			err = cx_tcp_set_keepidle(ts->tcp, val);
		break;
	case TCP_KEEPINTVL:
		if (val < 1 || val > MAX_TCP_KEEPINTVL)
			err = -EINVAL;
		else
			err = cx_tcp_set_keepintvl(ts->tcp, val);
		break;
	case TCP_KEEPCNT:
		if (val < 1 || val > MAX_TCP_KEEPCNT)
			err = -EINVAL;
		else
			err = cx_tcp_set_keepcnt(ts->tcp, val);
		break;
	case TCP_USER_TIMEOUT:
		if (val < 0)
			err = -EINVAL;
		else
			err = cx_tcp_set_user_timeout(ts->tcp, val);
		break;
	default:
		err = -ENOPROTOOPT;
		break;
	}
	release_sock(sk);
	return err;
}

/* do_tcp_getsockopt() for the same options. */
static int cxtcp_getsockopt(struct socket *sock, int level, int optname, char __user *optval,
			    int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct cxtcp_sock *ts = cxtcp_sk(sk);
	struct cx_tcp_opts o;
	int val, len;

	if (level == SOL_IP) {
		if (optname != IP_TOS)
			return -ENOPROTOOPT;
		val = ts->tos;
		goto put;
	}
	if (level != SOL_TCP)
		return -EOPNOTSUPP;
	lock_sock(sk);
	if (!ts->tcp) {
		release_sock(sk);
		return -ENOTCONN;
	}
	cx_tcp_get_opts(ts->tcp, &o);
	release_sock(sk);
	switch (optname) {
	case TCP_NODELAY:
		val = o.nodelay;
		break;
	case TCP_CORK:
		val = o.cork;
		break;
	case TCP_MAXSEG:
		val = o.mss;
		break;
	case TCP_KEEPIDLE:
		val = o.keepidle_s;
		break;
	case TCP_KEEPINTVL:
		val = o.keepintvl_s;
		break;
	case TCP_KEEPCNT:
		val = o.keepcnt;
		break;
	case TCP_USER_TIMEOUT:
		val = o.user_timeout_ms;
		break;
	default:
		return -ENOPROTOOPT;
	}
put:
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = min_t(unsigned int, len, sizeof(int));
	if (put_user(len, optlen))
		return -EFAULT;
	if (copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

/* sk_destruct, after the RCU grace period: nothing can reach the socket any more. */
static void cxtcp_destruct(struct sock *sk)
{
	struct cxtcp_sock *ts = cxtcp_sk(sk);

	WARN_ON_ONCE(ts->tcp);
	WARN_ON_ONCE(ts->bound || ts->hashed != CXTCP_UNHASHED);
	skb_queue_purge(&sk->sk_receive_queue);
	skb_queue_purge(&sk->sk_error_queue);
}

static struct proto cxtcp_prot = {
	.name = "CXNET-TCP",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct cxtcp_sock),
	.backlog_rcv = cxtcp_backlog_rcv,
	.release_cb = cxtcp_release_cb,
	.keepalive = cxtcp_keepalive,
};

/* .family is set at init: the number is a module parameter. */
static struct proto_ops cxtcp_ops __ro_after_init = {
	.owner = THIS_MODULE,
	.release = cxtcp_release,
	.bind = cxtcp_bind,
	.connect = cxtcp_connect,
	.socketpair = sock_no_socketpair,
	.accept = cxtcp_accept,
	.getname = cxtcp_getname,
	.poll = cxtcp_poll,
	.ioctl = cxtcp_ioctl,
	.gettstamp = sock_gettstamp,
	.listen = cxtcp_listen,
	.shutdown = cxtcp_shutdown,
	.setsockopt = cxtcp_setsockopt,
	.getsockopt = cxtcp_getsockopt,
	.sendmsg = cxtcp_sendmsg,
	.recvmsg = cxtcp_recvmsg,
	.mmap = sock_no_mmap,
	.sendpage = sock_no_sendpage,
};

/* inet_create() for SOCK_STREAM/IPPROTO_TCP (af.c checked type and protocol). */
int cxnet_tcp_create(struct net *net, struct socket *sock, int kern)
{
	struct cxtcp_net *tn = cxtcp_pernet(net);
	struct cxtcp_sock *ts;
	struct sock *sk;

	if (!tn->core)
		return -ENOBUFS;
	sk = sk_alloc(net, cxnet_family, GFP_KERNEL, &cxtcp_prot, kern);
	if (!sk)
		return -ENOBUFS;
	sock->ops = &cxtcp_ops;
	sock_init_data(sock, sk);
	cxtcp_sock_setup(sk);
	ts = cxtcp_sk(sk);
	ts->tcp = cx_tcp_sock_create(tn->core, sk, false);
	if (!ts->tcp) {
		ts->dead = true;
		sock_orphan(sk);
		sock->sk = NULL;
		sk_free(sk);
		return -ENOBUFS;
	}
	return 0;
}

/* ---- netns and module ----------------------------------------------------------------- */

static int __net_init cxtcp_net_init(struct net *net)
{
	struct cxtcp_net *tn = cxtcp_pernet(net);
	struct cx_tcp_config cfg = {
		.headroom = CXTCP_HEADROOM,
	};

	tn->net = net;
	spin_lock_init(&tn->bind_lock);
	spin_lock_init(&tn->listen_lock);
	spin_lock_init(&tn->est_lock);
	tn->hash_seed = get_random_u32();
	tn->bind = kvcalloc(CXTCP_PORT_HASH_SIZE, sizeof(*tn->bind), GFP_KERNEL);
	tn->listen = kvcalloc(CXTCP_PORT_HASH_SIZE, sizeof(*tn->listen), GFP_KERNEL);
	tn->est = kvcalloc(CXTCP_EST_HASH_SIZE, sizeof(*tn->est), GFP_KERNEL);
	tn->core = cx_tcp_net_create(&cxtcp_core_ops, tn);
	if (!tn->bind || !tn->listen || !tn->est || !tn->core)
		goto fail;
	cx_tcp_net_configure(tn->core, &cfg);
	return 0;

fail:
	cx_tcp_net_destroy(tn->core);
	tn->core = NULL;
	kvfree(tn->est);
	kvfree(tn->listen);
	kvfree(tn->bind);
	return -ENOMEM;
}

static void __net_exit cxtcp_net_exit(struct net *net)
{
	struct cxtcp_net *tn = cxtcp_pernet(net);
	unsigned int i;

	/* every socket holds its netns: none can be left in the tables */
	for (i = 0; i < CXTCP_PORT_HASH_SIZE; i++)
		WARN_ON_ONCE(!hlist_empty(&tn->bind[i]) || !hlist_empty(&tn->listen[i]));
	for (i = 0; i < CXTCP_EST_HASH_SIZE; i++)
		WARN_ON_ONCE(!hlist_empty(&tn->est[i]));
	cx_tcp_net_destroy(tn->core);
	tn->core = NULL;
	kvfree(tn->est);
	kvfree(tn->listen);
	kvfree(tn->bind);
}

static struct pernet_operations cxtcp_net_ops = {
	.init = cxtcp_net_init,
	.exit = cxtcp_net_exit,
	.id = &cxtcp_net_id,
	.size = sizeof(struct cxtcp_net),
};

int cxnet_tcp_init(void)
{
	int err;

	BUILD_BUG_ON(sizeof(struct cxtcp_cb) > sizeof_field(struct sk_buff, cb));
	cxtcp_ops.family = cxnet_family;
	err = register_pernet_subsys(&cxtcp_net_ops);
	if (err)
		return err;
	err = proto_register(&cxtcp_prot, 1);
	if (err)
		unregister_pernet_subsys(&cxtcp_net_ops);
	return err;
}

void cxnet_tcp_exit(void)
{
	proto_unregister(&cxtcp_prot);
	unregister_pernet_subsys(&cxtcp_net_ops);
}
