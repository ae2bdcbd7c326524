#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TCP between cxnet and native Linux over a veth pair: netns "cx" (cx0 attached to cxnet,
# 10.9.0.1/24) runs cxtcp (selftests/tools/cxtcp.c) on AF_CXNET sockets, netns "peer"
# (pr0, 10.9.0.2/24) native socat / python. 4 MiB each way compared by sha256, half-close
# in both directions, RST for closed ports both ways (ECONNREFUSED), several queued
# connections accepted, non-blocking connect (EINPROGRESS, SO_ERROR 0), close with
# SO_LINGER 0 resetting the native peer.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
. selftests/lib/wire.sh
wire_setup
for tool in socat cxtcp python3; do
	if ! command -v $tool >/dev/null; then
		echo "# SKIP: $tool not installed (scripts/setup.sh, make tools)"
		exit $KSFT_SKIP
	fi
done

CX=$(wire_ns cx) && P=$(wire_ns peer) && wire_veth "$CX" cx0 "$P" pr0 &&
	ip -n "$P" addr add 10.9.0.2/24 dev pr0 || exit 1
cx() { cxip -n "$CX" "$@"; }
incx() { ip netns exec "$CX" "$@"; }
peer() { ip netns exec "$P" "$@"; }
S=$wire_tmp
T="timeout 60"
head -c $((4 << 20)) /dev/urandom >"$S/big" && head -c 1000 /dev/urandom >"$S/small" || exit 1
BIGSUM=$(sha256sum <"$S/big" | cut -d' ' -f1)

# sum FILE: its sha256.
sum() { sha256sum <"$1" | cut -d' ' -f1; }
# same NAME WANT_FILE GOT_FILE: byte-exact (sizes and hashes printed on failure).
same() {
	if [ -f "$3" ] && cmp -s "$2" "$3"; then
		ktap_ok "$1"
	else
		echo "# want $(stat -c %s "$2") bytes $(sum "$2" | cut -c1-16)"
		[ -f "$3" ] && echo "# got  $(stat -c %s "$3") bytes $(sum "$3" | cut -c1-16)"
		ktap_fail "$1"
	fi
}
# wait_tcp_port PORT: a native listener on PORT in the peer netns (5 s at most).
wait_tcp_port() {
	local i
	for ((i = 0; i < 50; i++)); do
		peer ss -Htln "sport = :$1" | grep -q . && return 0
		sleep 0.1
	done
	echo "# native listener on port $1 did not start"
	return 1
}
# cx_listen FILE-PREFIX ARGS...: cxtcp listen in the background (stdout FILE.out, stderr
# FILE.err), waits until it listens; $cxpid is its pid.
cx_listen() {
	local f=$1 i
	shift
	rm -f "$f.ready"
	wire_bg "$CX" $T cxtcp -p "$f.ready" "$@" >"$f.out" 2>"$f.err"
	cxpid=$!
	for ((i = 0; i < 50; i++)); do
		[ -f "$f.ready" ] && return 0
		sleep 0.1
	done
	echo "# cxtcp listener did not start: $(cat "$f.err")"
	return 1
}

ktap_header 13

out=$(cx link attach dev cx0 2>&1 && cx addr add 10.9.0.1/24 dev cx0 2>&1 &&
	peer ping -c 1 -W 2 10.9.0.1 2>&1)
if [ $? = 0 ]; then
	ktap_ok "setup: cx0 attached with 10.9.0.1/24, reachable from the peer"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "setup: cx0 attached with 10.9.0.1/24, reachable from the peer"
	ktap_finish
fi
# module references before any TCP socket (each socket holds one)
refs0=$(cat /sys/module/cxnet/refcnt)

# 1. native client -> cxnet server, 4 MiB
cx_listen "$S/l1" listen 10.9.0.1:6001 &&
	peer $T socat -u "OPEN:$S/big" TCP:10.9.0.1:6001 2>"$S/c1.err"
wait "$cxpid" 2>/dev/null
cat "$S/l1.err" "$S/c1.err" 2>/dev/null | sed 's/^/# /'
same "native -> cxnet server: 4 MiB byte-exact" "$S/big" "$S/l1.out"

# 2. cxnet client -> native server, 4 MiB
wire_bg "$P" $T socat -u TCP-LISTEN:6002,reuseaddr "OPEN:$S/r2,creat,trunc"
pid=$!
wait_tcp_port 6002 && incx $T cxtcp connect 10.9.0.2:6002 <"$S/big" 2>"$S/c2.err"
wait "$pid" 2>/dev/null
sed 's/^/# /' "$S/c2.err"
same "cxnet client -> native server: 4 MiB byte-exact" "$S/big" "$S/r2"

# 3. native server sends 4 MiB to a cxnet client (which sends nothing)
wire_bg "$P" $T socat -u "OPEN:$S/big" TCP-LISTEN:6003,reuseaddr
pid=$!
wait_tcp_port 6003 && incx $T cxtcp connect 10.9.0.2:6003 </dev/null >"$S/r3" 2>"$S/c3.err"
wait "$pid" 2>/dev/null
sed 's/^/# /' "$S/c3.err"
same "native server -> cxnet client: 4 MiB byte-exact" "$S/big" "$S/r3"

# 4. half-close by the native client: cxnet reads to EOF, then echoes 4 MiB back
cx_listen "$S/l4" -e listen 10.9.0.1:6004 &&
	peer $T socat -t 30 -T 30 - TCP:10.9.0.1:6004 <"$S/big" 2>"$S/c4.err" |
	sha256sum | cut -d' ' -f1 >"$S/r4"
wait "$cxpid" 2>/dev/null
cat "$S/l4.err" "$S/c4.err" 2>/dev/null | sed 's/^/# /'
expect_eq "half-close by native client, cxnet echoes 4 MiB after EOF" "$(cat "$S/r4")" "$BIGSUM"

# 5. half-close by the cxnet client: the native server answers after EOF (sha256 of the input)
wire_bg "$P" $T socat TCP-LISTEN:6005,reuseaddr SYSTEM:sha256sum
pid=$!
got=$(wait_tcp_port 6005 && incx $T cxtcp connect 10.9.0.2:6005 <"$S/big" 2>"$S/c5.err")
wait "$pid" 2>/dev/null
sed 's/^/# /' "$S/c5.err"
expect_eq "half-close by cxnet client, data still received after it" "$got" "$BIGSUM  -"

# 6. a closed cxnet port answers SYN with RST: the native connect is refused
out=$(peer $T socat -u /dev/null TCP:10.9.0.1:7999 2>&1)
if [[ $out == *"Connection refused"* ]]; then
	ktap_ok "native connect to a closed cxnet port: ECONNREFUSED"
else
	ktap_fail "native connect to a closed cxnet port: ECONNREFUSED" "got: $out"
fi

# 7. cxnet connect to a closed native port: ECONNREFUSED
out=$(incx $T cxtcp connect 10.9.0.2:7999 </dev/null 2>&1)
expect_eq "cxnet connect to a closed native port" "$out" "cxtcp: connect: ECONNREFUSED"

# 8. three native clients connect at once while the cxnet server is not accepting yet
head -c 3000 /dev/urandom >"$S/m1" && head -c 5000 /dev/urandom >"$S/m2" &&
	head -c 7000 /dev/urandom >"$S/m3"
if cx_listen "$S/l8" -c 3 -w 1000 listen 10.9.0.1:6008; then
	for i in 1 2 3; do
		peer $T socat -u "OPEN:$S/m$i" TCP:10.9.0.1:6008 2>"$S/c8.$i.err" &
		wire_pids+=($!)
	done
fi
wait "$cxpid" 2>/dev/null
sizes=$(awk '/^conn/ { print $3 }' "$S/l8.err" | sort -n | tr '\n' ' ')
expect_eq "three queued connections accepted, each read to EOF" \
	"$sizes$(stat -c %s "$S/l8.out")" "3000 5000 7000 15000" "$(cat "$S/l8.err")"

# 9. non-blocking connect: EINPROGRESS, then POLLOUT with SO_ERROR 0, then data flows
wire_bg "$P" $T socat -u TCP-LISTEN:6009,reuseaddr "OPEN:$S/r9,creat,trunc"
pid=$!
out=$(wait_tcp_port 6009 && incx $T cxtcp -n connect 10.9.0.2:6009 <"$S/small" 2>&1)
wait "$pid" 2>/dev/null
if [ "$out" = $'connect: EINPROGRESS\nSO_ERROR: 0' ] && cmp -s "$S/small" "$S/r9"; then
	ktap_ok "non-blocking connect: EINPROGRESS, SO_ERROR 0, data delivered"
else
	ktap_fail "non-blocking connect: EINPROGRESS, SO_ERROR 0, data delivered" "got: $out"
fi

# 10. close with SO_LINGER {1, 0}: the native peer's recv fails with ECONNRESET
cat >"$S/rst.py" <<'EOF'
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.9.0.2", 6010))
s.listen(1)
c, _ = s.accept()
time.sleep(1)  # the data and the RST are both in by now
got = 0
try:
    while True:
        b = c.recv(65536)
        if not b:
            print("eof after", got)
            break
        got += len(b)
except ConnectionResetError:
    print("reset")
EOF
wire_bg "$P" $T python3 "$S/rst.py" >"$S/r10" 2>&1
pid=$!
wait_tcp_port 6010 && incx $T cxtcp -0 connect 10.9.0.2:6010 <"$S/small" 2>"$S/c10.err"
wait "$pid" 2>/dev/null
sed 's/^/# /' "$S/c10.err"
expect_eq "close with SO_LINGER 0 resets the native peer" "$(cat "$S/r10")" "reset"

# 11. the AF_CXNET sockets are all gone once the tools exited
expect_eq "no AF_CXNET socket left open" "$(cx info | awk '/^sockets/ { print $2 }')" "0"

# 12. the connections cxnet closed first sit in TIME_WAIT (60 s, as Linux), then are freed:
# every socket holds a module reference, so the count drops back to where it was (no leak)
for ((i = 0; i < 90; i++)); do
	[ "$(cat /sys/module/cxnet/refcnt)" = "$refs0" ] && break
	sleep 1
done
expect_eq "every connection freed after TIME_WAIT (module references back to $refs0)" \
	"$(cat /sys/module/cxnet/refcnt)" "$refs0"

ktap_finish
