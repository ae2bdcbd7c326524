/* SPDX-License-Identifier: GPL-2.0 */
// cxip: what the ip-like objects (link, addr, route, rule, neigh, stats)
// share: the reply policy, an output emitter with iproute2's print_*()
// semantics (one code path for text and -j), and each object's reply
// struct with its parser and printer (declared here for the unit test).
#pragma once

#include <linux/cxnet.h>

#include <cstdarg>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cxip.h"
#include "json.h"
#include "netlink.h"
#include "parse.h"

namespace cxip {

// printf into a std::string.
std::string sfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

// iproute2's print_*(PRINT_ANY | PRINT_FP | PRINT_JSON, key, fmt, value):
// text goes to @out unless a JsonWriter is given, then only members.
class Emitter {
public:
	explicit Emitter(std::ostream &out, JsonWriter *jw = nullptr, bool oneline = false)
		: out_(out), jw_(jw), oneline_(oneline)
	{
	}
	bool json() const { return jw_ != nullptr; }
	JsonWriter &jw() { return *jw_; }

	// PRINT_FP
	void text(std::string_view s)
	{
		if (!jw_)
			out_ << s;
	}
	// PRINT_ANY: @txt in text mode, member @key: @v in JSON.
	template <typename T> void any(std::string_view key, std::string_view txt, const T &v)
	{
		if (jw_)
			jw_->member(key, v);
		else
			out_ << txt;
	}
	// PRINT_JSON
	template <typename T> void js(std::string_view key, const T &v)
	{
		if (jw_)
			jw_->member(key, v);
	}
	// print_null(PRINT_ANY): "key":null / @txt.
	void null(std::string_view key, std::string_view txt);
	// A value inside a JSON array (PRINT_ANY with a NULL key).
	void elem(std::string_view txt, std::string_view v);
	// print_nl(): newline, or "\" with -oneline; nothing in JSON.
	void nl() { text(oneline_ ? "\\" : "\n"); }
	// _SL_ of iproute2.
	const char *sl() const { return oneline_ ? "\\" : "\n"; }
	bool oneline() const { return oneline_; }

	// JSON structure (no-ops in text mode).
	void open_object(std::string_view key = {});
	void close_object();
	void open_array(std::string_view key = {});
	void close_array();

private:
	std::ostream &out_;
	JsonWriter *jw_;
	bool oneline_;
};

// Interface index to name (if_indextoname in the target netns; tests use a map).
using IfNamer = std::function<std::string(uint32_t)>;

// What printing depends on besides the object: the global options.
struct ShowOpts {
	int stats = 0;            // -s count
	bool inet = false;        // -4
	IfNamer ifname = ifindex_to_name;
};

// The policy of every reply of the ip-like commands.
const Policy<CXNET_A_MAX + 1> &rtnl_policy();

// The socket of the ip-like objects: errors without an extack message
// print as ip's "RTNETLINK answers: <strerror>".
GenlSocket &rtnl_socket(Context &ctx);

// A sequence of JSON objects / text lines, as iproute2's new_json_obj():
// with -j one top-level array, ended (and newline) by finish().
class ListOutput {
public:
	ListOutput(const Context &ctx, std::ostream &out);
	Emitter &emitter() { return em_; }
	// Each object of the list: begin() / end() around its printing.
	void begin() { em_.open_object(); }
	void end() { em_.close_object(); }
	void finish();

private:
	std::optional<JsonWriter> jw_;
	Emitter em_;
	bool finished_ = false;
};

// The modifying commands of ip address/route/neigh, matched in ip's order
// (add, change|chg, replace, [prepend, append, test,] delete) with their
// netlink flags: add CREATE|EXCL, change REPLACE, replace CREATE|REPLACE,
// prepend CREATE, append CREATE|APPEND, test EXCL, delete none.
struct ModifyCmd {
	bool del;
	uint32_t nlflags;
};
std::optional<ModifyCmd> modify_command(const std::string &cmd, bool route);
// The flags of an add (genl refuses them in the netlink header of strict
// families: they travel as CXNET_A_REQUEST_FLAGS). Nothing for a delete.
void put_request_flags(GenlRequest &req, const ModifyCmd &m);

/* link */

struct LinkInfo {
	uint32_t ifindex = 0;
	std::string name;
	std::optional<uint32_t> mtu;
	std::vector<uint8_t> address;
	uint32_t flags = 0;  // IFF_*
	bool has_stats = false;
	uint64_t rx_packets = 0, rx_bytes = 0, rx_errors = 0, rx_dropped = 0;
	uint64_t tx_packets = 0, tx_bytes = 0, tx_errors = 0, tx_dropped = 0;
	uint64_t rx_passed = 0;
	std::vector<std::pair<std::string, uint64_t>> drops;  // by reason
};
LinkInfo parse_link(const Attrs &a);
// The flags as ip prints them: "NO-CARRIER", "BROADCAST", ..., "UP", "LOWER_UP".
std::vector<std::string> link_flag_names(uint32_t flags);
// print_linkinfo(): the header line(s) without the final newline:
// "2: veth0: <BROADCAST,UP,LOWER_UP> mtu 1500 cxnet" and, unless @inet,
// "\n    link/ether MAC brd ff:ff:ff:ff:ff:ff".
void print_link_header(Emitter &e, const LinkInfo &l, bool inet);
// print_stats64() with -s (no leading/trailing newline), then cxnet's
// "drops:" line (nonzero reasons) and "passed:" line.
void print_link_stats(Emitter &e, const LinkInfo &l);
// A whole `cxip link show` entry.
void print_link(Emitter &e, const LinkInfo &l, const ShowOpts &o);

/* addresses */

struct AddrInfo {
	uint32_t ifindex = 0;
	uint32_t local = 0;  // network order
	uint8_t prefixlen = 32;
	std::optional<uint32_t> broadcast;
	uint8_t scope = 0;
	std::optional<std::string> label;
	uint32_t flags = kIfaPermanent;
};
AddrInfo parse_addr(const Attrs &a);
// print_addrinfo(): "    inet A/N brd B scope S [secondary] LABEL" and the
// lifetime line; @index_prefix adds "IDX: DEV" first (-oneline, flush).
void print_addr(Emitter &e, const AddrInfo &a, const ShowOpts &o, bool index_prefix);
// `cxip address add|del ...` (args after the command word), as
// ipaddr_modify(): "brd +" computed, default scope (host for 127/8).
struct AddrRequest {
	AddrInfo a;
	bool has_local = false;
};
AddrRequest parse_addr_args(const Context &ctx, const Args &args, bool del);
void put_addr(GenlRequest &req, const AddrInfo &a, bool del, bool has_local);

/* routes */

struct NextHop {
	std::optional<uint32_t> gateway;
	uint32_t ifindex = 0;
	uint16_t weight = 1;
	uint8_t flags = 0;
};

struct RouteInfo {
	uint32_t table = kTableMain;
	uint32_t dst = 0;
	uint8_t dst_len = 0;
	uint8_t tos = 0;
	uint8_t type = kRtnUnicast;
	uint8_t scope = kScopeUniverse;
	uint8_t protocol = kProtBoot;
	std::optional<uint32_t> priority, prefsrc, mtu, gateway, oif;
	uint8_t nh_flags = 0;
	std::vector<NextHop> nexthops;  // multipath only
	// route get
	std::optional<uint32_t> src, iif, mark, rule_pref;
};
RouteInfo parse_route(const Attrs &a);

struct RoutePrintOpts {
	uint32_t filter_table = kTableMain;  // 0: every table ("table X" is printed)
	bool cloned = false;                 // `route get` answer (RTM_F_CLONED)
	std::optional<uint32_t> uid;         // route get: "uid N"
	// What a filter fixed is not printed (ip's filter masks).
	bool hide_dev = false, hide_proto = false, hide_scope = false, hide_tos = false;
	bool hide_via = false, hide_prefsrc = false, hide_metric = false;
};
void print_route(Emitter &e, const RouteInfo &r, const RoutePrintOpts &p, const ShowOpts &o);
// `cxip route add|del ...` as iproute_modify(): table and scope defaults
// decided here, as iproute2 does.
struct RouteRequest {
	RouteInfo r;
	bool has_dst = false;
};
RouteRequest parse_route_args(const Context &ctx, const Args &args, bool del);
void put_route(GenlRequest &req, const RouteInfo &r, bool has_dst);

/* rules */

struct RuleInfo {
	std::optional<uint32_t> pref;
	uint8_t action = kFrActToTbl;
	uint32_t table = 0;
	std::optional<uint32_t> src, dst;
	uint8_t src_len = 0, dst_len = 0;
	uint8_t tos = 0;
	std::optional<uint8_t> ipproto;
	std::optional<uint32_t> iif, oif, fwmark, fwmask;
	std::optional<std::pair<uint16_t, uint16_t>> sport, dport;
	std::optional<int32_t> suppress_prefixlen;
	uint32_t flags = 0;
};
RuleInfo parse_rule(const Attrs &a);
void print_rule(Emitter &e, const RuleInfo &r, const ShowOpts &o);
RuleInfo parse_rule_args(const Context &ctx, const Args &args, bool del);
void put_rule(GenlRequest &req, const RuleInfo &r);

/* neighbours */

struct NeighInfo {
	uint32_t ifindex = 0;
	uint32_t dst = 0;
	std::vector<uint8_t> lladdr;
	uint16_t state = 0;
	std::optional<uint32_t> probes, used_ms, confirmed_ms, updated_ms, refcnt;
};
NeighInfo parse_neigh(const Attrs &a);
// @show_dev: false when filtered by `dev` (ip then omits "dev X").
void print_neigh(Emitter &e, const NeighInfo &n, const ShowOpts &o, bool show_dev);
NeighInfo parse_neigh_args(const Context &ctx, const Args &args, bool del);
void put_neigh(GenlRequest &req, const NeighInfo &n, bool del);

/* protocol counters */

struct CounterGroup {
	std::string name;
	std::vector<std::pair<std::string, uint64_t>> counters;
};
// Adds the counters of one STATS_NEW reply (a group may span replies).
void parse_stats(const Attrs &a, std::vector<CounterGroup> &groups);
// Text: "Group.Name<pad>value" a line; JSON: {"Group":{"Name":value}}.
void print_stats(std::ostream &out, const std::vector<CounterGroup> &groups, JsonWriter *jw);

// Named u64 counters of a CXNET_A_COUNTERS nest, in order.
std::vector<std::pair<std::string, uint64_t>> parse_counters(const nlattr *nest);

}  // namespace cxip
