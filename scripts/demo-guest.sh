#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The demo, inside the VM (scripts/demo boots it): cxnet as a router between two
# native Linux hosts, configured with cxip, carrying their traffic.
#
#   netns a (native Linux)        netns cx (cxnet)               netns b (native Linux)
#   pa 10.1.0.2/24  <-- veth -->  ca 10.1.0.1/24 | cb 10.2.0.1/24  <-- veth -->  pb 10.2.0.2/24
set -euo pipefail
cd "$(dirname "$0")/.."
run() { echo; echo "\$ $*"; "$@"; }
note() { echo; echo "# $*"; }

run insmod module/cxnet.ko
for ns in a cx b; do ip netns add "$ns"; done
ip -n cx link add name ca type veth peer name pa netns a
ip -n cx link add name cb type veth peer name pb netns b
for l in "cx ca" "cx cb" "a pa" "b pb"; do set -- $l; ip -n "$1" link set dev "$2" up; done
ip -n a addr add 10.1.0.2/24 dev pa
ip -n a route add default via 10.1.0.1
ip -n b addr add 10.2.0.2/24 dev pb
ip -n b route add default via 10.2.0.1

note "cxnet takes the two veth ends of netns cx (an rx_handler: IPv4 and ARP are its own)"
run cxip -n cx link attach dev ca
run cxip -n cx link attach dev cb
run cxip -n cx addr add 10.1.0.1/24 brd + dev ca
run cxip -n cx addr add 10.2.0.1/24 brd + dev cb
run cxip -n cx addr show
note "local, broadcast and prefix routes were created as Linux does"
run cxip -n cx route show table all

note "a native host pings cxnet's address"
run ip netns exec a ping -c 3 -i 0.2 10.1.0.1
run cxip -n cx neigh show
note "a 3000-byte ping: fragments reassembled by cxnet, its reply fragmented"
run ip netns exec a ping -c 2 -i 0.2 -s 3000 10.1.0.1

note "forwarding is off by default: a -> b fails"
ip netns exec a ping -c 1 -W 1 10.2.0.2 || echo "(no reply, as expected)"
run cxip -n cx sysctl -w net.ipv4.ip_forward=1
run ip netns exec a ping -c 3 -i 0.2 10.2.0.2
note "TTL 1 expires at cxnet, which answers time exceeded"
run ip netns exec a ping -c 1 -W 1 -t 1 10.2.0.2 || true
note "no route: net unreachable from cxnet"
run ip netns exec a ping -c 1 -W 1 10.3.0.1 || true
run cxip -n cx route get 10.2.0.2 from 10.1.0.2 iif ca

note "UDP over AF_CXNET, from an unmodified socat: its generic socket address takes"
note "family 19 (AF_CXNET), SOCK_DGRAM, and the sockaddr_in bytes (port 5000, 10.2.0.2)"
ip netns exec b timeout 10 socat -u UDP-RECV:5000 STDOUT > /tmp/demo-got &
sleep 1
run bash -c 'echo "hello from cxnet" | ip netns exec cx socat -u STDIN SOCKET-DATAGRAM:19:2:0:x13880a0200020000000000000000'
wait
echo "native netns b received: $(cat /tmp/demo-got)"
note "and back: a native socat sends to a cxnet socket bound to 10.2.0.1:5001"
ip netns exec cx timeout 10 socat -u SOCKET-RECV:19:2:0:x13890a0200010000000000000000 STDOUT > /tmp/demo-got &
sleep 1
run bash -c 'echo "hello from Linux" | ip netns exec b socat -u STDIN UDP-SENDTO:10.2.0.1:5001'
wait
echo "cxnet socket received: $(cat /tmp/demo-got)"

note "TCP over AF_CXNET, the same way: socat's SOCKET-CONNECT with family 19, protocol 6,"
note "to a native socat listening on 10.2.0.2:5002; 1 MB, compared by checksum"
seq 1 150000 > /tmp/demo-tcp-data
ip netns exec b timeout 20 socat -u TCP-LISTEN:5002,reuseaddr STDOUT > /tmp/demo-got &
sleep 1
run bash -c 'ip netns exec cx socat -u /tmp/demo-tcp-data SOCKET-CONNECT:19:6:x138a0a0200020000000000000000'
wait
echo "sent     $(sha256sum < /tmp/demo-tcp-data)"
echo "received $(sha256sum < /tmp/demo-got)"
note "and a native client to a cxnet listener on 10.2.0.1:5003"
ip netns exec cx timeout 20 socat -u SOCKET-LISTEN:19:6:x138b0a0200010000000000000000 STDOUT > /tmp/demo-got &
sleep 1
run bash -c 'ip netns exec b socat -u /tmp/demo-tcp-data TCP:10.2.0.1:5003'
wait
echo "sent     $(sha256sum < /tmp/demo-tcp-data)"
echo "received $(sha256sum < /tmp/demo-got)"
cmp -s /tmp/demo-tcp-data /tmp/demo-got

note "counters, per link and per protocol"
run cxip -n cx -s link show
run cxip -n cx stats Icmp
run cxip -n cx stats Udp

note "changes need CAP_NET_ADMIN in the netns's user namespace"
echo "\$ ip netns exec cx setpriv --reuid=65534 ... cxip route add 10.9.0.0/16 via 10.1.0.2"
ip netns exec cx setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	cxip route add 10.9.0.0/16 via 10.1.0.2 || echo "(exit $?)"

for ns in a cx b; do ip netns del "$ns"; done
note "a connection cxnet closed first stays in TIME_WAIT (60 s) and keeps the module in use"
echo; echo "\$ rmmod cxnet   # retried until the last TIME_WAIT ends"
for _ in $(seq 75); do rmmod cxnet 2>/dev/null && break; sleep 1; done
[ ! -e /sys/module/cxnet ] || rmmod cxnet
echo "cxnet unloaded"
echo; echo "demo: done"
