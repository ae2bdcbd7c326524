/* SPDX-License-Identifier: GPL-2.0 */
/* Linux's route/address types (enum rtn_type, RTN_*), shared by the FIB and ARP. */
#ifndef CXNET_CORE_RTN_TYPE_H
#define CXNET_CORE_RTN_TYPE_H

#include "types.h"

namespace cx {

enum class RtnType : uint8_t {
	Unspec = 0,
	Unicast = 1,
	Local = 2,
	Broadcast = 3,
	Anycast = 4,
	Multicast = 5,
	Blackhole = 6,
	Unreachable = 7,
	Prohibit = 8,
	Throw = 9,
	Nat = 10,
};

} // namespace cx

#endif /* CXNET_CORE_RTN_TYPE_H */
