/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv4 policy routing rules (net/core/fib_rules.c + net/ipv4/fib_rules.c):
 * an ordered list of rules, each with selectors and an action, evaluated
 * by pref as fib_rules_lookup() does (the evaluation itself is in fib.cpp,
 * which owns the tables).
 *
 * The list is copy-on-write: every change builds a new RuleList and the
 * owner publishes it, retiring the old one after readers are gone (RCU in
 * the kernel), so lookups read an immutable list without locks.
 */
#ifndef CXNET_CORE_ROUTE_RULES_H
#define CXNET_CORE_ROUTE_RULES_H

#include "route.h"
#include "../memory.h"

namespace cx::route {

/* FR_ACT_* (linux/fib_rules.h) */
enum class RuleAction : uint8_t {
	Unspec = 0,
	ToTable = 1,
	Goto = 2,	/* not supported: add gives -EINVAL */
	Nop = 3,
	Blackhole = 6,
	Unreachable = 7,
	Prohibit = 8,
};

/* FIB_RULE_INVERT */
constexpr uint32_t kRuleInvert = 0x2;

/* The default rules' prefs (fib_default_rules_init). */
constexpr uint32_t kRulePrefLocal = 0;
constexpr uint32_t kRulePrefMain = 32766;
constexpr uint32_t kRulePrefDefault = 32767;

/* struct fib_rule_port_range: set when both ends are non-zero. */
struct PortRange {
	uint16_t start;
	uint16_t end;

	constexpr bool set() const { return start && end; }
	constexpr bool contains(uint16_t port) const { return port >= start && port <= end; }
	constexpr bool operator==(const PortRange &o) const
	{
		return start == o.start && end == o.end;
	}
};

/*
 * A rule (struct fib_rule + fib4_rule) and a rule request (FRA_* attributes).
 * For a delete, zero/unset fields are wildcards as in rule_find().
 */
struct Rule {
	uint32_t pref;
	bool has_pref;		/* FRA_PRIORITY given (else fib_default_rule_pref) */
	bool has_src;		/* FRA_SRC given */
	bool has_dst;		/* FRA_DST given */
	RuleAction action;
	uint32_t table;
	uint32_t src;
	uint32_t dst;
	uint8_t src_len;
	uint8_t dst_len;
	uint8_t tos;
	uint8_t ip_proto;
	int32_t iif;		/* 0: any */
	int32_t oif;		/* 0: any */
	uint32_t mark;
	uint32_t mark_mask;	/* 0 with a mark: 0xffffffff, as fib_nl2rule() */
	PortRange sport;
	PortRange dport;
	int32_t suppress_prefixlen;	/* -1: none */
	uint32_t flags;		/* kRuleInvert */
};

/* A request for "lookup table" with everything else unset. */
inline Rule rule_config(uint32_t pref, uint32_t table)
{
	Rule r{};
	r.pref = pref;
	r.has_pref = true;
	r.action = RuleAction::ToTable;
	r.table = table;
	r.suppress_prefixlen = -1;
	return r;
}

/* An immutable rule list, sorted by pref (ties: insertion order). */
struct RuleList {
	uint32_t count;
	Rule rules[];
};

/* The flow fields rules select on (struct flowi4 / flowi_common). */
struct RuleFlowKey {
	uint32_t dst;
	uint32_t src;
	int32_t iif;
	int32_t oif;
	uint32_t mark;
	uint8_t tos;
	uint8_t proto;
	uint16_t sport;
	uint16_t dport;
};

/* fib_rule_match() + fib4_rule_match(). */
bool rule_matches(const Rule &rule, const RuleFlowKey &key);

/* A list of the three default rules (0 local, 32766 main, 32767 default). */
RuleList *rule_list_defaults(Gfp gfp);
void rule_list_free(const RuleList *list);
inline void rule_list_free_void(void *list) { rule_list_free(static_cast<const RuleList *>(list)); }

/*
 * fib_nl_newrule(): a new list = old + rule (validated: -EINVAL; with
 * kNlmExcl an identical rule gives -EEXIST; -ENOMEM). The rule goes after
 * every rule of lower or equal pref; without a pref it takes
 * fib_default_rule_pref(). *out is the new list.
 */
int rule_list_add(const RuleList *old, const Rule &request, uint32_t nlflags, Gfp gfp,
		  RuleList **out);
/* fib_nl_delrule(): a new list without the first rule matching the request
 * (rule_find()); -ENOENT if none. */
int rule_list_delete(const RuleList *old, const Rule &request, Gfp gfp, RuleList **out);

} // namespace cx::route

#endif /* CXNET_CORE_ROUTE_RULES_H */
