#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Inside the guest: the main example. Until examples/ exists, the smoke test.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
insmod "$root/kmod/pals.ko"
"${PALS_BUILD_DIR:-$root/build}/tests/test_smoke"
rmmod pals
