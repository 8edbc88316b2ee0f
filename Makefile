# SPDX-License-Identifier: GPL-2.0
# tcpwatch: `make` builds module/tcpwatch.ko and tools/tcpwatch.
#   make KVER=6.12.95+deb12-amd64   build the module for another kernel
#   make KDIR=/path/to/tree         ... or against a kernel tree
#   make check                      run the test suite (VM, see README)
#   make install                    install the module (/lib/modules/KVER/extra),
#                                   the CLI and its man page
#   make dkms                       register the module with DKMS, install it for KVER
#   make check-all                  make check on every installed kernel (5.10, sid)
#   make stress                     the reliability tests' long versions

# Default kernel: the running one if its headers are here, else the newest
# installed headers (this repo's own machines cannot load modules).
KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else ls -d /lib/modules/*/build 2>/dev/null | sort -V | tail -n1 | \
	cut -d/ -f4; fi)
KDIR ?= /lib/modules/$(KVER)/build

# A kernel whose headers need a newer userland than this machine's (sid's:
# its gcc and glibc) has them in a build root made by scripts/setup; the
# module is built in there, with the compiler the kernel was built with.
ifeq ($(wildcard $(KDIR)/Makefile),)
KROOT ?= $(shell scripts/buildroot --find $(KVER))
endif
KRUN := $(if $(KROOT),scripts/buildroot $(KROOT))

.PHONY: all module tools clean check demo style stress install check-all bench \
	dkms dkms-source dkms-build

all: module tools

# Objects built for another kernel are not always rebuilt by kbuild:
# switching kernels cleans first.  Not with kbuild's clean: M is the
# repo's top, and it would delete every *.ko below, build/'s copies that a
# running scripts/test boots with included.
KBUILD_OUTPUT_FILES = module/*.o module/.*.cmd module/*.ko module/*.mod \
	module/*.mod.c module/modules.order module/Module.symvers \
	module/.*.d module/.*.tmp \
	.*.cmd .module-common.o Module.symvers modules.order
module:
	@if [ -f .kver ] && [ "$$(cat .kver)" != "$(KDIR)" ]; then \
		rm -f $(KBUILD_OUTPUT_FILES); fi; echo "$(KDIR)" > .kver
	$(KRUN) $(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

tools:
	$(MAKE) -C tools

# The module under /lib/modules/KVER/extra by kbuild's modules_install,
# which compresses it as the kernel's config asks; depmod (kbuild skips it:
# Debian's headers have no System.map), unless staged in DESTDIR; then the
# CLI and its man page (PREFIX, DESTDIR: see tools/Makefile).
install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra \
		$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR)) modules_install
	$(if $(DESTDIR),,depmod -a $(KVER))
	@if $(MAKE) -s -C tools -n install >/dev/null 2>&1; then \
		$(MAKE) -C tools install; \
	else echo "install: tools/Makefile has no install target: CLI not installed"; fi

# DKMS: dkms-source puts the module's sources in /usr/src/tcpwatch-VERSION;
# dkms registers them and builds and installs the module for KVER. DKMS
# then rebuilds it for each new kernel of a series dkms.conf lists.
VERSION := $(shell sed -n 's/^\#define TCPW_VERSION "\(.*\)"$$/\1/p' module/tcpwatch.h)
DKMS_SRC = $(DESTDIR)/usr/src/tcpwatch-$(VERSION)
dkms-source:
	@grep -qx 'PACKAGE_VERSION="$(VERSION)"' dkms.conf || \
		{ echo "dkms.conf: PACKAGE_VERSION is not $(VERSION), module/tcpwatch.h's"; exit 1; }
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/module $(DKMS_SRC)/include/uapi/linux
	install -m 644 dkms.conf Kbuild $(DKMS_SRC)/
	install -m 644 module/Kbuild $(filter-out %.mod.c,$(wildcard module/*.c)) \
		$(wildcard module/*.h) $(DKMS_SRC)/module/
	install -m 644 include/uapi/linux/tcpwatch.h $(DKMS_SRC)/include/uapi/linux/

dkms: dkms-source
	dkms status -m tcpwatch -v $(VERSION) | grep -q . || dkms add -m tcpwatch -v $(VERSION)
	dkms install --force -m tcpwatch -v $(VERSION) -k $(KVER)

# For the DKMS VM test (scripts/tests/90-dkms.sh): DKMS builds the module
# for KVER here, in a private tree, build/dkms/KVER/ (nothing registered on
# this machine); the guest installs it from there. dkms's output and status
# (77: KVER is outside BUILD_EXCLUSIVE_KERNEL) are kept for the test.
DKMS_TREE = $(CURDIR)/build/dkms/$(KVER)
DKMS_OPTS = -m tcpwatch -v $(VERSION) --sourcetree $(DKMS_TREE)/usr/src \
	--dkmstree $(DKMS_TREE)/tree
dkms-build:
	rm -rf $(DKMS_TREE)
	$(MAKE) -s dkms-source DESTDIR=$(DKMS_TREE)
	mkdir -p $(DKMS_TREE)/tree
	$(KRUN) dkms add $(DKMS_OPTS) > $(DKMS_TREE)/build.log 2>&1
	$(KRUN) dkms build $(DKMS_OPTS) -k $(KVER) >> $(DKMS_TREE)/build.log 2>&1; \
		st=$$?; echo $$st > $(DKMS_TREE)/build.status; \
		if [ $$st != 0 ]; then cat $(DKMS_TREE)/build.log; fi; [ $$st = 0 ] || [ $$st = 77 ]

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -f .kver
	$(MAKE) -C tools clean
	rm -rf build

check:
	scripts/test

# Every installed kernel: bullseye's 5.10 and sid's too (README, Kernels).
check-all:
	scripts/test --all-kernels

# README, Reliability: 100,000 malformed netlink messages, 100,000 SYNs,
# 100 insmod/rmmod cycles and every bad module parameter, on each kernel
# (STRESS_ARGS="-k 6.1.0-56-amd64" for one).
STRESS_ARGS ?=
stress:
	TW_FUZZ_N=100000 TW_FLOOD_N=100000 TW_CYCLES=100 TW_PERMS_ALL=1 \
	TW_TEST_TIMEOUT=3600 TW_VM_TIMEOUT=10800 TW_VM_ACCEL=tcg,thread=single \
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

# issue #6: cost against the bare kernel and bpftrace, in the VM (6.12);
# BENCH_ARGS="-k KVER" for another kernel.  See BENCHMARKS.md.
bench:
	scripts/bench $(BENCH_ARGS)
