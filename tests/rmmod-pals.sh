#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Inside the guest: remove pals.ko. Programs and links that held it are
# released asynchronously after their last reference goes, so retry for
# up to TENTHS tenths of a second (default 50), then fail with rmmod's
# own message.
#
#	tests/rmmod-pals.sh [TENTHS]
tries=${1:-50}
while [ "$tries" -gt 0 ]; do
	rmmod pals 2>/dev/null && exit 0
	tries=$((tries - 1))
	sleep 0.1
done
rmmod pals
