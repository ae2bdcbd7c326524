/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The read-optimised, immutable form of one routing table: what lookups
 * run on. A Poptrie (Asai & Ohara, "Poptrie: A Compressed Trie with
 * Population Count for Fast and Scalable Software IP Routing Table
 * Lookup", SIGCOMM 2015): a 2^18-entry direct-pointing array for the top
 * 18 bits, then nodes of 6-bit strides, each a 64-bit vector of children
 * and a 64-bit leaf vector with leaf compression (a leaf is stored only
 * where the answer changes), indexed by population count. At most three
 * node levels below the direct array (18 + 3 * 6 >= 32).
 *
 * A leaf is a prefix (a "group": all routes of one prefix, in Linux's
 * alias order); each group also knows the next shorter prefix containing
 * it, so that a lookup whose longest match has no usable route (tos,
 * scope, dead nexthops) backtracks as fib_table_lookup() does.
 *
 * Built in one go from a RouteTable (build()), never modified: publish it
 * with RouteTable::exchange_snapshot() and free the old one once no reader
 * can hold it (after an RCU grace period in the kernel). It holds a
 * reference on every RouteInfo it uses, so it stays valid after the
 * routes it was built from are deleted.
 */
#ifndef CXNET_CORE_ROUTE_ROUTE_SNAPSHOT_H
#define CXNET_CORE_ROUTE_ROUTE_SNAPSHOT_H

#include "route.h"
#include "../memory.h"

namespace cx::route {

class RouteTable;

/* A lookup key as fib_table_lookup() reads struct flowi4. */
struct TableFlowKey {
	uint32_t dst;
	int32_t oif;	/* 0: any nexthop device */
	uint8_t tos;
	uint8_t scope;	/* routes with a narrower (smaller) scope are skipped */
};

/*
 * One route in a snapshot: a copy of the RouteEntry's key and type. The
 * routes of one prefix are consecutive (Linux's alias order), the last one
 * flagged; a leaf of the trie is the index + 1 of its prefix's first route,
 * so a lookup reaches the route record in one step. parent is the leaf of
 * the next shorter prefix containing this one (0: none), for backtracking.
 */
struct SnapshotRoute {
	uint32_t info_index;	/* RouteSnapshot::info() */
	uint32_t prefix;
	uint32_t parent;
	uint8_t len;
	uint8_t tos;
	RouteType type;
	uint8_t last;
};

/* What fib_table_lookup() fills in (struct fib_result, the parts used). */
struct TableMatch {
	const SnapshotRoute *route;	/* valid as long as the snapshot */
	const RouteInfo *info;		/* route's attributes, as long as the snapshot */
	uint32_t nh_index;		/* first usable nexthop */
};

struct PoptrieNode {
	uint64_t vector;	/* slots with a child node */
	uint64_t leafvec;	/* leaf slots where a new leaf run starts */
	uint32_t base0;		/* first leaf in leaves[] */
	uint32_t base1;		/* first child in nodes[] */
};

class RouteSnapshot {
public:
	static constexpr unsigned int kDirectBits = 18;
	static constexpr unsigned int kStride = 6;
	static constexpr uint32_t kDirectLeaf = 0x80000000u;

	/*
	 * Compile table. mark must differ from every earlier build's mark
	 * for infos of the same RouteInfoCache (a per-namespace counter).
	 * nullptr with *err = -ENOMEM on allocation failure.
	 */
	static RouteSnapshot *build(const RouteTable &table, uint64_t mark, Gfp gfp, int *err);
	/* Drop info references and free; nullptr is ignored. */
	static void free(const RouteSnapshot *snap);
	/* free() for a retire callback taking void *. */
	static void free_void(void *snap) { free(static_cast<const RouteSnapshot *>(snap)); }

	/* The longest matching prefix's leaf (its first route's index + 1), 0 for none. */
	uint32_t match(uint32_t addr) const
	{
		uint32_t d = direct_[addr >> (32 - kDirectBits)];
		if (d & kDirectLeaf)
			return d & ~kDirectLeaf;
		const PoptrieNode *node = &nodes_[d];
		uint64_t key = uint64_t(addr) << 32;
		unsigned int shift = 64 - kDirectBits - kStride;
		for (;;) {
			unsigned int v = static_cast<unsigned int>(key >> shift) & 63;
			uint64_t upto = (uint64_t(2) << v) - 1;
			if (node->vector & (uint64_t(1) << v)) {
				node = &nodes_[node->base1 + popcount64(node->vector & upto) - 1];
				shift -= kStride;
				continue;
			}
			return leaves_[node->base0 + popcount64(node->leafvec & upto) - 1];
		}
	}

	/*
	 * fib_table_lookup(): the first usable route of the longest matching
	 * prefix, backtracking to shorter prefixes. 0 with *m filled; the
	 * route type's error (-EHOSTUNREACH, -EACCES, -EINVAL, -EAGAIN for
	 * throw) with m->route set; -EAGAIN with m->route null when nothing
	 * matches.
	 */
	int lookup(const TableFlowKey &key, TableMatch *m) const;

	/* The routes of a leaf's prefix (leaf != 0). */
	const SnapshotRoute *group_routes(uint32_t leaf, uint32_t *count) const
	{
		const SnapshotRoute *first = &routes_[leaf - 1];
		uint32_t n = 1;
		while (!first[n - 1].last)
			n++;
		*count = n;
		return first;
	}
	/* Routes in (prefix, len) order, each prefix's in alias order: what a
	 * resumable `ip route show` dump walks (index = dump cookie). */
	const SnapshotRoute &route_at(uint32_t index) const { return routes_[index]; }
	/* A route's shared attributes (held by the snapshot). */
	const RouteInfo *info(const SnapshotRoute &route) const { return infos_[route.info_index]; }
	/* The leaf of the next shorter prefix containing leaf's, 0 for none. */
	uint32_t group_parent(uint32_t leaf) const { return routes_[leaf - 1].parent; }

	uint32_t prefix_count() const { return groups_; }
	uint32_t route_count() const { return route_total_; }
	uint32_t node_count() const { return node_count_; }
	uint32_t leaf_count() const { return leaf_count_; }
	/* Bytes allocated for the trie and the route records. */
	size_t trie_bytes() const;
	size_t memory_bytes() const;

	/* Use build(); public only for cx::make. */
	RouteSnapshot() = default;

private:
	friend class SnapshotBuilder;

	uint32_t *direct_ = nullptr;		/* 2^18 */
	PoptrieNode *nodes_ = nullptr;
	uint32_t *leaves_ = nullptr;
	SnapshotRoute *routes_ = nullptr;
	const RouteInfo **infos_ = nullptr;	/* each referenced once */
	uint32_t node_count_ = 0, node_cap_ = 0;
	uint32_t leaf_count_ = 0, leaf_cap_ = 0;
	uint32_t groups_ = 0;
	uint32_t route_total_ = 0;
	uint32_t info_count_ = 0, info_cap_ = 0;
};

inline int RouteSnapshot::lookup(const TableFlowKey &key, TableMatch *m) const
{
	m->route = nullptr;
	m->info = nullptr;
	m->nh_index = 0;
	for (uint32_t leaf = match(key.dst); leaf; leaf = routes_[leaf - 1].parent) {
		bool done = false;
		for (uint32_t r = leaf - 1; !done; r++) {
			const SnapshotRoute &sr = routes_[r];
			done = sr.last;
			const RouteInfo *fi = infos_[sr.info_index];
			if (sr.tos && sr.tos != key.tos)
				continue;
			if (fi->scope < key.scope)
				continue;
			int err = route_type_error(sr.type);
			if (err) {
				m->route = &sr;
				m->info = fi;
				return err;
			}
			if (fi->all_dead)
				continue;
			for (uint32_t i = 0; i < fi->nexthop_count; i++) {
				const Nexthop &nh = fi->nexthops[i];
				if (nh.flags & kNexthopDead)
					continue;
				if (key.oif && key.oif != nh.ifindex)
					continue;
				m->route = &sr;
				m->info = fi;
				m->nh_index = i;
				return 0;
			}
		}
	}
	return -CX_EAGAIN;
}

} // namespace cx::route

#endif /* CXNET_CORE_ROUTE_ROUTE_SNAPSHOT_H */
