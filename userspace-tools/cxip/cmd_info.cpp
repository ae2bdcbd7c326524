// SPDX-License-Identifier: GPL-2.0
// cxip info: module and per-netns information (CXNET_CMD_INFO_GET).
#include <linux/cxnet.h>

#include <iostream>
#include <optional>

#include "cxip.h"
#include "json.h"
#include "netlink.h"

namespace cxip {

std::vector<std::string> cxnet_feature_names(uint64_t bits)
{
	static const char *const names[] = {CXNET_FEATURE_NAMES};
	constexpr unsigned known = sizeof(names) / sizeof(names[0]);
	std::vector<std::string> out;

	for (unsigned i = 0; i < 64; i++) {
		if (!(bits & (1ULL << i)))
			continue;
		out.push_back(i < known ? names[i] : "bit" + std::to_string(i));
	}
	return out;
}

void usage_info(FILE *out)
{
	std::fprintf(out,
		     "Usage: cxip info [ show ]\n"
		     "Prints the cxnet module version, build, registered address family,\n"
		     "features, and the cookie and object counts of the current netns.\n");
}

namespace {

struct Info {
	bool replied = false;
	std::optional<std::string> version, build_id;
	std::optional<uint32_t> family;
	std::optional<uint64_t> features, netns_cookie;
	bool has_counts = false;
	std::optional<uint32_t> sockets, sysctl_writes;
};

Policy<CXNET_A_MAX + 1> info_policy()
{
	Policy<CXNET_A_MAX + 1> p{};

	p[CXNET_A_INFO_VERSION].type = NLA_STRING;
	p[CXNET_A_INFO_BUILD_ID].type = NLA_STRING;
	p[CXNET_A_INFO_FEATURES] = {NLA_U64, sizeof(uint64_t), 0};
	p[CXNET_A_INFO_FAMILY] = {NLA_U32, sizeof(uint32_t), 0};
	p[CXNET_A_INFO_NETNS_COOKIE] = {NLA_U64, sizeof(uint64_t), 0};
	p[CXNET_A_INFO_COUNTS].type = NLA_NESTED;
	return p;
}

Policy<CXNET_COUNT_A_MAX + 1> counts_policy()
{
	Policy<CXNET_COUNT_A_MAX + 1> p{};

	p[CXNET_COUNT_A_SOCKETS] = {NLA_U32, sizeof(uint32_t), 0};
	p[CXNET_COUNT_A_SYSCTL_WRITES] = {NLA_U32, sizeof(uint32_t), 0};
	return p;
}

void parse_info(const Reply &r, Info &info)
{
	const Attrs &a = r.attrs;

	// The only reply to INFO_GET; its genl cmd is not checked.
	info.replied = true;
	if (a.has(CXNET_A_INFO_VERSION))
		info.version = a.str(CXNET_A_INFO_VERSION);
	if (a.has(CXNET_A_INFO_BUILD_ID))
		info.build_id = a.str(CXNET_A_INFO_BUILD_ID);
	if (a.has(CXNET_A_INFO_FAMILY))
		info.family = a.u32(CXNET_A_INFO_FAMILY);
	if (a.has(CXNET_A_INFO_FEATURES))
		info.features = a.u64(CXNET_A_INFO_FEATURES);
	if (a.has(CXNET_A_INFO_NETNS_COOKIE))
		info.netns_cookie = a.u64(CXNET_A_INFO_NETNS_COOKIE);
	if (a.has(CXNET_A_INFO_COUNTS)) {
		static const auto cpol = counts_policy();
		const Attrs c = parse_nested(a.get(CXNET_A_INFO_COUNTS), cpol);

		info.has_counts = true;
		if (c.has(CXNET_COUNT_A_SOCKETS))
			info.sockets = c.u32(CXNET_COUNT_A_SOCKETS);
		if (c.has(CXNET_COUNT_A_SYSCTL_WRITES))
			info.sysctl_writes = c.u32(CXNET_COUNT_A_SYSCTL_WRITES);
	}
}

void print_info_json(const Context &ctx, const Info &info)
{
	JsonWriter jw(std::cout, ctx.pretty);

	jw.start_object();
	if (info.version)
		jw.member("version", *info.version);
	if (info.build_id)
		jw.member("build_id", *info.build_id);
	if (info.family)
		jw.member("family", *info.family);
	if (info.features) {
		jw.name("features");
		jw.start_array();
		for (const auto &f : cxnet_feature_names(*info.features))
			jw.value(f);
		jw.end_array();
	}
	if (info.netns_cookie)
		jw.member("netns_cookie", *info.netns_cookie);
	if (info.has_counts) {
		jw.name("counts");
		jw.start_object();
		if (info.sockets)
			jw.member("sockets", *info.sockets);
		if (info.sysctl_writes)
			jw.member("sysctl_writes", *info.sysctl_writes);
		jw.end_object();
	}
	jw.end_object();
	jw.finish();
}

void print_info_text(const Info &info)
{
	std::cout << "cxnet";
	if (info.version)
		std::cout << ' ' << *info.version;
	if (info.build_id)
		std::cout << " build " << *info.build_id;
	std::cout << '\n';

	if (info.family || info.features) {
		const char *sep = "";

		if (info.family) {
			std::cout << "family " << *info.family;
			sep = " ";
		}
		if (info.features) {
			const auto names = cxnet_feature_names(*info.features);

			std::cout << sep << "features";
			for (const auto &f : names)
				std::cout << ' ' << f;
			if (names.empty())
				std::cout << " none";
		}
		std::cout << '\n';
	}
	if (info.netns_cookie)
		std::cout << "netns cookie " << *info.netns_cookie << '\n';
	if (info.sockets || info.sysctl_writes) {
		const char *sep = "";

		if (info.sockets) {
			std::cout << "sockets " << *info.sockets;
			sep = " ";
		}
		if (info.sysctl_writes)
			std::cout << sep << "sysctl_writes " << *info.sysctl_writes;
		std::cout << '\n';
	}
}

}  // namespace

int do_info(Context &ctx, const Args &args)
{
	if (!args.empty() && !matches(args[0], "show"))
		unknown_command("info", args[0]);
	if (args.size() > 1)
		invarg("info show takes no arguments", args[1]);

	static const auto policy = info_policy();
	Info info;
	GenlRequest req = ctx.socket().request(CXNET_CMD_INFO_GET);

	ctx.socket().transact(req, policy, [&](const Reply &r) { parse_info(r, info); });
	if (!info.replied)
		malformed("no answer to CXNET_CMD_INFO_GET");
	if (ctx.json)
		print_info_json(ctx, info);
	else
		print_info_text(info);
	return kExitOk;
}

}  // namespace cxip
