#!/usr/bin/env bash
# Starts the whole platform on this machine: PostgreSQL, the API and the worker on local adapters.
# Idempotent: a second run reuses the cluster, the data and the keys it made the first time.
set -euo pipefail
source "$(dirname "$0")/scripts/lib/common.sh"

STATE_DIR="${ANB_STATE_DIR:-$ANB_ROOT/.local}"
HTTP_PORT="${ANB_HTTP_PORT:-8080}"
PG_PORT="${ANB_PG_PORT:-55432}"
mkdir -p "$STATE_DIR/storage" "$STATE_DIR/logs"

ensure_system_packages
PG_DATA="$(pg_data_dir_for "$STATE_DIR")"
pg_start "$PG_DATA" "$PG_PORT" durable
pg_create_db "$PG_PORT" anb

# The signing key is made once and kept outside the repository's tracked files.
if [ -z "${Jwt__SigningKey:-}" ]; then
  [ -s "$STATE_DIR/jwt.key" ] || (umask 077 && head -c 48 /dev/urandom | base64 -w0 > "$STATE_DIR/jwt.key")
  Jwt__SigningKey="$(cat "$STATE_DIR/jwt.key")"
fi
if [ -z "${Storage__Local__SigningKey:-}" ]; then
  [ -s "$STATE_DIR/storage.key" ] || (umask 077 && head -c 48 /dev/urandom | base64 -w0 > "$STATE_DIR/storage.key")
  Storage__Local__SigningKey="$(cat "$STATE_DIR/storage.key")"
fi

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}" DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Production}"
export ConnectionStrings__Database="Host=127.0.0.1;Port=$PG_PORT;Database=anb;Username=postgres"
export Jwt__SigningKey Storage__Local__SigningKey
export Storage__Provider="${Storage__Provider:-Local}" Queue__Provider="${Queue__Provider:-Hangfire}"
export Storage__Local__RootPath="${Storage__Local__RootPath:-$STATE_DIR/storage}"
export Storage__Local__PublicBaseUrl="${Storage__Local__PublicBaseUrl:-http://127.0.0.1:$HTTP_PORT}"

build_solution

pids=()
cleanup() {
  trap - INT TERM EXIT
  log "stopping"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop "$PG_DATA"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Opt-in: each host's metrics for Prometheus on loopback, the API on ANB_METRICS_PORT and the worker on the next port.
api_env=() worker_env=()
if [ -n "${ANB_METRICS_PORT:-}" ]; then
  api_env+=("Telemetry__PrometheusPort=$ANB_METRICS_PORT")
  worker_env+=("Telemetry__PrometheusPort=$((ANB_METRICS_PORT + 1))")
fi

# Each host runs from its own folder: that is its content root, where its appsettings.json is.
(cd "$ANB_ROOT/Anb.WebApi/bin/Release/net10.0" && exec env "${api_env[@]}" dotnet Anb.WebApi.dll --urls "http://127.0.0.1:$HTTP_PORT") \
  > >(tee -a "$STATE_DIR/logs/api.log") 2>&1 &
pids+=($!)
(cd "$ANB_ROOT/Anb.WorkerHost/bin/Release/net10.0" && exec env "${worker_env[@]}" dotnet Anb.WorkerHost.dll) \
  > >(tee -a "$STATE_DIR/logs/worker.log") 2>&1 &
pids+=($!)

for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || die "the API exited; see $STATE_DIR/logs/api.log"
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$HTTP_PORT/health/ready" >/dev/null || die "the API did not become ready"

cat >&2 <<TXT

  ANB Rising Stars is running.
    API:       http://127.0.0.1:$HTTP_PORT
    API docs:  http://127.0.0.1:$HTTP_PORT/docs   (OpenAPI: /openapi/v1.json)
    Health:    http://127.0.0.1:$HTTP_PORT/health/ready
    Data:      $STATE_DIR   (PostgreSQL on 127.0.0.1:$PG_PORT)${ANB_METRICS_PORT:+
    Metrics:   http://127.0.0.1:$ANB_METRICS_PORT/metrics (API), http://127.0.0.1:$((ANB_METRICS_PORT + 1))/metrics (worker)}
  Ctrl-C stops everything.

TXT
wait -n "${pids[@]}" || true
log "a service exited; stopping the rest"
