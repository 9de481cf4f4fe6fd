#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# On the host, before the guests: the build half of the install and
# packaging tests. Installs into a scratch DESTDIR and builds opencount
# from it with pkg-config alone, and every C block of the README and the
# tutorial (tests/docblocks.sh); builds the .debs and checks their files,
# dependencies and lintian; builds pals.ko with DKMS from the pals-dkms
# package for each kernel (the 7.x one in the Debian 13 build root), into
# scratch trees only. Everything goes to BUILD/pkg/; the TAP lines too:
# those of every kernel in all.tap, which make check counts once
# (tests/check-kernels.sh -p), those of one kernel (its DKMS build) in
# KVER.tap, which test_pkg prints in that kernel's guest before running
# what it built there. A debug kernel still being built (make check builds
# it in the background) has no KVER.tap yet: tests/check-kernels.sh runs
# its half with -k once the kernel is there.
#
#	PALS_VERSION=X tests/pkg.sh KVER...	both halves
#	PALS_VERSION=X tests/pkg.sh -k KVER	KVER's half, after both halves
set -u
cd "$(dirname "$0")/.." || exit
build=$(mkdir -p "${PALS_BUILD_DIR:-build}" && cd "${PALS_BUILD_DIR:-build}" && pwd)
ver=${PALS_VERSION:?}
P=$build/pkg
log=$P/host.log
only=
if [ "${1:-}" = -k ]; then
	only=1
	shift
else
	rm -rf "$P"
fi
mkdir -p "$P"
unset MAKEFLAGS MAKELEVEL

# t DESCRIPTION COMMAND...: one TAP line, the command's output to the log.
t() {
	local desc=$1 start=$SECONDS
	shift
	echo "# $desc: $*" >>"$log"
	if "$@" >>"$log" 2>&1; then
		echo "ok - $desc"
	else
		echo "not ok - $desc (see $log)"
	fi
	echo "# took $((SECONDS - start)) s" >>"$log"
}

# files DIR: what a tree holds, files and links, relative to DIR.
files() {
	(cd "$1" && find . ! -type d | sort)
}

install_files() {
	local dir=$1 want
	want=$(printf './usr/local/%s\n' include/pals/libpals.h include/pals/uapi.h \
		include/pals/pals.bpf.h include/pals/pals_fallback.bpf.h \
		include/pals/pals_fallback.h include/pals/pals_session.bpf.h \
		include/pals/pals_usdt.bpf.h include/pals/pals_usdt.h lib/libpals.a lib/libpals.so \
		lib/libpals.so.0 "lib/libpals.so.$ver" lib/pkgconfig/libpals.pc \
		sbin/palsctl share/man/man8/palsctl.8 | sort)
	diff -u <(echo "$want") <(files "$dir") &&
	[ "$(readlink "$dir/usr/local/lib/libpals.so.0")" = "libpals.so.$ver" ] &&
	readelf -d "$dir/usr/local/lib/libpals.so.$ver" | grep -q 'SONAME.*\[libpals.so.0\]'
}

uninstall_leaves_nothing() {
	make --no-print-directory install DESTDIR="$P/uninst" &&
	make --no-print-directory uninstall DESTDIR="$P/uninst" &&
	[ -z "$(files "$P/uninst")" ]
}

# The module of kernel KVER, as make modules_install puts it.
modules_install_ok() {
	local m=$P/modroot/lib/modules/$1
	make --no-print-directory modules_install KVER="$1" INSTALL_MOD_PATH="$P/modroot" &&
	[ -f "$m/updates/pals.ko" ] &&
	grep -q '^updates/pals.ko:' "$m/modules.dep" &&
	grep -q 'family-pals pals$' "$m/modules.alias"
}

pkgconfig_flags() {
	local d=$P/root/usr/local
	echo "cflags: $(pkg-config --cflags libpals); libs: $(pkg-config --libs libpals)"
	[ "$(pkg-config --modversion libpals)" = "$ver" ] &&
	case " $(pkg-config --cflags libpals) " in *" -I$d/include "*) ;; *) false ;; esac &&
	[ "$(pkg-config --libs libpals | xargs)" = "-L$d/lib -lpals" ] &&
	[ "$(pkg-config --variable=bpf_includedir libpals)" = "$d/include" ] &&
	pkg-config --print-requires-private libpals | sort | tr '\n' ' ' |
		grep -qx 'libbpf libelf libmnl '
}

# deb PACKAGE: its .deb, of whichever architecture.
deb() {
	ls "$build/deb/${1}_${ver}_"*.deb
}

# deb_has PACKAGE PATH...: the package's .deb holds these paths.
deb_has() {
	local deb p
	deb=$(deb "$1") || return
	shift
	for p in "$@"; do
		dpkg-deb -c "$deb" | awk '{ print $6 }' | grep -qx "./$p" ||
			{ echo "$deb has no $p"; return 1; }
	done
}

# deb_depends PACKAGE REGEX...: its Depends match each expression.
deb_depends() {
	local dep r
	dep=$(dpkg-deb -f "$(deb "$1")" Depends) || return
	echo "$1: Depends: $dep"
	shift
	for r in "$@"; do
		echo "$dep" | grep -Eq "(^|, )$r(,|$)" || { echo "no '$r'"; return 1; }
	done
}

multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
lib=usr/lib/$multiarch

debs_ok() {
	deb_has pals-dkms "usr/src/pals-$ver/dkms.conf" "usr/src/pals-$ver/Kbuild" \
		"usr/src/pals-$ver/kmod/Kbuild" "usr/src/pals-$ver/kmod/main.c" \
		"usr/src/pals-$ver/uapi/linux/pals.h" &&
	deb_depends pals-dkms 'dkms( \(.*\))?' &&
	deb_has libpals0 "$lib/libpals.so.0" "$lib/libpals.so.$ver" &&
	deb_depends libpals0 'libbpf1 \(.*\)' 'libmnl0 \(.*\)' 'libelf1 \(.*\)' &&
	deb_has libpals-dev usr/include/pals/libpals.h usr/include/pals/pals.bpf.h \
		usr/include/pals/pals_fallback.bpf.h usr/include/pals/pals_fallback.h \
		usr/include/pals/pals_session.bpf.h usr/include/pals/pals_usdt.bpf.h usr/include/pals/pals_usdt.h \
		usr/include/pals/uapi.h "$lib/libpals.so" "$lib/libpals.a" \
		"$lib/pkgconfig/libpals.pc" &&
	deb_depends libpals-dev "libpals0 \\(= $ver\\)" libbpf-dev libmnl-dev libelf-dev &&
	deb_has palsctl usr/sbin/palsctl usr/share/man/man8/palsctl.8.gz &&
	deb_depends palsctl 'libjson-c5 \(.*\)' &&
	grep -qx "PACKAGE_VERSION=\"$ver\"" <(dpkg-deb --fsys-tarfile "$(deb pals-dkms)" |
		tar -xO "./usr/src/pals-$ver/dkms.conf")
}

debs_unpack() {
	local d
	for d in "$build"/deb/*.deb; do
		dpkg -x "$d" "$P/debroot" || return
	done
}

# The module sources come from the package: DKMS trees in scratch
# directories, signing keys too, the host's /var/lib/dkms untouched.
dkms_cmd() {
	mok_signing_key=$P/mok.key mok_certificate=$P/mok.pub \
	dkms "$@" -m pals -v "$ver" --dkmstree "$P/dkms" \
		--sourcetree "$P/debroot/usr/src" --installtree "$P/modules"
}

# dkms_host KVER KDIR: KDIR, Debian's headers or the debug kernel's tree.
dkms_host() {
	mkdir -p "$P/modules/$1" &&
	dkms_cmd install -k "$1" --no-depmod --kernelsourcedir "$2"
}

# The 7.x kbuild runs in the Debian 13 build root, as scripts/kmod-build.sh
# does it, with the scratch tree bind-mounted at the same path, and a
# /proc (objtool reads it).
dkms_buildroot() {
	local br
	br=$(scripts/buildroot.sh root)
	if [ ! -x "$br/usr/sbin/dkms" ]; then
		echo "no dkms in the build root $br"
		return 1
	fi
	mkdir -p "$P/modules/$1"
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount --pid --fork sh -euc '
		br=$1 P=$2
		shift 2
		mkdir -p "$br$P"
		mount --bind "$P" "$br$P"
		mount -t proc proc "$br/proc"
		exec chroot "$br" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			LANG=C.UTF-8 mok_signing_key=$P/mok.key \
			mok_certificate=$P/mok.pub dkms "$@"' sh "$br" "$P" \
		install -m pals -v "$ver" -k "$1" --no-depmod \
		--kernelsourcedir "/usr/src/linux-headers-$1" --dkmstree "$P/dkms" \
		--sourcetree "$P/debroot/usr/src" --installtree "$P/modules"
}

dkms_module_ok() {
	local ko
	ko=$(ls "$P/modules/$1/updates/dkms/pals.ko"* 2>/dev/null) || return 1
	modinfo -F vermagic "$ko" | grep -q "^$1 " &&
	modinfo -F alias "$ko" | grep -qx 'net-pf-16-proto-16-family-pals'
}

# Below the floor, DKMS declines with its BUILD_EXCLUSIVE message (77).
dkms_floor() {
	local rc
	mkdir -p "$P/dkms"
	dkms_cmd build -k 6.1.0-99-amd64
	rc=$?
	[ "$rc" -eq 77 ] || { echo "dkms build exit $rc, not 77"; return 1; }
}

# The BTF the examples' vmlinux.h comes from: the first kernel given that
# has it, in its headers or in the debug kernel's tree.
debug_root=$(scripts/debug-kernel.sh root)
vmlinux=
for k in "$@"; do
	for v in "/usr/src/linux-headers-$k/vmlinux" \
		 "$debug_root/usr/lib/modules/$k/build/vmlinux"; do
		[ -n "$vmlinux" ] || [ ! -f "$v" ] || vmlinux=$v
	done
done

# One kernel's half, into KVER.tap.
kernel_half() {
	local k=$1

	if [ -d "/usr/src/linux-headers-$k" ]; then
		t "dkms: pals-dkms builds and installs pals.ko for $k" \
			dkms_host "$k" "/usr/src/linux-headers-$k"
	elif [ -d "$debug_root/usr/lib/modules/$k/build" ]; then
		t "dkms: pals-dkms builds and installs pals.ko for $k (debug kernel)" \
			dkms_host "$k" "$debug_root/usr/lib/modules/$k/build"
	else
		t "dkms: pals-dkms builds and installs pals.ko for $k (build root)" dkms_buildroot "$k"
	fi
	t "dkms: $k module has its vermagic and family alias" dkms_module_ok "$k"
}

if [ -n "$only" ]; then
	kernel_half "$1" >"$P/$1.tap"
	cat "$P/$1.tap"
	exit
fi

{
	t "install: make install DESTDIR" make --no-print-directory install DESTDIR="$P/root"
	t "install: headers, libraries and links, pc file, palsctl, man page" install_files "$P/root"
	t "install: make uninstall removes them all" uninstall_leaves_nothing
	for k in "$@"; do
		! scripts/debug-kernel.sh pending "$k" || continue
		t "install: make modules_install INSTALL_MOD_PATH, depmod" modules_install_ok "$k"
		break
	done
	export PKG_CONFIG_SYSROOT_DIR=$P/root
	PKG_CONFIG_LIBDIR=$P/root/usr/local/lib/pkgconfig:$(pkg-config --variable pc_path pkg-config)
	export PKG_CONFIG_LIBDIR
	t "install: pkg-config libpals in DESTDIR" pkgconfig_flags
	t "install: every example built out of tree with pkg-config" \
		make -C examples O="$P/opencount" VMLINUX_BTF="$vmlinux"
	echo "# docs: tests/docblocks.sh" >>"$log"
	tests/docblocks.sh "$P/docs" "$vmlinux" README.md docs/tutorial.md 2>>"$log"
	unset PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR
	t "deb: make deb" env DEB_BUILD_OPTIONS=noautodbgsym make --no-print-directory deb
	t "deb: packages' files and dependencies" debs_ok
	t "deb: lintian, no error or warning" lintian --fail-on error,warning "$build"/deb/*.changes
	t "deb: unpack into a scratch root" debs_unpack
	t "dkms: 6.1 is below the floor, skipped with BUILD_EXCLUSIVE" dkms_floor
} >"$P/all.tap"
cat "$P/all.tap"

for k in "$@"; do
	scripts/module-floor.sh "$k" || continue
	if scripts/debug-kernel.sh pending "$k"; then
		echo "# $k: still building, its half comes later"
		continue
	fi
	kernel_half "$k" >"$P/$k.tap"
	cat "$P/$k.tap"
done
