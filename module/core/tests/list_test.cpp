// SPDX-License-Identifier: GPL-2.0
/* The intrusive doubly-linked list. */
#include "cx_test.h"
#include "cases.h"
#include "../list.h"

namespace cx::test {

namespace {

struct Item {
	int value;
	ListNode node;
	ListNode other_node;	/* an element may sit on two lists */
};

using ItemList = List<Item, &Item::node>;
using OtherList = List<Item, &Item::other_node>;

/* The values in list order packed as decimal digits (items hold 0..9). */
long long digits(ItemList &list)
{
	long long out = 0;
	for (Item &item : list)
		out = out * 10 + item.value;
	return out;
}

void init_items(Item *items, int count)
{
	for (int i = 0; i < count; i++)
		items[i] = Item{i, {}, {}};
}

} // namespace

void list_starts_empty(cx_test *t)
{
	ItemList list;
	CX_EXPECT(t, list.empty());
	CX_EXPECT_EQ(t, list.count(), 0u);
	CX_EXPECT(t, list.front() == nullptr);
	CX_EXPECT(t, list.back() == nullptr);
	CX_EXPECT(t, list.pop_front() == nullptr);
	CX_EXPECT(t, list.begin() == list.end());
}

void list_push_back_keeps_order(cx_test *t)
{
	Item items[5];
	init_items(items, 5);
	ItemList list;
	for (Item &item : items)
		list.push_back(item);
	CX_EXPECT(t, !list.empty());
	CX_EXPECT_EQ(t, list.count(), 5u);
	CX_EXPECT_EQ(t, digits(list), 1234LL);	/* 0,1,2,3,4 */
	CX_EXPECT_EQ(t, list.front(), &items[0]);
	CX_EXPECT_EQ(t, list.back(), &items[4]);
	CX_EXPECT(t, items[2].node.linked());
}

void list_push_front_reverses_order(cx_test *t)
{
	Item items[4];
	init_items(items, 4);
	ItemList list;
	for (Item &item : items)
		list.push_front(item);
	CX_EXPECT_EQ(t, digits(list), 3210LL);
	CX_EXPECT_EQ(t, list.front(), &items[3]);
	CX_EXPECT_EQ(t, list.back(), &items[0]);
}

void list_remove_head_middle_tail(cx_test *t)
{
	Item items[6];
	init_items(items, 6);
	ItemList list;
	for (Item &item : items)
		list.push_back(item);
	list.remove(items[3]);
	CX_EXPECT(t, !items[3].node.linked());
	CX_EXPECT_EQ(t, digits(list), 1245LL);
	list.remove(items[0]);
	CX_EXPECT_EQ(t, digits(list), 1245LL);
	CX_EXPECT_EQ(t, list.front(), &items[1]);
	list.remove(items[5]);
	CX_EXPECT_EQ(t, digits(list), 124LL);
	CX_EXPECT_EQ(t, list.back(), &items[4]);
	/* a removed element can be linked again */
	list.push_front(items[5]);
	CX_EXPECT_EQ(t, digits(list), 5124LL);
}

void list_removal_safe_iteration_every_other(cx_test *t)
{
	Item items[9];
	init_items(items, 9);
	ItemList list;
	for (Item &item : items)
		list.push_back(item);
	int visited = 0;
	for (Item &item : list.removal_safe()) {
		visited++;
		if (item.value % 2 == 1)
			list.remove(item);
	}
	CX_EXPECT_EQ(t, visited, 9);
	CX_EXPECT_EQ(t, digits(list), 2468LL);	/* 0,2,4,6,8 */
}

void list_removal_safe_iteration_empties_list(cx_test *t)
{
	Item items[5];
	init_items(items, 5);
	ItemList list;
	for (Item &item : items)
		list.push_back(item);
	int visited = 0;
	for (Item &item : list.removal_safe()) {
		list.remove(item);
		visited++;
	}
	CX_EXPECT_EQ(t, visited, 5);
	CX_EXPECT(t, list.empty());
	for (Item &item : items)
		CX_EXPECT(t, !item.node.linked());
}

void list_pop_front_drains_in_order(cx_test *t)
{
	Item items[3];
	init_items(items, 3);
	ItemList list;
	for (Item &item : items)
		list.push_back(item);
	CX_EXPECT_EQ(t, list.pop_front(), &items[0]);
	CX_EXPECT_EQ(t, list.pop_front(), &items[1]);
	CX_EXPECT_EQ(t, list.front(), &items[2]);
	CX_EXPECT_EQ(t, list.back(), &items[2]);
	CX_EXPECT_EQ(t, list.pop_front(), &items[2]);
	CX_EXPECT(t, list.pop_front() == nullptr);
	CX_EXPECT(t, list.empty());
}

void list_move_between_lists(cx_test *t)
{
	Item items[4];
	init_items(items, 4);
	ItemList from, to;
	for (Item &item : items)
		from.push_back(item);
	for (Item &item : from.removal_safe()) {
		if (item.value >= 2) {
			from.remove(item);
			to.push_front(item);
		}
	}
	CX_EXPECT_EQ(t, digits(from), 1LL);	/* 0,1 */
	CX_EXPECT_EQ(t, digits(to), 32LL);
}

void list_element_on_two_lists(cx_test *t)
{
	Item items[3];
	init_items(items, 3);
	ItemList by_node;
	OtherList by_other;
	for (Item &item : items) {
		by_node.push_back(item);
		by_other.push_front(item);
	}
	by_node.remove(items[1]);
	CX_EXPECT_EQ(t, by_node.count(), 2u);
	CX_EXPECT_EQ(t, by_other.count(), 3u);
	long long order = 0;
	for (Item &item : by_other)
		order = order * 10 + item.value;
	CX_EXPECT_EQ(t, order, 210LL);
	by_node.clear();
	by_other.clear();
}

void list_clear_unlinks_all(cx_test *t)
{
	Item items[4];
	init_items(items, 4);
	ItemList list;
	for (Item &item : items)
		list.push_back(item);
	list.clear();
	CX_EXPECT(t, list.empty());
	for (Item &item : items)
		CX_EXPECT(t, !item.node.linked());
	list.push_back(items[2]);
	CX_EXPECT_EQ(t, list.count(), 1u);
	CX_EXPECT_EQ(t, ItemList::entry(&items[2].node), &items[2]);
}

} // namespace cx::test
