#!/usr/bin/env python3
"""Benchmarks of the sigscope Python module (issue 16), printed as scripts/bench prints figures.

  load:  one 1M-change signal trace into NumPy (Storage.load) vs json.load of the same file,
         each timed in a fresh process (best of SIGSCOPE_BENCH_RUNS, default 5); target >= 10x.
  trace: events/s through Tracer.on_signals (1,000 strategies x 5,000 bars); target >= 5M/s.
Usage: bench_python.py DATA_DIR  (PYTHONPATH must reach the module; the trace is kept in DATA_DIR).
"""
import os
import pathlib
import subprocess
import sys
import time

import numpy as np
import sigscope

RUNS = int(os.environ.get("SIGSCOPE_BENCH_RUNS", "5"))
CHANGES = 1_000_000


def make_trace(root):
    """A signal trace whose position changes on every bar: 1M changes (seeded, deterministic)."""
    marker = root / "done"
    if not marker.exists():
        rng = np.random.default_rng(16)
        steps = rng.integers(1, 3, CHANGES)  # next position differs from the last: -1 -> 0/1, ...
        positions = np.empty(CHANGES, dtype=np.int8)
        last = 0
        for i, s in enumerate(steps):
            last = (last + 1 + s) % 3 - 1
            positions[i] = last
        start = np.datetime64("2024-03-26T13:30:00", "us").astype("int64")
        tracer = sigscope.Tracer({"base_dir": str(root / "storage")})
        group = tracer.signal_group(["SPY_bench_1"], "SPY", parameters=[{"n": 1}], timeframe="1m")
        for bar in range(CHANGES):
            tracer.on_bar("SPY", "1m", int(start + bar * 60_000_000))
            tracer.on_signals(group, positions[bar:bar + 1], 500.0 + (bar % 1000) * 0.01)
        tracer.flush()
        marker.write_text("ok\n")
    return sigscope.open(root / "storage").traces()[0].path


def timed(code, path):
    best = float("inf")
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, "-c", code, str(path)], check=True, capture_output=True, text=True)
        best = min(best, float(out.stdout))
    return best


LOAD_JSON = """import json, sys, time
t = time.perf_counter()
with open(sys.argv[1], 'rb') as f:
    d = json.load(f)
assert len(d['changes']) == %d
print(time.perf_counter() - t)""" % CHANGES

LOAD_SIGSCOPE = """import sys, time, pathlib, sigscope
p = pathlib.Path(sys.argv[1])
s = sigscope.open(p.parents[2])
t = time.perf_counter()
a = s.load(p)
assert len(a['bar']) == %d
print(time.perf_counter() - t)""" % CHANGES


def bench_trace():
    strategies, bars = 1000, 5000
    rng = np.random.default_rng(7)
    # Positions that change on about 5% of the bars, like a sweep's strategies.
    flips = rng.random((bars, strategies)) < 0.05
    values = (np.cumsum(flips, axis=0) % 3 - 1).astype(np.int8)
    tmp = pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / f"sigscope-bench-trace-{os.getpid()}"
    tracer = sigscope.Tracer({"base_dir": str(tmp)})
    group = tracer.signal_group([f"SPY_s_{i}" for i in range(strategies)], "SPY", timeframe="1m")
    start = np.datetime64("2024-03-26T13:30:00", "us").astype("int64")
    t = time.perf_counter()
    for bar in range(bars):
        tracer.on_bar("SPY", "1m", int(start + bar * 60_000_000))
        tracer.on_signals(group, values[bar], 500.0)
    elapsed = time.perf_counter() - t
    tracer.discard()
    return strategies * bars / elapsed


def main():
    data = (pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "bench-data") / "python").resolve()
    data.mkdir(parents=True, exist_ok=True)
    path = make_trace(data)
    size = os.path.getsize(path)
    json_s = timed(LOAD_JSON, path)
    ours_s = timed(LOAD_SIGSCOPE, path)
    print(f"BENCH python_load_1m_changes_json_load {json_s * 1000:.1f} ms ({size / 1e6:.1f} MB)")
    print(f"BENCH python_load_1m_changes_sigscope {ours_s * 1000:.1f} ms")
    ratio = json_s / ours_s
    print(f"RATIO python_load_vs_json_load {ratio:.1f} (target >= 10: {'met' if ratio >= 10 else 'MISSED'})")
    rate = bench_trace()
    print(f"BENCH python_trace_on_signals {rate / 1e6:.2f} M events/s "
          f"(target >= 5: {'met' if rate >= 5e6 else 'MISSED'})")


if __name__ == "__main__":
    main()
