#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A module without .BTF or .BTF_ids loads fine but its kfuncs are invisible
# to BPF: refuse to call such a build a success. Where the kfunc takes its
# caller (7.x, kmod/compat.h), also check what kmod/Kbuild probed: that the
# hidden argument is vmlinux's struct bpf_prog_aux, a type of the distilled
# base, not a copy in the module's own BTF, which the verifier would not
# fill in.
set -eu
for sec in .BTF .BTF_ids; do
	if ! readelf -SW "$1" | grep -q " \\$sec "; then
		echo "error: $1 has no $sec section: kfuncs would be invisible to BPF." >&2
		echo "       Build against headers that ship vmlinux and resolve_btfids (Debian's do)." >&2
		exit 1
	fi
done
command -v bpftool >/dev/null && readelf -SW "$1" | grep -q ' \.BTF\.base ' || exit 0
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
objcopy --dump-section .BTF.base="$d/base" --dump-section .BTF="$d/split" \
	"$1" "$d/ko" 2>/dev/null
bpftool btf dump file "$d/base" > "$d/base.txt"
bpftool btf dump file "$d/split" --base-btf "$d/base" > "$d/split.txt"
grep -q "^\[[0-9]*\] FUNC 'bpf_pals_get_impl'" "$d/split.txt" || exit 0
# FUNC -> FUNC_PROTO -> its last parameter -> PTR -> the struct.
aux=$(awk '
	function ref(s) { sub(/.*type_id=/, "", s); sub(/ .*/, "", s); return s }
	/^\[/ { id = substr($1, 2, length($1) - 2); kind[id] = $2; line[id] = $0; cur = id; next }
	{ last[cur] = $0 }
	END {
		for (id in kind)
			if (line[id] ~ /FUNC .bpf_pals_get_impl. /)
				proto = ref(line[id])
		print ref(line[ref(last[proto])])
	}' "$d/split.txt")
if ! grep -q "^\[$aux\] STRUCT 'bpf_prog_aux' " "$d/base.txt"; then
	echo "error: $1: bpf_pals_get_impl's caller argument is not vmlinux's struct bpf_prog_aux" >&2
	echo "       (type $aux of the module's own BTF): the verifier would not pass it. Build with" >&2
	echo "       a pahole whose libbpf is 1.6 or later." >&2
	exit 1
fi
