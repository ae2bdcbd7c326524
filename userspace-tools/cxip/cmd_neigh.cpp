// SPDX-License-Identifier: GPL-2.0
// cxip neighbour: cxnet's ARP table (ip neigh).
#include <cerrno>
#include <iostream>

#include "rtnl.h"

namespace cxip {

void usage_neigh(FILE *out)
{
	std::fprintf(out,
		     "Usage: cxip neigh { add | del | change | replace }\n"
		     "                { ADDR [ lladdr LLADDR ] [ nud STATE ] }\n"
		     "                [ dev DEV ]\n"
		     "\n"
		     "	cxip neigh { show | flush } [ to PREFIX ] [ dev DEV ] [ nud STATE ]\n"
		     "				  [ unused ]\n"
		     "	cxip neigh get ADDR dev DEV\n"
		     "\n"
		     "STATE := { delay | failed | incomplete | noarp | none |\n"
		     "           permanent | probe | reachable | stale }\n");
}

NeighInfo parse_neigh(const Attrs &a)
{
	NeighInfo n;
	const auto opt = [&](int t, std::optional<uint32_t> &v) {
		if (a.has(t))
			v = a.u32(t);
	};

	n.ifindex = a.u32(CXNET_A_IFINDEX);
	n.dst = a.u32(CXNET_A_NEIGH_DST);
	if (a.has(CXNET_A_NEIGH_LLADDR))
		n.lladdr = a.bytes(CXNET_A_NEIGH_LLADDR);
	if (a.has(CXNET_A_NEIGH_STATE))
		n.state = a.u16(CXNET_A_NEIGH_STATE);
	opt(CXNET_A_NEIGH_PROBES, n.probes);
	opt(CXNET_A_NEIGH_USED_MS, n.used_ms);
	opt(CXNET_A_NEIGH_CONFIRMED_MS, n.confirmed_ms);
	opt(CXNET_A_NEIGH_UPDATED_MS, n.updated_ms);
	opt(CXNET_A_NEIGH_REFCNT, n.refcnt);
	return n;
}

void print_neigh(Emitter &e, const NeighInfo &n, const ShowOpts &o, bool show_dev)
{
	const std::string dst = ipv4_n2a(n.dst);

	e.any("dst", dst + " ", dst);
	if (show_dev && n.ifindex) {
		const std::string d = o.ifname(n.ifindex);

		e.text("dev ");
		e.any("dev", d + " ", d);
	}
	if (!n.lladdr.empty()) {
		const std::string l = lladdr_n2a(n.lladdr);

		e.text("lladdr ");
		e.any("lladdr", l + " ", l);
	}
	if (o.stats) {
		// print_cacheinfo(): times in seconds (cxnet reports ms).
		if (n.used_ms || n.confirmed_ms || n.updated_ms || n.refcnt) {
			if (n.refcnt && *n.refcnt)
				e.any("refcnt", sfmt(" ref %u", *n.refcnt), *n.refcnt);

			const uint32_t used = n.used_ms.value_or(0) / 1000;
			const uint32_t confirmed = n.confirmed_ms.value_or(0) / 1000;
			const uint32_t updated = n.updated_ms.value_or(0) / 1000;

			e.any("used", sfmt(" used %u", used), used);
			e.any("confirmed", sfmt("/%u", confirmed), confirmed);
			e.any("updated", sfmt("/%u", updated), updated);
		}
		if (n.probes)
			e.any("probes", sfmt("probes %u ", *n.probes), *n.probes);
	}
	if (n.state) {
		e.open_array("state");
		for (const std::string &s : nud_state_names(n.state))
			e.elem(s + " ", s);
		e.close_array();
	}
	e.text("\n");
}

namespace {

[[noreturn]] void unsupported(const std::string &arg)
{
	invarg("not supported by cxnet\n", arg);
}

}  // namespace

void put_neigh(GenlRequest &req, const NeighInfo &n, bool del)
{
	req.put_u32(CXNET_A_IFINDEX, n.ifindex);
	req.put_be32(CXNET_A_NEIGH_DST, n.dst);
	if (del)
		return;
	if (!n.lladdr.empty())
		req.put_binary(CXNET_A_NEIGH_LLADDR, n.lladdr.data(), n.lladdr.size());
	req.put_u16(CXNET_A_NEIGH_STATE, n.state);
}

NeighInfo parse_neigh_args(const Context &ctx, const Args &args, bool del)
{
	const Family fam = ctx.inet ? Family::Inet : Family::Unspec;
	NeighInfo n;
	std::string dev;
	std::optional<std::string> lla;
	bool dst_ok = false;

	n.state = kNudPermanent;
	for (size_t i = 1; i < args.size(); i++) {
		const std::string &a = args[i];

		if (matches(a, "lladdr")) {
			const std::string &v = next_arg(args, i);

			if (lla)
				duparg("lladdr", v);
			lla = v;
		} else if (a == "nud") {
			const std::string &v = next_arg(args, i);
			uint32_t state;

			if (!nud_state_a2n(v, state))
				invarg("nud state is bad", v);
			n.state = static_cast<uint16_t>(state);
		} else if (matches(a, "proxy") || a == "router" || a == "use" || a == "managed" ||
			   matches(a, "extern_learn") || matches(a, "protocol")) {
			unsupported(a);
		} else if (a == "dev") {
			dev = next_arg(args, i);
		} else {
			const std::string *v = &a;

			if (*v == "to")
				v = &next_arg(args, i);
			if (matches(*v, "help"))
				show_usage(usage_neigh);
			if (dst_ok)
				duparg2("to", *v);
			n.dst = get_addr(*v, fam);
			dst_ok = true;
		}
	}
	if (dev.empty() || !dst_ok)
		throw Failure(kExitUsage, "Device and destination are required arguments.");
	if (lla && *lla != "null")
		n.lladdr = get_lladdr(*lla);
	n.ifindex = get_ifindex(dev);
	(void)del;
	return n;
}

namespace {

int neigh_modify(Context &ctx, const Args &args, const ModifyCmd &m)
{
	const NeighInfo n = parse_neigh_args(ctx, args, m.del);
	GenlSocket &sock = rtnl_socket(ctx);
	GenlRequest req = sock.request(m.del ? CXNET_CMD_NEIGH_DEL : CXNET_CMD_NEIGH_ADD);

	put_neigh(req, n, m.del);
	put_request_flags(req, m);
	sock.transact(req, rtnl_policy(), [](const Reply &) {});
	return kExitOk;
}

struct NeighFilter {
	uint32_t index = 0;
	uint32_t state = ~0u;
	bool unused_only = false;
	std::optional<Prefix> pfx;

	bool match(const NeighInfo &n) const
	{
		if (index && n.ifindex != index)
			return false;
		if (!(state & n.state) && (n.state || !(state & 0x100)))
			return false;
		if (pfx && pfx->has_addr && !inet_addr_match(n.dst, pfx->addr, pfx->len))
			return false;
		if (unused_only && n.refcnt.value_or(0))
			return false;
		return true;
	}
};

NeighFilter parse_neigh_filter(const Context &ctx, const Args &args, size_t i, bool flush)
{
	const Family fam = ctx.inet ? Family::Inet : Family::Unspec;
	NeighFilter f;
	std::string dev;
	bool state_given = false;

	f.state = flush ? ~static_cast<uint32_t>(kNudPermanent | kNudNoarp) : (0xff & ~kNudNoarp);
	for (; i < args.size(); i++) {
		const std::string &a = args[i];

		if (a == "dev") {
			const std::string &v = next_arg(args, i);

			if (!dev.empty())
				duparg("dev", v);
			dev = v;
		} else if (a == "master" || a == "vrf" || a == "nomaster" || a == "proxy") {
			unsupported(a);
		} else if (a == "unused") {
			f.unused_only = true;
		} else if (a == "nud") {
			const std::string &v = next_arg(args, i);
			uint32_t state;

			if (!state_given) {
				state_given = true;
				f.state = 0;
			}
			if (!nud_state_a2n(v, state)) {
				if (v != "all")
					invarg("nud state is bad", v);
				state = ~0u;
				if (flush)
					state &= ~static_cast<uint32_t>(kNudNoarp);
			}
			if (state == 0)
				state = 0x100;
			f.state |= state;
		} else if (matches(a, "protocol")) {
			const std::string &v = next_arg(args, i);

			if (v != "all")
				unsupported(a);
		} else {
			const std::string *v = &a;
			Prefix p;

			if (*v == "to")
				v = &next_arg(args, i);
			if (matches(*v, "help"))
				show_usage(usage_neigh);
			if (!parse_prefix(*v, fam, p))
				invarg("to value is invalid\n", *v);
			f.pfx = p;
		}
	}
	if (!dev.empty())
		f.index = get_ifindex(dev);
	return f;
}

std::vector<NeighInfo> dump_neigh(GenlSocket &sock, const NeighFilter &f)
{
	GenlRequest req = sock.request(CXNET_CMD_NEIGH_GET, NLM_F_DUMP);
	std::vector<NeighInfo> out;

	if (f.index)
		req.put_u32(CXNET_A_IFINDEX, f.index);
	sock.transact(req, rtnl_policy(), [&](const Reply &r) {
		if (r.cmd != CXNET_CMD_NEIGH_NEW || !r.attrs.has(CXNET_A_NEIGH_DST))
			return;

		NeighInfo n = parse_neigh(r.attrs);

		if (f.match(n))
			out.push_back(std::move(n));
	});
	return out;
}

int neigh_show(Context &ctx, const Args &args, size_t first)
{
	const NeighFilter f = parse_neigh_filter(ctx, args, first, false);
	GenlSocket &sock = rtnl_socket(ctx);
	ShowOpts o;
	ListOutput out(ctx, std::cout);

	o.stats = ctx.stats;
	for (const NeighInfo &n : dump_neigh(sock, f)) {
		out.begin();
		print_neigh(out.emitter(), n, o, f.index == 0);
		out.end();
	}
	out.finish();
	return kExitOk;
}

int neigh_flush(Context &ctx, const Args &args)
{
	if (args.size() <= 1)
		fail("Flush requires arguments.");

	NeighFilter f = parse_neigh_filter(ctx, args, 1, true);
	GenlSocket &sock = rtnl_socket(ctx);

	for (int round = 0; round < 10;) {
		const std::vector<NeighInfo> victims = dump_neigh(sock, f);

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
		round++;
		for (const NeighInfo &n : victims) {
			GenlRequest req = sock.request(CXNET_CMD_NEIGH_DEL);

			put_neigh(req, n, true);
			try {
				sock.transact(req, rtnl_policy(), [](const Reply &) {});
			} catch (const NetlinkError &err) {
				if (err.error() != ENOENT)  // gone meanwhile
					throw;
			}
		}
		if (ctx.stats) {
			std::printf("\n*** Round %d, deleting %zu entries ***\n", round, victims.size());
			std::fflush(stdout);
		}
		f.state &= ~static_cast<uint32_t>(kNudFailed);
	}
	std::printf("*** Flush not complete bailing out after %d rounds\n", 10);
	return kExitFail;
}

int neigh_get(Context &ctx, const Args &args)
{
	const Family fam = ctx.inet ? Family::Inet : Family::Unspec;
	std::string dev;
	std::optional<uint32_t> dst;

	for (size_t i = 1; i < args.size(); i++) {
		const std::string &a = args[i];

		if (a == "dev") {
			dev = next_arg(args, i);
		} else if (matches(a, "proxy")) {
			unsupported(a);
		} else {
			const std::string *v = &a;

			if (*v == "to")
				v = &next_arg(args, i);
			if (matches(*v, "help"))
				show_usage(usage_neigh);
			if (dst)
				duparg2("to", *v);
			dst = get_addr(*v, fam);
		}
	}
	if (dev.empty() || !dst)
		fail("Device and address are required arguments.");

	NeighFilter f;

	f.index = get_ifindex(dev);
	f.pfx = Prefix{*dst, 32, true, true};
	f.state = ~0u;

	const std::vector<NeighInfo> found = dump_neigh(rtnl_socket(ctx), f);

	if (found.empty())
		throw NetlinkError(ENOENT, ExtAck{}, kRtnetlinkAnswers);

	ShowOpts o;
	ListOutput out(ctx, std::cout);

	o.stats = ctx.stats;
	out.begin();
	print_neigh(out.emitter(), found.front(), o, true);
	out.end();
	out.finish();
	return kExitOk;
}

}  // namespace

int do_neigh(Context &ctx, const Args &args)
{
	if (args.empty())
		return neigh_show(ctx, args, 0);

	const std::string &c = args[0];

	if (const auto m = modify_command(c, false))
		return neigh_modify(ctx, args, *m);
	if (matches(c, "get"))
		return neigh_get(ctx, args);
	if (matches(c, "show") || matches(c, "lst") || matches(c, "list"))
		return neigh_show(ctx, args, 1);
	if (matches(c, "flush"))
		return neigh_flush(ctx, args);
	if (matches(c, "help"))
		show_usage(usage_neigh);
	unknown_command("neigh", c);
}

}  // namespace cxip
