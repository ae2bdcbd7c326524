// SPDX-License-Identifier: GPL-2.0
// cxip-unit: self-checks that need no kernel module: JSON escaping and
// layout, sysctl argument parsing, feature names, extack parsing, the
// ip-compatible parsers and the printers of link/addr/route/rule/neigh/stats
// over canned attribute sets (tests/unit_rtnl.inc).
#include <linux/cxnet.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "cxip.h"
#include "json.h"
#include "netlink.h"
#include "rtnl.h"
#include "sysctl_args.h"

using namespace cxip;
using namespace std::string_literals;

static int failures;

#define CHECK(cond)                                                                  \
	do {                                                                          \
		if (!(cond)) {                                                        \
			std::fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
			failures++;                                                   \
		}                                                                     \
	} while (0)

#define CHECK_EQ(a, b)                                                                \
	do {                                                                           \
		const auto &a_ = (a);                                                  \
		const auto &b_ = (b);                                                  \
		if (!(a_ == b_)) {                                                     \
			std::ostringstream os_;                                        \
			os_ << a_ << " != " << b_;                                     \
			std::fprintf(stderr, "%s:%d: CHECK_EQ(%s, %s) failed: %s\n", __FILE__, __LINE__, #a, #b, \
				     os_.str().c_str());                               \
			failures++;                                                    \
		}                                                                      \
	} while (0)

static void test_json_quote()
{
	CHECK_EQ(json_quote(""), "\"\""s);
	CHECK_EQ(json_quote("net.ipv4.x"), "\"net.ipv4.x\""s);
	CHECK_EQ(json_quote("a\"b\\c/d"), "\"a\\\"b\\\\c/d\""s);
	CHECK_EQ(json_quote("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\""s);
	CHECK_EQ(json_quote("\x01\x1f\x7f"), "\"\\u0001\\u001f\\u007f\""s);
	CHECK_EQ(json_quote("a\0b"s), "\"a\\u0000b\""s);
	// Valid UTF-8 (2, 3, 4 bytes) passes through.
	CHECK_EQ(json_quote("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\""s);
	// Invalid UTF-8: each bad byte becomes U+FFFD.
	CHECK_EQ(json_quote("\xff"), "\"\\ufffd\""s);
	CHECK_EQ(json_quote("a\xc3"), "\"a\\ufffd\""s);            // truncated
	CHECK_EQ(json_quote("\xc0\xaf"), "\"\\ufffd\\ufffd\""s);    // overlong '/'
	CHECK_EQ(json_quote("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\""s);  // overlong
	CHECK_EQ(json_quote("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""s);  // surrogate
	CHECK_EQ(json_quote("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\""s);  // > U+10FFFF
	CHECK_EQ(json_quote("\xc3\x28"), "\"\\ufffd(\""s);          // bad continuation
}

static std::string sample_doc(bool pretty)
{
	std::ostringstream os;
	JsonWriter jw(os, pretty);

	jw.start_object();
	jw.member("version", "0.1.0");
	jw.member("family", 19u);
	jw.name("features");
	jw.start_array();
	jw.value("genl");
	jw.value("socket");
	jw.end_array();
	jw.name("empty");
	jw.start_array();
	jw.end_array();
	jw.member("neg", int64_t{-5});
	jw.name("counts");
	jw.start_object();
	jw.member("sockets", 0u);
	jw.end_object();
	jw.end_object();
	jw.finish();
	return os.str();
}

static void test_json_writer()
{
	CHECK_EQ(sample_doc(false),
		 "{\"version\":\"0.1.0\",\"family\":19,\"features\":[\"genl\",\"socket\"],\"empty\":[],"
		 "\"neg\":-5,\"counts\":{\"sockets\":0}}\n"s);
	// iproute2's json_writer layout.
	CHECK_EQ(sample_doc(true),
		 "{\n"
		 "    \"version\": \"0.1.0\",\n"
		 "    \"family\": 19,\n"
		 "    \"features\": [ \"genl\",\"socket\" ],\n"
		 "    \"empty\": [ ],\n"
		 "    \"neg\": -5,\n"
		 "    \"counts\": {\n"
		 "        \"sockets\": 0\n"
		 "    }\n"
		 "}\n"s);

	std::ostringstream os;
	JsonWriter jw(os, false);

	jw.start_object();
	jw.end_object();
	jw.finish();
	CHECK_EQ(os.str(), "{}\n"s);
}

static std::vector<int64_t> values_ok(const char *text)
{
	std::vector<int64_t> v;
	std::string err;

	if (!sysctl_parse_values(text, v, err)) {
		std::fprintf(stderr, "unexpected parse failure of \"%s\": %s\n", text, err.c_str());
		failures++;
	}
	return v;
}

static std::string values_err(const std::string &text)
{
	std::vector<int64_t> v;
	std::string err;

	if (sysctl_parse_values(text, v, err)) {
		std::fprintf(stderr, "\"%s\" parsed but should not\n", text.c_str());
		failures++;
	}
	return err;
}

static void test_sysctl_values()
{
	using V = std::vector<int64_t>;

	CHECK(values_ok("1024 65000") == (V{1024, 65000}));
	CHECK(values_ok("1024\t65000") == (V{1024, 65000}));
	CHECK(values_ok("  7 \t 8\t") == (V{7, 8}));
	CHECK(values_ok("-1") == (V{-1}));
	CHECK(values_ok("+5") == (V{5}));
	CHECK(values_ok("0") == (V{0}));
	CHECK(values_ok("1 2 3 4") == (V{1, 2, 3, 4}));
	CHECK(values_ok("9223372036854775807 -9223372036854775808") ==
	      (V{INT64_MAX, INT64_MIN}));

	CHECK_EQ(values_err("abc"), "\"abc\" is not an integer"s);
	CHECK_EQ(values_err("1 x"), "\"x\" is not an integer"s);
	CHECK_EQ(values_err("12x"), "\"12x\" is not an integer"s);
	CHECK_EQ(values_err("0x10"), "\"0x10\" is not an integer"s);
	CHECK_EQ(values_err("1,2"), "\"1,2\" is not an integer"s);
	CHECK_EQ(values_err("+-1"), "\"+-1\" is not an integer"s);
	CHECK_EQ(values_err("-"), "\"-\" is not an integer"s);
	CHECK_EQ(values_err("+"), "\"+\" is not an integer"s);
	CHECK_EQ(values_err("1.5"), "\"1.5\" is not an integer"s);
	CHECK_EQ(values_err("1\n2"), "\"1\n2\" is not an integer"s);
	CHECK_EQ(values_err(""), "a value is required"s);
	CHECK_EQ(values_err(" \t "), "a value is required"s);
	CHECK_EQ(values_err("9223372036854775808"), "\"9223372036854775808\" is out of range"s);
	CHECK_EQ(values_err("1 2 3 4 5"), "at most 4 values are allowed"s);
	static_assert(CXNET_SYSCTL_MAX_VALUES == 4, "update the test above");

	CHECK_EQ(sysctl_format_values({32768, 60999}), "32768\t60999"s);
	CHECK_EQ(sysctl_format_values({-1}), "-1"s);
}

static void test_sysctl_names()
{
	std::string name, value;

	CHECK_EQ(sysctl_normalize_name("net.ipv4.ip_local_port_range"), "net.ipv4.ip_local_port_range"s);
	CHECK_EQ(sysctl_normalize_name("net/ipv4/ip_local_port_range"), "net.ipv4.ip_local_port_range"s);
	CHECK_EQ(sysctl_normalize_name("/net/ipv4/tcp_rmem"), "net.ipv4.tcp_rmem"s);
	CHECK_EQ(sysctl_normalize_name("net/ipv4/conf/eth0.100/x"), "net.ipv4.conf.eth0/100.x"s);
	CHECK_EQ(sysctl_normalize_name(""), ""s);

	std::string err;
	CHECK(sysctl_check_name("net.ipv4.ip_local_port_range", err));
	CHECK(sysctl_check_name(std::string(CXNET_SYSCTL_NAME_MAX, 'x'), err));
	CHECK(!sysctl_check_name(std::string(CXNET_SYSCTL_NAME_MAX + 1, 'x'), err));
	CHECK_EQ(err, "a NAME has at most 127 characters"s);
	CHECK(!sysctl_check_name("", err));
	CHECK_EQ(err, "a NAME is required"s);
	CHECK(!sysctl_check_name("a\0b"s, err));

	CHECK(sysctl_split_assignment("net.ipv4.x=1024 65000", name, value));
	CHECK_EQ(name, "net.ipv4.x"s);
	CHECK_EQ(value, "1024 65000"s);
	CHECK(sysctl_split_assignment(" a.b = -1 ", name, value));
	CHECK_EQ(name, "a.b"s);
	CHECK_EQ(value, "-1"s);
	CHECK(sysctl_split_assignment("a=", name, value));
	CHECK_EQ(value, ""s);
	CHECK(sysctl_split_assignment("a=b=c", name, value));
	CHECK_EQ(value, "b=c"s);
	CHECK(!sysctl_split_assignment("a.b", name, value));
}

static void test_features()
{
	using S = std::vector<std::string>;

	CHECK(cxnet_feature_names(0).empty());
	CHECK(cxnet_feature_names(CXNET_FEATURE_GENL | CXNET_FEATURE_SOCKET | CXNET_FEATURE_SYSCTL) ==
	      (S{"genl", "socket", "sysctl"}));
	CHECK(cxnet_feature_names(CXNET_FEATURE_SYSCTL | CXNET_FEATURE_UDP) == (S{"sysctl", "udp"}));
	CHECK(cxnet_feature_names(CXNET_FEATURE_SYSCTL | (1ULL << 40) | (1ULL << 63)) ==
	      (S{"sysctl", "bit40", "bit63"}));
}

static void test_matches()
{
	CHECK(matches("sys", "sysctl"));
	CHECK(matches("sysctl", "sysctl"));
	CHECK(!matches("sysctls", "sysctl"));
	CHECK(!matches("", "sysctl"));
	CHECK(matches("-j", "-json"));
	CHECK(!matches("-x", "-json"));
}

// An NLMSG_ERROR as the kernel builds it (netlink_ack): nlmsgerr, then the
// echoed request payload unless capped, then TLVs.
static NlMsgPtr make_error(int error, bool capped, bool tlvs, const char *msg)
{
	char payload[6] = {1, 2, 3, 4, 5, 6};  // odd size: exercises alignment
	int flags = (capped ? NLM_F_CAPPED : 0) | (tlvs ? NLM_F_ACK_TLVS : 0);
	NlMsgPtr m(nlmsg_alloc_simple(NLMSG_ERROR, flags));
	nlmsgerr e{};

	e.error = -error;
	e.msg.nlmsg_len = NLMSG_HDRLEN + (capped ? 0 : sizeof(payload));
	e.msg.nlmsg_type = 0x20;
	CHECK(nlmsg_append(m.get(), &e, sizeof(e), NLMSG_ALIGNTO) == 0);
	if (!capped)
		CHECK(nlmsg_append(m.get(), payload, sizeof(payload), NLMSG_ALIGNTO) == 0);
	if (tlvs) {
		CHECK(nla_put_u32(m.get(), NLMSGERR_ATTR_OFFS, 20) == 0);
		if (msg)
			CHECK(nla_put_string(m.get(), NLMSGERR_ATTR_MSG, msg) == 0);
		CHECK(nla_put_u32(m.get(), NLMSGERR_ATTR_MISS_TYPE, 8) == 0);
	}
	return m;
}

static void test_ext_ack()
{
	for (bool capped : {true, false}) {
		NlMsgPtr m = make_error(EPERM, capped, true, "sysctl is read-only");
		ExtAck a = parse_error_ext_ack(nlmsg_hdr(m.get()));

		CHECK_EQ(a.msg, "sysctl is read-only"s);
		CHECK_EQ(a.offset, 20);
		CHECK_EQ(a.missing_type, 8);
		CHECK_EQ(format_netlink_error(EPERM, a), "Error: sysctl is read-only."s);

		NetlinkError err(EPERM, a);
		CHECK_EQ(err.error(), EPERM);
		CHECK_EQ(err.code(), kExitNetlink);
		CHECK_EQ(std::string(err.what()), "Error: sysctl is read-only."s);
	}
	// No NLM_F_ACK_TLVS: nothing is parsed, even if bytes follow.
	{
		NlMsgPtr m = make_error(EINVAL, true, false, nullptr);
		ExtAck a = parse_error_ext_ack(nlmsg_hdr(m.get()));

		CHECK(a.msg.empty());
		CHECK_EQ(a.offset, -1);
		CHECK_EQ(format_netlink_error(EINVAL, a), "Error: cxnet answers: Invalid argument"s);
	}
	// TLVs without a message: strerror, plus the missing attribute.
	{
		NlMsgPtr m = make_error(EINVAL, false, true, nullptr);
		ExtAck a = parse_error_ext_ack(nlmsg_hdr(m.get()));

		CHECK(a.msg.empty());
		CHECK_EQ(format_netlink_error(EINVAL, a), "Error: cxnet answers: Invalid argument (missing attribute 8)"s);
	}
	CHECK_EQ(format_netlink_error(EPERM, ExtAck{}), "Error: cxnet answers: Operation not permitted"s);
	CHECK_EQ(format_netlink_error(ENOENT, ExtAck{"no such tunable.", -1, -1}), "Error: no such tunable."s);

	// NLMSG_DONE of a failed dump: int error, then TLVs.
	{
		NlMsgPtr m(nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS));
		int err = -EPERM;

		CHECK(nlmsg_append(m.get(), &err, sizeof(err), NLMSG_ALIGNTO) == 0);
		CHECK(nla_put_string(m.get(), NLMSGERR_ATTR_MSG, "dump denied") == 0);
		CHECK_EQ(parse_done_ext_ack(nlmsg_hdr(m.get())).msg, "dump denied"s);
	}
	// A truncated echo length must not be trusted.
	{
		NlMsgPtr m = make_error(EINVAL, false, true, "x");
		auto *e = static_cast<nlmsgerr *>(nlmsg_data(nlmsg_hdr(m.get())));

		e->msg.nlmsg_len = 0xffff;
		CHECK(parse_error_ext_ack(nlmsg_hdr(m.get())).msg.empty());
	}
}

/* ---- the ip-like objects ---------------------------------------------------------- */

static uint32_t ip4(const char *s)
{
	uint32_t be = 0;

	CHECK(parse_ipv4(s, be));
	return be;
}

// What a call throws: {exit code, message}; {-1, ""} if it returned.
template <typename F> static std::pair<int, std::string> failure_of(F f)
{
	try {
		f();
	} catch (const Failure &e) {
		return {e.code(), e.what()};
	}
	return {-1, ""};
}

static std::string ifname_of(uint32_t idx)
{
	return idx == 1 ? "lo" : idx == 2 ? "veth0" : idx == 3 ? "veth1" : "if" + std::to_string(idx);
}

static ShowOpts test_opts(int stats = 0)
{
	ShowOpts o;

	o.stats = stats;
	o.ifname = ifname_of;
	return o;
}

// A generic netlink message as cxnet sends it, parsed back with cxip's policy.
class TestMsg {
public:
	explicit TestMsg(uint8_t cmd) : m_(nlmsg_alloc())
	{
		CHECK(genlmsg_put(m_.get(), 0, 0, 0x20, 0, 0, cmd, CXNET_GENL_VERSION) != nullptr);
	}
	nl_msg *get() { return m_.get(); }
	TestMsg &u8(int t, uint8_t v) { CHECK(nla_put_u8(get(), t, v) == 0); return *this; }
	TestMsg &u16(int t, uint16_t v) { CHECK(nla_put_u16(get(), t, v) == 0); return *this; }
	TestMsg &u32(int t, uint32_t v) { CHECK(nla_put_u32(get(), t, v) == 0); return *this; }
	TestMsg &u64(int t, uint64_t v) { CHECK(nla_put_u64(get(), t, v) == 0); return *this; }
	TestMsg &ip(int t, const char *a) { return u32(t, ip4(a)); }
	TestMsg &str(int t, const char *s) { CHECK(nla_put_string(get(), t, s) == 0); return *this; }
	TestMsg &bytes(int t, std::vector<uint8_t> b)
	{
		CHECK(nla_put(get(), t, static_cast<int>(b.size()), b.data()) == 0);
		return *this;
	}
	nlattr *nest(int t) { return nla_nest_start(get(), t); }
	void end(nlattr *n) { CHECK(nla_nest_end(get(), n) == 0); }
	TestMsg &counters(std::vector<std::pair<const char *, uint64_t>> list)
	{
		nlattr *c = nest(CXNET_A_COUNTERS);

		for (const auto &e : list) {
			nlattr *n = nest(CXNET_COUNTERS_A_ENTRY);

			str(CXNET_COUNTER_A_NAME, e.first);
			u64(CXNET_COUNTER_A_VALUE, e.second);
			end(n);
		}
		end(c);
		return *this;
	}
	Attrs attrs()
	{
		std::vector<nlattr *> tb(CXNET_A_MAX + 1, nullptr);

		CHECK(genlmsg_parse(nlmsg_hdr(get()), 0, tb.data(), CXNET_A_MAX,
				    const_cast<nla_policy *>(rtnl_policy().data())) == 0);
		return Attrs(std::move(tb));
	}

private:
	NlMsgPtr m_;
};

// The attributes a GenlRequest carries, parsed as the kernel would see them.
static Attrs request_attrs(GenlRequest &req)
{
	std::vector<nlattr *> tb(CXNET_A_MAX + 1, nullptr);

	CHECK(genlmsg_parse(nlmsg_hdr(req.get()), 0, tb.data(), CXNET_A_MAX,
			    const_cast<nla_policy *>(rtnl_policy().data())) == 0);
	return Attrs(std::move(tb));
}

template <typename F> static std::string text_of(F f, bool oneline = false)
{
	std::ostringstream os;
	Emitter e(os, nullptr, oneline);

	f(e);
	return os.str();
}

template <typename F> static std::string json_of(F f)
{
	std::ostringstream os;
	JsonWriter jw(os, false);
	Emitter e(os, &jw);

	jw.start_object();
	f(e);
	jw.end_object();
	jw.finish();
	return os.str();
}

static Args A(std::initializer_list<const char *> l)
{
	return Args(l.begin(), l.end());
}

static void test_parse_addresses()
{
	uint32_t be;
	Prefix p;

	CHECK_EQ(ipv4_n2a(ip4("10.1.2.3")), "10.1.2.3"s);
	CHECK_EQ(ipv4_n2a(ip4("10")), "10.0.0.0"s);      // missing bytes are zero
	CHECK_EQ(ipv4_n2a(ip4("10.1")), "10.1.0.0"s);
	CHECK_EQ(ipv4_n2a(ip4("0x0a.010.1.1")), "10.8.1.1"s);  // strtoul base 0
	CHECK(!parse_ipv4("256.1.1.1", be));
	CHECK(!parse_ipv4("1.2.3.4.5", be));
	CHECK(!parse_ipv4("1..2", be));
	CHECK(!parse_ipv4("", be));
	CHECK(!parse_ipv4("a.b", be));
	CHECK(!parse_ipv4("1.2.3.4 ", be));

	CHECK(parse_prefix("10.0.0.0/8", Family::Unspec, p));
	CHECK(p.has_addr && p.len == 8 && p.len_given && p.addr == ip4("10.0.0.0"));
	CHECK(parse_prefix("10/8", Family::Unspec, p) && p.addr == ip4("10.0.0.0") && p.len == 8);
	CHECK(parse_prefix("1.2.3.4", Family::Unspec, p) && p.len == 32 && !p.len_given && p.has_addr);
	CHECK(parse_prefix("1.2.3.0/255.255.255.0", Family::Unspec, p) && p.len == 24);
	CHECK(!parse_prefix("1.2.3.0/255.0.255.0", Family::Unspec, p));
	CHECK(!parse_prefix("1.2.3.4/33", Family::Unspec, p));
	CHECK(!parse_prefix("1.2.3.4/", Family::Unspec, p));
	CHECK(parse_prefix("default", Family::Unspec, p) && p.len == 0 && !p.has_addr && p.len_given);
	CHECK(parse_prefix("default", Family::Inet, p) && p.len == 0 && p.has_addr && p.addr == 0);
	CHECK(parse_prefix("all", Family::Inet, p) && p.len == 0 && !p.has_addr);
	CHECK(parse_prefix("any", Family::Unspec, p) && p.len == 0 && !p.has_addr);
	CHECK(!parse_prefix("default/8", Family::Unspec, p));
	CHECK(!parse_prefix("2001:db8::/32", Family::Unspec, p));
	CHECK(!parse_prefix("foo", Family::Unspec, p));

	// ip's messages and exit codes (get_prefix/get_addr exit 1).
	auto f = failure_of([] { get_prefix("foo", Family::Unspec); });
	CHECK_EQ(f.first, 1);
	CHECK_EQ(f.second, "Error: any valid prefix is expected rather than \"foo\"."s);
	f = failure_of([] { get_prefix("1.2.3/33", Family::Inet); });
	CHECK_EQ(f.second, "Error: inet prefix is expected rather than \"1.2.3/33\"."s);
	f = failure_of([] { get_addr("x", Family::Inet); });
	CHECK_EQ(f.first, 1);
	CHECK_EQ(f.second, "Error: inet address is expected rather than \"x\"."s);
	CHECK_EQ(get_addr("default", Family::Unspec), 0u);

	CHECK(inet_addr_match(ip4("10.1.2.3"), ip4("10.0.0.0"), 8));
	CHECK(!inet_addr_match(ip4("11.1.2.3"), ip4("10.0.0.0"), 8));
	CHECK(inet_addr_match(ip4("11.1.2.3"), ip4("10.0.0.0"), 0));
	CHECK(inet_addr_match(ip4("10.0.0.1"), ip4("10.0.0.1"), 32));
	CHECK(!inet_addr_match(ip4("10.0.0.1"), ip4("10.0.0.0"), 32));
}

static void test_parse_numbers()
{
	uint32_t v32;
	uint16_t v16;
	uint8_t v8;
	int32_t s32;

	CHECK(get_u32("0x10", v32) && v32 == 16);
	CHECK(get_u32("010", v32) && v32 == 8);
	CHECK(get_u32("4294967295", v32) && v32 == 4294967295u);
	CHECK(!get_u32("4294967296", v32));
	CHECK(!get_u32("", v32));
	CHECK(!get_u32("1x", v32));
	CHECK(get_u32("10", v32, 16) && v32 == 16);
	CHECK(get_u16("65535", v16) && v16 == 65535);
	CHECK(!get_u16("65536", v16));
	CHECK(get_u8("255", v8) && v8 == 255);
	CHECK(!get_u8("256", v8));
	CHECK(get_s32("-1", s32) && s32 == -1);
	CHECK(!get_s32("2147483648", s32));

	std::vector<uint8_t> mac;
	std::string bad;

	CHECK(parse_lladdr("aa:bb:cc:dd:ee:ff", mac, bad));
	CHECK(mac == (std::vector<uint8_t>{0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}));
	CHECK_EQ(lladdr_n2a(mac), "aa:bb:cc:dd:ee:ff"s);
	CHECK(parse_lladdr("1:2", mac, bad) && mac.size() == 2 && mac[1] == 2);
	CHECK(parse_lladdr("1.2.3.4", mac, bad) && mac.size() == 4 && mac[0] == 1);
	CHECK(!parse_lladdr("zz", mac, bad));
	CHECK_EQ(bad, "zz"s);
	CHECK(!parse_lladdr("aa:100:cc", mac, bad));
	CHECK_EQ(bad, "100"s);
	auto f = failure_of([] { get_lladdr("aa:zz"); });
	CHECK_EQ(f.first, 1);
	CHECK_EQ(f.second, "\"zz\" is invalid lladdr."s);

	uint16_t a, b;

	CHECK(parse_port_range("5-10", a, b) && a == 5 && b == 10);
	CHECK(parse_port_range("7", a, b) && a == 7 && b == 7);
	CHECK(!parse_port_range("x", a, b));

	Args args = A({"via"});
	size_t i = 0;
	f = failure_of([&] { next_arg(args, i); });
	CHECK_EQ(f.first, 255);
	CHECK_EQ(f.second, "Command line is not complete. Try option \"help\""s);
	f = failure_of([] { nodev("nope"); });
	CHECK_EQ(f.first, 1);
	CHECK_EQ(f.second, "Cannot find device \"nope\""s);
	CHECK(valid_ifname("veth0"));
	CHECK(!valid_ifname("a/b"));
	CHECK(!valid_ifname("a b"));
	CHECK(!valid_ifname("0123456789abcdef"));
	CHECK(!valid_ifname(""));
	CHECK_EQ(get_ifindex("lo"), 1u);
	CHECK_EQ(ifindex_to_name(1), "lo"s);
	CHECK_EQ(ifindex_to_name(0x7ffffff0u), "if2147483632"s);
}

static void test_names()
{
	uint32_t id;

	set_names_dir("");  // built-ins only
	CHECK(rttable_a2n("main", id) && id == 254);
	CHECK(rttable_a2n("local", id) && id == 255);
	CHECK(rttable_a2n("default", id) && id == 253);
	CHECK(rttable_a2n("100", id) && id == 100);
	CHECK(rttable_a2n("0x10", id) && id == 16);
	CHECK(rttable_a2n("4294967295", id) && id == 4294967295u);
	CHECK(!rttable_a2n("loc", id));  // names are never abbreviated
	CHECK(!rttable_a2n("all", id));
	CHECK_EQ(rttable_n2a(254), "main"s);
	CHECK_EQ(rttable_n2a(100), "100"s);
	CHECK(rtprot_a2n("kernel", id) && id == 2);
	CHECK(rtprot_a2n("boot", id) && id == 3);
	CHECK(rtprot_a2n("static", id) && id == 4);
	CHECK(rtprot_a2n("dhcp", id) && id == 16);
	CHECK(!rtprot_a2n("256", id));
	CHECK_EQ(rtprot_n2a(2), "kernel"s);
	CHECK_EQ(rtprot_n2a(250), "250"s);
	CHECK(rtscope_a2n("global", id) && id == 0);
	CHECK(rtscope_a2n("link", id) && id == 253);
	CHECK(rtscope_a2n("host", id) && id == 254);
	CHECK(rtscope_a2n("site", id) && id == 200);
	CHECK(rtscope_a2n("nowhere", id) && id == 255);
	CHECK(rtscope_a2n("17", id) && id == 17);
	CHECK(!rtscope_a2n("universe", id));
	CHECK_EQ(rtscope_n2a(253), "link"s);
	CHECK_EQ(rtscope_n2a(17), "17"s);
	CHECK(dsfield_a2n("10", id) && id == 0x10);  // hex, as ip
	CHECK(dsfield_a2n("0x10", id) && id == 0x10);
	CHECK(!dsfield_a2n("100", id));
	CHECK_EQ(dsfield_n2a(0x10), "0x10"s);

	// Files: rt_tables (+ .d/*.conf), rt_protos, rt_scopes, rt_dsfield.
	char tmpl[] = "/tmp/cxip-unit-XXXXXX";
	const std::string dir = mkdtemp(tmpl) ? tmpl : "";

	CHECK(!dir.empty());
	{
		std::ofstream(dir + "/rt_tables") << "# comment\n255\tlocal\n100 vpn\n  0x65\thex101 # trailing\n\n";
		CHECK(mkdir((dir + "/rt_tables.d").c_str(), 0700) == 0);
		std::ofstream(dir + "/rt_tables.d/x.conf") << "200 extra\n";
		std::ofstream(dir + "/rt_tables.d/ignored") << "201 nope\n";
		std::ofstream(dir + "/rt_protos") << "99 mine\n";
		std::ofstream(dir + "/rt_scopes") << "100 myscope\n";
		std::ofstream(dir + "/rt_dsfield") << "0x20\tCS1\n";
	}
	set_names_dir(dir);
	CHECK(rttable_a2n("vpn", id) && id == 100);
	CHECK(rttable_a2n("main", id) && id == 254);
	CHECK_EQ(rttable_n2a(101), "hex101"s);
	CHECK_EQ(rttable_n2a(200), "extra"s);
	CHECK(!rttable_a2n("nope", id));
	CHECK(rtprot_a2n("mine", id) && id == 99);
	CHECK_EQ(rtprot_n2a(99), "mine"s);
	CHECK(rtscope_a2n("myscope", id) && id == 100);
	CHECK(dsfield_a2n("CS1", id) && id == 0x20);
	CHECK_EQ(dsfield_n2a(0x20), "CS1"s);
	set_names_dir("");
	CHECK(!rttable_a2n("vpn", id));
	std::system(("rm -rf " + dir).c_str());

	CHECK(rtntype_a2n("local", id) && id == kRtnLocal);
	CHECK(rtntype_a2n("brd", id) && id == kRtnBroadcast);
	CHECK(rtntype_a2n("b", id) && id == kRtnBroadcast);
	CHECK(rtntype_a2n("u", id) && id == kRtnUnreachable);  // ip's order: unreachable before unicast
	CHECK(rtntype_a2n("uni", id) && id == kRtnUnicast);
	CHECK(rtntype_a2n("bl", id) && id == kRtnBlackhole);
	CHECK(rtntype_a2n("throw", id) && id == kRtnThrow);
	CHECK(!rtntype_a2n("thr", id));
	CHECK(!rtntype_a2n("loc", id));
	CHECK(rtntype_a2n("9", id) && id == 9);
	CHECK(!rtntype_a2n("default", id));
	CHECK_EQ(rtntype_n2a(kRtnBroadcast), "broadcast"s);
	CHECK_EQ(rtntype_n2a(0), "none"s);
	CHECK_EQ(rtntype_n2a(77), "77"s);

	CHECK(nud_state_a2n("perm", id) && id == kNudPermanent);
	CHECK(nud_state_a2n("reach", id) && id == kNudReachable);
	CHECK(nud_state_a2n("stale", id) && id == kNudStale);
	CHECK(!nud_state_a2n("st", id));
	CHECK(nud_state_a2n("f", id) && id == kNudFailed);
	CHECK(nud_state_a2n("noarp", id) && id == kNudNoarp);
	CHECK(nud_state_a2n("none", id) && id == 0);
	CHECK(nud_state_a2n("0x4", id) && id == 4);
	CHECK(!nud_state_a2n("3", id));
	CHECK(!nud_state_a2n("256", id));
	CHECK(nud_state_names(kNudReachable | kNudPermanent) == (std::vector<std::string>{"REACHABLE", "PERMANENT"}));
	CHECK(nud_state_names(kNudIncomplete) == (std::vector<std::string>{"INCOMPLETE"}));

	CHECK_EQ(inet_proto_a2n("udp"), 17);
	CHECK_EQ(inet_proto_a2n("tcp"), 6);
	CHECK_EQ(inet_proto_a2n("17"), 17);
	CHECK_EQ(inet_proto_a2n("nope"), -1);
	CHECK_EQ(inet_proto_n2a(17), "udp"s);
	CHECK_EQ(inet_proto_n2a(6), "tcp"s);
}

static void test_modify_commands()
{
	const auto flags = [](const char *c, bool route) {
		const auto m = modify_command(c, route);

		return m ? static_cast<int64_t>(m->nlflags) | (m->del ? 0x10000 : 0) : -1;
	};

	CHECK_EQ(flags("add", true), int64_t{kNlmCreate | kNlmExcl});
	CHECK_EQ(flags("a", true), int64_t{kNlmCreate | kNlmExcl});  // add before append
	CHECK_EQ(flags("ap", true), int64_t{kNlmCreate | kNlmAppend});
	CHECK_EQ(flags("p", true), int64_t{kNlmCreate});
	CHECK_EQ(flags("replace", true), int64_t{kNlmCreate | kNlmReplace});
	CHECK_EQ(flags("r", false), int64_t{kNlmCreate | kNlmReplace});
	CHECK_EQ(flags("c", true), int64_t{kNlmReplace});
	CHECK_EQ(flags("chg", false), int64_t{kNlmReplace});
	CHECK_EQ(flags("t", true), int64_t{kNlmExcl});
	CHECK_EQ(flags("d", true), int64_t{0x10000});
	CHECK_EQ(flags("del", false), int64_t{0x10000});
	CHECK_EQ(flags("ap", false), int64_t{-1});
	CHECK_EQ(flags("prepend", false), int64_t{-1});
	CHECK_EQ(flags("show", true), int64_t{-1});

	// The flags go in CXNET_A_REQUEST_FLAGS (not the genl header), only for adds.
	GenlRequest add(0x20, CXNET_CMD_ROUTE_ADD, 0);
	put_request_flags(add, *modify_command("append", true));
	const Attrs a = request_attrs(add);
	CHECK(a.has(CXNET_A_REQUEST_FLAGS));
	CHECK_EQ(a.u32(CXNET_A_REQUEST_FLAGS), kNlmCreate | kNlmAppend);
	CHECK_EQ(nlmsg_hdr(add.get())->nlmsg_flags & (kNlmCreate | kNlmExcl | kNlmReplace | kNlmAppend), 0u);
	GenlRequest del(0x20, CXNET_CMD_ROUTE_DEL, 0);
	put_request_flags(del, *modify_command("del", true));
	CHECK(!request_attrs(del).has(CXNET_A_REQUEST_FLAGS));
}

static void test_route_args()
{
	Context ctx;
	RouteRequest r = parse_route_args(ctx, A({"add", "10.0.0.0/24", "dev", "lo"}), false);

	// iproute_modify(): unicast without gateway is scope link; table main; proto boot.
	CHECK(r.has_dst);
	CHECK_EQ(ipv4_n2a(r.r.dst), "10.0.0.0"s);
	CHECK_EQ(int{r.r.dst_len}, 24);
	CHECK_EQ(r.r.table, kTableMain);
	CHECK_EQ(int{r.r.scope}, int{kScopeLink});
	CHECK_EQ(int{r.r.type}, int{kRtnUnicast});
	CHECK_EQ(int{r.r.protocol}, int{kProtBoot});
	CHECK(r.r.oif && *r.r.oif == 1);

	r = parse_route_args(ctx, A({"add", "default", "via", "10.0.0.1"}), false);
	CHECK(!r.has_dst);  // "default" without -4 carries no address
	CHECK_EQ(int{r.r.dst_len}, 0);
	CHECK_EQ(int{r.r.scope}, int{kScopeUniverse});
	CHECK(r.r.gateway && *r.r.gateway == ip4("10.0.0.1"));

	r = parse_route_args(ctx, A({"add", "local", "10.0.0.1", "dev", "lo"}), false);
	CHECK_EQ(r.r.table, kTableLocal);
	CHECK_EQ(int{r.r.scope}, int{kScopeHost});
	CHECK_EQ(int{r.r.type}, int{kRtnLocal});
	CHECK_EQ(int{r.r.dst_len}, 32);

	r = parse_route_args(ctx, A({"add", "broadcast", "10.0.0.255", "dev", "lo"}), false);
	CHECK_EQ(r.r.table, kTableLocal);
	CHECK_EQ(int{r.r.scope}, int{kScopeLink});
	r = parse_route_args(ctx, A({"add", "multicast", "224.0.0.0/4", "dev", "lo"}), false);
	CHECK_EQ(r.r.table, kTableMain);
	CHECK_EQ(int{r.r.scope}, int{kScopeLink});
	r = parse_route_args(ctx, A({"add", "blackhole", "10.1.0.0/16"}), false);
	CHECK_EQ(int{r.r.type}, int{kRtnBlackhole});
	CHECK_EQ(int{r.r.scope}, int{kScopeUniverse});
	r = parse_route_args(ctx, A({"add", "unreachable", "10.1.0.0/16", "table", "100", "metric", "5", "proto",
				    "static", "tos", "10", "src", "1.2.3.4", "mtu", "lock", "1400", "onlink"}),
			     false);
	CHECK_EQ(r.r.table, 100u);
	CHECK(r.r.priority && *r.r.priority == 5);
	CHECK_EQ(int{r.r.protocol}, 4);
	CHECK_EQ(int{r.r.tos}, 0x10);
	CHECK(r.r.prefsrc && *r.r.prefsrc == ip4("1.2.3.4"));
	CHECK(r.r.mtu && *r.r.mtu == 1400);
	CHECK_EQ(int{r.r.nh_flags}, int{kRtnhOnlink});
	r = parse_route_args(ctx, A({"add", "to", "10.2.0.0/16", "scope", "host", "dev", "lo", "t", "main"}), false);
	CHECK_EQ(int{r.r.scope}, int{kScopeHost});
	CHECK_EQ(r.r.table, kTableMain);

	// Deletion: any type, scope nowhere, protocol unspec.
	r = parse_route_args(ctx, A({"del", "10.0.0.0/24"}), true);
	CHECK_EQ(int{r.r.type}, 0);
	CHECK_EQ(int{r.r.scope}, int{kScopeNowhere});
	CHECK_EQ(int{r.r.protocol}, 0);
	CHECK_EQ(r.r.table, kTableMain);
	r = parse_route_args(ctx, A({"del", "local", "10.0.0.1"}), true);
	CHECK_EQ(r.r.table, kTableLocal);
	CHECK_EQ(int{r.r.scope}, int{kScopeHost});

	r = parse_route_args(ctx, A({"add", "10.3.0.0/16", "nexthop", "via", "10.0.0.1", "dev", "lo", "weight", "2",
				    "nexthop", "via", "inet", "10.0.0.2", "onlink"}),
			     false);
	CHECK_EQ(r.r.nexthops.size(), size_t{2});
	CHECK_EQ(int{r.r.scope}, int{kScopeUniverse});
	CHECK(r.r.nexthops[0].gateway && *r.r.nexthops[0].gateway == ip4("10.0.0.1"));
	CHECK_EQ(r.r.nexthops[0].ifindex, 1u);
	CHECK_EQ(r.r.nexthops[0].weight, 2);
	CHECK_EQ(int{r.r.nexthops[1].flags}, int{kRtnhOnlink});
	CHECK_EQ(r.r.nexthops[1].weight, 1);

	// The request carries it all (and parses back the same).
	GenlRequest req(0x20, CXNET_CMD_ROUTE_ADD, 0);
	put_route(req, r.r, r.has_dst);
	const RouteInfo back = parse_route(request_attrs(req));
	CHECK_EQ(back.dst, r.r.dst);
	CHECK_EQ(int{back.dst_len}, 16);
	CHECK_EQ(back.nexthops.size(), size_t{2});
	CHECK_EQ(back.nexthops[0].weight, 2);
	CHECK(back.nexthops[1].gateway && *back.nexthops[1].gateway == ip4("10.0.0.2"));
	CHECK_EQ(int{back.nexthops[1].flags}, int{kRtnhOnlink});

	const auto fail_of = [&](Args a) { return failure_of([&] { parse_route_args(ctx, a, false); }); };
	auto f = fail_of(A({"add", "10.0.0.0/8", "via", "1.1.1.1", "via", "1.1.1.2"}));
	CHECK_EQ(f.first, 255);
	CHECK_EQ(f.second, "Error: argument \"via\" is wrong: use nexthop syntax to specify multiple via\n"s);
	f = fail_of(A({"add", "nope", "dev", "lo"}));
	CHECK_EQ(f.first, 1);
	CHECK_EQ(f.second, "Error: any valid prefix is expected rather than \"nope\"."s);
	f = fail_of(A({"add", "10.0.0.0/8", "10.1.0.0/16"}));
	CHECK_EQ(f.second, "Error: either \"to\" is duplicate, or \"10.1.0.0/16\" is a garbage."s);
	f = fail_of(A({"add", "10.0.0.0/8", "table", "loc"}));
	CHECK_EQ(f.second, "Error: argument \"loc\" is wrong: \"table\" value is invalid\n"s);
	f = fail_of(A({"add", "10.0.0.0/8", "dev", "nope-nope"}));
	CHECK_EQ(f.first, 1);
	CHECK_EQ(f.second, "Cannot find device \"nope-nope\""s);
	f = fail_of(A({"add", "10.0.0.0/8", "nexthop", "via", "1.1.1.1", "weight", "0"}));
	CHECK_EQ(f.second, "Error: argument \"0\" is wrong: \"weight\" is invalid\n"s);
	f = fail_of(A({"add", "10.0.0.0/8", "nexthop", "via", "1.1.1.1", "bogus"}));
	CHECK_EQ(f.second, "Error: \"nexthop\" or end of line is expected instead of \"bogus\""s);
	f = fail_of(A({"add", "10.0.0.0/8", "advmss", "1400"}));
	CHECK_EQ(f.second, "Error: argument \"advmss\" is wrong: not supported by cxnet\n"s);
	f = fail_of(A({"add", "dev", "lo"}));
	CHECK_EQ(f.first, 255);  // usage
	f = fail_of(A({"add", "10.0.0.0/8", "metric"}));
	CHECK_EQ(f.second, "Command line is not complete. Try option \"help\""s);
}

static void test_addr_args()
{
	Context ctx;
	AddrRequest a = parse_addr_args(ctx, A({"add", "10.0.0.1/24", "brd", "+", "dev", "lo"}), false);

	CHECK(a.has_local);
	CHECK_EQ(ipv4_n2a(a.a.local), "10.0.0.1"s);
	CHECK_EQ(int{a.a.prefixlen}, 24);
	CHECK(a.a.broadcast && ipv4_n2a(*a.a.broadcast) == "10.0.0.255");
	CHECK_EQ(int{a.a.scope}, 0);
	CHECK_EQ(a.a.ifindex, 1u);
	a = parse_addr_args(ctx, A({"add", "10.0.0.1/24", "broadcast", "-", "dev", "lo"}), false);
	CHECK(a.a.broadcast && ipv4_n2a(*a.a.broadcast) == "10.0.0.0");
	a = parse_addr_args(ctx, A({"add", "10.0.0.1/31", "brd", "+", "dev", "lo"}), false);
	CHECK(!a.a.broadcast);  // no broadcast above /30
	a = parse_addr_args(ctx, A({"add", "10.0.0.1/24", "brd", "10.0.0.77", "dev", "lo"}), false);
	CHECK(a.a.broadcast && ipv4_n2a(*a.a.broadcast) == "10.0.0.77");
	a = parse_addr_args(ctx, A({"add", "127.0.0.2/8", "dev", "lo", "label", "lo:1"}), false);
	CHECK_EQ(int{a.a.scope}, int{kScopeHost});  // default_scope()
	CHECK(a.a.label && *a.a.label == "lo:1");
	a = parse_addr_args(ctx, A({"add", "local", "10.0.0.1", "scope", "link", "dev", "lo"}), false);
	CHECK_EQ(int{a.a.prefixlen}, 32);
	CHECK_EQ(int{a.a.scope}, int{kScopeLink});
	a = parse_addr_args(ctx, A({"del", "10.0.0.1/24", "dev", "lo"}), true);
	CHECK_EQ(int{a.a.prefixlen}, 24);

	// put_addr(): deletions carry no broadcast/scope.
	GenlRequest req(0x20, CXNET_CMD_ADDR_DEL, 0);
	a.a.broadcast = ip4("10.0.0.255");
	put_addr(req, a.a, true, true);
	const Attrs at = request_attrs(req);
	CHECK(!at.has(CXNET_A_ADDR_BROADCAST));
	CHECK(!at.has(CXNET_A_ADDR_SCOPE));
	CHECK_EQ(at.u8(CXNET_A_ADDR_PREFIXLEN), 24);

	auto f = failure_of([&] { parse_addr_args(ctx, A({"add", "10.0.0.1/24"}), false); });
	CHECK_EQ(f.first, 1);
	CHECK_EQ(f.second, "Not enough information: \"dev\" argument is required."s);
	f = failure_of([&] { parse_addr_args(ctx, A({"add", "10.0.0.1/24", "brd", "+", "brd", "+", "dev", "lo"}), false); });
	CHECK_EQ(f.second, "Error: duplicate \"broadcast\": \"+\" is the second value."s);
	f = failure_of([&] { parse_addr_args(ctx, A({"add", "10.0.0.1/24", "scope", "bogus", "dev", "lo"}), false); });
	CHECK_EQ(f.second, "Error: argument \"bogus\" is wrong: invalid scope value."s);
	f = failure_of([&] { parse_addr_args(ctx, A({"add", "10.0.0.1/24", "dev", "nope-nope"}), false); });
	CHECK_EQ(f.second, "Cannot find device \"nope-nope\""s);
}

static void test_rule_args()
{
	Context ctx;
	RuleInfo r = parse_rule_args(ctx,
				     A({"add", "from", "10.0.0.0/8", "to", "1.2.3.4", "tos", "0x10", "fwmark", "0x10/0xff",
					"iif", "lo", "ipproto", "udp", "sport", "5-10", "dport", "7", "pref", "100",
					"table", "100", "suppress_prefixlength", "0"}),
				     false);

	CHECK(r.src && *r.src == ip4("10.0.0.0"));
	CHECK_EQ(int{r.src_len}, 8);
	CHECK(r.dst && *r.dst == ip4("1.2.3.4"));
	CHECK_EQ(int{r.dst_len}, 32);
	CHECK_EQ(int{r.tos}, 0x10);
	CHECK(r.fwmark && *r.fwmark == 0x10 && r.fwmask && *r.fwmask == 0xff);
	CHECK(r.iif && *r.iif == 1);
	CHECK(r.ipproto && *r.ipproto == 17);
	CHECK(r.sport && r.sport->first == 5 && r.sport->second == 10);
	CHECK(r.dport && r.dport->first == 7 && r.dport->second == 7);
	CHECK(r.pref && *r.pref == 100);
	CHECK_EQ(r.table, 100u);
	CHECK(r.suppress_prefixlen && *r.suppress_prefixlen == 0);
	CHECK_EQ(int{r.action}, int{kFrActToTbl});

	r = parse_rule_args(ctx, A({"add", "from", "all", "lookup", "main"}), false);
	CHECK(!r.src);
	CHECK_EQ(int{r.src_len}, 0);
	CHECK_EQ(r.table, kTableMain);
	r = parse_rule_args(ctx, A({"add", "not", "from", "1.2.3.4", "blackhole"}), false);
	CHECK_EQ(int{r.action}, int{kRtnBlackhole});
	CHECK_EQ(r.table, 0u);  // an action is not a lookup
	CHECK_EQ(r.flags, kFibRuleInvert);
	r = parse_rule_args(ctx, A({"add", "fwmark", "3", "nop", "order", "98"}), false);
	CHECK_EQ(int{r.action}, int{kFrActNop});
	CHECK(r.pref && *r.pref == 98);
	CHECK(r.fwmark && *r.fwmark == 3 && !r.fwmask);
	r = parse_rule_args(ctx, A({"add", "type", "prohibit"}), false);
	CHECK_EQ(int{r.action}, int{kRtnProhibit});
	r = parse_rule_args(ctx, A({"del", "priority", "100"}), true);
	CHECK_EQ(int{r.action}, int{kFrActUnspec});
	CHECK_EQ(r.table, 0u);

	GenlRequest req(0x20, CXNET_CMD_RULE_ADD, 0);
	r = parse_rule_args(ctx, A({"add", "from", "10.0.0.0/8", "sport", "5-10", "lookup", "7"}), false);
	put_rule(req, r);
	const RuleInfo back = parse_rule(request_attrs(req));
	CHECK(back.src && *back.src == ip4("10.0.0.0") && back.src_len == 8);
	CHECK(back.sport && back.sport->second == 10);
	CHECK_EQ(back.table, 7u);

	auto f = failure_of([&] { parse_rule_args(ctx, A({"add"}), false); });
	CHECK_EQ(f.first, 1);
	CHECK_EQ(f.second, "\"ip rule add\" requires arguments."s);
	f = failure_of([&] { parse_rule_args(ctx, A({"add", "lookup", "nope"}), false); });
	CHECK_EQ(f.second, "Error: argument \"nope\" is wrong: invalid table ID\n"s);
	f = failure_of([&] { parse_rule_args(ctx, A({"add", "bogus"}), false); });
	CHECK_EQ(f.second, "Error: argument \"bogus\" is wrong: Failed to parse rule type"s);
	f = failure_of([&] { parse_rule_args(ctx, A({"add", "sport", "x"}), false); });
	CHECK_EQ(f.second, "Error: argument \"x\" is wrong: invalid port range\n"s);
	f = failure_of([&] { parse_rule_args(ctx, A({"add", "iif", "a/b"}), false); });
	CHECK_EQ(f.second, "Error: argument \"a/b\" is wrong: \"iif\"/\"dev\" not a valid ifname"s);
	f = failure_of([&] { parse_rule_args(ctx, A({"add", "iif", "nope-nope"}), false); });
	CHECK_EQ(f.second, "Cannot find device \"nope-nope\""s);
}

static void test_neigh_args()
{
	Context ctx;
	NeighInfo n = parse_neigh_args(ctx, A({"add", "10.0.0.2", "lladdr", "aa:bb:cc:dd:ee:ff", "dev", "lo", "nud",
					       "reachable"}),
				       false);

	CHECK_EQ(ipv4_n2a(n.dst), "10.0.0.2"s);
	CHECK_EQ(lladdr_n2a(n.lladdr), "aa:bb:cc:dd:ee:ff"s);
	CHECK_EQ(n.state, kNudReachable);
	CHECK_EQ(n.ifindex, 1u);
	n = parse_neigh_args(ctx, A({"add", "to", "10.0.0.3", "lladdr", "null", "dev", "lo"}), false);
	CHECK(n.lladdr.empty());
	CHECK_EQ(n.state, kNudPermanent);

	auto f = failure_of([&] { parse_neigh_args(ctx, A({"add", "10.0.0.2", "lladdr", "aa:bb"}), false); });
	CHECK_EQ(f.first, 255);
	CHECK_EQ(f.second, "Device and destination are required arguments."s);
	f = failure_of([&] { parse_neigh_args(ctx, A({"add", "10.0.0.2", "nud", "bogus", "dev", "lo"}), false); });
	CHECK_EQ(f.second, "Error: argument \"bogus\" is wrong: nud state is bad"s);
	f = failure_of([&] { parse_neigh_args(ctx, A({"add", "10.0.0.2", "lladdr", "zz", "dev", "lo"}), false); });
	CHECK_EQ(f.second, "\"zz\" is invalid lladdr."s);
}

static TestMsg veth0_link()
{
	TestMsg m(CXNET_CMD_LINK_NEW);

	m.u32(CXNET_A_IFINDEX, 2).str(CXNET_A_IFNAME, "veth0").u32(CXNET_A_LINK_MTU, 1500);
	m.bytes(CXNET_A_LINK_ADDRESS, {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x01});
	m.u32(CXNET_A_LINK_FLAGS, 0x1 | 0x2 | 0x40 | 0x1000 | 0x10000);  // UP BROADCAST RUNNING MULTICAST LOWER_UP

	nlattr *s = m.nest(CXNET_A_LINK_STATS);

	m.u64(CXNET_LINK_STAT_A_RX_PACKETS, 12).u64(CXNET_LINK_STAT_A_RX_BYTES, 1234);
	m.u64(CXNET_LINK_STAT_A_RX_DROPPED, 3).u64(CXNET_LINK_STAT_A_TX_PACKETS, 7);
	m.u64(CXNET_LINK_STAT_A_TX_BYTES, 123456789012ULL).u64(CXNET_LINK_STAT_A_RX_PASSED, 5);
	m.end(s);
	m.counters({{"no_route", 2}, {"martian", 0}, {"ttl", 1}});
	return m;
}

static void test_link_output()
{
	TestMsg m = veth0_link();
	const LinkInfo l = parse_link(m.attrs());

	CHECK_EQ(l.ifindex, 2u);
	CHECK_EQ(l.drops.size(), size_t{3});
	CHECK_EQ(text_of([&](Emitter &e) { print_link(e, l, test_opts()); }),
		 "2: veth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 cxnet\n"
		 "    link/ether aa:bb:cc:dd:ee:01 brd ff:ff:ff:ff:ff:ff\n"s);
	// -s: ip's print_stats64() columns (sized by the widest of RX and TX),
	// then drops by reason (nonzero) and frames left to Linux.
	CHECK_EQ(text_of([&](Emitter &e) { print_link(e, l, test_opts(1)); }),
		 "2: veth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 cxnet\n"
		 "    link/ether aa:bb:cc:dd:ee:01 brd ff:ff:ff:ff:ff:ff\n"
		 "    RX:    bytes packets errors dropped  missed   mcast           \n"
		 "            1234      12      0       3       0       0 \n"
		 "    TX:    bytes packets errors dropped carrier collsns           \n"
		 "    123456789012       7      0       0       0       0 \n"
		 "    drops: no_route 2 ttl 1\n"
		 "    passed: 5\n"s);
	CHECK_EQ(json_of([&](Emitter &e) { print_link(e, l, test_opts(1)); }),
		 "{\"ifindex\":2,\"ifname\":\"veth0\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"UP\",\"LOWER_UP\"],"
		 "\"mtu\":1500,\"link_type\":\"ether\",\"address\":\"aa:bb:cc:dd:ee:01\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\","
		 "\"stats64\":{\"rx\":{\"bytes\":1234,\"packets\":12,\"errors\":0,\"dropped\":3,\"over_errors\":0,"
		 "\"multicast\":0,\"passed\":5},\"tx\":{\"bytes\":123456789012,\"packets\":7,\"errors\":0,\"dropped\":0,"
		 "\"carrier_errors\":0,\"collisions\":0}},\"drops\":{\"no_route\":2,\"martian\":0,\"ttl\":1}}\n"s);
	// -4 (address lists): no link/ether line; -o: one line.
	CHECK_EQ(text_of([&](Emitter &e) { print_link_header(e, l, true); }),
		 "2: veth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 cxnet"s);
	CHECK_EQ(text_of([&](Emitter &e) { print_link(e, l, test_opts()); }, true),
		 "2: veth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 cxnet\\"
		 "    link/ether aa:bb:cc:dd:ee:01 brd ff:ff:ff:ff:ff:ff\n"s);

	CHECK(link_flag_names(0x1 | 0x2) == (std::vector<std::string>{"NO-CARRIER", "BROADCAST", "UP"}));
	CHECK(link_flag_names(0x8 | 0x1 | 0x40 | 0x10000) == (std::vector<std::string>{"LOOPBACK", "UP", "LOWER_UP"}));
	CHECK(link_flag_names(0x80000) == (std::vector<std::string>{"80000"}));
}

static void test_addr_output()
{
	TestMsg m(CXNET_CMD_ADDR_NEW);

	m.u32(CXNET_A_IFINDEX, 2).ip(CXNET_A_ADDR_LOCAL, "10.0.0.1").u8(CXNET_A_ADDR_PREFIXLEN, 24);
	m.ip(CXNET_A_ADDR_BROADCAST, "10.0.0.255").u8(CXNET_A_ADDR_SCOPE, 0).str(CXNET_A_ADDR_LABEL, "veth0");
	m.u32(CXNET_A_ADDR_FLAGS, kIfaPermanent);

	const AddrInfo a = parse_addr(m.attrs());

	CHECK_EQ(text_of([&](Emitter &e) { print_addr(e, a, test_opts(), false); }),
		 "    inet 10.0.0.1/24 brd 10.0.0.255 scope global veth0\n"
		 "       valid_lft forever preferred_lft forever\n"s);
	CHECK_EQ(text_of([&](Emitter &e) { print_addr(e, a, test_opts(), true); }, true),
		 "2: veth0    inet 10.0.0.1/24 brd 10.0.0.255 scope global veth0\\"
		 "       valid_lft forever preferred_lft forever\n"s);
	CHECK_EQ(json_of([&](Emitter &e) { print_addr(e, a, test_opts(), false); }),
		 "{\"family\":\"inet\",\"local\":\"10.0.0.1\",\"prefixlen\":24,\"broadcast\":\"10.0.0.255\","
		 "\"scope\":\"global\",\"label\":\"veth0\",\"valid_life_time\":4294967295,"
		 "\"preferred_life_time\":4294967295}\n"s);

	TestMsg s(CXNET_CMD_ADDR_NEW);

	s.u32(CXNET_A_IFINDEX, 2).ip(CXNET_A_ADDR_LOCAL, "10.0.0.2").u8(CXNET_A_ADDR_PREFIXLEN, 24);
	s.u8(CXNET_A_ADDR_SCOPE, kScopeLink).str(CXNET_A_ADDR_LABEL, "veth0:1");
	s.u32(CXNET_A_ADDR_FLAGS, kIfaPermanent | kIfaSecondary);

	const AddrInfo sec = parse_addr(s.attrs());

	CHECK_EQ(text_of([&](Emitter &e) { print_addr(e, sec, test_opts(), false); }),
		 "    inet 10.0.0.2/24 scope link secondary veth0:1\n"
		 "       valid_lft forever preferred_lft forever\n"s);
	CHECK_EQ(json_of([&](Emitter &e) { print_addr(e, sec, test_opts(), false); }),
		 "{\"family\":\"inet\",\"local\":\"10.0.0.2\",\"prefixlen\":24,\"scope\":\"link\",\"secondary\":true,"
		 "\"label\":\"veth0:1\",\"valid_life_time\":4294967295,\"preferred_life_time\":4294967295}\n"s);

	// No label: the device's name; no PERMANENT: "dynamic".
	AddrInfo d = sec;
	d.label.reset();
	d.flags = 0x200;
	CHECK_EQ(text_of([&](Emitter &e) { print_addr(e, d, test_opts(), false); }),
		 "    inet 10.0.0.2/24 scope link dynamic noprefixroute veth0\n"
		 "       valid_lft forever preferred_lft forever\n"s);
}

static void test_route_output()
{
	const ShowOpts o = test_opts();
	RoutePrintOpts main_only;
	RoutePrintOpts all;

	all.filter_table = 0;

	TestMsg k(CXNET_CMD_ROUTE_NEW);
	k.u32(CXNET_A_RT_TABLE, kTableMain).ip(CXNET_A_RT_DST, "10.0.0.0").u8(CXNET_A_RT_DST_LEN, 24);
	k.u8(CXNET_A_RT_TOS, 0).u8(CXNET_A_RT_TYPE, kRtnUnicast).u8(CXNET_A_RT_SCOPE, kScopeLink);
	k.u8(CXNET_A_RT_PROTOCOL, kProtKernel).u32(CXNET_A_RT_PRIORITY, 0).ip(CXNET_A_RT_PREFSRC, "10.0.0.1");
	k.u32(CXNET_A_RT_OIF, 2);
	const RouteInfo kernel = parse_route(k.attrs());
	const std::string kernel_line = "10.0.0.0/24 dev veth0 proto kernel scope link src 10.0.0.1 \n";

	CHECK_EQ(text_of([&](Emitter &e) { print_route(e, kernel, main_only, o); }), kernel_line);
	CHECK_EQ(text_of([&](Emitter &e) { print_route(e, kernel, all, o); }), kernel_line);
	CHECK_EQ(json_of([&](Emitter &e) { print_route(e, kernel, main_only, o); }),
		 "{\"dst\":\"10.0.0.0/24\",\"dev\":\"veth0\",\"protocol\":\"kernel\",\"scope\":\"link\","
		 "\"prefsrc\":\"10.0.0.1\",\"flags\":[]}\n"s);
	// `dev` filtered: not repeated.
	RoutePrintOpts by_dev;
	by_dev.hide_dev = true;
	CHECK_EQ(text_of([&](Emitter &e) { print_route(e, kernel, by_dev, o); }),
		 "10.0.0.0/24 proto kernel scope link src 10.0.0.1 \n"s);

	TestMsg d(CXNET_CMD_ROUTE_NEW);
	d.u32(CXNET_A_RT_TABLE, kTableMain).ip(CXNET_A_RT_DST, "0.0.0.0").u8(CXNET_A_RT_DST_LEN, 0);
	d.u8(CXNET_A_RT_TYPE, kRtnUnicast).u8(CXNET_A_RT_SCOPE, 0).u8(CXNET_A_RT_PROTOCOL, kProtBoot);
	d.u32(CXNET_A_RT_PRIORITY, 100).ip(CXNET_A_RT_GATEWAY, "10.0.0.254").u32(CXNET_A_RT_OIF, 2);
	d.u32(CXNET_A_RT_MTU, 1400).u8(CXNET_A_RT_NH_FLAGS, kRtnhOnlink);
	CHECK_EQ(text_of([&](Emitter &e) { print_route(e, parse_route(d.attrs()), main_only, o); }),
		 "default via 10.0.0.254 dev veth0 metric 100 onlink mtu 1400 \n"s);
	CHECK_EQ(json_of([&](Emitter &e) { print_route(e, parse_route(d.attrs()), main_only, o); }),
		 "{\"dst\":\"default\",\"gateway\":\"10.0.0.254\",\"dev\":\"veth0\",\"metric\":100,"
		 "\"flags\":[\"onlink\"],\"metrics\":[{\"mtu\":1400}]}\n"s);

	TestMsg l(CXNET_CMD_ROUTE_NEW);
	l.u32(CXNET_A_RT_TABLE, kTableLocal).ip(CXNET_A_RT_DST, "10.0.0.1").u8(CXNET_A_RT_DST_LEN, 32);
	l.u8(CXNET_A_RT_TYPE, kRtnLocal).u8(CXNET_A_RT_SCOPE, kScopeHost).u8(CXNET_A_RT_PROTOCOL, kProtKernel);
	l.ip(CXNET_A_RT_PREFSRC, "10.0.0.1").u32(CXNET_A_RT_OIF, 2);
	const RouteInfo local = parse_route(l.attrs());
	RoutePrintOpts only_local;
	only_local.filter_table = kTableLocal;
	CHECK_EQ(text_of([&](Emitter &e) { print_route(e, local, all, o); }),
		 "local 10.0.0.1 dev veth0 table local proto kernel scope host src 10.0.0.1 \n"s);
	CHECK_EQ(text_of([&](Emitter &e) { print_route(e, local, only_local, o); }),
		 "local 10.0.0.1 dev veth0 proto kernel scope host src 10.0.0.1 \n"s);
	CHECK_EQ(json_of([&](Emitter &e) { print_route(e, local, all, o); }),
		 "{\"type\":\"local\",\"dst\":\"10.0.0.1\",\"dev\":\"veth0\",\"table\":\"local\",\"protocol\":\"kernel\","
		 "\"scope\":\"host\",\"prefsrc\":\"10.0.0.1\",\"flags\":[]}\n"s);

	RouteInfo bh;
	bh.type = kRtnBlackhole;
	bh.dst = ip4("10.9.0.0");
	bh.dst_len = 16;
	bh.table = 100;
	CHECK_EQ(text_of([&](Emitter &e) { print_route(e, bh, all, o); }), "blackhole 10.9.0.0/16 table 100 \n"s);

	TestMsg mp(CXNET_CMD_ROUTE_NEW);
	mp.u32(CXNET_A_RT_TABLE, kTableMain).ip(CXNET_A_RT_DST, "10.3.0.0").u8(CXNET_A_RT_DST_LEN, 16);
	mp.u8(CXNET_A_RT_TYPE, kRtnUnicast).u8(CXNET_A_RT_PROTOCOL, kProtBoot);
	nlattr *nest = mp.nest(CXNET_A_RT_MULTIPATH);
	nlattr *n1 = mp.nest(CXNET_MP_A_NEXTHOP);
	mp.ip(CXNET_NH_A_GATEWAY, "10.0.0.1").u32(CXNET_NH_A_IFINDEX, 2).u16(CXNET_NH_A_WEIGHT, 1);
	mp.end(n1);
	nlattr *n2 = mp.nest(CXNET_MP_A_NEXTHOP);
	mp.ip(CXNET_NH_A_GATEWAY, "10.1.0.1").u32(CXNET_NH_A_IFINDEX, 3).u16(CXNET_NH_A_WEIGHT, 3);
	mp.u8(CXNET_NH_A_FLAGS, kRtnhDead);
	mp.end(n2);
	mp.end(nest);
	const RouteInfo multi = parse_route(mp.attrs());
	CHECK_EQ(text_of([&](Emitter &e) { print_route(e, multi, main_only, o); }),
		 "10.3.0.0/16 \n"
		 "\tnexthop via 10.0.0.1 dev veth0 weight 1 \n"
		 "\tnexthop via 10.1.0.1 dev veth1 weight 3 dead \n"s);
	CHECK_EQ(json_of([&](Emitter &e) { print_route(e, multi, main_only, o); }),
		 "{\"dst\":\"10.3.0.0/16\",\"flags\":[],\"nexthops\":[{\"gateway\":\"10.0.0.1\",\"dev\":\"veth0\","
		 "\"weight\":1,\"flags\":[]},{\"gateway\":\"10.1.0.1\",\"dev\":\"veth1\",\"weight\":3,"
		 "\"flags\":[\"dead\"]}]}\n"s);

	// `route get` answers (RTM_F_CLONED shape).
	RoutePrintOpts get;
	get.filter_table = 0;
	get.cloned = true;
	get.uid = 0;
	TestMsg g(CXNET_CMD_ROUTE_NEW);
	g.u32(CXNET_A_RT_TABLE, kTableMain).ip(CXNET_A_RT_DST, "10.0.0.2").u8(CXNET_A_RT_DST_LEN, 32);
	g.u8(CXNET_A_RT_TYPE, kRtnUnicast).u32(CXNET_A_RT_OIF, 2).ip(CXNET_A_RT_PREFSRC, "10.0.0.1");
	g.u32(CXNET_A_RT_RULE_PREF, 32766);
	const RouteInfo ga = parse_route(g.attrs());
	CHECK(ga.rule_pref && *ga.rule_pref == 32766);
	CHECK_EQ(text_of([&](Emitter &e) { print_route(e, ga, get, o); }),
		 "10.0.0.2 dev veth0 src 10.0.0.1 uid 0 \n    cache \n"s);
	CHECK_EQ(json_of([&](Emitter &e) { print_route(e, ga, get, o); }),
		 "{\"dst\":\"10.0.0.2\",\"dev\":\"veth0\",\"prefsrc\":\"10.0.0.1\",\"flags\":[],\"uid\":0,\"cache\":[]}\n"s);
	RouteInfo gl = ga;
	gl.type = kRtnLocal;
	gl.dst = ip4("10.0.0.1");
	CHECK_EQ(text_of([&](Emitter &e) { print_route(e, gl, get, o); }),
		 "local 10.0.0.1 dev veth0 src 10.0.0.1 uid 0 \n    cache <local> \n"s);
	CHECK_EQ(json_of([&](Emitter &e) { print_route(e, gl, get, o); }),
		 "{\"type\":\"local\",\"dst\":\"10.0.0.1\",\"dev\":\"veth0\",\"prefsrc\":\"10.0.0.1\",\"flags\":[],"
		 "\"uid\":0,\"cache\":[\"local\"]}\n"s);
	RouteInfo gb = ga;
	gb.type = kRtnBroadcast;
	gb.dst = ip4("10.0.0.255");
	gb.mark = 0x20;
	gb.mtu = 1400;
	CHECK_EQ(text_of([&](Emitter &e) { print_route(e, gb, get, o); }),
		 "broadcast 10.0.0.255 dev veth0 src 10.0.0.1 mark 0x20 uid 0 \n    cache <local,brd> mtu 1400 \n"s);
	RoutePrintOpts input = get;
	input.uid.reset();
	RouteInfo gi = gl;
	gi.src = ip4("10.0.0.2");
	gi.prefsrc.reset();
	gi.iif = 3;
	gi.table = kTableLocal;
	CHECK_EQ(text_of([&](Emitter &e) { print_route(e, gi, input, o); }),
		 "local 10.0.0.1 from 10.0.0.2 dev veth0 table local \n    cache <local> iif veth1 \n"s);
}

static void test_rule_output()
{
	const ShowOpts o = test_opts();
	TestMsg l(CXNET_CMD_RULE_NEW);

	l.u32(CXNET_A_RULE_PREF, 0).u8(CXNET_A_RULE_ACTION, kFrActToTbl).u32(CXNET_A_RULE_TABLE, kTableLocal);
	l.u32(CXNET_A_RULE_SUPPRESS_PREFIXLEN, 0xffffffffu).u32(CXNET_A_RULE_FLAGS, 0);
	const RuleInfo local = parse_rule(l.attrs());
	CHECK(!local.pref);
	CHECK_EQ(text_of([&](Emitter &e) { print_rule(e, local, o); }), "0:\tfrom all lookup local\n"s);
	CHECK_EQ(json_of([&](Emitter &e) { print_rule(e, local, o); }),
		 "{\"priority\":0,\"src\":\"all\",\"table\":\"local\"}\n"s);

	TestMsg c(CXNET_CMD_RULE_NEW);
	c.u32(CXNET_A_RULE_PREF, 100).u8(CXNET_A_RULE_ACTION, kFrActToTbl).u32(CXNET_A_RULE_TABLE, 100);
	c.ip(CXNET_A_RULE_SRC, "1.2.0.0").u8(CXNET_A_RULE_SRC_LEN, 16).ip(CXNET_A_RULE_DST, "10.0.0.0");
	c.u8(CXNET_A_RULE_DST_LEN, 8).u8(CXNET_A_RULE_TOS, 0x10).u32(CXNET_A_RULE_FWMARK, 0x10);
	c.u32(CXNET_A_RULE_FWMASK, 0xff).u32(CXNET_A_RULE_IIF, 1).u8(CXNET_A_RULE_IPPROTO, 17);
	c.u16(CXNET_A_RULE_SPORT_START, 5).u16(CXNET_A_RULE_SPORT_END, 10);
	c.u16(CXNET_A_RULE_DPORT_START, 7).u16(CXNET_A_RULE_DPORT_END, 7);
	c.u32(CXNET_A_RULE_SUPPRESS_PREFIXLEN, 0);
	const RuleInfo complex = parse_rule(c.attrs());
	// As ip 6.1 prints it (checked against the real thing).
	CHECK_EQ(text_of([&](Emitter &e) { print_rule(e, complex, o); }),
		 "100:\tfrom 1.2.0.0/16 to 10.0.0.0/8 tos 0x10 fwmark 0x10/0xff iif lo ipproto udp sport 5-10 dport 7 "
		 "lookup 100 suppress_prefixlength 0\n"s);
	CHECK_EQ(json_of([&](Emitter &e) { print_rule(e, complex, o); }),
		 "{\"priority\":100,\"src\":\"1.2.0.0\",\"srclen\":16,\"dst\":\"10.0.0.0\",\"dstlen\":8,\"tos\":\"0x10\","
		 "\"fwmark\":\"0x10\",\"fwmask\":\"0xff\",\"iif\":\"lo\",\"ipproto\":\"udp\",\"sport_start\":5,"
		 "\"sport_end\":10,\"dport\":7,\"table\":\"100\",\"suppress_prefixlen\":0}\n"s);

	RuleInfo bh;
	bh.pref = 99;
	bh.action = kRtnBlackhole;
	bh.src = ip4("1.2.3.4");
	bh.src_len = 32;
	bh.flags = kFibRuleInvert;
	CHECK_EQ(text_of([&](Emitter &e) { print_rule(e, bh, o); }), "99:\tnot from 1.2.3.4 blackhole\n"s);
	CHECK_EQ(json_of([&](Emitter &e) { print_rule(e, bh, o); }),
		 "{\"priority\":99,\"not\":null,\"src\":\"1.2.3.4\",\"action\":\"blackhole\"}\n"s);

	RuleInfo nop;
	nop.pref = 98;
	nop.action = kFrActNop;
	nop.fwmark = 3;
	nop.fwmask = 0xffffffffu;
	CHECK_EQ(text_of([&](Emitter &e) { print_rule(e, nop, o); }), "98:\tfrom all fwmark 0x3 nop\n"s);
	CHECK_EQ(json_of([&](Emitter &e) { print_rule(e, nop, o); }),
		 "{\"priority\":98,\"src\":\"all\",\"fwmark\":\"0x3\",\"nop\":null}\n"s);

	RuleInfo main_rule;
	main_rule.pref = 32766;
	main_rule.table = kTableMain;
	main_rule.oif = 2;
	main_rule.dport = std::make_pair(uint16_t{1}, uint16_t{1024});
	CHECK_EQ(text_of([&](Emitter &e) { print_rule(e, main_rule, o); }),
		 "32766:\tfrom all oif veth0 dport 1-1024 lookup main\n"s);
}

static void test_neigh_output()
{
	TestMsg m(CXNET_CMD_NEIGH_NEW);

	m.u32(CXNET_A_IFINDEX, 2).ip(CXNET_A_NEIGH_DST, "10.0.0.2");
	m.bytes(CXNET_A_NEIGH_LLADDR, {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}).u16(CXNET_A_NEIGH_STATE, kNudReachable);
	m.u32(CXNET_A_NEIGH_PROBES, 1).u32(CXNET_A_NEIGH_USED_MS, 5300).u32(CXNET_A_NEIGH_CONFIRMED_MS, 3000);
	m.u32(CXNET_A_NEIGH_UPDATED_MS, 2999).u32(CXNET_A_NEIGH_REFCNT, 1);

	const NeighInfo n = parse_neigh(m.attrs());

	CHECK_EQ(text_of([&](Emitter &e) { print_neigh(e, n, test_opts(), true); }),
		 "10.0.0.2 dev veth0 lladdr aa:bb:cc:dd:ee:ff REACHABLE \n"s);
	CHECK_EQ(text_of([&](Emitter &e) { print_neigh(e, n, test_opts(), false); }),
		 "10.0.0.2 lladdr aa:bb:cc:dd:ee:ff REACHABLE \n"s);
	// -s: print_cacheinfo() and probes, spaces exactly as ip's.
	CHECK_EQ(text_of([&](Emitter &e) { print_neigh(e, n, test_opts(1), true); }),
		 "10.0.0.2 dev veth0 lladdr aa:bb:cc:dd:ee:ff  ref 1 used 5/3/2probes 1 REACHABLE \n"s);
	CHECK_EQ(json_of([&](Emitter &e) { print_neigh(e, n, test_opts(), true); }),
		 "{\"dst\":\"10.0.0.2\",\"dev\":\"veth0\",\"lladdr\":\"aa:bb:cc:dd:ee:ff\",\"state\":[\"REACHABLE\"]}\n"s);
	CHECK_EQ(json_of([&](Emitter &e) { print_neigh(e, n, test_opts(1), true); }),
		 "{\"dst\":\"10.0.0.2\",\"dev\":\"veth0\",\"lladdr\":\"aa:bb:cc:dd:ee:ff\",\"refcnt\":1,\"used\":5,"
		 "\"confirmed\":3,\"updated\":2,\"probes\":1,\"state\":[\"REACHABLE\"]}\n"s);

	NeighInfo inc;
	inc.ifindex = 2;
	inc.dst = ip4("10.0.0.9");
	inc.state = kNudIncomplete;
	CHECK_EQ(text_of([&](Emitter &e) { print_neigh(e, inc, test_opts(), true); }),
		 "10.0.0.9 dev veth0 INCOMPLETE \n"s);
	inc.state = kNudFailed;
	inc.probes = 3;
	CHECK_EQ(text_of([&](Emitter &e) { print_neigh(e, inc, test_opts(1), true); }),
		 "10.0.0.9 dev veth0 probes 3 FAILED \n"s);
}

static void test_stats_output()
{
	std::vector<CounterGroup> groups;
	TestMsg a(CXNET_CMD_STATS_NEW), b(CXNET_CMD_STATS_NEW), c(CXNET_CMD_STATS_NEW);

	a.str(CXNET_A_STATS_GROUP, "Ip").counters({{"InReceives", 12}, {"InHdrErrors", 0}});
	b.str(CXNET_A_STATS_GROUP, "Icmp").counters({{"InMsgs", 3}});
	c.str(CXNET_A_STATS_GROUP, "Ip").counters({{"OutRequests", 9}});  // a group may span replies
	parse_stats(a.attrs(), groups);
	parse_stats(b.attrs(), groups);
	parse_stats(c.attrs(), groups);
	CHECK_EQ(groups.size(), size_t{2});

	std::ostringstream text;
	print_stats(text, groups, nullptr);
	CHECK_EQ(text.str(),
		 "Ip.InReceives                   12\n"
		 "Ip.InHdrErrors                  0\n"
		 "Ip.OutRequests                  9\n"
		 "Icmp.InMsgs                     3\n"s);

	std::ostringstream js;
	JsonWriter jw(js, false);
	print_stats(js, groups, &jw);
	CHECK_EQ(js.str(), "{\"Ip\":{\"InReceives\":12,\"InHdrErrors\":0,\"OutRequests\":9},\"Icmp\":{\"InMsgs\":3}}\n"s);
}

static void test_list_output()
{
	Context ctx;
	std::ostringstream os;

	ctx.json = true;
	{
		ListOutput out(ctx, os);

		out.finish();
	}
	CHECK_EQ(os.str(), "[]\n"s);  // ip -j of an empty list

	std::ostringstream pretty;

	ctx.pretty = true;
	{
		ListOutput out(ctx, pretty);

		out.begin();
		out.emitter().any("dst", "", "default");
		out.end();
		out.finish();
	}
	CHECK_EQ(pretty.str(), "[ {\n        \"dst\": \"default\"\n    } ]\n"s);

	CHECK_EQ(format_netlink_error(ENETUNREACH, ExtAck{}, kRtnetlinkAnswers),
		 "RTNETLINK answers: Network is unreachable"s);
	CHECK_EQ(format_netlink_error(EEXIST, ExtAck{"Address already assigned", -1, -1}, kRtnetlinkAnswers),
		 "Error: Address already assigned."s);
}

static void test_rtnl()
{
	test_parse_addresses();
	test_parse_numbers();
	test_names();
	test_modify_commands();
	test_route_args();
	test_addr_args();
	test_rule_args();
	test_neigh_args();
	test_link_output();
	test_addr_output();
	test_route_output();
	test_rule_output();
	test_neigh_output();
	test_stats_output();
	test_list_output();
}

int main()
{
	test_json_quote();
	test_json_writer();
	test_sysctl_values();
	test_sysctl_names();
	test_features();
	test_matches();
	test_ext_ack();
	test_rtnl();
	if (failures) {
		std::fprintf(stderr, "cxip-unit: %d check(s) failed\n", failures);
		return 1;
	}
	std::printf("cxip-unit: all checks passed\n");
	return 0;
}
