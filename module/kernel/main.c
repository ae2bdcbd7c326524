// SPDX-License-Identifier: GPL-2.0
/*
 * cxnet: a second TCP/IP stack for Linux. Module entry points.
 *
 * Registration order: per-netns state first (sockets and netlink requests
 * find it), then the netlink family, then the socket family; teardown in
 * reverse. While any AF_CXNET socket is open the module cannot be removed
 * (proto_ops.owner / proto.owner pin it), so exit never races a socket.
 */
#define pr_fmt(fmt) "cxnet: " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/genetlink.h>
#include <linux/cxnet.h>

#include "cxnet.h"

int cxnet_family = AF_CXNET;
module_param_named(family, cxnet_family, int, 0444);
MODULE_PARM_DESC(family, "address family number to register (default " __stringify(AF_CXNET) ", AF_ECONET)");

static int __init cxnet_init(void)
{
	int err;

	/* the notifier first: it ignores devices cxnet has not attached */
	err = cxnet_link_init();
	if (err)
		return err;
	err = cxnet_udp_init();
	if (err)
		goto err_link;
	err = cxnet_tcp_init();
	if (err)
		goto err_udp;
	/* per-netns stacks: from here packets may reach UDP and TCP */
	err = cxnet_pernet_init();
	if (err)
		goto err_tcp;
	err = cxnet_genl_init();
	if (err)
		goto err_pernet;
	err = cxnet_af_init();
	if (err)
		goto err_genl;
	pr_info("loaded: version %s, family %d\n", CXNET_VERSION_STRING, cxnet_family);
	return 0;

err_genl:
	cxnet_genl_exit();
err_pernet:
	cxnet_pernet_exit();
err_tcp:
	cxnet_tcp_exit();
err_udp:
	cxnet_udp_exit();
err_link:
	cxnet_link_exit();
	return err;
}

static void __exit cxnet_exit(void)
{
	/* no new sockets (open ones pin the module), then no new configuration */
	cxnet_af_exit();
	cxnet_genl_exit();
	/* every link of every netns detached, stacks freed after their RCU callbacks */
	cxnet_pernet_exit();
	cxnet_tcp_exit();
	cxnet_udp_exit();
	cxnet_link_exit();
	pr_info("unloaded\n");
}

module_init(cxnet_init);
module_exit(cxnet_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("cxnet developers");
MODULE_DESCRIPTION("cxnet: a second TCP/IP stack (AF_CXNET)");
MODULE_VERSION(CXNET_VERSION_STRING);
MODULE_ALIAS_GENL_FAMILY(CXNET_GENL_NAME);
