"""Charts of many plain series at once (spc_many) are each series' own `xmr_columns` chart."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from warehouse.analytics.spc import xmr_columns
from warehouse.analytics.spc_many import plain_charts

point = st.one_of(st.none(), st.floats(-1e3, 1e3), st.sampled_from([0.0, 1.0, 5.0]))
one_series = st.one_of(
    st.lists(point, max_size=40),
    st.lists(st.sampled_from([2.0, 2.0, 3.0, None]), max_size=25),  # ties, constants, runs
    st.integers(0, 30).map(lambda n: [float(i) for i in range(n)]),  # trends
)


@settings(max_examples=60)
@given(series=st.lists(one_series, max_size=6),
       improvement=st.sampled_from(["increase", "decrease", "neutral"]),
       target=st.one_of(st.none(), st.floats(-1e3, 1e3)), screen=st.booleans())
def test_each_chart_equals_the_series_own_chart(
    series: list[list[float | None]], improvement: str, target: float | None, screen: bool,
) -> None:
    charts = plain_charts(series, improvement=improvement, target=target,
                          screen_outliers=screen)

    expected = [xmr_columns(values, improvement=improvement, target=target,
                            screen_outliers=screen) for values in series]
    assert repr(charts) == repr(expected)  # repr: NaN-free, None and -0.0 aware


def test_a_long_series_among_short_ones_keeps_every_signal() -> None:
    rising = [float(i) for i in range(12)]  # a trend, and a shift above the mean
    series = [[1.0], [], [3.0, 1.0, 2.0], rising, [5.0] * 9]

    charts = plain_charts(series, improvement="increase", target=20.0)

    assert [c.variation_icon for c in charts] == [
        xmr_columns(values, improvement="increase", target=20.0).variation_icon
        for values in series]
    assert charts[3].columns["point_type"][-1] == "special_cause_improvement"
    assert charts[1].columns["point_type"] == [] and charts[1].variation_icon is None
