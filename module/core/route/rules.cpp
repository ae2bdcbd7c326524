// SPDX-License-Identifier: GPL-2.0
/*
 * Rule matching and list edits: fib_rule_match(), fib4_rule_match(),
 * fib_nl_newrule() (rule_exists(), fib_default_rule_pref()),
 * fib_nl_delrule() (rule_find(), fib4_rule_compare()).
 */
#include "rules.h"
#include "../utility.h"

namespace cx::route {

namespace {

/* IPTOS_TOS_MASK: fib4_rule_configure() rejects other tos bits. */
constexpr uint8_t kIpTosTosMask = 0x1e;

size_t list_bytes(uint32_t count)
{
	return sizeof(RuleList) + size_t(count) * sizeof(Rule);
}

RuleList *list_alloc(uint32_t count, Gfp gfp)
{
	RuleList *list = static_cast<RuleList *>(cx_os_zalloc(list_bytes(count), to_os_gfp(gfp)));
	if (list)
		list->count = count;
	return list;
}

/* rule_exists(): an identical rule (every selector and the action). */
bool rules_identical(const Rule &a, const Rule &b)
{
	return a.pref == b.pref && a.action == b.action && a.table == b.table &&
	       a.src == b.src && a.dst == b.dst && a.src_len == b.src_len &&
	       a.dst_len == b.dst_len && a.tos == b.tos && a.ip_proto == b.ip_proto &&
	       a.iif == b.iif && a.oif == b.oif && a.mark == b.mark &&
	       a.mark_mask == b.mark_mask && a.sport == b.sport && a.dport == b.dport &&
	       a.suppress_prefixlen == b.suppress_prefixlen && a.flags == b.flags;
}

/* rule_find() + fib4_rule_compare(): the request's given fields match. */
bool rule_found(const Rule &r, const Rule &req)
{
	if (req.action != RuleAction::Unspec && r.action != req.action)
		return false;
	if (req.table && r.table != req.table)
		return false;
	if (req.has_pref && r.pref != req.pref)
		return false;
	if (req.iif && r.iif != req.iif)
		return false;
	if (req.oif && r.oif != req.oif)
		return false;
	if (req.mark && r.mark != req.mark)
		return false;
	if (req.suppress_prefixlen != -1 && r.suppress_prefixlen != req.suppress_prefixlen)
		return false;
	if (req.mark_mask && r.mark_mask != req.mark_mask)
		return false;
	if (req.ip_proto && r.ip_proto != req.ip_proto)
		return false;
	if (req.sport.set() && !(r.sport == req.sport))
		return false;
	if (req.dport.set() && !(r.dport == req.dport))
		return false;
	if (req.src_len && r.src_len != req.src_len)
		return false;
	if (req.dst_len && r.dst_len != req.dst_len)
		return false;
	if (req.tos && r.tos != req.tos)
		return false;
	if (req.has_src && r.src != req.src)
		return false;
	if (req.has_dst && r.dst != req.dst)
		return false;
	return true;
}

/* fib_nl2rule() + fib4_rule_configure() checks and normalisation. */
int rule_normalise(Rule *r)
{
	switch (r->action) {
	case RuleAction::ToTable:
		if (r->table == kTableUnspec)
			return -CX_EINVAL;
		break;
	case RuleAction::Nop:
	case RuleAction::Blackhole:
	case RuleAction::Unreachable:
	case RuleAction::Prohibit:
		break;
	default:
		return -CX_EINVAL;
	}
	if (r->src_len > 32 || r->dst_len > 32)
		return -CX_EINVAL;
	if (r->tos & ~kIpTosTosMask)
		return -CX_EINVAL;
	/* fib_rule_port_range_valid() */
	if ((r->sport.set() && r->sport.start > r->sport.end) ||
	    (r->dport.set() && r->dport.start > r->dport.end))
		return -CX_EINVAL;
	if ((r->sport.start != 0) != (r->sport.end != 0) ||
	    (r->dport.start != 0) != (r->dport.end != 0))
		return -CX_EINVAL;
	if (r->suppress_prefixlen < -1 || r->suppress_prefixlen > 32)
		return -CX_EINVAL;
	if (r->mark && !r->mark_mask)
		r->mark_mask = 0xffffffffu;
	/* fib4_rule_configure() keeps src/dst as given, matches under the mask */
	r->src &= prefix_mask(r->src_len);
	r->dst &= prefix_mask(r->dst_len);
	r->has_pref = true;
	return 0;
}

} // namespace

bool rule_matches(const Rule &rule, const RuleFlowKey &key)
{
	bool ret = false;
	do {
		if (rule.iif && rule.iif != key.iif)
			break;
		if (rule.oif && rule.oif != key.oif)
			break;
		if ((rule.mark ^ key.mark) & rule.mark_mask)
			break;
		/* fib4_rule_match() */
		if (((key.src ^ rule.src) & prefix_mask(rule.src_len)) ||
		    ((key.dst ^ rule.dst) & prefix_mask(rule.dst_len)))
			break;
		if (rule.tos && rule.tos != key.tos)
			break;
		if (rule.ip_proto && rule.ip_proto != key.proto)
			break;
		if (rule.sport.set() && !rule.sport.contains(key.sport))
			break;
		if (rule.dport.set() && !rule.dport.contains(key.dport))
			break;
		ret = true;
	} while (0);
	return (rule.flags & kRuleInvert) ? !ret : ret;
}

RuleList *rule_list_defaults(Gfp gfp)
{
	RuleList *list = list_alloc(3, gfp);
	if (!list)
		return nullptr;
	list->rules[0] = rule_config(kRulePrefLocal, kTableLocal);
	list->rules[1] = rule_config(kRulePrefMain, kTableMain);
	list->rules[2] = rule_config(kRulePrefDefault, kTableDefault);
	return list;
}

void rule_list_free(const RuleList *list)
{
	if (list)
		cx_os_free(list);
}

int rule_list_add(const RuleList *old, const Rule &request, uint32_t nlflags, Gfp gfp,
		  RuleList **out)
{
	*out = nullptr;
	Rule rule = request;
	uint32_t count = old ? old->count : 0;
	if (!rule.has_pref) {
		/* fib_default_rule_pref(): one below the second rule's pref */
		rule.pref = 0;
		if (count >= 2 && old->rules[1].pref)
			rule.pref = old->rules[1].pref - 1;
	}
	int err = rule_normalise(&rule);
	if (err)
		return err;
	if (nlflags & kNlmExcl) {
		for (uint32_t i = 0; i < count; i++)
			if (rules_identical(old->rules[i], rule))
				return -CX_EEXIST;
	}
	RuleList *list = list_alloc(count + 1, gfp);
	if (!list)
		return -CX_ENOMEM;
	/* after the last rule with pref <= rule.pref */
	uint32_t at = 0;
	while (at < count && old->rules[at].pref <= rule.pref)
		at++;
	for (uint32_t i = 0; i < at; i++)
		list->rules[i] = old->rules[i];
	list->rules[at] = rule;
	for (uint32_t i = at; i < count; i++)
		list->rules[i + 1] = old->rules[i];
	*out = list;
	return 0;
}

int rule_list_delete(const RuleList *old, const Rule &request, Gfp gfp, RuleList **out)
{
	*out = nullptr;
	uint32_t count = old ? old->count : 0;
	uint32_t at = 0;
	while (at < count && !rule_found(old->rules[at], request))
		at++;
	if (at == count)
		return -CX_ENOENT;
	RuleList *list = list_alloc(count - 1, gfp);
	if (!list)
		return -CX_ENOMEM;
	list->count = count - 1;
	for (uint32_t i = 0, j = 0; i < count; i++)
		if (i != at)
			list->rules[j++] = old->rules[i];
	*out = list;
	return 0;
}

} // namespace cx::route
