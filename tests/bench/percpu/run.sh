#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# On the host (make bench-percpu [KVER=...]): counters per attach point
# under contention. A guest with 2 vCPUs on multi-threaded TCG (one host
# thread per vCPU) times 2 pinned threads hitting one traced function
# with each variant (wall clock, the same run); a one-vCPU -icount guest
# counts each variant's instructions per run. Prints a table, and writes
# it with the JSON to docs/bench-percpu.{md,json}.
set -euo pipefail
cd "$(dirname "$0")/../../.."
kver=${1:-}
build=${PALS_BUILD_DIR:-build}
out=$build/bench/percpu-out
docs=${PALS_BENCH_DOCS:-docs}
rm -rf "$out"
mkdir -p "$out" "$docs"

echo "bench-percpu: wall guest (2 vCPUs, multi-threaded TCG) ..." >&2
PALS_VM_SMP=2 PALS_VM_ACCEL=tcg,thread=multi PALS_VM_OUT_DIR=$out \
	PALS_VM_LOG=$out/wall-console.log \
	tests/vm/run ${kver:+-k "$kver"} -t 900 -- tests/bench/percpu/guest.sh wall
echo "bench-percpu: icount guest (1 vCPU) ..." >&2
PALS_VM_SMP=1 PALS_VM_QEMU_ARGS="-icount shift=0" PALS_VM_OUT_DIR=$out \
	PALS_VM_LOG=$out/icount-console.log \
	tests/vm/run ${kver:+-k "$kver"} -t 900 -- tests/bench/percpu/guest.sh icount

jq -s . "$out/percpu-wall.jsonl" "$out/percpu-icount.jsonl" >"$docs/bench-percpu.json"
table=$(jq -r '
	(map(select(.test == "percpu" and .meter == "wall")) |
	 (map(select(.variant == "percpu_array"))[0].ns_per_call) as $arr |
	 "| variant | wall ns per call, \(.[0].threads) threads on \(.[0].threads) vCPUs | x percpu_array |",
	 "|---|---|---|",
	 (.[] | "| \(.variant) | \(.ns_per_call) | \(.ns_per_call / $arr * 100 | round / 100) |")),
	"",
	(map(select(.test == "percpu" and .meter == "icount")) |
	 (map(select(.variant == "percpu_array"))[0].ns) as $arr |
	 "| variant | icount instructions per run | x percpu_array |",
	 "|---|---|---|",
	 (.[] | "| \(.variant) | \(.ns) | \(.ns / $arr * 100 | round / 100) |"))
	' "$docs/bench-percpu.json")
echo "$table"
{
	echo "# Per-CPU blobs under contention ($(date -u +%Y-%m-%d), $(jq -r '.[0].kernel' "$docs/bench-percpu.json"))"
	echo
	echo "make bench-percpu: tests/bench/percpu/ (see run.sh)."
	echo
	echo "$table"
} >"$docs/bench-percpu.md"
