// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: ARP receive (module/core/neigh/arp.h) on a neighbour
 * table (neigh_table.h) with the shared test support's recording ops and
 * virtual clock (tests/neigh_test_support.h). The input is a sequence of
 * frames: per frame a control byte (device knobs, clock advance) and a
 * length byte, then that many frame bytes. The table is destroyed every
 * iteration: no timer may stay armed and nothing may leak.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "os_user.h"
#include "tests/neigh_test_support.h"

using namespace cx::test::neigh_support;
namespace neigh = cx::neigh;

#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)

static Fixture *fixture_new()
{
	Fixture *f = cx::make<Fixture>(cx::Gfp::Kernel);
	FUZZ_ASSERT(f);
	vclock_init(&f->clock);
	f->ops.solicit = rec_solicit;
	f->ops.app_solicit = rec_app_solicit;
	f->ops.output = rec_output;
	f->ops.error_report = rec_error_report;
	f->ops.notify = rec_notify;
	f->ops.constructor = rec_constructor;
	FUZZ_ASSERT(neigh::neigh_table_init(&f->table, default_parms(), &f->ops, f,
					    &f->clock.ops) == 0);
	f->table_ready = true;
	f->arp_ops.addr_type = host_addr_type;
	f->arp_ops.confirm_addr = host_confirm_addr;
	f->arp_ops.select_source = host_select_source;
	f->arp_ops.xmit = host_xmit;
	neigh::arp_init(&f->arp, &f->table, &f->arp_ops, f);
	f->dev.ifindex = kIfindex;
	f->dev.mac = kOurMac;
	f->local_addrs[0] = kOurAddr;
	f->local_addrs[1] = 0x0a000005;
	f->solicit_via_arp = true;
	f->construct_via_arp = true;
	return f;
}

static int route_output_ifindex(void *, uint32_t dst, uint32_t)
{
	return (dst & 0xff000000u) == 0x0a000000u ? kIfindex : -1;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long live = cx_user_live_allocs();
	Fixture *f = fixture_new();
	f->arp_ops.route_output_ifindex = route_output_ifindex;
	size_t pos = 0;
	while (pos + 2 <= size) {
		uint8_t ctl = data[pos];
		size_t len = data[pos + 1];
		pos += 2;
		if (len > size - pos)
			len = size - pos;
		f->dev.conf.arp_ignore = ctl & 3;
		f->dev.conf.arp_announce = (ctl >> 2) & 3;
		f->dev.conf.arp_filter = (ctl >> 4) & 1;
		f->dev.conf.arp_accept = (ctl >> 5) & 1;
		f->dev.noarp = (ctl & 0xc0) == 0xc0;
		if ((ctl & 0xc0) == 0x40)
			vclock_advance(&f->clock, 3 * kSec);
		/* exactly-sized heap copy: ASan sees any over-read */
		uint8_t *frame = static_cast<uint8_t *>(malloc(len ? len : 1));
		if (len)
			memcpy(frame, data + pos, len);
		pos += len;
		neigh::ArpRx rx = neigh::arp_rcv(&f->arp, f->dev, cx::wire::Bytes(frame, len));
		if (rx == neigh::ArpRx::Consumed)
			FUZZ_ASSERT(len >= neigh::kArpFrameLen);
		free(frame);
		FUZZ_ASSERT(neigh::neigh_count(&f->table) <= 1024);
	}
	vclock_advance(&f->clock, 60 * kSec);
	neigh::neigh_table_destroy(&f->table);
	FUZZ_ASSERT(vclock_armed_count(&f->clock) == 0);
	cx::destroy(f);
	FUZZ_ASSERT(cx_user_live_allocs() == live);
	return 0;
}
