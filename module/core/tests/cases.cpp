// SPDX-License-Identifier: GPL-2.0
/*
 * The table of every core test case, for both runners (GoogleTest in
 * userspace, KUnit in the kernel). Constant-initialised: no constructor
 * runs, the table is plain .rodata.
 */
#include "cx_test.h"
#include "cases.h"
#include "../utility.h"

#define CX_TEST_CASE_ENTRY(suite, name) {#suite, #name, cx::test::suite##_##name},

extern "C" {

const struct cx_test_case cx_core_test_cases[] = {
	CX_CORE_TEST_CASES(CX_TEST_CASE_ENTRY)
};

const unsigned int cx_core_test_case_count = CX_ARRAY_SIZE(cx_core_test_cases);

} // extern "C"
