#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Minimal KTAP/TAP helpers for cxnet selftests (sourced). Run from the repo root, as root,
# in a guest booted by scripts/vm-run; module/cxnet.ko is the build for the running kernel.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

cx_tests_run=0
cx_tests_failed=0
cx_tests_skipped=0

ktap_header() { # PLAN
	echo "TAP version 13"
	echo "1..$1"
}

ktap_ok() { # NAME
	cx_tests_run=$((cx_tests_run + 1))
	echo "ok $cx_tests_run $1"
}

ktap_fail() { # NAME [REASON]
	cx_tests_run=$((cx_tests_run + 1))
	cx_tests_failed=$((cx_tests_failed + 1))
	echo "not ok $cx_tests_run $1${2:+ # $2}"
}

ktap_skip() { # NAME REASON
	cx_tests_run=$((cx_tests_run + 1))
	cx_tests_skipped=$((cx_tests_skipped + 1))
	echo "ok $cx_tests_run $1 # SKIP $2"
}

# check NAME CMD...: one test point from a command's exit status.
check() {
	local name=$1
	shift
	local out
	if out=$("$@" 2>&1); then
		ktap_ok "$name"
	else
		echo "$out" | sed 's/^/# /'
		ktap_fail "$name"
	fi
}

# expect_fail NAME EXPECTED_RC PATTERN CMD...: the command must exit EXPECTED_RC and print
# (stdout+stderr) something matching the extended regex PATTERN.
expect_fail() {
	local name=$1 want_rc=$2 pattern=$3
	shift 3
	local out rc=0
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" = "$want_rc" ] && echo "$out" | grep -qE -- "$pattern"; then
		echo "# $name: rc=$rc: $out" | head -3
		ktap_ok "$name"
	else
		echo "# $name: want rc=$want_rc matching /$pattern/, got rc=$rc:"
		echo "$out" | sed 's/^/#   /'
		ktap_fail "$name"
	fi
}

ktap_finish() {
	echo "# $(basename "$0"): $((cx_tests_run - cx_tests_failed - cx_tests_skipped)) passed, $cx_tests_failed failed, $cx_tests_skipped skipped"
	if [ "$cx_tests_failed" -gt 0 ]; then
		exit $KSFT_FAIL
	fi
	if [ "$cx_tests_run" -gt 0 ] && [ "$cx_tests_skipped" = "$cx_tests_run" ]; then
		exit $KSFT_SKIP
	fi
	exit $KSFT_PASS
}

# ---- cxnet helpers ------------------------------------------------------------------------

CXNET_KO=${CXNET_KO:-module/cxnet.ko}

cx_require_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "# SKIP: needs root (run in the VM: scripts/vm-run -- $0)"
		exit $KSFT_SKIP
	fi
}

cx_require_module_file() {
	if [ ! -f "$CXNET_KO" ]; then
		echo "# SKIP: $CXNET_KO not built (run: make module)"
		exit $KSFT_SKIP
	fi
}

cx_loaded() { grep -q '^cxnet ' /proc/modules; }

cx_load() {
	cx_loaded || insmod "$CXNET_KO" "$@"
}

cx_unload() {
	! cx_loaded || rmmod cxnet
}

# Fresh netns names per test run; removed on exit.
cx_netns=()
cx_netns_add() {
	local ns="cxt-$1-$$"
	ip netns add "$ns" && cx_netns+=("$ns") && echo "$ns"
}
cx_netns_cleanup() {
	local ns
	# also the ones made in a $(cx_netns_add ...) subshell, whose list entry was lost
	for ns in "${cx_netns[@]}" $(ip netns list 2>/dev/null | awk '{print $1}' | grep -- "^cxt-.*-$$\$"); do
		ip netns del "$ns" 2>/dev/null
	done
	cx_netns=()
}
