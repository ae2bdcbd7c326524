// SPDX-License-Identifier: GPL-2.0
// cxip sysctl: read and write cxnet's per-netns tunables, procps-style.
#include <linux/cxnet.h>

#include <algorithm>
#include <iostream>
#include <optional>

#include "cxip.h"
#include "json.h"
#include "netlink.h"
#include "sysctl_args.h"

namespace cxip {

void usage_sysctl(FILE *out)
{
	std::fprintf(out,
		     "Usage: cxip sysctl [ -n ] [ -a ]\n"
		     "       cxip sysctl [ -n ] NAME [ NAME ... ]\n"
		     "       cxip sysctl [ -q ] -w NAME=VALUE [ NAME=VALUE ... ]\n"
		     "       cxip sysctl help\n"
		     "where  NAME  := a cxnet tunable: net.ipv4.ip_local_port_range or\n"
		     "                net/ipv4/ip_local_port_range\n"
		     "       VALUE := INTEGER [ INTEGER ... ]  (decimal, separated by spaces\n"
		     "                or tabs, at most %d)\n"
		     "       -a    show all tunables (the default without NAME)\n"
		     "       -n    print values only\n"
		     "       -w    write; a NAME=VALUE argument writes even without -w\n"
		     "       -q    do not print the values written\n"
		     "With cxip -j, one object with a member per tunable, its values as an\n"
		     "array; -n is ignored: {\"net.ipv4.ip_local_port_range\":[32768,60999]}\n",
		     CXNET_SYSCTL_MAX_VALUES);
}

namespace {

struct Op {
	std::string arg;  // as given, for messages
	std::string name;
	std::optional<std::vector<int64_t>> values;  // set: a write
};

struct Options {
	bool all = false;
	bool values_only = false;
	bool quiet = false;
	bool write = false;
	std::vector<Op> ops;
};

void set_flag(Options &o, char c, const std::string &arg)
{
	switch (c) {
	case 'a': o.all = true; break;
	case 'n': o.values_only = true; break;
	case 'q': o.quiet = true; break;
	case 'w': o.write = true; break;
	default: unknown_command("sysctl", arg);
	}
}

// Validates the whole command line before anything is sent.
Options parse_args(const Args &args)
{
	Options o;
	std::vector<std::string> operands;

	for (const auto &arg : args) {
		if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
			static const struct {
				const char *name;
				char flag;
			} longopts[] = {{"--all", 'a'}, {"--values", 'n'}, {"--quiet", 'q'}, {"--write", 'w'}};
			char flag = 0;

			for (const auto &l : longopts)
				if (arg == l.name)
					flag = l.flag;
			set_flag(o, flag, arg);
		} else if (arg.size() > 1 && arg[0] == '-') {
			for (size_t i = 1; i < arg.size(); i++)  // -nq as -n -q
				set_flag(o, arg[i], arg);
		} else {
			operands.push_back(arg);
		}
	}

	for (const auto &arg : operands) {
		Op op{arg, {}, {}};
		std::string name, value, err;

		if (arg.find('=') != std::string::npos) {
			std::vector<int64_t> values;

			sysctl_split_assignment(arg, name, value);
			if (!sysctl_parse_values(value, values, err))
				invarg(err, arg);
			op.values = std::move(values);
		} else if (o.write) {
			invarg("expected NAME=VALUE", arg);
		} else {
			name = arg;
		}
		op.name = sysctl_normalize_name(name);
		if (!sysctl_check_name(op.name, err))
			invarg(err, arg);
		o.ops.push_back(std::move(op));
	}

	if (o.all && !o.ops.empty())
		invarg("-a takes no NAME", o.ops.front().arg);
	if (o.write && o.ops.empty())
		throw Failure(kExitUsage, "Error: -w needs NAME=VALUE, try \"cxip sysctl help\".");
	if (o.ops.empty())
		o.all = true;
	return o;
}

struct Setting {
	std::string name;
	std::vector<int64_t> values;
};

Policy<CXNET_A_MAX + 1> sysctl_policy()
{
	Policy<CXNET_A_MAX + 1> p{};

	p[CXNET_A_SYSCTL_NAME].type = NLA_STRING;
	p[CXNET_A_SYSCTL_VALUES].type = NLA_NESTED;
	p[CXNET_A_SYSCTL_MIN] = {NLA_S64, sizeof(int64_t), 0};
	p[CXNET_A_SYSCTL_MAX] = {NLA_S64, sizeof(int64_t), 0};
	p[CXNET_A_SYSCTL_TYPE] = {NLA_U8, sizeof(uint8_t), 0};
	return p;
}

Policy<CXNET_SYSCTL_VALUE_A_MAX + 1> value_policy()
{
	Policy<CXNET_SYSCTL_VALUE_A_MAX + 1> p{};

	p[CXNET_SYSCTL_VALUE_A_INT] = {NLA_S64, sizeof(int64_t), 0};
	return p;
}

// A SYSCTL_NEW reply (to GET, dump or SET).
Setting parse_setting(const Reply &r)
{
	static const auto vpol = value_policy();
	Setting s;

	s.name = r.attrs.str(CXNET_A_SYSCTL_NAME);
	if (!r.attrs.has(CXNET_A_SYSCTL_VALUES))
		malformed("\"" + s.name + "\" has no values");
	for (const nlattr *v : parse_nested_list(r.attrs.get(CXNET_A_SYSCTL_VALUES), CXNET_SYSCTL_VALUE_A_INT, vpol))
		s.values.push_back(nla_get_s64(v));
	return s;
}

class Printer {
public:
	Printer(const Context &ctx, bool values_only) : values_only_(values_only)
	{
		if (ctx.json) {
			json_.emplace(std::cout, ctx.pretty);
			json_->start_object();
		}
	}

	void print(const Setting &s)
	{
		if (json_) {
			json_->name(s.name);
			json_->start_array();
			for (int64_t v : s.values)
				json_->value(v);
			json_->end_array();
		} else if (values_only_) {
			std::cout << sysctl_format_values(s.values) << '\n';
		} else {
			std::cout << s.name << " = " << sysctl_format_values(s.values) << '\n';
		}
	}

	void finish()
	{
		if (json_) {
			json_->end_object();
			json_->finish();
		}
	}

private:
	bool values_only_;
	std::optional<JsonWriter> json_;
};

void run_op(GenlSocket &sock, const Op &op, bool quiet, Printer &out)
{
	static const auto policy = sysctl_policy();
	std::optional<Setting> answer;
	const auto on_reply = [&](const Reply &r) {
		if (r.attrs.has(CXNET_A_SYSCTL_NAME))
			answer = parse_setting(r);
	};

	if (!op.values) {
		GenlRequest req = sock.request(CXNET_CMD_SYSCTL_GET);

		req.put_string(CXNET_A_SYSCTL_NAME, op.name);
		sock.transact(req, policy, on_reply);
		if (!answer)
			malformed("no answer for \"" + op.name + "\"");
		out.print(*answer);
		return;
	}

	GenlRequest req = sock.request(CXNET_CMD_SYSCTL_SET);

	req.put_string(CXNET_A_SYSCTL_NAME, op.name);
	nlattr *nest = req.nest_start(CXNET_A_SYSCTL_VALUES);
	for (int64_t v : *op.values)
		req.put_s64(CXNET_SYSCTL_VALUE_A_INT, v);
	req.nest_end(nest);
	sock.transact(req, policy, on_reply);
	if (!quiet)
		out.print(answer ? *answer : Setting{op.name, *op.values});
}

}  // namespace

int do_sysctl(Context &ctx, const Args &args)
{
	static const auto policy = sysctl_policy();
	const Options o = parse_args(args);
	GenlSocket &sock = ctx.socket();  // before any output: a missing family ends here
	Printer out(ctx, o.values_only);
	int rc = kExitOk;

	if (o.all) {
		GenlRequest req = sock.request(CXNET_CMD_SYSCTL_GET, NLM_F_DUMP);

		try {
			sock.transact(req, policy, [&](const Reply &r) {
				if (r.attrs.has(CXNET_A_SYSCTL_NAME))
					out.print(parse_setting(r));
			});
		} catch (const Failure &f) {
			std::fprintf(stderr, "%s\n", f.what());
			rc = f.code();
		}
	}
	// Like procps: report a failing NAME and go on with the next one.
	for (const Op &op : o.ops) {
		try {
			run_op(sock, op, o.quiet, out);
		} catch (const Failure &f) {
			std::cout.flush();
			std::fprintf(stderr, "%s\n", f.what());
			rc = std::max(rc, f.code());
		}
	}
	out.finish();
	return rc;
}

}  // namespace cxip
