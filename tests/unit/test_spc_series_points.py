"""A chart's points, as the SPC endpoint writes them, carry every field of `XmrPoint`."""

from __future__ import annotations

from warehouse.analytics.spc import XmrPoint, xmr
from warehouse.queries.spc_series import POINT_FIELDS, _points


def test_point_dicts_hold_the_period_then_every_point_field_in_order() -> None:
    result = xmr([1.0, 2.0, None, 4.0, 3.0], improvement="decrease", target=2.5)
    periods = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]

    points = _points(periods, result.points)

    assert XmrPoint.__slots__ == POINT_FIELDS
    assert [list(point) for point in points] == [["period", *POINT_FIELDS]] * len(periods)
    assert points == [{"period": period, **{name: getattr(point, name) for name in POINT_FIELDS}}
                      for period, point in zip(periods, result.points, strict=True)]
