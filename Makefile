# SPDX-License-Identifier: GPL-2.0
# tcpwatch: `make` builds module/tcpwatch.ko and tools/tcpwatch.
#   make KVER=6.12.95+deb12-amd64   build the module for another kernel
#   make KDIR=/path/to/tree         ... or against a kernel tree
#   make check                      run the test suite (VM, see README)
#   make stress                     the reliability tests' long versions
#   make install                    install the CLI and its man page

# Default kernel: the running one if its headers are here, else the newest
# installed headers (this repo's own machines cannot load modules).
KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n1 | \
	cut -d/ -f4; fi)
KDIR ?= /lib/modules/$(KVER)/build

.PHONY: all module tools clean check demo style install stress

all: module tools

# Objects built for another kernel are not always rebuilt by kbuild:
# switching kernels cleans first.
module:
	@if [ -f .kver ] && [ "$$(cat .kver)" != "$(KDIR)" ]; then \
		$(MAKE) -s -C $(KDIR) M=$(CURDIR) clean; fi; echo "$(KDIR)" > .kver
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

tools:
	$(MAKE) -C tools

# The CLI and its man page (PREFIX, DESTDIR: see tools/Makefile).
install:
	$(MAKE) -C tools install

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -f .kver
	$(MAKE) -C tools clean
	rm -rf build

check:
	scripts/test

# README, Reliability: 100,000 malformed netlink messages, 100,000 SYNs,
# 100 insmod/rmmod cycles and every bad module parameter, on each kernel
# (STRESS_ARGS="-k 6.1.0-56-amd64" for one).
STRESS_ARGS ?=
stress:
	TW_FUZZ_N=100000 TW_FLOOD_N=100000 TW_CYCLES=100 TW_PERMS_ALL=1 \
	TW_TEST_TIMEOUT=3600 TW_VM_TIMEOUT=10800 \
		scripts/test $(STRESS_ARGS) -t nlfuzz -t perms -t cycles -t flood

# checkpatch from the kernel tree (or Debian's linux-source), then sparse.
CHECKPATCH ?= $(firstword $(wildcard $(KDIR)/scripts/checkpatch.pl \
	/usr/src/linux-source-*/scripts/checkpatch.pl))
style:
	@test -n "$(CHECKPATCH)" || { echo "style: no checkpatch.pl (apt-get install linux-source-6.1 and unpack it)"; exit 1; }
	$(CHECKPATCH) --no-tree --strict --terse --ignore LINUX_VERSION_CODE,OOM_MESSAGE,EMBEDDED_FILENAME \
		-f $(filter-out %.mod.c,$(wildcard module/*.c)) module/*.h include/uapi/linux/tcpwatch.h
	$(MAKE) module C=2

demo:
	scripts/demo
