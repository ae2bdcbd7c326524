// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace FIB: tables map (fib_new_table / fib_get_table), policy
 * lookup (fib_rules_lookup() with fib4_rule_action() and
 * fib4_rule_suppress()), path selection (fib_select_path()).
 */
#include "fib.h"
#include "../utility.h"

namespace cx::route {

namespace {

/* fib_get_table(): table 0 means main */
uint32_t table_id(uint32_t id)
{
	return id == kTableUnspec ? kTableMain : id;
}

void free_now(void *, void (*free_fn)(void *), void *obj)
{
	free_fn(obj);
}

} // namespace

int Fib::init(Gfp gfp)
{
	int err = infos_.init(gfp);
	if (err)
		return err;
	cx_os_random_bytes(&hash_seed_, sizeof(hash_seed_));
	/* fib4_rules_init() / ip_fib_net_init(): local and main exist from the start */
	if (!table_create(kTableLocal, gfp, &err) || !table_create(kTableMain, gfp, &err)) {
		destroy();
		return err;
	}
	RuleList *rules = rule_list_defaults(gfp);
	if (!rules) {
		destroy();
		return -CX_ENOMEM;
	}
	rules_ = rules;
	return 0;
}

void Fib::destroy()
{
	for (uint32_t i = 0; i < table_count_; i++) {
		RouteTable *t = tables_[i].table;
		const RouteSnapshot *old = t->exchange_snapshot(nullptr);
		if (old)
			retire(RouteSnapshot::free_void, const_cast<RouteSnapshot *>(old));
		t->destroy(infos_);
		cx::destroy(t);
		tables_[i] = TableSlot{};
	}
	table_count_ = 0;
	if (rules_)
		retire(rule_list_free_void, const_cast<RuleList *>(rules_));
	rules_ = nullptr;
	infos_.destroy();
}

void Fib::retire(void (*free_fn)(void *), void *obj)
{
	(retire_fn_ ? retire_fn_ : free_now)(retire_ctx_, free_fn, obj);
}

int Fib::set_multipath_hash_policy(int policy)
{
	if (policy != kMultipathHashL3 && policy != kMultipathHashL4)
		return -CX_EINVAL;
	hash_policy_ = policy;
	return 0;
}

RouteTable *Fib::table(uint32_t id) const
{
	id = table_id(id);
	/* readers race with table_create(): the count is published last */
	uint32_t count = __atomic_load_n(&table_count_, __ATOMIC_ACQUIRE);
	for (uint32_t i = 0; i < count; i++)
		if (tables_[i].id == id)
			return tables_[i].table;
	return nullptr;
}

RouteTable *Fib::table_create(uint32_t id, Gfp gfp, int *err)
{
	id = table_id(id);
	RouteTable *t = table(id);
	if (t)
		return t;
	*err = -CX_ENOSPC;
	if (table_count_ == kMaxTables)
		return nullptr;
	*err = -CX_ENOMEM;
	t = make<RouteTable>(gfp, id);
	if (!t)
		return nullptr;
	if (t->init(gfp)) {
		cx::destroy(t);
		return nullptr;
	}
	/* published before the count that makes readers see it */
	tables_[table_count_].id = id;
	__atomic_store_n(&tables_[table_count_].table, t, __ATOMIC_RELEASE);
	__atomic_store_n(&table_count_, table_count_ + 1, __ATOMIC_RELEASE);
	*err = 0;
	return t;
}

int Fib::route_add(const RouteConfig &cfg, Gfp gfp, RouteJournal *journal)
{
	int err;
	RouteTable *t = table_create(cfg.table, gfp, &err);
	if (!t)
		return err;
	return t->insert(infos_, cfg, gfp, journal);
}

int Fib::route_delete(const RouteConfig &cfg, RouteJournal *journal, Gfp gfp)
{
	RouteTable *t = table(cfg.table);
	if (!t)
		return -CX_ESRCH; /* "FIB table does not exist" */
	return t->remove(infos_, cfg, journal, gfp);
}

int Fib::table_flush(uint32_t id)
{
	RouteTable *t = table(id);
	if (!t)
		return -CX_ESRCH;
	return static_cast<int>(t->flush(infos_));
}

/* Build t's snapshot and publish it; the old one is retired. */
int Fib::publish(RouteTable *t, Gfp gfp)
{
	int err;
	RouteSnapshot *snap = RouteSnapshot::build(*t, ++build_mark_, gfp, &err);
	if (!snap)
		return err;
	const RouteSnapshot *old = t->exchange_snapshot(snap);
	if (old)
		retire(RouteSnapshot::free_void, const_cast<RouteSnapshot *>(old));
	return 0;
}

void Fib::abort(RouteJournal *journal)
{
	for (uint32_t i = journal->count(); i-- > 0;) {
		RouteUndo &u = journal->at(i);
		u.table->undo(infos_, u);
	}
	journal->clear();
}

int Fib::commit(Gfp gfp, RouteJournal *journal)
{
	int result = 0;
	if (journal && journal->count()) {
		/* build every table the journal changed before publishing any */
		int err = 0;
		for (uint32_t i = 0; i < journal->count() && !err; i++) {
			RouteTable *t = journal->at(i).table;
			if (!t->dirty() || t->staged())
				continue;
			RouteSnapshot *snap = RouteSnapshot::build(*t, ++build_mark_, gfp, &err);
			t->stage(snap);
		}
		for (uint32_t i = 0; i < journal->count(); i++) {
			RouteTable *t = journal->at(i).table;
			const RouteSnapshot *snap = t->unstage();
			if (!snap)
				continue;
			if (err) {
				RouteSnapshot::free_void(const_cast<RouteSnapshot *>(snap));
				continue;
			}
			const RouteSnapshot *old = t->exchange_snapshot(snap);
			if (old)
				retire(RouteSnapshot::free_void, const_cast<RouteSnapshot *>(old));
		}
		if (err) {
			abort(journal);
			return err;
		}
		/* snapshots hold their own info references: entries can go now */
		for (uint32_t i = 0; i < journal->count(); i++) {
			RouteUndo &u = journal->at(i);
			u.table->finish(infos_, u);
		}
		journal->clear();
	}
	/* tables left dirty by an earlier failure (or all, without a journal) */
	for (uint32_t i = 0; i < table_count_; i++) {
		RouteTable *t = tables_[i].table;
		if (!t->dirty())
			continue;
		int err = publish(t, gfp);
		if (err && !journal)
			result = err;
	}
	return result;
}

int Fib::rule_add(const Rule &rule, uint32_t nlflags, Gfp gfp)
{
	RuleList *list;
	int err = rule_list_add(rules_, rule, nlflags, gfp, &list);
	if (err)
		return err;
	const RuleList *old = __atomic_exchange_n(&rules_, list, __ATOMIC_ACQ_REL);
	retire(rule_list_free_void, const_cast<RuleList *>(old));
	return 0;
}

int Fib::rule_delete(const Rule &request, Gfp gfp)
{
	RuleList *list;
	int err = rule_list_delete(rules_, request, gfp, &list);
	if (err)
		return err;
	const RuleList *old = __atomic_exchange_n(&rules_, list, __ATOMIC_ACQ_REL);
	retire(rule_list_free_void, const_cast<RuleList *>(old));
	return 0;
}

uint32_t Fib::multipath_flow_hash(const FibFlow &flow) const
{
	MultipathFlowKey key{flow.src, flow.dst, flow.proto, flow.sport, flow.dport};
	return multipath_hash(key, hash_policy_, hash_seed_);
}

/* fib4_rule_action() for a to-table rule: fib_table_lookup() on the
 * table's published snapshot; -EAGAIN (go on) for a missing table. */
int Fib::table_lookup(uint32_t id, const FibFlow &flow, FibResult *res,
		      const RouteInfo **info) const
{
	const RouteTable *t = table(id);
	if (!t)
		return -CX_EAGAIN;
	const RouteSnapshot *snap = t->snapshot();
	if (!snap)
		return -CX_EAGAIN;
	TableFlowKey key{flow.dst, flow.oif, flow.tos, flow.scope};
	TableMatch m;
	int err = snap->lookup(key, &m);
	/* lookup() leaves route unset exactly when it finds nothing (-EAGAIN) */
	if (!m.route)
		return -CX_EAGAIN;
	const SnapshotRoute &r = *m.route;
	res->type = r.type;
	res->table = t->id();
	res->prefix = r.prefix;
	res->prefix_len = r.len;
	res->tos = r.tos;
	res->scope = m.info->scope;
	res->protocol = m.info->protocol;
	res->priority = m.info->priority;
	res->nh_index = static_cast<uint8_t>(m.nh_index);
	res->nexthop_count = m.info->nexthop_count;
	*info = m.info;
	return err;
}

int Fib::lookup_in_table(uint32_t id, const FibFlow &flow, FibResult *res) const
{
	*res = FibResult{};
	const RouteInfo *info = nullptr;
	int err = table_lookup(id, flow, res, &info);
	if (err)
		return err;
	const Nexthop &hop = info->nexthops[res->nh_index];
	res->gateway = hop.gateway;
	res->oif = hop.ifindex;
	res->nh_flags = hop.flags;
	res->mtu = info->mtu;
	res->prefsrc = info->prefsrc;
	return 0;
}

int Fib::lookup(const FibFlow &flow, FibResult *res) const
{
	*res = FibResult{};
	const RouteInfo *info = nullptr;
	int err = -CX_ESRCH;
	const RuleList *rules = this->rules();
	RuleFlowKey key{flow.dst, flow.src, flow.iif, flow.oif, flow.mark,
			flow.tos, flow.proto, flow.sport, flow.dport};
	/* fib_rules_lookup() */
	for (uint32_t i = 0; rules && i < rules->count; i++) {
		const Rule &rule = rules->rules[i];
		if (!rule_matches(rule, key))
			continue;
		switch (rule.action) {
		case RuleAction::ToTable:
			info = nullptr;
			err = table_lookup(rule.table, flow, res, &info);
			break;
		case RuleAction::Unreachable:
			err = -CX_ENETUNREACH;
			break;
		case RuleAction::Prohibit:
			err = -CX_EACCES;
			break;
		case RuleAction::Nop:
			continue;
		default:
			err = -CX_EINVAL; /* blackhole */
			break;
		}
		/* fib4_rule_suppress(): a too-short answer does not count */
		if (err == 0 && static_cast<int>(res->prefix_len) <= rule.suppress_prefixlen) {
			err = -CX_EAGAIN;
			continue;
		}
		if (err != -CX_EAGAIN) {
			res->rule_pref = rule.pref;
			break;
		}
	}
	/* __fib_lookup(): nothing matched at all */
	if (err == -CX_ESRCH || err == -CX_EAGAIN)
		err = -CX_ENETUNREACH;
	if (err) {
		RouteType type = res->type;
		uint32_t table = res->table;
		*res = FibResult{};
		res->type = type;
		res->table = table;
		res->error = err;
		return err;
	}
	/* fib_select_path(): ECMP only when the output device is not fixed */
	uint32_t nh = res->nh_index;
	if (info->nexthop_count > 1 && flow.oif == 0)
		nh = multipath_select(info, multipath_flow_hash(flow));
	const Nexthop &hop = info->nexthops[nh];
	res->nh_index = static_cast<uint8_t>(nh);
	res->gateway = hop.gateway;
	res->oif = hop.ifindex;
	res->nh_flags = hop.flags;
	res->mtu = info->mtu;
	/* FIB_RES_PREFSRC(): the route's prefsrc, else the device's address */
	res->prefsrc = info->prefsrc;
	res->route_prefsrc = info->prefsrc;
	if (!res->prefsrc && source_fn_)
		/* fib_result_prefsrc(): inet_select_addr(dev, gateway or 0, scope) */
		res->prefsrc = source_fn_(source_ctx_, hop.ifindex, hop.gateway, res->scope);
	return 0;
}

size_t Fib::memory_bytes() const
{
	size_t bytes = sizeof(*this);
	for (uint32_t i = 0; i < table_count_; i++) {
		const RouteTable *t = tables_[i].table;
		bytes += sizeof(*t) + t->memory_bytes();
		if (const RouteSnapshot *s = t->snapshot())
			bytes += s->memory_bytes();
	}
	return bytes;
}

} // namespace cx::route
