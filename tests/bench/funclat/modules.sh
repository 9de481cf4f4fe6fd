#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In the guest: load the kernel's own modules until COUNT module BTFs
# (default 64) are in /sys/kernel/btf, as on a distribution machine,
# where 50 to 150 are loaded. Traffic-control schedulers, classifiers and
# actions, then NLS code pages: they register with no device and touch
# nothing. The modules come from the tree of the running kernel, here or
# in a build root (scripts/kernel-roots.sh). Prints the count reached.
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
want=${1:-64}
kver=$(uname -r)

# Module BTFs: all but vmlinux's.
count() {
	set -- /sys/kernel/btf/*
	echo $(($# - 1))
}

moddir=
while read -r r; do
	if [ -z "$moddir" ] && [ -f "$r/lib/modules/$kver/modules.dep" ]; then
		moddir=${r:-/}
	fi
done <<EOT
$(sh "$root/scripts/kernel-roots.sh")
EOT
if [ -z "$moddir" ]; then
	echo "modules.sh: no module tree for $kver" >&2
	exit 1
fi

# One modprobe for all but what dependencies add, then one at a time.
mods=$(for f in "$moddir/lib/modules/$kver/kernel"/net/sched/*.ko* \
	       "$moddir/lib/modules/$kver/kernel"/fs/nls/*.ko*; do
	basename "$f" | sed 's/\.ko\(\.[a-z]*\)\{0,1\}$//'
done | grep -Ev '^(act_ct|act_ctinfo|em_ipt|em_ipset|sch_teql)$')
# shellcheck disable=SC2046 # one name a word
modprobe -q -a -d "$moddir" $(echo "$mods" | head -n $((want - $(count))))
for m in $mods; do
	[ "$(count)" -ge "$want" ] && break
	modprobe -q -d "$moddir" "$m"
done
n=$(count)
echo "$n"
[ "$n" -ge "$want" ]
