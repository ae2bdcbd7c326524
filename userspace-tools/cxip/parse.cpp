// SPDX-License-Identifier: GPL-2.0
// cxip: iproute2-compatible argument parsing and names databases.
#include "parse.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <net/if.h>
#include <netdb.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>

namespace cxip {

/* Numbers (strtoul exactly as ip's get_u32 & co.) */

namespace {

bool get_ulong(const std::string &s, unsigned long &v, unsigned long max, int base)
{
	if (s.empty())
		return false;

	char *end = nullptr;

	errno = 0;
	v = std::strtoul(s.c_str(), &end, base);
	if (!end || end == s.c_str() || *end)
		return false;
	if (v == ULONG_MAX && errno == ERANGE)
		return false;
	return v <= max;
}

bool get_ulong_any(const std::string &s, unsigned long &v, int base)
{
	return get_ulong(s, v, ULONG_MAX, base);
}

}  // namespace

bool get_u32(const std::string &s, uint32_t &v, int base)
{
	unsigned long r;

	if (!get_ulong(s, r, 0xffffffffUL, base))
		return false;
	v = static_cast<uint32_t>(r);
	return true;
}

bool get_u16(const std::string &s, uint16_t &v, int base)
{
	unsigned long r;

	if (!get_ulong(s, r, 0xffffUL, base))
		return false;
	v = static_cast<uint16_t>(r);
	return true;
}

bool get_u8(const std::string &s, uint8_t &v, int base)
{
	unsigned long r;

	if (!get_ulong(s, r, 0xffUL, base))
		return false;
	v = static_cast<uint8_t>(r);
	return true;
}

bool get_s32(const std::string &s, int32_t &v, int base)
{
	if (s.empty())
		return false;

	char *end = nullptr;

	errno = 0;
	const long r = std::strtol(s.c_str(), &end, base);

	if (!end || end == s.c_str() || *end)
		return false;
	if ((r == LONG_MAX || r == LONG_MIN) && errno == ERANGE)
		return false;
	if (r < INT32_MIN || r > INT32_MAX)
		return false;
	v = static_cast<int32_t>(r);
	return true;
}

/* Addresses */

bool parse_ipv4(const std::string &s, uint32_t &be)
{
	uint8_t b[4] = {0, 0, 0, 0};
	const char *cp = s.c_str();

	if (s.find('\0') != std::string::npos)
		return false;
	for (int i = 0; i < 4; i++) {
		char *end;
		const unsigned long n = std::strtoul(cp, &end, 0);

		if (n > 255 || end == cp)
			return false;
		b[i] = static_cast<uint8_t>(n);
		if (*end == '\0')
			break;
		if (i == 3 || *end != '.')
			return false;
		cp = end + 1;
	}
	std::memcpy(&be, b, sizeof(be));
	return true;
}

namespace {

// mask2bits(): a contiguous netmask in network order, else -1.
int mask_bits(uint32_t be)
{
	const uint32_t mask = ntohl(be);
	const uint32_t host = ~mask;

	if ((host & (host + 1)) != 0)
		return -1;
	return __builtin_popcount(mask);
}

bool parse_netmask(const std::string &s, unsigned &len)
{
	unsigned long v;

	if (get_ulong(s, v, UINT_MAX, 0)) {
		len = static_cast<unsigned>(v);
		return true;
	}
	// A dotted quad mask ("255.255.255.0") as CIDR.
	uint32_t be;

	if (s.find(':') == std::string::npos && parse_ipv4(s, be)) {
		const int b = mask_bits(be);

		if (b >= 0) {
			len = static_cast<unsigned>(b);
			return true;
		}
	}
	return false;
}

const char *family_verbose(Family fam)
{
	return fam == Family::Inet ? "inet" : "any valid";
}

}  // namespace

bool parse_prefix(const std::string &s, Family fam, Prefix &out)
{
	const size_t slash = s.find('/');
	const std::string a = s.substr(0, slash);

	out = Prefix{};
	if (a == "default" || a == "any" || a == "all") {
		if (slash != std::string::npos)
			return false;
		// "default" carries an address of the family's size (none
		// for AF_UNSPEC); "any"/"all" never do.
		out.has_addr = a == "default" && fam == Family::Inet;
		out.len = 0;
		out.len_given = a == "default";
		return true;
	}
	// ip reads anything with a ':' as IPv6, which cxnet does not route.
	if (a.find(':') != std::string::npos || !parse_ipv4(a, out.addr))
		return false;
	out.has_addr = true;
	if (slash != std::string::npos) {
		unsigned len;

		if (!parse_netmask(s.substr(slash + 1), len) || len > 32)
			return false;
		out.len = static_cast<int>(len);
		out.len_given = true;
	}
	return true;
}

Prefix get_prefix(const std::string &s, Family fam)
{
	Prefix p;

	if (!parse_prefix(s, fam, p))
		fail(std::string("Error: ") + family_verbose(fam) + " prefix is expected rather than \"" + s + "\".");
	return p;
}

uint32_t get_addr(const std::string &s, Family fam)
{
	uint32_t be;

	// get_addr_1(): "default"/"any"/"all" are the unspecified address.
	if (s == "default" || s == "any" || s == "all")
		return 0;
	if (s.find(':') != std::string::npos || !parse_ipv4(s, be))
		fail(std::string("Error: ") + family_verbose(fam) + " address is expected rather than \"" + s + "\".");
	return be;
}

bool parse_lladdr(const std::string &s, std::vector<uint8_t> &out, std::string &bad, size_t max)
{
	out.clear();
	if (s.find('.') != std::string::npos) {
		uint32_t be;

		if (!parse_ipv4(s, be)) {
			bad = s;
			return false;
		}
		const auto *p = reinterpret_cast<const uint8_t *>(&be);
		out.assign(p, p + 4);
		return true;
	}

	size_t pos = 0;

	for (size_t i = 0; i < max; i++) {
		const size_t colon = s.find(':', pos);
		const std::string part = s.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos);
		unsigned int v;

		// sscanf("%x") as ip: leading blanks, optional 0x, trailing junk ignored.
		if (std::sscanf(part.c_str(), "%x", &v) != 1 || v > 255) {
			bad = part;
			return false;
		}
		out.push_back(static_cast<uint8_t>(v));
		if (colon == std::string::npos)
			break;
		pos = colon + 1;
	}
	return true;
}

std::vector<uint8_t> get_lladdr(const std::string &s)
{
	std::vector<uint8_t> out;
	std::string bad;

	if (!parse_lladdr(s, out, bad))
		fail("\"" + bad + "\" is invalid lladdr.");
	return out;
}

bool parse_port_range(const std::string &s, uint16_t &start, uint16_t &end)
{
	unsigned short a, b;
	const int n = std::sscanf(s.c_str(), "%hu-%hu", &a, &b);

	if (n == 1)
		b = a;
	else if (n != 2)
		return false;
	start = a;
	end = b;
	return true;
}

bool inet_addr_match(uint32_t a_be, uint32_t b_be, int bits)
{
	if (bits <= 0)
		return true;
	if (bits > 32)
		bits = 32;

	const uint32_t mask = bits == 32 ? 0xffffffffu : ~(0xffffffffu >> bits);

	return ((ntohl(a_be) ^ ntohl(b_be)) & mask) == 0;
}

std::string ipv4_n2a(uint32_t be)
{
	char buf[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &be, buf, sizeof(buf));
	return buf;
}

std::string lladdr_n2a(const uint8_t *a, size_t len)
{
	std::string out;
	char b[4];

	for (size_t i = 0; i < len; i++) {
		std::snprintf(b, sizeof(b), i ? ":%02x" : "%02x", a[i]);
		out += b;
	}
	return out;
}

std::string lladdr_n2a(const std::vector<uint8_t> &a)
{
	return lladdr_n2a(a.data(), a.size());
}

/* Names databases (lib/rt_names.c) */

namespace {

std::string g_names_dir = "/etc/iproute2";

// One "ID NAME" database: entries in file order after the built-ins.
struct NameTable {
	std::vector<std::pair<uint32_t, std::string>> entries;

	void add(uint32_t id, const std::string &name) { entries.emplace_back(id, name); }
	// n2a: the last definition of @id wins (ip's tab overwrite / hash prepend).
	const std::string *name(uint32_t id) const
	{
		for (auto it = entries.rbegin(); it != entries.rend(); ++it)
			if (it->first == id)
				return &it->second;
		return nullptr;
	}
	bool id(const std::string &name, uint32_t &out) const
	{
		for (auto it = entries.rbegin(); it != entries.rend(); ++it)
			if (it->second == name) {
				out = it->first;
				return true;
			}
		return false;
	}
};

// fread_id_name(): "0xID NAME" or "ID NAME", '#' comments, blank lines.
void load_file(NameTable &t, const std::string &path, uint32_t max)
{
	std::ifstream in(path);
	std::string line;

	if (!in)
		return;
	while (std::getline(in, line)) {
		size_t p = line.find_first_not_of(" \t");

		if (p == std::string::npos || line[p] == '#')
			continue;

		char name[512];
		unsigned int hid;
		int did;
		const char *c = line.c_str() + p;

		if (std::sscanf(c, "0x%x %511s", &hid, name) == 2) {
			did = static_cast<int>(hid);
		} else if (std::sscanf(c, "%d %511s", &did, name) != 2) {
			std::fprintf(stderr, "Database %s is corrupted at %s\n", path.c_str(), c);
			return;
		}
		if (did < 0 || static_cast<uint32_t>(did) > max)
			continue;
		t.add(static_cast<uint32_t>(did), name);
	}
}

void load_dir(NameTable &t, const std::string &dir, uint32_t max)
{
	DIR *d = opendir(dir.c_str());
	std::vector<std::string> files;

	if (!d)
		return;
	while (dirent *de = readdir(d)) {
		const std::string n = de->d_name;

		if (n.empty() || n[0] == '.' || n.size() <= 5 || n.compare(n.size() - 5, 5, ".conf") != 0)
			continue;
		files.push_back(dir + "/" + n);
	}
	closedir(d);
	std::sort(files.begin(), files.end());
	for (const auto &f : files)
		load_file(t, f, max);
}

struct NamesDb {
	bool loaded = false;
	NameTable tables, protos, scopes, dsfield;

	void load()
	{
		if (loaded)
			return;
		loaded = true;
		tables.add(kTableDefault, "default");
		tables.add(kTableMain, "main");
		tables.add(kTableLocal, "local");
		static const std::pair<uint32_t, const char *> protos_builtin[] = {
			{0, "unspec"}, {1, "redirect"}, {2, "kernel"}, {3, "boot"}, {4, "static"},
			{8, "gated"}, {9, "ra"}, {10, "mrt"}, {11, "zebra"}, {12, "bird"},
			{42, "babel"}, {13, "dnrouted"}, {14, "xorp"}, {15, "ntk"}, {16, "dhcp"},
			{18, "keepalived"}, {186, "bgp"}, {187, "isis"}, {188, "ospf"}, {189, "rip"},
			{192, "eigrp"},
		};
		for (const auto &p : protos_builtin)
			protos.add(p.first, p.second);
		scopes.add(kScopeUniverse, "global");
		scopes.add(kScopeNowhere, "nowhere");
		scopes.add(kScopeHost, "host");
		scopes.add(kScopeLink, "link");
		scopes.add(kScopeSite, "site");
		dsfield.add(0, "0");
		if (g_names_dir.empty())
			return;
		load_file(tables, g_names_dir + "/rt_tables", UINT32_MAX);
		load_dir(tables, g_names_dir + "/rt_tables.d", UINT32_MAX);
		load_file(protos, g_names_dir + "/rt_protos", 255);
		load_dir(protos, g_names_dir + "/rt_protos.d", 255);
		load_file(scopes, g_names_dir + "/rt_scopes", 255);
		load_file(dsfield, g_names_dir + "/rt_dsfield", 255);
	}
};

NamesDb &db()
{
	static NamesDb d;

	d.load();
	return d;
}

std::string to_dec(uint32_t v)
{
	return std::to_string(v);
}

bool a2n_u8(const NameTable &t, const std::string &s, uint32_t &id, int base)
{
	unsigned long v;

	if (t.id(s, id))
		return true;
	if (!get_ulong_any(s, v, base) || v > 255)
		return false;
	id = static_cast<uint32_t>(v);
	return true;
}

}  // namespace

void set_names_dir(const std::string &dir)
{
	g_names_dir = dir;
	db() = NamesDb{};
}

bool rttable_a2n(const std::string &s, uint32_t &id)
{
	unsigned long v;

	if (db().tables.id(s, id))
		return true;
	if (!get_ulong_any(s, v, 0) || v > UINT32_MAX)
		return false;
	id = static_cast<uint32_t>(v);
	return true;
}

std::string rttable_n2a(uint32_t id)
{
	const std::string *n = db().tables.name(id);

	return n ? *n : to_dec(id);
}

bool rtprot_a2n(const std::string &s, uint32_t &id) { return a2n_u8(db().protos, s, id, 0); }

std::string rtprot_n2a(uint32_t id)
{
	const std::string *n = id < 256 ? db().protos.name(id) : nullptr;

	return n ? *n : to_dec(id);
}

bool rtscope_a2n(const std::string &s, uint32_t &id) { return a2n_u8(db().scopes, s, id, 0); }

std::string rtscope_n2a(uint32_t id)
{
	const std::string *n = id < 256 ? db().scopes.name(id) : nullptr;

	return n ? *n : to_dec(id);
}

bool dsfield_a2n(const std::string &s, uint32_t &id) { return a2n_u8(db().dsfield, s, id, 16); }

std::string dsfield_n2a(uint32_t id)
{
	if (id >= 256)
		return to_dec(id);

	const std::string *n = db().dsfield.name(id);

	if (n)
		return *n;

	char b[8];

	std::snprintf(b, sizeof(b), "0x%02x", id);
	return b;
}

bool rtntype_a2n(const std::string &s, uint32_t &id)
{
	unsigned long v;

	// lib/rtm_map.c: exact names, prefixes, numbers (in this order).
	if (s == "local")
		id = kRtnLocal;
	else if (s == "nat")
		id = kRtnNat;
	else if (matches(s, "broadcast") || s == "brd")
		id = kRtnBroadcast;
	else if (matches(s, "anycast"))
		id = kRtnAnycast;
	else if (matches(s, "multicast"))
		id = kRtnMulticast;
	else if (matches(s, "prohibit"))
		id = kRtnProhibit;
	else if (matches(s, "unreachable"))
		id = kRtnUnreachable;
	else if (matches(s, "blackhole"))
		id = kRtnBlackhole;
	else if (matches(s, "xresolve"))
		id = kRtnXresolve;
	else if (matches(s, "unicast"))
		id = kRtnUnicast;
	else if (s == "throw")
		id = kRtnThrow;
	else if (get_ulong_any(s, v, 0) && v <= 255)
		id = static_cast<uint32_t>(v);
	else
		return false;
	return true;
}

std::string rtntype_n2a(uint32_t id)
{
	static const char *const names[] = {"none", "unicast", "local", "broadcast", "anycast", "multicast",
					    "blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve"};

	return id < sizeof(names) / sizeof(names[0]) ? names[id] : to_dec(id);
}

bool nud_state_a2n(const std::string &s, uint32_t &state)
{
	if (matches(s, "permanent"))
		state = kNudPermanent;
	else if (matches(s, "reachable"))
		state = kNudReachable;
	else if (s == "noarp")
		state = kNudNoarp;
	else if (s == "none")
		state = kNudNone;
	else if (s == "stale")
		state = kNudStale;
	else if (s == "incomplete")
		state = kNudIncomplete;
	else if (s == "delay")
		state = kNudDelay;
	else if (s == "probe")
		state = kNudProbe;
	else if (matches(s, "failed"))
		state = kNudFailed;
	else {
		unsigned long v;

		if (!get_ulong_any(s, v, 0) || v >= 0x100 || (v & (v - 1)))
			return false;
		state = static_cast<uint32_t>(v);
	}
	return true;
}

std::vector<std::string> nud_state_names(uint32_t state)
{
	static const std::pair<uint32_t, const char *> bits[] = {
		{kNudIncomplete, "INCOMPLETE"}, {kNudReachable, "REACHABLE"}, {kNudStale, "STALE"},
		{kNudDelay, "DELAY"},           {kNudProbe, "PROBE"},         {kNudFailed, "FAILED"},
		{kNudNoarp, "NOARP"},           {kNudPermanent, "PERMANENT"},
	};
	std::vector<std::string> out;

	for (const auto &b : bits)
		if (state & b.first)
			out.emplace_back(b.second);
	return out;
}

namespace {

const std::pair<int, const char *> kProtoFallback[] = {
	{0, "ip"}, {1, "icmp"}, {2, "igmp"}, {6, "tcp"}, {17, "udp"}, {47, "gre"},
	{50, "esp"}, {51, "ah"}, {58, "ipv6-icmp"}, {132, "sctp"}, {136, "udplite"},
};

}  // namespace

int inet_proto_a2n(const std::string &s)
{
	uint8_t v;

	if (get_u8(s, v, 10))
		return v;
	if (const protoent *pe = getprotobyname(s.c_str()))
		return pe->p_proto;
	for (const auto &p : kProtoFallback)
		if (s == p.second)
			return p.first;
	return -1;
}

std::string inet_proto_n2a(uint32_t proto)
{
	if (const protoent *pe = getprotobynumber(static_cast<int>(proto)))
		return pe->p_name;
	for (const auto &p : kProtoFallback)
		if (static_cast<uint32_t>(p.first) == proto)
			return p.second;
	return "ipproto-" + std::to_string(proto);
}

/* Command line helpers */

const std::string &next_arg(const Args &args, size_t &i)
{
	if (i + 1 >= args.size())
		throw Failure(kExitUsage, "Command line is not complete. Try option \"help\"");
	return args[++i];
}

void duparg(const std::string &key, const std::string &arg)
{
	throw Failure(kExitUsage, "Error: duplicate \"" + key + "\": \"" + arg + "\" is the second value.");
}

void duparg2(const std::string &key, const std::string &arg)
{
	throw Failure(kExitUsage, "Error: either \"" + key + "\" is duplicate, or \"" + arg + "\" is a garbage.");
}

void nodev(const std::string &dev)
{
	throw Failure(kExitFail, "Cannot find device \"" + dev + "\"");
}

void fail(const std::string &line)
{
	throw Failure(kExitFail, line);
}

void show_usage(void (*usage)(FILE *))
{
	usage(stderr);
	throw Failure(kExitUsage, "");  // main() prints nothing more
}

uint32_t ifname_to_index(const std::string &name)
{
	if (name.empty() || name.size() >= IF_NAMESIZE || name.find('\0') != std::string::npos)
		return 0;
	return if_nametoindex(name.c_str());
}

std::string ifindex_to_name(uint32_t index)
{
	char buf[IF_NAMESIZE];

	if (index && if_indextoname(index, buf))
		return buf;
	return "if" + std::to_string(index);
}

bool valid_ifname(const std::string &name)
{
	if (name.empty() || name.size() >= IF_NAMESIZE)
		return false;
	for (char c : name)
		if (c == '/' || c == '\0' || std::isspace(static_cast<unsigned char>(c)))
			return false;
	return true;
}

uint32_t get_ifindex(const std::string &name)
{
	const uint32_t idx = ifname_to_index(name);

	if (!idx)
		nodev(name);
	return idx;
}

}  // namespace cxip
