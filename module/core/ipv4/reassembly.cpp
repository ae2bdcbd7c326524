// SPDX-License-Identifier: GPL-2.0
/* IPv4 reassembly (Linux net/ipv4/ip_fragment.c, net/ipv4/inet_fragment.c). */
#include "reassembly.h"
#include "../checksum.h"
#include "../hash.h"
#include "../list.h"
#include "../wire/bytes.h"

namespace cx::ipv4 {

namespace {

constexpr size_t kQueueBuckets = 256;
constexpr size_t kPeerBuckets = 64;
constexpr size_t kMaxDatagram = 65535;

/* INET_FRAG_* flags */
constexpr uint8_t kFirstIn = 1;
constexpr uint8_t kLastIn = 2;
constexpr uint8_t kComplete = 4;

/* inet_frag_queue_insert() results */
enum class InsertResult { Ok, Dup, Overlap };

cx_os_lock_class frag_table_lock_class;

/* The inet_peer part ip_frag_too_far() uses: a fragment counter per source. */
struct FragPeer {
	ListNode node;
	uint32_t src;
	int32_t vif;
	uint32_t rid;
	unsigned int queues;	/* queues referencing it; freed at 0 */
};

struct FragEntry {
	ListNode node;
	cx_pkt *pkt;		/* data at the fragment's IP header */
	uint32_t offset;	/* payload [offset, end) in the datagram */
	uint32_t end;
	uint16_t hlen;
	uint64_t truesize;
	FragEntry *run_head;	/* first fragment of its run (FRAG_CB()->frag_run_len) */
	uint32_t run_end;	/* on a run head: where the run ends */
};

struct FragQueue {
	ListNode hash_node;
	FragKey key;
	uint32_t hash;
	FragTable *table;
	cx_os_timer timer;
	cx_os_refcount refs;	/* hash membership + armed timer */
	List<FragEntry, &FragEntry::node> frags;	/* sorted by offset */
	FragPeer *peer;
	uint32_t rid;
	uint32_t len;		/* q.len: known (or largest seen) end */
	uint32_t meat;		/* q.meat: payload bytes queued */
	uint32_t max_size;	/* q.max_size: largest fragment (header + payload) */
	uint32_t max_df_size;	/* largest with DF */
	uint8_t flags;
	uint8_t ecn;
};

uint8_t frag_ecn(uint8_t tos)
{
	return static_cast<uint8_t>(1u << (tos & 3));
}

/* ip_frag_ecn_table[] (inet_fragment.c): RFC 3168 section 5.3 */
uint8_t frag_ecn_result(uint8_t seen)
{
	constexpr uint8_t kNotEct = 1, kCe = 8;
	if ((seen & kNotEct) && seen != kNotEct)
		return 0xff;
	if (seen & kCe)
		return 3; /* INET_ECN_CE */
	return 0;
}

void timer_fired(cx_os_timer *timer);

} // namespace

struct FragTable {
	cx_os_spinlock lock;
	const ReassemblyConfig *config;
	IpStats *stats;
	ReasmTimeoutFn on_timeout;
	void *ctx;
	uint32_t seed;
	uint64_t mem;
	size_t queue_count;
	List<FragQueue, &FragQueue::hash_node> queues[kQueueBuckets];
	List<FragPeer, &FragPeer::node> peers[kPeerBuckets];
};

namespace {

uint32_t key_hash(const FragTable *table, const FragKey &key)
{
	uint32_t salt = jhash_2words(key.user, static_cast<uint32_t>(key.vif), table->seed);
	return jhash_3words(key.src, key.dst, (static_cast<uint32_t>(key.id) << 16) | key.protocol,
			    salt);
}

bool key_equal(const FragKey &a, const FragKey &b)
{
	return a.src == b.src && a.dst == b.dst && a.id == b.id && a.protocol == b.protocol &&
	       a.user == b.user && a.vif == b.vif;
}

FragQueue *queue_lookup(FragTable *table, const FragKey &key, uint32_t hash)
{
	for (FragQueue &q : table->queues[hash & (kQueueBuckets - 1)])
		if (q.hash == hash && key_equal(q.key, key))
			return &q;
	return nullptr;
}

FragPeer *peer_get(FragTable *table, uint32_t src, int32_t vif)
{
	auto &bucket = table->peers[jhash_2words(src, static_cast<uint32_t>(vif), table->seed) &
				    (kPeerBuckets - 1)];
	for (FragPeer &peer : bucket) {
		if (peer.src == src && peer.vif == vif) {
			peer.queues++;
			return &peer;
		}
	}
	FragPeer *peer = make<FragPeer>(Gfp::Atomic);
	if (!peer)
		return nullptr; /* Linux: no peer, no max_dist check */
	peer->src = src;
	peer->vif = vif;
	peer->queues = 1;
	bucket.push_back(*peer);
	return peer;
}

void peer_put(FragTable *table, FragPeer *peer)
{
	if (--peer->queues)
		return;
	auto &bucket = table->peers[jhash_2words(peer->src, static_cast<uint32_t>(peer->vif),
						 table->seed) &
				    (kPeerBuckets - 1)];
	bucket.remove(*peer);
	destroy(peer);
}

void entry_free(FragTable *table, FragEntry *entry)
{
	table->mem -= entry->truesize;
	if (entry->pkt)
		cx_pkt_free(entry->pkt);
	destroy(entry);
}

/* inet_frag_rbtree_purge() */
void queue_purge(FragTable *table, FragQueue *q)
{
	while (FragEntry *entry = q->frags.pop_front())
		entry_free(table, entry);
}

void queue_put(FragQueue *q)
{
	if (cx_os_ref_put(&q->refs)) {
		CX_BUG_ON(!q->frags.empty());
		destroy(q);
	}
}

/*
 * inet_frag_kill() (+ the purge inet_frag_destroy() does): under the
 * table lock. The queue leaves the hash, its timer is cancelled, its
 * fragments and bookkeeping are released. The caller must not touch q
 * afterwards unless it holds a reference of its own.
 */
void queue_kill(FragTable *table, FragQueue *q)
{
	if (q->flags & kComplete)
		return;
	q->flags |= kComplete;
	if (cx_os_timer_cancel(&q->timer))
		cx_os_ref_put(&q->refs); /* the hash reference keeps it alive */
	table->queues[q->hash & (kQueueBuckets - 1)].remove(*q);
	table->queue_count--;
	queue_purge(table, q);
	table->mem -= sizeof(FragQueue);
	if (q->peer) {
		peer_put(table, q->peer);
		q->peer = nullptr;
	}
	queue_put(q);
}

/* inet_frag_find() / inet_frag_create() */
FragQueue *queue_find(FragTable *table, const FragKey &key)
{
	uint64_t high = table->config->high_thresh;
	if (!high || table->mem > high)
		return nullptr;
	uint32_t hash = key_hash(table, key);
	if (FragQueue *q = queue_lookup(table, key, hash))
		return q;
	FragQueue *q = make<FragQueue>(Gfp::Atomic);
	if (!q)
		return nullptr;
	q->key = key;
	q->hash = hash;
	q->table = table;
	if (table->config->max_dist)
		q->peer = peer_get(table, key.src, key.vif);
	cx_os_timer_init(&q->timer, timer_fired);
	/* one reference for the hash, one for the armed timer */
	cx_os_ref_init(&q->refs, 2);
	cx_os_timer_arm(&q->timer, table->config->time_ns);
	table->queues[hash & (kQueueBuckets - 1)].push_back(*q);
	table->queue_count++;
	table->mem += sizeof(FragQueue);
	return q;
}

/* ip_frag_too_far() */
bool frag_too_far(FragTable *table, FragQueue *q)
{
	uint32_t max = table->config->max_dist;
	if (!q->peer || !max)
		return false;
	uint32_t start = q->rid;
	uint32_t end = ++q->peer->rid;
	q->rid = end;
	bool too_far = !q->frags.empty() && end - start > max;
	if (too_far)
		ip_stats_inc(table->stats, IpMib::ReasmFails);
	return too_far;
}

/* ip_frag_reinit(): false if the timer had already fired (kill the queue) */
bool frag_reinit(FragTable *table, FragQueue *q)
{
	if (!cx_os_timer_arm(&q->timer, table->config->time_ns)) {
		cx_os_ref_get(&q->refs);
		return false;
	}
	while (FragEntry *entry = q->frags.pop_front()) {
		ip_stats_drop(table->stats, DropReason::FragTooFar);
		entry_free(table, entry);
	}
	q->flags = 0;
	q->len = 0;
	q->meat = 0;
	q->ecn = 0;
	q->max_size = 0;
	q->max_df_size = 0;
	return true;
}

/* inet_frag_queue_insert(), runs emulated on a sorted list */
InsertResult queue_insert(FragQueue *q, FragEntry *entry)
{
	FragEntry *last = q->frags.back();
	if (!last || last->end <= entry->offset) {
		if (last && last->end == entry->offset) {
			/* fragrun_append_to_last() */
			entry->run_head = last->run_head;
			entry->run_head->run_end = entry->end;
		} else {
			entry->run_head = entry;
			entry->run_end = entry->end;
		}
		q->frags.push_back(*entry);
		return InsertResult::Ok;
	}
	/* Linux's rbtree search over runs: at most one run can contain it */
	FragEntry *before = nullptr;
	for (FragEntry &run : q->frags) {
		if (run.run_head != &run)
			continue;
		if (entry->end <= run.offset) {
			if (!before)
				before = &run;
			continue;
		}
		if (entry->offset >= run.run_end)
			continue;
		if (entry->offset >= run.offset && entry->end <= run.run_end)
			return InsertResult::Dup;
		return InsertResult::Overlap;
	}
	/* a run of its own (fragcb_clear()), never the tail (handled above) */
	CX_BUG_ON(!before);
	entry->run_head = entry;
	entry->run_end = entry->end;
	/* link before `before` (list.h has no insert-before) */
	ListNode *node = &entry->node;
	ListNode *next = &before->node;
	node->next = next;
	node->prev = next->prev;
	next->prev->next = node;
	next->prev = node;
	return InsertResult::Ok;
}

/* ip_frag_reasm(): *out set, or false (the caller kills the queue). */
bool frag_reasm(FragQueue *q, cx_pkt **out, DropReason *reason)
{
	FragEntry *head = q->frags.front();
	CX_BUG_ON(!head || head->offset != 0);
	uint8_t ecn = frag_ecn_result(q->ecn);
	if (ecn == 0xff) {
		*reason = DropReason::NotSpecified;
		return false;
	}
	size_t len = static_cast<size_t>(head->hlen) + q->len;
	if (len > kMaxDatagram) {
		/* out_oversize: "Oversized IP packet" */
		*reason = DropReason::NotSpecified;
		return false;
	}
	cx_pkt *pkt = cx_pkt_alloc(kReasmHeadroom, len, CX_GFP_ATOMIC);
	if (!pkt) {
		*reason = DropReason::NoMem;
		return false;
	}
	uint8_t *dst = cx_pkt_put(pkt, len);
	__builtin_memcpy(dst, cx_pkt_data(head->pkt), head->hlen);
	for (FragEntry &entry : q->frags)
		__builtin_memcpy(dst + head->hlen + entry.offset, cx_pkt_data(entry.pkt) + entry.hlen,
				 entry.end - entry.offset);
	dst[1] = static_cast<uint8_t>(dst[1] | ecn);
	wire::store_be16(dst + 2, static_cast<uint16_t>(len));
	/* IPSKB_FRAG_PMTU: the sender set DF on its largest fragments */
	wire::store_be16(dst + 6, q->max_df_size == q->max_size ? 0x4000 : 0);
	dst[10] = 0;
	dst[11] = 0;
	wire::store_be16(dst + 10, internet_checksum(dst, head->hlen));
	*out = pkt;
	return true;
}

/* ip_expire(): under the lock; returns the head fragment for ICMP, if any */
cx_pkt *frag_expire(FragTable *table, FragQueue *q)
{
	if (q->flags & kComplete)
		return nullptr;
	cx_pkt *head = nullptr;
	if (q->flags & kFirstIn) {
		/* inet_frag_pull_head() */
		FragEntry *first = q->frags.front();
		if (first && first->offset == 0) {
			head = first->pkt;
			first->pkt = nullptr;
		}
	}
	for (size_t i = q->frags.count(); i > 0; i--)
		ip_stats_drop(table->stats, DropReason::FragReasmTimeout);
	ip_stats_inc(table->stats, IpMib::ReasmFails);
	ip_stats_inc(table->stats, IpMib::ReasmTimeout);
	queue_kill(table, q);
	return head;
}

/* Outside the lock, as ip_expire() drops q->lock before icmp_send(). */
void report_timeout(ReasmTimeoutFn fn, void *ctx, const FragKey &key, cx_pkt *head)
{
	if (!head)
		return;
	if (fn)
		fn(ctx, &key, head);
	cx_pkt_free(head);
}

void timer_fired(cx_os_timer *timer)
{
	FragQueue *q = container_of(timer, &FragQueue::timer);
	FragTable *table = q->table;
	cx_os_spin_lock_bh(&table->lock);
	FragKey key = q->key;
	ReasmTimeoutFn fn = table->on_timeout;
	void *ctx = table->ctx;
	cx_pkt *head = frag_expire(table, q);
	cx_os_spin_unlock_bh(&table->lock);
	report_timeout(fn, ctx, key, head);
	queue_put(q); /* the timer's reference */
}

DefragResult drop_pkt(FragTable *table, cx_pkt *pkt, DropReason reason, DropReason *out_reason)
{
	ip_stats_drop(table->stats, reason);
	cx_pkt_free(pkt);
	*out_reason = reason;
	return DefragResult::Dropped;
}

/* ip_frag_queue(): under the lock. */
DefragResult frag_queue(FragTable *table, FragQueue *q, cx_pkt *pkt, cx_pkt **out,
			DropReason *reason)
{
	IpStats *stats = table->stats;
	if (q->flags & kComplete)
		return drop_pkt(table, pkt, DropReason::DupFrag, reason);
	if (frag_too_far(table, q) && !frag_reinit(table, q)) {
		queue_kill(table, q);
		return drop_pkt(table, pkt, DropReason::NotSpecified, reason);
	}
	const uint8_t *iph = cx_pkt_data(pkt);
	uint8_t tos = iph[1];
	uint16_t field = wire::load_be16(iph + 6);
	uint32_t offset = static_cast<uint32_t>(field & 0x1fff) << 3;
	uint16_t hlen = static_cast<uint16_t>((iph[0] & 0x0f) * 4);
	uint32_t end = offset + static_cast<uint32_t>(cx_pkt_len(pkt)) - hlen;
	DropReason discard = DropReason::FragInvalid;

	if (!(field & 0x2000)) {
		/* the last fragment: nothing may lie beyond it, one end only */
		if (end < q->len || ((q->flags & kLastIn) && end != q->len))
			goto discard_qp;
		q->flags |= kLastIn;
		q->len = end;
	} else {
		end &= ~7u;
		if (end > q->len) {
			if (q->flags & kLastIn)
				goto discard_qp;
			q->len = end;
		}
	}
	if (end == offset)
		goto discard_qp;
	/* linear, so that ip_frag_reasm() copies payloads with memcpy */
	if (!cx_pkt_trim(pkt, hlen + (end - offset)) ||
	    !cx_pkt_may_pull(pkt, hlen + (end - offset))) {
		discard = DropReason::NoMem;
		goto discard_qp;
	}
	{
		FragEntry *entry = make<FragEntry>(Gfp::Atomic);
		if (!entry) {
			discard = DropReason::NoMem;
			goto discard_qp;
		}
		entry->pkt = pkt;
		entry->offset = offset;
		entry->end = end;
		entry->hlen = hlen;
		InsertResult inserted = queue_insert(q, entry);
		if (inserted != InsertResult::Ok) {
			entry->pkt = nullptr;
			destroy(entry);
			if (inserted == InsertResult::Dup)
				return drop_pkt(table, pkt, DropReason::DupFrag, reason);
			ip_stats_inc(stats, IpMib::ReasmOverlaps);
			discard = DropReason::FragOverlap;
			goto discard_qp;
		}
		entry->truesize = cx_pkt_len(pkt) + sizeof(FragEntry);
		table->mem += entry->truesize;
		q->meat += end - offset;
		q->ecn = static_cast<uint8_t>(q->ecn | frag_ecn(tos));
		if (offset == 0)
			q->flags |= kFirstIn;
		uint32_t fragsize = (end - offset) + hlen;
		if (fragsize > q->max_size)
			q->max_size = fragsize;
		if ((field & 0x4000) && fragsize > q->max_df_size)
			q->max_df_size = fragsize;
	}
	if (q->flags == (kFirstIn | kLastIn) && q->meat == q->len) {
		if (frag_reasm(q, out, reason)) {
			ip_stats_inc(stats, IpMib::ReasmOKs);
			*reason = DropReason::NotDropped;
			queue_kill(table, q); /* frees the fragments */
			return DefragResult::Complete;
		}
		ip_stats_inc(stats, IpMib::ReasmFails);
		ip_stats_drop(stats, *reason);
		queue_kill(table, q);
		return DefragResult::Dropped;
	}
	*reason = DropReason::NotDropped;
	return DefragResult::Queued;

discard_qp:
	queue_kill(table, q);
	ip_stats_inc(stats, IpMib::ReasmFails);
	return drop_pkt(table, pkt, discard, reason);
}

} // namespace

FragTable *frag_table_create(const ReassemblyConfig *config, IpStats *stats,
			     ReasmTimeoutFn on_timeout, void *ctx, Gfp gfp)
{
	FragTable *table = make<FragTable>(gfp);
	if (!table)
		return nullptr;
	cx_os_spin_init(&table->lock, &frag_table_lock_class, "cxnet_ipfrag");
	table->config = config;
	table->stats = stats;
	table->on_timeout = on_timeout;
	table->ctx = ctx;
	cx_os_random_bytes(&table->seed, sizeof(table->seed));
	return table;
}

void frag_table_destroy(FragTable *table)
{
	if (!table)
		return;
	for (size_t b = 0; b < kQueueBuckets; b++) {
		for (;;) {
			cx_os_spin_lock_bh(&table->lock);
			FragQueue *q = table->queues[b].front();
			if (!q) {
				cx_os_spin_unlock_bh(&table->lock);
				break;
			}
			/* hold it across the kill so that the timer can be waited for */
			cx_os_ref_get(&q->refs);
			queue_kill(table, q);
			cx_os_spin_unlock_bh(&table->lock);
			/* a callback that was running finds the queue complete */
			if (cx_os_timer_cancel_sync(&q->timer))
				cx_os_ref_put(&q->refs);
			queue_put(q);
		}
	}
	CX_BUG_ON(table->mem != 0 || table->queue_count != 0);
	destroy(table);
}

DefragResult ip_defrag(FragTable *table, cx_pkt *pkt, uint32_t user, int32_t vif, cx_pkt **out,
		       DropReason *reason)
{
	*out = nullptr;
	ip_stats_inc(table->stats, IpMib::ReasmReqds);
	const uint8_t *iph = cx_pkt_data(pkt);
	FragKey key{};
	key.src = wire::load_be32(iph + 12);
	key.dst = wire::load_be32(iph + 16);
	key.id = wire::load_be16(iph + 4);
	key.protocol = iph[9];
	key.user = user;
	key.vif = vif;

	cx_os_spin_lock_bh(&table->lock);
	FragQueue *q = queue_find(table, key);
	DefragResult result;
	if (!q) {
		ip_stats_inc(table->stats, IpMib::ReasmFails);
		result = drop_pkt(table, pkt, DropReason::NoMem, reason);
	} else {
		result = frag_queue(table, q, pkt, out, reason);
	}
	cx_os_spin_unlock_bh(&table->lock);
	return result;
}

uint64_t frag_table_mem(FragTable *table)
{
	cx_os_spin_lock_bh(&table->lock);
	uint64_t mem = table->mem;
	cx_os_spin_unlock_bh(&table->lock);
	return mem;
}

size_t frag_table_queue_count(FragTable *table)
{
	cx_os_spin_lock_bh(&table->lock);
	size_t count = table->queue_count;
	cx_os_spin_unlock_bh(&table->lock);
	return count;
}

bool frag_table_expire_now(FragTable *table, const FragKey *key)
{
	cx_os_spin_lock_bh(&table->lock);
	FragQueue *q = queue_lookup(table, *key, key_hash(table, *key));
	if (!q) {
		cx_os_spin_unlock_bh(&table->lock);
		return false;
	}
	cx_pkt *head = frag_expire(table, q);
	cx_os_spin_unlock_bh(&table->lock);
	report_timeout(table->on_timeout, table->ctx, *key, head);
	return true;
}

} // namespace cx::ipv4
