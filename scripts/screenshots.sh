#!/usr/bin/env bash
# Screenshots of every view of the web page at 1280 and 390 px wide, into docs/screenshots/ (shown in the
# README). They are taken by the browser tests' accessibility theory (ViewsTests) on the real API, worker and
# a private, throwaway PostgreSQL; build first (dotnet build Anb.sln -c Release).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

WORK="$(mktemp -d /tmp/anb-screenshots.XXXXXX)"
chmod 755 "$WORK"
trap 'pg_stop "$WORK/pgdata"; rm -rf "$WORK"' EXIT

export ANB_SCREENSHOTS_DIR="$ANB_ROOT/docs/screenshots"
mkdir -p "$ANB_SCREENSHOTS_DIR"
run_browser_tests "${ANB_SCREENSHOTS_PG_PORT:-55442}" "$WORK" "FullyQualifiedName~ViewsTests.View_HasNoSeriousAccessibilityViolation"
log "screenshots in $ANB_SCREENSHOTS_DIR:"
ls -1 "$ANB_SCREENSHOTS_DIR" >&2
