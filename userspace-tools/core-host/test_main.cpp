// SPDX-License-Identifier: GPL-2.0
/*
 * cxnet-core-tests: the GoogleTest runner. Registers every case of the
 * core's table (module/core/tests/cases.cpp) as a gtest named suite.name,
 * runs each on a fresh os_user state and checks it leaves no allocation
 * and no armed timer behind. Host-only gtests live next to this file.
 */
#include <gtest/gtest.h>

#include "os_user.h"
#include "tests/cx_test.h"

/* The runner's context, opaque to the cases. */
struct cx_test {
	const cx_test_case *test_case;
};

extern "C" void cx_test_fail(struct cx_test *, const char *file, int line, const char *expr)
{
	ADD_FAILURE_AT(file, line) << "expected: " << expr;
}

extern "C" void cx_test_fail_values(struct cx_test *, const char *file, int line, const char *expr,
				    long long lhs, long long rhs)
{
	ADD_FAILURE_AT(file, line) << "expected: " << expr << "\n  left: " << lhs << " (0x"
				   << std::hex << static_cast<unsigned long long>(lhs) << ")\n right: "
				   << std::dec << rhs << " (0x" << std::hex
				   << static_cast<unsigned long long>(rhs) << ")";
}

namespace {

class CoreCase : public testing::Test {
public:
	explicit CoreCase(const cx_test_case *test_case) : test_case_(test_case) {}

	void SetUp() override { cx_user_reset(); }

	void TestBody() override
	{
		const long live_before = cx_user_live_allocs();
		cx_test context{test_case_};
		test_case_->fn(&context);
		EXPECT_EQ(cx_user_live_allocs(), live_before)
			<< "the case leaked allocations made through os.h";
		EXPECT_EQ(cx_user_timers_pending(), 0u) << "the case left timers armed";
	}

	void TearDown() override { cx_user_reset(); }

private:
	const cx_test_case *test_case_;
};

} // namespace

int main(int argc, char **argv)
{
	testing::InitGoogleTest(&argc, argv);
	for (unsigned int i = 0; i < cx_core_test_case_count; i++) {
		const cx_test_case *test_case = &cx_core_test_cases[i];
		testing::RegisterTest(test_case->suite, test_case->name, nullptr, nullptr, __FILE__,
				      __LINE__, [test_case]() -> CoreCase * {
					      return new CoreCase(test_case);
				      });
	}
	return RUN_ALL_TESTS();
}
