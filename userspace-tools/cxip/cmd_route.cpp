// SPDX-License-Identifier: GPL-2.0
// cxip route: cxnet's routing tables (ip route).
#include <arpa/inet.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "rtnl.h"

namespace cxip {

void usage_route(FILE *out)
{
	std::fprintf(out,
		     "Usage: cxip route { list | flush } SELECTOR\n"
		     "       cxip route get ADDRESS [ from ADDRESS iif STRING ]\n"
		     "                            [ oif STRING ] [ tos TOS ]\n"
		     "                            [ mark NUMBER ] [ ipproto PROTOCOL ]\n"
		     "                            [ sport NUMBER ] [ dport NUMBER ]\n"
		     "       cxip route { add | del | change | append | replace | prepend } ROUTE\n"
		     "SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]\n"
		     "            [ table TABLE_ID ] [ proto RTPROTO ]\n"
		     "            [ type TYPE ] [ scope SCOPE ] [ dev STRING ]\n"
		     "            [ via ADDRESS ] [ src ADDRESS ] [ metric NUMBER ]\n"
		     "ROUTE := NODE_SPEC [ INFO_SPEC ]\n"
		     "NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]\n"
		     "             [ table TABLE_ID ] [ proto RTPROTO ]\n"
		     "             [ scope SCOPE ] [ metric METRIC ]\n"
		     "INFO_SPEC := NH OPTIONS FLAGS [ nexthop NH ]...\n"
		     "NH := [ via ADDRESS ] [ dev STRING ] [ weight NUMBER ] NHFLAGS\n"
		     "OPTIONS := FLAGS [ mtu NUMBER ] [ src ADDRESS ]\n"
		     "TYPE := { unicast | local | broadcast | multicast | throw |\n"
		     "          unreachable | prohibit | blackhole | anycast }\n"
		     "TABLE_ID := [ local | main | default | all | NUMBER ]\n"
		     "SCOPE := [ host | link | global | NUMBER ]\n"
		     "NHFLAGS := [ onlink ]\n"
		     "RTPROTO := [ kernel | boot | static | NUMBER ]\n");
}

namespace {

Policy<CXNET_MP_A_MAX + 1> mp_policy()
{
	Policy<CXNET_MP_A_MAX + 1> p{};

	p[CXNET_MP_A_NEXTHOP].type = NLA_NESTED;
	return p;
}

Policy<CXNET_NH_A_MAX + 1> nh_policy()
{
	Policy<CXNET_NH_A_MAX + 1> p{};

	p[CXNET_NH_A_GATEWAY] = {NLA_U32, sizeof(uint32_t), 0};
	p[CXNET_NH_A_IFINDEX] = {NLA_U32, sizeof(uint32_t), 0};
	p[CXNET_NH_A_WEIGHT] = {NLA_U16, sizeof(uint16_t), 0};
	p[CXNET_NH_A_FLAGS] = {NLA_U8, sizeof(uint8_t), 0};
	return p;
}

template <typename T> void opt_u32(const Attrs &a, int type, std::optional<T> &out)
{
	if (a.has(type))
		out = a.u32(type);
}

// print_rt_flags(): "flags" is always an array in JSON.
void print_rt_flags(Emitter &e, uint8_t flags)
{
	static const std::pair<uint8_t, const char *> names[] = {
		{kRtnhDead, "dead"},     {kRtnhOnlink, "onlink"},       {kRtnhPervasive, "pervasive"},
		{kRtnhOffload, "offload"}, {kRtnhTrap, "trap"},         {kRtnhLinkdown, "linkdown"},
		{kRtnhUnresolved, "unresolved"},
	};

	e.open_array("flags");
	for (const auto &n : names)
		if (flags & n.first)
			e.elem(std::string(n.second) + " ", n.second);
	e.close_array();
}

// The RTCF_* flags of Linux's answer for the route type.
void print_cache_flags(Emitter &e, uint8_t type)
{
	std::vector<const char *> flags;

	if (type == kRtnLocal) {
		flags = {"local"};
	} else if (type == kRtnBroadcast) {
		flags = {"local", "brd"};
	} else if (type == kRtnMulticast) {
		flags = {"mc"};
	}
	e.open_array("cache");
	e.text(e.sl());
	e.text("    cache ");
	if (!flags.empty()) {
		e.text("<");
		for (size_t i = 0; i < flags.size(); i++)
			e.elem(std::string(flags[i]) + (i + 1 < flags.size() ? "," : "> "), flags[i]);
	}
	e.close_array();
}

}  // namespace

RouteInfo parse_route(const Attrs &a)
{
	RouteInfo r;

	if (a.has(CXNET_A_RT_TABLE))
		r.table = a.u32(CXNET_A_RT_TABLE);
	if (a.has(CXNET_A_RT_DST))
		r.dst = a.u32(CXNET_A_RT_DST);
	if (a.has(CXNET_A_RT_DST_LEN))
		r.dst_len = a.u8(CXNET_A_RT_DST_LEN);
	if (a.has(CXNET_A_RT_TOS))
		r.tos = a.u8(CXNET_A_RT_TOS);
	if (a.has(CXNET_A_RT_TYPE))
		r.type = a.u8(CXNET_A_RT_TYPE);
	if (a.has(CXNET_A_RT_SCOPE))
		r.scope = a.u8(CXNET_A_RT_SCOPE);
	if (a.has(CXNET_A_RT_PROTOCOL))
		r.protocol = a.u8(CXNET_A_RT_PROTOCOL);
	opt_u32(a, CXNET_A_RT_PRIORITY, r.priority);
	opt_u32(a, CXNET_A_RT_PREFSRC, r.prefsrc);
	opt_u32(a, CXNET_A_RT_MTU, r.mtu);
	opt_u32(a, CXNET_A_RT_GATEWAY, r.gateway);
	opt_u32(a, CXNET_A_RT_OIF, r.oif);
	if (a.has(CXNET_A_RT_NH_FLAGS))
		r.nh_flags = a.u8(CXNET_A_RT_NH_FLAGS);
	if (a.has(CXNET_A_RT_MULTIPATH)) {
		static const auto mpol = mp_policy();
		static const auto npol = nh_policy();

		for (const nlattr *n : parse_nested_list(a.get(CXNET_A_RT_MULTIPATH), CXNET_MP_A_NEXTHOP, mpol)) {
			const Attrs na = parse_nested(n, npol);
			NextHop nh;

			opt_u32(na, CXNET_NH_A_GATEWAY, nh.gateway);
			if (na.has(CXNET_NH_A_IFINDEX))
				nh.ifindex = na.u32(CXNET_NH_A_IFINDEX);
			if (na.has(CXNET_NH_A_WEIGHT))
				nh.weight = na.u16(CXNET_NH_A_WEIGHT);
			if (na.has(CXNET_NH_A_FLAGS))
				nh.flags = na.u8(CXNET_NH_A_FLAGS);
			r.nexthops.push_back(nh);
		}
	}
	opt_u32(a, CXNET_A_RT_SRC, r.src);
	opt_u32(a, CXNET_A_RT_IIF, r.iif);
	opt_u32(a, CXNET_A_RT_MARK, r.mark);
	opt_u32(a, CXNET_A_RT_RULE_PREF, r.rule_pref);
	return r;
}

void print_route(Emitter &e, const RouteInfo &r, const RoutePrintOpts &p, const ShowOpts &o)
{
	if (r.type != kRtnUnicast) {
		const std::string t = rtntype_n2a(r.type);

		e.any("type", t + " ", t);
	}

	// Linux sends no RTA_DST for a /0: ip prints "default".
	std::string dst = "default";

	if (p.cloned || r.dst_len == 32)
		dst = ipv4_n2a(r.dst);
	else if (r.dst_len)
		dst = ipv4_n2a(r.dst) + sfmt("/%u", r.dst_len);
	e.any("dst", dst + " ", dst);
	if (r.src) {
		const std::string s = ipv4_n2a(*r.src);

		e.any("from", "from " + s + " ", s);
	}
	if (r.tos && !p.hide_tos) {
		const std::string t = dsfield_n2a(r.tos);

		e.any("tos", "tos " + t + " ", t);
	}
	if (r.gateway && !p.hide_via) {
		const std::string g = ipv4_n2a(*r.gateway);

		e.any("gateway", "via " + g + " ", g);
	}
	if (r.oif && !p.hide_dev) {
		const std::string d = o.ifname(*r.oif);

		e.any("dev", "dev " + d + " ", d);
	}
	if (r.table && r.table != kTableMain && !p.filter_table) {
		const std::string t = rttable_n2a(r.table);

		e.any("table", "table " + t + " ", t);
	}
	if (!p.cloned) {
		if (r.protocol != kProtBoot && !p.hide_proto) {
			const std::string s = rtprot_n2a(r.protocol);

			e.any("protocol", "proto " + s + " ", s);
		}
		if (r.scope != kScopeUniverse && !p.hide_scope) {
			const std::string s = rtscope_n2a(r.scope);

			e.any("scope", "scope " + s + " ", s);
		}
	}
	if (r.prefsrc && !p.hide_prefsrc) {
		const std::string s = ipv4_n2a(*r.prefsrc);

		e.any("prefsrc", "src " + s + " ", s);
	}
	// Linux reports RTA_PRIORITY only when nonzero.
	if (r.priority && *r.priority && !p.hide_metric)
		e.any("metric", sfmt("metric %u ", *r.priority), *r.priority);
	print_rt_flags(e, r.nh_flags);
	if (r.mark && *r.mark) {
		e.js("mark", *r.mark);
		e.text(*r.mark >= 16 ? sfmt("mark 0x%x ", *r.mark) : sfmt("mark %u ", *r.mark));
	}
	if (p.uid)
		e.any("uid", sfmt("uid %u ", *p.uid), *p.uid);
	if (p.cloned)
		print_cache_flags(e, r.type);
	if (r.mtu && *r.mtu) {
		e.open_array("metrics");
		e.open_object();
		e.text("mtu ");
		e.any("mtu", sfmt("%u ", *r.mtu), *r.mtu);
		e.close_object();
		e.close_array();
	}
	if (r.iif) {
		const std::string d = o.ifname(*r.iif);

		e.any("iif", "iif " + d + " ", d);
	}
	if (!r.nexthops.empty()) {
		e.open_array("nexthops");
		for (const NextHop &nh : r.nexthops) {
			e.open_object();
			e.text(e.sl());
			e.text("\tnexthop ");
			if (nh.gateway) {
				const std::string g = ipv4_n2a(*nh.gateway);

				e.any("gateway", "via " + g + " ", g);
			}

			const std::string d = o.ifname(nh.ifindex);

			e.any("dev", "dev " + d + " ", d);
			e.any("weight", sfmt("weight %d ", nh.weight), static_cast<int>(nh.weight));
			print_rt_flags(e, nh.flags);
			e.close_object();
		}
		e.close_array();
	}
	e.text("\n");
}

void put_route(GenlRequest &req, const RouteInfo &r, bool has_dst)
{
	req.put_u32(CXNET_A_RT_TABLE, r.table);
	if (has_dst)
		req.put_be32(CXNET_A_RT_DST, r.dst);
	req.put_u8(CXNET_A_RT_DST_LEN, r.dst_len);
	req.put_u8(CXNET_A_RT_TOS, r.tos);
	req.put_u8(CXNET_A_RT_TYPE, r.type);
	req.put_u8(CXNET_A_RT_SCOPE, r.scope);
	req.put_u8(CXNET_A_RT_PROTOCOL, r.protocol);
	if (r.priority)
		req.put_u32(CXNET_A_RT_PRIORITY, *r.priority);
	if (r.prefsrc)
		req.put_be32(CXNET_A_RT_PREFSRC, *r.prefsrc);
	if (r.mtu)
		req.put_u32(CXNET_A_RT_MTU, *r.mtu);
	if (r.gateway)
		req.put_be32(CXNET_A_RT_GATEWAY, *r.gateway);
	if (r.oif)
		req.put_u32(CXNET_A_RT_OIF, *r.oif);
	if (r.nh_flags)
		req.put_u8(CXNET_A_RT_NH_FLAGS, r.nh_flags);
	if (!r.nexthops.empty()) {
		nlattr *mp = req.nest_start(CXNET_A_RT_MULTIPATH);

		for (const NextHop &nh : r.nexthops) {
			nlattr *n = req.nest_start(CXNET_MP_A_NEXTHOP);

			if (nh.gateway)
				req.put_be32(CXNET_NH_A_GATEWAY, *nh.gateway);
			if (nh.ifindex)
				req.put_u32(CXNET_NH_A_IFINDEX, nh.ifindex);
			req.put_u16(CXNET_NH_A_WEIGHT, nh.weight);
			if (nh.flags)
				req.put_u8(CXNET_NH_A_FLAGS, nh.flags);
			req.nest_end(n);
		}
		req.nest_end(mp);
	}
}

namespace {

[[noreturn]] void unsupported(const std::string &arg)
{
	invarg("not supported by cxnet\n", arg);
}

// `via [ FAMILY ] ADDRESS` (read_family(): only inet here).
uint32_t parse_via(const Args &args, size_t &i, Family fam)
{
	const std::string *v = &next_arg(args, i);

	if (*v == "inet") {
		v = &next_arg(args, i);
	} else if (*v == "inet6" || *v == "mpls" || *v == "bridge" || *v == "link" || *v == "ipx" ||
		   *v == "dnet") {
		unsupported(*v);
	}
	return get_addr(*v, fam);
}

// parse_nexthops(): "nexthop NH" up to the end of the line.
std::vector<NextHop> parse_nexthops(const Args &args, size_t i, Family fam)
{
	std::vector<NextHop> out;

	while (i < args.size()) {
		if (args[i] != "nexthop")
			throw Failure(kExitUsage,
				      "Error: \"nexthop\" or end of line is expected instead of \"" + args[i] + "\"");
		if (i + 1 >= args.size())
			throw Failure(kExitUsage, "Error: unexpected end of line after \"nexthop\"");

		NextHop nh;

		for (i++; i < args.size(); i++) {
			const std::string &a = args[i];

			if (a == "via") {
				nh.gateway = parse_via(args, i, fam);
			} else if (a == "dev") {
				const std::string &d = next_arg(args, i);

				nh.ifindex = ifname_to_index(d);
				if (!nh.ifindex)
					throw Failure(kExitUsage, "Cannot find device \"" + d +
									  "\"\nError: cannot parse nexthop");
			} else if (a == "weight") {
				const std::string &w = next_arg(args, i);
				uint32_t v;

				if (!get_u32(w, v) || v == 0 || v > 256)
					invarg("\"weight\" is invalid\n", w);
				nh.weight = static_cast<uint16_t>(v);
			} else if (a == "onlink") {
				nh.flags |= kRtnhOnlink;
			} else if (matches(a, "realms") || a == "encap" || a == "as") {
				unsupported(a);
			} else {
				break;
			}
		}
		out.push_back(nh);
	}
	if (out.size() > CXNET_MULTIPATH_MAX)
		invarg(sfmt("at most %d nexthops are supported\n", CXNET_MULTIPATH_MAX), "nexthop");
	return out;
}

}  // namespace

RouteRequest parse_route_args(const Context &ctx, const Args &args, bool del)
{
	const Family fam = ctx.inet ? Family::Inet : Family::Unspec;
	RouteInfo r;
	std::string dev;
	bool gw_ok = false, dst_ok = false, nhs_ok = false, scope_ok = false, table_ok = false;
	bool has_dst = false;
	size_t i = 1;

	r.table = kTableMain;
	if (del) {
		r.protocol = kProtUnspec;
		r.scope = kScopeNowhere;
		r.type = kRtnUnspec;
	} else {
		r.protocol = kProtBoot;
		r.scope = kScopeUniverse;
		r.type = kRtnUnicast;
	}

	// The keywords of iproute_modify(), in its order (prefixes matter).
	for (; i < args.size(); i++) {
		const std::string &a = args[i];

		if (a == "src") {
			r.prefsrc = get_addr(next_arg(args, i), fam);
		} else if (a == "as") {
			unsupported(a);
		} else if (a == "via") {
			if (gw_ok)
				invarg("use nexthop syntax to specify multiple via\n", a);
			gw_ok = true;
			r.gateway = parse_via(args, i, fam);
		} else if (a == "from") {
			unsupported(a);
		} else if (a == "tos" || matches(a, "dsfield")) {
			const std::string &v = next_arg(args, i);
			uint32_t tos;

			if (!dsfield_a2n(v, tos))
				invarg("\"tos\" value is invalid\n", v);
			r.tos = static_cast<uint8_t>(tos);
		} else if (a == "expires") {
			unsupported(a);
		} else if (matches(a, "metric") || matches(a, "priority") || a == "preference") {
			const std::string &v = next_arg(args, i);
			uint32_t m;

			if (!get_u32(v, m))
				invarg("\"metric\" value is invalid\n", v);
			r.priority = m;
		} else if (a == "scope") {
			const std::string &v = next_arg(args, i);
			uint32_t s;

			if (!rtscope_a2n(v, s))
				invarg("invalid \"scope\" value\n", v);
			r.scope = static_cast<uint8_t>(s);
			scope_ok = true;
		} else if (a == "mtu") {
			const std::string *v = &next_arg(args, i);
			uint32_t mtu;

			if (*v == "lock")  // cxnet keeps no path MTU state to lock
				v = &next_arg(args, i);
			if (!get_u32(*v, mtu))
				invarg("\"mtu\" value is invalid\n", *v);
			r.mtu = mtu;
		} else if (a == "hoplimit" || a == "advmss" || matches(a, "reordering") || a == "rtt" ||
			   a == "rto_min" || matches(a, "window") || matches(a, "cwnd") || matches(a, "initcwnd") ||
			   matches(a, "initrwnd") || matches(a, "features") || matches(a, "quickack") ||
			   matches(a, "congctl") || matches(a, "rttvar") || matches(a, "ssthresh") ||
			   matches(a, "realms")) {
			unsupported(a);
		} else if (a == "onlink") {
			r.nh_flags |= kRtnhOnlink;
		} else if (a == "nexthop") {
			nhs_ok = true;
			break;
		} else if (a == "nhid") {
			unsupported(a);
		} else if (matches(a, "protocol")) {
			const std::string &v = next_arg(args, i);
			uint32_t p;

			if (!rtprot_a2n(v, p))
				invarg("\"protocol\" value is invalid\n", v);
			r.protocol = static_cast<uint8_t>(p);
		} else if (matches(a, "table")) {
			const std::string &v = next_arg(args, i);

			if (!rttable_a2n(v, r.table))
				invarg("\"table\" value is invalid\n", v);
			table_ok = true;
		} else if (matches(a, "vrf")) {
			unsupported(a);
		} else if (a == "dev" || a == "oif") {
			dev = next_arg(args, i);
		} else if (matches(a, "pref") || a == "encap" || a == "ttl-propagate" ||
			   matches(a, "fastopen_no_cookie")) {
			unsupported(a);
		} else {
			const std::string *v = &a;
			uint32_t type;

			if (*v == "to")
				v = &next_arg(args, i);
			if (!v->empty() && ((*v)[0] < '0' || (*v)[0] > '9') && rtntype_a2n(*v, type)) {
				v = &next_arg(args, i);
				r.type = static_cast<uint8_t>(type);
			}
			if (matches(*v, "help"))
				show_usage(usage_route);
			if (dst_ok)
				duparg2("to", *v);

			const Prefix p = get_prefix(*v, fam);

			r.dst = p.addr;
			r.dst_len = static_cast<uint8_t>(p.len);
			has_dst = p.has_addr;
			dst_ok = true;
		}
	}
	if (!dst_ok)
		show_usage(usage_route);
	if (!dev.empty())
		r.oif = get_ifindex(dev);
	if (nhs_ok)
		r.nexthops = parse_nexthops(args, i, fam);

	if (!table_ok && (r.type == kRtnLocal || r.type == kRtnBroadcast || r.type == kRtnNat ||
			  r.type == kRtnAnycast))
		r.table = kTableLocal;
	if (!scope_ok) {
		if (r.type == kRtnLocal || r.type == kRtnNat)
			r.scope = kScopeHost;
		else if (r.type == kRtnBroadcast || r.type == kRtnMulticast || r.type == kRtnAnycast)
			r.scope = kScopeLink;
		else if (r.type == kRtnUnicast || r.type == kRtnUnspec) {
			if (del)
				r.scope = kScopeNowhere;
			else if (!gw_ok && !nhs_ok)
				r.scope = kScopeLink;
		}
	}

	return RouteRequest{r, has_dst};
}

namespace {

int route_modify(Context &ctx, const Args &args, const ModifyCmd &m)
{
	const RouteRequest rr = parse_route_args(ctx, args, m.del);
	GenlSocket &sock = rtnl_socket(ctx);
	GenlRequest req = sock.request(m.del ? CXNET_CMD_ROUTE_DEL : CXNET_CMD_ROUTE_ADD);

	put_route(req, rr.r, rr.has_dst);
	put_request_flags(req, m);
	sock.transact(req, rtnl_policy(), [](const Reply &) {});
	return kExitOk;
}

/* show / flush */

struct RouteFilter {
	uint32_t tb = kTableMain;
	uint8_t protocol = 0, protocolmask = 0;
	uint8_t scope = 0, scopemask = 0;
	uint32_t typemask = 0;
	uint8_t tos = 0, tosmask = 0;
	uint32_t oif = 0;
	bool oifmask = false;
	std::optional<uint32_t> metric;
	std::optional<Prefix> rvia, rprefsrc, rdst, mdst;
	bool cloned = false;

	bool match(const RouteInfo &r) const
	{
		if (cloned)
			return false;  // cxnet keeps no route cache
		if (tb > 0 && tb != r.table)
			return false;
		if ((protocol ^ r.protocol) & protocolmask)
			return false;
		if ((scope ^ r.scope) & scopemask)
			return false;
		if (typemask && !(typemask & (1u << r.type)))
			return false;
		if ((tos ^ r.tos) & tosmask)
			return false;
		if (rdst && (rdst->len > r.dst_len || !inet_addr_match(r.dst, rdst->addr, rdst->len)))
			return false;
		if (mdst && (mdst->len < r.dst_len || !inet_addr_match(r.dst, mdst->addr, r.dst_len)))
			return false;
		if (rvia && rvia->len > 0 && !inet_addr_match(r.gateway.value_or(0), rvia->addr, rvia->len))
			return false;
		if (rprefsrc && rprefsrc->len > 0 && !inet_addr_match(r.prefsrc.value_or(0), rprefsrc->addr, rprefsrc->len))
			return false;
		if (oifmask && r.oif.value_or(0) != oif)
			return false;
		if (metric && r.priority.value_or(0) != *metric)
			return false;
		return true;
	}
};

RouteFilter parse_route_filter(const Context &ctx, const Args &args, size_t i)
{
	const Family fam = ctx.inet ? Family::Inet : Family::Unspec;
	RouteFilter f;
	std::string od;

	for (; i < args.size(); i++) {
		const std::string &a = args[i];

		if (matches(a, "table")) {
			const std::string &v = next_arg(args, i);
			uint32_t tid;

			if (rttable_a2n(v, tid))
				f.tb = tid;
			else if (v == "all")
				f.tb = 0;
			else if (v == "cache")
				f.cloned = true;
			else if (v == "help")
				show_usage(usage_route);
			else
				invarg("table id value is invalid\n", v);
		} else if (matches(a, "vrf")) {
			unsupported(a);
		} else if (matches(a, "cached") || matches(a, "cloned")) {
			f.cloned = true;
		} else if (a == "tos" || matches(a, "dsfield")) {
			const std::string &v = next_arg(args, i);
			uint32_t tos;

			if (!dsfield_a2n(v, tos))
				invarg("TOS value is invalid\n", v);
			f.tos = static_cast<uint8_t>(tos);
			f.tosmask = 0xff;
		} else if (matches(a, "protocol")) {
			const std::string &v = next_arg(args, i);
			uint32_t p = 0;

			f.protocolmask = 0xff;
			if (!rtprot_a2n(v, p)) {
				if (v != "all")
					invarg("invalid \"protocol\"\n", v);
				p = 0;
				f.protocolmask = 0;
			}
			f.protocol = static_cast<uint8_t>(p);
		} else if (matches(a, "scope")) {
			const std::string &v = next_arg(args, i);
			uint32_t s = 0;

			f.scopemask = 0xff;
			if (!rtscope_a2n(v, s)) {
				if (v != "all")
					invarg("invalid \"scope\"\n", v);
				s = kScopeNowhere;
				f.scopemask = 0;
			}
			f.scope = static_cast<uint8_t>(s);
		} else if (matches(a, "type")) {
			const std::string &v = next_arg(args, i);
			uint32_t t;

			if (!rtntype_a2n(v, t) || t > 31)
				invarg("node type value is invalid\n", v);
			f.typemask = 1u << t;
		} else if (a == "dev" || a == "oif") {
			od = next_arg(args, i);
		} else if (a == "iif" || a == "mark" || matches(a, "realms") || matches(a, "from")) {
			unsupported(a);
		} else if (matches(a, "metric") || matches(a, "priority") || a == "preference") {
			const std::string &v = next_arg(args, i);
			uint32_t m;

			if (!get_u32(v, m))
				invarg("\"metric\" value is invalid\n", v);
			f.metric = m;
		} else if (a == "via") {
			const std::string *v = &next_arg(args, i);

			if (*v == "inet")
				v = &next_arg(args, i);
			f.rvia = get_prefix(*v, fam);
		} else if (a == "src") {
			f.rprefsrc = get_prefix(next_arg(args, i), fam);
		} else {
			const std::string *v = &a;

			if (matches(*v, "to"))
				v = &next_arg(args, i);
			if (matches(*v, "root")) {
				f.rdst = get_prefix(next_arg(args, i), fam);
			} else if (matches(*v, "match")) {
				f.mdst = get_prefix(next_arg(args, i), fam);
			} else {
				if (matches(*v, "exact"))
					v = &next_arg(args, i);
				f.mdst = get_prefix(*v, fam);
				f.rdst = f.mdst;
			}
		}
	}
	if (!od.empty()) {
		f.oif = get_ifindex(od);
		f.oifmask = true;
	}
	return f;
}

std::vector<RouteInfo> dump_routes(GenlSocket &sock, const RouteFilter &f)
{
	GenlRequest req = sock.request(CXNET_CMD_ROUTE_GET, NLM_F_DUMP);
	std::vector<RouteInfo> out;

	if (f.tb)
		req.put_u32(CXNET_A_RT_TABLE, f.tb);
	sock.transact(req, rtnl_policy(), [&](const Reply &r) {
		if (r.cmd != CXNET_CMD_ROUTE_NEW)
			return;

		RouteInfo ri = parse_route(r.attrs);

		if (f.match(ri))
			out.push_back(std::move(ri));
	});
	return out;
}

int route_show(Context &ctx, const Args &args, size_t first)
{
	const RouteFilter f = parse_route_filter(ctx, args, first);
	GenlSocket &sock = rtnl_socket(ctx);
	const std::vector<RouteInfo> routes = dump_routes(sock, f);
	RoutePrintOpts p;
	ShowOpts o;
	ListOutput out(ctx, std::cout);

	p.filter_table = f.tb;
	p.hide_dev = f.oifmask;
	p.hide_proto = f.protocolmask == 0xff;
	p.hide_scope = f.scopemask == 0xff;
	p.hide_tos = f.tosmask == 0xff;
	p.hide_via = f.rvia && f.rvia->len == 32;
	p.hide_prefsrc = f.rprefsrc && f.rprefsrc->len == 32;
	p.hide_metric = f.metric.has_value();
	for (const RouteInfo &r : routes) {
		out.begin();
		print_route(out.emitter(), r, p, o);
		out.end();
	}
	out.finish();
	return kExitOk;
}

int route_flush(Context &ctx, const Args &args)
{
	if (args.size() <= 1)
		fail("\"ip route flush\" requires arguments.");

	const RouteFilter f = parse_route_filter(ctx, args, 1);
	GenlSocket &sock = rtnl_socket(ctx);
	int round = 0;

	if (f.cloned)
		return kExitOk;  // no route cache to flush
	for (; round < 30; round++) {
		const std::vector<RouteInfo> victims = dump_routes(sock, f);

		if (victims.empty()) {
			if (ctx.stats) {
				if (round == 0)
					std::printf("Nothing to flush.\n");
				else
					std::printf("*** Flush is complete after %d round%s ***\n", round, round > 1 ? "s" : "");
			}
			std::fflush(stdout);
			return kExitOk;
		}
		for (const RouteInfo &r : victims) {
			GenlRequest req = sock.request(CXNET_CMD_ROUTE_DEL);

			put_route(req, r, r.dst_len != 0);
			try {
				sock.transact(req, rtnl_policy(), [](const Reply &) {});
			} catch (const NetlinkError &err) {
				if (err.error() != ESRCH && err.error() != ENOENT)  // gone meanwhile
					throw;
			}
		}
		if (ctx.stats) {
			std::printf("\n*** Round %d, deleting %zu entries ***\n", round + 1, victims.size());
			std::fflush(stdout);
		}
	}
	std::printf("\n*** Flush not completed after %d rounds ***\n", round);
	return kExitFail;
}

int route_get(Context &ctx, const Args &args)
{
	const Family fam = ctx.inet ? Family::Inet : Family::Unspec;
	std::string idev, odev;
	std::optional<Prefix> dst, from;
	uint32_t mark = 0;
	uint8_t tos = 0;
	std::optional<uint8_t> ipproto;
	std::optional<uint16_t> sport, dport;

	for (size_t i = 1; i < args.size(); i++) {
		const std::string &a = args[i];

		if (a == "tos" || matches(a, "dsfield")) {
			const std::string &v = next_arg(args, i);
			uint32_t t;

			if (!dsfield_a2n(v, t))
				invarg("TOS value is invalid\n", v);
			tos = static_cast<uint8_t>(t);
		} else if (matches(a, "from")) {
			const std::string &v = next_arg(args, i);

			if (matches(v, "help"))
				show_usage(usage_route);
			from = get_prefix(v, fam);
		} else if (matches(a, "iif")) {
			idev = next_arg(args, i);
		} else if (matches(a, "mark")) {
			const std::string &v = next_arg(args, i);

			if (!get_u32(v, mark))
				invarg("invalid mark value", v);
		} else if (matches(a, "oif") || a == "dev") {
			odev = next_arg(args, i);
		} else if (matches(a, "notify") || matches(a, "connected") || matches(a, "vrf") ||
			   matches(a, "uid") || matches(a, "fibmatch") || a == "as") {
			unsupported(a);
		} else if (matches(a, "sport") || matches(a, "dport")) {
			const std::string &v = next_arg(args, i);
			uint16_t port;

			if (!get_u16(v, port))
				invarg(matches(a, "sport") ? "invalid sport\n" : "invalid dport\n", v);
			(matches(a, "sport") ? sport : dport) = port;
		} else if (matches(a, "ipproto")) {
			const std::string &v = next_arg(args, i);
			const int p = inet_proto_a2n(v);

			if (p < 0)
				invarg("Invalid \"ipproto\" value\n", v);
			ipproto = static_cast<uint8_t>(p);
		} else {
			const std::string *v = &a;

			if (*v == "to")
				v = &next_arg(args, i);
			if (matches(*v, "help"))
				show_usage(usage_route);
			dst = get_prefix(*v, fam);
			if (dst->len != 32)
				std::fprintf(stderr, "Warning: /%u as prefix is invalid, only /32 (or none) is supported.\n",
					     dst->len);
		}
	}
	if (!dst)
		fail("need at least a destination address");

	RouteInfo q;

	q.dst = dst->addr;
	if (from && from->has_addr)
		q.src = from->addr;
	if (!idev.empty())
		q.iif = get_ifindex(idev);
	if (!odev.empty())
		q.oif = get_ifindex(odev);

	GenlSocket &sock = rtnl_socket(ctx);
	GenlRequest req = sock.request(CXNET_CMD_ROUTE_GET);
	std::optional<RouteInfo> answer;

	if (dst->has_addr)
		req.put_be32(CXNET_A_RT_DST, q.dst);
	if (q.src)
		req.put_be32(CXNET_A_RT_SRC, *q.src);
	if (q.iif)
		req.put_u32(CXNET_A_RT_IIF, *q.iif);
	if (q.oif)
		req.put_u32(CXNET_A_RT_OIF, *q.oif);
	if (mark)
		req.put_u32(CXNET_A_RT_MARK, mark);
	if (tos)
		req.put_u8(CXNET_A_RT_TOS, tos);
	if (ipproto)
		req.put_u8(CXNET_A_RT_IPPROTO, *ipproto);
	if (sport)
		req.put_u16(CXNET_A_RT_SPORT, *sport);
	if (dport)
		req.put_u16(CXNET_A_RT_DPORT, *dport);
	try {
		sock.transact(req, rtnl_policy(), [&](const Reply &r) {
			if (r.cmd == CXNET_CMD_ROUTE_NEW)
				answer = parse_route(r.attrs);
		});
	} catch (const NetlinkError &err) {
		// Linux answers lookup failures without an extack message.
		const int e = err.error();

		if (e == ENETUNREACH || e == EHOSTUNREACH || e == EACCES)
			throw NetlinkError(e, ExtAck{}, kRtnetlinkAnswers);
		throw;
	}
	if (!answer)
		malformed("no answer to CXNET_CMD_ROUTE_GET");

	// The answer as Linux's rt_fill_info() shapes it: the flow's
	// addresses, no preferred source for input routes or when it is
	// the given source.
	RouteInfo &r = *answer;
	RoutePrintOpts p;
	ShowOpts o;

	r.dst = q.dst;
	r.dst_len = 32;
	r.src = q.src;
	r.iif = q.iif;
	if (mark && !r.mark)
		r.mark = mark;
	if (r.iif || (r.prefsrc && r.src && *r.prefsrc == *r.src))
		r.prefsrc.reset();
	r.priority.reset();
	r.nexthops.clear();
	p.filter_table = 0;
	p.cloned = true;
	if (!r.iif)
		p.uid = static_cast<uint32_t>(getuid());

	ListOutput out(ctx, std::cout);

	out.begin();
	print_route(out.emitter(), r, p, o);
	out.end();
	out.finish();
	return kExitOk;
}

}  // namespace

int do_route(Context &ctx, const Args &args)
{
	if (args.empty())
		return route_show(ctx, args, 0);

	const std::string &c = args[0];

	if (const auto m = modify_command(c, true))
		return route_modify(ctx, args, *m);
	if (matches(c, "list") || matches(c, "show") || matches(c, "lst"))
		return route_show(ctx, args, 1);
	if (matches(c, "get"))
		return route_get(ctx, args);
	if (matches(c, "flush"))
		return route_flush(ctx, args);
	if (matches(c, "help"))
		show_usage(usage_route);
	unknown_command("route", c);
}

}  // namespace cxip
