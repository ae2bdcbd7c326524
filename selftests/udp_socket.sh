#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# UDP sockets of AF_CXNET against Linux's own UDP. The same scripts of socket calls (bind rules,
# EADDRINUSE and SO_REUSEADDR, connect, getsockname/getpeername, send and receive errors,
# MSG_TRUNC/MSG_PEEK, poll, ioctls, socket options, ICMP errors, broadcast, delivery to the best
# matching socket, privileged ports, port ranges, send buffer limits) run twice: with AF_CXNET in
# a netns whose veth0 is attached to cxnet with 192.0.2.1/24, and with AF_INET in a netns whose
# veth0 has 192.0.2.1/24 natively; the other end of each veth is Linux with 192.0.2.2/24.
# Every expectation must hold for both (selftests/tools/cxudp.c; "cxnet:X inet:Y" marks the
# few documented differences).
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
cx_require_root
cx_require_module_file
if ! command -v cxudp >/dev/null; then
	echo "# SKIP: cxudp not built (make tools)"
	exit $KSFT_SKIP
fi
cx_load || exit 1
trap cx_netns_cleanup EXIT

CX=$(cx_netns_add udp) && IN=$(cx_netns_add udpref) || exit 1
CXPEER=$(cx_netns_add udppeer) && INPEER=$(cx_netns_add udprefpeer) || exit 1
# veth0 in NS, its peer veth1 in PEER with 192.0.2.2/24 (Linux answers ARP there)
veth_pair() { # NS PEER
	ip -n "$1" link set lo up && ip -n "$1" link add veth0 type veth peer name veth1 netns "$2" &&
		ip -n "$2" address add 192.0.2.2/24 dev veth1 && ip -n "$2" link set veth1 up &&
		ip -n "$1" link set veth0 up
}
veth_pair "$CX" "$CXPEER" && veth_pair "$IN" "$INPEER" || exit 1
ip -n "$IN" address add 192.0.2.1/24 dev veth0 || exit 1
if ! out=$(ip netns exec "$CX" cxip link attach dev veth0 2>&1 &&
	   ip netns exec "$CX" cxip address add 192.0.2.1/24 dev veth0 2>&1); then
	echo "# SKIP: cannot attach veth0 to cxnet with an address: $out"
	exit $KSFT_SKIP
fi

results=()	# "ok NAME" or "not ok NAME # got RESULT"
# run PART SCRIPT: the script with AF_CXNET in $CX and with AF_INET in $IN; one result per check
run() {
	local part=$1 script=$2 fam ns out rc line
	for fam in cxnet inet; do
		ns=$CX
		[ $fam = inet ] && ns=$IN
		rc=0
		out=$(ip netns exec "$ns" cxudp -f $fam <<<"$script" 2>&1) || rc=$?
		while IFS= read -r line; do
			case $line in
			"ok "*) results+=("ok $fam $part: ${line#ok }") ;;
			"not ok "*) results+=("not ok $fam $part: ${line#not ok }") ;;
			*) echo "# $fam $part: $line" ;;
			esac
		done <<<"$out"
		[ $rc = 2 ] && results+=("not ok $fam $part: script error # got exit 2")
	done
}

# Receivers wait up to 2 s (SO_RCVTIMEO): local delivery is asynchronous in both stacks.
run bind '
socket a
bind a 192.0.2.1:0 len=15                      => EINVAL
bind a 192.0.2.1:0 family=10                   => EAFNOSUPPORT
bind a 192.0.2.1:0 family=unspec               => EAFNOSUPPORT
bind a 198.51.100.1:0                          => EADDRNOTAVAIL
bind a 0.0.0.0:0 family=unspec                 => OK
name a                                         => 0.0.0.0:[1-9]*
bind a 0.0.0.0:0                               => EINVAL
socket b
bind b 192.0.2.255:0                           => OK
name b                                         => 192.0.2.255:[1-9]*
socket c
bind c 224.0.0.1:0                             => OK
socket d
bind d 192.0.2.1:5000                          => OK
name d                                         => 192.0.2.1:5000
family d                                       => inet
socket x
family x                                       => cxnet:cxnet inet:inet
[cxnet] socket e
[cxnet] bind e 192.0.2.1:0 family=cxnet        => OK
[cxnet] family e                               => cxnet
[cxnet] setsockopt e socket rcvtimeo 2000
[cxnet] sendto e 192.0.2.1:%e 5 family=cxnet   => 5
[cxnet] recv e 100                             => 5 from 192.0.2.1:%e family=cxnet
[cxnet] name e                                 => 192.0.2.1:%e
[cxnet] sendto e 192.0.2.1:%e 6                => 6
[cxnet] recv e 100                             => 6 from 192.0.2.1:%e
[cxnet] family e                               => inet
'

run addrinuse '
socket p1
bind p1 0.0.0.0:5000                           => OK
socket p2
bind p2 0.0.0.0:5000                           => EADDRINUSE
bind p2 192.0.2.1:5000                         => EADDRINUSE
setsockopt p2 socket reuseaddr 1
bind p2 0.0.0.0:5000                           => EADDRINUSE
socket q1
setsockopt q1 socket reuseaddr 1
bind q1 0.0.0.0:5001                           => OK
socket q2
setsockopt q2 socket reuseaddr 1
bind q2 0.0.0.0:5001                           => OK
socket q3
bind q3 192.0.2.1:5001                         => EADDRINUSE
socket r1
bind r1 192.0.2.1:5002                         => OK
socket r2
bind r2 192.0.2.255:5002                       => OK
socket r3
setsockopt r3 socket bindtodevice veth0
bind r3 0.0.0.0:5002                           => EADDRINUSE
close p1
bind p2 0.0.0.0:5000                           => OK
socket s1
# SO_REUSEPORT: sk_setsockopt() of 6.1 refuses to set it on non-inet families (sk_is_inet)
# before any cxnet code runs; clearing it is allowed everywhere (see udp.c)
setsockopt s1 socket reuseport 1               => cxnet:EOPNOTSUPP inet:OK
getsockopt s1 socket reuseport                 => cxnet:0 inet:1
setsockopt s1 socket reuseport 0               => OK
getsockopt s1 socket reuseport                 => 0
'

run connect '
socket c
peer c                                         => ENOTCONN
send c 10                                      => EDESTADDRREQ
name c                                         => 0.0.0.0:[1-9]*
connect c 192.0.2.1:7 len=1                    => EINVAL
connect c 192.0.2.1:7 len=15                   => EINVAL
connect c 192.0.2.1:7 family=10                => EAFNOSUPPORT
connect c 198.51.100.1:7                       => ENETUNREACH
connect c 192.0.2.255:7                        => EACCES
connect c 192.0.2.1:7                          => OK
peer c                                         => 192.0.2.1:7
name c                                         => 192.0.2.1:[1-9]*
getsockopt c ip mtu                            => 65535
connect c unspec                               => OK
peer c                                         => ENOTCONN
name c                                         => 0.0.0.0:0
getsockopt c ip mtu                            => ENOTCONN
socket k
bind k 0.0.0.0:7001
connect k 192.0.2.1:7                          => OK
name k                                         => 192.0.2.1:7001
connect k 192.0.2.2:7                          => OK
peer k                                         => 192.0.2.2:7
getsockopt k ip mtu                            => 1500
connect k unspec                               => OK
name k                                         => 0.0.0.0:7001
socket m
bind m 192.0.2.1:7002
connect m 192.0.2.2:7                          => OK
connect m unspec                               => OK
name m                                         => 192.0.2.1:7002
'

run sendrecv '
socket r
bind r 192.0.2.1:0
setsockopt r socket rcvtimeo 2000
socket s
bind s 192.0.2.1:0
poll r                                         => OUT
ioctl r inq                                    => 0
sendto s 192.0.2.1:%r 100                      => 100
poll r 2000 in                                 => IN
poll r                                         => IN OUT
ioctl r inq                                    => 100
recv r 10                                      => 10 from 192.0.2.1:%s trunc
sendto s 192.0.2.1:%r 100                      => 100
recv r 10 trunc                                => 100 from 192.0.2.1:%s trunc
sendto s 192.0.2.1:%r 100                      => 100
recv r 50 peek                                 => 50 from 192.0.2.1:%s trunc
recv r 200 peek                                => 100 from 192.0.2.1:%s
recv r 200                                     => 100 from 192.0.2.1:%s
recv r 200 dontwait                            => EAGAIN
recv r 200                                     => EAGAIN
recv r 200 errqueue                            => EAGAIN
sendto s 192.0.2.1:%r 0                        => 0
recv r 200                                     => 0 from 192.0.2.1:%s
sendto s 192.0.2.1:%r 65507                    => 65507
recv r 70000                                   => 65507 from 192.0.2.1:%s
sendto s 192.0.2.1:%r 65508                    => EMSGSIZE
sendto s 192.0.2.1:%r 65536                    => EMSGSIZE
sendto s 192.0.2.1:0 10                        => EINVAL
sendto s 192.0.2.1:%r 10 len=15                => EINVAL
sendto s 192.0.2.1:%r 10 family=10             => EAFNOSUPPORT
sendto s 192.0.2.1:%r 11 family=unspec         => 11
recv r 200                                     => 11 from 192.0.2.1:%s
sendto s 192.0.2.1:%r 10 oob                   => EOPNOTSUPP
sendto s 192.0.2.1:%r 10 probe                 => 10
sendto s 198.51.100.1:9 10                     => ENETUNREACH
sendto s 192.0.2.1:%r 12 ttl=0                 => EINVAL
sendto s 192.0.2.1:%r 12 ttl=3 tos=8           => 12
recv r 200                                     => 12 from 192.0.2.1:%s
sendto s 192.0.2.1:%r 17 src=192.0.2.1         => 17
recv r 200                                     => 17 from 192.0.2.1:%s
sendto s 192.0.2.1:%r 17 src=198.51.100.1      => ENETUNREACH
connect s 192.0.2.1:%r
send s 13                                      => 13
recv r 200                                     => 13 from 192.0.2.1:%s
sendto s 192.0.2.1:%r 14                       => 14
recv r 200                                     => 14 from 192.0.2.1:%s
setsockopt r ip pktinfo 1
send s 15                                      => 15
recv r 200                                     => 15 from 192.0.2.1:%s pktinfo=*,192.0.2.1,192.0.2.1
socket z
sendto z 192.0.2.1:%r 16                       => 16
name z                                         => 0.0.0.0:[1-9]*
recv r 200                                     => 16 from 192.0.2.1:%z pktinfo=*,192.0.2.1,192.0.2.1
ioctl s outq                                   => 0
shutdown r rd                                  => ENOTCONN
poll r                                         => IN OUT
recv r 200                                     => 0 noname
shutdown r 3                                   => EINVAL
shutdown s rdwr                                => OK
poll s                                         => IN OUT HUP
send s 10                                      => EPIPE
'

# Path MTU: veth0 has MTU 1500 (IP_PMTUDISC_DO: no fragments, EMSGSIZE above the path MTU).
run mtu '
socket s
bind s 192.0.2.1:0
sendto s 192.0.2.2:9 3000                      => 3000
setsockopt s ip mtu_discover 2
sendto s 192.0.2.2:9 1473                      => EMSGSIZE
sendto s 192.0.2.2:9 1472                      => 1472
sendto s 192.0.2.1:9 3000                      => 3000
setsockopt s ip mtu_discover 5
sendto s 192.0.2.2:9 3000                      => 3000
'

run sockopt '
socket o
getsockopt o ip ttl                            => 64
setsockopt o ip ttl 0                          => EINVAL
setsockopt o ip ttl 256                        => EINVAL
setsockopt o ip ttl 5                          => OK
getsockopt o ip ttl                            => 5
getsockopt o ip ttl len=1                      => 5 len=1
setsockopt o ip ttl 7 len=1                    => OK
getsockopt o ip ttl                            => 7
setsockopt o ip ttl -1                         => OK
getsockopt o ip ttl                            => 64
setsockopt o ip ttl 5 len=0                    => EINVAL
getsockopt o ip tos                            => 0
setsockopt o ip tos 16                         => OK
getsockopt o ip tos                            => 16
getsockopt o ip mtu_discover                   => 1
setsockopt o ip mtu_discover 6                 => EINVAL
setsockopt o ip mtu_discover 2                 => OK
getsockopt o ip mtu_discover                   => 2
getsockopt o ip pktinfo                        => 0
getsockopt o ip ttl len=-1                     => EINVAL
getsockopt o 99 1                              => EOPNOTSUPP
setsockopt o 99 1 1                            => ENOPROTOOPT
getsockopt o ip 99                             => ENOPROTOOPT
setsockopt o ip 99 1                           => ENOPROTOOPT
setsockopt o udp cork 1 len=2                  => EINVAL
setsockopt o udp cork 1                        => cxnet:ENOPROTOOPT inet:OK
getsockopt o udp 99                            => ENOPROTOOPT
setsockopt o socket rcvbuf 65536               => OK
getsockopt o socket rcvbuf                     => 131072
setsockopt o socket mark 7                     => OK
getsockopt o socket mark                       => 7
getsockopt o socket error                      => 0
ioctl o inq                                    => 0
ioctl o outq                                   => 0
'

# Delivery: a bound address beats a wildcard, a connected 4-tuple beats an unconnected socket,
# broadcasts reach every matching socket and need SO_BROADCAST to be sent.
run deliver '
socket w
setsockopt w socket reuseaddr 1
bind w 0.0.0.0:6000
setsockopt w socket rcvtimeo 2000
socket e
setsockopt e socket reuseaddr 1
bind e 192.0.2.1:6000
setsockopt e socket rcvtimeo 2000
socket s1
bind s1 192.0.2.1:0
socket s2
bind s2 192.0.2.1:0
sendto s1 192.0.2.1:6000 21                    => 21
recv e 100                                     => 21 from 192.0.2.1:%s1
recv w 100 dontwait                            => EAGAIN
socket k
setsockopt k socket reuseaddr 1
bind k 0.0.0.0:6001
setsockopt k socket rcvtimeo 2000
socket u
setsockopt u socket reuseaddr 1
bind u 0.0.0.0:6001
setsockopt u socket rcvtimeo 2000
connect k 192.0.2.1:%s1
sendto s1 192.0.2.1:6001 22                    => 22
recv k 100                                     => 22 from 192.0.2.1:%s1
sendto s2 192.0.2.1:6001 23                    => 23
recv u 100                                     => 23 from 192.0.2.1:%s2
recv k 100 dontwait                            => EAGAIN
socket m1
setsockopt m1 socket reuseaddr 1
bind m1 0.0.0.0:6002
setsockopt m1 socket rcvtimeo 2000
socket m2
setsockopt m2 socket reuseaddr 1
bind m2 192.0.2.255:6002
setsockopt m2 socket rcvtimeo 2000
socket m3
setsockopt m3 socket reuseaddr 1
bind m3 192.0.2.1:6002
sendto s1 192.0.2.255:6002 24                  => EACCES
setsockopt s1 socket broadcast 1
sendto s1 192.0.2.255:6002 24                  => 24
recv m1 100                                    => 24 from 192.0.2.1:%s1
recv m2 100                                    => 24 from 192.0.2.1:%s1
recv m3 100 dontwait                           => EAGAIN
sendto s1 255.255.255.255:6002 25              => 25
recv m1 100                                    => 25 from 192.0.2.1:%s1
recv m2 100 dontwait                           => EAGAIN
socket left
bind left 192.0.2.1:0
sendn s2 192.0.2.1:%left 3 100                 => 3
poll left 2000 in                              => IN
# exits with datagrams queued on "left" (freed with the socket)
'

# ICMP port unreachable reaches a connected socket as ECONNREFUSED (once); unconnected ones
# do not see it (IP_RECVERR off).
run icmp '
socket c
bind c 192.0.2.1:0
setsockopt c socket rcvtimeo 2000
connect c 192.0.2.1:9
send c 1                                       => 1
recv c 10                                      => ECONNREFUSED
recv c 10 dontwait                             => EAGAIN
send c 1                                       => 1
sleep 500
poll c                                         => OUT ERR
getsockopt c socket error                      => ECONNREFUSED
getsockopt c socket error                      => 0
socket u
bind u 192.0.2.1:0
sendto u 192.0.2.1:9 1                         => 1
sleep 200
getsockopt u socket error                      => 0
'

# Receive buffer overflow drops datagrams; a full send buffer (datagrams queued behind an 8 kbit/s
# token bucket on veth0, which keeps them charged to the socket) blocks or fails with EAGAIN,
# and poll stops reporting OUT.
for ns in "$CX" "$IN"; do
	tc -n "$ns" qdisc add dev veth0 root tbf rate 8kbit burst 1600 limit 100000 ||
		results+=("not ok tbf on veth0 # got tc failed")
done
run buffers '
socket r
bind r 192.0.2.1:0
setsockopt r socket rcvbuf 1
socket s
bind s 192.0.2.1:0
sendn s 192.0.2.1:%r 50 1000                   => 50
sleep 300
drain r                                        => [1-9]
socket f
bind f 192.0.2.1:0
setsockopt f socket sndbuf 1
fill f 192.0.2.2:9 1400                        => [1-9] EAGAIN
ioctl f outq                                   => [1-9]*
poll f                                         => none
setsockopt f socket sndtimeo 100
sendto f 192.0.2.2:9 1400                      => EAGAIN
'
for ns in "$CX" "$IN"; do tc -n "$ns" qdisc del dev veth0 root; done

# Privileged ports (ip_unprivileged_port_start = 2000) and automatic ports
# (ip_local_port_range = 40000 40001: two ports).
ip netns exec "$CX" cxip sysctl -w net.ipv4.ip_unprivileged_port_start=2000 >/dev/null &&
	ip netns exec "$CX" cxip sysctl -w net.ipv4.ip_local_port_range="40000 40001" >/dev/null &&
	ip netns exec "$IN" sysctl -qw net.ipv4.ip_unprivileged_port_start=2000 &&
	ip netns exec "$IN" sysctl -qw net.ipv4.ip_local_port_range="40000 40001" ||
	results+=("not ok sysctl setup # got a failed write")
run ports '
socket a
bind a 0.0.0.0:0                               => OK
name a                                         => 0.0.0.0:4000[01]
socket b
send b 1                                       => EDESTADDRREQ
name b                                         => 0.0.0.0:4000[01]
socket c
bind c 0.0.0.0:0                               => EADDRINUSE
connect c 192.0.2.1:9                          => EAGAIN
sendto c 192.0.2.1:9 1                         => EAGAIN
close a
connect c 192.0.2.1:9                          => OK
socket p
bind p 0.0.0.0:1999                            => OK
drop
socket q
bind q 0.0.0.0:1999                            => EACCES
bind q 0.0.0.0:80                              => EACCES
bind q 0.0.0.0:2000                            => OK
setsockopt q socket mark 1                     => EPERM
setsockopt q socket bindtodevice veth0         => OK
setsockopt q socket bindtodevice lo            => EPERM
'

ktap_header ${#results[@]}
for r in "${results[@]}"; do
	case $r in
	"not ok "*) r=${r#not ok }; ktap_fail "${r%% # got *}" "got ${r##* # got }" ;;
	*) ktap_ok "${r#ok }" ;;
	esac
done
cx_netns_cleanup
cx_unload
ktap_finish
