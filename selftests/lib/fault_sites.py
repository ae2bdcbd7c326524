#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where injected allocation failures hit, from a trace of failed allocations.

  fault_sites.py TRACE KALLSYMS [TOP]

TRACE is the text of /sys/kernel/tracing/trace with the kmem events kmalloc and
kmem_cache_alloc filtered on "ptr == 0" (and mm_page_alloc on a missing page), each followed
by its stack trace (options/stacktrace); read it while cxnet is loaded, or its frames are bare
addresses. KALLSYMS is /proc/kallsyms (cxnet's symbols carry "[cxnet]").

Prints "# N failed allocations (M in cxnet, K elsewhere)", then the TOP (default 20) sites
by count: for cxnet, the first cxnet frame that is not an allocation wrapper, after the
wrapper that allocated ("cx_os_zalloc <- cx::...::addr_add"); elsewhere, the first frame
that is not the allocator, with the process that ran it. C++ names are demangled (c++filt).
"""
import collections
import re
import shutil
import subprocess
import sys

EVENT = re.compile(r"^\s*(.+?)-(\d+)\s+\[\d+\].*?:\s+(kmalloc|kmem_cache_alloc|mm_page_alloc):")
FRAME = re.compile(r"^\s*=>\s+(\S+)")
# cxnet frames that only pass an allocation on (the OS interface of the core)
WRAPPER = re.compile(r"^(cx_os_|cx_pkt_|cxnet_os_|operator new|_Znwm|_Znam|cx_alloc)")
# kernel frames that are the allocator itself
ALLOCATOR = re.compile(
    r"^(trace_event_raw_event_|kmem_cache_alloc|__kmem_cache_alloc|kmalloc|__kmalloc|"
    r"kmalloc_trace|kmalloc_reserve|kmalloc_large|kmalloc_node|kvmalloc|__kvmalloc|"
    r"__alloc_pages|alloc_pages|__get_free_pages|__folio_alloc|allocate_slab|new_slab|"
    r"___slab_alloc|__slab_alloc|slab_alloc|should_fail|__should_fail|kzalloc|krealloc|"
    r"__alloc_skb|alloc_skb|__netdev_alloc_skb|sock_alloc_send|skb_clone|skb_copy|"
    r"pskb_expand_head|__pskb_copy|page_frag_alloc|__page_frag)")


def demangle(names):
    names = sorted(set(names))
    if not names or not shutil.which("c++filt"):
        return {n: n for n in names}
    out = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True)
    lines = out.stdout.split("\n")
    return {n: (lines[i] if i < len(lines) and lines[i] else n) for i, n in enumerate(names)}


def base(frame):
    return frame.split("+")[0]


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    top = int(argv[2]) if len(argv) > 2 else 20
    cx_syms = set()
    with open(argv[1]) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 4 and parts[3] == "[cxnet]":
                cx_syms.add(parts[2])
    events = []  # (comm, [frames])
    with open(argv[0], errors="replace") as f:
        for line in f:
            m = EVENT.match(line)
            if m:
                events.append((m.group(1).strip(), []))
                continue
            m = FRAME.match(line)
            if m and events:
                events[-1][1].append(base(m.group(1)))
    sites = collections.Counter()
    in_cx = 0
    for comm, frames in events:
        cx = [i for i, fr in enumerate(frames) if fr in cx_syms]
        if cx:
            in_cx += 1
            first = frames[cx[0]]
            rest = [frames[i] for i in cx if not WRAPPER.match(frames[i])]
            if WRAPPER.match(first) and rest:
                site = ("cxnet", f"{first} <- {rest[0]}")
            else:
                site = ("cxnet", first)
        else:
            kern = [fr for fr in frames if not ALLOCATOR.match(fr)]
            what = kern[0] if kern else (frames[0] if frames else "?")
            if "__create_object" in frames:
                what = "__create_object (kmemleak metadata)"
            elif "fill_pool" in frames:
                what = "fill_pool (debugobjects)"
            comm = re.sub(r"\d+$", "N", comm)  # kworker/0:1 -> kworker/0:N
            site = ("kernel", f"{what} [{comm}]")
        sites[site] += 1
    names = demangle(n for (_, s) in sites for n in re.split(r" <- | \[", s))
    print(f"# {len(events)} failed allocations ({in_cx} in cxnet, {len(events) - in_cx} elsewhere)")
    for (where, s), n in sites.most_common(top):
        text = " <- ".join(names.get(p, p) for p in s.split(" <- ")) if where == "cxnet" else s
        print(f"#   {n:6d} {where}: {text}")
    if len(sites) > top:
        print(f"#   ... {len(sites) - top} more sites")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
