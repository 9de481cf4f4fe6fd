#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# libpals.so exports exactly the functions libpals.h declares LIBPALS_API,
# all listed in the version script.
set -eu
so=$1 header=$2 map=$3

declared=$(sed -n 's/^LIBPALS_API .*[ *]\(pals_[a-z_]*\)(.*/\1/p; s/^\(pals_[a-z_]*\)(.*/\1/p' "$header" | sort -u)
listed=$(sed -n 's/^[[:space:]]*\(pals_[a-z_]*\);/\1/p' "$map" | sort -u)
exported=$(nm -D --defined-only "$so" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort -u)

if [ "$declared" != "$listed" ] || [ "$listed" != "$exported" ]; then
	echo "check-abi: libpals.h, libpals.map and $so disagree:" >&2
	printf 'declared:\n%s\nlisted:\n%s\nexported:\n%s\n' \
		"$declared" "$listed" "$exported" | diff -u /dev/null - >&2 || true
	exit 1
fi
