#!/usr/bin/env bash
# Capacity, scenario 1 (issue 6): the upload API alone. The worker is not running (tasks pile up in
# Hangfire's PostgreSQL queue), so only the web tier is measured. hey (Debian) uploads a valid 4 MB,
# 20 s, 1080p MP4 as multipart POST /api/videos/upload:
#   warm-up  16 clients, not reported (the API compiles its hot paths while it runs)
#   smoke    5 clients
#   ramps    to 16, 32, 64 and 128 clients (each: a ramp in steps, then a hold), stopping after the
#            first hold with p95 > 1 s or errors > 5 %
#   final    80 % of the best level (the highest level that kept p95 <= 1 s and errors <= 5 %)
#   memory   a restarted API, 16 clients, 4 MB then 100 MB files (does memory grow with file size?)
# Baseline in the same run, right after each API hold: nginx (Debian) receiving the same request bodies
# into files on the same machine (see nginx_start), same clients, same hold length.
# CPU and memory of the API, PostgreSQL, nginx and hey are sampled every second (bench/tools/procmon.py).
# Writes docs/capacity.md (section capacity-upload), docs/capacity/upload-*.png and a summary section of
# bench/RESULTS.md. Run after `dotnet build Anb.sln -c Release`:
#
#   bench/capacity_upload.sh            # full phases: 1 min smoke, 1 min ramps, 2 min holds, 3 min final (~35 min)
#   bench/capacity_upload.sh --quick    # same phases scaled down (~12 min)
#   bench/capacity_upload.sh --quick --telemetry   # the same with the API exporting traces and metrics over OTLP
#
# With --telemetry the API exports OTLP/HTTP (metrics every OTEL_METRIC_EXPORT_INTERVAL, 10 s here) to
# bench/tools/otlp_sink.py, which accepts and discards (port CAP_OTLP_PORT); the run writes its own section
# (capacity-upload-telemetry) and, against the last run without it (section capacity-upload: run that one
# first, right before), the section telemetry-overhead: both API / nginx ratios and whether telemetry costs
# under 5 %. docs/capacity.md and its charts stay those of the run without telemetry.
#
# Phase lengths can be overridden with CAP_WARM_S, CAP_SMOKE_S, CAP_RAMP_S, CAP_HOLD_S, CAP_FINAL_S, CAP_MEM_S and
# the levels with CAP_LEVELS="16 32 64 128".
BENCH_PG_PORT="${BENCH_PG_PORT:-55450}"
BENCH_API_PORT="${BENCH_API_PORT:-18100}"
source "$(dirname "$0")/lib.sh"
NGINX_PORT="${CAP_NGINX_PORT:-18101}"

MODE=full TELEMETRY=off
for arg in "$@"; do
  case "$arg" in
    --quick) MODE=quick ;;
    --telemetry) TELEMETRY=on ;;
    *) die "usage: bench/capacity_upload.sh [--quick] [--telemetry]" ;;
  esac
done
OTLP_PORT="${CAP_OTLP_PORT:-18104}"
if [ "$MODE" = quick ]; then
  WARM_S=30 SMOKE_S=15 RAMP_S=12 HOLD_S=30 FINAL_S=45 MEM_S=30
else
  WARM_S=30 SMOKE_S=60 RAMP_S=60 HOLD_S=120 FINAL_S=180 MEM_S=60
fi
WARM_S="${CAP_WARM_S:-$WARM_S}" SMOKE_S="${CAP_SMOKE_S:-$SMOKE_S}" RAMP_S="${CAP_RAMP_S:-$RAMP_S}" HOLD_S="${CAP_HOLD_S:-$HOLD_S}"
FINAL_S="${CAP_FINAL_S:-$FINAL_S}" MEM_S="${CAP_MEM_S:-$MEM_S}"
LEVELS="${CAP_LEVELS:-16 32 64 128}"
SMOKE_CLIENTS=5 MEM_CLIENTS=16 RAMP_STEPS=4
P95_LIMIT=1.0 ERROR_LIMIT_PCT=5

missing=()
command -v hey >/dev/null || missing+=(hey)
command -v nginx >/dev/null || missing+=(nginx)
command -v gnuplot >/dev/null || missing+=(gnuplot-nox)
apt_install "${missing[@]}"
bench_build

DOCS="$ANB_ROOT/docs"
CHARTS="$DOCS/capacity"
mkdir -p "$CHARTS"
DATA="$BENCH_WORK/data"
mkdir -p "$DATA" "$BENCH_WORK/hey"

# The clips: valid uploads (MP4, 20-60 s, 1080p, <= 100 MB). The 100 MB one is upload_memory.sh's.
clip4="$(bench_clip upload-4mb-20s.mp4 20 -vf noise=alls=20:allf=t -c:v libx264 -preset ultrafast -b:v 1550k -maxrate 1550k -bufsize 3100k -b:a 64k)"
clip100="$(bench_clip upload-99mb-40s.mp4 40 -vf noise=alls=60:allf=t -c:v libx264 -preset ultrafast -b:v 19M -maxrate 19M -bufsize 38M)"

# One multipart body per clip, built once: hey sends the same bytes to the API and to nginx.
BOUNDARY="anb-capacity-bench-boundary-7d1f3c"
CONTENT_TYPE="multipart/form-data; boundary=$BOUNDARY"
make_body() { # make_body CLIP OUT
  python3 - "$1" "$2" "$BOUNDARY" <<'PY'
import os, sys
clip, out, boundary = sys.argv[1:4]
with open(out, "wb") as f:
    f.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nJugada de capacidad\r\n".encode())
    f.write(f"--{boundary}\r\nContent-Disposition: form-data; name=\"video_file\"; filename=\"{os.path.basename(clip)}\"\r\n"
            "Content-Type: video/mp4\r\n\r\n".encode())
    with open(clip, "rb") as c:
        f.write(c.read())
    f.write(f"\r\n--{boundary}--\r\n".encode())
PY
}
BODY4="$BENCH_WORK/body-4mb.bin" BODY100="$BENCH_WORK/body-100mb.bin"
make_body "$clip4" "$BODY4"
make_body "$clip100" "$BODY100"

NGINX_PID="" CLEANER_PID="" PROCMON_PID="" SINK_PID=""
capacity_cleanup() {
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null
  [ -n "$PROCMON_PID" ] && kill "$PROCMON_PID" 2>/dev/null
  [ -n "$CLEANER_PID" ] && kill "$CLEANER_PID" 2>/dev/null
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null
  bench_cleanup
}
trap capacity_cleanup EXIT

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
START_TIME="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
BENCH_ENV="Jwt__LifetimeSeconds=14400"
SINK_COUNTS="$DATA/otlp-sink.json"
if [ "$TELEMETRY" = on ]; then
  python3 "$BENCH_DIR/tools/otlp_sink.py" "$OTLP_PORT" "$SINK_COUNTS" &
  SINK_PID=$!
  BENCH_ENV="$BENCH_ENV OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:$OTLP_PORT OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"
  BENCH_ENV="$BENCH_ENV OTEL_METRIC_EXPORT_INTERVAL=10000 OTEL_SERVICE_NAME=anb-api-bench"
fi
bench_stack_up
TOKEN="$(bench_token)"

check_upload() { # check_upload BODY — one upload through curl; must answer 201 with a task id
  local answer
  answer="$(curl -sS -w '\n%{http_code}' -X POST "$API_URL/api/videos/upload" -H "authorization: Bearer $TOKEN" \
    -H "content-type: $CONTENT_TYPE" --data-binary "@$1")"
  [ "$(echo "$answer" | tail -1)" = 201 ] && echo "$answer" | head -1 | grep -q task_id \
    || die "the API refused the bench upload: $answer"
}

# nginx, the baseline: how fast can this machine take the same request bodies into files, with a
# server that does nothing else? nginx answers `return 201` before reading a body (it discards it), so
# that would measure nothing. The WebDAV module (compiled into Debian's nginx) does what we want: for a
# PUT it reads the whole body into a temporary file under client_body_temp_path, then renames it into
# place under `root` and answers 201 Created. `rewrite ... $request_id` gives every request its own file
# name. hey sends it the very same multipart bytes and headers; only the method differs (PUT, since
# the DAV module does not take POST), which does not change how the body is read.
nginx_start() {
  local dir="$BENCH_WORK/nginx"
  mkdir -p "$dir/store/.tmp" "$dir/logs"
  chown -R nobody "$dir/store" 2>/dev/null || true   # worker processes run as nobody when started as root
  cat > "$dir/nginx.conf" <<EOF
worker_processes $(nproc);
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_max_body_size 200m;
  client_body_temp_path $dir/store/.tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location = /api/videos/upload {
      root $dir/store;
      rewrite ^ /\$request_id.upload break;
      dav_methods PUT;
      dav_access user:rw;
    }
  }
}
EOF
  nginx -c "$dir/nginx.conf" -p "$dir" -g 'daemon off;' >"$dir/logs/stdout.log" 2>&1 &
  NGINX_PID=$!
  for _ in $(seq 1 50); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H "content-type: $CONTENT_TYPE" --data-binary "@$BODY4" \
      "http://127.0.0.1:$NGINX_PORT/api/videos/upload")" = 201 ] && break
    sleep 0.2
  done
  ls "$dir/store"/*.upload >/dev/null 2>&1 || die "nginx did not store the body (see $dir/logs/error.log)"
  NGINX_STORE="$dir/store"
}

check_upload "$BODY4"
nginx_start

# Both servers keep what they receive; at hundreds of MB/s the disk would fill, so finished files are
# deleted every second (the same for both: API originals are complete once renamed to .mp4, nginx's
# once renamed to .upload; files still being written have other names).
# Deleting a file frees its cached pages, which costs CPU per file: the sampler reports it as "cleanup".
( while :; do
    find "$BENCH_WORK/storage/originals" "$NGINX_STORE" -maxdepth 1 -type f \( -name '*.mp4' -o -name '*.upload' \) -delete 2>/dev/null
    sleep 1
  done ) &
CLEANER_PID=$!

PG_PID="$(head -1 "$BENCH_WORK/pgdata/postmaster.pid")"
bench_procmon "$DATA/procmon.csv" api=@"$API_PIDFILE" pg="$PG_PID" nginx="$NGINX_PID" hey=$$:hey cleanup="$CLEANER_PID"

PHASES="$DATA/phases.tsv"
printf 'label\tkind\ttarget\tclients\tbody\tt0\tt1\ttotal_s\tok\tother\terrors\tp50\tp95\tp99\n' > "$PHASES"

# run_hey TARGET CLIENTS SECONDS BODY LABEL KIND — one hey run; appends its line to $PHASES and prints
# "ok_per_s p95 error_pct".
run_hey() {
  local target="$1" clients="$2" seconds="$3" body="$4" label="$5" kind="$6" url method t0 t1 out
  if [ "$target" = api ]; then url="$API_URL/api/videos/upload" method=POST
  else url="http://127.0.0.1:$NGINX_PORT/api/videos/upload" method=PUT; fi
  out="$BENCH_WORK/hey/$label.txt"
  log "$label: $target, $clients clients, ${seconds}s, $(basename "$body")"
  t0=$(date +%s.%N)
  hey -z "${seconds}s" -c "$clients" -t 120 -m "$method" -D "$body" -T "$CONTENT_TYPE" \
    -H "Authorization: Bearer $TOKEN" "$url" > "$out" 2>&1 || true
  t1=$(date +%s.%N)
  python3 - "$out" "$label" "$kind" "$target" "$clients" "$(basename "$body" .bin)" "$t0" "$t1" >> "$PHASES" <<'PY'
import re, sys
out, label, kind, target, clients, body, t0, t1 = sys.argv[1:9]
text = open(out).read()
total = re.search(r"Total:\s+([\d.]+) secs", text)
total = float(total.group(1)) if total else float(t1) - float(t0)
codes = {int(c): int(n) for c, n in re.findall(r"\[(\d{3})\]\s+(\d+) responses", text)}
errors = 0
if "Error distribution:" in text:
    errors = sum(int(n) for n in re.findall(r"^\s+\[(\d+)\]\s", text.split("Error distribution:")[1], re.M))
pct = {int(p): float(v) for p, v in re.findall(r"(\d+)% in ([\d.]+) secs", text)}
ok = codes.get(201, 0)
other = sum(n for c, n in codes.items() if c != 201)
nan = float("nan")
print("\t".join([label, kind, target, clients, body, t0, t1, f"{total:.3f}", str(ok), str(other), str(errors),
                 f"{pct.get(50, nan):.4f}", f"{pct.get(95, nan):.4f}", f"{pct.get(99, nan):.4f}"]))
PY
  tail -1 "$PHASES" | awk -F'\t' '{ n = $9 + $10 + $11; printf "%.2f %.4f %.2f\n", $9 / $8, $13, n ? 100 * ($10 + $11) / n : 100 }'
}

passes() { # passes "ok_per_s p95 error_pct" — within the limits?
  awk -v p="$P95_LIMIT" -v e="$ERROR_LIMIT_PCT" '{ exit !($2 == $2 && $2 <= p && $3 <= e && $1 > 0) }' <<<"$1"
}

# A warm-up of the API first, not reported: .NET compiles the hot paths again, optimised, after their first
# calls (tiered compilation), and a cold API spent a sixth of its CPU in the compiler during its first minute of
# uploads. nginx needs none, and gets a short one before each of its holds all the same.
run_hey api "$MEM_CLIENTS" "$WARM_S" "$BODY4" "api-warm" warm >/dev/null

# Smoke, then the API and nginx level by level.
result="$(run_hey api "$SMOKE_CLIENTS" "$SMOKE_S" "$BODY4" "api-smoke" smoke)"
run_hey nginx "$SMOKE_CLIENTS" "$SMOKE_S" "$BODY4" "nginx-smoke" smoke >/dev/null
best="$SMOKE_CLIENTS"
passes "$result" || log "the smoke phase is already over the limits ($result)"
prev="$SMOKE_CLIENTS"
STOPPED=""
for level in $LEVELS; do
  for k in $(seq 1 "$RAMP_STEPS"); do
    c=$(( prev + (level - prev) * k / RAMP_STEPS ))
    run_hey api "$c" $(( RAMP_S / RAMP_STEPS )) "$BODY4" "api-ramp-$level-$k" ramp >/dev/null
  done
  result="$(run_hey api "$level" "$HOLD_S" "$BODY4" "api-hold-$level" hold)"
  run_hey nginx "$level" 5 "$BODY4" "nginx-warm-$level" warm >/dev/null
  run_hey nginx "$level" "$HOLD_S" "$BODY4" "nginx-hold-$level" hold >/dev/null
  prev="$level"
  if passes "$result"; then
    best="$level"
  else
    STOPPED="$level"
    log "stopping the ramps at $level clients: $result (req/s p95 error%)"
    break
  fi
done

FINAL_CLIENTS=$(( (best * 8 + 5) / 10 ))
[ "$FINAL_CLIENTS" -ge 1 ] || FINAL_CLIENTS=1
run_hey api "$FINAL_CLIENTS" "$FINAL_S" "$BODY4" "api-final-$FINAL_CLIENTS" final >/dev/null
run_hey nginx "$FINAL_CLIENTS" "$HOLD_S" "$BODY4" "nginx-final-$FINAL_CLIENTS" final >/dev/null

# Memory against file size, on a fresh API process (the ramps above have grown its heap).
bench_restart_api
TOKEN="$(bench_token)"
sleep 3
check_upload "$BODY4"
sleep 2
run_hey api "$MEM_CLIENTS" "$MEM_S" "$BODY4" "api-mem-4mb" mem >/dev/null
run_hey api "$MEM_CLIENTS" "$MEM_S" "$BODY100" "api-mem-100mb" mem >/dev/null
run_hey nginx "$MEM_CLIENTS" "$MEM_S" "$BODY100" "nginx-mem-100mb" mem >/dev/null
sleep 2
kill "$PROCMON_PID"; wait "$PROCMON_PID" 2>/dev/null || true; PROCMON_PID=""
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# Tables, verdicts and chart data; then the charts.
python3 "$BENCH_DIR/tools/capacity_upload_report.py" "$DATA" "$MODE" "$(stat -c %s "$BODY4")" "$(stat -c %s "$BODY100")" \
  "$SMOKE_S $RAMP_S $HOLD_S $FINAL_S $MEM_S $WARM_S" "$LEVELS" "${STOPPED:-none}" "$best" "$FINAL_CLIENTS" \
  "$LOAD_BEFORE" "$LOAD_AFTER" "$START_TIME" "$(nproc)" "$(awk '/MemTotal/{printf "%.0f", $2/1048576}' /proc/meminfo)" \
  "$TELEMETRY" "$SINK_COUNTS"

if [ "$TELEMETRY" = on ]; then
  bench_write_section capacity-upload-telemetry "$(cat "$DATA/results.md")"
  bench_write_section telemetry-overhead "$(python3 "$BENCH_DIR/tools/telemetry_overhead.py" "$BENCH_DIR/RESULTS.md")"
else
  gnuplot -e "data='$DATA'; out='$CHARTS'; ncpu=$(nproc)" "$BENCH_DIR/tools/capacity_upload.gp"
  bench_write_section_in "$DOCS/capacity.md" capacity-upload "$(cat "$DATA/section.md")"
  bench_write_section capacity-upload "$(cat "$DATA/results.md")"
fi
for f in phases.tsv procmon.csv; do cp "$DATA/$f" "$BENCH_OUT/capacity-upload-$f"; done   # raw data, git-ignored
cat "$DATA/results.md"
