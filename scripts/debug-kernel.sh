#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The debug kernel make check boots besides Debian's own: Debian's 6.12
# source (linux-source-6.12) built with tests/vm/debug.config, so the suite
# runs under KASAN, lockdep, DEBUG_OBJECTS and kmemleak. Cached under
# $PALS_DEBUG_KERNEL_CACHE, one tree per source version and config; the
# first build takes about 18 minutes on two cores.
#
#	scripts/debug-kernel.sh		build if needed (or wait for the
#					build under way), print the root
#	scripts/debug-kernel.sh kver	print its kernel release: built,
#					or to be built (linux-source-6.12
#					installed, PALS_NO_DEBUG_KERNEL unset)
#	scripts/debug-kernel.sh pending KVER
#					exit 0 if KVER is its release and it
#					is not built yet
#	scripts/debug-kernel.sh root	print the root
#
# The root holds usr/lib/modules/KVER/{vmlinuz,modules.dep,build}, the
# layout tests/vm/run and scripts/kmod-build.sh look for.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
CACHE=${PALS_DEBUG_KERNEL_CACHE:-/var/cache/pals/debug-kernel}
CONFIG=$here/../tests/vm/debug.config
TARBALL=${KSRC_TAR:-/usr/src/linux-source-6.12.tar.xz}

key() {
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) || return 1
	sum=$(sha256sum <"$CONFIG" | cut -c1-12)
	echo "$ver-$sum"
}

# The release the build will have: the source's upstream version and the
# config's local version (checked against the build's).
release() {
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) || return 0
	[ -z "$ver" ] || echo "${ver%%-*}$(sed -n 's/^CONFIG_LOCALVERSION="\(.*\)"$/\1/p' "$CONFIG")"
}

k=$(key) || k=none
ROOT=$CACHE/$k
STAMP=$ROOT/.pals-debug-kernel

case ${1:-} in
kver) [ -f "$STAMP" ] || [ -z "${PALS_NO_DEBUG_KERNEL:-}" ] && release; exit 0 ;;
pending) [ "${2:-}" = "$(release)" ] && [ ! -f "$STAMP" ]; exit ;;
root) echo "$ROOT"; exit 0 ;;
esac

# Built: no lock, so a cache the caller cannot write serves as well.
if [ -f "$STAMP" ]; then
	echo "$ROOT"
	exit 0
fi
# One build at a time: a second caller waits for it, then finds it built.
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9
if [ -f "$STAMP" ]; then
	echo "$ROOT"
	exit 0
fi
if [ "$k" = none ] || [ ! -f "$TARBALL" ]; then
	echo "debug-kernel: linux-source-6.12 is not installed (run make deps)" >&2
	exit 1
fi

start=$(date +%s)
rm -rf "$ROOT"
mkdir -p "$ROOT/obj"
echo "debug-kernel: extracting $TARBALL" >&2
tar -xJf "$TARBALL" -C "$ROOT"
src=$(echo "$ROOT"/linux-source-*)
obj=$ROOT/obj
km() { make -s -C "$src" O="$obj" "$@"; }

km x86_64_defconfig kvm_guest.config
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$CONFIG" >/dev/null
km olddefconfig
# Every option asked for must have survived olddefconfig's dependencies.
missing=$(grep '^CONFIG_' "$CONFIG" | while read -r l; do
	grep -qxF "$l" "$obj/.config" || echo "$l"
done)
if [ -n "$missing" ]; then
	echo "debug-kernel: options lost to dependencies:" $missing >&2
	exit 1
fi

echo "debug-kernel: building in $obj (about 18 minutes on two cores)" >&2
km -j"$(nproc)" bzImage modules >"$ROOT/build.log" 2>&1 ||
	{ tail -n 40 "$ROOT/build.log" >&2; exit 1; }
kver=$(km kernelrelease)
if [ "$kver" != "$(release)" ]; then
	echo "debug-kernel: built $kver, expected $(release)" >&2
	exit 1
fi
km INSTALL_MOD_PATH="$ROOT/usr" INSTALL_MOD_STRIP=1 modules_install >/dev/null
mods=$ROOT/usr/lib/modules/$kver
cp "$obj/arch/x86/boot/bzImage" "$mods/vmlinuz"
ln -sfn "$obj" "$mods/build"

# Only the newest tree is kept.
for d in "$CACHE"/*; do
	[ "$d" = "$ROOT" ] || rm -rf "$d"
done
echo "kver=$kver" >"$STAMP"
echo "debug-kernel: $kver built in $(($(date +%s) - start)) s" >&2
echo "$ROOT"
