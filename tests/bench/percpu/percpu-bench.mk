# SPDX-License-Identifier: GPL-2.0
#
# make bench-percpu: four counters per attach point, in a shared blob with
# atomics, a per-CPU blob and a PERCPU_ARRAY by cookie: wall clock under
# contention (2 vCPUs, multi-threaded TCG) and instructions per run
# (-icount). Included by the top Makefile; also run by make bench.

PERCPU_BENCH := $(BUILD)/bench/percpu-bench
PERCPU_BENCH_SKEL := $(BUILD)/bench/progs/bench_percpu.skel.h

.PHONY: bench-percpu

$(BUILD)/bench/progs/bench_percpu.bpf.o: tests/bench/percpu/bench_percpu.bpf.c tests/bench/percpu/bench_percpu.h bpf/pals.bpf.h $(BUILD)/vmlinux.h
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -Itests/bench/percpu -c $< -o $@

$(PERCPU_BENCH): tests/bench/percpu/percpu_bench.c tests/bench/percpu/bench_percpu.h $(PERCPU_BENCH_SKEL) $(LIBPALS_A)
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -I$(BUILD)/bench/progs -Itests/bench/percpu $< -o $@ $(LDLIBS_PALS)

bench-percpu: kmod $(PERCPU_BENCH)
	$(Q)tests/bench/percpu/run.sh $(if $(filter command line environment,$(origin KVER)),$(KVER))
