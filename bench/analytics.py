"""Read-side benchmark: the board overview, SPC for one measure, a funnel, now and as of a past
position, on the 10,000,000-version warehouse of bench/generate_warehouse.py.

Each case runs a few times to warm the caches, then `--runs` times. Targets (issue 5): overview
p95 ≤ 150 ms, SPC for all members ≤ 100 ms, funnel ≤ 50 ms, each as-of variant ≤ 2× its
current-data time. Each case is the endpoint's own code for the shared viewer (a board
member), which reads `visible_to_all` (warehouse/sql/definitions/50_visibility.sql, proven
equal to visible_values(pos, moment, NULL, false) by tests/api/test_overview_api.py and
test_spc_api.py); for reference
the table also times the overview with its JSON text, and the SPC charts as a member sees
them (visible_to_member) and as an admin sees them (visible_values, every version grouped). The
last line printed is one JSON object.

    .venv/bin/python bench/analytics.py [--path var/bench/analytics.duckdb] [--runs 40]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.generate_warehouse import DEFAULT_PATH, build  # noqa: E402
from bench.machine import machine_speed  # noqa: E402

WARM_UP = 3
SPC_MEASURE = "m000"  # a proportion with a target: SPC icons, assurance and a PR funnel
TARGETS_MS = {"overview": 150.0, "spc": 100.0, "funnel": 50.0}
MACHINE_RUNS = 5


def timed(work: Callable[[], Any], runs: int) -> dict[str, float]:
    """Wall-clock milliseconds of `runs` calls after WARM_UP unmeasured ones, and the median
    CPU time of the process (every thread) per call: on a shared machine the wall clock
    also counts waiting for a core, the CPU time mostly does not."""
    for _ in range(WARM_UP):
        work()
    samples, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        work()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    samples.sort()
    return {"min": samples[0], "p50": statistics.median(samples),
            "p95": samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))],
            "max": samples[-1], "cpu_p50": statistics.median(cpu)}


def endpoint_cases(cur: Any, measure: dict[str, Any], position: int, moment: datetime
                   ) -> dict[str, Callable[[], Any]]:
    """What the endpoints compute for the shared viewer (a board member), by their own code:
    the overview, every member's SPC chart of one measure (spc_series.member_charts) and the
    funnel of its latest period (funnel_data), each read through visible_to_all."""
    from warehouse.queries.funnel_data import funnel_plot
    from warehouse.queries.overview import board_overview
    from warehouse.queries.spc_series import member_charts
    from warehouse.queries.visibility import Viewer

    return {
        "overview": lambda: board_overview(cur, position, moment),
        "spc": lambda: member_charts(cur, Viewer(), measure, position=position, moment=moment),
        "funnel": lambda: funnel_plot(cur, Viewer(), measure, None, data_type="PR",
                                      position=position, moment=moment),
    }


def reference_cases(cur: Any, measure: dict[str, Any], position: int, moment: datetime
                    ) -> dict[str, Callable[[], Any]]:
    """For reference: the overview as the endpoint answers it (JSON or CSV text included), and the
    SPC endpoint for a member's own eyes (visible_to_member) and an admin's (visible_values)."""
    from concord.api.overview_api import csv_response, json_response
    from warehouse.queries.overview import board_overview
    from warehouse.queries.spc_series import member_charts
    from warehouse.queries.visibility import Viewer

    return {
        "overview as JSON (endpoint code)": lambda: json_response(
            cur, board_overview(cur, position, moment)),
        "overview as CSV (endpoint code)": lambda: csv_response(
            cur, board_overview(cur, position, moment)),
        "spc, a member's view (visible_to_member)": lambda: member_charts(
            cur, Viewer(member_code="M001"), measure, position=position, moment=moment),
        "spc, an admin's view (visible_values)": lambda: member_charts(
            cur, Viewer(sees_all=True), measure, position=position, moment=moment),
    }


def run_cases(cur: Any, position: int, runs: int) -> dict[str, dict[str, float]]:
    from warehouse.asof import moment_of
    from warehouse.queries.catalogue import measures_at

    moment = moment_of(cur, position)
    measure = next(m for m in measures_at(cur, position) if m["measure_code"] == SPC_MEASURE)
    cases = {**endpoint_cases(cur, measure, position, moment),
             **reference_cases(cur, measure, position, moment)}
    return {name: timed(work, runs) for name, work in cases.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    if args.regenerate or not args.path.exists():
        started = time.perf_counter()
        counts = build(args.path)
        print(f"generated {counts['value_versions']:,} value versions in "
              f"{time.perf_counter() - started:.1f} s")
    from concord.allocator import tune_allocator
    from warehouse.asof import resolve_position
    from warehouse.db import Warehouse

    warehouse = Warehouse(args.path)
    warehouse.migrate()
    load_before = os.getloadavg()[0]
    machine = machine_speed(lambda work: round(timed(work, MACHINE_RUNS)["p50"], 1))
    # As run_server does, so the figures are the serving process's; after the machine's
    # workloads, so those stay comparable with runs from before it was set.
    tune_allocator()
    try:
        with warehouse.reading() as cur:
            head = resolve_position(cur, None)
            results = {"now": run_cases(cur, head, args.runs),
                       "as of": run_cases(cur, head // 2, args.runs)}
    finally:
        warehouse.close()
    print(f"positions: now {head}, as of {head // 2}; {args.runs} runs each after {WARM_UP} "
          f"warm-up; {os.cpu_count()} CPUs, load average {load_before:.1f} → "
          f"{os.getloadavg()[0]:.1f}")
    print("machine (ms): " + ", ".join(f"{k} {v}" for k, v in machine.items())
          + "  (bench/machine.py: tells a slower machine from slower code)")
    summary = report(results) | {"machine_ms": machine}
    print(json.dumps(summary))


def report(results: dict[str, dict[str, dict[str, float]]]) -> dict[str, Any]:
    """Print the table; return the summary (as-of ratios from medians, which noise moves
    least)."""
    print(f"{'case':40} {'when':6} {'min':>8} {'p50':>8} {'p95':>8} {'max':>8} "
          f"{'cpu p50':>8}  target")
    for when, cases in results.items():
        for name, t in cases.items():
            target = TARGETS_MS.get(name)
            mark = "" if target is None else f"p95 ≤ {target:.0f} ms" + (
                "  ok" if t["p95"] <= target else "  MISSED")
            print(f"{name:40} {when:6} {t['min']:8.1f} {t['p50']:8.1f} {t['p95']:8.1f} "
                  f"{t['max']:8.1f} {t['cpu_p50']:8.1f}  {mark}")
    ratios = {name: results["as of"][name]["p50"] / results["now"][name]["p50"]
              for name in TARGETS_MS}
    print("as-of / now (medians): " + ", ".join(f"{k} {v:.2f}" for k, v in ratios.items())
          + "  (target ≤ 2)")
    now = results["now"]
    return {
        "overview_p95_ms": round(now["overview"]["p95"], 1),
        "spc_all_members_ms": round(now["spc"]["p95"], 1),
        "funnel_ms": round(now["funnel"]["p95"], 1),
        "as_of_ratio": round(max(ratios.values()), 2),
        "as_of_p95_ms": {name: round(results["as of"][name]["p95"], 1) for name in TARGETS_MS},
        "cpu_p50_ms": {name: round(now[name]["cpu_p50"], 1) for name in TARGETS_MS},
        "load_average": round(os.getloadavg()[0], 1),
    }


if __name__ == "__main__":
    main()
