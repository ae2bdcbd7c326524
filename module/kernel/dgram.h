/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Datagram sockets of AF_CXNET: what UDP (udp.c) and ICMP ping sockets
 * (ping.c) share, as Linux's udp.c and ping.c share inet_sock,
 * inet_dgram_ops and ip4_datagram_connect(). The shared calls look at
 * sk->sk_protocol where the two differ, and reach the port (identifier)
 * table through sk->sk_prot->get_port / unhash.
 */
#ifndef CXNET_KERNEL_DGRAM_H
#define CXNET_KERNEL_DGRAM_H

#include <linux/net.h>
#include <linux/netdevice.h>
#include <net/sock.h>

#include "cxnet.h"

struct cxudp_sock {
	struct sock sk;		/* must be first: sk_alloc() allocates obj_size */
	/*
	 * Local address and port as inet_sock keeps them: sk_rcv_saddr (bound
	 * address, used by lookups), saddr (source for sending: 0 when bound
	 * to a broadcast/multicast address, routing picks one), sk_num (port,
	 * host order; a ping socket's echo identifier) and sport (the same,
	 * network order). Peer: sk_daddr and sk_dport. All in network byte order.
	 */
	__be32 saddr;
	__be16 sport;
	s16 uc_ttl;		/* IP_TTL: -1 is the default */
	u8 tos;			/* IP_TOS */
	u8 pmtudisc;		/* IP_MTU_DISCOVER: IP_PMTUDISC_* */
	u8 cmsg_flags;		/* CXUDP_CMSG_* */
	sa_family_t addr_family;	/* family written into addresses we return */
};

#define CXUDP_CMSG_PKTINFO	0x01	/* IP_PKTINFO */

static inline struct cxudp_sock *cxudp_sk(const struct sock *sk)
{
	return (struct cxudp_sock *)sk;
}

/* Where a queued datagram came from (skb->cb, below sock_skb_cb). */
struct cxudp_cb {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	bool mcast;		/* delivered as broadcast/multicast */
	int ifindex;		/* input link */
};

#define CXUDP_CB(skb) ((struct cxudp_cb *)(skb)->cb)

/* Room before the transport header: the stack's IPv4 + Ethernet, and any link layer's. */
#define CXUDP_HEADROOM (CX_STACK_HEADROOM + LL_MAX_HEADER)

static inline struct cx_stack *cxudp_stack(const struct sock *sk)
{
	return cxnet_pernet(sock_net(sk))->stack;
}

static inline bool cxudp_family_ok(sa_family_t family)
{
	return family == AF_INET || family == cxnet_family;
}

static inline void cxudp_note_family(struct sock *sk, sa_family_t family)
{
	if (cxudp_family_ok(family))
		WRITE_ONCE(cxudp_sk(sk)->addr_family, family);
}

/* Ancillary data of sendmsg (ipcm_cookie). */
struct cxudp_ipc {
	__be32 addr;		/* source: IP_PKTINFO ipi_spec_dst, else the socket's */
	int oif;
	int ttl;		/* 0: the socket's */
	int tos;		/* -1: the socket's */
	struct sockcm_cookie sockc;
};

/* udp.c: the calls both protocols make, as Linux's shared inet/datagram code. */
void cxudp_sock_init(struct sock *sk);
int cxudp_autobind(struct sock *sk);
void cxudp_flow_init(struct sock *sk, struct cx_flow *fl, __be32 daddr, __be16 dport);
void cxudp_ipc_init(struct sock *sk, struct cxudp_ipc *ipc);
int cxudp_cmsg_send(struct sock *sk, struct msghdr *msg, struct cxudp_ipc *ipc);
/* -errno an ICMP error sets on a connected socket (IP_RECVERR off), 0 for none. */
int cxudp_icmp_hard_error(const struct cx_icmp_err_info *info, u8 pmtudisc);
int cxudp_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len, int flags);
int cxudp_getname(struct socket *sock, struct sockaddr *uaddr, int peer);
int cxudp_shutdown(struct socket *sock, int how);
int cxudp_setsockopt(struct socket *sock, int level, int optname, sockptr_t optval,
		     unsigned int optlen);
int cxudp_getsockopt(struct socket *sock, int level, int optname, char __user *optval,
		     int __user *optlen);
int cxudp_release(struct socket *sock);

/* ping.c: its identifier table (per netns); udp.c's init/exit and ICMP errors call these. */
int cxnet_ping_init(void);
void cxnet_ping_exit(void);
void cxnet_ping_err(struct cxnet_net *cn, const struct cx_icmp_err_info *info);

#endif /* CXNET_KERNEL_DGRAM_H */
