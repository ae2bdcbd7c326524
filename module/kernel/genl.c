// SPDX-License-Identifier: GPL-2.0
/*
 * The "cxnet" generic netlink family: the control plane cxip talks to.
 *
 * netnsok: every request is answered for the netns of the requesting
 * socket. Attributes are validated strictly against one policy (unknown or
 * reply-only attributes are refused with an extack message; reserved header
 * bytes must be zero). Changes need CAP_NET_ADMIN in the user namespace that
 * owns the netns (GENL_UNS_ADMIN_PERM, as rtnetlink checks for `ip`), reads
 * need nothing. Changes are announced on the "events" multicast group.
 *
 * This file holds the family (policy, ops table), info, sysctl and the
 * events of the stack; the handlers of links, addresses, routes and rules,
 * neighbours and counters are in genl_*.c (genl_priv.h).
 */
#define pr_fmt(fmt) "cxnet: " fmt

#include <linux/fib_rules.h>
#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/cxnet.h>

#include "cxnet.h"
#include "genl_priv.h"

#ifndef CXNET_BUILD_ID
#define CXNET_BUILD_ID "unknown"
#endif

#define CXNET_FEATURES (CXNET_FEATURE_GENL | CXNET_FEATURE_SOCKET | CXNET_FEATURE_SYSCTL | \
			CXNET_FEATURE_LINK | CXNET_FEATURE_ROUTE | CXNET_FEATURE_UDP)

static const struct genl_multicast_group cxnet_mcgrps[] = {
	[CXNET_MCGRP_EVENTS] = { .name = CXNET_GENL_MCGRP_EVENTS },
};

static const struct nla_policy cxnet_sysctl_value_policy[CXNET_SYSCTL_VALUE_A_INT + 1] = {
	[CXNET_SYSCTL_VALUE_A_INT] = { .type = NLA_S64 },
};

/* Interface indexes are u32 on netlink and positive ints in the kernel (not const: 6.1's type). */
static struct netlink_range_validation cxnet_ifindex_range = { .max = INT_MAX };
#define CXNET_POLICY_IFINDEX NLA_POLICY_FULL_RANGE(NLA_U32, &cxnet_ifindex_range)

/* One nexthop of a multipath route (struct rtnexthop + RTA_GATEWAY). */
static const struct nla_policy cxnet_nexthop_policy[CXNET_NH_A_MAX + 1] = {
	[CXNET_NH_A_GATEWAY] = { .type = NLA_BE32 },
	[CXNET_NH_A_IFINDEX] = CXNET_POLICY_IFINDEX,
	[CXNET_NH_A_WEIGHT] = NLA_POLICY_RANGE(NLA_U16, 1, 256),
	[CXNET_NH_A_FLAGS] = NLA_POLICY_MASK(NLA_U8, RTNH_F_ONLINK),
};

const struct nla_policy cxnet_multipath_policy[CXNET_MP_A_MAX + 1] = {
	[CXNET_MP_A_NEXTHOP] = NLA_POLICY_NESTED(cxnet_nexthop_policy),
};

/*
 * Only request attributes have a type here: the rest (replies only) are
 * refused ("Unsupported attribute"), as is any wrong length or range.
 */
static const struct nla_policy cxnet_genl_policy[CXNET_A_MAX + 1] = {
	[CXNET_A_SYSCTL_NAME] = { .type = NLA_NUL_STRING, .len = CXNET_SYSCTL_NAME_MAX },
	[CXNET_A_SYSCTL_VALUES] = NLA_POLICY_NESTED(cxnet_sysctl_value_policy),
	/* links */
	[CXNET_A_IFINDEX] = CXNET_POLICY_IFINDEX,
	[CXNET_A_IFNAME] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	/* addresses */
	[CXNET_A_ADDR_LOCAL] = { .type = NLA_BE32 },
	[CXNET_A_ADDR_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 32),
	[CXNET_A_ADDR_BROADCAST] = { .type = NLA_BE32 },
	[CXNET_A_ADDR_SCOPE] = { .type = NLA_U8 },
	[CXNET_A_ADDR_LABEL] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	/* routes */
	[CXNET_A_RT_TABLE] = { .type = NLA_U32 },
	[CXNET_A_RT_DST] = { .type = NLA_BE32 },
	[CXNET_A_RT_DST_LEN] = NLA_POLICY_MAX(NLA_U8, 32),
	[CXNET_A_RT_TOS] = { .type = NLA_U8 },
	[CXNET_A_RT_TYPE] = NLA_POLICY_MAX(NLA_U8, RTN_MAX),
	[CXNET_A_RT_SCOPE] = { .type = NLA_U8 },
	[CXNET_A_RT_PROTOCOL] = { .type = NLA_U8 },
	[CXNET_A_RT_PRIORITY] = { .type = NLA_U32 },
	[CXNET_A_RT_PREFSRC] = { .type = NLA_BE32 },
	[CXNET_A_RT_MTU] = { .type = NLA_U32 },
	[CXNET_A_RT_GATEWAY] = { .type = NLA_BE32 },
	[CXNET_A_RT_OIF] = CXNET_POLICY_IFINDEX,
	[CXNET_A_RT_NH_FLAGS] = NLA_POLICY_MASK(NLA_U8, RTNH_F_ONLINK),
	[CXNET_A_RT_MULTIPATH] = NLA_POLICY_NESTED(cxnet_multipath_policy),
	[CXNET_A_RT_SRC] = { .type = NLA_BE32 },
	[CXNET_A_RT_IIF] = CXNET_POLICY_IFINDEX,
	[CXNET_A_RT_MARK] = { .type = NLA_U32 },
	[CXNET_A_RT_IPPROTO] = { .type = NLA_U8 },
	[CXNET_A_RT_SPORT] = { .type = NLA_U16 },
	[CXNET_A_RT_DPORT] = { .type = NLA_U16 },
	/* rules */
	[CXNET_A_RULE_PREF] = { .type = NLA_U32 },
	[CXNET_A_RULE_ACTION] = NLA_POLICY_MAX(NLA_U8, FR_ACT_MAX),
	[CXNET_A_RULE_TABLE] = { .type = NLA_U32 },
	[CXNET_A_RULE_SRC] = { .type = NLA_BE32 },
	[CXNET_A_RULE_SRC_LEN] = NLA_POLICY_MAX(NLA_U8, 32),
	[CXNET_A_RULE_DST] = { .type = NLA_BE32 },
	[CXNET_A_RULE_DST_LEN] = NLA_POLICY_MAX(NLA_U8, 32),
	[CXNET_A_RULE_TOS] = { .type = NLA_U8 },
	[CXNET_A_RULE_IPPROTO] = { .type = NLA_U8 },
	[CXNET_A_RULE_IIF] = CXNET_POLICY_IFINDEX,
	[CXNET_A_RULE_OIF] = CXNET_POLICY_IFINDEX,
	[CXNET_A_RULE_FWMARK] = { .type = NLA_U32 },
	[CXNET_A_RULE_FWMASK] = { .type = NLA_U32 },
	[CXNET_A_RULE_SPORT_START] = { .type = NLA_U16 },
	[CXNET_A_RULE_SPORT_END] = { .type = NLA_U16 },
	[CXNET_A_RULE_DPORT_START] = { .type = NLA_U16 },
	[CXNET_A_RULE_DPORT_END] = { .type = NLA_U16 },
	[CXNET_A_RULE_SUPPRESS_PREFIXLEN] = { .type = NLA_U32 },
	[CXNET_A_RULE_FLAGS] = NLA_POLICY_MASK(NLA_U32, FIB_RULE_INVERT),
	/* neighbours */
	[CXNET_A_NEIGH_DST] = { .type = NLA_BE32 },
	[CXNET_A_NEIGH_LLADDR] = NLA_POLICY_EXACT_LEN(ETH_ALEN),
	[CXNET_A_NEIGH_STATE] = NLA_POLICY_MASK(NLA_U16, 0xff),	/* NUD_* */
	/* NLM_F_* of *_ADD (genl refuses them in the header: see the uapi) */
	[CXNET_A_REQUEST_FLAGS] = NLA_POLICY_MASK(NLA_U32, NLM_F_REPLACE | NLM_F_EXCL |
							   NLM_F_CREATE | NLM_F_APPEND),
};

/* Like NL_SET_ERR_MSG, for static messages that are not literals (the core's). */
void cxnet_extack(struct netlink_ext_ack *extack, const struct nlattr *attr, const char *msg)
{
	if (!extack)
		return;
	extack->_msg = msg;
	if (attr)
		extack->bad_attr = attr;
}

/* A required attribute is missing: name it (miss_type) and say so (message). */
bool cxnet_require(struct genl_info *info, int type, const char *msg)
{
	if (info->attrs[type])
		return true;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, type);
	cxnet_extack(info->extack, NULL, msg);
	return false;
}

u32 cxnet_nlflags(const struct genl_info *info)
{
	BUILD_BUG_ON(NLM_F_REPLACE != CX_NLM_F_REPLACE || NLM_F_EXCL != CX_NLM_F_EXCL ||
		     NLM_F_CREATE != CX_NLM_F_CREATE || NLM_F_APPEND != CX_NLM_F_APPEND);
	/* genl refuses these bits in the header of strict families: they come as an attribute */
	if (!info->attrs[CXNET_A_REQUEST_FLAGS])
		return 0;
	return nla_get_u32(info->attrs[CXNET_A_REQUEST_FLAGS]);
}

int cxnet_dump_result(struct sk_buff *skb, int err)
{
	/* A full skb ends this part of the dump; the rest goes in the next one. */
	if (err == -EMSGSIZE && skb->len)
		err = 0;
	return err ?: skb->len;
}

void cxnet_dump_init(struct cxnet_dump *d, struct sk_buff *skb, struct netlink_callback *cb)
{
	d->skb = skb;
	d->cb = cb;
	d->net = sock_net(skb->sk);
	d->err = 0;
}

int cxnet_dump_finish(struct cxnet_dump *d)
{
	if (!d->err)
		d->cb->args[CXNET_DUMP_DONE] = 1;
	return cxnet_dump_result(d->skb, d->err);
}

/* ---- info ---------------------------------------------------------------------------- */

static int cxnet_info_fill(struct sk_buff *skb, struct net *net)
{
	struct cxnet_net *cn = cxnet_pernet(net);
	struct nlattr *counts;

	if (nla_put_string(skb, CXNET_A_INFO_VERSION, CXNET_VERSION_STRING) ||
	    nla_put_string(skb, CXNET_A_INFO_BUILD_ID, CXNET_BUILD_ID) ||
	    nla_put_u64_64bit(skb, CXNET_A_INFO_FEATURES, CXNET_FEATURES, CXNET_A_PAD) ||
	    nla_put_u32(skb, CXNET_A_INFO_FAMILY, cxnet_family) ||
	    nla_put_u64_64bit(skb, CXNET_A_INFO_NETNS_COOKIE, net->net_cookie, CXNET_A_PAD))
		return -EMSGSIZE;
	counts = nla_nest_start(skb, CXNET_A_INFO_COUNTS);
	if (!counts)
		return -EMSGSIZE;
	if (nla_put_u32(skb, CXNET_COUNT_A_SOCKETS, atomic_read(&cn->sockets)) ||
	    nla_put_u32(skb, CXNET_COUNT_A_SYSCTL_WRITES, atomic_read(&cn->sysctl_writes))) {
		nla_nest_cancel(skb, counts);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, counts);
	return 0;
}

static int cxnet_cmd_info_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &cxnet_genl_family, 0, CXNET_CMD_INFO_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	err = cxnet_info_fill(msg, genl_info_net(info));
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

/* ---- sysctl ---------------------------------------------------------------------------- */

static int cxnet_sysctl_fill(struct sk_buff *skb, struct cxnet_net *cn, unsigned int id,
			     u32 portid, u32 seq, int flags, u8 cmd)
{
	const struct cx_tunable_desc *desc = cx_tunable_info(id);
	s64 vals[CX_TUNABLE_MAX_VALUES];
	struct nlattr *nest;
	unsigned int i;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &cxnet_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	cx_tunable_get(cn->tunables, id, vals);
	if (nla_put_string(skb, CXNET_A_SYSCTL_NAME, desc->name) ||
	    nla_put_u8(skb, CXNET_A_SYSCTL_TYPE,
		       desc->count == 1 ? CXNET_SYSCTL_TYPE_INT : CXNET_SYSCTL_TYPE_INT_VEC) ||
	    nla_put_s64(skb, CXNET_A_SYSCTL_MIN, desc->min, CXNET_A_PAD) ||
	    nla_put_s64(skb, CXNET_A_SYSCTL_MAX, desc->max, CXNET_A_PAD))
		goto cancel;
	nest = nla_nest_start(skb, CXNET_A_SYSCTL_VALUES);
	if (!nest)
		goto cancel;
	for (i = 0; i < desc->count; i++)
		if (nla_put_s64(skb, CXNET_SYSCTL_VALUE_A_INT, vals[i], CXNET_SYSCTL_VALUE_A_PAD))
			goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int cxnet_sysctl_id(struct genl_info *info)
{
	int id;

	if (!cxnet_require(info, CXNET_A_SYSCTL_NAME, "missing tunable name (CXNET_A_SYSCTL_NAME)"))
		return -EINVAL;
	id = cx_tunable_lookup(nla_data(info->attrs[CXNET_A_SYSCTL_NAME]));
	if (id < 0) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CXNET_A_SYSCTL_NAME],
				    "unknown tunable");
		return -ENOENT;
	}
	return id;
}

static int cxnet_cmd_sysctl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct cxnet_net *cn = cxnet_pernet(genl_info_net(info));
	struct sk_buff *msg;
	int id, err;

	id = cxnet_sysctl_id(info);
	if (id < 0)
		return id;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&cn->tunables_lock);
	err = cxnet_sysctl_fill(msg, cn, id, info->snd_portid, info->snd_seq, 0,
				CXNET_CMD_SYSCTL_NEW);
	mutex_unlock(&cn->tunables_lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* Dumps page: cb->args[CXNET_DUMP_CURSOR] is the next tunable to emit. */
static int cxnet_cmd_sysctl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct cxnet_net *cn = cxnet_pernet(sock_net(skb->sk));
	unsigned int id = cb->args[CXNET_DUMP_CURSOR];
	int err = 0;

	mutex_lock(&cn->tunables_lock);
	for (; id < cx_tunable_count(); id++) {
		err = cxnet_sysctl_fill(skb, cn, id, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI, CXNET_CMD_SYSCTL_NEW);
		if (err)
			break;
	}
	mutex_unlock(&cn->tunables_lock);
	cb->args[CXNET_DUMP_CURSOR] = id;
	return cxnet_dump_result(skb, err);
}

static void cxnet_sysctl_notify(struct cxnet_net *cn, unsigned int id)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&cxnet_genl_family, cn->net, CXNET_MCGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	if (cxnet_sysctl_fill(msg, cn, id, 0, 0, 0, CXNET_CMD_SYSCTL_NEW)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_multicast_netns(&cxnet_genl_family, cn->net, msg, 0, CXNET_MCGRP_EVENTS,
				GFP_KERNEL);
}

static int cxnet_cmd_sysctl_set(struct sk_buff *skb, struct genl_info *info)
{
	struct cxnet_net *cn = cxnet_pernet(genl_info_net(info));
	const struct nlattr *value_attr[CX_TUNABLE_MAX_VALUES];
	s64 vals[CX_TUNABLE_MAX_VALUES];
	const struct nlattr *attr;
	unsigned int n = 0;
	const char *msg;
	int id, rem, err, bad;

	id = cxnet_sysctl_id(info);
	if (id < 0)
		return id;
	if (!cxnet_require(info, CXNET_A_SYSCTL_VALUES, "missing value (CXNET_A_SYSCTL_VALUES)"))
		return -EINVAL;
	nla_for_each_nested(attr, info->attrs[CXNET_A_SYSCTL_VALUES], rem) {
		if (nla_type(attr) != CXNET_SYSCTL_VALUE_A_INT)
			continue;	/* only PAD can be here: the policy refused the rest */
		if (n == cx_tunable_info(id)->count) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr, "too many values for this tunable");
			return -EINVAL;
		}
		value_attr[n] = attr;
		vals[n++] = nla_get_s64(attr);
	}
	if (!n) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CXNET_A_SYSCTL_VALUES],
				    "no value given");
		return -EINVAL;
	}

	mutex_lock(&cn->tunables_lock);
	err = cx_tunable_set(cn->tunables, id, vals, n, &msg, &bad);
	if (!err)
		atomic_inc(&cn->sysctl_writes);
	mutex_unlock(&cn->tunables_lock);
	if (!err) {
		rtnl_lock();
		cx_stack_tunables_changed(cn->stack);
		rtnl_unlock();
	}
	if (err) {
		cxnet_extack(info->extack, bad >= 0 && bad < (int)n ? value_attr[bad] : NULL, msg);
		return err;
	}
	cxnet_sysctl_notify(cn, id);
	return 0;
}

/* ---- events of the stack --------------------------------------------------------------- */

/*
 * Set while the family is registered: the stack of a netns may announce
 * changes before registration (default rules) and after it (netns exit,
 * rmmod), when the multicast group ids are not ours.
 */
static bool cxnet_genl_live;

/*
 * Host op notify of every stack (core/stack/stack.h): event is an enum
 * cx_stack_event, object the struct of stack.h it names; the message is the
 * matching CXNET_CMD_*_NEW / _GONE (LINK_NEW / LINK_DEL). Called under RTNL
 * from configuration and from softirq (neighbour state changes), so nothing
 * here sleeps.
 */
void cxnet_genl_notify(void *host_ctx, int event, const void *object)
{
	struct cxnet_net *cn = host_ctx;
	struct sk_buff *msg;
	int err;

	rcu_read_lock();	/* cxnet_genl_exit() waits for us before unregistering */
	if (!READ_ONCE(cxnet_genl_live) ||
	    !genl_has_listeners(&cxnet_genl_family, cn->net, CXNET_MCGRP_EVENTS))
		goto out;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		goto out;
	switch (event) {
	case CX_EVENT_LINK_NEW:
	case CX_EVENT_LINK_DEL:
		err = cxnet_link_fill(msg, cn->net, object, NULL, 0, 0, 0,
				      event == CX_EVENT_LINK_NEW ? CXNET_CMD_LINK_NEW :
								   CXNET_CMD_LINK_DEL);
		break;
	case CX_EVENT_ADDR_NEW:
	case CX_EVENT_ADDR_DEL:
		err = cxnet_addr_fill(msg, object, 0, 0, 0,
				      event == CX_EVENT_ADDR_NEW ? CXNET_CMD_ADDR_NEW :
								   CXNET_CMD_ADDR_GONE);
		break;
	case CX_EVENT_ROUTE_NEW:
	case CX_EVENT_ROUTE_DEL:
		err = cxnet_route_fill(msg, object, 0, 0, 0,
				       event == CX_EVENT_ROUTE_NEW ? CXNET_CMD_ROUTE_NEW :
								     CXNET_CMD_ROUTE_GONE);
		break;
	case CX_EVENT_RULE_NEW:
	case CX_EVENT_RULE_DEL:
		err = cxnet_rule_fill(msg, object, 0, 0, 0,
				      event == CX_EVENT_RULE_NEW ? CXNET_CMD_RULE_NEW :
								   CXNET_CMD_RULE_GONE);
		break;
	case CX_EVENT_NEIGH_NEW:
	case CX_EVENT_NEIGH_DEL:
		err = cxnet_neigh_fill(msg, object, 0, 0, 0,
				       event == CX_EVENT_NEIGH_NEW ? CXNET_CMD_NEIGH_NEW :
								     CXNET_CMD_NEIGH_GONE);
		break;
	default:
		WARN_ONCE(1, "cxnet: unknown stack event %d\n", event);
		err = -EINVAL;
		break;
	}
	if (err) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_multicast_netns(&cxnet_genl_family, cn->net, msg, 0, CXNET_MCGRP_EVENTS,
				GFP_ATOMIC);
out:
	rcu_read_unlock();
}

/* Configuration (ATTACH, DETACH, *_ADD, *_DEL) needs CAP_NET_ADMIN over the netns. */
static const struct genl_small_ops cxnet_genl_ops[] = {
	{
		.cmd = CXNET_CMD_INFO_GET,
		.doit = cxnet_cmd_info_get,
	},
	{
		.cmd = CXNET_CMD_SYSCTL_GET,
		.doit = cxnet_cmd_sysctl_get,
		.dumpit = cxnet_cmd_sysctl_dump,
	},
	{
		.cmd = CXNET_CMD_SYSCTL_SET,
		.doit = cxnet_cmd_sysctl_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CXNET_CMD_LINK_ATTACH,
		.doit = cxnet_cmd_link_attach,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CXNET_CMD_LINK_DETACH,
		.doit = cxnet_cmd_link_detach,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CXNET_CMD_LINK_GET,
		.doit = cxnet_cmd_link_get,
		.dumpit = cxnet_cmd_link_dump,
	},
	{
		.cmd = CXNET_CMD_ADDR_ADD,
		.doit = cxnet_cmd_addr_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CXNET_CMD_ADDR_DEL,
		.doit = cxnet_cmd_addr_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CXNET_CMD_ADDR_GET,
		.dumpit = cxnet_cmd_addr_dump,
	},
	{
		.cmd = CXNET_CMD_ROUTE_ADD,
		.doit = cxnet_cmd_route_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CXNET_CMD_ROUTE_DEL,
		.doit = cxnet_cmd_route_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CXNET_CMD_ROUTE_GET,
		.doit = cxnet_cmd_route_get,
		.dumpit = cxnet_cmd_route_dump,
	},
	{
		.cmd = CXNET_CMD_RULE_ADD,
		.doit = cxnet_cmd_rule_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CXNET_CMD_RULE_DEL,
		.doit = cxnet_cmd_rule_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CXNET_CMD_RULE_GET,
		.dumpit = cxnet_cmd_rule_dump,
	},
	{
		.cmd = CXNET_CMD_NEIGH_ADD,
		.doit = cxnet_cmd_neigh_add,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CXNET_CMD_NEIGH_DEL,
		.doit = cxnet_cmd_neigh_del,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CXNET_CMD_NEIGH_GET,
		.dumpit = cxnet_cmd_neigh_dump,
	},
	{
		.cmd = CXNET_CMD_STATS_GET,
		.dumpit = cxnet_cmd_stats_dump,
	},
};

struct genl_family cxnet_genl_family __ro_after_init = {
	.name = CXNET_GENL_NAME,
	.version = CXNET_GENL_VERSION,
	.maxattr = CXNET_A_MAX,
	.policy = cxnet_genl_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = cxnet_genl_ops,
	.n_small_ops = ARRAY_SIZE(cxnet_genl_ops),
	.resv_start_op = CXNET_CMD_INFO_GET,	/* every command: strict header + policy */
	.mcgrps = cxnet_mcgrps,
	.n_mcgrps = ARRAY_SIZE(cxnet_mcgrps),
};

int cxnet_genl_init(void)
{
	int err;

	err = genl_register_family(&cxnet_genl_family);
	if (!err)
		WRITE_ONCE(cxnet_genl_live, true);
	return err;
}

void cxnet_genl_exit(void)
{
	WRITE_ONCE(cxnet_genl_live, false);
	synchronize_rcu();	/* no cxnet_genl_notify() still multicasts */
	genl_unregister_family(&cxnet_genl_family);
}
