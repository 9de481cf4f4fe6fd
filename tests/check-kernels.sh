#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# On the host: build pals.ko for each kernel named and run the suite on it
# in its own guest (tests/check.sh), PALS_CHECK_JOBS guests at a time (one
# per core by default: a TCG guest runs on one host thread). Prints each
# kernel's output as it finishes, then "KVER: N passed, N failed" per
# kernel and the totals as the last line; fails if anything failed or a
# kernel was missing. With -p, the TAP lines of tests/pkg.sh that hold for
# every kernel (its all.tap) are counted too, once, as "host: ...".
#
#	tests/check-kernels.sh [-p ALL.TAP] KVER...
set -u
cd "$(dirname "$0")/.."
build=${PALS_BUILD_DIR:-build}
host_tap=
if [ "${1:-}" = -p ]; then
	host_tap=$2
	shift 2
fi
[ $# -gt 0 ] || { echo "check: no kernel to test (run make deps)"; echo "0 passed, 1 failed"; exit 1; }

passed=0 failed=0 lines=()
if [ -n "$host_tap" ]; then
	p=$(grep -c '^ok ' "$host_tap" 2>/dev/null)
	f=$(grep -c '^not ok ' "$host_tap" 2>/dev/null)
	grep '^not ok ' "$host_tap" 2>/dev/null
	if [ "$((${p:-0} + ${f:-0}))" -eq 0 ]; then
		echo "not ok - host: no results in $host_tap (did tests/pkg.sh run?)"
		p=0 f=1
	fi
	lines+=("host: $p passed, $f failed")
	passed=$((passed + p)) failed=$((failed + f))
fi

# One kernel: its module, then its guest; all output to check-KVER.log.
check_kernel() {
	local k=$1
	# Below pals.ko's floor: the map fallback only.
	if ! scripts/module-floor.sh "$k"; then
		tests/check.sh "$k" env PALS_MODE=fallback tests/suite.sh
	elif ! make --no-print-directory kmod KVER="$k" BUILD="$(pwd)/$build" >"$build/kmod-$k.log" 2>&1; then
		cat "$build/kmod-$k.log"
		echo "not ok - build pals.ko for $k"
		echo "0 passed, 1 failed"
	else
		tests/check.sh "$k"
	fi >"$build/check-$k.log" 2>&1
}

jobs=${PALS_CHECK_JOBS:-$(nproc)}
declare -A pid
for k in "$@"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		wait -n
	done
	echo "# kernel $k: started $(date +%T)"
	check_kernel "$k" &
	pid[$k]=$!
done
for k in "$@"; do
	wait "${pid[$k]}"
	echo "# kernel $k"
	cat "$build/check-$k.log"
	read -r p f < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
		"$build/check-$k.log" | tail -n 1)
	[ -n "${f:-}" ] || { p=0 f=1; }
	lines+=("$k: $p passed, $f failed")
	passed=$((passed + p)) failed=$((failed + f))
done
printf '%s\n' "${lines[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
