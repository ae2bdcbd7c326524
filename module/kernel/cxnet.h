/* SPDX-License-Identifier: GPL-2.0 */
/* cxnet kernel skin: what the C files share. Never included by the C++ core. */
#ifndef CXNET_KERNEL_CXNET_H
#define CXNET_KERNEL_CXNET_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>
#include <net/tcp_states.h>
#include <linux/in.h>

#include "../core/tunables.h"
#include "../core/stack/stack.h"

struct net_device;
struct netlink_ext_ack;
struct sk_buff;
struct socket;

/* All cxnet state of one network namespace (net_generic slot). */
struct cxnet_net {
	struct net *net;
	atomic_t sockets;		/* open AF_CXNET sockets */
	atomic_t sysctl_writes;		/* successful tunable writes */
	struct mutex tunables_lock;	/* serialises writers of tunables */
	struct cx_tunables *tunables;	/* values of every tunable (core/tunables.h) */
	/*
	 * The IPv4 stack of this netns (core/stack/stack.h). Its
	 * configuration (links, addresses, routes, rules, neighbours) is
	 * serialised by RTNL, as rtnetlink's is: netdevice events arrive
	 * under it, and genl handlers take it (rtnl_lock) around every
	 * cx_stack_* configuration call and dump.
	 */
	struct cx_stack *stack;
	struct list_head links;		/* struct cxnet_link, under RTNL */
};

extern unsigned int cxnet_net_id;

static inline struct cxnet_net *cxnet_pernet(const struct net *net)
{
	return net_generic(net, cxnet_net_id);
}

/* The address family actually registered (module parameter `family`). */
extern int cxnet_family;

int cxnet_pernet_init(void);
void cxnet_pernet_exit(void);
int cxnet_af_init(void);
void cxnet_af_exit(void);
int cxnet_genl_init(void);
void cxnet_genl_exit(void);

/* link.c: devices cxnet owns (rx_handler). Callers hold RTNL. */
int cxnet_link_init(void);
void cxnet_link_exit(void);
/* -EBUSY (with extack) if the device already has an rx_handler (bridge, bond, ...). */
int cxnet_link_attach(struct cxnet_net *cn, struct net_device *dev,
		      struct netlink_ext_ack *extack);
/* -ENODEV (with extack) if not attached. */
int cxnet_link_detach(struct cxnet_net *cn, struct net_device *dev,
		      struct netlink_ext_ack *extack);
/* Every link of the netns detached (netns exit). */
void cxnet_link_detach_all(struct cxnet_net *cn);
/* Host op xmit (core/stack/stack.h). */
int cxnet_link_xmit(void *link_ctx, struct cx_pkt *frame);

/* udp.c: SOCK_DGRAM over AF_CXNET. */
int cxnet_udp_init(void);
void cxnet_udp_exit(void);
/* Host ops udp_rcv / udp_err (core/stack/stack.h); host_ctx is the cxnet_net. */
bool cxnet_udp_rcv(void *host_ctx, struct cx_pkt *pkt, const struct cx_udp_rx_info *info);
void cxnet_udp_err(void *host_ctx, const struct cx_icmp_err_info *info);
/* The proto_ops of SOCK_DGRAM sockets and their setup at socket() (af.c calls it). */
int cxnet_udp_create(struct net *net, struct socket *sock, int kern);

/* tcp.c: SOCK_STREAM over AF_CXNET. */
int cxnet_tcp_init(void);
void cxnet_tcp_exit(void);
/* Host op tcp_rcv (core/stack/stack.h); host_ctx is the cxnet_net. */
bool cxnet_tcp_rcv(void *host_ctx, struct cx_pkt *pkt, const struct cx_udp_rx_info *info);
int cxnet_tcp_create(struct net *net, struct socket *sock, int kern);

/* ping.c: SOCK_DGRAM/IPPROTO_ICMP (ICMP echo "ping" sockets); -EACCES outside ping_group_range. */
int cxnet_ping_create(struct net *net, struct socket *sock, int kern);
/* Host op icmp_echo_reply (core/stack/stack.h); host_ctx is the cxnet_net. */
bool cxnet_ping_rcv(void *host_ctx, struct cx_pkt *pkt, const struct cx_udp_rx_info *info);

/* genl.c: netlink events for stack changes (host op notify). */
void cxnet_genl_notify(void *host_ctx, int event, const void *object);

/*
 * inet_getname() for AF_CXNET sockets, socket locked: the peer (ENOTCONN when
 * there is none, or while closed/connecting for peer == 1) or the local
 * sport/saddr the caller read; sin_family is the family the socket was used with.
 */
static inline int cxnet_fill_name(struct sock *sk, struct sockaddr_in *sin, int peer,
				  sa_family_t family, __be16 sport, __be32 saddr)
{
	sin->sin_family = family;
	if (peer) {
		if (!sk->sk_dport ||
		    (((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_SYN_SENT)) && peer == 1))
			return -ENOTCONN;
		sin->sin_port = sk->sk_dport;
		sin->sin_addr.s_addr = sk->sk_daddr;
	} else {
		sin->sin_port = sport;
		sin->sin_addr.s_addr = saddr;
	}
	memset(sin->sin_zero, 0, sizeof(sin->sin_zero));
	return sizeof(*sin);
}

#endif /* CXNET_KERNEL_CXNET_H */
