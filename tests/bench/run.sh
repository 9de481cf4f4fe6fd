#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# On the host (make bench): boot the guest twice, with QEMU -icount
# shift=0 (deterministic instruction counts) and with plain TCG (wall
# clock), run tests/bench/guest.sh in each, then print the table and
# write docs/bench.{json,md,png}; then the USDT comparison (bench-usdt)
# and attach at scale (bench-scale), appended to docs/bench.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
kver=${1:-}
build=${PALS_BUILD_DIR:-build}
out=$build/bench/out
docs=${PALS_BENCH_DOCS:-docs}
here=tests/bench
start=$(date +%s)

rm -rf "$out"
mkdir -p "$out" "$docs"
for meter in icount wall; do
	qemu_args=
	[ $meter = icount ] && qemu_args="-icount shift=0"
	echo "bench: $meter guest ..." >&2
	PALS_VM_SMP=1 PALS_VM_QEMU_ARGS=$qemu_args PALS_VM_OUT_DIR=$out/$meter \
	PALS_VM_LOG=$out/$meter-console.log \
		tests/vm/run ${kver:+-k "$kver"} -t "${PALS_BENCH_TIMEOUT:-900}" \
		-- $here/guest.sh $meter
done

# The tree measured; its own output under docs/ does not make it dirty.
git=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- . ":(exclude)$docs" 2>/dev/null || git+=-dirty
host=$(jq -n --arg date "$(date -u +%Y-%m-%dT%H:%MZ)" --arg git "$git" \
	--arg qemu "$(qemu-system-x86_64 --version | sed -n '1s/.*version \([^ ]*\).*/\1/p')" \
	--arg cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" \
	'{date: $date, command: "make bench", git: $git, qemu: $qemu,
	  host_cpu: $cpu,
	  modes: {icount: "QEMU TCG -icount shift=0, thread=single, 1 vCPU",
		  wall: "QEMU TCG, thread=single, 1 vCPU"}}')
jq -s --argjson host "$host" -f $here/merge.jq \
	"$out/icount/icount.jsonl" "$out/wall/wall.jsonl" >"$docs/bench.json"

table=$(jq -r -f $here/report.jq "$docs/bench.json")
echo "$table"

# The plot's data: a row per variant, a column per scale.
for m in icount:ns tcg:tcg_x_array; do
	jq -r --arg f "${m#*:}" '
		def scale: if .mode == "cookie" then "cookie, 1"
			   else "rotate, \(.n)" end;
		(["variant"] + [.access[] | select(.variant == "empty") | scale]),
		(.access | group_by(.variant) | sort_by(.[0].variant as $v |
			["empty", "key", "array", "hash", "global", "pals", "fallback"] | index($v))
		 | .[] | [.[0].variant] + map(.[$f]))
		| @tsv' "$docs/bench.json" >"$out/${m%%:*}.tsv"
done
gnuplot -e "data='$out'; out='$docs/bench.png'" \
	-e "title='PALS access cost by variant and scale ($(jq -r .date "$docs/bench.json"))'" \
	$here/plot.gp

{
	echo "# PALS benchmark"
	echo
	echo "Produced by \`make bench\` on $(jq -r .date "$docs/bench.json") (tree $(jq -r .git "$docs/bench.json"));"
	echo "data in [bench.json](bench.json), plot in [bench.png](bench.png)."
	echo "How it is measured: [tests/bench/README.md](../tests/bench/README.md);"
	echo "what the figures say about the kfunc's hot path: [hotpath.md](hotpath.md)."
	echo "**TCG figures are ratios, not native timings.**"
	echo
	echo '```'
	echo "$table"
	echo '```'
	echo
	echo "Guest /sys/devices/system/cpu/vulnerabilities:"
	echo
	echo '```'
	jq -r '.vulnerabilities | to_entries[] | "\(.key): \(.value)"' "$docs/bench.json"
	echo '```'
	echo
	echo '![access cost](bench.png)'
} >"$docs/bench.md"

# USDT argument fetch, libbpf's usdt.bpf.h against PALS' (its own guest).
echo "bench: usdt guest ..." >&2
usdt=$(make --no-print-directory -s bench-usdt ${kver:+KVER="$kver"} | grep -v '^make\[')
echo "$usdt"
{
	echo
	echo "## USDT argument fetch (\`make bench-usdt\`, same run)"
	echo
	echo '```'
	echo "$usdt"
	echo '```'
} >>"$docs/bench.md"
# funclat against libbpf-tools' funclatency (its own guest).
echo "bench: funclat guest ..." >&2
funclat=$(make --no-print-directory -s bench-funclat ${kver:+KVER="$kver"} | grep -v '^make\[')
echo "$funclat"
{
	echo
	echo "## funclat against funclatency (\`make bench-funclat\`, same run)"
	echo
	echo '```'
	echo "$funclat"
	echo '```'
} >>"$docs/bench.md"
# Attach and destroy at scale against libbpf (its own guest, long: the
# last part attaches kprobe_multi to every attachable kernel function).
echo "bench: scale guest ..." >&2
scale=$(make --no-print-directory -s bench-scale ${kver:+KVER="$kver"} \
	SCALE_PARTS="kprobe uprobe usdt phases all" | grep -v '^make\[')
echo "$scale"
{
	echo
	echo "## Attach at scale (\`make bench-scale\`, same run)"
	echo
	echo "How it is measured: [tests/bench/scale/scale.c](../tests/bench/scale/scale.c)."
	echo
	echo '```'
	echo "$scale"
	echo '```'
} >>"$docs/bench.md"
echo "bench: wrote $docs/bench.{md,json,png} in $(($(date +%s) - start)) s" >&2
