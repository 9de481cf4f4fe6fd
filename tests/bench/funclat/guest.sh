#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In the guest (make bench-funclat): funclat and libbpf-tools'
# funclatency on __x64_sys_pread64, N preads each, one after the other in
# this one boot; each tool runs twice and the second run is kept (the
# first warms the page cache). Baseline: the workload untraced. First,
# PALS_FUNCLAT_MODULES (default 64) module BTFs are loaded, as on a
# distribution machine (libbpf loads every one to resolve a module kfunc).
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=${PALS_BUILD_DIR:-$root/build}
bench=$build/tests/bench/funclat/funclat-bench
funclat=$build/examples/funclat
n=${PALS_FUNCLAT_N:-10000}
f=__x64_sys_pread64

insmod "$PALS_KO" || exit 1
modules=$("$root/tests/bench/funclat/modules.sh" "${PALS_FUNCLAT_MODULES:-64}") ||
	echo "# warning: only $modules module BTFs could be loaded"
echo "# cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
echo "# kernel: $(uname -r); possible CPUs: $(cat /sys/devices/system/cpu/possible)"
echo "# spectre_v2: $(cat /sys/devices/system/cpu/vulnerabilities/spectre_v2)"
echo "# module BTFs: $modules (pals and $((modules - 1)) of the kernel's)"
out=/tmp/funclat-bench.txt
run() {
	label=$1
	shift
	"$bench" "$n" "$label" "$@" >/dev/null
	"$bench" "$n" "$label" "$@" | tee -a $out
}
run untraced sh -c 'echo Tracing; exec sleep 1000'
# funclatency's stdout is a pipe here: line-buffer it to see "Tracing".
run funclatency stdbuf -oL funclatency "$f"
run funclat "$funclat" "$f"
run funclat-a0 "$funclat" -a 0 "$f"
run funclat-N "$funclat" -N "$f"
# With another libbpf (FUNCLAT_LIBBPF=DIR at make bench-funclat).
other=$build/tests/bench/funclat/funclat-libbpf
[ ! -x "$other" ] || run funclat-libbpf "$other" "$f"
run untraced sh -c 'echo Tracing; exec sleep 1000'
# Per traced call: the programs' instructions (all runs / calls timed),
# the workload's extra instructions over the untraced runs' lowest (the
# whole cost of tracing: probe mechanism and programs).
echo
awk '
	{ prog = 0; for (i = 1; i <= NF; i++) if ($i == "ns/run") prog += $(i + 1) * $(i - 1) }
	$1 == "untraced" { if (!base || $7 < base) base = $7; next }
	{ t = $NF; wl[++k] = $7; rows[k] = sprintf("%-14s %9.1f %%10.0f %8d %8.1f %8.1f", $1, t ? prog / t : 0, t, $3, $5) }
	END {
		printf "%-14s %9s %10s %8s %8s %8s\n", "tool", "prog/call", "extra/call", "timed", "ready_ms", "cpu_ms"
		for (i = 1; i <= k; i++) printf rows[i] "\n", wl[i] - base
	}' $out
# Where funclat's time to ready goes (libbpf's messages, timed by -v).
echo
for tool in "$funclat" "$other"; do
	[ -x "$tool" ] || continue
	echo "# $(basename "$tool") -v: ms since start"
	"$tool" -v -d 1 "$f" 2>&1 >/dev/null | grep -E \
		"loading object|loaded kernel BTF|resolved to|funclat: ready" |
		sed 's/libbpf: //'
done
echo "# module BTFs: $(ls /sys/kernel/btf | grep -vc '^vmlinux$')"
for walk in btf-walk btf-walk-libbpf; do
	[ ! -x "$build/tests/bench/funclat/$walk" ] ||
		echo "# $walk: $("$build/tests/bench/funclat/$walk")"
done
"$root/tests/rmmod-pals.sh" 100
