#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Malformed cxnet generic netlink requests get an errno and an extack message, never a crash.

Needs root and the cxnet module loaded (netlink_bad_input.sh loads it).
"""
import errno
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
import genl  # noqa: E402

C = genl.uapi_constants()
NAME = "net.ipv4.ip_local_port_range"

results = []


def point(name, ok, detail=""):
    results.append((name, ok, detail))


def expect(name, reply, err, msg_part=None, miss_type=None):
    ok = reply.error == -err and (msg_part is None or (reply.msg and msg_part in reply.msg))
    ok = ok and (miss_type is None or reply.miss_type == miss_type)
    point(name, ok, repr(reply))


def A(name):
    return C["CXNET_A_" + name]


def CMD(name):
    return C["CXNET_CMD_" + name]


def u8(atype, v):
    return genl.attr(atype, struct.pack("=B", v))


def u16(atype, v):
    return genl.attr(atype, struct.pack("=H", v))


def be32(atype, ip):
    return genl.attr(atype, socket.inet_aton(ip))


def nexthop(gw=None, ifindex=None, weight=None):
    body = b""
    if gw is not None:
        body += be32(C["CXNET_NH_A_GATEWAY"], gw)
    if ifindex is not None:
        body += genl.attr_u32(C["CXNET_NH_A_IFINDEX"], ifindex)
    if weight is not None:
        body += u16(C["CXNET_NH_A_WEIGHT"], weight)
    return genl.attr_nest(C["CXNET_MP_A_NEXTHOP"], body)


DUMP = genl.NLM_F_REQUEST | genl.NLM_F_DUMP
NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE = 0x100, 0x200, 0x400
ADD_HDR = genl.NLM_F_REQUEST | genl.NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL  # rtnetlink's way: refused by genl


def config_cases(g, fid):
    """Links, addresses, routes, rules, neighbours: refused before anything changes."""
    lo = socket.if_nametoindex("lo")
    ifindex = genl.attr_u32(A("IFINDEX"), lo)

    # Sanity: good reads answer, so the failures below are about the input.
    r = g.request(fid, CMD("ROUTE_GET"), flags=DUMP)
    point("route_dump_answers", r.error == 0, repr(r))
    r = g.request(fid, CMD("STATS_GET"), flags=DUMP)
    groups = [m[1].get(A("STATS_GROUP"), [b""])[0].rstrip(b"\0").decode() for m in r.messages]
    point("stats_dump_answers", r.error == 0 and "Ip" in groups and len(set(groups)) == len(groups),
          f"{r!r} groups={groups}")

    # links
    expect("link_attach_missing_device", g.request(fid, CMD("LINK_ATTACH")), errno.EINVAL,
           "missing device", miss_type=A("IFINDEX"))
    expect("link_attach_no_such_ifindex",
           g.request(fid, CMD("LINK_ATTACH"), genl.attr_u32(A("IFINDEX"), 0x7ffffff0)), errno.ENODEV,
           "no such device")
    expect("link_attach_no_such_name", g.request(fid, CMD("LINK_ATTACH"), genl.attr_str(A("IFNAME"), "cxnope0")),
           errno.ENODEV, "no such device")
    expect("link_ifindex_above_int_max",
           g.request(fid, CMD("LINK_ATTACH"), genl.attr_u32(A("IFINDEX"), 0x80000000)), errno.ERANGE,
           "out of range")
    expect("link_ifname_too_long", g.request(fid, CMD("LINK_DETACH"), genl.attr_str(A("IFNAME"), "x" * 16)),
           errno.EINVAL, "policy validation")
    expect("link_ifindex_wrong_length", g.request(fid, CMD("LINK_GET"), u16(A("IFINDEX"), lo)), errno.EINVAL,
           "invalid attribute length")
    expect("link_reply_only_mtu_refused", g.request(fid, CMD("LINK_GET"), ifindex + genl.attr_u32(A("LINK_MTU"), 1500)),
           errno.EINVAL, "Unsupported attribute")
    expect("link_get_not_attached", g.request(fid, CMD("LINK_GET"), ifindex), errno.ENODEV, "not attached")

    # addresses
    local = be32(A("ADDR_LOCAL"), "192.0.2.1")
    expect("addr_prefixlen_33", g.request(fid, CMD("ADDR_ADD"), ifindex + local + u8(A("ADDR_PREFIXLEN"), 33)),
           errno.ERANGE, "out of range")
    expect("addr_local_wrong_length",
           g.request(fid, CMD("ADDR_ADD"), ifindex + genl.attr(A("ADDR_LOCAL"), b"\xc0\x00\x02")),
           errno.EINVAL, "invalid attribute length")
    expect("addr_add_missing_device", g.request(fid, CMD("ADDR_ADD"), local), errno.EINVAL, "missing device",
           miss_type=A("IFINDEX"))
    expect("addr_del_missing_address", g.request(fid, CMD("ADDR_DEL"), ifindex), errno.EINVAL,
           "missing address", miss_type=A("ADDR_LOCAL"))
    expect("addr_label_too_long",
           g.request(fid, CMD("ADDR_ADD"), ifindex + local + genl.attr_str(A("ADDR_LABEL"), "lo:" + "x" * 13)),
           errno.EINVAL, "policy validation")
    expect("addr_reply_only_flags_refused",
           g.request(fid, CMD("ADDR_ADD"), ifindex + local + genl.attr_u32(A("ADDR_FLAGS"), 0x80)),
           errno.EINVAL, "Unsupported attribute")
    # NLM_F_CREATE|EXCL travel in CXNET_A_REQUEST_FLAGS; the stack's refusal keeps its message.
    create_excl = genl.attr_u32(A("REQUEST_FLAGS"), NLM_F_CREATE | NLM_F_EXCL)
    r = g.request(fid, CMD("ADDR_ADD"), ifindex + local + create_excl)
    point("addr_add_unattached_link_has_message", r.error == -errno.ENODEV and bool(r.msg), repr(r))
    expect("request_flags_reserved_bit", g.request(fid, CMD("ADDR_ADD"), ifindex + local +
                                                   genl.attr_u32(A("REQUEST_FLAGS"), 0x1)),
           errno.EINVAL, "reserved bit set")
    expect("request_flags_wrong_length", g.request(fid, CMD("ADDR_ADD"), ifindex + local +
                                                   u16(A("REQUEST_FLAGS"), NLM_F_CREATE)),
           errno.EINVAL, "invalid attribute length")
    expect("addr_dump_bad_filter", g.request(fid, CMD("ADDR_GET"), u8(A("IFINDEX"), 1), flags=DUMP),
           errno.EINVAL, "invalid attribute length")

    # routes
    dst = be32(A("RT_DST"), "198.51.100.0") + u8(A("RT_DST_LEN"), 24)
    expect("route_table_as_u8", g.request(fid, CMD("ROUTE_ADD"), dst + u8(A("RT_TABLE"), 100)), errno.EINVAL,
           "invalid attribute length")
    expect("route_dump_table_as_u8", g.request(fid, CMD("ROUTE_GET"), u8(A("RT_TABLE"), 254), flags=DUMP),
           errno.EINVAL, "invalid attribute length")
    expect("route_unknown_type", g.request(fid, CMD("ROUTE_ADD"), dst + u8(A("RT_TYPE"), 200)), errno.ERANGE,
           "out of range")
    expect("route_dst_len_33", g.request(fid, CMD("ROUTE_ADD"), be32(A("RT_DST"), "198.51.100.0") +
                                         u8(A("RT_DST_LEN"), 33)), errno.ERANGE, "out of range")
    expect("route_nh_flags_reserved", g.request(fid, CMD("ROUTE_ADD"), dst + u8(A("RT_NH_FLAGS"), 1)),
           errno.EINVAL, "reserved bit set")
    expect("route_get_missing_dst", g.request(fid, CMD("ROUTE_GET")), errno.EINVAL, "missing destination",
           miss_type=A("RT_DST"))
    expect("route_get_dst_wrong_length", g.request(fid, CMD("ROUTE_GET"), genl.attr(A("RT_DST"), b"\x0a\x00")),
           errno.EINVAL, "invalid attribute length")
    expect("route_reply_only_rule_pref", g.request(fid, CMD("ROUTE_GET"), be32(A("RT_DST"), "192.0.2.9") +
                                                   genl.attr_u32(A("RT_RULE_PREF"), 0)),
           errno.EINVAL, "Unsupported attribute")
    mp = lambda *nhs: genl.attr_nest(A("RT_MULTIPATH"), *nhs)  # noqa: E731
    expect("route_multipath_empty", g.request(fid, CMD("ROUTE_ADD"), dst + mp()), errno.EINVAL,
           "no valid nexthops")
    many = [nexthop("192.0.2.%d" % (i + 1), lo) for i in range(C["CXNET_MULTIPATH_MAX"] + 1)]
    expect("route_multipath_too_many", g.request(fid, CMD("ROUTE_ADD"), dst + mp(*many)), errno.EINVAL,
           "too many nexthops")
    expect("route_multipath_weight_0", g.request(fid, CMD("ROUTE_ADD"), dst + mp(nexthop("192.0.2.1", lo, 0))),
           errno.ERANGE, "out of range")
    expect("route_multipath_weight_257",
           g.request(fid, CMD("ROUTE_ADD"), dst + mp(nexthop("192.0.2.1", lo, 257))), errno.ERANGE, "out of range")
    expect("route_multipath_unknown_nested_type",
           g.request(fid, CMD("ROUTE_ADD"), dst + mp(genl.attr_nest(C["CXNET_MP_A_NEXTHOP"], genl.attr_u32(9, 1)))),
           errno.EINVAL, "Unknown attribute type")
    expect("route_multipath_not_nested",
           g.request(fid, CMD("ROUTE_ADD"), dst + genl.attr(A("RT_MULTIPATH"), nexthop("192.0.2.1", lo))),
           errno.EINVAL, "NLA_F_NESTED is missing")
    expect("route_multipath_gateway_mismatch",
           g.request(fid, CMD("ROUTE_ADD"), dst + be32(A("RT_GATEWAY"), "192.0.2.7") +
                     mp(nexthop("192.0.2.1", lo), nexthop("192.0.2.2", lo))),
           errno.EINVAL, "does not match")
    # An unreachable destination is an answer, not bad input: ENETUNREACH without a message, as Linux.
    r = g.request(fid, CMD("ROUTE_GET"), be32(A("RT_DST"), "203.0.113.1"))
    point("route_get_unreachable", r.error == -errno.ENETUNREACH, repr(r))
    expect("route_get_iif_not_attached", g.request(fid, CMD("ROUTE_GET"), be32(A("RT_DST"), "203.0.113.1") +
                                                   genl.attr_u32(A("RT_IIF"), lo)),
           errno.ENODEV, "not attached")

    # rules
    expect("rule_action_out_of_range", g.request(fid, CMD("RULE_ADD"), u8(A("RULE_ACTION"), 99)), errno.ERANGE,
           "out of range")
    expect("rule_src_len_without_src", g.request(fid, CMD("RULE_ADD"), u8(A("RULE_SRC_LEN"), 24)),
           errno.EINVAL, "Invalid source address")
    expect("rule_dport_end_without_start", g.request(fid, CMD("RULE_ADD"), u16(A("RULE_DPORT_END"), 80)),
           errno.EINVAL, "Invalid dport range", miss_type=A("RULE_DPORT_START"))
    expect("rule_sport_inverted", g.request(fid, CMD("RULE_ADD"), u16(A("RULE_SPORT_START"), 2000) +
                                            u16(A("RULE_SPORT_END"), 1000)), errno.EINVAL, "Invalid sport range")
    expect("rule_flags_reserved", g.request(fid, CMD("RULE_ADD"), genl.attr_u32(A("RULE_FLAGS"), 1)),
           errno.EINVAL, "reserved bit set")

    # neighbours
    ndst = be32(A("NEIGH_DST"), "192.0.2.5")
    expect("neigh_add_missing_dst", g.request(fid, CMD("NEIGH_ADD"), ifindex), errno.EINVAL, "missing address",
           miss_type=A("NEIGH_DST"))
    expect("neigh_del_missing_device", g.request(fid, CMD("NEIGH_DEL"), ndst), errno.EINVAL, "missing device",
           miss_type=A("IFINDEX"))
    expect("neigh_lladdr_5_bytes", g.request(fid, CMD("NEIGH_ADD"), ifindex + ndst +
                                             genl.attr(A("NEIGH_LLADDR"), b"\x02\x00\x00\x00\x01")),
           errno.ERANGE, "size out of range")
    expect("neigh_state_reserved_bits", g.request(fid, CMD("NEIGH_ADD"), ifindex + ndst +
                                                  u16(A("NEIGH_STATE"), 0x100)), errno.EINVAL, "reserved bit set")
    expect("neigh_reply_only_probes", g.request(fid, CMD("NEIGH_ADD"), ifindex + ndst +
                                                genl.attr_u32(A("NEIGH_PROBES"), 1)),
           errno.EINVAL, "Unsupported attribute")
    expect("stats_reply_only_group", g.request(fid, CMD("STATS_GET"), genl.attr_str(A("STATS_GROUP"), "Ip"),
                                               flags=DUMP), errno.EINVAL, "Unsupported attribute")

    # netlink header: strict for every command (NLM_F_CREATE & co. go in CXNET_A_REQUEST_FLAGS),
    # reserved byte zero in dumps too
    expect("header_create_flag_refused_on_add", g.request(fid, CMD("ADDR_ADD"), ifindex + local, flags=ADD_HDR),
           errno.EINVAL, "ambiguous or reserved bits")
    expect("header_create_flag_refused_on_get", g.request(fid, CMD("ROUTE_GET"), be32(A("RT_DST"), "192.0.2.9"),
                                                          flags=ADD_HDR), errno.EINVAL, "ambiguous or reserved bits")
    expect("replace_flag_refused_on_del",
           g.request(fid, CMD("ADDR_DEL"), ifindex + local,
                     flags=genl.NLM_F_REQUEST | genl.NLM_F_ACK | NLM_F_REPLACE),
           errno.EINVAL, "ambiguous or reserved bits")
    expect("dump_reserved_header_field", g.request(fid, CMD("ROUTE_GET"), flags=DUMP, reserved=1), errno.EINVAL,
           "reserved field is not 0")
    expect("sysctl_dump_reserved_header_field", g.request(fid, C["CXNET_CMD_SYSCTL_GET"], flags=DUMP, reserved=1),
           errno.EINVAL, "reserved field is not 0")

    # Nothing above changed anything.
    r = g.request(fid, CMD("ADDR_GET"), flags=DUMP)
    point("no_address_added", r.error == 0 and not r.messages, repr(r))
    r = g.request(fid, CMD("NEIGH_GET"), flags=DUMP)
    point("no_neighbour_added", r.error == 0 and not r.messages, repr(r))
    r = g.request(fid, CMD("ROUTE_GET"), flags=DUMP)
    point("no_route_added", r.error == 0 and not any(
        m[1].get(A("RT_DST"), [b""])[0] == socket.inet_aton("198.51.100.0") for m in r.messages), repr(r))


def main():
    g = genl.Genl()
    fid = g.family_id(C["CXNET_GENL_NAME"])
    GET, SET = C["CXNET_CMD_SYSCTL_GET"], C["CXNET_CMD_SYSCTL_SET"]
    name_attr = genl.attr_str(C["CXNET_A_SYSCTL_NAME"], NAME)
    value = lambda v: genl.attr_s64(C["CXNET_SYSCTL_VALUE_A_INT"], v)  # noqa: E731
    values = lambda *vs: genl.attr_nest(C["CXNET_A_SYSCTL_VALUES"], *map(value, vs))  # noqa: E731

    # Sanity: a good request works, so the failures below are about the input.
    r = g.request(fid, GET, name_attr)
    point("good_get_answers", r.error == 0 and len(r.messages) == 1, repr(r))

    expect("unknown_attribute_type", g.request(fid, GET, name_attr + genl.attr_u32(C["CXNET_A_MAX"] + 7, 1)),
           errno.EINVAL, "")
    expect("reply_only_attribute_refused",
           g.request(fid, GET, name_attr + genl.attr_str(C["CXNET_A_INFO_VERSION"], "x")), errno.EINVAL, "")
    expect("name_without_nul", g.request(fid, GET, genl.attr(C["CXNET_A_SYSCTL_NAME"], b"net.ipv4.x")),
           errno.EINVAL, "")
    expect("name_too_long", g.request(fid, GET, genl.attr_str(C["CXNET_A_SYSCTL_NAME"], "n" * 300)),
           errno.EINVAL, "")
    expect("missing_name", g.request(fid, GET), errno.EINVAL, "missing tunable name")
    r = g.request(fid, GET)
    point("missing_name_reports_type", r.miss_type == C["CXNET_A_SYSCTL_NAME"], repr(r))
    expect("unknown_tunable", g.request(fid, GET, genl.attr_str(C["CXNET_A_SYSCTL_NAME"], "net.ipv4.nope")),
           errno.ENOENT, "unknown tunable")
    expect("set_missing_values", g.request(fid, SET, name_attr), errno.EINVAL, "missing value")
    expect("set_too_many_values", g.request(fid, SET, name_attr + values(2000, 3000, 4000)), errno.EINVAL,
           "too many values")
    expect("set_out_of_range", g.request(fid, SET, name_attr + values(70000, 1)), errno.EINVAL, "1..65535")
    r = g.request(fid, SET, name_attr + values(70000, 1))
    point("out_of_range_points_at_value", r.offs is not None and r.offs > 0, repr(r))
    expect("set_inverted_range", g.request(fid, SET, name_attr + values(5000, 4000)), errno.EINVAL,
           "must not be above")
    expect("value_wrong_size",
           g.request(fid, SET, name_attr + genl.attr_nest(C["CXNET_A_SYSCTL_VALUES"],
                                                         genl.attr_u32(C["CXNET_SYSCTL_VALUE_A_INT"], 5))),
           errno.EINVAL, "")
    expect("value_unknown_nested_type",
           g.request(fid, SET, name_attr + genl.attr_nest(C["CXNET_A_SYSCTL_VALUES"], genl.attr_s64(9, 5))),
           errno.EINVAL, "")
    expect("values_not_nested", g.request(fid, SET, name_attr + genl.attr_s64(C["CXNET_A_SYSCTL_VALUES"], 5)),
           errno.EINVAL, "")
    r = g.request(fid, C["CXNET_CMD_MAX"] + 3)
    point("unknown_command", r.error == -errno.EOPNOTSUPP, repr(r))
    r = g.request(fid, GET, name_attr, reserved=1)
    point("reserved_header_field", r.error == -errno.EINVAL, repr(r))
    # Truncated attribute: header says 40 bytes, 8 present.
    r = g.request(fid, GET, struct.pack("=HH", 40, C["CXNET_A_SYSCTL_NAME"]) + b"abcd")
    point("truncated_attribute", r.error == -errno.EINVAL, repr(r))

    # Nothing above changed the value.
    r = g.request(fid, GET, name_attr)
    vals = []
    if r.messages:
        nest = genl.parse_attrs(r.messages[0][1][C["CXNET_A_SYSCTL_VALUES"]][0])
        vals = [struct.unpack("=q", v)[0] for v in nest.get(C["CXNET_SYSCTL_VALUE_A_INT"], [])]
    point("value_unchanged", vals == [32768, 60999], f"values={vals}")

    config_cases(g, fid)
    g.close()

    print("TAP version 13")
    print(f"1..{len(results)}")
    failed = 0
    for i, (name, ok, detail) in enumerate(results, 1):
        print(f"# {name}: {detail}")
        print(f"{'ok' if ok else 'not ok'} {i} {name}")
        failed += not ok
    print(f"# netlink_bad_input: {len(results) - failed} passed, {failed} failed, 0 skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
