#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
# Writes the small seed corpora of the fuzz targets (corpus/<target>/seed-N).
# Run once after changing a target's input format; the seeds are checked in.
import os, struct

here = os.path.dirname(os.path.abspath(__file__))

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def ipv4(proto, payload, src=0x0a000002, dst=0x0a000001, opts=b'', flags=0, ident=0x4242):
    ihl = 5 + len(opts) // 4
    hdr = struct.pack('!BBHHHBBHII', 0x40 | ihl, 0x10, 4 * ihl + len(payload), ident, flags,
                      64, proto, 0, src, dst) + opts
    hdr = hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:]
    return hdr + payload

def icmp(typ, code, rest, data):
    m = struct.pack('!BBHI', typ, code, 0, rest) + data
    return m[:2] + struct.pack('!H', csum(m)) + m[4:]

def udp(sport, dport, data):
    return struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data

def eth(typ, payload, dst=b'\xff' * 6, src=b'\x02\0\0\0\0\xaa'):
    return dst + src + struct.pack('!H', typ) + payload

def arp(op, sha, spa, tha, tpa):
    return struct.pack('!HHBBH', 1, 0x0800, 6, 4, op) + sha + struct.pack('!I', spa) + \
        tha + struct.pack('!I', tpa)

mac_a, mac_us = b'\x02\0\0\0\0\xaa', b'\x02\0\0\0\0\x01'
seeds = {}
seeds['wire'] = [
    eth(0x0800, ipv4(17, udp(1234, 53, b'hello'))),
    eth(0x0806, arp(1, mac_a, 0x0a000002, b'\0' * 6, 0x0a000001)),
    eth(0x0800, ipv4(1, icmp(8, 0, 1, b'ping'), opts=b'\x01\x01\x01\x00')),
    ipv4(17, udp(7, 7, b'')),
    eth(0x86dd, b'\x60' + b'\0' * 39),
]
seeds['ipv4_input'] = [
    b'\x00' + ipv4(1, icmp(8, 0, 0xbeef0001, b'x' * 32)),
    b'\x00' + ipv4(1, icmp(3, 3, 0, ipv4(17, udp(1, 2, b'abcdefgh'), src=0x0a000001,
                                          dst=0x0a000002)[:28])),
    b'\x00' + ipv4(1, icmp(0, 0, 7, b'')),
    b'\x01' + ipv4(17, udp(1, 2, b'z'), opts=b'\x83\x07\x04' + b'\0' * 4 + b'\x00'),
    b'\x00' + ipv4(1, icmp(11, 0, 0, b'\0' * 28), flags=0x2000),
    b'\x00' + ipv4(6, b'\0' * 20, opts=b'\x44\x0c\x05\x00' + b'\0' * 8) + b'pad',
]
def frag(ctl, off8, data, ecn=0):
    return bytes([ctl]) + struct.pack('!HH', off8, len(data)) + bytes([ecn]) + data
seeds['reassembly'] = [
    bytes([2]) + frag(0x80, 0, b'A' * 16) + frag(0x00, 2, b'B' * 5),
    bytes([3]) + frag(0x00, 2, b'B' * 8) + frag(0x80, 1, b'C' * 8) + frag(0x80, 0, b'A' * 8),
    bytes([3]) + frag(0x81, 0, b'A' * 16) + frag(0x80, 1, b'X' * 16) + frag(0x01, 2, b'B' * 8),
    bytes([2]) + frag(0xc0, 0, b'A' * 8, 1) + frag(0x50, 1, b'B' * 8, 3),
    bytes([4]) + frag(0x82, 0, b'A' * 8) + frag(0xa2, 0, b'A' * 8) + frag(0x02, 1, b'B') +
        frag(0x22, 1, b'B'),
]
def rec(ctl, frame):
    return bytes([ctl, len(frame)]) + frame
req = eth(0x0806, arp(1, mac_a, 0x0a000002, b'\0' * 6, 0x0a000001))
rep = eth(0x0806, arp(2, mac_a, 0x0a000002, mac_us, 0x0a000001), dst=mac_us)
grat = eth(0x0806, arp(1, mac_a, 0x0a000007, b'\0' * 6, 0x0a000007))
probe = eth(0x0806, arp(1, mac_a, 0, b'\0' * 6, 0x0a000001))
seeds['arp'] = [
    rec(0, req),
    rec(0, req) + rec(0x40, rep) + rec(0x40, rep),
    rec(0x20, grat) + rec(0x40, grat),
    rec(0x01, probe) + rec(0x06, req) + rec(0x10, req),
    rec(0xc0, req) + rec(0, req[:20]),
]
def op(o, addr, length, typ):
    return bytes([o]) + struct.pack('!I', addr) + bytes([length, typ])
seeds['route'] = [
    op(0, 0x0a000000, 8, 4) + op(0, 0x0a010000, 16, 4) + op(3, 0x0a010203, 0, 0),
    op(0, 0, 0, 4) + op(0, 0xc0a80000, 24, 0) + op(3, 0xc0a80001, 0, 0) +
        op(2, 0xc0a80000, 24, 0) + op(3, 0xc0a80001, 0, 0),
    op(0, 0x0a000001, 32, 1) + op(0, 0x0a000000, 31, 2) + op(0, 0x0a000000, 30, 3) +
        op(3, 0x0a000003, 0, 0),
    op(1, 0x80000000, 1, 4) + op(1, 0, 1, 4) + op(3, 0xffffffff, 0, 0) +
        op(2, 0x80000000, 1, 0) + op(3, 0xffffffff, 0, 0),
]
for target, items in seeds.items():
    d = os.path.join(here, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    for i, b in enumerate(items):
        with open(os.path.join(d, 'seed-%d' % i), 'wb') as f:
            f.write(b)
