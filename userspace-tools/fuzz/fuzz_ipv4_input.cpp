// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: IPv4 receive. The input is a packet whose data starts
 * at the IP header: ip_rcv_core() (module/core/ipv4/ip_input.h), and on
 * Accept with protocol ICMP, icmp_rcv() (icmp.h). The first input byte
 * picks the config knobs; the rest is the packet. Every os.h allocation
 * must be back by the end of the iteration.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "os_user.h"
#include "ipv4/icmp.h"
#include "ipv4/ip_input.h"
#include "wire/ipv4.h"

using namespace cx::ipv4;

#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t knobs = data[0];
	data++;
	size--;
	long live = cx_user_live_allocs();

	cx_pkt *pkt = cx_pkt_alloc(64, size, CX_GFP_KERNEL);
	FUZZ_ASSERT(pkt);
	if (size)
		memcpy(cx_pkt_put(pkt, size), data, size);

	IpStats stats{};
	IpRcvConfig config{};
	config.accept_source_route = knobs & 1;
	IpRcvResult r = ip_rcv_core(&stats, &config, pkt);
	if (r.verdict == IpVerdict::Accept) {
		/* Accepted: a whole, checksummed header, trimmed to total length. */
		FUZZ_ASSERT(r.header_len >= 20 && r.header_len <= 60);
		FUZZ_ASSERT(cx_pkt_len(pkt) >= r.header_len);
		const uint8_t *ip = cx_pkt_data(pkt);
		FUZZ_ASSERT(cx::wire::load_be16(ip + 2) == cx_pkt_len(pkt));
		FUZZ_ASSERT((ip[0] & 0x0f) * 4u == r.header_len);
		if (ip[9] == cx::wire::ip_protocol::kIcmp) {
			IcmpStats icmp_stats{};
			IcmpConfig icmp_config;
			icmp_config.echo_ignore_all = knobs & 2;
			icmp_config.echo_ignore_broadcasts = knobs & 4;
			IcmpRateLimiter *limiter = icmp_rate_limiter_create(cx::Gfp::Kernel);
			FUZZ_ASSERT(limiter);
			IcmpSendContext ctx{};
			ctx.src = cx::wire::ipv4_address(198, 51, 100, 7);
			ctx.route_mtu = (knobs & 8) ? 576 : 1500;
			ctx.ip_id = 0x4242;
			ctx.loopback = knobs & 16;
			ctx.in_not_host = knobs & 32;
			ctx.in_bcast_mcast = knobs & 64;
			ctx.headroom = 32;
			ctx.now_ns = cx_os_now_ns();
			IcmpRcvResult ir = icmp_rcv(limiter, &icmp_stats, &icmp_config, pkt,
						    knobs & 128, &ctx);
			if (ir.action == IcmpRcvAction::Reply) {
				FUZZ_ASSERT(ir.reply);
				FUZZ_ASSERT(cx_pkt_len(ir.reply) >= 28);
				cx_pkt_free(ir.reply);
			} else {
				FUZZ_ASSERT(!ir.reply);
			}
			if (ir.action == IcmpRcvAction::DeliverError)
				FUZZ_ASSERT(ir.inner_offset + 20 <= cx_pkt_len(pkt));
			icmp_rate_limiter_destroy(limiter);
		}
	}
	cx_pkt_free(pkt);
	FUZZ_ASSERT(cx_user_live_allocs() == live);
	return 0;
}
