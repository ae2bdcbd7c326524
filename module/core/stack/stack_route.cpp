// SPDX-License-Identifier: GPL-2.0
/*
 * Routing glue: the netns's Fib configured from netlink (with Linux's
 * nexthop checks, fib_check_nh()), the kernel routes of addresses
 * (fib_magic), output route resolution (ip_route_output_key), `ip route
 * get`, and route/rule dumps.
 */
#include "stack_impl.h"

namespace cx::stack {

namespace {

using route::FibFlow;
using route::FibResult;
using route::kScopeHost;
using route::kScopeLink;
using route::kScopeNowhere;
using route::kScopeUniverse;
using route::RouteConfig;

constexpr int32_t kLoopbackIfindex = 1;

void retire_cb(void *ctx, void (*free_fn)(void *), void *obj)
{
	(void)ctx;
	cx_os_rcu_retire(free_fn, obj);
}

uint32_t source_cb(void *ctx, int32_t oif, uint32_t dst, uint8_t scope)
{
	/* FIB_RES_PREFSRC: inet_select_addr(nh dev, gw or dst, scope of the route) */
	return select_source(static_cast<cx_stack *>(ctx), oif, dst, scope);
}

bool is_multicast(uint32_t a)
{
	return (a & 0xf0000000u) == 0xe0000000u;
}

bool is_loopback_net(uint32_t a)
{
	return (a >> 24) == 127;
}

/* ipv4_is_zeronet(): 0.0.0.0 only since Linux 5.3 (0/8 is ordinary unicast) */
bool is_zeronet(uint32_t a)
{
	return a == 0;
}

/* 224.0.0.0/24 */
bool is_local_multicast(uint32_t a)
{
	return (a & 0xffffff00u) == 0xe0000000u;
}

constexpr uint8_t kProtoIgmp = 2;

void to_config(const cx_route &r, RouteConfig *cfg)
{
	*cfg = RouteConfig{};
	cfg->table = r.table;
	cfg->dst = r.dst;
	cfg->dst_len = r.dst_len;
	cfg->tos = r.tos;
	cfg->type = static_cast<RtnType>(r.type);
	cfg->scope = r.scope;
	cfg->protocol = r.protocol;
	cfg->priority = r.priority;
	cfg->prefsrc = r.prefsrc;
	cfg->mtu = r.mtu;
}

void from_entry(uint32_t table, const route::RouteEntry &e, cx_route *r)
{
	*r = cx_route{};
	const route::RouteInfo *info = e.info;
	r->table = table;
	r->dst = e.prefix;
	r->dst_len = e.len;
	r->tos = e.tos;
	r->type = static_cast<uint8_t>(e.type);
	r->scope = info->scope;
	r->protocol = info->protocol;
	r->priority = info->priority;
	r->prefsrc = info->prefsrc;
	r->mtu = info->mtu;
	r->nexthop_count = info->nexthop_count;
	for (uint32_t i = 0; i < info->nexthop_count && i < CX_ROUTE_MAX_NEXTHOPS; i++) {
		r->nexthops[i].gateway = info->nexthops[i].gateway;
		r->nexthops[i].ifindex = info->nexthops[i].ifindex;
		r->nexthops[i].weight = info->nexthops[i].weight;
		r->nexthops[i].flags = info->nexthops[i].flags;
	}
}

/*
 * fib_check_nh_v4_gw(): a gateway must be directly reachable (a connected
 * route of scope link or wider, on dev if given) unless onlink. Fills in
 * the device when it was not given.
 */
int check_nexthop(cx_stack *s, route::Nexthop *nh, uint32_t table, uint8_t route_scope,
		  const char **msg)
{
	if (nh->ifindex && !link_find(s, nh->ifindex)) {
		*msg = "Nexthop device is not attached to cxnet";
		return -CX_ENODEV;
	}
	if (!nh->gateway) {
		if (!nh->ifindex) {
			*msg = "Nexthop needs a gateway or a device";
			return -CX_EINVAL;
		}
		return 0;
	}
	if (nh->flags & route::kNexthopOnlink) {
		if (!nh->ifindex) {
			*msg = "Nexthop device required for onlink";
			return -CX_EINVAL;
		}
		if (addr_type(s, nh->gateway) != RtnType::Unicast) {
			*msg = "Nexthop has invalid gateway";
			return -CX_EINVAL;
		}
		return 0;
	}
	if (route_scope >= kScopeLink) {
		*msg = "Route with host scope can not have a gateway";
		return -CX_EINVAL;
	}
	FibFlow flow{};
	flow.dst = nh->gateway;
	flow.iif = kLoopbackIfindex;
	flow.oif = nh->ifindex;
	flow.scope = static_cast<uint8_t>(route_scope + 1);
	if (flow.scope < kScopeLink)
		flow.scope = kScopeLink;
	FibResult res;
	/*
	 * The route's own table first (not main), then, on any error there,
	 * the full rule lookup: "nexthops in the local table rather than the
	 * given table".
	 */
	int err = -CX_EAGAIN;
	if (table && table != route::kTableMain)
		err = s->fib.lookup_in_table(table, flow, &res);
	if (err)
		err = s->fib.lookup(flow, &res);
	if (err) {
		*msg = "Nexthop has invalid gateway";
		return err;
	}
	if (res.type != RtnType::Unicast && res.type != RtnType::Local) {
		*msg = "Nexthop has invalid gateway";
		return -CX_EINVAL;
	}
	if (nh->ifindex && res.oif != nh->ifindex) {
		*msg = "Nexthop has invalid gateway";
		return -CX_ENETUNREACH;
	}
	nh->ifindex = res.oif;
	return 0;
}

void notify(cx_stack *s, int event, const cx_route &r)
{
	if (s->ops->notify)
		s->ops->notify(s->host_ctx, event, &r);
}

cx::route::Rule to_rule(const cx_rule &r)
{
	cx::route::Rule rule{};
	rule.pref = r.pref;
	rule.has_pref = r.has_pref;
	rule.has_src = r.src_len || r.src;
	rule.has_dst = r.dst_len || r.dst;
	rule.action = static_cast<cx::route::RuleAction>(r.action);
	rule.table = r.table;
	rule.src = r.src;
	rule.dst = r.dst;
	rule.src_len = r.src_len;
	rule.dst_len = r.dst_len;
	rule.tos = r.tos;
	rule.ip_proto = r.ipproto;
	rule.iif = r.iif;
	rule.oif = r.oif;
	rule.mark = r.mark;
	rule.mark_mask = r.mark_mask;
	rule.sport = {r.sport_start, r.sport_end};
	rule.dport = {r.dport_start, r.dport_end};
	rule.suppress_prefixlen = r.suppress_prefixlen;
	rule.flags = r.flags;
	return rule;
}

cx_rule from_rule(const cx::route::Rule &rule)
{
	cx_rule r{};
	r.pref = rule.pref;
	r.has_pref = true;
	r.action = static_cast<uint8_t>(rule.action);
	r.table = rule.table;
	r.src = rule.src;
	r.dst = rule.dst;
	r.src_len = rule.src_len;
	r.dst_len = rule.dst_len;
	r.tos = rule.tos;
	r.ipproto = rule.ip_proto;
	r.iif = rule.iif;
	r.oif = rule.oif;
	r.mark = rule.mark;
	r.mark_mask = rule.mark_mask;
	r.sport_start = rule.sport.start;
	r.sport_end = rule.sport.end;
	r.dport_start = rule.dport.start;
	r.dport_end = rule.dport.end;
	r.suppress_prefixlen = rule.suppress_prefixlen;
	r.flags = rule.flags;
	return r;
}

struct DumpItem {
	uint32_t table;
	const route::RouteEntry *entry;
};

bool item_before(const DumpItem &a, const DumpItem &b)
{
	if (a.table != b.table)
		return a.table > b.table;	/* main (254) before numbered ones, local last */
	if (a.entry->prefix != b.entry->prefix)
		return a.entry->prefix < b.entry->prefix;
	return a.entry->len < b.entry->len;
}

} // namespace

int route_init(cx_stack *s)
{
	s->fib.set_retire(retire_cb, s);
	s->fib.set_source_select(source_cb, s);
	return s->fib.init(Gfp::Kernel);
}

void route_destroy(cx_stack *s)
{
	s->fib.destroy();
}

int route_magic(cx_stack *s, bool add, RtnType type, uint32_t dst, uint8_t len, uint32_t prefsrc,
		int32_t ifindex, route::RouteJournal *journal)
{
	RouteConfig cfg{};
	cfg.dst = dst;
	cfg.dst_len = len;
	cfg.type = type;
	cfg.protocol = route::kProtoKernel;
	cfg.prefsrc = prefsrc;
	cfg.oif = ifindex;
	cfg.table = type == RtnType::Unicast ? route::kTableMain : route::kTableLocal;
	if (add) {
		cfg.scope = type == RtnType::Local ? kScopeHost : kScopeLink;
		cfg.nlflags = route::kNlmCreate | route::kNlmAppend;
		/* -EEXIST: another address implies the same route */
		return s->fib.route_add(cfg, Gfp::Kernel, journal);
	}
	cfg.scope = kScopeNowhere;
	int err = s->fib.route_delete(cfg, journal);
	/* gone already (e.g. deleted by hand) is fine */
	return err == -CX_ESRCH ? 0 : err;
}

void route_flush_link(cx_stack *s, int32_t ifindex)
{
	/*
	 * fib_sync_down_dev(force): every route with a nexthop on the device
	 * goes. Its infos die first, in place: if the new snapshot cannot be
	 * built below, lookups on the old one skip those routes anyway.
	 */
	for (uint32_t t = 0; t < s->fib.table_count(); t++) {
		s->fib.table_at(t)->for_each_prefix([&](const route::RouteEntry *head) {
			for (const route::RouteEntry *e = head; e; e = e->next)
				for (uint32_t i = 0; i < e->info->nexthop_count; i++)
					if (e->info->nexthops[i].ifindex == ifindex) {
						route::route_info_kill(e->info);
						break;
					}
		});
	}
	for (;;) {
		bool found = false;
		RouteConfig cfg{};
		for (uint32_t t = 0; t < s->fib.table_count() && !found; t++) {
			route::RouteTable *table = s->fib.table_at(t);
			table->for_each_prefix([&](const route::RouteEntry *head) {
				for (const route::RouteEntry *e = head; e && !found; e = e->next) {
					const route::RouteInfo *info = e->info;
					for (uint32_t i = 0; i < info->nexthop_count; i++) {
						if (info->nexthops[i].ifindex != ifindex)
							continue;
						cx_route r;
						from_entry(table->id(), *e, &r);
						to_config(r, &cfg);
						found = true;
						break;
					}
				}
			});
		}
		if (!found)
			break;
		/* the first route of (prefix, tos) whose type/scope/priority/prefsrc match */
		if (s->fib.route_delete(cfg))
			break;
	}
	s->fib.commit(Gfp::Kernel);
}

/*
 * ip_route_output_key_hash_rcu() + __mkroute_output(). Called under the
 * stack's read lock.
 */
int route_output(cx_stack *s, const cx_flow *flow, FibResult *res, cx_route_out *out)
{
	*out = cx_route_out{};
	*res = FibResult{};
	uint32_t daddr = flow->daddr;
	uint32_t saddr = flow->saddr;
	int32_t oif = flow->oif;
	bool lbcast = daddr == 0xffffffffu;
	bool mcast = is_multicast(daddr);
	bool fib = true;	/* false: "goto make_route" without a FIB answer */
	bool local = false;
	if (saddr) {
		if (is_multicast(saddr) || saddr == 0xffffffffu || is_zeronet(saddr))
			return -CX_EINVAL;
		/* a source that is not ours is unroutable */
		int32_t owner = addr_owner(s, saddr);
		if (!owner)
			return -CX_ENETUNREACH;
		if (!oif && (mcast || lbcast)) {
			/* multicast and limited broadcast from a source: its device */
			oif = owner;
			fib = false;
		}
	}
	if (fib && oif) {
		if (!link_find(s, oif))
			return -CX_ENODEV;
		if (is_local_multicast(daddr) || lbcast || flow->proto == kProtoIgmp) {
			if (!saddr)
				saddr = select_source(s, oif, 0, kScopeLink);
			fib = false;
		} else if (!saddr && mcast) {
			saddr = select_source(s, oif, 0, kScopeUniverse);
		}
	}
	if (fib && (!daddr || is_loopback_net(daddr))) {
		/* to 0.0.0.0: ourselves; 127/8 is the loopback device's (up in every netns) */
		if (!daddr)
			daddr = saddr ? saddr : 0x7f000001u;
		if (!saddr)
			saddr = is_loopback_net(daddr) ? 0x7f000001u : daddr;
		res->type = RtnType::Local;
		res->oif = kLoopbackIfindex;
		res->table = route::kTableLocal;
		fib = false;
		local = true;
	} else if (fib) {
		FibFlow f{};
		f.dst = daddr;
		f.src = saddr;
		f.iif = kLoopbackIfindex;
		f.oif = oif;
		f.mark = flow->mark;
		f.proto = flow->proto;
		f.tos = flow->tos;
		f.scope = kScopeUniverse;
		f.sport = flow->sport;
		f.dport = flow->dport;
		int err = s->fib.lookup(f, res);
		if (err && oif) {
			/* no route, but the device is given: straight out of it */
			*res = FibResult{};
			res->type = RtnType::Unicast;
			res->oif = oif;
			if (!saddr)
				saddr = select_source(s, oif, 0, kScopeLink);
		} else if (err) {
			mib_inc(s, StackMib::OutNoRoutes);
			return err;
		} else if (res->type == RtnType::Local) {
			if (!saddr)
				saddr = res->route_prefsrc ? res->route_prefsrc : daddr;
			local = true;
		} else if (!saddr) {
			/* fib_select_path(): fib_result_prefsrc() */
			saddr = res->prefsrc;
		}
	}
	if (!fib && !local) {
		res->oif = oif;
		res->table = route::kTableMain;
	}
	/* __mkroute_output() */
	if (lbcast)
		res->type = RtnType::Broadcast;
	else if (mcast)
		res->type = RtnType::Multicast;
	else if (is_zeronet(daddr))
		return -CX_EINVAL;
	if (res->type == RtnType::Broadcast ||
	    (res->type == RtnType::Multicast && res->prefix_len < 4)) {
		/* no gateway: broadcast, or multicast by a default route ("Yes, it is hack.") */
		res->gateway = 0;
	}
	if (res->type == RtnType::Local)
		local = true;
	out->saddr = saddr;
	out->daddr = daddr;
	out->oif = res->oif;
	out->local = local;
	out->broadcast = res->type == RtnType::Broadcast;
	if (out->broadcast && !flow->broadcast_ok)
		return -CX_EACCES;
	if (local) {
		out->mtu = 65535;
	} else {
		Link *link = link_find(s, res->oif);
		if (!link) {
			mib_inc(s, StackMib::OutNoRoutes);
			return -CX_ENETUNREACH;
		}
		uint32_t link_mtu = __atomic_load_n(&link->desc.mtu, __ATOMIC_RELAXED);
		out->mtu = res->mtu && res->mtu < link_mtu ? res->mtu : link_mtu;
	}
	if (!out->saddr) {
		mib_inc(s, StackMib::OutNoRoutes);
		return -CX_EADDRNOTAVAIL;
	}
	return 0;
}

} // namespace cx::stack

using namespace cx::stack;

extern "C" {

int cx_stack_route_output(struct cx_stack *s, const struct cx_flow *flow,
			  struct cx_route_out *out)
{
	cx::route::FibResult res;
	cx_os_rcu_read_lock();
	int err = route_output(s, flow, &res, out);
	cx_os_rcu_read_unlock();
	return err;
}

namespace {

/* Nexthop arrays live on the heap: 32 of them would fill a kernel stack frame. */
cx::route::Nexthop *alloc_hops()
{
	return static_cast<cx::route::Nexthop *>(
		cx_os_zalloc(CX_ROUTE_MAX_NEXTHOPS * sizeof(cx::route::Nexthop), CX_GFP_KERNEL));
}

int route_add(cx_stack *s, const cx_route *r, uint32_t nlflags, const char **msg,
	      cx::route::Nexthop *hops)
{
	cx::route::RouteConfig cfg;
	to_config(*r, &cfg);
	cfg.nlflags = nlflags;
	if (r->dst_len > 32) {
		*msg = "Invalid prefix length";
		return -CX_EINVAL;
	}
	if (r->nexthop_count > CX_ROUTE_MAX_NEXTHOPS) {
		*msg = "Too many nexthops";
		return -CX_EINVAL;
	}
	if (r->type == static_cast<uint8_t>(cx::RtnType::Unspec) ||
	    r->type > cx::route::kRouteTypeMax) {
		*msg = "Invalid route type";
		return -CX_EINVAL;
	}
	for (uint32_t i = 0; i < r->nexthop_count; i++) {
		hops[i] = cx::route::Nexthop{};
		hops[i].gateway = r->nexthops[i].gateway;
		hops[i].ifindex = r->nexthops[i].ifindex;
		hops[i].weight = r->nexthops[i].weight ? r->nexthops[i].weight : 1;
		hops[i].flags = r->nexthops[i].flags;
		if (r->type == static_cast<uint8_t>(cx::RtnType::Unicast)) {
			int err = check_nexthop(s, &hops[i], r->table, r->scope, msg);
			if (err)
				return err;
		} else if (hops[i].ifindex && !link_find(s, hops[i].ifindex)) {
			*msg = "Nexthop device is not attached to cxnet";
			return -CX_ENODEV;
		}
	}
	if (r->type == static_cast<uint8_t>(cx::RtnType::Unicast) && !r->nexthop_count) {
		*msg = "Unicast route needs a gateway or a device";
		return -CX_EINVAL;
	}
	if (r->nexthop_count == 1) {
		cfg.gateway = hops[0].gateway;
		cfg.oif = hops[0].ifindex;
		cfg.nh_flags = hops[0].flags;
	} else if (r->nexthop_count > 1) {
		cfg.multipath = hops;
		cfg.multipath_count = r->nexthop_count;
	}
	if (r->prefsrc && !addr_owner(s, r->prefsrc)) {
		*msg = "Invalid prefsrc address";
		return -CX_EINVAL;
	}
	cx::route::RouteJournal journal;
	int err = s->fib.route_add(cfg, cx::Gfp::Kernel, &journal);
	if (err) {
		s->fib.abort(&journal);
		/* fib_table_insert() has no extack for EEXIST: "RTNETLINK answers: File exists" */
		*msg = err == -CX_EEXIST ? nullptr :
		       err == -CX_ENOENT ? "Route not found (no NLM_F_CREATE)" :
		       err == -CX_ENOSPC ? "Too many routing tables" : "Invalid route";
		if (err == -CX_ENOMEM)
			*msg = "No memory for the route";
		return err;
	}
	err = s->fib.commit(cx::Gfp::Kernel, &journal);
	if (err) {
		/* undone: the table is as before the request */
		*msg = "No memory to publish the routing table";
		return err;
	}
	notify(s, CX_EVENT_ROUTE_NEW, *r);
	return 0;
}

int route_del(cx_stack *s, const cx_route *r, const char **msg, cx::route::Nexthop *hops)
{
	cx::route::RouteConfig cfg;
	to_config(*r, &cfg);
	if (r->dst_len > 32) {
		*msg = "Invalid prefix length";
		return -CX_EINVAL;
	}
	if (r->nexthop_count == 1) {
		cfg.gateway = r->nexthops[0].gateway;
		cfg.oif = r->nexthops[0].ifindex;
	} else if (r->nexthop_count > 1 && r->nexthop_count <= CX_ROUTE_MAX_NEXTHOPS) {
		for (uint32_t i = 0; i < r->nexthop_count; i++) {
			hops[i] = cx::route::Nexthop{};
			hops[i].gateway = r->nexthops[i].gateway;
			hops[i].ifindex = r->nexthops[i].ifindex;
			hops[i].weight = r->nexthops[i].weight;
		}
		cfg.multipath = hops;
		cfg.multipath_count = r->nexthop_count;
	}
	cx::route::RouteJournal journal;
	int err = s->fib.route_delete(cfg, &journal);
	if (err) {
		s->fib.abort(&journal);
		*msg = err == -CX_ESRCH ? "No such process" : "Invalid route";
		if (err == -CX_ESRCH)
			*msg = nullptr;	/* Linux has no extack here: "RTNETLINK answers: No such process" */
		if (err == -CX_ENOMEM)
			*msg = "No memory for the route change";
		return err;
	}
	err = s->fib.commit(cx::Gfp::Kernel, &journal);
	if (err) {
		/* undone: the route is still there and still used */
		*msg = "No memory to publish the routing table";
		return err;
	}
	notify(s, CX_EVENT_ROUTE_DEL, *r);
	return 0;
}

} // namespace

int cx_stack_route_add(struct cx_stack *s, const struct cx_route *r, uint32_t nlflags,
		       const char **msg)
{
	cx::route::Nexthop *hops = alloc_hops();
	if (!hops)
		return -CX_ENOMEM;
	int err = route_add(s, r, nlflags, msg, hops);
	cx_os_free(hops);
	return err;
}

int cx_stack_route_del(struct cx_stack *s, const struct cx_route *r, const char **msg)
{
	cx::route::Nexthop *hops = alloc_hops();
	if (!hops)
		return -CX_ENOMEM;
	int err = route_del(s, r, msg, hops);
	cx_os_free(hops);
	return err;
}

void cx_stack_route_dump(struct cx_stack *s, uint32_t table, uint64_t *cursor,
			 cx_route_dump_fn fn, void *arg)
{
	/* configuration context (RTNL): routes cannot change under us */
	size_t total = 0;
	for (uint32_t t = 0; t < s->fib.table_count(); t++) {
		cx::route::RouteTable *tb = s->fib.table_at(t);
		if (!table || tb->id() == table)
			total += tb->route_count();
	}
	if (*cursor >= total)
		return;
	DumpItem *items = static_cast<DumpItem *>(
		cx_os_zalloc_large(total * sizeof(DumpItem), CX_GFP_KERNEL));
	if (!items)
		return;
	size_t n = 0;
	for (uint32_t t = 0; t < s->fib.table_count(); t++) {
		cx::route::RouteTable *tb = s->fib.table_at(t);
		if (table && tb->id() != table)
			continue;
		tb->for_each_prefix([&](const cx::route::RouteEntry *head) {
			for (const cx::route::RouteEntry *e = head; e && n < total; e = e->next)
				items[n++] = DumpItem{tb->id(), e};
		});
	}
	/* heap sort: no libc, dumps may be large (a full BGP view) */
	auto sift = [&](size_t root, size_t end) {
		for (;;) {
			size_t child = 2 * root + 1;
			if (child >= end)
				return;
			if (child + 1 < end && item_before(items[child], items[child + 1]))
				child++;
			if (!item_before(items[root], items[child]))
				return;
			DumpItem tmp = items[root];
			items[root] = items[child];
			items[child] = tmp;
			root = child;
		}
	};
	for (size_t i = n / 2; i-- > 0;)
		sift(i, n);
	for (size_t end = n; end > 1; end--) {
		DumpItem tmp = items[0];
		items[0] = items[end - 1];
		items[end - 1] = tmp;
		sift(0, end - 1);
	}
	cx_route *r = static_cast<cx_route *>(cx_os_zalloc(sizeof(cx_route), CX_GFP_KERNEL));
	for (size_t i = *cursor; r && i < n; i++) {
		from_entry(items[i].table, *items[i].entry, r);
		if (fn(arg, r))
			break;
		*cursor = i + 1;
	}
	cx_os_free(r);
	cx_os_free_large(items);
}

int cx_stack_route_get(struct cx_stack *s, const struct cx_route_query *q,
		       struct cx_route_answer *ans, const char **msg)
{
	*ans = cx_route_answer{};
	cx::route::FibFlow f{};
	f.dst = q->dst;
	f.src = q->src;
	f.iif = q->iif ? q->iif : kLoopbackIfindex;
	f.oif = q->oif;
	f.mark = q->mark;
	f.proto = q->ipproto;
	f.sport = q->sport;
	f.dport = q->dport;
	f.scope = kScopeUniverse;
	cx::route::FibResult res;
	cx_os_rcu_read_lock();
	if (q->iif && !link_find(s, q->iif)) {
		cx_os_rcu_read_unlock();
		*msg = "Input device is not attached to cxnet";
		return -CX_ENODEV;
	}
	if (q->oif && !link_find(s, q->oif)) {
		cx_os_rcu_read_unlock();
		*msg = "Output device is not attached to cxnet";
		return -CX_ENODEV;
	}
	int err;
	uint32_t prefsrc;
	if (q->iif) {
		err = s->fib.lookup(f, &res);
		if (!err && res.type == cx::RtnType::Unicast && !tunable(s, CX_TUNABLE_IP_FORWARD)) {
			/* ip_route_input_slow(): not forwarding */
			err = -CX_EHOSTUNREACH;
		}
		prefsrc = q->src ? q->src : res.prefsrc;
	} else {
		/* ip_route_output_key(): what a socket sending this flow would get */
		cx_flow fl{};
		fl.daddr = q->dst;
		fl.saddr = q->src;
		fl.oif = q->oif;
		fl.mark = q->mark;
		fl.proto = q->ipproto;
		fl.sport = q->sport;
		fl.dport = q->dport;
		fl.broadcast_ok = true;
		cx_route_out out;
		err = route_output(s, &fl, &res, &out);
		prefsrc = out.saddr;
	}
	cx_os_rcu_read_unlock();
	if (err) {
		*msg = nullptr;
		return err;
	}
	ans->type = static_cast<uint8_t>(res.type);
	ans->table = res.table;
	/* local delivery goes through the loopback device, as Linux reports it */
	if (res.type == cx::RtnType::Local)
		res.oif = kLoopbackIfindex;
	/*
	 * Without custom rules Linux merges the local table into main
	 * (fib_trie since 4.1): `ip route get` then reports main for local
	 * and broadcast destinations too.
	 */
	const cx::route::RuleList *rules = s->fib.rules();
	if (ans->table == cx::route::kTableLocal && rules && rules->count == 3)
		ans->table = cx::route::kTableMain;
	ans->rule_pref = res.rule_pref;
	ans->gateway = res.gateway;
	ans->oif = res.oif;
	ans->prefsrc = prefsrc;
	ans->mtu = res.mtu;
	ans->dst = res.prefix;
	ans->dst_len = res.prefix_len;
	return 0;
}

int cx_stack_rule_add(struct cx_stack *s, const struct cx_rule *r, uint32_t nlflags,
		      const char **msg)
{
	if (r->src_len > 32 || r->dst_len > 32) {
		*msg = "Invalid prefix length";
		return -CX_EINVAL;
	}
	int err = s->fib.rule_add(to_rule(*r), nlflags, cx::Gfp::Kernel);
	if (err) {
		*msg = err == -CX_EEXIST ? "Rule already exists" : "Invalid rule";
		return err;
	}
	if (s->ops->notify)
		s->ops->notify(s->host_ctx, CX_EVENT_RULE_NEW, r);
	return 0;
}

int cx_stack_rule_del(struct cx_stack *s, const struct cx_rule *r, const char **msg)
{
	int err = s->fib.rule_delete(to_rule(*r), cx::Gfp::Kernel);
	if (err) {
		/* fib_nl_delrule(): -ENOENT without extack ("No such file or directory") */
		*msg = err == -CX_ENOENT ? nullptr : "Invalid rule";
		return err;
	}
	if (s->ops->notify)
		s->ops->notify(s->host_ctx, CX_EVENT_RULE_DEL, r);
	return 0;
}

void cx_stack_rule_dump(struct cx_stack *s, uint64_t *cursor, cx_rule_dump_fn fn, void *arg)
{
	cx_os_rcu_read_lock();
	const cx::route::RuleList *list = s->fib.rules();
	for (uint64_t i = *cursor; list && i < list->count; i++) {
		cx_rule r = from_rule(list->rules[i]);
		if (fn(arg, &r))
			break;
		*cursor = i + 1;
	}
	cx_os_rcu_read_unlock();
}

} // extern "C"
