# Charts of bench/capacity_upload.sh: gnuplot -e "data='DIR'; out='DIR'; ncpu=N" capacity_upload.gp
set terminal pngcairo size 800,420 font "DejaVu Sans,9" noenhanced
set datafile missing "NaN"
set grid
set key top left

# 1. Uploads/s and p95 against clients, API and nginx.
set output out."/upload-levels.png"
set title "Uploads of a 4 MB clip: throughput and p95 by concurrent clients"
set logscale x 2
set xlabel "concurrent clients"
set ylabel "uploads/s (201 answers)"
set y2label "p95 latency (s)"
set ytics nomirror
set y2tics
set yrange [0:*]
set y2range [0:*]
set arrow 1 from graph 0, second 1 to graph 1, second 1 nohead dt 2 lc rgb "#aa0000"
set label 1 "p95 goal 1 s" at graph 0.01, second 1.06 tc rgb "#aa0000"
plot data."/levels.dat" using 1:2 with linespoints lw 2 pt 7 lc rgb "#1f77b4" title "API uploads/s", \
     data."/levels.dat" using 1:3 with linespoints lw 2 pt 5 lc rgb "#2ca02c" title "nginx uploads/s", \
     data."/levels.dat" using 1:4 axes x1y2 with linespoints dt 3 lw 2 pt 6 lc rgb "#1f77b4" title "API p95", \
     data."/levels.dat" using 1:5 axes x1y2 with linespoints dt 3 lw 2 pt 4 lc rgb "#2ca02c" title "nginx p95"
unset arrow 1
unset label 1
unset logscale x
unset y2tics
unset y2label
set ytics mirror

# 2. The run over time: clients, CPU, memory.
set output out."/upload-timeline.png"
set terminal pngcairo size 800,620 font "DejaVu Sans,9" noenhanced
set multiplot layout 3,1 title "Upload scenario over time (API and nginx runs alternate)"
set lmargin 10
set rmargin 3
set xlabel ""
set format x ""
set title ""
set key top left horizontal
set ylabel "clients"
set yrange [0:*]
plot data."/clients.dat" using 1:2 with lines lw 2 lc rgb "#1f77b4" title "API run", \
     data."/clients.dat" using 1:3 with lines lw 2 lc rgb "#2ca02c" title "nginx run"
set ylabel "CPU (cores)"
set yrange [0:ncpu * 1.15]
plot data."/timeline.dat" using 1:6 with lines lc rgb "#999999" title "whole machine", \
     data."/timeline.dat" using 1:2 with lines lw 1.5 lc rgb "#1f77b4" title "API", \
     data."/timeline.dat" using 1:5 with lines lc rgb "#2ca02c" title "nginx", \
     data."/timeline.dat" using 1:4 with lines lc rgb "#ff7f0e" title "hey", \
     data."/timeline.dat" using 1:3 with lines lc rgb "#9467bd" title "PostgreSQL", \
     data."/timeline.dat" using 1:9 with lines lc rgb "#8c564b" title "cleanup"
set format x "%g"
set xlabel "seconds since the first phase"
set ylabel "RSS (MiB)"
set yrange [0:*]
plot data."/timeline.dat" using 1:7 with lines lw 1.5 lc rgb "#1f77b4" title "API", \
     data."/timeline.dat" using 1:8 with lines lc rgb "#2ca02c" title "nginx"
unset multiplot

# 3. API memory with 4 MB and 100 MB files.
set terminal pngcairo size 800,360 font "DejaVu Sans,9" noenhanced
set output out."/upload-memory.png"
set title "API resident memory, 16 clients, fresh process: 4 MB files, then 100 MB files"
set xlabel "seconds into the run"
set ylabel "RSS (MiB)"
set yrange [0:*]
set key bottom right
plot data."/memory.dat" using 1:2 with lines lw 2 lc rgb "#1f77b4" title "4 MB files", \
     data."/memory.dat" using 1:3 with lines lw 2 lc rgb "#d62728" title "100 MB files"
