// SPDX-License-Identifier: GPL-2.0
/*
 * Poptrie compilation of a RouteTable and the table lookup on it
 * (fib_table_lookup() semantics over a Poptrie instead of fib_trie's LC-trie).
 *
 * Build: the prefixes are radix-sorted by (prefix, len), which lists a
 * binary trie in preorder: nested prefixes appear shortest first, so
 * expanding them in order into a node's 64 slots leaves the longest match
 * in each slot, and the prefixes below one slot form a contiguous run that
 * becomes that child's input. Parents (next shorter containing prefix) come
 * from a stack over the same order.
 *
 * Big arrays (the 1 MiB direct array, route records for a full view) go
 * through large_zalloc(): cx_os_zalloc_large, kvzalloc in the kernel
 * (kzalloc fails above 4 MiB; a full view needs ~20 MiB).
 */
#include "route_snapshot.h"
#include "route_table.h"
#include "route_info.h"
#include "../utility.h"

namespace cx::route {

namespace {

/* Every allocation of size proportional to the table (see the top). */
void *large_zalloc(size_t bytes, Gfp gfp)
{
	return cx_os_zalloc_large(bytes, to_os_gfp(gfp));
}

void large_free(const void *ptr)
{
	if (ptr)
		cx_os_free_large(ptr);
}

template <typename T>
T *large_array(size_t count, Gfp gfp)
{
	size_t bytes;
	if (count == 0)
		count = 1;
	/* NOLINTNEXTLINE(bugprone-sizeof-expression): T may be a pointer, sizeof(T) is meant */
	if (__builtin_mul_overflow(count, sizeof(T), &bytes))
		return nullptr;
	return static_cast<T *>(large_zalloc(bytes, gfp));
}

/* Grow *array (count used, *cap allocated) to hold need; false on failure. */
template <typename T>
bool reserve(T **array, uint32_t count, uint32_t *cap, uint32_t need, Gfp gfp)
{
	if (need <= *cap)
		return true;
	uint32_t new_cap = *cap ? *cap : 64;
	while (new_cap < need)
		new_cap *= 2;
	T *fresh = large_array<T>(new_cap, gfp);
	if (!fresh)
		return false;
	if (count) {
		/* NOLINTNEXTLINE(bugprone-sizeof-expression): as in large_array() */
		__builtin_memcpy(static_cast<void *>(fresh), *array, size_t(count) * sizeof(T));
	}
	large_free(*array);
	*array = fresh;
	*cap = new_cap;
	return true;
}

/* Reallocate *array to exactly count elements; kept as is if that fails. */
template <typename T>
void shrink_to_fit(T **array, uint32_t count, uint32_t *cap, Gfp gfp)
{
	if (count == 0 || count == *cap)
		return;
	T *fresh = large_array<T>(count, gfp);
	if (!fresh)
		return;
	__builtin_memcpy(static_cast<void *>(fresh), *array, size_t(count) * sizeof(T));
	large_free(*array);
	*array = fresh;
	*cap = count;
}

/* A prefix to sort: key = prefix << 6 | len (38 bits). */
struct SortItem {
	uint64_t key;
	const RouteEntry *head;
	uint32_t leaf;	/* set after sorting: first route index + 1 */
};

/* LSD radix sort on the 40 low key bits, 8 bits a pass; result in *items. */
void radix_sort(SortItem **items, SortItem **tmp, uint32_t n, uint32_t *counts /* 256 */)
{
	for (unsigned int pass = 0; pass < 5; pass++) {
		unsigned int shift = pass * 8;
		__builtin_memset(counts, 0, 256 * sizeof(uint32_t));
		for (uint32_t i = 0; i < n; i++)
			counts[((*items)[i].key >> shift) & 0xff]++;
		uint32_t sum = 0;
		for (unsigned int b = 0; b < 256; b++) {
			uint32_t c = counts[b];
			counts[b] = sum;
			sum += c;
		}
		for (uint32_t i = 0; i < n; i++)
			(*tmp)[counts[((*items)[i].key >> shift) & 0xff]++] = (*items)[i];
		swap(*items, *tmp);
	}
}

inline uint32_t item_prefix(uint64_t key)
{
	return static_cast<uint32_t>(key >> 6);
}

inline unsigned int item_len(uint64_t key)
{
	return static_cast<unsigned int>(key & 63);
}

/* The 6-bit slot of prefix at bit offset off (bits past 32 read as 0). */
inline unsigned int slot_at(uint32_t prefix, unsigned int off)
{
	return static_cast<unsigned int>((uint64_t(prefix) << 32) >> (58 - off)) & 63;
}

} // namespace

/* Compiles one snapshot; a class so it may reach RouteSnapshot's members. */
class SnapshotBuilder {
public:
	SnapshotBuilder(RouteSnapshot *snap, const SortItem *items, Gfp gfp)
		: snap_(snap), items_(items), gfp_(gfp)
	{
	}

	bool build_direct(uint32_t n);

private:
	bool build_node(uint32_t index, unsigned int off, uint32_t lo, uint32_t hi, uint32_t def);

	RouteSnapshot *snap_;
	const SortItem *items_;
	Gfp gfp_;
};

bool SnapshotBuilder::build_direct(uint32_t n)
{
	constexpr unsigned int shift = 32 - RouteSnapshot::kDirectBits;
	uint32_t *direct = snap_->direct_;
	for (uint32_t s = 0; s < (1u << RouteSnapshot::kDirectBits); s++)
		direct[s] = RouteSnapshot::kDirectLeaf;
	/* shortest-first within nested prefixes: a plain overwrite keeps the longest */
	for (uint32_t i = 0; i < n; i++) {
		unsigned int len = item_len(items_[i].key);
		if (len > RouteSnapshot::kDirectBits)
			continue;
		uint32_t first = item_prefix(items_[i].key) >> shift;
		uint32_t count = 1u << (RouteSnapshot::kDirectBits - len);
		for (uint32_t s = first; s < first + count; s++)
			direct[s] = RouteSnapshot::kDirectLeaf | items_[i].leaf;
	}
	for (uint32_t i = 0; i < n;) {
		unsigned int len = item_len(items_[i].key);
		uint32_t slot = item_prefix(items_[i].key) >> shift;
		if (len <= RouteSnapshot::kDirectBits) {
			i++;
			continue;
		}
		uint32_t j = i;
		while (j < n && (item_prefix(items_[j].key) >> shift) == slot)
			j++;
		uint32_t index = snap_->node_count_;
		if (!reserve(&snap_->nodes_, snap_->node_count_, &snap_->node_cap_, index + 1, gfp_))
			return false;
		snap_->node_count_++;
		uint32_t def = direct[slot] & ~RouteSnapshot::kDirectLeaf;
		direct[slot] = index;
		if (!build_node(index, RouteSnapshot::kDirectBits, i, j, def))
			return false;
		i = j;
	}
	return true;
}

/*
 * Fill node `index` at bit offset off from items [lo, hi) (all inside the
 * node's address range), def being the longest match covering the whole
 * node. Children are allocated contiguously, then filled depth first.
 * Recursion is bounded: a child exists only for prefixes longer than off + 6, so
 * off = 18, 24, 30 (32-bit prefixes) are the only levels.
 */
/* NOLINTNEXTLINE(misc-no-recursion): at most 3 levels, see above */
bool SnapshotBuilder::build_node(uint32_t index, unsigned int off, uint32_t lo, uint32_t hi,
				 uint32_t def)
{
	uint32_t best[64];
	for (unsigned int s = 0; s < 64; s++)
		best[s] = def;
	uint64_t vector = 0;
	for (uint32_t i = lo; i < hi; i++) {
		unsigned int len = item_len(items_[i].key);
		if (len <= off)
			continue;
		unsigned int slot = slot_at(item_prefix(items_[i].key), off);
		if (len > off + RouteSnapshot::kStride) {
			vector |= uint64_t(1) << slot;
			continue;
		}
		unsigned int count = 1u << (off + RouteSnapshot::kStride - len);
		for (unsigned int s = slot; s < slot + count; s++)
			best[s] = items_[i].leaf;
	}

	uint32_t base0 = snap_->leaf_count_;
	uint64_t leafvec = 0;
	bool have_prev = false;
	uint32_t prev = 0;
	for (unsigned int s = 0; s < 64; s++) {
		if (vector & (uint64_t(1) << s))
			continue;
		if (have_prev && best[s] == prev)
			continue;
		if (!reserve(&snap_->leaves_, snap_->leaf_count_, &snap_->leaf_cap_,
			     snap_->leaf_count_ + 1, gfp_))
			return false;
		snap_->leaves_[snap_->leaf_count_++] = best[s];
		leafvec |= uint64_t(1) << s;
		prev = best[s];
		have_prev = true;
	}
	uint32_t children = popcount64(vector);
	uint32_t base1 = snap_->node_count_;
	if (!reserve(&snap_->nodes_, snap_->node_count_, &snap_->node_cap_,
		     snap_->node_count_ + children, gfp_))
		return false;
	snap_->node_count_ += children;
	PoptrieNode &node = snap_->nodes_[index];
	node.vector = vector;
	node.leafvec = leafvec;
	node.base0 = base0;
	node.base1 = base1;

	uint32_t i = lo;
	uint32_t child = base1;
	for (unsigned int s = 0; s < 64; s++) {
		if (!(vector & (uint64_t(1) << s)))
			continue;
		/* items shorter than off sit at the front (slot 0): skip by slot */
		while (i < hi && (item_len(items_[i].key) <= off ||
				  slot_at(item_prefix(items_[i].key), off) < s))
			i++;
		uint32_t j = i;
		while (j < hi && item_len(items_[j].key) > off &&
		       slot_at(item_prefix(items_[j].key), off) == s)
			j++;
		if (!build_node(child, off + RouteSnapshot::kStride, i, j, best[s]))
			return false;
		child++;
		i = j;
	}
	return true;
}

RouteSnapshot *RouteSnapshot::build(const RouteTable &table, uint64_t mark, Gfp gfp, int *err)
{
	*err = -CX_ENOMEM;
	RouteSnapshot *snap = make<RouteSnapshot>(gfp);
	if (!snap)
		return nullptr;
	uint32_t n = table.prefix_count();
	uint32_t routes = table.route_count();
	SortItem *items = large_array<SortItem>(n, gfp);
	SortItem *tmp = large_array<SortItem>(n, gfp);
	uint32_t *counts = make_array<uint32_t>(256, gfp);
	snap->direct_ = large_array<uint32_t>(size_t(1) << kDirectBits, gfp);
	snap->routes_ = large_array<SnapshotRoute>(routes, gfp);
	bool ok = items && tmp && counts && snap->direct_ && snap->routes_;
	if (ok) {
		uint32_t k = 0;
		table.for_each_prefix([&](const RouteEntry *head) {
			items[k].key = (uint64_t(head->prefix) << 6) | head->len;
			items[k].head = head;
			k++;
		});
		CX_BUG_ON(k != n);
		radix_sort(&items, &tmp, n, counts);
	}
	/* route records and parents (a stack of the enclosing prefixes' items) */
	uint32_t stack[33];
	unsigned int depth = 0;
	uint32_t r = 0;
	for (uint32_t i = 0; ok && i < n; i++) {
		uint32_t prefix = item_prefix(items[i].key);
		while (depth) {
			const SortItem &top = items[stack[depth - 1]];
			if (prefix_contains(item_prefix(top.key), item_len(top.key), prefix))
				break;
			depth--;
		}
		uint32_t parent = depth ? items[stack[depth - 1]].leaf : 0;
		CX_BUG_ON(depth >= CX_ARRAY_SIZE(stack));
		stack[depth++] = i;
		items[i].leaf = r + 1;
		for (const RouteEntry *e = items[i].head; e; e = e->next) {
			CX_BUG_ON(r >= routes);
			SnapshotRoute &sr = snap->routes_[r++];
			sr.parent = parent;
			sr.last = e->next == nullptr;
			sr.prefix = e->prefix;
			sr.len = e->len;
			sr.tos = e->tos;
			sr.type = e->type;
			/* one reference per distinct info (marks: one per build) */
			if (e->info->snapshot_mark != mark) {
				e->info->snapshot_mark = mark;
				if (!reserve(&snap->infos_, snap->info_count_, &snap->info_cap_,
					     snap->info_count_ + 1, gfp)) {
					ok = false;
					break;
				}
				route_info_get(e->info);
				e->info->snapshot_index = snap->info_count_;
				snap->infos_[snap->info_count_++] = e->info;
			}
			sr.info_index = e->info->snapshot_index;
		}
	}
	if (ok) {
		snap->groups_ = n;
		snap->route_total_ = r;
		SnapshotBuilder builder(snap, items, gfp);
		ok = builder.build_direct(n);
	}
	/* give back the growth slack (up to half of nodes and leaves) */
	if (ok) {
		shrink_to_fit(&snap->nodes_, snap->node_count_, &snap->node_cap_, gfp);
		shrink_to_fit(&snap->leaves_, snap->leaf_count_, &snap->leaf_cap_, gfp);
	}
	large_free(items);
	large_free(tmp);
	free_array(counts);
	if (!ok) {
		/* a failed build may leave marks set: the next build uses a new mark */
		free(snap);
		return nullptr;
	}
	*err = 0;
	return snap;
}

void RouteSnapshot::free(const RouteSnapshot *snap)
{
	if (!snap)
		return;
	for (uint32_t i = 0; i < snap->info_count_; i++)
		route_info_put(snap->infos_[i]);
	large_free(snap->infos_);
	large_free(snap->direct_);
	large_free(snap->nodes_);
	large_free(snap->leaves_);
	large_free(snap->routes_);
	destroy(const_cast<RouteSnapshot *>(snap));
}

size_t RouteSnapshot::trie_bytes() const
{
	return (size_t(1) << kDirectBits) * sizeof(uint32_t) +
	       size_t(node_cap_) * sizeof(PoptrieNode) + size_t(leaf_cap_) * sizeof(uint32_t);
}

size_t RouteSnapshot::memory_bytes() const
{
	return sizeof(*this) + trie_bytes() +
	       size_t(route_total_ ? route_total_ : 1) * sizeof(SnapshotRoute) +
	       size_t(info_cap_) * sizeof(void *);
}

} // namespace cx::route
