#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Malformed frames from the wire: the native peer of a veth pair injects raw Ethernet frames
# (AF_PACKET, selftests/wire_malformed.py) at cx0, which is attached to cxnet (10.9.0.1/24).
# For every kind of damage, cxnet's per-reason link drop counters (`cxip -j -s link show`) and
# its protocol counters (`cxip -j stats`: Ip, IpDrop, Arp) must move by exactly the injected
# counts, and nothing else among them may move; cxnet must still answer ping afterwards. Kernel
# reports (KASAN, WARNING, ...) fail the run in scripts/vm-run.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
. selftests/lib/wire.sh
wire_setup

CX=$(wire_ns cx) && P=$(wire_ns peer) && wire_veth "$CX" cx0 "$P" pr0 &&
	ip -n "$P" addr add 10.9.0.2/24 dev pr0 || exit 1
cx() { cxip -n "$CX" "$@"; }
peer() { ip netns exec "$P" "$@"; }
CX_MAC=$(wire_mac "$CX" cx0) || exit 1
S=$wire_tmp
K=3	# instances of each case
# The counters that must move by exactly what a case predicts (0 unless listed).
GLOBS=("link.cx0.drops.*" "link.cx0.rx.errors" "IpDrop.*" "Ip.In*" "Ip.Reasm*" "Arp.Drop*")

# CASE -> the counters it moves, per instance ("KEY=N ...", multiplied by $K below).
declare -A want=(
	[trunc_ip]="Ip.InReceives=1 Ip.InHdrErrors=1 IpDrop.ip_inhdr=1 link.cx0.drops.ip_header=1 link.cx0.rx.errors=1"
	[bad_csum]="Ip.InReceives=1 Ip.InHdrErrors=1 Ip.InCsumErrors=1 IpDrop.ip_csum=1 link.cx0.drops.ip_header=1 link.cx0.rx.errors=1"
	[ihl4]="Ip.InReceives=1 Ip.InHdrErrors=1 IpDrop.ip_inhdr=1 link.cx0.drops.ip_header=1 link.cx0.rx.errors=1"
	[version6]="Ip.InReceives=1 Ip.InHdrErrors=1 IpDrop.ip_inhdr=1 link.cx0.drops.ip_header=1 link.cx0.rx.errors=1"
	[totlen_big]="Ip.InReceives=1 Ip.InTruncatedPkts=1 IpDrop.pkt_too_small=1 link.cx0.drops.ip_header=1 link.cx0.rx.errors=1"
	[totlen_small]="Ip.InReceives=1 Ip.InHdrErrors=1 IpDrop.ip_inhdr=1 link.cx0.drops.ip_header=1 link.cx0.rx.errors=1"
	[bad_option]="Ip.InReceives=1 Ip.InHdrErrors=1 IpDrop.ip_options=1 link.cx0.drops.ip_header=1 link.cx0.rx.errors=1"
	[frag_overlap]="Ip.InReceives=2 Ip.ReasmReqds=2 Ip.ReasmOverlaps=1 Ip.ReasmFails=1 IpDrop.frag_overlap=1 link.cx0.drops.reassembly=1"
	[frag_empty]="Ip.InReceives=1 Ip.ReasmReqds=1 Ip.ReasmFails=1 IpDrop.frag_invalid=1 link.cx0.drops.reassembly=1"
	[frag_dup]="Ip.InReceives=3 Ip.ReasmReqds=3 Ip.ReasmOKs=1 Ip.InDelivers=1 IpDrop.dup_frag=1 link.cx0.drops.reassembly=1"
	[otherhost]="link.cx0.drops.otherhost=1"
	[tiny_arp]="Arp.DropMalformed=1 link.cx0.drops.malformed=1 link.cx0.rx.errors=1"
	[arp_badop]="Arp.DropBadOpcode=1 link.cx0.drops.arp=1"
)
CASES="trunc_ip bad_csum ihl4 version6 totlen_big totlen_small bad_option frag_overlap frag_empty
       frag_dup otherhost tiny_arp arp_badop"

ktap_header 16

out=$(cx link attach dev cx0 2>&1 && cx addr add 10.9.0.1/24 dev cx0 2>&1 &&
	peer ping -c 1 -W 2 10.9.0.1 2>&1)
if [ $? = 0 ]; then
	ktap_ok "setup: cx0 attached with 10.9.0.1/24, reachable from the peer"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "setup: cx0 attached with 10.9.0.1/24, reachable from the peer"
	ktap_finish
fi
splats() { dmesg | grep -cE 'WARNING:|BUG:|general protection|KASAN|UBSAN|refcount_t:'; }
splats0=$(splats)

for c in $CASES; do
	expected=()
	for kv in ${want[$c]}; do
		expected+=("${kv%=*}=$(( ${kv#*=} * K ))")
	done
	wire_snap "$CX" "$S/before" || exit 1
	out=$(peer python3 selftests/wire_malformed.py pr0 "$CX_MAC" 10.9.0.2 10.9.0.1 "$c" $K 2>&1)
	rc=$?
	# the frames reach cxnet through the backlog of the veth's receive side: let it drain
	sleep 0.3
	wire_snap "$CX" "$S/after" || exit 1
	if [ $rc != 0 ]; then
		echo "$out" | sed 's/^/# /'
		ktap_fail "$c x$K: injected" "wire_malformed.py exit $rc"
		continue
	fi
	rx=$(wire_delta "$S/before" "$S/after" link.cx0.rx.packets)
	if diff=$(python3 selftests/lib/wire_counters.py expect "$S/before" "$S/after" "${GLOBS[@]}" -- \
		"${expected[@]}" 2>&1) && [ "$rx" -ge "${out//[!0-9]/}" ]; then
		ktap_ok "$c x$K: ${expected[*]}"
	else
		echo "$diff" | sed 's/^/# /'
		echo "# rx packets +$rx for $out"
		ktap_fail "$c x$K: counters moved by exactly the injected counts"
	fi
done

out=$(peer ping -c 2 -i 0.3 -W 2 10.9.0.1 2>&1)
if echo "$out" | grep -q ' 2 received'; then
	ktap_ok "cxnet still answers ping"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "cxnet still answers ping"
fi
expect_eq "no kernel WARNING/BUG" "$(splats)" "$splats0"
ktap_finish
