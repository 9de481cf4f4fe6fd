#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the URI of the machine's own Debian archive (the apt source that
# carries suite bookworm), from a deb822 or a one-line source, so that
# other suites (backports, the Debian 13 build root) come from the same
# mirror without a host name written into the repository.
set -eu

for f in /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	awk '/^URIs:/ { uri = $2 }
	     /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") ok = 1 }
	     /^$/ { if (ok && uri) { print uri; exit } ok = 0; uri = "" }
	     END { if (ok && uri) print uri }' "$f"
done | head -n1 | grep . && exit 0
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
	[ -f "$f" ] || continue
	awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' "$f"
done | head -n1 | grep . && exit 0
echo "debian-uri: no Debian bookworm apt source found" >&2
exit 1
