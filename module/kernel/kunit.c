// SPDX-License-Identifier: GPL-2.0
/*
 * cxnet_kunit.ko: KUnit suites run at insmod on a CONFIG_KUNIT kernel.
 *
 * cxnet_core: every case of the portable core's table (core/tests/), the
 * same cases the userspace GoogleTest runner runs, here compiled with the
 * kernel's flags and run against the kernel OS interface; one parameterised
 * KUnit case, one KTAP subtest per core case ("suite.name").
 * cxnet_os: the kernel OS interface itself (os_kernel_test.c).
 */
#include <linux/module.h>
#include <kunit/test.h>

#include "../core/tests/cx_test.h"
#include "os_kernel_test.h"

struct cx_test {
	struct kunit *kunit;
};

void cx_test_fail(struct cx_test *t, const char *file, int line, const char *expr)
{
	KUNIT_FAIL(t->kunit, "%s:%d: expected %s", file, line, expr);
}

void cx_test_fail_values(struct cx_test *t, const char *file, int line, const char *expr,
			 long long lhs, long long rhs)
{
	KUNIT_FAIL(t->kunit, "%s:%d: expected %s (%lld vs %lld)", file, line, expr, lhs, rhs);
}

static const void *cx_core_case_gen(const void *prev, char *desc)
{
	const struct cx_test_case *c = prev ? (const struct cx_test_case *)prev + 1
					    : cx_core_test_cases;

	if (c >= cx_core_test_cases + cx_core_test_case_count)
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s.%s", c->suite, c->name);
	return c;
}

static void cx_core_case_run(struct kunit *test)
{
	const struct cx_test_case *c = test->param_value;
	struct cx_test t = { .kunit = test };

	c->fn(&t);
}

static struct kunit_case cxnet_core_cases[] = {
	KUNIT_CASE_PARAM(cx_core_case_run, cx_core_case_gen),
	{}
};

static struct kunit_suite cxnet_core_suite = {
	.name = "cxnet_core",
	.test_cases = cxnet_core_cases,
};

kunit_test_suites(&cxnet_core_suite, &cxnet_os_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("cxnet KUnit tests: the portable core and the kernel OS interface");
