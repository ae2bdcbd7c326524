// SPDX-License-Identifier: GPL-2.0
/* The intrusive chained hash table. */
#include "cx_test.h"
#include "cases.h"
#include "../hash.h"
#include "../hash_table.h"
#include "../memory.h"

namespace cx::test {

namespace {

struct Entry {
	HashNode hnode;
	uint32_t key;
	uint32_t value;
};

using EntryTable = HashTable<Entry, &Entry::hnode>;

uint32_t hash_of(uint32_t key, const EntryTable &table)
{
	return jhash_1word(key, table.seed());
}

Entry *find(EntryTable &table, uint32_t key)
{
	return table.lookup(hash_of(key, table), [key](const Entry &e) { return e.key == key; });
}

/* Find by key under an explicit hash (for forced collisions). */
Entry *find_under(EntryTable &table, uint32_t hash, uint32_t key)
{
	return table.lookup(hash, [key](const Entry &e) { return e.key == key; });
}

} // namespace

void hash_table_init_rounds_to_power_of_two(cx_test *t)
{
	const size_t requests[][2] = {{0, 1}, {1, 1}, {2, 2}, {3, 4}, {100, 128}, {1024, 1024}};
	for (const auto &request : requests) {
		EntryTable table;
		CX_EXPECT(t, table.init(request[0], Gfp::Atomic));
		CX_EXPECT_EQ(t, table.bucket_count(), request[1]);
		CX_EXPECT_EQ(t, table.count(), 0u);
		CX_EXPECT(t, table.initialized());
		table.destroy();
		CX_EXPECT(t, !table.initialized());
	}
}

void hash_table_init_failure_leaves_table_inert(cx_test *t)
{
	/* a refused size fails like an allocation failure: false, nothing allocated */
	EntryTable table;
	CX_EXPECT(t, !table.init(EntryTable::kMaxBuckets + 1, Gfp::Atomic));
	CX_EXPECT(t, !table.initialized());
	CX_EXPECT_EQ(t, table.bucket_count(), 0u);
	CX_EXPECT_EQ(t, table.count(), 0u);
	CX_EXPECT(t, find_under(table, 0, 0) == nullptr);
	int visited = 0;
	table.for_each([&visited](Entry &) { visited++; });
	CX_EXPECT_EQ(t, visited, 0);
	table.clear();
	table.destroy();
	/* and it can still be initialised afterwards */
	CX_EXPECT(t, table.init(8, Gfp::Atomic));
	table.destroy();
}

void hash_table_insert_lookup_remove(cx_test *t)
{
	EntryTable table;
	CX_EXPECT(t, table.init(16, Gfp::Atomic));
	Entry a{{}, 1, 100}, b{{}, 2, 200}, c{{}, 3, 300};
	table.insert(a, hash_of(a.key, table));
	table.insert(b, hash_of(b.key, table));
	table.insert(c, hash_of(c.key, table));
	CX_EXPECT_EQ(t, table.count(), 3u);
	CX_EXPECT_EQ(t, find(table, 1), &a);
	CX_EXPECT_EQ(t, find(table, 2), &b);
	CX_EXPECT_EQ(t, find(table, 3), &c);
	CX_EXPECT(t, b.hnode.linked());
	table.remove(b);
	CX_EXPECT(t, !b.hnode.linked());
	CX_EXPECT_EQ(t, table.count(), 2u);
	CX_EXPECT(t, find(table, 2) == nullptr);
	CX_EXPECT_EQ(t, find(table, 1), &a);
	CX_EXPECT_EQ(t, find(table, 3), &c);
	/* re-insert after removal */
	table.insert(b, hash_of(b.key, table));
	CX_EXPECT_EQ(t, find(table, 2), &b);
	table.destroy();
	CX_EXPECT(t, !a.hnode.linked());
}

void hash_table_lookup_missing_returns_null(cx_test *t)
{
	EntryTable table;
	CX_EXPECT(t, table.init(4, Gfp::Atomic));
	CX_EXPECT(t, find(table, 42) == nullptr);
	Entry e{{}, 42, 0};
	table.insert(e, hash_of(42, table));
	CX_EXPECT(t, find(table, 43) == nullptr);
	/* same hash, predicate says no */
	CX_EXPECT(t, find_under(table, hash_of(42, table), 43) == nullptr);
	table.destroy();
}

void hash_table_colliding_hashes_chain(cx_test *t)
{
	/* every entry under the same hash: the predicate tells them apart */
	EntryTable table;
	CX_EXPECT(t, table.init(8, Gfp::Atomic));
	Entry entries[6];
	for (uint32_t i = 0; i < 6; i++) {
		entries[i] = Entry{{}, i, i * 10};
		table.insert(entries[i], 0xabcdu);
	}
	for (uint32_t i = 0; i < 6; i++)
		CX_EXPECT_EQ(t, find_under(table, 0xabcdu, i), &entries[i]);
	/* unlink from the chain's head, middle and tail */
	table.remove(entries[5]);	/* inserted last: chain head */
	table.remove(entries[2]);
	table.remove(entries[0]);	/* inserted first: chain tail */
	CX_EXPECT_EQ(t, table.count(), 3u);
	CX_EXPECT(t, find_under(table, 0xabcdu, 5) == nullptr);
	CX_EXPECT(t, find_under(table, 0xabcdu, 2) == nullptr);
	CX_EXPECT(t, find_under(table, 0xabcdu, 0) == nullptr);
	CX_EXPECT_EQ(t, find_under(table, 0xabcdu, 1), &entries[1]);
	CX_EXPECT_EQ(t, find_under(table, 0xabcdu, 3), &entries[3]);
	CX_EXPECT_EQ(t, find_under(table, 0xabcdu, 4), &entries[4]);
	table.destroy();
}

void hash_table_same_bucket_different_hash(cx_test *t)
{
	/* hashes 5 and 5 + 8 share a bucket of 8; the stored hash keeps them apart */
	EntryTable table;
	CX_EXPECT(t, table.init(8, Gfp::Atomic));
	Entry a{{}, 7, 0}, b{{}, 7, 1};	/* same key even */
	table.insert(a, 5);
	table.insert(b, 13);
	CX_EXPECT_EQ(t, find_under(table, 5, 7), &a);
	CX_EXPECT_EQ(t, find_under(table, 13, 7), &b);
	CX_EXPECT(t, find_under(table, 21, 7) == nullptr);
	table.destroy();
}

void hash_table_many_entries(cx_test *t)
{
	const uint32_t n = 512;
	Entry *entries = make_array<Entry>(n, Gfp::Atomic);
	CX_EXPECT(t, entries != nullptr);
	if (!entries)
		return;
	EntryTable table;
	CX_EXPECT(t, table.init(64, Gfp::Atomic));
	for (uint32_t i = 0; i < n; i++) {
		entries[i].key = i * 2654435761u;
		entries[i].value = i;
		table.insert(entries[i], hash_of(entries[i].key, table));
	}
	CX_EXPECT_EQ(t, table.count(), static_cast<size_t>(n));
	for (uint32_t i = 0; i < n; i++) {
		Entry *e = find(table, i * 2654435761u);
		CX_EXPECT(t, e != nullptr && e->value == i);
	}
	for (uint32_t i = 0; i < n; i += 2)
		table.remove(entries[i]);
	CX_EXPECT_EQ(t, table.count(), static_cast<size_t>(n / 2));
	for (uint32_t i = 0; i < n; i++) {
		Entry *e = find(table, i * 2654435761u);
		CX_EXPECT_EQ(t, e, i % 2 ? &entries[i] : nullptr);
	}
	table.destroy();
	free_array(entries);
}

void hash_table_for_each_may_remove(cx_test *t)
{
	EntryTable table;
	CX_EXPECT(t, table.init(4, Gfp::Atomic));
	Entry entries[10];
	for (uint32_t i = 0; i < 10; i++) {
		entries[i] = Entry{{}, i, 0};
		table.insert(entries[i], hash_of(i, table));
	}
	int visited = 0;
	table.for_each([&](Entry &e) {
		visited++;
		e.value = 1;
		if (e.key % 3 == 0)
			table.remove(e);
	});
	CX_EXPECT_EQ(t, visited, 10);
	CX_EXPECT_EQ(t, table.count(), 6u);
	for (const Entry &e : entries)
		CX_EXPECT_EQ(t, e.value, 1u);
	table.destroy();
}

void hash_table_clear_releases_every_entry(cx_test *t)
{
	EntryTable table;
	CX_EXPECT(t, table.init(2, Gfp::Atomic));
	for (uint32_t i = 0; i < 20; i++) {
		Entry *e = make<Entry>(Gfp::Atomic);
		CX_EXPECT(t, e != nullptr);
		if (!e)
			break;
		e->key = i;
		table.insert(*e, hash_of(i, table));
	}
	uint32_t released = 0, key_sum = 0;
	table.clear([&](Entry &e) {
		CX_EXPECT(t, !e.hnode.linked());
		released++;
		key_sum += e.key;
		destroy(&e);
	});
	CX_EXPECT_EQ(t, released, 20u);
	CX_EXPECT_EQ(t, key_sum, 190u);
	CX_EXPECT_EQ(t, table.count(), 0u);
	CX_EXPECT(t, table.initialized());
	table.destroy();
}

} // namespace cx::test
