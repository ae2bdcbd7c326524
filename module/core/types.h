/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fixed-width types for code shared by the kernel shim (C), the portable
 * core compiled into the kernel (freestanding C++: no header at all is
 * available there) and the userspace build (hosted C/C++).
 */
#ifndef CXNET_CORE_TYPES_H
#define CXNET_CORE_TYPES_H

#if defined(__KERNEL__) && !defined(__cplusplus)
#include <linux/types.h>
#elif defined(__KERNEL__)
/* C++ inside the kernel: match the kernel's own typedefs exactly. */
typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef signed char int8_t;
typedef unsigned char uint8_t;
typedef short int16_t;
typedef unsigned short uint16_t;
typedef int int32_t;
typedef unsigned int uint32_t;
typedef long long int64_t;
typedef unsigned long long uint64_t;
#ifndef NULL
#define NULL nullptr
#endif
#else
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#endif

#endif /* CXNET_CORE_TYPES_H */
