/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ICMPv4 (RFC 792, RFC 1122 3.2.2; Linux net/ipv4/icmp.c): receive
 * validation, echo reply, error construction with Linux's never-reply
 * rules and rate limits.
 *
 * Packets given here have their data at the IP header (validated by
 * ip_rcv_core()); packets built here are whole IP datagrams (header with
 * checksum, no options) for the caller to route and send.
 */
#ifndef CXNET_CORE_IPV4_ICMP_H
#define CXNET_CORE_IPV4_ICMP_H

#include "../types.h"
#include "../os.h"
#include "../memory.h"
#include "ip_stats.h"

namespace cx::ipv4 {

namespace icmp_type {
constexpr uint8_t kEchoReply = 0;
constexpr uint8_t kDestUnreach = 3;
constexpr uint8_t kSourceQuench = 4;
constexpr uint8_t kRedirect = 5;
constexpr uint8_t kEcho = 8;
constexpr uint8_t kTimeExceeded = 11;
constexpr uint8_t kParameterProb = 12;
constexpr uint8_t kTimestamp = 13;
constexpr uint8_t kTimestampReply = 14;
constexpr uint8_t kAddress = 17;
constexpr uint8_t kAddressReply = 18;
constexpr uint8_t kMax = 18; /* NR_ICMP_TYPES */
} // namespace icmp_type

namespace icmp_code {
constexpr uint8_t kNetUnreach = 0;
constexpr uint8_t kHostUnreach = 1;
constexpr uint8_t kProtUnreach = 2;
constexpr uint8_t kPortUnreach = 3;
constexpr uint8_t kFragNeeded = 4;
constexpr uint8_t kExcTtl = 0;
constexpr uint8_t kExcFragTime = 1;
} // namespace icmp_code

/* icmp_pointers[type].error: is this type an error message? */
bool icmp_is_error(uint8_t type);

/* The net.ipv4.icmp_* sysctls, Linux defaults. */
struct IcmpConfig {
	uint32_t ratelimit_ms = 1000;	  /* icmp_ratelimit */
	uint32_t ratemask = 0x1818;	  /* icmp_ratemask: unreach, quench, time exc, param */
	uint32_t msgs_per_sec = 1000;	  /* icmp_msgs_per_sec */
	uint32_t msgs_burst = 50;	  /* icmp_msgs_burst */
	bool echo_ignore_all = false;	  /* icmp_echo_ignore_all */
	bool echo_ignore_broadcasts = true; /* icmp_echo_ignore_broadcasts */
	uint8_t ttl = 64;		  /* ip_default_ttl */
};

/*
 * Rate-limit state of a netns: the per-destination token buckets
 * (inet_peer rate_tokens/rate_last, keyed by destination and VRF) and the
 * icmp_msgs_per_sec bucket (host-wide in Linux; per limiter here, the
 * kernel side may share one). Peers live in a fixed direct-mapped cache
 * (Linux's inet_peer tree is garbage-collected instead): a colliding
 * destination starts with a full bucket, as a new inet_peer does.
 */
struct IcmpRateLimiter;
IcmpRateLimiter *icmp_rate_limiter_create(Gfp gfp);
void icmp_rate_limiter_destroy(IcmpRateLimiter *limiter);

/*
 * icmpv4_global_allow(): types outside icmp_ratemask and frag-needed
 * always pass; otherwise a token of the icmp_msgs_per_sec bucket (refilled
 * at most every 20 ms, capped at icmp_msgs_burst, consuming 0..2 tokens at
 * random as icmp_global_allow() does). OutRateLimitGlobal when refused.
 */
bool icmp_global_allow(IcmpRateLimiter *limiter, IcmpStats *stats, const IcmpConfig *config,
		       uint8_t type, uint8_t code, uint64_t now_ns);
/*
 * icmpv4_xrlim_allow() + inet_peer_xrlim_allow(): per destination, one
 * message per icmp_ratelimit with a burst of 6. Not on loopback.
 * OutRateLimitHost when refused.
 */
bool icmp_host_allow(IcmpRateLimiter *limiter, IcmpStats *stats, const IcmpConfig *config,
		     uint8_t type, uint8_t code, uint32_t dst, int32_t vif, bool loopback,
		     uint64_t now_ns);

/* Where and how an ICMP message built here goes. */
struct IcmpSendContext {
	uint32_t src;		/* our address (the caller's source selection) */
	uint32_t route_mtu;	/* dst_mtu() of the route back */
	uint16_t ip_id;		/* IP identification (the caller's ip_select_ident) */
	int32_t vif;		/* VRF of the route, for the per-destination bucket */
	bool loopback;		/* route through loopback: no per-host limit */
	bool in_not_host;	/* input pkt_type != PACKET_HOST (link broadcast/multicast) */
	bool in_bcast_mcast;	/* input route RTCF_BROADCAST / RTCF_MULTICAST */
	size_t headroom;	/* link-layer room to leave before the IP header */
	uint64_t now_ns;	/* cx_os_now_ns() */
};

enum class IcmpSendResult : uint8_t {
	Sent,		/* *out built */
	NotAllowed,	/* a never-reply rule (RFC 1122 3.2.2) */
	RateLimited,	/* global or per-host bucket empty */
	TooSmall,	/* the MTU leaves no room for the quoted header */
	NoMem,
};

/*
 * __icmp_send(): the error (type, code, info = the 32 bits after the
 * checksum: pointer << 24 for parameter problem, the next-hop MTU for
 * frag-needed) about in. Refused (NotAllowed) for link-level or IP
 * broadcast/multicast input, non-first fragments, ICMP errors about ICMP
 * errors (unknown inner types count as errors), and sources that are not
 * a single host (0.0.0.0, multicast, class E incl. limited broadcast). The
 * quote is in's IP header and as much data as fits 576 bytes. TOS as
 * Linux: (tos & IPTOS_TOS_MASK) | IPTOS_PREC_INTERNETCONTROL. Counts
 * OutMsgs and OutType<type> on success.
 */
IcmpSendResult icmp_build_error(IcmpRateLimiter *limiter, IcmpStats *stats,
				const IcmpConfig *config, cx_pkt *in, uint8_t type, uint8_t code,
				uint32_t info, const IcmpSendContext *ctx, cx_pkt **out);

enum class IcmpRcvAction : uint8_t {
	Drop,		/* invalid or ignored; InErrors counted when invalid */
	Reply,		/* *reply is the echo reply to send */
	DeliverError,	/* an error about one of ours: notify the transport */
	Consumed,	/* nothing to do (echo reply, informational) */
};

struct IcmpRcvResult {
	IcmpRcvAction action;
	uint8_t type;
	uint8_t code;
	uint32_t info;		/* the 32 bits after the checksum */
	size_t inner_offset;	/* DeliverError: offset of the quoted IP header in in */
	cx_pkt *reply;		/* Reply */
};

/*
 * icmp_rcv(): in is a validated IP datagram carrying ICMP (not consumed).
 * Counts InMsgs, InType<type>; checksum failure -> InCsumErrors +
 * InErrors; types > 18 and non-echo messages to broadcast/multicast
 * (in_bcast_mcast) are errors, echo to broadcast is ignored when
 * icmp_echo_ignore_broadcasts (Linux counts both in InErrors). Echo
 * requests get a reply from ctx->src with the same id, sequence and
 * payload (icmp_echo(), unless icmp_echo_ignore_all), subject to the
 * global and host limits for types in icmp_ratemask (not echo replies by
 * default). Errors need a quoted header of at least 20 bytes with IHL >= 5
 * (icmp_unreach()), else InErrors.
 */
IcmpRcvResult icmp_rcv(IcmpRateLimiter *limiter, IcmpStats *stats, const IcmpConfig *config,
		       cx_pkt *in, bool in_bcast_mcast, const IcmpSendContext *ctx);

} // namespace cx::ipv4

#endif /* CXNET_CORE_IPV4_ICMP_H */
