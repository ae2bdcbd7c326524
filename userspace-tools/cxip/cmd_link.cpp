// SPDX-License-Identifier: GPL-2.0
// cxip link: attach devices to cxnet, detach them, list them (ip link show).
#include <algorithm>
#include <iostream>

#include "rtnl.h"

namespace cxip {

void usage_link(FILE *out)
{
	std::fprintf(out,
		     "Usage: cxip link attach [ dev ] DEVICE\n"
		     "       cxip link detach [ dev ] DEVICE\n"
		     "       cxip [ -s ] link [ show [ [ dev ] DEVICE ] ]\n"
		     "Attached devices hand their IPv4 and ARP frames to cxnet instead of Linux.\n"
		     "-s adds the RX/TX counters of cxnet on the device and its drops by reason.\n");
}

namespace {

// IFF_* (linux/if.h), spelled out: <net/if.h> lacks LOWER_UP and friends.
enum : uint32_t {
	kIffUp = 0x1, kIffBroadcast = 0x2, kIffDebug = 0x4, kIffLoopback = 0x8,
	kIffPointopoint = 0x10, kIffNotrailers = 0x20, kIffRunning = 0x40, kIffNoarp = 0x80,
	kIffPromisc = 0x100, kIffAllmulti = 0x200, kIffMaster = 0x400, kIffSlave = 0x800,
	kIffMulticast = 0x1000, kIffPortsel = 0x2000, kIffAutomedia = 0x4000, kIffDynamic = 0x8000,
	kIffLowerUp = 0x10000, kIffDormant = 0x20000, kIffEcho = 0x40000,
};

Policy<CXNET_LINK_STAT_A_MAX + 1> stats_policy()
{
	Policy<CXNET_LINK_STAT_A_MAX + 1> p{};

	for (int i = CXNET_LINK_STAT_A_RX_PACKETS; i <= CXNET_LINK_STAT_A_MAX; i++)
		p[i] = {NLA_U64, sizeof(uint64_t), 0};
	return p;
}

uint64_t stat(const Attrs &s, int type)
{
	return s.has(type) ? s.u64(type) : 0;
}

}  // namespace

LinkInfo parse_link(const Attrs &a)
{
	LinkInfo l;

	l.ifindex = a.u32(CXNET_A_IFINDEX);
	l.name = a.has(CXNET_A_IFNAME) ? a.str(CXNET_A_IFNAME) : ifindex_to_name(l.ifindex);
	if (a.has(CXNET_A_LINK_MTU))
		l.mtu = a.u32(CXNET_A_LINK_MTU);
	if (a.has(CXNET_A_LINK_ADDRESS))
		l.address = a.bytes(CXNET_A_LINK_ADDRESS);
	if (a.has(CXNET_A_LINK_FLAGS))
		l.flags = a.u32(CXNET_A_LINK_FLAGS);
	if (a.has(CXNET_A_LINK_STATS)) {
		static const auto pol = stats_policy();
		const Attrs s = parse_nested(a.get(CXNET_A_LINK_STATS), pol);

		l.has_stats = true;
		l.rx_packets = stat(s, CXNET_LINK_STAT_A_RX_PACKETS);
		l.rx_bytes = stat(s, CXNET_LINK_STAT_A_RX_BYTES);
		l.rx_errors = stat(s, CXNET_LINK_STAT_A_RX_ERRORS);
		l.rx_dropped = stat(s, CXNET_LINK_STAT_A_RX_DROPPED);
		l.tx_packets = stat(s, CXNET_LINK_STAT_A_TX_PACKETS);
		l.tx_bytes = stat(s, CXNET_LINK_STAT_A_TX_BYTES);
		l.tx_errors = stat(s, CXNET_LINK_STAT_A_TX_ERRORS);
		l.tx_dropped = stat(s, CXNET_LINK_STAT_A_TX_DROPPED);
		l.rx_passed = stat(s, CXNET_LINK_STAT_A_RX_PASSED);
	}
	if (a.has(CXNET_A_COUNTERS))
		l.drops = parse_counters(a.get(CXNET_A_COUNTERS));
	return l;
}

std::vector<std::string> link_flag_names(uint32_t flags)
{
	static const std::pair<uint32_t, const char *> order[] = {
		{kIffLoopback, "LOOPBACK"}, {kIffBroadcast, "BROADCAST"}, {kIffPointopoint, "POINTOPOINT"},
		{kIffMulticast, "MULTICAST"}, {kIffNoarp, "NOARP"}, {kIffAllmulti, "ALLMULTI"},
		{kIffPromisc, "PROMISC"}, {kIffMaster, "MASTER"}, {kIffSlave, "SLAVE"},
		{kIffDebug, "DEBUG"}, {kIffDynamic, "DYNAMIC"}, {kIffAutomedia, "AUTOMEDIA"},
		{kIffPortsel, "PORTSEL"}, {kIffNotrailers, "NOTRAILERS"}, {kIffUp, "UP"},
		{kIffLowerUp, "LOWER_UP"}, {kIffDormant, "DORMANT"}, {kIffEcho, "ECHO"},
	};
	std::vector<std::string> out;

	if ((flags & kIffUp) && !(flags & kIffRunning))
		out.emplace_back("NO-CARRIER");
	flags &= ~kIffRunning;
	for (const auto &f : order) {
		if (flags & f.first) {
			flags &= ~f.first;
			out.emplace_back(f.second);
		}
	}
	if (flags)
		out.push_back(sfmt("%x", flags));
	return out;
}

void print_link_header(Emitter &e, const LinkInfo &l, bool inet)
{
	e.any("ifindex", sfmt("%u: ", l.ifindex), l.ifindex);
	e.any("ifname", l.name + ": ", l.name);

	const auto names = link_flag_names(l.flags);

	e.open_array("flags");
	e.text("<");
	for (size_t i = 0; i < names.size(); i++)
		e.elem(names[i] + (i + 1 < names.size() ? "," : ""), names[i]);
	e.text("> ");
	e.close_array();
	if (l.mtu)
		e.any("mtu", sfmt("mtu %u ", *l.mtu), *l.mtu);
	// Where ip shows the qdisc and state: who owns the device's IPv4.
	e.text("cxnet");
	if (inet)
		return;

	const bool loopback = l.flags & kIffLoopback;
	const std::string type = loopback ? "loopback" : l.address.size() == 6 ? "ether" : "none";

	e.nl();
	e.any("link_type", "    link/" + type + " ", type);
	if (!l.address.empty()) {
		const std::string addr = lladdr_n2a(l.address);
		const std::string brd = loopback ? lladdr_n2a(std::vector<uint8_t>(l.address.size(), 0))
						 : lladdr_n2a(std::vector<uint8_t>(l.address.size(), 0xff));

		e.any("address", addr, addr);
		e.text(" brd ");
		e.any("broadcast", brd, brd);
	}
}

void print_link_stats(Emitter &e, const LinkInfo &l)
{
	// print_stats64(): column widths from "*X errors:", "packets", ...
	unsigned cols[] = {10, 7, 6, 7, 7, 7, 10, 9};
	const auto size = [&](std::initializer_list<uint64_t> vals) {
		unsigned i = 0;

		for (uint64_t v : vals) {
			unsigned len = 1;

			for (; v > 9; v /= 10)
				len++;
			cols[i] = std::max(cols[i], len);
			i++;
		}
	};

	if (e.json()) {
		e.open_object("stats64");
		e.open_object("rx");
		e.js("bytes", l.rx_bytes);
		e.js("packets", l.rx_packets);
		e.js("errors", l.rx_errors);
		e.js("dropped", l.rx_dropped);
		e.js("over_errors", uint64_t{0});
		e.js("multicast", uint64_t{0});
		e.js("passed", l.rx_passed);
		e.close_object();
		e.open_object("tx");
		e.js("bytes", l.tx_bytes);
		e.js("packets", l.tx_packets);
		e.js("errors", l.tx_errors);
		e.js("dropped", l.tx_dropped);
		e.js("carrier_errors", uint64_t{0});
		e.js("collisions", uint64_t{0});
		e.close_object();
		e.close_object();
		e.open_object("drops");
		for (const auto &d : l.drops)
			e.js(d.first, d.second);
		e.close_object();
		return;
	}

	size({l.rx_bytes, l.rx_packets, l.rx_errors, l.rx_dropped, 0, 0, 0, 0});
	size({l.tx_bytes, l.tx_packets, l.tx_errors, l.tx_dropped, 0, 0, 0, 0});
	const auto num = [](unsigned w, uint64_t v) { return sfmt("%*llu ", w, static_cast<unsigned long long>(v)); };

	e.text(sfmt("    RX: %*s %*s %*s %*s %*s %*s %*s%s", cols[0] - 4, "bytes", cols[1], "packets", cols[2],
		    "errors", cols[3], "dropped", cols[4], "missed", cols[5], "mcast", cols[6], "", e.sl()));
	e.text("    " + num(cols[0], l.rx_bytes) + num(cols[1], l.rx_packets) + num(cols[2], l.rx_errors) +
	       num(cols[3], l.rx_dropped) + num(cols[4], 0) + num(cols[5], 0));
	e.text(e.sl());
	e.text(sfmt("    TX: %*s %*s %*s %*s %*s %*s %*s%s", cols[0] - 4, "bytes", cols[1], "packets", cols[2],
		    "errors", cols[3], "dropped", cols[4], "carrier", cols[5], "collsns", cols[6], "", e.sl()));
	e.text("    " + num(cols[0], l.tx_bytes) + num(cols[1], l.tx_packets) + num(cols[2], l.tx_errors) +
	       num(cols[3], l.tx_dropped) + num(cols[4], 0) + num(cols[5], 0));

	std::string drops;

	for (const auto &d : l.drops)
		if (d.second)
			drops += sfmt(" %s %llu", d.first.c_str(), static_cast<unsigned long long>(d.second));
	if (!drops.empty())
		e.text(e.sl() + std::string("    drops:") + drops);
	if (l.rx_passed)
		e.text(sfmt("%s    passed: %llu", e.sl(), static_cast<unsigned long long>(l.rx_passed)));
}

void print_link(Emitter &e, const LinkInfo &l, const ShowOpts &o)
{
	print_link_header(e, l, false);
	if (o.stats && l.has_stats) {
		e.nl();
		print_link_stats(e, l);
	}
	e.text("\n");
}

namespace {

// `[ dev ] DEVICE` and nothing else.
std::string parse_dev_arg(const Args &args, size_t i, bool required)
{
	std::string dev;

	for (; i < args.size(); i++) {
		if (args[i] == "dev")
			next_arg(args, i);
		else if (matches(args[i], "help"))
			show_usage(usage_link);
		if (!dev.empty())
			duparg2("dev", args[i]);
		dev = args[i];
	}
	if (required && dev.empty())
		throw Failure(kExitUsage, "Not enough information: \"dev\" argument is required.");
	return dev;
}

int link_set(Context &ctx, const Args &args, uint8_t cmd)
{
	const std::string dev = parse_dev_arg(args, 1, true);
	const uint32_t idx = get_ifindex(dev);
	GenlSocket &sock = rtnl_socket(ctx);
	GenlRequest req = sock.request(cmd);

	req.put_u32(CXNET_A_IFINDEX, idx);
	sock.transact(req, rtnl_policy(), [](const Reply &) {});
	return kExitOk;
}

int link_show(Context &ctx, const Args &args, size_t first)
{
	const std::string dev = parse_dev_arg(args, first, false);
	uint32_t idx = 0;

	if (!dev.empty()) {
		idx = ifname_to_index(dev);
		if (!idx)
			fail("Device \"" + dev + "\" does not exist.");
	}

	GenlSocket &sock = rtnl_socket(ctx);
	GenlRequest req = sock.request(CXNET_CMD_LINK_GET, idx ? 0 : NLM_F_DUMP);
	std::vector<LinkInfo> links;
	ShowOpts o;

	if (idx)
		req.put_u32(CXNET_A_IFINDEX, idx);
	sock.transact(req, rtnl_policy(), [&](const Reply &r) {
		if (r.cmd == CXNET_CMD_LINK_NEW && r.attrs.has(CXNET_A_IFINDEX))
			links.push_back(parse_link(r.attrs));
	});
	std::sort(links.begin(), links.end(), [](const LinkInfo &a, const LinkInfo &b) { return a.ifindex < b.ifindex; });

	ListOutput out(ctx, std::cout);

	o.stats = ctx.stats;
	for (const LinkInfo &l : links) {
		out.begin();
		print_link(out.emitter(), l, o);
		out.end();
	}
	out.finish();
	return kExitOk;
}

}  // namespace

int do_link(Context &ctx, const Args &args)
{
	if (args.empty())
		return link_show(ctx, args, 0);

	const std::string &c = args[0];

	if (matches(c, "attach"))
		return link_set(ctx, args, CXNET_CMD_LINK_ATTACH);
	if (matches(c, "detach"))
		return link_set(ctx, args, CXNET_CMD_LINK_DETACH);
	if (matches(c, "show") || matches(c, "lst") || matches(c, "list"))
		return link_show(ctx, args, 1);
	if (matches(c, "help"))
		show_usage(usage_link);
	unknown_command("link", c);
}

}  // namespace cxip
