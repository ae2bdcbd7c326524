#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# socket(AF_CXNET, ...) creates and closes; unsupported type/protocol combinations fail with
# the errno Linux returns for AF_INET in the same case (inet_create()).
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
cx_require_root
cx_require_module_file
cx_load || exit 1

# type protocol expected (OK or the errno name inet_create returns)
cases=(
	"stream 0 OK"
	"stream 6 OK"
	"dgram 0 OK"
	"dgram 17 OK"
	"stream 17 EPROTONOSUPPORT"
	"dgram 6 EPROTONOSUPPORT"
	"stream 262 EPROTONOSUPPORT"
	"dgram 136 EPROTONOSUPPORT"
	"stream -1 EINVAL"
	"stream 300 EINVAL"
	"seqpacket 0 ESOCKTNOSUPPORT"
	"rdm 0 ESOCKTNOSUPPORT"
	"dccp 0 ESOCKTNOSUPPORT"
)
ktap_header $((${#cases[@]} + 4))
# One process for all cases (process start-up is slow on the debug kernel).
args=()
for c in "${cases[@]}"; do set -- $c; args+=("$1" "$2"); done
mapfile -t got < <(cxsock create "${args[@]}")
for i in "${!cases[@]}"; do
	set -- ${cases[$i]}
	if [ "${got[$i]:-none}" = "$3" ]; then ktap_ok "socket_${1}_${2}_$3"; else ktap_fail "socket_${1}_${2}_$3" "got ${got[$i]:-none}"; fi
done

# SOCK_RAW: EPERM without CAP_NET_RAW, as inet_create() checks before anything else.
got=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all cxsock create raw 0)
[ "$got" = EPERM ] && ktap_ok "raw_unprivileged_EPERM" || ktap_fail "raw_unprivileged_EPERM" "got $got"

# Open sockets are counted per netns and released on close.
coproc HOLD { exec cxsock hold 30 4; }
read -r _ <&"${HOLD[0]}"
n=$(cxip -j info | jq -r .counts.sockets)
[ "$n" = 4 ] && ktap_ok "info_counts_open_sockets" || ktap_fail "info_counts_open_sockets" "sockets=$n"
kill "$HOLD_PID"; wait "$HOLD_PID" 2>/dev/null
n=$(cxip -j info | jq -r .counts.sockets)
[ "$n" = 0 ] && ktap_ok "info_counts_closed_sockets" || ktap_fail "info_counts_closed_sockets" "sockets=$n"

# The module reports the family it registered.
fam=$(cxip -j info | jq -r .family)
[ "$fam" = "$(cxsock family)" ] && ktap_ok "info_reports_family" || ktap_fail "info_reports_family" "family=$fam"

cx_unload
ktap_finish
