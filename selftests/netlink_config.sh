#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The configuration commands over raw generic netlink: dumps paged over several skbs,
# multipath nests, route get replies, link counters, and the events multicast.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
cx_require_root
cx_require_module_file
cx_load || exit 1
ns=cxt-config-$$
cleanup() { ip netns del "$ns" 2>/dev/null; }
trap cleanup EXIT
ip netns add "$ns" &&
	ip -n "$ns" link add d0 type veth peer name d0p &&
	ip -n "$ns" link set d0p up && ip -n "$ns" link set d0 up ||
	{ echo "# SKIP: cannot create a veth pair in a netns"; exit $KSFT_SKIP; }
ip netns exec "$ns" python3 selftests/netlink_config.py
rc=$?
cleanup
cx_unload
exit $rc
