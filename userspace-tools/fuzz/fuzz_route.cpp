// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the FIB (module/core/route/fib.h), differentially.
 * The input is a sequence of 7-byte ops (op, prefix (4), length, type);
 * adds and deletes go to the main table and to a naive reference (a flat
 * array, longest match by linear scan, as route_random_test.cpp's model
 * with tos 0 and metric 0); "commit" ops commit and then look up the
 * op's address plus the prefix ends of every reference route, comparing
 * the answer (error, prefix, length) with the reference (the first four
 * commit ops of an input; later ones are ignored). Abort on any
 * mismatch. Everything is freed each iteration.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "os_user.h"
#include "route/fib.h"
#include "wire/bytes.h"

using namespace cx::route;

#define FUZZ_ASSERT(cond) do { if (!(cond)) abort(); } while (0)

namespace {

struct RefRoute {
	uint32_t prefix;
	uint8_t len;
	RouteType type;
};

constexpr size_t kMaxRoutes = 256;

struct Ref {
	RefRoute routes[kMaxRoutes];
	size_t count;

	int find(uint32_t prefix, uint8_t len) const
	{
		for (size_t i = 0; i < count; i++)
			if (routes[i].prefix == prefix && routes[i].len == len)
				return static_cast<int>(i);
		return -1;
	}
};

uint32_t mask_of(unsigned int len)
{
	return len == 0 ? 0 : ~0u << (32 - len);
}

int type_error(RouteType type)
{
	switch (type) {
	case RouteType::Unreachable:
		return -CX_EHOSTUNREACH;
	case RouteType::Prohibit:
		return -CX_EACCES;
	case RouteType::Blackhole:
		return -CX_EINVAL;
	case RouteType::Throw:
		/* main table throws: the default table is empty -> no route */
		return -CX_ENETUNREACH;
	default:
		return 0;
	}
}

RouteType type_of(uint8_t b)
{
	switch (b % 8) {
	case 0:
		return RouteType::Unreachable;
	case 1:
		return RouteType::Prohibit;
	case 2:
		return RouteType::Blackhole;
	case 3:
		return RouteType::Throw;
	default:
		return RouteType::Unicast;
	}
}

void check_lookup(const Fib *fib, const Ref *ref, uint32_t dst)
{
	const RefRoute *best = nullptr;
	for (size_t i = 0; i < ref->count; i++) {
		const RefRoute &r = ref->routes[i];
		if (((dst ^ r.prefix) & mask_of(r.len)) == 0 && (!best || r.len > best->len))
			best = &r;
	}
	int want = best ? type_error(best->type) : -CX_ENETUNREACH;
	FibFlow flow{};
	flow.dst = dst;
	flow.iif = 1;
	FibResult res;
	int err = fib->lookup(flow, &res);
	FUZZ_ASSERT(err == want);
	if (err == 0) {
		FUZZ_ASSERT(res.prefix == best->prefix);
		FUZZ_ASSERT(res.prefix_len == best->len);
		FUZZ_ASSERT(res.table == kTableMain);
		FUZZ_ASSERT(res.gateway == (0xc0000200u | (best->prefix & 0xff) | 1));
	}
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long live = cx_user_live_allocs();
	Fib *fib = cx::make<Fib>(cx::Gfp::Kernel);
	FUZZ_ASSERT(fib && fib->init(cx::Gfp::Kernel) == 0);
	Ref *ref = cx::make<Ref>(cx::Gfp::Kernel);
	FUZZ_ASSERT(ref);
	/* a commit recompiles the table (the slow part): a few per input */
	unsigned int commits = 0;
	for (size_t pos = 0; pos + 7 <= size; pos += 7) {
		const uint8_t *d = data + pos;
		uint8_t op = d[0] % 4;
		uint32_t addr = cx::wire::load_be32(d + 1);
		uint8_t len = d[5] % 33;
		uint32_t prefix = addr & mask_of(len);
		RouteType type = type_of(d[6]);
		int at = ref->find(prefix, len);
		if (op <= 1) {
			RouteConfig cfg = route_config(prefix, len);
			cfg.type = type;
			if (type == RouteType::Unicast) {
				cfg.gateway = 0xc0000200u | (prefix & 0xff) | 1;
				cfg.oif = 2;
			}
			int err = fib->route_add(cfg, cx::Gfp::Kernel);
			if (at >= 0) {
				FUZZ_ASSERT(err == -CX_EEXIST);
			} else if (ref->count < kMaxRoutes) {
				FUZZ_ASSERT(err == 0);
				ref->routes[ref->count++] = RefRoute{prefix, len, type};
			} else if (err == 0) {
				/* reference full: undo, keep both in step */
				FUZZ_ASSERT(fib->route_delete(route_delete_config(prefix, len)) == 0);
			}
		} else if (op == 2) {
			int err = fib->route_delete(route_delete_config(prefix, len));
			if (at < 0) {
				FUZZ_ASSERT(err == -CX_ESRCH);
			} else {
				FUZZ_ASSERT(err == 0);
				ref->routes[at] = ref->routes[--ref->count];
			}
		} else if (commits++ < 4) {
			FUZZ_ASSERT(fib->commit(cx::Gfp::Kernel) == 0);
			check_lookup(fib, ref, addr);
			for (size_t i = 0; i < ref->count; i++) {
				uint32_t p = ref->routes[i].prefix;
				check_lookup(fib, ref, p);
				check_lookup(fib, ref, p | ~mask_of(ref->routes[i].len));
				check_lookup(fib, ref, p - 1);
			}
		}
	}
	FUZZ_ASSERT(fib->commit(cx::Gfp::Kernel) == 0);
	for (size_t i = 0; i < ref->count; i++)
		check_lookup(fib, ref, ref->routes[i].prefix);
	fib->destroy();
	cx::destroy(fib);
	cx::destroy(ref);
	FUZZ_ASSERT(cx_user_live_allocs() == live);
	return 0;
}
