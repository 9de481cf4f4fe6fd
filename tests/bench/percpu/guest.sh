#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Inside the guest (tests/vm/run): tests/bench/percpu/guest.sh METER.
# Insert the module, append a line describing the guest and percpu-bench's
# lines to $PALS_VM_OUT/percpu-METER.jsonl, remove the module.
set -eu
meter=$1
root=$(cd "$(dirname "$0")/../../.." && pwd)
build=${PALS_BUILD_DIR:-$root/build}
out=$PALS_VM_OUT/percpu-$meter.jsonl

insmod "$PALS_KO"
printf '{"test":"guest","meter":"%s","kernel":"%s","ncpu":%s,"cpu":"%s"}\n' \
	"$meter" "$(uname -r)" "$(nproc)" \
	"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" >"$out"
"$build/bench/percpu-bench" "$meter" "$out"
"$root/tests/rmmod-pals.sh" 100
