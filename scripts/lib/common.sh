#!/usr/bin/env bash
# Shared set-up for ./run.sh, ./test.sh and the benchmarks: system packages and a private PostgreSQL.
# Source it; every function is idempotent.

ANB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export AWS_EC2_METADATA_DISABLED=true

log() { printf '[anb] %s\n' "$*" >&2; }
die() { printf '[anb] error: %s\n' "$*" >&2; exit 1; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

_apt_updated=0
apt_install() {
  [ $# -gt 0 ] || return 0
  command -v apt-get >/dev/null || die "apt-get not found: install $* by hand"
  if [ "$_apt_updated" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    _apt_updated=1
  fi
  log "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Installs PostgreSQL and FFmpeg when they are missing.
ensure_system_packages() {
  local missing=()
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing+=(postgresql)
  command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
  command -v curl >/dev/null 2>&1 || missing+=(curl ca-certificates)
  command -v setpriv >/dev/null 2>&1 || missing+=(util-linux)  # the worker starts FFmpeg under setpriv --pdeathsig
  apt_install "${missing[@]}"
}

# Debian's Chromium, which the browser tests (tests/Anb.BrowserTests) drive through Playwright.
ensure_chromium() {
  command -v chromium >/dev/null 2>&1 || apt_install chromium
}

# run_browser_tests PGPORT WORKDIR FILTER — the browser tests matching FILTER on a throwaway PostgreSQL in
# WORKDIR (the caller stops it: pg_stop WORKDIR/pgdata), for the scripts that take screenshots or weigh the page.
run_browser_tests() {
  local port="$1" work="$2" filter="$3"
  ensure_system_packages
  ensure_chromium
  pg_start "$work/pgdata" "$port" throwaway
  [ -f "$ANB_ROOT/tests/Anb.BrowserTests/bin/Release/net10.0/Anb.BrowserTests.dll" ] || build_solution
  ANB_TEST_PG="Host=127.0.0.1;Port=$port;Username=postgres;Pooling=true;Maximum Pool Size=50" \
    dotnet test "$ANB_ROOT/tests/Anb.BrowserTests/Anb.BrowserTests.csproj" -c Release --no-build --nologo \
    --filter "$filter" >"$work/browser-tests.log" 2>&1 \
    || { cat "$work/browser-tests.log" >&2; die "browser tests ($filter) failed"; }
}

# The S3/SQS emulator (moto with its server extra). On the machine image; elsewhere from pip, else Debian.
ensure_moto() {
  command -v moto_server >/dev/null 2>&1 && return 0
  log "installing moto_server"
  if command -v pip3 >/dev/null 2>&1 && pip3 install -q "moto[server]" >/dev/null 2>&1; then
    hash -r; command -v moto_server >/dev/null 2>&1 && return 0
  fi
  apt_install python3-moto python3-flask python3-flask-cors
  command -v moto_server >/dev/null 2>&1 || die "moto_server could not be installed"
}

# moto_start PORT LOGFILE — starts moto_server on loopback and waits until it answers; prints its pid.
moto_start() {
  local port="$1" logfile="$2" pid
  moto_server -H 127.0.0.1 -p "$port" >"$logfile" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/moto-api/" >/dev/null 2>&1 && { echo "$pid"; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$logfile" >&2
  die "moto_server did not start on port $port"
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; }

# Runs a PostgreSQL binary as the postgres user when we are root (PostgreSQL refuses to run as root).
pg_run() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A folder the cluster can live in: $1 when the postgres user can reach it, else a stable folder under /var/tmp.
pg_data_dir_for() {
  local wanted="$1"
  mkdir -p "$wanted"
  if [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -x "$wanted" 2>/dev/null; then
    echo "$wanted/pgdata"
  else
    echo "/var/tmp/anb-pg-$(printf '%s' "$wanted" | sha256sum | cut -c1-12)"
  fi
}

# pg_start DATADIR PORT durable|throwaway — creates the cluster when missing, starts it when down.
pg_start() {
  local data="$1" port="$2" mode="$3" bin opts
  bin="$(pg_bin)"
  if [ ! -s "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
    chmod 700 "$data"
    pg_run "$bin/initdb" --no-sync -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 -D "$data" >/dev/null
  fi
  opts="-c listen_addresses=127.0.0.1 -p $port -k $data"
  if [ "$mode" = throwaway ]; then
    opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
  else
    opts="$opts -c max_connections=200"
  fi
  if pg_run "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "PostgreSQL already running on $data"
  else
    pg_run "$bin/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" -o "$opts" start >/dev/null \
      || { tail -20 "$data/server.log" >&2; die "PostgreSQL did not start (port $port taken?)"; }
  fi
}

pg_stop() {
  local data="$1"
  [ -s "$data/PG_VERSION" ] || return 0
  pg_run "$(pg_bin)/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_create_db PORT NAME — creates the database when missing.
pg_create_db() {
  local port="$1" name="$2" psql
  psql="$(pg_bin)/psql"
  if [ "$("$psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$name'")" != 1 ]; then
    "$psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE \"$name\"" >/dev/null
  fi
}

# Builds the solution once (Release). Later steps use --no-build.
build_solution() {
  log "building (Release)"
  (cd "$ANB_ROOT" && dotnet build Anb.sln -c Release -nologo -clp:ErrorsOnly -v q) || die "build failed"
}
