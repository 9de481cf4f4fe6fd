# SPDX-License-Identifier: GPL-2.0
#
# make bench-funclat: funclat against libbpf-tools' funclatency (Debian
# package libbpf-tools) in a one-CPU guest counting instructions
# (-icount): program cost per call, workload cost, calls timed, time to
# be ready, with PALS_FUNCLAT_MODULES (default 64) module BTFs loaded.

FUNCLAT_BENCH := $(BUILD)/tests/bench/funclat/funclat-bench
FUNCLAT_BTF_WALK := $(BUILD)/tests/bench/funclat/btf-walk

.PHONY: bench-funclat

$(FUNCLAT_BENCH): tests/bench/funclat/funclat_bench.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $< -o $@ -lbpf

$(FUNCLAT_BTF_WALK): tests/bench/funclat/btf_walk.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $< -o $@ -lbpf

bench-funclat: kmod examples $(FUNCLAT_BENCH) $(FUNCLAT_BTF_WALK)
	$(Q)PALS_VM_SMP=1 PALS_VM_QEMU_ARGS="-icount shift=0" \
		tests/vm/run -k $(KVER) -- tests/bench/funclat/guest.sh
