#!/usr/bin/env bash
# Transcoding benchmark. Run after `dotnet build Anb.sln -c Release`:  bench/transcode.sh [rounds]
# Makes a ~50 MB, 40 s 1080p upload, then runs in alternating order, each round:
#   (a) ours:   dotnet Anb.WorkerHost.dll transcode in.mp4 out.mp4  (one contained ffmpeg run, arguments built with FFMpegCore;
#               it also writes the poster, out.jpg, and reads FFmpeg's progress as the worker does)
#   (b) single: the same transformation as one hand-written ffmpeg command line, same encoder settings, poster included
#   (c) naive:  one ffmpeg run per step, each re-encoding: trim, scale/pad, watermark, intro card,
#               outro card, concat
# and writes the medians to bench/RESULTS.md (section transcode). Goals: a <= 1.05 x b,
# c >= 2.5 x a. TRANSCODE_NAIVE=0 skips (c) (a quicker before/after of our own run): then the table is
# only printed and kept in bench/out/transcode-summary.md, and RESULTS.md is left alone.
source "$(dirname "$0")/lib.sh"
source "$BENCH_DIR/ffmpeg_cli.sh"

ROUNDS="${1:-${ROUNDS:-3}}"
TRANSCODE_NAIVE="${TRANSCODE_NAIVE:-1}"
DLL="$BENCH_WORKER_BIN/Anb.WorkerHost.dll"
ASSETS="$BENCH_WORKER_BIN/Assets"
PRESET=veryfast
CRF=23

command -v ffmpeg >/dev/null || apt_install ffmpeg
bench_build
INPUT="$(bench_clip upload-40s-1080p.mp4 40 -vf noise=alls=12:allf=t \
  -c:v libx264 -preset ultrafast -b:v 9800k -maxrate 9800k -bufsize 9800k -b:a 128k -movflags +faststart)"
INPUT_MB=$(awk -v b="$(stat -c %s "$INPUT")" 'BEGIN { printf "%.1f", b / 1000000 }')

mapfile -t ENCODE < <(bench_x264_args "$PRESET" "$CRF")

run_ours() {
  Transcoder__Preset="$PRESET" Transcoder__Crf="$CRF" Logging__LogLevel__Default=Warning \
    dotnet "$DLL" transcode "$INPUT" "$BENCH_OUT/a.mp4" >/dev/null
}

run_single() { bench_ffmpeg_single "$ASSETS" "$INPUT" "$BENCH_OUT/b.mp4" "$PRESET" "$CRF"; }

run_naive() {
  local n="$BENCH_OUT/naive"
  mkdir -p "$n"
  ffmpeg -v error -y -i "$INPUT" -t 30 -an "${ENCODE[@]}" "$n/1-trim.mp4"
  ffmpeg -v error -y -i "$n/1-trim.mp4" -vf "scale=trunc(iw*sar/2)*2:ih,setsar=1,$BENCH_FIT,fps=30" "${ENCODE[@]}" "$n/2-fit.mp4"
  ffmpeg -v error -y -i "$n/2-fit.mp4" -i "$ASSETS/anb-logo.png" \
    -filter_complex "[1:v]format=rgba,colorchannelmixer=aa=0.7[logo];[0:v][logo]overlay=x=W-w-24:y=H-h-24" \
    "${ENCODE[@]}" "$n/3-watermark.mp4"
  ffmpeg -v error -y -loop 1 -framerate 30 -t 2.5 -i "$ASSETS/anb-intro.png" -vf "$BENCH_FIT" "${ENCODE[@]}" "$n/4-intro.mp4"
  ffmpeg -v error -y -loop 1 -framerate 30 -t 2.5 -i "$ASSETS/anb-outro.png" -vf "$BENCH_FIT" "${ENCODE[@]}" "$n/5-outro.mp4"
  ffmpeg -v error -y -i "$n/4-intro.mp4" -i "$n/3-watermark.mp4" -i "$n/5-outro.mp4" \
    -filter_complex "[0:v][1:v][2:v]concat=n=3:v=1:a=0[v]" -map "[v]" "${ENCODE[@]}" -movflags +faststart "$BENCH_OUT/c.mp4"
}

# time_it NAME: runs run_NAME, appends "NAME wall cpu" to $BENCH_OUT/times.txt
time_it() {
  local name="$1" start end cpu0 cpu1
  children_cpu > "$BENCH_WORK/cpu0"
  start=$EPOCHREALTIME
  "run_$name"
  end=$EPOCHREALTIME
  children_cpu > "$BENCH_WORK/cpu1"
  cpu0=$(cat "$BENCH_WORK/cpu0")
  cpu1=$(cat "$BENCH_WORK/cpu1")
  awk -v n="$name" -v s="$start" -v e="$end" -v c0="$cpu0" -v c1="$cpu1" \
    'BEGIN { printf "%s %.3f %.3f\n", n, e - s, c1 - c0 }' | tee -a "$BENCH_OUT/times.txt" >&2
}

# CPU seconds (user + system) used so far by finished child processes of this shell (and theirs).
# `times` must run in this shell, not in a $(...) subshell, so it goes through a file.
children_cpu() {
  local t
  times > "$BENCH_WORK/times"
  t=$(tail -1 "$BENCH_WORK/times")
  awk -v t="$t" 'BEGIN {
    split(t, p, " "); s = 0
    for (i = 1; i <= 2; i++) { v = p[i]; sub(/s$/, "", v); split(v, mm, "m"); s += mm[1] * 60 + mm[2] }
    printf "%.3f", s }'
}

: > "$BENCH_OUT/times.txt"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
orders=("ours single naive" "single naive ours" "naive ours single")
for ((r = 0; r < ROUNDS; r++)); do
  echo "round $((r + 1))/$ROUNDS" >&2
  for name in ${orders[$((r % 3))]}; do
    [ "$name" = naive ] && [ "$TRANSCODE_NAIVE" = 0 ] && continue
    time_it "$name"
  done
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

outputs="a b c"
[ "$TRANSCODE_NAIVE" = 0 ] && outputs="a b"
for f in $outputs; do
  d=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$BENCH_OUT/$f.mp4")
  s=$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,width,height,pix_fmt -of csv=p=0 "$BENCH_OUT/$f.mp4")
  echo "output $f: $s, ${d} s" >&2
  awk -v d="$d" 'BEGIN { exit !(d > 34.5 && d < 35.5) }' || { echo "output $f has the wrong duration" >&2; exit 1; }
done
for f in a b; do
  p=$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,width,height -of csv=p=0 "$BENCH_OUT/$f.jpg")
  echo "poster $f: $p" >&2
  [ "$p" = "mjpeg,1280,720" ] || { echo "poster $f is missing or wrong" >&2; exit 1; }
done

summary=$(awk -v rounds="$ROUNDS" '
  function median(arr, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (arr[j] < arr[i]) { t = arr[i]; arr[i] = arr[j]; arr[j] = t }
    return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2
  }
  { k = $1; n[k]++; w[k, n[k]] = $2; c[k, n[k]] = $3; runs[k] = runs[k] sprintf("%s%.2f", n[k] > 1 ? ", " : "", $2) }
  END {
    split("ours single naive", names, " ")
    for (i = 1; i <= 3; i++) {
      k = names[i]
      if (!n[k]) continue
      for (j = 1; j <= n[k]; j++) { ww[j] = w[k, j]; cc[j] = c[k, j] }
      mw[k] = median(ww, n[k]); mc[k] = median(cc, n[k])
    }
    label["ours"] = "(a) ours: `dotnet Anb.WorkerHost.dll transcode` (one contained ffmpeg run: setpriv, minimal environment, time limit)"
    label["single"] = "(b) the same graph as one hand-written `ffmpeg` command line"
    label["naive"] = "(c) naive: 6 ffmpeg runs, re-encoding at every step"
    print "| Method | Wall runs (s) | Median wall (s) | Median CPU (s) | Wall vs (b) |"
    print "|---|---|---:|---:|---:|"
    for (i = 1; i <= 3; i++) {
      k = names[i]
      if (!n[k]) continue
      printf "| %s | %s | %.2f | %.2f | %.2fx |\n", label[k], runs[k], mw[k], mc[k], mw[k] / mw["single"]
    }
    ours_vs_single = mw["ours"] / mw["single"]; naive_vs_ours = mw["naive"] / mw["ours"]
    print ""
    printf "- ours / single command line: **%.3fx** wall (goal <= 1.05x): %s; CPU %.3fx\n", ours_vs_single, (ours_vs_single <= 1.05 ? "met" : "**MISSED**"), mc["ours"] / mc["single"]
    if (n["naive"]) printf "- naive / ours: **%.2fx** wall (goal >= 2.5x): %s; CPU %.2fx\n", naive_vs_ours, (naive_vs_ours >= 2.5 ? "met" : "**MISSED**"), mc["naive"] / mc["ours"]
    else print "- naive: not run (TRANSCODE_NAIVE=0)"
  }' "$BENCH_OUT/times.txt")

cpu_model=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
section="## Transcoding: ours vs one ffmpeg command vs a naive pipeline

Run $(date -u +%Y-%m-%dT%H:%M:%SZ) by \`bench/transcode.sh $ROUNDS\` on $(nproc) cores ($cpu_model),
$(ffmpeg -version | head -1 | cut -d' ' -f1-3), .NET $(dotnet --version).
Input: ${INPUT_MB} MB, 40 s, 1920x1080 30 fps H.264 + AAC (testsrc2 with noise, faststart).
Output: 35 s 1280x720 H.264 (libx264 \`-preset $PRESET -crf $CRF\`, yuv420p, no audio) for all three;
(a) and (b) also write the poster (a 1280x720 JPEG of the clip's body) in the same ffmpeg run.
$ROUNDS rounds, the three methods in rotating order each round; wall time per run, CPU = user + system of all processes.
Load average (1, 5, 15 min) before: $LOAD_BEFORE, after: $LOAD_AFTER — anything above ~0 means other work shared
the cores, which makes wall times noisy; CPU time is the steadier comparison then.

$summary

Filter graph of (a) and (b):

\`\`\`
$(printf '%s' "$BENCH_GRAPH" | sed 's/;/;\n/g')
\`\`\`"

printf '%s\n' "$summary" | tee "$BENCH_OUT/transcode-summary.md"
if [ "$TRANSCODE_NAIVE" = 0 ]; then
  echo "(c) not run: RESULTS.md left alone; the table is in $BENCH_OUT/transcode-summary.md" >&2
else
  bench_write_section transcode "$section"
  echo "written to $BENCH_DIR/RESULTS.md" >&2
fi
