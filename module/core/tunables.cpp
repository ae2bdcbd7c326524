// SPDX-License-Identifier: GPL-2.0
/* Per-netns tunables: the table and its validation (see tunables.h). */
#include "tunables.h"
#include "cx_errno.h"

namespace {

/* May also normalise the proposed vector (as Linux's handler rewrites what it stores). */
typedef int (*cross_check_fn)(const cx_tunables *current, int64_t *proposed,
			      const char **msg, int *bad_index);

/* net/ipv4/sysctl_net_ipv4.c ipv4_local_port_range(): hi >= lo and lo >= ip_unprivileged_port_start. */
/* NOLINTNEXTLINE(readability-non-const-parameter): a cross_check_fn, which may normalise */
int check_local_port_range(const cx_tunables *t, int64_t *v, const char **msg, int *bad)
{
	if (v[1] < v[0]) {
		*msg = "net.ipv4.ip_local_port_range: the first port must not be above the second";
		*bad = 1;
		return -CX_EINVAL;
	}
	if (v[0] < t->values[CX_TUNABLE_IP_UNPRIVILEGED_PORT_START][0]) {
		*msg = "net.ipv4.ip_local_port_range: the first port must not be below net.ipv4.ip_unprivileged_port_start";
		*bad = 0;
		return -CX_EINVAL;
	}
	return 0;
}

/* ipv4_privileged_ports(): the local port range must not start below the new value. */
/* NOLINTNEXTLINE(readability-non-const-parameter): a cross_check_fn, which may normalise */
int check_unprivileged_port_start(const cx_tunables *t, int64_t *v, const char **msg, int *bad)
{
	if (t->values[CX_TUNABLE_IP_LOCAL_PORT_RANGE][0] < v[0]) {
		*msg = "net.ipv4.ip_unprivileged_port_start: must not be above the first port of net.ipv4.ip_local_port_range";
		*bad = 0;
		return -CX_EINVAL;
	}
	return 0;
}

/*
 * ipv4_ping_group_range(): an inverted range is not an error, it is stored
 * as the empty "1 0" (the default: nobody may create ping sockets).
 */
int normalise_ping_group_range(const cx_tunables *, int64_t *v, const char **, int *)
{
	if (v[1] < v[0]) {
		v[0] = 1;
		v[1] = 0;
	}
	return 0;
}

struct tunable_entry {
	cx_tunable_desc desc;
	cross_check_fn check;
};

/* In enum cx_tunable_id order (checked below). */
constexpr tunable_entry tunable_table[] = {
	{
		{ "net.ipv4.ip_local_port_range", 2, 1, 65535, { 32768, 60999 },
		  "net.ipv4.ip_local_port_range: ports must be within 1..65535" },
		check_local_port_range },
	{
		{ "net.ipv4.ip_unprivileged_port_start", 1, 0, 65535, { 1024 },
		  "net.ipv4.ip_unprivileged_port_start: must be within 0..65535" },
		check_unprivileged_port_start },
	/* net/ipv4/sysctl_net_ipv4.c and devinet.c: names, ranges and defaults as Linux */
	{ { "net.ipv4.ip_forward", 1, 0, 1, { 0 },
	    "net.ipv4.ip_forward: must be 0 or 1" }, nullptr },
	{ { "net.ipv4.ip_default_ttl", 1, 1, 255, { 64 },
	    "net.ipv4.ip_default_ttl: must be within 1..255" }, nullptr },
	{ { "net.ipv4.conf.all.rp_filter", 1, 0, 2, { 0 },
	    "net.ipv4.conf.all.rp_filter: must be 0 (off), 1 (strict) or 2 (loose)" }, nullptr },
	{ { "net.ipv4.conf.default.rp_filter", 1, 0, 2, { 0 },
	    "net.ipv4.conf.default.rp_filter: must be 0 (off), 1 (strict) or 2 (loose)" }, nullptr },
	{ { "net.ipv4.conf.all.accept_source_route", 1, 0, 1, { 0 },
	    "net.ipv4.conf.all.accept_source_route: must be 0 or 1" }, nullptr },
	{ { "net.ipv4.icmp_echo_ignore_all", 1, 0, 1, { 0 },
	    "net.ipv4.icmp_echo_ignore_all: must be 0 or 1" }, nullptr },
	{ { "net.ipv4.icmp_echo_ignore_broadcasts", 1, 0, 1, { 1 },
	    "net.ipv4.icmp_echo_ignore_broadcasts: must be 0 or 1" }, nullptr },
	{ { "net.ipv4.icmp_ratelimit", 1, 0, 2147483647, { 1000 },
	    "net.ipv4.icmp_ratelimit: must be within 0..2147483647 (ms)" }, nullptr },
	{ { "net.ipv4.icmp_ratemask", 1, 0, 4294967295LL, { 6168 },
	    "net.ipv4.icmp_ratemask: must be within 0..4294967295" }, nullptr },
	{ { "net.ipv4.icmp_msgs_per_sec", 1, 0, 2147483647, { 1000 },
	    "net.ipv4.icmp_msgs_per_sec: must be within 0..2147483647" }, nullptr },
	{ { "net.ipv4.icmp_msgs_burst", 1, 0, 2147483647, { 50 },
	    "net.ipv4.icmp_msgs_burst: must be within 0..2147483647" }, nullptr },
	{ { "net.ipv4.ipfrag_high_thresh", 1, 0, 2147483647, { 4194304 },
	    "net.ipv4.ipfrag_high_thresh: must be within 0..2147483647" }, nullptr },
	{ { "net.ipv4.ipfrag_time", 1, 1, 2147483, { 30 },
	    "net.ipv4.ipfrag_time: must be within 1..2147483 (s)" }, nullptr },
	{ { "net.ipv4.fib_multipath_hash_policy", 1, 0, 1, { 0 },
	    "net.ipv4.fib_multipath_hash_policy: must be 0 (L3) or 1 (L4)" }, nullptr },
	/* gids 0..GID_T_MAX (proc_doulongvec_minmax), who may create ICMP ping sockets */
	{ { "net.ipv4.ping_group_range", 2, 0, 4294967294LL, { 1, 0 },
	    "net.ipv4.ping_group_range: group ids must be within 0..4294967294" },
	  normalise_ping_group_range },
};

constexpr bool table_in_id_order()
{
	return sizeof(tunable_table) / sizeof(tunable_table[0]) == CX_TUNABLE_COUNT &&
	       tunable_table[CX_TUNABLE_IP_LOCAL_PORT_RANGE].desc.count == 2 &&
	       tunable_table[CX_TUNABLE_IP_UNPRIVILEGED_PORT_START].desc.count == 1 &&
	       tunable_table[CX_TUNABLE_FIB_MULTIPATH_HASH_POLICY].desc.max == 1 &&
	       tunable_table[CX_TUNABLE_PING_GROUP_RANGE].desc.count == 2;
}
static_assert(table_in_id_order(), "tunable_table must follow enum cx_tunable_id");

bool name_matches(const char *table_name, const char *name)
{
	for (;; table_name++, name++) {
		char c = *name == '/' ? '.' : *name;

		if (*table_name != c)
			return false;
		if (!c)
			return true;
	}
}

} // namespace

extern "C" {

size_t cx_tunables_size(void)
{
	return sizeof(cx_tunables);
}

void cx_tunables_init(cx_tunables *t)
{
	for (unsigned int id = 0; id < CX_TUNABLE_COUNT; id++)
		for (unsigned int i = 0; i < CX_TUNABLE_MAX_VALUES; i++)
			t->values[id][i] = tunable_table[id].desc.defaults[i];
}

unsigned int cx_tunable_count(void)
{
	return CX_TUNABLE_COUNT;
}

const cx_tunable_desc *cx_tunable_info(unsigned int id)
{
	return id < CX_TUNABLE_COUNT ? &tunable_table[id].desc : nullptr;
}

int cx_tunable_lookup(const char *name)
{
	for (unsigned int id = 0; id < CX_TUNABLE_COUNT; id++)
		if (name_matches(tunable_table[id].desc.name, name))
			return (int)id;
	return -1;
}

void cx_tunable_get(const cx_tunables *t, unsigned int id, int64_t *out)
{
	for (unsigned int i = 0; i < tunable_table[id].desc.count; i++)
		out[i] = __atomic_load_n(&t->values[id][i], __ATOMIC_RELAXED);
}

int64_t cx_tunable_read(const cx_tunables *t, unsigned int id, unsigned int index)
{
	return __atomic_load_n(&t->values[id][index], __ATOMIC_RELAXED);
}

int cx_tunable_set(cx_tunables *t, unsigned int id, const int64_t *vals, unsigned int n,
		   const char **msg, int *bad_index)
{
	*msg = nullptr;
	*bad_index = -1;
	if (id >= CX_TUNABLE_COUNT) {
		*msg = "unknown tunable";
		return -CX_EINVAL;
	}
	const tunable_entry &e = tunable_table[id];
	if (n == 0 || n > e.desc.count) {
		*msg = e.desc.count == 1 ? "this tunable takes exactly one value"
					 : "too many or no values for this tunable";
		return -CX_EINVAL;
	}

	int64_t proposed[CX_TUNABLE_MAX_VALUES];
	for (unsigned int i = 0; i < CX_TUNABLE_MAX_VALUES; i++)
		proposed[i] = t->values[id][i];
	for (unsigned int i = 0; i < n; i++) {
		if (vals[i] < e.desc.min || vals[i] > e.desc.max) {
			*msg = e.desc.range_msg;
			*bad_index = (int)i;
			return -CX_EINVAL;
		}
		proposed[i] = vals[i];
	}
	if (e.check) {
		int err = e.check(t, proposed, msg, bad_index);

		if (err)
			return err;
	}
	for (unsigned int i = 0; i < e.desc.count; i++)
		__atomic_store_n(&t->values[id][i], proposed[i], __ATOMIC_RELAXED);
	return 0;
}

} // extern "C"
