// SPDX-License-Identifier: GPL-2.0
/*
 * "cxnet" generic netlink: protocol counters of the netns (`cxip stats`),
 * /proc/net/snmp style: one STATS_NEW message per group ("Ip", "Icmp", ...)
 * holding CXNET_A_STATS_GROUP and the group's CXNET_A_COUNTERS.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "genl_priv.h"

/*
 * cx_stack_counters() names every counter in order, a group's together; it
 * has no cursor, so each part of the dump walks them all and skips the
 * groups that earlier parts sent (cb->args[CXNET_DUMP_CURSOR]: the next
 * group's index).
 */
struct cxnet_stats_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	const char *group;	/* of the counter before */
	long index;		/* of that group: -1 before the first */
	void *hdr;		/* its message while one is open */
	struct nlattr *nest;
	int err;
};

static void cxnet_stats_close(struct cxnet_stats_dump *d)
{
	if (!d->hdr)
		return;
	nla_nest_end(d->skb, d->nest);
	genlmsg_end(d->skb, d->hdr);
	d->hdr = NULL;
}

static int cxnet_stats_open(struct cxnet_stats_dump *d, const char *group)
{
	d->hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid, d->cb->nlh->nlmsg_seq,
			     &cxnet_genl_family, NLM_F_MULTI, CXNET_CMD_STATS_NEW);
	if (!d->hdr)
		return -EMSGSIZE;
	if (nla_put_string(d->skb, CXNET_A_STATS_GROUP, group))
		return -EMSGSIZE;
	d->nest = nla_nest_start(d->skb, CXNET_A_COUNTERS);
	return d->nest ? 0 : -EMSGSIZE;
}

static int cxnet_stats_one(void *arg, const char *group, const char *name, u64 value)
{
	struct cxnet_stats_dump *d = arg;
	struct nlattr *entry;

	if (d->err)
		return d->err;
	if (!d->group || strcmp(group, d->group)) {
		cxnet_stats_close(d);
		d->group = group;
		d->index++;
		if (d->index < d->cb->args[CXNET_DUMP_CURSOR])
			return 0;	/* sent by an earlier part */
		d->err = cxnet_stats_open(d, group);
		if (d->err)
			goto cancel;
	}
	if (!d->hdr)
		return 0;
	entry = nla_nest_start(d->skb, CXNET_COUNTERS_A_ENTRY);
	if (!entry || nla_put_string(d->skb, CXNET_COUNTER_A_NAME, name) ||
	    nla_put_u64_64bit(d->skb, CXNET_COUNTER_A_VALUE, value, CXNET_COUNTER_A_PAD)) {
		d->err = -EMSGSIZE;
		goto cancel;
	}
	nla_nest_end(d->skb, entry);
	return 0;

cancel:
	/* The whole group goes in the next part. */
	if (d->hdr)
		genlmsg_cancel(d->skb, d->hdr);
	d->hdr = NULL;
	return d->err;
}

int cxnet_cmd_stats_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct cxnet_stats_dump d = { .skb = skb, .cb = cb, .index = -1 };

	if (cb->args[CXNET_DUMP_DONE])
		return 0;
	rtnl_lock();
	cx_stack_counters(cxnet_pernet(sock_net(skb->sk))->stack, cxnet_stats_one, &d);
	rtnl_unlock();
	if (d.err) {
		cb->args[CXNET_DUMP_CURSOR] = d.index;	/* the group that did not fit */
	} else {
		cxnet_stats_close(&d);
		cb->args[CXNET_DUMP_DONE] = 1;
	}
	return cxnet_dump_result(skb, d.err);
}
