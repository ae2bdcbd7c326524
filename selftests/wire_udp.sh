#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# UDP between cxnet and native Linux over a veth pair, driven by socat on both sides: netns
# "cx" (cx0 attached to cxnet, 10.9.0.1/24) uses AF_CXNET through socat's generic socket
# addresses (SOCKET-RECVFROM/SENDTO/CONNECT with domain 19 and a raw sockaddr_in), netns
# "peer" (pr0, 10.9.0.2/24) plain UDP addresses. Datagrams of 60 KB are fragmented and
# reassembled in both directions and compared byte for byte. ICMP port unreachable turns into
# ECONNREFUSED on connected sockets, both ways.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
. selftests/lib/wire.sh
wire_setup
if ! command -v socat >/dev/null; then
	echo "# SKIP: socat not installed (scripts/setup.sh installs it)"
	exit $KSFT_SKIP
fi

CX=$(wire_ns cx) && P=$(wire_ns peer) && wire_veth "$CX" cx0 "$P" pr0 &&
	ip -n "$P" addr add 10.9.0.2/24 dev pr0 || exit 1
cx() { cxip -n "$CX" "$@"; }
incx() { ip netns exec "$CX" "$@"; }
peer() { ip netns exec "$P" "$@"; }
S=$wire_tmp
AF=$(cx info 2>/dev/null | awk '/^family/ { print $2 }')
AF=${AF:-19}
head -c 60000 /dev/urandom >"$S/big" && head -c 100 /dev/urandom >"$S/small" || exit 1

# cx_sockets: open AF_CXNET sockets in netns cx (to know when a socat listener is up).
cx_sockets() { cx info | awk '/^sockets/ { print $2 }'; }
# wait_cx_socket: until one more AF_CXNET socket than $1 is open (then a little for bind()).
wait_cx_socket() {
	local i
	for ((i = 0; i < 50; i++)); do
		[ "$(cx_sockets)" -gt "$1" ] 2>/dev/null && sleep 0.2 && return 0
		sleep 0.1
	done
	return 1
}
# same NAME A B: the two files are identical (sizes and sha256 printed on failure).
same() {
	if [ -f "$3" ] && cmp -s "$2" "$3"; then
		ktap_ok "$1"
	else
		echo "# want $(stat -c %s "$2") bytes $(sha256sum <"$2" | cut -c1-16)"
		[ -f "$3" ] && echo "# got  $(stat -c %s "$3") bytes $(sha256sum <"$3" | cut -c1-16)"
		ktap_fail "$1"
	fi
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

# recv_cx PORT FILE SIZE SENDER...: an AF_CXNET socat receiver on 10.9.0.1:PORT writes what it
# gets to FILE; SENDER runs in the peer netns once it is up; wait for SIZE bytes.
recv_cx() {
	local port=$1 file=$2 size=$3 n pid
	shift 3
	n=$(cx_sockets)
	wire_bg "$CX" socat -u -b 65536 "SOCKET-RECVFROM:$AF:2:17:$(cx_hex_sockaddr 10.9.0.1 "$port")" \
		"OPEN:$file,creat,trunc"
	pid=$!
	wait_cx_socket "$n" || echo "# AF_CXNET receiver did not start"
	peer "$@"
	wire_wait_file "$file" "$size"
	wire_kill "$pid"
}
# recv_native PORT FILE SIZE SENDER...: the same with a native receiver on 10.9.0.2:PORT and
# SENDER in netns cx.
recv_native() {
	local port=$1 file=$2 size=$3 pid
	shift 3
	wire_bg "$P" socat -u -b 65536 "UDP-RECVFROM:$port,bind=10.9.0.2" "OPEN:$file,creat,trunc"
	pid=$!
	wire_wait_udp_port "$P" "$port" || echo "# native receiver did not start"
	incx "$@"
	wire_wait_file "$file" "$size"
	wire_kill "$pid"
}

wire_snap "$CX" "$S/c0" || exit 1
recv_cx 5000 "$S/r1" 100 socat -u -b 65536 "OPEN:$S/small" UDP-SENDTO:10.9.0.1:5000
same "native -> cxnet: 100-byte datagram" "$S/small" "$S/r1"
recv_native 5001 "$S/r2" 100 socat -u -b 65536 "OPEN:$S/small" \
	"SOCKET-SENDTO:$AF:2:17:$(cx_hex_sockaddr 10.9.0.2 5001)"
same "cxnet -> native: 100-byte datagram" "$S/small" "$S/r2"
wire_snap "$CX" "$S/c1" || exit 1
expect_eq "Udp InDatagrams +1, OutDatagrams +1" \
	"$(wire_delta "$S/c0" "$S/c1" Udp.InDatagrams) $(wire_delta "$S/c0" "$S/c1" Udp.OutDatagrams)" "1 1"

# 60 KB in one datagram: 41 fragments on a 1500-byte MTU each way.
wire_snap "$CX" "$S/c0" || exit 1
recv_cx 5002 "$S/r3" 60000 socat -u -b 65536 "OPEN:$S/big" UDP-SENDTO:10.9.0.1:5002
same "native -> cxnet: 60000-byte datagram (reassembled by cxnet)" "$S/big" "$S/r3"
wire_snap "$CX" "$S/c1" || exit 1
expect_eq "cxnet Ip ReasmReqds +41, ReasmOKs +1" \
	"$(wire_delta "$S/c0" "$S/c1" Ip.ReasmReqds) $(wire_delta "$S/c0" "$S/c1" Ip.ReasmOKs)" "41 1"
recv_native 5003 "$S/r4" 60000 socat -u -b 65536 "OPEN:$S/big" \
	"SOCKET-SENDTO:$AF:2:17:$(cx_hex_sockaddr 10.9.0.2 5003)"
same "cxnet -> native: 60000-byte datagram (fragmented by cxnet)" "$S/big" "$S/r4"
wire_snap "$CX" "$S/c2" || exit 1
expect_eq "cxnet Ip FragOKs +1, FragCreates +41" \
	"$(wire_delta "$S/c1" "$S/c2" Ip.FragOKs) $(wire_delta "$S/c1" "$S/c2" Ip.FragCreates)" "1 41"

# Echo service on cxnet (socat PIPE answers the sender from the bound socket).
for size in 100 60000; do
	file=$S/small
	[ $size = 60000 ] && file=$S/big
	n=$(cx_sockets)
	wire_bg "$CX" socat -b 65536 "SOCKET-RECVFROM:$AF:2:17:$(cx_hex_sockaddr 10.9.0.1 7)" PIPE
	pid=$!
	wait_cx_socket "$n" || echo "# AF_CXNET echo server did not start"
	peer socat -b 65536 -t 2 - UDP:10.9.0.1:7 <"$file" >"$S/echo$size"
	wire_kill "$pid"
	same "native -> cxnet echo -> native: $size bytes" "$file" "$S/echo$size"
done

# ICMP port unreachable from Linux: ECONNREFUSED on the connected AF_CXNET socket.
out=$(echo x | incx socat - "SOCKET-CONNECT:$AF:17:$(cx_hex_sockaddr 10.9.0.2 9),type=2" 2>&1)
rc=$?
if [ $rc = 1 ] && echo "$out" | grep -q 'Connection refused'; then
	ktap_ok "cxnet connected socket to a closed native port: ECONNREFUSED (socat)"
else
	echo "# rc=$rc: $out"
	ktap_fail "cxnet connected socket to a closed native port: ECONNREFUSED (socat)"
fi
if command -v cxudp >/dev/null; then
	check "cxnet connected socket to a closed native port: ECONNREFUSED once (cxudp)" \
		incx cxudp -f "$AF" <<<'
socket c
setsockopt c socket rcvtimeo 2000
connect c 10.9.0.2:9
send c 1                                   => 1
recv c 10                                  => ECONNREFUSED
recv c 10 dontwait                         => EAGAIN'
else
	ktap_skip "cxnet connected socket to a closed native port: ECONNREFUSED once (cxudp)" \
		"cxudp not built (make tools)"
fi

# And the other way: cxnet answers a closed port with ICMP port unreachable.
wire_snap "$CX" "$S/c0" || exit 1
out=$(echo x | peer socat - UDP:10.9.0.1:9 2>&1)
rc=$?
wire_snap "$CX" "$S/c1" || exit 1
got="rc=$rc NoPorts+$(wire_delta "$S/c0" "$S/c1" Udp.NoPorts) OutType3+$(wire_delta "$S/c0" "$S/c1" IcmpMsg.OutType3)"
if [ "$got" = "rc=1 NoPorts+1 OutType3+1" ] && echo "$out" | grep -q 'Connection refused'; then
	ktap_ok "native connected socket to a closed cxnet port: ECONNREFUSED"
else
	echo "# $got: $out"
	ktap_fail "native connected socket to a closed cxnet port: ECONNREFUSED" "$got"
fi

ktap_finish
