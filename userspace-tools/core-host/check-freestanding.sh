#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile portable-core sources (module/core/**/*.cpp) the way the kernel
# module does: freestanding C++ with no header but the core's own, so a
# stray libc/STL include, a float, a big stack frame or a C++ runtime
# dependency fails here, in the userspace build, not only in kbuild.
#
#   check-freestanding.sh CXX SRC OBJ     one source to OBJ (+ OBJ.d), then check OBJ
#   check-freestanding.sh --all CXX DIR   every .cpp under DIR, into a temp dir
#
# Checks on the object (as module/Kbuild's cxx_check does, plus a few):
# no dynamic initialisation (.init_array/.ctors, _GLOBAL__sub_I_), no TLS,
# no undefined C++ runtime/libgcc symbols (guards, exceptions, RTTI,
# atexit, libstdc++, 128-bit division, soft float).
set -euo pipefail

# The brief's flags: the core must build with exactly no headers.
lang_flags=(-std=gnu++17 -D__KERNEL__ -nostdinc -nostdinc++ -ffreestanding
	-fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit -fcheck-new
	-Wall -Wextra -Werror -Wundef -Wvla -Wimplicit-fallthrough=5)
# Code generation like kbuild's on x86-64 (no FPU/SIMD, kernel code model), and
# the core's own stack budget: every frame under 1 KiB.
codegen_flags=(-O2 -mno-sse -mno-mmx -mno-sse2 -mno-3dnow -mno-avx -mno-80387
	-mno-fp-ret-in-387 -mno-red-zone -mcmodel=kernel -fno-pie -fno-pic
	-fno-strict-aliasing -fno-common -fno-delete-null-pointer-checks -fno-strict-overflow
	-fno-stack-protector -fno-asynchronous-unwind-tables -fno-unwind-tables
	-fno-jump-tables -Wframe-larger-than=1024)

forbidden_undefined='^(__cxa_|__gxx_|_Unwind_|_ZSt|_ZNSt|_ZNKSt|_ZTI|_ZTS|_ZN10__cxxabiv|__dynamic_cast|atexit$|__tls_get_addr$|__(u)?(div|mod)ti3$|__(add|sub|mul|div)[sdtx]f3$|__float|__fix|__extend|__trunc)'
forbidden_sections='\.(init_array|ctors|fini_array|dtors|preinit_array|tdata|tbss)\b'

check_one() {
	local cxx=$1 src=$2 obj=$3
	if ! "$cxx" "${lang_flags[@]}" "${codegen_flags[@]}" -MD -MF "$obj.d" -MT "$obj" \
		-c "$src" -o "$obj"; then
		echo "core-freestanding: $src does not compile freestanding" >&2
		return 1
	fi
	local bad=0 sections symbols
	sections=$(readelf -SW "$obj" | grep -oE "$forbidden_sections" | sort -u | tr '\n' ' ' || true)
	if [ -n "$sections" ] || nm "$obj" | grep -qE ' _GLOBAL__sub_[ID]_'; then
		echo "core-freestanding: $src: dynamic initialisation or TLS ($sections): make globals constexpr/constinit" >&2
		bad=1
	fi
	symbols=$(nm -u "$obj" | awk '{ print $NF }' | grep -E "$forbidden_undefined" | tr '\n' ' ' || true)
	if [ -n "$symbols" ]; then
		echo "core-freestanding: $src: needs runtime symbols the kernel does not have: $symbols" >&2
		bad=1
	fi
	if [ "$bad" != 0 ]; then
		rm -f "$obj"
		return 1
	fi
}

if [ "${1:-}" = "--all" ]; then
	cxx=${2:?usage: $0 --all CXX DIR}
	dir=${3:?usage: $0 --all CXX DIR}
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	count=0 failed=0
	while IFS= read -r -d '' src; do
		count=$((count + 1))
		obj=$tmp/$(printf '%s' "${src#"$dir"/}" | tr / _).o
		check_one "$cxx" "$src" "$obj" || failed=$((failed + 1))
	done < <(find "$dir" -name '*.cpp' -print0 | sort -z)
	echo "core-freestanding: $count sources, $failed failed"
	[ "$count" -gt 0 ] && [ "$failed" = 0 ]
else
	[ $# = 3 ] || { echo "usage: $0 CXX SRC OBJ | --all CXX DIR" >&2; exit 2; }
	check_one "$1" "$2" "$3"
fi
