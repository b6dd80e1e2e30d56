#!/usr/bin/env python3
"""Tables, verdicts and chart data of bench/capacity_upload.sh, from its phases.tsv (one line per hey run)
and procmon.csv (CPU and memory every second). Writes into DATA: section.md (docs/capacity.md),
results.md (bench/RESULTS.md), levels.dat, timeline.dat, clients.dat, memory.dat (gnuplot)."""
import csv
import os
import math
import sys

(data, mode, body4, body100, durations, levels, stopped, best, final_clients,
 load_before, load_after, started, ncpu, mem_gib) = sys.argv[1:15]
telemetry = sys.argv[15] if len(sys.argv) > 15 else "off"
sink_counts = sys.argv[16] if len(sys.argv) > 16 else ""
body4, body100 = int(body4), int(body100)
smoke_s, ramp_s, hold_s, final_s, mem_s, *warm = durations.split()
warm_s = warm[0] if warm else "0"
MB = 1048576

phases = list(csv.DictReader(open(f"{data}/phases.tsv"), delimiter="\t"))
for p in phases:
    for k in ("t0", "t1", "total_s", "p50", "p95", "p99"):
        p[k] = float(p[k])
    for k in ("clients", "ok", "other", "errors"):
        p[k] = int(p[k])
    n = p["ok"] + p["other"] + p["errors"]
    p["rps"] = p["ok"] / p["total_s"] if p["total_s"] else 0.0
    p["err_pct"] = 100.0 * (p["other"] + p["errors"]) / n if n else 100.0
    p["bytes"] = body100 if p["body"].endswith("100mb") else body4
    p["mbps"] = p["rps"] * p["bytes"] / MB

samples = list(csv.DictReader(open(f"{data}/procmon.csv")))
for s in samples:
    for k in list(s):
        s[k] = float(s[k])
t_start = phases[0]["t0"]
GROUPS = [c[:-6] for c in samples[0] if c.endswith("_cores") and c != "machine_cores"]
for s in samples:
    s.setdefault("cleanup_cores", 0.0)
if "cleanup" not in GROUPS:
    GROUPS.append("cleanup")


def window(p, skip=2.0):
    """Samples inside a phase, without its first seconds (connections opening) when it is long enough."""
    lo = p["t0"] + (skip if p["t1"] - p["t0"] > 4 * skip else 0)
    return [s for s in samples if lo <= s["t"] <= p["t1"]]


def mean(xs):
    return sum(xs) / len(xs) if xs else float("nan")


for p in phases:
    w = window(p)
    for g in GROUPS:
        p[f"{g}_cores"] = mean([s[f"{g}_cores"] for s in w])
    p["machine"] = mean([s["machine_cores"] for s in w])
    p["others"] = p["machine"] - sum(p[f"{g}_cores"] for g in GROUPS)
    p["load1"] = mean([s["load1"] for s in w])
    p["api_rss_mean"] = mean([s["api_rss_mb"] for s in w])
    p["api_rss_max"] = max([s["api_rss_mb"] for s in w], default=float("nan"))
    p["nginx_rss_max"] = max([s["nginx_rss_mb"] for s in w], default=float("nan"))
    p["w"] = w

by_label = {p["label"]: p for p in phases}


def f(x, digits=2):
    return "n/a" if x != x else f"{x:,.{digits}f}"


def ms(x):
    return "n/a" if x != x else f"{x * 1000:,.0f}"


# The measured levels: smoke, each hold, the final phase; API next to nginx at the same clients.
rows = []
for p in phases:
    if p["target"] != "api" or p["kind"] not in ("smoke", "hold", "final"):
        continue
    twin = by_label.get(p["label"].replace("api-", "nginx-", 1))
    rows.append((p, twin))

lines = []
lines.append("| phase | clients | API uploads/s | nginx uploads/s | API / nginx | API p50 ms | API p95 ms | API p99 ms | nginx p95 ms | API errors |")
lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for p, n in rows:
    ratio = p["rps"] / n["rps"] if n and n["rps"] else float("nan")
    lines.append(f"| {p['kind']} | {p['clients']} | {f(p['rps'], 1)} | {f(n['rps'], 1) if n else 'n/a'} | {f(ratio)}x "
                 f"| {ms(p['p50'])} | {ms(p['p95'])} | {ms(p['p99'])} | {ms(n['p95']) if n else 'n/a'} "
                 f"| {f(p['err_pct'], 1)} % ({p['other'] + p['errors']}) |")
table_levels = "\n".join(lines)

lines = []
lines.append("| phase | clients | API CPU (cores) | API CPU ms per upload | PostgreSQL | hey | cleanup | other work on the machine | machine busy | API RSS mean / max MB | nginx CPU in its run | nginx CPU ms per upload |")
lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for p, n in rows:
    per_upload = 1000 * p["api_cores"] / p["rps"] if p["rps"] else float("nan")
    n_per_upload = 1000 * n["nginx_cores"] / n["rps"] if n and n["rps"] else float("nan")
    lines.append(f"| {p['kind']} | {p['clients']} | {f(p['api_cores'])} | {f(per_upload, 1)} | {f(p['pg_cores'])} | {f(p['hey_cores'])} "
                 f"| {f(p['cleanup_cores'])} | {f(p['others'])} | {f(p['machine'])} of {ncpu} | {f(p['api_rss_mean'], 0)} / {f(p['api_rss_max'], 0)} "
                 f"| {f(n['nginx_cores']) if n else 'n/a'} | {f(n_per_upload, 1)} |")
table_resources = "\n".join(lines)

# Memory against file size.
m4, m100, n100 = by_label.get("api-mem-4mb"), by_label.get("api-mem-100mb"), by_label.get("nginx-mem-100mb")
lines = []
lines.append("| run (fresh API, 16 clients) | uploads/s | MB/s received | p95 ms | errors | API RSS mean MB | API RSS max MB | RSS growth within the run |")
lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")


def growth(p):
    w = p["w"]
    if len(w) < 8:
        return float("nan")
    q = len(w) // 4
    return mean([s["api_rss_mb"] for s in w[-q:]]) - mean([s["api_rss_mb"] for s in w[:q]])


for label, p in (("API, 4 MB files", m4), ("API, 100 MB files", m100)):
    if p:
        lines.append(f"| {label} | {f(p['rps'], 1)} | {f(p['mbps'], 0)} | {ms(p['p95'])} | {f(p['err_pct'], 1)} % "
                     f"| {f(p['api_rss_mean'], 0)} | {f(p['api_rss_max'], 0)} | {f(growth(p), 0)} MB |")
if n100:
    lines.append(f"| nginx, 100 MB files (baseline) | {f(n100['rps'], 1)} | {f(n100['mbps'], 0)} | {ms(n100['p95'])} "
                 f"| {f(n100['err_pct'], 1)} % | nginx {f(mean([s['nginx_rss_mb'] for s in n100['w']]), 0)} | nginx {f(n100['nginx_rss_max'], 0)} | |")
table_memory = "\n".join(lines)

# Verdicts.
api_levels = [p for p, _ in rows]
nginx_levels = [n for _, n in rows if n]
best_api = max(api_levels, key=lambda p: p["rps"])
best_nginx = max(nginx_levels, key=lambda p: p["rps"]) if nginx_levels else None
peak_ratio = best_api["rps"] / best_nginx["rps"] if best_nginx else float("nan")
same_level = [(p, n) for p, n in rows if n and n["rps"]]
level_ratios = ", ".join(f"{p['clients']}: {p['rps'] / n['rps']:.2f}x" for p, n in same_level)
at64 = by_label.get("api-hold-64")
p95_64 = at64["p95"] if at64 else float("nan")
mem_ratio = m100["api_rss_max"] / m4["api_rss_max"] if m4 and m100 else float("nan")
mem_growth = growth(m100) if m100 else float("nan")
mem_flat = mem_ratio == mem_ratio and mem_ratio <= 1.2 and mem_growth <= 0.1 * m4["api_rss_max"]


def verdict(ok):
    return "met" if ok else "**MISSED**"


# What degrades first: walk the holds in order and name the first sign.
holds = [p for p in api_levels if p["kind"] in ("smoke", "hold")]
first = []
for prev, cur in zip(holds, holds[1:]):
    gain = cur["rps"] / prev["rps"] - 1 if prev["rps"] else float("nan")
    if gain < 0.10:
        first.append(f"throughput stops growing between {prev['clients']} and {cur['clients']} clients "
                     f"({f(prev['rps'], 1)} -> {f(cur['rps'], 1)} uploads/s, {gain * 100:+.0f} %) while p95 goes "
                     f"{ms(prev['p95'])} -> {ms(cur['p95'])} ms; the machine is busy {f(cur['machine'])} of {ncpu} cores "
                     f"(API {f(cur['api_cores'])}, hey {f(cur['hey_cores'])}, PostgreSQL {f(cur['pg_cores'])}, "
                     f"cleanup {f(cur['cleanup_cores'])}, other work {f(cur['others'])})")
        break
for p in holds:
    if p["p95"] > 1.0:
        first.append(f"p95 passes 1 s at {p['clients']} clients ({ms(p['p95'])} ms)")
        break
for p in holds:
    if p["err_pct"] > 0:
        first.append(f"the first errors appear at {p['clients']} clients ({f(p['err_pct'], 1)} %)")
        break
if not first:
    first.append("nothing degraded within the levels run")

durations_text = (f"API warm-up {warm_s} s at 16 clients, not reported; smoke {smoke_s} s; ramps of {ramp_s} s (4 steps) and holds of {hold_s} s; final {final_s} s; "
                  f"memory runs {mem_s} s; nginx runs as long as the API's holds")
stop_text = (f"the ramps stopped after the {stopped}-client hold (over the limits)" if stopped != "none"
             else "every level stayed within the limits")

section = f"""### Scenario 1 results: upload API (`bench/capacity_upload.sh{' --quick' if mode == 'quick' else ''}`)

Run {started}, **{mode} mode** ({durations_text}). {ncpu} cores, {mem_gib} GiB, shared with other
work: load average {load_before} before, {load_after} after. Request body {body4 / MB:.2f} MiB (a {body4 / MB:.1f} MiB, 20 s,
1080p MP4 in a multipart form); 100 MB runs: {body100 / MB:.1f} MiB. API in Release, Production settings, Hangfire queue
on a private PostgreSQL, no worker. Levels: 5 (smoke), {levels}; {stop_text}. Best level within the limits: **{best}
clients**; final phase at 80 %: {final_clients} clients.

Throughput counts 201 answers only. Errors are any other answer or a failed request.

{table_levels}

CPU in cores (1.0 = one core busy), means over each API run (first 2 s left out); "cleanup" is the loop
that deletes received files every second (freeing their cached pages costs CPU per file, the same for
both servers); "other work" is the rest of the machine (other people's builds and tests, the samplers).
The last two columns come from the nginx run at the same clients.

{table_resources}

Memory against file size (the API restarted first, so the ramps above do not count):

{table_memory}

![uploads/s and p95 by clients](capacity/upload-levels.png)

![CPU and memory over the run](capacity/upload-timeline.png)

![API memory, 4 MB and 100 MB files](capacity/upload-memory.png)

Goals:
- API upload throughput >= 50 % of nginx's: best API level {f(best_api['rps'], 1)} uploads/s ({best_api['clients']} clients)
  against nginx's best {f(best_nginx['rps'], 1) if best_nginx else 'n/a'} uploads/s ({best_nginx['clients'] if best_nginx else 'n/a'} clients):
  **{f(peak_ratio)}x** — {verdict(peak_ratio >= 0.5)}. At the same clients: {level_ratios}.
- p95 <= 1 s at 64 clients: {ms(p95_64)} ms — {verdict(p95_64 <= 1.0)}.
- API memory flat with file size: max RSS {f(m100['api_rss_max'], 0) if m100 else 'n/a'} MB with 100 MB files against
  {f(m4['api_rss_max'], 0) if m4 else 'n/a'} MB with 4 MB files ({f(mem_ratio)}x), growth within the 100 MB run {f(mem_growth, 0)} MB — {verdict(mem_flat)}
  (flat = at most 1.2x and growth under 10 % of the 4 MB maximum).

First thing that degrades: {'; '.join(first)}.
"""
open(f"{data}/section.md", "w").write(section)

if telemetry == "on":
    import json
    exported = json.load(open(sink_counts)) if sink_counts and os.path.exists(sink_counts) else {}
    sent = ", ".join(f"{path} {v['requests']} requests ({v['bytes'] / 1024:.0f} KiB)" for path, v in sorted(exported.items())) or "nothing"
    heading = "## Capacity: upload API, telemetry exporting OTLP (issue 14)"
    note = f"The API exported traces and metrics over OTLP/HTTP to a sink that discards them: {sent}."
else:
    heading = "## Capacity: upload API (issue 6)"
    note = "Full tables and charts: [docs/capacity.md](../docs/capacity.md)."

results = f"""{heading}

`bench/capacity_upload.sh{' --quick' if mode == 'quick' else ''}{' --telemetry' if telemetry == 'on' else ''}` — {started}, {mode} mode, {ncpu} cores, load {load_before} -> {load_after}.
{note}

| measure | value |
|---|---:|
| best API level within p95 <= 1 s, errors <= 5 % | {best} clients |
| best API throughput | {f(best_api['rps'], 1)} uploads/s ({best_api['clients']} clients) |
| best nginx throughput (same bodies, same machine) | {f(best_nginx['rps'], 1) if best_nginx else 'n/a'} uploads/s |
| API / nginx | {f(peak_ratio)}x (goal >= 0.50: {verdict(peak_ratio >= 0.5)}) |
| API p95 at 64 clients | {ms(p95_64)} ms (goal <= 1000: {verdict(p95_64 <= 1.0)}) |
| API max RSS, 100 MB / 4 MB files | {f(mem_ratio)}x (flat: {verdict(mem_flat)}) |
"""
open(f"{data}/results.md", "w").write(results)

# Chart data.
with open(f"{data}/levels.dat", "w") as out:
    out.write("# clients api_rps nginx_rps api_p95 nginx_p95 api_p50\n")
    for p, n in rows:
        if p["kind"] == "final":
            continue
        out.write(f"{p['clients']} {p['rps']:.3f} {n['rps'] if n else float('nan'):.3f} {p['p95']:.4f} "
                  f"{n['p95'] if n else float('nan'):.4f} {p['p50']:.4f}\n")
with open(f"{data}/timeline.dat", "w") as out:
    out.write("# t api_cores pg_cores hey_cores nginx_cores machine_cores api_rss nginx_rss cleanup_cores\n")
    # Means over buckets of a few seconds: about 300 points whatever the length of the run (smaller PNGs).
    step = max(1, round(len(samples) / 300))
    cols = ("api_cores", "pg_cores", "hey_cores", "nginx_cores", "machine_cores", "api_rss_mb", "nginx_rss_mb", "cleanup_cores")
    for i in range(0, len(samples), step):
        b = samples[i:i + step]
        out.write(f"{mean([s['t'] for s in b]) - t_start:.1f} " + " ".join(f"{mean([s[c] for s in b]):.3f}" for c in cols) + "\n")
with open(f"{data}/clients.dat", "w") as out:
    out.write("# t api_clients nginx_clients\n")
    for p in phases:
        a = p["clients"] if p["target"] == "api" else "NaN"
        n = p["clients"] if p["target"] == "nginx" else "NaN"
        out.write(f"{p['t0'] - t_start:.1f} {a} {n}\n{p['t1'] - t_start:.1f} {a} {n}\n\n")
with open(f"{data}/memory.dat", "w") as out:
    out.write("# seconds_into_run rss_4mb rss_100mb\n")
    w4 = m4["w"] if m4 else []
    w100 = m100["w"] if m100 else []
    for i in range(max(len(w4), len(w100))):
        a = f"{w4[i]['api_rss_mb']:.1f}" if i < len(w4) else "NaN"
        b = f"{w100[i]['api_rss_mb']:.1f}" if i < len(w100) else "NaN"
        out.write(f"{i} {a} {b}\n")
print(section)
