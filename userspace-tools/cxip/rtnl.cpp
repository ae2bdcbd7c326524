// SPDX-License-Identifier: GPL-2.0
// cxip: shared support of the ip-like objects (see rtnl.h).
#include "rtnl.h"

#include <cstdio>
#include <iostream>

namespace cxip {

std::string sfmt(const char *fmt, ...)
{
	va_list ap, ap2;

	va_start(ap, fmt);
	va_copy(ap2, ap);

	const int n = std::vsnprintf(nullptr, 0, fmt, ap);
	std::string out(n > 0 ? static_cast<size_t>(n) : 0, '\0');

	if (n > 0)
		std::vsnprintf(&out[0], out.size() + 1, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	return out;
}

/* Emitter */

void Emitter::null(std::string_view key, std::string_view txt)
{
	if (jw_) {
		jw_->name(key);
		jw_->null();
	} else {
		out_ << txt;
	}
}

void Emitter::elem(std::string_view txt, std::string_view v)
{
	if (jw_)
		jw_->value(v);
	else
		out_ << txt;
}

void Emitter::open_object(std::string_view key)
{
	if (!jw_)
		return;
	if (!key.empty())
		jw_->name(key);
	jw_->start_object();
}

void Emitter::close_object()
{
	if (jw_)
		jw_->end_object();
}

void Emitter::open_array(std::string_view key)
{
	if (!jw_)
		return;
	if (!key.empty())
		jw_->name(key);
	jw_->start_array();
}

void Emitter::close_array()
{
	if (jw_)
		jw_->end_array();
}

/* ListOutput */

ListOutput::ListOutput(const Context &ctx, std::ostream &out)
	: jw_(ctx.json ? std::optional<JsonWriter>(std::in_place, out, ctx.pretty) : std::nullopt),
	  em_(out, jw_ ? &*jw_ : nullptr, ctx.oneline)
{
	if (jw_)
		jw_->start_array();
}

void ListOutput::finish()
{
	if (finished_ || !jw_)
		return;
	finished_ = true;
	jw_->end_array();
	jw_->finish();
}

std::optional<ModifyCmd> modify_command(const std::string &c, bool route)
{
	if (matches(c, "add"))
		return ModifyCmd{false, kNlmCreate | kNlmExcl};
	if (matches(c, "change") || c == "chg")
		return ModifyCmd{false, kNlmReplace};
	if (matches(c, "replace"))
		return ModifyCmd{false, kNlmCreate | kNlmReplace};
	if (route && matches(c, "prepend"))
		return ModifyCmd{false, kNlmCreate};
	if (route && matches(c, "append"))
		return ModifyCmd{false, kNlmCreate | kNlmAppend};
	if (route && matches(c, "test"))
		return ModifyCmd{false, kNlmExcl};
	if (matches(c, "delete"))
		return ModifyCmd{true, 0};
	return std::nullopt;
}

void put_request_flags(GenlRequest &req, const ModifyCmd &m)
{
	if (!m.del)
		req.put_u32(CXNET_A_REQUEST_FLAGS, m.nlflags);
}

/* Netlink */

const Policy<CXNET_A_MAX + 1> &rtnl_policy()
{
	static const Policy<CXNET_A_MAX + 1> p = [] {
		Policy<CXNET_A_MAX + 1> q{};
		const auto u8 = nla_policy{NLA_U8, sizeof(uint8_t), 0};
		const auto u16 = nla_policy{NLA_U16, sizeof(uint16_t), 0};
		const auto u32 = nla_policy{NLA_U32, sizeof(uint32_t), 0};

		q[CXNET_A_IFINDEX] = u32;
		q[CXNET_A_IFNAME].type = NLA_STRING;
		q[CXNET_A_LINK_MTU] = u32;
		q[CXNET_A_LINK_ADDRESS].type = NLA_UNSPEC;
		q[CXNET_A_LINK_FLAGS] = u32;
		q[CXNET_A_LINK_STATS].type = NLA_NESTED;
		q[CXNET_A_COUNTERS].type = NLA_NESTED;
		q[CXNET_A_ADDR_LOCAL] = u32;
		q[CXNET_A_ADDR_PREFIXLEN] = u8;
		q[CXNET_A_ADDR_BROADCAST] = u32;
		q[CXNET_A_ADDR_SCOPE] = u8;
		q[CXNET_A_ADDR_LABEL].type = NLA_STRING;
		q[CXNET_A_ADDR_FLAGS] = u32;
		q[CXNET_A_RT_TABLE] = u32;
		q[CXNET_A_RT_DST] = u32;
		q[CXNET_A_RT_DST_LEN] = u8;
		q[CXNET_A_RT_TOS] = u8;
		q[CXNET_A_RT_TYPE] = u8;
		q[CXNET_A_RT_SCOPE] = u8;
		q[CXNET_A_RT_PROTOCOL] = u8;
		q[CXNET_A_RT_PRIORITY] = u32;
		q[CXNET_A_RT_PREFSRC] = u32;
		q[CXNET_A_RT_MTU] = u32;
		q[CXNET_A_RT_GATEWAY] = u32;
		q[CXNET_A_RT_OIF] = u32;
		q[CXNET_A_RT_NH_FLAGS] = u8;
		q[CXNET_A_RT_MULTIPATH].type = NLA_NESTED;
		q[CXNET_A_RT_SRC] = u32;
		q[CXNET_A_RT_IIF] = u32;
		q[CXNET_A_RT_MARK] = u32;
		q[CXNET_A_RT_IPPROTO] = u8;
		q[CXNET_A_RT_SPORT] = u16;
		q[CXNET_A_RT_DPORT] = u16;
		q[CXNET_A_RT_RULE_PREF] = u32;
		q[CXNET_A_RULE_PREF] = u32;
		q[CXNET_A_RULE_ACTION] = u8;
		q[CXNET_A_RULE_TABLE] = u32;
		q[CXNET_A_RULE_SRC] = u32;
		q[CXNET_A_RULE_SRC_LEN] = u8;
		q[CXNET_A_RULE_DST] = u32;
		q[CXNET_A_RULE_DST_LEN] = u8;
		q[CXNET_A_RULE_TOS] = u8;
		q[CXNET_A_RULE_IPPROTO] = u8;
		q[CXNET_A_RULE_IIF] = u32;
		q[CXNET_A_RULE_OIF] = u32;
		q[CXNET_A_RULE_FWMARK] = u32;
		q[CXNET_A_RULE_FWMASK] = u32;
		q[CXNET_A_RULE_SPORT_START] = u16;
		q[CXNET_A_RULE_SPORT_END] = u16;
		q[CXNET_A_RULE_DPORT_START] = u16;
		q[CXNET_A_RULE_DPORT_END] = u16;
		q[CXNET_A_RULE_SUPPRESS_PREFIXLEN] = u32;
		q[CXNET_A_RULE_FLAGS] = u32;
		q[CXNET_A_NEIGH_DST] = u32;
		q[CXNET_A_NEIGH_LLADDR].type = NLA_UNSPEC;
		q[CXNET_A_NEIGH_STATE] = u16;
		q[CXNET_A_NEIGH_PROBES] = u32;
		q[CXNET_A_NEIGH_USED_MS] = u32;
		q[CXNET_A_NEIGH_CONFIRMED_MS] = u32;
		q[CXNET_A_NEIGH_UPDATED_MS] = u32;
		q[CXNET_A_NEIGH_REFCNT] = u32;
		q[CXNET_A_STATS_GROUP].type = NLA_STRING;
		q[CXNET_A_REQUEST_FLAGS] = u32;
		return q;
	}();

	return p;
}

GenlSocket &rtnl_socket(Context &ctx)
{
	GenlSocket &s = ctx.socket();

	s.set_answers(kRtnetlinkAnswers);
	return s;
}

std::vector<std::pair<std::string, uint64_t>> parse_counters(const nlattr *nest)
{
	static const Policy<CXNET_COUNTERS_A_MAX + 1> list_pol = [] {
		Policy<CXNET_COUNTERS_A_MAX + 1> p{};

		p[CXNET_COUNTERS_A_ENTRY].type = NLA_NESTED;
		return p;
	}();
	static const Policy<CXNET_COUNTER_A_MAX + 1> entry_pol = [] {
		Policy<CXNET_COUNTER_A_MAX + 1> p{};

		p[CXNET_COUNTER_A_NAME].type = NLA_STRING;
		p[CXNET_COUNTER_A_VALUE] = {NLA_U64, sizeof(uint64_t), 0};
		return p;
	}();
	std::vector<std::pair<std::string, uint64_t>> out;

	for (const nlattr *e : parse_nested_list(nest, CXNET_COUNTERS_A_ENTRY, list_pol)) {
		const Attrs c = parse_nested(e, entry_pol);

		out.emplace_back(c.str(CXNET_COUNTER_A_NAME), c.u64(CXNET_COUNTER_A_VALUE));
	}
	return out;
}

}  // namespace cxip
