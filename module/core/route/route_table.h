/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One routing table's source of truth (the mutable side of
 * net/ipv4/fib_trie.c): a hash of prefixes (prefix, len), each with its
 * alias list ordered as Linux orders fib_alias lists (tos descending, then
 * priority ascending). Simple and obviously correct; lookups do not run
 * here but on the immutable RouteSnapshot compiled from it
 * (route_snapshot.h), which the table publishes for readers.
 *
 * Writers (insert/remove/flush/publish) are serialised by the caller
 * (RTNL in the kernel).
 */
#ifndef CXNET_CORE_ROUTE_ROUTE_TABLE_H
#define CXNET_CORE_ROUTE_ROUTE_TABLE_H

#include "route.h"
#include "route_info.h"
#include "../memory.h"

namespace cx::route {

class RouteSnapshot;
class RouteTable;

/*
 * One change a configuration request made to a table, kept until the
 * table's new snapshot is published so that it can be undone without
 * allocating if the snapshot cannot be built: a request then fails with
 * -ENOMEM and leaves no trace (Linux's fib_table_insert/delete either
 * change the trie or fail; here the change and its publication are two
 * steps, and the journal makes them one).
 */
struct RouteUndo {
	enum class Kind : uint8_t { Inserted, Replaced, Removed };
	RouteTable *table;
	RouteEntry *entry;	/* the inserted, replaced or detached entry */
	RouteEntry *pred;	/* Removed: the alias before it, null for a head */
	RouteInfo *old_info;	/* Replaced: the info it had (its reference) */
	RouteType old_type;	/* Replaced */
	Kind kind;
	bool was_dirty;		/* the table's dirty flag before the change */
};

/*
 * The changes of one request, in order. reserve() makes room for the next
 * record before a change is made, so a change is never made that could not
 * be recorded. Fib::commit() finishes the journal (frees what was replaced
 * or removed once the new snapshot is published) or undoes it in reverse
 * order; Fib::abort() undoes it.
 */
class RouteJournal {
public:
	RouteJournal() = default;
	RouteJournal(const RouteJournal &) = delete;
	RouteJournal &operator=(const RouteJournal &) = delete;
	~RouteJournal();

	bool reserve(Gfp gfp);
	void push(const RouteUndo &undo);
	uint32_t count() const { return count_; }
	RouteUndo &at(uint32_t i) { return slots()[i]; }
	void clear() { count_ = 0; }

private:
	static constexpr uint32_t kInline = 4;
	RouteUndo *slots() { return heap_ ? heap_ : inline_; }

	RouteUndo inline_[kInline] = {};
	RouteUndo *heap_ = nullptr;
	uint32_t count_ = 0;
	uint32_t cap_ = kInline;
};

class RouteTable {
public:
	explicit RouteTable(uint32_t id) : id_(id) {}
	RouteTable(const RouteTable &) = delete;
	RouteTable &operator=(const RouteTable &) = delete;

	int init(Gfp gfp);
	/* Remove every route; the published snapshot must have been taken
	 * out (exchange_snapshot(nullptr)) and retired by the owner. */
	void destroy(RouteInfoCache &cache);

	/*
	 * fib_table_insert(): add a route per cfg.nlflags (kNlm*): -EEXIST
	 * for an existing (prefix, tos, priority) with Excl, or an identical
	 * route; -ENOENT without Create when nothing is replaced; -EINVAL for
	 * a bad prefix/len/tos or attributes; -ENOMEM.
	 */
	int insert(RouteInfoCache &cache, const RouteConfig &cfg, Gfp gfp,
		   RouteJournal *journal = nullptr);
	/* fib_table_delete(): the first route of (prefix, tos) whose given
	 * fields match; -ESRCH if none, -EINVAL for a bad prefix; -ENOMEM
	 * only when a journal cannot record the change. */
	int remove(RouteInfoCache &cache, const RouteConfig &cfg, RouteJournal *journal = nullptr,
		   Gfp gfp = Gfp::Kernel);
	/* A journaled change taken back (no allocation); dirty as before it. */
	void undo(RouteInfoCache &cache, const RouteUndo &undo);
	/* A journaled change made final: what it replaced or removed is freed. */
	void finish(RouteInfoCache &cache, const RouteUndo &undo);
	/* Remove every route; returns how many. */
	uint32_t flush(RouteInfoCache &cache);

	/* The first alias of prefix/len (walk ->next for the others), or null. */
	const RouteEntry *find(uint32_t prefix, uint8_t len) const;

	/* fn(const RouteEntry *head) for each prefix, in hash order. */
	template <typename Fn>
	void for_each_prefix(Fn &&fn) const
	{
		for (uint32_t b = 0; b <= mask_; b++)
			for (const RouteEntry *e = buckets_[b]; e; e = e->hash_next)
				fn(e);
	}

	uint32_t id() const { return id_; }
	uint32_t prefix_count() const { return prefixes_; }
	uint32_t route_count() const { return routes_; }
	/* Changed since the last snapshot was published? */
	bool dirty() const { return dirty_; }
	/* Bytes held by entries and buckets (not infos, not snapshots). */
	size_t memory_bytes() const;

	/* The published snapshot (readers: under RCU in the kernel). */
	const RouteSnapshot *snapshot() const
	{
		return __atomic_load_n(&snapshot_, __ATOMIC_ACQUIRE);
	}
	/* A snapshot built but not yet published (Fib::commit() with a journal). */
	void stage(const RouteSnapshot *snap) { staged_ = snap; }
	const RouteSnapshot *staged() const { return staged_; }
	const RouteSnapshot *unstage()
	{
		const RouteSnapshot *snap = staged_;
		staged_ = nullptr;
		return snap;
	}
	/* Publish snap (may be null) and return the previous one, which the
	 * caller frees after readers are gone (after an RCU grace period). */
	const RouteSnapshot *exchange_snapshot(const RouteSnapshot *snap)
	{
		dirty_ = false;
		return __atomic_exchange_n(&snapshot_, snap, __ATOMIC_ACQ_REL);
	}

private:
	RouteEntry **chain_link(uint32_t prefix, uint8_t len);
	void unlink(RouteEntry **chain, RouteEntry *entry, RouteEntry *pred);
	void grow(Gfp gfp);
	void free_entry(RouteInfoCache &cache, RouteEntry *entry);

	uint32_t id_;
	RouteEntry **buckets_ = nullptr;
	uint32_t mask_ = 0;
	uint32_t seed_ = 0;
	uint32_t prefixes_ = 0;
	uint32_t routes_ = 0;
	bool dirty_ = false;
	const RouteSnapshot *snapshot_ = nullptr;
	const RouteSnapshot *staged_ = nullptr;
};

} // namespace cx::route

#endif /* CXNET_CORE_ROUTE_ROUTE_TABLE_H */
