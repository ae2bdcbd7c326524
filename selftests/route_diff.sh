#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Differential routing test: a random set of a few hundred routes (unicast via gateways on three
# veth links, dev routes, blackhole/unreachable/prohibit/throw, metrics, preferred sources, four
# tables) and policy rules (by source, destination, fwmark, inverted, rule actions) is loaded
# into a native netns with `ip` and into a cxnet netns with `cxip`; then `route get` for more
# than 1000 random flows (destination, optional source and mark) must give the same answer in
# both, field by field (selftests/route_diff.py). ROUTE_DIFF_SEED=N repeats a run;
# ROUTE_DIFF_ROUTES, ROUTE_DIFF_QUERIES, ROUTE_DIFF_CLI_SAMPLE change the sizes.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
. selftests/lib/wire.sh
wire_setup

N=$(wire_ns rnative) && X=$(wire_ns rcxnet) && SINK=$(wire_ns rsink) || exit 1
for dev in l1 l2 l3; do
	wire_veth "$N" "$dev" "$SINK" "n$dev" && wire_veth "$X" "$dev" "$SINK" "x$dev" || exit 1
done
addrs() { # DEV: the addresses of route_diff.py's ADDRS, in order
	case $1 in
	l1) echo 10.10.1.1/24 10.10.1.5/24 10.11.1.1/24 ;;
	l2) echo 10.10.2.1/24 ;;
	l3) echo 10.10.3.1/24 10.11.3.1/24 ;;
	esac
}

ktap_header 6

out=$(for dev in l1 l2 l3; do
	cxip -n "$X" link attach dev "$dev" || exit 1
	for a in $(addrs $dev); do
		ip -n "$N" addr add "$a" dev "$dev" && cxip -n "$X" addr add "$a" dev "$dev" || exit 1
	done
done 2>&1)
if [ $? = 0 ]; then
	ktap_ok "setup: l1 l2 l3 with the same addresses natively and in cxnet"
else
	echo "$out" | sed 's/^/# /'
	ktap_fail "setup: l1 l2 l3 with the same addresses natively and in cxnet"
	ktap_finish
fi

python3 selftests/route_diff.py --native "$N" --cxnet "$X" ${ROUTE_DIFF_SEED:+--seed "$ROUTE_DIFF_SEED"} \
	--routes "${ROUTE_DIFF_ROUTES:-300}" --queries "${ROUTE_DIFF_QUERIES:-1200}" \
	--cli-sample "${ROUTE_DIFF_CLI_SAMPLE:-100}" >"$wire_tmp/out" 2>&1
rc=$?
while IFS= read -r line; do
	case $line in
	"ok "*) ktap_ok "${line#ok }" ;;
	"not ok "*) line=${line#not ok }; ktap_fail "${line%% # *}" "${line#* # }" ;;
	"#"*) echo "$line" ;;
	*) echo "# $line" ;;
	esac
done <"$wire_tmp/out"
[ $rc = 0 ] || [ "$cx_tests_failed" -gt 0 ] || ktap_fail "route_diff.py" "exit $rc"
ktap_finish
