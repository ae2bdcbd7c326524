/* SPDX-License-Identifier: GPL-2.0 */
/* Why a wire view rejected a buffer (check() / new_checked()). */
#ifndef CXNET_CORE_WIRE_ERROR_H
#define CXNET_CORE_WIRE_ERROR_H

#include "../types.h"

namespace cx::wire {

enum class Error : uint8_t {
	Ok = 0,
	Truncated,		/* buffer shorter than the header, fixed or as declared */
	BadVersion,		/* IPv4: version is not 4 */
	BadIhl,			/* IPv4: IHL below 5 words */
	BadTotalLength,		/* IPv4: total length shorter than the header */
	BadLength,		/* UDP: length shorter than the UDP header */
	LengthExceedsBuffer,	/* a length field claims more bytes than the buffer has */
	BadHardwareType,	/* ARP: hardware type is not Ethernet */
	BadProtocolType,	/* ARP: protocol type is not IPv4 */
	BadAddressLength,	/* ARP: address lengths are not 6 and 4 */
	BadDataOffset,		/* TCP: data offset below 5 words */
};

/* "Truncated", "BadIhl", ... ("?" for a value out of range). */
const char *error_name(Error error);

} // namespace cx::wire

#endif /* CXNET_CORE_WIRE_ERROR_H */
