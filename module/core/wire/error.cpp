// SPDX-License-Identifier: GPL-2.0
/* Names of wire view errors, for logs and tests. */
#include "error.h"

namespace cx::wire {

const char *error_name(Error error)
{
	switch (error) {
	case Error::Ok: return "Ok";
	case Error::Truncated: return "Truncated";
	case Error::BadVersion: return "BadVersion";
	case Error::BadIhl: return "BadIhl";
	case Error::BadTotalLength: return "BadTotalLength";
	case Error::BadLength: return "BadLength";
	case Error::LengthExceedsBuffer: return "LengthExceedsBuffer";
	case Error::BadHardwareType: return "BadHardwareType";
	case Error::BadProtocolType: return "BadProtocolType";
	case Error::BadAddressLength: return "BadAddressLength";
	case Error::BadDataOffset: return "BadDataOffset";
	}
	return "?";
}

} // namespace cx::wire
