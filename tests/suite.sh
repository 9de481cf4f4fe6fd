#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Inside the guest: insert the module, run every test binary (TAP output),
# remove the module. Failures of the steps around the tests are reported as
# "not ok" lines too, so tests/check.sh counts them.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PALS_BUILD_DIR:-$root/build}

export PALS_KO="$root/kmod/pals.ko"	# test_attach removes and reinserts it
if ! insmod "$PALS_KO"; then
	echo "not ok - insmod pals.ko"
	exit 1
fi
rc=0
for t in "$build"/tests/test_*; do
	echo "# ${t##*/}"
	"$t" || rc=1
done
if ! rmmod pals; then
	echo "not ok - rmmod pals"
	rc=1
fi
exit $rc
