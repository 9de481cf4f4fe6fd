#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile every ```c block of the Markdown files given against an
# installed PALS only, as a user copying it would: pkg-config libpals
# (its environment pointing at the install), clang and a vmlinux.h for
# BPF. One TAP line per block, named by file, line and heading; the
# compilers' output goes to stderr.
#
#	tests/docblocks.sh OUT VMLINUX_BTF FILE.md...
#
# Each block says what it is in an HTML comment on the line before it:
#
#	<!-- check: bpf [NAME] -->	a BPF object; with NAME, saved as
#					NAME.bpf.c and NAME.skel.h made from it
#	<!-- check: user -->		user code, linked if it has main()
#	<!-- check: file NAME -->	saved as NAME for the blocks after it
#	<!-- check: skip REASON -->	not compiled, a SKIP line with REASON
#
# A fragment gets a wrapper: the comment's further lines, up to a line
# "-->", with the line @BLOCK@ where the block goes. A block without a
# comment fails its line.
set -u
out=$1
btf=${2:-/sys/kernel/btf/vmlinux}
shift 2
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
CC=${CC:-cc}
CLANG=${CLANG:-clang}
BPFTOOL=${BPFTOOL:-bpftool}
read -ra user_cflags <<<"-O2 -Wall -Werror $($PKG_CONFIG --cflags libpals libbpf)"
read -ra user_libs <<<"$($PKG_CONFIG --libs libpals libbpf)"
bpf_cflags=(-O2 -g -Wall -Werror -target bpf -D__TARGET_ARCH_x86
	"-I$($PKG_CONFIG --variable=bpf_includedir libpals)"
	"-I/usr/include/$($CC -dumpmachine)")

# extract FILE DIR: block N of FILE into DIR/N.c, its wrapper (if any)
# into DIR/N.wrap, and a line "N|LINE|MARKER|HEADING" for it to stdout.
extract() {
	awk -v dir="$2" '
	function reset() { marker = ""; wrap = ""; inmarker = 0 }
	inmarker {
		if ($0 ~ /^[ \t]*-->[ \t]*$/) { inmarker = 0; next }
		line = $0
		if (substr(line, 1, mindent) ~ /^[ \t]*$/)
			line = substr(line, mindent + 1)
		wrap = wrap line "\n"
		next
	}
	inblock && /^[ \t]*```[ \t]*$/ {
		inblock = 0
		printf "%s", body > (dir "/" n ".c")
		close(dir "/" n ".c")
		if (wrap != "") {
			printf "%s", wrap > (dir "/" n ".wrap")
			close(dir "/" n ".wrap")
		}
		print n "|" start "|" marker "|" heading
		reset()
		next
	}
	inblock {
		line = $0
		if (substr(line, 1, indent) ~ /^[ \t]*$/)
			line = substr(line, indent + 1)
		body = body line "\n"
		next
	}
	inother { if ($0 ~ /^[ \t]*```/) inother = 0; next }
	/^[ \t]*<!-- check:/ {
		reset()
		mindent = match($0, /[^ \t]/) - 1
		marker = $0
		sub(/^[ \t]*<!-- check:[ \t]*/, "", marker)
		if (marker ~ /-->[ \t]*$/)
			sub(/[ \t]*-->[ \t]*$/, "", marker)
		else
			inmarker = 1
		next
	}
	/^[ \t]*```c[ \t]*$/ {
		inblock = 1
		n++
		start = NR
		body = ""
		indent = match($0, /[^ \t]/) - 1
		next
	}
	/^[ \t]*```/ { inother = 1; reset(); next }
	/^#+ / { heading = $0; sub(/^#+ /, "", heading) }
	/[^ \t]/ { reset() }
	' "$1"
}

# wrapped N DIR: block N in its wrapper, if any, to stdout.
wrapped() {
	if [ ! -f "$2/$1.wrap" ]; then
		cat "$2/$1.c"
		return
	fi
	grep -qx '@BLOCK@' "$2/$1.wrap" || { echo "wrapper without @BLOCK@" >&2; return 1; }
	awk -v body="$2/$1.c" '
	$0 == "@BLOCK@" { while ((getline l < body) > 0) print l; next }
	{ print }' "$2/$1.wrap"
}

bpf_block() {
	local n=$1 dir=$2 name=${3:-block$1}
	wrapped "$n" "$dir" >"$dir/$name.bpf.c" &&
	"$CLANG" "${bpf_cflags[@]}" -I"$dir" -c "$dir/$name.bpf.c" -o "$dir/$name.bpf.o" &&
	if [ -n "${3:-}" ]; then
		"$BPFTOOL" gen skeleton "$dir/$name.bpf.o" name "$name" >"$dir/$name.skel.h"
	fi
}

user_block() {
	local n=$1 dir=$2 src=$2/block$1.c
	wrapped "$n" "$dir" >"$src" &&
	"$CC" "${user_cflags[@]}" -I"$dir" -c "$src" -o "$dir/block$n.o" &&
	if grep -q '^int main(' "$src"; then
		"$CC" "$dir/block$n.o" -o "$dir/block$n" "${user_libs[@]}"
	fi
}

file_block() {
	[ -n "$3" ] && wrapped "$1" "$2" >"$2/$3"
}

# block N DIR MARKER: compile it as MARKER says.
block() {
	local kind=${3%% *} arg=
	[ "$kind" = "$3" ] || arg=${3#* }
	case $kind in
	bpf) bpf_block "$1" "$2" "$arg" ;;
	user) user_block "$1" "$2" ;;
	file) file_block "$1" "$2" "$arg" ;;
	'') echo "no <!-- check: ... --> comment before the block" >&2; return 1 ;;
	*) echo "unknown check '$kind'" >&2; return 1 ;;
	esac
}

# clang 14 can grow without bound on some BPF code (__builtin_clzll):
# fail the block, not the machine.
ulimit -v 4194304
rc=0
for doc in "$@"; do
	dir=$out/$(basename "$doc" .md)
	rm -rf "$dir"
	mkdir -p "$dir"
	"$BPFTOOL" btf dump file "$btf" format c >"$dir/vmlinux.h" || rc=1
	while IFS='|' read -r n line marker heading; do
		desc="doc: $doc:$line ($heading)"
		if [ "${marker%% *}" = skip ]; then
			echo "ok - $desc # SKIP ${marker#skip }"
			continue
		fi
		desc="$desc: ${marker:-no check comment}"
		echo "# $desc" >&2
		if block "$n" "$dir" "$marker" >&2; then
			echo "ok - $desc"
		else
			echo "not ok - $desc"
			rc=1
		fi
	done < <(extract "$doc" "$dir")
done
exit $rc
