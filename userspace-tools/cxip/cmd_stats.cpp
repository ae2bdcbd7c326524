// SPDX-License-Identifier: GPL-2.0
// cxip stats: the protocol counters of the netns (/proc/net/snmp style).
#include <iomanip>
#include <iostream>

#include "rtnl.h"

namespace cxip {

void usage_stats(FILE *out)
{
	std::fprintf(out,
		     "Usage: cxip stats [ show ] [ GROUP ... ]\n"
		     "GROUP := { Ip | IpDrop | Icmp | IcmpMsg | Arp | Neigh | Udp | ... }\n"
		     "Prints every counter of cxnet in the current netns as GROUP.NAME VALUE,\n"
		     "zeros included (nstat -a style); -j prints {\"GROUP\":{\"NAME\":VALUE}}.\n");
}

void parse_stats(const Attrs &a, std::vector<CounterGroup> &groups)
{
	const std::string name = a.str(CXNET_A_STATS_GROUP);
	CounterGroup *g = nullptr;

	for (CounterGroup &x : groups)
		if (x.name == name)
			g = &x;
	if (!g) {
		groups.push_back(CounterGroup{name, {}});
		g = &groups.back();
	}
	if (a.has(CXNET_A_COUNTERS))
		for (auto &c : parse_counters(a.get(CXNET_A_COUNTERS)))
			g->counters.push_back(std::move(c));
}

void print_stats(std::ostream &out, const std::vector<CounterGroup> &groups, JsonWriter *jw)
{
	if (jw) {
		jw->start_object();
		for (const CounterGroup &g : groups) {
			jw->name(g.name);
			jw->start_object();
			for (const auto &c : g.counters)
				jw->member(c.first, c.second);
			jw->end_object();
		}
		jw->end_object();
		jw->finish();
		return;
	}
	for (const CounterGroup &g : groups)
		for (const auto &c : g.counters) {
			const std::string name = g.name + "." + c.first;

			// nstat's column: the name in 32, at least one blank.
			out << std::left << std::setw(31) << name << ' ' << c.second << '\n';
		}
}

int do_stats(Context &ctx, const Args &args)
{
	size_t i = 0;

	if (i < args.size() && matches(args[i], "show"))
		i++;

	const std::vector<std::string> wanted(args.begin() + static_cast<long>(i), args.end());

	for (const std::string &w : wanted)
		if (matches(w, "help"))
			show_usage(usage_stats);

	GenlSocket &sock = rtnl_socket(ctx);
	GenlRequest req = sock.request(CXNET_CMD_STATS_GET, NLM_F_DUMP);
	std::vector<CounterGroup> groups;

	sock.transact(req, rtnl_policy(), [&](const Reply &r) {
		if (r.cmd == CXNET_CMD_STATS_NEW && r.attrs.has(CXNET_A_STATS_GROUP))
			parse_stats(r.attrs, groups);
	});

	std::vector<CounterGroup> shown;

	if (wanted.empty()) {
		shown = groups;
	} else {
		for (const std::string &w : wanted) {
			bool found = false;

			for (const CounterGroup &g : groups)
				if (g.name == w) {
					shown.push_back(g);
					found = true;
				}
			if (!found) {
				std::string names;

				for (const CounterGroup &g : groups)
					names += (names.empty() ? "" : ", ") + g.name;
				invarg("no such counter group (" + names + ")", w);
			}
		}
	}
	if (ctx.json) {
		JsonWriter jw(std::cout, ctx.pretty);

		print_stats(std::cout, shown, &jw);
	} else {
		print_stats(std::cout, shown, nullptr);
	}
	return kExitOk;
}

}  // namespace cxip
