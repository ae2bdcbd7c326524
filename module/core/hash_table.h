/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An intrusive chained hash table (the kernel's hlist buckets): elements
 * embed a HashNode, buckets are single pointers (all-zero is an empty
 * table) and a power-of-two count, allocated with cx_os_zalloc. The caller
 * hashes (typically cx::jhash(&key, sizeof(key), table.seed())) and
 * matches keys with a predicate; the hash is kept in the node so a lookup
 * compares keys only on a full hash match.
 *
 *	struct Conn { HashNode hnode; Key key; ... };
 *	HashTable<Conn, &Conn::hnode> table;
 *	if (!table.init(1024, Gfp::Kernel)) return -ENOMEM;
 *	table.insert(conn, hash_of(conn.key, table.seed()));
 *	Conn *c = table.lookup(hash, [&](const Conn &e) { return e.key == key; });
 *
 * No locking inside: callers serialise writers and readers. The kernel side
 * will later put RCU around readers (RCU-safe publication in insert/remove,
 * lookups under rcu_read_lock, elements freed after a grace period).
 */
#ifndef CXNET_CORE_HASH_TABLE_H
#define CXNET_CORE_HASH_TABLE_H

#include "types.h"
#include "os.h"
#include "memory.h"
#include "utility.h"

namespace cx {

/* Links of a table element; pprev is null while it is in no table. */
struct HashNode {
	HashNode *next = nullptr;
	HashNode **pprev = nullptr;
	uint32_t hash = 0;

	bool linked() const { return pprev != nullptr; }
};

template <typename T, HashNode T::*Node>
class HashTable {
public:
	/* init() refuses more buckets than this (their array would be 128 MiB). */
	static constexpr size_t kMaxBuckets = size_t(1) << 24;

	constexpr HashTable() = default;
	HashTable(const HashTable &) = delete;
	HashTable &operator=(const HashTable &) = delete;

	/*
	 * Allocate min_buckets rounded up to a power of two (at least 1) and
	 * draw a random seed. false (table left uninitialised) if the count
	 * is above kMaxBuckets or allocation fails.
	 */
	bool init(size_t min_buckets, Gfp gfp)
	{
		CX_BUG_ON(buckets_ != nullptr);
		if (min_buckets > kMaxBuckets)
			return false;
		size_t count = static_cast<size_t>(round_up_power_of_two(min_buckets));
		Bucket *buckets = make_array<Bucket>(count, gfp);
		if (!buckets)
			return false;
		buckets_ = buckets;
		mask_ = count - 1;
		count_ = 0;
		cx_os_random_bytes(&seed_, sizeof(seed_));
		return true;
	}

	/*
	 * Unlink every element (they are not freed: clear(release) for that)
	 * and free the buckets. Safe on a table whose init failed or never ran.
	 */
	void destroy()
	{
		if (!buckets_)
			return;
		clear();
		free_array(buckets_);
		buckets_ = nullptr;
		mask_ = 0;
	}

	bool initialized() const { return buckets_ != nullptr; }
	size_t count() const { return count_; }
	size_t bucket_count() const { return buckets_ ? mask_ + 1 : 0; }
	/* Per-table random seed for hashing keys. */
	uint32_t seed() const { return seed_; }

	/* Link element under hash (duplicates are the caller's business). */
	void insert(T &element, uint32_t hash)
	{
		HashNode *node = &(element.*Node);
		CX_BUG_ON(buckets_ == nullptr);
		CX_BUG_ON(node->linked());
		Bucket &bucket = buckets_[hash & mask_];
		node->hash = hash;
		node->next = bucket.first;
		if (bucket.first)
			bucket.first->pprev = &node->next;
		bucket.first = node;
		node->pprev = &bucket.first;
		count_++;
	}

	/* Unlink element, which must be in this table. O(1). */
	void remove(T &element)
	{
		HashNode *node = &(element.*Node);
		CX_BUG_ON(!node->linked());
		CX_BUG_ON(count_ == 0);
		*node->pprev = node->next;
		if (node->next)
			node->next->pprev = node->pprev;
		node->next = nullptr;
		node->pprev = nullptr;
		count_--;
	}

	/* The first element inserted under hash for which matches(const T &) holds. */
	template <typename Match>
	T *lookup(uint32_t hash, Match &&matches) const
	{
		if (!buckets_)
			return nullptr;
		for (HashNode *node = buckets_[hash & mask_].first; node; node = node->next) {
			if (node->hash != hash)
				continue;
			T *element = container_of(node, Node);
			if (matches(static_cast<const T &>(*element)))
				return element;
		}
		return nullptr;
	}

	/* fn(T &) on every element; fn may remove the element it is given. */
	template <typename Fn>
	void for_each(Fn &&fn) const
	{
		for (size_t i = 0; buckets_ && i <= mask_; i++) {
			HashNode *node = buckets_[i].first;
			while (node) {
				HashNode *next = node->next;
				fn(*container_of(node, Node));
				node = next;
			}
		}
	}

	/* Unlink every element, then hand it to release(T &) (which may free it). */
	template <typename Release>
	void clear(Release &&release)
	{
		for (size_t i = 0; buckets_ && i <= mask_; i++) {
			while (HashNode *node = buckets_[i].first) {
				T *element = container_of(node, Node);
				remove(*element);
				release(*element);
			}
		}
	}

	void clear()
	{
		clear([](T &) {});
	}

private:
	struct Bucket {
		HashNode *first;
	};

	Bucket *buckets_ = nullptr;
	size_t mask_ = 0;
	size_t count_ = 0;
	uint32_t seed_ = 0;
};

} // namespace cx

#endif /* CXNET_CORE_HASH_TABLE_H */
