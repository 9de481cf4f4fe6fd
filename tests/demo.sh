#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Inside the guest: the main example. funclat traces three kernel
# functions while a small workload runs (kprobe.session programs where
# the kernel has them), with a per-function threshold and unit, prints
# its table from the blobs, and keeps (pins) them; palsctl then shows
# one of them and deletes all.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PALS_BUILD_DIR:-$root/build}
export PATH="$build/examples:$build:$PATH"

insmod "$PALS_KO"

workload='for i in $(seq 50); do sleep 0.01; cat /proc/version >/dev/null; done'
echo "\$ funclat -k -t 5000 __x64_sys_clock_nanosleep do_sys_openat2 vfs_read -t 100 -u -- sh -c '$workload'"
funclat -k -t 5000 __x64_sys_clock_nanosleep do_sys_openat2 vfs_read -t 100 -u \
	-- sh -c "$workload" | tee /tmp/funclat.out

handle=$(sed -n 's/.* __x64_sys_clock_nanosleep=\(0x[0-9a-f]*\).*/\1/p' /tmp/funclat.out)
echo
echo "\$ palsctl show $handle"
palsctl show "$handle"
echo
echo "\$ palsctl list"
palsctl list
for h in $(palsctl list -j | jq -r '.[] | select(.pinned) | .handle'); do
	palsctl delete "$h"
done
echo
echo "\$ palsctl stats"
palsctl stats
"$root/tests/rmmod-pals.sh"
