// SPDX-License-Identifier: GPL-2.0
/*
 * "cxnet" generic netlink: neighbours (`cxip neigh`), as
 * RTM_NEWNEIGH/DELNEIGH/GETNEIGH of rtnetlink.
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/neighbour.h>
#include <net/sock.h>

#include "genl_priv.h"

int cxnet_neigh_fill(struct sk_buff *skb, const struct cx_neigh *n, u32 portid, u32 seq,
		     int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &cxnet_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, CXNET_A_IFINDEX, n->ifindex) ||
	    nla_put_in_addr(skb, CXNET_A_NEIGH_DST, htonl(n->addr)) ||
	    (n->has_lladdr && nla_put(skb, CXNET_A_NEIGH_LLADDR, ETH_ALEN, n->lladdr)) ||
	    nla_put_u16(skb, CXNET_A_NEIGH_STATE, n->state) ||
	    nla_put_u32(skb, CXNET_A_NEIGH_PROBES, n->probes) ||
	    nla_put_u32(skb, CXNET_A_NEIGH_USED_MS, n->used_ms) ||
	    nla_put_u32(skb, CXNET_A_NEIGH_CONFIRMED_MS, n->confirmed_ms) ||
	    nla_put_u32(skb, CXNET_A_NEIGH_UPDATED_MS, n->updated_ms) ||
	    nla_put_u32(skb, CXNET_A_NEIGH_REFCNT, n->refcnt)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* `ip neigh add|replace|change DST [lladdr MAC] [nud STATE] dev DEV`: permanent by default. */
int cxnet_cmd_neigh_add(struct sk_buff *skb, struct genl_info *info)
{
	struct cxnet_net *cn = cxnet_pernet(genl_info_net(info));
	struct nlattr **tb = info->attrs;
	const char *msg = NULL;
	struct cx_neigh n = {};
	int err;

	if (!cxnet_require(info, CXNET_A_IFINDEX, "missing device (CXNET_A_IFINDEX)") ||
	    !cxnet_require(info, CXNET_A_NEIGH_DST, "missing address (CXNET_A_NEIGH_DST)"))
		return -EINVAL;
	n.ifindex = nla_get_u32(tb[CXNET_A_IFINDEX]);
	n.addr = ntohl(nla_get_in_addr(tb[CXNET_A_NEIGH_DST]));
	if (tb[CXNET_A_NEIGH_LLADDR]) {
		nla_memcpy(n.lladdr, tb[CXNET_A_NEIGH_LLADDR], sizeof(n.lladdr));
		n.has_lladdr = true;
	}
	n.state = tb[CXNET_A_NEIGH_STATE] ? nla_get_u16(tb[CXNET_A_NEIGH_STATE]) : NUD_PERMANENT;

	rtnl_lock();
	err = cx_stack_neigh_add(cn->stack, &n, cxnet_nlflags(info), &msg);
	rtnl_unlock();
	if (err)
		cxnet_extack(info->extack, NULL, msg);
	return err;
}

int cxnet_cmd_neigh_del(struct sk_buff *skb, struct genl_info *info)
{
	struct cxnet_net *cn = cxnet_pernet(genl_info_net(info));
	struct nlattr **tb = info->attrs;
	const char *msg = NULL;
	int err;

	if (!cxnet_require(info, CXNET_A_IFINDEX, "missing device (CXNET_A_IFINDEX)") ||
	    !cxnet_require(info, CXNET_A_NEIGH_DST, "missing address (CXNET_A_NEIGH_DST)"))
		return -EINVAL;
	rtnl_lock();
	err = cx_stack_neigh_del(cn->stack, nla_get_u32(tb[CXNET_A_IFINDEX]),
				 ntohl(nla_get_in_addr(tb[CXNET_A_NEIGH_DST])), &msg);
	rtnl_unlock();
	if (err)
		cxnet_extack(info->extack, NULL, msg);
	return err;
}

static int cxnet_neigh_dump_one(void *arg, const struct cx_neigh *n)
{
	struct cxnet_dump *d = arg;

	d->err = cxnet_neigh_fill(d->skb, n, NETLINK_CB(d->cb->skb).portid,
				  d->cb->nlh->nlmsg_seq, NLM_F_MULTI, CXNET_CMD_NEIGH_NEW);
	return d->err;
}

/* Every neighbour, or those of CXNET_A_IFINDEX. */
int cxnet_cmd_neigh_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **tb = genl_dumpit_info(cb)->attrs;
	u64 cursor = cb->args[CXNET_DUMP_CURSOR];
	struct cxnet_dump d;
	s32 ifindex = 0;

	if (cb->args[CXNET_DUMP_DONE])
		return 0;
	if (tb[CXNET_A_IFINDEX])
		ifindex = nla_get_u32(tb[CXNET_A_IFINDEX]);
	cxnet_dump_init(&d, skb, cb);
	rtnl_lock();
	cx_stack_neigh_dump(cxnet_pernet(d.net)->stack, ifindex, &cursor, cxnet_neigh_dump_one, &d);
	rtnl_unlock();
	cb->args[CXNET_DUMP_CURSOR] = cursor;
	return cxnet_dump_finish(&d);
}
