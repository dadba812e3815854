"""Figure builders are pure: a table in, a plotly figure out, checked without a browser."""

from __future__ import annotations

import pyarrow as pa

from dashboards.figures import domain_coverage_figure, peer_group_sizes_figure
from dashboards.frames import domain_coverage, peer_group_sizes


def test_peer_group_bars_show_each_group_largest_first() -> None:
    table = peer_group_sizes(
        [
            {"name": "Small", "members": ["A", "B"]},
            {"name": "Large", "members": ["C", "D", "E"]},
            {"name": "Empty", "members": []},
        ]
    )

    figure = peer_group_sizes_figure(table)

    (bars,) = figure.data
    assert bars.type == "bar"
    assert bars.orientation == "h"
    assert list(bars.y) == ["Large", "Small", "Empty"]
    assert list(bars.x) == [3, 2, 0]


def test_peer_group_figure_marks_the_minimum_group_size() -> None:
    table = pa.table({"peer_group": ["Type 1"], "members": [140]})

    figure = peer_group_sizes_figure(table, min_size=3)

    (line,) = figure.layout.shapes
    assert line.x0 == line.x1 == 3
    assert "3" in figure.layout.annotations[0].text


def test_peer_group_figure_without_groups_says_so() -> None:
    table = pa.table({"peer_group": pa.array([], pa.string()), "members": pa.array([], pa.int64())})

    figure = peer_group_sizes_figure(table)

    assert not figure.data
    assert figure.layout.annotations[0].text == "No peer groups defined"


def test_domain_coverage_compares_defined_with_reporting_measures() -> None:
    measures = [
        {"measure_code": "a", "domain": "access"},
        {"measure_code": "b", "domain": "access"},
        {"measure_code": "c", "domain": "clinical_quality"},
    ]
    table = domain_coverage(measures, [{"measure_code": "b"}])

    figure = domain_coverage_figure(table)

    defined, reporting = figure.data
    assert figure.layout.barmode == "group"
    assert list(defined.x) == ["Access", "Clinical quality"]
    assert list(defined.y) == [2, 1]
    assert list(reporting.y) == [1, 0]
    assert reporting.name == "With returns"


def test_domain_coverage_figure_without_measures_says_so() -> None:
    figure = domain_coverage_figure(domain_coverage([], []))

    assert not figure.data
    assert figure.layout.annotations[0].text == "No measures defined"
