#!/usr/bin/env bash
# Runs the Postman collection (collections/anb.postman_collection.json) with newman against the real
# stack: a fresh database, the API and the worker from the Release build, local storage and Hangfire.
#
#   scripts/newman.sh            # stdout: one line "newman: N passed, M failed"; everything else on stderr
#
# Environment:
#   ANB_TEST_PG           Npgsql connection string of a PostgreSQL to create the database on
#                         (default Host=127.0.0.1;Port=$ANB_TEST_PG_PORT;Username=postgres, port 55433).
#                         When it is not set and nothing answers there, a private throwaway cluster is
#                         started on a free port and stopped at the end.
#   ANB_NEWMAN_REPORT     where the JSON report goes (default collections/reports/newman-report.json)
#   ANB_NEWMAN_KEEP_LOGS  set to 1 to keep the API and worker logs (their folder is printed)
# Exit status: 0 when every assertion passed, non-zero when one failed or newman could not run.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

COLLECTIONS="$ANB_ROOT/collections"
CLIP="$COLLECTIONS/fixtures/clip-1080p-21s.mp4"
REPORT="${ANB_NEWMAN_REPORT:-$COLLECTIONS/reports/newman-report.json}"
API_DLL="$ANB_ROOT/Anb.WebApi/bin/Release/net10.0/Anb.WebApi.dll"
WORKER_DLL="$ANB_ROOT/Anb.WorkerHost/bin/Release/net10.0/Anb.WorkerHost.dll"
started=$SECONDS

WORK="$(mktemp -d /tmp/anb-newman.XXXXXX)"
chmod 755 "$WORK"
pids=()
DB_NAME=""
PRIVATE_PG=""
PG_HOST="" PG_PORT="" PG_USER="" PG_PASSWORD=""

# The one line on stdout. A run that could not complete counts as one failure on top of its assertions.
finish() {
  local passed="$1" failed="$2"
  echo "newman: $passed passed, $failed failed"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$DB_NAME" ]; then
    PGPASSWORD="$PG_PASSWORD" "$(pg_bin)/psql" -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAtc \
      "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null 2>&1 || log "could not drop database $DB_NAME"
  fi
  [ -n "$PRIVATE_PG" ] && pg_stop "$PRIVATE_PG"
  if [ "${ANB_NEWMAN_KEEP_LOGS:-0}" = 1 ]; then
    log "logs kept in $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Fails the run: prints the reason, then the result line counting one failure.
abort() {
  log "error: $*"
  finish 0 1
  exit 1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Value of a key in an Npgsql connection string (keys are case-insensitive, spaces allowed: "User ID").
conn_value() {
  local conn="$1" wanted pair key value
  wanted="$(printf '%s' "$2" | tr '[:upper:]' '[:lower:]' | tr -d ' ')"
  IFS=';' read -ra pairs <<<"$conn"
  for pair in "${pairs[@]}"; do
    key="$(printf '%s' "${pair%%=*}" | tr '[:upper:]' '[:lower:]' | tr -d ' ')"
    value="${pair#*=}"
    if [ "$key" = "$wanted" ]; then printf '%s' "$value"; return 0; fi
  done
  return 0
}

# The connection string without its Database key (so a Database can be appended).
conn_without_database() {
  local out="" pair key
  IFS=';' read -ra pairs <<<"$1"
  for pair in "${pairs[@]}"; do
    [ -n "$pair" ] || continue
    key="$(printf '%s' "${pair%%=*}" | tr '[:upper:]' '[:lower:]' | tr -d ' ')"
    case "$key" in database | db | initialcatalog) continue ;; esac
    out="$out$pair;"
  done
  printf '%s' "$out"
}

# 1. Tools: PostgreSQL client, FFmpeg, curl (common.sh), Node and newman.
ensure_system_packages
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  apt_install nodejs npm
fi
if [ ! -x "$COLLECTIONS/node_modules/.bin/newman" ]; then
  log "installing newman (npm ci)"
  npm ci --prefix "$COLLECTIONS" --no-audit --no-fund --loglevel=error >&2 || abort "npm ci failed"
fi

# The collection is generated from collections/build-collection.js; say so when the two differ.
node "$COLLECTIONS/build-collection.js" --check >&2 || log "warning: the collection JSON is stale; running it as committed"

# 2. The build (./test.sh has built already; a standalone run builds when a dll is missing).
if [ ! -f "$API_DLL" ] || [ ! -f "$WORKER_DLL" ]; then
  build_solution
fi

# 3. The upload clip: 1920x1080, 21 s (the rules: MP4, 20-60 s, 1080p). Made here, never committed.
# HD colour bars + a tone: about 250 KB (testsrc2's moving noise makes 16 MB with the same settings).
if [ ! -s "$CLIP" ]; then
  log "generating the fixture clip"
  mkdir -p "$(dirname "$CLIP")"
  ffmpeg -v error -y -f lavfi -i smptehdbars=size=1920x1080:rate=30:duration=21 -f lavfi -i sine=frequency=440:duration=21 \
    -c:v libx264 -preset ultrafast -crf 35 -pix_fmt yuv420p -c:a aac -shortest "$WORK/clip.mp4" >&2 \
    || abort "ffmpeg could not make the fixture clip"
  mv "$WORK/clip.mp4" "$CLIP"
fi

# 4. A fresh database.
PG_CONN="${ANB_TEST_PG:-}"
if [ -z "$PG_CONN" ]; then
  default_port="${ANB_TEST_PG_PORT:-55433}"
  PG_CONN="Host=127.0.0.1;Port=$default_port;Username=postgres"
  if ! "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$default_port" 2>/dev/null; then
    port="$(free_port)"
    PRIVATE_PG="$WORK/pgdata"
    log "no PostgreSQL on 127.0.0.1:$default_port; starting a throwaway cluster on port $port"
    pg_start "$PRIVATE_PG" "$port" throwaway
    PG_CONN="Host=127.0.0.1;Port=$port;Username=postgres"
  fi
fi
PG_HOST="$(conn_value "$PG_CONN" Host)"; PG_HOST="${PG_HOST:-$(conn_value "$PG_CONN" Server)}"; PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="$(conn_value "$PG_CONN" Port)"; PG_PORT="${PG_PORT:-55433}"
PG_USER="$(conn_value "$PG_CONN" Username)"; PG_USER="${PG_USER:-$(conn_value "$PG_CONN" "User ID")}"; PG_USER="${PG_USER:-postgres}"
PG_PASSWORD="$(conn_value "$PG_CONN" Password)"
DB_NAME="anb_newman_$(date +%s)_$RANDOM"
PGPASSWORD="$PG_PASSWORD" "$(pg_bin)/psql" -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAtc "CREATE DATABASE \"$DB_NAME\"" >&2 \
  || { DB_NAME=""; abort "could not create a database on $PG_HOST:$PG_PORT"; }
log "database $DB_NAME on $PG_HOST:$PG_PORT"

# 5. The API and the worker, on local storage and the Hangfire queue.
PORT="$(free_port)"
BASE_URL="http://127.0.0.1:$PORT"
mkdir -p "$WORK/storage" "$WORK/uploads" "$WORK/processing"
export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
export ConnectionStrings__Database="$(conn_without_database "$PG_CONN")Database=$DB_NAME"
export Jwt__SigningKey="$(head -c 48 /dev/urandom | base64 -w0)"
export Storage__Provider=Local
export Storage__Local__RootPath="$WORK/storage"
export Storage__Local__PublicBaseUrl="$BASE_URL"
export Storage__Local__SigningKey="$(head -c 48 /dev/urandom | base64 -w0)"
export Queue__Provider=Hangfire
export Rankings__CacheSeconds=0
# The collection's requests all come from loopback: the abuse limits would measure themselves, not the API.
for limit in SignUpsPerMinute LogInsPerMinute LogInFreeFailures UploadsInFlightPerUser UploadsPerUserPerHour \
  UploadsInFlightPerInstance VotesPerUserPerMinute; do
  export "RateLimits__$limit=1000000000"
done
export Upload__TempPath="$WORK/uploads" Processing__TempPath="$WORK/processing"
export Transcoder__Preset=ultrafast

dotnet "$API_DLL" --urls "$BASE_URL" >"$WORK/api.log" 2>&1 &
pids+=($!)
dotnet "$WORKER_DLL" >"$WORK/worker.log" 2>&1 &
pids+=($!)

ready=0
for _ in $(seq 1 240); do
  if curl -fsS "$BASE_URL/health/ready" >/dev/null 2>&1; then ready=1; break; fi
  if ! kill -0 "${pids[0]}" 2>/dev/null; then break; fi
  sleep 0.25
done
if [ "$ready" != 1 ]; then
  tail -30 "$WORK/api.log" >&2
  abort "the API did not become ready at $BASE_URL"
fi
kill -0 "${pids[1]}" 2>/dev/null || { tail -30 "$WORK/worker.log" >&2; abort "the worker exited"; }
log "API ready at $BASE_URL after $((SECONDS - started)) s; running newman"

# 6. newman. The CLI report goes to stderr; the JSON report is read for the counts.
mkdir -p "$(dirname "$REPORT")"
rm -f "$REPORT"
newman_rc=0
"$COLLECTIONS/node_modules/.bin/newman" run "$COLLECTIONS/anb.postman_collection.json" \
  --environment "$COLLECTIONS/postman_environment.json" \
  --env-var "base_url=$BASE_URL" \
  --working-dir "$COLLECTIONS" \
  --reporters cli,json --reporter-json-export "$REPORT" \
  --timeout-request 60000 --timeout 600000 \
  --color off --disable-unicode >&2 || newman_rc=$?

if [ ! -s "$REPORT" ]; then
  tail -20 "$WORK/api.log" >&2
  abort "newman did not run (exit code $newman_rc, no report)"
fi
read -r total failed errors < <(node -e '
  const run = require(process.argv[1]).run;
  const a = run.stats.assertions, s = run.stats.testScripts, p = run.stats.prerequestScripts;
  console.log(a.total, a.failed, (s.failed || 0) + (p.failed || 0) + (run.error ? 1 : 0));
' "$REPORT") || abort "could not read $REPORT"
passed=$((total - failed))

if [ "$newman_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # Not an assertion: a request that could not be sent, a script error, a timeout. Count it as one.
  log "newman exited with $newman_rc (script errors: $errors) although no assertion failed"
  failed=1
elif [ "$errors" -gt 0 ]; then
  log "script errors: $errors"
fi
if [ "$failed" -gt 0 ]; then
  log "failed; API log tail:"; tail -15 "$WORK/api.log" >&2
  log "worker log tail:"; tail -15 "$WORK/worker.log" >&2
fi
log "newman finished in $((SECONDS - started)) s; report: $REPORT"
finish "$passed" "$failed"
[ "$failed" -eq 0 ] && [ "$newman_rc" -eq 0 ]
