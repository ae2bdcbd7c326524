#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# KUnit: load module/cxnet_kunit.ko (its suites run at insmod), summarise the results with
# scripts/ktap-summary, unload it. The suites are the /sys/kernel/debug/kunit/cxnet*/ directories.
# 6.1's debugfs results keep only the last parameter of a parameterised case (kunit_init_test()
# clears the case log for every parameter; fixed upstream in 6.6), so the KTAP that KUnit printed
# to the kernel log during insmod is summarised; the debugfs results are the fallback, and their
# suite verdicts must agree.
# Needs a kernel with CONFIG_KUNIT (+ KUNIT_DEBUGFS): the debug kernel. On the stock kernel: skip (4).
#   scripts/vm-run --kernel=debug -- selftests/kunit.sh
# Exit: 0 all passed, 1 a failure (or nothing ran, or the module is missing / would not load), 4 skip.
cd "$(dirname "$0")/.." || exit 1
KSFT_FAIL=1
KSFT_SKIP=4
KO=${CXNET_KUNIT_KO:-module/cxnet_kunit.ko}
KUNIT_DIR=/sys/kernel/debug/kunit

echo "TAP version 13"
if [ ! -d "$KUNIT_DIR" ] && [ -d /sys/kernel/debug ] && ! mountpoint -q /sys/kernel/debug; then
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
fi
if [ ! -d "$KUNIT_DIR" ]; then
	echo "1..0 # SKIP kernel $(uname -r) has no CONFIG_KUNIT"
	echo "# SKIP kernel has no CONFIG_KUNIT; run: scripts/vm-run --kernel=debug -- selftests/kunit.sh"
	exit $KSFT_SKIP
fi
if [ ! -f "$KO" ]; then
	echo "1..0"
	echo "# FAIL: $KO missing (build it: make module-debug; scripts/vm-run --kernel=debug does)"
	exit $KSFT_FAIL
fi

grep -q '^cxnet_kunit ' /proc/modules && rmmod cxnet_kunit
mark="cxnet-kunit-start-$$-$RANDOM"
echo "<6>$mark" >/dev/kmsg
start=$(date +%s)
if ! out=$(insmod "$KO" 2>&1); then
	echo "1..0"
	echo "# FAIL: insmod $KO: $out"
	dmesg | tail -n 20 | sed 's/^/# dmesg: /'
	exit $KSFT_FAIL
fi
echo "# insmod $KO (suites run at load): $(( $(date +%s) - start ))s"

shopt -s nullglob
results=("$KUNIT_DIR"/cxnet*/results)
if [ ${#results[@]} -eq 0 ]; then
	echo "1..0"
	echo "# FAIL: no cxnet* suite in $KUNIT_DIR after insmod: $(ls "$KUNIT_DIR" | tr '\n' ' ')"
	rmmod cxnet_kunit
	exit $KSFT_FAIL
fi
suites=()
for r in "${results[@]}"; do suites+=("$(basename "$(dirname "$r")")"); done
echo "# suites: ${suites[*]}"

ktap=$(mktemp)
dmesg | sed -n "/$mark/,\$p" >"$ktap"
source=kernel-log
for s in "${suites[@]}"; do
	if ! grep -qE "^(\[ *[0-9]+\.[0-9]+\] )?(ok|not ok) [0-9]+ $s( #.*)?\$" "$ktap"; then
		echo "# suite $s has no verdict in the kernel log; summarising the debugfs results instead"
		source=debugfs
	fi
done
[ "$source" = debugfs ] && cat "${results[@]}" >"$ktap"
scripts/ktap-summary "$ktap"
rc=$?
rm -f "$ktap"
# the suite verdicts in debugfs must agree
for r in "${results[@]}"; do
	if grep -q '^not ok ' "$r" && [ "$rc" = 0 ]; then
		echo "# FAIL: $r reports a failed suite:"
		sed 's/^/#   /' "$r"
		rc=$KSFT_FAIL
	fi
done

if ! rmmod cxnet_kunit; then
	echo "# FAIL: rmmod cxnet_kunit"
	rc=$KSFT_FAIL
fi
[ "$rc" = 0 ] || rc=$KSFT_FAIL
exit $rc
