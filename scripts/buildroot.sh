#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The Debian 13 build root for the newest Debian kernel (7.x): Debian 12
# cannot run that kernel's kbuild binaries (they need glibc 2.38), so its
# module is built inside this chroot, with the compiler and pahole the
# kernel was built with. The same root holds the kernel image and modules
# the guest boots, so the host's /boot is not touched.
#
#	scripts/buildroot.sh		create or refresh, print the root
#	scripts/buildroot.sh kver	print the 7.x kernel release in it
#	scripts/buildroot.sh root	print the root's path
#
# Idempotent and cached: a second run checks a stamp and returns.
set -eu

ROOT=${PALS_BUILDROOT:-/var/cache/pals/buildroot-trixie}
SUITE=trixie
# dkms: the pals-dkms package is tested here for 7.x (tests/pkg.sh).
# bpftool: kmod/Kbuild reads BTF with it.
PKGS="make gcc-14 libelf-dev pahole bpftool kmod ca-certificates dkms"
STAMP=$ROOT/.pals-buildroot

kver() {
	sed -n 's/^kver=//p' "$STAMP" 2>/dev/null
}

case ${1:-} in
kver) kver; exit 0 ;;
root) echo "$ROOT"; exit 0 ;;
esac

in_root() {
	chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"
}

# Nothing to do if the root has everything for the newest kernel it saw.
if [ -f "$STAMP" ] && [ -z "${PALS_BUILDROOT_REFRESH:-}" ]; then
	k=$(kver)
	if [ -n "$k" ] && [ -f "$ROOT/usr/lib/modules/$k/vmlinuz" ] &&
	   [ -f "$ROOT/usr/lib/modules/$k/modules.dep" ] &&
	   [ -d "$ROOT/usr/src/linux-headers-$k" ] && [ -x "$ROOT/usr/sbin/dkms" ] &&
	   [ -x "$ROOT/usr/sbin/bpftool" ] &&
	   ls "$ROOT"/usr/lib/*-linux-gnu/libbpf.so.1.[6-9]* >/dev/null 2>&1; then
		echo "$ROOT"
		exit 0
	fi
fi

if [ "$(id -u)" != 0 ]; then
	echo "buildroot: must run as root (debootstrap, chroot)" >&2
	exit 1
fi
uri=$("$(dirname "$0")/debian-uri.sh")

if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
	echo "buildroot: debootstrap $SUITE from $uri into $ROOT" >&2
	rm -rf "$ROOT"
	mkdir -p "$ROOT"
	debootstrap --variant=minbase "$SUITE" "$ROOT" "$uri" >&2
fi

cat > "$ROOT/etc/apt/sources.list.d/debian.sources" <<EOT
Types: deb
URIs: $uri
Suites: $SUITE $SUITE-updates $SUITE-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
# pahole deduplicates a module's BTF against vmlinux with the system
# libbpf. Debian 13's, 1.5, fails on 7.x's types and leaves the module its
# own struct bpf_prog_aux, so the verifier could not pass bpf_pals_get()
# its caller (kmod/caller.c); 1.6 does not. Take libbpf1 alone from
# unstable, whose Release may be older than its Valid-Until on a mirror.
cat > "$ROOT/etc/apt/sources.list.d/unstable.sources" <<EOT
Types: deb
URIs: $uri
Suites: unstable
Components: main
Check-Valid-Until: no
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
cat > "$ROOT/etc/apt/preferences.d/pals-unstable" <<EOT
Package: *
Pin: release a=unstable
Pin-Priority: 1
EOT
rm -f "$ROOT/etc/apt/sources.list"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true

in_root apt-get update -q >&2
# The newest kernel the backports suite offers, by its headers package.
k=$(in_root apt-cache search --names-only '^linux-headers-[0-9.]+\+deb13-amd64$' |
	sed 's/^linux-headers-\([^ ]*\) .*/\1/' | sort -V | tail -n 1)
if [ -z "$k" ]; then
	echo "buildroot: no linux-headers-*+deb13-amd64 in $SUITE-backports" >&2
	exit 1
fi
# 7.x splits the image: the kernel in linux-binary-*, modules in
# linux-modules-*; the linux-image-* package is an empty metapackage whose
# scripts want a full system, so take the parts.
img=$(in_root apt-cache depends "linux-image-$k" 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-\(binary\|modules\)-[^ ]*\)$/\1/p' | sort -u)
[ -n "$img" ] || img="linux-image-$k"
echo "buildroot: kernel $k ($img)" >&2
in_root apt-get install -q -y --no-install-recommends $PKGS \
	"linux-headers-$k" $img >&2
in_root apt-get install -q -y --no-install-recommends libbpf1/unstable >&2
# No modules.dep is shipped: the guest's initramfs needs it.
in_root depmod "$k"
[ -f "$ROOT/usr/lib/modules/$k/vmlinuz" ] || {
	echo "buildroot: no $ROOT/usr/lib/modules/$k/vmlinuz" >&2
	exit 1
}
echo "kver=$k" > "$STAMP"
echo "$ROOT"
