"""The home page's warehouse queries answer at the latest position and at any past one."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from concord.services import Services
from warehouse.queries.home import measure_latest_at, value_totals_at

MARCH = date(2019, 3, 1)
RECORDED = datetime(2019, 4, 15, tzinfo=UTC)

# (position, return_version, org, value, status): RTX restated at 8, AAH retracted at 9.
VERSIONS = [
    (5, 1, "RTX", 0.8, "submitted"),
    (6, 1, "AAH", 0.7, "submitted"),
    (8, 2, "RTX", 0.9, "submitted"),
    (9, 2, "AAH", 0.7, "retracted"),
]


@pytest.fixture
def restated(services: Services) -> Services:
    return_ids = {"RTX": uuid.uuid4(), "AAH": uuid.uuid4()}
    with services.warehouse.transaction() as cur:
        for position, version, org, value, status in VERSIONS:
            row = [position, return_ids[org], version, org, "ae_4hr_performance", MARCH, value,
                   status, RECORDED, "test"]
            cur.execute(
                "INSERT INTO value_versions (position, return_id, return_version, org_code,"
                " measure_code, period, value, status, recorded_at, actor)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
        cur.execute(
            "INSERT INTO current_values (org_code, measure_code, period, value, status,"
            " recorded_at, actor, position, return_id)"
            " SELECT org_code, measure_code, period, value, status, recorded_at, actor, position,"
            " return_id FROM value_versions"
            " QUALIFY row_number() OVER (PARTITION BY org_code ORDER BY position DESC) = 1"
        )
        cur.execute("UPDATE projection_position SET position = 10 WHERE name = 'main'")
    return services


def test_latest_position_reads_current_values_without_retracted_ones(restated: Services) -> None:
    cur = restated.warehouse.cursor()

    (latest,) = measure_latest_at(cur, 10)

    assert latest == {"measure_code": "ae_4hr_performance", "latest_period": MARCH,
                      "members_reporting": 1, "median_value": pytest.approx(0.9)}
    assert value_totals_at(cur, 10) == {"values_held": 1, "members_reporting": 1,
                                        "latest_period": MARCH}


def test_past_position_shows_values_as_they_stood_before_restatement(restated: Services) -> None:
    cur = restated.warehouse.cursor()

    (latest,) = measure_latest_at(cur, 7)

    assert latest["members_reporting"] == 2
    assert latest["median_value"] == pytest.approx(0.75)
    assert value_totals_at(cur, 7)["values_held"] == 2


def test_position_before_any_return_holds_nothing(restated: Services) -> None:
    cur = restated.warehouse.cursor()

    assert measure_latest_at(cur, 4) == []
    assert value_totals_at(cur, 4) == {"values_held": 0, "members_reporting": 0,
                                       "latest_period": None}
