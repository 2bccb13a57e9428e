"""sigscope.Error and its subclasses carry the command line's messages (file and reason)."""
import pathlib

import pytest

import sigscope
from conftest import run_cli


def test_hierarchy():
    assert issubclass(sigscope.StorageError, sigscope.Error)
    assert issubclass(sigscope.ConfigError, sigscope.Error)
    assert issubclass(sigscope.ArgumentError, sigscope.Error)
    assert issubclass(sigscope.ArgumentError, ValueError)


def test_missing_folder(tmp_path):
    missing = tmp_path / "nothing"
    with pytest.raises(sigscope.StorageError) as info:
        sigscope.open(missing)
    assert str(info.value) == f"{missing}: no such folder"
    assert info.value.path == str(missing)
    assert info.value.reason == "no such folder"


def test_missing_folder_same_as_cli(tmp_path):
    missing = tmp_path / "nothing"
    with pytest.raises(sigscope.StorageError) as info:
        sigscope.open(missing)
    result = run_cli("info", missing)
    assert result.returncode != 0
    assert str(info.value) in result.stderr


def test_damaged_trace(demo_root, tmp_path):
    storage = sigscope.open(demo_root)
    trace = storage.traces()[0]
    broken = tmp_path / "broken.json"
    broken.write_bytes(pathlib.Path(trace.path).read_bytes()[:200])
    with pytest.raises(sigscope.StorageError) as info:
        storage.load(broken)
    reason = ("line 8, column 6: syntax error while parsing object key - invalid string: missing closing quote; "
              "last read: '\"'; expected string literal")
    assert str(info.value) == f"{broken}: {reason}"
    assert info.value.reason == reason


def test_missing_trace_file(demo_root, tmp_path):
    storage = sigscope.open(demo_root)
    with pytest.raises(sigscope.StorageError) as info:
        storage.load(tmp_path / "gone.json")
    assert info.value.path == str(tmp_path / "gone.json")
    assert str(info.value).startswith(f"{tmp_path / 'gone.json'}: ")


def test_bad_kind_and_direction(demo_root, tmp_path):
    with pytest.raises(sigscope.ArgumentError) as info:
        sigscope.open(demo_root).traces(kind="signals")
    assert str(info.value) == "kind must be 'signal' or 'classifier', not 'signals'"
    tracer = sigscope.Tracer({"base_dir": str(tmp_path / "out")})
    tracer.on_bar("SPY", "1m", "2024-03-26T13:30:00+00:00")
    with pytest.raises(ValueError):
        tracer.on_signal("SPY_x", "SPY", "sideways")
    tracer.discard()


def test_config_errors(tmp_path):
    with pytest.raises(sigscope.ConfigError) as info:
        sigscope.Tracer({"basedir": "x"})
    assert str(info.value) == ("unknown tracer setting 'basedir' (accepted: base_dir, run_id, write_interval, "
                               "write_on_changes, enabled)")
    config = tmp_path / "trading.yaml"
    config.write_text("execution:\n  enable_event_tracing: true\n  trace_settings:\n"
                      "    storage: {type: sqlite}\n")
    with pytest.raises(sigscope.ConfigError) as info:
        sigscope.Tracer(config)
    assert str(info.value) == (f"{config}: execution.trace_settings.storage.type: unsupported storage type 'sqlite' "
                               "(accepted: hierarchical)")


def test_empty_file_and_folder(demo_root, tmp_path):
    storage = sigscope.open(demo_root)
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    with pytest.raises(sigscope.StorageError) as info:
        storage.load(empty)
    assert str(info.value) == f"{empty}: the file is empty"
    with pytest.raises(sigscope.StorageError) as info:
        storage.load(tmp_path)
    assert info.value.path == str(tmp_path)
