#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ICMP "ping" sockets (SOCK_DGRAM, IPPROTO_ICMP) of AF_CXNET against Linux's own: who may
# create one (net.ipv4.ping_group_range), identifiers (bind, EADDRINUSE, SO_REUSEADDR),
# echo requests and replies, send and receive errors, ICMP errors on connected sockets, and
# cxping (a `ping -c N` over ping sockets). As selftests/udp_socket.sh: the scripts run with
# AF_CXNET in a netns whose veth0 is attached to cxnet with 192.0.2.1/24 and with AF_INET in
# a netns whose veth0 has 192.0.2.1/24 natively; the other end of each veth is Linux with
# 192.0.2.2/24, forwarding, with a prohibit route to 203.0.113.0/25 (ICMP "administratively
# prohibited": a hard error) and an unreachable one to 203.0.113.128/25 (host unreachable: a
# soft error); the netns under test routes 203.0.113.0/24 there. Every expectation must hold
# for both (selftests/tools/cxudp.c).
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
cx_require_root
cx_require_module_file
for tool in cxudp cxping; do
	if ! command -v $tool >/dev/null; then
		echo "# SKIP: $tool not built (make tools)"
		exit $KSFT_SKIP
	fi
done
cx_load || exit 1
trap cx_netns_cleanup EXIT

# names as cx_netns_add makes them, added in this shell so that cleanup sees them
cx_netns_add ping >/dev/null && cx_netns_add pingref >/dev/null &&
	cx_netns_add pingpeer >/dev/null && cx_netns_add pingrefpeer >/dev/null || exit 1
CX=cxt-ping-$$ IN=cxt-pingref-$$ CXPEER=cxt-pingpeer-$$ INPEER=cxt-pingrefpeer-$$
# veth0 in NS, its peer veth1 in PEER with 192.0.2.2/24, a router to nowhere for 203.0.113.0/24
veth_pair() { # NS PEER
	ip -n "$1" link set lo up && ip -n "$1" link add name veth0 type veth peer name veth1 netns "$2" &&
		ip -n "$2" address add 192.0.2.2/24 dev veth1 && ip -n "$2" link set veth1 up &&
		ip -n "$2" route add prohibit 203.0.113.0/25 &&
		ip -n "$2" route add unreachable 203.0.113.128/25 &&
		ip netns exec "$2" sysctl -qw net.ipv4.ip_forward=1 && ip -n "$1" link set veth0 up
}
veth_pair "$CX" "$CXPEER" && veth_pair "$IN" "$INPEER" || exit 1
ip -n "$IN" address add 192.0.2.1/24 dev veth0 && ip -n "$IN" route add 203.0.113.0/24 via 192.0.2.2 ||
	exit 1
if ! out=$(ip netns exec "$CX" cxip link attach dev veth0 2>&1 &&
	   ip netns exec "$CX" cxip address add 192.0.2.1/24 dev veth0 2>&1 &&
	   ip netns exec "$CX" cxip route add 203.0.113.0/24 via 192.0.2.2 2>&1); then
	echo "# SKIP: cannot attach veth0 to cxnet with an address and a route: $out"
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
# point NAME OK_CONDITION_STATUS GOT: one result
point() {
	if [ "$2" = 0 ]; then results+=("ok $1"); else results+=("not ok $1 # got $3"); fi
}
# sysctl_both VALUE: net.ipv4.ping_group_range in both netns (cxip in $CX, sysctl in $IN)
sysctl_both() {
	local a b
	a=$(ip netns exec "$CX" cxip sysctl -w net.ipv4.ping_group_range="$1" 2>&1)
	b=$(ip netns exec "$IN" sysctl -w net.ipv4.ping_group_range="$1" 2>&1)
	echo "# cxip: $a / sysctl: $b"
}
# range_both: "CXNET|LINUX" as both print the tunable
range_both() {
	echo "$(ip netns exec "$CX" cxip sysctl net.ipv4.ping_group_range 2>&1)|$(ip netns exec "$IN" sysctl net.ipv4.ping_group_range 2>&1)"
}

# Linux's default "1 0" allows nobody, root included.
got=$(range_both)
[ "$got" = "net.ipv4.ping_group_range = 1	0|net.ipv4.ping_group_range = 1	0" ]
point "default ping_group_range is 1 0 in both" $? "$got"
run default '
socket p icmp                                  => EACCES
socket u udp                                   => OK
'
for fam in cxnet inet; do
	ns=$CX
	[ $fam = inet ] && ns=$IN
	rc=0
	out=$(ip netns exec "$ns" cxping -f $fam -c 1 192.0.2.2 2>&1) || rc=$?
	[ $rc = 2 ] && [[ $out == *"cxping: socket: Permission denied"* ]]
	point "$fam cxping with the default range: EACCES" $? "rc=$rc $out"
done

# The range: gids of the effective or a supplementary group; inverted means "1 0".
sysctl_both "100 200"
got=$(range_both)
[ "$got" = "net.ipv4.ping_group_range = 100	200|net.ipv4.ping_group_range = 100	200" ]
point "ping_group_range written in both" $? "$got"
run groups '
socket a icmp                                  => EACCES
groups 150
socket b icmp                                  => OK
groups 201
socket c icmp                                  => EACCES
groups 300 99 200
socket d icmp                                  => OK
groups 100
socket e icmp                                  => OK
'
sysctl_both "200 100"
got=$(range_both)
[ "$got" = "net.ipv4.ping_group_range = 1	0|net.ipv4.ping_group_range = 1	0" ]
point "an inverted ping_group_range reads back as 1 0" $? "$got"
rc=0
out=$(ip netns exec "$CX" cxip sysctl -w net.ipv4.ping_group_range="0 4294967295" 2>&1) || rc=$?
rc2=0
ip netns exec "$IN" sysctl -qw net.ipv4.ping_group_range="0 4294967295" 2>/dev/null || rc2=$?
[ $rc = 2 ] && [[ $out == "Error: net.ipv4.ping_group_range: "* ]] && [ $rc2 != 0 ]
point "a gid above 4294967294 is refused by both" $? "cxip rc=$rc '$out', sysctl rc=$rc2"

# From here every group may create ping sockets (as Debian sets it in init_net).
sysctl_both "0 2147483647"
got=$(range_both)
[ "$got" = "net.ipv4.ping_group_range = 0	2147483647|net.ipv4.ping_group_range = 0	2147483647" ]
point "ping_group_range 0 2147483647 in both" $? "$got"

# Identifiers: the "port" of a ping socket; no broadcast/multicast binds; sockets that both
# have SO_REUSEADDR (on by default: INET_PROTOSW_REUSE) share one.
run bind '
socket a icmp
bind a 192.0.2.1:0 len=15                      => EINVAL
bind a 192.0.2.1:0 family=10                   => EAFNOSUPPORT
bind a 192.0.2.1:0 family=unspec               => EAFNOSUPPORT
bind a 198.51.100.1:0                          => EADDRNOTAVAIL
bind a 192.0.2.255:0                           => EADDRNOTAVAIL
bind a 255.255.255.255:0                       => EADDRNOTAVAIL
bind a 224.0.0.1:0                             => EADDRNOTAVAIL
name a                                         => 0.0.0.0:0
bind a 192.0.2.1:500                           => OK
name a                                         => 192.0.2.1:500
family a                                       => inet
bind a 192.0.2.1:501                           => EINVAL
getsockopt a socket reuseaddr                  => 1
socket b icmp
bind b 0.0.0.0:500                             => OK
socket f icmp
setsockopt f socket reuseaddr 0
bind f 0.0.0.0:500                             => EADDRINUSE
setsockopt f socket reuseaddr 1
setsockopt a socket reuseaddr 0
bind f 0.0.0.0:500                             => EADDRINUSE
setsockopt a socket reuseaddr 1
bind f 0.0.0.0:500                             => OK
socket c icmp
bind c 0.0.0.0:0 family=unspec                 => OK
name c                                         => 0.0.0.0:[1-9]*
socket d icmp
connect d 192.0.2.2:0                          => OK
name d                                         => 192.0.2.1:[1-9]*
peer d                                         => ENOTCONN
connect d 192.0.2.2:7                          => OK
peer d                                         => 192.0.2.2:7
connect d unspec                               => OK
name d                                         => 0.0.0.0:0
socket u
bind u 0.0.0.0:500                             => OK
socket x icmp
family x                                       => cxnet:cxnet inet:inet
drop
socket e icmp                                  => OK
bind e 0.0.0.0:80                              => OK
socket v
bind v 0.0.0.0:80                              => EACCES
'

# Echo requests: the user writes the header (type 8 code 0), the kernel the identifier and
# the checksum; replies come back whole, from port 0.
run echo '
socket p icmp
setsockopt p socket rcvtimeo 2000
send p 64                                      => EDESTADDRREQ
send p 7                                       => EINVAL
sendto p 192.0.2.2:0 64 seq=1                  => 64
name p                                         => 0.0.0.0:[1-9]*
poll p 2000 in                                 => IN
ioctl p inq                                    => ENOTTY
recv p 200                                     => 64 from 192.0.2.2:0 type=0 id=%p seq=1
sendto p 192.0.2.2:0 8 seq=2                   => 8
recv p 200                                     => 8 from 192.0.2.2:0 type=0 id=%p seq=2
sendto p 192.0.2.2:0 3000 seq=3                => 3000
recv p 4000                                    => 3000 from 192.0.2.2:0 type=0 id=%p seq=3
sendto p 192.0.2.2:0 100 seq=4                 => 100
recv p 20 peek                                 => 20 from 192.0.2.2:0 type=0 id=%p seq=4 trunc
recv p 20 trunc                                => 20 from 192.0.2.2:0 type=0 id=%p seq=4 trunc
recv p 200 dontwait                            => EAGAIN
recv p 200 oob                                 => EOPNOTSUPP
recv p 200 errqueue                            => EAGAIN
sendto p 192.0.2.1:0 64 seq=5                  => 64
recv p 200                                     => 64 from 192.0.2.1:0 type=0 id=%p seq=5
sendto p 192.0.2.2:0 64 type=0                 => EINVAL
sendto p 192.0.2.2:0 64 type=13                => EINVAL
sendto p 192.0.2.2:0 64 code=1                 => EINVAL
sendto p 192.0.2.2:0 64 len=15                 => EINVAL
sendto p 192.0.2.2:0 64 family=10              => EAFNOSUPPORT
sendto p 192.0.2.2:0 64 family=unspec          => EAFNOSUPPORT
sendto p 192.0.2.2:0 64 oob                    => EOPNOTSUPP
sendto p 192.0.2.2:0 64 probe                  => 64
sendto p 192.0.2.2:0 65516                     => EMSGSIZE
sendto p 192.0.2.2:0 65536                     => EMSGSIZE
sendto p 198.51.100.1:0 64                     => ENETUNREACH
sendto p 192.0.2.255:0 64                      => EACCES
setsockopt p ip mtu_discover 2
sendto p 192.0.2.2:0 1481                      => EMSGSIZE
sendto p 192.0.2.2:0 1480 seq=6                => 1480
recv p 2000                                    => 1480 from 192.0.2.2:0 type=0 id=%p seq=6
sendto p 192.0.2.2:0 64 seq=7 ttl=5 tos=8      => 64
recv p 200                                     => 64 from 192.0.2.2:0 type=0 id=%p seq=7
recv p 200 dontwait                            => EAGAIN
connect p 192.0.2.2:0                          => OK
send p 64 seq=8                                => 64
recv p 200                                     => 64 from 192.0.2.2:0 type=0 id=%p seq=8
setsockopt p ip pktinfo 1
send p 64 seq=9                                => 64
recv p 200                                     => 64 from 192.0.2.2:0 type=0 id=%p seq=9 pktinfo=[1-9]*,0.0.0.0,192.0.2.1
getsockopt p ip mtu                            => 1500
getsockopt p ip ttl                            => 64
setsockopt p udp cork 1                        => ENOPROTOOPT
getsockopt p udp cork                          => EOPNOTSUPP
setsockopt p socket peek_off 0                 => EOPNOTSUPP
socket q icmp
setsockopt q socket rcvtimeo 2000
bind q 192.0.2.1:0
sendto q 192.0.2.2:0 64 seq=10                 => 64
recv q 200                                     => 64 from 192.0.2.2:0 type=0 id=%q seq=10
recv p 200 dontwait                            => EAGAIN
shutdown q rdwr                                => ENOTCONN
poll q                                         => IN OUT HUP
'

# ICMP errors about our echo requests: hard ones (here "administratively prohibited" from the
# router) become a connected socket's error, once; unconnected sockets do not see them, nor
# does anyone see soft ones (host unreachable from the router, or from ourselves when ARP
# fails) without IP_RECVERR.
run errors '
socket c icmp
setsockopt c socket rcvtimeo 2000
connect c 203.0.113.1:0
send c 64                                      => 64
recv c 200                                     => EHOSTUNREACH
recv c 200 dontwait                            => EAGAIN
send c 64                                      => 64
sleep 500
poll c                                         => OUT ERR
getsockopt c socket error                      => EHOSTUNREACH
getsockopt c socket error                      => 0
socket u icmp
sendto u 203.0.113.1:0 64                      => 64
sleep 500
getsockopt u socket error                      => 0
recv u 200 dontwait                            => EAGAIN
socket s icmp
setsockopt s socket rcvtimeo 1000
connect s 203.0.113.129:0
send s 64                                      => 64
recv s 200                                     => EAGAIN
socket h icmp
setsockopt h socket rcvtimeo 4500
connect h 192.0.2.3:0
send h 64                                      => 64
recv h 200                                     => EAGAIN
getsockopt h socket error                      => 0
'

# cxping: replies counted, exit 0 when all are answered; errors before and after sending.
cxping_check() { # NAME WANT_RC PATTERN ARGS... (run in both netns)
	local name=$1 want=$2 pattern=$3 fam ns out rc
	shift 3
	for fam in cxnet inet; do
		ns=$CX
		[ $fam = inet ] && ns=$IN
		rc=0
		out=$(ip netns exec "$ns" cxping -f $fam "$@" 2>&1) || rc=$?
		echo "$out" | sed "s/^/# $fam: /"
		[ "$rc" = "$want" ] && echo "$out" | grep -qE -- "$pattern"
		point "$fam cxping $name" $? "rc=$rc"
	done
}
cxping_check "peer: all answered" 0 "^3 packets transmitted, 3 received, 0% packet loss" \
	-c 3 -i 200 192.0.2.2
cxping_check "own address" 0 "^2 packets transmitted, 2 received, 0% packet loss" \
	-c 2 -i 100 192.0.2.1
cxping_check "fragmented" 0 "^2 packets transmitted, 2 received, 0% packet loss" \
	-c 2 -i 100 -s 4000 192.0.2.2
cxping_check "from a bound source" 0 "^1 packets transmitted, 1 received, 0% packet loss" \
	-c 1 -I 192.0.2.1 192.0.2.2
cxping_check "prohibited via the router" 1 \
	"^1 packets transmitted, 0 received, \+1 errors, 100% packet loss" -c 1 203.0.113.1
cxping_check "prohibited reported" 1 "icmp_seq=1 No route to host" -c 1 203.0.113.1
cxping_check "no route" 2 "^cxping: connect: Network is unreachable" -c 1 198.51.100.1
# host unreachable is a soft error: the request just times out, exit 1
cxping_check "host unreachable: no answer" 1 "^1 packets transmitted, 0 received, 100% packet loss" \
	-c 1 -W 1000 203.0.113.129

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
