#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The kernel half of scripts/bench-route, inside the VM: load the dumped routes into Linux's
# fib_trie (main table of this netns, via a dummy device), then insmod cxnet_bench.ko, which
# builds the same table in cxnet's FIB and times both over the same destinations.
#   bench-route-guest.sh ROUTES_BATCH PREFIXES SEED DESTINATIONS ROUNDS [MODULE]
# (MODULE: the cxnet_bench.ko to load, default module/cxnet_bench.ko)
# Prints "bench-guest: key=value" lines and the module's "cxnet_bench: ..." log lines.
set -euo pipefail
cd "$(dirname "$0")/.."
batch=$1 prefixes=$2 seed=$3 destinations=$4 rounds=$5 ko=${6:-module/cxnet_bench.ko}

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

ip link add d0 type dummy
ip addr add 10.255.0.1/16 dev d0
ip link set d0 up

# iproute2 6.1's `ip -batch` keeps about 4 KB of heap per `route add` until it exits (900k
# routes: 3.6 GB, the VM has 2 GB): one ip process per 50,000 lines.
chunks=$(mktemp -d)
split -l 50000 "$batch" "$chunks/part."
slab0=$(meminfo Slab) avail0=$(meminfo MemAvailable)
t0=$(now_ms)
for part in "$chunks"/part.*; do
	ip -batch "$part"
done
t1=$(now_ms)
slab1=$(meminfo Slab) avail1=$(meminfo MemAvailable)
rm -rf "$chunks"
loaded=$(ip route show proto 186 | wc -l)
echo "bench-guest: ip_batch_ms=$((t1 - t0)) routes_loaded=$loaded" \
	"slab_delta_kb=$((slab1 - slab0)) memavailable_delta_kb=$((avail0 - avail1))"
if [ "$loaded" != "$prefixes" ]; then
	echo "bench-guest: expected $prefixes routes in the main table, found $loaded" >&2
	exit 1
fi
# fib_trie's own size estimate of the main table (the first "Main:" section)
awk '/^Main:/ { m = 1 } m && /Total size:/ { print "bench-guest: fib_triestat_main_total_kb=" $3; exit }' \
	/proc/net/fib_triestat

dmesg -C
t0=$(now_ms)
rc=0
insmod "$ko" prefixes="$prefixes" seed="$seed" destinations="$destinations" \
	rounds="$rounds" || rc=$?
t1=$(now_ms)
dmesg | grep -o 'cxnet_bench: .*' || true
echo "bench-guest: insmod_ms=$((t1 - t0)) insmod_rc=$rc"
[ "$rc" = 0 ] || exit 1
rmmod cxnet_bench
