/* SPDX-License-Identifier: GPL-2.0 */
/* KUnit suite of the kernel OS interface (os_kernel_test.c), registered by kunit.c. */
#ifndef CXNET_KERNEL_OS_KERNEL_TEST_H
#define CXNET_KERNEL_OS_KERNEL_TEST_H

#include <kunit/test.h>

extern struct kunit_suite cxnet_os_suite;

#endif /* CXNET_KERNEL_OS_KERNEL_TEST_H */
