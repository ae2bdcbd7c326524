#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install everything cxnet needs on a fresh Debian 12 machine. Idempotent.
set -euo pipefail

PKGS=(
  # kernel module build (stock Debian kernel) and the kernel it must load on
  linux-headers-amd64 linux-image-amd64
  # self-built debug + KUnit kernel
  linux-source-6.1 bc flex bison libelf-dev libssl-dev cpio xz-utils kmod dwarves rsync
  # VM
  qemu-system-x86 busybox-static
  # userspace tools and tests
  build-essential g++ cmake libgtest-dev libnl-3-dev libnl-genl-3-dev pkg-config
  clang libclang-rt-14-dev
  # static checks (scripts/static-check): sparse over the kernel C side, clang-tidy on the core
  sparse clang-tidy
  iproute2 iputils-ping socat iperf3 tcpdump util-linux libcap2-bin python3 jq
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PKGS[@]} packages present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages: ${missing[*]}" >&2
  echo "setup: run as root (or: sudo $0)" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
