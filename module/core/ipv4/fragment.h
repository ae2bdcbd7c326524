/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv4 fragmentation on output (Linux net/ipv4/ip_output.c: ip_fragment(),
 * ip_do_fragment()'s slow path, ip_frag_next(), ip_options_fragment()).
 */
#ifndef CXNET_CORE_IPV4_FRAGMENT_H
#define CXNET_CORE_IPV4_FRAGMENT_H

#include "../cx_errno.h"
#include "../types.h"
#include "../os.h"
#include "ip_stats.h"

namespace cx::ipv4 {

/* The fragments of one datagram, in offset order. Free with fragment_list_free(). */
struct FragmentList {
	cx_pkt **pkts;
	size_t count;
};

/* Frees every packet and the array; leaves the list empty. */
void fragment_list_free(FragmentList *list);

/*
 * Split the datagram in pkt (data at a valid IP header, total length ==
 * cx_pkt_len) for mtu as ip_fragment() does. pkt is never consumed: the
 * caller frees it (or quotes it in ICMP first).
 *
 * Returns 0 with *out filled (FragOKs, FragCreates per fragment);
 * -CX_EMSGSIZE if DF is set (FragFails; *mtu_out = mtu for the ICMP
 * fragmentation-needed / the socket's error); -CX_EINVAL if the MTU cannot
 * carry the header plus 8 bytes; -CX_ENOMEM if an allocation failed (all
 * made so far freed; FragFails). A datagram that already fits is a
 * caller bug (Linux only calls this when it does not).
 *
 * Each fragment has headroom bytes before its IP header (link layer), a
 * payload a multiple of 8 except the last, MF on all but the last (and on
 * the last too if pkt was itself a non-last fragment), the offsets
 * continuing pkt's own, DF kept, options as ip_options_fragment() leaves
 * them after the first, and a fresh header checksum. Allocations are
 * Gfp::Atomic (the output path).
 */
int ip_fragment(IpStats *stats, cx_pkt *pkt, unsigned int mtu, size_t headroom, FragmentList *out,
		unsigned int *mtu_out);

} // namespace cx::ipv4

#endif /* CXNET_CORE_IPV4_FRAGMENT_H */
