#!/usr/bin/env bash
# Capacity, scenario 2 (issue 6): the video worker alone. The API is bypassed: for every task the script
# puts an original straight into storage (the app's layout, originals/{id:N}.mp4 under
# Storage__Local__RootPath) and bench/tools/CapacityTool records the video (`uploaded`) and enqueues it
# through the application's own IVideoQueue — Hangfire on PostgreSQL, or SQS on moto_server.
# Originals: 1080p MP4s of ~50 MB (40 s) and ~100 MB (60 s). For each queue adapter:
#   baseline   two parallel loops of the bare `ffmpeg` command line of bench/transcode.sh (the machine's
#              limit for this pipeline), over the same number of videos
#   saturate   worker concurrency 2, then 1: a backlog of BACKLOG videos enqueued at once, per size
#   sustain    per concurrency: videos arriving at a fixed rate (SUSTAIN_LOAD of the capacity measured
#              by saturate, half 50 MB, half 100 MB) for SUSTAIN_S seconds, then drained
# Queue length (videos `uploaded` = waiting, `processing` = in service) is read from PostgreSQL every
# second; CPU and memory of the worker (with its ffmpeg children), PostgreSQL and moto every second.
# Writes docs/capacity.md (section capacity-worker-ADAPTER), docs/capacity/worker-ADAPTER-*.png and a
# summary section of bench/RESULTS.md. Run after `dotnet build Anb.sln -c Release`:
#
#   bench/capacity_worker.sh                    # full: backlog 20, sustain 10 min, both adapters (~1.5 h)
#   bench/capacity_worker.sh --quick            # backlog 6, sustain 150 s (~12 min per adapter)
#   bench/capacity_worker.sh --queue hangfire   # one adapter (hangfire, sqs or all)
#
# Overrides: CAP_BACKLOG, CAP_SUSTAIN_S, CAP_SUSTAIN_LOAD (0.7), CAP_CONCURRENCY ("2 1"), CAP_PRESET.
BENCH_PG_PORT="${BENCH_PG_PORT:-55451}"
BENCH_API_PORT="${BENCH_API_PORT:-18102}"   # no API runs here; bench_env names it as the links' base URL
source "$(dirname "$0")/lib.sh"
source "$BENCH_DIR/ffmpeg_cli.sh"
MOTO_PORT="${CAP_MOTO_PORT:-18103}"

MODE=full QUEUES="hangfire sqs"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick ;;
    --queue) shift; case "${1:-}" in hangfire|sqs) QUEUES="$1" ;; all) QUEUES="hangfire sqs" ;; *) die "--queue hangfire|sqs|all" ;; esac ;;
    *) die "usage: bench/capacity_worker.sh [--quick] [--queue hangfire|sqs|all]" ;;
  esac
  shift
done
if [ "$MODE" = quick ]; then BACKLOG=6 SUSTAIN_S=150; else BACKLOG=20 SUSTAIN_S=600; fi
BACKLOG="${CAP_BACKLOG:-$BACKLOG}" SUSTAIN_S="${CAP_SUSTAIN_S:-$SUSTAIN_S}"
SUSTAIN_LOAD="${CAP_SUSTAIN_LOAD:-0.7}"
CONCURRENCY="${CAP_CONCURRENCY:-2 1}"
PRESET="${CAP_PRESET:-veryfast}" CRF=23   # the transcoder's defaults, and bench/transcode.sh's

ensure_system_packages
command -v gnuplot >/dev/null || apt_install gnuplot-nox
case " $QUEUES " in *" sqs "*) ensure_moto; command -v aws >/dev/null || die "the AWS CLI is needed to create the SQS queue on moto" ;; esac
bench_build   # the worker and bench/tools/CapacityTool, both in Anb.sln

DOCS="$ANB_ROOT/docs"
CHARTS="$DOCS/capacity"
DATA="$BENCH_WORK/data"
mkdir -p "$CHARTS" "$DATA" "$BENCH_WORK/scratch" "$BENCH_WORK/storage/originals"

clip50="$(bench_clip worker-50mb-40s.mp4 40 -vf noise=alls=12:allf=t -c:v libx264 -preset ultrafast -b:v 9800k -maxrate 9800k -bufsize 9800k)"
clip100="$(bench_clip worker-100mb-60s.mp4 60 -vf noise=alls=12:allf=t -c:v libx264 -preset ultrafast -b:v 13200k -maxrate 13200k -bufsize 13200k)"
clip_for() { [ "$1" = 50 ] && echo "$clip50" || echo "$clip100"; }

# The bare ffmpeg baseline: bench/transcode.sh's "single" command line (bench/ffmpeg_cli.sh).
ASSETS="$BENCH_WORKER_BIN/Assets"
bare_transcode() { mkdir -p "$2"; bench_ffmpeg_single "$ASSETS" "$1" "$2/b.mp4" "$PRESET" "$CRF"; }   # IN OUT_DIR

PG_PID="" MOTO_PID="" PROCMON_PID="" QSAMPLER_PID=""
capacity_cleanup() {
  [ -n "$QSAMPLER_PID" ] && kill "$QSAMPLER_PID" 2>/dev/null
  [ -n "$PROCMON_PID" ] && kill "$PROCMON_PID" 2>/dev/null
  bench_stop_worker
  [ -n "$MOTO_PID" ] && kill "$MOTO_PID" 2>/dev/null
  bench_cleanup
}
trap capacity_cleanup EXIT

pg_start "$BENCH_WORK/pgdata" "$BENCH_PG_PORT" throwaway
pg_create_db "$BENCH_PG_PORT" anb
PG_PID="$(head -1 "$BENCH_WORK/pgdata/postmaster.pid")"

SQS_URL=""
if [[ " $QUEUES " == *" sqs "* ]]; then
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
  MOTO_PID="$(moto_start "$MOTO_PORT" "$BENCH_WORK/moto.log")"
  aws_moto() { aws --endpoint-url "http://127.0.0.1:$MOTO_PORT" --output text "$@"; }
  # As deployed (aws/infrastructure.yaml): a dead-letter queue after 3 receives, 300 s visibility (the setting's default).
  dlq_url="$(aws_moto sqs create-queue --queue-name anb-capacity-dlq --query QueueUrl)"
  dlq_arn="$(aws_moto sqs get-queue-attributes --queue-url "$dlq_url" --attribute-names QueueArn --query Attributes.QueueArn)"
  SQS_URL="$(aws_moto sqs create-queue --queue-name anb-capacity --query QueueUrl \
    --attributes "{\"VisibilityTimeout\":\"300\",\"RedrivePolicy\":\"{\\\"deadLetterTargetArn\\\":\\\"$dlq_arn\\\",\\\"maxReceiveCount\\\":\\\"3\\\"}\"}")"
fi

# Environment of the worker and of CapacityTool: bench_env (database, local storage) plus these.
queue_env() { # queue_env ADAPTER CONCURRENCY
  echo "Processing__TempPath=$BENCH_WORK/scratch Transcoder__Preset=$PRESET Transcoder__Crf=$CRF"
  echo "Logging__LogLevel__Microsoft.Hosting.Lifetime=Information"
  if [ "$1" = sqs ]; then
    echo "Queue__Provider=Sqs Queue__Sqs__QueueUrl=$SQS_URL Queue__Sqs__ServiceUrl=http://127.0.0.1:$MOTO_PORT"
    echo "Queue__Sqs__Region=us-east-1 Queue__Sqs__MaxConcurrency=$2"
  else
    echo "Queue__Provider=Hangfire Queue__Hangfire__WorkerCount=$2"
  fi
}

start_worker() { # start_worker ADAPTER CONCURRENCY
  BENCH_ENV="$(queue_env "$1" "$2" | tr '\n' ' ')"
  bench_start_worker
  for _ in $(seq 1 240); do
    grep -q "Application started" "$BENCH_WORK/worker.log" 2>/dev/null && return 0
    kill -0 "$WORKER_PID" 2>/dev/null || break
    sleep 0.25
  done
  cat "$BENCH_WORK/worker.log" >&2
  die "the worker did not start"
}
stop_worker() { # stop_worker LABEL
  bench_stop_worker
  cp "$BENCH_WORK/worker.log" "$BENCH_WORK/worker-$1.log" 2>/dev/null || true
}

# make_ids N SIZE... — N new video ids, their originals already in storage (hard links to the clips;
# copies across file systems), sizes taken in turn. Prints "id size" lines.
make_ids() {
  python3 - "$BENCH_WORK/storage/originals" "$@" "$clip50" "$clip100" <<'PY'
import os, shutil, sys, uuid
root, n, *rest = sys.argv[1:]
sizes, clips = rest[:-2], {"50": rest[-2], "100": rest[-1]}
for i in range(int(n)):
    u, size = uuid.uuid4(), sizes[i % len(sizes)]
    dest = os.path.join(root, f"{u.hex}.mp4")
    try:
        os.link(clips[size], dest)
    except OSError:
        shutil.copyfile(clips[size], dest)
    print(u, size)
PY
}

enqueue() { # enqueue TAG IDS_FILE [INTERVAL] — the CapacityTool, with the worker's environment
  local tag="$1" ids="$2" interval="${3:-}"
  mapfile -t envs < <(bench_env; queue_env "$ADAPTER" 1 | tr ' ' '\n')
  cut -d' ' -f1 "$ids" | env "${envs[@]}" Logging__LogLevel__Default=Warning DOTNET_ENVIRONMENT=Production \
    dotnet "$BENCH_TOOL_DLL" enqueue --tag "$tag" ${interval:+--interval-seconds "$interval"} > "$DATA/enqueue-$tag.txt" \
    || die "CapacityTool failed for $tag"
}

wait_done() { # wait_done TAG N TIMEOUT_S — until every video of the run is processed or failed
  local tag="$1" n="$2" timeout="$3" done=0
  for _ in $(seq 1 "$timeout"); do
    done="$(bench_psql "SELECT count(*) FROM videos WHERE title LIKE '$tag %' AND status IN ('processed','failed')")"
    [ "$done" -ge "$n" ] && return 0
    sleep 1
  done
  log "timeout: $tag finished $done of $n"
}

# Other people's work shares this machine. Before each run, wait (at most CAP_QUIET_MAX_S, 90 s) until
# the machine has been nearly idle (< 0.3 busy cores over 3 s; our idle worker and samplers included).
wait_quiet() {
  local busy
  busy="$(python3 - "${CAP_QUIET_MAX_S:-90}" <<'PY'
import os, sys, time
def stat():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:9]]
    return sum(v), v[3] + v[4]
deadline = time.time() + float(sys.argv[1])
while True:
    t0, i0 = stat(); time.sleep(3); t1, i1 = stat()
    cores = ((t1 - t0) - (i1 - i0)) / max(1, t1 - t0) * os.cpu_count()
    if cores < 0.3 or time.time() > deadline:
        print(f"{cores:.2f}")
        break
PY
)"
  log "machine busy before the run: $busy cores"
}

RUNS="$DATA/runs.tsv"      # one line per video
PHASES="$DATA/phases.tsv"  # one line per run
printf 'label\tadapter\tconcurrency\tkind\tsize\tt_enqueued\tt_started\tt_finished\tstatus\tattempts\n' > "$RUNS"
printf 'label\tadapter\tconcurrency\tkind\tsize\tn\tt0\tt_arrivals_end\tt1\tload1\n' > "$PHASES"

record_videos() { # record_videos TAG ADAPTER CONCURRENCY KIND — the run's videos from PostgreSQL
  bench_psql "SELECT v.title, extract(epoch FROM v.uploaded_at), extract(epoch FROM v.processing_started_at),
      extract(epoch FROM v.processed_at), v.status, v.attempts FROM videos v WHERE v.title LIKE '$1 %'" \
    | python3 -c '
import sys
label, adapter, conc, kind, sizes = sys.argv[1:6]
size_of = dict(l.split("\t") for l in open(sizes).read().splitlines())
for line in sys.stdin:
    title, enq, start, end, status, attempts = line.rstrip("\n").split("|")
    n = title.rsplit(" ", 1)[1]
    print("\t".join([label, adapter, conc, kind, size_of[n], enq, start or "nan", end or "nan", status, attempts]))
' "$1" "$2" "$3" "$4" "$DATA/sizes-$1.tsv" >> "$RUNS"
}

run_saturate() { # run_saturate ADAPTER CONCURRENCY SIZE
  local tag="$1-c$2-saturate-$3" t0 t1
  wait_quiet
  log "$tag: backlog of $BACKLOG"
  make_ids "$BACKLOG" "$3" > "$DATA/ids-$tag.txt"
  awk '{print NR "\t" $2}' "$DATA/ids-$tag.txt" > "$DATA/sizes-$tag.tsv"
  t0=$(date +%s.%N)
  enqueue "$tag" "$DATA/ids-$tag.txt"
  wait_done "$tag" "$BACKLOG" $(( BACKLOG * 240 ))
  t1=$(date +%s.%N)
  record_videos "$tag" "$1" "$2" saturate
  printf '%s\t%s\t%s\tsaturate\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tag" "$1" "$2" "$3" "$BACKLOG" "$t0" "$t0" "$t1" \
    "$(cut -d' ' -f1 /proc/loadavg)" >> "$PHASES"
}

run_bare() { # run_bare ADAPTER SIZE — BACKLOG videos, two ffmpeg loops in parallel
  local tag="$1-bare2-$2" clip t0 t1
  clip="$(clip_for "$2")"
  wait_quiet
  log "$tag: $BACKLOG videos through 2 parallel bare ffmpeg loops"
  t0=$(date +%s.%N)
  ( # one process tree for the sampler (group "bare")
    for s in 0 1; do
      (
        for i in $(seq "$s" 2 $(( BACKLOG - 1 ))); do
          a=$(date +%s.%N)
          if bare_transcode "$clip" "$BENCH_WORK/bare/$s"; then st=processed; else st=failed; fi
          b=$(date +%s.%N)
          printf '%s\t%s\t2\tbare\t%s\t%s\t%s\t%s\t%s\t1\n' "$tag" "$1" "$2" "$t0" "$a" "$b" "$st"
        done
      ) >> "$DATA/bare-$tag-$s.tsv" &
    done
    wait
  ) &
  echo $! > "$BARE_PIDFILE"
  wait "$(cat "$BARE_PIDFILE")"
  : > "$BARE_PIDFILE"   # a stale pid could be reused by an unrelated process
  t1=$(date +%s.%N)
  cat "$DATA"/bare-"$tag"-*.tsv >> "$RUNS"
  printf '%s\t%s\t2\tbare\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tag" "$1" "$2" "$BACKLOG" "$t0" "$t0" "$t1" \
    "$(cut -d' ' -f1 /proc/loadavg)" >> "$PHASES"
}

run_sustain() { # run_sustain ADAPTER CONCURRENCY RATE_PER_MIN
  local tag="$1-c$2-sustain" n interval t0 t_arr t1
  n=$(python3 -c "import math; print(max(2, math.floor($SUSTAIN_S * $3 / 60)))")
  interval=$(python3 -c "print(f'{60 / $3:.3f}')")
  wait_quiet
  log "$tag: $n videos, one every ${interval}s (${3}/min), 50 and 100 MB in turn"
  make_ids "$n" 50 100 > "$DATA/ids-$tag.txt"
  awk '{print NR "\t" $2}' "$DATA/ids-$tag.txt" > "$DATA/sizes-$tag.tsv"
  t0=$(date +%s.%N)
  enqueue "$tag" "$DATA/ids-$tag.txt" "$interval"
  t_arr=$(date +%s.%N)
  wait_done "$tag" "$n" 1800
  t1=$(date +%s.%N)
  record_videos "$tag" "$1" "$2" sustain
  printf '%s\t%s\t%s\tsustain\tmix\t%s\t%s\t%s\t%s\t%s\n' "$tag" "$1" "$2" "$n" "$t0" "$t_arr" "$t1" \
    "$(cut -d' ' -f1 /proc/loadavg)" >> "$PHASES"
}

capacity_of() { # capacity_of ADAPTER CONCURRENCY — videos/min for a 50/50 mix, from the saturate runs
  python3 - "$RUNS" "$1" "$2" <<'PY'
import csv, sys
runs, adapter, conc = sys.argv[1:4]
rate = {}
for size in ("50", "100"):
    v = [r for r in csv.DictReader(open(runs), delimiter="\t")
         if r["adapter"] == adapter and r["concurrency"] == conc and r["kind"] == "saturate" and r["size"] == size and r["status"] == "processed"]
    span = max(float(r["t_finished"]) for r in v) - min(float(r["t_enqueued"]) for r in v)
    rate[size] = len(v) * 60 / span
print(f"{2 / (1 / rate['50'] + 1 / rate['100']):.4f}")
PY
}

# Queue length every second, for every run (only the current run has videos waiting or in service).
( while :; do
    printf '%s|%s\n' "$(date +%s.%N)" "$(bench_psql "SELECT count(*) FILTER (WHERE status = 'uploaded') || '|' || count(*) FILTER (WHERE status = 'processing') FROM videos" 2>/dev/null || echo '|')"
    sleep 1
  done > "$DATA/queue.psv" ) &
QSAMPLER_PID=$!
BARE_PIDFILE="$BENCH_WORK/bare.pid"
groups=(worker=@"$WORKER_PIDFILE" bare=@"$BARE_PIDFILE" pg="$PG_PID")
[ -n "$MOTO_PID" ] && groups+=(moto="$MOTO_PID")
bench_procmon "$DATA/procmon.csv" "${groups[@]}"

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
START_TIME="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
for ADAPTER in $QUEUES; do
  for size in 50 100; do run_bare "$ADAPTER" "$size"; done
  for c in $CONCURRENCY; do
    start_worker "$ADAPTER" "$c"
    sleep 3
    for size in 50 100; do run_saturate "$ADAPTER" "$c" "$size"; done
    rate=$(python3 -c "print(f'{$SUSTAIN_LOAD * $(capacity_of "$ADAPTER" "$c"):.3f}')")
    run_sustain "$ADAPTER" "$c" "$rate"
    stop_worker "$ADAPTER-c$c"
  done
done
sleep 1
kill "$PROCMON_PID" "$QSAMPLER_PID" 2>/dev/null; wait "$PROCMON_PID" "$QSAMPLER_PID" 2>/dev/null || true
PROCMON_PID="" QSAMPLER_PID=""
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

for ADAPTER in $QUEUES; do
  python3 "$BENCH_DIR/tools/capacity_worker_report.py" "$DATA" "$ADAPTER" "$MODE" "$BACKLOG" "$SUSTAIN_S" "$SUSTAIN_LOAD" \
    "$PRESET" "$LOAD_BEFORE" "$LOAD_AFTER" "$START_TIME" "$(nproc)" "$clip50" "$clip100" "$CHARTS"
  gnuplot "$DATA/$ADAPTER/charts.gp"
  bench_write_section_in "$DOCS/capacity.md" "capacity-worker-$ADAPTER" "$(cat "$DATA/$ADAPTER/section.md")"
  bench_write_section "capacity-worker-$ADAPTER" "$(cat "$DATA/$ADAPTER/results.md")"
  cat "$DATA/$ADAPTER/results.md"
done
for f in runs.tsv phases.tsv procmon.csv queue.psv; do cp "$DATA/$f" "$BENCH_OUT/capacity-worker-$f"; done   # raw data, git-ignored
for f in "$BENCH_WORK"/worker-*.log; do [ -f "$f" ] && cp "$f" "$BENCH_OUT/capacity-$(basename "$f")"; done
