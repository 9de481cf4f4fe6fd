#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian 12's own kernel (6.1, bookworm-security), where pals.ko does not
# build: make check runs the suite there on the map fallback. The image
# package is downloaded and unpacked into a cache, never installed.
#
#	scripts/kernel-61.sh		fetch if needed, print the root
#	scripts/kernel-61.sh kver	print its kernel release, if fetched
#	scripts/kernel-61.sh root	print the root
#
# The root holds usr/lib/modules/KVER/{vmlinuz,modules.dep}, the layout
# tests/vm/run looks for.
set -eu

CACHE=${PALS_KERNEL61_CACHE:-/var/cache/pals/kernel-6.1}
STAMP=$CACHE/.pals-kernel-61

case ${1:-} in
kver) sed -n 's/^kver=//p' "$STAMP" 2>/dev/null; exit 0 ;;
root) echo "$CACHE"; exit 0 ;;
esac

if [ -f "$STAMP" ]; then
	echo "$CACHE"
	exit 0
fi
# The newest ABI of the plain amd64 flavour the apt sources offer.
pkg=$(apt-cache pkgnames linux-image-6.1.0- | grep -E '^linux-image-6\.1\.0-[0-9]+-amd64$' |
	sort -V | tail -n1)
[ -n "$pkg" ] || { echo "kernel-61: no linux-image-6.1.0-*-amd64 in the apt sources" >&2; exit 1; }
kver=${pkg#linux-image-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download -q "$pkg" >&2)
rm -rf "$CACHE"
mkdir -p "$CACHE/usr/lib"
dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/x"
mv "$tmp/x/lib/modules" "$CACHE/usr/lib/modules"
mv "$tmp/x/boot/vmlinuz-$kver" "$CACHE/usr/lib/modules/$kver/vmlinuz"
depmod -b "$CACHE/usr" "$kver"
echo "kver=$kver" >"$STAMP"
echo "$CACHE"
