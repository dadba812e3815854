"""How fast this machine runs the three kinds of work the read benchmarks are made of.

The benchmarks' targets are absolute milliseconds, but the machines they run on differ: the
same code (1e3ff04) and bench file gave an overview p95 of 117–142 ms on one session's machine
and 223 ms on another's (docs/benchmarks.md, fourth round). Printing these three fixed
workloads beside the figures lets a reader tell a slower machine from slower code. Each is
timed by the caller's own timer (bench/analytics.py passes its `timed`), in the benchmark's
process just before its cases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import numpy as np

Timer = Callable[[Callable[[], Any]], float]
"""Milliseconds one piece of work takes: the caller's median of several runs."""


def _python_loop() -> int:
    total = 0
    for i in range(2_000_000):
        total += i
    return total


def machine_speed(median_ms: Timer) -> dict[str, float]:
    """Milliseconds for: a pure-Python loop of two million additions (the per-row Python
    around the queries), a numpy sort of a million floats (the series matrix and icons), and
    DuckDB summing ten million generated integers on every core (the values query)."""
    floats = np.random.default_rng(0).random(1_000_000)
    con = duckdb.connect()
    try:
        return {
            "python_loop": median_ms(_python_loop),
            "numpy_sort": median_ms(lambda: np.sort(floats)),
            "duckdb_sum": median_ms(lambda: con.execute(
                "SELECT sum(i % 7) FROM range(10000000) AS t(i)").fetchall()),
        }
    finally:
        con.close()
