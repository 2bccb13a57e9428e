#!/usr/bin/env python3
"""Notebook-style analysis: open a storage, rank the variants by a metric, plot the best one.

Usage: notebook.py STORAGE_DIR [METRIC] [PLOT.png]. METRIC defaults to total_return.
"""
import sys

import numpy as np
import sigscope

root = sys.argv[1] if len(sys.argv) > 1 else "analytics_storage"
metric = sys.argv[2] if len(sys.argv) > 2 else "total_return"
plot_path = sys.argv[3] if len(sys.argv) > 3 else "best.png"

storage = sigscope.open(root)
rows = []
for trace in storage.traces(kind="signal"):
    m = storage.metrics(trace)
    if m["ok"] and not np.isnan(m[metric]):
        rows.append((m[metric], trace, m))
rows.sort(key=lambda r: r[0], reverse=True)
print(f"{'variant':<32} {metric:>14} {'trades':>7} {'win_rate':>9}")
for value, trace, m in rows[:10]:
    print(f"{trace.label + ' ' + (trace.symbol or ''):<32} {value:>14.6f} {m['trades']:>7} {m['win_rate']:>9.3f}")
if not rows:
    sys.exit("no signal trace with metrics in " + root)

# The same storage through SQL (the tables of `sigscope sql`): bars with a position, per variant.
in_market = storage.sql("""
    SELECT name, symbol, sum(next_bar - bar) FILTER (WHERE signal <> 0) AS bars_in_market, count(*) AS changes
    FROM signals GROUP BY name, symbol ORDER BY bars_in_market DESC, name, symbol""")
print(f"{'variant':<32} {'bars_in_market':>14} {'changes':>7}")
for name, symbol, bars, changes in zip(in_market["name"], in_market["symbol"], in_market["bars_in_market"],
                                       in_market["changes"]):
    print(f"{name + ' ' + (symbol or ''):<32} {bars:>14} {changes:>7}")

best = rows[0][1]
positions = storage.dense(best)
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print(f"matplotlib is not installed: no plot of {best.label} (apt install python3-matplotlib)")
else:
    fig, ax = plt.subplots(figsize=(10, 3))
    ax.step(np.arange(len(positions)), positions, where="post")
    ax.set(title=f"{best.label} {best.symbol}: position per bar", xlabel="bar", ylabel="position")
    fig.savefig(plot_path, dpi=100, bbox_inches="tight")
    print(f"plotted {best.label} to {plot_path}")
