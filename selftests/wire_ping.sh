#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cxnet on the wire against native Linux: a veth pair joins netns "cx" (cx0 attached to cxnet,
# 10.9.0.1/24) and netns "peer" (pr0, native Linux, 10.9.0.2/24). The native side pings cxnet
# (small, fragmented, broadcast), sees cxnet's gratuitous ARP, and cxnet's neighbour table and
# link counters follow. Then cx0 is detached in the middle of a ping flood: no kernel report,
# no more replies, and it can be attached again.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
. selftests/lib/wire.sh
wire_setup

CX=$(wire_ns cx) && P=$(wire_ns peer) && wire_veth "$CX" cx0 "$P" pr0 &&
	ip -n "$P" addr add 10.9.0.2/24 dev pr0 &&
	ip netns exec "$P" sysctl -qw net.ipv4.conf.pr0.arp_accept=1 || exit 1
cx() { cxip -n "$CX" "$@"; }
peer() { ip netns exec "$P" "$@"; }
CX_MAC=$(wire_mac "$CX" cx0) && P_MAC=$(wire_mac "$P" pr0) || exit 1
S=$wire_tmp
splats() { dmesg | grep -cE 'WARNING:|BUG:|general protection|KASAN|UBSAN|refcount_t:'; }
splats0=$(splats)

ktap_header 23

check "link attach dev cx0" cx link attach dev cx0
check "address add 10.9.0.1/24 dev cx0" cx addr add 10.9.0.1/24 dev cx0

# Gratuitous ARP on address add: the peer (arp_accept=1) creates an entry from it alone.
garp=
for _ in $(seq 30); do
	garp=$(ip -n "$P" neigh show 10.9.0.1 dev pr0)
	echo "$garp" | grep -qi "lladdr $CX_MAC" && break
	sleep 0.1
done
if echo "$garp" | grep -qi "lladdr $CX_MAC"; then
	ktap_ok "gratuitous ARP on address add reaches the native peer ($garp)"
else
	ip -n "$P" neigh show | sed 's/^/# /'
	ktap_fail "gratuitous ARP on address add reaches the native peer" "got '$garp'"
fi

# Small pings, reply TTL 64 (ip_default_ttl), link counters move.
wire_snap "$CX" "$S/c0" || exit 1
out=$(peer ping -c 3 -i 0.2 -W 2 10.9.0.1 2>&1)
if echo "$out" | grep -q ' 3 received'; then
	ktap_ok "native peer pings cxnet (3/3)"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "native peer pings cxnet (3/3)"
fi
expect_eq "echo replies carry ttl=64" "$(echo "$out" | grep -c 'ttl=64')" 3
wire_snap "$CX" "$S/c1" || exit 1
expect_ge "cx0 rx packets counted (>= 3 echo requests)" "$(wire_delta "$S/c0" "$S/c1" link.cx0.rx.packets)" 3
expect_ge "cx0 tx packets counted (>= 3 echo replies)" "$(wire_delta "$S/c0" "$S/c1" link.cx0.tx.packets)" 3
expect_ge "cx0 rx bytes counted (>= 3 * 98)" "$(wire_delta "$S/c0" "$S/c1" link.cx0.rx.bytes)" 294
expect_eq "Icmp OutType0 (echo replies) = 3" "$(wire_delta "$S/c0" "$S/c1" IcmpMsg.OutType0)" 3

# The text form of `cxip -s link show` moves too (RX line: bytes packets ...).
rx_packets() { cx -s link show dev cx0 | awk '/RX:/ { getline; print $2; exit }'; }
before=$(rx_packets)
peer ping -c 1 -W 2 10.9.0.1 >/dev/null
after=$(rx_packets)
if [ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "$before" ]; then
	ktap_ok "cxip -s link show: RX packets $before -> $after"
else
	cx -s link show dev cx0 | sed 's/^/# /'
	ktap_fail "cxip -s link show: RX packets move" "got '$before' -> '$after'"
fi

# The native peer is REACHABLE in cxnet's neighbour table after the traffic.
out=$(cx neigh show dev cx0 2>&1)
if echo "$out" | grep -qiE "^10\.9\.0\.2 .*lladdr $P_MAC .*REACHABLE"; then
	ktap_ok "cxip neigh show: 10.9.0.2 lladdr $P_MAC REACHABLE"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "cxip neigh show: 10.9.0.2 lladdr $P_MAC REACHABLE"
fi

# 3000-byte pings: the requests are reassembled, the replies fragmented by cxnet.
wire_snap "$CX" "$S/c0" || exit 1
out=$(peer ping -c 2 -i 0.3 -s 3000 -W 2 10.9.0.1 2>&1)
if echo "$out" | grep -q ' 2 received' && [ "$(echo "$out" | grep -c '^3008 bytes from')" = 2 ]; then
	ktap_ok "3000-byte pings answered in full (fragmented both ways)"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "3000-byte pings answered in full (fragmented both ways)"
fi
wire_snap "$CX" "$S/c1" || exit 1
d_reasm=$(wire_delta "$S/c0" "$S/c1" Ip.ReasmOKs)
d_frag=$(wire_delta "$S/c0" "$S/c1" Ip.FragOKs)
d_creates=$(wire_delta "$S/c0" "$S/c1" Ip.FragCreates)
expect_eq "Ip ReasmOKs +2, FragOKs +2, FragCreates +6" "$d_reasm $d_frag $d_creates" "2 2 6"

# Broadcast echo requests: ignored by default (icmp_echo_ignore_broadcasts=1), answered when 0.
expect_eq "icmp_echo_ignore_broadcasts defaults to 1" \
	"$(cx sysctl -n net.ipv4.icmp_echo_ignore_broadcasts 2>&1)" 1
wire_snap "$CX" "$S/c0" || exit 1
out=$(peer ping -b -c 2 -i 0.3 -W 1 10.9.0.255 2>&1)
wire_snap "$CX" "$S/c1" || exit 1
got="$(echo "$out" | grep -o '[0-9]* received') in=$(wire_delta "$S/c0" "$S/c1" Icmp.InMsgs)"
got+=" out0=$(wire_delta "$S/c0" "$S/c1" IcmpMsg.OutType0)"
expect_eq "broadcast ping ignored (requests counted, no reply)" "$got" "0 received in=2 out0=0"
out=$(cx sysctl -w net.ipv4.icmp_echo_ignore_broadcasts=0 2>&1 &&
	peer ping -b -c 2 -i 0.3 -W 1 10.9.0.255 2>&1)
if echo "$out" | grep -q '64 bytes from 10.9.0.1:'; then
	ktap_ok "broadcast ping answered from 10.9.0.1 with icmp_echo_ignore_broadcasts=0"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "broadcast ping answered from 10.9.0.1 with icmp_echo_ignore_broadcasts=0"
fi
cx sysctl -w net.ipv4.icmp_echo_ignore_broadcasts=1 >/dev/null

# Detach in the middle of a ping flood (50 per second for 5 s).
wire_bg "$P" ping -c 250 -i 0.02 -W 1 10.9.0.1 >"$S/flood" 2>&1
flood=$!
sleep 1.5
check "link detach dev cx0 while pinging" cx link detach dev cx0
wait "$flood"
received=$(grep -o '[0-9]* received' "$S/flood" | cut -d' ' -f1)
if [ -n "$received" ] && [ "$received" -gt 0 ] && [ "$received" -lt 250 ]; then
	ktap_ok "flood: replies until the detach only ($received/250)"
else
	sed 's/^/# /' "$S/flood" | tail -3
	ktap_fail "flood: replies until the detach only" "got '$received'/250"
fi
out=$(cx link show 2>&1)
if ! echo "$out" | grep -q 'cx0'; then
	ktap_ok "cx0 no longer listed by cxip link show"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "cx0 no longer listed by cxip link show"
fi
out=$(peer ping -c 2 -i 0.3 -W 1 10.9.0.1 2>&1)
expect_eq "no echo reply after detach" "$(echo "$out" | grep -o '[0-9]* received')" "0 received"
expect_eq "no kernel WARNING/BUG around the detach" "$(splats)" "$splats0"

# Attached again (addresses as configured again), it answers again.
out=$(cx link attach dev cx0 2>&1 && cx addr replace 10.9.0.1/24 dev cx0 2>&1 &&
	peer ping -c 2 -i 0.3 -W 2 10.9.0.1 2>&1)
if echo "$out" | grep -q ' 2 received'; then
	ktap_ok "attached again: ping answered"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "attached again: ping answered"
fi

# Tear down with cx0 still attached: the netns goes away, then the module unloads.
wire_cleanup
unloaded=no
for _ in $(seq 50); do
	rmmod cxnet 2>/dev/null && { unloaded=yes; break; }
	sleep 0.2
done
expect_eq "netns deleted with an attached link, module unloads" "$unloaded" yes
ktap_finish
