#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Counters of cxnet in the current netns as flat "KEY VALUE" lines, and their differences.

  wire_counters.py snap                 every counter: link.<dev>.<rx|tx>.<name>,
                                        link.<dev>.drops.<reason>, <Group>.<Name> (cxip stats)
  wire_counters.py diff OLD NEW [GLOB...]   "KEY +N" for every counter that changed (only keys
                                        matching one of the globs, if given)
  wire_counters.py expect OLD NEW GLOB... -- KEY=N...
                                        every key matching a glob must have changed by exactly
                                        the N given for it (0 if not listed); prints each
                                        mismatch, exit 1 if any

Read with `cxip -j -s link show` and `cxip -j stats`, so the numbers are the ones users see.
"""
import fnmatch
import json
import subprocess
import sys


def cxip_json(*args):
    out = subprocess.run(["cxip", "-j", *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout or "null")


def snap():
    flat = {}
    for link in cxip_json("-s", "link", "show") or []:
        dev = link["ifname"]
        for direction in ("rx", "tx"):
            for name, value in link.get("stats64", {}).get(direction, {}).items():
                flat[f"link.{dev}.{direction}.{name}"] = value
        for name, value in link.get("drops", {}).items():
            flat[f"link.{dev}.drops.{name}"] = value
    for group, counters in (cxip_json("stats") or {}).items():
        for name, value in counters.items():
            flat[f"{group}.{name}"] = value
    for key in sorted(flat):
        print(key, flat[key])


def load(path):
    with open(path) as f:
        return {k: int(v) for k, v in (line.split() for line in f if line.strip())}


def delta(old, new):
    keys = set(old) | set(new)
    return {k: new.get(k, 0) - old.get(k, 0) for k in keys}


def main(argv):
    if len(argv) >= 1 and argv[0] == "snap":
        snap()
        return 0
    if len(argv) >= 3 and argv[0] == "diff":
        d = delta(load(argv[1]), load(argv[2]))
        globs = argv[3:] or ["*"]
        for k in sorted(d):
            if d[k] and any(fnmatch.fnmatchcase(k, g) for g in globs):
                print(f"{k} {d[k]:+d}")
        return 0
    if len(argv) >= 4 and argv[0] == "expect" and "--" in argv:
        sep = argv.index("--")
        old, new = load(argv[1]), load(argv[2])
        globs = argv[3:sep]
        want = {}
        for spec in argv[sep + 1:]:
            k, v = spec.split("=")
            want[k] = int(v)
        d = delta(old, new)
        bad = 0
        for k in sorted(set(d) | set(want)):
            if k in want or any(fnmatch.fnmatchcase(k, g) for g in globs):
                if k not in new:
                    print(f"{k}: no such counter")
                    bad += 1
                elif d.get(k, 0) != want.get(k, 0):
                    print(f"{k}: changed by {d.get(k, 0):+d}, want {want.get(k, 0):+d}")
                    bad += 1
        return 1 if bad else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
