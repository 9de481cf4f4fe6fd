# SPDX-License-Identifier: GPL-2.0
#
# make bench-funclat: funclat against libbpf-tools' funclatency (Debian
# package libbpf-tools) in a one-CPU guest counting instructions
# (-icount): program cost per call, workload cost, calls timed, time to
# be ready.

FUNCLAT_BENCH := $(BUILD)/tests/bench/funclat/funclat-bench

.PHONY: bench-funclat

$(FUNCLAT_BENCH): tests/bench/funclat/funclat_bench.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $< -o $@ -lbpf

bench-funclat: kmod examples $(FUNCLAT_BENCH)
	$(Q)PALS_VM_SMP=1 PALS_VM_QEMU_ARGS="-icount shift=0" \
		tests/vm/run -k $(KVER) -- tests/bench/funclat/guest.sh
