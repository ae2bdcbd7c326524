// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 addresses of the attached links (Linux net/ipv4/devinet.c): add and
 * delete with primary/secondary semantics, the kernel routes each address
 * implies (fib_add_ifaddr/fib_del_ifaddr), source address selection
 * (inet_select_addr) and the address-type question ARP asks.
 */
#include "stack_impl.h"

namespace cx::stack {

namespace {

using route::kScopeLink;
using route::kScopeUniverse;
using route::prefix_mask;

constexpr uint32_t kNone = ~0u;

void free_obj(void *obj)
{
	cx_os_free(obj);
}

AddrSet *addrset_alloc(uint32_t count)
{
	return static_cast<AddrSet *>(
		cx_os_zalloc(sizeof(AddrSet) + count * sizeof(cx_addr), CX_GFP_KERNEL));
}

void retire(const AddrSet *old)
{
	if (old)
		cx_os_rcu_retire(free_obj, const_cast<AddrSet *>(old));
}

/* Publish set; the caller retires the returned old set once done reading it. */
const AddrSet *publish_keep(cx_stack *s, AddrSet *set)
{
	return __atomic_exchange_n(&s->addrs, set, __ATOMIC_ACQ_REL);
}

void publish(cx_stack *s, AddrSet *set)
{
	retire(publish_keep(s, set));
}

bool same_subnet(const cx_addr &a, uint32_t addr, uint8_t prefixlen)
{
	return a.prefixlen == prefixlen && route::prefix_contains(a.local, prefixlen, addr);
}

bool secondary(const cx_addr &a)
{
	return a.flags & CX_IFA_F_SECONDARY;
}

bool str_eq(const char *a, const char *b, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		if (a[i] != b[i])
			return false;
		if (!a[i])
			return true;
	}
	return true;
}

/* The primary a secondary belongs to (fib_add_ifaddr's prim): its routes' prefsrc. */
uint32_t primary_local(const AddrSet *set, const cx_addr &a)
{
	if (!secondary(a))
		return a.local;
	for (uint32_t i = 0; i < set->count; i++) {
		const cx_addr &p = set->addrs[i];
		if (p.ifindex == a.ifindex && !secondary(p) && same_subnet(p, a.local, a.prefixlen))
			return p.local;
	}
	return a.local;
}

struct MagicRoute {
	RtnType type;
	uint32_t dst;
	uint8_t len;
};

/* The routes fib_add_ifaddr() adds for one address; returns how many (at most 4). */
uint32_t magic_routes(const cx_addr &a, MagicRoute out[4])
{
	uint32_t mask = prefix_mask(a.prefixlen);
	uint32_t net = a.local & mask;
	uint32_t n = 0;

	out[n++] = {RtnType::Local, a.local, 32};
	if (a.broadcast && a.broadcast != 0xffffffffu)
		out[n++] = {RtnType::Broadcast, a.broadcast, 32};
	if (net != 0 && !secondary(a) && (net != a.local || a.prefixlen < 32)) {
		out[n++] = {RtnType::Unicast, net, a.prefixlen};
		if (a.prefixlen < 31)
			out[n++] = {RtnType::Broadcast, net | ~mask, 32};
	}
	return n;
}

/*
 * fib_add_ifaddr() for one address, recorded in journal. Stops at the first
 * route the FIB cannot add (allocation failure; Linux ignores it and keeps
 * an address without its local route) and returns the error; the caller
 * aborts the journal.
 */
int address_routes_add(cx_stack *s, const cx_addr &a, const AddrSet *set,
		       route::RouteJournal *journal)
{
	MagicRoute r[4];
	uint32_t n = magic_routes(a, r);
	uint32_t prim = primary_local(set, a);

	for (uint32_t i = 0; i < n; i++) {
		int err = route_magic(s, true, r[i].type, r[i].dst, r[i].len, prim, a.ifindex,
				      journal);
		if (err && err != -CX_EEXIST)
			return err;
	}
	return 0;
}

/* Does an address of set on ifindex imply the route (type, dst/len, prefsrc prim)? */
bool implied_by(const AddrSet *set, int32_t ifindex, const MagicRoute &route, uint32_t prim)
{
	for (uint32_t i = 0; i < set->count; i++) {
		const cx_addr &b = set->addrs[i];
		if (b.ifindex != ifindex || primary_local(set, b) != prim)
			continue;
		MagicRoute r[4];
		uint32_t n = magic_routes(b, r);
		for (uint32_t k = 0; k < n; k++)
			if (r[k].type == route.type && r[k].dst == route.dst && r[k].len == route.len)
				return true;
	}
	return false;
}

/*
 * fib_del_ifaddr() for an address of old leaving (set: what remains): its
 * routes go unless a remaining address implies the same one. Deletion only
 * unlinks (recorded in journal), so only the journal can fail (-ENOMEM).
 */
int address_routes_del(cx_stack *s, const cx_addr &a, const AddrSet *old, const AddrSet *set,
		       route::RouteJournal *journal)
{
	MagicRoute r[4];
	uint32_t n = magic_routes(a, r);
	uint32_t prim = primary_local(old, a);

	for (uint32_t i = 0; i < n; i++) {
		if (implied_by(set, a.ifindex, r[i], prim))
			continue;
		int err = route_magic(s, false, r[i].type, r[i].dst, r[i].len, prim, a.ifindex,
				      journal);
		if (err)
			return err;
	}
	return 0;
}

void notify(cx_stack *s, int event, const cx_addr &a)
{
	if (s->ops->notify)
		s->ops->notify(s->host_ctx, event, &a);
}

} // namespace

const AddrSet *addrs(const cx_stack *s)
{
	return __atomic_load_n(&s->addrs, __ATOMIC_ACQUIRE);
}

int addr_init(cx_stack *s)
{
	s->addrs = addrset_alloc(0);
	s->no_addrs = addrset_alloc(0);
	if (s->addrs && s->no_addrs)
		return 0;
	addr_destroy(s);
	return -CX_ENOMEM;
}

void addr_destroy(cx_stack *s)
{
	cx_os_free(const_cast<AddrSet *>(s->addrs));
	cx_os_free(s->no_addrs);
	s->addrs = nullptr;
	s->no_addrs = nullptr;
}

uint32_t select_source(const cx_stack *s, int32_t ifindex, uint32_t dst, uint8_t scope)
{
	const AddrSet *set = addrs(s);
	uint32_t any = 0;

	/* inet_select_addr(): a primary of the device, in dst's subnet first */
	for (uint32_t i = 0; i < set->count; i++) {
		const cx_addr &a = set->addrs[i];
		if (a.ifindex != ifindex || secondary(a) || a.scope > scope)
			continue;
		if (!dst || route::prefix_contains(a.local, a.prefixlen, dst))
			return a.local;
		if (!any)
			any = a.local;
	}
	if (any)
		return any;
	/* then any other device's primary with a scope wider than link */
	for (uint32_t i = 0; i < set->count; i++) {
		const cx_addr &a = set->addrs[i];
		if (!secondary(a) && a.scope < kScopeLink && a.scope <= scope)
			return a.local;
	}
	return 0;
}

int32_t addr_owner(const cx_stack *s, uint32_t addr)
{
	const AddrSet *set = addrs(s);
	for (uint32_t i = 0; i < set->count; i++)
		if (set->addrs[i].local == addr)
			return set->addrs[i].ifindex;
	return 0;
}

RtnType addr_type(const cx_stack *s, uint32_t addr)
{
	if (addr == 0 || addr == 0xffffffffu)
		return RtnType::Broadcast;
	if ((addr & 0xf0000000u) == 0xe0000000u)
		return RtnType::Multicast;
	const route::RouteTable *local = s->fib.table(route::kTableLocal);
	const route::RouteSnapshot *snap = local ? local->snapshot() : nullptr;
	if (snap) {
		route::TableFlowKey key{};
		key.dst = addr;
		key.scope = kScopeUniverse;
		route::TableMatch m;
		if (snap->lookup(key, &m) == 0)
			return m.route->type;
	}
	return RtnType::Unicast;
}

void addr_flush_link(cx_stack *s, int32_t ifindex)
{
	const AddrSet *old = addrs(s);
	uint32_t keep = 0;
	for (uint32_t i = 0; i < old->count; i++)
		keep += old->addrs[i].ifindex != ifindex;
	if (keep == old->count)
		return;
	AddrSet *set = addrset_alloc(keep);
	if (set) {
		for (uint32_t i = 0; i < old->count; i++) {
			if (old->addrs[i].ifindex != ifindex)
				set->addrs[set->count++] = old->addrs[i];
			else
				notify(s, CX_EVENT_ADDR_DEL, old->addrs[i]);
		}
		publish(s, set);
		return;
	}
	/*
	 * The link goes anyway (detach cannot fail), so its addresses must
	 * too, or they would outlive it and come back with its ifindex. With
	 * no memory for a new set, edit the published one in place with the
	 * readers kept away: an empty set is published for one grace period
	 * (for that moment no address is local: packets to them are dropped).
	 */
	AddrSet *cur = publish_keep(s, s->no_addrs) == old ? const_cast<AddrSet *>(old) : nullptr;
	CX_BUG_ON(!cur);
	cx_os_rcu_synchronize();
	uint32_t j = 0;
	for (uint32_t i = 0; i < cur->count; i++) {
		if (cur->addrs[i].ifindex != ifindex)
			cur->addrs[j++] = cur->addrs[i];
		else
			notify(s, CX_EVENT_ADDR_DEL, cur->addrs[i]);
	}
	cur->count = j;
	publish_keep(s, cur);
}

} // namespace cx::stack

using namespace cx::stack;
using cx::RtnType;

extern "C" {

int cx_stack_addr_add(struct cx_stack *s, const struct cx_addr *req, uint32_t nlflags,
		      const char **msg)
{
	if (req->prefixlen > 32) {
		*msg = "ipv4: invalid prefix length";
		return -CX_EINVAL;
	}
	if (!link_find(s, req->ifindex)) {
		*msg = "device is not attached to cxnet (cxip link attach dev DEV)";
		return -CX_ENODEV;
	}
	if (req->local == 0 || (req->local & 0xf0000000u) >= 0xe0000000u) {
		*msg = "ipv4: address must be a unicast address";
		return -CX_EINVAL;
	}
	cx_link_desc desc;
	cx_stack_link_get(s, req->ifindex, &desc, nullptr);
	cx_addr a = *req;
	a.flags = CX_IFA_F_PERMANENT;
	a.label[CX_ADDR_LABEL_MAX - 1] = 0;
	if (!a.label[0]) {
		for (size_t i = 0; i < CX_ADDR_LABEL_MAX; i++)
			a.label[i] = desc.name[i];
	} else {
		/* inet_rtm_newaddr(): a label must start with the device name */
		size_t n = 0;
		while (desc.name[n] && a.label[n] == desc.name[n])
			n++;
		if (desc.name[n]) {
			*msg = "ipv4: label must begin with the interface name";
			return -CX_EINVAL;
		}
	}

	const AddrSet *old = addrs(s);
	uint32_t primary_of = kNone;
	for (uint32_t i = 0; i < old->count; i++) {
		const cx_addr &o = old->addrs[i];
		if (o.ifindex != a.ifindex)
			continue;
		if (o.local == a.local && o.prefixlen == a.prefixlen) {
			/* find_matching_ifa() */
			if ((nlflags & CX_NLM_F_EXCL) || !(nlflags & CX_NLM_F_REPLACE)) {
				*msg = "ipv4: Address already assigned";
				return -CX_EEXIST;
			}
			/*
			 * inet_rtm_newaddr() with NLM_F_REPLACE on an existing
			 * address only updates its metric and lifetimes (none
			 * here): broadcast, scope and label stay, no route
			 * changes, and RTM_NEWADDR is sent again.
			 */
			notify(s, CX_EVENT_ADDR_NEW, o);
			return 0;
		}
		if (!secondary(o) && same_subnet(o, a.local, a.prefixlen)) {
			if (o.scope != a.scope) {
				*msg = "ipv4: secondary address must have the scope of its primary";
				return -CX_EINVAL;
			}
			primary_of = i;
		}
	}
	if (!(nlflags & CX_NLM_F_CREATE)) {
		*msg = "ipv4: address not found (NLM_F_CREATE not set)";
		return -CX_ENOENT;
	}
	if (primary_of != kNone)
		a.flags |= CX_IFA_F_SECONDARY;

	AddrSet *set = addrset_alloc(old->count + 1);
	if (!set)
		return -CX_ENOMEM;
	/* __inet_insert_ifa(): a primary goes after the link's last primary, a secondary last */
	uint32_t at = old->count;
	if (!secondary(a)) {
		bool has_primary = false;
		for (uint32_t i = 0; i < old->count; i++)
			if (old->addrs[i].ifindex == a.ifindex && !secondary(old->addrs[i])) {
				at = i + 1;
				has_primary = true;
			}
		if (!has_primary) {
			for (uint32_t i = 0; i < old->count; i++)
				if (old->addrs[i].ifindex == a.ifindex) {
					at = i;
					break;
				}
		}
	}
	for (uint32_t i = 0, j = 0; i <= old->count; i++) {
		if (i == at)
			set->addrs[j++] = a;
		if (i < old->count)
			set->addrs[j++] = old->addrs[i];
	}
	set->count = old->count + 1;
	const AddrSet *prev = publish_keep(s, set);
	cx::route::RouteJournal journal;
	int err = address_routes_add(s, a, set, &journal);
	if (err)
		s->fib.abort(&journal);
	else
		err = s->fib.commit(cx::Gfp::Kernel, &journal);
	if (err) {
		/* no address without its routes: back to the old set, the routes undone */
		publish(s, const_cast<AddrSet *>(prev));
		*msg = nullptr;
		return err;
	}
	retire(prev);
	arp_announce(s, a.ifindex, a.local);
	notify(s, CX_EVENT_ADDR_NEW, a);
	return 0;
}

int cx_stack_addr_del(struct cx_stack *s, const struct cx_addr *req, const char **msg)
{
	const AddrSet *old = addrs(s);
	uint32_t victim = kNone;
	for (uint32_t i = 0; i < old->count; i++) {
		const cx_addr &o = old->addrs[i];
		if (o.ifindex != req->ifindex || o.local != req->local)
			continue;
		if (req->prefixlen && o.prefixlen != req->prefixlen)
			continue;
		if (req->label[0] && !str_eq(o.label, req->label, CX_ADDR_LABEL_MAX))
			continue;
		victim = i;
		break;
	}
	if (victim == kNone) {
		*msg = "ipv4: Address not found";
		return -CX_EADDRNOTAVAIL;
	}
	const cx_addr v = old->addrs[victim];
	/* __inet_del_ifa(): without promote_secondaries a primary takes its secondaries along */
	auto goes = [&](const cx_addr &o) {
		if (&o == &old->addrs[victim])
			return true;
		return !secondary(v) && o.ifindex == v.ifindex && secondary(o) &&
		       same_subnet(o, v.local, v.prefixlen);
	};
	uint32_t keep = 0;
	for (uint32_t i = 0; i < old->count; i++)
		keep += !goes(old->addrs[i]);
	AddrSet *set = addrset_alloc(keep);
	if (!set)
		return -CX_ENOMEM;
	for (uint32_t i = 0; i < old->count; i++)
		if (!goes(old->addrs[i]))
			set->addrs[set->count++] = old->addrs[i];
	/* routes first: if they cannot change, nothing does */
	cx::route::RouteJournal journal;
	int err = 0;
	for (uint32_t i = 0; i < old->count && !err; i++)
		if (goes(old->addrs[i]))
			err = address_routes_del(s, old->addrs[i], old, set, &journal);
	if (err)
		s->fib.abort(&journal);
	else
		err = s->fib.commit(cx::Gfp::Kernel, &journal);
	if (err) {
		cx_os_free(set);	/* never published */
		*msg = "No memory to change the routing table";
		return err;
	}
	publish_keep(s, set);
	for (uint32_t i = 0; i < old->count; i++)
		if (goes(old->addrs[i]))
			notify(s, CX_EVENT_ADDR_DEL, old->addrs[i]);
	retire(old);
	return 0;
}

void cx_stack_addr_dump(struct cx_stack *s, int32_t ifindex, uint64_t *cursor,
			cx_addr_dump_fn fn, void *arg)
{
	cx_os_rcu_read_lock();
	const AddrSet *set = addrs(s);
	/* in link order as `ip addr` shows them: by ifindex, then list order */
	const LinkSet *ls = links(s);
	uint64_t pos = 0;
	bool stop = false;
	for (uint32_t l = 0; l < ls->count && !stop; l++) {
		int32_t idx = ls->links[l]->desc.ifindex;
		if (ifindex && idx != ifindex)
			continue;
		for (uint32_t i = 0; i < set->count; i++) {
			if (set->addrs[i].ifindex != idx)
				continue;
			if (pos++ < *cursor)
				continue;
			cx_addr copy = set->addrs[i];
			if (fn(arg, &copy)) {
				stop = true;
				break;
			}
			*cursor = pos;
		}
	}
	cx_os_rcu_read_unlock();
}

bool cx_stack_addr_is_local(struct cx_stack *s, uint32_t addr)
{
	cx_os_rcu_read_lock();
	bool local = addr_type(s, addr) == RtnType::Local;
	cx_os_rcu_read_unlock();
	return local;
}

bool cx_stack_addr_is_broadcast(struct cx_stack *s, uint32_t addr)
{
	cx_os_rcu_read_lock();
	RtnType t = addr_type(s, addr);
	cx_os_rcu_read_unlock();
	return t == RtnType::Broadcast || t == RtnType::Multicast;
}

} // extern "C"
