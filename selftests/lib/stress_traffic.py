#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Traffic for the stress selftests, run in a native netns against cxnet. Bounded in time;
every run prints what it sent on its last line (and exits 0), so a test can say what ran.

  stress_traffic.py udp DST_IP SECONDS [SEED]
      UDP datagrams of random length (0..1472, one in 16 up to 4000: fragmented) and random
      payload to DST_IP, ports 5000..5009 and random ones, about 2000 per second at most.

  stress_traffic.py frames IFNAME DST_MAC DST_IP SRC_IP SECONDS [SEED]
      Raw Ethernet frames out of IFNAME (AF_PACKET): random bytes behind an IPv4 or ARP
      ethertype, and valid frames (ICMP echo, UDP, IPv4 fragments of a 3000-byte echo, ARP
      requests and replies, IPv4 options) with random bytes flipped, fields set to edge values
      or the frame cut short. Mostly to DST_MAC, some broadcast or to a foreign MAC. Sources
      are SRC_IP and others, but no ARP frame claims SRC_IP (the peer keeps being answered).

A seed makes a run repeatable (the seed used is printed first). SIGTERM ends a run early (the
summary is still printed).
"""
import os
import random
import signal
import socket
import struct
import sys
import time

ETH_P_IP = 0x0800
ETH_P_ARP = 0x0806
stopping = False


def stop(*_):
    global stopping
    stopping = True


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def mac(text):
    return bytes(int(x, 16) for x in text.split(":"))


def ip(text):
    return socket.inet_aton(text)


def ipv4(src, dst, proto, payload, ident=0, frag=0, ttl=64, tos=0, opts=b""):
    ihl = 5 + len(opts) // 4
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, ihl * 4 + len(payload), ident, frag,
                      ttl, proto, 0, src, dst) + opts
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload


def icmp_echo(ident, seq, data):
    msg = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + data
    return msg[:2] + struct.pack("!H", csum(msg)) + msg[4:]


def udp(src, dst, sport, dport, data):
    length = 8 + len(data)
    pseudo = src + dst + struct.pack("!BBH", 0, 17, length)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    c = csum(pseudo + hdr + data) or 0xFFFF
    return hdr[:6] + struct.pack("!H", c) + data


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH6s4s6s4s", 1, ETH_P_IP, 6, 4, op, sha, spa, tha, tpa)


class Frames:
    def __init__(self, rng, dst_mac, dst_ip, src_ip):
        self.r = rng
        self.dst_mac = dst_mac
        self.dst_ip = dst_ip
        self.src_ip = src_ip
        self.src_mac = bytes([0x02, 0xCC]) + bytes(rng.getrandbits(8) for _ in range(4))

    def rand_bytes(self, n):
        return self.r.getrandbits(8 * n).to_bytes(n, "little") if n else b""

    def eth_dst(self):
        x = self.r.random()
        if x < 0.8:
            return self.dst_mac
        if x < 0.9:
            return b"\xff" * 6
        return bytes([0x02]) + self.rand_bytes(5)

    def src_addr(self):
        x = self.r.random()
        if x < 0.6:
            return self.src_ip
        if x < 0.8:
            return self.src_ip[:3] + bytes([self.r.randrange(256)])
        return self.rand_bytes(4)  # anything: 0.0.0.0, multicast, loopback, broadcast, ...

    def eth(self, etype, payload):
        src = self.src_mac if self.r.random() < 0.7 else bytes([0x02]) + self.rand_bytes(5)
        return self.eth_dst() + src + struct.pack("!H", etype) + payload

    def valid(self):
        """(kind, a valid frame)"""
        r = self.r
        kind = r.choice(("icmp", "udp", "frag", "arp", "opts"))
        src = self.src_addr()
        if kind == "icmp":
            p = ipv4(src, self.dst_ip, 1, icmp_echo(r.randrange(65536), r.randrange(65536),
                                                    self.rand_bytes(r.randrange(0, 200))),
                     ident=r.randrange(65536))
            return kind, self.eth(ETH_P_IP, p)
        if kind == "udp":
            dport = r.choice((5000 + r.randrange(10), r.randrange(65536)))
            p = ipv4(src, self.dst_ip, 17, udp(src, self.dst_ip, r.randrange(65536), dport,
                                               self.rand_bytes(r.randrange(0, 300))),
                     ident=r.randrange(65536))
            return kind, self.eth(ETH_P_IP, p)
        if kind == "frag":
            # one fragment of a 3000-byte echo request (1480-byte pieces), or a random one; from
            # sources other than SRC_IP, so that real fragments of SRC_IP are never joined
            src = self.src_ip[:3] + bytes([(self.src_ip[3] + 1 + r.randrange(4)) % 256])
            body = icmp_echo(r.randrange(65536), 1, self.rand_bytes(2992))
            ident = r.randrange(8)  # few idents: fragments of one datagram meet
            part = r.randrange(3)
            off = part * 1480
            chunk = body[off:off + 1480]
            mf = 0x2000 if part < 2 else 0
            if r.random() < 0.3:
                off = r.randrange(0, 65528) & ~7
                chunk = self.rand_bytes(r.randrange(8, 1480) & ~7)
                mf = r.choice((0, 0x2000))
            p = ipv4(src, self.dst_ip, 1, chunk, ident=ident, frag=mf | (off >> 3))
            return kind, self.eth(ETH_P_IP, p)
        if kind == "arp":
            src = self.src_ip[:3] + bytes([0x80 | r.randrange(128)])  # not SRC_IP: see below
            op = r.choice((1, 2))
            tpa = self.dst_ip if r.random() < 0.8 else self.rand_bytes(4)
            p = arp(op, self.src_mac, src, b"\0" * 6 if op == 1 else self.dst_mac, tpa)
            return kind, self.eth(ETH_P_ARP, p)
        # IPv4 options: random option bytes (padded to 4), an echo behind them
        opts = self.rand_bytes(4 * r.randrange(1, 11))
        p = ipv4(src, self.dst_ip, 1, icmp_echo(1, 1, b"x" * 8), ident=r.randrange(65536),
                 opts=opts)
        return kind, self.eth(ETH_P_IP, p)

    def mutate(self, frame):
        r = self.r
        b = bytearray(frame)
        how = r.random()
        if how < 0.6:
            for _ in range(r.randint(1, 4)):
                # mostly in the headers (Ethernet + IPv4 + transport)
                hi = min(len(b), 14 + 60 + 8) if r.random() < 0.8 else len(b)
                if hi > 14:
                    b[r.randrange(14, hi)] ^= 1 << r.randrange(8)
        elif how < 0.8:
            # a header field set to an edge value
            edges = (0, 1, 0x7F, 0x80, 0xFF)
            for _ in range(r.randint(1, 3)):
                if len(b) > 14:
                    b[r.randrange(14, min(len(b), 14 + 40))] = r.choice(edges)
        else:
            # cut short, or grown with garbage
            if r.random() < 0.7:
                del b[r.randrange(14, max(15, len(b))):]
            else:
                b += self.rand_bytes(r.randrange(1, 64))
        return bytes(b)

    def next(self):
        x = self.r.random()
        if x < 0.15:
            return "ipv4-random", self.eth(ETH_P_IP, self.rand_bytes(self.r.randrange(0, 200)))
        if x < 0.25:
            # random bytes behind a plausible version/IHL byte
            p = bytes([0x45]) + self.rand_bytes(self.r.randrange(19, 120))
            return "ipv4-random", self.eth(ETH_P_IP, p)
        if x < 0.35:
            return "arp-random", self.eth(ETH_P_ARP, self.rand_bytes(self.r.randrange(0, 60)))
        kind, frame = self.valid()
        if x < 0.45:
            return kind + "-valid", frame
        return kind + "-mutated", self.not_from_peer(self.mutate(frame))

    def not_from_peer(self, frame):
        """No ARP sender address SRC_IP: it would move SRC_IP's neighbour entry to a MAC that
        nobody has (as on Linux) and the peer would get no answers until it is probed again."""
        if len(frame) >= 32 and frame[12:14] == b"\x08\x06" and frame[28:32] == self.src_ip:
            frame = frame[:31] + bytes([frame[31] ^ 0x80]) + frame[32:]
        return frame


def run_frames(ifname, dst_mac, dst_ip, src_ip, seconds, seed):
    rng = random.Random(seed)
    gen = Frames(rng, mac(dst_mac), ip(dst_ip), ip(src_ip))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((ifname, 0))
    counts = {}
    errors = 0
    end = time.monotonic() + seconds
    n = 0
    while True:
        if n % 64 == 0 and (stopping or time.monotonic() >= end):
            break
        kind, frame = gen.next()
        try:
            s.send(frame)
            counts[kind] = counts.get(kind, 0) + 1
        except OSError:
            errors += 1  # e.g. ENOBUFS when the queue is full, EINVAL for short frames
            time.sleep(0.001)
        n += 1
    total = sum(counts.values())
    detail = " ".join(f"{k}={counts[k]}" for k in sorted(counts))
    print(f"frames sent={total} send_errors={errors} {detail}")


def run_udp(dst_ip, seconds, seed):
    rng = random.Random(seed)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sent = errors = 0
    end = time.monotonic() + seconds
    while not stopping and time.monotonic() < end:
        for _ in range(20):
            port = 5000 + rng.randrange(10) if rng.random() < 0.5 else rng.randrange(1, 65536)
            size = rng.randrange(0, 4000) if rng.random() < 1 / 16 else rng.randrange(0, 1473)
            try:
                s.sendto(rng.getrandbits(8 * size).to_bytes(size, "little"), (dst_ip, port))
                sent += 1
            except OSError:
                errors += 1  # ECONNREFUSED from an earlier port unreachable, ENOBUFS, ...
        time.sleep(0.01)
    print(f"udp sent={sent} send_errors={errors}")


def main(argv):
    signal.signal(signal.SIGTERM, stop)  # killed: stop and print what was sent
    if len(argv) >= 3 and argv[0] == "udp":
        seed = int(argv[3]) if len(argv) > 3 else int.from_bytes(os.urandom(4), "little")
        print(f"seed {seed}", flush=True)
        run_udp(argv[1], float(argv[2]), seed)
        return 0
    if len(argv) >= 6 and argv[0] == "frames":
        seed = int(argv[6]) if len(argv) > 6 else int.from_bytes(os.urandom(4), "little")
        print(f"seed {seed}", flush=True)
        run_frames(argv[1], argv[2], argv[3], argv[4], float(argv[5]), seed)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
