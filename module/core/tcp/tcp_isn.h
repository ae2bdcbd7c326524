/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Initial sequence numbers per RFC 6528: ISN = M + F(4-tuple, key), M a
 * clock ticking every 4 microseconds (RFC 9293 3.4.1), F SipHash-2-4 keyed
 * with 128 random bits drawn once per stack (cx_os_random_bytes). Without
 * the key an off-path attacker cannot predict another connection's ISN; the
 * clock keeps successive incarnations of one 4-tuple moving forward.
 */
#ifndef CXNET_CORE_TCP_TCP_ISN_H
#define CXNET_CORE_TCP_TCP_ISN_H

#include "../types.h"

namespace cx::tcp {

struct IsnKey {
	uint64_t k0;
	uint64_t k1;
};

/* Draw a fresh key (any context). */
void isn_key_init(IsnKey *key);

/* SipHash-2-4 of len bytes (the reference algorithm, little-endian words). */
uint64_t siphash24(const IsnKey &key, const void *data, size_t len);

/* F(): the keyed hash of the 4-tuple (host order), without the clock. */
uint32_t isn_hash(const IsnKey &key, uint32_t saddr, uint32_t daddr, uint16_t sport,
		  uint16_t dport);

/* The ISN for a connection from saddr:sport to daddr:dport at now_ns. */
uint32_t isn_generate(const IsnKey &key, uint32_t saddr, uint32_t daddr, uint16_t sport,
		      uint16_t dport, uint64_t now_ns);

} // namespace cx::tcp

#endif /* CXNET_CORE_TCP_TCP_ISN_H */
