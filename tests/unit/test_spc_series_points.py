"""A chart column by column (`xmr_columns`) is `xmr`'s chart, and the SPC endpoint writes its
points with every `XmrPoint` field."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from warehouse.analytics.spc import POINT_FIELDS, XmrPoint, xmr, xmr_columns
from warehouse.queries.spc_series import _points

values_strategy = st.lists(st.one_of(st.none(), st.floats(-1e3, 1e3)), max_size=40)


@given(values=values_strategy, improvement=st.sampled_from(["increase", "decrease", "neutral"]),
       target=st.one_of(st.none(), st.floats(-1e3, 1e3)), data=st.data())
def test_columns_hold_the_points_groups_and_icons_of_xmr(
    values: list[float | None], improvement: str, target: float | None, data: st.DataObject,
) -> None:
    rebase = data.draw(st.lists(st.integers(0, max(len(values) - 1, 0)), max_size=3)
                       if values else st.just([]))
    fixed = data.draw(st.one_of(st.none(), st.integers(12, 20)))
    options = {"improvement": improvement, "target": target, "rebase": rebase,
               "fix_after_n_points": fixed}

    expected, chart = xmr(values, **options), xmr_columns(values, **options)

    assert repr(chart.points()) == repr(expected.points)  # repr: NaN-free, None-aware
    assert (chart.groups, chart.variation_icon, chart.assurance_type) == (
        expected.groups, expected.variation_icon, expected.assurance_type)


def test_point_dicts_hold_the_period_then_every_point_field_in_order() -> None:
    chart = xmr_columns([1.0, 2.0, None, 4.0, 3.0], improvement="decrease", target=2.5)
    periods = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]

    points = _points(periods, chart.columns)

    assert XmrPoint.__slots__ == POINT_FIELDS
    assert [list(point) for point in points] == [["period", *POINT_FIELDS]] * len(periods)
    assert points == [{"period": period, **{name: getattr(point, name) for name in POINT_FIELDS}}
                      for period, point in zip(periods, chart.points(), strict=True)]
    assert points[2]["value"] is None and not math.isnan(points[3]["mean"])
