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
 * net.ipv4.ping_group_range). Stream sockets can so far be created,
 * inspected with SOL_SOCKET options and closed.
 */
#define pr_fmt(fmt) "cxnet: " fmt

#include <linux/module.h>
#include <linux/net.h>
#include <linux/in.h>
#include <linux/capability.h>
#include <net/sock.h>
#include <linux/cxnet.h>

#include "cxnet.h"

struct cxnet_sock {
	struct sock sk;		/* must be first: sk_alloc() allocates obj_size */
};

static struct proto cxnet_proto = {
	.name = "CXNET",
	.owner = THIS_MODULE,
	.obj_size = sizeof(struct cxnet_sock),
};

static int cxnet_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;
	atomic_dec(&cxnet_pernet(sock_net(sk))->sockets);
	lock_sock(sk);
	sock_orphan(sk);
	sock->sk = NULL;
	release_sock(sk);
	sock_put(sk);
	return 0;
}

/* No transport-level options yet: Linux answers ENOPROTOOPT for unknown levels. */
static int cxnet_setsockopt(struct socket *sock, int level, int optname, sockptr_t optval,
			    unsigned int optlen)
{
	return -ENOPROTOOPT;
}

static int cxnet_getsockopt(struct socket *sock, int level, int optname, char __user *optval,
			    int __user *optlen)
{
	return -ENOPROTOOPT;
}

static int cxnet_ioctl(struct socket *sock, unsigned int cmd, unsigned long arg)
{
	return -ENOIOCTLCMD;
}

/* .family is set at init: the number is a module parameter. */
#define CXNET_COMMON_OPS					\
	.owner = THIS_MODULE,					\
	.release = cxnet_release,				\
	.bind = sock_no_bind,					\
	.connect = sock_no_connect,				\
	.socketpair = sock_no_socketpair,			\
	.accept = sock_no_accept,				\
	.getname = sock_no_getname,				\
	.ioctl = cxnet_ioctl,					\
	.listen = sock_no_listen,				\
	.shutdown = sock_no_shutdown,				\
	.setsockopt = cxnet_setsockopt,				\
	.getsockopt = cxnet_getsockopt,				\
	.sendmsg = sock_no_sendmsg,				\
	.recvmsg = sock_no_recvmsg,				\
	.mmap = sock_no_mmap,					\
	.sendpage = sock_no_sendpage

static struct proto_ops cxnet_stream_ops __ro_after_init = { CXNET_COMMON_OPS };

static int cxnet_create(struct net *net, struct socket *sock, int protocol, int kern)
{
	const struct proto_ops *ops;
	struct sock *sk;
	int err;

	if (protocol < 0 || protocol >= IPPROTO_MAX)
		return -EINVAL;

	switch (sock->type) {
	case SOCK_STREAM:
		if (protocol != IPPROTO_IP && protocol != IPPROTO_TCP)
			return -EPROTONOSUPPORT;
		protocol = IPPROTO_TCP;
		ops = &cxnet_stream_ops;
		break;
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

	sock->state = SS_UNCONNECTED;
	sk = sk_alloc(net, cxnet_family, GFP_KERNEL, &cxnet_proto, kern);
	if (!sk)
		return -ENOBUFS;
	sock->ops = ops;
	sock_init_data(sock, sk);
	sk->sk_protocol = protocol;
	atomic_inc(&cxnet_pernet(net)->sockets);
	return 0;
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
	cxnet_stream_ops.family = cxnet_family;
	cxnet_family_ops.family = cxnet_family;

	err = proto_register(&cxnet_proto, 1);
	if (err)
		return err;
	err = sock_register(&cxnet_family_ops);
	if (err) {
		if (err == -EEXIST)
			pr_err("address family %d is already registered by another module; load with family=N (a free number below %d)\n",
			       cxnet_family, NPROTO);
		proto_unregister(&cxnet_proto);
		return err;
	}
	return 0;
}

void cxnet_af_exit(void)
{
	sock_unregister(cxnet_family);
	proto_unregister(&cxnet_proto);
}
