# SPDX-License-Identifier: GPL-2.0
#
# Installing PALS, with the variables of libbpf's src/Makefile:
#
# make install          libpals (.so.0.x and links, .a, .pc), the headers
#                       in $(INCLUDEDIR)/pals/, palsctl and palsctl.8
# make uninstall        remove what install put there
# make modules_install  pals.ko for $(KVER) to $(MODDIR)/updates, depmod
# make install_dkms     the module's sources and dkms.conf to
#                       /usr/src/pals-$(PALS_VERSION), for dkms install
# make deb              the Debian packages, in $(BUILD)/deb/
#
# PREFIX (/usr/local), LIBDIR, INCLUDEDIR, SBINDIR, MANDIR and DESTDIR as
# libbpf has them, except that LIBDIR defaults to $(PREFIX)/lib, which
# Debian's dynamic linker searches, rather than libbpf's lib64.
# modules_install honours INSTALL_MOD_PATH and INSTALL_MOD_DIR as kbuild.

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
INSTALL ?= install
INSTALL_MOD_DIR ?= updates
MODDIR = $(DESTDIR)$(INSTALL_MOD_PATH)/lib/modules/$(KVER)
DKMS_SRCDIR = /usr/src/pals-$(PALS_VERSION)
PALS_KO ?= $(CURDIR)/kmod/pals.ko

# The headers as installed, also staged in the build tree so that the
# examples include them as users do: <pals/libpals.h>, <pals/pals.bpf.h>.
PALS_INCDIR := $(BUILD)/include/pals
# Every header of bpf/: the README and the examples name them all.
PALS_HEADERS := $(addprefix $(PALS_INCDIR)/,libpals.h uapi.h \
		  $(notdir $(wildcard bpf/*.h)))
PALS_PC := $(BUILD)/user/libpals.pc
# libdir relative to ${prefix} where it can be, so that
# pkg-config --define-prefix relocates it, as libbpf's .pc does.
PC_LIBDIR = $(if $(filter $(PREFIX)/%,$(LIBDIR)),$${prefix}/$(patsubst $(PREFIX)/%,%,$(LIBDIR)),$(LIBDIR))
PALS_MAN := $(BUILD)/palsctl.8
PALS_LIBS := $(LIBPALS_A) $(LIBPALS_SO).$(PALS_VERSION)
# What dkms builds the module from.
DKMS_FILES := Kbuild kmod/Kbuild $(wildcard kmod/*.[ch]) uapi/linux/pals.h

.PHONY: install uninstall modules_install install_dkms deb man check-pkg \
	check-pkg-kernel force

man: $(PALS_MAN)

$(PALS_INCDIR)/libpals.h: user/lib/libpals.h
	$(Q)$(INSTALL) -D -m 644 $< $@

$(PALS_INCDIR)/uapi.h: uapi/linux/pals.h
	$(Q)$(INSTALL) -D -m 644 $< $@

$(PALS_INCDIR)/%.h: bpf/%.h
	$(Q)$(INSTALL) -D -m 644 $< $@

$(EXAMPLE_BINS) $(patsubst %,$(BUILD)/examples/%.bpf.o,$(EXAMPLES)): $(PALS_HEADERS)

# Regenerated every time: it depends on PREFIX and LIBDIR, as libbpf's.
$(PALS_PC): user/lib/libpals.pc.in force
	@mkdir -p $(@D)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(PC_LIBDIR)|' \
		-e 's|@VERSION@|$(PALS_VERSION)|' $< > $@

$(PALS_MAN): $(PALSCTL) scripts/help2roff.awk
	$(Q)$(PALSCTL) --help | awk -v version=$(PALS_VERSION) \
		-f scripts/help2roff.awk > $@

install: lib palsctl man $(PALS_HEADERS)
	$(Q)$(INSTALL) -d -m 755 '$(DESTDIR)$(INCLUDEDIR)/pals' \
		'$(DESTDIR)$(LIBDIR)/pkgconfig' '$(DESTDIR)$(SBINDIR)' \
		'$(DESTDIR)$(MANDIR)/man8'
	$(Q)$(INSTALL) -m 644 $(PALS_HEADERS) '$(DESTDIR)$(INCLUDEDIR)/pals'
	$(Q)$(INSTALL) -m 644 $(PALS_LIBS) '$(DESTDIR)$(LIBDIR)'
	$(Q)ln -sf libpals.so.$(PALS_VERSION) '$(DESTDIR)$(LIBDIR)/libpals.so.0'
	$(Q)ln -sf libpals.so.0 '$(DESTDIR)$(LIBDIR)/libpals.so'
	$(Q)$(INSTALL) -m 644 $(PALS_PC) '$(DESTDIR)$(LIBDIR)/pkgconfig'
	$(Q)$(INSTALL) -m 755 $(PALSCTL) '$(DESTDIR)$(SBINDIR)'
	$(Q)$(INSTALL) -m 644 $(PALS_MAN) '$(DESTDIR)$(MANDIR)/man8'
	$(Q)[ -n '$(DESTDIR)' ] || ldconfig

uninstall:
	$(Q)cd '$(DESTDIR)$(INCLUDEDIR)/pals' 2>/dev/null && rm -f $(notdir $(PALS_HEADERS)) || true
	$(Q)rmdir '$(DESTDIR)$(INCLUDEDIR)/pals' 2>/dev/null || true
	$(Q)cd '$(DESTDIR)$(LIBDIR)' 2>/dev/null && rm -f $(notdir $(PALS_LIBS)) \
		libpals.so.0 libpals.so pkgconfig/libpals.pc || true
	$(Q)rm -f '$(DESTDIR)$(SBINDIR)/palsctl' '$(DESTDIR)$(MANDIR)/man8/palsctl.8'
	$(Q)[ -n '$(DESTDIR)' ] || ldconfig

modules_install: kmod
	$(Q)$(INSTALL) -D -m 644 $(PALS_KO) '$(MODDIR)/$(INSTALL_MOD_DIR)/pals.ko'
	$(Q)depmod $(if $(DESTDIR)$(INSTALL_MOD_PATH),-b '$(DESTDIR)$(INSTALL_MOD_PATH)') $(KVER)

install_dkms:
	$(Q)for f in $(DKMS_FILES); do \
		$(INSTALL) -D -m 644 $$f '$(DESTDIR)$(DKMS_SRCDIR)'/$$f || exit; \
	done
	$(Q)sed 's/#MODULE_VERSION#/$(PALS_VERSION)/' dkms.conf \
		> '$(DESTDIR)$(DKMS_SRCDIR)/dkms.conf'

# dpkg-buildpackage writes next to the tree it builds: build a copy of the
# sources (what git tracks or would track) in $(BUILD)/deb/.
DEB_DIR = $(BUILD)/deb
DEB_SRC = $(DEB_DIR)/pals-$(PALS_VERSION)

deb:
	$(Q)v=$$(dpkg-parsechangelog -S Version); [ "$$v" = '$(PALS_VERSION)' ] || { \
		echo "deb: debian/changelog is at $$v, libpals.map at $(PALS_VERSION): add an entry (dch -v $(PALS_VERSION))" >&2; \
		exit 1; }
	$(Q)rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	$(Q)git ls-files -z --cached --others --exclude-standard | \
		xargs -0 cp --parents -t $(DEB_SRC)
	$(Q)cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || { \
		tail -n 30 ../build.log >&2; exit 1; }
	$(Q)ls $(DEB_DIR)/*.deb

# The install and packaging tests: tests/pkg.sh on the host, for the
# kernels make check boots, then test_pkg in each guest.
tests: $(BUILD)/tests/test_pkg

$(BUILD)/tests/test_pkg: tests/test_pkg.sh
	$(Q)$(INSTALL) -D -m 755 $< $@

check-pkg: all
	$(Q)PALS_VERSION=$(PALS_VERSION) PALS_BUILD_DIR=$(BUILD) \
		tests/pkg.sh $(or $(KERNELS),$(KVER))

# KVER's half alone, after check-pkg (tests/check-kernels.sh).
check-pkg-kernel:
	$(Q)PALS_VERSION=$(PALS_VERSION) PALS_BUILD_DIR=$(BUILD) \
		tests/pkg.sh -k $(KVER)
