// SPDX-License-Identifier: GPL-2.0
/* IPv4 fragmentation on output: ip_fragment() / ip_do_fragment(). */
#include "cx_test.h"
#include "cases.h"
#include "ipv4_test_packets.h"
#include "../cx_errno.h"
#include "../memory.h"
#include "../ipv4/fragment.h"
#include "../ipv4/reassembly.h"
#include "../ipv4/ip_options.h"

namespace cx::test {

using namespace cx::ipv4;

namespace {

struct FragEnv {
	IpStats stats{};
	ReassemblyConfig config;
	FragTable *table = nullptr;
};

FragEnv *frag_env()
{
	FragEnv *env = make<FragEnv>(Gfp::Kernel);
	env->table = frag_table_create(&env->config, &env->stats, nullptr, nullptr, Gfp::Kernel);
	return env;
}

void frag_env_free(FragEnv *env)
{
	frag_table_destroy(env->table);
	destroy(env);
}

/* Checks every fragment's header against Linux's layout; true if all hold. */
bool layout_ok(cx_test *t, const FragmentList &list, unsigned int mtu, size_t hlen,
	       size_t payload_len)
{
	size_t expected_offset = 0;
	bool ok = true;
	for (size_t i = 0; i < list.count; i++) {
		const uint8_t *p = cx_pkt_data(list.pkts[i]);
		size_t len = cx_pkt_len(list.pkts[i]);
		uint16_t field = wire::load_be16(p + 6);
		bool last = i + 1 == list.count;
		ok &= len <= mtu;
		ok &= wire::load_be16(p + 2) == len;
		ok &= static_cast<size_t>(p[0] & 0xf) * 4 == hlen;
		ok &= static_cast<size_t>(field & 0x1fff) * 8 == expected_offset;
		ok &= ((field & 0x2000) != 0) == !last;
		ok &= last || ((len - hlen) % 8 == 0);
		ok &= ipv4_test_checksum_ok(p);
		expected_offset += len - hlen;
	}
	ok &= expected_offset == payload_len;
	CX_EXPECT(t, ok);
	return ok;
}

} // namespace

void ipv4_fragment_round_trip(cx_test *t)
{
	FragEnv *env = frag_env();
	static const unsigned int mtus[] = {68, 100, 576, 1280, 1500, 1501, 4000, 9000};
	static const size_t sizes[] = {49, 57, 100, 577, 1472, 1473, 1481, 3000, 8999, 20000, 65515};
	uint16_t id = 1;
	unsigned int rounds = 0;
	for (unsigned int mtu : mtus) {
		for (size_t size : sizes) {
			if (20 + size <= mtu)
				continue;
			if (mtu == 68 && size > 20000)
				continue; /* 1000+ fragments: covered by the smaller sizes */
			Ipv4TestSpec spec;
			spec.id = id;
			spec.seed = id;
			spec.payload_len = size;
			cx_pkt *pkt = ipv4_test_packet(spec);
			FragmentList list;
			unsigned int mtu_out = 0;
			CX_EXPECT_EQ(t, ip_fragment(&env->stats, pkt, mtu, 16, &list, &mtu_out), 0);
			cx_pkt_free(pkt);
			if (!layout_ok(t, list, mtu, 20, size)) {
				fragment_list_free(&list);
				continue;
			}
			/* reassemble in reverse order */
			cx_pkt *out = nullptr;
			DropReason reason;
			DefragResult r = DefragResult::Queued;
			for (size_t i = list.count; i > 0; i--) {
				r = ip_defrag(env->table, list.pkts[i - 1], 0, 0, &out, &reason);
				list.pkts[i - 1] = nullptr;
			}
			fragment_list_free(&list);
			CX_EXPECT(t, r == DefragResult::Complete);
			if (out) {
				CX_EXPECT(t, ipv4_test_payload_matches(out, size, id));
				CX_EXPECT_EQ(t, wire::load_be16(cx_pkt_data(out) + 4), id);
				cx_pkt_free(out);
			}
			id++;
			rounds++;
		}
	}
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::FragOKs), rounds);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmOKs), rounds);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::FragFails), 0u);
	CX_EXPECT_EQ(t, frag_table_mem(env->table), 0u);
	frag_env_free(env);
}

void ipv4_fragment_linux_sizes(cx_test *t)
{
	FragEnv *env = frag_env();
	/* 4000 bytes of payload over 1500: 1480 + 1480 + 1040 */
	Ipv4TestSpec spec;
	spec.payload_len = 4000;
	cx_pkt *pkt = ipv4_test_packet(spec);
	FragmentList list;
	unsigned int mtu_out;
	CX_EXPECT_EQ(t, ip_fragment(&env->stats, pkt, 1500, 0, &list, &mtu_out), 0);
	CX_EXPECT_EQ(t, list.count, 3u);
	if (list.count == 3) {
		CX_EXPECT_EQ(t, cx_pkt_len(list.pkts[0]), 1500u);
		CX_EXPECT_EQ(t, cx_pkt_len(list.pkts[1]), 1500u);
		CX_EXPECT_EQ(t, cx_pkt_len(list.pkts[2]), 1060u);
	}
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::FragCreates), 3u);
	fragment_list_free(&list);
	/* MTU 1006: 986 bytes of room, 984 per fragment (8-aligned) */
	CX_EXPECT_EQ(t, ip_fragment(&env->stats, pkt, 1006, 0, &list, &mtu_out), 0);
	CX_EXPECT_EQ(t, list.count, 5u);
	CX_EXPECT(t, layout_ok(t, list, 1006, 20, 4000));
	CX_EXPECT_EQ(t, cx_pkt_len(list.pkts[0]), 1004u);
	fragment_list_free(&list);
	cx_pkt_free(pkt);
	frag_env_free(env);
}

void ipv4_fragment_df_refused(cx_test *t)
{
	FragEnv *env = frag_env();
	Ipv4TestSpec spec;
	spec.df = true;
	spec.payload_len = 2000;
	cx_pkt *pkt = ipv4_test_packet(spec);
	FragmentList list;
	unsigned int mtu_out = 0;
	CX_EXPECT_EQ(t, ip_fragment(&env->stats, pkt, 1400, 0, &list, &mtu_out), -CX_EMSGSIZE);
	CX_EXPECT_EQ(t, mtu_out, 1400u);
	CX_EXPECT_EQ(t, list.count, 0u);
	CX_EXPECT(t, list.pkts == nullptr);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::FragFails), 1u);
	CX_EXPECT_EQ(t, ip_stats_drops(&env->stats, DropReason::PktTooBig), 1u);
	/* the packet is untouched for the caller's ICMP frag-needed */
	CX_EXPECT_EQ(t, cx_pkt_len(pkt), 2020u);
	cx_pkt_free(pkt);
	/* an MTU that cannot carry the header and 8 bytes */
	spec.df = false;
	spec.options_len = 40;
	static const uint8_t nops[40] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
					 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
	spec.options = nops;
	pkt = ipv4_test_packet(spec);
	CX_EXPECT_EQ(t, ip_fragment(&env->stats, pkt, 67, 0, &list, &mtu_out), -CX_EINVAL);
	CX_EXPECT_EQ(t, ip_fragment(&env->stats, pkt, 68, 0, &list, &mtu_out), 0);
	CX_EXPECT(t, layout_ok(t, list, 68, 60, 2000));
	fragment_list_free(&list);
	cx_pkt_free(pkt);
	frag_env_free(env);
}

void ipv4_fragment_options_copied(cx_test *t)
{
	FragEnv *env = frag_env();
	/* RR (not copied), security (copied), RA (copied), END */
	static const uint8_t options[] = {
		7, 7, 4, 0, 0, 0, 0,	/* RR */
		130, 3, 9,		/* SEC-like option with the copied bit */
		148, 4, 0, 0,		/* RA */
		68, 8, 5, 0, 0, 0, 0, 0, /* TS (not copied) */
		0, 0,			/* END */
	};
	static_assert(sizeof(options) == 24, "six words");
	Ipv4TestSpec spec;
	spec.options = options;
	spec.options_len = sizeof(options);
	spec.payload_len = 1000;
	cx_pkt *pkt = ipv4_test_packet(spec);
	FragmentList list;
	unsigned int mtu_out;
	CX_EXPECT_EQ(t, ip_fragment(&env->stats, pkt, 300, 0, &list, &mtu_out), 0);
	CX_EXPECT(t, layout_ok(t, list, 300, 44, 1000));
	for (size_t i = 0; i < list.count; i++) {
		const uint8_t *p = cx_pkt_data(list.pkts[i]);
		if (i == 0) {
			CX_EXPECT_EQ(t, __builtin_memcmp(p + 20, options, sizeof(options)), 0);
			continue;
		}
		/* RR and TS became NOOPs in place; copied options stay */
		for (size_t b = 0; b < 7; b++)
			CX_EXPECT_EQ(t, p[20 + b], ip_option::kNoop);
		CX_EXPECT_EQ(t, __builtin_memcmp(p + 27, options + 7, 7), 0);
		for (size_t b = 14; b < 22; b++)
			CX_EXPECT_EQ(t, p[20 + b], ip_option::kNoop);
		CX_EXPECT_EQ(t, p[42], 0);
	}
	/* the original is not modified */
	CX_EXPECT_EQ(t, __builtin_memcmp(cx_pkt_data(pkt) + 20, options, sizeof(options)), 0);
	/* and the fragments reassemble with the first fragment's header */
	cx_pkt *out = nullptr;
	DropReason reason;
	for (size_t i = 0; i < list.count; i++) {
		ip_defrag(env->table, list.pkts[i], 0, 0, &out, &reason);
		list.pkts[i] = nullptr;
	}
	fragment_list_free(&list);
	CX_EXPECT(t, out != nullptr);
	if (out) {
		CX_EXPECT(t, ipv4_test_payload_matches(out, 1000, spec.seed));
		CX_EXPECT_EQ(t, __builtin_memcmp(cx_pkt_data(out) + 20, options, sizeof(options)), 0);
		cx_pkt_free(out);
	}
	cx_pkt_free(pkt);
	frag_env_free(env);
}

void ipv4_fragment_of_fragment(cx_test *t)
{
	FragEnv *env = frag_env();
	/* a forwarded middle fragment (offset 1480, MF) split again for MTU 576 */
	Ipv4TestSpec spec;
	spec.mf = true;
	spec.frag_offset = 1480;
	spec.payload_len = 1480;
	cx_pkt *pkt = ipv4_test_packet(spec);
	FragmentList list;
	unsigned int mtu_out;
	CX_EXPECT_EQ(t, ip_fragment(&env->stats, pkt, 576, 0, &list, &mtu_out), 0);
	CX_EXPECT_EQ(t, list.count, 3u);
	size_t offset = 1480;
	for (size_t i = 0; i < list.count; i++) {
		const uint8_t *p = cx_pkt_data(list.pkts[i]);
		uint16_t field = wire::load_be16(p + 6);
		CX_EXPECT_EQ(t, (field & 0x1fff) * 8u, offset);
		CX_EXPECT(t, (field & 0x2000) != 0); /* MF kept on the last as well */
		offset += cx_pkt_len(list.pkts[i]) - 20;
	}
	CX_EXPECT_EQ(t, offset, 2960u);
	fragment_list_free(&list);
	cx_pkt_free(pkt);
	frag_env_free(env);
}

} // namespace cx::test
