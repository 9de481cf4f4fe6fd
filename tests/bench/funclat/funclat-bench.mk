# SPDX-License-Identifier: GPL-2.0
#
# make bench-funclat: funclat against libbpf-tools' funclatency (Debian
# package libbpf-tools) in a one-CPU guest counting instructions
# (-icount): program cost per call, workload cost, calls timed, time to
# be ready, with PALS_FUNCLAT_MODULES (default 64) module BTFs loaded.
#
# FUNCLAT_LIBBPF=DIR adds funclat and btf-walk linked statically with the
# libbpf installed in DIR (libbpf's `make -C src BUILD_STATIC_ONLY=1
# DESTDIR=DIR install`), e.g. a release newer than the system's.

FUNCLAT_BENCH := $(BUILD)/tests/bench/funclat/funclat-bench
FUNCLAT_BTF_WALK := $(BUILD)/tests/bench/funclat/btf-walk
FUNCLAT_OTHER := $(BUILD)/tests/bench/funclat/funclat-libbpf \
		 $(BUILD)/tests/bench/funclat/btf-walk-libbpf
FUNCLAT_LIBBPF_A = $(firstword $(wildcard $(FUNCLAT_LIBBPF)/usr/lib*/libbpf.a))
FUNCLAT_LIBBPF_CFLAGS = $(CFLAGS) -I$(FUNCLAT_LIBBPF)/usr/include

.PHONY: bench-funclat

$(FUNCLAT_BENCH): tests/bench/funclat/funclat_bench.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $< -o $@ -lbpf

$(FUNCLAT_BTF_WALK): tests/bench/funclat/btf_walk.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $< -o $@ -lbpf

ifneq ($(FUNCLAT_LIBBPF),)
$(BUILD)/tests/bench/funclat/funclat-libbpf: examples/funclat.c $(wildcard examples/funclat_*.c) \
					     $(LIBPALS_A) $(FUNCLAT_LIBBPF_A) | examples
	$(Q)$(CC) $(FUNCLAT_LIBBPF_CFLAGS) -I$(BUILD)/examples -Iexamples $(filter %.c,$^) \
		$(LIBPALS_A) $(FUNCLAT_LIBBPF_A) -lmnl -lelf -lz -lpthread -o $@

$(BUILD)/tests/bench/funclat/btf-walk-libbpf: tests/bench/funclat/btf_walk.c $(FUNCLAT_LIBBPF_A)
	$(Q)$(CC) $(FUNCLAT_LIBBPF_CFLAGS) $< $(FUNCLAT_LIBBPF_A) -lelf -lz -o $@

$(FUNCLAT_OTHER): $(if $(FUNCLAT_LIBBPF_A),,funclat-no-libbpf)
FUNCLAT_DEPS := $(FUNCLAT_OTHER)
else
FUNCLAT_DEPS := funclat-no-libbpf
endif

# Without FUNCLAT_LIBBPF, none from an earlier run either.
.PHONY: funclat-no-libbpf
funclat-no-libbpf:
	@test -z "$(FUNCLAT_LIBBPF)" || { echo "FUNCLAT_LIBBPF=$(FUNCLAT_LIBBPF): no usr/lib*/libbpf.a" >&2; exit 1; }
	@rm -f $(FUNCLAT_OTHER)

bench-funclat: kmod examples $(FUNCLAT_BENCH) $(FUNCLAT_BTF_WALK) $(FUNCLAT_DEPS)
	$(Q)PALS_VM_SMP=1 PALS_VM_QEMU_ARGS="-icount shift=0" \
		tests/vm/run -k $(KVER) -- tests/bench/funclat/guest.sh
