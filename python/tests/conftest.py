"""Shared fixtures of the sigscope Python tests (run by ctest as python/pytest)."""
import json
import os
import pathlib
import subprocess

import pytest

import sigscope

SOURCE_DIR = pathlib.Path(os.environ.get("SIGSCOPE_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


def shared_fixtures():
    """$SIGSCOPE_FIXTURES when set, else ../shared/fixtures (or /work/shared/fixtures); None when absent."""
    if os.environ.get("SIGSCOPE_FIXTURES"):
        candidates = [os.environ["SIGSCOPE_FIXTURES"]]
    else:
        candidates = [os.environ.get("SIGSCOPE_FIXTURES_DEFAULT"), str(SOURCE_DIR.parent / "shared" / "fixtures"),
                      "/work/shared/fixtures"]
    for candidate in candidates:
        if candidate and pathlib.Path(candidate, "README.md").is_file():
            return pathlib.Path(candidate)
    return None


SHARED_MISSING = ("shared fixtures absent: set SIGSCOPE_FIXTURES to the fixtures folder "
                  "(/work/shared/fixtures) to run this test")


@pytest.fixture
def fixtures():
    path = shared_fixtures()
    if path is None:
        pytest.skip(SHARED_MISSING)
    return path


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory):
    """core's seeded demo: 300 bars, 6 signal variants, seed 7 (SPY and QQQ)."""
    root = tmp_path_factory.mktemp("demo") / "storage"
    sigscope.demo(root, bars=300, variants=6, seed=7)
    return root


def sigscope_binary():
    binary = os.environ.get("SIGSCOPE_BINARY")
    return binary if binary and os.path.exists(binary) else None


def run_cli(*arguments):
    binary = sigscope_binary()
    if binary is None:
        pytest.skip("the sigscope executable is not part of this build (SIGSCOPE_BINARY unset)")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([binary, *map(str, arguments)], capture_output=True, text=True, env=env)


def json_changes(path):
    """The changes of a data file read with Python's json module (an independent reader)."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)
