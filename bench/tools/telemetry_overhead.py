#!/usr/bin/env python3
"""The telemetry-overhead section of bench/RESULTS.md: the API / nginx ratio of the last capacity_upload.sh run without
telemetry (section capacity-upload) and with it (capacity-upload-telemetry), and whether telemetry costs under 5 %.

    python3 telemetry_overhead.py bench/RESULTS.md
"""
import re
import sys

text = open(sys.argv[1]).read()


def section(name):
    found = re.search(rf"<!-- {name} -->(.*?)<!-- /{name} -->", text, re.S)
    if not found:
        sys.exit(f"no section {name} in {sys.argv[1]}: run bench/capacity_upload.sh without --telemetry first")
    return found.group(1)


def measure(body, label):
    return re.search(rf"^\| {re.escape(label)} \| ([\d.,]+)", body, re.M).group(1).replace(",", "")


def started(body):
    return re.search(r"— (\S+Z),", body).group(1)


off, on = section("capacity-upload"), section("capacity-upload-telemetry")
ratio_off, ratio_on = float(measure(off, "API / nginx")), float(measure(on, "API / nginx"))
api_off, api_on = float(measure(off, "best API throughput")), float(measure(on, "best API throughput"))
relative = ratio_on / ratio_off
verdict = "met" if relative >= 0.95 else "**MISSED**"
print(f"""## Telemetry overhead: upload API (issue 14)

`bench/capacity_upload.sh --quick` without telemetry ({started(off)}) and with `--telemetry` ({started(on)}), each against
nginx in its own run.

| measure | without telemetry | exporting OTLP |
|---|---:|---:|
| API / nginx | {ratio_off:.2f}x | {ratio_on:.2f}x |
| best API throughput, uploads/s | {api_off:.1f} | {api_on:.1f} |

With telemetry the API keeps {relative:.3f} of its ratio to nginx without it (goal >= 0.95, within 5 %: {verdict}).""")
