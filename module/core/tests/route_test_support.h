/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the route test cases. Internal linkage (an anonymous
 * namespace, inline): each case file gets its own copy and no COMDAT group
 * reaches the kernel build.
 */
#ifndef CXNET_CORE_TESTS_ROUTE_TEST_SUPPORT_H
#define CXNET_CORE_TESTS_ROUTE_TEST_SUPPORT_H

#include "../memory.h"
#include "../route/fib.h"

namespace cx::test {
namespace {

inline constexpr uint32_t ip(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	return (a << 24) | (b << 16) | (c << 8) | d;
}

/* A namespace's FIB with its default tables and rules; a fixed ECMP seed if non-zero. */
inline cx::route::Fib *new_fib(uint32_t multipath_seed = 0)
{
	cx::route::Fib *fib = make<cx::route::Fib>(Gfp::Kernel);

	if (fib && fib->init(Gfp::Kernel)) {
		cx::destroy(fib);
		return nullptr;
	}
	if (fib && multipath_seed)
		fib->set_multipath_seed(multipath_seed);
	return fib;
}

inline void free_fib(cx::route::Fib *fib)
{
	fib->destroy();
	cx::destroy(fib);
}

} // namespace
} // namespace cx::test

#endif /* CXNET_CORE_TESTS_ROUTE_TEST_SUPPORT_H */
