#!/usr/bin/env bash
# Pickup latency: from the upload's 201 to the video's `processing` (processing_started_at, written by
# the worker), on an idle worker. Ours (Hangfire with LISTEN/NOTIFY long polling) against Hangfire's
# defaults (polling every 15 s) as the baseline in the same run. Goal: median <= 1 s.
# Usage: bench/pickup_latency.sh [samples] [baseline-samples]
source "$(dirname "$0")/lib.sh"
SAMPLES="${1:-9}"
BASELINE_SAMPLES="${2:-4}"

clip="$(bench_clip pickup-21s.mp4 21 -c:v libx264 -preset ultrafast -crf 35)"
BENCH_ENV="Transcoder__Preset=ultrafast"
bench_stack_up with-worker
token="$(bench_token)"

# measure N — prints one latency (seconds) per line
measure() {
  local n="$1" id t201 started status
  for _ in $(seq 1 "$n"); do
    t0=$(date +%s.%N)
    answer="$(curl -fsS -w '\n%{time_total}' -X POST "$API_URL/api/videos/upload" -H "authorization: Bearer $token" \
      -F title=pickup -F "video_file=@$clip")"
    id="$(echo "$answer" | head -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["task_id"])')"
    t201=$(python3 -c "print(float('$t0') + float('$(echo "$answer" | tail -1)'))")  # when curl had the whole 201
    started=""
    for _ in $(seq 1 1200); do
      started="$(bench_psql "SELECT extract(epoch FROM processing_started_at) FROM videos WHERE id = '$id'")"
      [ -n "$started" ] && break
      sleep 0.02
    done
    python3 -c "print(round(float('$started') - float('$t201'), 3))"
    for _ in $(seq 1 600); do   # let the worker go idle again
      status="$(bench_psql "SELECT status FROM videos WHERE id = '$id'")"
      [ "$status" = processed ] || [ "$status" = failed ] && break
      sleep 0.2
    done
  done
}

sleep 3
ours="$(measure "$SAMPLES")"
bench_stop_worker
BENCH_ENV="Transcoder__Preset=ultrafast Queue__Hangfire__LongPolling=false Queue__Hangfire__PollIntervalMs=15000"
bench_start_worker
sleep 5
baseline="$(measure "$BASELINE_SAMPLES")"

read -r ours_med ours_max base_med ratio verdict < <(python3 - "$ours" "$baseline" <<'PY'
import statistics, sys
ours = [float(x) for x in sys.argv[1].split()]
base = [float(x) for x in sys.argv[2].split()]
om, bm = statistics.median(ours), statistics.median(base)
# A negative latency means the worker had started before the client finished reading the 201.
print(f"{om:.3f} {max(ours):.3f} {bm:.3f} {max(om, 0) / bm:.3f} {'met' if om <= 1 else 'MISSED'}")
PY
)
body="## Pickup latency (issue 3)

\`bench/pickup_latency.sh $SAMPLES $BASELINE_SAMPLES\` — $(date -u +%Y-%m-%d), $(nproc) cores. Time from the upload's 201 (client clock) to
\`processing_started_at\` (worker clock, same machine), one upload at a time on an idle worker.

| configuration | samples | median | max |
|---|---:|---:|---:|
| ours: Hangfire.PostgreSql, LISTEN/NOTIFY long polling, 500 ms fallback poll | $SAMPLES | ${ours_med} s | ${ours_max} s |
| baseline: Hangfire.PostgreSql defaults (poll every 15 s) | $BASELINE_SAMPLES | ${base_med} s | |

ours / baseline (negative medians counted as 0): **${ratio}x**. Goal: median <= 1 s — **${verdict}**.
A negative sample means the worker had marked the video \`processing\` before the client had read the whole 201:
the API enqueues before it answers, and LISTEN/NOTIFY wakes the idle worker at once.
Samples (s): ours $(echo $ours); baseline $(echo $baseline)."
bench_write_section pickup-latency "$body"
echo "$body"
