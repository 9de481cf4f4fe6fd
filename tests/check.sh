#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# On the host: run the suite in one guest, then summarise. The last line is
# "N passed, N failed"; a guest kernel report (Oops, WARN, BUG, KFENCE,
# lockup, stall), a timeout or a crash counts as a failure.
#
#	tests/check.sh [KVER [GUEST COMMAND...]]	(default: tests/suite.sh)
#
# PALS_CHECK_NAME names the run's TAP file and console log, for guests of
# one kernel run at once (default: KVER).
#
# The guest runs with SLUB debugging (red zones, poisoning, user tracking)
# and KFENCE sampling every 10 ms, so that use-after-free and overruns
# are reported.
set -u
cd "$(dirname "$0")/.."
kver=${1:-}
[ $# -eq 0 ] || shift
[ $# -gt 0 ] || set -- tests/suite.sh
export PALS_VM_APPEND="slub_debug=FZPU kfence.sample_interval=10 ${PALS_VM_APPEND:-}"
build=${PALS_BUILD_DIR:-build}
name=${PALS_CHECK_NAME:-${kver:-default}}
log=$build/check.$name.tap
mkdir -p "$build/vm"
[ -z "${PALS_CHECK_NAME:-}" ] ||
	export PALS_VM_LOG=${PALS_VM_LOG:-$build/vm/console.$name.log}

start=$(date +%s)
# The guest's whole run, with room for a loaded host (two guests per
# core); the debug kernel runs the same tests several times slower.
case $kver in *-pals-debug) timeout=3600 ;; *) timeout=1800 ;; esac
tests/vm/run ${kver:+-k "$kver"} -t "${PALS_CHECK_TIMEOUT:-$timeout}" -- "$@" | tee "$log"
rc=${PIPESTATUS[0]}

passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	echo "not ok - guest run failed (exit $rc), see the vm: message above"
	failed=1
elif [ "$rc" -ne 0 ]; then
	echo "# guest run exit status $rc"
fi
echo "# suite took $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
