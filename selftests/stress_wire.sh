#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Stress on the wire, with native Linux peers sending all the while:
#  1. module cycles: insmod, configure (attach, address, route), rmmod in the middle of a ping
#     flood and a UDP garbage stream; every few cycles an open AF_CXNET socket must make rmmod
#     fail ("in use") until it is closed. Each cycle: module gone, cx0 free to attach again.
#  2. netns churn: namespaces with a veth attached, an address, a route and a neighbour
#     learned from traffic are deleted while a native hub floods them; the hub ends of the
#     veth pairs must all go away (no device or netns reference leaked), the module unloads.
#  3. device unregister under a flood: ip link del of an attached veth, detach then delete,
#     down/up and MTU changes then delete, a move to another netns.
#  4. garbage frames from the native side (AF_PACKET: random bytes as IPv4/ARP, mutated ICMP,
#     UDP, fragments, ARP, IPv4 options); then cxnet still answers and counted drops.
# Counts: CXNET_STRESS_SCALE=N multiplies the defaults (stock kernel: 10 cycles, 25 netns, 4
# unregister rounds, 10 s of garbage, about 90 s in all under TCG; the debug kernel, with
# KASAN, lockdep and kmemleak 10-40x slower, runs fewer); CXNET_STRESS_SCALE=full runs the
# issue's counts (100 cycles, 1000 netns, 20 rounds, 60 s of garbage). Single counts:
# CXNET_STRESS_CYCLES, CXNET_STRESS_NETNS, CXNET_STRESS_UNREG, CXNET_STRESS_GARBAGE_SECS;
# CXNET_STRESS_SEED repeats a garbage run.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
. selftests/lib/wire.sh
wire_setup

scale=${CXNET_STRESS_SCALE:-1}
case "$(uname -r)" in
*debug*) kind=debug; cycles=3; nns=8; unreg=4; garbage=4 ;;
*) kind=stock; cycles=10; nns=25; unreg=4; garbage=10 ;;
esac
if [ "$scale" = full ]; then
	cycles=100; nns=1000; unreg=20; garbage=60; scale=1
fi
CYCLES=${CXNET_STRESS_CYCLES:-$((cycles * scale))}
NETNS=${CXNET_STRESS_NETNS:-$((nns * scale))}
UNREG=${CXNET_STRESS_UNREG:-$((unreg * scale))}
GARBAGE_SECS=${CXNET_STRESS_GARBAGE_SECS:-$((garbage * scale))}
SEED=${CXNET_STRESS_SEED:-$RANDOM$RANDOM}
echo "# $kind kernel, scale ${CXNET_STRESS_SCALE:-1}: $CYCLES module cycles, $NETNS netns, $UNREG unregister rounds," \
	"${GARBAGE_SECS}s of garbage frames (seed $SEED)"

S=$wire_tmp
TRAFFIC=selftests/lib/stress_traffic.py
splats() { dmesg | grep -cE 'WARNING:|BUG:|general protection|KASAN|UBSAN|refcount_t:|ODEBUG'; }
splats0=$(splats)
# cxnet side in netns cx (cx0, 10.9.0.1/24), native side in netns peer (pr0, 10.9.0.2/24).
CX=$(wire_ns cx) && P=$(wire_ns peer) && wire_veth "$CX" cx0 "$P" pr0 &&
	ip -n "$P" addr add 10.9.0.2/24 dev pr0 &&
	ip netns exec "$P" sysctl -qw net.ipv4.conf.pr0.arp_accept=1 || exit 1
cx() { cxip -n "$CX" "$@"; }
peer() { ip netns exec "$P" "$@"; }
CX_MAC=$(wire_mac "$CX" cx0) || exit 1

# cx_config: cx0 attached with 10.9.0.1/24 and a route through the peer.
cx_config() {
	cx link attach dev cx0 && cx addr add 10.9.0.1/24 dev cx0 &&
		cx route add 10.99.0.0/16 via 10.9.0.2
}
# rx_packets [DEV]: RX packets cxnet counted on the device (empty if not attached).
rx_packets() { cx -s link show dev "${1:-cx0}" 2>/dev/null | awk '/RX:/ { getline; print $2; exit }'; }
cx_sockets() { cx info 2>/dev/null | awk '/^sockets/ { print $2 }'; }
# unload_retry: rmmod, retried for 5 s (sockets being closed by an exiting process may still
# hold the module for a moment); prints how many attempts it took.
unload_retry() {
	local i
	for i in $(seq 50); do
		rmmod cxnet 2>/dev/null && { echo "$i"; return 0; }
		sleep 0.1
	done
	rmmod cxnet 2>&1 | sed 's/^/# /'
	return 1
}

ktap_header 21

# ---- 1. module load/unload cycles under traffic ------------------------------------------
cx_unload
wire_bg "$P" ping -q -i 0.002 10.9.0.1 >"$S/flood" 2>&1
flood=$!
wire_bg "$P" python3 $TRAFFIC udp 10.9.0.1 3600 "$SEED" >"$S/udp" 2>&1
udp=$!
ok=1; held=0; refused=0; busy_traffic=0; retries=0
for i in $(seq "$CYCLES"); do
	if ! insmod "$CXNET_KO"; then ok=0; echo "# cycle $i: insmod failed"; break; fi
	# attach fails with EBUSY if the last rmmod left an rx_handler on cx0
	if ! out=$(cx_config 2>&1); then
		ok=0; echo "# cycle $i: configuration failed: $out"; break
	fi
	hold=
	if [ $((i % 4)) = 2 ]; then
		# cycles 2, 6, 10, ...: an open AF_CXNET socket bound to the port the garbage goes to
		printf 'socket s\nbind s 10.9.0.1:5000\nsleep 30000\n' >"$S/hold"
		ip netns exec "$CX" cxudp "$S/hold" >"$S/hold.out" 2>&1 &
		hold=$!
		for _ in $(seq 50); do [ "$(cx_sockets)" = 1 ] && break; sleep 0.1; done
	fi
	# traffic reaches cxnet before the unload
	for _ in $(seq 40); do
		n=$(rx_packets)
		[ -n "$n" ] && [ "$n" -ge 20 ] && { busy_traffic=$((busy_traffic + 1)); break; }
		sleep 0.05
	done
	if [ -n "$hold" ]; then
		held=$((held + 1))
		if out=$(rmmod cxnet 2>&1); then
			ok=0; echo "# cycle $i: rmmod succeeded with an open AF_CXNET socket (cxudp:" \
				"$(cat "$S/hold.out"))"
			kill "$hold"; wait "$hold" 2>/dev/null; break
		fi
		echo "$out" | grep -q "in use" && refused=$((refused + 1))
		kill "$hold"
		wait "$hold" 2>/dev/null
	fi
	if ! n=$(unload_retry); then ok=0; echo "# cycle $i: rmmod failed"; break; fi
	[ $((i % 10)) = 0 ] && echo "# cycle $i (${SECONDS}s)"
	retries=$((retries + n - 1))
	if cx_loaded; then ok=0; echo "# cycle $i: module still listed"; break; fi
done
[ $ok = 1 ] && ktap_ok "$CYCLES insmod/configure/rmmod cycles under a ping flood and UDP garbage" ||
	ktap_fail "$CYCLES insmod/configure/rmmod cycles under a ping flood and UDP garbage"
expect_eq "cxnet received traffic in every cycle before rmmod" "$busy_traffic" "$CYCLES"
if [ "$held" = 0 ] && [ $ok = 1 ]; then
	ktap_skip "rmmod refused ('in use') with an open AF_CXNET socket" "$CYCLES cycle(s): no cycle held a socket (needs 2)"
else
	expect_eq "rmmod refused ('in use') with an open AF_CXNET socket ($held cycles)" "$refused" "$held"
fi
echo "# rmmod attempts beyond the first (sockets still closing): $retries"

# after the last unload cx0 has no rx_handler: a bridge can take it (if the kernel has
# bridges), and a fresh cxnet attaches it and answers
if ip -n "$CX" link add br0 type bridge 2>/dev/null; then
	check "after rmmod cx0 can be a bridge port (no rx_handler left)" \
		ip -n "$CX" link set cx0 master br0
	ip -n "$CX" link del br0
else
	ktap_skip "after rmmod cx0 can be a bridge port (no rx_handler left)" "no bridge support"
fi
out=$(insmod "$CXNET_KO" 2>&1 && cx_config 2>&1 && peer ping -c 2 -i 0.2 -W 2 10.9.0.1 2>&1)
if echo "$out" | grep -q ' 2 received'; then
	ktap_ok "reloaded: cx0 attaches again and answers"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "reloaded: cx0 attaches again and answers"
fi
kill -INT "$flood"	# ping prints its statistics on SIGINT
wait "$flood"
wire_kill "$udp"
echo "# $(tail -1 "$S/udp"); ping flood: $(grep -o '[0-9]* packets transmitted, [0-9]* received' "$S/flood")"

echo "# module cycles done (${SECONDS}s)"

# ---- 2. netns churn ------------------------------------------------------------------------
# netns h (native hub) floods each namespace (500 pings per second) through a veth pair h$i <-> cx0 with subnet
# 10.20.k.0/24 (k = i mod 250: hub .2, cxnet .1) while it is deleted.
H=$(wire_ns hub) || exit 1
ok=1; checked=0; seen=0; live=
every=$(( NETNS >= 100 ? 10 : 3 ))	# how often the learned neighbour and the route are checked
pings=()
for i in $(seq "$NETNS"); do
	k=$((i % 250)); ns=cxs$i-$$
	if ! out=$(ip netns add "$ns" 2>&1 &&
		   ip -n "$ns" link add cx0 up type veth peer name "h$i" netns "$H" 2>&1 &&
		   printf 'link set h%d up\naddr add 10.20.%d.2/24 dev h%d\n' "$i" "$k" "$i" |
			ip -n "$H" -b - 2>&1 &&
		   cxip -n "$ns" link attach dev cx0 2>&1 &&
		   cxip -n "$ns" addr add "10.20.$k.1/24" dev cx0 2>&1 &&
		   cxip -n "$ns" route add 10.30.0.0/16 via "10.20.$k.2" 2>&1); then
		echo "# netns $i: setup failed: $out"
		ip netns del "$ns" 2>/dev/null
		ok=0; break
	fi
	ip netns exec "$H" ping -q -i 0.002 -w 1 "10.20.$k.1" >/dev/null 2>&1 &
	pings+=($!)
	if [ $((i % every)) = 1 ]; then
		# the neighbour entry cxnet learned replying to the flood, and the route
		checked=$((checked + 1))
		for _ in $(seq 40); do
			cxip -n "$ns" neigh show 2>/dev/null | grep -q "^10\.20\.$k\.2 .*lladdr" && break
			sleep 0.05
		done
		if cxip -n "$ns" neigh show | grep -q "^10\.20\.$k\.2 .*lladdr" &&
		   cxip -n "$ns" route show | grep -q "^10\.30\.0\.0/16 via 10\.20\.$k\.2 dev cx0"; then
			seen=$((seen + 1))
		else
			cxip -n "$ns" neigh show | sed 's/^/# neigh: /'
		fi
	fi
	ip netns del "$ns"
	[ $((i % 100)) = 0 ] && echo "# netns $i (${SECONDS}s)"
	if [ ${#pings[@]} -ge 20 ]; then
		wait "${pings[@]}" 2>/dev/null
		pings=()
	fi
done
wait "${pings[@]}" 2>/dev/null
[ $ok = 1 ] && ktap_ok "$NETNS netns with cxnet state deleted under a flood" ||
	ktap_fail "$NETNS netns with cxnet state deleted under a flood"
expect_eq "neighbour learned from the flood and route present ($checked netns checked)" "$seen" "$checked"
# Namespaces are freed asynchronously (cleanup_net); the hub ends of their veth pairs go
# with them. A device or netns reference left behind keeps one for good.
for _ in $(seq 300); do
	live=$(ip -n "$H" -o link show | grep -c ': h[0-9]*@')
	[ "$live" = 0 ] && break
	sleep 0.1
done
expect_eq "all deleted netns freed (hub veth ends left)" "$live" 0
n=$(unload_retry) && unloaded=yes || unloaded=no
expect_eq "module unloads after the netns churn" "$unloaded" yes
echo "# netns churn done (${SECONDS}s)"
cx_load && cx_config || exit 1

# ---- 3. device unregister and changes under a flood -----------------------------------------
# cx1 (10.9.1.1/24) <-> pr1 (10.9.1.2/24), flooded with small and fragmented pings, then:
#   del: ip link del cx1; detach: cxip link detach, then del; flap: down/up and MTU 1280/1500
#   under the flood, then del; netns: cx1 moved into the peer netns (it leaves cxnet's netns)
ok=1
actions=(del detach flap netns)
for r in $(seq "$UNREG"); do
	action=${actions[$(((r - 1) % 4))]}
	if ! out=$(wire_veth "$CX" cx1 "$P" pr1 2>&1 && ip -n "$P" addr add 10.9.1.2/24 dev pr1 2>&1 &&
		   cx link attach dev cx1 2>&1 && cx addr add 10.9.1.1/24 dev cx1 2>&1 &&
		   cx route add 10.98.0.0/16 via 10.9.1.2 2>&1); then
		echo "# round $r: setup failed: $out"; ok=0; break
	fi
	# cx1 answers (and the peer has resolved it) before the flood; the flood reaches cxnet
	# before the change (waits, not sleeps: a busy host can slow the guest a lot)
	if ! out=$(peer ping -c 1 -W 10 10.9.1.1 2>&1); then
		echo "# round $r ($action): cx1 does not answer before the flood: $out"; ok=0; break
	fi
	peer ping -q -i 0.002 -w 6 10.9.1.1 >"$S/f1" 2>&1 &
	f1=$!
	peer ping -q -i 0.005 -w 6 -s 3000 10.9.1.1 >"$S/f2" 2>&1 &
	f2=$!
	for _ in $(seq 50); do
		n=$(rx_packets cx1)
		[ -n "$n" ] && [ "$n" -ge 20 ] && break
		sleep 0.1
	done
	case $action in
	del) out=$(ip -n "$CX" link del cx1 2>&1) ;;
	detach) out=$(cx link detach dev cx1 2>&1 && sleep 0.2 && ip -n "$CX" link del cx1 2>&1) ;;
	flap) out=$(ip -n "$CX" link set cx1 down && sleep 0.1 && ip -n "$CX" link set cx1 up &&
		    ip -n "$CX" link set cx1 mtu 1280 && sleep 0.2 && ip -n "$CX" link set cx1 mtu 1500 &&
		    sleep 0.1 && ip -n "$CX" link del cx1 2>&1) ;;
	netns) out=$(ip -n "$CX" link set cx1 netns "$P" 2>&1 && sleep 0.2 && ip -n "$P" link del cx1 2>&1) ;;
	esac
	rc=$?
	kill -INT "$f1" "$f2" 2>/dev/null
	wait "$f1" "$f2"
	left=$(cx link show 2>&1; cx addr show 2>&1; cx route show table all 2>&1)
	if [ $rc != 0 ] || echo "$left" | grep -qE 'cx1|10\.9\.1\.|10\.98\.'; then
		echo "# round $r ($action): rc=$rc $out"
		echo "$left" | sed 's/^/# left: /'
		ok=0; break
	fi
	# the pings got answers before the change
	if ! grep -qE ' [1-9][0-9]* received' "$S/f1"; then
		echo "# round $r ($action): no replies to the flood before the change:"
		sed 's/^/# /' "$S/f1"
		ok=0; break
	fi
done
[ $ok = 1 ] && ktap_ok "$UNREG device unregister/detach/change rounds under a flood: no state left" ||
	ktap_fail "$UNREG device unregister/detach/change rounds under a flood: no state left"
echo "# unregister rounds done (${SECONDS}s)"
out=$(peer ping -c 2 -i 0.2 -W 2 10.9.0.1 2>&1)
expect_eq "cx0 still answers" "$(echo "$out" | grep -o '[0-9]* received')" "2 received"

# ---- 4. garbage frames ---------------------------------------------------------------------
# An AF_CXNET socket on port 5000 takes what UDP survives; a native ping (every 50 ms) checks
# that cxnet keeps answering while garbage arrives.
printf 'socket s\nbind s 10.9.0.1:5000\nsleep %d\ndrain s => *\n' $((GARBAGE_SECS * 1000 + 3000)) >"$S/sink"
ip netns exec "$CX" cxudp "$S/sink" >"$S/sink.out" 2>&1 &
sink=$!
wire_snap "$CX" "$S/g0" || exit 1
peer ping -i 0.05 -w "$((GARBAGE_SECS + 1))" 10.9.0.1 >"$S/live" 2>&1 &
live=$!
peer python3 $TRAFFIC frames pr0 "$CX_MAC" 10.9.0.1 10.9.0.2 "$GARBAGE_SECS" "$SEED" >"$S/frames" 2>&1
wait "$live"
wire_snap "$CX" "$S/g1" || exit 1
sent=$(sed -n 's/^frames sent=\([0-9]*\).*/\1/p' "$S/frames")
echo "# $(tail -1 "$S/frames")"
expect_ge "garbage frames sent" "$sent" 1
rx=$(wire_delta "$S/g0" "$S/g1" link.cx0.rx.packets)
expect_ge "cxnet received them (rx packets +$rx)" "$rx" "$((sent / 2))"
drops=0
while read -r key delta; do
	case $key in link.cx0.drops.*) drops=$((drops + delta)); echo "# $key $delta" ;; esac
done < <(python3 selftests/lib/wire_counters.py diff "$S/g0" "$S/g1" 'link.cx0.drops.*')
expect_ge "drops counted by reason" "$drops" 1
if cx -s link show dev cx0 | grep -q 'drops:'; then
	ktap_ok "cxip -s link show lists the drops"
else
	cx -s link show dev cx0 | sed 's/^/# /'
	ktap_fail "cxip -s link show lists the drops"
fi
expect_ge "cxnet answered pings during the garbage ($(grep -o '[0-9]* packets transmitted, [0-9]* received' "$S/live"))" \
	"$(grep -o '[0-9]* received' "$S/live" | cut -d' ' -f1)" 1
out=$(peer ping -c 3 -i 0.2 -W 2 10.9.0.1 2>&1)
expect_eq "after the garbage: ping answered" "$(echo "$out" | grep -o '[0-9]* received')" "3 received"
out=$(peer ping -c 2 -i 0.3 -s 3000 -W 2 10.9.0.1 2>&1)
expect_eq "after the garbage: 3000-byte ping answered" "$(echo "$out" | grep -o '[0-9]* received')" "2 received"
out=$(cx addr show dev cx0 2>&1; cx route show 2>&1)
if echo "$out" | grep -q 'inet 10.9.0.1/24' && echo "$out" | grep -q '^10.99.0.0/16 via 10.9.0.2 dev cx0' &&
   cx -j neigh show | python3 -c 'import json, sys; json.load(sys.stdin)'; then
	ktap_ok "configuration intact, neighbour table dumps"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "configuration intact, neighbour table dumps"
fi
wait "$sink"
echo "# AF_CXNET socket on port 5000: $(grep -c . "$S/sink.out") lines: $(tail -1 "$S/sink.out")"

# ---- end -----------------------------------------------------------------------------------
wire_cleanup
n=$(unload_retry) && unloaded=yes || unloaded=no
expect_eq "all netns deleted, module unloads" "$unloaded" yes
expect_eq "no kernel WARNING/BUG/KASAN during the stress" "$(splats)" "$splats0"
ktap_finish
