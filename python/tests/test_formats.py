"""sigscope.open on every format core opens: a version-2 (Parquet) demo equals the version-1 demo, and
the shared L6 Parquet workspaces give the counts of their README and their exact rows."""
import collections

import numpy as np
import pytest

import sigscope

SCHEMA_A = "parquet/workspaces/expansive_grid_search_73511fd8"
SCHEMA_B = "parquet-schema-b/workspaces/expansive_grid_search_554da6c6"
DESCRIPTOR_FIELDS = ("kind", "type", "name", "label", "parameters", "symbol", "timeframe", "run", "variant",
                     "identity", "hash", "changes", "total_bars", "first_bar", "last_bar", "first_time", "last_time")


@pytest.fixture(scope="module")
def parquet_root(tmp_path_factory):
    """The demo of conftest's demo_root (300 bars, 6 variants, seed 7) written as version 2."""
    root = tmp_path_factory.mktemp("demo-parquet") / "storage"
    sigscope.demo(root, bars=300, variants=6, seed=7, format="parquet")
    return root


def test_parquet_demo_descriptors_equal_version1(demo_root, parquet_root):
    v1, v2 = sigscope.open(demo_root), sigscope.open(parquet_root)
    assert (v1.format_version, v2.format_version) == (1, 2)
    assert v2.findings == []
    a, b = v1.traces(), v2.traces()
    assert len(b) == 14
    for x, y in zip(a, b):
        assert [getattr(x, f) for f in DESCRIPTOR_FIELDS] == [getattr(y, f) for f in DESCRIPTOR_FIELDS]
    assert b[0].file_path == ("traces/kind=signal/type=ma_crossover/run=__HIVE_DEFAULT_PARTITION__/part-0.parquet"
                              "#ma_crossover_2_13_cd06c9f2")
    assert [t.name for t in v2.traces("ma_crossover fast_period=2")] == ["ma_crossover_2_13", "ma_crossover_2_13"]


def test_parquet_demo_arrays_equal_version1(demo_root, parquet_root):
    v1, v2 = sigscope.open(demo_root), sigscope.open(parquet_root)
    for x, y in zip(v1.traces(), v2.traces()):
        a, b = v1.load(x), v2.load(y)
        assert a.keys() == b.keys()
        for key in a:
            if isinstance(a[key], np.ndarray):
                assert a[key].dtype == b[key].dtype, key
                np.testing.assert_array_equal(a[key], b[key], err_msg=f"{x.name} {key}")
            else:
                assert a[key] == b[key], key
        np.testing.assert_array_equal(v1.dense(x), v2.dense(y))
        if x.kind == "signal":
            assert repr(v1.metrics(x)) == repr(v2.metrics(y))  # repr: NaN compares equal as text


def test_parquet_demo_exact_arrays(parquet_root):
    storage = sigscope.open(parquet_root)
    t = storage.traces()[0]
    a = storage.load(t)
    np.testing.assert_array_equal(a["bar"], [0, 12, 15, 28, 53, 69, 71, 73, 84, 89, 105, 113, 122, 131, 132, 133,
                                             150, 163, 171, 186, 188, 213, 236, 277, 284, 295, 298])
    np.testing.assert_array_equal(a["value"], [0] + [1, -1] * 13)
    np.testing.assert_array_equal(a["price"][:5], [521.67, 522.02, 521.75, 521.49, 522.79])
    assert a["time"][-1] == np.datetime64("2024-03-26T18:28:00", "us")
    # A path given as the index writes it (relative to the root) loads the same trace.
    np.testing.assert_array_equal(storage.load(t.file_path)["bar"], a["bar"])


def test_parquet_trace_errors_name_the_file(parquet_root):
    storage = sigscope.open(parquet_root)
    t = storage.traces()[0]
    missing = t.file_path.replace("part-0.parquet", "part-9.parquet")
    with pytest.raises(sigscope.StorageError) as raised:
        storage.load(missing)
    assert raised.value.path == str(parquet_root / missing.split("#")[0])
    assert str(raised.value).startswith(str(parquet_root / missing.split("#")[0]) + ": ")


@pytest.mark.parametrize("folder, signals, classifiers", [
    (SCHEMA_A, (193, 11_248), (65, 3_071)),
    (SCHEMA_B, (72, 1_842), (36, 1_899)),
])
def test_l6_workspace_counts(fixtures, folder, signals, classifiers):
    storage = sigscope.open(fixtures / folder)
    assert storage.format_version == 0 and storage.findings == []
    for kind, (traces, changes) in (("signal", signals), ("classifier", classifiers)):
        selected = storage.traces(kind=kind)
        assert len(selected) == traces
        assert sum(t.changes for t in selected) == changes
        assert sum(len(storage.load(t)["bar"]) for t in selected) == changes


def test_l6_values_as_the_readme_counts_them(fixtures):
    storage = sigscope.open(fixtures / SCHEMA_A)
    signal = collections.Counter()
    for t in storage.traces(kind="signal"):
        signal.update(storage.load(t)["value"].tolist())
    assert signal == {-1: 2_661, 0: 5_262, 1: 3_325}
    regimes = collections.Counter()
    for t in storage.traces(kind="classifier"):
        a = storage.load(t)
        regimes.update(a["names"][code] for code in a["value"])
    assert regimes == {"weak_momentum": 1_530, "strong_momentum": 1_503, "normal_volatility": 18, "ranging": 12,
                       "ranging_low_vol": 8}


def test_l6_exact_first_changes(fixtures):
    """Rows as DuckDB's read_parquet shows them in the file (idx, naive ts, val, px 0)."""
    storage = sigscope.open(fixtures / SCHEMA_A)
    [t] = storage.traces("rsi_grid_14_20_70")
    assert (t.file_path, t.symbol, t.timeframe, t.run) == (
        "traces/SPY_1m/signals/rsi_grid/SPY_rsi_grid_14_20_70.parquet", "SPY", "1m", "expansive_grid_search_73511fd8")
    assert (t.changes, t.total_bars, t.first_bar, t.last_bar) == (69, 1000, 19, 932)
    a = storage.load(t)
    np.testing.assert_array_equal(a["bar"][:6], [19, 38, 40, 55, 56, 93])
    np.testing.assert_array_equal(a["value"][:6], [0, -1, 0, -1, 0, -1])
    np.testing.assert_array_equal(a["time"][:3], np.array(["2025-06-13T15:43:58.329192", "2025-06-13T15:43:58.488546",
                                                           "2025-06-13T15:43:58.511678"], dtype="datetime64[us]"))
    np.testing.assert_array_equal(a["price"], np.zeros(69))
    np.testing.assert_array_equal(storage.dense(t, bars=(17, 22)), [0, 0, 0, 0, 0])
    m = storage.metrics(t)
    assert (m["ok"], m["reason"], m["trades"]) == (False, "no price recorded at bar 38 (price 0) and no market data",
                                                   None)
    [c] = storage.traces("momentum_regime_grid_65_25_005")
    a = storage.load(c)
    np.testing.assert_array_equal(a["bar"][:4], [20, 38, 41, 55])
    assert [a["names"][code] for code in a["value"][:4]] == ["weak_momentum", "strong_momentum", "weak_momentum",
                                                             "strong_momentum"]


def test_folder_of_workspaces_opens_like_the_workspace(fixtures):
    one, folder = sigscope.open(fixtures / SCHEMA_B), sigscope.open((fixtures / SCHEMA_B).parent)
    assert [t.hash for t in one.traces()] == [t.hash for t in folder.traces()]
    assert folder.traces()[0].file_path.startswith("expansive_grid_search_554da6c6/traces/")
