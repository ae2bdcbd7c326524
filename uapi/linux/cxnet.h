/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * cxnet: a second TCP/IP stack for Linux, as a loadable module.
 * Everything shared between the module and userspace lives here, once.
 * Usable from C and C++ userspace and from the kernel.
 */
#ifndef _UAPI_LINUX_CXNET_H
#define _UAPI_LINUX_CXNET_H

/* Only macros and enums: includable from C, C++ and the freestanding core. */

/*
 * Address family.
 *
 * AF_CXNET reuses AF_ECONET (19). Econet (Acorn) support was removed from
 * Linux in 3.5 (2012); in 6.1 no in-tree code calls sock_register(19), the
 * number is below AF_MAX (46) and is still reserved in <linux/socket.h>, so
 * it can never be handed to another family. Families that 6.1 still
 * registers (e.g. AF_ISDN via mISDN, AF_KEY) were avoided, and so was
 * AF_DECnet (12), which glibc and tools still decode as DECnet.
 *
 * The module parameter `family=N` overrides it; insmod fails with EEXIST
 * and a log line naming the parameter when the number is taken.
 * CXNET_CMD_INFO_GET reports the number actually registered.
 */
#define AF_CXNET 19
#define PF_CXNET AF_CXNET

/* Generic netlink family */
#define CXNET_GENL_NAME		"cxnet"
#define CXNET_GENL_VERSION	1
#define CXNET_GENL_MCGRP_EVENTS	"events"

/* Version of the module / uapi (CXNET_A_INFO_VERSION). */
#define CXNET_VERSION_STRING	"0.1.0"

enum cxnet_cmd {
	CXNET_CMD_UNSPEC,
	CXNET_CMD_INFO_GET,	/* doit: module + per-netns information */
	CXNET_CMD_SYSCTL_GET,	/* doit with CXNET_A_SYSCTL_NAME; dumpit: all tunables */
	CXNET_CMD_SYSCTL_SET,	/* needs CAP_NET_ADMIN over the netns; multicasts SYSCTL_NEW */
	CXNET_CMD_SYSCTL_NEW,	/* event on the "events" group, and reply of GET/SET */
	__CXNET_CMD_MAX,
};
#define CXNET_CMD_MAX (__CXNET_CMD_MAX - 1)

/* Top-level attributes (one attribute space for the family). */
enum cxnet_attr {
	CXNET_A_UNSPEC,
	CXNET_A_PAD,
	/* CXNET_CMD_INFO_GET reply */
	CXNET_A_INFO_VERSION,		/* string */
	CXNET_A_INFO_BUILD_ID,		/* string: git describe of the build */
	CXNET_A_INFO_FEATURES,		/* u64: CXNET_FEATURE_* bits */
	CXNET_A_INFO_FAMILY,		/* u32: address family number registered */
	CXNET_A_INFO_NETNS_COOKIE,	/* u64: net cookie of the netns answered for */
	CXNET_A_INFO_COUNTS,		/* nest: CXNET_COUNT_A_* */
	/* sysctl */
	CXNET_A_SYSCTL_NAME,		/* string, e.g. "net.ipv4.ip_local_port_range" */
	CXNET_A_SYSCTL_VALUES,		/* nest of CXNET_SYSCTL_VALUE_A_INT (s64), in order */
	CXNET_A_SYSCTL_MIN,		/* s64: lowest value of each element */
	CXNET_A_SYSCTL_MAX,		/* s64: highest value of each element */
	CXNET_A_SYSCTL_TYPE,		/* u8: CXNET_SYSCTL_TYPE_* */
	__CXNET_A_MAX,
};
#define CXNET_A_MAX (__CXNET_A_MAX - 1)

/* Nested in CXNET_A_INFO_COUNTS: objects in the netns answered for. */
enum cxnet_count_attr {
	CXNET_COUNT_A_UNSPEC,
	CXNET_COUNT_A_SOCKETS,		/* u32: open AF_CXNET sockets */
	CXNET_COUNT_A_SYSCTL_WRITES,	/* u32: successful sysctl writes */
	__CXNET_COUNT_A_MAX,
};
#define CXNET_COUNT_A_MAX (__CXNET_COUNT_A_MAX - 1)

/* Nested in CXNET_A_SYSCTL_VALUES. */
enum cxnet_sysctl_value_attr {
	CXNET_SYSCTL_VALUE_A_UNSPEC,
	CXNET_SYSCTL_VALUE_A_INT,	/* s64 */
	CXNET_SYSCTL_VALUE_A_PAD,
	__CXNET_SYSCTL_VALUE_A_MAX,
};
#define CXNET_SYSCTL_VALUE_A_MAX (__CXNET_SYSCTL_VALUE_A_MAX - 1)

enum cxnet_sysctl_type {
	CXNET_SYSCTL_TYPE_INT = 1,	/* one integer */
	CXNET_SYSCTL_TYPE_INT_VEC,	/* a fixed number of integers (e.g. a range) */
};

/* Longest tunable name, without the NUL. */
#define CXNET_SYSCTL_NAME_MAX 127

/* Most values a tunable holds (ip_local_port_range: 2, tcp_rmem: 3). */
#define CXNET_SYSCTL_MAX_VALUES 4

/* CXNET_A_INFO_FEATURES bits: what this build implements. */
#define CXNET_FEATURE_GENL	(1ULL << 0)	/* generic netlink control plane */
#define CXNET_FEATURE_SOCKET	(1ULL << 1)	/* AF_CXNET socket family */
#define CXNET_FEATURE_SYSCTL	(1ULL << 2)	/* per-netns tunables */
#define CXNET_FEATURE_NAMES	"genl", "socket", "sysctl"

#endif /* _UAPI_LINUX_CXNET_H */
