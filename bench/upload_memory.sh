#!/usr/bin/env bash
# Upload memory: the API's peak RSS while it receives 16 concurrent ~100 MB uploads (the worker is not
# running, so only the web tier is measured). Goal: peak RSS < 300 MB. The ratio is against the API's
# own warmed-up idle RSS measured in the same run. Usage: bench/upload_memory.sh [concurrency]
source "$(dirname "$0")/lib.sh"
CONCURRENCY="${1:-16}"

clip="$(bench_clip upload-99mb-40s.mp4 40 -vf noise=alls=60:allf=t -c:v libx264 -preset ultrafast -b:v 19M -maxrate 19M -bufsize 38M)"
size_mb=$(python3 -c "import os,sys; print(round(os.path.getsize(sys.argv[1])/1048576,1))" "$clip")
bench_stack_up
token="$(bench_token)"

# Warm up: one upload end to end, then read the idle footprint.
curl -fsS -o /dev/null -X POST "$API_URL/api/videos/upload" -H "authorization: Bearer $token" -F title=warmup -F "video_file=@$clip"
sleep 2
idle_kb=$(awk '/VmRSS/{print $2}' /proc/$API_PID/status)

( while kill -0 "$API_PID" 2>/dev/null; do awk '/VmRSS/{print $2}' /proc/$API_PID/status; sleep 0.1; done ) > "$BENCH_WORK/rss.txt" &
sampler=$!
start=$(date +%s.%N)
codes="$BENCH_WORK/codes.txt"
uploads=()
for i in $(seq 1 "$CONCURRENCY"); do
  curl -sS -o /dev/null -w '%{http_code}\n' -X POST "$API_URL/api/videos/upload" -H "authorization: Bearer $token" \
    -F "title=carga $i" -F "video_file=@$clip" >> "$codes" &
  uploads+=($!)
done
wait "${uploads[@]}" || true
elapsed=$(python3 -c "import time,sys; print(round(time.time()-float(sys.argv[1]),1))" "$start")
kill "$sampler" 2>/dev/null || true
hwm_kb=$(awk '/VmHWM/{print $2}' /proc/$API_PID/status)
ok=$(grep -c '^201$' "$codes" || true)

read -r idle_mb peak_mb ratio verdict < <(python3 - "$idle_kb" "$hwm_kb" <<'PY'
import sys
idle, peak = int(sys.argv[1]) / 1024, int(sys.argv[2]) / 1024
print(f"{idle:.0f} {peak:.0f} {peak/idle:.2f} {'met' if peak < 300 else 'MISSED'}")
PY
)
body="## Upload memory (issue 3)

\`bench/upload_memory.sh $CONCURRENCY\` — $(date -u +%Y-%m-%d), $(nproc) cores. $CONCURRENCY concurrent uploads of a ${size_mb} MB 40 s 1080p MP4
(${ok}/$CONCURRENCY answered 201 in ${elapsed} s). Worker stopped; API in Release, Production settings.

| measure | value |
|---|---:|
| API RSS idle after one warm-up upload (baseline) | ${idle_mb} MB |
| API peak RSS during the burst (VmHWM) | ${peak_mb} MB |
| peak / idle | ${ratio}x |
| bytes received in the burst | $(python3 -c "print(round($size_mb*$CONCURRENCY))") MB |

Goal: peak RSS < 300 MB — **${verdict}**. The body is streamed to a spool file in 64 KB chunks and never held whole."
bench_write_section upload-memory "$body"
echo "$body"
