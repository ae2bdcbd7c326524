#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cxnet as a router between native Linux hosts. Netns "r" holds three veths attached to cxnet:
# cxa 10.1.0.1/24 -> native "a" (10.1.0.2), cxb 10.2.0.1/24 -> native "b" (10.2.0.2),
# cxc 10.3.0.1/24 -> native "c" (10.3.0.2); b and c both own 10.99.0.1 and 10.98.0.1 (on lo),
# so which of them received a packet tells the path cxnet chose (their own /proc/net/snmp).
# Checks: ip_forward off/on, TTL decrement, time exceeded, net unreachable, forwarding
# fragments, DF + smaller MTU -> frag needed, rp_filter strict, policy rules by source and
# fwmark, ECMP by L3 and L4 hash.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
. selftests/lib/wire.sh
wire_setup

R=$(wire_ns r) && A=$(wire_ns a) && B=$(wire_ns b) && C=$(wire_ns c) || exit 1
wire_veth "$R" cxa "$A" pa && wire_veth "$R" cxb "$B" pb && wire_veth "$R" cxc "$C" pc || exit 1
i=1
for ns in "$A" "$B" "$C"; do
	dev=p$(echo abc | cut -c$i)
	ip -n "$ns" addr add "10.$i.0.2/24" dev "$dev" &&
		ip -n "$ns" route add default via "10.$i.0.1" || exit 1
	if [ "$ns" != "$A" ]; then
		ip -n "$ns" addr add 10.99.0.1/32 dev lo && ip -n "$ns" addr add 10.98.0.1/32 dev lo ||
			exit 1
	fi
	i=$((i + 1))
done
cx() { cxip -n "$R" "$@"; }
ina() { ip netns exec "$A" "$@"; }
S=$wire_tmp
# snmp NS GROUP FIELD: one counter of Linux's /proc/net/snmp in NS (e.g. Icmp InEchos).
snmp() {
	ip netns exec "$1" awk -v g="$2:" -v f="$3" '
		$1 == g && !hdr { for (i = 2; i <= NF; i++) col[$i] = i; hdr = 1; next }
		$1 == g && hdr { print $col[f]; exit }' /proc/net/snmp
}
# which_path CMD...: run CMD in a; prints "b+N c+M": ICMP echo requests and UDP datagrams to
# closed ports (InEchos + NoPorts) that reached b and c meanwhile.
which_path() {
	local b0 c0
	b0=$(( $(snmp "$B" Icmp InEchos) + $(snmp "$B" Udp NoPorts) ))
	c0=$(( $(snmp "$C" Icmp InEchos) + $(snmp "$C" Udp NoPorts) ))
	ina "$@" >"$S/path.out" 2>&1
	echo "b+$(( $(snmp "$B" Icmp InEchos) + $(snmp "$B" Udp NoPorts) - b0 ))" \
		"c+$(( $(snmp "$C" Icmp InEchos) + $(snmp "$C" Udp NoPorts) - c0 ))"
}
# ping_expect NAME PATTERN PING-ARGS...: ping from a, the output must match PATTERN.
ping_expect() {
	local name=$1 pattern=$2 out
	shift 2
	out=$(ina ping "$@" 2>&1)
	if echo "$out" | grep -qE -- "$pattern"; then
		ktap_ok "$name"
	else
		echo "$out" | sed 's/^/# /'
		ktap_fail "$name" "no /$pattern/"
	fi
}
# bash -c "$UDP_PORTS" - DST FIRST LAST: one datagram to each port (a new socket and source
# port each).
UDP_PORTS='for ((p = $2; p <= $3; p++)); do echo x >"/dev/udp/$1/$p" || exit 1; done'


ktap_header 25

out=$(cx link attach dev cxa 2>&1 && cx link attach dev cxb 2>&1 && cx link attach dev cxc 2>&1 &&
	cx addr add 10.1.0.1/24 dev cxa 2>&1 && cx addr add 10.2.0.1/24 dev cxb 2>&1 &&
	cx addr add 10.3.0.1/24 dev cxc 2>&1)
if [ $? = 0 ]; then
	ktap_ok "setup: cxa cxb cxc attached with addresses"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "setup: cxa cxb cxc attached with addresses"
	ktap_finish
fi
# resolve the neighbours both ways (the router's own addresses answer without forwarding)
for ns in "$B" "$C"; do
	ip netns exec "$ns" ping -c 1 -W 2 "$(ip -n "$ns" route show default | awk '{ print $3 }')" \
		>/dev/null
done
ping_expect "a pings the router's near address 10.1.0.1" ' 1 received' -c 1 -W 2 10.1.0.1

# ip_forward off (the default): dropped and counted, no ICMP.
expect_eq "net.ipv4.ip_forward defaults to 0" "$(cx sysctl -n net.ipv4.ip_forward 2>&1)" 0
wire_snap "$R" "$S/c0" || exit 1
ping_expect "ip_forward=0: a -> b not forwarded" ' 0 received' -c 3 -i 0.2 -W 1 10.2.0.2
wire_snap "$R" "$S/c1" || exit 1
expect_eq "ip_forward=0: cxa drops not_forwarding +3, Icmp OutMsgs +0" \
	"$(wire_delta "$S/c0" "$S/c1" link.cxa.drops.not_forwarding) $(wire_delta "$S/c0" "$S/c1" Icmp.OutMsgs)" "3 0"

check "sysctl -w net.ipv4.ip_forward=1" cx sysctl -w net.ipv4.ip_forward=1
wire_snap "$R" "$S/c0" || exit 1
ping_expect "a -> b forwarded (3/3), reply ttl=63" ' 3 received' -c 3 -i 0.2 -W 2 10.2.0.2
expect_eq "every reply has ttl=63" "$(grep -c 'ttl=63' <<<"$(ina ping -c 2 -i 0.2 -W 2 10.2.0.2)")" 2
wire_snap "$R" "$S/c1" || exit 1
expect_eq "Ip ForwDatagrams +10 (5 requests, 5 replies)" "$(wire_delta "$S/c0" "$S/c1" Ip.ForwDatagrams)" 10

ping_expect "ping -t 1: Time to live exceeded from 10.1.0.1" \
	'^From 10\.1\.0\.1 .*Time to live exceeded' -c 1 -t 1 -W 2 10.2.0.2
ping_expect "no route: Destination Net Unreachable from 10.1.0.1" \
	'^From 10\.1\.0\.1 .*Destination Net Unreachable' -c 1 -W 2 10.77.0.1
ping_expect "3000-byte pings forwarded as fragments both ways" ' 2 received' -c 2 -i 0.3 -s 3000 -W 2 10.2.0.2

# A smaller MTU on cxb: DF + oversize gets "Frag needed" with the next-hop MTU.
ip -n "$R" link set cxb mtu 1400 && ip -n "$B" link set pb mtu 1400 || exit 1
out=$(cx link show dev cxb 2>&1)
expect_eq "cxip link show sees cxb mtu 1400" "$(echo "$out" | grep -o 'mtu [0-9]*' | head -1)" "mtu 1400"
wire_snap "$R" "$S/c0" || exit 1
ping_expect "DF, 1500 bytes over mtu 1400: Frag needed (mtu = 1400) from 10.1.0.1" \
	'^From 10\.1\.0\.1 .*Frag needed and DF set \(mtu = 1400\)' -M do -s 1472 -c 1 -W 2 10.2.0.2
wire_snap "$R" "$S/c1" || exit 1
expect_eq "cxa drops frag_needed +1, Ip FragFails +1" \
	"$(wire_delta "$S/c0" "$S/c1" link.cxa.drops.frag_needed) $(wire_delta "$S/c0" "$S/c1" Ip.FragFails)" "1 1"

# rp_filter: a source of b's subnet arriving from a. Loose (0): forwarded; strict: dropped.
ip -n "$A" addr add 10.2.0.77/32 dev pa || exit 1
wire_snap "$R" "$S/c0" || exit 1
ina ping -c 2 -i 0.2 -W 1 -I 10.2.0.77 10.2.0.2 >/dev/null 2>&1
wire_snap "$R" "$S/c1" || exit 1
check "sysctl -w net.ipv4.conf.all.rp_filter=1" cx sysctl -w net.ipv4.conf.all.rp_filter=1
ina ping -c 2 -i 0.2 -W 1 -I 10.2.0.77 10.2.0.2 >/dev/null 2>&1
wire_snap "$R" "$S/c2" || exit 1
got="rp_filter=0: forw+$(wire_delta "$S/c0" "$S/c1" Ip.ForwDatagrams)"
got+=" martian+$(wire_delta "$S/c0" "$S/c1" link.cxa.drops.martian)"
got+=" rp_filter=1: forw+$(wire_delta "$S/c1" "$S/c2" Ip.ForwDatagrams)"
got+=" martian+$(wire_delta "$S/c1" "$S/c2" link.cxa.drops.martian)"
expect_eq "spoofed source: forwarded with rp_filter=0, dropped as martian with 1" "$got" \
	"rp_filter=0: forw+2 martian+0 rp_filter=1: forw+0 martian+2"
ping_expect "rp_filter=1: a -> b from a's own address still forwarded" ' 1 received' -c 1 -W 2 10.2.0.2
cx sysctl -w net.ipv4.conf.all.rp_filter=0 >/dev/null

# Policy routing by source: 10.99.0.0/24 via b in main, via c in table 100 for a's subnet.
out=$(cx route add 10.99.0.0/24 via 10.2.0.2 2>&1 &&
	cx route add 10.99.0.0/24 via 10.3.0.2 table 100 2>&1)
[ $? = 0 ] || echo "$out" | sed 's/^/# /'
expect_eq "no rule: a -> 10.99.0.1 reaches b" "$(which_path ping -c 3 -i 0.2 -W 2 10.99.0.1)" "b+3 c+0"
check "rule add from 10.1.0.0/24 table 100" cx rule add from 10.1.0.0/24 table 100
expect_eq "rule from 10.1.0.0/24 table 100: a -> 10.99.0.1 reaches c" \
	"$(which_path ping -c 3 -i 0.2 -W 2 10.99.0.1)" "b+0 c+3"
out=$(cx route get 10.99.0.1 from 10.1.0.2 iif cxa 2>&1)
if echo "$out" | grep -qE '^10\.99\.0\.1 from 10\.1\.0\.2 via 10\.3\.0\.2 dev cxc table 100( |$)'; then
	ktap_ok "route get 10.99.0.1 from 10.1.0.2 iif cxa: via 10.3.0.2 dev cxc table 100"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "route get 10.99.0.1 from 10.1.0.2 iif cxa: via 10.3.0.2 dev cxc table 100"
fi

# fwmark rules (output route lookups of cxnet itself).
out=$(cx rule add fwmark 7 table 200 2>&1 && cx route add 10.97.0.0/24 via 10.3.0.2 table 200 2>&1 &&
	cx route add 10.97.0.0/24 via 10.2.0.2 2>&1 && cx route get 10.97.0.1 mark 7 2>&1 &&
	cx route get 10.97.0.1 2>&1)
if echo "$out" | grep -qE '^10\.97\.0\.1 via 10\.3\.0\.2 dev cxc table 200 src 10\.3\.0\.1 mark 7( |$)' &&
	echo "$out" | grep -qE '^10\.97\.0\.1 via 10\.2\.0\.2 dev cxb src 10\.2\.0\.1( |$)'; then
	ktap_ok "route get 10.97.0.1 mark 7: table 200 via c; without mark: main via b"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "route get 10.97.0.1 mark 7: table 200 via c; without mark: main via b"
fi

# ECMP over b and c: by addresses only (hash policy 0) one path takes every flow; with the L4
# hash (policy 1) 32 flows to different ports use both.
out=$(cx route add 10.98.0.0/24 nexthop via 10.2.0.2 weight 1 nexthop via 10.3.0.2 weight 1 2>&1)
[ $? = 0 ] || echo "$out" | sed 's/^/# /'
got=$(which_path bash -c "$UDP_PORTS" - 10.98.0.1 7000 7031)
case $got in
"b+32 c+0" | "b+0 c+32") ktap_ok "ECMP, fib_multipath_hash_policy=0: 32 flows on one path ($got)" ;;
*)
	sed 's/^/# /' "$S/path.out"
	ktap_fail "ECMP, fib_multipath_hash_policy=0: 32 flows on one path" "got $got"
	;;
esac
cx sysctl -w net.ipv4.fib_multipath_hash_policy=1 >/dev/null
got=$(which_path bash -c "$UDP_PORTS" - 10.98.0.1 7100 7131)
b=${got%% *}
c=${got##* }
if [ "$(( ${b#b+} + ${c#c+} ))" = 32 ] && [ "${b#b+}" -gt 0 ] && [ "${c#c+}" -gt 0 ]; then
	ktap_ok "ECMP, fib_multipath_hash_policy=1: 32 flows over both paths ($got)"
else
	sed 's/^/# /' "$S/path.out"
	ktap_fail "ECMP, fib_multipath_hash_policy=1: 32 flows over both paths" "got $got"
fi

ktap_finish
