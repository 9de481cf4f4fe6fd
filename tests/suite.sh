#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Inside the guest: insert the module, run the test binaries named as
# arguments, or every one (TAP output), remove the module. Failures of the
# steps around the tests, and memory the run leaked (tests/kmemleak.sh),
# are reported as "not ok" lines too, so tests/check.sh counts them.
# tests/vm/run sets PALS_KO, the module built for the guest's kernel;
# some tests remove and reinsert it.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PALS_BUILD_DIR:-$root/build}

# A debug kernel (kmemleak is one of its detectors) runs everything
# several times slower: so much more time for each test (tests/util.h).
# Its detectors watch pals.ko, which the fallback does not run: the
# fallback's second runs are left to the other kernels.
rerun_fallback=1
if [ -e /sys/kernel/debug/kmemleak ]; then
	export PALS_TEST_TIMEOUT_SCALE=${PALS_TEST_TIMEOUT_SCALE:-10}
	rerun_fallback=
fi

# The tests that run on the map fallback too (PALS_MODE=fallback): with
# the module loaded they run a second time forced onto the fallback
# (except on the debug kernel, above); on a kernel without the module
# (PALS_MODE=fallback in the environment) they are the only ones, and the
# others are skipped with the reason.
# Kinds the kernel gives no cookie (raw_tp before 6.10) are skipped per
# test, with the reason, by the tests themselves.
FALLBACK_TESTS="test_fallback test_examples test_kinds test_linked test_usdt"

run() {
	echo "# $*"
	start=$(date +%s)
	"$@" || rc=1
	echo "# $* took $(($(date +%s) - start)) s"
}

in_list() {
	case " $2 " in *" ${1##*/} "*) return 0 ;; esac
	return 1
}

fallback_capable() {
	in_list "$1" "$FALLBACK_TESTS"
}

"$root/tests/kmemleak.sh" start
module=1
[ "${PALS_MODE:-}" != fallback ] || module=
if [ -n "$module" ] && ! insmod "$PALS_KO"; then
	echo "not ok - insmod pals.ko"
	exit 1
fi
rc=0
[ $# -gt 0 ] || set -- "$build"/tests/test_*
for t in "$@"; do
	case $t in */*) ;; *) t=$build/tests/$t ;; esac
	if [ -z "$module" ] && ! fallback_capable "$t"; then
		echo "# SKIP ${t##*/}: needs pals.ko, which does not build for $(uname -r)"
		continue
	fi
	run "$t"
	if [ -n "$module" ] && [ -n "$rerun_fallback" ] && fallback_capable "$t"; then
		run env PALS_MODE=fallback "$t"
	fi
done
if [ -n "$module" ] && ! "$root/tests/rmmod-pals.sh"; then
	echo "not ok - rmmod pals"
	rc=1
fi
"$root/tests/kmemleak.sh" check || rc=1
exit $rc
