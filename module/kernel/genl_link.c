// SPDX-License-Identifier: GPL-2.0
/*
 * "cxnet" generic netlink: links (`cxip link`). ATTACH/DETACH hand a
 * netdevice to cxnet or take it back (link.c); GET answers one link (doit)
 * or every attached link (dumpit) as LINK_NEW, with its counters.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "genl_priv.h"

/* The device named by CXNET_A_IFINDEX (preferred, as rtnetlink) or CXNET_A_IFNAME. RTNL held. */
static struct net_device *cxnet_link_dev(struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr *attr = info->attrs[CXNET_A_IFINDEX];
	struct net_device *dev;

	ASSERT_RTNL();
	if (attr) {
		dev = __dev_get_by_index(net, nla_get_u32(attr));
	} else {
		attr = info->attrs[CXNET_A_IFNAME];
		if (!attr) {
			NL_SET_ERR_ATTR_MISS(info->extack, NULL, CXNET_A_IFINDEX);
			NL_SET_ERR_MSG(info->extack,
				       "missing device (CXNET_A_IFINDEX or CXNET_A_IFNAME)");
			return ERR_PTR(-EINVAL);
		}
		dev = __dev_get_by_name(net, nla_data(attr));	/* NUL-terminated: policy */
	}
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such device");
		return ERR_PTR(-ENODEV);
	}
	return dev;
}

int cxnet_cmd_link_attach(struct sk_buff *skb, struct genl_info *info)
{
	struct cxnet_net *cn = cxnet_pernet(genl_info_net(info));
	struct net_device *dev;
	int err;

	rtnl_lock();
	dev = cxnet_link_dev(info);
	err = IS_ERR(dev) ? PTR_ERR(dev) : cxnet_link_attach(cn, dev, info->extack);
	rtnl_unlock();
	return err;
}

int cxnet_cmd_link_detach(struct sk_buff *skb, struct genl_info *info)
{
	struct cxnet_net *cn = cxnet_pernet(genl_info_net(info));
	struct net_device *dev;
	int err;

	rtnl_lock();
	dev = cxnet_link_dev(info);
	err = IS_ERR(dev) ? PTR_ERR(dev) : cxnet_link_detach(cn, dev, info->extack);
	rtnl_unlock();
	return err;
}

/* CXNET_A_LINK_STATS (rtnl_link_stats64 names) and CXNET_A_COUNTERS (drops by reason). */
static int cxnet_link_fill_stats(struct sk_buff *skb, const struct cx_link_stats *stats)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, CXNET_A_LINK_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, CXNET_LINK_STAT_A_RX_PACKETS, stats->rx_packets,
			      CXNET_LINK_STAT_A_PAD) ||
	    nla_put_u64_64bit(skb, CXNET_LINK_STAT_A_RX_BYTES, stats->rx_bytes,
			      CXNET_LINK_STAT_A_PAD) ||
	    nla_put_u64_64bit(skb, CXNET_LINK_STAT_A_RX_ERRORS, stats->rx_errors,
			      CXNET_LINK_STAT_A_PAD) ||
	    nla_put_u64_64bit(skb, CXNET_LINK_STAT_A_RX_DROPPED, stats->rx_dropped,
			      CXNET_LINK_STAT_A_PAD) ||
	    nla_put_u64_64bit(skb, CXNET_LINK_STAT_A_TX_PACKETS, stats->tx_packets,
			      CXNET_LINK_STAT_A_PAD) ||
	    nla_put_u64_64bit(skb, CXNET_LINK_STAT_A_TX_BYTES, stats->tx_bytes,
			      CXNET_LINK_STAT_A_PAD) ||
	    nla_put_u64_64bit(skb, CXNET_LINK_STAT_A_TX_ERRORS, stats->tx_errors,
			      CXNET_LINK_STAT_A_PAD) ||
	    nla_put_u64_64bit(skb, CXNET_LINK_STAT_A_TX_DROPPED, stats->tx_dropped,
			      CXNET_LINK_STAT_A_PAD) ||
	    nla_put_u64_64bit(skb, CXNET_LINK_STAT_A_RX_PASSED, stats->rx_passed,
			      CXNET_LINK_STAT_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);

	/* Drops by reason, every reason (zero too: the set of names is stable). */
	nest = nla_nest_start(skb, CXNET_A_COUNTERS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < CX_LINK_DROP_COUNT; i++) {
		struct nlattr *entry = nla_nest_start(skb, CXNET_COUNTERS_A_ENTRY);

		if (!entry ||
		    nla_put_string(skb, CXNET_COUNTER_A_NAME, cx_link_drop_name(i)) ||
		    nla_put_u64_64bit(skb, CXNET_COUNTER_A_VALUE, stats->drops[i],
				      CXNET_COUNTER_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, entry);
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * One LINK_NEW/LINK_DEL message. The flags are the device's IFF_* (as
 * `ip link` shows them) while it exists in net, else the stack's copy.
 * stats NULL (events): no counters. Callable in any context.
 */
int cxnet_link_fill(struct sk_buff *skb, struct net *net, const struct cx_link_desc *desc,
		    const struct cx_link_stats *stats, u32 portid, u32 seq, int flags, u8 cmd)
{
	char name[CX_LINK_NAME_MAX];
	struct net_device *dev;
	u32 ifflags = desc->flags;
	void *hdr;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, desc->ifindex);
	if (dev)
		ifflags = dev_get_flags(dev);
	rcu_read_unlock();

	strscpy(name, desc->name, sizeof(name));

	hdr = genlmsg_put(skb, portid, seq, &cxnet_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, CXNET_A_IFINDEX, desc->ifindex) ||
	    nla_put_string(skb, CXNET_A_IFNAME, name) ||
	    nla_put_u32(skb, CXNET_A_LINK_MTU, desc->mtu) ||
	    nla_put(skb, CXNET_A_LINK_ADDRESS, ETH_ALEN, desc->mac) ||
	    nla_put_u32(skb, CXNET_A_LINK_FLAGS, ifflags))
		goto cancel;
	if (stats && cxnet_link_fill_stats(skb, stats))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

int cxnet_cmd_link_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct cxnet_net *cn = cxnet_pernet(net);
	struct cx_link_stats stats;
	struct cx_link_desc desc;
	struct net_device *dev;
	struct sk_buff *msg;
	int err;

	rtnl_lock();
	dev = cxnet_link_dev(info);
	if (IS_ERR(dev)) {
		err = PTR_ERR(dev);
	} else {
		err = cx_stack_link_get(cn->stack, dev->ifindex, &desc, &stats);
		if (err)
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CXNET_A_IFINDEX] ?:
					    info->attrs[CXNET_A_IFNAME],
					    "device is not attached to cxnet");
	}
	rtnl_unlock();
	if (err)
		return err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = cxnet_link_fill(msg, net, &desc, &stats, info->snd_portid, info->snd_seq, 0,
			      CXNET_CMD_LINK_NEW);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int cxnet_link_dump_one(void *arg, const struct cx_link_desc *desc,
			       const struct cx_link_stats *stats)
{
	struct cxnet_dump *d = arg;

	d->err = cxnet_link_fill(d->skb, d->net, desc, stats, NETLINK_CB(d->cb->skb).portid,
				 d->cb->nlh->nlmsg_seq, NLM_F_MULTI, CXNET_CMD_LINK_NEW);
	return d->err;
}

int cxnet_cmd_link_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct cxnet_dump d;
	u64 cursor = cb->args[CXNET_DUMP_CURSOR];

	if (cb->args[CXNET_DUMP_DONE])
		return 0;
	cxnet_dump_init(&d, skb, cb);
	rtnl_lock();
	cx_stack_link_dump(cxnet_pernet(d.net)->stack, &cursor, cxnet_link_dump_one, &d);
	rtnl_unlock();
	cb->args[CXNET_DUMP_CURSOR] = cursor;
	return cxnet_dump_finish(&d);
}
