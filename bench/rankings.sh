#!/usr/bin/env bash
# Public showcase at scale (issue 4): seeds 10,000 players, 50,000 processed videos and 1,000,000 votes,
# then measures with wrk the throughput and p95 of the rankings (with and without cache, with and
# without city) and of the public videos, next to GET /health on the same server in the same run.
# Goals: uncached rankings >= 50% of /health's throughput; one uncached ranking query <= 50 ms.
# Usage: bench/rankings.sh [seconds-per-run] [connections]
source "$(dirname "$0")/lib.sh"
DURATION="${1:-15}"
CONNECTIONS="${2:-32}"
command -v wrk >/dev/null || apt_install wrk

BENCH_ENV="Rankings__CacheSeconds=0"
bench_stack_up
log "seeding"
seed_started=$(date +%s.%N)
"$(pg_bin)/psql" -q -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -d anb -f "$BENCH_DIR/seed.sql" > "$BENCH_WORK/seed.txt"
seed_seconds=$(python3 -c "import time,sys; print(round(time.time()-float(sys.argv[1]),1))" "$seed_started")
counts="$(bench_psql "SELECT (SELECT count(*) FROM users) || ' | ' || (SELECT count(*) FROM videos) || ' | ' || (SELECT count(*) FROM votes)")"

run() { # run LABEL URL — prints "LABEL rps p50 p95 p99 errors"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$BENCH_DIR/p95.lua" "$2" | awk -v l="$1" '/^RESULT/{print l, $2, $3, $4, $5, $6}'
}
warm() { wrk -t1 -c4 -d3s "$1" >/dev/null; }

results="$BENCH_WORK/results.txt"
for url in /health "/api/public/rankings" "/api/public/rankings?city=bogota" "/api/public/videos"; do warm "$API_URL$url"; done
run health "$API_URL/health" >> "$results"
run rankings-nocache "$API_URL/api/public/rankings" >> "$results"
run rankings-nocache-city "$API_URL/api/public/rankings?city=bogota" >> "$results"
run rankings-nocache-deep "$API_URL/api/public/rankings?offset=5000&limit=100" >> "$results"
run public-videos "$API_URL/api/public/videos" >> "$results"
run public-videos-city "$API_URL/api/public/videos?city=medellin" >> "$results"

# The database's own ceiling for the same query on this machine: pgbench, same connections, no API.
echo "SELECT u.first_name || ' ' || u.last_name, u.city, u.total_votes FROM users u ORDER BY u.total_votes DESC, u.created_at, u.id LIMIT 10 OFFSET 0;" > "$BENCH_WORK/ranking.sql"
"$(pg_bin)/pgbench" -n -M prepared -c "$CONNECTIONS" -j 2 -T "$DURATION" -f "$BENCH_WORK/ranking.sql" -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres anb \
  | awk '/^tps/{printf "pgbench-rankings %s 0 0 0 0\n", $3}' >> "$results"

# Same server binary, restarted with the cache on (60 s).
kill "$API_PID"; wait "$API_PID" 2>/dev/null || true
BENCH_ENV="Rankings__CacheSeconds=60"
mapfile -t envs < <(bench_env)
(cd "$ANB_ROOT/Anb.WebApi/bin/Release/net10.0" && exec env ASPNETCORE_ENVIRONMENT=Production "${envs[@]}" \
  dotnet Anb.WebApi.dll --urls "$API_URL") >"$BENCH_WORK/api2.log" 2>&1 &
API_PID=$!
for _ in $(seq 1 60); do curl -fsS "$API_URL/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
for url in /health "/api/public/rankings" "/api/public/rankings?city=bogota"; do warm "$API_URL$url"; done
run health-2 "$API_URL/health" >> "$results"
run rankings-cache "$API_URL/api/public/rankings" >> "$results"
run rankings-cache-city "$API_URL/api/public/rankings?city=bogota" >> "$results"

explain() {
  "$(pg_bin)/psql" -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -d anb -Atc "EXPLAIN (ANALYZE, BUFFERS) $1"
}
plan_all="$(explain "SELECT u.first_name || ' ' || u.last_name, u.city, u.total_votes FROM users u ORDER BY u.total_votes DESC, u.created_at, u.id LIMIT 10 OFFSET 0")"
plan_city="$(explain "SELECT u.first_name || ' ' || u.last_name, u.city, u.total_votes FROM users u WHERE u.city_key = 'bogota' ORDER BY u.total_votes DESC, u.created_at, u.id LIMIT 10 OFFSET 0")"
plan_videos="$(explain "SELECT v.id, v.title, u.first_name || ' ' || u.last_name, u.city, v.vote_count, v.processed_key FROM videos v JOIN users u ON v.owner_id = u.id WHERE v.status = 'processed' ORDER BY v.vote_count DESC, v.processed_at DESC, v.id LIMIT 20 OFFSET 0")"

table="$(python3 - "$results" <<'PY'
import sys
rows = {l.split()[0]: [float(x) for x in l.split()[1:]] for l in open(sys.argv[1]) if l.strip()}
labels = {
  "health": "GET /health (baseline, cache-off server)",
  "rankings-nocache": "GET /api/public/rankings, no cache",
  "rankings-nocache-city": "GET /api/public/rankings?city=bogota, no cache",
  "rankings-nocache-deep": "GET /api/public/rankings?offset=5000&limit=100, no cache",
  "public-videos": "GET /api/public/videos",
  "public-videos-city": "GET /api/public/videos?city=medellin",
  "pgbench-rankings": "PostgreSQL alone: the rankings query with pgbench (no HTTP, no API)",
  "health-2": "GET /health (baseline, cache-on server)",
  "rankings-cache": "GET /api/public/rankings, cache 60 s",
  "rankings-cache-city": "GET /api/public/rankings?city=bogota, cache 60 s",
}
print("| request | req/s | vs /health | p50 ms | p95 ms | p99 ms | errors |")
print("|---|---:|---:|---:|---:|---:|---:|")
for key, label in labels.items():
    if key not in rows: continue
    rps, p50, p95, p99, err = rows[key]
    base = rows["health-2" if key.startswith("rankings-cache") or key == "health-2" else "health"][0]
    lat = "| | |" if key.startswith("pgbench") else f"| {p50:.2f} | {p95:.2f} | {p99:.2f}"
    print(f"| {label} | {rps:,.0f} | {rps/base:.2f}x {lat} | {int(err)} |")
r = rows["rankings-nocache"][0] / rows["health"][0]
print()
print(f"Uncached rankings / /health throughput: **{r:.2f}x** (goal >= 0.50: {'met' if r >= 0.5 else 'MISSED'}).")
if "pgbench-rankings" in rows:
    print(f"Uncached rankings / PostgreSQL alone running the same query: **{rows['rankings-nocache'][0] / rows['pgbench-rankings'][0]:.2f}x**.")
PY
)"
exec_ms=$(echo "$plan_all" | awk '/Execution Time/{print $3}')
exec_city_ms=$(echo "$plan_city" | awk '/Execution Time/{print $3}')
body="## Public showcase at scale (issue 4)

\`bench/rankings.sh $DURATION $CONNECTIONS\` — $(date -u +%Y-%m-%d), $(nproc) cores shared by wrk, the API and PostgreSQL.
Seeded with \`bench/seed.sql\` in ${seed_seconds} s: users | videos | votes = ${counts}.
wrk: 2 threads, $CONNECTIONS connections, ${DURATION} s per row, after a 3 s warm-up.

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
