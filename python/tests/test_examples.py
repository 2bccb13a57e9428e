"""examples/python: the engine writes a storage that the notebook script ranks."""
import subprocess
import sys

import sigscope
from conftest import SOURCE_DIR

EXAMPLES = SOURCE_DIR / "examples" / "python"


def test_engine_then_notebook(tmp_path):
    storage = tmp_path / "storage"
    engine = subprocess.run([sys.executable, EXAMPLES / "engine.py", storage], capture_output=True, text=True)
    assert engine.returncode == 0, engine.stderr
    assert engine.stdout.startswith("12000 signals, ")
    traces = sigscope.open(storage).traces()
    assert [t.name for t in traces] == ["ma_crossover_3_20", "ma_crossover_3_40", "ma_crossover_5_20",
                                        "ma_crossover_5_40", "ma_crossover_8_20", "ma_crossover_8_40"]
    assert all(t.total_bars == 2000 and t.timeframe == "1m" for t in traces)
    notebook = subprocess.run([sys.executable, EXAMPLES / "notebook.py", storage, "total_return", tmp_path / "p.png"],
                              capture_output=True, text=True)
    assert notebook.returncode == 0, notebook.stderr
    lines = notebook.stdout.splitlines()
    assert lines[0].split() == ["variant", "total_return", "trades", "win_rate"]
    assert len(lines) == 15
    assert lines[7].split() == ["variant", "bars_in_market", "changes"]
    # The SQL section's numbers, from the dense positions and the descriptors.
    opened = sigscope.open(storage)
    expected = sorted(((int((opened.dense(t) != 0).sum()), t.name, t.symbol, t.changes) for t in traces),
                      key=lambda r: (-r[0], r[1], r[2]))
    assert [line.split() for line in lines[8:14]] == [[n, s, str(b), str(c)] for b, n, s, c in expected]
    try:
        import matplotlib  # noqa: F401
        assert (tmp_path / "p.png").is_file()
    except ImportError:
        assert lines[-1].startswith("matplotlib is not installed: no plot of ma_crossover_")
