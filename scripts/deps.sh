#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing PALS needs on Debian 12, as root.
# Idempotent: when everything is present it only checks and returns.
set -eu

SUITE=bookworm-backports
BP_LIST=/etc/apt/sources.list.d/pals-backports.sources

# What the debug kernel's build needs, installed first: it builds while
# apt installs the rest and the build root downloads.
KBUILD_PKGS="make gcc flex bison bc libssl-dev libelf-dev dwarves xz-utils"
KBUILD_BP_PKGS="linux-source-6.12"
# Packages taken from bookworm-backports (6.12 kernel, libbpf 1.4, bpftool 7).
BP_PKGS="linux-image-amd64 linux-headers-amd64 libbpf-dev bpftool"
# Packages from the base suite (libbpf-tools: funclatency, which
# make bench-funclat compares funclat with).
PKGS="qemu-system-x86 clang llvm libmnl-dev busybox-static
cpio zlib1g-dev pkg-config kmod gnuplot-nox libjson-c-dev jq
systemtap-sdt-dev debootstrap zstd libbpf-tools
dkms dh-dkms debhelper dpkg-dev lintian"

missing() {
	for p in "$@"; do
		dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null |
			grep -qx installed || echo "$p"
	done
}

if [ "$(id -u)" != 0 ]; then
	echo "deps: must run as root (apt-get)" >&2
	exit 1
fi

# The newest 6.12 headers, and whether the image of that very build is there.
kernel_pair_ok() {
	hdr=$(ls -d /usr/src/linux-headers-6.12*-amd64 2>/dev/null | sort -V | tail -n1)
	[ -n "$hdr" ] && [ -f "/boot/vmlinuz-${hdr#/usr/src/linux-headers-}" ]
}

# The newest 7.x kernel, its headers and toolchain: a Debian 13 chroot.
buildroot() {
	[ -n "${PALS_NO_7X:-}" ] || "$(dirname "$0")/buildroot.sh" >/dev/null
}

# The 6.12 debug kernel (KASAN, lockdep, kmemleak), built once and cached,
# in the background: the CPU builds it while apt and the build root wait
# on the network. With PALS_DEBUG_KERNEL_BACKGROUND (make check) it goes
# on building after deps returns: tests/check-kernels.sh waits for it
# once the other kernels' guests are under way.
dk=
debug_kernel_start() {
	[ -n "${PALS_NO_DEBUG_KERNEL:-}" ] || {
		"$(dirname "$0")/debug-kernel.sh" >/dev/null &
		dk=$!
	}
}

roots() {
	buildroot
	# Debian 12's own 6.1, unpacked: make check runs the map fallback there.
	[ -n "${PALS_NO_61:-}" ] || "$(dirname "$0")/kernel-61.sh" >/dev/null
	[ -z "$dk" ] || [ -n "${PALS_DEBUG_KERNEL_BACKGROUND:-}" ] || wait "$dk"
}

if [ -z "$(missing $KBUILD_PKGS $KBUILD_BP_PKGS $PKGS $BP_PKGS)" ] && kernel_pair_ok; then
	echo "deps: all packages present"
	debug_kernel_start
	roots
	exit 0
fi

if ! grep -rqs "$SUITE" /etc/apt/sources.list /etc/apt/sources.list.d/; then
	uri=$("$(dirname "$0")/debian-uri.sh")
	echo "deps: adding $SUITE from $uri"
	cat > "$BP_LIST" <<EOT
Types: deb
URIs: $uri
Suites: $SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -q -y --no-install-recommends $KBUILD_PKGS
apt-get install -q -y --no-install-recommends -t "$SUITE" $KBUILD_BP_PKGS
debug_kernel_start
apt-get install -q -y --no-install-recommends $PKGS
# The image and headers meta packages both come from backports, so they
# resolve to the same build: module BTF is tied to that exact build.
apt-get install -q -y --no-install-recommends -t "$SUITE" $BP_PKGS
kernel_pair_ok || { echo "deps: 6.12 headers and image do not match" >&2; exit 1; }
roots
