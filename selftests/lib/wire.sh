#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Helpers for the wire selftests (sourced after ktap.sh): network namespaces joined by veth
# pairs, one side attached to cxnet, the other native Linux; counters; background processes.
# Everything created here is removed by wire_cleanup (install it with wire_trap).

wire_pids=()

# wire_ns NAME: a fresh netns (name printed) with lo up and IPv6 off, so that only IPv4 and
# ARP cross the links (the counters stay exact).
wire_ns() {
	local ns
	ns=$(cx_netns_add "$1") || return 1
	ip -n "$ns" link set lo up &&
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 &&
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 || return 1
	echo "$ns"
}

# wire_veth NS1 IF1 NS2 IF2: a veth pair IF1 (in NS1) <-> IF2 (in NS2), both up.
wire_veth() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" &&
		ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# wire_mac NS IF: the MAC address of IF.
wire_mac() { ip netns exec "$1" cat "/sys/class/net/$2/address"; }

# wire_bg NS CMD...: run CMD in NS in the background, remembered for wire_cleanup; $! is its
# pid (ip netns exec execs CMD: no shell function or subshell in between, so that killing $!
# ends CMD itself).
wire_bg() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@" &
	wire_pids+=($!)
}

# wire_kill PID: end a background process started here (and reap it).
wire_kill() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	return 0
}

wire_cleanup() {
	local pid ns
	for pid in "${wire_pids[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${wire_pids[@]}"; do
		wait "$pid" 2>/dev/null
	done
	wire_pids=()
	# anything still running in our namespaces was started by this test
	for ns in "${cx_netns[@]}"; do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill "$pid" 2>/dev/null
		done
	done
	cx_netns_cleanup
	[ -n "$wire_tmp" ] && rm -rf "$wire_tmp"
	wire_tmp=
}

# wire_setup: root, module built and loaded, cleanup on exit (normal, failure or signal),
# a scratch directory in $wire_tmp.
wire_setup() {
	cx_require_root
	cx_require_module_file
	if ! command -v cxip >/dev/null; then
		echo "# SKIP: cxip not built (make tools)"
		exit $KSFT_SKIP
	fi
	cx_load || exit 1
	wire_tmp=$(mktemp -d /tmp/cxwire.XXXXXX) || exit 1
	trap 'wire_cleanup; cx_unload' EXIT
	trap 'exit 130' INT TERM
}

# wire_snap NS FILE: every cxnet counter of NS (selftests/lib/wire_counters.py).
wire_snap() {
	ip netns exec "$1" python3 selftests/lib/wire_counters.py snap >"$2"
}

# wire_counter FILE KEY: one counter of a snapshot (empty if absent).
wire_counter() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }

# wire_delta OLD NEW KEY: how much KEY changed between two snapshots.
wire_delta() {
	local a b
	a=$(wire_counter "$1" "$3")
	b=$(wire_counter "$2" "$3")
	echo $(( ${b:-0} - ${a:-0} ))
}

# wire_wait_file FILE SIZE [TENTHS]: wait until FILE has SIZE bytes (default 5 s).
wire_wait_file() {
	local i
	for ((i = 0; i < ${3:-50}; i++)); do
		[ -f "$1" ] && [ "$(stat -c %s "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# wire_wait_udp_port NS PORT: wait until a UDP socket is bound to PORT in NS (native sockets only:
# ss does not see AF_CXNET sockets); 5 s at most.
wire_wait_udp_port() {
	local i
	for ((i = 0; i < 50; i++)); do
		ip netns exec "$1" ss -Hunl "sport = :$2" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# cx_hex_sockaddr IP PORT: a struct sockaddr_in after its family field, as socat's generic
# socket addresses want it (x-prefixed hex: port and address in network order, 8 zero bytes).
cx_hex_sockaddr() {
	local a b c d
	IFS=. read -r a b c d <<<"$1"
	printf 'x%04xx%02x%02x%02x%02xx0000000000000000' "$2" "$a" "$b" "$c" "$d"
}

# expect_eq NAME GOT WANT [CONTEXT]: one test point comparing two values.
expect_eq() {
	if [ "$2" = "$3" ]; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "got '$2', want '$3'${4:+ ($4)}"
	fi
}

# expect_ge NAME GOT MIN
expect_ge() {
	if [ -n "$2" ] && [ "$2" -ge "$3" ] 2>/dev/null; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "got '$2', want >= $3"
	fi
}
