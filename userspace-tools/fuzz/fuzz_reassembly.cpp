// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: IPv4 reassembly (module/core/ipv4/reassembly.h). The
 * input is a sequence of fragments: byte 0 is the count, then per fragment
 * a 6-byte descriptor (id low bits + flags, offset in 8-byte units (2),
 * payload length (2), tos/ecn) and its payload bytes, turned into a valid
 * IPv4 fragment header and fed to ip_defrag() on one FragTable. A
 * completed datagram must have a consistent header. The table is
 * destroyed every iteration and nothing may leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "os_user.h"
#include "ipv4/ip_input.h"
#include "ipv4/reassembly.h"
#include "wire/ipv4.h"

using namespace cx::ipv4;
using cx::wire::Ipv4Packet;

#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)

static void on_timeout(void *, const FragKey *, cx_pkt *) {}

static void check_complete(cx_pkt *done)
{
	uint8_t *p = cx_pkt_data(done);
	size_t len = cx_pkt_len(done);
	FUZZ_ASSERT(len >= 20 && len <= 65535);
	Ipv4Packet ip = Ipv4Packet::new_unchecked(cx::wire::Bytes(p, len));
	FUZZ_ASSERT(ip.check() == cx::wire::Error::Ok);
	FUZZ_ASSERT(ip.total_len() == len);
	FUZZ_ASSERT(!ip.more_frags() && ip.frag_offset() == 0);
	FUZZ_ASSERT(ip.verify_checksum());
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	long live = cx_user_live_allocs();
	cx_user_reset();
	unsigned int count = data[0] % 64;
	size_t pos = 1;

	IpStats stats{};
	ReassemblyConfig config;
	config.max_dist = 8;
	FragTable *table = frag_table_create(&config, &stats, on_timeout, nullptr, cx::Gfp::Kernel);
	FUZZ_ASSERT(table);
	for (unsigned int i = 0; i < count && pos + 6 <= size; i++) {
		const uint8_t *d = data + pos;
		pos += 6;
		uint8_t id = d[0] & 0x03;
		bool mf = d[0] & 0x80;
		bool df = d[0] & 0x40;
		bool src_b = d[0] & 0x20;
		bool advance = d[0] & 0x10;
		uint16_t offset8 = static_cast<uint16_t>(((d[1] << 8) | d[2]) & 0x1fff);
		size_t plen = ((d[3] << 8) | d[4]) % 2048;
		if (!mf && offset8 == 0)
			mf = true; /* ip_defrag() wants a fragment */
		if (advance)
			cx_user_clock_advance(11ull * 1000000000);
		size_t total = 20 + plen;
		cx_pkt *pkt = cx_pkt_alloc(32, total, CX_GFP_ATOMIC);
		FUZZ_ASSERT(pkt);
		uint8_t *p = cx_pkt_put(pkt, total);
		memset(p, 0, total);
		size_t avail = pos <= size ? size - pos : 0;
		size_t take = plen < avail ? plen : avail;
		memcpy(p + 20, data + pos, take);
		pos += take;
		Ipv4Packet ip = Ipv4Packet::new_unchecked(cx::wire::Bytes(p, total));
		ip.set_version(4);
		ip.set_ihl(5);
		ip.set_ecn(d[5] & 3);
		ip.set_total_len(static_cast<uint16_t>(total));
		ip.set_ident(id);
		ip.set_more_frags(mf);
		ip.set_dont_frag(df);
		ip.set_frag_offset(static_cast<uint16_t>(offset8 << 3));
		ip.set_ttl(64);
		ip.set_protocol(17);
		ip.set_src(src_b ? 0x0a000003 : 0x0a000002);
		ip.set_dst(0x0a000001);
		ip.fill_checksum();
		cx_pkt *done = nullptr;
		DropReason reason;
		DefragResult r = ip_defrag(table, pkt, 0, 0, &done, &reason);
		if (r == DefragResult::Complete) {
			FUZZ_ASSERT(done);
			check_complete(done);
			cx_pkt_free(done);
		} else {
			FUZZ_ASSERT(!done);
		}
	}
	FUZZ_ASSERT(frag_table_mem(table) <= config.high_thresh + 65536 * 8);
	frag_table_destroy(table);
	cx_user_reset();
	FUZZ_ASSERT(cx_user_live_allocs() == live);
	return 0;
}
