#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# cxip sysctl: Linux's names, values, ranges and cross-checks; errors as `Error: <extack>`.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
cx_require_root
cx_require_module_file
cx_load || exit 1
NAME=net.ipv4.ip_local_port_range

ktap_header 13
out=$(cxip sysctl $NAME)
[ "$out" = "$NAME = 32768	60999" ] && ktap_ok "default_like_linux" || ktap_fail "default_like_linux" "got '$out'"
out=$(cxip sysctl net/ipv4/ip_unprivileged_port_start)
[ "$out" = "net.ipv4.ip_unprivileged_port_start = 1024" ] && ktap_ok "slash_names" || ktap_fail "slash_names" "got '$out'"
n=$(cxip sysctl -a | grep -c ' = ')
[ "$n" -ge 2 ] && ktap_ok "dump_all" || ktap_fail "dump_all" "$n lines"

check "write_range" cxip sysctl -w $NAME="1024 65535"
out=$(cxip sysctl -n $NAME | tr -s '\t ' ' ')
[ "$out" = "1024 65535" ] && ktap_ok "write_took_effect" || ktap_fail "write_took_effect" "got '$out'"

expect_fail "out_of_range_extack" 2 "^Error: .*1\.\.65535" cxip sysctl -w $NAME="70000 80000"
expect_fail "zero_port_extack" 2 "^Error: .*1\.\.65535" cxip sysctl -w $NAME="0 100"
expect_fail "inverted_range_extack" 2 "^Error: .*must not be above" cxip sysctl -w $NAME="5000 4000"
# Linux: the range may not start below ip_unprivileged_port_start, and vice versa.
expect_fail "below_unprivileged_start" 2 "^Error: .*ip_unprivileged_port_start" cxip sysctl -w $NAME="500 600"
expect_fail "unprivileged_start_above_range" 2 "^Error: .*ip_local_port_range" \
	cxip sysctl -w net.ipv4.ip_unprivileged_port_start=2000
expect_fail "unknown_name" 2 "^Error: unknown tunable" cxip sysctl net.ipv4.no_such_thing
out=$(cxip sysctl -n $NAME | tr -s '\t ' ' ')
[ "$out" = "1024 65535" ] && ktap_ok "refused_writes_changed_nothing" || ktap_fail "refused_writes_changed_nothing" "got '$out'"
check "json" sh -c "cxip -j sysctl $NAME | jq -e '.\"$NAME\" == [1024, 65535]'"

cx_unload
ktap_finish
