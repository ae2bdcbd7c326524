/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cxnet_bench.ko: the interface between its C side (bench.c: module,
 * timing, Linux's fib_lookup()) and its C++ side (bench_core.cpp: the
 * generated table in a cx::route::Fib). Plain C, included by both.
 */
#ifndef CXNET_KERNEL_BENCH_H
#define CXNET_KERNEL_BENCH_H

#include "../core/types.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cx_bench;

/* Destination mixes (cx::route::bench::DestMix). */
enum cx_bench_mix {
	CX_BENCH_MIX_RANDOM = 0,	/* uniform over the address space */
	CX_BENCH_MIX_HIT = 1,		/* 90% inside a prefix, 10% uniform */
	CX_BENCH_MIXES = 2,
};

/* What cx_bench_run() times on the core. */
enum cx_bench_op {
	CX_BENCH_MATCH = 0,	/* RouteSnapshot::match: the bare trie */
	CX_BENCH_TABLE = 1,	/* RouteSnapshot::lookup: fib_table_lookup() */
	CX_BENCH_FIB = 2,	/* Fib::lookup: rules, tables, nexthop */
	CX_BENCH_OPS = 3,
};

struct cx_bench_stats {
	uint64_t generate_ns;	/* prefixes and destinations */
	uint64_t add_ns;	/* Fib::route_add of every prefix */
	uint64_t commit_ns;	/* Fib::commit: the snapshot build */
	uint64_t fib_bytes;	/* Fib::memory_bytes() */
	uint64_t table_bytes;	/* the main table's entries */
	uint64_t snapshot_bytes;
	uint64_t trie_bytes;
	uint32_t nodes;
	uint32_t leaves;
};

/* A route lookup's answer, for comparing with fib_lookup(). */
struct cx_bench_answer {
	int err;
	uint32_t prefix;	/* host order */
	uint32_t gateway;	/* host order */
	uint8_t len;
};

/*
 * Generate the table (count: prefixes) and the destinations (count per
 * mix: destinations) from seed (module/core/route/bench_gen.h), add the
 * table to a new Fib's main table and commit once. 0 with *out set, or a
 * negative errno.
 * Process context (sleeps).
 */
int cx_bench_create(uint32_t seed, uint32_t prefixes, uint32_t destinations,
		    struct cx_bench **out, struct cx_bench_stats *stats);
void cx_bench_destroy(struct cx_bench *b);
/* The destinations of a mix, host order. */
const uint32_t *cx_bench_destinations(const struct cx_bench *b, enum cx_bench_mix mix);
/*
 * op on destinations [first, first + count) of mix: a sum of the answers
 * (so that nothing is optimised out). Caller holds rcu_read_lock().
 */
uint64_t cx_bench_run(const struct cx_bench *b, enum cx_bench_op op, enum cx_bench_mix mix,
		      uint32_t first, uint32_t count);
/* Fib::lookup of one destination (host order). */
void cx_bench_lookup(const struct cx_bench *b, uint32_t dst, struct cx_bench_answer *ans);

#ifdef __cplusplus
}
#endif

#endif /* CXNET_KERNEL_BENCH_H */
