// SPDX-License-Identifier: GPL-2.0
/* IPv4 reassembly: ip_defrag() and the queue policies of Linux 6.1. */
#include "cx_test.h"
#include "cases.h"
#include "ipv4_test_packets.h"
#include "xorshift.h"
#include "../memory.h"
#include "../ipv4/reassembly.h"

namespace cx::test {

using namespace cx::ipv4;

namespace {

struct ReasmEnv {
	IpStats stats{};
	ReassemblyConfig config;
	FragTable *table = nullptr;
	unsigned int timeouts = 0;
	bool head_was_first = true;
	cx_pkt *out = nullptr;
};

void on_timeout(void *ctx, const FragKey *key, cx_pkt *head)
{
	ReasmEnv *env = static_cast<ReasmEnv *>(ctx);
	env->timeouts++;
	const uint8_t *p = cx_pkt_data(head);
	/* the head fragment, with its IP header, as ip_expire() hands it to icmp_send() */
	if ((wire::load_be16(p + 6) & 0x1fff) != 0 || wire::load_be16(p + 4) != key->id)
		env->head_was_first = false;
}

ReasmEnv *reasm_env()
{
	ReasmEnv *env = make<ReasmEnv>(Gfp::Kernel);
	env->table = frag_table_create(&env->config, &env->stats, on_timeout, env, Gfp::Kernel);
	return env;
}

void reasm_env_free(ReasmEnv *env)
{
	if (env->out)
		cx_pkt_free(env->out);
	frag_table_destroy(env->table);
	destroy(env);
}

/* Feed the fragment [offset, offset + len) of a datagram; keep a completed one in env->out. */
DefragResult feed(ReasmEnv *env, uint16_t id, size_t offset, size_t len, bool mf,
		  DropReason *reason = nullptr, uint32_t src = kIpv4TestSrc, uint8_t tos = 0,
		  bool df = false)
{
	Ipv4TestSpec spec;
	spec.id = id;
	spec.src = src;
	spec.tos = tos;
	spec.df = df;
	spec.mf = mf;
	spec.frag_offset = static_cast<uint16_t>(offset);
	spec.payload_len = len;
	spec.payload_start = offset;
	spec.seed = id;
	cx_pkt *pkt = ipv4_test_packet(spec);
	cx_pkt *out = nullptr;
	DropReason why = DropReason::NotSpecified;
	DefragResult result = ip_defrag(env->table, pkt, 0, 0, &out, &why);
	if (reason)
		*reason = why;
	if (result == DefragResult::Complete) {
		if (env->out)
			cx_pkt_free(env->out);
		env->out = out;
	}
	return result;
}

/* The completed datagram is total bytes of id's pattern with a clean header. */
bool complete_ok(cx_test *t, ReasmEnv *env, uint16_t id, size_t total)
{
	if (!env->out)
		return false;
	const uint8_t *p = cx_pkt_data(env->out);
	CX_EXPECT_EQ(t, wire::load_be16(p + 2), 20 + total);
	CX_EXPECT_EQ(t, wire::load_be16(p + 6) & 0x3fff, 0);
	CX_EXPECT_EQ(t, wire::load_be16(p + 4), id);
	CX_EXPECT(t, ipv4_test_checksum_ok(p));
	return ipv4_test_payload_matches(env->out, total, id);
}

FragKey key_for(uint16_t id)
{
	FragKey key{};
	key.src = kIpv4TestSrc;
	key.dst = kIpv4TestDst;
	key.id = id;
	key.protocol = 17;
	return key;
}

} // namespace

void ipv4_reassembly_in_order(cx_test *t)
{
	ReasmEnv *env = reasm_env();
	CX_EXPECT(t, feed(env, 7, 0, 1480, true) == DefragResult::Queued);
	CX_EXPECT(t, feed(env, 7, 1480, 1480, true) == DefragResult::Queued);
	CX_EXPECT_EQ(t, frag_table_queue_count(env->table), 1u);
	CX_EXPECT(t, frag_table_mem(env->table) > 2960u);
	CX_EXPECT(t, feed(env, 7, 2960, 40, false) == DefragResult::Complete);
	CX_EXPECT(t, complete_ok(t, env, 7, 3000));
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmReqds), 3u);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmOKs), 1u);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmFails), 0u);
	CX_EXPECT_EQ(t, frag_table_queue_count(env->table), 0u);
	CX_EXPECT_EQ(t, frag_table_mem(env->table), 0u);
	reasm_env_free(env);
}

void ipv4_reassembly_reverse_order(cx_test *t)
{
	ReasmEnv *env = reasm_env();
	CX_EXPECT(t, feed(env, 9, 2960, 1, false) == DefragResult::Queued);
	CX_EXPECT(t, feed(env, 9, 1480, 1480, true) == DefragResult::Queued);
	CX_EXPECT(t, feed(env, 9, 0, 1480, true) == DefragResult::Complete);
	CX_EXPECT(t, complete_ok(t, env, 9, 2961));
	reasm_env_free(env);
}

void ipv4_reassembly_random_order(cx_test *t)
{
	ReasmEnv *env = reasm_env();
	Xorshift32 rng(42);
	/* up to 32 pieces of 8..512 bytes (multiples of 8), fed shuffled */
	size_t *starts = make_array<size_t>(33, Gfp::Kernel);
	for (uint16_t round = 1; round <= 60; round++) {
		size_t pieces = 1 + rng.below(32);
		size_t total = 0;
		for (size_t i = 0; i < pieces; i++) {
			starts[i] = total;
			total += 8 * size_t(1 + rng.below(64));
		}
		size_t last_len = 1 + rng.below(8); /* the last piece need not be 8-aligned */
		starts[pieces] = starts[pieces - 1] + last_len;
		total = starts[pieces];
		/* a shuffled order of the pieces, as indices in a small array */
		uint8_t order[32];
		for (size_t i = 0; i < pieces; i++)
			order[i] = static_cast<uint8_t>(i);
		for (size_t i = pieces; i > 1; i--) {
			size_t j = rng.below(static_cast<uint32_t>(i));
			uint8_t tmp = order[i - 1];
			order[i - 1] = order[j];
			order[j] = tmp;
		}
		for (size_t i = 0; i < pieces; i++) {
			size_t k = order[i];
			bool last = k == pieces - 1;
			DefragResult r = feed(env, round, starts[k], starts[k + 1] - starts[k], !last);
			CX_EXPECT(t, r == (i == pieces - 1 ? DefragResult::Complete : DefragResult::Queued));
		}
		CX_EXPECT(t, complete_ok(t, env, round, total));
	}
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmOKs), 60u);
	CX_EXPECT_EQ(t, frag_table_mem(env->table), 0u);
	free_array(starts);
	reasm_env_free(env);
}

void ipv4_reassembly_duplicates_ignored(cx_test *t)
{
	ReasmEnv *env = reasm_env();
	DropReason reason;
	CX_EXPECT(t, feed(env, 3, 0, 16, true) == DefragResult::Queued);
	CX_EXPECT(t, feed(env, 3, 0, 16, true, &reason) == DefragResult::Dropped);
	CX_EXPECT(t, reason == DropReason::DupFrag);
	CX_EXPECT(t, feed(env, 3, 16, 16, true) == DefragResult::Queued);
	/* inside the run [0, 32): Linux calls it a duplicate too */
	CX_EXPECT(t, feed(env, 3, 8, 16, true, &reason) == DefragResult::Dropped);
	CX_EXPECT(t, reason == DropReason::DupFrag);
	/* a fragment inserted before the tail is a run of its own */
	CX_EXPECT(t, feed(env, 3, 48, 8, false) == DefragResult::Queued);
	CX_EXPECT(t, feed(env, 3, 32, 8, true) == DefragResult::Queued);
	CX_EXPECT(t, feed(env, 3, 32, 8, true, &reason) == DefragResult::Dropped);
	CX_EXPECT(t, reason == DropReason::DupFrag);
	CX_EXPECT(t, feed(env, 3, 40, 8, true) == DefragResult::Complete);
	CX_EXPECT(t, complete_ok(t, env, 3, 56));
	CX_EXPECT_EQ(t, ip_stats_drops(&env->stats, DropReason::DupFrag), 3u);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmFails), 0u);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmOverlaps), 0u);
	reasm_env_free(env);
}

void ipv4_reassembly_overlap_discards(cx_test *t)
{
	ReasmEnv *env = reasm_env();
	DropReason reason;
	/* partial overlap with the tail */
	CX_EXPECT(t, feed(env, 4, 0, 16, true) == DefragResult::Queued);
	CX_EXPECT(t, feed(env, 4, 8, 16, true, &reason) == DefragResult::Dropped);
	CX_EXPECT(t, reason == DropReason::FragOverlap);
	CX_EXPECT_EQ(t, frag_table_queue_count(env->table), 0u);
	/* spanning two runs */
	CX_EXPECT(t, feed(env, 5, 0, 8, true) == DefragResult::Queued);
	CX_EXPECT(t, feed(env, 5, 16, 8, true) == DefragResult::Queued);
	CX_EXPECT(t, feed(env, 5, 0, 24, true, &reason) == DefragResult::Dropped);
	CX_EXPECT(t, reason == DropReason::FragOverlap);
	/* the rest of the datagram starts a new queue that never completes */
	CX_EXPECT(t, feed(env, 5, 24, 8, false) == DefragResult::Queued);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmOverlaps), 2u);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmFails), 2u);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmOKs), 0u);
	CX_EXPECT_EQ(t, frag_table_queue_count(env->table), 1u);
	reasm_env_free(env);
}

void ipv4_reassembly_inconsistent_end(cx_test *t)
{
	ReasmEnv *env = reasm_env();
	DropReason reason;
	/* two different last fragments */
	CX_EXPECT(t, feed(env, 1, 16, 8, false) == DefragResult::Queued);
	CX_EXPECT(t, feed(env, 1, 16, 16, false, &reason) == DefragResult::Dropped);
	CX_EXPECT(t, reason == DropReason::FragInvalid);
	/* data past the known end */
	CX_EXPECT(t, feed(env, 2, 16, 8, false) == DefragResult::Queued);
	CX_EXPECT(t, feed(env, 2, 24, 8, true, &reason) == DefragResult::Dropped);
	CX_EXPECT(t, reason == DropReason::FragInvalid);
	/* a last fragment ending before data already queued */
	CX_EXPECT(t, feed(env, 3, 16, 16, true) == DefragResult::Queued);
	CX_EXPECT(t, feed(env, 3, 0, 8, false, &reason) == DefragResult::Dropped);
	CX_EXPECT(t, reason == DropReason::FragInvalid);
	/* an empty non-last fragment (7 bytes round down to 0) */
	CX_EXPECT(t, feed(env, 6, 0, 7, true, &reason) == DefragResult::Dropped);
	CX_EXPECT(t, reason == DropReason::FragInvalid);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmFails), 4u);
	CX_EXPECT_EQ(t, frag_table_queue_count(env->table), 0u);
	CX_EXPECT_EQ(t, frag_table_mem(env->table), 0u);
	reasm_env_free(env);
}

void ipv4_reassembly_unaligned_middle_rounded(cx_test *t)
{
	ReasmEnv *env = reasm_env();
	/* a non-last fragment of 20 bytes counts as 16 (end &= ~7) */
	CX_EXPECT(t, feed(env, 8, 0, 20, true) == DefragResult::Queued);
	CX_EXPECT(t, feed(env, 8, 16, 8, false) == DefragResult::Complete);
	CX_EXPECT(t, complete_ok(t, env, 8, 24));
	reasm_env_free(env);
}

void ipv4_reassembly_too_large(cx_test *t)
{
	ReasmEnv *env = reasm_env();
	DropReason reason = DropReason::NotDropped;
	DefragResult r = DefragResult::Queued;
	/* 44 * 1480 + 1 = 65121 ... up to offset 65520 + 100: beyond 65535 */
	for (size_t offset = 0; offset < 65520; offset += 1480) {
		size_t len = offset + 1480 > 65520 ? 65520 - offset : 1480;
		r = feed(env, 11, offset, len, true);
		CX_EXPECT(t, r == DefragResult::Queued);
	}
	r = feed(env, 11, 65520, 100, false, &reason);
	CX_EXPECT(t, r == DefragResult::Dropped);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmFails), 1u);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmOKs), 0u);
	CX_EXPECT_EQ(t, frag_table_queue_count(env->table), 0u);
	CX_EXPECT_EQ(t, frag_table_mem(env->table), 0u);
	/* exactly 65535 with the header is fine */
	for (size_t offset = 0; offset < 65512; offset += 1480) {
		size_t len = offset + 1480 > 65512 ? 65512 - offset : 1480;
		feed(env, 12, offset, len, true);
	}
	CX_EXPECT(t, feed(env, 12, 65512, 3, false) == DefragResult::Complete);
	CX_EXPECT(t, complete_ok(t, env, 12, 65515));
	reasm_env_free(env);
}

void ipv4_reassembly_timeout_icmp_needs_first(cx_test *t)
{
	ReasmEnv *env = reasm_env();
	/* first fragment seen: the timeout hands it over for ICMP time exceeded */
	feed(env, 21, 0, 8, true);
	feed(env, 21, 16, 8, false);
	FragKey key = key_for(21);
	CX_EXPECT(t, frag_table_expire_now(env->table, &key));
	CX_EXPECT_EQ(t, env->timeouts, 1u);
	CX_EXPECT(t, env->head_was_first);
	CX_EXPECT(t, !frag_table_expire_now(env->table, &key));
	/* without the first fragment: no ICMP */
	feed(env, 22, 8, 8, true);
	feed(env, 22, 16, 8, false);
	key = key_for(22);
	CX_EXPECT(t, frag_table_expire_now(env->table, &key));
	CX_EXPECT_EQ(t, env->timeouts, 1u);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmTimeout), 2u);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmFails), 2u);
	CX_EXPECT_EQ(t, ip_stats_drops(&env->stats, DropReason::FragReasmTimeout), 4u);
	CX_EXPECT_EQ(t, frag_table_queue_count(env->table), 0u);
	CX_EXPECT_EQ(t, frag_table_mem(env->table), 0u);
	reasm_env_free(env);
}

void ipv4_reassembly_memory_cap(cx_test *t)
{
	ReasmEnv *env = reasm_env();
	/* one 1480-byte first fragment per datagram until the 4 MiB cap */
	uint16_t id = 0;
	DropReason reason = DropReason::NotDropped;
	while (feed(env, id, 0, 1480, true, &reason) == DefragResult::Queued)
		id++;
	CX_EXPECT(t, reason == DropReason::NoMem);
	uint64_t mem = frag_table_mem(env->table);
	CX_EXPECT(t, mem > env->config.high_thresh);
	CX_EXPECT(t, mem < env->config.high_thresh + 4096);
	CX_EXPECT(t, id > 2000 && id < 2900);
	/* refused even for a queue that exists (inet_frag_find() checks first) */
	CX_EXPECT(t, feed(env, 0, 1480, 8, false, &reason) == DefragResult::Dropped);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmFails), 2u);
	CX_EXPECT_EQ(t, ip_stats_drops(&env->stats, DropReason::NoMem), 2u);
	/* below the cap again, fragments are taken */
	for (uint16_t i = 0; i < 10; i++) {
		FragKey key = key_for(i);
		CX_EXPECT(t, frag_table_expire_now(env->table, &key));
	}
	CX_EXPECT(t, feed(env, 5, 1480, 8, false) == DefragResult::Queued);
	CX_EXPECT(t, feed(env, 5, 0, 1480, true) == DefragResult::Complete);
	CX_EXPECT(t, complete_ok(t, env, 5, 1488));
	reasm_env_free(env);
}

void ipv4_reassembly_max_dist(cx_test *t)
{
	ReasmEnv *env = reasm_env();
	const uint32_t other = wire::ipv4_address(192, 0, 2, 99);
	/* 63 fragments of other datagrams from the same source in between: fine */
	feed(env, 100, 0, 8, true);
	for (uint16_t i = 0; i < 63; i++)
		feed(env, static_cast<uint16_t>(200 + i), 8, 8, true);
	/* other sources do not count */
	for (uint16_t i = 0; i < 100; i++)
		feed(env, static_cast<uint16_t>(200 + i), 8, 8, true, nullptr, other);
	CX_EXPECT(t, feed(env, 100, 8, 8, false) == DefragResult::Complete);
	CX_EXPECT_EQ(t, ip_stats_drops(&env->stats, DropReason::FragTooFar), 0u);
	/* 64 in between: the queue restarts and loses its first fragment */
	feed(env, 101, 0, 8, true);
	for (uint16_t i = 0; i < 64; i++)
		feed(env, static_cast<uint16_t>(300 + i), 8, 8, true);
	uint64_t fails = ip_stats_get(&env->stats, IpMib::ReasmFails);
	CX_EXPECT(t, feed(env, 101, 8, 8, false) == DefragResult::Queued);
	CX_EXPECT_EQ(t, ip_stats_drops(&env->stats, DropReason::FragTooFar), 1u);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmFails), fails + 1);
	CX_EXPECT(t, feed(env, 101, 0, 8, true) == DefragResult::Complete);
	/* ipfrag_max_dist = 0 turns the check off */
	env->config.max_dist = 0;
	feed(env, 102, 0, 8, true);
	for (uint16_t i = 0; i < 200; i++)
		feed(env, static_cast<uint16_t>(400 + i), 8, 8, true);
	CX_EXPECT(t, feed(env, 102, 8, 8, false) == DefragResult::Complete);
	reasm_env_free(env);
}

void ipv4_reassembly_df_and_ecn(cx_test *t)
{
	ReasmEnv *env = reasm_env();
	DropReason reason;
	/* DF on every fragment: the datagram keeps DF (IPSKB_FRAG_PMTU) */
	feed(env, 30, 0, 16, true, nullptr, kIpv4TestSrc, 0, true);
	CX_EXPECT(t, feed(env, 30, 16, 8, false, nullptr, kIpv4TestSrc, 0, true) ==
			     DefragResult::Complete);
	CX_EXPECT_EQ(t, wire::load_be16(cx_pkt_data(env->out) + 6), 0x4000);
	CX_EXPECT(t, ipv4_test_checksum_ok(cx_pkt_data(env->out)));
	/* DF only on the small last one: not kept */
	feed(env, 31, 0, 16, true);
	CX_EXPECT(t, feed(env, 31, 16, 8, false, nullptr, kIpv4TestSrc, 0, true) ==
			     DefragResult::Complete);
	CX_EXPECT_EQ(t, wire::load_be16(cx_pkt_data(env->out) + 6), 0);
	/* ECT(0) and CE: the datagram is CE (RFC 3168 5.3) */
	feed(env, 32, 0, 16, true, nullptr, kIpv4TestSrc, 0x02);
	CX_EXPECT(t, feed(env, 32, 16, 8, false, nullptr, kIpv4TestSrc, 0x03) ==
			     DefragResult::Complete);
	CX_EXPECT_EQ(t, cx_pkt_data(env->out)[1] & 3, 3);
	CX_EXPECT(t, ipv4_test_checksum_ok(cx_pkt_data(env->out)));
	/* Not-ECT mixed with ECT: dropped */
	feed(env, 33, 0, 16, true, nullptr, kIpv4TestSrc, 0x00);
	CX_EXPECT(t, feed(env, 33, 16, 8, false, &reason, kIpv4TestSrc, 0x02) ==
			     DefragResult::Dropped);
	CX_EXPECT_EQ(t, ip_stats_get(&env->stats, IpMib::ReasmFails), 1u);
	CX_EXPECT_EQ(t, frag_table_queue_count(env->table), 0u);
	reasm_env_free(env);
}

void ipv4_reassembly_keys_separate(cx_test *t)
{
	ReasmEnv *env = reasm_env();
	/* same id, different user (vrf/defrag user): different queues */
	Ipv4TestSpec spec;
	spec.id = 40;
	spec.seed = 40;
	spec.mf = true;
	spec.payload_len = 8;
	cx_pkt *out = nullptr;
	DropReason reason;
	CX_EXPECT(t, ip_defrag(env->table, ipv4_test_packet(spec), 1, 0, &out, &reason) ==
			     DefragResult::Queued);
	CX_EXPECT(t, ip_defrag(env->table, ipv4_test_packet(spec), 2, 0, &out, &reason) ==
			     DefragResult::Queued);
	CX_EXPECT(t, ip_defrag(env->table, ipv4_test_packet(spec), 1, 5, &out, &reason) ==
			     DefragResult::Queued);
	spec.protocol = 6;
	CX_EXPECT(t, ip_defrag(env->table, ipv4_test_packet(spec), 1, 0, &out, &reason) ==
			     DefragResult::Queued);
	CX_EXPECT_EQ(t, frag_table_queue_count(env->table), 4u);
	spec.protocol = 17;
	spec.mf = false;
	spec.frag_offset = 8;
	spec.payload_start = 8;
	CX_EXPECT(t, ip_defrag(env->table, ipv4_test_packet(spec), 2, 0, &out, &reason) ==
			     DefragResult::Complete);
	CX_EXPECT(t, ipv4_test_payload_matches(out, 16, 40));
	cx_pkt_free(out);
	CX_EXPECT_EQ(t, frag_table_queue_count(env->table), 3u);
	reasm_env_free(env);
}

} // namespace cx::test
