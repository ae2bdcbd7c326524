/* SPDX-License-Identifier: GPL-2.0 */
/* cxnet kernel skin: what the C files share. Never included by the C++ core. */
#ifndef CXNET_KERNEL_CXNET_H
#define CXNET_KERNEL_CXNET_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "../core/tunables.h"

/* All cxnet state of one network namespace (net_generic slot). */
struct cxnet_net {
	struct net *net;
	atomic_t sockets;		/* open AF_CXNET sockets */
	atomic_t sysctl_writes;		/* successful tunable writes */
	struct mutex tunables_lock;	/* serialises writers of tunables */
	struct cx_tunables *tunables;	/* values of every tunable (core/tunables.h) */
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

#endif /* CXNET_KERNEL_CXNET_H */
