/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the files of the "cxnet" generic netlink family share: genl.c (the
 * family, its policy and ops table, info, sysctl, events) and genl_*.c (one
 * per object: links, addresses, routes and rules, neighbours, counters).
 *
 * Conventions of every handler here:
 *  - configuration and dumps of the stack run under rtnl_lock() (cxnet.h);
 *  - IPv4 addresses are be32 on netlink and host order in the stack;
 *  - every refusal carries an extack message (the stack's `msg` when it
 *    gives one); a missing attribute is reported with cxnet_require();
 *  - dumps page with cb->args[] (CXNET_DUMP_*: the stack's cursor and
 *    whether the dump is complete).
 */
#ifndef CXNET_KERNEL_GENL_PRIV_H
#define CXNET_KERNEL_GENL_PRIV_H

#include <net/genetlink.h>
#include <linux/cxnet.h>

#include "cxnet.h"

extern struct genl_family cxnet_genl_family;

enum cxnet_mcgrp { CXNET_MCGRP_EVENTS };

/* Indexes of cb->args in the dumps. */
enum { CXNET_DUMP_CURSOR, CXNET_DUMP_DONE };

/* Like NL_SET_ERR_MSG, for static messages that are not literals (the core's). */
void cxnet_extack(struct netlink_ext_ack *extack, const struct nlattr *attr, const char *msg);
/* A required attribute is missing: name it (miss_type) and say so (message). */
bool cxnet_require(struct genl_info *info, int type, const char *msg);
/* The NLM_F_CREATE/EXCL/REPLACE/APPEND of the request (CXNET_A_REQUEST_FLAGS; CX_NLM_F_*). */
u32 cxnet_nlflags(const struct genl_info *info);
/* End of one part of a dump: a full skb is not an error while it holds something. */
int cxnet_dump_result(struct sk_buff *skb, int err);

/* State of one part of a stack-driven dump (the stack's callbacks get it as `arg`). */
struct cxnet_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	struct net *net;
	int err;		/* -EMSGSIZE once an object did not fit */
};

void cxnet_dump_init(struct cxnet_dump *d, struct sk_buff *skb, struct netlink_callback *cb);
/* Pass the part's outcome on to netlink, marking the dump complete if nothing stopped it. */
int cxnet_dump_finish(struct cxnet_dump *d);

/* Message fillers: shared by replies, dumps and events (portid/seq 0 for events). */
int cxnet_link_fill(struct sk_buff *skb, struct net *net, const struct cx_link_desc *desc,
		    const struct cx_link_stats *stats, u32 portid, u32 seq, int flags, u8 cmd);
int cxnet_addr_fill(struct sk_buff *skb, const struct cx_addr *addr, u32 portid, u32 seq,
		    int flags, u8 cmd);
int cxnet_route_fill(struct sk_buff *skb, const struct cx_route *route, u32 portid, u32 seq,
		     int flags, u8 cmd);
int cxnet_rule_fill(struct sk_buff *skb, const struct cx_rule *rule, u32 portid, u32 seq,
		    int flags, u8 cmd);
int cxnet_neigh_fill(struct sk_buff *skb, const struct cx_neigh *n, u32 portid, u32 seq,
		     int flags, u8 cmd);

/* Nested policies that genl.c's top-level policy refers to. */
extern const struct nla_policy cxnet_multipath_policy[CXNET_MP_A_MAX + 1];

/* genl_link.c */
int cxnet_cmd_link_attach(struct sk_buff *skb, struct genl_info *info);
int cxnet_cmd_link_detach(struct sk_buff *skb, struct genl_info *info);
int cxnet_cmd_link_get(struct sk_buff *skb, struct genl_info *info);
int cxnet_cmd_link_dump(struct sk_buff *skb, struct netlink_callback *cb);
/* genl_addr.c */
int cxnet_cmd_addr_add(struct sk_buff *skb, struct genl_info *info);
int cxnet_cmd_addr_del(struct sk_buff *skb, struct genl_info *info);
int cxnet_cmd_addr_dump(struct sk_buff *skb, struct netlink_callback *cb);
/* genl_route.c: routes and policy rules */
int cxnet_cmd_route_add(struct sk_buff *skb, struct genl_info *info);
int cxnet_cmd_route_del(struct sk_buff *skb, struct genl_info *info);
int cxnet_cmd_route_get(struct sk_buff *skb, struct genl_info *info);
int cxnet_cmd_route_dump(struct sk_buff *skb, struct netlink_callback *cb);
int cxnet_cmd_rule_add(struct sk_buff *skb, struct genl_info *info);
int cxnet_cmd_rule_del(struct sk_buff *skb, struct genl_info *info);
int cxnet_cmd_rule_dump(struct sk_buff *skb, struct netlink_callback *cb);
/* genl_neigh.c */
int cxnet_cmd_neigh_add(struct sk_buff *skb, struct genl_info *info);
int cxnet_cmd_neigh_del(struct sk_buff *skb, struct genl_info *info);
int cxnet_cmd_neigh_dump(struct sk_buff *skb, struct netlink_callback *cb);
/* genl_stats.c */
int cxnet_cmd_stats_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* CXNET_KERNEL_GENL_PRIV_H */
