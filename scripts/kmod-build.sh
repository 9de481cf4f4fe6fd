#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build pals.ko for one kernel into BUILD/kmod/KVER/pals.ko, so modules
# for several kernels live side by side and the source tree stays clean:
# the directory holds links to kmod/ and the objects of that kernel.
#
#	scripts/kmod-build.sh KVER BUILD [MAKE ARGS...]
#
# Kernels whose headers are on the host are built there; the newest (7.x)
# kernel's kbuild needs Debian 13's glibc, so it is built in the build root
# of scripts/buildroot.sh, with the tree bind-mounted at the same path.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
kver=$1
build=$(mkdir -p "$2" && cd "$2" && pwd)
shift 2
out=$build/kmod/$kver

mkdir -p "$out"
ln -sfn "$root/uapi" "$build/kmod/uapi"
find "$out" -maxdepth 1 -type l ! -exec test -e {} \; -delete
for f in "$root"/kmod/Kbuild "$root"/kmod/*.[ch]; do
	ln -sf "$f" "$out/"
done

# The kernel's build tree: Debian's headers on the host, the debug
# kernel's tree, or (below) the build root's headers.
kdir=/usr/src/linux-headers-$kver
dbg=$("$root/scripts/debug-kernel.sh" root)/usr/lib/modules/$kver/build
[ -d "$kdir" ] || [ ! -d "$dbg" ] || kdir=$dbg

set -- -C "$kdir" M="$out" W=1 "$@" modules
if [ -d "$kdir" ]; then
	make "$@"
else
	br=$("$root/scripts/buildroot.sh" root)
	if [ ! -d "$br/usr/src/linux-headers-$kver" ]; then
		echo "kmod: no kernel headers for '$kver' on the host, in $br or in the debug kernel's tree (run make deps)" >&2
		exit 1
	fi
	# shellcheck disable=SC2016 # expanded by the inner shell
	unshare --mount sh -euc '
		br=$1 root=$2 build=$3
		shift 3
		for d in "$root" "$build"; do
			mkdir -p "$br$d"
			mount --bind "$d" "$br$d"
		done
		mount -t proc proc "$br/proc"	# objtool reads its limits
		exec chroot "$br" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			LANG=C.UTF-8 make "$@"' sh "$br" "$root" "$build" "$@"
fi
"$root/scripts/check-btf.sh" "$out/pals.ko"
