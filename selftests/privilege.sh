#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Changes need CAP_NET_ADMIN in the user namespace owning the netns; reads need nothing.
cd "$(dirname "$0")/.." || exit 1
. selftests/lib/ktap.sh
cx_require_root
cx_require_module_file
cx_load || exit 1
command -v setpriv >/dev/null || { echo "# SKIP: setpriv missing (util-linux; scripts/setup.sh)"; exit $KSFT_SKIP; }
CXIP=$(command -v cxip)
NAME=net.ipv4.ip_local_port_range

ktap_header 8
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all "$@"; }

expect_fail "unprivileged_write_EPERM" 2 "Operation not permitted" nobody "$CXIP" sysctl -w $NAME="2000 3000"
check "unprivileged_read_works" nobody "$CXIP" sysctl $NAME
check "unprivileged_info_works" nobody "$CXIP" info
# Root without CAP_NET_ADMIN is refused as well.
expect_fail "root_without_cap_net_admin_EPERM" 2 "Operation not permitted" \
	setpriv --inh-caps=-net_admin --bounding-set=-net_admin "$CXIP" sysctl -w $NAME="2000 3000"
v=$(cxip sysctl -n $NAME | tr -s '\t ' ' ')
[ "$v" = "32768 60999" ] && ktap_ok "refused_writes_changed_nothing" || ktap_fail "refused_writes_changed_nothing" "v=$v"

# Root of a new user namespace owns a netns created with it: it may change that netns...
if unshare -U -r -n true 2>/dev/null; then
	check "userns_root_writes_own_netns" unshare -U -r -n sh -c \
		"'$CXIP' sysctl -w $NAME='2000 3000' >/dev/null && '$CXIP' sysctl -n $NAME | grep -q 2000"
	# ...but not the initial netns, owned by the initial user namespace.
	expect_fail "userns_root_cannot_write_init_netns" 2 "Operation not permitted" \
		unshare -U -r "$CXIP" sysctl -w $NAME="2000 3000"
	v=$(cxip sysctl -n $NAME | tr -s '\t ' ' ')
	[ "$v" = "32768 60999" ] && ktap_ok "init_netns_unchanged" || ktap_fail "init_netns_unchanged" "v=$v"
else
	ktap_skip "userns_root_writes_own_netns" "unprivileged user namespaces unavailable"
	ktap_skip "userns_root_cannot_write_init_netns" "unprivileged user namespaces unavailable"
	ktap_skip "init_netns_unchanged" "unprivileged user namespaces unavailable"
fi

cx_unload
ktap_finish
