# SPDX-License-Identifier: GPL-2.0
#
# make            build the module, libpals, palsctl, BPF objects, tests
# make deps       install build and test dependencies (Debian 12, root)
# make check      deps + build + the test suite in a QEMU guest
# make stress     deps + build + the 60 s concurrency stress test in a guest
# make demo       deps + build + the main example in a QEMU guest
#
# KVER selects the kernel to build for and boot (default: newest 6.12).

KVER ?= $(shell ls -d /usr/src/linux-headers-6.12*-amd64 2>/dev/null | \
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
KDIR ?= /usr/src/linux-headers-$(KVER)
BUILD ?= $(CURDIR)/build
KSRC_TAR ?= /usr/src/linux-source-6.12.tar.xz

CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
Q = $(if $(V),,@)

CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -Werror -I$(CURDIR)/uapi -I$(CURDIR)/user -I$(CURDIR)/bpf
BPF_CFLAGS = -O2 -g -target bpf -D__TARGET_ARCH_x86 -Wall -Werror \
	     -I$(BUILD) -I$(CURDIR)/bpf -I$(CURDIR)/uapi \
	     -I/usr/include/x86_64-linux-gnu

LIB_SRCS := $(wildcard user/*.c)
LIB_OBJS := $(patsubst user/%.c,$(BUILD)/user/%.o,$(LIB_SRCS))
LIBPALS_A := $(BUILD)/user/libpals.a
LIBPALS_SO := $(BUILD)/user/libpals.so

PALSCTL_SRCS := $(wildcard user/palsctl/*.c)
PALSCTL := $(if $(PALSCTL_SRCS),$(BUILD)/palsctl)

EXAMPLES := $(patsubst examples/%.bpf.c,%,$(wildcard examples/*.bpf.c))
EXAMPLE_BINS := $(addprefix $(BUILD)/examples/,$(EXAMPLES))

TEST_PROGS := $(patsubst tests/progs/%.bpf.c,%,$(wildcard tests/progs/*.bpf.c))
TESTS := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
TEST_BINS := $(addprefix $(BUILD)/tests/,$(TESTS))
SKELS := $(addprefix $(BUILD)/tests/progs/,$(addsuffix .skel.h,$(TEST_PROGS)))
KSFT := $(BUILD)/kselftest/kselftest_harness.h

.PHONY: all kmod lib palsctl examples tests deps check stress demo clean
.DELETE_ON_ERROR:
.SECONDARY:

all: kmod lib palsctl examples tests

deps:
	$(Q)scripts/deps.sh

kmod:
	@test -d "$(KDIR)" || { echo "error: no kernel headers for '$(KVER)' in $(KDIR) (run make deps)" >&2; exit 1; }
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules
	$(Q)scripts/check-btf.sh kmod/pals.ko

lib: $(LIBPALS_A) $(LIBPALS_SO) $(BUILD)/user/libpals.pc

palsctl: $(PALSCTL)

examples: $(EXAMPLE_BINS)

tests: $(TEST_BINS)

check: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/check.sh $(KVER)

stress: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/check.sh $(KVER) env PALS_STRESS_SECONDS=60 tests/suite.sh test_stress

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/vm/run -k $(KVER) -- tests/demo.sh

clean:
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	$(Q)rm -rf $(BUILD)

$(BUILD)/user/%.o: user/%.c $(wildcard user/*.h) uapi/linux/pals.h bpf/pals_usdt.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

$(LIBPALS_A): $(LIB_OBJS)
	$(Q)$(AR) rcs $@ $^

$(LIBPALS_SO): $(LIB_OBJS) user/libpals.map scripts/check-abi.sh
	$(Q)$(CC) -shared -Wl,--version-script=user/libpals.map \
		-Wl,-soname,libpals.so.0 -o $@ $(LIB_OBJS) -lbpf -lmnl -lelf -lpthread
	$(Q)scripts/check-abi.sh $@ user/pals.h user/libpals.map

$(BUILD)/user/libpals.pc: user/libpals.pc.in
	$(Q)sed 's|@PREFIX@|/usr/local|' $< > $@

LDLIBS_PALS = $(LIBPALS_A) -lbpf -lmnl -lelf -lz -lpthread

$(PALSCTL): $(PALSCTL_SRCS) $(wildcard user/palsctl/*.h) $(LIBPALS_A)
	$(Q)$(CC) $(CFLAGS) -Iuser/palsctl $(PALSCTL_SRCS) -o $@ $(LDLIBS_PALS) -ljson-c

$(BUILD)/vmlinux.h:
	@mkdir -p $(@D)
	$(Q)$(BPFTOOL) btf dump file $(KDIR)/vmlinux format c > $@

$(BUILD)/tests/progs/%.bpf.o: tests/progs/%.bpf.c tests/progs/*.h bpf/*.h $(BUILD)/vmlinux.h
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/examples/%.bpf.o: examples/%.bpf.c $(wildcard examples/*.h) bpf/pals.bpf.h $(BUILD)/vmlinux.h
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/%.skel.h: $(BUILD)/%.bpf.o
	$(Q)$(BPFTOOL) gen skeleton $< name $(notdir $*) > $@

$(EXAMPLE_BINS): $(BUILD)/examples/%: examples/%.c $(wildcard examples/*.h) $(BUILD)/examples/%.skel.h $(LIBPALS_A)
	$(Q)$(CC) $(CFLAGS) -I$(BUILD)/examples -Iexamples $< -o $@ $(LDLIBS_PALS)

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

-include tests/bench/bench.mk
include tests/usdt/usdt.mk
include tests/bench/usdt/usdt-bench.mk
include tests/bench/scale/scale.mk
