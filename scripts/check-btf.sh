#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A module without .BTF or .BTF_ids loads fine but its kfuncs are invisible
# to BPF: refuse to call such a build a success.
set -eu
for sec in .BTF .BTF_ids; do
	if ! readelf -SW "$1" | grep -q " \\$sec "; then
		echo "error: $1 has no $sec section: kfuncs would be invisible to BPF." >&2
		echo "       Build against headers that ship vmlinux and resolve_btfids (Debian's do)." >&2
		exit 1
	fi
done
