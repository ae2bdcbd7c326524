#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Differential route test: the same random routes and rules in a native netns (`ip`) and in a
cxnet netns (`cxip`), then `route get` for random flows compared field by field.

  route_diff.py --native NS --cxnet NS [--seed N] [--routes N] [--queries N] [--cxip PATH]

Both namespaces must already have links l1 l2 l3 (up, attached to cxnet in the cxnet netns)
with the addresses of ADDRS below. Prints one "ok NAME" / "not ok NAME # WHY" line per check (the caller numbers them), 5 checks:
  1. every route/rule command gives the same result (failure and its message) on both sides
  2. `route show table all` lists the same routes (but Linux's own lo routes)
  3. `rule show` lists the same rules
  4. every `route get` (asked over cxnet's generic netlink, shaped as cxip prints it) gives
     the same type, destination, from, via, dev, table, src, mark (or the same error)
  5. the same through the cxip binary: every query with `cxip -batch`, else --cli-sample
Natively everything runs through `ip -force -batch`. Mismatches are printed grouped by kind
("#" lines: count, then the first examples).
"""
import argparse
import concurrent.futures
import ctypes
import errno
import os
import socket
import struct
import tempfile
import ipaddress
import random
import shutil
import re
import subprocess
import sys
import time

# name -> addresses (prefix length included); the first one of each subnet is primary
ADDRS = {
    "l1": ["10.10.1.1/24", "10.10.1.5/24", "10.11.1.1/24"],
    "l2": ["10.10.2.1/24"],
    "l3": ["10.10.3.1/24", "10.11.3.1/24"],
}
LINKS = list(ADDRS)
LOCAL = [a.split("/")[0] for addrs in ADDRS.values() for a in addrs]
SUBNETS = {dev: [ipaddress.ip_interface(a).network for a in addrs] for dev, addrs in ADDRS.items()}
TABLES = ["main", "100", "200", "300"]
POOLS = [ipaddress.ip_network(p) for p in
         ("10.20.0.0/16", "10.30.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "10.0.0.0/8")]
MARKS = [7, 0x10, 0x15, 9, 3, 0x100]
TYPES = {"unicast", "local", "broadcast", "multicast", "throw", "unreachable", "prohibit",
         "blackhole", "anycast", "nat"}


def rand_addr(rng, net):
    return ipaddress.ip_address(int(net.network_address) + rng.randrange(net.num_addresses))


def rand_prefix(rng):
    pool = rng.choice(POOLS)
    plen = rng.randint(max(pool.prefixlen, 8), 32)
    addr = rand_addr(rng, pool)
    return ipaddress.ip_network(f"{addr}/{plen}", strict=False)


def gen_routes(rng, n):
    cmds = []
    for _ in range(n):
        table = rng.choices(TABLES, weights=[4, 2, 2, 1])[0]
        pfx = rng.choice([rand_prefix(rng)] * 30 + [ipaddress.ip_network("0.0.0.0/0")])
        kind = rng.choices(["via", "viadev", "dev", "blackhole", "unreachable", "prohibit", "throw"],
                           weights=[40, 15, 12, 8, 8, 6, 5])[0]
        words = ["route", "add"]
        if kind in ("blackhole", "unreachable", "prohibit", "throw"):
            words += [kind, str(pfx)]
        else:
            words += [str(pfx)]
            dev = rng.choice(LINKS)
            if kind in ("via", "viadev"):
                subnet = rng.choice(SUBNETS[dev])
                gw = rand_addr(rng, subnet)
                while str(gw) in LOCAL or gw in (subnet.network_address, subnet.broadcast_address):
                    gw = rand_addr(rng, subnet)
                words += ["via", str(gw)]
                if kind == "viadev":
                    words += ["dev", dev]
            else:
                words += ["dev", dev]
            if rng.random() < 0.15:
                words += ["src", rng.choice(LOCAL)]
        if table != "main" or rng.random() < 0.2:
            words += ["table", table]
        if rng.random() < 0.25:
            words += ["metric", str(rng.choice([0, 5, 10, 100, 1024]))]
        cmds.append(words)
    return cmds


def gen_rules(rng):
    rules = [
        "rule add pref 100 from 10.11.1.0/24 table 100",
        "rule add pref 110 from 10.11.3.0/24 table 200",
        "rule add pref 120 fwmark 7 table 100",
        "rule add pref 130 fwmark 0x10/0xf0 table 300",
        "rule add pref 140 to 10.30.0.0/16 table 300",
        "rule add pref 150 from 10.10.3.1 to 172.16.0.0/12 table 200",
        "rule add pref 160 fwmark 9 unreachable",
        "rule add pref 170 fwmark 3 prohibit",
        "rule add pref 180 fwmark 0x100 blackhole",
        "rule add pref 190 not from 10.10.0.0/16 table 200",
        "rule add pref 200 from 10.10.2.1 fwmark 0x15 table 300",
        "rule add pref 40000 table 100",
    ]
    rng.shuffle(rules)
    return [r.split() for r in rules]


def gen_queries(rng, routes, n):
    prefixes = [ipaddress.ip_network(w[3] if w[2] in TYPES else w[2]) for w in routes]
    special = LOCAL + [str(s.broadcast_address) for subs in SUBNETS.values() for s in subs] + \
        [str(s.network_address) for subs in SUBNETS.values() for s in subs] + \
        ["10.10.1.77", "10.10.2.200", "10.11.3.9", "127.0.0.1", "255.255.255.255", "224.0.0.5"]
    queries = []
    for _ in range(n):
        r = rng.random()
        if r < 0.6:
            dst = str(rand_addr(rng, rng.choice(prefixes)))
        elif r < 0.8:
            dst = str(rand_addr(rng, rng.choice(POOLS)))
        elif r < 0.9:
            dst = rng.choice(special)
        else:
            dst = str(ipaddress.ip_address(rng.getrandbits(32)))
        words = ["route", "get", dst]
        r = rng.random()
        if r < 0.4:
            words += ["from", rng.choice(LOCAL)]
        elif r < 0.45:
            words += ["from", str(rand_addr(rng, rng.choice(POOLS)))]
        if rng.random() < 0.3:
            words += ["mark", str(rng.choice(MARKS))]
        queries.append(words)
    return queries


def run(tool, ns, words):
    cmd = ["ip", "-n", ns, *words] if tool == "ip" else [tool, "-n", ns, *words]
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr.strip()


def run_batch(tool, ns, lines, tmpdir):
    """`TOOL -n NS -force -batch FILE`: per line (rc, stdout, first error line), mapped through the
    "Command failed FILE:N" lines that ip prints after each failure."""
    path = os.path.join(tmpdir, f"batch-{tool.replace('/', '_')}-{ns}")
    with open(path, "w") as f:
        f.write("".join(" ".join(w) + "\n" for w in lines))
    p = subprocess.run([tool, "-n", ns, "-force", "-batch", path], capture_output=True, text=True)
    failed, msgs = {}, []
    for line in p.stderr.splitlines():
        m = re.match(r"Command failed (.*):(\d+)$", line)
        if m:
            failed[int(m.group(2))] = msgs[0] if msgs else "(no message)"
            msgs = []
        elif line.strip():
            msgs.append(line.strip())
    blocks = []
    for line in p.stdout.splitlines():
        if line[:1].isspace() and blocks:
            blocks[-1] += "\n" + line
        elif line.strip():
            blocks.append(line)
    out, b = [], 0
    for i, words in enumerate(lines, 1):
        if i in failed:
            out.append((2, "", failed[i]))
        elif words[1] == "get":
            out.append((0, blocks[b] if b < len(blocks) else "", ""))
            b += 1
        else:
            out.append((0, "", ""))
    return out


def has_batch(tool):
    return subprocess.run([tool, "-force", "-batch", "/dev/null"], capture_output=True).returncode == 0


ROUTE_KEYS = ("via", "dev", "src", "table", "from", "mark")


def parse_get(out):
    """The first line of `route get` as {type, dst, via, dev, src, table, from, mark}."""
    line = out.splitlines()[0] if out.strip() else ""
    tok = line.split()
    res = {"type": "unicast"}
    if tok and tok[0] in TYPES:
        res["type"] = tok.pop(0)
    if tok:
        res["dst"] = tok.pop(0)
    i = 0
    while i < len(tok):
        if tok[i] in ROUTE_KEYS and i + 1 < len(tok):
            res[tok[i]] = tok[i + 1]
            i += 2
        else:
            i += 1
    if res.get("table") == "main":
        del res["table"]
    return res


RTN_NAMES = {1: "unicast", 2: "local", 3: "broadcast", 4: "anycast", 5: "multicast",
             6: "blackhole", 7: "unreachable", 8: "prohibit", 9: "throw", 10: "nat"}
TABLE_NAMES = {253: "default", 254: "main", 255: "local"}


class CxnetGenl:
    """`route get` straight over cxnet's generic netlink family (no process per query), shaped
    as cxip prints it (cmd_route.cpp route_get()): used for the bulk of the queries when cxip
    has no -batch; a sample still goes through the cxip binary."""

    def __init__(self, ns):
        sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
        import genl
        self.genl = genl
        self.c = genl.uapi_constants()
        libc = ctypes.CDLL(None, use_errno=True)
        own = os.open("/proc/self/ns/net", os.O_RDONLY)
        target = os.open(f"/run/netns/{ns}", os.O_RDONLY)
        try:
            if libc.setns(target, 0x40000000) != 0:
                raise OSError(ctypes.get_errno(), "setns")
            self.nl = genl.Genl()
            self.fam = self.nl.family_id(self.c["CXNET_GENL_NAME"])
        finally:
            libc.setns(own, 0x40000000)
            os.close(own)
            os.close(target)
        self.ifnames = {}
        for line in subprocess.run(["ip", "-n", ns, "-o", "link", "show"], capture_output=True,
                                   text=True).stdout.splitlines():
            idx, name = line.split(":")[:2]
            self.ifnames[int(idx)] = name.strip().split("@")[0]

    def route_get(self, words):
        c, g = self.c, self.genl
        dst, src, mark = words[2], None, 0
        i = 3
        while i < len(words):
            if words[i] == "from":
                src = words[i + 1]
            elif words[i] == "mark":
                mark = int(words[i + 1], 0)
            i += 2
        payload = g.attr(c["CXNET_A_RT_DST"], socket.inet_aton(dst))
        if src:
            payload += g.attr(c["CXNET_A_RT_SRC"], socket.inet_aton(src))
        if mark:
            payload += g.attr_u32(c["CXNET_A_RT_MARK"], mark)
        r = self.nl.request(self.fam, c["CXNET_CMD_ROUTE_GET"], payload)
        if r.error:
            e = -r.error
            if r.msg and e not in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EACCES):
                return ("error", "Error: " + r.msg + ("" if r.msg.endswith(".") else "."))
            return ("error", "RTNETLINK answers: " + os.strerror(e))
        a = r.messages[0][1]

        def u32(key):
            return struct.unpack("=I", a[c[key]][0][:4])[0] if c[key] in a else None

        def ip4(key):
            return socket.inet_ntoa(a[c[key]][0][:4]) if c[key] in a else None

        res = {"type": RTN_NAMES.get(a[c["CXNET_A_RT_TYPE"]][0][0], "?"), "dst": dst}
        if ip4("CXNET_A_RT_GATEWAY"):
            res["via"] = ip4("CXNET_A_RT_GATEWAY")
        if u32("CXNET_A_RT_OIF"):
            res["dev"] = self.ifnames.get(u32("CXNET_A_RT_OIF"), str(u32("CXNET_A_RT_OIF")))
        table = u32("CXNET_A_RT_TABLE")
        if table and table != 254:
            res["table"] = TABLE_NAMES.get(table, str(table))
        prefsrc = ip4("CXNET_A_RT_PREFSRC")
        if prefsrc and prefsrc != src:
            res["src"] = prefsrc
        if src:
            res["from"] = src
        if mark:
            res["mark"] = f"0x{mark:x}" if mark >= 16 else str(mark)
        return res


def norm_show(out):
    """Route/rule listing lines, whitespace-normalised, sorted."""
    return sorted(" ".join(line.split()) for line in out.splitlines() if line.strip())


def canon(rc, out, err):
    """A command's answer: the parsed first line of `route get`, or ("error", message)."""
    if rc == 0:
        return parse_get(out)
    return ("error", err.splitlines()[0] if err else f"exit {rc}")


def show(ans):
    if isinstance(ans, tuple):
        return ans[1]
    words = [] if ans["type"] == "unicast" else [ans["type"]]
    words.append(ans.get("dst", "?"))
    for k in ("from", "via", "dev", "table", "src", "mark"):
        if k in ans:
            words += ["via" if k == "via" else k, ans[k]]
    return " ".join(words)


def report(name, mismatches, total):
    """mismatches: (category, text) pairs; prints each category with its count and first
    examples, then the test point."""
    if mismatches:
        cats = {}
        for cat, text in mismatches:
            cats.setdefault(cat, []).append(text)
        for cat, texts in sorted(cats.items(), key=lambda kv: -len(kv[1])):
            print(f"# [{len(texts)}x] {cat}")
            for text in texts[:3]:
                for line in text.splitlines():
                    print(f"#     {line}")
        print(f"not ok {name} # {len(mismatches)} of {total} differ")
        return False
    print(f"ok {name} ({total} compared)")
    return True


def category(gn, gc):
    if isinstance(gn, dict) and isinstance(gc, dict):
        keys = sorted(k for k in set(gn) | set(gc) if gn.get(k) != gc.get(k))
        return f"ip: {gn['type']}; differs in " + ", ".join(keys)
    return f"ip: {gn['type'] if isinstance(gn, dict) else gn[1]}; " \
        f"cxnet: {gc['type'] if isinstance(gc, dict) else gc[1]}"


def compare_gets(queries, native, cxnet, label):
    """native, cxnet: canonical answers (canon()); (category, text) for every difference."""
    mism = []
    for words, gn, gc in zip(queries, native, cxnet):
        if gn != gc:
            mism.append((category(gn, gc), f"{' '.join(words)}\n  ip:    {show(gn)}"
                         f"\n  {label}: {show(gc)}"))
    return mism


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--native", required=True)
    ap.add_argument("--cxnet", required=True)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--routes", type=int, default=300)
    ap.add_argument("--queries", type=int, default=1200)
    ap.add_argument("--cli-sample", type=int, default=100,
                    help="queries also run through the cxip binary when it has no -batch")
    ap.add_argument("--cxip", default="cxip")
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 31)
    print(f"# seed {seed} (ROUTE_DIFF_SEED={seed} selftests/route_diff.sh repeats this run)")
    rng = random.Random(seed)
    routes = gen_routes(rng, a.routes)
    rules = gen_rules(rng)
    queries = gen_queries(rng, routes, a.queries)
    batch = has_batch(a.cxip)
    tmp = tempfile.mkdtemp(prefix="route_diff.")
    ok = True

    # 1. load: ip -batch natively; cxip -batch, or one cxip per line
    t0 = time.monotonic()
    cmds = rules + routes
    native = run_batch("ip", a.native, cmds, tmp)
    if batch:
        cx = run_batch(a.cxip, a.cxnet, cmds, tmp)
    else:
        cx = [run(a.cxip, a.cxnet, w) for w in cmds]
    mism = []
    for words, (rn, _, en), (rc, _, ec) in zip(cmds, native, cx):
        if (rn != 0, en.splitlines()[0] if en else "") != (rc != 0, ec.splitlines()[0] if ec else ""):
            cat = f"ip: {en or 'ok'}; cxip: {ec or 'ok'}"
            mism.append((cat, f"{' '.join(words)}\n  ip:   rc={rn} {en}\n  cxip: rc={rc} {ec}"))
    failed = sum(1 for r in native if r[0])
    print(f"# {len(routes)} routes, {len(rules)} rules ({failed} refused natively), "
          f"cxip {'-batch' if batch else 'one process per line'} ({time.monotonic() - t0:.1f}s)")
    ok &= report("route/rule add: same result on both sides", mism, len(cmds))

    # 2. listings
    for what, words in (("routes", ["route", "show", "table", "all"]), ("rules", ["rule", "show"])):
        _, on, _ = run("ip", a.native, words)
        _, oc, _ = run(a.cxip, a.cxnet, words)
        ln, lc = norm_show(on), norm_show(oc)
        if what == "routes":
            # Linux's local table holds loopback routes of its own lo: not cxnet's
            ln = [x for x in ln if " dev lo " not in f" {x} "]
            lc = [x for x in lc if " dev lo " not in f" {x} "]
        sn, sc = set(ln), set(lc)
        m = [(f"{what}: only in ip", x) for x in ln if x not in sc]
        m += [(f"{what}: only in cxip", x) for x in lc if x not in sn]
        label = "route show table all" if what == "routes" else "rule show"
        ok &= report(f"{label}: same listing", m, len(sn | sc))

    # 3. route get: every flow over netlink, and through the cxip binary (all of them with
    # -batch, else a sample)
    t0 = time.monotonic()
    native = [canon(*r) for r in run_batch("ip", a.native, queries, tmp)]
    kinds = {}
    for g in native:
        k = g["type"] if isinstance(g, dict) else g[1]
        kinds[k] = kinds.get(k, 0) + 1
    print(f"# {len(queries)} flows, native answers: "
          + ", ".join(f"{v} {k}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])))
    gl = CxnetGenl(a.cxnet)
    kernel = [gl.route_get(words) for words in queries]
    ok &= report("route get (netlink): same answer for every flow",
                 compare_gets(queries, native, kernel, "cxnet"), len(queries))
    if batch:
        idx = list(range(len(queries)))
        cli = [canon(*r) for r in run_batch(a.cxip, a.cxnet, queries, tmp)]
    else:
        idx = sorted(rng.sample(range(len(queries)), min(a.cli_sample, len(queries))))
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            cli = [canon(*r) for r in pool.map(lambda i: run(a.cxip, a.cxnet, queries[i]), idx)]
    ok &= report(f"route get (cxip binary): same answer ({len(idx)} flows)",
                 compare_gets([queries[i] for i in idx], [native[i] for i in idx], cli, "cxip "),
                 len(idx))
    print(f"# route gets took {time.monotonic() - t0:.1f}s")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
