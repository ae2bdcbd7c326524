// SPDX-License-Identifier: GPL-2.0
// cxip address: IPv4 addresses of attached links (ip address).
#include <arpa/inet.h>
#include <fnmatch.h>

#include <algorithm>
#include <cerrno>
#include <iostream>

#include "rtnl.h"

namespace cxip {

void usage_addr(FILE *out)
{
	std::fprintf(out,
		     "Usage: cxip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]\n"
		     "                                                      [ CONFFLAG-LIST ]\n"
		     "       cxip address del IFADDR dev IFNAME\n"
		     "       cxip address {show|flush} [ dev IFNAME ] [ scope SCOPE-ID ]\n"
		     "                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]\n"
		     "IFADDR := PREFIX [ broadcast ADDR ] [ label IFNAME ] [ scope SCOPE-ID ]\n"
		     "SCOPE-ID := [ host | link | global | NUMBER ]\n"
		     "FLAG-LIST := [ FLAG-LIST ] FLAG\n"
		     "FLAG  := [ permanent | dynamic | secondary | primary ]\n"
		     "LIFETIME := [ valid_lft forever ] [ preferred_lft forever ]\n"
		     "ADDR := IPv4 address; broadcast + or - computes it from the prefix.\n");
}

namespace {

// ip's ifa_flag_data[] (names and masks), for filters and warnings.
struct IfaFlag {
	const char *name;
	uint32_t mask;
	bool readonly;
	bool v6only;
};
const IfaFlag kIfaFlags[] = {
	{"secondary", 0x01, true, false},  {"temporary", 0x01, true, false},
	{"nodad", 0x02, false, true},      {"optimistic", 0x04, false, true},
	{"dadfailed", 0x08, true, true},   {"home", 0x10, false, true},
	{"deprecated", 0x20, true, true},  {"tentative", 0x40, true, true},
	{"permanent", 0x80, true, true},   {"mngtmpaddr", 0x100, false, true},
	{"noprefixroute", 0x200, false, false}, {"autojoin", 0x400, false, false},
	{"stable-privacy", 0x800, true, true},
};

const IfaFlag *find_flag(const std::string &name)
{
	for (const IfaFlag &f : kIfaFlags)
		if (name == f.name)
			return &f;
	return nullptr;
}

}  // namespace

AddrInfo parse_addr(const Attrs &a)
{
	AddrInfo ad;

	ad.ifindex = a.u32(CXNET_A_IFINDEX);
	ad.local = a.u32(CXNET_A_ADDR_LOCAL);
	if (a.has(CXNET_A_ADDR_PREFIXLEN))
		ad.prefixlen = a.u8(CXNET_A_ADDR_PREFIXLEN);
	if (a.has(CXNET_A_ADDR_BROADCAST))
		ad.broadcast = a.u32(CXNET_A_ADDR_BROADCAST);
	if (a.has(CXNET_A_ADDR_SCOPE))
		ad.scope = a.u8(CXNET_A_ADDR_SCOPE);
	if (a.has(CXNET_A_ADDR_LABEL))
		ad.label = a.str(CXNET_A_ADDR_LABEL);
	if (a.has(CXNET_A_ADDR_FLAGS))
		ad.flags = a.u32(CXNET_A_ADDR_FLAGS);
	return ad;
}

void print_addr(Emitter &e, const AddrInfo &a, const ShowOpts &o, bool index_prefix)
{
	const std::string dev = o.ifname(a.ifindex);

	if (index_prefix) {
		e.js("index", a.ifindex);
		e.js("dev", dev);
		e.text(sfmt("%u: %s", a.ifindex, dev.c_str()));
	}
	e.any("family", "    inet ", "inet");

	const std::string local = ipv4_n2a(a.local);

	e.any("local", local, local);
	e.any("prefixlen", sfmt("/%d ", a.prefixlen), static_cast<int>(a.prefixlen));
	if (a.broadcast) {
		const std::string brd = ipv4_n2a(*a.broadcast);

		e.text("brd ");
		e.any("broadcast", brd + " ", brd);
	}

	const std::string scope = rtscope_n2a(a.scope);

	e.any("scope", "scope " + scope + " ", scope);

	// print_ifa_flags()
	uint32_t flags = a.flags;

	for (const IfaFlag &f : kIfaFlags) {
		if (f.mask == kIfaPermanent) {
			if (!(flags & f.mask))
				e.any("dynamic", "dynamic ", true);
		} else if (flags & f.mask) {
			e.text(std::string(f.name) + " ");
			e.js(f.name, true);
		}
		flags &= ~f.mask;
	}
	if (flags) {
		e.text(sfmt("flags %02x ", flags));
		e.js("ifa_flags", sfmt("%02x", flags));
	}

	// Linux always reports the label; cxnet's defaults to the device.
	const std::string label = a.label ? *a.label : dev;

	e.any("label", label, label);
	// cxnet addresses have no lifetimes: IFA_CACHEINFO as Linux reports permanent ones.
	e.nl();
	e.text("       valid_lft forever preferred_lft forever");
	e.js("valid_life_time", uint32_t{0xffffffffu});
	e.js("preferred_life_time", uint32_t{0xffffffffu});
	e.text("\n");
}

namespace {

struct AddrFilter {
	uint32_t ifindex = 0;
	uint8_t scope = 0, scopemask = 0;
	uint32_t flags = 0, flagmask = 0;
	std::string label;
	std::optional<Prefix> pfx;
	bool up = false;

	bool match(const AddrInfo &a, const ShowOpts &o) const
	{
		if (ifindex && a.ifindex != ifindex)
			return false;
		if ((scope ^ a.scope) & scopemask)
			return false;
		if ((flags ^ a.flags) & flagmask)
			return false;
		if (!label.empty()) {
			const std::string l = a.label ? *a.label : o.ifname(a.ifindex);

			if (fnmatch(label.c_str(), l.c_str(), 0) != 0)
				return false;
		}
		if (pfx && pfx->has_addr && !inet_addr_match(a.local, pfx->addr, pfx->len))
			return false;
		return true;
	}
};

// get_filter(): a flag name, "-name" for its absence; dynamic/primary invert.
bool parse_flag_filter(std::string arg, AddrFilter &f)
{
	bool inv = false;

	if (!arg.empty() && arg[0] == '-') {
		inv = true;
		arg.erase(0, 1);
	}
	if (arg == "dynamic") {
		inv = !inv;
		arg = "permanent";
	} else if (arg == "primary") {
		inv = !inv;
		arg = "secondary";
	}

	const IfaFlag *fl = find_flag(arg);

	if (!fl)
		return false;
	if (inv)
		f.flags &= ~fl->mask;
	else
		f.flags |= fl->mask;
	f.flagmask |= fl->mask;
	return true;
}

AddrFilter parse_filter(const Context &ctx, const Args &args, size_t i)
{
	AddrFilter f;
	std::string dev;

	for (; i < args.size(); i++) {
		const std::string &a = args[i];

		if (a == "to") {
			f.pfx = get_prefix(next_arg(args, i), ctx.inet ? Family::Inet : Family::Unspec);
		} else if (a == "scope") {
			uint32_t scope;
			const std::string &v = next_arg(args, i);

			f.scopemask = 0xff;
			if (!rtscope_a2n(v, scope)) {
				if (v != "all")
					invarg("invalid \"scope\"\n", v);
				scope = kScopeNowhere;
				f.scopemask = 0;
			}
			f.scope = static_cast<uint8_t>(scope);
		} else if (a == "up") {
			f.up = true;
		} else if (parse_flag_filter(a, f)) {
		} else if (a == "label") {
			f.label = next_arg(args, i);
		} else {
			std::string d = a;

			if (a == "dev")
				d = next_arg(args, i);
			else if (matches(a, "help"))
				show_usage(usage_addr);
			if (!dev.empty())
				duparg2("dev", d);
			dev = d;
		}
	}
	if (!dev.empty()) {
		f.ifindex = ifname_to_index(dev);
		if (!f.ifindex)
			fail("Device \"" + dev + "\" does not exist.");
	}
	return f;
}

std::vector<AddrInfo> dump_addrs(GenlSocket &sock, uint32_t ifindex)
{
	GenlRequest req = sock.request(CXNET_CMD_ADDR_GET, NLM_F_DUMP);
	std::vector<AddrInfo> out;

	if (ifindex)
		req.put_u32(CXNET_A_IFINDEX, ifindex);
	sock.transact(req, rtnl_policy(), [&](const Reply &r) {
		if (r.cmd == CXNET_CMD_ADDR_NEW && r.attrs.has(CXNET_A_ADDR_LOCAL))
			out.push_back(parse_addr(r.attrs));
	});
	return out;
}

std::vector<LinkInfo> get_links(GenlSocket &sock, uint32_t ifindex)
{
	GenlRequest req = sock.request(CXNET_CMD_LINK_GET, ifindex ? 0 : NLM_F_DUMP);
	std::vector<LinkInfo> out;

	if (ifindex)
		req.put_u32(CXNET_A_IFINDEX, ifindex);
	sock.transact(req, rtnl_policy(), [&](const Reply &r) {
		if (r.cmd == CXNET_CMD_LINK_NEW && r.attrs.has(CXNET_A_IFINDEX))
			out.push_back(parse_link(r.attrs));
	});
	std::sort(out.begin(), out.end(), [](const LinkInfo &a, const LinkInfo &b) { return a.ifindex < b.ifindex; });
	return out;
}

}  // namespace

void put_addr(GenlRequest &req, const AddrInfo &a, bool del, bool has_local)
{
	req.put_u32(CXNET_A_IFINDEX, a.ifindex);
	if (has_local)
		req.put_be32(CXNET_A_ADDR_LOCAL, a.local);
	req.put_u8(CXNET_A_ADDR_PREFIXLEN, a.prefixlen);
	if (a.label)
		req.put_string(CXNET_A_ADDR_LABEL, *a.label);
	if (del)
		return;
	if (a.broadcast)
		req.put_be32(CXNET_A_ADDR_BROADCAST, *a.broadcast);
	req.put_u8(CXNET_A_ADDR_SCOPE, a.scope);
}

AddrRequest parse_addr_args(const Context &ctx, const Args &args, bool del)
{
	const Family fam = ctx.inet ? Family::Inet : Family::Unspec;
	AddrInfo a;
	std::string dev, lcl_arg;
	std::optional<Prefix> lcl;
	int brd_mode = 0;  // ip's brd_len: 0 none, 1 address, -1 "+", -2 "-"
	bool scoped = false;
	bool valid_lft = false, preferred_lft = false;

	a.flags = 0;
	for (size_t i = 1; i < args.size(); i++) {
		const std::string &arg = args[i];

		if (arg == "peer" || arg == "remote") {
			invarg("peer addresses are not supported by cxnet\n", arg);
		} else if (matches(arg, "broadcast") || arg == "brd") {
			const std::string &v = next_arg(args, i);

			if (brd_mode)
				duparg("broadcast", v);
			if (v == "+") {
				brd_mode = -1;
			} else if (v == "-") {
				brd_mode = -2;
			} else {
				a.broadcast = get_addr(v, fam);
				brd_mode = 1;
			}
		} else if (arg == "anycast") {
			invarg("anycast addresses are not supported by cxnet\n", arg);
		} else if (arg == "scope") {
			const std::string &v = next_arg(args, i);
			uint32_t scope;

			if (!rtscope_a2n(v, scope))
				invarg("invalid scope value.", v);
			a.scope = static_cast<uint8_t>(scope);
			scoped = true;
		} else if (arg == "dev") {
			dev = next_arg(args, i);
		} else if (arg == "label") {
			a.label = next_arg(args, i);
		} else if (matches(arg, "metric") || matches(arg, "priority") || matches(arg, "preference")) {
			invarg("address metrics are not supported by cxnet\n", arg);
		} else if (matches(arg, "valid_lft") || matches(arg, "preferred_lft")) {
			bool &seen = matches(arg, "valid_lft") ? valid_lft : preferred_lft;
			const char *key = matches(arg, "valid_lft") ? "valid_lft" : "preferred_lft";

			if (seen)
				duparg(key, arg);
			seen = true;

			const std::string &v = next_arg(args, i);

			if (v != "forever")
				invarg("cxnet addresses are permanent: only \"forever\" is supported\n", v);
		} else if (const IfaFlag *fl = find_flag(arg)) {
			if (fl->readonly)
				std::fprintf(stderr, "Warning: %s option is not mutable from userspace\n", fl->name);
			else if (fl->v6only)
				std::fprintf(stderr, "Warning: %s option can be set only for IPv6 addresses\n", fl->name);
			else
				invarg("flag not supported by cxnet\n", arg);
		} else {
			std::string v = arg;

			if (arg == "local")
				v = next_arg(args, i);
			if (matches(v, "help"))
				show_usage(usage_addr);
			if (lcl)
				duparg2("local", v);
			lcl_arg = v;
			lcl = get_prefix(v, fam);
		}
	}
	if (dev.empty())
		fail("Not enough information: \"dev\" argument is required.");

	const Prefix p = lcl ? *lcl : Prefix{0, 0, false, false};

	a.local = p.addr;
	a.prefixlen = static_cast<uint8_t>(p.len);
	if (del && lcl && p.has_addr && !p.len_given) {
		std::fprintf(stderr,
			     "Warning: Executing wildcard deletion to stay compatible with old scripts.\n"
			     "         Explicitly specify the prefix length (%s/%d) to avoid this warning.\n"
			     "         This special behaviour is likely to disappear in further releases,\n"
			     "         fix your scripts!\n",
			     lcl_arg.c_str(), 32);
		a.prefixlen = 0;  // any prefix length
	}
	if (brd_mode < 0 && !del && p.len <= 30) {
		uint32_t host = ntohl(p.addr);
		const uint32_t hostmask = p.len == 0 ? 0xffffffffu : (0xffffffffu >> p.len);

		host = brd_mode == -1 ? (host | hostmask) : (host & ~hostmask);
		a.broadcast = htonl(host);
	}
	// default_scope(): 127/8 is host scope.
	if (!scoped && !del)
		a.scope = (p.has_addr && (ntohl(p.addr) >> 24) == 127) ? kScopeHost : kScopeUniverse;
	a.ifindex = get_ifindex(dev);
	return AddrRequest{a, p.has_addr};
}

namespace {

int addr_modify(Context &ctx, const Args &args, const ModifyCmd &m)
{
	const AddrRequest r = parse_addr_args(ctx, args, m.del);
	GenlSocket &sock = rtnl_socket(ctx);
	GenlRequest req = sock.request(m.del ? CXNET_CMD_ADDR_DEL : CXNET_CMD_ADDR_ADD);

	put_addr(req, r.a, m.del, r.has_local);
	put_request_flags(req, m);
	sock.transact(req, rtnl_policy(), [](const Reply &) {});
	return kExitOk;
}

int addr_show(Context &ctx, const Args &args, size_t first)
{
	const AddrFilter f = parse_filter(ctx, args, first);
	GenlSocket &sock = rtnl_socket(ctx);
	const std::vector<LinkInfo> links = get_links(sock, f.ifindex);
	const std::vector<AddrInfo> addrs = dump_addrs(sock, f.ifindex);
	ShowOpts o;
	ListOutput out(ctx, std::cout);
	Emitter &e = out.emitter();

	o.stats = ctx.stats;
	o.inet = ctx.inet;
	for (const LinkInfo &l : links) {
		if (f.ifindex && l.ifindex != f.ifindex)
			continue;
		if (f.up && !(l.flags & 0x1))
			continue;

		// ipaddr_filter(): a link with addresses shows if one matches;
		// one without any only when no family (-4) is asked for.
		bool any = false, ok = false;

		for (const AddrInfo &a : addrs) {
			if (a.ifindex != l.ifindex)
				continue;
			any = true;
			if (f.match(a, o))
				ok = true;
		}
		if (!ok && (any || ctx.inet))
			continue;

		out.begin();
		if (!ctx.oneline) {
			print_link_header(e, l, ctx.inet);
			e.text("\n");
		}
		e.open_array("addr_info");
		for (const AddrInfo &a : addrs) {
			if (a.ifindex != l.ifindex || !f.match(a, o))
				continue;
			e.open_object();
			print_addr(e, a, o, ctx.oneline);
			e.close_object();
		}
		e.close_array();
		if (ctx.stats && l.has_stats && !ctx.oneline) {
			print_link_stats(e, l);
			e.nl();
		}
		out.end();
	}
	out.finish();
	return kExitOk;
}

int addr_flush(Context &ctx, const Args &args)
{
	if (args.size() <= 1)
		fail("Flush requires arguments.");

	const AddrFilter f = parse_filter(ctx, args, 1);
	GenlSocket &sock = rtnl_socket(ctx);
	ShowOpts o;
	int round = 0;

	// Rounds as ip: deleting a primary may remove (or promote) others.
	const auto done = [&](int rounds) {
		if (ctx.stats) {
			if (rounds == 0)
				std::printf("Nothing to flush.\n");
			else
				std::printf("*** Flush is complete after %d round%s ***\n", rounds, rounds > 1 ? "s" : "");
		}
		return kExitOk;
	};

	while (round < 10) {
		std::vector<AddrInfo> victims;

		for (const AddrInfo &a : dump_addrs(sock, f.ifindex))
			if (f.match(a, o))
				victims.push_back(a);
		if (victims.empty())
			return done(round);
		round++;
		for (const AddrInfo &a : victims) {
			GenlRequest req = sock.request(CXNET_CMD_ADDR_DEL);

			put_addr(req, a, true, true);
			try {
				sock.transact(req, rtnl_policy(), [](const Reply &) {});
			} catch (const NetlinkError &err) {
				// Already gone with its primary.
				if (err.error() != EADDRNOTAVAIL && err.error() != ENOENT && err.error() != ENODEV)
					throw;
			}
		}
		if (ctx.stats) {
			std::printf("\n*** Round %d, deleting %zu addresses ***\n", round, victims.size());
			std::fflush(stdout);
		}
		// ip stops after one round when asked for primaries only.
		if (!(f.flags & kIfaSecondary) && (f.flagmask & kIfaSecondary))
			return done(round);
	}
	std::fflush(stdout);
	fail(sfmt("*** Flush remains incomplete after %d rounds. ***", round));
}

}  // namespace

int do_addr(Context &ctx, const Args &args)
{
	if (args.empty())
		return addr_show(ctx, args, 0);

	const std::string &c = args[0];

	if (const auto m = modify_command(c, false))
		return addr_modify(ctx, args, *m);
	if (matches(c, "list") || matches(c, "show") || matches(c, "lst"))
		return addr_show(ctx, args, 1);
	if (matches(c, "flush"))
		return addr_flush(ctx, args);
	if (matches(c, "help"))
		show_usage(usage_addr);
	unknown_command("address", c);
}

}  // namespace cxip
