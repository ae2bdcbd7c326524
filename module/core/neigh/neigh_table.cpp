// SPDX-License-Identifier: GPL-2.0
/*
 * The neighbour table and its NUD state machine: net/core/neighbour.c
 * (Linux 6.1) for IPv4 over Ethernet. Function comments name the Linux
 * function whose behaviour they reproduce. See neigh_table.h for locking.
 */
#include "neigh_table.h"

#include "../hash.h"
#include "../utility.h"
#include "../wire/bytes.h"

namespace cx::neigh {

namespace {

/* lockdep: one class for every neighbour table lock (tbl->lock in Linux). */
cx_os_lock_class g_neigh_table_lock_class = {};

constexpr uint64_t kNsPerMs = 1000000;
constexpr uint64_t kNsPerSec = 1000 * kNsPerMs;
/* HZ and HZ/100 of the Linux code, in nanoseconds. */
constexpr uint64_t kOneSecond = kNsPerSec;
constexpr uint64_t kMinTimerDelay = 10 * kNsPerMs;
/* neigh_forced_gc(): entries updated within the last 5 s are spared. */
constexpr uint64_t kForcedGcGrace = 5 * kNsPerSec;
/* neigh_periodic_work(): reachable_time re-randomised every 300 s. */
constexpr uint64_t kRerandomiseInterval = 300 * kNsPerSec;

#define NEIGH_STAT_INC(table, field) \
	__atomic_fetch_add(&(table)->stats.field, 1, __ATOMIC_RELAXED)

/* ---- time ---------------------------------------------------------------- */

uint64_t now_ns(NeighTable *table)
{
	return table->clock ? table->clock->now_ns(table->clock) : cx_os_now_ns();
}

void timer_init(NeighTable *table, cx_os_timer *timer, cx_os_timer_fn fn)
{
	if (table->clock)
		table->clock->timer_init(table->clock, timer, fn);
	else
		cx_os_timer_init(timer, fn);
}

bool timer_arm(NeighTable *table, cx_os_timer *timer, uint64_t delay_ns)
{
	if (table->clock)
		return table->clock->timer_arm(table->clock, timer, delay_ns);
	return cx_os_timer_arm(timer, delay_ns);
}

bool timer_cancel(NeighTable *table, cx_os_timer *timer)
{
	if (table->clock)
		return table->clock->timer_cancel(table->clock, timer);
	return cx_os_timer_cancel(timer);
}

bool timer_cancel_sync(NeighTable *table, cx_os_timer *timer)
{
	if (table->clock)
		return table->clock->timer_cancel_sync(table->clock, timer);
	return cx_os_timer_cancel_sync(timer);
}

/* time_after(a, b) on a 64-bit nanosecond clock that never wraps */
constexpr bool time_after(uint64_t a, uint64_t b)
{
	return a > b;
}

uint64_t ms_to_ns(uint64_t ms)
{
	return ms * kNsPerMs;
}

void lock(NeighTable *table)
{
	cx_os_spin_lock_bh(&table->lock);
}

void unlock(NeighTable *table)
{
	cx_os_spin_unlock_bh(&table->lock);
}

uint32_t key_hash(const NeighTable *table, int ifindex, uint32_t addr)
{
	/* arp_hashfn(): the key and the device, with the table's random seed */
	return jhash_2words(addr, static_cast<uint32_t>(ifindex), table->hash.seed());
}

NeighEntry *lookup_locked(NeighTable *table, int ifindex, uint32_t addr)
{
	return table->hash.lookup(key_hash(table, ifindex, addr), [&](const NeighEntry &e) {
		return e.addr == addr && e.ifindex == ifindex;
	});
}

/* ---- queue --------------------------------------------------------------- */

using PktList = List<NeighQueuedPkt, &NeighQueuedPkt::node>;

void splice_queue(NeighEntry *entry, PktList *to)
{
	while (NeighQueuedPkt *queued = entry->queue.pop_front())
		to->push_back(*queued);
	entry->queue_bytes = 0;
}

void free_queued(NeighQueuedPkt *queued)
{
	cx_pkt_free(queued->pkt);
	cx_os_free(queued);
}

/* The source address of an IPv4 datagram at pkt's data, 0 if it is none. */
uint32_t ipv4_saddr_of(cx_pkt *pkt)
{
	if (cx_pkt_len(pkt) < 20)
		return 0;
	const uint8_t *data = cx_pkt_data(pkt);
	if ((data[0] >> 4) != 4)
		return 0;
	return wire::load_be32(data + 12);
}

/*
 * Work decided under the lock and done after it is dropped, because the
 * callbacks may re-enter the table (Linux drops neigh->lock around
 * n->output(), ops->error_report() and ops->solicit()).
 */
struct Deferred {
	PktList to_output;
	PktList to_fail;
	wire::MacAddress output_mac = {};
	bool probe = false;
	bool probe_unicast = false;
	bool app_probe = false;
	wire::MacAddress probe_mac = {};
	uint32_t saddr_hint = 0;
	bool notify = false;
};

void run_deferred(NeighEntry *entry, Deferred &work)
{
	NeighTable *table = entry->table;
	const NeighOps *ops = table->ops;
	if (work.probe) {
		if (work.app_probe) {
			if (ops && ops->app_solicit)
				ops->app_solicit(table->ops_ctx, entry);
		} else if (ops && ops->solicit) {
			ops->solicit(table->ops_ctx, entry,
				     work.probe_unicast ? &work.probe_mac : nullptr, work.saddr_hint);
		}
	}
	while (NeighQueuedPkt *queued = work.to_output.pop_front()) {
		cx_pkt *pkt = queued->pkt;
		cx_os_free(queued);
		if (ops && ops->output)
			ops->output(table->ops_ctx, entry, pkt, work.output_mac);
		else
			cx_pkt_free(pkt);
	}
	while (NeighQueuedPkt *queued = work.to_fail.pop_front()) {
		cx_pkt *pkt = queued->pkt;
		cx_os_free(queued);
		NEIGH_STAT_INC(table, unres_failed);
		if (ops && ops->error_report)
			ops->error_report(table->ops_ctx, entry, pkt);
		else
			cx_pkt_free(pkt);
	}
	if (work.notify && ops && ops->notify)
		ops->notify(table->ops_ctx, entry);
}

/* ---- timers and references ------------------------------------------------ */

void entry_free(NeighEntry *entry)
{
	NeighTable *table = entry->table;
	/* neigh_destroy(): only dead entries are freed; an armed timer holds a reference */
	CX_BUG_ON(!entry->dead);
	while (NeighQueuedPkt *queued = entry->queue.pop_front())
		free_queued(queued);
	NEIGH_STAT_INC(table, destroys);
	__atomic_fetch_sub(&table->entries, 1, __ATOMIC_RELAXED);
	destroy(entry);
}

/*
 * neigh_add_timer() / the re-arm in neigh_timer_handler(): an armed timer
 * holds a reference, taken only when the timer was not already pending.
 */
void add_timer(NeighEntry *entry, uint64_t when_ns, uint64_t now)
{
	uint64_t delay = when_ns > now ? when_ns - now : 0;
	if (!timer_arm(entry->table, &entry->timer, delay))
		neigh_hold(entry);
}

/* neigh_del_timer(): a cancelled timer gives its reference back. */
void del_timer(NeighEntry *entry)
{
	if (timer_cancel(entry->table, &entry->timer))
		neigh_release(entry);
}

/* neigh_update_gc_list(): live non-PERMANENT entries are on the GC list. */
void update_gc_list(NeighEntry *entry)
{
	NeighTable *table = entry->table;
	if (entry->dead)
		return;
	bool exempt = (entry->state & nud::kPermanent) != 0;
	bool on_list = entry->gc_node.linked();
	if (exempt && on_list) {
		table->gc_list.remove(*entry);
		table->gc_entries--;
	} else if (!exempt && !on_list) {
		table->gc_list.push_back(*entry);
		table->gc_entries++;
	}
}

/*
 * neigh_mark_dead() + unlink: out of the hash and the GC list, the table's
 * reference still to be dropped by the caller.
 */
void unlink_locked(NeighEntry *entry)
{
	NeighTable *table = entry->table;
	table->hash.remove(*entry);
	if (entry->gc_node.linked()) {
		table->gc_list.remove(*entry);
		table->gc_entries--;
	}
	entry->dead = true;
}

/* neigh_max_probes() */
uint32_t max_probes(const NeighTable *table, const NeighEntry *entry)
{
	const NeighParms &p = table->parms;
	return p.ucast_solicit + p.app_solicit +
	       ((entry->state & nud::kProbe) ? p.mcast_resolicit : p.mcast_solicit);
}

/*
 * neigh_probe() + the address choice of arp_solicit(): the first
 * ucast_solicit probes (counted from 0 in PROBE) go unicast to the cached
 * address, the next app_solicit ones to the application, the rest
 * broadcast. INCOMPLETE starts counting at ucast_solicit: broadcast only.
 */
void prepare_probe_locked(NeighEntry *entry, Deferred &work)
{
	const NeighParms &p = entry->table->parms;
	int64_t probes = static_cast<int64_t>(entry->probes) - p.ucast_solicit;
	work.probe = true;
	if (probes < 0) {
		work.probe_unicast = true;
		work.probe_mac = entry->ha;
	} else if (probes - static_cast<int64_t>(p.app_solicit) < 0) {
		work.app_probe = true;
	}
	NeighQueuedPkt *newest = entry->queue.back();
	work.saddr_hint = newest ? ipv4_saddr_of(newest->pkt) : 0;
	entry->probes++;
}

/*
 * neigh_invalidate(): resolution failed: every queued packet goes to
 * error_report() (after the lock is dropped).
 */
void invalidate_locked(NeighEntry *entry, uint64_t now, Deferred &work)
{
	NEIGH_STAT_INC(entry->table, res_failed);
	entry->updated_ns = now;
	splice_queue(entry, &work.to_fail);
}

void gc_timer_fn(cx_os_timer *timer);

void arm_gc_timer_locked(NeighTable *table)
{
	if (table->destroying)
		return;
	/* neigh_periodic_work() reschedules itself every base_reachable_time/2 */
	timer_arm(table, &table->gc_timer, ms_to_ns(table->parms.base_reachable_time_ms) / 2);
	table->gc_timer_armed = true;
}

void gc_timer_fn(cx_os_timer *timer)
{
	NeighTable *table = container_of(timer, &NeighTable::gc_timer);
	neigh_periodic_gc(table);
	lock(table);
	table->gc_timer_armed = false;
	arm_gc_timer_locked(table);
	unlock(table);
}

void timer_trampoline(cx_os_timer *timer)
{
	neigh_timer_handler(timer);
}

} // namespace

const char *nud_state_name(uint8_t state)
{
	switch (state) {
	case nud::kNone: return "NONE";
	case nud::kIncomplete: return "INCOMPLETE";
	case nud::kReachable: return "REACHABLE";
	case nud::kStale: return "STALE";
	case nud::kDelay: return "DELAY";
	case nud::kProbe: return "PROBE";
	case nud::kFailed: return "FAILED";
	case nud::kNoarp: return "NOARP";
	case nud::kPermanent: return "PERMANENT";
	default: return "?";
	}
}

uint64_t neigh_rand_reach_time_ns(uint64_t base_ns)
{
	/* neigh_rand_reach_time(): (base >> 1) + prandom_u32_max(base) */
	if (base_ns == 0)
		return 0;
	uint64_t random;
	cx_os_random_bytes(&random, sizeof(random));
	return (base_ns >> 1) + random % base_ns;
}

/* ---- table ------------------------------------------------------------ */

int neigh_table_init(NeighTable *table, const NeighParms &parms, const NeighOps *ops,
		     void *ops_ctx, NeighClock *clock)
{
	new (table) NeighTable();
	table->parms = parms;
	table->ops = ops;
	table->ops_ctx = ops_ctx;
	table->clock = clock;
	/* one bucket per entry at gc_thresh3, as neigh_hash_grow() would reach */
	if (!table->hash.init(cx::max<uint32_t>(parms.gc_thresh3, 8), Gfp::Kernel))
		return -CX_ENOMEM;
	cx_os_spin_init(&table->lock, &g_neigh_table_lock_class, "neigh_table");
	uint64_t now = now_ns(table);
	table->reachable_time_ns = neigh_rand_reach_time_ns(ms_to_ns(parms.base_reachable_time_ms));
	table->last_rand_ns = now;
	table->last_flush_ns = now;
	timer_init(table, &table->gc_timer, gc_timer_fn);
	lock(table);
	arm_gc_timer_locked(table);
	unlock(table);
	return 0;
}

void neigh_table_destroy(NeighTable *table)
{
	if (!table->hash.initialized())
		return;
	lock(table);
	table->destroying = true;
	unlock(table);
	timer_cancel_sync(table, &table->gc_timer);
	neigh_flush_dev(table, -1);
	if (table->entries != 0)
		cx_os_log(CX_LOG_ERR, "cxnet: neighbour table destroyed with %u entries referenced",
			  table->entries);
	/* neigh_table_clear(): Linux only warns; freeing them later would touch a dead table */
	CX_BUG_ON(table->entries != 0);
	table->hash.destroy();
}

void neigh_table_set_parms(NeighTable *table, const NeighParms &parms)
{
	lock(table);
	bool base_changed = parms.base_reachable_time_ms != table->parms.base_reachable_time_ms;
	table->parms = parms;
	/* neigh_proc_base_reachable_time(): a new base re-randomises at once */
	if (base_changed)
		table->reachable_time_ns =
			neigh_rand_reach_time_ns(ms_to_ns(parms.base_reachable_time_ms));
	unlock(table);
}

NeighParms neigh_table_parms(NeighTable *table)
{
	lock(table);
	NeighParms parms = table->parms;
	unlock(table);
	return parms;
}

uint64_t neigh_reachable_time_ns(NeighTable *table)
{
	lock(table);
	uint64_t value = table->reachable_time_ns;
	unlock(table);
	return value;
}

uint64_t neigh_now_ns(NeighTable *table)
{
	return now_ns(table);
}

NeighStats neigh_stats(NeighTable *table)
{
	NeighStats copy;
	lock(table);
	copy = table->stats;
	unlock(table);
	return copy;
}

uint32_t neigh_count(NeighTable *table)
{
	lock(table);
	uint32_t count = static_cast<uint32_t>(table->hash.count());
	unlock(table);
	return count;
}

/* ---- entries ---------------------------------------------------------- */

void neigh_hold(NeighEntry *entry)
{
	cx_os_ref_get(&entry->refcnt);
}

void neigh_release(NeighEntry *entry)
{
	if (cx_os_ref_put(&entry->refcnt))
		entry_free(entry);
}

NeighEntry *neigh_lookup(NeighTable *table, int ifindex, uint32_t addr)
{
	NEIGH_STAT_INC(table, lookups);
	lock(table);
	NeighEntry *entry = lookup_locked(table, ifindex, addr);
	if (entry) {
		neigh_hold(entry);
		NEIGH_STAT_INC(table, hits);
	}
	unlock(table);
	return entry;
}

void neigh_entry_preset(NeighEntry *entry, uint8_t state, const wire::MacAddress *ha)
{
	entry->state = state;
	if (ha)
		entry->ha = *ha;
}

NeighEntry *neigh_create(NeighTable *table, int ifindex, uint32_t addr, Gfp gfp,
			 bool exempt_from_gc, int *err)
{
	*err = 0;
	lock(table);
	if (NeighEntry *existing = lookup_locked(table, ifindex, addr)) {
		neigh_hold(existing);
		unlock(table);
		return existing;
	}
	/* neigh_alloc(): reserve a GC slot, collecting first if over the thresholds */
	if (!exempt_from_gc) {
		uint32_t entries = table->gc_entries++;
		uint64_t now = now_ns(table);
		if (entries >= table->parms.gc_thresh3 ||
		    (entries >= table->parms.gc_thresh2 &&
		     time_after(now, table->last_flush_ns + kForcedGcGrace))) {
			unlock(table);
			uint32_t shrunk = neigh_forced_gc(table);
			lock(table);
			if (shrunk == 0 && entries >= table->parms.gc_thresh3) {
				table->gc_entries--;
				/* net_info_ratelimited() in Linux: a flood must not flood the log */
				bool log = table->last_overflow_log_ns == 0 ||
					   time_after(now, table->last_overflow_log_ns + kForcedGcGrace);
				if (log)
					table->last_overflow_log_ns = now;
				unlock(table);
				if (log)
					cx_os_log(CX_LOG_INFO, "cxnet: arp_cache: neighbor table overflow!");
				NEIGH_STAT_INC(table, table_fulls);
				*err = -CX_ENOBUFS;
				return nullptr;
			}
		}
	}
	uint64_t now = now_ns(table);
	unlock(table);

	NeighEntry *entry = make<NeighEntry>(gfp);
	if (!entry) {
		/* ___neigh_create(): a failed neigh_alloc() is ENOBUFS whatever the cause */
		if (!exempt_from_gc) {
			lock(table);
			table->gc_entries--;
			unlock(table);
		}
		*err = -CX_ENOBUFS;
		return nullptr;
	}
	entry->table = table;
	entry->ifindex = ifindex;
	entry->addr = addr;
	entry->state = nud::kNone;
	entry->updated_ns = entry->used_ns = now;
	entry->dead = true;	/* until published, as in neigh_alloc() */
	cx_os_ref_init(&entry->refcnt, 1);
	timer_init(table, &entry->timer, timer_trampoline);
	__atomic_fetch_add(&table->entries, 1, __ATOMIC_RELAXED);
	NEIGH_STAT_INC(table, allocs);

	if (table->ops && table->ops->constructor) {
		int rc = table->ops->constructor(table->ops_ctx, entry);
		if (rc < 0) {
			if (!exempt_from_gc) {
				lock(table);
				table->gc_entries--;
				unlock(table);
			}
			neigh_release(entry);
			*err = rc;
			return nullptr;
		}
	}
	/* ___neigh_create(): confirmed in the past so the first use probes */
	entry->confirmed_ns = now - cx::min(now, 2 * ms_to_ns(table->parms.base_reachable_time_ms));

	lock(table);
	if (NeighEntry *existing = lookup_locked(table, ifindex, addr)) {
		/* lost a race with another creator: theirs wins */
		neigh_hold(existing);
		if (!exempt_from_gc)
			table->gc_entries--;
		unlock(table);
		neigh_release(entry);
		return existing;
	}
	entry->dead = false;
	table->hash.insert(*entry, key_hash(table, ifindex, addr));
	if (!exempt_from_gc && !(entry->state & nud::kPermanent))
		table->gc_list.push_back(*entry);
	else if (!exempt_from_gc)
		table->gc_entries--;
	neigh_hold(entry);	/* the table's reference */
	unlock(table);
	return entry;
}

NeighInfo neigh_snapshot(NeighEntry *entry)
{
	NeighInfo info = {};
	NeighTable *table = entry->table;
	lock(table);
	info.ifindex = entry->ifindex;
	info.addr = entry->addr;
	info.ha = entry->ha;
	info.state = entry->state;
	info.dead = entry->dead;
	info.probes = entry->probes;
	info.refcnt = cx_os_ref_read(&entry->refcnt);
	info.queue_len = static_cast<uint32_t>(entry->queue.count());
	info.queue_bytes = entry->queue_bytes;
	info.updated_ns = entry->updated_ns;
	info.used_ns = entry->used_ns;
	info.confirmed_ns = entry->confirmed_ns;
	unlock(table);
	return info;
}

void neigh_for_each(NeighTable *table, void (*fn)(const NeighInfo &info, void *arg), void *arg)
{
	lock(table);
	table->hash.for_each([&](NeighEntry &entry) {
		NeighInfo info = {};
		info.ifindex = entry.ifindex;
		info.addr = entry.addr;
		info.ha = entry.ha;
		info.state = entry.state;
		info.probes = entry.probes;
		info.refcnt = cx_os_ref_read(&entry.refcnt);
		info.queue_bytes = entry.queue_bytes;
		info.updated_ns = entry.updated_ns;
		info.used_ns = entry.used_ns;
		info.confirmed_ns = entry.confirmed_ns;
		fn(info, arg);
	});
	unlock(table);
}

/* ---- the state machine ----------------------------------------------------- */

void neigh_timer_handler(cx_os_timer *timer)
{
	NeighEntry *entry = container_of(timer, &NeighEntry::timer);
	NeighTable *table = entry->table;
	Deferred work;

	lock(table);
	const NeighParms &p = table->parms;
	uint8_t state = entry->state;
	uint64_t now = now_ns(table);
	uint64_t next = now + kOneSecond;

	if (!(state & nud::kInTimer) || entry->dead)
		goto out;

	if (state & nud::kReachable) {
		if (!time_after(now, entry->confirmed_ns + table->reachable_time_ns)) {
			/* still alive: confirmed since the timer was armed */
			next = entry->confirmed_ns + table->reachable_time_ns;
		} else if (!time_after(now, entry->used_ns + ms_to_ns(p.delay_first_probe_time_ms))) {
			/* used recently: give upper layers delay_first_probe_time to confirm */
			entry->state = nud::kDelay;
			entry->updated_ns = now;
			next = now + ms_to_ns(p.delay_first_probe_time_ms);
		} else {
			entry->state = nud::kStale;
			entry->updated_ns = now;
			work.notify = true;
		}
	} else if (state & nud::kDelay) {
		if (!time_after(now, entry->confirmed_ns + ms_to_ns(p.delay_first_probe_time_ms))) {
			/* confirmed meanwhile (neigh_confirm or a reply) */
			entry->state = nud::kReachable;
			entry->updated_ns = now;
			work.notify = true;
			next = entry->confirmed_ns + table->reachable_time_ns;
		} else {
			entry->state = nud::kProbe;
			entry->updated_ns = now;
			entry->probes = 0;
			work.notify = true;
			next = now + cx::max(ms_to_ns(p.retrans_time_ms), kMinTimerDelay);
		}
	} else {
		/* INCOMPLETE or PROBE */
		next = now + cx::max(ms_to_ns(p.retrans_time_ms), kMinTimerDelay);
	}

	if ((entry->state & (nud::kIncomplete | nud::kProbe)) &&
	    entry->probes >= max_probes(table, entry)) {
		entry->state = nud::kFailed;
		work.notify = true;
		invalidate_locked(entry, now, work);
		goto out;
	}

	if (entry->state & nud::kInTimer) {
		if (next < now + kMinTimerDelay)
			next = now + kMinTimerDelay;
		add_timer(entry, next, now);
	}
	if (entry->state & (nud::kIncomplete | nud::kProbe))
		prepare_probe_locked(entry, work);
out:
	unlock(table);
	run_deferred(entry, work);
	/* the reference the armed timer held */
	neigh_release(entry);
}

int neigh_event_send(NeighEntry *entry, cx_pkt *pkt)
{
	NeighTable *table = entry->table;
	Deferred work;
	int rc = 0;

	lock(table);
	const NeighParms &p = table->parms;
	uint64_t now = now_ns(table);
	entry->used_ns = now;

	if (entry->state & (nud::kConnected | nud::kDelay | nud::kProbe))
		goto out;
	if (entry->dead) {
		/* __neigh_event_send(): a dead STALE entry may still be used */
		if (entry->state & nud::kStale)
			goto out;
		unlock(table);
		if (pkt) {
			NEIGH_STAT_INC(table, unres_failed);
			cx_pkt_free(pkt);
		}
		return 1;
	}

	if (!(entry->state & (nud::kStale | nud::kIncomplete))) {
		if (p.mcast_solicit + p.app_solicit) {
			/* NONE or FAILED: start resolving, first probe right away */
			entry->probes = p.ucast_solicit;
			del_timer(entry);
			entry->state = nud::kIncomplete;
			entry->updated_ns = now;
			add_timer(entry, now + cx::max(ms_to_ns(p.retrans_time_ms), kMinTimerDelay), now);
			prepare_probe_locked(entry, work);
		} else {
			entry->state = nud::kFailed;
			entry->updated_ns = now;
			unlock(table);
			if (pkt) {
				NEIGH_STAT_INC(table, unres_failed);
				cx_pkt_free(pkt);
			}
			return 1;
		}
	} else if (entry->state & nud::kStale) {
		/* used while STALE: DELAY, probe unless confirmed within delay_first_probe_time */
		del_timer(entry);
		entry->state = nud::kDelay;
		entry->updated_ns = now;
		add_timer(entry, now + ms_to_ns(p.delay_first_probe_time_ms), now);
	}

	if (entry->state == nud::kIncomplete) {
		if (pkt) {
			size_t charge = cx_pkt_len(pkt) + kQueuedPktOverhead;
			/* make room: the oldest packets go first (unres_discards) */
			while (entry->queue_bytes + charge > p.unres_qlen_bytes) {
				NeighQueuedPkt *oldest = entry->queue.pop_front();
				if (!oldest)
					break;
				entry->queue_bytes -= oldest->charge;
				free_queued(oldest);
				NEIGH_STAT_INC(table, unres_discards);
			}
			NeighQueuedPkt *queued = make<NeighQueuedPkt>(Gfp::Atomic);
			if (queued) {
				queued->pkt = pkt;
				queued->charge = charge;
				entry->queue.push_back(*queued);
				entry->queue_bytes += charge;
				if (work.probe && work.saddr_hint == 0)
					work.saddr_hint = ipv4_saddr_of(pkt);
			} else {
				NEIGH_STAT_INC(table, unres_nomem);
				cx_pkt_free(pkt);
			}
		}
		rc = 1;
	}
out:
	unlock(table);
	run_deferred(entry, work);
	return rc;
}

int neigh_resolve_output(NeighEntry *entry, cx_pkt *pkt)
{
	if (neigh_event_send(entry, pkt))
		return 1;
	NeighTable *table = entry->table;
	lock(table);
	wire::MacAddress mac = entry->ha;
	unlock(table);
	if (table->ops && table->ops->output)
		table->ops->output(table->ops_ctx, entry, pkt, mac);
	else
		cx_pkt_free(pkt);
	return 0;
}

void neigh_confirm(NeighEntry *entry)
{
	NeighTable *table = entry->table;
	lock(table);
	entry->confirmed_ns = now_ns(table);
	unlock(table);
}

namespace {

/* __neigh_update() under the lock; the callbacks it needs go to work. */
int update_locked(NeighEntry *entry, const wire::MacAddress *lladdr, uint8_t new_state,
		  uint32_t flags, Deferred &work)
{
	NeighTable *table = entry->table;
	uint64_t now = now_ns(table);
	uint8_t old = entry->state;

	if (entry->dead)
		return -CX_EPERM;
	if (!(flags & update_flags::kAdmin) && (old & (nud::kNoarp | nud::kPermanent)))
		return -CX_EPERM;

	if (!(new_state & nud::kValid)) {
		del_timer(entry);
		entry->state = new_state;
		work.notify = (old & nud::kValid) != 0;
		if ((old & (nud::kIncomplete | nud::kProbe)) && (new_state & nud::kFailed)) {
			invalidate_locked(entry, now, work);
			work.notify = true;
		}
		update_gc_list(entry);
		return 0;
	}

	/* Compare the new address with the cached one. */
	bool address_changes;
	wire::MacAddress new_ha = entry->ha;
	if (lladdr) {
		address_changes = !((old & nud::kValid) && *lladdr == entry->ha);
		if (address_changes)
			new_ha = *lladdr;
	} else {
		/* no address given: use the known one, or refuse */
		if (!(old & nud::kValid))
			return -CX_EINVAL;
		address_changes = false;
	}

	/* any ARP packet refreshes confirmed, even without a change (Linux 5.x+) */
	if (new_state & nud::kConnected)
		entry->confirmed_ns = now;

	if (old & nud::kValid) {
		if (address_changes && !(flags & update_flags::kOverride)) {
			if ((flags & update_flags::kWeakOverride) && (old & nud::kConnected)) {
				address_changes = false;
				new_state = nud::kStale;
			} else {
				return 0;
			}
		} else if (!address_changes && new_state == nud::kStale &&
			   !(flags & update_flags::kAdmin)) {
			/* same address, "STALE" news: keep what we know */
			new_state = old;
		}
	}

	/* only a real change moves updated (and so the locktime window) */
	if (new_state != old || address_changes)
		entry->updated_ns = now;

	if (new_state != old) {
		del_timer(entry);
		if (new_state & nud::kProbe)
			entry->probes = 0;
		if (new_state & nud::kInTimer)
			add_timer(entry,
				  now + ((new_state & nud::kReachable) ? table->reachable_time_ns : 0),
				  now);
		entry->state = new_state;
		work.notify = true;
	}

	if (address_changes) {
		entry->ha = new_ha;
		if (!(new_state & nud::kConnected))
			entry->confirmed_ns =
				now - cx::min(now, 2 * ms_to_ns(table->parms.base_reachable_time_ms));
		work.notify = true;
	}
	if (new_state != old)
		update_gc_list(entry);
	if (new_state == old)
		return 0;
	if (!(old & nud::kValid)) {
		/* resolved: the queue goes out, in order, to the new address */
		splice_queue(entry, &work.to_output);
		work.output_mac = entry->ha;
	}
	return 0;
}

} // namespace

int neigh_update(NeighEntry *entry, const wire::MacAddress *lladdr, uint8_t new_state,
		 uint32_t flags)
{
	NeighTable *table = entry->table;
	Deferred work;
	lock(table);
	int rc = update_locked(entry, lladdr, new_state, flags, work);
	unlock(table);
	run_deferred(entry, work);
	return rc;
}

/* ---- administration -------------------------------------------------------- */

int neigh_add(NeighTable *table, int ifindex, uint32_t addr, const wire::MacAddress *lladdr,
	      uint8_t state, uint32_t nlflags)
{
	/* neigh_add(): NUD_NONE is not a state one can set */
	if (state == nud::kNone || (state & (state - 1)) != 0)
		return -CX_EINVAL;
	if ((state & nud::kValid) && !lladdr && !(state & nud::kNoarp))
		return -CX_EINVAL;
	uint32_t flags = update_flags::kAdmin | update_flags::kOverride;
	NeighEntry *entry = neigh_lookup(table, ifindex, addr);
	if (entry) {
		if (nlflags & add_flags::kExcl) {
			neigh_release(entry);
			return -CX_EEXIST;
		}
		/* without NLM_F_REPLACE an existing address is not overridden */
		if (!(nlflags & add_flags::kReplace))
			flags &= ~update_flags::kOverride;
	} else {
		if (!(nlflags & add_flags::kCreate))
			return -CX_ENOENT;
		int err;
		entry = neigh_create(table, ifindex, addr, Gfp::Kernel,
				     (state & nud::kPermanent) != 0, &err);
		if (!entry)
			return err;
	}
	int rc = neigh_update(entry, lladdr, state, flags);
	neigh_release(entry);
	return rc;
}

int neigh_delete(NeighTable *table, int ifindex, uint32_t addr)
{
	NeighEntry *entry = neigh_lookup(table, ifindex, addr);
	if (!entry)
		return -CX_ENOENT;
	/* neigh_delete(): FAILED first (queued packets are reported)... */
	int rc = neigh_update(entry, nullptr, nud::kFailed,
			      update_flags::kOverride | update_flags::kAdmin);
	/* FAILED arms no timer; wait out a handler already running (process context) */
	if (timer_cancel_sync(table, &entry->timer))
		neigh_release(entry);
	/*
	 * ...then neigh_remove_one(): unlinked only when nobody else holds it
	 * (the table's reference and ours); a referenced entry stays FAILED
	 * in the table for GC, as in Linux.
	 */
	lock(table);
	bool unlinked = false;
	if (!entry->dead && cx_os_ref_read(&entry->refcnt) == 2) {
		unlink_locked(entry);
		unlinked = true;
	}
	unlock(table);
	if (unlinked)
		neigh_release(entry);
	neigh_release(entry);
	return rc;
}

uint32_t neigh_flush_dev(NeighTable *table, int ifindex)
{
	List<NeighEntry, &NeighEntry::work_node> flushed;
	PktList dropped;
	uint32_t count = 0;

	lock(table);
	table->hash.for_each([&](NeighEntry &entry) {
		if (ifindex >= 0 && entry.ifindex != ifindex)
			return;
		unlink_locked(&entry);
		del_timer(&entry);
		splice_queue(&entry, &dropped);
		/* neigh_flush_dev(): a referenced entry keeps nothing it could act on */
		if (cx_os_ref_read(&entry.refcnt) > 1)
			entry.state = (entry.state & nud::kValid) ? nud::kNoarp : nud::kNone;
		/* keep the table's reference until the timer is surely idle (below) */
		flushed.push_back(entry);
		count++;
	});
	unlock(table);

	while (NeighQueuedPkt *queued = dropped.pop_front())
		free_queued(queued);
	while (NeighEntry *entry = flushed.pop_front()) {
		/* a handler already running keeps its own reference; wait for it */
		if (timer_cancel_sync(table, &entry->timer))
			neigh_release(entry);
		neigh_release(entry);
	}
	return count;
}

/* ---- garbage collection ---------------------------------------------------- */

uint32_t neigh_forced_gc(NeighTable *table)
{
	List<NeighEntry, &NeighEntry::work_node> removed;
	uint32_t shrunk = 0;

	NEIGH_STAT_INC(table, forced_gc_runs);
	lock(table);
	uint64_t now = now_ns(table);
	int64_t max_clean = static_cast<int64_t>(table->gc_entries) - table->parms.gc_thresh2;
	uint64_t tref = now - cx::min(now, kForcedGcGrace);
	for (NeighEntry &entry : table->gc_list.removal_safe()) {
		if (cx_os_ref_read(&entry.refcnt) != 1)
			continue;
		if (entry.state == nud::kFailed || entry.state == nud::kNoarp ||
		    time_after(tref, entry.updated_ns)) {
			unlink_locked(&entry);
			removed.push_back(entry);
			shrunk++;
		}
		if (static_cast<int64_t>(shrunk) >= max_clean)
			break;
	}
	table->last_flush_ns = now;
	unlock(table);

	/* unreferenced and not in a timer: dropping the table's reference frees them */
	while (NeighEntry *entry = removed.pop_front())
		neigh_release(entry);
	return shrunk;
}

uint32_t neigh_periodic_gc(NeighTable *table)
{
	List<NeighEntry, &NeighEntry::work_node> removed;
	uint32_t count = 0;

	NEIGH_STAT_INC(table, periodic_gc_runs);
	lock(table);
	uint64_t now = now_ns(table);
	if (time_after(now, table->last_rand_ns + kRerandomiseInterval)) {
		table->last_rand_ns = now;
		table->reachable_time_ns =
			neigh_rand_reach_time_ns(ms_to_ns(table->parms.base_reachable_time_ms));
	}
	if (table->hash.count() >= table->parms.gc_thresh1) {
		uint64_t stale = ms_to_ns(table->parms.gc_stale_time_ms);
		table->hash.for_each([&](NeighEntry &entry) {
			if (entry.state & (nud::kPermanent | nud::kInTimer))
				return;
			if (entry.used_ns < entry.confirmed_ns)
				entry.used_ns = entry.confirmed_ns;
			if (cx_os_ref_read(&entry.refcnt) == 1 &&
			    (entry.state == nud::kFailed || time_after(now, entry.used_ns + stale))) {
				unlink_locked(&entry);
				removed.push_back(entry);
				count++;
			}
		});
	}
	unlock(table);
	while (NeighEntry *entry = removed.pop_front())
		neigh_release(entry);
	return count;
}

} // namespace cx::neigh
