# SPDX-License-Identifier: GPL-2.0
#
# USDT test targets (tests/test_usdt.c): one program with probes, built
# as PIE and at a fixed address, and the shared library it loads, itself
# with probes.

USDT_DIR := $(BUILD)/tests/usdt
USDT_LIB := $(USDT_DIR)/libusdt_lib.so
USDT_SRCS := tests/usdt/target.c tests/usdt/sema.c tests/usdt/many.c
USDT_TARGETS := $(USDT_DIR)/usdt_target $(USDT_DIR)/usdt_target_nopie
USDT_LDFLAGS = -L$(USDT_DIR) -lusdt_lib -Wl,-rpath,'$$ORIGIN'

$(USDT_LIB): tests/usdt/lib.c tests/usdt/*.h
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -fPIC -shared -o $@ $<

$(USDT_DIR)/usdt_target: $(USDT_SRCS) tests/usdt/*.h $(USDT_LIB)
	$(Q)$(CC) $(CFLAGS) -o $@ $(USDT_SRCS) $(USDT_LDFLAGS)

$(USDT_DIR)/usdt_target_nopie: $(USDT_SRCS) tests/usdt/*.h $(USDT_LIB)
	$(Q)$(CC) $(CFLAGS) -fno-pie -no-pie -o $@ $(USDT_SRCS) $(USDT_LDFLAGS)

$(BUILD)/tests/test_usdt $(BUILD)/tests/test_palsctl: $(USDT_TARGETS)
$(BUILD)/tests/progs/usdt.bpf.o: tests/usdt/vals.h
