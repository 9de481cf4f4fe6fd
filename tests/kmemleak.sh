#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Inside the guest, on a kernel with kmemleak (the debug kernel): "start"
# stops the periodic scan and forgets what boot left unreferenced; "check"
# scans once the run's last objects are old enough to count (kmemleak skips
# the last 5 s) and prints each leak as a "not ok" line with its report.
# Elsewhere both do nothing.
#
#	tests/kmemleak.sh start|check
f=/sys/kernel/debug/kmemleak
[ -w $f ] || exit 0
case $1 in
start)
	echo scan=off >$f
	echo clear >$f
	;;
check)
	sleep 6
	echo scan >$f
	report=$(cat $f)
	[ -z "$report" ] && exit 0
	n=$(echo "$report" | grep -c '^unreferenced object')
	echo "not ok - kmemleak: $n unreferenced object(s)"
	echo "$report" | sed 's/^/# /'
	exit 1
	;;
esac
