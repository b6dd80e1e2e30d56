#!/usr/bin/env bash
# Screenshots of every view of the web page at 1280 and 390 px wide, into docs/screenshots/ (shown in the
# README). They are taken by the browser tests' accessibility theory (ViewsTests) on the real API, worker and
# a private, throwaway PostgreSQL; build first (dotnet build Anb.sln -c Release).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

PG_PORT="${ANB_SCREENSHOTS_PG_PORT:-55442}"
WORK="$(mktemp -d /tmp/anb-screenshots.XXXXXX)"
chmod 755 "$WORK"
trap 'pg_stop "$WORK/pgdata"; rm -rf "$WORK"' EXIT

ensure_system_packages
ensure_chromium
pg_start "$WORK/pgdata" "$PG_PORT" throwaway
[ -f "$ANB_ROOT/tests/Anb.BrowserTests/bin/Release/net10.0/Anb.BrowserTests.dll" ] || build_solution

OUT="$ANB_ROOT/docs/screenshots"
mkdir -p "$OUT"
export ANB_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Pooling=true;Maximum Pool Size=50"
export ANB_SCREENSHOTS_DIR="$OUT"
dotnet test "$ANB_ROOT/tests/Anb.BrowserTests/Anb.BrowserTests.csproj" -c Release --no-build --nologo \
  --filter "FullyQualifiedName~ViewsTests.View_HasNoSeriousAccessibilityViolation" >"$WORK/test.log" 2>&1 \
  || { cat "$WORK/test.log" >&2; die "the views test failed"; }
log "screenshots in $OUT:"
ls -1 "$OUT" >&2
