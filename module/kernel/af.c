// SPDX-License-Identifier: GPL-2.0
/*
 * AF_CXNET socket family.
 *
 * socket(AF_CXNET, type, protocol) follows inet_create()'s checks and
 * errno values: protocol outside [0, IPPROTO_MAX) is EINVAL, a type with no
 * transport is ESOCKTNOSUPPORT, a protocol the type does not carry is
 * EPROTONOSUPPORT, SOCK_RAW without CAP_NET_RAW over the netns is EPERM.
 * SOCK_DGRAM sockets are udp.c's (cxnet_udp_create), or ping.c's for
 * IPPROTO_ICMP (cxnet_ping_create: EACCES unless the caller's group is in
 * net.ipv4.ping_group_range). SOCK_STREAM sockets are tcp.c's
 * (cxnet_tcp_create).
 */
#define pr_fmt(fmt) "cxnet: " fmt

#include <linux/module.h>
#include <linux/net.h>
#include <linux/in.h>
#include <linux/capability.h>
#include <net/sock.h>
#include <linux/cxnet.h>

#include "cxnet.h"

static int cxnet_create(struct net *net, struct socket *sock, int protocol, int kern)
{
	int err;

	if (protocol < 0 || protocol >= IPPROTO_MAX)
		return -EINVAL;

	switch (sock->type) {
	case SOCK_STREAM:
		if (protocol != IPPROTO_IP && protocol != IPPROTO_TCP)
			return -EPROTONOSUPPORT;
		/* tcp.c: its own struct sock and proto_ops; its release uncounts */
		sock->state = SS_UNCONNECTED;
		err = cxnet_tcp_create(net, sock, kern);
		if (!err)
			atomic_inc(&cxnet_pernet(net)->sockets);
		return err;
	case SOCK_DGRAM:
		if (protocol != IPPROTO_IP && protocol != IPPROTO_UDP && protocol != IPPROTO_ICMP)
			return -EPROTONOSUPPORT;
		/* udp.c / ping.c: their own struct sock and proto_ops; their release uncounts */
		sock->state = SS_UNCONNECTED;
		if (protocol == IPPROTO_ICMP)
			err = cxnet_ping_create(net, sock, kern);
		else
			err = cxnet_udp_create(net, sock, kern);
		if (!err)
			atomic_inc(&cxnet_pernet(net)->sockets);
		return err;
	case SOCK_RAW:
		/* inet_create() checks the capability before creating a raw socket. */
		if (!kern && !ns_capable(net->user_ns, CAP_NET_RAW))
			return -EPERM;
		return -ESOCKTNOSUPPORT;
	default:
		return -ESOCKTNOSUPPORT;
	}
}

static struct net_proto_family cxnet_family_ops __ro_after_init = {
	.create = cxnet_create,
	.owner = THIS_MODULE,
};

int cxnet_af_init(void)
{
	int err;

	if (cxnet_family <= AF_UNSPEC || cxnet_family >= NPROTO) {
		pr_err("family=%d is not a valid address family (1..%d)\n", cxnet_family, NPROTO - 1);
		return -EINVAL;
	}
	cxnet_family_ops.family = cxnet_family;

	err = sock_register(&cxnet_family_ops);
	if (err == -EEXIST)
		pr_err("address family %d is already registered by another module; load with family=N (a free number below %d)\n",
		       cxnet_family, NPROTO);
	return err;
}

void cxnet_af_exit(void)
{
	sock_unregister(cxnet_family);
}
