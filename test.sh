#!/usr/bin/env bash
# Sets up what the tests need (PostgreSQL, FFmpeg, moto, Chromium), builds once, checks formatting and runs every test
# project against the real services. Ends with one line: "N passed, N failed".
set -euo pipefail
source "$(dirname "$0")/scripts/lib/common.sh"

PG_PORT="${ANB_TEST_PG_PORT:-55433}"
MOTO_PORT="${ANB_TEST_MOTO_PORT:-55500}"
WORK="$(mktemp -d /tmp/anb-test.XXXXXX)"
chmod 755 "$WORK"
RESULTS="$WORK/results"
PG_DATA="$WORK/pgdata"

MOTO_PID=""
cleanup() {
  [ -n "$MOTO_PID" ] && kill "$MOTO_PID" 2>/dev/null
  pg_stop "$PG_DATA"
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

ensure_system_packages
ensure_moto
ensure_chromium
pg_start "$PG_DATA" "$PG_PORT" throwaway
export ANB_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Pooling=true;Maximum Pool Size=50"
MOTO_PID="$(moto_start "$MOTO_PORT" "$WORK/moto.log")"
export ANB_TEST_AWS_ENDPOINT="http://127.0.0.1:$MOTO_PORT"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1

build_solution

passed=0 failed=0
log "checking formatting (dotnet format --verify-no-changes)"
if (cd "$ANB_ROOT" && dotnet format Anb.sln --verify-no-changes --no-restore -v q); then
  passed=$((passed + 1))
else
  log "FAILED: formatting differs; run 'dotnet format Anb.sln'"
  failed=$((failed + 1))
fi

status=0
for project in "$ANB_ROOT"/tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  log "running $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" -- RunConfiguration.TestSessionTimeout=1800000 \
    || status=1
done

read -r p f < <(python3 - "$RESULTS" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
p = f = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find(".//{*}Counters")
    if c is not None:
        p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
print(p, f)
PY
)
passed=$((passed + p)) failed=$((failed + f))

# run_script LABEL SCRIPT ARGS...: runs a script whose one stdout line is "LABEL: N passed, M failed" and
# adds its counts; a script that printed no such line counts as one failure.
run_script() {
  local label="$1" line
  shift
  log "running $label ($(basename "$1") ${*:2})"
  line="$("$@")" || status=1
  log "$line"
  if [[ "$line" =~ ^$label:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    passed=$((passed + BASH_REMATCH[1])) failed=$((failed + BASH_REMATCH[2]))
  else
    failed=$((failed + 1))
  fi
}

run_script newman "$ANB_ROOT/scripts/newman.sh"
run_script faults "$ANB_ROOT/scripts/faults.sh" --short
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=$((failed + 1))  # a project that crashed without results
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
