#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing PALS needs on Debian 12, as root.
# Idempotent: when everything is present it only checks and returns.
set -eu

SUITE=bookworm-backports
BP_LIST=/etc/apt/sources.list.d/pals-backports.sources

# Packages taken from bookworm-backports (6.12 kernel, libbpf 1.4, bpftool 7).
BP_PKGS="linux-image-amd64 linux-headers-amd64 linux-source-6.12 libbpf-dev bpftool"
# Packages from the base suite.
PKGS="make gcc qemu-system-x86 clang llvm dwarves libmnl-dev busybox-static
cpio libelf-dev zlib1g-dev pkg-config xz-utils kmod gnuplot-nox libjson-c-dev jq
systemtap-sdt-dev
dkms dh-dkms debhelper dpkg-dev lintian"

missing() {
	for p in "$@"; do
		dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null |
			grep -qx installed || echo "$p"
	done
}

# The deb822 or one-line source that carries the Debian "main" archive.
debian_uri() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '/^URIs:/ { uri = $2 }
		     /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") ok = 1 }
		     /^$/ { if (ok && uri) { print uri; exit } ok = 0; uri = "" }
		     END { if (ok && uri) print uri }' "$f"
	done | head -n1
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' "$f"
	done | head -n1
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

if [ -z "$(missing $PKGS $BP_PKGS)" ] && kernel_pair_ok; then
	echo "deps: all packages present"
	exit 0
fi

if ! grep -rqs "$SUITE" /etc/apt/sources.list /etc/apt/sources.list.d/; then
	uri=$(debian_uri | head -n1)
	if [ -z "$uri" ]; then
		echo "deps: no Debian bookworm apt source found to derive $SUITE from" >&2
		exit 1
	fi
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
apt-get install -q -y --no-install-recommends $PKGS
# The image and headers meta packages both come from backports, so they
# resolve to the same build: module BTF is tied to that exact build.
apt-get install -q -y --no-install-recommends -t "$SUITE" $BP_PKGS
kernel_pair_ok || { echo "deps: 6.12 headers and image do not match" >&2; exit 1; }
