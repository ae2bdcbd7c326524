/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The neighbour table: Linux's net/core/neighbour.c for one protocol
 * (IPv4, driven by ARP: neigh/arp.h) over Ethernet.
 *
 * Entries are keyed by (ifindex, IPv4 address), hashed with jhash and a
 * per-table random seed, refcounted (a reference handed to a caller keeps
 * the entry alive after it left the table: it is then "dead"), and run the
 * NUD state machine of neigh_timer_handler(), __neigh_event_send() and
 * __neigh_update(), with Linux's ARP defaults (arp_tbl in net/ipv4/arp.c).
 *
 * Locking: one bottom-half spinlock per table protects the hash, the GC
 * list and every entry's mutable fields (Linux has a table rwlock plus a
 * per-entry rwlock; one lock is simpler and the rates here are low). State
 * changes happen from packet receive and timers (softirq), so everything
 * reachable from there allocates with Gfp::Atomic. NeighOps callbacks are
 * always called WITHOUT the table lock held: they may re-enter the table
 * (e.g. output() may call neigh_resolve_output() again, error_report() may
 * look entries up). Entry timers hold a reference while armed
 * (neigh_add_timer()/neigh_del_timer() in Linux), so a timer never fires on
 * a freed entry.
 *
 * Time comes from os.h (cx_os_now_ns, cx_os_timer) unless the table is
 * given a NeighClock: tests drive the state machine with a virtual clock
 * that works the same in userspace and under KUnit.
 */
#ifndef CXNET_CORE_NEIGH_NEIGH_TABLE_H
#define CXNET_CORE_NEIGH_NEIGH_TABLE_H

#include "../types.h"
#include "../os.h"
#include "../cx_errno.h"
#include "../hash_table.h"
#include "../list.h"
#include "../memory.h"
#include "../wire/ethernet.h"

namespace cx::neigh {

/* NUD states: Linux's bit values (include/uapi/linux/neighbour.h). */
namespace nud {
constexpr uint8_t kNone = 0x00;
constexpr uint8_t kIncomplete = 0x01;
constexpr uint8_t kReachable = 0x02;
constexpr uint8_t kStale = 0x04;
constexpr uint8_t kDelay = 0x08;
constexpr uint8_t kProbe = 0x10;
constexpr uint8_t kFailed = 0x20;
constexpr uint8_t kNoarp = 0x40;
constexpr uint8_t kPermanent = 0x80;
/* include/net/neighbour.h */
constexpr uint8_t kInTimer = kIncomplete | kReachable | kDelay | kProbe;
constexpr uint8_t kValid = kPermanent | kNoarp | kReachable | kProbe | kStale | kDelay;
constexpr uint8_t kConnected = kPermanent | kNoarp | kReachable;
} // namespace nud

/* "REACHABLE", ... as `ip neigh` prints them ("NONE" for 0, "?" for a mix). */
const char *nud_state_name(uint8_t state);

/* __neigh_update() flags: Linux's NEIGH_UPDATE_F_* values. */
namespace update_flags {
/* a different link-layer address may replace the cached one */
constexpr uint32_t kOverride = 1u << 0;
/* a different address on a CONNECTED entry only makes it STALE */
constexpr uint32_t kWeakOverride = 1u << 1;
/* administrative (netlink) change: may touch NOARP/PERMANENT entries */
constexpr uint32_t kAdmin = 1u << 31;
} // namespace update_flags

/*
 * Per-table parameters, Linux's ARP defaults (arp_tbl.parms) under their
 * sysctl names (net.ipv4.neigh.default.*). Times in milliseconds.
 */
struct NeighParms {
	uint64_t base_reachable_time_ms = 30000;
	uint64_t retrans_time_ms = 1000;
	uint64_t delay_first_probe_time_ms = 5000;	/* sysctl in seconds: 5 */
	uint64_t gc_stale_time_ms = 60000;		/* sysctl in seconds: 60 */
	uint64_t locktime_ms = 1000;			/* sysctl in USER_HZ: 100 */
	uint32_t mcast_solicit = 3;
	uint32_t ucast_solicit = 3;
	uint32_t app_solicit = 0;
	uint32_t mcast_resolicit = 0;
	uint32_t unres_qlen_bytes = 212992;		/* SK_WMEM_MAX */
	/* Table-wide (net.ipv4.neigh.default.gc_thresh*). */
	uint32_t gc_thresh1 = 128;
	uint32_t gc_thresh2 = 512;
	uint32_t gc_thresh3 = 1024;
};

/*
 * Bytes a queued packet is charged against unres_qlen_bytes: Linux charges
 * skb->truesize; os.h has no truesize, so the payload plus SKB_TRUESIZE()'s
 * fixed part on x86-64 (SKB_DATA_ALIGN(sk_buff) + SKB_DATA_ALIGN(shinfo)).
 */
constexpr size_t kQueuedPktOverhead = 576;

/* Table statistics: Linux's struct neigh_statistics names (ndtst_*), plus ours. */
struct NeighStats {
	uint64_t allocs;
	uint64_t destroys;
	uint64_t res_failed;		/* resolutions that ended FAILED */
	uint64_t lookups;
	uint64_t hits;
	uint64_t periodic_gc_runs;
	uint64_t forced_gc_runs;
	uint64_t unres_discards;	/* queued packets dropped: queue full (Linux's name) */
	uint64_t table_fulls;
	/* ours: */
	uint64_t unres_failed;		/* queued packets handed to error_report() on FAILED */
	uint64_t unres_nomem;		/* packets dropped: no memory to queue them */
};

struct NeighEntry;
struct NeighTable;

/*
 * What the kernel side (the device/ARP glue) provides. All are called
 * without the table lock held and may re-enter the table; the entry is
 * referenced for the duration of the call. Any may be null.
 */
struct NeighOps {
	/*
	 * Send a resolution probe for entry (arp_solicit): broadcast when
	 * unicast_to is null (INCOMPLETE), else unicast to that address
	 * (PROBE). saddr_hint is the source address of the newest queued
	 * packet (0 if none): ARP prefers it as the probe's sender address.
	 */
	void (*solicit)(void *ctx, NeighEntry *entry, const wire::MacAddress *unicast_to,
			uint32_t saddr_hint);
	/* An application probe (neigh_app_ns: a netlink RTM_GETNEIGH to userspace). */
	void (*app_solicit)(void *ctx, NeighEntry *entry);
	/* Transmit pkt (an IPv4 datagram) to mac; takes ownership of pkt. */
	void (*output)(void *ctx, NeighEntry *entry, cx_pkt *pkt, const wire::MacAddress &mac);
	/*
	 * Resolution failed for a queued pkt (arp_error_report: ICMP host
	 * unreachable); takes ownership of pkt.
	 */
	void (*error_report)(void *ctx, NeighEntry *entry, cx_pkt *pkt);
	/*
	 * A new entry before it is published (arp_constructor): may set its
	 * initial state with neigh_entry_preset(). Returns 0 or -errno
	 * (creation then fails with it).
	 */
	int (*constructor)(void *ctx, NeighEntry *entry);
	/* A state change worth telling userspace (neigh_update_notify). */
	void (*notify)(void *ctx, NeighEntry *entry);
};

/* Where a table gets time: os.h by default; tests pass a virtual clock. */
struct NeighClock {
	uint64_t (*now_ns)(NeighClock *clock);
	void (*timer_init)(NeighClock *clock, cx_os_timer *timer, cx_os_timer_fn fn);
	bool (*timer_arm)(NeighClock *clock, cx_os_timer *timer, uint64_t delay_ns);
	bool (*timer_cancel)(NeighClock *clock, cx_os_timer *timer);
	bool (*timer_cancel_sync)(NeighClock *clock, cx_os_timer *timer);
};

/* A packet waiting for resolution (Linux's arp_queue is an skb list). */
struct NeighQueuedPkt {
	ListNode node;
	cx_pkt *pkt;
	size_t charge;
};

/*
 * One neighbour. Fields after the key are protected by the table lock;
 * read them through neigh_snapshot() from outside.
 */
struct NeighEntry {
	HashNode hnode;
	ListNode gc_node;	/* on table->gc_list: every live non-PERMANENT entry */
	ListNode work_node;	/* private lists of flush/destroy */
	NeighTable *table;
	cx_os_refcount refcnt;
	cx_os_timer timer;

	int ifindex;
	uint32_t addr;		/* IPv4, host order */

	wire::MacAddress ha;
	uint8_t state;
	bool dead;		/* out of the table: no timer is armed again */
	uint32_t probes;
	uint64_t updated_ns;
	uint64_t used_ns;
	uint64_t confirmed_ns;
	List<NeighQueuedPkt, &NeighQueuedPkt::node> queue;
	size_t queue_bytes;
	void *priv;		/* the kernel side's, set by its constructor */
};

/* A consistent copy of an entry's public state (for `neigh show`, tests). */
struct NeighInfo {
	int ifindex;
	uint32_t addr;
	wire::MacAddress ha;
	uint8_t state;
	bool dead;
	uint32_t probes;
	uint32_t refcnt;
	uint32_t queue_len;
	size_t queue_bytes;
	uint64_t updated_ns;
	uint64_t used_ns;
	uint64_t confirmed_ns;
};

struct NeighTable {
	cx_os_spinlock lock;
	HashTable<NeighEntry, &NeighEntry::hnode> hash;
	List<NeighEntry, &NeighEntry::gc_node> gc_list;
	uint32_t gc_entries;	/* on gc_list + creations in progress (Linux's gc_entries) */
	uint32_t entries;	/* allocated, dead or alive (Linux's tbl->entries) */
	NeighParms parms;
	uint64_t reachable_time_ns;	/* randomised from base_reachable_time */
	uint64_t last_rand_ns;
	uint64_t last_flush_ns;
	uint64_t last_overflow_log_ns;	/* "table overflow" logged at most every 5 s */
	const NeighOps *ops;
	void *ops_ctx;
	NeighClock *clock;
	cx_os_timer gc_timer;	/* neigh_periodic_work */
	bool gc_timer_armed;
	bool destroying;
	NeighStats stats;
};

/* ---- table ------------------------------------------------------------ */

/*
 * Set up table (zeroed or fresh storage) with parms, ops (may be null) and
 * clock (null: os.h). Process context. Buckets are sized once for
 * gc_thresh3 (Linux grows its hash; we never hold more than gc_thresh3).
 * Returns 0 or -CX_ENOMEM.
 */
int neigh_table_init(NeighTable *table, const NeighParms &parms, const NeighOps *ops,
		     void *ops_ctx, NeighClock *clock);
/*
 * Flush every entry and stop the timers (neigh_table_clear). Process
 * context; every reference handed out must have been released.
 */
void neigh_table_destroy(NeighTable *table);

/* Change parameters (sysctl writes); re-randomises reachable_time. */
void neigh_table_set_parms(NeighTable *table, const NeighParms &parms);
NeighParms neigh_table_parms(NeighTable *table);
/* Current randomised reachable time (neigh_parms.reachable_time). */
uint64_t neigh_reachable_time_ns(NeighTable *table);
/* neigh_rand_reach_time(): uniform in [base/2, 3*base/2). */
uint64_t neigh_rand_reach_time_ns(uint64_t base_ns);
/* The table's clock (os.h's or the virtual one it was given). */
uint64_t neigh_now_ns(NeighTable *table);
/* A snapshot of the statistics. */
NeighStats neigh_stats(NeighTable *table);
/* Entries in the hash. */
uint32_t neigh_count(NeighTable *table);

/* ---- entries ---------------------------------------------------------- */

/* neigh_lookup(): a referenced entry or null. */
NeighEntry *neigh_lookup(NeighTable *table, int ifindex, uint32_t addr);
/*
 * __neigh_create(): the existing entry or a new one (NONE, or what the
 * constructor preset), referenced. Null with *err = -CX_ENOBUFS when the
 * table is full (after forced GC) or memory is short, or the
 * constructor's error. exempt_from_gc: counted against no threshold and
 * never collected (Linux: a PERMANENT entry created by netlink).
 */
NeighEntry *neigh_create(NeighTable *table, int ifindex, uint32_t addr, Gfp gfp,
			 bool exempt_from_gc, int *err);
void neigh_hold(NeighEntry *entry);
/* neigh_release(): the last reference frees the entry (its queue too). */
void neigh_release(NeighEntry *entry);
/* For constructors only (entry not yet published): initial state and address. */
void neigh_entry_preset(NeighEntry *entry, uint8_t state, const wire::MacAddress *ha);

NeighInfo neigh_snapshot(NeighEntry *entry);
/* fn(info, arg) for every entry in the table, under the table lock (do not re-enter). */
void neigh_for_each(NeighTable *table, void (*fn)(const NeighInfo &info, void *arg), void *arg);

/* ---- the state machine ----------------------------------------------------- */

/*
 * __neigh_update(): new state and optional new address (null: keep the
 * cached one), with update_flags. Returns 0, -CX_EPERM (NOARP/PERMANENT
 * without kAdmin, or dead entry), -CX_EINVAL (valid state, no address
 * known). Flushes the queue through ops->output when the entry becomes
 * valid; hands it to ops->error_report when INCOMPLETE/PROBE -> FAILED.
 * Non-valid states (NONE, INCOMPLETE, FAILED) arm no timer, as in Linux:
 * an administrator setting INCOMPLETE leaves it to the next update.
 */
int neigh_update(NeighEntry *entry, const wire::MacAddress *lladdr, uint8_t new_state,
		 uint32_t flags);

/*
 * neigh_event_send(): the entry is about to be used for pkt (may be null).
 * Returns 0 when the caller may transmit now (CONNECTED, DELAY, PROBE, or
 * STALE which moves to DELAY), 1 when pkt was queued (INCOMPLETE) or
 * dropped (FAILED/dead): either way the caller no longer owns pkt.
 */
int neigh_event_send(NeighEntry *entry, cx_pkt *pkt);

/*
 * neigh_resolve_output(): send pkt now through ops->output with the
 * cached address, or leave it to resolution. Takes ownership of pkt.
 * Returns 0 if transmitted, 1 if queued or dropped.
 */
int neigh_resolve_output(NeighEntry *entry, cx_pkt *pkt);

/* neigh_confirm(): upper-layer reachability confirmation (TCP ACKs, ...). */
void neigh_confirm(NeighEntry *entry);

/* ---- administration (netlink RTM_*NEIGH, `cxip neigh`) --------------------- */

/* Linux's NLM_F_* semantics of neigh_add(). */
namespace add_flags {
constexpr uint32_t kCreate = 1u << 0;	/* NLM_F_CREATE */
constexpr uint32_t kExcl = 1u << 1;	/* NLM_F_EXCL */
constexpr uint32_t kReplace = 1u << 2;	/* NLM_F_REPLACE */
} // namespace add_flags

/*
 * neigh_add(): set (ifindex, addr) to state with lladdr (null allowed for
 * non-valid states). -CX_ENOENT without kCreate when absent, -CX_EEXIST with
 * kExcl when present, -CX_EINVAL for an invalid state (NONE is refused).
 */
int neigh_add(NeighTable *table, int ifindex, uint32_t addr, const wire::MacAddress *lladdr,
	      uint8_t state, uint32_t nlflags);
/* neigh_delete(): FAILED (admin), then out of the table. -CX_ENOENT if absent. */
int neigh_delete(NeighTable *table, int ifindex, uint32_t addr);
/*
 * neigh_ifdown()/neigh_flush_dev(): every entry of ifindex (every entry
 * when ifindex < 0) leaves the table; still-referenced ones keep their
 * state only as NOARP (valid) or NONE, with an empty queue. Returns how
 * many left.
 */
uint32_t neigh_flush_dev(NeighTable *table, int ifindex);

/* ---- garbage collection ---------------------------------------------------- */

/* neigh_forced_gc(): drop unreferenced old/FAILED/NOARP entries down to gc_thresh2. */
uint32_t neigh_forced_gc(NeighTable *table);
/* One pass of neigh_periodic_work() (also run by the table's GC timer). */
uint32_t neigh_periodic_gc(NeighTable *table);

/* Internal, exposed for the timer trampoline and tests. */
void neigh_timer_handler(cx_os_timer *timer);

} // namespace cx::neigh

#endif /* CXNET_CORE_NEIGH_NEIGH_TABLE_H */
