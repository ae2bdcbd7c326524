/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test support for the neigh cases (kernel-safe, shared by both runners):
 * a virtual clock for NeighTable (timers fire only when a case advances
 * it, so the same case runs in userspace and under KUnit), a recording
 * NeighOps, tagged packets, and an ARP host with a few local addresses.
 */
#ifndef CXNET_CORE_TESTS_NEIGH_TEST_SUPPORT_H
#define CXNET_CORE_TESTS_NEIGH_TEST_SUPPORT_H

#include "cx_test.h"
#include "../memory.h"
#include "../neigh/arp.h"
#include "../neigh/neigh_table.h"
#include "../wire/bytes.h"

namespace cx::test::neigh_support {

using cx::neigh::NeighClock;
using cx::wire::MacAddress;

constexpr uint64_t kMs = 1000000ull;
constexpr uint64_t kSec = 1000 * kMs;

/* ---- virtual clock --------------------------------------------------------- */

/* Kept in the timer's opaque storage: os.h never sees these timers. */
struct VirtualTimer {
	cx_os_timer *next;
	uint64_t deadline;
	uint64_t seq;
	bool armed;
};
static_assert(sizeof(VirtualTimer) <= sizeof(cx_os_timer::opaque), "virtual timer storage");

struct VirtualClock {
	NeighClock ops;	/* first: the table's NeighClock * is this */
	uint64_t now;
	uint64_t seq;
	cx_os_timer *armed;	/* singly linked through VirtualTimer::next */
};

inline VirtualTimer *vtimer(cx_os_timer *timer)
{
	return reinterpret_cast<VirtualTimer *>(timer->opaque);
}

inline VirtualClock *vclock(NeighClock *clock)
{
	return reinterpret_cast<VirtualClock *>(clock);
}

inline bool vclock_unlink(VirtualClock *clock, cx_os_timer *timer)
{
	for (cx_os_timer **link = &clock->armed; *link; link = &vtimer(*link)->next) {
		if (*link == timer) {
			*link = vtimer(timer)->next;
			vtimer(timer)->next = nullptr;
			vtimer(timer)->armed = false;
			return true;
		}
	}
	return false;
}

inline uint64_t vclock_now(NeighClock *clock)
{
	return vclock(clock)->now;
}

inline void vclock_timer_init(NeighClock *, cx_os_timer *timer, cx_os_timer_fn fn)
{
	__builtin_memset(timer->opaque, 0, sizeof(timer->opaque));
	timer->fn = fn;
}

inline bool vclock_timer_arm(NeighClock *clock, cx_os_timer *timer, uint64_t delay_ns)
{
	VirtualClock *vc = vclock(clock);
	bool was_pending = vclock_unlink(vc, timer);
	VirtualTimer *vt = vtimer(timer);
	vt->deadline = vc->now + delay_ns;
	vt->seq = ++vc->seq;
	vt->armed = true;
	vt->next = vc->armed;
	vc->armed = timer;
	return was_pending;
}

inline bool vclock_timer_cancel(NeighClock *clock, cx_os_timer *timer)
{
	return vclock_unlink(vclock(clock), timer);
}

inline void vclock_init(VirtualClock *clock)
{
	clock->ops.now_ns = vclock_now;
	clock->ops.timer_init = vclock_timer_init;
	clock->ops.timer_arm = vclock_timer_arm;
	clock->ops.timer_cancel = vclock_timer_cancel;
	clock->ops.timer_cancel_sync = vclock_timer_cancel;
	clock->now = 1000 * kSec;
	clock->seq = 0;
	clock->armed = nullptr;
}

/* Move time forward by ns, firing due timers earliest first; returns how many fired. */
inline unsigned int vclock_advance(VirtualClock *clock, uint64_t ns)
{
	uint64_t target = clock->now + ns;
	unsigned int fired = 0;
	for (;;) {
		cx_os_timer *due = nullptr;
		for (cx_os_timer *timer = clock->armed; timer; timer = vtimer(timer)->next) {
			VirtualTimer *vt = vtimer(timer);
			if (vt->deadline > target)
				continue;
			if (!due || vt->deadline < vtimer(due)->deadline ||
			    (vt->deadline == vtimer(due)->deadline && vt->seq < vtimer(due)->seq))
				due = timer;
		}
		if (!due)
			break;
		clock->now = vtimer(due)->deadline;
		vclock_unlink(clock, due);
		due->fn(due);
		fired++;
	}
	clock->now = target;
	return fired;
}

inline unsigned int vclock_armed_count(const VirtualClock *clock)
{
	unsigned int count = 0;
	for (cx_os_timer *timer = clock->armed; timer; timer = vtimer(timer)->next)
		count++;
	return count;
}

/* ---- packets --------------------------------------------------------------- */

/* An IPv4-looking datagram of len bytes (>= 20) from saddr, tagged in its id field. */
inline cx_pkt *make_pkt(uint16_t tag, size_t len = 100, uint32_t saddr = 0x0a000001)
{
	cx_pkt *pkt = cx_pkt_alloc(64, len, CX_GFP_KERNEL);
	if (!pkt)
		return nullptr;
	uint8_t *data = cx_pkt_put(pkt, len);
	__builtin_memset(data, 0, len);
	data[0] = 0x45;
	wire::store_be16(data + 4, tag);
	wire::store_be32(data + 12, saddr);
	return pkt;
}

inline uint16_t pkt_tag(cx_pkt *pkt)
{
	return wire::load_be16(cx_pkt_data(pkt) + 4);
}

/* ---- a recording table ----------------------------------------------------- */

constexpr unsigned int kMaxRecorded = 64;
constexpr unsigned int kMaxFrames = 8;

struct Fixture;

struct Fixture {
	VirtualClock clock;
	neigh::NeighTable table;
	neigh::NeighOps ops;
	bool table_ready;

	unsigned int solicits;		/* broadcast */
	unsigned int unicast_solicits;
	unsigned int app_solicits;
	MacAddress last_solicit_mac;
	uint32_t last_saddr_hint;
	unsigned int outputs;
	uint16_t output_tags[kMaxRecorded];
	MacAddress last_output_mac;
	unsigned int errors;
	uint16_t error_tags[kMaxRecorded];
	unsigned int notifies;

	/* ARP side */
	neigh::Arp arp;
	neigh::ArpHostOps arp_ops;
	neigh::ArpDevice dev;
	bool solicit_via_arp;
	bool construct_via_arp;
	uint32_t local_addrs[4];	/* on dev.ifindex */
	unsigned int frames;
	uint8_t frame[kMaxFrames][neigh::kArpFrameLen];
	int frame_ifindex[kMaxFrames];
};

inline Fixture *fixture_of(void *ctx)
{
	return static_cast<Fixture *>(ctx);
}

inline void rec_solicit(void *ctx, neigh::NeighEntry *entry, const MacAddress *unicast_to,
			uint32_t saddr_hint)
{
	Fixture *f = fixture_of(ctx);
	if (unicast_to) {
		f->unicast_solicits++;
		f->last_solicit_mac = *unicast_to;
	} else {
		f->solicits++;
	}
	f->last_saddr_hint = saddr_hint;
	if (f->solicit_via_arp)
		neigh::arp_solicit(&f->arp, f->dev, entry->addr, unicast_to, saddr_hint);
}

inline void rec_app_solicit(void *ctx, neigh::NeighEntry *)
{
	fixture_of(ctx)->app_solicits++;
}

inline void rec_output(void *ctx, neigh::NeighEntry *, cx_pkt *pkt, const MacAddress &mac)
{
	Fixture *f = fixture_of(ctx);
	if (f->outputs < kMaxRecorded)
		f->output_tags[f->outputs] = pkt_tag(pkt);
	f->outputs++;
	f->last_output_mac = mac;
	cx_pkt_free(pkt);
}

inline void rec_error_report(void *ctx, neigh::NeighEntry *, cx_pkt *pkt)
{
	Fixture *f = fixture_of(ctx);
	if (f->errors < kMaxRecorded)
		f->error_tags[f->errors] = pkt_tag(pkt);
	f->errors++;
	cx_pkt_free(pkt);
}

inline void rec_notify(void *ctx, neigh::NeighEntry *)
{
	fixture_of(ctx)->notifies++;
}

inline int rec_constructor(void *ctx, neigh::NeighEntry *entry)
{
	Fixture *f = fixture_of(ctx);
	if (f->construct_via_arp)
		neigh::arp_constructor(&f->arp, f->dev, entry);
	return 0;
}

/* ARP host: local addresses on dev.ifindex, 10.0.0.255 broadcast, 224/4 multicast. */
inline neigh::ArpAddrType host_addr_type(void *ctx, int, uint32_t addr)
{
	Fixture *f = fixture_of(ctx);
	for (uint32_t local : f->local_addrs)
		if (local && local == addr)
			return neigh::ArpAddrType::Local;
	if (addr == 0x0a0000ff || addr == 0xffffffff)
		return neigh::ArpAddrType::Broadcast;
	if ((addr & 0xf0000000u) == 0xe0000000u)
		return neigh::ArpAddrType::Multicast;
	return neigh::ArpAddrType::Unicast;
}

/* Local addresses are 10.0.0.x/24 on dev.ifindex. */
inline bool host_confirm_addr(void *ctx, int ifindex, uint32_t dst, uint32_t local,
			      neigh::ArpScope)
{
	Fixture *f = fixture_of(ctx);
	if (ifindex >= 0 && ifindex != f->dev.ifindex)
		return false;
	for (uint32_t addr : f->local_addrs) {
		if (!addr || (local && addr != local))
			continue;
		if (!dst || (dst & 0xffffff00u) == (addr & 0xffffff00u))
			return true;
	}
	return false;
}

inline uint32_t host_select_source(void *ctx, int, uint32_t)
{
	return fixture_of(ctx)->local_addrs[0];
}

inline void host_xmit(void *ctx, int ifindex, cx_pkt *frame)
{
	Fixture *f = fixture_of(ctx);
	if (f->frames < kMaxFrames && cx_pkt_len(frame) == neigh::kArpFrameLen) {
		__builtin_memcpy(f->frame[f->frames], cx_pkt_data(frame), neigh::kArpFrameLen);
		f->frame_ifindex[f->frames] = ifindex;
	}
	f->frames++;
	cx_pkt_free(frame);
}

constexpr MacAddress kOurMac = {{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};
constexpr MacAddress kMacA = {{0x02, 0x00, 0x00, 0x00, 0x00, 0xaa}};
constexpr MacAddress kMacB = {{0x02, 0x00, 0x00, 0x00, 0x00, 0xbb}};
constexpr int kIfindex = 2;
constexpr uint32_t kOurAddr = 0x0a000001;	/* 10.0.0.1 */
constexpr uint32_t kPeerAddr = 0x0a000002;	/* 10.0.0.2 */

/* Small GC thresholds keep the GC cases quick. */
inline neigh::NeighParms default_parms()
{
	return neigh::NeighParms{};
}

/* A fixture with a virtual-clock table (null on allocation failure). */
inline Fixture *fixture_create(cx_test *t, const neigh::NeighParms &parms = default_parms())
{
	Fixture *f = make<Fixture>(Gfp::Kernel);
	CX_EXPECT(t, f != nullptr);
	if (!f)
		return nullptr;
	vclock_init(&f->clock);
	f->ops.solicit = rec_solicit;
	f->ops.app_solicit = rec_app_solicit;
	f->ops.output = rec_output;
	f->ops.error_report = rec_error_report;
	f->ops.notify = rec_notify;
	f->ops.constructor = rec_constructor;
	int rc = neigh::neigh_table_init(&f->table, parms, &f->ops, f, &f->clock.ops);
	CX_EXPECT_EQ(t, rc, 0);
	f->table_ready = rc == 0;
	f->arp_ops.addr_type = host_addr_type;
	f->arp_ops.confirm_addr = host_confirm_addr;
	f->arp_ops.select_source = host_select_source;
	f->arp_ops.xmit = host_xmit;
	neigh::arp_init(&f->arp, &f->table, &f->arp_ops, f);
	f->dev.ifindex = kIfindex;
	f->dev.mac = kOurMac;
	f->local_addrs[0] = kOurAddr;
	return f;
}

/* Tear down: every timer must be gone with the table. */
inline void fixture_destroy(cx_test *t, Fixture *f)
{
	if (!f)
		return;
	if (f->table_ready)
		neigh::neigh_table_destroy(&f->table);
	CX_EXPECT_EQ(t, vclock_armed_count(&f->clock), 0u);
	destroy(f);
}

/* A created entry (referenced: release it). */
inline neigh::NeighEntry *create(cx_test *t, Fixture *f, uint32_t addr, int ifindex = kIfindex)
{
	int err = 0;
	neigh::NeighEntry *entry =
		neigh::neigh_create(&f->table, ifindex, addr, Gfp::Kernel, false, &err);
	CX_EXPECT(t, entry != nullptr);
	CX_EXPECT_EQ(t, err, 0);
	return entry;
}

inline uint8_t state_of(neigh::NeighEntry *entry)
{
	return neigh::neigh_snapshot(entry).state;
}

inline MacAddress mac_of(neigh::NeighEntry *entry)
{
	return neigh::neigh_snapshot(entry).ha;
}

} // namespace cx::test::neigh_support

#endif /* CXNET_CORE_TESTS_NEIGH_TEST_SUPPORT_H */
