#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The configuration commands of the cxnet genl family, end to end at the netlink level.

What cxip does not show: dumps paged over several skbs (cb->args cursors), multipath
nests, `route get` replies, per-link counters, and the events multicast for each change.
Runs in a netns holding a veth pair d0/d0p (netlink_config.sh sets it up).
"""
import collections
import errno
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
import genl  # noqa: E402

C = genl.uapi_constants()
DUMP = genl.NLM_F_REQUEST | genl.NLM_F_DUMP
NLM_F_EXCL, NLM_F_CREATE = 0x200, 0x400
CTRL_ATTR_MCAST_GROUPS, CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 7, 1, 2
NETLINK_ADD_MEMBERSHIP, SO_RCVBUFFORCE = 1, 33
ROUTES = 600  # several dump skbs' worth

results = []


def point(name, ok, detail=""):
    results.append((name, bool(ok), detail))


def A(name):
    return C["CXNET_A_" + name]


def CMD(name):
    return C["CXNET_CMD_" + name]


def u8(atype, v):
    return genl.attr(atype, struct.pack("=B", v))


def u16(atype, v):
    return genl.attr(atype, struct.pack("=H", v))


def u32(atype, v):
    return genl.attr_u32(atype, v)


def be32(atype, ip):
    return genl.attr(atype, socket.inet_aton(ip))


def get_u32(attrs, name):
    return struct.unpack("=I", attrs[A(name)][0][:4])[0]


CREATE = u32(A("REQUEST_FLAGS"), NLM_F_CREATE | NLM_F_EXCL)


def events_socket():
    ev = genl.Genl()
    r = ev.request(genl.GENL_ID_CTRL, genl.CTRL_CMD_GETFAMILY,
                   genl.attr_str(genl.CTRL_ATTR_FAMILY_NAME, C["CXNET_GENL_NAME"]))
    gid = None
    for grp in genl.parse_attrs(r.messages[0][1][CTRL_ATTR_MCAST_GROUPS][0]).values():
        a = genl.parse_attrs(grp[0])
        if a[CTRL_ATTR_MCAST_GRP_NAME][0].rstrip(b"\0").decode() == C["CXNET_GENL_MCGRP_EVENTS"]:
            gid = struct.unpack("=I", a[CTRL_ATTR_MCAST_GRP_ID][0])[0]
    ev.sock.setsockopt(genl.SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, gid)
    ev.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
    ev.sock.settimeout(1)
    return ev


def read_events(ev):
    cmds = []
    try:
        while True:
            data = ev.sock.recv(1 << 20)
            while len(data) >= 20:
                mlen = struct.unpack_from("=I", data)[0]
                cmds.append(data[16])
                data = data[(mlen + 3) & ~3:]
    except socket.timeout:
        pass
    return collections.Counter(cmds)


def main():
    g = genl.Genl()
    fid = g.family_id(C["CXNET_GENL_NAME"])
    ev = events_socket()
    d0 = socket.if_nametoindex("d0")
    dev = u32(A("IFINDEX"), d0)

    # links
    r = g.request(fid, CMD("LINK_ATTACH"), genl.attr_str(A("IFNAME"), "d0"))
    point("link_attach_by_name", r.error == 0, repr(r))
    r = g.request(fid, CMD("LINK_ATTACH"), dev)
    point("link_attach_twice_refused", r.error in (-errno.EEXIST, -errno.EBUSY) and r.msg, repr(r))
    r = g.request(fid, CMD("LINK_GET"), genl.attr_str(A("IFNAME"), "d0"))
    m = r.messages[0][1] if r.messages else {}
    point("link_get_fields", r.error == 0 and all(A(x) in m for x in (
        "IFINDEX", "IFNAME", "LINK_MTU", "LINK_ADDRESS", "LINK_FLAGS", "LINK_STATS", "COUNTERS")), repr(r))
    if A("COUNTERS") in m:
        entries = genl.parse_attrs(m[A("COUNTERS")][0]).get(C["CXNET_COUNTERS_A_ENTRY"], [])
        names = [genl.parse_attrs(e)[C["CXNET_COUNTER_A_NAME"]][0].rstrip(b"\0").decode() for e in entries]
        point("link_get_drop_counters", len(names) == len(set(names)) > 5 and all(names), f"names={names}")
        stats = genl.parse_attrs(m[A("LINK_STATS")][0])
        point("link_get_stats_u64", all(len(stats.get(C["CXNET_LINK_STAT_A_" + s], [b""])[0]) == 8
                                        for s in ("RX_PACKETS", "TX_PACKETS", "RX_DROPPED")), repr(stats))
        point("link_get_flags_up", get_u32(m, "LINK_FLAGS") & 1, repr(m))
    r = g.request(fid, CMD("LINK_GET"), flags=DUMP)
    point("link_dump", r.error == 0 and len(r.messages) == 1, repr(r))

    # addresses
    addr = dev + be32(A("ADDR_LOCAL"), "10.9.0.1") + u8(A("ADDR_PREFIXLEN"), 24)
    r = g.request(fid, CMD("ADDR_ADD"), addr + CREATE)
    point("addr_add", r.error == 0, repr(r))
    r = g.request(fid, CMD("ADDR_ADD"), addr + CREATE)
    point("addr_add_excl_exists", r.error == -errno.EEXIST and r.msg, repr(r))
    r = g.request(fid, CMD("ADDR_GET"), dev, flags=DUMP)
    point("addr_dump_filtered", r.error == 0 and len(r.messages) == 1 and
          r.messages[0][1][A("ADDR_LOCAL")][0] == socket.inet_aton("10.9.0.1"), repr(r))

    # routes: enough for several dump skbs
    gw = be32(A("RT_GATEWAY"), "10.9.0.254") + u32(A("RT_OIF"), d0)
    added = 0
    for i in range(ROUTES):
        dst = be32(A("RT_DST"), "172.%d.%d.0" % (16 + i // 256, i % 256)) + u8(A("RT_DST_LEN"), 24)
        r = g.request(fid, CMD("ROUTE_ADD"), dst + gw + CREATE)
        if r.error:
            break
        added += 1
    point("route_add_many", added == ROUTES, f"added={added} last={r!r}")
    r = g.request(fid, CMD("ROUTE_GET"), u32(A("RT_TABLE"), 254), flags=DUMP)
    keys = [(m[1][A("RT_DST")][0], m[1][A("RT_DST_LEN")][0]) for m in r.messages]
    point("route_dump_paged_complete", r.error == 0 and len(keys) == len(set(keys)) == ROUTES + 1,
          f"{r!r} routes={len(keys)} unique={len(set(keys))}")
    r = g.request(fid, CMD("ROUTE_GET"), u32(A("RT_TABLE"), 255), flags=DUMP)
    point("route_dump_table_filter", r.error == 0 and r.messages and
          all(get_u32(m[1], "RT_TABLE") == 255 for m in r.messages), repr(r))

    def nexthop(gwaddr):
        return genl.attr_nest(C["CXNET_MP_A_NEXTHOP"], be32(C["CXNET_NH_A_GATEWAY"], gwaddr) +
                              u32(C["CXNET_NH_A_IFINDEX"], d0) + u16(C["CXNET_NH_A_WEIGHT"], 2))
    mpdst = be32(A("RT_DST"), "192.168.77.0") + u8(A("RT_DST_LEN"), 24)
    r = g.request(fid, CMD("ROUTE_ADD"), mpdst + CREATE +
                  genl.attr_nest(A("RT_MULTIPATH"), *(nexthop("10.9.0.%d" % i) for i in (2, 3, 4))))
    point("route_add_multipath", r.error == 0, repr(r))
    r = g.request(fid, CMD("ROUTE_GET"), flags=DUMP)
    mp = [m[1] for m in r.messages if m[1][A("RT_DST")][0] == socket.inet_aton("192.168.77.0")]
    hops = genl.parse_attrs(mp[0][A("RT_MULTIPATH")][0]).get(C["CXNET_MP_A_NEXTHOP"], []) if mp and \
        A("RT_MULTIPATH") in mp[0] else []
    point("route_dump_multipath_nest", len(hops) == 3 and all(
        genl.parse_attrs(h)[C["CXNET_NH_A_WEIGHT"]][0][:2] == struct.pack("=H", 2) for h in hops), repr(mp))

    r = g.request(fid, CMD("ROUTE_GET"), be32(A("RT_DST"), "172.16.3.9") + u32(A("RT_MARK"), 7))
    m = r.messages[0][1] if r.messages else {}
    point("route_get_answer", r.error == 0 and m.get(A("RT_DST")) == [socket.inet_aton("172.16.3.9")] and
          m.get(A("RT_DST_LEN")) == [b"\x20"] and m.get(A("RT_GATEWAY")) == [socket.inet_aton("10.9.0.254")] and
          m.get(A("RT_PREFSRC")) == [socket.inet_aton("10.9.0.1")] and get_u32(m, "RT_OIF") == d0 and
          get_u32(m, "RT_MARK") == 7 and A("RT_RULE_PREF") in m and get_u32(m, "RT_TABLE") == 254, repr(r))
    dst3 = be32(A("RT_DST"), "172.16.3.0") + u8(A("RT_DST_LEN"), 24)
    r = g.request(fid, CMD("ROUTE_DEL"), dst3)
    point("route_del", r.error == 0, repr(r))
    r = g.request(fid, CMD("ROUTE_DEL"), dst3)
    point("route_del_again_ESRCH", r.error == -errno.ESRCH, repr(r))

    # rules
    r = g.request(fid, CMD("RULE_GET"), flags=DUMP)
    point("rule_dump_defaults", r.error == 0 and sorted(get_u32(m[1], "RULE_PREF") for m in r.messages) ==
          [0, 32766, 32767], repr(r))
    r = g.request(fid, CMD("RULE_ADD"), u32(A("RULE_PREF"), 100) + u32(A("RULE_TABLE"), 100) +
                  be32(A("RULE_SRC"), "10.9.0.0") + u8(A("RULE_SRC_LEN"), 24) +
                  u16(A("RULE_DPORT_START"), 80) + CREATE)
    point("rule_add", r.error == 0, repr(r))
    r = g.request(fid, CMD("RULE_GET"), flags=DUMP)
    new = [m[1] for m in r.messages if get_u32(m[1], "RULE_PREF") == 100]
    point("rule_dump_shows_it", len(new) == 1 and new[0].get(A("RULE_SRC_LEN")) == [b"\x18"] and
          new[0].get(A("RULE_DPORT_END")) == [struct.pack("=H", 80)], repr(new))
    r = g.request(fid, CMD("RULE_DEL"), u32(A("RULE_PREF"), 100))
    point("rule_del", r.error == 0, repr(r))

    # neighbours
    nb = dev + be32(A("NEIGH_DST"), "10.9.0.254")
    r = g.request(fid, CMD("NEIGH_ADD"), nb + genl.attr(A("NEIGH_LLADDR"), b"\x02\0\0\0\0\x01") + CREATE)
    point("neigh_add", r.error == 0, repr(r))
    r = g.request(fid, CMD("NEIGH_GET"), dev, flags=DUMP)
    perm = [m[1] for m in r.messages if m[1][A("NEIGH_DST")][0] == socket.inet_aton("10.9.0.254")]
    point("neigh_dump_permanent", len(perm) == 1 and perm[0][A("NEIGH_STATE")][0][:2] == struct.pack("=H", 0x80)
          and perm[0][A("NEIGH_LLADDR")][0][:6] == b"\x02\0\0\0\0\x01", repr(r))
    r = g.request(fid, CMD("NEIGH_DEL"), nb)
    point("neigh_del", r.error == 0, repr(r))

    # counters
    r = g.request(fid, CMD("STATS_GET"), flags=DUMP)
    groups = [m[1][A("STATS_GROUP")][0].rstrip(b"\0").decode() for m in r.messages]
    point("stats_one_message_per_group", r.error == 0 and len(groups) == len(set(groups)) and
          {"Ip", "Icmp", "Udp", "Arp"} <= set(groups), f"groups={groups}")

    # every change above was announced (a deleted neighbour: NEIGH_NEW in state FAILED so far;
    # Linux follows it with RTM_DELNEIGH)
    ev_count = read_events(ev)
    want = {"LINK_NEW": 1, "ADDR_NEW": 1, "ROUTE_NEW": ROUTES + 1, "ROUTE_GONE": 1, "RULE_NEW": 1,
            "RULE_GONE": 1, "NEIGH_NEW": 1}
    point("events_announced", all(ev_count[CMD(k)] >= v for k, v in want.items()),
          {k: ev_count[CMD(k)] for k in want})

    r = g.request(fid, CMD("LINK_DETACH"), dev)
    point("link_detach", r.error == 0, repr(r))
    r = g.request(fid, CMD("ROUTE_GET"), u32(A("RT_TABLE"), 254), flags=DUMP)
    point("detach_removes_routes", r.error == 0 and not r.messages, repr(r))
    r = g.request(fid, CMD("LINK_DETACH"), dev)
    point("link_detach_twice_ENODEV", r.error == -errno.ENODEV and r.msg, repr(r))
    ev_count = read_events(ev)
    point("detach_announced", ev_count[CMD("LINK_DEL")] == 1 and ev_count[CMD("ADDR_GONE")] == 1,
          dict(ev_count))
    g.close()
    ev.close()

    print("TAP version 13")
    print(f"1..{len(results)}")
    failed = 0
    for i, (name, ok, detail) in enumerate(results, 1):
        if not ok:
            print(f"# {name}: {detail}")
        print(f"{'ok' if ok else 'not ok'} {i} {name}")
        failed += not ok
    print(f"# netlink_config: {len(results) - failed} passed, {failed} failed, 0 skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
