#!/usr/bin/env bash
# The web page's weight (issue 12): bytes of its own HTML, CSS and JS and the requests of its first view
# (posters and videos aside), measured in Chromium by the browser tests' FirstView test against the real
# API on a private PostgreSQL; writes the 'page-weight' section of RESULTS.md. Budgets: 60 KB, 6 requests.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

export ANB_PAGE_WEIGHT_OUT="$BENCH_WORK/weight.txt"
run_browser_tests "$BENCH_PG_PORT" "$BENCH_WORK" "FullyQualifiedName~ViewsTests.FirstView_IsSmall"
# shellcheck disable=SC1090
source "$ANB_PAGE_WEIGHT_OUT"

kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }
bytes_ratio="$(awk -v b="$all_bytes" 'BEGIN { printf "%.2f", b / (60 * 1024) }')"
requests_ratio="$(awk -v r="$requests" 'BEGIN { printf "%.2f", r / 6 }')"
met() { awk -v r="$1" 'BEGIN { print (r <= 1 ? "met" : "NOT met") }'; }
bench_write_section page-weight "$(cat <<MD
## Web page weight (issue 12)

\`bench/page_weight.sh\` — $(date -u +%Y-%m-%d), Chromium $(chromium --version 2>/dev/null | awk '{print $2}'). The first view
(\`/\`, the gallery) in a fresh browser profile, counted by the browser; posters and videos aside.

| measure | value | budget | value / budget |
|---|---:|---:|---:|
| all the page's HTML, CSS and JS (\`wwwroot\`, every view), uncompressed | $(kb "$all_bytes") KB | 60 KB | **${bytes_ratio}x** ($(met "$bytes_ratio")) |
| the first view's files, uncompressed | $(kb "$first_view_bytes") KB | | |
| the first view's files as transferred (gzip, compressed at build time) | $(kb "$transferred") KB | | |
| requests of the first view, the API's included | $requests | 6 | **${requests_ratio}x** ($(met "$requests_ratio")) |

Requests: \`$urls\`. The other views' modules load when first opened; every file has an ETag, and
fingerprinted names (\`MapStaticAssets\`) are cached for a year.
MD
)"
log "page weight: $requests requests; $all_bytes bytes in all, $first_view_bytes in the first view ($transferred transferred)"
