/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux errno values for the portable core (it includes no libc or kernel
 * header). The values are Linux's ABI, identical in kernel and userspace.
 */
#ifndef CXNET_CORE_CX_ERRNO_H
#define CXNET_CORE_CX_ERRNO_H

#define CX_EPERM	1
#define CX_ENOENT	2
#define CX_ESRCH	3
#define CX_EAGAIN	11
#define CX_ENOMEM	12
#define CX_EACCES	13
#define CX_EFAULT	14
#define CX_EBUSY	16
#define CX_EEXIST	17
#define CX_ENODEV	19
#define CX_EINVAL	22
#define CX_ENOSPC	28
#define CX_EPIPE	32
#define CX_ERANGE	34
#define CX_ENONET	64
#define CX_EPROTO	71
#define CX_EMSGSIZE	90
#define CX_ENOPROTOOPT	92
#define CX_EOPNOTSUPP	95
#define CX_EADDRNOTAVAIL	99
#define CX_ENETUNREACH	101
#define CX_ECONNRESET	104
#define CX_ENOBUFS	105
#define CX_EISCONN	106
#define CX_ENOTCONN	107
#define CX_ETIMEDOUT	110
#define CX_ECONNREFUSED	111
#define CX_EHOSTDOWN	112
#define CX_EHOSTUNREACH	113
#define CX_EALREADY	114
#define CX_EINPROGRESS	115

#endif /* CXNET_CORE_CX_ERRNO_H */
