// SPDX-License-Identifier: GPL-2.0
/* IPv4 option validation and fragment rewriting (Linux net/ipv4/ip_options.c). */
#include "ip_options.h"

namespace cx::ipv4 {

/*
 * Linux ip_options_compile() with skb != NULL (a received packet): the same
 * checks in the same order, so that the parameter-problem pointer is the
 * one Linux would send.
 */
bool ip_options_compile(uint8_t *iph, size_t header_len, IpOptionsInfo *info,
			uint16_t *problem_pointer, bool *changed)
{
	*info = IpOptionsInfo{};
	*changed = false;
	size_t pos = 20;
	size_t left = header_len > 20 ? header_len - 20 : 0;
	size_t bad = 0;

	while (left > 0) {
		uint8_t type = iph[pos];
		if (type == ip_option::kEnd) {
			for (pos++, left--; left > 0; pos++, left--) {
				if (iph[pos] != ip_option::kEnd) {
					iph[pos] = ip_option::kEnd;
					*changed = true;
				}
			}
			break;
		}
		if (type == ip_option::kNoop) {
			pos++;
			left--;
			continue;
		}
		if (left < 2) {
			bad = pos;
			break;
		}
		size_t optlen = iph[pos + 1];
		if (optlen < 2 || optlen > left) {
			bad = pos;
			break;
		}
		const uint8_t *opt = iph + pos;
		switch (type) {
		case ip_option::kSsrr:
		case ip_option::kLsrr:
			if (optlen < 3) {
				bad = pos + 1;
				break;
			}
			if (opt[2] < 4) {
				bad = pos + 2;
				break;
			}
			/* RFC 1812 5.2.4.1: only one source route */
			if (info->srr) {
				bad = pos;
				break;
			}
			info->is_strictroute = type == ip_option::kSsrr;
			info->srr = static_cast<uint8_t>(pos);
			break;
		case ip_option::kRecordRoute:
			if (info->rr) {
				bad = pos;
				break;
			}
			if (optlen < 3) {
				bad = pos + 1;
				break;
			}
			if (opt[2] < 4) {
				bad = pos + 2;
				break;
			}
			if (opt[2] <= optlen && opt[2] + 3u > optlen) {
				bad = pos + 2;
				break;
			}
			info->rr = static_cast<uint8_t>(pos);
			break;
		case ip_option::kTimestamp:
			if (info->ts) {
				bad = pos;
				break;
			}
			if (optlen < 4) {
				bad = pos + 1;
				break;
			}
			if (opt[2] < 5) {
				bad = pos + 2;
				break;
			}
			if (opt[2] <= optlen) {
				if (opt[2] + 3u > optlen) {
					bad = pos + 2;
					break;
				}
				uint8_t flag = opt[3] & 0xf;
				/* IPOPT_TS_TSANDADDR (1) and IPOPT_TS_PRESPEC (3) need 8 bytes */
				if ((flag == 1 || flag == 3) && opt[2] + 7u > optlen) {
					bad = pos + 2;
					break;
				}
			} else if ((opt[3] & 0xf) != 3) {
				/* full: Linux bumps the overflow count, refusing at 15 */
				if ((opt[3] >> 4) == 15) {
					bad = pos + 3;
					break;
				}
			}
			info->ts = static_cast<uint8_t>(pos);
			break;
		case ip_option::kRouterAlert:
			if (optlen < 4) {
				bad = pos + 1;
				break;
			}
			if (opt[2] == 0 && opt[3] == 0)
				info->router_alert = static_cast<uint8_t>(pos);
			break;
		default:
			/* SEC, SID, CIPSO (no CIPSO/LSM here) and unknown: skipped */
			break;
		}
		if (bad)
			break;
		left -= optlen;
		pos += optlen;
	}
	if (!bad)
		return true;
	*problem_pointer = static_cast<uint16_t>(bad);
	return false;
}

void ip_options_fragment(uint8_t *iph, size_t header_len)
{
	size_t pos = 20;
	size_t left = header_len > 20 ? header_len - 20 : 0;
	while (left > 0) {
		uint8_t type = iph[pos];
		if (type == ip_option::kEnd)
			return;
		if (type == ip_option::kNoop) {
			pos++;
			left--;
			continue;
		}
		if (left < 2)
			return;
		size_t optlen = iph[pos + 1];
		if (optlen < 2 || optlen > left)
			return;
		if (!ip_option::copied(type))
			__builtin_memset(iph + pos, ip_option::kNoop, optlen);
		left -= optlen;
		pos += optlen;
	}
}

} // namespace cx::ipv4
