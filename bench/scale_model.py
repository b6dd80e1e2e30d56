#!/usr/bin/env python3
"""Scale model of the AWS deployment (issue 13, point 6). Standard library only; charts with gnuplot when present.

Reads the scaling policies (aws/scaling/*.json, deploy.sh's capacity defaults) and the service times the capacity
scripts measured (their sections of docs/capacity.md), and simulates, second by second, the API and worker
services under Application Auto Scaling target tracking as CloudWatch and ECS run it:

- metrics are one-minute datapoints, published with a delay (SQS ~2 min, ECS ~1 min);
- a policy scales out after 3 datapoints in a row above its target, in after 15 in a row below 90 % of it;
  the new capacity is ceil(current x metric / target); with several policies, out when any says so, in only
  when all do (to the largest capacity any asks);
- a scale-out cooldown lets only a larger scale-out through; scale-in waits for both cooldowns;
- a new task serves after a start time (image pull, start, for the API the health checks); a task told to
  stop finishes the videos it holds; a lost zone takes its tasks at once, and their videos come back after
  the visibility timeout.

Worker: a task holds Queue__Sqs__MaxConcurrency videos; with one in service a video takes the measured lone
service time, with two each takes the measured saturated one (processor sharing). API: CPU per upload as
measured, memory flat (as measured), requests per target = uploads x REQUESTS_PER_UPLOAD.

  bench/scale_model.py                 tables to stdout, charts and the "At scale" section of docs/capacity.md
  bench/scale_model.py --check         only the check against the local measurements (exit 1 when off)
  bench/scale_model.py --no-write      print, do not touch docs/
"""
import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AWS = os.path.join(ROOT, "aws")
CAPACITY = os.path.join(ROOT, "docs", "capacity.md")
CHARTS = os.path.join(ROOT, "docs", "capacity")

# Not measurable here; stated assumptions (docs/capacity.md "At scale" lists them).
WORKER_START_S = 90          # Fargate task with the ~1 GB worker image: provisioning, pull, start
API_START_S = 75             # start, then 2 healthy target-group checks 15 s apart
SQS_METRIC_DELAY_MIN = 2     # AWS/SQS metrics reach CloudWatch a minute or two late
ECS_METRIC_DELAY_MIN = 1
VISIBILITY_S = 60            # QueueVisibilityTimeoutSeconds: videos of a lost task come back after it
REQUESTS_PER_UPLOAD = 6      # log-in, upload, four status polls (an assumption; no traffic data yet)
IDLE_CPU = 0.01              # a worker with nothing to do
BASELINE_PER_MIN = 2.0       # uploads per minute around the bursts
OUT_DATAPOINTS, IN_DATAPOINTS, IN_FRACTION = 3, 15, 0.9


# --------------------------------------------------------------------------- inputs

def section(text, name):
    match = re.search(rf"<!-- {re.escape(name)} -->(.*?)<!-- /{re.escape(name)} -->", text, re.S)
    if not match:
        sys.exit(f"docs/capacity.md has no section {name}; run the capacity scripts first")
    return match.group(1)


def table_rows(block, header_start):
    """Rows (lists of cells) of the first markdown table whose header starts with header_start."""
    lines = block.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("| " + header_start):
            header = [c.strip() for c in line.strip("|").split("|")]
            rows = []
            for row in lines[i + 2:]:
                if not row.startswith("|"):
                    break
                rows.append(dict(zip(header, [c.strip() for c in row.strip("|").split("|")])))
            return rows
    sys.exit(f"no table starting '{header_start}'")


def number(cell):
    return float(re.sub(r"[*,x%]", "", cell).split()[0])


def measurements():
    text = open(CAPACITY, encoding="utf-8").read()
    sqs = section(text, "capacity-worker-sqs")
    saturate = [r for r in table_rows(sqs, "run |") if r["run"] == "worker, concurrency 2"]
    sustain = [r for r in table_rows(sqs, "concurrency |") if r["concurrency"] == "2"]
    upload = section(text, "capacity-upload")
    cpu = table_rows(upload, "phase | clients | API CPU")
    return {
        "saturated_service_s": sum(number(r["mean service s"]) for r in saturate) / len(saturate),
        "lone_service_s": sum(number(r["mean service s"]) for r in sustain) / len(sustain),
        "videos_per_min_per_task": sum(number(r["videos/min"]) for r in saturate) / len(saturate),
        "saturate_runs": [{"size": r["size"], "videos": int(number(r["videos"])), "makespan_s": number(r["makespan s"]),
                           "mean_wait_s": number(r["mean wait s"])} for r in saturate],
        "sustain_runs": [{"rate_per_min": number(r["rate videos/min"]), "mean_wait_s": number(r["mean wait s"]),
                          "p95_wait_s": number(r["p95 wait s"])} for r in sustain],
        "api_cpu_ms_per_upload": sum(number(r["API CPU ms per upload"]) for r in cpu) / len(cpu),
    }


def deploy_default(name):
    script = open(os.path.join(AWS, "deploy.sh"), encoding="utf-8").read()
    match = re.search(rf'^{name}="\$\{{{name}:-([^}}]*)\}}"$', script, re.M)
    return int(match.group(1))


def policies(service):
    found = {}
    for file in sorted(os.listdir(os.path.join(AWS, "scaling"))):
        if file.startswith(f"{service}-policy-") and file.endswith(".json"):
            policy = json.load(open(os.path.join(AWS, "scaling", file), encoding="utf-8"))
            config = policy["TargetTrackingScalingPolicyConfiguration"]
            spec = config.get("PredefinedMetricSpecification", {}).get("PredefinedMetricType", "backlog")
            custom = [m["MetricStat"]["Metric"]["MetricName"] for m in config.get("CustomizedMetricSpecification", {}).get("Metrics", [])
                      if "MetricStat" in m]
            found[policy["PolicyName"]] = {"metric": spec, "target": float(config["TargetValue"]),
                                           "per": "desired" if "DesiredTaskCount" in custom else "running",
                                           "out_cooldown": config["ScaleOutCooldown"], "in_cooldown": config["ScaleInCooldown"]}
    return found


def worker_concurrency():
    definition = json.load(open(os.path.join(AWS, "task-definitions", "worker.json"), encoding="utf-8"))
    env = {e["name"]: e["value"] for e in definition["containerDefinitions"][0]["environment"]}
    return int(env["Queue__Sqs__MaxConcurrency"]), float(definition["cpu"]) / 1024


def api_vcpu():
    return float(json.load(open(os.path.join(AWS, "task-definitions", "api.json"), encoding="utf-8"))["cpu"]) / 1024


# --------------------------------------------------------------------------- autoscaling

class Scaler:
    """Target tracking for one ECS service: its policies, alarms, cooldowns and desired count."""

    def __init__(self, policies, minimum, maximum):
        self.policies, self.min, self.max = policies, minimum, maximum
        self.desired = minimum
        self.history = {name: [] for name in policies}
        self.last_out = self.last_in = -10 ** 9
        self.last_out_desired = minimum

    def evaluate(self, now, datapoints, running):
        """datapoints: policy name -> latest available one-minute value (None: no data)."""
        if not self.policies:
            return
        outs, ins, all_low = [], [], True
        for name, policy in self.policies.items():
            history = self.history[name]
            history.append(datapoints.get(name))
            target = policy["target"]
            recent = history[-OUT_DATAPOINTS:]
            if len(recent) == OUT_DATAPOINTS and all(v is not None and v > target for v in recent):
                outs.append(math.ceil(max(running, 1) * recent[-1] / target))
            window = history[-IN_DATAPOINTS:]
            low = len(window) == IN_DATAPOINTS and all(v is None or v < target * IN_FRACTION for v in window)
            all_low &= low
            if low:
                last = window[-1] or 0.0
                ins.append(math.ceil(running * last / target))
        out_cooldown = max(p["out_cooldown"] for p in self.policies.values())
        in_cooldown = max(p["in_cooldown"] for p in self.policies.values())
        if outs:
            wanted = min(self.max, max(outs))
            if wanted > self.desired and (now - self.last_out >= out_cooldown or wanted > self.last_out_desired):
                self.desired, self.last_out, self.last_out_desired = wanted, now, wanted
                return
        if all_low and ins and now - self.last_in >= in_cooldown and now - self.last_out >= out_cooldown:
            wanted = max(self.min, max(ins))
            if wanted < self.desired:
                self.desired, self.last_in = wanted, now
                for name in self.history:
                    self.history[name].clear()


# --------------------------------------------------------------------------- simulation

class Task:
    def __init__(self, ready_at, zone):
        self.ready_at, self.zone, self.videos, self.stopping = ready_at, zone, [], False


def simulate(arrivals, settings, params, zone_loss_at=None, horizon_s=None):
    """arrivals: sorted upload times (s). Returns the worker and API series and per-video waits."""
    concurrency, _ = params["concurrency"], params["worker_vcpu"]
    lone, saturated = params["lone_service_s"], params["saturated_service_s"]
    speed = {1: 1.0, 2: lone / saturated}  # work (lone-seconds) done per second per video
    worker = Scaler(settings["worker_policies"], settings["worker_min"], settings["worker_max"])
    api = Scaler(settings["api_policies"], settings["api_min"], settings["api_max"])
    workers = [Task(0, i % 2) for i in range(worker.desired)]
    api_tasks = [Task(0, i % 2) for i in range(api.desired)]
    queue, returning, waits = [], [], []
    next_arrival = 0
    end = horizon_s or (arrivals[-1] if arrivals else 0) + 6 * 3600
    series = []
    minute_cpu, minute_tasks, minute_uploads = [], [], 0
    metric_log = {"visible": [], "tasks": [], "desired": [], "cpu": [], "api_cpu": [], "api_requests": []}
    last_busy = 0
    for now in range(0, end):
        while next_arrival < len(arrivals) and arrivals[next_arrival] <= now:
            queue.append(arrivals[next_arrival])
            next_arrival += 1
            minute_uploads += 1
        while returning and returning[0][0] <= now:
            queue.append(returning.pop(0)[1])
            queue.sort()
        if zone_loss_at is not None and now == zone_loss_at:
            for task in [t for t in workers if t.zone == 0]:
                for video in task.videos:
                    returning.append((now + VISIBILITY_S, video[0]))
                workers.remove(task)
            api_tasks[:] = [t for t in api_tasks if t.zone != 0]
            returning.sort()
        # ECS keeps the running count at desired: start tasks (in the zones still up after a loss), stop idle ones first.
        zones = [1] if zone_loss_at is not None and now >= zone_loss_at else [0, 1]
        for tasks, scaler, start in ((workers, worker, WORKER_START_S), (api_tasks, api, API_START_S)):
            active = [t for t in tasks if not t.stopping]
            for i in range(scaler.desired - len(active)):
                tasks.append(Task(now + start, zones[(len(active) + i) % len(zones)]))
            surplus = len(active) - scaler.desired
            for task in sorted(active, key=lambda t: (len(t.videos), -t.ready_at))[:max(0, surplus)]:
                task.stopping = True
            tasks[:] = [t for t in tasks if not (t.stopping and not t.videos)]
        running = [t for t in workers if t.ready_at <= now]
        for task in running:
            if not task.stopping:
                while len(task.videos) < concurrency and queue:
                    arrived = queue.pop(0)
                    waits.append(now - arrived)
                    task.videos.append([arrived, lone])
            if task.videos:
                rate = speed[min(len(task.videos), 2)]
                for video in task.videos:
                    video[1] -= rate
                task.videos = [v for v in task.videos if v[1] > 1e-9]
        if queue or any(t.videos for t in workers) or returning:
            last_busy = now
        busy = [min(len(t.videos), 2) for t in running]
        minute_cpu.append(sum(0.90 if b == 1 else 0.96 if b == 2 else IDLE_CPU for b in busy) / len(busy) * 100 if busy else None)
        minute_tasks.append(len(running))
        if now % 60 == 59:
            minute = now // 60
            cpu_values = [c for c in minute_cpu if c is not None]
            metric_log["visible"].append(len(queue))
            metric_log["tasks"].append(sum(minute_tasks) / 60)
            metric_log["desired"].append(worker.desired)
            metric_log["cpu"].append(sum(cpu_values) / len(cpu_values) if cpu_values else None)
            api_running = max(1, len([t for t in api_tasks if t.ready_at <= now]))
            per_s = minute_uploads / 60
            metric_log["api_cpu"].append(min(100.0, per_s * params["api_cpu_ms_per_upload"] / (params["api_vcpu"] * 1000) * 100 / api_running))
            metric_log["api_requests"].append(minute_uploads * REQUESTS_PER_UPLOAD / api_running)
            minute_cpu, minute_tasks, minute_uploads = [], [], 0

            def available(name, delay):
                values = metric_log[name]
                return values[-1 - delay] if len(values) > delay else None
            visible = available("visible", SQS_METRIC_DELAY_MIN)
            worker_points = {}
            for name, policy in worker.policies.items():
                if policy["metric"] == "backlog":
                    tasks_metric = available("tasks" if policy["per"] == "running" else "desired", ECS_METRIC_DELAY_MIN)
                    worker_points[name] = visible / tasks_metric if visible is not None and tasks_metric else None
                else:
                    worker_points[name] = available("cpu", ECS_METRIC_DELAY_MIN)
            worker.evaluate(now, worker_points, len([t for t in running if not t.stopping]))
            api_points = {}
            for name, policy in api.policies.items():
                metric = policy["metric"]
                api_points[name] = (available("api_cpu", ECS_METRIC_DELAY_MIN) if metric == "ECSServiceAverageCPUUtilization"
                                    else 35.0 if metric == "ECSServiceAverageMemoryUtilization"
                                    else available("api_requests", 0))
            api.evaluate(now, api_points, len([t for t in api_tasks if t.ready_at <= now and not t.stopping]))
            series.append((minute + 1, len(running), worker.desired, len(queue),
                           len([t for t in api_tasks if t.ready_at <= now]), metric_log["api_cpu"][-1]))
            if next_arrival >= len(arrivals) and not queue and now - last_busy > 1800 and horizon_s is None:
                break
    return series, waits, last_busy


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


# --------------------------------------------------------------------------- scenarios

def burst(total, minutes=10, baseline_minutes=20):
    """total uploads spread evenly over `minutes`, starting at minute 5, on the baseline rate."""
    times = [int(5 * 60 + i * minutes * 60 / total) for i in range(total)]
    times += [int(i * 60 / BASELINE_PER_MIN) for i in range(int((5 + minutes + baseline_minutes) * BASELINE_PER_MIN))]
    return sorted(times)


def steady(per_minute, minutes):
    return [int(i * 60 / per_minute) for i in range(int(per_minute * minutes))]


def scenarios(params):
    rate = params["videos_per_min_per_task"]
    return [
        ("steady, 70 % of one worker task for 2 h", steady(0.7 * rate, 120), None),
        ("burst of 100 in 10 min", burst(100), None),
        ("burst of 1,000 in 10 min", burst(1000), None),
        ("burst of 10,000 in 10 min", burst(10000), None),
        ("burst of 1,000, one zone lost at minute 10", burst(1000), 600),
    ]


def run(settings, params):
    results = []
    for name, arrivals, loss in scenarios(params):
        series, waits, last_busy = simulate(arrivals, settings, params, zone_loss_at=loss)
        last_arrival = arrivals[-1]
        results.append({
            "name": name, "series": series, "videos": len(arrivals),
            "p50": percentile(waits, 50), "p95": percentile(waits, 95),
            "drain_min": max(0, last_busy - last_arrival) / 60,
            "worker_hours": sum(s[1] for s in series) / 60, "api_hours": sum(s[4] for s in series) / 60,
            "max_workers": max(s[1] for s in series), "max_api": max(s[4] for s in series),
            "max_api_cpu": max(s[5] for s in series),
        })
    return results


def check(params):
    """The model against the runs it can reproduce: the saturate backlogs and the sustained rate, one task, no scaling."""
    fixed = {"worker_policies": {}, "api_policies": {}, "worker_min": 1, "worker_max": 1, "api_min": 1, "api_max": 1}
    rows, ok = [], True
    for run_ in params["saturate_runs"]:
        series, waits, last_busy = simulate([0] * run_["videos"], fixed, params, horizon_s=3600)
        modelled_mean = sum(waits) / len(waits)
        for label, measured, modelled in (("makespan s", run_["makespan_s"], last_busy + 1), ("mean wait s", run_["mean_wait_s"], modelled_mean)):
            ratio = modelled / measured
            ok &= 0.8 <= ratio <= 1.2
            rows.append((f"saturate {run_['size']}, {run_['videos']} videos at once", label, measured, modelled, ratio))
    for run_ in params["sustain_runs"]:
        series, waits, _ = simulate(steady(run_["rate_per_min"], 10), fixed, params, horizon_s=900)
        modelled = percentile(waits, 95)
        ok &= modelled <= max(5.0, run_["p95_wait_s"] + 5)
        rows.append((f"sustained {run_['rate_per_min']:.2f} videos/min", "p95 wait s", run_["p95_wait_s"], modelled, None))
    return rows, ok


# --------------------------------------------------------------------------- settings

def default_settings():
    return {
        "api_policies": policies("api"), "worker_policies": policies("worker"),
        "api_min": deploy_default("API_MIN_CAPACITY"), "api_max": deploy_default("API_MAX_CAPACITY"),
        "worker_min": deploy_default("WORKER_MIN_CAPACITY"), "worker_max": deploy_default("WORKER_MAX_CAPACITY"),
    }


def recommended_settings():
    """What docs/deployment.md recommends (the deploy.sh variables it lists)."""
    settings = json.loads(json.dumps(default_settings()))
    settings["api_policies"]["requests"]["target"] = 1300.0
    settings["worker_policies"]["backlog"]["target"] = 4.0
    del settings["worker_policies"]["cpu"]  # WORKER_CPU_TARGET=off
    settings["worker_policies"]["backlog"]["per"] = "desired"  # m2 = DesiredTaskCount (docs/deployment.md)
    settings.update(api_max=6, worker_max=20)
    return settings


def describe(settings):
    api = ", ".join(f"{n} {p['target']:g}" for n, p in settings["api_policies"].items())
    worker = ", ".join(f"{n} {p['target']:g}" + (f" per {p['per']} task" if p["metric"] == "backlog" else "")
                       for n, p in settings["worker_policies"].items())
    return (f"API {settings['api_min']}-{settings['api_max']} tasks ({api}); "
            f"worker {settings['worker_min']}-{settings['worker_max']} tasks ({worker})")


# --------------------------------------------------------------------------- output

def chart(results, label, slug):
    if not shutil.which("gnuplot"):
        return None
    os.makedirs(CHARTS, exist_ok=True)
    path = os.path.join(CHARTS, f"scale-{slug}.png")
    with tempfile.TemporaryDirectory() as tmp:
        plots = []
        for i, result in enumerate(results):
            data = os.path.join(tmp, f"{i}.dat")
            with open(data, "w", encoding="utf-8") as f:
                for minute, tasks, _, queue, api_tasks, _ in result["series"]:
                    f.write(f"{minute} {tasks} {queue} {api_tasks}\n")
            plots.append((data, result["name"]))
        script = [
            "set terminal pngcairo size 1100,700 font ',10'", f"set output '{path}'",
            "set multiplot layout 2,1", "set key outside right", "set grid",
            f"set title 'Worker tasks running ({label}), first 3 hours'", "set xlabel 'minute'", "set ylabel 'tasks'",
            "set xrange [0:180]", "set yrange [0:*]", "set offsets 0,0,1,0",
            "plot " + ", ".join(f"'{d}' using 1:2 with steps title '{n}'" for d, n in plots),
            f"set title 'Videos waiting in the queue ({label})'", "set ylabel 'videos + 1'", "set logscale y",
            "set autoscale x", "set yrange [1:*]", "set offsets 0,0,0,0",
            "plot " + ", ".join(f"'{d}' using 1:($3+1) with lines title '{n}'" for d, n in plots),
            "unset multiplot",
        ]
        subprocess.run(["gnuplot"], input="\n".join(script), text=True, check=True)
    return os.path.relpath(path, os.path.dirname(CAPACITY))


def table(results):
    lines = ["| scenario | uploads | worker tasks max | API tasks max | queue wait p50 | queue wait p95 | drain after last upload | worker task-hours | API task-hours |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['name']} | {r['videos']:,} | {r['max_workers']} | {r['max_api']} | {duration(r['p50'])} | {duration(r['p95'])} | "
                     f"{r['drain_min']:.0f} min | {r['worker_hours']:.1f} | {r['api_hours']:.1f} |")
    return "\n".join(lines)


def duration(seconds):
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    params = measurements()
    params["concurrency"], params["worker_vcpu"] = worker_concurrency()
    params["api_vcpu"] = api_vcpu()
    rows, ok = check(params)
    check_table = ["| measured run (one worker task, no scaling) | quantity | measured | model | model / measured |", "|---|---|---:|---:|---:|"]
    check_table += [f"| {r[0]} | {r[1]} | {r[2]:.1f} | {r[3]:.1f} | {'' if r[4] is None else f'{r[4]:.2f}x'} |" for r in rows]
    print("\n".join(check_table))
    if args.check:
        return 0 if ok else 1
    if not ok:
        print("the model does not reproduce the local measurements (within 20 %); not writing", file=sys.stderr)
        return 1
    sections = []
    for label, slug, settings in (("default thresholds", "default", default_settings()),
                                  ("recommended thresholds", "recommended", recommended_settings())):
        results = run(settings, params)
        print(f"\n{label}: {describe(settings)}\n{table(results)}")
        picture = None if args.no_write else chart(results, label, slug)
        sections.append((label, settings, results, picture))
    if not args.no_write:
        write_section(params, check_table, sections)
    return 0


def write_section(params, check_table, sections):
    text = open(CAPACITY, encoding="utf-8").read()
    body = [
        "<!-- scale-model -->",
        "### Model results (`bench/scale_model.py`)",
        "",
        f"Inputs read from the sections above and from `aws/`: a lone video {params['lone_service_s']:.1f} s of service, "
        f"two at once {params['saturated_service_s']:.1f} s each ({params['videos_per_min_per_task']:.2f} videos/min per "
        f"{params['worker_vcpu']:g}-vCPU worker task, concurrency {params['concurrency']}); "
        f"{params['api_cpu_ms_per_upload']:.1f} ms of API CPU per upload on {params['api_vcpu']:g}-vCPU API tasks. "
        f"Assumed: worker task start {WORKER_START_S} s, API task start {API_START_S} s, SQS metrics {SQS_METRIC_DELAY_MIN} min "
        f"late and ECS metrics {ECS_METRIC_DELAY_MIN} min late, {REQUESTS_PER_UPLOAD} API requests per upload, "
        f"{BASELINE_PER_MIN:g} uploads/min around the bursts, bursts from minute 5.",
        "",
        "Check against the local runs it can reproduce (same task count, no scaling):",
        "",
        *check_table,
        "",
    ]
    for label, settings, results, picture in sections:
        body += [f"**{label.capitalize()}**: {describe(settings)}.", "", table(results), ""]
        if picture:
            body += [f"![tasks and queue over time, {label}]({picture})", ""]
    body.append("<!-- /scale-model -->")
    block = "\n".join(body)
    if "<!-- scale-model -->" in text:
        text = re.sub(r"<!-- scale-model -->.*?<!-- /scale-model -->", lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    with open(CAPACITY, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    sys.exit(main())
