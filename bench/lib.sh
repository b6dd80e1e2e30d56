#!/usr/bin/env bash
# Shared by the benchmark scripts: a private stack (PostgreSQL, API, optionally the worker) on loopback,
# built in Release, torn down on exit. Source it, then call bench_stack_up.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"

BENCH_DIR="$ANB_ROOT/bench"
BENCH_OUT="$BENCH_DIR/out"
mkdir -p "$BENCH_OUT"
BENCH_WORK="$(mktemp -d /tmp/anb-bench.XXXXXX)"
chmod 755 "$BENCH_WORK"
BENCH_PG_PORT="${BENCH_PG_PORT:-55440}"
BENCH_API_PORT="${BENCH_API_PORT:-18090}"
API_URL="http://127.0.0.1:$BENCH_API_PORT"
# Release output of `dotnet build Anb.sln -c Release` (bench_build makes it when missing).
BENCH_API_BIN="${BENCH_API_BIN:-$ANB_ROOT/Anb.WebApi/bin/Release/net10.0}"
BENCH_WORKER_BIN="$ANB_ROOT/Anb.WorkerHost/bin/Release/net10.0"
BENCH_TOOL_DLL="$BENCH_DIR/tools/CapacityTool/bin/Release/net10.0/CapacityTool.dll"
API_PID="" WORKER_PID=""

bench_cleanup() {
  [ -n "$WORKER_PID" ] && kill "$WORKER_PID" 2>/dev/null
  [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null
  wait 2>/dev/null || true
  pg_stop "$BENCH_WORK/pgdata"
  cp "$BENCH_WORK"/*.log "$BENCH_OUT"/ 2>/dev/null || true   # kept for diagnosis (bench/out is git-ignored)
  rm -rf "$BENCH_WORK"
}
trap bench_cleanup EXIT

# The environment both hosts get; extra NAME=VALUE pairs can be added by the caller through BENCH_ENV.
bench_env() {
  echo "ConnectionStrings__Database=Host=127.0.0.1;Port=$BENCH_PG_PORT;Database=anb;Username=postgres;Maximum Pool Size=100"
  echo "Jwt__SigningKey=bench-signing-key-$(head -c 24 /dev/urandom | base64 -w0)"
  echo "Storage__Provider=Local"
  echo "Storage__Local__RootPath=$BENCH_WORK/storage"
  echo "Storage__Local__PublicBaseUrl=$API_URL"
  echo "Upload__TempPath=$BENCH_WORK/spool"
  echo "Queue__Provider=Hangfire"
  echo "Logging__LogLevel__Default=Warning"
  # The abuse limits would count every bench client as one address (loopback): set them out of the way,
  # so the numbers are the service's, not the limiter's (which still runs on every limited route).
  local limit
  for limit in SignUpsPerMinute LogInsPerMinute LogInFreeFailures UploadsInFlightPerUser UploadsPerUserPerHour \
    UploadsInFlightPerInstance VotesPerUserPerMinute; do
    echo "RateLimits__$limit=1000000000"
  done
  for pair in ${BENCH_ENV:-}; do echo "$pair"; done
}

# bench_build — builds Anb.sln in Release (hosts and bench/tools/CapacityTool) when an output is missing.
# An existing build is used as it is: rebuild after changing the code.
bench_build() {
  local dll
  for dll in "$BENCH_API_BIN/Anb.WebApi.dll" "$BENCH_WORKER_BIN/Anb.WorkerHost.dll" "$BENCH_TOOL_DLL"; do
    [ -f "$dll" ] || { build_solution; return; }
  done
}

# bench_stack_up [with-worker] — PostgreSQL (fresh), API, and the worker when asked.
bench_stack_up() {
  ensure_system_packages
  bench_build
  pg_start "$BENCH_WORK/pgdata" "$BENCH_PG_PORT" throwaway
  pg_create_db "$BENCH_PG_PORT" anb
  bench_start_api
  if [ "${1:-}" = with-worker ]; then
    bench_start_worker
  fi
}

# Samplers follow the hosts through these files (bench_procmon's NAME=@PIDFILE); empty while one is down.
API_PIDFILE="$BENCH_WORK/api.pid" WORKER_PIDFILE="$BENCH_WORK/worker.pid"

# bench_start_api — the API with bench_env (so with the current BENCH_ENV), once it answers /health/ready.
bench_start_api() {
  mapfile -t envs < <(bench_env)
  (cd "$BENCH_API_BIN" && exec env ASPNETCORE_ENVIRONMENT=Production "${envs[@]}" \
    dotnet Anb.WebApi.dll --urls "$API_URL") >>"$BENCH_WORK/api.log" 2>&1 &
  API_PID=$!
  echo "$API_PID" > "$API_PIDFILE"
  for _ in $(seq 1 120); do
    curl -fsS "$API_URL/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$API_PID" 2>/dev/null || break
    sleep 0.5
  done
  cat "$BENCH_WORK/api.log" >&2
  die "the API did not become ready"
}

# bench_restart_api — a fresh API process of the same build, with the current BENCH_ENV. Its signing key
# is new (bench_env makes one per start): take a new bench_token.
bench_restart_api() {
  kill "$API_PID" 2>/dev/null; wait "$API_PID" 2>/dev/null || true
  bench_start_api
}

bench_start_worker() {
  mapfile -t envs < <(bench_env)
  (cd "$BENCH_WORKER_BIN" && exec env DOTNET_ENVIRONMENT=Production "${envs[@]}" \
    dotnet Anb.WorkerHost.dll) >"$BENCH_WORK/worker.log" 2>&1 &
  WORKER_PID=$!
  echo "$WORKER_PID" > "$WORKER_PIDFILE"
}

bench_stop_worker() {
  [ -n "$WORKER_PID" ] && kill "$WORKER_PID" 2>/dev/null && wait "$WORKER_PID" 2>/dev/null || true
  WORKER_PID=""
  : > "$WORKER_PIDFILE"   # a stale pid could be reused by an unrelated process
}

# Prints a bearer token for a new player.
bench_token() {
  local email="bench-$RANDOM-$(date +%s%N)@example.com"
  curl -fsS -X POST "$API_URL/api/auth/signup" -H 'content-type: application/json' \
    -d "{\"first_name\":\"Bench\",\"last_name\":\"Player\",\"email\":\"$email\",\"password1\":\"s3cret-pass\",\"password2\":\"s3cret-pass\",\"city\":\"Cali\",\"country\":\"Colombia\"}" >/dev/null
  curl -fsS -X POST "$API_URL/api/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"s3cret-pass\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}

bench_psql() { "$(pg_bin)/psql" -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -d anb -tAc "$1"; }

# bench_clip NAME SECONDS [extra ffmpeg video args...] — a 1080p MP4 in bench/out, made once.
bench_clip() {
  local name="$1" seconds="$2"; shift 2
  local path="$BENCH_OUT/$name"
  if [ ! -s "$path" ]; then
    log "generating $name"
    ffmpeg -v error -y -f lavfi -i "testsrc2=size=1920x1080:rate=30:duration=$seconds" \
      -f lavfi -i "sine=frequency=440:duration=$seconds" "$@" -pix_fmt yuv420p -c:a aac -shortest "$path.partial.mp4"
    mv "$path.partial.mp4" "$path"   # an interrupted run leaves no half clip behind
  fi
  echo "$path"
}

# Replaces the section of bench/RESULTS.md between '<!-- NAME -->' and '<!-- /NAME -->' (or appends it).
bench_write_section() { bench_write_section_in "$BENCH_DIR/RESULTS.md" "$1" "$2"; }

# bench_write_section_in FILE NAME BODY — the same for any Markdown file (docs/capacity.md).
bench_write_section_in() {
  local file="$1" name="$2" body="$3"
  python3 - "$file" "$name" "$body" <<'PY'
import re, sys
path, name, body = sys.argv[1:4]
try:
    text = open(path).read()
except FileNotFoundError:
    text = ""
block = f"<!-- {name} -->\n{body.strip()}\n<!-- /{name} -->"
pattern = re.compile(rf"<!-- {re.escape(name)} -->.*?<!-- /{re.escape(name)} -->", re.S)
text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
open(path, "w").write(text)
PY
}

# bench_procmon OUT.csv GROUP... — samples CPU and memory of process trees every second in the background
# (bench/tools/procmon.py; GROUP is NAME=PID, NAME=@PIDFILE or NAME=PID:COMM). Sets PROCMON_PID.
bench_procmon() {
  python3 "$BENCH_DIR/tools/procmon.py" "$@" &
  PROCMON_PID=$!
}
