#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A raw generic netlink client for tests that must send what cxip never would.

Constants come from uapi/linux/cxnet.h (parsed here), never copied.
"""
import os
import re
import socket
import struct

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLA_F_NESTED = 0x8000


def uapi_constants(path=None):
    """Enum members and simple #defines of uapi/linux/cxnet.h as a dict."""
    if path is None:
        path = os.path.join(os.path.dirname(__file__), "..", "..", "uapi", "linux", "cxnet.h")
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    consts = {}
    for body in re.findall(r"enum\s+\w+\s*\{(.*?)\}", text, flags=re.S):
        value = -1
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item:
                name, expr = (x.strip() for x in item.split("=", 1))
                value = int(eval(expr, {}, consts))
            else:
                name = item
                value += 1
            consts[name] = value
    for name, expr in re.findall(r"#define\s+(\w+)\s+([\w\s()+\-<>]+?)\s*$", text, flags=re.M):
        expr = re.sub(r"\b(\d+)U?L*L?\b", r"\1", expr)
        try:
            consts[name] = int(eval(expr, {}, dict(consts)))
        except (NameError, SyntaxError):
            pass
    for name, expr in re.findall(r'#define\s+(\w+)\s+"([^"]*)"', text):
        consts[name] = expr
    return consts


def attr(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def attr_str(atype, s):
    return attr(atype, s.encode() + b"\0")


def attr_u32(atype, v):
    return attr(atype, struct.pack("=I", v))


def attr_s64(atype, v):
    return attr(atype, struct.pack("=q", v))


def attr_nest(atype, *children):
    return attr(atype | NLA_F_NESTED, b"".join(children))


def parse_attrs(data):
    out = {}
    while len(data) >= 4:
        alen, atype = struct.unpack_from("=HH", data)
        if alen < 4:
            break
        out.setdefault(atype & 0x3FFF, []).append(data[4:alen])
        data = data[(alen + 3) & ~3:]
    return out


class Reply:
    def __init__(self, error=0, msg=None, offs=None, miss_type=None, messages=()):
        self.error, self.msg, self.offs, self.miss_type = error, msg, offs, miss_type
        self.messages = list(messages)  # (cmd, attrs) of data replies

    def __repr__(self):
        return f"Reply(error={self.error}, msg={self.msg!r}, offs={self.offs}, miss_type={self.miss_type})"


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 1

    def close(self):
        self.sock.close()

    def request(self, family_id, cmd, payload=b"", version=1, flags=NLM_F_REQUEST | NLM_F_ACK,
                reserved=0):
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, reserved) + payload
        msg = struct.pack("=IHHII", 16 + len(body), family_id, flags, self.seq, 0) + body
        self.sock.send(msg)
        return self._receive(self.seq)

    def _receive(self, seq):
        messages = []
        while True:
            data = self.sock.recv(65536)
            while len(data) >= 16:
                mlen, mtype, mflags, mseq, _ = struct.unpack_from("=IHHII", data)
                m = data[:mlen]
                data = data[(mlen + 3) & ~3:]
                if mseq != seq:
                    continue
                if mtype in (NLMSG_DONE, NLMSG_ERROR):
                    # NLMSG_DONE ends a dump with its errno (a dump refused after it started)
                    # and the extack right after it; NLMSG_ERROR quotes the request first.
                    err = struct.unpack_from("=i", m, 16)[0] if len(m) >= 20 else 0
                    reply = Reply(err, messages=messages)
                    if mflags & NLM_F_ACK_TLVS:
                        if mtype == NLMSG_DONE:
                            tlvs = parse_attrs(m[20:])
                        else:
                            inner_len = 16 if mflags & NLM_F_CAPPED else struct.unpack_from("=I", m, 20)[0]
                            tlvs = parse_attrs(m[20 + ((inner_len + 3) & ~3):])
                        if NLMSGERR_ATTR_MSG in tlvs:
                            reply.msg = tlvs[NLMSGERR_ATTR_MSG][0].rstrip(b"\0").decode()
                        if NLMSGERR_ATTR_OFFS in tlvs:
                            reply.offs = struct.unpack("=I", tlvs[NLMSGERR_ATTR_OFFS][0])[0]
                        if NLMSGERR_ATTR_MISS_TYPE in tlvs:
                            reply.miss_type = struct.unpack("=I", tlvs[NLMSGERR_ATTR_MISS_TYPE][0])[0]
                    return reply
                messages.append((m[16], parse_attrs(m[20:])))

    def family_id(self, name):
        r = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, attr_str(CTRL_ATTR_FAMILY_NAME, name))
        if r.error or not r.messages:
            raise OSError(-r.error, f"genl family {name} not found")
        return struct.unpack("=H", r.messages[0][1][CTRL_ATTR_FAMILY_ID][0][:2])[0]
