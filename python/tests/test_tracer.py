"""sigscope.Tracer writes the same files as core's C++ Tracer for the same events."""
import json
import os
import pathlib
import re
import subprocess

import numpy as np
import pytest

import sigscope

STAMP = re.compile(rb'"(created_at|updated_at)": "[^"]*"')
TIMES = [f"2024-03-26T13:{m:02d}:00+00:00" for m in range(30, 60)]
STRATEGIES = [("SPY_ma_crossover_5_20", {"fast_period": 5, "slow_period": 20}),
              ("SPY_rsi_14", {"period": 14, "overbought": 70.0, "oversold": 30.0}),
              ("SPY_breakout_10", {"lookback": 10, "filter": None, "mode": "close"})]


def positions(bar):
    """Deterministic positions of the three strategies at a bar (with runs, so changes are sparse)."""
    return [((bar // 3) % 3) - 1, 1 if bar % 7 < 4 else -1, 0 if bar < 10 else 1]


def events():
    out = []
    for bar, time in enumerate(TIMES):
        out.append(("bar", "SPY", "1m", time))
        for (sid, params), value in zip(STRATEGIES, positions(bar)):
            out.append(("signal", sid, "SPY", value, 500.0 + bar * 0.25, time, params))
        regime = "trending" if bar % 11 < 6 else "ranging"
        out.append(("class", "SPY_trend_10_60", "SPY", regime, 0.5 + bar / 100, time, {"fast_period": 10}))
    return out


def replay_cpp(base_dir, tmp_path):
    helper = os.environ.get("SIGSCOPE_TRACER_REPLAY")
    if not helper:
        pytest.skip("SIGSCOPE_TRACER_REPLAY unset: run through ctest (python/pytest), which builds the C++ helper")
    lines = []
    for e in events():
        if e[0] == "bar":
            lines.append("\t".join(e))
        else:
            lines.append("\t".join([e[0], e[1], e[2], str(e[3]), repr(float(e[4])), e[5],
                                    json.dumps(e[6], separators=(",", ":"))]))
    path = tmp_path / "events.tsv"
    path.write_text("\n".join(lines) + "\n")
    subprocess.run([helper, str(path), str(base_dir)], check=True)


def storage_files(root):
    files = {}
    for p in sorted(pathlib.Path(root).rglob("*")):
        if p.is_file():
            files[p.relative_to(root).as_posix()] = STAMP.sub(rb'"\1": "T"', p.read_bytes())
    return files


def assert_same_storage(a, b):
    fa, fb = storage_files(a), storage_files(b)
    assert sorted(fa) == sorted(fb)
    assert len(fa) >= 5
    for name in fa:
        assert fa[name] == fb[name], name


def test_events_byte_identical_to_cpp(tmp_path):
    replay_cpp(tmp_path / "cpp", tmp_path)
    with sigscope.Tracer({"base_dir": str(tmp_path / "py")}) as tracer:
        for e in events():
            if e[0] == "bar":
                tracer.on_bar(e[1], e[2], e[3])
            elif e[0] == "signal":
                tracer.on_signal(e[1], e[2], e[3], e[4], e[5], parameters=e[6])
            else:
                tracer.on_classification(e[1], e[2], e[3], e[4], e[5], parameters=e[6])
    assert_same_storage(tmp_path / "cpp", tmp_path / "py")


def test_batch_byte_identical_to_cpp(tmp_path):
    replay_cpp(tmp_path / "cpp", tmp_path)
    tracer = sigscope.Tracer({"base_dir": str(tmp_path / "py")})
    # Resolved before any bar: the timeframe is named (else it would be the latest bar's, none yet).
    group = tracer.signal_group([s for s, _ in STRATEGIES], "SPY", parameters=[p for _, p in STRATEGIES],
                                timeframe="1m")
    assert len(group) == 3
    for bar, time in enumerate(TIMES):
        tracer.on_bar("SPY", "1m", time)
        tracer.on_signals(group, np.array(positions(bar), dtype=np.int8), 500.0 + bar * 0.25, time)
        regime = "trending" if bar % 11 < 6 else "ranging"
        tracer.on_classification("SPY_trend_10_60", "SPY", regime, 0.5 + bar / 100, time,
                                 parameters={"fast_period": 10})
    tracer.flush()
    assert_same_storage(tmp_path / "cpp", tmp_path / "py")


def test_summary_and_read_back(tmp_path):
    with sigscope.Tracer({"base_dir": str(tmp_path / "s")}) as tracer:
        for e in events():
            if e[0] == "bar":
                tracer.on_bar(e[1], e[2], e[3])
            elif e[0] == "signal":
                tracer.on_signal(e[1], e[2], e[3], e[4], e[5], parameters=e[6])
    s = tracer.summary()
    assert (s["bars_seen"], s["signals_seen"], s["classifications_seen"]) == (30, 90, 0)
    assert s["traces_written"] == 3
    assert [t["name"] for t in s["traces"]] == ["ma_crossover_5_20", "rsi_14", "breakout_10"]
    rsi = sigscope.open(tmp_path / "s").traces("rsi")[0]
    values = sigscope.open(tmp_path / "s").load(rsi)["value"]
    expected = [v for i, v in enumerate(positions(b)[1] for b in range(30)) if i == 0 or v != positions(i - 1)[1]]
    np.testing.assert_array_equal(values, expected)
    assert s["traces"][1]["changes_stored"] == len(expected)


def test_on_signals_checks_its_arguments(tmp_path):
    tracer = sigscope.Tracer({"base_dir": str(tmp_path / "x")})
    group = tracer.signal_group(["SPY_a", "SPY_b"], "SPY")
    tracer.on_bar("SPY", "1m", TIMES[0])
    with pytest.raises(sigscope.ArgumentError) as info:
        tracer.on_signals(group, np.zeros(3, dtype=np.int8))
    assert str(info.value) == ("on_signals: values must be one-dimensional with one entry per strategy of the "
                               "group (2)")
    with pytest.raises(sigscope.ArgumentError):
        tracer.on_signals(group, np.zeros(2, dtype=np.int8), prices=np.zeros(5))
    tracer.discard()
    assert tracer.summary()["changes_stored"] == 0
