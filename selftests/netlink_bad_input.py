#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Malformed cxnet generic netlink requests get an errno and an extack message, never a crash.

Needs root and the cxnet module loaded (netlink_bad_input.sh loads it).
"""
import errno
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
import genl  # noqa: E402

C = genl.uapi_constants()
NAME = "net.ipv4.ip_local_port_range"

results = []


def point(name, ok, detail=""):
    results.append((name, ok, detail))


def expect(name, reply, err, msg_part=None):
    ok = reply.error == -err and (msg_part is None or (reply.msg and msg_part in reply.msg))
    point(name, ok, repr(reply))


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
