// SPDX-License-Identifier: GPL-2.0
#include "netlink.h"

#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

namespace cxip {

/* Context (cxip.h): the socket is opened on first use. */

Context::Context() = default;
Context::~Context() = default;

GenlSocket &Context::socket()
{
	if (!sock_)
		sock_ = std::make_unique<GenlSocket>(CXNET_GENL_NAME);
	return *sock_;
}

/* Extended ACK */

namespace {

ExtAck parse_ext_ack_tlvs(nlmsghdr *nlh, int hdrlen)
{
	ExtAck ack;
	Policy<NLMSGERR_ATTR_MAX + 1> pol{};
	nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return ack;
	pol[NLMSGERR_ATTR_MSG].type = NLA_STRING;
	pol[NLMSGERR_ATTR_OFFS].type = NLA_U32;
	pol[NLMSGERR_ATTR_OFFS].minlen = sizeof(uint32_t);
	pol[NLMSGERR_ATTR_MISS_TYPE].type = NLA_U32;
	pol[NLMSGERR_ATTR_MISS_TYPE].minlen = sizeof(uint32_t);
	// nlmsg_parse() checks the message holds @hdrlen and aligns it.
	if (nlmsg_parse(nlh, hdrlen, tb, NLMSGERR_ATTR_MAX, pol.data()) < 0)
		return ack;  // a broken extack must not hide the error itself
	if (tb[NLMSGERR_ATTR_MSG])
		ack.msg = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
	if (tb[NLMSGERR_ATTR_OFFS])
		ack.offset = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		ack.missing_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	return ack;
}

}  // namespace

ExtAck parse_error_ext_ack(nlmsghdr *nlh)
{
	if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr)))
		return {};

	const auto *e = static_cast<const nlmsgerr *>(nlmsg_data(nlh));
	int hdrlen = sizeof(nlmsgerr);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		// The whole request was echoed: skip its payload too.
		if (e->msg.nlmsg_len < NLMSG_HDRLEN || e->msg.nlmsg_len > nlh->nlmsg_len)
			return {};
		hdrlen += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	return parse_ext_ack_tlvs(nlh, hdrlen);
}

ExtAck parse_done_ext_ack(nlmsghdr *nlh)
{
	if (nlh->nlmsg_type != NLMSG_DONE || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
		return {};
	return parse_ext_ack_tlvs(nlh, sizeof(int));
}

std::string format_netlink_error(int error, const ExtAck &ack, const char *answers)
{
	if (!ack.msg.empty()) {
		std::string line = "Error: " + ack.msg;

		if (ack.msg.back() != '.')
			line += '.';
		return line;
	}

	std::string line = answers;

	line += std::strerror(error);
	if (ack.missing_type >= 0)
		line += " (missing attribute " + std::to_string(ack.missing_type) + ")";
	return line;
}

NetlinkError::NetlinkError(int error, ExtAck ack, const char *answers)
	: Failure(kExitNetlink, format_netlink_error(error, ack, answers)), error_(error), ack_(std::move(ack))
{
}

void malformed(const std::string &what)
{
	throw Failure(kExitNetlink, "Error: malformed reply from cxnet: " + what + ".");
}

/* Attributes */

nlattr *Attrs::get(int type) const
{
	if (type < 0 || static_cast<size_t>(type) >= tb_.size())
		return nullptr;
	return tb_[type];
}

const void *Attrs::payload(int type, size_t size) const
{
	const nlattr *a = get(type);

	if (!a)
		malformed("attribute " + std::to_string(type) + " is missing");
	if (static_cast<size_t>(nla_len(a)) < size)
		malformed("attribute " + std::to_string(type) + " is too short");
	return nla_data(a);
}

std::string Attrs::str(int type) const
{
	const nlattr *a = get(type);

	if (!a)
		malformed("attribute " + std::to_string(type) + " is missing");

	const char *s = static_cast<const char *>(nla_data(a));

	return std::string(s, strnlen(s, nla_len(a)));
}

template <typename T> static T read_as(const void *p)
{
	T v;

	std::memcpy(&v, p, sizeof(v));
	return v;
}

uint8_t Attrs::u8(int type) const { return read_as<uint8_t>(payload(type, sizeof(uint8_t))); }
uint16_t Attrs::u16(int type) const { return read_as<uint16_t>(payload(type, sizeof(uint16_t))); }

std::vector<uint8_t> Attrs::bytes(int type) const
{
	const nlattr *a = get(type);

	if (!a)
		malformed("attribute " + std::to_string(type) + " is missing");

	const auto *p = static_cast<const uint8_t *>(nla_data(a));

	return std::vector<uint8_t>(p, p + nla_len(a));
}

uint32_t Attrs::u32(int type) const { return read_as<uint32_t>(payload(type, sizeof(uint32_t))); }
uint64_t Attrs::u64(int type) const { return read_as<uint64_t>(payload(type, sizeof(uint64_t))); }
int64_t Attrs::s64(int type) const { return read_as<int64_t>(payload(type, sizeof(int64_t))); }

Attrs parse_nested(const nlattr *nest, int maxtype, const nla_policy *policy)
{
	std::vector<nlattr *> tb(maxtype + 1, nullptr);
	int err = nla_parse_nested(tb.data(), maxtype, const_cast<nlattr *>(nest), policy);

	if (err < 0)
		malformed("nested attribute " + std::to_string(nla_type(nest)) + ": " + nl_geterror(err));
	return Attrs(std::move(tb));
}

std::vector<const nlattr *> parse_nested_list(const nlattr *nest, int type, int maxtype,
					      const nla_policy *policy)
{
	std::vector<const nlattr *> out;
	int err = nla_validate(static_cast<const nlattr *>(nla_data(nest)), nla_len(nest), maxtype, policy);
	const nlattr *pos;
	int rem;

	if (err < 0)
		malformed("nested attribute " + std::to_string(nla_type(nest)) + ": " + nl_geterror(err));
	nla_for_each_nested(pos, nest, rem) {
		if (nla_type(pos) == type)
			out.push_back(pos);
	}
	return out;
}

/* Requests */

void GenlRequest::check(int err)
{
	if (err < 0)
		throw Failure(kExitSetup, std::string("Error: cannot build netlink request: ") + nl_geterror(err) + ".");
}

GenlRequest::GenlRequest(int family, uint8_t cmd, int flags) : msg_(nlmsg_alloc())
{
	if (!msg_)
		throw std::bad_alloc();
	if (!genlmsg_put(msg_.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd, CXNET_GENL_VERSION))
		check(-NLE_NOMEM);
}

GenlRequest &GenlRequest::put_string(int type, const std::string &s)
{
	check(nla_put_string(msg_.get(), type, s.c_str()));
	return *this;
}

GenlRequest &GenlRequest::put_u8(int type, uint8_t v)
{
	check(nla_put_u8(msg_.get(), type, v));
	return *this;
}

GenlRequest &GenlRequest::put_u16(int type, uint16_t v)
{
	check(nla_put_u16(msg_.get(), type, v));
	return *this;
}

GenlRequest &GenlRequest::put_binary(int type, const void *data, size_t len)
{
	check(nla_put(msg_.get(), type, static_cast<int>(len), data));
	return *this;
}

GenlRequest &GenlRequest::put_u32(int type, uint32_t v)
{
	check(nla_put_u32(msg_.get(), type, v));
	return *this;
}

GenlRequest &GenlRequest::put_s64(int type, int64_t v)
{
	check(nla_put_s64(msg_.get(), type, v));
	return *this;
}

nlattr *GenlRequest::nest_start(int type)
{
	nlattr *nest = nla_nest_start(msg_.get(), type);

	if (!nest)
		check(-NLE_NOMEM);
	return nest;
}

void GenlRequest::nest_end(nlattr *nest)
{
	check(nla_nest_end(msg_.get(), nest));
}

/* Socket */

GenlSocket::GenlSocket(const char *family_name) : sock_(nl_socket_alloc())
{
	const int one = 1;
	int err;

	if (!sock_)
		throw std::bad_alloc();
	err = genl_connect(sock_.get());
	if (err < 0)
		throw Failure(kExitSetup, std::string("Cannot open generic netlink socket: ") + nl_geterror(err));
	// Replies may exceed a page (dumps): size the receive buffer by peeking.
	nl_socket_enable_msg_peek(sock_.get());
	// libnl 3.7 has no nl_socket_set_ext_ack(): set it on the fd. Kernels
	// without it (< 4.12) just give no messages, as with ip. CAP_ACK keeps
	// error messages small (only the request header is echoed back).
	const int fd = nl_socket_get_fd(sock_.get());
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	family_ = genl_ctrl_resolve(sock_.get(), family_name);
	if (family_ == -NLE_OBJ_NOTFOUND)
		throw Failure(kExitSetup, std::string("Error: generic netlink family \"") + family_name +
						  "\" not found: is the cxnet module loaded? (insmod module/cxnet.ko)");
	if (family_ < 0)
		throw Failure(kExitSetup, std::string("Error: cannot resolve generic netlink family \"") +
						  family_name + "\": " + nl_geterror(family_) + ".");
}

namespace {

struct Transaction {
	Transaction(int f, int m, const nla_policy *p, const ReplyHandler &r)
		: family(f), maxtype(m), policy(p), on_reply(&r)
	{
	}

	int family;
	int maxtype;
	const nla_policy *policy;
	const ReplyHandler *on_reply;

	bool done = false;
	int error = 0;  // positive errno reported by the kernel
	ExtAck ack;
	std::exception_ptr exc;  // first exception thrown while handling replies
};

void warn_ext_ack(const ExtAck &ack)
{
	if (ack.msg.empty())
		return;
	std::fprintf(stderr, "Warning: %s%s\n", ack.msg.c_str(), ack.msg.back() == '.' ? "" : ".");
}

// The callbacks run inside libnl (C): they must not throw.

int on_valid(nl_msg *msg, void *arg)
{
	auto *t = static_cast<Transaction *>(arg);
	nlmsghdr *nlh = nlmsg_hdr(msg);

	if (t->exc || nlh->nlmsg_type != t->family)
		return NL_SKIP;
	try {
		std::vector<nlattr *> tb(t->maxtype + 1, nullptr);
		int err = genlmsg_parse(nlh, 0, tb.data(), t->maxtype, t->policy);

		if (err < 0)
			malformed(nl_geterror(err));
		const Attrs attrs(std::move(tb));
		(*t->on_reply)(Reply{genlmsg_hdr(nlh)->cmd, attrs});
	} catch (...) {
		t->exc = std::current_exception();
	}
	return NL_OK;
}

int on_error(sockaddr_nl *, nlmsgerr *e, void *arg)
{
	auto *t = static_cast<Transaction *>(arg);
	// libnl passes nlmsg_data() of the NLMSG_ERROR message: its header
	// precedes it, and the extack TLVs follow the (capped or full) echo.
	auto *nlh = reinterpret_cast<nlmsghdr *>(reinterpret_cast<char *>(e) - NLMSG_HDRLEN);

	t->error = -e->error;
	t->ack = parse_error_ext_ack(nlh);
	t->done = true;
	return NL_STOP;
}

int on_ack(nl_msg *msg, void *arg)
{
	auto *t = static_cast<Transaction *>(arg);

	warn_ext_ack(parse_error_ext_ack(nlmsg_hdr(msg)));
	t->done = true;
	return NL_STOP;
}

// NLMSG_DONE ends a dump; it carries the dump's error (libnl ignores it).
int on_finish(nl_msg *msg, void *arg)
{
	auto *t = static_cast<Transaction *>(arg);
	nlmsghdr *nlh = nlmsg_hdr(msg);
	int err = 0;

	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
		std::memcpy(&err, nlmsg_data(nlh), sizeof(err));
	if (err < 0) {
		t->error = -err;
		t->ack = parse_done_ext_ack(nlh);
	} else {
		warn_ext_ack(parse_done_ext_ack(nlh));
	}
	t->done = true;
	return NL_STOP;
}

}  // namespace

void GenlSocket::transact(GenlRequest &req, int maxtype, const nla_policy *policy, const ReplyHandler &on_reply)
{
	Transaction t(family_, maxtype, policy, on_reply);
	NlCbPtr cb(nl_cb_alloc(NL_CB_DEFAULT));
	int err;

	if (!cb)
		throw std::bad_alloc();
	nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);
	nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, on_ack, &t);
	nl_cb_set(cb.get(), NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &t);
	nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &t);

	err = nl_send_auto(sock_.get(), req.get());  // adds NLM_F_REQUEST | NLM_F_ACK
	if (err < 0)
		throw Failure(kExitNetlink, std::string("Error: cannot send netlink request: ") + nl_geterror(err) + ".");
	while (!t.done) {
		err = nl_recvmsgs(sock_.get(), cb.get());
		if (t.error)
			break;
		if (err == -NLE_DUMP_INTR)
			throw Failure(kExitNetlink, "Error: Dump was interrupted and may be inconsistent.");
		if (err < 0)
			throw Failure(kExitNetlink, std::string("Error: netlink receive failed: ") + nl_geterror(err) + ".");
	}
	if (t.error)
		throw NetlinkError(t.error, std::move(t.ack), answers_);
	if (t.exc)
		std::rethrow_exception(t.exc);
}

}  // namespace cxip
