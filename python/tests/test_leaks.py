"""No leaks: 10,000 loads under gc.collect() keep RSS, traced memory and reference counts flat."""
import gc
import os
import sys
import tracemalloc

import sigscope


# Under AddressSanitizer freed memory sits in its quarantine: RSS says nothing about leaks there
# (reference counts and traced Python memory still do).
SANITIZED = os.environ.get("SIGSCOPE_SANITIZED") == "1"


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_ten_thousand_loads(demo_root):
    storage = sigscope.open(demo_root)
    trace = storage.traces()[0]
    for _ in range(200):  # warm up allocator pools and pybind11's type caches
        storage.load(trace)
    gc.collect()
    refs_storage, refs_trace = sys.getrefcount(storage), sys.getrefcount(trace)
    tracemalloc.start()
    rss_before = rss_kib()
    traced_before, _ = tracemalloc.get_traced_memory()
    for i in range(10_000):
        arrays = storage.load(trace)
        assert len(arrays["bar"]) == 27
        del arrays
        if i % 1000 == 0:
            gc.collect()
    gc.collect()
    traced_after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_growth = rss_kib() - rss_before
    assert sys.getrefcount(storage) == refs_storage
    assert sys.getrefcount(trace) == refs_trace
    assert traced_after - traced_before < 64 * 1024, traced_after - traced_before
    assert SANITIZED or rss_growth < 4 * 1024, f"RSS grew by {rss_growth} KiB over 10,000 loads"


def test_errors_and_dense_do_not_leak(demo_root, tmp_path):
    storage = sigscope.open(demo_root)
    trace = storage.traces()[0]
    missing = tmp_path / "gone.json"
    for _ in range(100):
        storage.dense(trace)
    gc.collect()
    rss_before = rss_kib()
    for _ in range(2000):
        try:
            storage.load(missing)
        except sigscope.StorageError:
            pass
        storage.dense(trace)
    gc.collect()
    assert SANITIZED or rss_kib() - rss_before < 4 * 1024


def test_arrays_outlive_their_storage(demo_root):
    storage = sigscope.open(demo_root)
    arrays = storage.load(storage.traces()[0])
    bars, times = arrays["bar"], arrays["time"]
    del storage, arrays
    gc.collect()
    assert int(bars.sum()) == 3691 and times[-1] == times.max()


def test_sql_columns_do_not_leak(demo_root):
    """Text columns are object arrays filled in C++: every str and None keeps its count."""
    storage = sigscope.open(demo_root)
    query = "SELECT file_path, value, NULL::VARCHAR AS nothing, bar FROM changes"
    for _ in range(20):
        storage.sql(query)
    gc.collect()
    refs_none = sys.getrefcount(None)
    tracemalloc.start()
    traced_before, _ = tracemalloc.get_traced_memory()
    for _ in range(200):
        result = storage.sql(query)
        assert len(result["value"]) == 351 and result["nothing"].data[0] is None
        del result
    gc.collect()
    traced_after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert traced_after - traced_before < 64 * 1024, traced_after - traced_before
    assert abs(sys.getrefcount(None) - refs_none) < 100
