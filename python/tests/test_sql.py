"""Storage.sql: the README's SQL examples give the command line's answers; column types, NULLs, errors."""
import datetime
import json
import math
import re

import numpy as np
import pytest

import sigscope
from conftest import SOURCE_DIR, run_cli


def readme_queries():
    """The ```sql blocks of the README's SQL section."""
    text = (SOURCE_DIR / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## SQL\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


@pytest.fixture(scope="module")
def readme_demo(tmp_path_factory):
    """The storage the README's examples run on: `sigscope demo` with its defaults."""
    root = tmp_path_factory.mktemp("readme-demo") / "storage"
    sigscope.demo(root)
    return root


@pytest.fixture(scope="module")
def readme_storage(readme_demo):
    """One Storage for every example: its tables are built on the first query."""
    return sigscope.open(readme_demo)


def as_cli_json(value):
    """A value of a result column as `sigscope sql --json` writes it."""
    if value is np.ma.masked:
        return None
    if isinstance(value, np.datetime64):
        text = str(value.astype(datetime.datetime))
        return text[:-7] if text.endswith(".000000") else text
    value = value.item() if isinstance(value, np.generic) else value
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")  # JSON has no such number
    return value


def rows(result):
    names = list(result)
    count = len(result[names[0]]) if names else 0
    return [{name: as_cli_json(result[name][i]) for name in names} for i in range(count)]


def test_readme_examples_are_found():
    assert len(readme_queries()) >= 5  # the five of tests/core/tst_sqlviews.cpp, and any added since


@pytest.mark.parametrize("query", readme_queries(), ids=lambda q: q.split()[1].strip(","))
def test_readme_examples_equal_the_command_line(readme_demo, readme_storage, query):
    cli = run_cli("sql", readme_demo, query, "--json")
    assert cli.returncode == 0, cli.stderr
    expected = json.loads(cli.stdout)
    result = readme_storage.sql(query)
    assert list(result) == list(expected[0])
    assert rows(result) == expected


def test_first_readme_example_exact(readme_storage):
    result = readme_storage.sql(readme_queries()[0])
    assert result["type"].tolist() == ["momentum", "mean_reversion", "rsi", "ma_crossover", "breakout", "trend",
                                       "volatility"]
    assert result["changes"].tolist() == [114_918, 60_755, 56_411, 32_654, 18_849, 2_107, 287]
    assert result["fewest"].tolist() == [1_645, 1, 694, 400, 17, 178, 39]
    assert result["traces"].dtype == np.int64 and result["kind"].dtype == object


def test_column_types_and_nulls(demo_root):
    r = sigscope.open(demo_root).sql(
        "SELECT 7 AS i, 2.5 AS r, 'x' AS t, TIMESTAMP '2024-03-26 13:30:00.25' AS ts, true AS b, [1, 2] AS l, "
        "NULL::BIGINT AS ni, NULL::DOUBLE AS nr, NULL::VARCHAR AS nt, NULL::TIMESTAMP AS nts")
    assert [r[k].dtype for k in ("i", "r", "t", "ts", "b", "l")] == [np.int64, np.float64, object,
                                                                     np.dtype("datetime64[us]"), np.bool_, object]
    assert (r["i"][0], r["r"][0], r["t"][0], r["b"][0], r["l"][0]) == (7, 2.5, "x", True, "[1, 2]")
    assert r["ts"][0] == np.datetime64("2024-03-26T13:30:00.250000")
    for name, under in (("ni", 0), ("nr", None), ("nt", None), ("nts", None)):
        assert isinstance(r[name], np.ma.MaskedArray) and r[name].mask.tolist() == [True], name
        if under is not None:
            assert r[name].data[0] == under
    assert np.isnan(r["nr"].data[0]) and r["nt"].data[0] is None and np.isnat(r["nts"].data[0])
    assert not isinstance(r["i"], np.ma.MaskedArray)


def test_sql_columns_of_the_demo(demo_root):
    r = sigscope.open(demo_root).sql("SELECT file_path, bar, time, signal, price FROM changes "
                                     "WHERE file_path LIKE 'signals/ma_crossover/ma_crossover_2_13_cd06c9f2%' "
                                     "ORDER BY bar LIMIT 3")
    np.testing.assert_array_equal(r["bar"], [0, 12, 15])
    np.testing.assert_array_equal(r["signal"], [0, 1, -1])
    np.testing.assert_array_equal(r["price"], [521.67, 522.02, 521.75])
    assert r["time"][0] == np.datetime64("2024-03-26T13:30:00", "us")


def test_parquet_and_workspace_storages(demo_root, tmp_path, fixtures):
    parquet = tmp_path / "v2"
    sigscope.demo(parquet, bars=300, variants=6, seed=7, format="parquet")
    query = "SELECT name, symbol, count(*) AS n, sum(signal) AS s FROM signals GROUP BY ALL ORDER BY ALL"
    assert rows(sigscope.open(parquet).sql(query)) == rows(sigscope.open(demo_root).sql(query))
    workspace = sigscope.open(fixtures / "parquet/workspaces/expansive_grid_search_73511fd8")
    assert workspace.sql("SELECT count(*) AS n FROM changes")["n"].tolist() == [14_319]


@pytest.mark.parametrize("query", ["SELEC 1", "SELECT nosuch FROM traces", "CREATE TABLE x AS SELECT 1",
                                   "COPY traces TO '/tmp/sigscope-sql-test.csv'", "SELECT 1; DROP TABLE traces"])
def test_errors_carry_the_command_lines_message(demo_root, query):
    cli = run_cli("sql", demo_root, query)
    assert cli.returncode == 1
    with pytest.raises(sigscope.SqlError) as raised:
        sigscope.open(demo_root).sql(query)
    assert "sigscope: " + str(raised.value) + "\n" == cli.stderr
    assert isinstance(raised.value, sigscope.Error)


def test_error_kinds_and_positions(demo_root):
    storage = sigscope.open(demo_root)
    with pytest.raises(sigscope.SqlError) as raised:
        storage.sql("SELEC 1")
    assert raised.value.kind == "syntax"
    assert str(raised.value) == 'Parser Error: syntax error at or near "SELEC"\n\nLINE 1: SELEC 1\n        ^'
    with pytest.raises(sigscope.SqlError) as raised:
        storage.sql("INSERT INTO traces SELECT * FROM traces")
    assert raised.value.kind == "refused"
    assert str(raised.value) == ("statement 1 is not a SELECT: sigscope's SQL only reads (no COPY, CREATE, INSERT, "
                                 "UPDATE, DELETE, ATTACH, SET or PRAGMA)")
    assert storage.sql("SELECT count(*) AS n FROM traces")["n"].tolist() == [14]  # still usable after errors
    with pytest.raises(sigscope.ArgumentError, match="^the result has two columns named 'a'; name them apart"):
        storage.sql("SELECT 1 AS a, 2 AS a")
