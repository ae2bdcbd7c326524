// SPDX-License-Identifier: GPL-2.0
/* cxnet per-network-namespace state: created with the netns, freed at its exit. */
#define pr_fmt(fmt) "cxnet: " fmt

#include <linux/slab.h>
#include <linux/rtnetlink.h>

#include "cxnet.h"

unsigned int cxnet_net_id __read_mostly;

static const struct cx_stack_host_ops cxnet_stack_ops = {
	.xmit = cxnet_link_xmit,
	.udp_rcv = cxnet_udp_rcv,
	.udp_err = cxnet_udp_err,
	.notify = cxnet_genl_notify,
	.icmp_echo_reply = cxnet_ping_rcv,
	.tcp_rcv = cxnet_tcp_rcv,
};

static int __net_init cxnet_net_init(struct net *net)
{
	struct cxnet_net *cn = cxnet_pernet(net);

	cn->net = net;
	atomic_set(&cn->sockets, 0);
	atomic_set(&cn->sysctl_writes, 0);
	mutex_init(&cn->tunables_lock);
	cn->tunables = kzalloc(cx_tunables_size(), GFP_KERNEL);
	if (!cn->tunables)
		return -ENOMEM;
	cx_tunables_init(cn->tunables);
	INIT_LIST_HEAD(&cn->links);
	cn->stack = cx_stack_create(&cxnet_stack_ops, cn, cn->tunables);
	if (!cn->stack) {
		kfree(cn->tunables);
		cn->tunables = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void __net_exit cxnet_net_exit(struct net *net)
{
	struct cxnet_net *cn = cxnet_pernet(net);

	/* A user socket holds a reference on its netns: none can be left. */
	WARN_ON_ONCE(atomic_read(&cn->sockets));
	/* devices left the netns before us (default_device_exit); rmmod comes here too */
	rtnl_lock();
	cxnet_link_detach_all(cn);
	rtnl_unlock();
	cx_stack_destroy(cn->stack);
	cn->stack = NULL;
	kfree(cn->tunables);
	cn->tunables = NULL;
}

static struct pernet_operations cxnet_net_ops = {
	.init = cxnet_net_init,
	.exit = cxnet_net_exit,
	.id = &cxnet_net_id,
	.size = sizeof(struct cxnet_net),
};

int cxnet_pernet_init(void)
{
	return register_pernet_subsys(&cxnet_net_ops);
}

void cxnet_pernet_exit(void)
{
	unregister_pernet_subsys(&cxnet_net_ops);
}
