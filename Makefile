# SPDX-License-Identifier: GPL-2.0
#
# make            build the module, libpals, palsctl, BPF objects, tests
# make deps       install build and test dependencies (Debian 12, root)
# make check      deps + build + the test suite in a QEMU guest, per kernel
# make stress     deps + build + the 60 s concurrency stress test in a guest
# make demo       deps + build + the main example in a QEMU guest
#
# KVER selects the kernel to build for and boot (default: newest 6.12);
# KERNELS the kernels make check runs on (default: the 6.12 debug kernel
# of scripts/debug-kernel.sh, the slowest, first; newest 6.12; newest 7.x,
# whose module is built in the Debian 13 build root).

KVER_LTS := $(shell ls -d /usr/src/linux-headers-6.12*-amd64 2>/dev/null | \
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
KVER_NEW := $(shell scripts/buildroot.sh kver)
KVER_DEBUG := $(shell scripts/debug-kernel.sh kver)
# Debian 12's own kernel, below pals.ko's floor: the map fallback only.
KVER_61 := $(shell scripts/kernel-61.sh kver)
KVER ?= $(KVER_LTS)
KERNELS ?= $(KVER_DEBUG) $(KVER_LTS) $(KVER_NEW) $(KVER_61)
BUILD ?= $(CURDIR)/build
# Only the host's 6.12 headers: BPF objects and vmlinux.h are built once.
KDIR ?= /usr/src/linux-headers-$(KVER_LTS)
PALS_KO = $(BUILD)/kmod/$(KVER)/pals.ko
KSRC_TAR ?= /usr/src/linux-source-6.12.tar.xz

CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
Q = $(if $(V),,@)

CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Werror -I$(CURDIR)/uapi -I$(CURDIR)/user/lib \
	  -I$(CURDIR)/user/usdt -I$(CURDIR)/bpf -I$(BUILD)/include
BPF_CFLAGS = -O2 -g -target bpf -D__TARGET_ARCH_x86 -Wall -Werror \
	     -I$(BUILD) -I$(CURDIR)/bpf -I$(CURDIR)/uapi -I$(BUILD)/include \
	     -I/usr/include/x86_64-linux-gnu

# libpals: its core in user/lib/, USDT in user/usdt/.
LIB_SRCS := $(wildcard user/lib/*.c user/usdt/*.c)
LIB_HDRS := $(wildcard user/lib/*.h user/usdt/*.h)
LIB_OBJS := $(patsubst user/%.c,$(BUILD)/user/%.o,$(LIB_SRCS))
LIBPALS_A := $(BUILD)/user/libpals.a
LIBPALS_SO := $(BUILD)/user/libpals.so
# 0.2.0 from the newest version node of the map (LIBPALS_0.2), as libbpf.
PALS_VERSION := $(shell sed -n 's/^LIBPALS_\([0-9.]*\) {.*/\1.0/p' user/lib/libpals.map | sort -V | tail -n1)

PALSCTL_SRCS := $(wildcard user/palsctl/*.c)
PALSCTL := $(if $(PALSCTL_SRCS),$(BUILD)/palsctl)

EXAMPLES := $(patsubst examples/%.bpf.c,%,$(wildcard examples/*.bpf.c))
EXAMPLE_BINS := $(addprefix $(BUILD)/examples/,$(EXAMPLES))

# linked_*.bpf.c are linked into one object, linked.bpf.o (test_linked).
TEST_PROGS := $(filter-out linked_%,$(patsubst tests/progs/%.bpf.c,%,$(wildcard tests/progs/*.bpf.c))) linked
TESTS := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
TEST_BINS := $(addprefix $(BUILD)/tests/,$(TESTS))
SKELS := $(addprefix $(BUILD)/tests/progs/,$(addsuffix .skel.h,$(TEST_PROGS)))
KSFT := $(BUILD)/kselftest/kselftest_harness.h

.PHONY: all kmod lib palsctl examples tests deps check check-kernels stress \
	demo clean
.DELETE_ON_ERROR:
.SECONDARY:

all: kmod lib palsctl examples tests

deps:
	$(Q)scripts/deps.sh

kmod:
	$(Q)scripts/kmod-build.sh $(KVER) $(BUILD) $(if $(V),V=1)

lib: $(LIBPALS_A) $(LIBPALS_SO) $(BUILD)/user/libpals.pc

palsctl: $(PALSCTL)

examples: $(EXAMPLE_BINS)

tests: $(TEST_BINS)

# A second make, so that KERNELS sees what deps installed. The debug
# kernel's first build goes on while the other kernels' guests run
# (scripts/deps.sh, tests/check-kernels.sh).
check: export PALS_DEBUG_KERNEL_BACKGROUND = 1
check: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory check-pkg
	$(Q)$(MAKE) --no-print-directory check-kernels CHECK_HOST_TAP=$(BUILD)/pkg/all.tap

# CHECK_HOST_TAP: tests/pkg.sh's results for all kernels, counted once.
check-kernels:
	$(Q)tests/check-kernels.sh $(if $(CHECK_HOST_TAP),-p $(CHECK_HOST_TAP)) $(KERNELS)

stress: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/check.sh $(KVER) env PALS_STRESS_SECONDS=60 tests/suite.sh test_stress

# The demo needs no debug kernel.
demo: export PALS_NO_DEBUG_KERNEL = 1
demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/vm/run -k $(KVER) -- tests/demo.sh

clean:
	$(Q)rm -rf $(BUILD)

$(BUILD)/user/%.o: user/%.c $(LIB_HDRS) uapi/linux/pals.h bpf/pals_usdt.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

$(LIBPALS_A): $(LIB_OBJS)
	$(Q)$(AR) rcs $@ $^

$(LIBPALS_SO).$(PALS_VERSION): $(LIB_OBJS) user/lib/libpals.map scripts/check-abi.sh
	$(Q)$(CC) $(LDFLAGS) -shared -Wl,--version-script=user/lib/libpals.map \
		-Wl,-soname,libpals.so.0 -o $@ $(LIB_OBJS) -lbpf -lmnl -lelf -lpthread
	$(Q)scripts/check-abi.sh $@ user/lib/libpals.h user/lib/libpals.map

# The links ldconfig and the linker want, in the build tree too.
$(LIBPALS_SO).0: $(LIBPALS_SO).$(PALS_VERSION)
	$(Q)ln -sf $(<F) $@

$(LIBPALS_SO): $(LIBPALS_SO).0
	$(Q)ln -sf $(<F) $@

LDLIBS_PALS = $(LIBPALS_A) -lbpf -lmnl -lelf -lz -lpthread

$(PALSCTL): $(PALSCTL_SRCS) $(wildcard user/palsctl/*.h) $(LIBPALS_A)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -Iuser/palsctl $(PALSCTL_SRCS) -o $@ $(LDLIBS_PALS) -ljson-c

$(BUILD)/vmlinux.h:
	@mkdir -p $(@D)
	$(Q)$(BPFTOOL) btf dump file $(KDIR)/vmlinux format c > $@

$(BUILD)/tests/progs/%.bpf.o: tests/progs/%.bpf.c tests/progs/*.h bpf/*.h $(BUILD)/vmlinux.h
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/tests/progs/linked.bpf.o: $(BUILD)/tests/progs/linked_a.bpf.o $(BUILD)/tests/progs/linked_b.bpf.o
	$(Q)$(BPFTOOL) gen object $@ $^

$(BUILD)/examples/%.bpf.o: examples/%.bpf.c $(wildcard examples/*.h) $(wildcard bpf/*.h) $(BUILD)/vmlinux.h
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(Q)$(BPFTOOL) gen skeleton $< name $(notdir $*) > $@

# An example is examples/NAME.c plus any examples/NAME_*.c.
$(EXAMPLE_BINS): $(BUILD)/examples/%: examples/%.c $(wildcard examples/*_*.c) $(wildcard examples/*.h) $(BUILD)/examples/%.skel.h $(LIBPALS_A)
	$(Q)$(CC) $(CFLAGS) -I$(BUILD)/examples -Iexamples $< $(wildcard examples/$*_*.c) -o $@ $(LDLIBS_PALS)

# The harness is GPL kernel source: extracted at build time, not committed.
$(KSFT):
	@mkdir -p $(@D)
	$(Q)tar -xJf $(KSRC_TAR) -C $(@D) --strip-components=4 \
		linux-source-6.12/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.12/tools/testing/selftests/kselftest.h

$(BUILD)/tests/test_%: tests/test_%.c tests/*.h $(SKELS) $(KSFT) $(LIBPALS_A)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -I$(BUILD)/tests/progs -isystem $(BUILD)/kselftest \
		-Itests -Itests/progs $< tests/util.c -o $@ $(LDLIBS_PALS) -ljson-c

include scripts/install.mk
-include tests/bench/bench.mk
include tests/usdt/usdt.mk
include tests/bench/usdt/usdt-bench.mk
include tests/bench/funclat/funclat-bench.mk
include tests/bench/scale/scale.mk
include tests/bench/percpu/percpu-bench.mk
