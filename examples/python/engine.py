#!/usr/bin/env python3
"""A small vectorised trading engine that records its signals with sigscope.Tracer.

Usage: engine.py STORAGE_DIR. Moving-average crossovers over a grid of (fast, slow) on a seeded
random walk; one on_signals call per bar records every variant's position.
"""
import sys

import numpy as np
import sigscope

out = sys.argv[1] if len(sys.argv) > 1 else "analytics_storage"
rng = np.random.default_rng(42)
closes = 500.0 * np.exp(np.cumsum(rng.normal(0.0, 0.001, 2000)))
grid = [(fast, slow) for fast in (3, 5, 8) for slow in (20, 40)]
ids = [f"SPY_ma_crossover_{f}_{s}" for f, s in grid]
params = [{"fast_period": f, "slow_period": s} for f, s in grid]
csum = np.concatenate([[0.0], np.cumsum(closes)])

with sigscope.Tracer({"base_dir": out}) as tracer:
    group = tracer.signal_group(ids, "SPY", parameters=params, strategy_type="ma_crossover", timeframe="1m")
    start = np.datetime64("2024-03-26T13:30:00", "us")
    for bar, close in enumerate(closes):
        tracer.on_bar("SPY", "1m", int((start + np.timedelta64(bar, "m")).astype("int64")))
        mean = lambda n: (csum[bar + 1] - csum[max(0, bar + 1 - n)]) / min(n, bar + 1)
        positions = np.array([np.sign(mean(f) - mean(s)) if bar >= s else 0 for f, s in grid], dtype=np.int8)
        tracer.on_signals(group, positions, float(close))
    summary = tracer.summary()
print(f"{summary['signals_seen']} signals, {summary['changes_stored']} changes stored in {out}")
