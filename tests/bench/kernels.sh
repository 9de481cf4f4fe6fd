#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# On the host: tests/bench/run.sh once per kernel, each into its own
# directory, then docs/bench.md made of every kernel's report (dated, with
# its data docs/bench-KVER.{json,png}) and docs/bench-kernels.md, the
# hand-written comparison of the kernels' figures.
#
#	tests/bench/kernels.sh KVER...
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${PALS_BUILD_DIR:-build}
docs=docs

for k in "$@"; do
	make --no-print-directory kmod KVER="$k" >/dev/null
	PALS_BENCH_DOCS=$build/bench/docs/$k tests/bench/run.sh "$k"
done

{
	echo "# PALS benchmark"
	echo
	echo "One section per kernel, each produced by \`make bench\` in its own"
	echo "guests; how the kernels compare and why: [bench-kernels.md](bench-kernels.md)."
	for k in "$@"; do
		d=$build/bench/docs/$k
		cp "$d/bench.json" "$docs/bench-$k.json"
		cp "$d/bench.png" "$docs/bench-$k.png"
		echo
		echo "## Kernel $k"
		# A level down: headings only, not the comment lines of the
		# figures' code blocks.
		awk 'NR > 2 { if (/^```/) code = !code; if (!code && /^#/) $0 = "#" $0; print }' "$d/bench.md" |
		sed -e "s/(bench\\.json)/(bench-$k.json)/g" \
		    -e "s/(bench\\.png)/(bench-$k.png)/g"
	done
} >"$docs/bench.md"
echo "bench: wrote $docs/bench.md for $*" >&2
