#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module lifecycle: 50 load/unload cycles, the module refcount held by open sockets,
# a taken or invalid family number refused at insmod with a clear message.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
cx_require_root
cx_require_module_file
CYCLES=${CYCLES:-50}

ktap_header 7
cx_unload

ok=1
for i in $(seq "$CYCLES"); do
	if ! insmod "$CXNET_KO"; then ok=0; echo "# insmod failed in cycle $i"; break; fi
	# Exercise the state that unload must free: a socket, a netlink request, a netns.
	cxsock create stream 0 >/dev/null || { ok=0; echo "# socket failed in cycle $i"; }
	cxip info >/dev/null || { ok=0; echo "# cxip info failed in cycle $i"; }
	if ! rmmod cxnet; then ok=0; echo "# rmmod failed in cycle $i"; break; fi
done
[ $ok = 1 ] && ktap_ok "load_unload_${CYCLES}_cycles" || ktap_fail "load_unload_${CYCLES}_cycles"

if cx_loaded; then ktap_fail "unloaded_after_cycles"; else ktap_ok "unloaded_after_cycles"; fi

# An open socket pins the module; closing it releases the module.
cx_load
coproc HOLD { exec cxsock hold 30 3; }
read -r line <&"${HOLD[0]}"
refs=$(awk '$1 == "cxnet" { print $3 }' /proc/modules)
expect_fail "rmmod_refused_with_open_sockets" 1 "in use" rmmod cxnet
echo "# module refcount with 3 sockets open: $refs ($line)"
kill "$HOLD_PID"
wait "$HOLD_PID" 2>/dev/null
check "rmmod_after_close" rmmod cxnet

# A family number that is taken (16 = AF_NETLINK) fails insmod, naming the parameter.
seen=$(dmesg | wc -l)
expect_fail "taken_family_refused" 1 "File exists|exists" insmod "$CXNET_KO" family=16
if dmesg | tail -n +"$((seen + 1))" | grep -q "already registered.*family=N"; then
	ktap_ok "taken_family_message"
else
	dmesg | tail -n +"$((seen + 1))" | tail -5 | sed 's/^/# /'
	ktap_fail "taken_family_message"
fi
# kmod prints EINVAL from init as "Invalid parameters".
expect_fail "invalid_family_refused" 1 "Invalid" insmod "$CXNET_KO" family=0

cx_unload
ktap_finish
