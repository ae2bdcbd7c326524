#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The demo, inside the VM (scripts/demo boots it): load cxnet, use it from two netns.
set -euo pipefail
cd "$(dirname "$0")/.."
run() { echo; echo "\$ $*"; "$@"; }

run insmod module/cxnet.ko
run ip netns add red
run ip netns add blue
run cxip info
run cxip -n red info
run cxip -n blue -j info
echo; echo "# a tunable set in red stays in red:"
run cxip -n red sysctl -w net.ipv4.ip_local_port_range="20000 29999"
run cxip -n red sysctl net.ipv4.ip_local_port_range
run cxip -n blue sysctl net.ipv4.ip_local_port_range
echo; echo "# an AF_CXNET socket opened in blue is counted in blue:"
coproc HOLD { exec ip netns exec blue cxsock hold 30 1; }
read -r _ <&"${HOLD[0]}"
run cxip -n blue info
run cxip -n red info
kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null || true
echo; echo "# changes need CAP_NET_ADMIN:"
echo "\$ setpriv --reuid=65534 ... cxip sysctl -w net.ipv4.ip_local_port_range=\"2000 3000\""
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all cxip sysctl -w net.ipv4.ip_local_port_range="2000 3000" || echo "(exit $?)"
ip netns del red
ip netns del blue
run rmmod cxnet
echo; echo "demo: done"
