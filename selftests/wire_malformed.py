#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Inject raw Ethernet frames (AF_PACKET) for selftests/wire_malformed.sh.

  wire_malformed.py IFACE DST_MAC SRC_IP DST_IP CASE COUNT

Sends COUNT instances of CASE out of IFACE (source MAC: IFACE's own) to DST_MAC:
  trunc_ip      IPv4 ethertype, 10 bytes of header
  bad_csum      an ICMP echo request with a wrong header checksum
  ihl4          IHL 4
  version6      version 6 in an IPv4 header
  totlen_big    total length 1000 in a 62-byte frame
  totlen_small  total length 10 (< the header)
  bad_option    IHL 6 with a timestamp option of length 3 (parameter problem)
  frag_overlap  two fragments of one datagram, the second overlapping the first
  frag_empty    a non-last fragment with 7 bytes of payload (nothing left after rounding)
  frag_dup      an echo request in two fragments, the first sent twice (then reassembled)
  otherhost     a valid echo request to another unicast MAC (02:00:00:00:00:99)
  tiny_arp      ARP ethertype, 10 bytes of payload
  arp_badop     a full ARP packet with opcode 9
Each instance uses its own IP identification, so fragments of different instances never meet.
"""
import random
import socket
import struct
import sys


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip_header(src, dst, payload_len, ident, proto=1, frag=0, ihl=5, version=4, total=None,
              options=b"", bad_csum=False):
    hlen = 20 + len(options)
    total = hlen + payload_len if total is None else total
    h = struct.pack("!BBHHHBBH4s4s", version << 4 | ihl, 0, total, ident, frag, 64, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst)) + options
    c = csum(h)
    if bad_csum:
        c ^= 0x5a5a
    return h[:10] + struct.pack("!H", c) + h[12:]


def echo_request(ident, seq, data_len):
    data = bytes((i * 7 + seq) & 0xff for i in range(data_len))
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    c = csum(hdr + data)
    return hdr[:2] + struct.pack("!H", c) + hdr[4:] + data


def frames(case, src, dst, ident):
    """The IP (or ARP) payloads of one instance: a list of (ethertype, bytes, dst_override)."""
    icmp = echo_request(ident, 1, 16)
    whole = ip_header(src, dst, len(icmp), ident) + icmp
    if case == "trunc_ip":
        return [(0x0800, whole[:10], None)]
    if case == "bad_csum":
        return [(0x0800, ip_header(src, dst, len(icmp), ident, bad_csum=True) + icmp, None)]
    if case == "ihl4":
        return [(0x0800, ip_header(src, dst, len(icmp), ident, ihl=4) + icmp, None)]
    if case == "version6":
        return [(0x0800, ip_header(src, dst, len(icmp), ident, version=6) + icmp, None)]
    if case == "totlen_big":
        return [(0x0800, ip_header(src, dst, len(icmp), ident, total=1000) + icmp, None)]
    if case == "totlen_small":
        return [(0x0800, ip_header(src, dst, len(icmp), ident, total=10) + icmp, None)]
    if case == "bad_option":
        opt = bytes([0x44, 0x03, 0x05, 0x00])
        return [(0x0800, ip_header(src, dst, len(icmp), ident, ihl=6, options=opt) + icmp, None)]
    if case == "frag_overlap":
        a = ip_header(src, dst, 16, ident, frag=0x2000) + icmp[:16]
        b = ip_header(src, dst, 16, ident, frag=0x2000 | 1) + bytes(16)
        return [(0x0800, a, None), (0x0800, b, None)]
    if case == "frag_empty":
        return [(0x0800, ip_header(src, dst, 7, ident, frag=0x2000) + icmp[:7], None)]
    if case == "frag_dup":
        a = ip_header(src, dst, 16, ident, frag=0x2000) + icmp[:16]
        b = ip_header(src, dst, 8, ident, frag=2) + icmp[16:24]
        return [(0x0800, a, None), (0x0800, a, None), (0x0800, b, None)]
    if case == "otherhost":
        return [(0x0800, whole, "02:00:00:00:00:99")]
    if case == "tiny_arp":
        return [(0x0806, bytes(10), None)]
    if case == "arp_badop":
        return [(0x0806, None, None)]  # built by the caller (needs the MACs)
    raise SystemExit(f"unknown case {case}")


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def main(argv):
    if len(argv) != 6:
        print(__doc__, file=sys.stderr)
        return 2
    iface, dst_mac, src, dst, case, count = argv
    with open(f"/sys/class/net/{iface}/address") as f:
        src_mac = f.read().strip()
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    sent = 0
    base = random.randrange(1, 0xff00)
    for i in range(int(count)):
        for ethertype, payload, to in frames(case, src, dst, base + i):
            if payload is None:  # arp_badop
                payload = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 9, mac(src_mac),
                                      socket.inet_aton(src), bytes(6), socket.inet_aton(dst))
            frame = mac(to or dst_mac) + mac(src_mac) + struct.pack("!H", ethertype) + payload
            s.send(frame)
            sent += 1
    print(f"sent {sent} frames")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
