/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-netns IPv4 and ICMP counters: the /proc/net/snmp "Ip:" and "Icmp:"
 * rows (IPSTATS_MIB_* / ICMP_MIB_* in Linux's include/uapi/linux/snmp.h),
 * the "IcmpMsg:" per-type counts, and one counter per drop reason
 * (Linux's SKB_DROP_REASON_*, include/net/dropreason.h).
 *
 * Plain u64 for now; the kernel side will make them per-CPU. Every
 * increment goes through ip_stats_inc()/icmp_stats_inc() so that only
 * those change then.
 */
#ifndef CXNET_CORE_IPV4_IP_STATS_H
#define CXNET_CORE_IPV4_IP_STATS_H

#include "../types.h"

namespace cx::ipv4 {

/* IPSTATS_MIB_*: names as /proc/net/snmp prints them. */
enum class IpMib : uint8_t {
	InReceives,	 /* IPSTATS_MIB_INPKTS */
	InHdrErrors,	 /* IPSTATS_MIB_INHDRERRORS */
	InAddrErrors,	 /* IPSTATS_MIB_INADDRERRORS */
	InTruncatedPkts, /* IPSTATS_MIB_INTRUNCATEDPKTS */
	InDiscards,	 /* IPSTATS_MIB_INDISCARDS */
	InCsumErrors,	 /* IPSTATS_MIB_CSUMERRORS */
	ReasmTimeout,	 /* IPSTATS_MIB_REASMTIMEOUT */
	ReasmReqds,	 /* IPSTATS_MIB_REASMREQDS */
	ReasmOKs,	 /* IPSTATS_MIB_REASMOKS */
	ReasmFails,	 /* IPSTATS_MIB_REASMFAILS */
	ReasmOverlaps,	 /* IPSTATS_MIB_REASM_OVERLAPS (Ip: ReasmOverlaps in netstat) */
	FragOKs,	 /* IPSTATS_MIB_FRAGOKS */
	FragFails,	 /* IPSTATS_MIB_FRAGFAILS */
	FragCreates,	 /* IPSTATS_MIB_FRAGCREATES */
	Count
};

/* SKB_DROP_REASON_* that IPv4 input, reassembly and fragmentation give. */
enum class DropReason : uint8_t {
	NotDropped,	/* SKB_NOT_DROPPED_YET */
	NotSpecified,	/* SKB_DROP_REASON_NOT_SPECIFIED */
	PktTooSmall,	/* SKB_DROP_REASON_PKT_TOO_SMALL: total length > frame */
	IpInhdr,	/* SKB_DROP_REASON_IP_INHDR: version, IHL, lengths, TTL */
	IpCsum,		/* SKB_DROP_REASON_IP_CSUM */
	IpOptions,	/* malformed options (Linux: NOT_SPECIFIED after ip_options_compile) */
	IpSourceRoute,	/* SRR option with accept_source_route off (Linux: NOT_SPECIFIED) */
	IpInaddrErrors,	/* SKB_DROP_REASON_IP_INADDRERRORS: martian addresses */
	FragReasmTimeout, /* SKB_DROP_REASON_FRAG_REASM_TIMEOUT */
	FragTooFar,	/* SKB_DROP_REASON_FRAG_TOO_FAR (ipfrag_max_dist) */
	DupFrag,	/* SKB_DROP_REASON_DUP_FRAG */
	FragOverlap,	/* an overlapping fragment discarded its datagram (Linux: NOT_SPECIFIED) */
	FragInvalid,	/* inconsistent end/length (Linux: NOT_SPECIFIED, discard_qp) */
	PktTooBig,	/* SKB_DROP_REASON_PKT_TOO_BIG: DF set and larger than the MTU */
	NoMem,		/* SKB_DROP_REASON_NOMEM */
	Count
};

/* ICMP_MIB_*: the scalar part of the "Icmp:" row. */
enum class IcmpMib : uint8_t {
	InMsgs,		    /* ICMP_MIB_INMSGS */
	InErrors,	    /* ICMP_MIB_INERRORS */
	InCsumErrors,	    /* ICMP_MIB_CSUMERRORS */
	OutMsgs,	    /* ICMP_MIB_OUTMSGS */
	OutErrors,	    /* ICMP_MIB_OUTERRORS */
	OutRateLimitGlobal, /* ICMP_MIB_RATELIMITGLOBAL */
	OutRateLimitHost,   /* ICMP_MIB_RATELIMITHOST */
	Count
};

constexpr unsigned int kIpMibCount = static_cast<unsigned int>(IpMib::Count);
constexpr unsigned int kDropReasonCount = static_cast<unsigned int>(DropReason::Count);
constexpr unsigned int kIcmpMibCount = static_cast<unsigned int>(IcmpMib::Count);

struct IpStats {
	uint64_t mib[kIpMibCount];
	uint64_t drops[kDropReasonCount];
};

/* Icmp: plus IcmpMsg: (InType<N>/OutType<N>, as Linux counts all 256). */
struct IcmpStats {
	uint64_t mib[kIcmpMibCount];
	uint64_t in_type[256];
	uint64_t out_type[256];
};

inline void ip_stats_inc(IpStats *stats, IpMib mib)
{
	stats->mib[static_cast<unsigned int>(mib)]++;
}

inline void ip_stats_drop(IpStats *stats, DropReason reason)
{
	stats->drops[static_cast<unsigned int>(reason)]++;
}

inline uint64_t ip_stats_get(const IpStats *stats, IpMib mib)
{
	return stats->mib[static_cast<unsigned int>(mib)];
}

inline uint64_t ip_stats_drops(const IpStats *stats, DropReason reason)
{
	return stats->drops[static_cast<unsigned int>(reason)];
}

inline void icmp_stats_inc(IcmpStats *stats, IcmpMib mib)
{
	stats->mib[static_cast<unsigned int>(mib)]++;
}

inline uint64_t icmp_stats_get(const IcmpStats *stats, IcmpMib mib)
{
	return stats->mib[static_cast<unsigned int>(mib)];
}

} // namespace cx::ipv4

#endif /* CXNET_CORE_IPV4_IP_STATS_H */
