// SPDX-License-Identifier: GPL-2.0
// cxip rule: cxnet's routing policy rules (ip rule).
#include <cerrno>
#include <iostream>

#include "rtnl.h"

namespace cxip {

void usage_rule(FILE *out)
{
	std::fprintf(out,
		     "Usage: cxip rule { add | del } SELECTOR ACTION\n"
		     "       cxip rule flush [ SELECTOR ]\n"
		     "       cxip rule [ list [ SELECTOR ]]\n"
		     "SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]\n"
		     "            [ fwmark FWMARK[/MASK] ]\n"
		     "            [ iif STRING ] [ oif STRING ] [ pref NUMBER ]\n"
		     "            [ ipproto PROTOCOL ]\n"
		     "            [ sport [ NUMBER | NUMBER-NUMBER ]\n"
		     "            [ dport [ NUMBER | NUMBER-NUMBER ] ]\n"
		     "ACTION := [ table TABLE_ID ] [ nop | blackhole | unreachable | prohibit ]\n"
		     "          SUPPRESSOR\n"
		     "SUPPRESSOR := [ suppress_prefixlength NUMBER ]\n"
		     "TABLE_ID := [ local | main | default | NUMBER ]\n");
}

RuleInfo parse_rule(const Attrs &a)
{
	RuleInfo r;
	const auto u16 = [&](int t) { return a.has(t) ? a.u16(t) : uint16_t{0}; };

	if (a.has(CXNET_A_RULE_PREF) && a.u32(CXNET_A_RULE_PREF))
		r.pref = a.u32(CXNET_A_RULE_PREF);
	if (a.has(CXNET_A_RULE_ACTION))
		r.action = a.u8(CXNET_A_RULE_ACTION);
	if (a.has(CXNET_A_RULE_TABLE))
		r.table = a.u32(CXNET_A_RULE_TABLE);
	if (a.has(CXNET_A_RULE_SRC))
		r.src = a.u32(CXNET_A_RULE_SRC);
	if (a.has(CXNET_A_RULE_SRC_LEN))
		r.src_len = a.u8(CXNET_A_RULE_SRC_LEN);
	if (a.has(CXNET_A_RULE_DST))
		r.dst = a.u32(CXNET_A_RULE_DST);
	if (a.has(CXNET_A_RULE_DST_LEN))
		r.dst_len = a.u8(CXNET_A_RULE_DST_LEN);
	// Linux omits FRA_SRC/FRA_DST of a /0 selector.
	if (r.src_len == 0)
		r.src.reset();
	if (r.dst_len == 0)
		r.dst.reset();
	if (a.has(CXNET_A_RULE_TOS))
		r.tos = a.u8(CXNET_A_RULE_TOS);
	// Zero selectors are "not set", as Linux leaves them out of dumps.
	if (a.has(CXNET_A_RULE_IPPROTO) && a.u8(CXNET_A_RULE_IPPROTO))
		r.ipproto = a.u8(CXNET_A_RULE_IPPROTO);
	if (a.has(CXNET_A_RULE_IIF) && a.u32(CXNET_A_RULE_IIF))
		r.iif = a.u32(CXNET_A_RULE_IIF);
	if (a.has(CXNET_A_RULE_OIF) && a.u32(CXNET_A_RULE_OIF))
		r.oif = a.u32(CXNET_A_RULE_OIF);

	const uint32_t mark = a.has(CXNET_A_RULE_FWMARK) ? a.u32(CXNET_A_RULE_FWMARK) : 0;
	const uint32_t mask = a.has(CXNET_A_RULE_FWMASK) ? a.u32(CXNET_A_RULE_FWMASK) : 0;

	if (mark || mask) {
		r.fwmark = mark;
		if (a.has(CXNET_A_RULE_FWMASK))
			r.fwmask = mask;
	}
	if (u16(CXNET_A_RULE_SPORT_START) || u16(CXNET_A_RULE_SPORT_END))
		r.sport = std::make_pair(u16(CXNET_A_RULE_SPORT_START), u16(CXNET_A_RULE_SPORT_END));
	if (u16(CXNET_A_RULE_DPORT_START) || u16(CXNET_A_RULE_DPORT_END))
		r.dport = std::make_pair(u16(CXNET_A_RULE_DPORT_START), u16(CXNET_A_RULE_DPORT_END));
	if (a.has(CXNET_A_RULE_SUPPRESS_PREFIXLEN))
		r.suppress_prefixlen = static_cast<int32_t>(a.u32(CXNET_A_RULE_SUPPRESS_PREFIXLEN));
	if (a.has(CXNET_A_RULE_FLAGS))
		r.flags = a.u32(CXNET_A_RULE_FLAGS);
	return r;
}

namespace {

void print_range(Emitter &e, const char *what, const std::pair<uint16_t, uint16_t> &r)
{
	const std::string w = what;

	if (r.first == r.second) {
		e.any(w, sfmt(" %s %u", what, r.first), static_cast<unsigned>(r.first));
	} else {
		e.any(w + "_start", sfmt(" %s %u", what, r.first), static_cast<unsigned>(r.first));
		e.any(w + "_end", sfmt("-%u", r.second), static_cast<unsigned>(r.second));
	}
}

}  // namespace

void print_rule(Emitter &e, const RuleInfo &r, const ShowOpts &o)
{
	const uint32_t prio = r.pref.value_or(0);

	e.any("priority", sfmt("%u:\t", prio), prio);
	if (r.flags & kFibRuleInvert)
		e.null("not", "not ");
	if (r.src) {
		const std::string s = ipv4_n2a(*r.src);

		e.text("from ");
		e.any("src", s, s);
		if (r.src_len != 32)
			e.any("srclen", sfmt("/%u", r.src_len), static_cast<unsigned>(r.src_len));
	} else if (r.src_len) {
		e.any("src", "from 0", "0");
		e.any("srclen", sfmt("/%u", r.src_len), static_cast<unsigned>(r.src_len));
	} else {
		e.any("src", "from all", "all");
	}
	if (r.dst) {
		const std::string s = ipv4_n2a(*r.dst);

		e.text(" to ");
		e.any("dst", s, s);
		if (r.dst_len != 32)
			e.any("dstlen", sfmt("/%u", r.dst_len), static_cast<unsigned>(r.dst_len));
	} else if (r.dst_len) {
		e.any("dst", " to 0", "0");
		e.any("dstlen", sfmt("/%u", r.dst_len), static_cast<unsigned>(r.dst_len));
	}
	if (r.tos) {
		const std::string t = dsfield_n2a(r.tos);

		e.any("tos", " tos " + t, t);
	}
	if (r.fwmark || r.fwmask) {
		const uint32_t mark = r.fwmark.value_or(0);
		const std::string m = sfmt("%#x", mark);

		e.any("fwmark", " fwmark " + m, m);
		if (r.fwmask && *r.fwmask != 0xffffffffu) {
			const std::string k = sfmt("%#x", *r.fwmask);

			e.any("fwmask", "/" + k, k);
		}
	}
	if (r.iif) {
		const std::string d = o.ifname(*r.iif);

		e.text(" iif ");
		e.any("iif", d, d);
	}
	if (r.oif) {
		const std::string d = o.ifname(*r.oif);

		e.text(" oif ");
		e.any("oif", d, d);
	}
	if (r.ipproto) {
		const std::string p = inet_proto_n2a(*r.ipproto);

		e.any("ipproto", " ipproto " + p, p);
	}
	if (r.sport)
		print_range(e, "sport", *r.sport);
	if (r.dport)
		print_range(e, "dport", *r.dport);
	if (r.table) {
		const std::string t = rttable_n2a(r.table);

		e.any("table", " lookup " + t, t);
		if (r.suppress_prefixlen && *r.suppress_prefixlen != -1)
			e.any("suppress_prefixlen", sfmt(" suppress_prefixlength %d", *r.suppress_prefixlen),
			      static_cast<int>(*r.suppress_prefixlen));
	}
	if (r.action == kFrActNop) {
		e.null("nop", " nop");
	} else if (r.action == kFrActGoto) {
		e.any("goto", " goto none", "none");
	} else if (r.action != kFrActToTbl) {
		const std::string t = rtntype_n2a(r.action);

		e.any("action", " " + t, t);
	}
	e.text("\n");
}

void put_rule(GenlRequest &req, const RuleInfo &r)
{
	if (r.pref)
		req.put_u32(CXNET_A_RULE_PREF, *r.pref);
	req.put_u8(CXNET_A_RULE_ACTION, r.action);
	req.put_u32(CXNET_A_RULE_TABLE, r.table);
	if (r.src)
		req.put_be32(CXNET_A_RULE_SRC, *r.src);
	req.put_u8(CXNET_A_RULE_SRC_LEN, r.src_len);
	if (r.dst)
		req.put_be32(CXNET_A_RULE_DST, *r.dst);
	req.put_u8(CXNET_A_RULE_DST_LEN, r.dst_len);
	req.put_u8(CXNET_A_RULE_TOS, r.tos);
	if (r.ipproto)
		req.put_u8(CXNET_A_RULE_IPPROTO, *r.ipproto);
	if (r.iif)
		req.put_u32(CXNET_A_RULE_IIF, *r.iif);
	if (r.oif)
		req.put_u32(CXNET_A_RULE_OIF, *r.oif);
	if (r.fwmark)
		req.put_u32(CXNET_A_RULE_FWMARK, *r.fwmark);
	if (r.fwmask)
		req.put_u32(CXNET_A_RULE_FWMASK, *r.fwmask);
	if (r.sport) {
		req.put_u16(CXNET_A_RULE_SPORT_START, r.sport->first);
		req.put_u16(CXNET_A_RULE_SPORT_END, r.sport->second);
	}
	if (r.dport) {
		req.put_u16(CXNET_A_RULE_DPORT_START, r.dport->first);
		req.put_u16(CXNET_A_RULE_DPORT_END, r.dport->second);
	}
	if (r.suppress_prefixlen)
		req.put_u32(CXNET_A_RULE_SUPPRESS_PREFIXLEN, static_cast<uint32_t>(*r.suppress_prefixlen));
	if (r.flags)
		req.put_u32(CXNET_A_RULE_FLAGS, r.flags);
}

namespace {

[[noreturn]] void unsupported(const std::string &arg)
{
	invarg("not supported by cxnet\n", arg);
}

// "fwmark MARK[/MASK]"
void parse_fwmark(const std::string &v, std::optional<uint32_t> &mark, std::optional<uint32_t> &mask)
{
	const size_t slash = v.find('/');
	uint32_t m;

	if (!get_u32(v.substr(0, slash), m))
		invarg("fwmark value is invalid\n", v.substr(0, slash));
	mark = m;
	if (slash != std::string::npos) {
		if (!get_u32(v.substr(slash + 1), m))
			invarg("fwmask value is invalid\n", v.substr(slash + 1));
		mask = m;
	}
}

uint32_t rule_ifindex(const std::string &name, const char *msg)
{
	if (!valid_ifname(name))
		invarg(msg, name);
	return get_ifindex(name);
}

}  // namespace

RuleInfo parse_rule_args(const Context &ctx, const Args &args, bool del)
{
	const Family fam = ctx.inet ? Family::Inet : Family::Unspec;
	RuleInfo r;
	bool table_ok = false;

	if (args.size() <= 1)
		fail(del ? "\"ip rule del\" requires arguments." : "\"ip rule add\" requires arguments.");
	r.action = del ? kFrActUnspec : kFrActToTbl;
	for (size_t i = 1; i < args.size(); i++) {
		const std::string &a = args[i];

		if (a == "not") {
			r.flags |= kFibRuleInvert;
		} else if (a == "from" || a == "to") {
			const Prefix p = get_prefix(next_arg(args, i), fam);
			auto &addr = a == "from" ? r.src : r.dst;

			(a == "from" ? r.src_len : r.dst_len) = static_cast<uint8_t>(p.len);
			if (p.has_addr)
				addr = p.addr;
			else
				addr.reset();
		} else if (matches(a, "preference") || matches(a, "order") || matches(a, "priority")) {
			const std::string &v = next_arg(args, i);
			uint32_t pref;

			if (!get_u32(v, pref))
				invarg("preference value is invalid\n", v);
			r.pref = pref;
		} else if (a == "tos" || matches(a, "dsfield")) {
			const std::string &v = next_arg(args, i);
			uint32_t tos;

			if (!dsfield_a2n(v, tos))
				invarg("TOS value is invalid\n", v);
			r.tos = static_cast<uint8_t>(tos);
		} else if (a == "fwmark") {
			parse_fwmark(next_arg(args, i), r.fwmark, r.fwmask);
		} else if (matches(a, "realms") || matches(a, "protocol") || matches(a, "tun_id")) {
			unsupported(a);
		} else if (matches(a, "table") || a == "lookup") {
			const std::string &v = next_arg(args, i);

			if (!rttable_a2n(v, r.table))
				invarg("invalid table ID\n", v);
			table_ok = true;
		} else if (matches(a, "suppress_prefixlength") || a == "sup_pl") {
			const std::string &v = next_arg(args, i);
			int32_t pl;

			if (!get_s32(v, pl) || pl < 0)
				invarg("suppress_prefixlength value is invalid\n", v);
			r.suppress_prefixlen = pl;
		} else if (matches(a, "suppress_ifgroup") || a == "sup_group") {
			unsupported(a);
		} else if (a == "dev" || a == "iif") {
			r.iif = rule_ifindex(next_arg(args, i), "\"iif\"/\"dev\" not a valid ifname");
		} else if (a == "oif") {
			r.oif = rule_ifindex(next_arg(args, i), "\"oif\" not a valid ifname");
		} else if (a == "l3mdev" || a == "uidrange" || a == "nat" || matches(a, "map-to")) {
			unsupported(a);
		} else if (a == "ipproto") {
			const std::string &v = next_arg(args, i);
			const int p = inet_proto_a2n(v);

			if (p < 0)
				invarg("Invalid \"ipproto\" value\n", v);
			r.ipproto = static_cast<uint8_t>(p);
		} else if (a == "sport" || a == "dport") {
			const std::string &v = next_arg(args, i);
			uint16_t s, e;

			if (!parse_port_range(v, s, e))
				invarg(a == "sport" ? "invalid port range\n" : "invalid dport range\n", v);
			(a == "sport" ? r.sport : r.dport) = std::make_pair(s, e);
		} else {
			const std::string *v = &a;
			uint32_t type;

			if (*v == "type")
				v = &next_arg(args, i);
			if (matches(*v, "help"))
				show_usage(usage_rule);
			if (matches(*v, "goto"))
				unsupported(*v);
			if (matches(*v, "nop"))
				type = kFrActNop;
			else if (!rtntype_a2n(*v, type))
				invarg("Failed to parse rule type", *v);
			r.action = static_cast<uint8_t>(type);
			table_ok = true;
		}
	}
	if (!table_ok && !del)
		r.table = kTableMain;
	return r;
}

namespace {

int rule_modify(Context &ctx, const Args &args, bool del)
{
	const RuleInfo r = parse_rule_args(ctx, args, del);
	GenlSocket &sock = rtnl_socket(ctx);
	GenlRequest req = sock.request(del ? CXNET_CMD_RULE_DEL : CXNET_CMD_RULE_ADD);

	put_rule(req, r);
	put_request_flags(req, ModifyCmd{del, del ? 0 : kNlmCreate | kNlmExcl});
	sock.transact(req, rtnl_policy(), [](const Reply &) {});
	return kExitOk;
}

struct RuleFilter {
	std::optional<uint32_t> pref;
	bool inv = false;
	std::optional<Prefix> src, dst;
	std::optional<uint8_t> tos;
	uint32_t fwmark = 0, fwmask = 0;
	std::optional<uint32_t> iif, oif;
	uint8_t ipproto = 0;
	std::pair<uint16_t, uint16_t> sport{0, 0}, dport{0, 0};
	uint32_t tb = 0;

	bool match(const RuleInfo &r) const
	{
		if (pref && *pref != r.pref.value_or(0))
			return false;
		if (inv && !(r.flags & kFibRuleInvert))
			return false;
		if (src && (src->len > r.src_len || (r.src && !inet_addr_match(*r.src, src->addr, src->len))))
			return false;
		if (dst && (dst->len > r.dst_len || (r.dst && !inet_addr_match(*r.dst, dst->addr, dst->len))))
			return false;
		if (tos && *tos != r.tos)
			return false;
		if (fwmark && fwmark != r.fwmark.value_or(0))
			return false;
		if (fwmask && fwmask != r.fwmask.value_or(0))
			return false;
		if (iif && *iif != r.iif.value_or(0))
			return false;
		if (oif && *oif != r.oif.value_or(0))
			return false;
		if (ipproto && ipproto != r.ipproto.value_or(0))
			return false;
		if (sport.first && (!r.sport || *r.sport != sport))
			return false;
		if (dport.first && (!r.dport || *r.dport != dport))
			return false;
		if (tb && tb != r.table)
			return false;
		return true;
	}
};

RuleFilter parse_rule_filter(const Context &ctx, const Args &args, size_t i)
{
	RuleFilter f;
	// ip lists IPv4 rules with AF_INET as the prefixes' family.
	(void)ctx;

	for (; i < args.size(); i++) {
		const std::string &a = args[i];

		if (matches(a, "preference") || matches(a, "order") || matches(a, "priority")) {
			const std::string &v = next_arg(args, i);
			uint32_t p;

			if (!get_u32(v, p))
				invarg("preference value is invalid\n", v);
			f.pref = p;
		} else if (a == "not") {
			f.inv = true;
		} else if (a == "tos" || a == "dsfield") {
			const std::string &v = next_arg(args, i);
			uint32_t t;

			if (!dsfield_a2n(v, t))
				invarg("TOS value is invalid\n", v);
			f.tos = static_cast<uint8_t>(t);
		} else if (a == "fwmark") {
			std::optional<uint32_t> mark, mask;

			parse_fwmark(next_arg(args, i), mark, mask);
			f.fwmark = mark.value_or(0);
			f.fwmask = mask.value_or(0);
		} else if (a == "dev" || a == "iif" || a == "oif") {
			const std::string &v = next_arg(args, i);

			if (!valid_ifname(v))
				invarg(a == "oif" ? "\"oif\" not a valid ifname" : "\"iif\"/\"dev\" not a valid ifname", v);
			// Rules name devices by index in cxnet: an unknown name matches none.
			(a == "oif" ? f.oif : f.iif) = ifname_to_index(v);
			if (!(a == "oif" ? f.oif : f.iif).value())
				(a == "oif" ? f.oif : f.iif) = UINT32_MAX;
		} else if (a == "l3mdev" || a == "uidrange" || matches(a, "tun_id")) {
			unsupported(a);
		} else if (matches(a, "lookup") || matches(a, "table")) {
			const std::string &v = next_arg(args, i);

			if (!rttable_a2n(v, f.tb))
				invarg("table id value is invalid\n", v);
		} else if (matches(a, "from") || matches(a, "src")) {
			const std::string &v = next_arg(args, i);
			Prefix p;

			if (!parse_prefix(v, Family::Inet, p))
				invarg("from value is invalid\n", v);
			f.src = p;
		} else if (matches(a, "protocol")) {
			const std::string &v = next_arg(args, i);

			if (v != "all")
				unsupported(a);
		} else if (a == "ipproto") {
			const std::string &v = next_arg(args, i);
			const int p = inet_proto_a2n(v);

			if (p < 0)
				invarg("Invalid \"ipproto\" value\n", v);
			f.ipproto = static_cast<uint8_t>(p);
		} else if (a == "sport" || a == "dport") {
			const std::string &v = next_arg(args, i);
			uint16_t s, e;

			if (!parse_port_range(v, s, e))
				invarg(a == "sport" ? "invalid port range\n" : "invalid dport range\n", v);
			(a == "sport" ? f.sport : f.dport) = std::make_pair(s, e);
		} else {
			const std::string *v = &a;
			Prefix p;

			if (matches(*v, "dst") || matches(*v, "to"))
				v = &next_arg(args, i);
			if (!parse_prefix(*v, Family::Inet, p))
				invarg("to value is invalid\n", *v);
			f.dst = p;
		}
	}
	return f;
}

std::vector<RuleInfo> dump_rules(GenlSocket &sock, const RuleFilter &f)
{
	GenlRequest req = sock.request(CXNET_CMD_RULE_GET, NLM_F_DUMP);
	std::vector<RuleInfo> out;

	sock.transact(req, rtnl_policy(), [&](const Reply &r) {
		if (r.cmd != CXNET_CMD_RULE_NEW)
			return;

		RuleInfo ri = parse_rule(r.attrs);

		if (f.match(ri))
			out.push_back(std::move(ri));
	});
	return out;
}

int rule_list(Context &ctx, const Args &args, size_t first, bool flush)
{
	const RuleFilter f = parse_rule_filter(ctx, args, first);
	GenlSocket &sock = rtnl_socket(ctx);
	const std::vector<RuleInfo> rules = dump_rules(sock, f);

	if (flush) {
		// flush_rule(): every matching rule but the one without a
		// priority (pref 0, lookup local).
		for (const RuleInfo &r : rules) {
			if (!r.pref)
				continue;

			GenlRequest req = sock.request(CXNET_CMD_RULE_DEL);

			put_rule(req, r);
			sock.transact(req, rtnl_policy(), [](const Reply &) {});
		}
		return kExitOk;
	}

	ShowOpts o;
	ListOutput out(ctx, std::cout);

	for (const RuleInfo &r : rules) {
		out.begin();
		print_rule(out.emitter(), r, o);
		out.end();
	}
	out.finish();
	return kExitOk;
}

}  // namespace

int do_rule(Context &ctx, const Args &args)
{
	if (args.empty())
		return rule_list(ctx, args, 0, false);

	const std::string &c = args[0];

	if (matches(c, "list") || matches(c, "lst") || matches(c, "show"))
		return rule_list(ctx, args, 1, false);
	if (matches(c, "add"))
		return rule_modify(ctx, args, false);
	if (matches(c, "delete"))
		return rule_modify(ctx, args, true);
	if (matches(c, "flush"))
		return rule_list(ctx, args, 1, true);
	if (matches(c, "help"))
		show_usage(usage_rule);
	unknown_command("rule", c);
}

}  // namespace cxip
