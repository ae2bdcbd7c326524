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
 */
#define pr_fmt(fmt) "cxnet: " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <linux/cxnet.h>

#include "cxnet.h"

#ifndef CXNET_BUILD_ID
#define CXNET_BUILD_ID "unknown"
#endif

#define CXNET_FEATURES (CXNET_FEATURE_GENL | CXNET_FEATURE_SOCKET | CXNET_FEATURE_SYSCTL)

enum cxnet_mcgrp { CXNET_MCGRP_EVENTS };

static const struct genl_multicast_group cxnet_mcgrps[] = {
	[CXNET_MCGRP_EVENTS] = { .name = CXNET_GENL_MCGRP_EVENTS },
};

static const struct nla_policy cxnet_sysctl_value_policy[CXNET_SYSCTL_VALUE_A_INT + 1] = {
	[CXNET_SYSCTL_VALUE_A_INT] = { .type = NLA_S64 },
};

/* Only request attributes have a type here: the rest are refused ("Unsupported attribute"). */
static const struct nla_policy cxnet_genl_policy[CXNET_A_MAX + 1] = {
	[CXNET_A_SYSCTL_NAME] = { .type = NLA_NUL_STRING, .len = CXNET_SYSCTL_NAME_MAX },
	[CXNET_A_SYSCTL_VALUES] = NLA_POLICY_NESTED(cxnet_sysctl_value_policy),
};

static struct genl_family cxnet_genl_family;

/* Like NL_SET_ERR_MSG, for static messages that are not literals (the core's). */
static void cxnet_extack(struct netlink_ext_ack *extack, const struct nlattr *attr, const char *msg)
{
	if (!extack)
		return;
	extack->_msg = msg;
	if (attr)
		extack->bad_attr = attr;
}

/* A required attribute is missing: name it (miss_type) and say so (message). */
static bool cxnet_require(struct genl_info *info, int type, const char *msg)
{
	if (info->attrs[type])
		return true;
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, type);
	cxnet_extack(info->extack, NULL, msg);
	return false;
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

/* Dumps page: cb->args[0] is the next tunable to emit. */
static int cxnet_cmd_sysctl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct cxnet_net *cn = cxnet_pernet(sock_net(skb->sk));
	unsigned int id = cb->args[0];
	int err = 0;

	mutex_lock(&cn->tunables_lock);
	for (; id < cx_tunable_count(); id++) {
		err = cxnet_sysctl_fill(skb, cn, id, NETLINK_CB(cb->skb).portid,
					cb->nlh->nlmsg_seq, NLM_F_MULTI, CXNET_CMD_SYSCTL_NEW);
		if (err)
			break;
	}
	mutex_unlock(&cn->tunables_lock);
	cb->args[0] = id;
	/* A full skb ends this part of the dump; the rest goes in the next one. */
	if (err == -EMSGSIZE && skb->len)
		err = 0;
	return err ?: skb->len;
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
	if (err) {
		cxnet_extack(info->extack, bad >= 0 && bad < (int)n ? value_attr[bad] : NULL, msg);
		return err;
	}
	cxnet_sysctl_notify(cn, id);
	return 0;
}

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
};

static struct genl_family cxnet_genl_family __ro_after_init = {
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
	return genl_register_family(&cxnet_genl_family);
}

void cxnet_genl_exit(void)
{
	genl_unregister_family(&cxnet_genl_family);
}
