#!/usr/bin/env bash
# The stack of scripts/faults.sh: a private PostgreSQL, API and worker processes from the Release build,
# moto behind a TCP relay that can be cut, an FFmpeg sampler and the upload clients. Source it after
# scripts/lib/common.sh; it sets FAULTS_WORK and a trap that stops everything it started.

FAULTS_API_BIN="$ANB_ROOT/Anb.WebApi/bin/Release/net10.0"
FAULTS_WORKER_BIN="$ANB_ROOT/Anb.WorkerHost/bin/Release/net10.0"
FAULTS_WORK="$(mktemp -d /tmp/anb-faults.XXXXXX)"
chmod 755 "$FAULTS_WORK"
mkdir -p "$FAULTS_WORK/storage" "$FAULTS_WORK/spool" "$FAULTS_WORK/scratch" "$FAULTS_WORK/data" "$FAULTS_WORK/logs"
FAULTS_PG_DATA="$FAULTS_WORK/pgdata"
FAULTS_JWT_KEY="$(head -c 48 /dev/urandom | base64 -w0)"
FAULTS_FILES_KEY="$(head -c 48 /dev/urandom | base64 -w0)"
declare -A HOST_PID=()     # name -> pid of the dotnet process (the subshell execs it)
declare -A HOST_URL=()     # API name -> base URL
declare -A HOST_STARTS=()  # worker name -> "Application started" lines in its log before this start
FAULTS_BG_PIDS=()          # moto, relay, sampler: stopped at exit
FAULTS_RELAY_PID=""

faults_cleanup() {
  local rc=$? name pid
  trap - EXIT INT TERM
  declare -F faults_on_exit >/dev/null && faults_on_exit "$rc"
  for name in "${!HOST_PID[@]}"; do kill "${HOST_PID[$name]}" 2>/dev/null || true; done
  [ -n "$FAULTS_RELAY_PID" ] && kill "$FAULTS_RELAY_PID" 2>/dev/null
  for pid in "${FAULTS_BG_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for name in "${!HOST_PID[@]}"; do wait "${HOST_PID[$name]}" 2>/dev/null || true; done
  for pid in "${FAULTS_BG_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop "$FAULTS_PG_DATA"
  # An FFmpeg the sampler saw that outlived its worker (the suite reports it; it must not run on).
  for pid in $(awk '$1 == "start" { print $3 }' "$FAULTS_FFMPEG_LOG" 2>/dev/null); do
    grep -qs -- "$FAULTS_WORK/" "/proc/$pid/cmdline" && kill -KILL "$pid" 2>/dev/null
  done
  if [ "${ANB_FAULTS_KEEP:-0}" = 1 ]; then log "faults: work folder kept in $FAULTS_WORK"; else rm -rf "$FAULTS_WORK"; fi
  exit "$rc"
}
trap faults_cleanup EXIT
trap 'exit 130' INT TERM

# A free port: any (the kernel's choice), or the next free one of ANB_FAULTS_PORT_RANGE (FIRST-LAST) when set,
# for machines where each user of the suite has ports of its own (callers run this in a subshell: the next
# candidate is kept in a file, so two hosts launched before either listens get different ports).
faults_free_port() {
  if [ -z "${ANB_FAULTS_PORT_RANGE:-}" ]; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local port last="${ANB_FAULTS_PORT_RANGE#*-}"
  port="$(cat "$FAULTS_WORK/next-port" 2>/dev/null || echo "${ANB_FAULTS_PORT_RANGE%-*}")"
  while [ "$port" -le "$last" ]; do
    if python3 -c 'import socket, sys; s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.close()' "$port" 2>/dev/null; then
      echo $(( port + 1 )) >"$FAULTS_WORK/next-port"
      echo "$port"
      return
    fi
    port=$(( port + 1 ))
  done
  die "faults: no free port left in ANB_FAULTS_PORT_RANGE=$ANB_FAULTS_PORT_RANGE"
}

# --- PostgreSQL ---------------------------------------------------------------------------------------
FAULTS_PG_PORT="${ANB_FAULTS_PG_PORT:-$(faults_free_port)}"
faults_pg_up() { pg_start "$FAULTS_PG_DATA" "$FAULTS_PG_PORT" throwaway; }
faults_pg_down() { pg_run "$(pg_bin)/pg_ctl" -D "$FAULTS_PG_DATA" -m fast -w stop >/dev/null; }
# fpsql SQL — a query on the database of the local stack (FAULTS_DB=anb_aws for the AWS stack's).
fpsql() { "$(pg_bin)/psql" -h 127.0.0.1 -p "$FAULTS_PG_PORT" -U postgres -d "${FAULTS_DB:-anb}" -v ON_ERROR_STOP=1 -qAt -F $'\t' -c "$1"; }

# --- hosts ----------------------------------------------------------------------------------------------
# What every host gets: the database, local storage, Hangfire, the upload rules lowered to the fault clips
# (a small clip transcodes in about a second, so a minute of uploads drains in minutes), limits out of the way.
faults_env() {
  echo "ASPNETCORE_ENVIRONMENT=Production"
  echo "DOTNET_ENVIRONMENT=Production"
  echo "ConnectionStrings__Database=Host=127.0.0.1;Port=$FAULTS_PG_PORT;Database=anb;Username=postgres;Maximum Pool Size=60"
  echo "Jwt__SigningKey=$FAULTS_JWT_KEY"
  echo "Storage__Provider=Local"
  echo "Storage__Local__RootPath=$FAULTS_WORK/storage"
  echo "Storage__Local__SigningKey=$FAULTS_FILES_KEY"
  echo "Queue__Provider=Hangfire"
  echo "Upload__TempPath=$FAULTS_WORK/spool"
  echo "Upload__MinDurationSeconds=$FAULTS_MIN_SECONDS"
  echo "Upload__MinShortSide=$FAULTS_MIN_SIDE"
  echo "Processing__TempPath=$FAULTS_WORK/scratch"
  echo "Processing__LeaseSeconds=$FAULTS_LEASE_SECONDS"
  echo "Processing__RecoveryIntervalSeconds=$FAULTS_RECOVERY_SECONDS"
  echo "Processing__EnqueueGraceSeconds=$FAULTS_ENQUEUE_GRACE_SECONDS"
  echo "Processing__OrphanGraceSeconds=$FAULTS_ORPHAN_GRACE_SECONDS"
  echo "Processing__OrphanSweepIntervalSeconds=$FAULTS_ORPHAN_SWEEP_SECONDS"
  echo "Transcoder__Preset=ultrafast"
  echo "Rankings__CacheSeconds=0"
  echo "Logging__LogLevel__Microsoft.Hosting.Lifetime=Information"
  local limit
  for limit in SignUpsPerMinute LogInsPerMinute LogInFreeFailures UploadsInFlightPerUser UploadsPerUserPerHour \
    UploadsInFlightPerInstance VotesPerUserPerMinute; do
    echo "RateLimits__$limit=1000000000"
  done
}

# Hosts on the AWS adapters get a database of their own (a worker's stale-video sweep would otherwise
# requeue the local stack's videos onto SQS, where their originals are not in S3).
faults_aws_db_env() { echo "ConnectionStrings__Database=Host=127.0.0.1;Port=$FAULTS_PG_PORT;Database=anb_aws;Username=postgres;Maximum Pool Size=60"; }

# faults_launch_api NAME [NAME=VALUE...] — starts an API on a free port (in this shell: it records the pid and URL).
faults_launch_api() {
  local name="$1" port url envs; shift
  port="$(faults_free_port)"
  url="http://127.0.0.1:$port"
  mapfile -t envs < <(faults_env; echo "Storage__Local__PublicBaseUrl=$url")
  (cd "$FAULTS_API_BIN" && exec env "${envs[@]}" "$@" dotnet Anb.WebApi.dll --urls "$url") >>"$FAULTS_WORK/logs/$name.log" 2>&1 &
  HOST_PID[$name]=$!
  HOST_URL[$name]="$url"
}

# faults_wait_host NAME CHECK... — until CHECK succeeds (at most 2 minutes) while the host runs; else its log and out.
faults_wait_host() {
  local name="$1"; shift
  for _ in $(seq 1 480); do
    "$@" && return 0
    kill -0 "${HOST_PID[$name]}" 2>/dev/null || break
    sleep 0.25
  done
  tail -30 "$FAULTS_WORK/logs/$name.log" >&2
  die "faults: $name did not start"
}

# faults_wait_api NAME — until the API answers /health/ready.
faults_wait_api() { faults_wait_host "$1" curl -fs -o /dev/null "${HOST_URL[$1]}/health/ready"; }

faults_start_api() { faults_launch_api "$@"; faults_wait_api "$1"; }

# faults_launch_worker NAME [NAME=VALUE...] — starts a worker (in this shell).
faults_launch_worker() {
  local name="$1" envs log="$FAULTS_WORK/logs/$1.log"; shift
  mapfile -t envs < <(faults_env)
  HOST_STARTS[$name]="$(grep -c "Application started" "$log" 2>/dev/null || true)"
  (cd "$FAULTS_WORKER_BIN" && exec env "${envs[@]}" "$@" dotnet Anb.WorkerHost.dll) >>"$log" 2>&1 &
  HOST_PID[$name]=$!
}

# faults_wait_worker NAME — until the worker's host has started (one more "Application started" in its log).
faults_wait_worker() { faults_wait_host "$1" faults_worker_started "$1"; }
faults_worker_started() {
  [ "$(grep -c "Application started" "$FAULTS_WORK/logs/$1.log" 2>/dev/null || true)" -gt "${HOST_STARTS[$1]:-0}" ]
}

faults_start_worker() { faults_launch_worker "$@"; faults_wait_worker "$1"; }

# faults_stop_host NAME [SIGNAL] — TERM (a graceful stop) unless told otherwise; waits for the process.
faults_stop_host() {
  local name="$1" signal="${2:-TERM}" pid="${HOST_PID[$1]:-}"
  [ -n "$pid" ] || return 0
  kill "-$signal" "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "HOST_PID[$name]"
}

# --- the S3/SQS emulator behind a relay -------------------------------------------------------------------
# moto keeps everything in memory: stopping it would also erase the bucket and the queues, which no S3 or
# SQS outage does. The suite puts a TCP relay between the hosts and moto and cuts that instead: killed, the
# relay resets every open connection and its port refuses new ones (the service is unreachable); started
# again on the same port, the service is back with its data, as after a real outage.
FAULTS_RELAY_PY='
import asyncio, sys
listen, target = int(sys.argv[1]), int(sys.argv[2])
async def pipe(r, w):
    try:
        while data := await r.read(65536):
            w.write(data); await w.drain()
    except Exception:
        pass
    finally:
        w.close()
async def serve(cr, cw):
    try:
        ur, uw = await asyncio.open_connection("127.0.0.1", target)
    except OSError:
        cw.close(); return
    await asyncio.gather(pipe(cr, uw), pipe(ur, cw))
async def main():
    server = await asyncio.start_server(serve, "127.0.0.1", listen, reuse_address=True)
    print("relay ready", flush=True)
    async with server:
        await server.serve_forever()
asyncio.run(main())
'

faults_moto_up() {
  FAULTS_MOTO_PORT="${ANB_FAULTS_MOTO_PORT:-$(faults_free_port)}"
  FAULTS_RELAY_PORT="${ANB_FAULTS_RELAY_PORT:-$(faults_free_port)}"
  FAULTS_BG_PIDS+=("$(moto_start "$FAULTS_MOTO_PORT" "$FAULTS_WORK/logs/moto.log")")
  faults_relay_up
}

faults_relay_up() {
  python3 -c "$FAULTS_RELAY_PY" "$FAULTS_RELAY_PORT" "$FAULTS_MOTO_PORT" >>"$FAULTS_WORK/logs/relay.log" 2>&1 &
  FAULTS_RELAY_PID=$!
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$FAULTS_RELAY_PORT/moto-api/" 2>/dev/null && return 0
    sleep 0.05
  done
  die "faults: the relay to moto did not start on port $FAULTS_RELAY_PORT"
}

faults_relay_cut() {
  [ -n "$FAULTS_RELAY_PID" ] || return 0
  kill -KILL "$FAULTS_RELAY_PID" 2>/dev/null || true
  wait "$FAULTS_RELAY_PID" 2>/dev/null || true
  FAULTS_RELAY_PID=""
}

# The AWS CLI straight at moto (not through the relay): what the inventory reads is never cut off.
faws() { aws --endpoint-url "http://127.0.0.1:$FAULTS_MOTO_PORT" --output text "$@"; }

# --- FFmpeg sampler ----------------------------------------------------------------------------------------
# Every 0.1 s, the suite's own FFmpeg processes (their command line names an attempt's scratch folder under
# the work folder, SCRATCH/worker-PROCESS/VIDEO-ATTEMPT): "start TIME PID PPID VIDEO" when one appears, "end TIME PID".
FAULTS_FFMPEG_LOG="$FAULTS_WORK/data/ffmpeg.log"
faults_sampler_up() {
  python3 - "$FAULTS_WORK/scratch/" "$FAULTS_FFMPEG_LOG" <<'PY' &
import os, re, sys, time
scratch, out = sys.argv[1], open(sys.argv[2], "a", buffering=1)
pattern = re.compile(re.escape(scratch) + r"(?:worker-[0-9a-f]{32}/)?([0-9a-f]{32})-[0-9a-f]{32}/")
alive = {}
while True:
    seen = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if open(f"/proc/{pid}/comm").read().strip() != "ffmpeg":
                continue
            cmd = open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace")
            ppid = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1]
        except OSError:
            continue
        m = pattern.search(cmd)
        if m:
            seen[pid] = (ppid, m.group(1))
    now = time.time()
    for pid, (ppid, video) in seen.items():
        if pid not in alive:
            out.write(f"start {now:.2f} {pid} {ppid} {video}\n")
    for pid in set(alive) - set(seen):
        out.write(f"end {now:.2f} {pid}\n")
    alive = seen
    time.sleep(0.1)
PY
  FAULTS_BG_PIDS+=($!)
}

# faults_ffmpeg_pids VIDEO_HEX — pids of the FFmpeg processes of a video that the sampler saw start.
faults_ffmpeg_pids() { awk -v v="$1" '$1 == "start" && $5 == v { print $3 }' "$FAULTS_FFMPEG_LOG" 2>/dev/null; }

# --- clients -------------------------------------------------------------------------------------------------
fjson() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d$1)"; }

# faults_email TAG — a new address for a player of the suite.
faults_email() { echo "$1-$RANDOM$RANDOM@faults.example.com"; }

# faults_player API_URL EMAIL [X-FORWARDED-FOR] — signs up a new player and prints its token.
faults_player() {
  local url="$1" email="$2" xff=()
  [ -n "${3:-}" ] && xff=(-H "x-forwarded-for: $3")
  faults_post_retrying "$url/api/auth/signup" "${xff[@]}" \
    -d "{\"first_name\":\"Falla\",\"last_name\":\"Prueba\",\"email\":\"$email\",\"password1\":\"s3cret-pass\",\"password2\":\"s3cret-pass\",\"city\":\"Cali\",\"country\":\"Colombia\"}" >/dev/null \
    || { log "faults: sign-up failed at $url"; return 1; }
  faults_post_retrying "$url/api/auth/login" "${xff[@]}" -d "{\"email\":\"$email\",\"password\":\"s3cret-pass\"}" | fjson "['access_token']"
}

# faults_post_retrying URL CURL_ARGS... — a JSON POST that, like a well-behaved client, tries again after a 503
# (at most 5 times, 1 s apart); each 503 is counted in $FAULTS_DATA/setup-503s.
faults_post_retrying() {
  local url="$1" out code; shift
  out="$(mktemp "$FAULTS_WORK/data/post.XXXXXX")"
  for _ in 1 2 3 4 5; do
    code="$(curl -sS -o "$out" -w '%{http_code}' --max-time 30 -X POST "$url" -H 'content-type: application/json' "$@" 2>/dev/null)" || code=000
    [ "$code" = 503 ] || break
    echo "$url" >>"$FAULTS_WORK/data/setup-503s"
    sleep 1
  done
  cat "$out"; rm -f "$out"
  case "$code" in 2??) return 0 ;; *) return 1 ;; esac
}

# faults_upload API_URL TOKEN CLIP TITLE — one upload; prints "START END CODE VIDEO_ID DETAIL TITLE" (tab-separated).
faults_upload() {
  local url="$1" token="$2" clip="$3" title="$4" body t0 t1 code
  body="$(mktemp "$FAULTS_WORK/data/body.XXXXXX")"
  t0="$(date +%s.%N)"
  code="$(curl -sS -o "$body" -w '%{http_code}' --max-time 60 -X POST "$url/api/videos/upload" \
    -H "authorization: Bearer $token" -F "title=$title" -F "video_file=@$clip;type=video/mp4" 2>/dev/null)" || code=000
  t1="$(date +%s.%N)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$t0" "$t1" "$code" "$(json_field task_id <"$body")" "$(json_field detail <"$body")" "$title"
  rm -f "$body"
}

# json_field NAME — a string field of the JSON on stdin (the API's answers are flat and escape no quotes there).
json_field() { tr -d '\n' | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"; }

# faults_upload_clients API_URL CLIP TAG CLIENTS PACE OUT — CLIENTS players upload in parallel, each waiting
# PACE seconds between its uploads, until the file OUT.stop appears; one line per request in OUT. When the
# players have signed up and the loops run, OUT.started appears. Run it in the background.
faults_upload_clients() {
  local url="$1" clip="$2" tag="$3" clients="$4" pace="$5" out="$6" c tokens=() pids=()
  for c in $(seq 1 "$clients"); do tokens+=("$(faults_player "$url" "$(faults_email "$tag-c$c")")"); done
  date +%s.%N >"$out.started"
  for c in $(seq 1 "$clients"); do
    (
      n=0
      while [ ! -e "$out.stop" ]; do
        n=$((n + 1))
        faults_upload "$url" "${tokens[$((c - 1))]}" "$clip" "$tag c$c n$n" >>"$out.c$c"
        sleep "$pace"
      done
    ) &
    pids+=($!)
  done
  for c in "${pids[@]}"; do wait "$c"; done
  cat "$out".c* >"$out"
  rm -f "$out".c*
}

# faults_wait_done REQUESTS TIMEOUT_S — until every video whose upload was answered 201 is processed or failed.
faults_wait_done() {
  local ids left
  ids="$(awk -F'\t' '$3 == "201" && $4 != "" { printf "%s'\''%s'\''", sep, $4; sep = "," }' "$1")"
  [ -n "$ids" ] || return 0
  for _ in $(seq 1 "$2"); do
    left="$(fpsql "SELECT count(*) FROM videos WHERE id IN ($ids) AND status IN ('uploaded','processing')" 2>/dev/null || echo x)"
    [ "$left" = 0 ] && return 0
    sleep 1
  done
  log "faults: $left accepted videos still waiting after $2 s"
  return 1
}

# faults_clip NAME SECONDS WIDTHxHEIGHT — a generated MP4 (colour bars and a tone) in the work folder.
faults_clip() {
  local path="$FAULTS_WORK/data/$1"
  ffmpeg -v error -y -f lavfi -i "smptehdbars=size=$3:rate=30:duration=$2" -f lavfi -i "sine=frequency=440:duration=$2" \
    -c:v libx264 -preset ultrafast -crf 35 -pix_fmt yuv420p -c:a aac -shortest "$path" >&2 || die "faults: ffmpeg could not make $1"
  echo "$path"
}
