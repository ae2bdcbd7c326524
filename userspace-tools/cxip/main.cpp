// SPDX-License-Identifier: GPL-2.0
// cxip: configure cxnet, the way ip(8) configures the kernel's stack.
//   cxip [ OPTIONS ] OBJECT { COMMAND | help }
#include <linux/cxnet.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <new>

#include "cxip.h"

namespace cxip {

namespace {

int do_help(Context &, const Args &);
void usage_main(FILE *out);

// The objects. Adding one: a cmd_<obj>.cpp with do_<obj>/usage_<obj>, and
// a row here. As in ip, an object may be abbreviated to any prefix: the
// first row it is a prefix of wins (ip's order first: "a" is address,
// "r" route, "n" neighbor, "l" link).
struct ObjectRow {
	Object obj;
	bool alias;  // not listed in the usage
};
const ObjectRow kObjects[] = {
	{{"address", do_addr, usage_addr}, false},
	{{"route", do_route, usage_route}, false},
	{{"rule", do_rule, usage_rule}, false},
	{{"neighbor", do_neigh, usage_neigh}, false},
	{{"neighbour", do_neigh, usage_neigh}, true},
	{{"link", do_link, usage_link}, false},
	{{"info", do_info, usage_info}, false},
	{{"sysctl", do_sysctl, usage_sysctl}, false},
	{{"help", do_help, usage_main}, false},
	{{"stats", do_stats, usage_stats}, false},
};

void usage_main(FILE *out)
{
	std::vector<std::string> names;
	std::string list;

	for (const ObjectRow &o : kObjects)
		if (!o.alias)
			names.emplace_back(o.obj.name);
	std::sort(names.begin(), names.end());
	for (const auto &n : names)
		list += (list.empty() ? "" : " | ") + n;
	std::fprintf(out,
		     "Usage: cxip [ OPTIONS ] OBJECT { COMMAND | help }\n"
		     "where  OBJECT := { %s }\n"
		     "       OPTIONS := { -V[ersion] | -s[tatistics] | -o[neline] | -j[son] |\n"
		     "                    -p[retty] | -4 | -n[etns] NETNS | -h[elp] }\n",
		     list.c_str());
}

int do_help(Context &, const Args &)
{
	usage_main(stderr);
	return kExitOk;
}

// The first object @arg is a prefix of (ip's do_cmd()).
const Object &find_object(const std::string &arg)
{
	for (const ObjectRow &o : kObjects)
		if (matches(arg, o.obj.name))
			return o.obj;
	throw Failure(kExitUsage, "Object \"" + arg + "\" is unknown, try \"cxip help\".");
}

int run(int argc, char **argv)
{
	Context ctx;
	int i = 1;

	for (; i < argc; i++) {
		std::string opt = argv[i];

		if (opt == "--") {
			i++;
			break;
		}
		if (opt.size() < 2 || opt[0] != '-')
			break;
		if (opt[1] == '-')  // --json as -json
			opt.erase(0, 1);
		if (opt == "-4") {
			ctx.inet = true;
		} else if (matches(opt, "-stats") || matches(opt, "-statistics")) {
			ctx.stats++;
		} else if (matches(opt, "-oneline")) {
			ctx.oneline = true;
		} else if (matches(opt, "-Version")) {
			std::printf("cxip utility, cxnet %s\n", CXNET_VERSION_STRING);
			return kExitOk;
		} else if (matches(opt, "-json")) {
			ctx.json = true;
		} else if (matches(opt, "-pretty")) {
			ctx.pretty = true;
		} else if (matches(opt, "-netns")) {
			if (++i >= argc)
				throw Failure(kExitUsage, "Option \"" + std::string(argv[i - 1]) +
								  "\" requires a network namespace name, try \"cxip -help\".");
			ctx.netns = argv[i];
		} else if (matches(opt, "-help")) {
			usage_main(stderr);
			return kExitOk;
		} else {
			throw Failure(kExitUsage, "Option \"" + std::string(argv[i]) + "\" is unknown, try \"cxip -help\".");
		}
	}
	if (i >= argc) {
		usage_main(stderr);
		return kExitUsage;
	}

	const Object &obj = find_object(argv[i]);
	const Args args(argv + i + 1, argv + argc);

	if (!args.empty() && args[0] == "help") {
		obj.usage(stderr);
		return kExitOk;
	}
	// Like ip -n: enter the netns before any netlink socket is opened.
	if (!ctx.netns.empty())
		netns_switch(ctx.netns);
	return obj.run(ctx, args);
}

}  // namespace

}  // namespace cxip

int main(int argc, char **argv)
{
	using namespace cxip;
	int rc;

	try {
		rc = run(argc, argv);
	} catch (const Failure &f) {
		std::cout.flush();
		if (*f.what())
			std::fprintf(stderr, "%s\n", f.what());
		rc = f.code();
	} catch (const std::bad_alloc &) {
		std::fprintf(stderr, "Error: out of memory.\n");
		rc = kExitSetup;
	} catch (const std::exception &e) {
		std::fprintf(stderr, "Error: %s.\n", e.what());
		rc = kExitSetup;
	}

	// Output that could not be written is an error (e.g. a full disk).
	std::cout.flush();
	if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout)) {
		std::fprintf(stderr, "Error: cannot write output: %s.\n", std::strerror(errno));
		if (rc == kExitOk)
			rc = kExitSetup;
	}
	return rc;
}
