// SPDX-License-Identifier: GPL-2.0
/*
 * "cxnet" generic netlink: routes (`cxip route`, RTM_NEWROUTE/DELROUTE/
 * GETROUTE) and policy rules (`cxip rule`, FIB rules).
 *
 * Defaults are rtnetlink's for what iproute2 leaves to the kernel; what
 * iproute2 decides itself (the scope of a local or gateway-less route, the
 * table of a rule) is the client's, and the kernel takes what it is sent.
 */
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "genl_priv.h"

/* ---- routes ---------------------------------------------------------------------------- */

static int cxnet_nexthop_fill(struct sk_buff *skb, const struct cx_nexthop *nh)
{
	struct nlattr *nest = nla_nest_start(skb, CXNET_MP_A_NEXTHOP);

	if (!nest ||
	    (nh->gateway && nla_put_in_addr(skb, CXNET_NH_A_GATEWAY, htonl(nh->gateway))) ||
	    (nh->ifindex && nla_put_u32(skb, CXNET_NH_A_IFINDEX, nh->ifindex)) ||
	    nla_put_u16(skb, CXNET_NH_A_WEIGHT, nh->weight) ||
	    (nh->flags && nla_put_u8(skb, CXNET_NH_A_FLAGS, nh->flags)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* A route: one nexthop as GATEWAY/OIF/NH_FLAGS, several as a MULTIPATH nest. */
int cxnet_route_fill(struct sk_buff *skb, const struct cx_route *route, u32 portid, u32 seq,
		     int flags, u8 cmd)
{
	u32 count = min_t(u32, route->nexthop_count, CX_ROUTE_MAX_NEXTHOPS);
	const struct cx_nexthop *nh = &route->nexthops[0];
	struct nlattr *mp;
	void *hdr;
	u32 i;

	hdr = genlmsg_put(skb, portid, seq, &cxnet_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, CXNET_A_RT_TABLE, route->table) ||
	    nla_put_in_addr(skb, CXNET_A_RT_DST, htonl(route->dst)) ||
	    nla_put_u8(skb, CXNET_A_RT_DST_LEN, route->dst_len) ||
	    nla_put_u8(skb, CXNET_A_RT_TOS, route->tos) ||
	    nla_put_u8(skb, CXNET_A_RT_TYPE, route->type) ||
	    nla_put_u8(skb, CXNET_A_RT_SCOPE, route->scope) ||
	    nla_put_u8(skb, CXNET_A_RT_PROTOCOL, route->protocol) ||
	    nla_put_u32(skb, CXNET_A_RT_PRIORITY, route->priority) ||
	    (route->prefsrc && nla_put_in_addr(skb, CXNET_A_RT_PREFSRC, htonl(route->prefsrc))) ||
	    (route->mtu && nla_put_u32(skb, CXNET_A_RT_MTU, route->mtu)))
		goto cancel;
	if (count == 1) {
		if ((nh->gateway && nla_put_in_addr(skb, CXNET_A_RT_GATEWAY, htonl(nh->gateway))) ||
		    (nh->ifindex && nla_put_u32(skb, CXNET_A_RT_OIF, nh->ifindex)) ||
		    (nh->flags && nla_put_u8(skb, CXNET_A_RT_NH_FLAGS, nh->flags)))
			goto cancel;
	} else if (count > 1) {
		mp = nla_nest_start(skb, CXNET_A_RT_MULTIPATH);
		if (!mp)
			goto cancel;
		for (i = 0; i < count; i++)
			if (cxnet_nexthop_fill(skb, &route->nexthops[i]))
				goto cancel;
		nla_nest_end(skb, mp);
	}
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* CXNET_A_RT_MULTIPATH into route->nexthops (fib_get_nhs()). */
static int cxnet_route_parse_multipath(struct genl_info *info, struct cx_route *route)
{
	const struct nlattr *mp = info->attrs[CXNET_A_RT_MULTIPATH];
	struct nlattr *tb[CXNET_NH_A_MAX + 1];
	const struct nlattr *attr;
	struct cx_nexthop *nh;
	int rem, err;

	BUILD_BUG_ON(CX_ROUTE_MAX_NEXTHOPS != CXNET_MULTIPATH_MAX);
	nla_for_each_nested(attr, mp, rem) {
		if (nla_type(attr) != CXNET_MP_A_NEXTHOP)
			continue;	/* none: the policy refused every other type */
		if (route->nexthop_count == CXNET_MULTIPATH_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "too many nexthops (at most " __stringify(CXNET_MULTIPATH_MAX) ")");
			return -EINVAL;
		}
		err = nla_parse_nested(tb, CXNET_NH_A_MAX, attr,
				       cxnet_multipath_policy[CXNET_MP_A_NEXTHOP].nested_policy,
				       info->extack);
		if (err)
			return err;
		nh = &route->nexthops[route->nexthop_count++];
		if (tb[CXNET_NH_A_GATEWAY])
			nh->gateway = ntohl(nla_get_in_addr(tb[CXNET_NH_A_GATEWAY]));
		if (tb[CXNET_NH_A_IFINDEX])
			nh->ifindex = nla_get_u32(tb[CXNET_NH_A_IFINDEX]);
		nh->weight = tb[CXNET_NH_A_WEIGHT] ? nla_get_u16(tb[CXNET_NH_A_WEIGHT]) : 1;
		if (tb[CXNET_NH_A_FLAGS])
			nh->flags = nla_get_u8(tb[CXNET_NH_A_FLAGS]);
	}
	if (!route->nexthop_count) {
		NL_SET_ERR_MSG_ATTR(info->extack, mp,
				    "Invalid nexthop configuration - no valid nexthops");
		return -EINVAL;
	}
	/* A gateway or device beside the nest must be the first nexthop's (fib_create_info). */
	nh = &route->nexthops[0];
	if (info->attrs[CXNET_A_RT_OIF] &&
	    nla_get_u32(info->attrs[CXNET_A_RT_OIF]) != nh->ifindex) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CXNET_A_RT_OIF],
				    "Nexthop device index does not match RTA_OIF");
		return -EINVAL;
	}
	if (info->attrs[CXNET_A_RT_GATEWAY] &&
	    ntohl(nla_get_in_addr(info->attrs[CXNET_A_RT_GATEWAY])) != nh->gateway) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CXNET_A_RT_GATEWAY],
				    "Nexthop gateway does not match RTA_GATEWAY");
		return -EINVAL;
	}
	return 0;
}

/*
 * The request as struct cx_route (rtm_to_fib_config()). Absent attributes:
 * table 0 (main), type unicast / scope universe / protocol boot on add and
 * "any" on delete, as iproute2 sends them; DST alone means DST/32.
 */
static int cxnet_route_parse(struct genl_info *info, struct cx_route *route, bool add)
{
	struct nlattr **tb = info->attrs;

	memset(route, 0, sizeof(*route));
	if (tb[CXNET_A_RT_TABLE])
		route->table = nla_get_u32(tb[CXNET_A_RT_TABLE]);
	if (tb[CXNET_A_RT_DST])
		route->dst = ntohl(nla_get_in_addr(tb[CXNET_A_RT_DST]));
	if (tb[CXNET_A_RT_DST_LEN])
		route->dst_len = nla_get_u8(tb[CXNET_A_RT_DST_LEN]);
	else
		route->dst_len = tb[CXNET_A_RT_DST] ? 32 : 0;
	if (tb[CXNET_A_RT_TOS])
		route->tos = nla_get_u8(tb[CXNET_A_RT_TOS]);
	if (tb[CXNET_A_RT_TYPE])
		route->type = nla_get_u8(tb[CXNET_A_RT_TYPE]);
	else
		route->type = add ? RTN_UNICAST : RTN_UNSPEC;
	if (tb[CXNET_A_RT_SCOPE])
		route->scope = nla_get_u8(tb[CXNET_A_RT_SCOPE]);
	else
		route->scope = add ? RT_SCOPE_UNIVERSE : RT_SCOPE_NOWHERE;
	if (tb[CXNET_A_RT_PROTOCOL])
		route->protocol = nla_get_u8(tb[CXNET_A_RT_PROTOCOL]);
	else
		route->protocol = add ? RTPROT_BOOT : RTPROT_UNSPEC;
	if (tb[CXNET_A_RT_PRIORITY])
		route->priority = nla_get_u32(tb[CXNET_A_RT_PRIORITY]);
	if (tb[CXNET_A_RT_PREFSRC])
		route->prefsrc = ntohl(nla_get_in_addr(tb[CXNET_A_RT_PREFSRC]));
	if (tb[CXNET_A_RT_MTU])
		route->mtu = nla_get_u32(tb[CXNET_A_RT_MTU]);

	if (tb[CXNET_A_RT_MULTIPATH])
		return cxnet_route_parse_multipath(info, route);
	if (tb[CXNET_A_RT_GATEWAY] || tb[CXNET_A_RT_OIF] || tb[CXNET_A_RT_NH_FLAGS]) {
		struct cx_nexthop *nh = &route->nexthops[0];

		route->nexthop_count = 1;
		nh->weight = 1;
		if (tb[CXNET_A_RT_GATEWAY])
			nh->gateway = ntohl(nla_get_in_addr(tb[CXNET_A_RT_GATEWAY]));
		if (tb[CXNET_A_RT_OIF])
			nh->ifindex = nla_get_u32(tb[CXNET_A_RT_OIF]);
		if (tb[CXNET_A_RT_NH_FLAGS])
			nh->flags = nla_get_u8(tb[CXNET_A_RT_NH_FLAGS]);
	}
	return 0;
}

/* struct cx_route holds 32 nexthops: kept off the stack. */
static int cxnet_route_change(struct genl_info *info, bool add)
{
	struct cxnet_net *cn = cxnet_pernet(genl_info_net(info));
	const char *msg = NULL;
	struct cx_route *route;
	int err;

	route = kmalloc(sizeof(*route), GFP_KERNEL);
	if (!route)
		return -ENOMEM;
	err = cxnet_route_parse(info, route, add);
	if (err)
		goto out;
	rtnl_lock();
	if (add)
		err = cx_stack_route_add(cn->stack, route, cxnet_nlflags(info), &msg);
	else
		err = cx_stack_route_del(cn->stack, route, &msg);
	rtnl_unlock();
	if (err)
		cxnet_extack(info->extack, NULL, msg);
out:
	kfree(route);
	return err;
}

int cxnet_cmd_route_add(struct sk_buff *skb, struct genl_info *info)
{
	return cxnet_route_change(info, true);
}

int cxnet_cmd_route_del(struct sk_buff *skb, struct genl_info *info)
{
	return cxnet_route_change(info, false);
}

/* The answer of `ip route get`: the query's destination as a /32, and the flow echoed. */
static int cxnet_route_get_fill(struct sk_buff *skb, struct genl_info *info,
				const struct cx_route_query *q, const struct cx_route_answer *ans)
{
	struct nlattr **tb = info->attrs;
	void *hdr;

	hdr = genlmsg_put_reply(skb, info, &cxnet_genl_family, 0, CXNET_CMD_ROUTE_NEW);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, CXNET_A_RT_TABLE, ans->table) ||
	    nla_put_in_addr(skb, CXNET_A_RT_DST, htonl(q->dst)) ||
	    nla_put_u8(skb, CXNET_A_RT_DST_LEN, 32) ||
	    nla_put_u8(skb, CXNET_A_RT_TYPE, ans->type) ||
	    (ans->gateway && nla_put_in_addr(skb, CXNET_A_RT_GATEWAY, htonl(ans->gateway))) ||
	    (ans->oif && nla_put_u32(skb, CXNET_A_RT_OIF, ans->oif)) ||
	    (ans->prefsrc && nla_put_in_addr(skb, CXNET_A_RT_PREFSRC, htonl(ans->prefsrc))) ||
	    (ans->mtu && nla_put_u32(skb, CXNET_A_RT_MTU, ans->mtu)) ||
	    nla_put_u32(skb, CXNET_A_RT_RULE_PREF, ans->rule_pref) ||
	    (tb[CXNET_A_RT_SRC] && nla_put_in_addr(skb, CXNET_A_RT_SRC, htonl(q->src))) ||
	    (tb[CXNET_A_RT_IIF] && nla_put_u32(skb, CXNET_A_RT_IIF, q->iif)) ||
	    (tb[CXNET_A_RT_MARK] && nla_put_u32(skb, CXNET_A_RT_MARK, q->mark)) ||
	    (tb[CXNET_A_RT_IPPROTO] && nla_put_u8(skb, CXNET_A_RT_IPPROTO, q->ipproto)) ||
	    (tb[CXNET_A_RT_SPORT] && nla_put_u16(skb, CXNET_A_RT_SPORT, q->sport)) ||
	    (tb[CXNET_A_RT_DPORT] && nla_put_u16(skb, CXNET_A_RT_DPORT, q->dport))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* `ip route get DST [from SRC] [iif DEV] [oif DEV] [mark M] [ipproto P] [sport S] [dport D]` */
int cxnet_cmd_route_get(struct sk_buff *skb, struct genl_info *info)
{
	struct cxnet_net *cn = cxnet_pernet(genl_info_net(info));
	struct nlattr **tb = info->attrs;
	struct cx_route_answer ans = {};
	struct cx_route_query q = {};
	const char *errmsg = NULL;
	struct sk_buff *msg;
	int err;

	if (!cxnet_require(info, CXNET_A_RT_DST, "missing destination (CXNET_A_RT_DST)"))
		return -EINVAL;
	q.dst = ntohl(nla_get_in_addr(tb[CXNET_A_RT_DST]));
	if (tb[CXNET_A_RT_SRC])
		q.src = ntohl(nla_get_in_addr(tb[CXNET_A_RT_SRC]));
	if (tb[CXNET_A_RT_IIF])
		q.iif = nla_get_u32(tb[CXNET_A_RT_IIF]);
	if (tb[CXNET_A_RT_OIF])
		q.oif = nla_get_u32(tb[CXNET_A_RT_OIF]);
	if (tb[CXNET_A_RT_MARK])
		q.mark = nla_get_u32(tb[CXNET_A_RT_MARK]);
	if (tb[CXNET_A_RT_IPPROTO])
		q.ipproto = nla_get_u8(tb[CXNET_A_RT_IPPROTO]);
	if (tb[CXNET_A_RT_SPORT])
		q.sport = nla_get_u16(tb[CXNET_A_RT_SPORT]);
	if (tb[CXNET_A_RT_DPORT])
		q.dport = nla_get_u16(tb[CXNET_A_RT_DPORT]);

	rtnl_lock();
	err = cx_stack_route_get(cn->stack, &q, &ans, &errmsg);
	rtnl_unlock();
	if (err) {
		cxnet_extack(info->extack, NULL, errmsg);
		return err;
	}
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = cxnet_route_get_fill(msg, info, &q, &ans);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int cxnet_route_dump_one(void *arg, const struct cx_route *route)
{
	struct cxnet_dump *d = arg;

	d->err = cxnet_route_fill(d->skb, route, NETLINK_CB(d->cb->skb).portid,
				  d->cb->nlh->nlmsg_seq, NLM_F_MULTI, CXNET_CMD_ROUTE_NEW);
	return d->err;
}

/* Every route, or those of CXNET_A_RT_TABLE (0: every table). */
int cxnet_cmd_route_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **tb = genl_dumpit_info(cb)->attrs;
	u64 cursor = cb->args[CXNET_DUMP_CURSOR];
	struct cxnet_dump d;
	u32 table = 0;

	if (cb->args[CXNET_DUMP_DONE])
		return 0;
	if (tb[CXNET_A_RT_TABLE])
		table = nla_get_u32(tb[CXNET_A_RT_TABLE]);
	cxnet_dump_init(&d, skb, cb);
	rtnl_lock();
	cx_stack_route_dump(cxnet_pernet(d.net)->stack, table, &cursor, cxnet_route_dump_one, &d);
	rtnl_unlock();
	cb->args[CXNET_DUMP_CURSOR] = cursor;
	return cxnet_dump_finish(&d);
}

/* ---- rules ----------------------------------------------------------------------------- */

int cxnet_rule_fill(struct sk_buff *skb, const struct cx_rule *rule, u32 portid, u32 seq,
		    int flags, u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &cxnet_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, CXNET_A_RULE_PREF, rule->pref) ||
	    nla_put_u8(skb, CXNET_A_RULE_ACTION, rule->action) ||
	    nla_put_u32(skb, CXNET_A_RULE_TABLE, rule->table) ||
	    (rule->src_len &&
	     (nla_put_in_addr(skb, CXNET_A_RULE_SRC, htonl(rule->src)) ||
	      nla_put_u8(skb, CXNET_A_RULE_SRC_LEN, rule->src_len))) ||
	    (rule->dst_len &&
	     (nla_put_in_addr(skb, CXNET_A_RULE_DST, htonl(rule->dst)) ||
	      nla_put_u8(skb, CXNET_A_RULE_DST_LEN, rule->dst_len))) ||
	    (rule->tos && nla_put_u8(skb, CXNET_A_RULE_TOS, rule->tos)) ||
	    (rule->ipproto && nla_put_u8(skb, CXNET_A_RULE_IPPROTO, rule->ipproto)) ||
	    (rule->iif && nla_put_u32(skb, CXNET_A_RULE_IIF, rule->iif)) ||
	    (rule->oif && nla_put_u32(skb, CXNET_A_RULE_OIF, rule->oif)) ||
	    ((rule->mark || rule->mark_mask) &&
	     (nla_put_u32(skb, CXNET_A_RULE_FWMARK, rule->mark) ||
	      nla_put_u32(skb, CXNET_A_RULE_FWMASK, rule->mark_mask))) ||
	    ((rule->sport_start || rule->sport_end) &&
	     (nla_put_u16(skb, CXNET_A_RULE_SPORT_START, rule->sport_start) ||
	      nla_put_u16(skb, CXNET_A_RULE_SPORT_END, rule->sport_end))) ||
	    ((rule->dport_start || rule->dport_end) &&
	     (nla_put_u16(skb, CXNET_A_RULE_DPORT_START, rule->dport_start) ||
	      nla_put_u16(skb, CXNET_A_RULE_DPORT_END, rule->dport_end))) ||
	    (rule->suppress_prefixlen != -1 &&
	     nla_put_u32(skb, CXNET_A_RULE_SUPPRESS_PREFIXLEN, rule->suppress_prefixlen)) ||
	    nla_put_u32(skb, CXNET_A_RULE_FLAGS, rule->flags)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* A port range: END alone is refused, START alone is START-START (FRA_*PORT_RANGE). */
static int cxnet_rule_port_range(struct genl_info *info, int start_type, int end_type,
				 u16 *start, u16 *end, const char *what)
{
	struct nlattr *s = info->attrs[start_type], *e = info->attrs[end_type];

	if (!s && !e)
		return 0;
	if (!s) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, start_type);
		cxnet_extack(info->extack, NULL, what);
		return -EINVAL;
	}
	*start = nla_get_u16(s);
	*end = e ? nla_get_u16(e) : *start;
	/* fib_rule_port_range_valid() */
	if (!*start || *start > *end || *end == 0xffff) {
		cxnet_extack(info->extack, e ?: s, what);
		return -EINVAL;
	}
	return 0;
}

/* The request as struct cx_rule (fib_nl2rule()). */
static int cxnet_rule_parse(struct genl_info *info, struct cx_rule *rule, bool add)
{
	struct nlattr **tb = info->attrs;
	int err;

	memset(rule, 0, sizeof(*rule));
	rule->suppress_prefixlen = -1;
	if (tb[CXNET_A_RULE_PREF]) {
		rule->pref = nla_get_u32(tb[CXNET_A_RULE_PREF]);
		rule->has_pref = true;
	}
	if (tb[CXNET_A_RULE_ACTION])
		rule->action = nla_get_u8(tb[CXNET_A_RULE_ACTION]);
	else
		rule->action = add ? FR_ACT_TO_TBL : FR_ACT_UNSPEC;
	if (tb[CXNET_A_RULE_TABLE])
		rule->table = nla_get_u32(tb[CXNET_A_RULE_TABLE]);
	/* A prefix length needs its address; an address alone is a /32. */
	if (tb[CXNET_A_RULE_SRC_LEN])
		rule->src_len = nla_get_u8(tb[CXNET_A_RULE_SRC_LEN]);
	else if (tb[CXNET_A_RULE_SRC])
		rule->src_len = 32;
	if (rule->src_len && !tb[CXNET_A_RULE_SRC]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[CXNET_A_RULE_SRC_LEN], "Invalid source address");
		return -EINVAL;
	}
	if (tb[CXNET_A_RULE_SRC])
		rule->src = ntohl(nla_get_in_addr(tb[CXNET_A_RULE_SRC]));
	if (tb[CXNET_A_RULE_DST_LEN])
		rule->dst_len = nla_get_u8(tb[CXNET_A_RULE_DST_LEN]);
	else if (tb[CXNET_A_RULE_DST])
		rule->dst_len = 32;
	if (rule->dst_len && !tb[CXNET_A_RULE_DST]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[CXNET_A_RULE_DST_LEN], "Invalid dst address");
		return -EINVAL;
	}
	if (tb[CXNET_A_RULE_DST])
		rule->dst = ntohl(nla_get_in_addr(tb[CXNET_A_RULE_DST]));
	if (tb[CXNET_A_RULE_TOS])
		rule->tos = nla_get_u8(tb[CXNET_A_RULE_TOS]);
	if (tb[CXNET_A_RULE_IPPROTO])
		rule->ipproto = nla_get_u8(tb[CXNET_A_RULE_IPPROTO]);
	if (tb[CXNET_A_RULE_IIF])
		rule->iif = nla_get_u32(tb[CXNET_A_RULE_IIF]);
	if (tb[CXNET_A_RULE_OIF])
		rule->oif = nla_get_u32(tb[CXNET_A_RULE_OIF]);
	if (tb[CXNET_A_RULE_FWMARK]) {
		rule->mark = nla_get_u32(tb[CXNET_A_RULE_FWMARK]);
		/* Compatibility (fib_nl2rule): a nonzero mark compares every bit unless masked. */
		if (rule->mark)
			rule->mark_mask = 0xffffffff;
	}
	if (tb[CXNET_A_RULE_FWMASK])
		rule->mark_mask = nla_get_u32(tb[CXNET_A_RULE_FWMASK]);
	err = cxnet_rule_port_range(info, CXNET_A_RULE_SPORT_START, CXNET_A_RULE_SPORT_END,
				    &rule->sport_start, &rule->sport_end, "Invalid sport range");
	if (err)
		return err;
	err = cxnet_rule_port_range(info, CXNET_A_RULE_DPORT_START, CXNET_A_RULE_DPORT_END,
				    &rule->dport_start, &rule->dport_end, "Invalid dport range");
	if (err)
		return err;
	if (tb[CXNET_A_RULE_SUPPRESS_PREFIXLEN])
		rule->suppress_prefixlen = nla_get_u32(tb[CXNET_A_RULE_SUPPRESS_PREFIXLEN]);
	if (tb[CXNET_A_RULE_FLAGS])
		rule->flags = nla_get_u32(tb[CXNET_A_RULE_FLAGS]);
	return 0;
}

static int cxnet_rule_change(struct genl_info *info, bool add)
{
	struct cxnet_net *cn = cxnet_pernet(genl_info_net(info));
	const char *msg = NULL;
	struct cx_rule rule;
	int err;

	err = cxnet_rule_parse(info, &rule, add);
	if (err)
		return err;
	rtnl_lock();
	if (add)
		err = cx_stack_rule_add(cn->stack, &rule, cxnet_nlflags(info), &msg);
	else
		err = cx_stack_rule_del(cn->stack, &rule, &msg);
	rtnl_unlock();
	if (err)
		cxnet_extack(info->extack, NULL, msg);
	return err;
}

int cxnet_cmd_rule_add(struct sk_buff *skb, struct genl_info *info)
{
	return cxnet_rule_change(info, true);
}

int cxnet_cmd_rule_del(struct sk_buff *skb, struct genl_info *info)
{
	return cxnet_rule_change(info, false);
}

static int cxnet_rule_dump_one(void *arg, const struct cx_rule *rule)
{
	struct cxnet_dump *d = arg;

	d->err = cxnet_rule_fill(d->skb, rule, NETLINK_CB(d->cb->skb).portid,
				 d->cb->nlh->nlmsg_seq, NLM_F_MULTI, CXNET_CMD_RULE_NEW);
	return d->err;
}

int cxnet_cmd_rule_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	u64 cursor = cb->args[CXNET_DUMP_CURSOR];
	struct cxnet_dump d;

	if (cb->args[CXNET_DUMP_DONE])
		return 0;
	cxnet_dump_init(&d, skb, cb);
	rtnl_lock();
	cx_stack_rule_dump(cxnet_pernet(d.net)->stack, &cursor, cxnet_rule_dump_one, &d);
	rtnl_unlock();
	cb->args[CXNET_DUMP_CURSOR] = cursor;
	return cxnet_dump_finish(&d);
}
