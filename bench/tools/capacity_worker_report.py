#!/usr/bin/env python3
"""Tables, verdicts and charts (a gnuplot script) of bench/capacity_worker.sh for one queue adapter, from
runs.tsv (one line per video), phases.tsv (one line per run), queue.psv (waiting|in service every
second) and procmon.csv (CPU and memory every second). Writes DATA/ADAPTER/section.md, results.md,
charts.gp and its data files."""
import csv
import os
import statistics
import sys

(data, adapter, mode, backlog, sustain_s, sustain_load, preset, load_before, load_after,
 started, ncpu, clip50, clip100, charts) = sys.argv[1:15]
out_dir = os.path.join(data, adapter)
os.makedirs(out_dir, exist_ok=True)
MB = 1e6
NAMES = {"hangfire": "Hangfire (PostgreSQL)", "sqs": "SQS (moto_server emulator)"}

runs = [r for r in csv.DictReader(open(f"{data}/runs.tsv"), delimiter="\t") if r["adapter"] == adapter]
phases = [p for p in csv.DictReader(open(f"{data}/phases.tsv"), delimiter="\t") if p["adapter"] == adapter]
for r in runs:
    for k in ("t_enqueued", "t_started", "t_finished"):
        r[k] = float(r[k])
for p in phases:
    for k in ("t0", "t_arrivals_end", "t1"):
        p[k] = float(p[k])
samples = list(csv.DictReader(open(f"{data}/procmon.csv")))
for s in samples:
    for k in list(s):
        s[k] = float(s[k])
queue = []
for line in open(f"{data}/queue.psv"):
    parts = line.strip().split("|")
    if len(parts) == 3 and parts[1] and parts[2]:
        queue.append((float(parts[0]), int(parts[1]), int(parts[2])))
groups = [c[:-6] for c in samples[0] if c.endswith("_cores") and c != "machine_cores"] if samples else []
t_origin = min(p["t0"] for p in phases)


def mean(xs):
    xs = list(xs)
    return sum(xs) / len(xs) if xs else float("nan")


def f(x, d=2):
    return "n/a" if x != x else f"{x:,.{d}f}"


def cpu_seconds(group, lo, hi):
    """CPU used by a group between two times (sum of its per-second rates times the sample spacing)."""
    total, prev_t = 0.0, None
    for s in samples:
        if prev_t is not None and lo < s["t"] <= hi + 1:
            total += s[f"{group}_cores"] * (s["t"] - prev_t)
        prev_t = s["t"]
    return total


def window(lo, hi):
    return [s for s in samples if lo <= s["t"] <= hi]


def stats(p):
    v = [r for r in runs if r["label"] == p["label"]]
    ok = [r for r in v if r["status"] == "processed"]
    first = min(r["t_enqueued"] for r in v)
    last = max(r["t_finished"] for r in v if r["t_finished"] == r["t_finished"])
    span = last - first
    group = "bare" if p["kind"] == "bare" else "worker"
    w = window(first, last)
    cpu = cpu_seconds(group, first, last)
    machine = mean(s["machine_cores"] for s in w)
    ours = sum(mean(s[f"{g}_cores"] for s in w) for g in groups)
    waits = [r["t_started"] - r["t_enqueued"] for r in ok]
    return {
        "p": p, "videos": v, "n": len(ok), "failed": len(v) - len(ok),
        "retries": sum(int(r["attempts"]) > 1 for r in v),
        "span": span, "per_min": len(ok) * 60 / span if span > 0 else float("nan"),
        "service": mean(r["t_finished"] - r["t_started"] for r in ok),
        "wait": mean(waits), "wait_p95": sorted(waits)[max(0, int(0.95 * len(waits)) - 1)] if waits else float("nan"),
        "wait_max": max(waits, default=float("nan")),
        "cores": cpu / span if span > 0 else float("nan"), "cpu_per_video": cpu / len(ok) if ok else float("nan"),
        "rss_max": max((s[f"{group}_rss_mb"] for s in w), default=float("nan")),
        "machine": machine, "others": machine - ours, "first": first, "last": last,
    }


saturate = {(p["concurrency"] if p["kind"] != "bare" else "bare2", p["size"]): stats(p)
            for p in phases if p["kind"] in ("saturate", "bare")}
sustain = {p["concurrency"]: stats(p) for p in phases if p["kind"] == "sustain"}
concs = sorted({c for c, _ in saturate if c != "bare2"}, reverse=True)
sustained = [(c, sustain[c]) for c in concs if sustain.get(c)]  # (concurrency, stats), as in concs
size_mb = {"50": os.path.getsize(clip50) / MB, "100": os.path.getsize(clip100) / MB}

lines = ["| run | size | videos | makespan s | videos/min | vs 2 bare ffmpeg | mean service s | mean wait s | CPU (cores) | CPU s per video | max RSS MB | machine busy | other work | failed / retried |",
         "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
verdicts = []
for size in ("50", "100"):
    base = saturate.get(("bare2", size))
    for key in ["bare2"] + concs:
        st = saturate.get((key, size))
        if not st:
            continue
        ratio = st["per_min"] / base["per_min"] if base else float("nan")
        name = "2 bare ffmpeg in parallel (baseline)" if key == "bare2" else f"worker, concurrency {key}"
        wait = "–" if key == "bare2" else f(st["wait"], 1)
        lines.append(f"| {name} | {size_mb[size]:.0f} MB | {st['n']} | {f(st['span'], 1)} | **{f(st['per_min'])}** | {f(ratio)}x "
                     f"| {f(st['service'], 1)} | {wait} | {f(st['cores'])} | {f(st['cpu_per_video'], 1)} | {f(st['rss_max'], 0)} "
                     f"| {f(st['machine'])} of {ncpu} | {f(st['others'])} | {st['failed']} / {st['retries']} |")
        if key == "2" and base:
            verdicts.append((size, ratio, st, base))
table_saturate = "\n".join(lines)


def arrivals_span(st):
    """First and last enqueue of a run."""
    return min(r["t_enqueued"] for r in st["videos"]), max(r["t_enqueued"] for r in st["videos"])


def trend(st):
    """Least-squares slope (videos/min) of videos in the system (waiting + in service) from the first to the last arrival."""
    lo, hi = arrivals_span(st)
    pts = [(t - lo, w + s) for t, w, s in queue if lo <= t <= hi]
    if len(pts) < 3:
        return float("nan"), pts
    mx, my = mean(x for x, _ in pts), mean(y for _, y in pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    slope = sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else 0.0
    return slope * 60, pts


lines = ["| concurrency | arrivals (50/100 MB in turn) | rate videos/min | load vs measured capacity | first to last arrival s | mean wait s | p95 wait s | mean service s | waiting: mean / max | seconds with a video in service | queue trend videos/min | fitted growth over the period | drain after last arrival s | CPU (cores) | other work |",
         "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
sustain_verdicts = []
for c, st in sustained:
    lo, hi = arrivals_span(st)
    period = hi - lo
    arrivals = st["n"] + st["failed"]
    rate = (arrivals - 1) * 60 / period if arrivals > 1 and period > 0 else float("nan")
    slope, pts = trend(st)
    growth = slope * period / 60
    waiting = [w for t, w, _ in queue if lo <= t <= hi]
    busy = [s > 0 for t, _, s in queue if lo <= t <= hi]
    busy_share = 100 * sum(busy) / len(busy) if busy else float("nan")
    drain = st["last"] - hi
    flat = growth == growth and growth < 1.0
    sustain_verdicts.append((c, flat, growth, slope))
    lines.append(f"| {c} | {arrivals} | {f(rate)} | {float(sustain_load) * 100:.0f} % | {f(period, 0)} | {f(st['wait'], 1)} | {f(st['wait_p95'], 1)} "
                 f"| {f(st['service'], 1)} | {f(mean(waiting), 2)} / {max(waiting, default=0)} | {f(busy_share, 0)} % | {slope:+.3f} | {growth:+.2f} videos "
                 f"| {f(drain, 0)} | {f(st['cores'])} | {f(st['others'])} |")
table_sustain = "\n".join(lines)


def verdict(ok):
    return "met" if ok else "**MISSED**"


goal_lines = []
for size, ratio, st, base in verdicts:
    cpu_ratio = st["cpu_per_video"] / base["cpu_per_video"] if base["cpu_per_video"] else float("nan")
    goal_lines.append(f"- {size_mb[size]:.0f} MB originals: concurrency 2 does {f(st['per_min'])} videos/min against {f(base['per_min'])} for two "
                      f"parallel bare ffmpeg runs: **{f(ratio, 3)}x** (goal >= 0.95x) — {verdict(ratio >= 0.95)}. CPU per video "
                      f"{f(st['cpu_per_video'], 1)} s against {f(base['cpu_per_video'], 1)} s ({f(cpu_ratio, 3)}x).")
for c, flat, growth, slope in sustain_verdicts:
    goal_lines.append(f"- Sustained rate, concurrency {c}: queue trend {slope:+.3f} videos/min, fitted growth {growth:+.2f} videos over the "
                      f"arrival period (flat = less than one video) — {verdict(flat)}.")

name = NAMES.get(adapter, adapter)
prefix = f"worker-{adapter}"
section = f"""### Scenario 2 results: worker on {name} (`bench/capacity_worker.sh{' --quick' if mode == 'quick' else ''} --queue {adapter}`)

Run {started}, **{mode} mode**: backlog {backlog} per saturate run, sustain {sustain_s} s at {float(sustain_load) * 100:.0f} % of the capacity
measured by the saturate runs. {ncpu} cores shared with other work: load average {load_before} before, {load_after} after
(the whole script). Originals: {size_mb['50']:.1f} MB (40 s) and {size_mb['100']:.1f} MB (60 s), 1080p H.264 + AAC; output 35 s 720p,
libx264 `-preset {preset} -crf 23`. Worker in Release, Production settings, local storage; each run starts from an idle worker,
after waiting (at most 90 s) for the machine to be nearly idle.

Saturate: the whole backlog is enqueued at once; makespan = first enqueue to last video processed.
Service = `processing_started_at` to `processed_at` (download from storage, ffmpeg, upload of the result, status
updates); wait = enqueue to `processing_started_at`. CPU = the worker and its ffmpeg children (or the bare ffmpeg
processes), averaged over the makespan; "other work" = the rest of the machine, other people's jobs included.

{table_saturate}

Sustain (videos arrive one at a time at a fixed interval, 50 MB and 100 MB in turn):

{table_sustain}

![videos left to process, saturate runs]({os.path.basename(charts)}/{prefix}-saturate.png)

![queue length over time, sustained rate]({os.path.basename(charts)}/{prefix}-sustain.png)

![CPU over the run]({os.path.basename(charts)}/{prefix}-cpu.png)

Goals:
{chr(10).join(goal_lines)}
"""
open(f"{out_dir}/section.md", "w").write(section)

rows = []
for size, ratio, st, base in verdicts:
    rows.append(f"| concurrency 2 / 2 bare ffmpeg, {size_mb[size]:.0f} MB | {f(st['per_min'])} / {f(base['per_min'])} videos/min = {f(ratio, 3)}x ({verdict(ratio >= 0.95)}) |")
for c in concs:
    for size in ("50", "100"):
        st = saturate.get((c, size))
        if st:
            rows.append(f"| concurrency {c}, {size_mb[size]:.0f} MB: videos/min, mean service | {f(st['per_min'])}, {f(st['service'], 1)} s |")
for c, flat, growth, slope in sustain_verdicts:
    rows.append(f"| sustained {float(sustain_load) * 100:.0f} % load, concurrency {c}: queue growth | {growth:+.2f} videos ({verdict(flat)}) |")
results = f"""## Capacity: worker on {name} (issue 6)

`bench/capacity_worker.sh{' --quick' if mode == 'quick' else ''} --queue {adapter}` — {started}, {mode} mode, backlog {backlog}, {ncpu} cores,
load {load_before} -> {load_after}. Tables and charts: [docs/capacity.md](../docs/capacity.md).

| measure | value |
|---|---:|
{chr(10).join(rows)}
"""
open(f"{out_dir}/results.md", "w").write(results)

# Chart data and the gnuplot script.
plots = []
colors = {"bare2": "#2ca02c", "2": "#1f77b4", "1": "#ff7f0e"}
for size, dash in (("50", 1), ("100", 2)):
    for key in ["bare2"] + concs:
        st = saturate.get((key, size))
        if not st:
            continue
        fn = f"{out_dir}/sat-{key}-{size}.dat"
        done = sorted(r["t_finished"] - st["first"] for r in st["videos"] if r["t_finished"] == r["t_finished"])
        with open(fn, "w") as o:
            o.write(f"0 {len(st['videos'])}\n")
            for i, t in enumerate(done):
                o.write(f"{t:.1f} {len(st['videos']) - i - 1}\n")
        label = ("2 bare ffmpeg" if key == "bare2" else f"worker c{key}") + f", {size_mb[size]:.0f} MB"
        plots.append(f"'{fn}' using 1:2 with steps lw 2 dt {dash} lc rgb '{colors.get(key, '#555555')}' title '{label}'")
sustain_plots = []
for c, st in sustained:
    lo, hi = arrivals_span(st)
    fn = f"{out_dir}/sustain-c{c}.dat"
    with open(fn, "w") as o:
        for t, w, s in queue:
            if lo - 2 <= t <= st["last"] + 5:
                o.write(f"{t - lo:.1f} {w} {s}\n")
    sustain_plots.append((c, fn, hi - lo))
with open(f"{out_dir}/cpu.dat", "w") as o:
    o.write("# t " + " ".join(f"{g}_cores" for g in groups) + " machine\n")
    lo, hi = min(p["t0"] for p in phases) - 5, max(p["t1"] for p in phases) + 5
    # Means over buckets of a few seconds: about 500 points whatever the length of the run (smaller PNGs).
    inside = [s for s in samples if lo <= s["t"] <= hi]
    step = max(1, round(len(inside) / 500))
    for i in range(0, len(inside), step):
        b = inside[i:i + step]
        o.write(f"{mean(s['t'] for s in b) - t_origin:.1f} " + " ".join(f"{mean(s[f'{g}_cores'] for s in b):.3f}" for g in groups)
                + f" {mean(s['machine_cores'] for s in b):.3f}\n")

gp = [f"set terminal pngcairo size 800,400 font 'DejaVu Sans,9' noenhanced", "set grid", "set key top right"]
gp += [f"set output '{charts}/{prefix}-saturate.png'",
       f"set title 'Saturate, {name}: videos left to process (backlog of {backlog} enqueued at t = 0)'",
       "set xlabel 'seconds since the backlog was enqueued'", "set ylabel 'videos not yet processed'", "set yrange [0:*]",
       "plot " + ", \\\n  ".join(plots)]
if sustain_plots:
    gp += [f"set terminal pngcairo size 800,{200 * len(sustain_plots) + 60} font 'DejaVu Sans,9' noenhanced",
           f"set output '{charts}/{prefix}-sustain.png'",
           f"set multiplot layout {len(sustain_plots)},1 title 'Sustained arrivals, {name}: queue over time (dashed line: last arrival)'",
           "set xlabel 'seconds since the first arrival'", "set ylabel 'videos'", "set yrange [0:*]", "set xrange [-5:*]",
           "set key top left horizontal"]
    for c, fn, period in sustain_plots:
        gp += [f"set title 'worker concurrency {c}'", f"set arrow 1 from {period:.1f}, graph 0 to {period:.1f}, graph 1 nohead dt 2 lc rgb '#888888'",
               f"plot '{fn}' using 1:2 with steps lw 2 lc rgb '#d62728' title 'waiting (uploaded)', "
               f"'{fn}' using 1:3 with steps lw 1.5 lc rgb '#1f77b4' title 'in service (processing)'"]
    gp += ["unset multiplot", "unset arrow 1"]
cols = {g: i + 2 for i, g in enumerate(groups)}
machine_col = len(groups) + 2
gp += ["set terminal pngcairo size 800,360 font 'DejaVu Sans,9' noenhanced", f"set output '{charts}/{prefix}-cpu.png'",
       f"set title 'CPU over the run, {name} (labels: start of each run)'", "set xlabel 'seconds'", "set ylabel 'cores'",
       f"set yrange [0:{float(ncpu) * 1.25:.2f}]", "set xrange [-10:*]", "set key below horizontal"]
short = {"bare": "bare", "saturate": "sat", "sustain": "sus"}
for i, p in enumerate(sorted(phases, key=lambda p: p["t0"])):
    x = p["t0"] - t_origin
    tag = short[p["kind"]] + ("" if p["kind"] == "bare" else f" c{p['concurrency']}") + (f" {p['size']}" if p["size"] != "mix" else "")
    gp.append(f"set arrow {i + 10} from {x:.1f}, graph 0 to {x:.1f}, graph 1 nohead dt 3 lc rgb '#aaaaaa'")
    gp.append(f"set label {i + 10} '{tag}' at {x + 3:.1f}, graph {0.97 - 0.05 * (i % 3):.2f} font ',8'")
series = [f"'{out_dir}/cpu.dat' using 1:{machine_col} with lines lc rgb '#999999' title 'whole machine'",
          f"'{out_dir}/cpu.dat' using 1:{cols['worker']} with lines lw 1.5 lc rgb '#1f77b4' title 'worker + its ffmpeg'",
          f"'{out_dir}/cpu.dat' using 1:{cols['bare']} with lines lc rgb '#2ca02c' title 'bare ffmpeg (baseline runs)'"]
if "pg" in cols:
    series.append(f"'{out_dir}/cpu.dat' using 1:{cols['pg']} with lines lc rgb '#9467bd' title 'PostgreSQL'")
if "moto" in cols and adapter == "sqs":
    series.append(f"'{out_dir}/cpu.dat' using 1:{cols['moto']} with lines lc rgb '#8c564b' title 'moto (SQS)'")
gp.append("plot " + ", \\\n  ".join(series))
open(f"{out_dir}/charts.gp", "w").write("\n".join(gp) + "\n")
print(section)
