#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# On the host: build pals.ko for each kernel named and run the suite on it
# in its own guest (tests/check.sh), PALS_CHECK_JOBS guests at a time (one
# per core by default: a TCG guest runs on one host thread). The debug
# kernel, several times slower than the others, runs its suite in two
# guests, half the test binaries each. Kernels that are there go first,
# in the order given; a debug kernel still building (make check's first
# run) goes last, and is waited for once the others' guests are under
# way; its half of tests/pkg.sh is run then. Prints each kernel's output once
# it is done, then "KVER: N passed, N failed" per kernel and the totals as
# the last line; fails if anything failed or a kernel was missing. With
# -p, the TAP lines of tests/pkg.sh that hold for every kernel (its
# all.tap) are counted too, once, as "host: ...".
#
#	tests/check-kernels.sh [-p ALL.TAP] KVER...
set -u
cd "$(dirname "$0")/.."
build=$(realpath -m "${PALS_BUILD_DIR:-build}")
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

# The guests of kernel KVER: "KVER" (the whole suite) or "KVER/I/N" (the
# I-th of N shares of the test binaries).
units() {
	case $1 in
	*-pals-debug) echo "$1/1/2 $1/2/2" ;;
	*) echo "$1" ;;
	esac
}

# The test binaries of share I of N.
share() {
	local i=0 t
	for t in "$build"/tests/test_*; do
		[ $((i++ % $2)) -eq $(($1 - 1)) ] && echo "${t##*/}"
	done
}

# One guest; all output to check-UNIT.log (a / in UNIT as a _).
check_unit() {
	local u=$1 k=${1%%/*} name=${1//\//_}
	local -a cmd=(tests/suite.sh)
	[ "$u" = "$k" ] || cmd+=($(share "$(echo "$u" | cut -d/ -f2)" "${u##*/}"))
	# Below pals.ko's floor: the map fallback only.
	scripts/module-floor.sh "$k" || cmd=(env PALS_MODE=fallback "${cmd[@]}")
	if [ ! -f "$build/kmod-$k.ok" ] && scripts/module-floor.sh "$k"; then
		cat "$build/kmod-$k.log"
		echo "not ok - build pals.ko for $k"
		echo "0 passed, 1 failed"
	else
		PALS_CHECK_NAME=$name tests/check.sh "$k" "${cmd[@]}"
	fi >"$build/check-$name.log" 2>&1
}

# Kernel KVER's module, before its first guest: its guests share it. A
# debug kernel still building is waited for first; its half of
# tests/pkg.sh did not run before, and runs now.
prepare() {
	local k=$1
	rm -f "$build/kmod-$k.ok"
	scripts/module-floor.sh "$k" || return 0
	{
		if scripts/debug-kernel.sh pending "$k"; then
			echo "# waiting for the debug kernel's build"
			scripts/debug-kernel.sh >/dev/null || return
		fi
		make --no-print-directory kmod KVER="$k" BUILD="$build"
	} >"$build/kmod-$k.log" 2>&1 && touch "$build/kmod-$k.ok"
	[ -z "$host_tap" ] || [ -f "$build/pkg/$k.tap" ] ||
		make --no-print-directory check-pkg-kernel KVER="$k" \
			BUILD="$build" >>"$build/kmod-$k.log" 2>&1
}

ready=() late=()
for k in "$@"; do
	if scripts/debug-kernel.sh pending "$k"; then late+=("$k"); else ready+=("$k"); fi
done

jobs=${PALS_CHECK_JOBS:-$(nproc)}
for k in "${ready[@]}" "${late[@]}"; do
	prepare "$k"
	for u in $(units "$k"); do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
			wait -n
		done
		echo "# $u: started $(date +%T)"
		check_unit "$u" &
	done
done
wait

for k in "$@"; do
	kp=0 kf=0
	for u in $(units "$k"); do
		log=$build/check-${u//\//_}.log
		echo "# kernel $u"
		cat "$log"
		read -r p f < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' \
			"$log" | tail -n 1)
		[ -n "${f:-}" ] || { p=0 f=1; }
		kp=$((kp + p)) kf=$((kf + f))
	done
	lines+=("$k: $kp passed, $kf failed")
	passed=$((passed + kp)) failed=$((failed + kf))
done
printf '%s\n' "${lines[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
