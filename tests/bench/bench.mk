# SPDX-License-Identifier: GPL-2.0
#
# make bench    deps + build + the benchmark in QEMU guests, once per kernel
#               of KERNELS, or for KVER alone if given (tests/bench/kernels.sh)
#
# Included by the top Makefile.

BENCH_PROGS := $(patsubst tests/bench/progs/%.bpf.c,%,$(wildcard tests/bench/progs/*.bpf.c))
BENCH_SKELS := $(BENCH_PROGS:%=$(BUILD)/bench/progs/%.skel.h)
BENCH_SRCS := $(wildcard tests/bench/*.c)
BENCH_BIN := $(BUILD)/bench/pals-bench

.PHONY: bench bench-build

bench: deps
	$(Q)$(MAKE) --no-print-directory all bench-build $(USDT_BENCH)
	$(Q)tests/bench/kernels.sh $(BENCH_KERNELS)
	$(Q)$(MAKE) --no-print-directory bench-percpu

BENCH_KERNELS = $(if $(filter command line environment,$(origin KVER)),$(KVER),$(KERNELS))

bench-build: $(BENCH_BIN)

$(BUILD)/bench/progs/%.bpf.o: tests/bench/progs/%.bpf.c tests/bench/progs/*.h bpf/*.h $(BUILD)/vmlinux.h
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BENCH_BIN): $(BENCH_SRCS) tests/bench/*.h $(BENCH_SKELS) $(LIBPALS_A)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -I$(BUILD)/bench/progs -Itests/bench -Itests/bench/progs \
		$(BENCH_SRCS) -o $@ $(LDLIBS_PALS)
