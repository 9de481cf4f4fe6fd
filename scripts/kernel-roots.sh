#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The roots that hold the guests' kernels, one per line, the host's ("")
# first: each has usr/lib/modules/KVER/ (vmlinuz, modules.dep, and build/
# for a kernel built here) or boot/vmlinuz-KVER. tests/vm/run boots from
# them and scripts/kmod-build.sh builds against them.
here=$(dirname "$0")
echo ""
sh "$here/buildroot.sh" root
sh "$here/debug-kernel.sh" root
sh "$here/kernel-61.sh" root
