#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Whether pals.ko builds for kernel release KVER: 6.10 or later, the floor
# kmod/Kbuild enforces. Below it make check runs the map fallback only.
#
#	scripts/module-floor.sh KVER	exit 0 if the module builds for it
printf '6.10\n%s\n' "${1%%-*}" | sort -V -C
