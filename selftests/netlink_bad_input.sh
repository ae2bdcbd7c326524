#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Malformed generic netlink requests: each refused with an errno and an extack message.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
cx_require_root
cx_require_module_file
cx_load || exit 1
python3 selftests/netlink_bad_input.py
rc=$?
cx_unload
exit $rc
