"""sigscope.open / traces / load / dense / metrics against core's seeded demo and the fixtures."""
import csv
import io
import math

import numpy as np
import pytest

import sigscope
from conftest import SOURCE_DIR, json_changes, run_cli


def test_demo_descriptors(demo_root):
    storage = sigscope.open(demo_root)
    assert storage.format_version == 1
    traces = storage.traces()
    assert [t.kind for t in traces].count("signal") == 6
    assert [t.kind for t in traces].count("classifier") == 8
    t = traces[0]
    assert t.file_path == "signals/ma_crossover/ma_crossover_2_13_cd06c9f2.json"
    assert (t.name, t.type, t.symbol, t.timeframe, t.run, t.variant) == ("ma_crossover_2_13", "ma_crossover", "SPY",
                                                                         "1m", None, None)
    assert t.parameters == {"fast_period": 2, "slow_period": 13}
    assert t.identity == ('{"kind":"signal","name":"ma_crossover_2_13","parameters":{"fast_period":2,'
                          '"slow_period":13},"run":null,"symbol":"SPY","timeframe":"1m"}')
    assert t.hash == "cd06c9f2a03a124a"
    assert (t.changes, t.total_bars, t.first_bar, t.last_bar) == (27, 300, 0, 298)
    assert (t.first_time, t.last_time) == ("2024-03-26T13:30:00+00:00", "2024-03-26T18:28:00+00:00")
    assert t.metrics is None


def test_demo_exact_arrays(demo_root):
    storage = sigscope.open(demo_root)
    a = storage.load(storage.traces()[0])
    assert a["bar"].dtype == np.int64 and a["value"].dtype == np.int8 and a["price"].dtype == np.float64
    assert a["time"].dtype == np.dtype("datetime64[us]")
    np.testing.assert_array_equal(a["bar"], [0, 12, 15, 28, 53, 69, 71, 73, 84, 89, 105, 113, 122, 131, 132, 133,
                                             150, 163, 171, 186, 188, 213, 236, 277, 284, 295, 298])
    np.testing.assert_array_equal(a["value"], [0] + [1, -1] * 13)
    np.testing.assert_array_equal(a["price"][:5], [521.67, 522.02, 521.75, 521.49, 522.79])
    assert a["time"][0] == np.datetime64("2024-03-26T13:30:00", "us")
    assert a["time"][-1] == np.datetime64("2024-03-26T18:28:00", "us")
    assert a["total_bars"] == 300


def test_every_demo_trace_matches_python_json(demo_root):
    storage = sigscope.open(demo_root)
    for t in storage.traces():
        data = json_changes(t.path)["changes"]
        a = storage.load(t)
        np.testing.assert_array_equal(a["bar"], [c["idx"] for c in data])
        expected_times = np.array([c["ts"][:19] for c in data], dtype="datetime64[us]")  # all +00:00
        np.testing.assert_array_equal(a["time"], expected_times)
        np.testing.assert_array_equal(a["price"], [c.get("px", 0.0) for c in data])
        if t.kind == "signal":
            np.testing.assert_array_equal(a["value"], [c["val"] for c in data])
        else:
            assert [a["names"][code] for code in a["value"]] == [c["regime"] for c in data]


def test_filter_is_the_explorers_grammar(demo_root):
    storage = sigscope.open(demo_root)
    assert [t.name for t in storage.traces("ma_crossover fast_period=2")] == ["ma_crossover_2_13", "ma_crossover_2_13"]
    assert {t.symbol for t in storage.traces("ma_crossover fast_period=2")} == {"SPY", "QQQ"}
    assert all(t.kind == "classifier" for t in storage.traces("classifier"))
    assert len(storage.traces("trend | volatility")) == 8
    assert len(storage.traces("", kind="signal")) == 6
    assert storage.traces("no_such_thing") == []


def test_dense_is_the_as_of_expansion(demo_root):
    storage = sigscope.open(demo_root)
    t = storage.traces()[0]
    a = storage.load(t)
    dense = storage.dense(t)
    assert dense.dtype == np.int8 and len(dense) == 300
    expected = np.zeros(300, dtype=np.int8)
    for bar, value in zip(a["bar"], a["value"]):
        expected[bar:] = value
    np.testing.assert_array_equal(dense, expected)
    np.testing.assert_array_equal(storage.dense(t, bars=(10, 16)), [0, 0, 1, 1, 1, -1])
    assert len(storage.dense(t, bars=1000)) == 1000 and storage.dense(t, bars=1000)[-1] == -1
    c = storage.traces(kind="classifier")[0]
    codes = storage.dense(c)
    assert codes.dtype == np.int32
    first = storage.load(c)["bar"][0]
    assert (codes[:first] == -1).all() and codes[first] == storage.load(c)["value"][0]


def test_metrics_equal_the_command_line(demo_root, tmp_path):
    storage = sigscope.open(demo_root)
    result = run_cli("metrics", demo_root, "--csv", tmp_path / "m.csv")
    assert result.returncode == 0, result.stderr
    rows = {r["file_path"]: r for r in csv.DictReader(io.StringIO((tmp_path / "m.csv").read_text()))}
    assert len(rows) == 6
    for t in storage.traces(kind="signal"):
        m = storage.metrics(t)
        assert m["ok"], m["reason"]
        for name in sigscope.metric_names():
            cell = rows[t.file_path][name]
            if cell == "":
                assert math.isnan(m[name])
            else:
                assert m[name] == (int(cell) if name in ("trades", "flips") else float(cell)), name


def test_metrics_of_one_trace(demo_root):
    storage = sigscope.open(demo_root)
    m = storage.metrics(storage.traces()[0])
    assert (m["trades"], m["flips"], m["bars"], m["win_rate"], m["exposure"]) == (26, 25, 300, 0.5, 0.96)
    assert m["bar_prices"] is True
    recorded = storage.metrics(storage.traces()[0], market=False)
    assert recorded["bar_prices"] is False and math.isnan(recorded["sharpe"])
    assert storage.metrics(storage.traces(kind="classifier")[0])["reason"] == "not a signal trace"


@pytest.mark.parametrize("where", ["repository", "shared"])
def test_upstream_version0_storage(where, request):
    """The upstream (version-0) storage, from tests/data/fixtures and from the shared fixtures."""
    base = SOURCE_DIR / "tests" / "data" / "fixtures" if where == "repository" else request.getfixturevalue("fixtures")
    storage = sigscope.open(base / "upstream" / "analytics_storage")
    assert storage.format_version == 0
    traces = storage.traces()
    assert [(t.kind, t.name, t.changes) for t in traces] == [("signal", "mean_reversion_bb", 12),
                                                              ("classifier", "volatility_regime", 1),
                                                              ("classifier", "trend_classifier", 1)]
    np.testing.assert_array_equal(storage.load(traces[0])["bar"], [0] * 12)  # upstream wrote idx 0 throughout
    trend = storage.traces("trend_classifier")[0]
    a = storage.load(trend)
    np.testing.assert_array_equal(a["bar"], [0])
    assert a["names"] == ["ranging"]
    np.testing.assert_array_equal(a["confidence"], [0.991114153763697])
    assert a["time"][0] == np.datetime64("2025-06-13T11:28:25.541274", "us")
    for t in traces:
        data = json_changes(t.path)["changes"]
        np.testing.assert_array_equal(storage.load(t)["bar"], [c["idx"] for c in data])
