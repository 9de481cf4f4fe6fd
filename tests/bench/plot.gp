# SPDX-License-Identifier: GPL-2.0
#
# gnuplot -e "data='DIR'; out='PNG'; title='...'" plot.gp: icount ns per run
# and TCG time per trigger, per variant, one cluster per scale. DIR holds
# icount.tsv and tcg.tsv (a header row of scales, then a row per variant).

set terminal pngcairo size 1400,560 font ",10"
set output out
set datafile separator "\t"
set multiplot layout 1,2 title title
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top left
set grid ytics
set xtics nomirror
set ytics nomirror

set title "Program body, -icount shift=0 (guest instructions)"
set ylabel "ns per run (= instructions)"
set yrange [0:*]
set offsets 0, 0, graph 0.08, 0
plot for [c=2:5] data.'/icount.tsv' using c:xtic(1) title columnheader(c)

set title "End to end, plain TCG (ratio view, not native time)"
set ylabel "time per trigger relative to ARRAY"
set yrange [0.9:*]
plot for [c=2:5] data.'/tcg.tsv' using c:xtic(1) title columnheader(c)
unset multiplot
