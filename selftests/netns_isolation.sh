#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every netns has its own cxnet state: tunables, socket counts; netlink answers for the
# caller's netns only; state is freed with the netns.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
cx_require_root
cx_require_module_file
cx_load || exit 1
trap cx_netns_cleanup EXIT

ktap_header 7
a=$(cx_netns_add a) && b=$(cx_netns_add b) || { echo "# ip netns add failed"; exit 1; }

info() { cxip -n "$1" -j info | jq -r "$2"; }
ca=$(info "$a" .netns_cookie); cb=$(info "$b" .netns_cookie)
[ -n "$ca" ] && [ "$ca" != "$cb" ] && ktap_ok "distinct_netns_cookies" || ktap_fail "distinct_netns_cookies" "a=$ca b=$cb"

check "set_in_a" cxip -n "$a" sysctl -w net.ipv4.ip_local_port_range="20000 30000"
va=$(cxip -n "$a" sysctl -n net.ipv4.ip_local_port_range | tr -s '\t ' ' ')
vb=$(cxip -n "$b" sysctl -n net.ipv4.ip_local_port_range | tr -s '\t ' ' ')
vi=$(cxip sysctl -n net.ipv4.ip_local_port_range | tr -s '\t ' ' ')
[ "$va" = "20000 30000" ] && ktap_ok "a_sees_its_value" || ktap_fail "a_sees_its_value" "a=$va"
[ "$vb" = "32768 60999" ] && [ "$vi" = "32768 60999" ] && ktap_ok "b_and_init_unchanged" \
	|| ktap_fail "b_and_init_unchanged" "b=$vb init=$vi"

# Sockets opened in a are counted in a only.
coproc HOLD { exec ip netns exec "$a" cxsock hold 30 2; }
read -r _ <&"${HOLD[0]}"
sa=$(info "$a" .counts.sockets); sb=$(info "$b" .counts.sockets)
[ "$sa" = 2 ] && [ "$sb" = 0 ] && ktap_ok "socket_counts_isolated" || ktap_fail "socket_counts_isolated" "a=$sa b=$sb"
kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null
wa=$(info "$a" .counts.sysctl_writes); wb=$(info "$b" .counts.sysctl_writes)
[ "$wa" = 1 ] && [ "$wb" = 0 ] && ktap_ok "write_counts_isolated" || ktap_fail "write_counts_isolated" "a=$wa b=$wb"

# A netns that goes away takes its state along; a new one starts from defaults.
ip netns del "$a"
a2=$(cx_netns_add a2)
v=$(cxip -n "$a2" sysctl -n net.ipv4.ip_local_port_range | tr -s '\t ' ' ')
[ "$v" = "32768 60999" ] && ktap_ok "new_netns_has_defaults" || ktap_fail "new_netns_has_defaults" "v=$v"

cx_netns_cleanup
cx_unload
ktap_finish
