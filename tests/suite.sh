#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Inside the guest: insert the module, run the test binaries named as
# arguments, or every one (TAP output), remove the module. Failures of the
# steps around the tests, and memory the run leaked (tests/kmemleak.sh),
# are reported as "not ok" lines too, so tests/check.sh counts them. tests/vm/run sets PALS_KO, the module built
# for the guest's kernel; some tests remove and reinsert it.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PALS_BUILD_DIR:-$root/build}

# A debug kernel (kmemleak is one of its detectors) runs everything
# several times slower: so much more time for each test (tests/util.h).
[ ! -e /sys/kernel/debug/kmemleak ] ||
	export PALS_TEST_TIMEOUT_SCALE=${PALS_TEST_TIMEOUT_SCALE:-10}
"$root/tests/kmemleak.sh" start
if ! insmod "$PALS_KO"; then
	echo "not ok - insmod pals.ko"
	exit 1
fi
rc=0
[ $# -gt 0 ] || set -- "$build"/tests/test_*
for t in "$@"; do
	case $t in */*) ;; *) t=$build/tests/$t ;; esac
	echo "# ${t##*/}"
	start=$(date +%s)
	"$t" || rc=1
	echo "# ${t##*/} took $(($(date +%s) - start)) s"
done
if ! "$root/tests/rmmod-pals.sh"; then
	echo "not ok - rmmod pals"
	rc=1
fi
"$root/tests/kmemleak.sh" check || rc=1
exit $rc
