#!/usr/bin/env bash
# Upload probe benchmark. Run after `dotnet build Anb.sln -c Release`:  bench/probe.sh [calls] [ffprobe-calls]
# On one 25 s 1080p MP4 (made once in bench/out), in the same run:
#   (a) ours:     the API's in-process MP4 header probe (IVideoProbe from AddVideoProbe), CALLS reads after a
#                 warm-up, timed inside one process (bench/probe.cs, a file-based .NET program)
#   (b) baseline: `ffprobe` reading the same facts (container, duration, codec, size), one process per call
# and writes the CPU and wall time per call and the ratio b / a to bench/RESULTS.md (section probe).
# Goal: (a) is at least 100x cheaper than (b) in CPU per call (an upload's check must not cost a process).
source "$(dirname "$0")/lib.sh"

CALLS="${1:-2000}"
FFPROBE_CALLS="${2:-20}"

command -v ffprobe >/dev/null || apt_install ffmpeg
CLIP="$(bench_clip probe-25s-1080p.mp4 25 -c:v libx264 -preset ultrafast -crf 35)"

# CPU seconds (user + system) of finished children of this shell. `times` must run in this shell, not in a
# $(...) subshell: call it with a redirection, as transcode.sh does.
children_cpu() {
  times > "$BENCH_WORK/times"
  awk 'END { s = 0; for (i = 1; i <= 2; i++) { v = $i; sub(/s$/, "", v); split(v, mm, "m"); s += mm[1] * 60 + mm[2] } printf "%.3f", s }' "$BENCH_WORK/times"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "building and running bench/probe.cs ($CALLS calls)"
read -r _ ours_calls ours_wall ours_cpu < <(cd "$ANB_ROOT" && dotnet run --file bench/probe.cs -c Release -- "$CLIP" "$CALLS" | grep '^probe ')

[ -n "${ours_calls:-}" ] || die "bench/probe.cs did not report"
log "ffprobe ($FFPROBE_CALLS calls)"
ffprobe -v error -show_entries format=format_name,duration:stream=codec_name,width,height -of csv=p=0 "$CLIP" >/dev/null   # warm the page cache
children_cpu > "$BENCH_WORK/cpu0"
start=$EPOCHREALTIME
for ((i = 0; i < FFPROBE_CALLS; i++)); do
  ffprobe -v error -show_entries format=format_name,duration:stream=codec_name,width,height -of csv=p=0 "$CLIP" >/dev/null
done
end=$EPOCHREALTIME
children_cpu > "$BENCH_WORK/cpu1"
cpu0=$(cat "$BENCH_WORK/cpu0")
cpu1=$(cat "$BENCH_WORK/cpu1")
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

summary=$(awk -v n="$ours_calls" -v w="$ours_wall" -v c="$ours_cpu" -v fn="$FFPROBE_CALLS" -v fw="$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')" \
  -v fc="$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print b - a }')" 'BEGIN {
    ow = w / n * 1000; oc = c / n * 1000; bw = fw / fn * 1000; bc = fc / fn * 1000
    ratio = oc > 0 ? bc / oc : 0
    print "| Method | Calls | Wall per call (ms) | CPU per call (ms) | CPU vs (a) |"
    print "|---|---:|---:|---:|---:|"
    printf "| (a) ours: in-process MP4 header probe (`IVideoProbe`) | %d | %.3f | %.3f | 1x |\n", n, ow, oc
    printf "| (b) `ffprobe`, one process per call | %d | %.1f | %.1f | %.0fx |\n", fn, bw, bc, ratio
    print ""
    printf "- ffprobe / ours: **%.0fx** CPU per call (goal >= 100x): %s; wall %.0fx\n", ratio, (ratio >= 100 ? "met" : "**MISSED**"), (ow > 0 ? bw / ow : 0)
  }')

clip_mb=$(awk -v b="$(stat -c %s "$CLIP")" 'BEGIN { printf "%.1f", b / 1000000 }')
bench_write_section probe "## Upload probe: in-process header read vs ffprobe (issue 11)

\`bench/probe.sh $CALLS $FFPROBE_CALLS\`, $(date -u +%Y-%m-%d), $(nproc) cores; load average before $LOAD_BEFORE, after $LOAD_AFTER.
Clip: 25 s 1080p H.264 MP4, $clip_mb MB (index at the end). CPU is user + system time; on a busy machine
the wall times are noisy, the CPU ratio is the measure.

$summary"
echo "$summary"
