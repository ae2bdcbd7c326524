// SPDX-License-Identifier: GPL-2.0
/*
 * "cxnet" generic netlink: IPv4 addresses (`cxip addr`), as
 * RTM_NEWADDR/DELADDR/GETADDR of rtnetlink.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "genl_priv.h"

int cxnet_addr_fill(struct sk_buff *skb, const struct cx_addr *addr, u32 portid, u32 seq,
		    int flags, u8 cmd)
{
	char label[CX_ADDR_LABEL_MAX];
	void *hdr;

	strscpy(label, addr->label, sizeof(label));
	hdr = genlmsg_put(skb, portid, seq, &cxnet_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, CXNET_A_IFINDEX, addr->ifindex) ||
	    nla_put_in_addr(skb, CXNET_A_ADDR_LOCAL, htonl(addr->local)) ||
	    nla_put_u8(skb, CXNET_A_ADDR_PREFIXLEN, addr->prefixlen) ||
	    (addr->broadcast &&
	     nla_put_in_addr(skb, CXNET_A_ADDR_BROADCAST, htonl(addr->broadcast))) ||
	    nla_put_u8(skb, CXNET_A_ADDR_SCOPE, addr->scope) ||
	    (label[0] && nla_put_string(skb, CXNET_A_ADDR_LABEL, label)) ||
	    nla_put_u32(skb, CXNET_A_ADDR_FLAGS, addr->flags)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* The request as struct cx_addr: IFINDEX and ADDR_LOCAL are required, for add and delete. */
static int cxnet_addr_parse(struct genl_info *info, struct cx_addr *addr, bool add)
{
	struct nlattr **tb = info->attrs;

	memset(addr, 0, sizeof(*addr));
	if (!cxnet_require(info, CXNET_A_IFINDEX, "missing device (CXNET_A_IFINDEX)") ||
	    !cxnet_require(info, CXNET_A_ADDR_LOCAL, "missing address (CXNET_A_ADDR_LOCAL)"))
		return -EINVAL;
	addr->ifindex = nla_get_u32(tb[CXNET_A_IFINDEX]);
	addr->local = ntohl(nla_get_in_addr(tb[CXNET_A_ADDR_LOCAL]));
	/* `ip addr add 10.0.0.1` means /32; on delete no length matches any. */
	if (tb[CXNET_A_ADDR_PREFIXLEN])
		addr->prefixlen = nla_get_u8(tb[CXNET_A_ADDR_PREFIXLEN]);
	else
		addr->prefixlen = add ? 32 : 0;
	if (tb[CXNET_A_ADDR_BROADCAST])
		addr->broadcast = ntohl(nla_get_in_addr(tb[CXNET_A_ADDR_BROADCAST]));
	if (tb[CXNET_A_ADDR_SCOPE])
		addr->scope = nla_get_u8(tb[CXNET_A_ADDR_SCOPE]);
	if (tb[CXNET_A_ADDR_LABEL])
		nla_strscpy(addr->label, tb[CXNET_A_ADDR_LABEL], sizeof(addr->label));
	return 0;
}

int cxnet_cmd_addr_add(struct sk_buff *skb, struct genl_info *info)
{
	struct cxnet_net *cn = cxnet_pernet(genl_info_net(info));
	const char *msg = NULL;
	struct cx_addr addr;
	int err;

	err = cxnet_addr_parse(info, &addr, true);
	if (err)
		return err;
	rtnl_lock();
	err = cx_stack_addr_add(cn->stack, &addr, cxnet_nlflags(info), &msg);
	rtnl_unlock();
	if (err)
		cxnet_extack(info->extack, NULL, msg);
	return err;
}

int cxnet_cmd_addr_del(struct sk_buff *skb, struct genl_info *info)
{
	struct cxnet_net *cn = cxnet_pernet(genl_info_net(info));
	const char *msg = NULL;
	struct cx_addr addr;
	int err;

	err = cxnet_addr_parse(info, &addr, false);
	if (err)
		return err;
	rtnl_lock();
	err = cx_stack_addr_del(cn->stack, &addr, &msg);
	rtnl_unlock();
	if (err)
		cxnet_extack(info->extack, NULL, msg);
	return err;
}

static int cxnet_addr_dump_one(void *arg, const struct cx_addr *addr)
{
	struct cxnet_dump *d = arg;

	d->err = cxnet_addr_fill(d->skb, addr, NETLINK_CB(d->cb->skb).portid,
				 d->cb->nlh->nlmsg_seq, NLM_F_MULTI, CXNET_CMD_ADDR_NEW);
	return d->err;
}

/* Every address, or those of CXNET_A_IFINDEX. */
int cxnet_cmd_addr_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **tb = genl_dumpit_info(cb)->attrs;
	u64 cursor = cb->args[CXNET_DUMP_CURSOR];
	s32 ifindex = 0;
	struct cxnet_dump d;

	if (cb->args[CXNET_DUMP_DONE])
		return 0;
	if (tb[CXNET_A_IFINDEX])
		ifindex = nla_get_u32(tb[CXNET_A_IFINDEX]);
	cxnet_dump_init(&d, skb, cb);
	rtnl_lock();
	cx_stack_addr_dump(cxnet_pernet(d.net)->stack, ifindex, &cursor, cxnet_addr_dump_one, &d);
	rtnl_unlock();
	cb->args[CXNET_DUMP_CURSOR] = cursor;
	return cxnet_dump_finish(&d);
}
