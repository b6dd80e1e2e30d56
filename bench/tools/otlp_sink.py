#!/usr/bin/env python3
"""A stand-in OTLP/HTTP collector for the benches: accepts every export (traces, metrics, logs), discards it and
keeps a count per path in COUNTS (JSON), so a run can show that telemetry was really exported.

    python3 otlp_sink.py PORT COUNTS
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, counts_path = int(sys.argv[1]), sys.argv[2]
counts = {}
lock = threading.Lock()


class Sink(BaseHTTPRequestHandler):
    def do_POST(self):
        size = int(self.headers.get("content-length") or 0)
        self.rfile.read(size)
        with lock:
            entry = counts.setdefault(self.path, {"requests": 0, "bytes": 0})
            entry["requests"] += 1
            entry["bytes"] += size
            with open(counts_path, "w") as f:
                json.dump(counts, f)
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Sink).serve_forever()
