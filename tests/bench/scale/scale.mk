# SPDX-License-Identifier: GPL-2.0
#
# make bench-scale: attach and destroy at scale, PALS against libbpf
# (tests/bench/scale/scale.c), in a one-CPU guest counting instructions
# (-icount). SCALE_PARTS: kprobe uprobe usdt phases all (default: all
# but "all", kprobe_multi over every attachable function).
#
# The guest gets a virtio-rng: without an entropy source, a TCG guest's
# random number generator never finishes initialising, and every
# get_random_u64() (a new blob's handle) then takes the slow path, ten
# times the cost of a whole blob creation otherwise.

SCALE_DIR := $(BUILD)/bench/scale
SCALE_BIN := $(SCALE_DIR)/pals-scale
SCALE_PARTS ?= kprobe uprobe usdt phases
# Where a kernel's modules are when they are not on the host: the guest
# runs the host's root, so 7.x's virtio-rng comes from the build root.
SCALE_MODROOT := $(shell sh scripts/buildroot.sh root)

.PHONY: bench-scale

$(SCALE_DIR)/%.bpf.o: tests/bench/scale/%.bpf.c tests/bench/scale/*.h bpf/*.h $(BUILD)/vmlinux.h
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# -fno-ipa-icf: every site function stays its own, at its own address.
SCALE_SRCS := tests/bench/scale/scale.c tests/bench/scale/sites.c tests/bench/memlock.c

$(SCALE_BIN): $(SCALE_SRCS) tests/bench/scale/*.h tests/bench/memlock.h \
	      $(SCALE_DIR)/scale.skel.h $(LIBPALS_A)
	$(Q)$(CC) $(CFLAGS) -fno-ipa-icf -I$(SCALE_DIR) -Itests/bench/scale -Itests/bench \
		$(SCALE_SRCS) -o $@ $(LDLIBS_PALS)

bench-scale: kmod $(SCALE_BIN)
	$(Q)mkdir -p $(SCALE_DIR)/out
	$(Q)PALS_VM_SMP=1 PALS_VM_QEMU_ARGS="-icount shift=0 -device virtio-rng-pci" \
		PALS_VM_OUT_DIR=$(SCALE_DIR)/out \
		tests/vm/run -k $(KVER) -t $${PALS_BENCH_TIMEOUT:-3600} -- sh -c \
		'{ modprobe -q virtio-rng || modprobe -d $(SCALE_MODROOT) virtio-rng; } && \
		 insmod "$$PALS_KO" && \
		 $(SCALE_BIN) $$PALS_VM_OUT/scale.jsonl $(SCALE_PARTS); \
		 rc=$$?; tests/rmmod-pals.sh 100 || rc=1; exit $$rc'
