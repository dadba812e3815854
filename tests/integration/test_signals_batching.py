"""Series the board left alone are charted in one batch; it must find what `xmr` finds."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from warehouse.projections.signals import _one_by_one, _signals
from warehouse.queries.spc_series import ChartSettings, DecisionsInForce

MEASURES = {"up": ("increase", 0.9), "down": ("decrease", 0.2), "no_target": ("increase", None)}


def random_series(seed: int, count: int) -> pa.Table:
    """Levels with noise, steps, ramps and missing months; numbered and sorted as the
    projection reads them."""
    rng = np.random.default_rng(seed)
    rows = []
    for number in range(count):
        org, measure = f"M{number:03d}", list(MEASURES)[number % 3]
        size = int(rng.integers(1, 40))
        months = np.sort(rng.choice(np.arange(24200, 24260), size=size, replace=False))
        step = rng.choice([0.0, 0.0, 0.2, -0.2]) * (np.arange(size) >= rng.integers(0, size))
        ramp = rng.choice([0.0, 0.02, -0.02]) * np.maximum(0, np.arange(size) - size // 2)
        values = np.round(0.5 + rng.normal(0, 0.03, size) + step + ramp, 3)
        improvement, target = MEASURES[measure]
        rows += [{"org_code": org, "measure_code": measure,
                  "period": date(int(m) // 12, int(m) % 12 + 1, 1), "month_index": int(m),
                  "value": float(v), "position": int(rng.integers(1, 10_000)),
                  "improvement": improvement, "target": target, "series": number}
                 for m, v in zip(months, values, strict=True)]
    return pa.Table.from_pylist(rows)


def findings(table: pa.Table) -> set[tuple]:
    return set(zip(*(table.column(n).to_pylist() for n in table.column_names), strict=True))


def test_charting_in_one_batch_finds_the_same_signals_as_charting_each_series() -> None:
    series = random_series(seed=7, count=300)
    bounds = np.flatnonzero(np.diff(series.column("series").to_numpy())) + 1
    starts, stops = [0, *bounds.tolist()], [*bounds.tolist(), series.num_rows]

    batched = findings(_signals(series, DecisionsInForce()))

    expected = set()
    for start, stop in zip(starts, stops, strict=True):
        rows, rules = _one_by_one(series, start, stop, ChartSettings())
        latest = series.slice(start, stop - start)
        for row, rule in zip(rows, rules, strict=True):
            expected.add((series["org_code"][row].as_py(), series["measure_code"][row].as_py(),
                          series["period"][row].as_py(), rule,
                          latest["period"][-1].as_py(),
                          max(latest["position"].to_pylist())))
    assert batched == expected
    assert {f[3] for f in batched} == {"special_cause_concern", "assurance_consistent_fail"}


def test_a_rebase_in_force_charts_that_series_with_its_segments() -> None:
    series = random_series(seed=11, count=30)
    org = series["org_code"][0].as_py()
    measure = series["measure_code"][0].as_py()
    months = [m for o, m in zip(series["org_code"].to_pylist(),
                                series["month_index"].to_pylist(), strict=True) if o == org]
    middle = months[len(months) // 2]
    rebase = date(middle // 12, middle % 12 + 1, 1)
    decisions = DecisionsInForce(rebases={(measure, org): [rebase]}, baselines={})

    plain, rebased = findings(_signals(series, DecisionsInForce())), findings(
        _signals(series, decisions))

    others = {f for f in plain if f[0] != org}
    assert {f for f in rebased if f[0] != org} == others
    rows, rules = _one_by_one(series, 0, len(months), decisions.for_series(measure, org))
    assert {(series["period"][r].as_py(), rule) for r, rule in zip(rows, rules, strict=True)} \
        == {(f[2], f[3]) for f in rebased if f[0] == org}
