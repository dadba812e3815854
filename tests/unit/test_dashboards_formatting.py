"""How the dashboards word numbers, periods, filters and 'as of' requests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from dashboards.formatting import (
    NO_VALUE,
    format_moment,
    format_period,
    format_value,
    humanize,
    improvement_label,
)
from dashboards.frames import filter_members, measures_by_domain, member_rows
from warehouse.asof import parse_as_of


@pytest.mark.parametrize(
    ("value", "kind", "unit", "shown"),
    [
        (0.95, "proportion", "%", "95%"),
        (0.037, "proportion", "%", "3.7%"),
        (0.82149, "proportion", "%", "82.1%"),
        (12345.0, "count", "attendances", "12,345 attendances"),
        (1.0, "ratio", "ratio", "1.00"),
        (3.456, "rate", "per 1,000 bed days", "3.46 per 1,000 bed days"),
        (4512.4, "currency", "£", "£4,512"),
        (7.25, "score", "score (0-10)", "7.25"),
        (4.5, "mean", "days", "4.5 days"),
        (None, "proportion", "%", NO_VALUE),
    ],
)
def test_values_read_as_their_kind_and_unit(
    value: float | None, kind: str, unit: str, shown: str
) -> None:
    assert format_value(value, kind, unit) == shown


def test_periods_moments_and_codes_read_as_words() -> None:
    assert format_period(date(2019, 3, 1)) == "Mar 2019"
    assert format_period(None) == NO_VALUE
    assert format_moment(datetime(2024, 5, 1, 9, 5, tzinfo=UTC)) == "1 May 2024, 09:05 UTC"
    assert humanize("clinical_quality") == "Clinical quality"
    assert improvement_label("increase") == "↑ Higher is better"
    assert improvement_label("sideways") == "Sideways"


def test_as_of_is_a_position_or_a_time() -> None:
    assert parse_as_of(None) is None
    assert parse_as_of(" ") is None
    assert parse_as_of("42") == 42
    assert parse_as_of("2024-05-01T09:00") == datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    plus_one = timezone(timedelta(hours=1))
    assert parse_as_of("2024-05-01T09:00+01:00") == datetime(2024, 5, 1, 9, 0, tzinfo=plus_one)


def test_unreadable_as_of_is_refused_with_an_example() -> None:
    with pytest.raises(ValueError, match="log position"):
        parse_as_of("last-tuesday")


def test_member_rows_name_their_peer_groups() -> None:
    rows = member_rows(
        [{"org_code": "RTX", "name": "Trust X", "member_type": "acute_trust",
          "peer_groups": ["t1", "gone"]}],
        [{"peer_group_code": "t1", "name": "Type 1"}],
    )

    assert rows == [{"code": "RTX", "name": "Trust X", "type": "Acute trust",
                     "peer_groups": "Type 1, gone"}]


def test_member_filter_matches_every_word_in_any_column() -> None:
    rows = [
        {"code": "RTX", "name": "Trust X", "type": "Acute trust", "peer_groups": "Type 1, Large"},
        {"code": "AAH", "name": "Unit H", "type": "Community", "peer_groups": "Urgent care, Small"},
    ]

    assert filter_members(rows, "") == rows
    assert filter_members(rows, "rtx") == [rows[0]]
    assert filter_members(rows, "urgent SMALL") == [rows[1]]
    assert filter_members(rows, "urgent large") == []


def test_measures_group_by_domain_in_catalogue_order() -> None:
    measures = [
        {"domain": "access", "n": 1},
        {"domain": "cost", "n": 2},
        {"domain": "access", "n": 3},
    ]

    grouped = measures_by_domain(measures)

    assert list(grouped) == ["access", "cost"]
    assert [m["n"] for m in grouped["access"]] == [1, 3]
