// SPDX-License-Identifier: GPL-2.0
// cxip-unit: self-checks that need no kernel module: JSON escaping and
// layout, sysctl argument parsing, feature names, extack parsing.
#include <linux/cxnet.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "cxip.h"
#include "json.h"
#include "netlink.h"
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
	CHECK(cxnet_feature_names(CXNET_FEATURE_SYSCTL | (1ULL << 5) | (1ULL << 63)) ==
	      (S{"sysctl", "bit5", "bit63"}));
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

int main()
{
	test_json_quote();
	test_json_writer();
	test_sysctl_values();
	test_sysctl_names();
	test_features();
	test_matches();
	test_ext_ack();
	if (failures) {
		std::fprintf(stderr, "cxip-unit: %d check(s) failed\n", failures);
		return 1;
	}
	std::printf("cxip-unit: all checks passed\n");
	return 0;
}
