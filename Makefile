# SPDX-License-Identifier: GPL-2.0
#
# cxnet top-level Makefile.
#   make                 module/cxnet.ko (Debian 6.1 headers) + userspace tools in build/bin/
#   make module          only the module; KDIR=/path/to/kernel/build overrides the headers
#   make module-debug    the module built against the self-built debug+KUnit kernel
#                        (build/debug/module/{cxnet,cxnet_kunit}.ko; builds the kernel once)
#   make tools           cxip and the core's host build (build/bin/)
#   make unit            userspace unit tests (GoogleTest + ctest, ASan/UBSan)
#   make fuzz            libFuzzer targets over the core for FUZZ_SECONDS (600) in total
#   make check           every test: unit, KUnit, selftests on the stock and debug kernels
#   make demo            boot a VM, load cxnet, show `cxip info` from two netns
#   make bench-route     route lookup benchmark: cxnet's FIB vs Linux's fib_trie (not a test)
#   make setup           install the Debian packages everything needs (root)

SHELL := /bin/bash
TOP := $(CURDIR)
BUILD := $(TOP)/build

# Newest installed Debian 6.1 headers, unless KDIR is given.
KDIR ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-6.1.*-amd64)))
CXNET_BUILD_ID := $(shell git -C $(TOP) describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)
JOBS ?= $(shell nproc)

.PHONY: print-kdir all module module-debug tools unit fuzz check check-vm-stock check-vm-debug demo bench-route setup clean help

all: module tools

print-kdir:
	@echo $(KDIR)

help:
	@sed -n '3,14p' $(TOP)/Makefile | sed 's/^# \{0,1\}//'

setup:
	$(TOP)/scripts/setup.sh

# Kbuild output is kept and checked: the build must be warning-free (g++, objtool, modpost).
define kbuild_checked
	@mkdir -p $(BUILD)
	@set -o pipefail; $(MAKE) -C $(1) M=$(2) CXNET_BUILD_ID=$(CXNET_BUILD_ID) modules 2>&1 \
		| tee $(BUILD)/$(3).log
	@if grep -nE '[Ww]arning|WARNING' $(BUILD)/$(3).log; then \
		echo "error: the $(3) build printed warnings (see above, $(BUILD)/$(3).log)" >&2; exit 1; fi
endef

module:
	@if [ -z "$(KDIR)" ] || [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "error: no kernel build tree at KDIR='$(KDIR)'." >&2; \
		echo "       Install Debian's headers (make setup, package linux-headers-amd64) or pass KDIR=." >&2; \
		exit 1; fi
	$(call kbuild_checked,$(KDIR),$(TOP),module-build)

# The same sources built for the debug kernel in a copy (kbuild writes objects next to the
# sources, and 6.1 has no separate output dir for M= builds).
module-debug:
	@dtree=$$($(TOP)/scripts/build-debug-kernel) || exit 1; \
	mkdir -p $(BUILD)/debug; \
	rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='.*.cmd' --exclude='*.mod*' \
		$(TOP)/Kbuild $(TOP)/uapi $(TOP)/module $(BUILD)/debug/ && \
	echo "$$dtree" > $(BUILD)/debug/.kernel-tree
	$(call kbuild_checked,$$(cat $(BUILD)/debug/.kernel-tree),$(BUILD)/debug,module-debug-build)

tools:
	@cmake -S $(TOP)/userspace-tools -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

unit: tools
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)

fuzz:
	$(TOP)/scripts/fuzz --seconds $${FUZZ_SECONDS:-600}

check:
	$(TOP)/scripts/check

demo:
	$(TOP)/scripts/demo

bench-route:
	$(TOP)/scripts/bench-route

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
	rm -rf $(BUILD)
