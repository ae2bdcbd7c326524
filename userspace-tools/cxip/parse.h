/* SPDX-License-Identifier: GPL-2.0 */
// cxip: command-line parsing shared by the ip-like objects (link, addr,
// route, rule, neigh), with iproute2's semantics and error messages, and
// the names databases (tables, protocols, scopes, DS field, route types,
// NUD states) in both directions. Needs no kernel (unit-tested).
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "cxip.h"

namespace cxip {

// Exit code of ip for failures it reports itself after parsing (nodev,
// a bad prefix, ...): the object's handler returns -1, ip exits 1.
constexpr int kExitFail = 1;

// Linux constants the printers and parsers need (linux/rtnetlink.h,
// linux/neighbour.h, linux/fib_rules.h values; spelled out so this file
// needs no kernel header).
enum : uint32_t {
	kTableUnspec = 0,
	kTableDefault = 253,
	kTableMain = 254,
	kTableLocal = 255,
};
enum : uint8_t {
	kScopeUniverse = 0,
	kScopeSite = 200,
	kScopeLink = 253,
	kScopeHost = 254,
	kScopeNowhere = 255,
};
enum : uint8_t {
	kRtnUnspec = 0,
	kRtnUnicast = 1,
	kRtnLocal = 2,
	kRtnBroadcast = 3,
	kRtnAnycast = 4,
	kRtnMulticast = 5,
	kRtnBlackhole = 6,
	kRtnUnreachable = 7,
	kRtnProhibit = 8,
	kRtnThrow = 9,
	kRtnNat = 10,
	kRtnXresolve = 11,
};
enum : uint8_t {
	kProtUnspec = 0,
	kProtKernel = 2,
	kProtBoot = 3,
};
enum : uint16_t {
	kNudIncomplete = 0x01,
	kNudReachable = 0x02,
	kNudStale = 0x04,
	kNudDelay = 0x08,
	kNudProbe = 0x10,
	kNudFailed = 0x20,
	kNudNoarp = 0x40,
	kNudPermanent = 0x80,
	kNudNone = 0x00,
};
enum : uint8_t {
	kRtnhDead = 1,
	kRtnhPervasive = 2,
	kRtnhOnlink = 4,
	kRtnhOffload = 8,
	kRtnhLinkdown = 16,
	kRtnhUnresolved = 32,
	kRtnhTrap = 64,
};
enum : uint8_t {
	kFrActUnspec = 0,
	kFrActToTbl = 1,
	kFrActGoto = 2,
	kFrActNop = 3,
};
constexpr uint32_t kFibRuleInvert = 0x2;
constexpr uint32_t kIfaSecondary = 0x01;
constexpr uint32_t kIfaPermanent = 0x80;
constexpr uint32_t kNlmCreate = 0x400, kNlmExcl = 0x200, kNlmReplace = 0x100, kNlmAppend = 0x800;

// Address family of the command line (`cxip -4`): only in messages, as
// ip's family_name_verbose(): "inet" with -4, "any valid" without.
enum class Family { Unspec, Inet };

// ip's inet_prefix for IPv4. addr is in network byte order.
struct Prefix {
	uint32_t addr = 0;
	int len = 32;               // bitlen: 0..32
	bool has_addr = false;      // bytelen != 0: ip sends the attribute
	bool len_given = false;     // PREFIXLEN_SPECIFIED ("/N" or "default")
};

// get_addr_ipv4(): 1 to 4 dot-separated numbers (strtoul base 0: octal,
// hex), missing bytes zero ("10" is 10.0.0.0). Network byte order.
bool parse_ipv4(const std::string &s, uint32_t &be);
// get_prefix_1(): "default" (0/0, has an address under -4), "any"/"all"
// (0/0, no address), A.B.C.D[/LEN or /MASK].
bool parse_prefix(const std::string &s, Family fam, Prefix &out);

// As ip's get_prefix()/get_addr(): Failure(1) with
// `Error: <fam> prefix is expected rather than "<s>".` otherwise.
Prefix get_prefix(const std::string &s, Family fam);
uint32_t get_addr(const std::string &s, Family fam);

// ip's get_u32/get_u16/get_u8/get_unsigned (strtoul with @base).
bool get_u32(const std::string &s, uint32_t &v, int base = 0);
bool get_u16(const std::string &s, uint16_t &v, int base = 0);
bool get_u8(const std::string &s, uint8_t &v, int base = 0);
bool get_s32(const std::string &s, int32_t &v, int base = 0);

// ll_addr_a2n(): colon-separated hex bytes (any count, at most @max).
// On failure sets @bad to the component ip names in its message.
bool parse_lladdr(const std::string &s, std::vector<uint8_t> &out, std::string &bad, size_t max = 20);
// As ip: prints `"<bad>" is invalid lladdr.` and fails with exit 1.
std::vector<uint8_t> get_lladdr(const std::string &s);

// "sport N[-M]" of ip rule (sscanf "%hu-%hu"). false if not a number.
bool parse_port_range(const std::string &s, uint16_t &start, uint16_t &end);

// inet_addr_match(): the first @bits bits of two network-order addresses agree.
bool inet_addr_match(uint32_t a_be, uint32_t b_be, int bits);

// Addresses and link-layer addresses as ip prints them.
std::string ipv4_n2a(uint32_t be);
std::string lladdr_n2a(const uint8_t *a, size_t len);
std::string lladdr_n2a(const std::vector<uint8_t> &a);

// The names databases of iproute2: built-in names, then CONFDIR/rt_tables
// (+ rt_tables.d/*.conf), rt_protos (+ rt_protos.d), rt_scopes,
// rt_dsfield, read on first use from /etc/iproute2 (set_names_dir()
// points elsewhere, e.g. a test directory or "" for built-ins only).
void set_names_dir(const std::string &dir);

bool rttable_a2n(const std::string &s, uint32_t &id);
std::string rttable_n2a(uint32_t id);
bool rtprot_a2n(const std::string &s, uint32_t &id);
std::string rtprot_n2a(uint32_t id);
bool rtscope_a2n(const std::string &s, uint32_t &id);
std::string rtscope_n2a(uint32_t id);
bool dsfield_a2n(const std::string &s, uint32_t &id);  // names, else hex
std::string dsfield_n2a(uint32_t id);                  // name, else 0x%02x
bool rtntype_a2n(const std::string &s, uint32_t &id);
std::string rtntype_n2a(uint32_t id);
bool nud_state_a2n(const std::string &s, uint32_t &state);
// NUD bits as ip prints them ("REACHABLE", "STALE", ...), in ip's order.
std::vector<std::string> nud_state_names(uint32_t state);
// IP protocol numbers: getprotobyname()/getprotobynumber() as ip, with a
// built-in fallback for tcp/udp/icmp when /etc/protocols is missing.
int inet_proto_a2n(const std::string &s);  // -1 if unknown
std::string inet_proto_n2a(uint32_t proto);  // "udp", else "ipproto-N"

// ip's NEXT_ARG(): the argument after args[i], or
// `Command line is not complete. Try option "help"` (exit 255).
const std::string &next_arg(const Args &args, size_t &i);

// Messages of iproute2 (exit codes as ip's).
[[noreturn]] void duparg(const std::string &key, const std::string &arg);   // 255
[[noreturn]] void duparg2(const std::string &key, const std::string &arg);  // 255
[[noreturn]] void nodev(const std::string &dev);                            // 1
[[noreturn]] void fail(const std::string &line);                            // 1
// ip's usage(): the object's usage on stderr, exit 255.
[[noreturn]] void show_usage(void (*usage)(FILE *));

// Interface names of the current netns (if_nametoindex/if_indextoname);
// an unknown index prints as ip's ll_index_to_name(): "if%u".
uint32_t ifname_to_index(const std::string &name);  // 0 if none
std::string ifindex_to_name(uint32_t index);
// An interface name ip accepts (check_ifname): 1..15 bytes, no '/' or
// white space.
bool valid_ifname(const std::string &name);

// The device of `dev NAME`, or nodev() (exit 1).
uint32_t get_ifindex(const std::string &name);

}  // namespace cxip
