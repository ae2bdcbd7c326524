// SPDX-License-Identifier: GPL-2.0
/*
 * Neighbours and ARP on the attached links: the NeighOps and ArpHostOps
 * the protocol libraries ask of their host (net/ipv4/arp.c's glue), ARP
 * receive, gratuitous ARP, and `cxip neigh` administration.
 */
#include "stack_impl.h"

namespace cx::stack {

namespace {

using neigh::NeighEntry;
using wire::MacAddress;

cx_stack *stack_of(void *ctx)
{
	return static_cast<cx_stack *>(ctx);
}

void solicit(void *ctx, NeighEntry *entry, const MacAddress *unicast_to, uint32_t saddr_hint)
{
	cx_stack *s = stack_of(ctx);
	cx_os_rcu_read_lock();
	Link *link = link_find(s, entry->ifindex);
	if (link)
		neigh::arp_solicit(&s->arp, link->arp_dev, entry->addr, unicast_to, saddr_hint);
	cx_os_rcu_read_unlock();
}

void output(void *ctx, NeighEntry *entry, cx_pkt *pkt, const MacAddress &mac)
{
	cx_stack *s = stack_of(ctx);
	cx_os_rcu_read_lock();
	Link *link = link_find(s, entry->ifindex);
	if (link)
		eth_xmit(s, link, pkt, mac);
	else
		cx_pkt_free(pkt);
	cx_os_rcu_read_unlock();
}

void error_report(void *ctx, NeighEntry *entry, cx_pkt *pkt)
{
	cx_stack *s = stack_of(ctx);
	cx_os_rcu_read_lock();
	Link *link = link_find(s, entry->ifindex);
	if (link)
		link_tx_drop(link, CX_LINK_DROP_NEIGH);
	/* arp_error_report(): host unreachable to the sender (ourselves or a forwarded host) */
	icmp_send(s, pkt, ipv4::icmp_type::kDestUnreach, ipv4::icmp_code::kHostUnreach, 0, 0,
		  false, false);
	cx_os_rcu_read_unlock();
	cx_pkt_free(pkt);
}

int constructor(void *ctx, NeighEntry *entry)
{
	cx_stack *s = stack_of(ctx);
	int err = -CX_ENODEV;
	cx_os_rcu_read_lock();
	Link *link = link_find(s, entry->ifindex);
	if (link) {
		neigh::arp_constructor(&s->arp, link->arp_dev, entry);
		err = 0;
	}
	cx_os_rcu_read_unlock();
	return err;
}

uint32_t ms_since(uint64_t now, uint64_t then)
{
	return then && now > then ? static_cast<uint32_t>((now - then) / 1000000) : 0;
}

cx_neigh to_cx(const neigh::NeighInfo &info, uint64_t now)
{
	cx_neigh n{};
	n.ifindex = info.ifindex;
	n.addr = info.addr;
	n.has_lladdr = info.state & neigh::nud::kValid;
	for (size_t i = 0; i < 6; i++)
		n.lladdr[i] = info.ha.octets[i];
	n.state = info.state;
	n.probes = info.probes;
	n.refcnt = info.refcnt;
	n.used_ms = ms_since(now, info.used_ns);
	n.confirmed_ms = ms_since(now, info.confirmed_ns);
	n.updated_ms = ms_since(now, info.updated_ns);
	return n;
}

void notify(void *ctx, NeighEntry *entry)
{
	cx_stack *s = stack_of(ctx);
	if (!s->ops->notify)
		return;
	cx_neigh n = to_cx(neigh::neigh_snapshot(entry), neigh::neigh_now_ns(&s->neigh));
	s->ops->notify(s->host_ctx, n.state ? CX_EVENT_NEIGH_NEW : CX_EVENT_NEIGH_DEL, &n);
}

const neigh::NeighOps kNeighOps = {
	solicit, nullptr, output, error_report, constructor, notify,
};

/* ---- what ARP asks ---- */

RtnType arp_addr_type(void *ctx, int ifindex, uint32_t addr)
{
	(void)ifindex;
	return addr_type(stack_of(ctx), addr);
}

bool arp_confirm_addr(void *ctx, int ifindex, uint32_t dst, uint32_t local, neigh::ArpScope scope)
{
	const AddrSet *set = addrs(stack_of(ctx));
	for (uint32_t i = 0; i < set->count; i++) {
		const cx_addr &a = set->addrs[i];
		if (ifindex != -1 && a.ifindex != ifindex)
			continue;
		if (a.scope > static_cast<uint8_t>(scope))
			continue;
		if (local && a.local != local)
			continue;
		if (dst && !route::prefix_contains(a.local, a.prefixlen, dst))
			continue;
		return true;
	}
	return false;
}

uint32_t arp_select_source(void *ctx, int ifindex, uint32_t dst)
{
	return select_source(stack_of(ctx), ifindex, dst, route::kScopeLink);
}

int arp_route_ifindex(void *ctx, uint32_t dst, uint32_t src)
{
	route::FibFlow f{};
	f.dst = dst;
	f.src = src;
	f.iif = 1;
	route::FibResult res;
	if (stack_of(ctx)->fib.lookup(f, &res))
		return -1;
	return res.oif;
}

void arp_xmit(void *ctx, int ifindex, cx_pkt *frame)
{
	cx_stack *s = stack_of(ctx);
	cx_os_rcu_read_lock();
	Link *link = link_find(s, ifindex);
	if (link)
		link_xmit(s, link, frame);
	else
		cx_pkt_free(frame);
	cx_os_rcu_read_unlock();
}

const neigh::ArpHostOps kArpOps = {
	arp_addr_type, arp_confirm_addr, arp_select_source, arp_route_ifindex, arp_xmit,
};

uint32_t nud_from_admin(uint16_t state)
{
	return state;
}

} // namespace

int neigh_init(cx_stack *s)
{
	int err = neigh::neigh_table_init(&s->neigh, neigh::NeighParms{}, &kNeighOps, s, nullptr);
	if (err)
		return err;
	neigh::arp_init(&s->arp, &s->neigh, &kArpOps, s);
	return 0;
}

void neigh_destroy(cx_stack *s)
{
	neigh::neigh_table_destroy(&s->neigh);
}

void arp_input(cx_stack *s, Link *link, cx_pkt *pkt)
{
	size_t len = cx_pkt_len(pkt);
	if (!cx_pkt_may_pull(pkt, len)) {
		link_drop(link, CX_LINK_DROP_NOMEM);
		cx_pkt_free(pkt);
		return;
	}
	neigh::ArpRx rx = neigh::arp_rcv(&s->arp, link->arp_dev, wire::Bytes(cx_pkt_data(pkt), len));
	if (rx == neigh::ArpRx::Malformed) {
		count(&link->stats.rx_errors);
		link_drop(link, CX_LINK_DROP_MALFORMED);
	} else if (rx != neigh::ArpRx::Consumed) {
		link_drop(link, CX_LINK_DROP_ARP);
	}
	cx_pkt_free(pkt);
}

void arp_announce(cx_stack *s, int32_t ifindex, uint32_t addr)
{
	cx_os_rcu_read_lock();
	Link *link = link_find(s, ifindex);
	if (link && (link->desc.flags & CX_LINK_F_UP))
		neigh::arp_announce_address(&s->arp, link->arp_dev, addr);
	cx_os_rcu_read_unlock();
}

} // namespace cx::stack

using namespace cx::stack;

extern "C" {

int cx_stack_neigh_add(struct cx_stack *s, const struct cx_neigh *n, uint32_t nlflags,
		       const char **msg)
{
	if (!link_find(s, n->ifindex)) {
		*msg = "device is not attached to cxnet";
		return -CX_ENODEV;
	}
	if (!n->addr || n->addr == 0xffffffffu) {
		*msg = "Invalid neighbour address";
		return -CX_EINVAL;
	}
	uint32_t flags = 0;
	if (nlflags & CX_NLM_F_CREATE)
		flags |= cx::neigh::add_flags::kCreate;
	if (nlflags & CX_NLM_F_EXCL)
		flags |= cx::neigh::add_flags::kExcl;
	if (nlflags & CX_NLM_F_REPLACE)
		flags |= cx::neigh::add_flags::kReplace;
	cx::wire::MacAddress mac;
	for (size_t i = 0; i < 6; i++)
		mac.octets[i] = n->lladdr[i];
	int err = cx::neigh::neigh_add(&s->neigh, n->ifindex, n->addr, n->has_lladdr ? &mac : nullptr,
				       static_cast<uint8_t>(nud_from_admin(n->state)), flags);
	if (err)
		*msg = err == -CX_EEXIST ? "Neighbour entry already exists" :
		       err == -CX_ENOENT ? nullptr :
		       err == -CX_EINVAL ? "Invalid neighbour state or missing link-layer address" :
					   "Neighbour table is full";
	return err;
}

int cx_stack_neigh_del(struct cx_stack *s, int32_t ifindex, uint32_t addr, const char **msg)
{
	int err = cx::neigh::neigh_delete(&s->neigh, ifindex, addr);
	if (err) {
		*msg = nullptr;	/* Linux: -ENOENT, "RTNETLINK answers: No such file or directory" */
		return err;
	}
	/* neigh_remove_one() -> RTM_DELNEIGH */
	if (s->ops->notify) {
		cx_neigh gone{};
		gone.ifindex = ifindex;
		gone.addr = addr;
		s->ops->notify(s->host_ctx, CX_EVENT_NEIGH_DEL, &gone);
	}
	return 0;
}

namespace {

struct Collect {
	cx::neigh::NeighInfo *infos;
	uint32_t cap;
	uint32_t n;
	int32_t ifindex;
};

void collect(const cx::neigh::NeighInfo &info, void *arg)
{
	Collect *c = static_cast<Collect *>(arg);
	if (c->ifindex && info.ifindex != c->ifindex)
		return;
	if (c->n < c->cap)
		c->infos[c->n++] = info;
}

} // namespace

void cx_stack_neigh_dump(struct cx_stack *s, int32_t ifindex, uint64_t *cursor,
			 cx_neigh_dump_fn fn, void *arg)
{
	/* gc_thresh3 bounds the table; a few more for entries racing in */
	uint32_t cap = cx::neigh::neigh_table_parms(&s->neigh).gc_thresh3 + 64;
	Collect c{static_cast<cx::neigh::NeighInfo *>(
			  cx_os_zalloc_large(cap * sizeof(cx::neigh::NeighInfo), CX_GFP_KERNEL)),
		  cap, 0, ifindex};
	if (!c.infos)
		return;
	cx::neigh::neigh_for_each(&s->neigh, collect, &c);
	uint64_t now = cx::neigh::neigh_now_ns(&s->neigh);
	for (uint64_t i = *cursor; i < c.n; i++) {
		cx_neigh n = to_cx(c.infos[i], now);
		if (fn(arg, &n))
			break;
		*cursor = i + 1;
	}
	cx_os_free_large(c.infos);
}

} // extern "C"
