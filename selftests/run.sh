#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run cxnet selftests (all, or those named) in the running kernel; kselftest-style TAP.
# Exit 0 only if nothing failed; a skipped test is reported as skipped, never as passed.
#   selftests/run.sh [TEST ...]        e.g. selftests/run.sh socket sysctl
cd "$(dirname "$0")/.." || exit 1

ALL_TESTS="module_load socket sysctl netns_isolation privilege netlink_bad_input netlink_config udp_socket ping_socket wire_ping wire_udp wire_tcp wire_forward route_diff wire_malformed stress_wire failslab kunit"
tests=${*:-$ALL_TESTS}

n=0; pass=0; fail=0; skip=0
set -- $tests
echo "TAP version 13"
echo "1..$#"
for t in $tests; do
	n=$((n + 1))
	echo "# selftests: cxnet: $t"
	start=$(date +%s)
	selftests/$t.sh 2>&1 | sed 's/^/  /'
	rc=${PIPESTATUS[0]}
	secs=$(( $(date +%s) - start ))
	case $rc in
	0) pass=$((pass + 1)); echo "ok $n selftests: cxnet: $t # ${secs}s" ;;
	4) skip=$((skip + 1)); echo "ok $n selftests: cxnet: $t # SKIP" ;;
	*) fail=$((fail + 1)); echo "not ok $n selftests: cxnet: $t # exit=$rc" ;;
	esac
done
echo "selftests($(uname -r)): $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
