/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-netns tunables (sysctls) with Linux's names, types, ranges and
 * cross-checks. One table describes them all (tunables.cpp); the kernel
 * keeps one `struct cx_tunables` per netns and reaches it through this C
 * API; netlink get/set/dump and `cxip sysctl` are generic over the table,
 * so a new tunable is one table entry (plus a validator when Linux has a
 * cross-check).
 *
 * Values are int64 vectors of 1..CXNET_SYSCTL_MAX_VALUES elements.
 * Writers are serialised by the caller; readers (fast paths, later) read
 * single elements with cx_tunable_read().
 */
#ifndef CXNET_CORE_TUNABLES_H
#define CXNET_CORE_TUNABLES_H

#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cx_tunable_id {
	CX_TUNABLE_IP_LOCAL_PORT_RANGE,
	CX_TUNABLE_IP_UNPRIVILEGED_PORT_START,
	CX_TUNABLE_IP_FORWARD,
	CX_TUNABLE_IP_DEFAULT_TTL,
	CX_TUNABLE_CONF_ALL_RP_FILTER,
	CX_TUNABLE_CONF_DEFAULT_RP_FILTER,
	CX_TUNABLE_CONF_ALL_ACCEPT_SOURCE_ROUTE,
	CX_TUNABLE_ICMP_ECHO_IGNORE_ALL,
	CX_TUNABLE_ICMP_ECHO_IGNORE_BROADCASTS,
	CX_TUNABLE_ICMP_RATELIMIT,
	CX_TUNABLE_ICMP_RATEMASK,
	CX_TUNABLE_ICMP_MSGS_PER_SEC,
	CX_TUNABLE_ICMP_MSGS_BURST,
	CX_TUNABLE_IPFRAG_HIGH_THRESH,
	CX_TUNABLE_IPFRAG_TIME,
	CX_TUNABLE_FIB_MULTIPATH_HASH_POLICY,
	CX_TUNABLE_PING_GROUP_RANGE,
	CX_TUNABLE_COUNT
};

#define CX_TUNABLE_MAX_VALUES 4	/* == CXNET_SYSCTL_MAX_VALUES (uapi) */

struct cx_tunable_desc {
	const char *name;		/* Linux's sysctl name, e.g. "net.ipv4.ip_local_port_range" */
	unsigned int count;		/* elements in the value */
	int64_t min, max;		/* bounds of every element */
	int64_t defaults[CX_TUNABLE_MAX_VALUES];
	const char *range_msg;		/* static extack text for an element out of [min, max] */
};

struct cx_tunables {
	int64_t values[CX_TUNABLE_COUNT][CX_TUNABLE_MAX_VALUES];
};

size_t cx_tunables_size(void);
void cx_tunables_init(struct cx_tunables *t);

unsigned int cx_tunable_count(void);
/* NULL if id is out of range. */
const struct cx_tunable_desc *cx_tunable_info(unsigned int id);
/* Accepts '.' or '/' separators (as sysctl(8) does); -1 if unknown. */
int cx_tunable_lookup(const char *name);

/* Copies the count elements of tunable id into out. */
void cx_tunable_get(const struct cx_tunables *t, unsigned int id, int64_t *out);
int64_t cx_tunable_read(const struct cx_tunables *t, unsigned int id, unsigned int index);

/*
 * Writes n values (1 <= n <= count; like Linux, fewer than count update the
 * leading elements only). Returns 0, or -CX_EINVAL with *msg set to a static
 * message and *bad_index to the offending element (or -1 when the value as a
 * whole is refused). Nothing is changed on error.
 */
int cx_tunable_set(struct cx_tunables *t, unsigned int id, const int64_t *vals, unsigned int n,
		   const char **msg, int *bad_index);

#ifdef __cplusplus
}
#endif

#endif /* CXNET_CORE_TUNABLES_H */
