// SPDX-License-Identifier: GPL-2.0
/* Names of the TCP counters (tcp_stats.h). */
#include "tcp_stats.h"

namespace cx::tcp {

namespace {

struct MibName {
	const char *group;
	const char *name;
};

constexpr MibName kMibNames[] = {
#define CX_TCP_MIB_NAME(group, name) {#group, #name},
	CX_TCP_MIB_LIST(CX_TCP_MIB_NAME)
#undef CX_TCP_MIB_NAME
};

static_assert(sizeof(kMibNames) / sizeof(kMibNames[0]) == kMibCount, "one name per counter");

} // namespace

const char *mib_name(Mib mib)
{
	size_t i = static_cast<size_t>(mib);
	return i < kMibCount ? kMibNames[i].name : nullptr;
}

const char *mib_group(Mib mib)
{
	size_t i = static_cast<size_t>(mib);
	return i < kMibCount ? kMibNames[i].group : nullptr;
}

} // namespace cx::tcp
