#!/usr/bin/env python3
"""CPU and memory of process groups, sampled every INTERVAL seconds into a CSV (used by bench/capacity_*.sh).

    procmon.py OUT.csv [--interval 1] GROUP...

A GROUP is NAME=ROOT or NAME=ROOT:COMM:
  ROOT   a pid, or @FILE holding a pid (re-read at every sample, so a restarted process is followed);
  COMM   only the descendants of ROOT whose command name is COMM (and their own descendants), not ROOT.
A group is a whole process tree: the API, nginx (master and workers), PostgreSQL (postmaster and
backends), the worker host with its ffmpeg children.

Columns: t (Unix time), machine_cores (busy cores of the whole machine, from /proc/stat, so other
people's work shows up here too), load1, then NAME_cores (CPU used, in cores: 1.0 = one core busy)
and NAME_rss_mb (resident memory of the tree, MiB) for each group.

CPU of a tree between two samples = growth of utime+stime of every process alive at both, plus the
whole utime+stime of processes new since the last sample, plus the part of reaped children's time that
was not seen yet (a parent's cutime grows by the child's whole life when it is reaped; what had already
been counted at the last sample is subtracted). Stops on SIGTERM/SIGINT.
"""
import os
import signal
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 1048576


def read_procs():
    procs = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        # comm may hold spaces and parentheses: split on the last ')'.
        lpar, rpar = raw.index("("), raw.rindex(")")
        comm = raw[lpar + 1:rpar]
        rest = raw[rpar + 2:].split()
        # rest[0] = state (field 3); utime = field 14 -> rest[11]
        procs[int(name)] = {
            "comm": comm,
            "ppid": int(rest[1]),
            "own": int(rest[11]) + int(rest[12]),
            "children": int(rest[13]) + int(rest[14]),
            "rss": int(rest[21]),
        }
    return procs


def machine_busy():
    with open("/proc/stat") as f:
        parts = f.readline().split()[1:]
    values = [int(x) for x in parts[:8]]
    idle = values[3] + values[4]
    return sum(values), idle


def root_pid(spec):
    if spec.startswith("@"):
        try:
            with open(spec[1:]) as f:
                return int(f.read().strip() or 0)
        except (OSError, ValueError):
            return 0
    return int(spec)


def members(procs, children_of, root, comm):
    if root not in procs:
        return set()
    if comm:
        starts = []
        stack = list(children_of.get(root, ()))
        while stack:
            p = stack.pop()
            if procs[p]["comm"] == comm:
                starts.append(p)
            else:
                stack.extend(children_of.get(p, ()))
    else:
        starts = [root]
    found, stack = set(), list(starts)
    while stack:
        p = stack.pop()
        found.add(p)
        stack.extend(children_of.get(p, ()))
    return found


def counted_reaped(pid, prev, prev_children_of, procs):
    """CPU already counted for children of pid that vanished since the last sample, and for their own
    vanished children (whose time rolls up into them when they are reaped)."""
    total = 0
    for c in prev_children_of.get(pid, ()):
        if c not in procs:
            total += prev[c]["own"] + prev[c]["children"] + counted_reaped(c, prev, prev_children_of, procs)
    return total


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    out = args.pop(0)
    interval = 1.0
    if args[:1] == ["--interval"]:
        interval = float(args[1])
        args = args[2:]
    groups = []
    for g in args:
        name, spec = g.split("=", 1)
        root, _, comm = spec.partition(":")
        groups.append((name, root, comm))

    running = [True]

    def stop(*_):
        running[0] = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    ncpu = os.cpu_count() or 1
    with open(out, "w", buffering=1) as f:
        f.write(",".join(["t", "machine_cores", "load1"] + [f"{n}_{c}" for n, _, _ in groups for c in ("cores", "rss_mb")]) + "\n")
        prev = read_procs()
        prev_total, prev_idle = machine_busy()
        prev_t = time.time()
        next_t = prev_t + interval
        while running[0]:
            time.sleep(max(0.0, next_t - time.time()))
            next_t += interval
            now = time.time()
            procs = read_procs()
            total, idle = machine_busy()
            dt = now - prev_t
            children_of = {}
            for pid, p in procs.items():
                children_of.setdefault(p["ppid"], []).append(pid)
            prev_children_of = {}
            for pid, p in prev.items():
                prev_children_of.setdefault(p["ppid"], []).append(pid)
            busy = ((total - prev_total) - (idle - prev_idle)) / max(1, total - prev_total) * ncpu
            with open("/proc/loadavg") as la:
                load1 = la.read().split()[0]
            row = [f"{now:.2f}", f"{busy:.3f}", load1]
            for _, root, comm in groups:
                group = members(procs, children_of, root_pid(root), comm)
                ticks, rss = 0, 0
                for pid in group:
                    p = procs[pid]
                    rss += p["rss"]
                    before = prev.get(pid)
                    if before is None or before["comm"] != p["comm"] and before["own"] > p["own"]:
                        ticks += p["own"] + p["children"]
                        continue
                    ticks += p["own"] - before["own"]
                    unseen = (p["children"] - before["children"]) - counted_reaped(pid, prev, prev_children_of, procs)
                    ticks += max(0, unseen)
                row += [f"{ticks / HZ / dt:.3f}", f"{rss * PAGE_MB:.1f}"]
            f.write(",".join(row) + "\n")
            prev, prev_total, prev_idle, prev_t = procs, total, idle, now


if __name__ == "__main__":
    main()
