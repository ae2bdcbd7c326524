// SPDX-License-Identifier: GPL-2.0
/*
 * cxnet_bench.ko: IPv4 route lookup benchmark, cxnet's FIB against Linux's
 * fib_trie, in the same kernel. Not a test: scripts/bench-route loads it.
 *
 * At insmod it generates the synthetic full-view table and its lookup
 * destinations from seed (core/route/bench_gen.h: the same as the
 * userspace cxnet-route-bench and its `--dump` for `ip -batch`), builds a
 * cx::route::Fib from them (one commit) and times with ktime_get_ns():
 *   - cxnet's bare trie match (RouteSnapshot::match), its table lookup
 *     (RouteSnapshot::lookup, fib_table_lookup()'s equivalent) and the
 *     full Fib::lookup (rules, tables, nexthop);
 *   - Linux's fib_lookup() in the network namespace of the insmod process,
 *     into which the script has loaded the same routes beforehand;
 * over the same destinations, for two mixes (uniformly random, and 90% in
 * a prefix). Then it checks that both answer the same prefix and gateway
 * for every destination outside 10/8 and 127/8 (where Linux has its
 * local and connected routes). Everything is freed before insmod returns;
 * the results are kernel log lines "cxnet_bench: ...". insmod fails (and
 * the log says why) if the table cannot be built or the answers differ.
 *
 * Parameters: prefixes (900000), seed (2024), destinations per mix
 * (2097152), rounds (passes over the destinations per measurement, 1).
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/rcupdate.h>
#include <linux/nsproxy.h>
#include <net/net_namespace.h>
#include <net/ip_fib.h>

#include "bench.h"

static unsigned int prefixes = 900000;
module_param(prefixes, uint, 0444);
MODULE_PARM_DESC(prefixes, "routes in the generated table (900000)");

static unsigned int seed = 2024;
module_param(seed, uint, 0444);
MODULE_PARM_DESC(seed, "generator seed, as cxnet-route-bench --seed (2024)");

static unsigned int destinations = 1 << 21;
module_param(destinations, uint, 0444);
MODULE_PARM_DESC(destinations, "lookup destinations per mix (2097152)");

static unsigned int rounds = 1;
module_param(rounds, uint, 0444);
MODULE_PARM_DESC(rounds, "passes over the destinations per measurement (1)");

/* Lookups between two cond_resched() calls. */
#define CX_BENCH_CHUNK 8192

static const char *const mix_names[CX_BENCH_MIXES] = { "random", "hit" };
static const char *const op_names[CX_BENCH_OPS] = { "cxnet_match", "cxnet_table", "cxnet_fib" };

/* ns per lookup * 100, for two decimals without floating point */
static u64 centi_ns(u64 total_ns, u64 lookups)
{
	return lookups ? div64_u64(total_ns * 100, lookups) : 0;
}

static u64 time_cxnet(const struct cx_bench *b, enum cx_bench_op op, enum cx_bench_mix mix,
		      u64 *sink)
{
	unsigned int r, i, n;
	u64 total = 0, t0;

	for (r = 0; r < rounds; r++) {
		for (i = 0; i < destinations; i += n) {
			n = min_t(unsigned int, CX_BENCH_CHUNK, destinations - i);
			rcu_read_lock();
			t0 = ktime_get_ns();
			*sink += cx_bench_run(b, op, mix, i, n);
			total += ktime_get_ns() - t0;
			rcu_read_unlock();
			cond_resched();
		}
	}
	return total;
}

static int linux_lookup(struct net *net, u32 dst, struct fib_result *res)
{
	struct flowi4 fl4 = {
		.flowi4_iif = LOOPBACK_IFINDEX,
		.flowi4_scope = RT_SCOPE_UNIVERSE,
		.daddr = cpu_to_be32(dst),
	};

	return fib_lookup(net, &fl4, res, 0);
}

static noinline u64 run_linux(struct net *net, const u32 *dst, unsigned int count)
{
	struct fib_result res;
	unsigned int i;
	u64 sink = 0;
	int err;

	for (i = 0; i < count; i++) {
		err = linux_lookup(net, dst[i], &res);
		sink += err ? (u32)err : res.prefixlen;
	}
	return sink;
}

static u64 time_linux(struct net *net, const u32 *dst, u64 *sink)
{
	unsigned int r, i, n;
	u64 total = 0, t0;

	for (r = 0; r < rounds; r++) {
		for (i = 0; i < destinations; i += n) {
			n = min_t(unsigned int, CX_BENCH_CHUNK, destinations - i);
			rcu_read_lock();
			t0 = ktime_get_ns();
			*sink += run_linux(net, dst + i, n);
			total += ktime_get_ns() - t0;
			rcu_read_unlock();
			cond_resched();
		}
	}
	return total;
}

static void report(const char *mix, const char *what, u64 total_ns, u64 lookups)
{
	u64 c = centi_ns(total_ns, lookups);

	pr_info("cxnet_bench: result mix=%s op=%s lookups=%llu total_ns=%llu ns_per_lookup=%llu.%02llu\n",
		mix, what, lookups, total_ns, div_u64(c, 100), c % 100);
}

/*
 * Same prefix, length and gateway (or the same error) from both: the count
 * of differing answers; counts destinations compared, skipped and hits.
 */
static unsigned int verify(struct net *net, const struct cx_bench *b, const u32 *dst,
			   unsigned int *compared, unsigned int *skipped, unsigned int *hits)
{
	unsigned int i, bad = 0;
	struct cx_bench_answer a;
	struct fib_result res;
	u32 lprefix, lgw;
	int err;

	for (i = 0; i < destinations; i++) {
		if ((dst[i] >> 24) == 10 || (dst[i] >> 24) == 127) {
			(*skipped)++;
			continue;
		}
		cx_bench_lookup(b, dst[i], &a);
		rcu_read_lock();
		err = linux_lookup(net, dst[i], &res);
		lprefix = err ? 0 : be32_to_cpu(res.prefix);
		lgw = 0;
		if (!err && res.nhc && res.nhc->nhc_gw_family == AF_INET)
			lgw = be32_to_cpu(res.nhc->nhc_gw.ipv4);
		rcu_read_unlock();
		(*compared)++;
		if (!err)
			(*hits)++;
		if (err != a.err ||
		    (!err && (lprefix != a.prefix || res.prefixlen != a.len || lgw != a.gateway))) {
			if (bad < 5)
				pr_err("cxnet_bench: differ for %pI4h: cxnet %d %pI4h/%u via %pI4h, fib_trie %d %pI4h/%u via %pI4h\n",
				       &dst[i], a.err, &a.prefix, a.len, &a.gateway, err, &lprefix,
				       err ? 0 : res.prefixlen, &lgw);
			bad++;
		}
		if (!(i % CX_BENCH_CHUNK))
			cond_resched();
	}
	return bad;
}

static int __init cxnet_bench_init(void)
{
	struct net *net = current->nsproxy->net_ns;
	u64 op_ns[CX_BENCH_MIXES][CX_BENCH_OPS], linux_ns[CX_BENCH_MIXES];
	unsigned int compared = 0, skipped = 0, bad = 0, hits[CX_BENCH_MIXES] = {};
	u64 lookups = (u64)destinations * rounds, sink = 0, c, l, ratio;
	struct cx_bench_stats st;
	struct cx_bench *b;
	int err, m, op;

	if (!rounds || !destinations) {
		pr_err("cxnet_bench: rounds and destinations must be > 0\n");
		return -EINVAL;
	}
	err = cx_bench_create(seed, prefixes, destinations, &b, &st);
	if (err) {
		pr_err("cxnet_bench: cannot build the table of %u prefixes (seed %u): %d\n",
		       prefixes, seed, err);
		return err;
	}
	pr_info("cxnet_bench: table prefixes=%u seed=%u destinations=%u rounds=%u generate_ms=%llu add_ms=%llu commit_ms=%llu fib_bytes=%llu table_bytes=%llu snapshot_bytes=%llu trie_bytes=%llu nodes=%u leaves=%u\n",
		prefixes, seed, destinations, rounds, div_u64(st.generate_ns, NSEC_PER_MSEC),
		div_u64(st.add_ns, NSEC_PER_MSEC), div_u64(st.commit_ns, NSEC_PER_MSEC),
		st.fib_bytes, st.table_bytes, st.snapshot_bytes, st.trie_bytes, st.nodes,
		st.leaves);
	pr_info("cxnet_bench: linux fib_has_custom_rules=%d\n",
		net->ipv4.fib_has_custom_rules ? 1 : 0);

	for (m = 0; m < CX_BENCH_MIXES; m++) {
		bad += verify(net, b, cx_bench_destinations(b, m), &compared, &skipped, &hits[m]);
		for (op = 0; op < CX_BENCH_OPS; op++) {
			op_ns[m][op] = time_cxnet(b, op, m, &sink);
			report(mix_names[m], op_names[op], op_ns[m][op], lookups);
		}
		linux_ns[m] = time_linux(net, cx_bench_destinations(b, m), &sink);
		report(mix_names[m], "fib_trie", linux_ns[m], lookups);
	}
	pr_info("cxnet_bench: verify compared=%u skipped=%u differ=%u hits_random=%u hits_hit=%u (sink %llu)\n",
		compared, skipped, bad, hits[CX_BENCH_MIX_RANDOM], hits[CX_BENCH_MIX_HIT], sink);
	for (m = 0; m < CX_BENCH_MIXES; m++) {
		c = centi_ns(op_ns[m][CX_BENCH_FIB], lookups);
		l = centi_ns(linux_ns[m], lookups);
		ratio = op_ns[m][CX_BENCH_FIB] ?
			div64_u64(linux_ns[m] * 100, op_ns[m][CX_BENCH_FIB]) : 0;
		pr_info("cxnet_bench: [%s] kernel cxnet: %llu.%02llu ns/lookup, fib_trie: %llu.%02llu ns/lookup, ratio Y/X = %llu.%02llu\n",
			mix_names[m], div_u64(c, 100), c % 100, div_u64(l, 100), l % 100,
			div_u64(ratio, 100), ratio % 100);
	}
	cx_bench_destroy(b);
	if (bad) {
		pr_err("cxnet_bench: %u of %u answers differ from fib_trie's: are the routes loaded (cxnet-route-bench --prefixes %u --seed %u --dump)?\n",
		       bad, compared, prefixes, seed);
		return -EBADE;
	}
	return 0;
}

static void __exit cxnet_bench_exit(void)
{
}

module_init(cxnet_bench_init);
module_exit(cxnet_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("cxnet route lookup benchmark: cxnet's FIB against fib_trie");
