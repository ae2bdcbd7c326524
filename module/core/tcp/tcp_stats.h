/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP counters, named as Linux's /proc/net/snmp "Tcp:" and /proc/net/netstat
 * "TcpExt:" lines, so that the netlink export and `cxip stats` print Linux's
 * names. Counters without a Linux equivalent start with "Cx" (drop reasons
 * Linux folds into others). A plain array: the caller may keep one per CPU
 * and sum them (CurrEstab is incremented and decremented, so per-CPU values
 * wrap; their sum modulo 2^64 is right).
 */
#ifndef CXNET_CORE_TCP_TCP_STATS_H
#define CXNET_CORE_TCP_TCP_STATS_H

#include "../types.h"

/* X(group, name): group Tcp (snmp) or TcpExt (netstat) or Cx (cxnet only). */
#define CX_TCP_MIB_LIST(X) \
	X(Tcp, ActiveOpens) \
	X(Tcp, PassiveOpens) \
	X(Tcp, AttemptFails) \
	X(Tcp, EstabResets) \
	X(Tcp, CurrEstab) \
	X(Tcp, InSegs) \
	X(Tcp, OutSegs) \
	X(Tcp, RetransSegs) \
	X(Tcp, InErrs) \
	X(Tcp, OutRsts) \
	X(Tcp, InCsumErrors) \
	X(TcpExt, EmbryonicRsts) \
	X(TcpExt, TW) \
	X(TcpExt, PAWSActive) \
	X(TcpExt, PAWSEstab) \
	X(TcpExt, DelayedACKs) \
	X(TcpExt, ListenOverflows) \
	X(TcpExt, ListenDrops) \
	X(TcpExt, TCPPureAcks) \
	X(TcpExt, TCPRenoRecovery) \
	X(TcpExt, TCPRenoFailures) \
	X(TcpExt, TCPTimeouts) \
	X(TcpExt, TCPFastRetrans) \
	X(TcpExt, TCPSlowStartRetrans) \
	X(TcpExt, TCPAbortOnData) \
	X(TcpExt, TCPAbortOnClose) \
	X(TcpExt, TCPAbortOnLinger) \
	X(TcpExt, TCPAbortOnTimeout) \
	X(TcpExt, TCPAbortFailed) \
	X(TcpExt, TCPChallengeACK) \
	X(TcpExt, TCPSYNChallenge) \
	X(TcpExt, TCPOFOQueue) \
	X(TcpExt, TCPOFODrop) \
	X(TcpExt, TCPOFOMerge) \
	X(TcpExt, TCPZeroWindowDrop) \
	X(TcpExt, TCPRcvQDrop) \
	X(TcpExt, TCPWantZeroWindowAdv) \
	X(TcpExt, TCPToZeroWindowAdv) \
	X(TcpExt, TCPFromZeroWindowAdv) \
	X(TcpExt, TCPACKSkippedSeq) \
	X(TcpExt, TCPACKSkippedPAWS) \
	X(TcpExt, TCPACKSkippedChallenge) \
	X(TcpExt, TCPSynRetrans) \
	X(TcpExt, TCPKeepAlive) \
	X(Cx, CxInTruncated) \
	X(Cx, CxInBadOptions) \
	X(Cx, CxInOutOfWindow) \
	X(Cx, CxInNoAck) \
	X(Cx, CxInAckUnsent) \
	X(Cx, CxInAckTooOld) \
	X(Cx, CxInBadSynSent) \
	X(Cx, CxInListenNoSyn) \
	X(Cx, CxInAfterClose) \
	X(Cx, CxOutNoMem) \
	X(Cx, CxOutXmitErrors)

namespace cx::tcp {

enum class Mib : uint16_t {
#define CX_TCP_MIB_ENUM(group, name) name,
	CX_TCP_MIB_LIST(CX_TCP_MIB_ENUM)
#undef CX_TCP_MIB_ENUM
	Count
};

constexpr size_t kMibCount = static_cast<size_t>(Mib::Count);

struct TcpStats {
	uint64_t v[kMibCount];

	uint64_t get(Mib mib) const { return v[static_cast<size_t>(mib)]; }
};

/* "ActiveOpens", ... and "Tcp" / "TcpExt" / "Cx"; nullptr out of range. */
const char *mib_name(Mib mib);
const char *mib_group(Mib mib);

} // namespace cx::tcp

#endif /* CXNET_CORE_TCP_TCP_STATS_H */
