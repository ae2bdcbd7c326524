/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An intrusive, circular doubly-linked list (the kernel's list_head): the
 * element embeds a ListNode and List<T, &T::node> links elements through
 * it. Nothing is allocated; unlink is O(1). No locking: callers lock.
 *
 *	struct Conn { ListNode node; ... };
 *	List<Conn, &Conn::node> conns;
 *	conns.push_back(conn);
 *	for (Conn &c : conns) ...
 *	for (Conn &c : conns.removal_safe()) if (done(c)) conns.remove(c);
 */
#ifndef CXNET_CORE_LIST_H
#define CXNET_CORE_LIST_H

#include "types.h"
#include "utility.h"

namespace cx {

/* Links of a list element; both null while the element is on no list. */
struct ListNode {
	ListNode *prev = nullptr;
	ListNode *next = nullptr;

	bool linked() const { return next != nullptr; }
};

template <typename T, ListNode T::*Node>
class List {
public:
	constexpr List() : head_{&head_, &head_} {}
	List(const List &) = delete;
	List &operator=(const List &) = delete;

	bool empty() const { return head_.next == &head_; }

	/* Number of elements: O(n). */
	size_t count() const
	{
		size_t n = 0;
		for (const ListNode *node = head_.next; node != &head_; node = node->next)
			n++;
		return n;
	}

	void push_front(T &element) { link(&(element.*Node), &head_, head_.next); }
	void push_back(T &element) { link(&(element.*Node), head_.prev, &head_); }

	/* Unlink element from the list it is on (this one). O(1). */
	void remove(T &element) { unlink(&(element.*Node)); }

	T *front() const { return empty() ? nullptr : entry(head_.next); }
	T *back() const { return empty() ? nullptr : entry(head_.prev); }

	/* Unlink and return the first element; nullptr when empty. */
	T *pop_front()
	{
		if (empty())
			return nullptr;
		ListNode *node = head_.next;
		unlink(node);
		return entry(node);
	}

	/* Unlink every element (they are not freed). */
	void clear()
	{
		while (!empty())
			unlink(head_.next);
	}

	/* The element owning a node of this list. */
	static T *entry(ListNode *node) { return container_of(node, Node); }

	class Iterator {
	public:
		explicit Iterator(ListNode *node) : node_(node) {}
		T &operator*() const { return *entry(node_); }
		T *operator->() const { return entry(node_); }
		Iterator &operator++()
		{
			node_ = node_->next;
			return *this;
		}
		bool operator==(const Iterator &other) const { return node_ == other.node_; }
		bool operator!=(const Iterator &other) const { return node_ != other.node_; }

	private:
		ListNode *node_;
	};

	/* Plain iteration: the body must not unlink elements. */
	Iterator begin() { return Iterator(head_.next); }
	Iterator end() { return Iterator(&head_); }

	/* Iterates while the body may remove (or move away) the current element. */
	class RemovalSafeIterator {
	public:
		explicit RemovalSafeIterator(ListNode *node) : node_(node), next_(node->next) {}
		T &operator*() const { return *entry(node_); }
		T *operator->() const { return entry(node_); }
		RemovalSafeIterator &operator++()
		{
			node_ = next_;
			next_ = node_->next;
			return *this;
		}
		bool operator!=(const RemovalSafeIterator &other) const { return node_ != other.node_; }

	private:
		ListNode *node_;
		ListNode *next_;
	};

	class RemovalSafeRange {
	public:
		explicit RemovalSafeRange(ListNode *head) : head_(head) {}
		RemovalSafeIterator begin() const { return RemovalSafeIterator(head_->next); }
		RemovalSafeIterator end() const { return RemovalSafeIterator(head_); }

	private:
		ListNode *head_;
	};

	RemovalSafeRange removal_safe() { return RemovalSafeRange(&head_); }

private:
	static void link(ListNode *node, ListNode *prev, ListNode *next)
	{
		CX_BUG_ON(node->linked());
		node->prev = prev;
		node->next = next;
		prev->next = node;
		next->prev = node;
	}

	static void unlink(ListNode *node)
	{
		CX_BUG_ON(!node->linked());
		node->prev->next = node->next;
		node->next->prev = node->prev;
		node->prev = nullptr;
		node->next = nullptr;
	}

	ListNode head_;
};

} // namespace cx

#endif /* CXNET_CORE_LIST_H */
