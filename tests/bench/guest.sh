#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Inside the guest (tests/vm/run): tests/bench/guest.sh METER [PART...].
# Insert the module, write a JSON line describing the guest to
# $PALS_VM_OUT/METER.jsonl, append pals-bench's lines, remove the module.
set -eu
meter=$1
shift
out=$PALS_VM_OUT/$meter.jsonl
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${PALS_BUILD_DIR:-$root/build}

insmod "$PALS_KO"
for f in /sys/devices/system/cpu/vulnerabilities/*; do
	printf '%s\t%s\n' "${f##*/}" "$(cat "$f")"
done | jq -cRn --arg meter "$meter" --arg kernel "$(uname -r)" \
	--arg cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" \
	--argjson ncpu "$(nproc)" \
	'{test: "guest", meter: $meter, kernel: $kernel, cpu: $cpu, ncpu: $ncpu,
	  vulnerabilities: ([inputs | split("\t") | {(.[0]): .[1]}] | add)}' >"$out"
"$build/bench/pals-bench" "$meter" "$out" "$@"
"$root/tests/rmmod-pals.sh" 100
