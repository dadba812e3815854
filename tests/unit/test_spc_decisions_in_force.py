"""Which decisions a member's chart uses, and where a rebase month lands among its points."""

from __future__ import annotations

from datetime import date

import numpy as np

from warehouse.queries.spc_series import DecisionsInForce, month_index, rebase_indices, runs

MEASURE = "ae_4hr_performance"


def months(*periods: str) -> np.ndarray:
    return np.array([month_index(date(int(p[:4]), int(p[5:7]), 1)) for p in periods])


def test_a_member_chart_uses_alliance_wide_rebases_and_its_own() -> None:
    decisions = DecisionsInForce(
        rebases={(MEASURE, None): [date(2018, 1, 1)], (MEASURE, "RTX"): [date(2017, 7, 1)],
                 (MEASURE, "RAJ"): [date(2017, 3, 1)]},
        baselines={})

    settings = decisions.for_series(MEASURE, "RTX")

    assert settings.rebase_periods == (date(2017, 7, 1), date(2018, 1, 1))
    assert decisions.for_series("shmi", "RTX").rebase_periods == ()


def test_a_member_baseline_overrides_the_alliance_wide_one() -> None:
    decisions = DecisionsInForce(rebases={},
                                 baselines={(MEASURE, None): 12, (MEASURE, "RTX"): 18})

    assert decisions.for_series(MEASURE, "RTX").fix_after_n_points == 18
    assert decisions.for_series(MEASURE, "RAJ").fix_after_n_points == 12
    assert decisions.for_series("shmi", "RAJ").fix_after_n_points is None


def test_a_rebase_month_maps_to_the_first_point_on_or_after_it() -> None:
    points = months("2017-11", "2017-12", "2018-02", "2018-03")

    assert rebase_indices(points, (date(2018, 2, 1),)) == [2]
    assert rebase_indices(points, (date(2018, 1, 1),)) == [2]  # January is missing
    assert rebase_indices(points, (date(2018, 1, 1), date(2018, 2, 1))) == [2]


def test_rebases_at_the_first_point_or_after_the_last_change_nothing() -> None:
    points = months("2017-11", "2017-12")

    assert rebase_indices(points, (date(2017, 1, 1), date(2017, 11, 1), date(2019, 1, 1))) == []
    assert rebase_indices(months(), (date(2017, 1, 1),)) == []


def test_runs_split_a_sorted_key_column_into_series() -> None:
    assert runs(np.array([0, 0, 1, 1, 1, 4])) == [(0, 2), (2, 5), (5, 6)]
    assert runs(np.array([], dtype=np.int64)) == []
