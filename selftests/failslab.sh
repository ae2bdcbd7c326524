#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Allocation failures injected into cxnet with the kernel's fault injection (failslab and
# fail_page_alloc; the debug kernel has them, the stock kernel does not: skipped there).
#  1. Systematic: each cxip configuration command (link attach/detach, address, route with
#     and without nexthops, rule, neigh add/del, sysctl -w) and each dump runs once per
#     allocation the kernel makes for its request: run k fails the k-th allocation (fail-nth)
#     after cxip sent the request, until a run makes fewer. cxip's own socket setup and
#     family lookup are swept once, the same way.
#  2. Random: the same commands for CXNET_FAILSLAB_SECS with failslab at 20% and
#     fail_page_alloc at 10%, for cxip's own system calls only (task-filter + make-it-fail),
#     from its request on (armed at its second sendmsg(): failing the 9p file system the VM's
#     root lives on while cxip starts broke every later exec in the VM).
#  3. Receive: every non-sleeping allocation (GFP_ATOMIC: softirq receive, timers) in the VM
#     fails at 20% (pages 5%) while a native peer pings cxnet (small and fragmented) and sends
#     UDP to an AF_CXNET socket, for CXNET_FAILSLAB_SECS.
# A command that fails must exit 2 with one "Error: ..." or "RTNETLINK answers: ..." line, and
# have changed nothing or everything (an error can come after the change, as with ip: the
# acknowledgement could not be allocated); one that succeeds must have made its change; a
# dump that succeeds must be complete. With injection off again: the configuration is as
# made, dumps parse, a fresh link works end to end, the module unloads; vm-run fails the run
# on any KASAN, lockdep or kmemleak report. Which allocations failed is traced (kmem events,
# ptr == 0, with stack traces) and summarised per site.
# Restriction to cxnet: the fault attributes' stack filter (require-start/end, which could
# name cxnet's .text) is not available on x86_64 (6.1 lib/Kconfig.debug: depends on
# !X86_64). Instead, phases 1 and 2 fail only cxip's own system calls, armed by an
# LD_PRELOAD library after the dynamic loader ran (build/lib/libcxfail.so), and phase 3 only
# non-sleeping allocations, which in an idle VM are mostly the network receive path.
# Budget: on the debug kernel every process start costs about a second, and a run is about
# four of them. By default (about 3.5 min) the systematic part covers link attach/detach,
# address add, route add with nexthops, rule add, neigh add, route dumps and route get, and
# fails every CXNET_FAILSLAB_STRIDE-th allocation (30) from a random offset (1-10) (from
# CXNET_FAILSLAB_SEED, printed; runs over time cover them all); phases 2 and 3 run
# CXNET_FAILSLAB_SECS (12 s) each. CXNET_STRESS_SCALE=full: every case and dump
# (CXNET_FAILSLAB_CASES=all), every allocation (stride 1), 60 s per phase.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
. selftests/lib/wire.sh

FS=/sys/kernel/debug/failslab
FP=/sys/kernel/debug/fail_page_alloc
LIB=$PWD/build/lib/libcxfail.so
if [ ! -d $FS ] || [ ! -d $FP ]; then
	echo "# SKIP: no $FS or $FP: the kernel lacks CONFIG_FAILSLAB/CONFIG_FAIL_PAGE_ALLOC/" \
		"CONFIG_FAULT_INJECTION_DEBUG_FS (run on the debug kernel: scripts/vm-run --kernel=debug)"
	exit $KSFT_SKIP
fi
if [ ! -e /proc/self/fail-nth ]; then
	echo "# SKIP: no /proc/self/fail-nth (CONFIG_FAULT_INJECTION)"
	exit $KSFT_SKIP
fi
if [ ! -f "$LIB" ]; then
	echo "# SKIP: $LIB not built (make tools)"
	exit $KSFT_SKIP
fi
wire_setup
if [ "${CXNET_STRESS_SCALE:-1}" = full ]; then
	SECS=60; STRIDE=1; : "${CXNET_FAILSLAB_CASES:=all}"
else
	SECS=12; STRIDE=30
fi
SECS=${CXNET_FAILSLAB_SECS:-$SECS}
STRIDE=${CXNET_FAILSLAB_STRIDE:-$STRIDE}
SEED=${CXNET_FAILSLAB_SEED:-$RANDOM}
# the first allocation failed (among the first 10, so that short requests get a run too),
# then every STRIDE-th
OFF=$((1 + SEED % (STRIDE < 10 ? STRIDE : 10)))
NMAX=${CXNET_FAILSLAB_NMAX:-200}
echo "# systematic: allocations $OFF, $((OFF + STRIDE)), ... of each request (stride $STRIDE, seed $SEED);" \
	"random and receive: ${SECS}s each"
S=$wire_tmp

# ---- fault attributes and tracing -----------------------------------------------------------
fi_set() { echo "$3" >"$1/$2"; }
fi_off() {
	local d
	for d in $FS $FP; do
		fi_set $d probability 0
		fi_set $d times 1
		fi_set $d interval 1
		fi_set $d space 0
		fi_set $d verbose 0
		fi_set $d task-filter N
		fi_set $d ignore-gfp-wait Y
	done
	fi_set $FP ignore-gfp-highmem Y
	fi_set $FP min-order 0
}
# fi_counting TIMES: both attributes count down from TIMES per injected failure
fi_counting() { fi_set $FS times "$1"; fi_set $FP times "$1"; }
BIG=100000000
fi_injected() { echo $((2 * BIG - $(cat $FS/times) - $(cat $FP/times))); }

T=/sys/kernel/tracing
[ -e $T/trace ] || mount -t tracefs nodev $T 2>/dev/null
[ -e $T/trace ] || T=/sys/kernel/debug/tracing
trace_start() {
	[ -e $T/trace ] || return 0
	echo 0 >$T/tracing_on
	echo 8192 >$T/buffer_size_kb
	echo >$T/trace
	echo 'ptr == 0' >$T/events/kmem/kmalloc/filter
	echo 'ptr == 0' >$T/events/kmem/kmem_cache_alloc/filter
	echo 'pfn == 18446744073709551615' >$T/events/kmem/mm_page_alloc/filter
	echo 1 >$T/events/kmem/kmalloc/enable
	echo 1 >$T/events/kmem/kmem_cache_alloc/enable
	echo 1 >$T/events/kmem/mm_page_alloc/enable
	echo 1 >$T/options/stacktrace
	echo 1 >$T/tracing_on
}
trace_stop() {
	[ -e $T/trace ] || return 0
	echo 0 >$T/tracing_on
	echo 0 >$T/options/stacktrace
	echo 0 >$T/events/kmem/enable
}
# trace_report WHAT: the sites of the failed allocations traced since trace_start (read while
# cxnet is loaded, so that its frames have names)
trace_report() {
	if [ ! -e $T/trace ]; then
		echo "# $1: no tracefs, failure sites not traced"
		return
	fi
	trace_stop
	cat $T/trace >"$S/trace"
	echo "# $1: where allocations failed (kmem events, ptr == 0):"
	python3 selftests/lib/fault_sites.py "$S/trace" /proc/kallsyms 25
}

trap 'trace_stop; fi_off; wire_cleanup; cx_unload' EXIT
fi_off

# ---- the network: cx0/cx1/cx2 in netns cx, their peers pr0/pr1/pr2 in netns peer -------------
CX=$(wire_ns cx) && P=$(wire_ns peer) || exit 1
for i in 0 1 2; do
	wire_veth "$CX" cx$i "$P" pr$i || exit 1
done
ip -n "$P" addr add 10.9.0.2/24 dev pr0 && ip -n "$P" addr add 10.9.2.2/24 dev pr2 || exit 1
cx() { cxip -n "$CX" "$@"; }
peer() { ip netns exec "$P" "$@"; }
# cx_inj ENV... -- CXIP-ARGS: cxip in netns cx with the fault injection library and ENV
# (cxip -n enters the netns before its first sendmsg(), so with CXFAIL_SENDMSG=2 that is
# never failed and the faster cxip -n will do; otherwise ip netns exec enters it, so that only
# cxip's netlink work is failed, not setns())
cx_inj() {
	local env=()
	while [ "$1" != -- ]; do env+=("$1"); shift; done
	shift
	case " ${env[*]}" in
	*" CXFAIL_SENDMSG="*) env LD_PRELOAD="$LIB" "${env[@]}" cxip -n "$CX" "$@" ;;
	*) ip netns exec "$CX" env LD_PRELOAD="$LIB" "${env[@]}" cxip "$@" ;;
	esac
}
# the baseline every case starts from and returns to
out=$(cx link attach dev cx0 2>&1 && cx addr add 10.9.0.1/24 dev cx0 2>&1 &&
	cx link attach dev cx2 2>&1 && cx addr add 10.9.2.1/24 dev cx2 2>&1 &&
	cx route add 10.52.0.0/16 via 10.9.0.2 2>&1 &&
	cx rule add from 10.61.0.0/16 lookup 100 pref 2000 2>&1 &&
	cx neigh add 10.9.0.78 lladdr 02:00:00:00:00:78 dev cx0 2>&1 &&
	peer ping -c 1 -W 2 10.9.0.1 2>&1)
if [ $? != 0 ]; then
	echo "$out" | sed 's/^/# /'
	echo "# baseline configuration failed"
	exit $KSFT_FAIL
fi
# state: everything configured (not the dynamic neighbours and counters)
state() {
	local c
	for c in "link show" "addr show" "route show table all" "rule show" \
		 "neigh show nud permanent" "sysctl -n net.ipv4.ip_forward"; do
		echo "== $c"
		cx $c 2>&1
	done
}
state >"$S/state0"

# case table: NAME|APPLY|REVERT|VIEW (REVERT, VIEW: cxip commands separated by ";"; VIEW's
# output tells whether APPLY is done, not done, or half done)
CASES=(
	"link attach|link attach dev cx1|link detach dev cx1|link show"
	"link detach|link detach dev cx2|link attach dev cx2;addr add 10.9.2.1/24 dev cx2|link show;addr show dev cx2"
	"address add|addr add 10.9.5.1/24 dev cx0|addr del 10.9.5.1/24 dev cx0|addr show dev cx0;route show table all"
	"address del|addr del 10.9.2.1/24 dev cx2|addr add 10.9.2.1/24 dev cx2|addr show dev cx2;route show table all"
	"route add|route add 10.50.0.0/16 via 10.9.0.2|route del 10.50.0.0/16|route show"
	"route add nexthops|route add 10.51.0.0/16 nexthop via 10.9.0.2 nexthop via 10.9.0.3 weight 2|route del 10.51.0.0/16|route show"
	"route add table 100|route add default via 10.9.0.2 table 100|route del default table 100|route show table 100"
	"route del|route del 10.52.0.0/16|route add 10.52.0.0/16 via 10.9.0.2|route show"
	"rule add|rule add from 10.60.0.0/16 lookup 100 pref 1000|rule del pref 1000|rule show"
	"rule del|rule del pref 2000|rule add from 10.61.0.0/16 lookup 100 pref 2000|rule show"
	"neigh add|neigh add 10.9.0.77 lladdr 02:00:00:00:00:77 dev cx0|neigh del 10.9.0.77 dev cx0|neigh show nud permanent"
	"neigh del|neigh del 10.9.0.78 dev cx0|neigh add 10.9.0.78 lladdr 02:00:00:00:00:78 dev cx0|neigh show nud permanent"
	"sysctl -w|sysctl -w net.ipv4.ip_forward=1|sysctl -w net.ipv4.ip_forward=0|sysctl -n net.ipv4.ip_forward"
)
# By default the cases below (see the budget in the header); CXNET_FAILSLAB_CASES=all (or an
# extended regex of names) for more.
DEFAULT_CASES='^(link attach|link detach|address add|route add nexthops|rule add|neigh add)$'
sel=${CXNET_FAILSLAB_CASES:-$DEFAULT_CASES}
[ "$sel" = all ] && sel=.
picked=()
for c in "${CASES[@]}"; do
	echo "${c%%|*}" | grep -qE -- "$sel" && picked+=("$c")
done
CASES=("${picked[@]}")
# dumps and gets: a success must print what an uninjected run prints
DUMPS=("link show" "addr show" "route show table all" "rule show" "neigh show nud permanent"
	"route get 10.52.1.1" "sysctl -a" "info")
DEFAULT_DUMPS='^(route show table all|route get 10.52.1.1)$'
sel=${CXNET_FAILSLAB_DUMPS:-${CXNET_FAILSLAB_CASES:-$DEFAULT_DUMPS}}
[ "$sel" = all ] && sel=.
picked=()
for d in "${DUMPS[@]}"; do
	echo "$d" | grep -qE -- "$sel" && picked+=("$d")
done
DUMPS=("${picked[@]}")
# view CMDS: the output of each; revert CMDS: run each, quietly
view() {
	local IFS=';' c
	for c in $1; do
		IFS=' '
		cx $c 2>&1
	done
}
revert() { view "$1" >/dev/null; }
messages=()	# distinct error lines seen
note_message() {
	local m
	for m in "${messages[@]}"; do [ "$m" = "$1" ] && return; done
	messages+=("$1")
}
# clean_error OUT: one line, "Error: ..." or "RTNETLINK answers: ..."
clean_error() {
	[ "$(echo "$1" | wc -l)" = 1 ] && echo "$1" | grep -qE '^(Error: |RTNETLINK answers: )'
}

# verify_revert NAME REVERT VIEW CONTEXT: with CXNET_FAILSLAB_VERIFY=1, check that REVERT
# brought the old state back (otherwise the next run shows it as a stale error)
verify_revert() {
	local now
	[ "${CXNET_FAILSLAB_VERIFY:-0}" = 1 ] || return 0
	now=$(view "$3")
	[ "$now" = "${old_view[$1]}" ] && return 0
	echo "# $1 ($4): '$2' after the run did not restore the state:"
	diff <(echo "${old_view[$1]}") <(echo "$now") | sed 's/^/#   view: /' | head -20
	outcome=bad
	return 1
}

# stale_error OUT: an error that no allocation failure explains, but a state left behind by
# an earlier run does (the object exists already, or is missing)
stale_error() {
	echo "$1" | grep -qiE 'exists|no such|not found|not attached|already|nexthop has invalid'
}

# try_case CASE ENV...: run APPLY once with fault injection ENV; check the outcome and the
# state (then back to the old state). Sets $outcome (applied, failed, half, bad) and $report
# (the library's report). Returns 1 on a violation.
try_case() {
	local name apply revert vw rc out now
	IFS='|' read -r name apply revert vw <<<"$1"
	shift
	rm -f "$S/report"
	out=$(cx_inj "$@" CXFAIL_REPORT="$S/report" -- $apply 2>&1)
	rc=$?
	report=$(cat "$S/report" 2>/dev/null)
	now=$(view "$vw")
	if [ "$rc" = 0 ]; then
		outcome=applied
		if [ "$now" = "${new_view[$name]}" ]; then
			revert "$revert"
			verify_revert "$name" "$revert" "$vw" "$*"
			return
		fi
		echo "# $name ($*): exit 0 but not done: $out"
		echo "#   against the state after an uninjected run:"
		diff <(echo "${new_view[$name]}") <(echo "$now") | sed 's/^/#   view: /' | head -20
		echo "#   against the state before:"
	elif [ "$rc" = 2 ] && clean_error "$out" && ! stale_error "$out"; then
		note_message "$out"
		outcome=failed
		[ "$now" = "${old_view[$name]}" ] && return 0
		# an error after the change (the acknowledgement could not be allocated)
		outcome=failed_done
		if [ "$now" = "${new_view[$name]}" ]; then
			revert "$revert"
			verify_revert "$name" "$revert" "$vw" "$*"
			return
		fi
		echo "# $name ($*): failed and half done: $out"
	elif [ "$rc" = 1 ] && echo "$out" | grep -qE '^(Cannot open generic netlink socket|Error: (generic netlink family|cannot resolve generic netlink family))'; then
		# cxip could not talk to cxnet at all (random mode only: setup is never failed
		# systematically here)
		note_message "$out"
		outcome=setup
		[ "$now" = "${old_view[$name]}" ] && return 0
		echo "# $name ($*): setup failure, yet state changed: $out"
	else
		echo "# $name ($*): exit $rc, not a clean allocation failure error:"
	fi
	outcome=bad
	echo "$out" | sed 's/^/#   out: /' | head -5
	diff <(echo "${old_view[$name]}") <(echo "$now") | sed 's/^/#   view: /' | head -20
	# back to the old state for the next run (best effort)
	revert "$revert"
	return 1
}

declare -A old_view new_view
ktap_header $((${#CASES[@]} + ${#DUMPS[@]} + 11))

# ---- 1. systematic ----------------------------------------------------------------------------
fi_set $FS ignore-gfp-wait N
fi_set $FP ignore-gfp-wait N
trace_start
t0=$SECONDS
for c in "${CASES[@]}"; do
	IFS='|' read -r name apply revert vw <<<"$c"
	old_view[$name]=$(view "$vw")
	if ! out=$(cx $apply 2>&1); then
		ktap_fail "systematic: $name" "fails without injection: $out"
		continue
	fi
	new_view[$name]=$(view "$vw")
	revert "$revert"
	ok=1; points=0; declare -A seen=()
	for ((n = OFF; n <= NMAX; n += STRIDE)); do
		if ! try_case "$c" CXFAIL_NTH=$n CXFAIL_SENDMSG=2; then ok=0; break; fi
		[ "$report" = not-injected ] && break
		if [ "$report" != injected ]; then
			echo "# $name: run $n: library report '$report'"; ok=0; break
		fi
		points=$((points + 1))
		seen[$outcome]=$((${seen[$outcome]:-0} + 1))
	done
	[ $n -gt "$NMAX" ] && echo "# $name: more than $NMAX allocations, stopped at $NMAX"
	now=$(view "$vw")
	if [ "$now" != "${old_view[$name]}" ]; then
		echo "# $name: state not back to the start:"
		diff <(echo "${old_view[$name]}") <(echo "$now") | sed 's/^/#   /'
		ok=0
	fi
	summary="$points allocations failed one at a time (up to the $n-th):"
	for o in "${!seen[@]}"; do summary+=" $o=${seen[$o]}"; done
	[ $ok = 1 ] && ktap_ok "systematic: $name: $summary" || ktap_fail "systematic: $name: $summary"
	unset seen
done
for d in "${DUMPS[@]}"; do
	want=$(cx $d 2>&1)
	ok=1; points=0; failed=0
	for ((n = OFF; n <= NMAX; n += STRIDE)); do
		rm -f "$S/report"
		out=$(cx_inj CXFAIL_NTH=$n CXFAIL_SENDMSG=2 CXFAIL_REPORT="$S/report" -- $d 2>&1)
		rc=$?
		report=$(cat "$S/report" 2>/dev/null)
		if [ "$rc" = 0 ]; then
			if [ "$out" != "$want" ] && [ "$d" != info ] && [ "$d" != "sysctl -a" ]; then
				echo "# $d: run $n: exit 0 with different output:"
				diff <(echo "$want") <(echo "$out") | sed 's/^/#   /' | head -10
				ok=0; break
			fi
		elif [ "$rc" = 2 ] && clean_error "$out"; then
			note_message "$out"
			failed=$((failed + 1))
		else
			echo "# $d: run $n: exit $rc, not a clean error:"
			echo "$out" | sed 's/^/#   /' | head -5
			ok=0; break
		fi
		[ "$report" = not-injected ] && break
		points=$((points + 1))
	done
	[ $ok = 1 ] && ktap_ok "systematic: $d: $points allocations failed one at a time, $failed errors" ||
		ktap_fail "systematic: $d: $points allocations failed one at a time, $failed errors"
done
# cxip's own setup (netlink socket, family lookup), once
ok=1; points=0
want=$(cx link show 2>&1)
for ((n = OFF; n <= NMAX; n += STRIDE)); do
	rm -f "$S/report"
	out=$(cx_inj CXFAIL_NTH=$n CXFAIL_REPORT="$S/report" -- link show 2>&1)
	rc=$?
	report=$(cat "$S/report" 2>/dev/null)
	if [ "$rc" = 0 ] && [ "$out" = "$want" ]; then
		:
	elif [ "$rc" = 1 ] || [ "$rc" = 2 ]; then
		if [ "$(echo "$out" | wc -l)" != 1 ]; then
			echo "# link show, setup run $n: exit $rc with more than one line:"
			echo "$out" | sed 's/^/#   /' | head -5
			ok=0; break
		fi
		note_message "$out"
	else
		echo "# link show, setup run $n: exit $rc:"
		echo "$out" | sed 's/^/#   /' | head -5
		ok=0; break
	fi
	[ "$report" = not-injected ] && break
	points=$((points + 1))
done
[ $ok = 1 ] && ktap_ok "systematic: cxip setup (socket, family lookup): $points allocations failed" ||
	ktap_fail "systematic: cxip setup (socket, family lookup)"
state >"$S/state1"
if cmp -s "$S/state0" "$S/state1"; then
	ktap_ok "systematic: configuration as before ($((SECONDS - t0))s)"
else
	diff "$S/state0" "$S/state1" | sed 's/^/# /'
	ktap_fail "systematic: configuration as before"
fi
trace_report "systematic"

# ---- 2. random, cxip's system calls only -----------------------------------------------------
fi_set $FS task-filter Y
fi_set $FP task-filter Y
fi_set $FS probability 20
fi_set $FP probability 10
fi_counting $BIG
trace_start
declare -A seen=()
ok=1; runs=0
end=$((SECONDS + SECS))
while [ $SECONDS -lt $end ]; do
	c=${CASES[$((RANDOM % ${#CASES[@]}))]}
	if ! try_case "$c" CXFAIL_TASK=1 CXFAIL_SENDMSG=2; then ok=0; break; fi
	runs=$((runs + 1))
	seen[$outcome]=$((${seen[$outcome]:-0} + 1))
done
injected=$(fi_injected)
fi_off
summary="$runs commands, $injected allocations failed:"
for o in "${!seen[@]}"; do summary+=" $o=${seen[$o]}"; done
[ $ok = 1 ] && ktap_ok "random (20% slab, 10% pages): $summary" || ktap_fail "random: $summary"
expect_ge "random: failures were injected" "$injected" 1
state >"$S/state2"
if cmp -s "$S/state0" "$S/state2"; then
	ktap_ok "random: configuration as before"
else
	diff "$S/state0" "$S/state2" | sed 's/^/# /'
	ktap_fail "random: configuration as before"
fi
trace_report "random"
echo "# error messages seen:"
for m in "${messages[@]}"; do echo "#   $m"; done

# ---- 3. receive under GFP_ATOMIC failures ------------------------------------------------------
printf 'socket s\nbind s 10.9.0.1:5000\nsleep %d\ndrain s => *\n' $((SECS * 1000 + 3000)) >"$S/sink"
ip netns exec "$CX" cxudp "$S/sink" >"$S/sink.out" 2>&1 &
sink=$!
sleep 1
fi_set $FS probability 20
fi_set $FP probability 5
fi_counting $BIG
trace_start
peer ping -q -i 0.01 -w "$SECS" 10.9.0.1 >"$S/p1" 2>&1 &
p1=$!
peer ping -q -i 0.05 -s 3000 -w "$SECS" 10.9.0.1 >"$S/p2" 2>&1 &
p2=$!
peer ping -q -i 0.05 -w "$SECS" 10.9.2.1 >"$S/p3" 2>&1 &
p3=$!
peer python3 selftests/lib/stress_traffic.py udp 10.9.0.1 "$SECS" >"$S/udp" 2>&1 &
udp=$!
wait $p1 $p2 $p3 $udp
injected=$(fi_injected)
fi_off
echo "# pings: $(grep -ho '[0-9]* packets transmitted, [0-9]* received' "$S/p1" "$S/p2" "$S/p3" | tr '\n' ';')" \
	"$(tail -1 "$S/udp")"
expect_ge "receive: allocations failed under traffic" "$injected" 1
trace_report "receive"
wait $sink

# ---- after: injection off ----------------------------------------------------------------------
out=$(peer ping -c 3 -i 0.2 -W 2 10.9.0.1 2>&1)
expect_eq "after: ping answered" "$(echo "$out" | grep -o '[0-9]* received')" "3 received"
out=$(peer ping -c 2 -i 0.3 -s 3000 -W 2 10.9.0.1 2>&1)
expect_eq "after: 3000-byte ping answered" "$(echo "$out" | grep -o '[0-9]* received')" "2 received"
state >"$S/state3"
ok=1
cmp -s "$S/state0" "$S/state3" || { diff "$S/state0" "$S/state3" | sed 's/^/# /'; ok=0; }
for c in "addr show" "route show table all" "neigh show" "rule show" "-s link show" "stats"; do
	if ! cx -j $c | python3 -c 'import json, sys; json.load(sys.stdin)' 2>"$S/err"; then
		echo "# cxip -j $c does not parse: $(cat "$S/err")"; ok=0
	fi
done
[ $ok = 1 ] && ktap_ok "after: configuration as made, every dump parses" ||
	ktap_fail "after: configuration as made, every dump parses"
# a fresh link end to end: cx1 attached with an address and a route, answers the peer
out=$(ip -n "$P" addr add 10.9.1.2/24 dev pr1 2>&1 && cx link attach dev cx1 2>&1 &&
	cx addr add 10.9.1.1/24 dev cx1 2>&1 && cx route add 10.53.0.0/16 via 10.9.1.2 2>&1 &&
	peer ping -c 2 -i 0.3 -W 2 10.9.1.1 2>&1)
if echo "$out" | grep -q ' 2 received'; then
	ktap_ok "after: a fresh link configured end to end answers"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "after: a fresh link configured end to end answers"
fi
wire_cleanup
unloaded=no
for _ in $(seq 50); do
	rmmod cxnet 2>/dev/null && { unloaded=yes; break; }
	sleep 0.2
done
expect_eq "module unloads" "$unloaded" yes
ktap_finish
