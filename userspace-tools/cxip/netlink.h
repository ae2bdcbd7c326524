// SPDX-License-Identifier: GPL-2.0
// cxip: small RAII layer over libnl-genl: socket + family resolution,
// request building, request/response with extended-ACK error reporting,
// and policy-checked attribute parsing.
#pragma once

#include <linux/cxnet.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cxip.h"

namespace cxip {

struct NlSockDeleter {
	void operator()(nl_sock *s) const noexcept { nl_socket_free(s); }
};
struct NlMsgDeleter {
	void operator()(nl_msg *m) const noexcept { nlmsg_free(m); }
};
struct NlCbDeleter {
	void operator()(nl_cb *c) const noexcept { nl_cb_put(c); }
};
using NlSockPtr = std::unique_ptr<nl_sock, NlSockDeleter>;
using NlMsgPtr = std::unique_ptr<nl_msg, NlMsgDeleter>;
using NlCbPtr = std::unique_ptr<nl_cb, NlCbDeleter>;

// What the kernel's extended ACK (NLMSGERR_ATTR_*) carried.
struct ExtAck {
	std::string msg;            // NLMSGERR_ATTR_MSG, "" if none
	int64_t offset = -1;        // NLMSGERR_ATTR_OFFS: offset of the bad attribute in the request
	int64_t missing_type = -1;  // NLMSGERR_ATTR_MISS_TYPE: required attribute that was missing
};

// TLVs of an NLMSG_ERROR message (error or ACK). They follow the echoed
// request header when NLM_F_CAPPED is set, the whole echoed request when
// not; nothing is parsed unless NLM_F_ACK_TLVS is set.
ExtAck parse_error_ext_ack(nlmsghdr *nlh);
// TLVs of the NLMSG_DONE ending a dump (they follow its int error).
ExtAck parse_done_ext_ack(nlmsghdr *nlh);

// What precedes strerror() for an error without an extack message.
constexpr const char *kCxnetAnswers = "Error: cxnet answers: ";
constexpr const char *kRtnetlinkAnswers = "RTNETLINK answers: ";  // ip's rtnl_talk_error()

// The line ip would print for a failed request (iproute2 nl_dump_ext_ack):
// "Error: <msg>" plus a '.' unless msg ends with one; without a message
// @answers + strerror (+ the missing attribute, if reported).
std::string format_netlink_error(int error, const ExtAck &ack, const char *answers = kCxnetAnswers);

// The kernel answered a request with an error. Exit code 2.
class NetlinkError : public Failure {
public:
	NetlinkError(int error, ExtAck ack, const char *answers = kCxnetAnswers);
	int error() const noexcept { return error_; }  // positive errno: EPERM, ENOENT, ...
	const ExtAck &ext_ack() const noexcept { return ack_; }

private:
	int error_;
	ExtAck ack_;
};

// A reply that does not match what the uapi promises. Exit code 2.
[[noreturn]] void malformed(const std::string &what);

// Attribute table (index = attribute type) pointing into a message that
// outlives it. Accessors check the payload size; a missing attribute reads
// as nullptr / has() == false.
class Attrs {
public:
	explicit Attrs(std::vector<nlattr *> tb) : tb_(std::move(tb)) {}
	nlattr *get(int type) const;
	bool has(int type) const { return get(type) != nullptr; }
	std::string str(int type) const;
	uint8_t u8(int type) const;
	uint16_t u16(int type) const;
	uint32_t u32(int type) const;
	std::vector<uint8_t> bytes(int type) const;
	uint64_t u64(int type) const;
	int64_t s64(int type) const;

private:
	const void *payload(int type, size_t size) const;
	std::vector<nlattr *> tb_;
};

// A policy for attribute types 0..N-1 (N = MAX + 1), zero-initialised
// (NLA_UNSPEC: anything goes) except what the caller sets.
template <size_t N> using Policy = std::array<nla_policy, N>;

Attrs parse_nested(const nlattr *nest, int maxtype, const nla_policy *policy);
template <size_t N> Attrs parse_nested(const nlattr *nest, const Policy<N> &p)
{
	return parse_nested(nest, static_cast<int>(N) - 1, p.data());
}

// A nest holding a list of repeated attributes: validates it against
// @policy and returns the attributes of type @type, in order.
std::vector<const nlattr *> parse_nested_list(const nlattr *nest, int type, int maxtype,
					      const nla_policy *policy);
template <size_t N>
std::vector<const nlattr *> parse_nested_list(const nlattr *nest, int type, const Policy<N> &p)
{
	return parse_nested_list(nest, type, static_cast<int>(N) - 1, p.data());
}

struct Reply {
	uint8_t cmd;         // genl command of the reply (e.g. CXNET_CMD_SYSCTL_NEW)
	const Attrs &attrs;  // top-level attributes, parsed with the caller's policy
};
using ReplyHandler = std::function<void(const Reply &)>;

class GenlRequest {
public:
	// @flags: extra NLM_F_* (NLM_F_DUMP); REQUEST and ACK are added on send.
	GenlRequest(int family, uint8_t cmd, int flags = 0);
	GenlRequest &put_string(int type, const std::string &s);
	GenlRequest &put_u8(int type, uint8_t v);
	GenlRequest &put_u16(int type, uint16_t v);
	GenlRequest &put_u32(int type, uint32_t v);
	// An IPv4 address already in network byte order (as its bytes).
	GenlRequest &put_be32(int type, uint32_t be) { return put_u32(type, be); }
	GenlRequest &put_binary(int type, const void *data, size_t len);
	GenlRequest &put_s64(int type, int64_t v);
	nlattr *nest_start(int type);
	void nest_end(nlattr *nest);
	nl_msg *get() const { return msg_.get(); }

private:
	static void check(int err);
	NlMsgPtr msg_;
};

class GenlSocket {
public:
	// Connects a generic netlink socket with extended ACKs enabled and
	// resolves @family_name. Throws Failure(kExitSetup) if that fails.
	explicit GenlSocket(const char *family_name = CXNET_GENL_NAME);
	int family() const { return family_; }
	// Prefix of errors without an extack message (kCxnetAnswers by default).
	void set_answers(const char *answers) { answers_ = answers; }

	GenlRequest request(uint8_t cmd, int flags = 0) const { return GenlRequest(family_, cmd, flags); }

	// Sends @req, then receives until its ACK (doit) or NLMSG_DONE (dump),
	// calling @on_reply for each reply of the family with its attributes
	// parsed by @policy. Throws NetlinkError when the kernel reports an
	// error (also one in NLMSG_DONE); prints extack warnings of successful
	// requests on stderr ("Warning: ...", as ip does). An exception thrown by
	// @on_reply is rethrown once the answer has been read to its end.
	void transact(GenlRequest &req, int maxtype, const nla_policy *policy, const ReplyHandler &on_reply);
	template <size_t N>
	void transact(GenlRequest &req, const Policy<N> &policy, const ReplyHandler &on_reply)
	{
		transact(req, static_cast<int>(N) - 1, policy.data(), on_reply);
	}

private:
	NlSockPtr sock_;
	int family_ = -1;
	const char *answers_ = kCxnetAnswers;
};

}  // namespace cxip
