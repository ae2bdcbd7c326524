/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test cases for the portable core, written once and run twice: by the
 * userspace GoogleTest runner (userspace-tools/core-host/) and by the KUnit
 * suite module in the kernel (module/kernel/kunit.c).
 *
 * A case is a plain function taking the runner's context. Cases must be
 * kernel-safe: no libc, no exceptions, frames well under 1 KiB (allocate
 * larger state with cx_os_zalloc), no sleeping (they may run with any GFP).
 */
#ifndef CXNET_CORE_TESTS_CX_TEST_H
#define CXNET_CORE_TESTS_CX_TEST_H

#include "../types.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cx_test;	/* the runner's context (opaque to cases) */

/* Implemented by each runner: record a failed expectation. */
void cx_test_fail(struct cx_test *t, const char *file, int line, const char *expr);
void cx_test_fail_values(struct cx_test *t, const char *file, int line, const char *expr,
			 long long lhs, long long rhs);

typedef void (*cx_test_fn)(struct cx_test *t);

struct cx_test_case {
	const char *suite;	/* e.g. "checksum" */
	const char *name;	/* e.g. "rfc1071_example" */
	cx_test_fn fn;
};

/* The table of every core case (tests/cases.cpp), constant-initialised. */
extern const struct cx_test_case cx_core_test_cases[];
extern const unsigned int cx_core_test_case_count;

#ifdef __cplusplus
}

#define CX_EXPECT(t, cond)                                                   \
	do {                                                                 \
		if (!(cond))                                                 \
			cx_test_fail((t), __FILE__, __LINE__, #cond);        \
	} while (0)

#define CX_EXPECT_EQ(t, a, b)                                                \
	do {                                                                 \
		auto cx_a_ = (a);                                            \
		auto cx_b_ = (b);                                            \
		if (!(cx_a_ == cx_b_))                                       \
			cx_test_fail_values((t), __FILE__, __LINE__,         \
					    #a " == " #b, (long long)cx_a_,  \
					    (long long)cx_b_);               \
	} while (0)

#endif /* __cplusplus */

#endif /* CXNET_CORE_TESTS_CX_TEST_H */
