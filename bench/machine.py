"""How fast this machine runs the three kinds of work the read benchmarks are made of.

The benchmarks' targets are absolute milliseconds, but the machines they run on differ: the
same code and file gave an overview p95 of 117 ms on one session's machine and 191 ms on
another's (docs/benchmarks.md, fourth round). Printing these three fixed workloads beside the
figures lets a reader tell a slower machine from slower code. Each is the median of a few
runs, measured in the benchmark's own process just before its cases.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import duckdb
import numpy as np

RUNS = 5


def _median_ms(work: Callable[[], Any]) -> float:
    work()
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(samples), 1)


def _python_loop() -> int:
    total = 0
    for i in range(2_000_000):
        total += i
    return total


def machine_speed() -> dict[str, float]:
    """Milliseconds for: a pure-Python loop of two million additions (the per-row Python
    around the queries), a numpy sort of a million floats (the series matrix and icons), and
    DuckDB summing ten million generated integers on every core (the values query)."""
    floats = np.random.default_rng(0).random(1_000_000)
    con = duckdb.connect()
    try:
        return {
            "python_loop": _median_ms(_python_loop),
            "numpy_sort": _median_ms(lambda: np.sort(floats)),
            "duckdb_sum": _median_ms(lambda: con.execute(
                "SELECT sum(i % 7) FROM range(10000000) AS t(i)").fetchall()),
        }
    finally:
        con.close()
