// SPDX-License-Identifier: GPL-2.0
/*
 * Route insertion and deletion with Linux's semantics and errnos:
 * fib_table_insert(), fib_table_delete(), fib_find_alias(), fib_nh_match()
 * (net/ipv4/fib_trie.c, fib_semantics.c).
 */
#include "route_table.h"
#include "../hash.h"
#include "../utility.h"

namespace cx::route {

namespace {

uint32_t prefix_hash(uint32_t prefix, uint8_t len, uint32_t seed)
{
	return jhash_2words(prefix, len, seed);
}

/* The prefix checks of rtm_to_fib_config() and fib_table_insert/delete(). */
bool prefix_valid(const RouteConfig &cfg)
{
	if (cfg.dst_len > 32)
		return false;
	/* "Invalid prefix for given prefix length" */
	return (cfg.dst & ~prefix_mask(cfg.dst_len)) == 0;
}

/*
 * fib_find_alias(): in a list ordered by tos descending then priority
 * ascending, the first alias with tos <= tos and (priority >= prio or a
 * smaller tos): where a route (tos, prio) is or would go.
 */
RouteEntry **find_alias(RouteEntry **link, uint8_t tos, uint32_t prio)
{
	for (; *link; link = &(*link)->next) {
		const RouteEntry *fa = *link;
		if (fa->tos > tos)
			continue;
		if (fa->info->priority >= prio || fa->tos < tos)
			return link;
	}
	return link;
}

/* fib_nh_match(): 0 = the request's nexthop keys match info. */
bool nexthops_match(const RouteConfig &cfg, const RouteInfo *info)
{
	if (cfg.priority && cfg.priority != info->priority)
		return false;
	if (cfg.oif || cfg.gateway) {
		const Nexthop &nh = info->nexthops[0];
		if (cfg.oif && cfg.oif != nh.ifindex)
			return false;
		if (cfg.gateway && cfg.gateway != nh.gateway)
			return false;
		return true;
	}
	if (!cfg.multipath_count)
		return true;
	if (cfg.multipath_count != info->nexthop_count)
		return false;
	for (uint32_t i = 0; i < info->nexthop_count; i++) {
		const Nexthop &want = cfg.multipath[i];
		const Nexthop &have = info->nexthops[i];
		if (want.ifindex && want.ifindex != have.ifindex)
			return false;
		if (want.gateway && want.gateway != have.gateway)
			return false;
	}
	return true;
}

} // namespace

RouteJournal::~RouteJournal()
{
	/* Fib::commit() or Fib::abort() settles every record first */
	CX_BUG_ON(count_ != 0);
	free_array(heap_);
}

bool RouteJournal::reserve(Gfp gfp)
{
	if (count_ < cap_)
		return true;
	uint32_t cap = cap_ * 2;
	RouteUndo *grown = make_array<RouteUndo>(cap, gfp);
	if (!grown)
		return false;
	for (uint32_t i = 0; i < count_; i++)
		grown[i] = slots()[i];
	free_array(heap_);
	heap_ = grown;
	cap_ = cap;
	return true;
}

void RouteJournal::push(const RouteUndo &undo)
{
	CX_BUG_ON(count_ >= cap_);	/* reserve() first */
	slots()[count_++] = undo;
}

int RouteTable::init(Gfp gfp)
{
	CX_BUG_ON(buckets_ != nullptr);
	buckets_ = make_array<RouteEntry *>(16, gfp);
	if (!buckets_)
		return -CX_ENOMEM;
	mask_ = 15;
	cx_os_random_bytes(&seed_, sizeof(seed_));
	return 0;
}

void RouteTable::destroy(RouteInfoCache &cache)
{
	CX_BUG_ON(snapshot_ != nullptr);
	if (!buckets_)
		return;
	flush(cache);
	free_array(buckets_);
	buckets_ = nullptr;
}

size_t RouteTable::memory_bytes() const
{
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): the buckets are pointers */
	return size_t(mask_ + 1) * sizeof(RouteEntry *) + size_t(routes_) * sizeof(RouteEntry);
}

RouteEntry **RouteTable::chain_link(uint32_t prefix, uint8_t len)
{
	RouteEntry **link = &buckets_[prefix_hash(prefix, len, seed_) & mask_];
	for (; *link; link = &(*link)->hash_next)
		if ((*link)->prefix == prefix && (*link)->len == len)
			return link;
	return link;
}

const RouteEntry *RouteTable::find(uint32_t prefix, uint8_t len) const
{
	const RouteEntry *e = buckets_[prefix_hash(prefix, len, seed_) & mask_];
	for (; e; e = e->hash_next)
		if (e->prefix == prefix && e->len == len)
			return e;
	return nullptr;
}

/* Double the buckets past load factor 2; on failure chains just get longer. */
void RouteTable::grow(Gfp gfp)
{
	/* load factor 2: buckets are 4 MiB (a kmalloc) for a 1M-prefix table */
	if (prefixes_ <= 2 * (mask_ + 1) || mask_ >= (1u << 24) - 1)
		return;
	uint32_t count = (mask_ + 1) * 2;
	RouteEntry **fresh = make_array<RouteEntry *>(count, gfp);
	if (!fresh)
		return;
	for (uint32_t b = 0; b <= mask_; b++) {
		RouteEntry *e = buckets_[b];
		while (e) {
			RouteEntry *next = e->hash_next;
			uint32_t nb = prefix_hash(e->prefix, e->len, seed_) & (count - 1);
			e->hash_next = fresh[nb];
			fresh[nb] = e;
			e = next;
		}
	}
	free_array(buckets_);
	buckets_ = fresh;
	mask_ = count - 1;
}

void RouteTable::free_entry(RouteInfoCache &cache, RouteEntry *entry)
{
	cache.release(entry->info);
	cx_os_free(entry);
	routes_--;
	dirty_ = true;
}

/*
 * Put entry where *link points in the alias list whose head is linked from
 * *chain (a bucket or hash_next slot): a new head takes over the old head's
 * place in the hash chain.
 */
static void link_alias(RouteEntry **chain, RouteEntry **link, RouteEntry *entry)
{
	entry->next = *link;
	if (link == chain) {
		/* new head: chain slot and head share the pointer */
		RouteEntry *old_head = *chain;
		entry->hash_next = old_head ? old_head->hash_next : nullptr;
		if (old_head)
			old_head->hash_next = nullptr;
	}
	*link = entry;
}

int RouteTable::insert(RouteInfoCache &cache, const RouteConfig &cfg, Gfp gfp,
		       RouteJournal *journal)
{
	if (!prefix_valid(cfg))
		return -CX_EINVAL;
	/* "Invalid dsfield (tos): ECN bits must be 0" */
	if (cfg.tos & kTosEcnMask)
		return -CX_EINVAL;
	if (journal && !journal->reserve(gfp))
		return -CX_ENOMEM;
	const bool was_dirty = dirty_;
	int err;
	RouteInfo *info = cache.acquire(cfg, gfp, &err);
	if (!info)
		return err;

	RouteEntry **chain = chain_link(cfg.dst, cfg.dst_len);
	/*
	 * The alias list is reached through *chain; walking it by ->next from
	 * the chain slot: the first link is the chain slot itself.
	 */
	RouteEntry **link = find_alias(chain, cfg.tos, info->priority);
	RouteEntry *fa = *link;
	if (fa && fa->tos == cfg.tos && fa->info->priority == info->priority) {
		err = -CX_EEXIST;
		if (cfg.nlflags & kNlmExcl)
			goto out;
		/* an identical route (same type and attributes) in the run? */
		RouteEntry *fa_match = nullptr;
		RouteEntry **after_run = link;
		for (RouteEntry *a = fa; a; a = a->next) {
			if (a->tos != cfg.tos || a->info->priority != info->priority)
				break;
			if (a->type == cfg.type && a->info == info) {
				fa_match = a;
				break;
			}
			after_run = &a->next;
		}
		if (cfg.nlflags & kNlmReplace) {
			if (fa_match) {
				if (fa_match == fa)
					err = 0;
				goto out;
			}
			/* replace the first alias of the run in place */
			RouteInfo *old = fa->info;
			RouteType old_type = fa->type;
			fa->info = info;
			fa->type = cfg.type;
			if (journal)
				journal->push({this, fa, nullptr, old, old_type,
					       RouteUndo::Kind::Replaced, was_dirty});
			else
				cache.release(old);
			dirty_ = true;
			return 0;
		}
		if (fa_match)
			goto out;
		if (cfg.nlflags & kNlmAppend) {
			/* after the whole run of equal (tos, priority) */
			while (*after_run && (*after_run)->tos == cfg.tos &&
			       (*after_run)->info->priority == info->priority)
				after_run = &(*after_run)->next;
			link = after_run;
		}
	}
	err = -CX_ENOENT;
	if (!(cfg.nlflags & kNlmCreate))
		goto out;
	{
		RouteEntry *entry = static_cast<RouteEntry *>(cx_os_zalloc(sizeof(RouteEntry),
									   to_os_gfp(gfp)));
		err = -CX_ENOMEM;
		if (!entry)
			goto out;
		entry->info = info;
		entry->prefix = cfg.dst;
		entry->len = cfg.dst_len;
		entry->tos = cfg.tos;
		entry->type = cfg.type;
		bool new_prefix = *chain == nullptr;
		link_alias(chain, link, entry);
		routes_++;
		dirty_ = true;
		if (new_prefix) {
			prefixes_++;
			grow(gfp);
		}
		if (journal)
			journal->push({this, entry, nullptr, nullptr, RouteType::Unspec,
				       RouteUndo::Kind::Inserted, was_dirty});
	}
	return 0;
out:
	cache.release(info);
	return err;
}

/* Take entry (after pred in its alias list, or the head if pred is null) out of the table. */
void RouteTable::unlink(RouteEntry **chain, RouteEntry *entry, RouteEntry *pred)
{
	RouteEntry *next = entry->next;
	if (!pred) {
		/* removing the head: its successor takes the chain slot */
		if (next)
			next->hash_next = entry->hash_next;
		else
			prefixes_--;
		*chain = next ? next : entry->hash_next;
	} else {
		pred->next = next;
	}
	routes_--;
	dirty_ = true;
}

int RouteTable::remove(RouteInfoCache &cache, const RouteConfig &cfg, RouteJournal *journal,
		       Gfp gfp)
{
	if (!prefix_valid(cfg))
		return -CX_EINVAL;
	RouteEntry **chain = chain_link(cfg.dst, cfg.dst_len);
	if (!*chain)
		return -CX_ESRCH;
	RouteEntry **link = find_alias(chain, cfg.tos, 0);
	for (; *link; link = &(*link)->next) {
		RouteEntry *fa = *link;
		const RouteInfo *fi = fa->info;
		if (fa->tos != cfg.tos)
			break;
		if ((cfg.type == RouteType::Unspec || fa->type == cfg.type) &&
		    (cfg.scope == kScopeNowhere || fi->scope == cfg.scope) &&
		    (!cfg.prefsrc || fi->prefsrc == cfg.prefsrc) &&
		    (!cfg.protocol || fi->protocol == cfg.protocol) &&
		    nexthops_match(cfg, fi) && (!cfg.mtu || fi->mtu == cfg.mtu)) {
			if (journal && !journal->reserve(gfp))
				return -CX_ENOMEM;
			RouteEntry *pred = nullptr;
			if (link != chain)
				for (pred = *chain; pred && pred->next != fa; pred = pred->next)
					;
			const bool was_dirty = dirty_;
			unlink(chain, fa, pred);
			if (journal) {
				/* freed by finish() once the new snapshot is out */
				journal->push({this, fa, pred, nullptr, RouteType::Unspec,
					       RouteUndo::Kind::Removed, was_dirty});
			} else {
				cache.release(fa->info);
				cx_os_free(fa);
			}
			return 0;
		}
	}
	return -CX_ESRCH;
}

void RouteTable::undo(RouteInfoCache &cache, const RouteUndo &u)
{
	CX_BUG_ON(u.table != this);
	RouteEntry *e = u.entry;
	switch (u.kind) {
	case RouteUndo::Kind::Inserted: {
		RouteEntry **chain = chain_link(e->prefix, e->len);
		RouteEntry *pred = nullptr;
		if (*chain != e) {
			/* e is in this prefix's alias list: it was inserted there */
			for (pred = *chain; pred && pred->next != e; pred = pred->next)
				;
			CX_BUG_ON(!pred);
		}
		unlink(chain, e, pred);
		cache.release(e->info);
		cx_os_free(e);
		break;
	}
	case RouteUndo::Kind::Replaced: {
		RouteInfo *now = e->info;
		e->info = u.old_info;
		e->type = u.old_type;
		cache.release(now);
		break;
	}
	case RouteUndo::Kind::Removed: {
		/* later changes are undone first, so pred is where it was */
		RouteEntry **chain = chain_link(e->prefix, e->len);
		if (u.pred) {
			e->next = u.pred->next;
			u.pred->next = e;
		} else {
			if (!*chain)
				prefixes_++;
			link_alias(chain, chain, e);
		}
		routes_++;
		break;
	}
	}
	dirty_ = u.was_dirty;
}

void RouteTable::finish(RouteInfoCache &cache, const RouteUndo &u)
{
	CX_BUG_ON(u.table != this);
	switch (u.kind) {
	case RouteUndo::Kind::Inserted:
		break;
	case RouteUndo::Kind::Replaced:
		cache.release(u.old_info);
		break;
	case RouteUndo::Kind::Removed:
		cache.release(u.entry->info);
		cx_os_free(u.entry);
		break;
	}
}

uint32_t RouteTable::flush(RouteInfoCache &cache)
{
	uint32_t removed = 0;
	for (uint32_t b = 0; b <= mask_; b++) {
		RouteEntry *head = buckets_[b];
		buckets_[b] = nullptr;
		while (head) {
			RouteEntry *next_head = head->hash_next;
			for (RouteEntry *e = head; e;) {
				RouteEntry *next = e->next;
				free_entry(cache, e);
				removed++;
				e = next;
			}
			head = next_head;
		}
	}
	prefixes_ = 0;
	return removed;
}

} // namespace cx::route
