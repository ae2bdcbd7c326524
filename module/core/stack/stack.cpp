// SPDX-License-Identifier: GPL-2.0
/* The stack's lifetime, its links and its counters (see stack.h). */
#include "stack_impl.h"
#include "../utility.h"

namespace cx::stack {

namespace {

void free_obj(void *obj)
{
	cx_os_free(obj);
}

const char *const kLinkDropNames[CX_LINK_DROP_COUNT] = {
	"malformed", "otherhost", "ip_header", "no_route", "martian", "not_forwarding",
	"ttl_expired", "no_proto", "arp", "reassembly", "neigh", "nomem", "link_down",
	"frag_needed",
};

/* IPSTATS_MIB_* names as /proc/net/snmp prints them, in IpMib order. */
const char *const kIpMibNames[ipv4::kIpMibCount] = {
	"InReceives", "InHdrErrors", "InAddrErrors", "InTruncatedPkts", "InDiscards",
	"InCsumErrors", "ReasmTimeout", "ReasmReqds", "ReasmOKs", "ReasmFails", "ReasmOverlaps",
	"FragOKs", "FragFails", "FragCreates",
};
const char *const kStackMibNames[static_cast<unsigned int>(StackMib::Count)] = {
	"InNoRoutes", "InUnknownProtos", "InDelivers", "ForwDatagrams", "OutRequests",
	"OutNoRoutes", "OutDiscards", "InBcastPkts",
};
/* SKB_DROP_REASON_* names (lower case, as the drop monitor prints them), in DropReason order. */
const char *const kDropNames[ipv4::kDropReasonCount] = {
	"not_dropped", "not_specified", "pkt_too_small", "ip_inhdr", "ip_csum", "ip_options",
	"ip_source_route", "ip_inaddrerrors", "frag_reasm_timeout", "frag_too_far", "dup_frag",
	"frag_overlap", "frag_invalid", "pkt_too_big", "nomem",
};
const char *const kIcmpMibNames[ipv4::kIcmpMibCount] = {
	"InMsgs", "InErrors", "InCsumErrors", "OutMsgs", "OutErrors", "OutRateLimitGlobal",
	"OutRateLimitHost",
};
const char *const kUdpMibNames[CX_UDP_MIB_COUNT] = {
	"InDatagrams", "NoPorts", "InErrors", "OutDatagrams", "RcvbufErrors", "SndbufErrors",
	"InCsumErrors",
};

LinkSet *linkset_alloc(uint32_t count)
{
	size_t bytes = sizeof(LinkSet);
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): the set holds pointers */
	bytes += count * sizeof(Link *);
	return static_cast<LinkSet *>(cx_os_zalloc(bytes, CX_GFP_KERNEL));
}

void publish_links(cx_stack *s, LinkSet *set)
{
	const LinkSet *old = __atomic_exchange_n(&s->links, set, __ATOMIC_ACQ_REL);
	if (old)
		cx_os_rcu_retire(free_obj, const_cast<LinkSet *>(old));
}

void desc_to_arp_dev(const cx_link_desc &desc, neigh::ArpDevice *dev)
{
	dev->ifindex = desc.ifindex;
	for (size_t i = 0; i < 6; i++)
		dev->mac.octets[i] = desc.mac[i];
	dev->noarp = desc.flags & CX_LINK_F_NOARP;
	dev->loopback = desc.flags & CX_LINK_F_LOOPBACK;
	dev->pointopoint = desc.flags & CX_LINK_F_POINTOPOINT;
}

void stats_copy(const cx_link_stats &from, cx_link_stats *to)
{
	const uint64_t *src = &from.rx_packets;
	uint64_t *dst = &to->rx_packets;
	for (size_t i = 0; i < sizeof(from) / sizeof(uint64_t); i++)
		dst[i] = read_count(&src[i]);
}

} // namespace

const LinkSet *links(const cx_stack *s)
{
	return __atomic_load_n(&s->links, __ATOMIC_ACQUIRE);
}

Link *link_find(const cx_stack *s, int32_t ifindex)
{
	const LinkSet *set = links(s);
	uint32_t lo = 0, hi = set ? set->count : 0;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		int32_t idx = set->links[mid]->desc.ifindex;
		if (idx == ifindex)
			return set->links[mid];
		if (idx < ifindex)
			lo = mid + 1;
		else
			hi = mid;
	}
	return nullptr;
}

void link_xmit(cx_stack *s, Link *link, cx_pkt *frame)
{
	size_t len = cx_pkt_len(frame);
	if (!(__atomic_load_n(&link->desc.flags, __ATOMIC_RELAXED) & CX_LINK_F_UP)) {
		link_tx_drop(link, CX_LINK_DROP_DOWN);
		cx_pkt_free(frame);
		return;
	}
	if (s->ops->xmit(link->ctx, frame)) {
		count(&link->stats.tx_errors);
		return;
	}
	count(&link->stats.tx_packets);
	count(&link->stats.tx_bytes, len);
}

int64_t tunable(const cx_stack *s, unsigned int id, unsigned int index)
{
	return __atomic_load_n(&s->tunables->values[id][index], __ATOMIC_RELAXED);
}

} // namespace cx::stack

using namespace cx::stack;

extern "C" {

const char *cx_link_drop_name(unsigned int reason)
{
	return reason < CX_LINK_DROP_COUNT ? kLinkDropNames[reason] : "unknown";
}

struct cx_stack *cx_stack_create(const struct cx_stack_host_ops *ops, void *host_ctx,
				 const struct cx_tunables *tunables)
{
	cx_stack *s = cx::make<cx_stack>(cx::Gfp::Kernel);
	if (!s)
		return nullptr;
	s->ops = ops;
	s->host_ctx = host_ctx;
	s->tunables = tunables;
	s->links = linkset_alloc(0);
	if (!s->links)
		goto err_free;
	if (addr_init(s))
		goto err_links;
	if (route_init(s))
		goto err_addr;
	if (neigh_init(s))
		goto err_route;
	if (output_init(s))
		goto err_neigh;
	cx_stack_tunables_changed(s);
	return s;

err_neigh:
	neigh_destroy(s);
err_route:
	route_destroy(s);
err_addr:
	addr_destroy(s);
err_links:
	cx_os_free(s->links);
err_free:
	cx::destroy(s);
	return nullptr;
}

void cx_stack_destroy(struct cx_stack *s)
{
	if (!s)
		return;
	s->destroying = true;
	/* no link is left: nothing can receive or send any more */
	CX_BUG_ON(links(s)->count != 0);
	output_destroy(s);
	neigh_destroy(s);
	route_destroy(s);
	addr_destroy(s);
	cx_os_free(s->links);
	/* objects retired with call_rcu must be gone before their owner */
	cx_os_rcu_barrier();
	cx::destroy(s);
}

void cx_stack_tunables_changed(struct cx_stack *s)
{
	s->fib.set_multipath_hash_policy(
		static_cast<int>(tunable(s, CX_TUNABLE_FIB_MULTIPATH_HASH_POLICY)));
	reasm_config_update(s);
}

int cx_stack_link_attach(struct cx_stack *s, const struct cx_link_desc *desc, void *link_ctx)
{
	if (desc->ifindex <= 0)
		return -CX_EINVAL;
	if (link_find(s, desc->ifindex))
		return -CX_EEXIST;
	Link *link = static_cast<Link *>(cx_os_zalloc(sizeof(Link), CX_GFP_KERNEL));
	if (!link)
		return -CX_ENOMEM;
	const LinkSet *old = links(s);
	LinkSet *set = linkset_alloc(old->count + 1);
	if (!set) {
		cx_os_free(link);
		return -CX_ENOMEM;
	}
	link->desc = *desc;
	link->desc.name[CX_LINK_NAME_MAX - 1] = 0;
	link->ctx = link_ctx;
	desc_to_arp_dev(link->desc, &link->arp_dev);
	uint32_t j = 0;
	for (uint32_t i = 0; i < old->count; i++) {
		if (j == i && old->links[i]->desc.ifindex > desc->ifindex)
			set->links[j++] = link;
		set->links[j++] = old->links[i];
	}
	if (j == old->count)
		set->links[j++] = link;
	set->count = j;
	publish_links(s, set);
	if (s->ops->notify)
		s->ops->notify(s->host_ctx, CX_EVENT_LINK_NEW, &link->desc);
	return 0;
}

int cx_stack_link_change(struct cx_stack *s, const struct cx_link_desc *desc)
{
	Link *link = link_find(s, desc->ifindex);
	if (!link)
		return -CX_ENODEV;
	/* the fields readers use are word-sized: update in place */
	__atomic_store_n(&link->desc.mtu, desc->mtu, __ATOMIC_RELAXED);
	__atomic_store_n(&link->desc.flags, desc->flags, __ATOMIC_RELAXED);
	for (size_t i = 0; i < CX_LINK_NAME_MAX - 1; i++)
		link->desc.name[i] = desc->name[i];
	bool mac_changed = false;
	for (size_t i = 0; i < 6; i++)
		mac_changed |= link->desc.mac[i] != desc->mac[i];
	if (mac_changed) {
		/* rare: the MAC is read without a lock; Linux's dev_addr has the same race */
		for (size_t i = 0; i < 6; i++)
			link->desc.mac[i] = desc->mac[i];
		desc_to_arp_dev(link->desc, &link->arp_dev);
	}
	link->arp_dev.noarp = desc->flags & CX_LINK_F_NOARP;
	if (!(desc->flags & CX_LINK_F_UP))
		cx::neigh::neigh_flush_dev(&s->neigh, desc->ifindex);
	return 0;
}

int cx_stack_link_detach(struct cx_stack *s, int32_t ifindex)
{
	Link *link = link_find(s, ifindex);
	if (!link)
		return -CX_ENODEV;
	addr_flush_link(s, ifindex);
	route_flush_link(s, ifindex);
	const LinkSet *old = links(s);
	LinkSet *set = linkset_alloc(old->count - 1);
	if (set) {
		uint32_t j = 0;
		for (uint32_t i = 0; i < old->count; i++)
			if (old->links[i] != link)
				set->links[j++] = old->links[i];
		set->count = j;
		publish_links(s, set);
	} else {
		/*
		 * Detach cannot fail (the device may be going away, the host frees
		 * link_ctx): take the link out of the published set in place. The
		 * later entries move down one slot, so every slot below the count a
		 * reader saw still points at a live link and the set stays sorted;
		 * a concurrent lookup may miss a link for a moment (one dropped
		 * packet). The link itself is retired below, after readers.
		 */
		LinkSet *cur = const_cast<LinkSet *>(old);
		uint32_t i = 0;
		while (cur->links[i] != link)
			i++;
		for (; i + 1 < cur->count; i++)
			__atomic_store_n(&cur->links[i], cur->links[i + 1], __ATOMIC_RELEASE);
		__atomic_store_n(&cur->count, cur->count - 1, __ATOMIC_RELEASE);
	}
	/* entries of the link may still be referenced (timers): they go dead */
	cx::neigh::neigh_flush_dev(&s->neigh, ifindex);
	if (s->ops->notify)
		s->ops->notify(s->host_ctx, CX_EVENT_LINK_DEL, &link->desc);
	cx_os_rcu_retire(free_obj, link);
	return 0;
}

void cx_stack_link_count_passed(struct cx_stack *s, int32_t ifindex)
{
	cx_os_rcu_read_lock();
	Link *link = link_find(s, ifindex);
	if (link)
		count(&link->stats.rx_passed);
	cx_os_rcu_read_unlock();
}

int cx_stack_link_get(struct cx_stack *s, int32_t ifindex, struct cx_link_desc *desc,
		      struct cx_link_stats *stats)
{
	int err = -CX_ENODEV;
	cx_os_rcu_read_lock();
	Link *link = link_find(s, ifindex);
	if (link) {
		if (desc)
			*desc = link->desc;
		if (stats)
			stats_copy(link->stats, stats);
		err = 0;
	}
	cx_os_rcu_read_unlock();
	return err;
}

void cx_stack_link_dump(struct cx_stack *s, uint64_t *cursor, cx_link_dump_fn fn, void *arg)
{
	cx_os_rcu_read_lock();
	const LinkSet *set = links(s);
	for (uint32_t i = 0; i < set->count; i++) {
		Link *link = set->links[i];
		if (static_cast<uint64_t>(link->desc.ifindex) < *cursor)
			continue;
		cx_link_desc desc = link->desc;
		cx_link_stats stats;
		stats_copy(link->stats, &stats);
		if (fn(arg, &desc, &stats))
			break;
		*cursor = static_cast<uint64_t>(link->desc.ifindex) + 1;
	}
	cx_os_rcu_read_unlock();
}

void cx_stack_udp_count(struct cx_stack *s, enum cx_udp_mib mib)
{
	if (mib < CX_UDP_MIB_COUNT)
		count(&s->udp_mib[mib]);
}

void cx_stack_counters(struct cx_stack *s, cx_counter_fn fn, void *arg)
{
	using namespace cx::ipv4;
	for (unsigned int i = 0; i < kIpMibCount; i++)
		if (fn(arg, "Ip", kIpMibNames[i], read_count(&s->ip_stats.mib[i])))
			return;
	for (unsigned int i = 0; i < static_cast<unsigned int>(StackMib::Count); i++)
		if (fn(arg, "Ip", kStackMibNames[i], read_count(&s->mib[i])))
			return;
	for (unsigned int i = 1; i < kDropReasonCount; i++)
		if (fn(arg, "IpDrop", kDropNames[i], read_count(&s->ip_stats.drops[i])))
			return;
	for (unsigned int i = 0; i < kIcmpMibCount; i++)
		if (fn(arg, "Icmp", kIcmpMibNames[i], read_count(&s->icmp_stats.mib[i])))
			return;
	/* IcmpMsg: only the types seen, as /proc/net/snmp prints them */
	char name[16];
	for (unsigned int dir = 0; dir < 2; dir++) {
		const uint64_t *types = dir ? s->icmp_stats.out_type : s->icmp_stats.in_type;
		for (unsigned int t = 0; t < 256; t++) {
			uint64_t v = read_count(&types[t]);
			if (!v)
				continue;
			const char *prefix = dir ? "OutType" : "InType";
			size_t n = 0;
			for (; prefix[n]; n++)
				name[n] = prefix[n];
			if (t >= 100)
				name[n++] = static_cast<char>('0' + t / 100);
			if (t >= 10)
				name[n++] = static_cast<char>('0' + t / 10 % 10);
			name[n++] = static_cast<char>('0' + t % 10);
			name[n] = 0;
			if (fn(arg, "IcmpMsg", name, v))
				return;
		}
	}
	for (unsigned int i = 0; i < CX_UDP_MIB_COUNT; i++)
		if (fn(arg, "Udp", kUdpMibNames[i], read_count(&s->udp_mib[i])))
			return;
	cx::neigh::ArpStats a = cx::neigh::arp_stats(&s->arp);
	const struct {
		const char *name;
		uint64_t value;
	} arp[] = {
		{ "RxRequests", a.rx_requests }, { "RxReplies", a.rx_replies },
		{ "RxProbes", a.rx_probes }, { "TxRequests", a.tx_requests },
		{ "TxReplies", a.tx_replies }, { "TxNoMem", a.tx_nomem },
		{ "DropMalformed", a.drop_malformed }, { "DropBadOpcode", a.drop_bad_opcode },
		{ "DropNotForUs", a.drop_not_for_us }, { "DropBadTarget", a.drop_bad_target },
		{ "DropBadSender", a.drop_bad_sender }, { "Ignored", a.ignored },
		{ "EntryFailures", a.entry_failures },
	};
	for (const auto &c : arp)
		if (fn(arg, "Arp", c.name, c.value))
			return;
	cx::neigh::NeighStats n = cx::neigh::neigh_stats(&s->neigh);
	const struct {
		const char *name;
		uint64_t value;
	} neigh[] = {
		{ "Allocs", n.allocs }, { "Destroys", n.destroys }, { "ResFailed", n.res_failed },
		{ "Lookups", n.lookups }, { "Hits", n.hits }, { "UnresDiscards", n.unres_discards },
		{ "TableFulls", n.table_fulls }, { "ForcedGcRuns", n.forced_gc_runs },
		{ "Entries", cx::neigh::neigh_count(&s->neigh) },
	};
	for (const auto &c : neigh)
		if (fn(arg, "Neigh", c.name, c.value))
			return;
}

} // extern "C"
