# SPDX-License-Identifier: GPL-2.0
#
# make bench-usdt: USDT argument fetch cost, libbpf's usdt.bpf.h against
# pals_usdt.bpf.h, in a one-CPU guest counting instructions (-icount).

USDT_BENCH := $(BUILD)/tests/bench/usdt/usdt_bench

.PHONY: bench-usdt

$(BUILD)/tests/bench/usdt/%.bpf.o: tests/bench/usdt/%.bpf.c bpf/*.h $(BUILD)/vmlinux.h
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(USDT_BENCH): tests/bench/usdt/usdt_bench.c $(BUILD)/tests/bench/usdt/usdt_bench.skel.h $(LIBPALS_A)
	$(Q)$(CC) $(CFLAGS) -I$(@D) $< -o $@ $(LDLIBS_PALS)

bench-usdt: kmod $(USDT_BENCH)
	$(Q)PALS_VM_SMP=1 PALS_VM_QEMU_ARGS="-icount shift=0" \
		tests/vm/run -k $(KVER) -- sh -c \
		'insmod "$$PALS_KO" && $(USDT_BENCH); rc=$$?; \
		 tests/rmmod-pals.sh 100 || rc=1; exit $$rc'
