#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest (tests/suite.sh runs it as build/tests/test_pkg): the half
# of the install and packaging tests that needs this kernel. First the
# host half's TAP lines for this kernel (tests/pkg.sh, run by make check
# before the guests: its DKMS build; the lines of every kernel are
# counted once, on the host), then, with the suite's pals.ko removed:
# - /lib/modules/KVER becomes a tmpfs holding what `dkms install` put in
#   the scratch install tree, plus depmod: the layout of a machine with
#   pals-dkms installed (pals.ko needs no other module);
# - opencount, built out of tree against `make install DESTDIR=` with
#   pkg-config, runs from there: its pals_module__probe() makes the kernel
#   modprobe the family's alias, which loads the DKMS module;
# - palsctl from the .deb talks to it, the smoke test passes on it;
# then the suite's module goes back in.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${PALS_BUILD_DIR:-$root/build}
P=$build/pkg
kver=$(uname -r)
mods=/lib/modules/$kver
rc=0

ok() {
	echo "ok - $1"
}

not_ok() {
	echo "not ok - $1"
	rc=1
}

# check DESCRIPTION COMMAND...: its output shown as TAP comments.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc"; fi
	[ -z "$out" ] || echo "$out" | sed 's/^/# /'
}

if [ ! -f "$P/$kver.tap" ]; then
	echo "not ok - pkg: no $P/$kver.tap: run tests/pkg.sh $kver on the host (make check does)"
	exit 1
fi
echo "# host: tests/pkg.sh"
cat "$P/$kver.tap"
echo "# guest"

dkms_ko=$(ls "$P/modules/$kver/updates/dkms/pals.ko"* 2>/dev/null)

# The kernel's own lists come along, from the root that holds this kernel
# (the host, the build root, the debug kernel's), so that depmod sees the
# complete picture.
modules_from_dkms() {
	local f r orig=
	while read -r r; do
		[ -n "$orig" ] || [ ! -f "$r/usr/lib/modules/$kver/modules.order" ] ||
			orig=$r/usr/lib/modules/$kver
	done < <(sh "$root/scripts/kernel-roots.sh")
	[ -n "$orig" ] || { echo "no root holds /usr/lib/modules/$kver"; return 1; }
	mkdir -p /tmp/pals-kmods &&
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		cp "$orig/$f" /tmp/pals-kmods/ || return
	done
	mount -t tmpfs tmpfs /lib/modules &&
	mkdir -p "$mods" &&
	cp -a "$P/modules/$kver/." /tmp/pals-kmods/. "$mods/" &&
	depmod "$kver" &&
	grep -q 'net-pf-16-proto-16-family-pals pals$' "$mods/modules.alias"
}

autoload() {
	[ ! -d /sys/module/pals ] || { echo "pals.ko is still loaded"; return 1; }
	LD_LIBRARY_PATH=$P/root/usr/local/lib "$P/opencount/opencount" | tee /dev/stderr |
		grep -Eq '^opens by uid 0: ([3-9]|[1-9][0-9]+)$' &&
	[ "$(build_id_loaded)" = "$(build_id "$dkms_ko")" ]
}

# The build id of a module file, and of the loaded pals.ko (the note's
# last 20 bytes), to tell which module the kernel loaded.
build_id() {
	case $1 in
	*.xz) xz -dc "$1" >/tmp/pals-dkms.ko ;;
	*) cp "$1" /tmp/pals-dkms.ko ;;
	esac
	readelf -n /tmp/pals-dkms.ko | sed -n 's/^ *Build ID: //p'
}

build_id_loaded() {
	od -An -tx1 -v /sys/module/pals/notes/.note.gnu.build-id | tr -d ' \n' |
		tail -c 40
}

palsctl_deb() {
	"$P/debroot/usr/sbin/palsctl" -j stats | grep -q '"max_size"'
}

restore() {
	umount /lib/modules 2>/dev/null
	insmod "$PALS_KO"
}

check "rmmod the suite's pals.ko" "$root/tests/rmmod-pals.sh"
check "dkms: $kver module installed in /lib/modules/$kver, depmod" modules_from_dkms
check "autoload: opencount (pkg-config build) loads the DKMS module on first use" autoload
check "deb: palsctl stats" palsctl_deb
echo "# test_smoke on the DKMS module"
if "$build/tests/test_smoke"; then ok "dkms: test_smoke on the DKMS module"; else not_ok "dkms: test_smoke on the DKMS module"; fi
"$root/tests/rmmod-pals.sh" >/dev/null 2>&1
check "reinsert the suite's pals.ko" restore
exit $rc
