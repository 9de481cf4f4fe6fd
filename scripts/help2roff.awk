# SPDX-License-Identifier: GPL-2.0
#
# palsctl.8 from `palsctl --help`, so that the manual and the help text
# never disagree. The help is laid out as a manual page: section titles
# in capitals at column 0, text indented by 4, an item's description by
# 8 under it. SYNOPSIS and EXAMPLES are kept as they are.
#
#	palsctl --help | awk -v version=X -f scripts/help2roff.awk

function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	sub(/^[.']/, "\\\\&&", s)
	return s
}

# An item: lower-case words bold, placeholders (FILE, [FILE]) italic.
function item(s,	n, w, i, out) {
	n = split(s, w, / +/)
	for (i = 1; i <= n; i++)
		out = out (i > 1 ? " " : "") \
		      (w[i] ~ /^\[?[A-Z][A-Z_]*\]?$/ ? "\\fI" : "\\fB") \
		      esc(w[i]) "\\fR"
	return out
}

{ line[NR] = $0 }

END {
	printf ".TH PALSCTL 8 \"\" \"pals %s\" \"System Administration\"\n", version
	for (i = 1; i <= NR; i++) {
		l = line[i]
		if (l ~ /^[A-Z][A-Z ]*$/) {
			if (verbatim)
				print ".fi"
			sec = l
			verbatim = (sec == "SYNOPSIS" || sec == "EXAMPLES")
			print ".SH \"" sec "\""
			if (verbatim)
				print ".nf"
			continue
		}
		if (l ~ /^ *$/) {
			if (verbatim)
				print ""
			else if (line[i + 1] ~ /^    /)
				print line[i + 1] ~ /^        / ? ".IP" : ".PP"
			continue
		}
		if (verbatim) {
			sub(/^    /, "", l)
			print esc(l)
			continue
		}
		if (sec == "EXIT STATUS" && l ~ /^    [0-9]+ /) {
			print ".TP"
			print ".B " substr(l, 5, index(substr(l, 5), " ") - 1)
			sub(/^    [0-9]+ +/, "", l)
			print esc(l)
			continue
		}
		if (l ~ /^    [^ ]/ && line[i + 1] ~ /^        [^ ]/) {
			sub(/^ +/, "", l)
			print ".TP"
			print item(l)
			continue
		}
		sub(/^ +/, "", l)
		print esc(l)
	}
	if (verbatim)
		print ".fi"
}
