#!/usr/bin/env bash
# Public showcase at scale (issue 4): seeds 10,000 players, 50,000 processed videos and 1,000,000 votes,
# then measures with wrk the throughput and p95 of the rankings (with and without cache, with and
# without city) and of the public videos, next to GET /health on the same server in the same run.
# Goals: uncached rankings >= 50% of /health's throughput; one uncached ranking query <= 50 ms.
# Usage: bench/rankings.sh [seconds-per-run] [connections]
source "$(dirname "$0")/lib.sh"
DURATION="${1:-15}"
CONNECTIONS="${2:-32}"
ROUNDS="${BENCH_ROUNDS:-3}"
command -v wrk >/dev/null || apt_install wrk

# Three servers of the same Release build, in turn: reads not shared and no cache (every request its own
# query), the default with the caches off (identical concurrent reads share one query that starts after
# each of them arrived: nothing stale), and the default settings (rankings cached 60 s, the public videos'
# answers to requests without a token cached PublicVideos:CacheSeconds, 2 s by default).
BENCH_ENV="Rankings__CacheSeconds=0 PublicVideos__CacheSeconds=0 Showcase__CoalesceReads=false"
bench_stack_up
log "seeding"
seed_started=$(date +%s.%N)
"$(pg_bin)/psql" -q -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -d anb -f "$BENCH_DIR/seed.sql" > "$BENCH_WORK/seed.txt"
seed_seconds=$(python3 -c "import time,sys; print(round(time.time()-float(sys.argv[1]),1))" "$seed_started")
counts="$(bench_psql "SELECT (SELECT count(*) FROM users) || ' | ' || (SELECT count(*) FROM videos) || ' | ' || (SELECT count(*) FROM votes)")"

export BENCH_DIR
raw="$BENCH_OUT/rankings-wrk.txt"; : > "$raw"
run() { # run LABEL URL [wrk script [wrk options...]] — prints "LABEL rps p50 p95 p99 errors"; wrk's own report goes to $raw
  local label="$1" url="$2" script="${3:-$BENCH_DIR/p95.lua}"
  shift $(( $# < 3 ? $# : 3 ))
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$script" "$@" "$url" | tee -a "$raw" \
    | awk -v l="$label" '/^RESULT/{print l, $2, $3, $4, $5, $6}'
}
warm() { wrk -t2 -c8 -d5s "$@" >/dev/null; }

results="$BENCH_WORK/results.txt"
log "server 1: no cache, every request its own query"
for url in /health "/api/public/rankings" "/api/public/rankings?city=bogota" "/api/public/videos"; do warm "$API_URL$url"; done
run health "$API_URL/health" >> "$results"
run rankings-plain "$API_URL/api/public/rankings" >> "$results"
run rankings-plain-city "$API_URL/api/public/rankings?city=bogota" >> "$results"
run rankings-plain-mixed "$API_URL/" "$BENCH_DIR/rankings_mixed.lua" >> "$results"
run videos-plain "$API_URL/api/public/videos" >> "$results"

log "server 2: no cache, identical concurrent reads shared (the default without cache)"
BENCH_ENV="Rankings__CacheSeconds=0 PublicVideos__CacheSeconds=0"
bench_restart_api
for url in /health "/api/public/rankings" "/api/public/rankings?city=bogota" "/api/public/videos"; do warm "$API_URL$url"; done
# The goal's rows: /health and the rankings in turn, ROUNDS times; the table shows the medians.
for round in $(seq 1 "$ROUNDS"); do
  run "health-2#$round" "$API_URL/health" >> "$results"
  run "rankings-nocache#$round" "$API_URL/api/public/rankings" >> "$results"
  run "rankings-nocache-city#$round" "$API_URL/api/public/rankings?city=bogota" >> "$results"
done
run rankings-nocache-mixed "$API_URL/" "$BENCH_DIR/rankings_mixed.lua" >> "$results"
run rankings-nocache-deep "$API_URL/api/public/rankings?offset=5000&limit=100" >> "$results"
run public-videos "$API_URL/api/public/videos" >> "$results"
run public-videos-city "$API_URL/api/public/videos?city=medellin" >> "$results"

# The database's own ceiling for the same query on this machine: pgbench, same connections, no API.
echo "SELECT u.first_name || ' ' || u.last_name, u.city, u.total_votes FROM users u ORDER BY u.total_votes DESC, u.created_at, u.id LIMIT 10 OFFSET 0;" > "$BENCH_WORK/ranking.sql"
"$(pg_bin)/pgbench" -n -M prepared -c "$CONNECTIONS" -j 2 -T "$DURATION" -f "$BENCH_WORK/ranking.sql" -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres anb \
  | awk '/^tps/{printf "pgbench-rankings %s 0 0 0 0\n", $3}' >> "$results"

log "server 3: default settings (rankings cached 60 s, anonymous public videos cached a few seconds)"
BENCH_ENV=""
bench_restart_api
VIEWER="Authorization: Bearer $(bench_token)"
for url in /health "/api/public/rankings" "/api/public/rankings?city=bogota" "/api/public/videos" "/api/public/videos?offset=20"; do
  warm "$API_URL$url"
done
warm -H "$VIEWER" "$API_URL/api/public/videos"
# The gallery's rows: /health, the rankings and the anonymous first pages in turn, ROUNDS times (medians).
for round in $(seq 1 "$ROUNDS"); do
  run "health-3#$round" "$API_URL/health" >> "$results"
  run "rankings-cache#$round" "$API_URL/api/public/rankings" >> "$results"
  run "gallery#$round" "$API_URL/api/public/videos" >> "$results"
done
run rankings-cache-city "$API_URL/api/public/rankings?city=bogota" >> "$results"
run gallery-page2 "$API_URL/api/public/videos?offset=20" >> "$results"
run gallery-city "$API_URL/api/public/videos?city=medellin" >> "$results"
run gallery-viewer "$API_URL/api/public/videos" "$BENCH_DIR/p95.lua" -H "$VIEWER" >> "$results"

explain() {
  "$(pg_bin)/psql" -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -d anb -Atc "EXPLAIN (ANALYZE, BUFFERS) $1"
}
plan_all="$(explain "SELECT u.first_name || ' ' || u.last_name, u.city, u.total_votes FROM users u ORDER BY u.total_votes DESC, u.created_at, u.id LIMIT 10 OFFSET 0")"
plan_city="$(explain "SELECT u.first_name || ' ' || u.last_name, u.city, u.total_votes FROM users u WHERE u.city_key = 'bogota' ORDER BY u.total_votes DESC, u.created_at, u.id LIMIT 10 OFFSET 0")"
plan_videos="$(explain "SELECT v.id, v.title, u.first_name || ' ' || u.last_name, u.city, v.vote_count, v.processed_key FROM videos v JOIN users u ON v.owner_id = u.id WHERE v.status = 'processed' ORDER BY v.vote_count DESC, v.processed_at DESC, v.id LIMIT 20 OFFSET 0")"

table="$(python3 - "$results" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    if line.strip():
        label, *values = line.split()
        runs.setdefault(label.split("#")[0], []).append([float(x) for x in values])
# A row measured in several rounds shows the median of each column.
rows = {k: [statistics.median(col) for col in zip(*v)] for k, v in runs.items()}
servers = [
  ("health", "Server 1: no cache, every request its own query", [
    ("health", "GET /health (baseline of this server)"),
    ("rankings-plain", "GET /api/public/rankings"),
    ("rankings-plain-city", "GET /api/public/rankings?city=bogota"),
    ("rankings-plain-mixed", "GET /api/public/rankings, 100 different cities/pages in turn"),
    ("videos-plain", "GET /api/public/videos"),
  ]),
  ("health-2", "Server 2: no cache, identical concurrent reads share one query (default with the cache off)", [
    ("health-2", "GET /health (baseline of this server)"),
    ("rankings-nocache", "GET /api/public/rankings"),
    ("rankings-nocache-city", "GET /api/public/rankings?city=bogota"),
    ("rankings-nocache-mixed", "GET /api/public/rankings, 100 different cities/pages in turn"),
    ("rankings-nocache-deep", "GET /api/public/rankings?offset=5000&limit=100"),
    ("public-videos", "GET /api/public/videos"),
    ("public-videos-city", "GET /api/public/videos?city=medellin"),
    ("pgbench-rankings", "PostgreSQL alone: the rankings query with pgbench (no HTTP, no API)"),
  ]),
  ("health-3", "Server 3: default settings (rankings cached 60 s; public videos without a token cached PublicVideos:CacheSeconds, 2 s)", [
    ("health-3", "GET /health (baseline of this server)"),
    ("rankings-cache", "GET /api/public/rankings"),
    ("rankings-cache-city", "GET /api/public/rankings?city=bogota"),
    ("gallery", "GET /api/public/videos (the gallery's first page, no token)"),
    ("gallery-page2", "GET /api/public/videos?offset=20 (second page, no token)"),
    ("gallery-city", "GET /api/public/videos?city=medellin (no token)"),
    ("gallery-viewer", "GET /api/public/videos with a token (never cached: voted_by_me, own vote at once)"),
  ]),
]
print("| request | req/s | vs /health | p50 ms | p95 ms | p99 ms | errors |")
print("|---|---:|---:|---:|---:|---:|---:|")
for base_key, title, items in servers:
    print(f"| **{title}** | | | | | | |")
    base = rows[base_key][0]
    for key, label in items:
        if key not in rows: continue
        rps, p50, p95, p99, err = rows[key]
        lat = "| | |" if key.startswith("pgbench") else f"| {p50:.2f} | {p95:.2f} | {p99:.2f}"
        print(f"| {label} | {rps:,.0f} | {rps/base:.2f}x {lat} | {int(err)} |")
ratio = lambda k, b: rows[k][0] / rows[b][0]
r = ratio("rankings-nocache", "health-2")
rounds = [a[0] / b[0] for a, b in zip(runs["rankings-nocache"], runs["health-2"])]
print()
print(f"Servers 2 and 3 ran /health and their goal's rows in turn, {len(rounds)} rounds; those rows show medians. "
      f"Rankings / /health by round: {', '.join(f'{x:.2f}x' for x in rounds)}.")
print(f"Uncached rankings / /health throughput (default settings, cache off): **{r:.2f}x** (goal >= 0.50: {'met' if r >= 0.5 else 'MISSED'}); "
      f"with the city filter {ratio('rankings-nocache-city', 'health-2'):.2f}x.")
print(f"Every request its own query: {ratio('rankings-plain', 'health'):.2f}x. "
      f"100 different cities/pages in turn (shared reads rarely possible): {ratio('rankings-nocache-mixed', 'health-2'):.2f}x shared, "
      f"{ratio('rankings-plain-mixed', 'health'):.2f}x not shared.")
print()
print("How: with the cache off, identical requests that arrive while a query for the same page is running wait for the "
      "next query of that page and share it (`Showcase:CoalesceReads`, on by default). Every answer comes from a query "
      "that started after its request arrived, so it is as fresh as a query of its own: nothing is kept, nothing is "
      "stale. A crowd reading the same page costs one query per page per query duration instead of one per request. "
      f"When the requests in flight are all different nothing can be shared ({ratio('rankings-nocache-mixed', 'health-2'):.2f}x, "
      f"as without sharing: {ratio('rankings-plain-mixed', 'health'):.2f}x): a PostgreSQL round trip per request, with wrk, "
      "the API and PostgreSQL on the same 2 cores. The output cache, when on, serves "
      f"{ratio('rankings-cache', 'health-3'):.2f}x of /health. Anonymous public videos share the same output cache for a few "
      "seconds (answers to requests with a token are never stored or served from it).")
gallery = [a[0] / b[0] for a, b in zip(runs["gallery"], runs["health-3"])]
print()
print(f"The gallery (issue 12): `GET /api/public/videos`, first page without a token, default settings: **{ratio('gallery', 'health-3'):.2f}x** /health "
      f"(by round: {', '.join(f'{x:.2f}x' for x in gallery)}; goal: at least the rankings' {r:.2f}x uncached, here {ratio('rankings-cache', 'health-3'):.2f}x cached: "
      f"{'met' if ratio('gallery', 'health-3') >= r else 'MISSED'}); second page {ratio('gallery-page2', 'health-3'):.2f}x, by city {ratio('gallery-city', 'health-3'):.2f}x; "
      f"with a token (fresh every time, identical reads shared) {ratio('gallery-viewer', 'health-3'):.2f}x. "
      f"Without the cache: {ratio('public-videos', 'health-2'):.2f}x shared reads, {ratio('videos-plain', 'health'):.2f}x a query per request.")
if "pgbench-rankings" in rows:
    print(f"Uncached rankings / PostgreSQL alone running the same query: **{rows['rankings-nocache'][0] / rows['pgbench-rankings'][0]:.2f}x**.")
PY
)"
exec_ms=$(echo "$plan_all" | awk '/Execution Time/{print $3}')
exec_city_ms=$(echo "$plan_city" | awk '/Execution Time/{print $3}')
body="## Public showcase at scale (issue 4)

\`bench/rankings.sh $DURATION $CONNECTIONS\` — $(date -u +%Y-%m-%d), $(nproc) cores shared by wrk, the API and PostgreSQL.
Seeded with \`bench/seed.sql\` in ${seed_seconds} s: users | videos | votes = ${counts}.
wrk: 2 threads, $CONNECTIONS connections, ${DURATION} s per run, after a 5 s warm-up per URL; three API processes
of the same build in turn, each with its own /health baseline. wrk's reports: \`bench/out/rankings-wrk.txt\`.

$table

One uncached ranking query: ${exec_ms} ms (all players), ${exec_city_ms} ms (one city) — goal <= 50 ms.

<details><summary>EXPLAIN ANALYZE</summary>

\`\`\`
-- rankings, all players
$plan_all

-- rankings, city = bogota
$plan_city

-- public videos
$plan_videos
\`\`\`
</details>"
bench_write_section rankings "$body"
echo "$body"
