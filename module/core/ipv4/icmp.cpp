// SPDX-License-Identifier: GPL-2.0
/* ICMPv4 (Linux net/ipv4/icmp.c, net/ipv4/inetpeer.c inet_peer_xrlim_allow()). */
#include "icmp.h"
#include "../checksum.h"
#include "../hash.h"
#include "../wire/bytes.h"

namespace cx::ipv4 {

namespace {

constexpr uint64_t kNsPerSec = 1000000000ull;
constexpr uint64_t kNsPerMs = 1000000ull;
constexpr size_t kPeerSlots = 1024;
/* XRLIM_BURST_FACTOR */
constexpr uint64_t kBurstFactor = 6;
/* RFC 1812 4.3.2.3: as much as fits a 576-byte datagram */
constexpr size_t kMaxErrorDatagram = 576;

struct IcmpPeer {
	uint32_t dst;
	int32_t vif;
	bool used;
	uint64_t rate_tokens;	/* ns of credit */
	uint64_t rate_last;	/* ns */
};

/* Types Linux treats as errors (icmp_pointers[].error). */
bool is_error_type(uint8_t type)
{
	return type == icmp_type::kDestUnreach || type == icmp_type::kSourceQuench ||
	       type == icmp_type::kRedirect || type == icmp_type::kTimeExceeded ||
	       type == icmp_type::kParameterProb;
}

/* icmpv4_mask_allow(): true when the type is not rate limited */
bool mask_allow(const IcmpConfig *config, uint8_t type, uint8_t code)
{
	if (type > icmp_type::kMax)
		return true;
	/* Don't limit PMTU discovery. */
	if (type == icmp_type::kDestUnreach && code == icmp_code::kFragNeeded)
		return true;
	return !((1u << type) & config->ratemask);
}

void count_out(IcmpStats *stats, uint8_t type)
{
	icmp_stats_inc(stats, IcmpMib::OutMsgs);
	stats->out_type[type]++;
}

/*
 * An IP datagram from src to dst carrying an ICMP header (type, code,
 * rest) and body_len bytes of body from body. NULL on allocation failure.
 */
cx_pkt *build_datagram(const IcmpSendContext *ctx, const IcmpConfig *config, uint32_t dst,
		       uint8_t tos, uint8_t type, uint8_t code, uint32_t rest, const uint8_t *body,
		       size_t body_len)
{
	size_t len = 20 + 8 + body_len;
	cx_pkt *pkt = cx_pkt_alloc(ctx->headroom, len, CX_GFP_ATOMIC);
	if (!pkt)
		return nullptr;
	uint8_t *p = cx_pkt_put(pkt, len);
	__builtin_memset(p, 0, 28);
	p[0] = 0x45;
	p[1] = tos;
	wire::store_be16(p + 2, static_cast<uint16_t>(len));
	wire::store_be16(p + 4, ctx->ip_id);
	/* the ICMP socket is IP_PMTUDISC_DONT: no DF (icmp_sk_init()) */
	p[8] = config->ttl;
	p[9] = 1; /* IPPROTO_ICMP */
	wire::store_be32(p + 12, ctx->src);
	wire::store_be32(p + 16, dst);
	wire::store_be16(p + 10, internet_checksum(p, 20));
	uint8_t *icmp = p + 20;
	icmp[0] = type;
	icmp[1] = code;
	wire::store_be32(icmp + 4, rest);
	if (body_len)
		__builtin_memcpy(icmp + 8, body, body_len);
	wire::store_be16(icmp + 2, internet_checksum(icmp, 8 + body_len));
	return pkt;
}

/* RFC 1122 3.2.2: a source address that does not name a single host */
bool source_not_a_host(uint32_t src)
{
	return src == 0 || (src >> 28) == 0xe || (src >> 28) == 0xf;
}

} // namespace

struct IcmpRateLimiter {
	uint32_t seed;
	uint32_t global_credit;
	uint64_t global_stamp;
	IcmpPeer *peers;
};

bool icmp_is_error(uint8_t type)
{
	return is_error_type(type);
}

IcmpRateLimiter *icmp_rate_limiter_create(Gfp gfp)
{
	IcmpRateLimiter *limiter = make<IcmpRateLimiter>(gfp);
	if (!limiter)
		return nullptr;
	limiter->peers = make_array<IcmpPeer>(kPeerSlots, gfp);
	if (!limiter->peers) {
		destroy(limiter);
		return nullptr;
	}
	cx_os_random_bytes(&limiter->seed, sizeof(limiter->seed));
	/* icmp_global starts empty and refills on first use (stamp 0, far in the past) */
	return limiter;
}

void icmp_rate_limiter_destroy(IcmpRateLimiter *limiter)
{
	if (!limiter)
		return;
	free_array(limiter->peers);
	destroy(limiter);
}

bool icmp_global_allow(IcmpRateLimiter *limiter, IcmpStats *stats, const IcmpConfig *config,
		       uint8_t type, uint8_t code, uint64_t now_ns)
{
	if (mask_allow(config, type, code))
		return true;
	/* icmp_global_allow(): time in ns where Linux uses jiffies */
	uint64_t delta = now_ns - limiter->global_stamp;
	if (delta > kNsPerSec)
		delta = kNsPerSec;
	uint32_t incr = 0;
	if (delta >= kNsPerSec / 50) {
		incr = static_cast<uint32_t>(config->msgs_per_sec * delta / kNsPerSec);
		if (incr)
			limiter->global_stamp = now_ns;
	}
	uint64_t credit = static_cast<uint64_t>(limiter->global_credit) + incr;
	if (credit > config->msgs_burst)
		credit = config->msgs_burst;
	bool allowed = false;
	if (credit) {
		/* "use a credit of one in average, but randomize it for security" */
		uint32_t random;
		cx_os_random_bytes(&random, sizeof(random));
		uint32_t take = random % 3;
		credit = credit > take ? credit - take : 0;
		allowed = true;
	}
	limiter->global_credit = static_cast<uint32_t>(credit);
	if (!allowed)
		icmp_stats_inc(stats, IcmpMib::OutRateLimitGlobal);
	return allowed;
}

bool icmp_host_allow(IcmpRateLimiter *limiter, IcmpStats *stats, const IcmpConfig *config,
		     uint8_t type, uint8_t code, uint32_t dst, int32_t vif, bool loopback,
		     uint64_t now_ns)
{
	if (mask_allow(config, type, code) || loopback)
		return true;
	IcmpPeer *peer =
		&limiter->peers[jhash_2words(dst, static_cast<uint32_t>(vif), limiter->seed) &
				(kPeerSlots - 1)];
	uint64_t timeout = static_cast<uint64_t>(config->ratelimit_ms) * kNsPerMs;
	if (!peer->used || peer->dst != dst || peer->vif != vif) {
		/* inet_getpeer(): rate_last 60 s back, so the bucket starts full */
		peer->used = true;
		peer->dst = dst;
		peer->vif = vif;
		peer->rate_tokens = 0;
		peer->rate_last = now_ns - 60 * kNsPerSec;
	}
	/* inet_peer_xrlim_allow() */
	uint64_t token = peer->rate_tokens + (now_ns - peer->rate_last);
	peer->rate_last = now_ns;
	if (token > kBurstFactor * timeout)
		token = kBurstFactor * timeout;
	bool allowed = false;
	if (token >= timeout) {
		token -= timeout;
		allowed = true;
	}
	peer->rate_tokens = token;
	if (!allowed)
		icmp_stats_inc(stats, IcmpMib::OutRateLimitHost);
	return allowed;
}

IcmpSendResult icmp_build_error(IcmpRateLimiter *limiter, IcmpStats *stats,
				const IcmpConfig *config, cx_pkt *in, uint8_t type, uint8_t code,
				uint32_t info, const IcmpSendContext *ctx, cx_pkt **out)
{
	*out = nullptr;
	if (!cx_pkt_may_pull(in, 20))
		return IcmpSendResult::NotAllowed;
	const uint8_t *iph = cx_pkt_data(in);
	size_t ihl = static_cast<size_t>(iph[0] & 0x0f) * 4;
	uint32_t orig_src = wire::load_be32(iph + 12);
	/* No replies to physical multicast/broadcast, nor at the IP level */
	if (ctx->in_not_host || ctx->in_bcast_mcast)
		return IcmpSendResult::NotAllowed;
	/* Only reply to fragment 0 */
	if (wire::load_be16(iph + 6) & 0x1fff)
		return IcmpSendResult::NotAllowed;
	if (source_not_a_host(orig_src))
		return IcmpSendResult::NotAllowed;
	/* never an error about an ICMP error; unknown inner types count as errors */
	if (is_error_type(type) && iph[9] == 1) {
		if (!cx_pkt_may_pull(in, ihl + 1))
			return IcmpSendResult::NotAllowed;
		iph = cx_pkt_data(in);
		uint8_t inner = iph[ihl];
		if (inner > icmp_type::kMax || is_error_type(inner))
			return IcmpSendResult::NotAllowed;
	}
	if (!icmp_global_allow(limiter, stats, config, type, code, ctx->now_ns))
		return IcmpSendResult::RateLimited;
	if (!icmp_host_allow(limiter, stats, config, type, code, orig_src, ctx->vif, ctx->loopback,
			     ctx->now_ns))
		return IcmpSendResult::RateLimited;
	/* "return as much as we can without exceeding 576 bytes" */
	size_t room = ctx->route_mtu < kMaxErrorDatagram ? ctx->route_mtu : kMaxErrorDatagram;
	if (room <= 20 + 8 + 20)
		return IcmpSendResult::TooSmall;
	room -= 20 + 8;
	size_t quote = cx_pkt_len(in);
	if (quote > room)
		quote = room;
	if (!cx_pkt_may_pull(in, quote))
		return IcmpSendResult::NotAllowed;
	iph = cx_pkt_data(in);
	uint8_t tos = static_cast<uint8_t>((iph[1] & 0x1e) | 0xc0);
	cx_pkt *pkt = build_datagram(ctx, config, orig_src, tos, type, code, info, iph, quote);
	if (!pkt) {
		icmp_stats_inc(stats, IcmpMib::OutErrors);
		return IcmpSendResult::NoMem;
	}
	count_out(stats, type);
	*out = pkt;
	return IcmpSendResult::Sent;
}

IcmpRcvResult icmp_rcv(IcmpRateLimiter *limiter, IcmpStats *stats, const IcmpConfig *config,
		       cx_pkt *in, bool in_bcast_mcast, const IcmpSendContext *ctx)
{
	IcmpRcvResult result{};
	result.action = IcmpRcvAction::Drop;
	icmp_stats_inc(stats, IcmpMib::InMsgs);
	size_t len = cx_pkt_len(in);
	/* the checksum and the echo copy read the whole message: make it linear */
	if (!cx_pkt_may_pull(in, len)) {
		icmp_stats_inc(stats, IcmpMib::InErrors);
		return result;
	}
	const uint8_t *iph = cx_pkt_data(in);
	size_t ihl = static_cast<size_t>(iph[0] & 0x0f) * 4;
	if (len < ihl + 8) {
		icmp_stats_inc(stats, IcmpMib::InErrors);
		return result;
	}
	const uint8_t *icmp = iph + ihl;
	size_t icmp_len = len - ihl;
	/* skb_checksum_simple_validate() */
	if (csum_fold(csum_partial(icmp, icmp_len, 0)) != 0xffff) {
		icmp_stats_inc(stats, IcmpMib::InCsumErrors);
		icmp_stats_inc(stats, IcmpMib::InErrors);
		return result;
	}
	uint8_t type = icmp[0];
	result.type = type;
	result.code = icmp[1];
	result.info = wire::load_be32(icmp + 4);
	stats->in_type[type]++;
	if (type > icmp_type::kMax) {
		icmp_stats_inc(stats, IcmpMib::InErrors);
		return result;
	}
	if (in_bcast_mcast) {
		bool echo_like = type == icmp_type::kEcho || type == icmp_type::kTimestamp;
		if ((echo_like && config->echo_ignore_broadcasts) ||
		    (!echo_like && type != icmp_type::kAddress && type != icmp_type::kAddressReply)) {
			icmp_stats_inc(stats, IcmpMib::InErrors);
			return result;
		}
	}
	if (is_error_type(type)) {
		/* icmp_unreach() / icmp_redirect(): the quoted header must be there */
		if (icmp_len < 8 + 20 || (icmp[8] & 0x0f) < 5) {
			icmp_stats_inc(stats, IcmpMib::InErrors);
			return result;
		}
		result.action = IcmpRcvAction::DeliverError;
		result.inner_offset = ihl + 8;
		return result;
	}
	if (type != icmp_type::kEcho) {
		result.action = IcmpRcvAction::Consumed;
		return result;
	}
	/* icmp_echo() -> icmp_reply() */
	if (config->echo_ignore_all) {
		result.action = IcmpRcvAction::Consumed;
		return result;
	}
	if (!icmp_global_allow(limiter, stats, config, icmp_type::kEchoReply, 0, ctx->now_ns))
		return result;
	uint32_t requester = wire::load_be32(iph + 12);
	if (!icmp_host_allow(limiter, stats, config, icmp_type::kEchoReply, 0, requester, ctx->vif,
			     ctx->loopback, ctx->now_ns))
		return result;
	cx_pkt *reply = build_datagram(ctx, config, requester, iph[1], icmp_type::kEchoReply, 0,
				       result.info, icmp + 8, icmp_len - 8);
	if (!reply) {
		icmp_stats_inc(stats, IcmpMib::OutErrors);
		return result;
	}
	count_out(stats, icmp_type::kEchoReply);
	result.action = IcmpRcvAction::Reply;
	result.reply = reply;
	return result;
}

} // namespace cx::ipv4
