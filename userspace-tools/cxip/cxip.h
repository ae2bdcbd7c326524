// SPDX-License-Identifier: GPL-2.0
// cxip: shared declarations (options, exit codes, errors, object table).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace cxip {

// Exit codes, as iproute2's ip uses them.
constexpr int kExitOk = 0;
constexpr int kExitSetup = 1;    // cannot talk to cxnet at all (socket, family missing)
constexpr int kExitNetlink = 2;  // the kernel answered with an error (ip: "RTNETLINK answers")
constexpr int kExitUsage = 255;  // bad command line (ip: exit(-1))

// Thrown for every failure; main() prints what() on stderr and exits with code().
// what() is the full line without the trailing newline.
class Failure : public std::runtime_error {
public:
	Failure(int code, const std::string &line) : std::runtime_error(line), code_(code) {}
	int code() const noexcept { return code_; }

private:
	int code_;
};

// Command line errors (exit 255), worded like ip.
[[noreturn]] void invarg(const std::string &msg, const std::string &arg);
[[noreturn]] void unknown_command(const std::string &object, const std::string &cmd);

// ip's matches(): true if @arg is a non-empty prefix of @word.
bool matches(const std::string &arg, const std::string &word);

class GenlSocket;

// Global options and the (lazily opened) netlink socket, handed to objects.
struct Context {
	bool json = false;
	bool pretty = false;
	int stats = 0;         // -s, as often as given (ip's show_stats)
	bool oneline = false;  // -o
	bool inet = false;     // -4: cxnet is IPv4-only, so only ip's messages change
	std::string netns;

	Context();
	~Context();
	Context(const Context &) = delete;
	Context &operator=(const Context &) = delete;

	// Opens the genl socket and resolves the "cxnet" family on first use.
	// Throws Failure(kExitSetup) when the family is missing.
	GenlSocket &socket();

private:
	std::unique_ptr<GenlSocket> sock_;
};

using Args = std::vector<std::string>;

// One OBJECT of the command line. To add an object: write cmd_<obj>.cpp with
// its do_/usage_ pair, declare them below, add one row to kObjects in main.cpp.
struct Object {
	const char *name;
	int (*run)(Context &ctx, const Args &args);  // args: after the object
	void (*usage)(FILE *out);
};

int do_info(Context &ctx, const Args &args);
void usage_info(FILE *out);
// CXNET_A_INFO_FEATURES bits as names (CXNET_FEATURE_NAMES), "bit<N>" if unknown.
std::vector<std::string> cxnet_feature_names(uint64_t bits);
int do_sysctl(Context &ctx, const Args &args);
void usage_sysctl(FILE *out);
// The ip-like objects (cmd_link.cpp ... cmd_stats.cpp).
int do_link(Context &ctx, const Args &args);
void usage_link(FILE *out);
int do_addr(Context &ctx, const Args &args);
void usage_addr(FILE *out);
int do_route(Context &ctx, const Args &args);
void usage_route(FILE *out);
int do_rule(Context &ctx, const Args &args);
void usage_rule(FILE *out);
int do_neigh(Context &ctx, const Args &args);
void usage_neigh(FILE *out);
int do_stats(Context &ctx, const Args &args);
void usage_stats(FILE *out);

// netns.cpp: like `ip -n NAME`; throws Failure(kExitUsage) on error.
void netns_switch(const std::string &name);

}  // namespace cxip
