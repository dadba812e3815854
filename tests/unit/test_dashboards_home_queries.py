"""The home page's queries show only shared values, at the latest position and any past one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from concord.services import Services
from ingest.catalogue.commands import apply_catalogue
from ingest.log.actor import Actor
from ingest.log.clock import simulated_clock
from tests.support.returns import retract, sign_off, submit
from warehouse.queries.home import measure_latest_at, value_totals_at

MARCH = date(2019, 3, 1)
FOUR_HOUR = "ae_4hr_performance"
ATTENDANCES = "ae_attendances"
# March 2019 returns were due 2019-04-20 and lock 2019-05-20: these moments fall in between.
FIRST_DAY = datetime(2019, 5, 1, 9, tzinfo=UTC)
SECOND_DAY = datetime(2019, 5, 2, 9, tzinfo=UTC)


@dataclass(frozen=True)
class History:
    """Log positions of a small March 2019 history, all signed off after its window closed."""

    catalogue: int
    first: int  # RTX 0.8 and AAH 0.7 (plus AAH's attendances)
    latest: int  # RTX restated to 0.9, AAH's 4-hour value retracted


@pytest.fixture
def history(catalogued: Services) -> History:
    catalogue = catalogued.log.head()
    first = submit(catalogued, [
        ("RTX", FOUR_HOUR, "2019-03", None, 800, 1000),
        ("AAH", FOUR_HOUR, "2019-03", None, 700, 1000),
        ("AAH", ATTENDANCES, "2019-03", 1000, None, None),
    ], at=FIRST_DAY)
    submit(catalogued, [("RTX", FOUR_HOUR, "2019-03", None, 900, 1000)], at=SECOND_DAY,
           reason="coding correction")
    retract(catalogued, "AAH", "2019-03", [FOUR_HOUR], at=SECOND_DAY)
    latest = sign_off(catalogued, "AAH", "2019-03", at=SECOND_DAY)
    return History(catalogue=catalogue, first=first, latest=latest)


def _four_hour(rows: list[dict]) -> dict:
    (row,) = [r for r in rows if r["measure_code"] == FOUR_HOUR]
    return row


def test_latest_position_shows_restated_values_without_retracted_ones(
    catalogued: Services, history: History
) -> None:
    cur = catalogued.warehouse.cursor()

    latest = _four_hour(measure_latest_at(cur, history.latest))

    assert latest == {"measure_code": FOUR_HOUR, "latest_period": MARCH,
                      "members_reporting": 1, "median_value": pytest.approx(0.9)}
    assert value_totals_at(cur, history.latest) == {"values_held": 2, "members_reporting": 2,
                                                    "latest_period": MARCH}


def test_past_position_shows_values_as_they_stood_before_restatement(
    catalogued: Services, history: History
) -> None:
    cur = catalogued.warehouse.cursor()

    latest = _four_hour(measure_latest_at(cur, history.first))

    assert latest["members_reporting"] == 2
    assert latest["median_value"] == pytest.approx(0.75)
    assert value_totals_at(cur, history.first)["values_held"] == 3


def test_unsigned_value_stays_hidden_until_its_return_is_signed_off(
    catalogued: Services, history: History
) -> None:
    unsigned = submit(catalogued, [("8J094", FOUR_HOUR, "2019-03", None, 500, 1000)],
                      at=SECOND_DAY, signed_off=False)
    cur = catalogued.warehouse.cursor()

    assert _four_hour(measure_latest_at(cur, unsigned))["members_reporting"] == 1
    assert value_totals_at(cur, unsigned)["values_held"] == 2

    signed = sign_off(catalogued, "8J094", "2019-03", at=SECOND_DAY)

    latest = _four_hour(measure_latest_at(cur, signed))
    assert latest["members_reporting"] == 2
    assert latest["median_value"] == pytest.approx(0.7)
    assert value_totals_at(cur, signed)["values_held"] == 3


@pytest.fixture
def catalogued_in_2019(services: Services, demo_catalogue) -> Services:  # type: ignore[no-untyped-def]
    """The catalogue applied before the returns below, so recorded time runs forward."""
    with simulated_clock(datetime(2019, 4, 1, tzinfo=UTC)):
        apply_catalogue(services.log, demo_catalogue, Actor.operator("test"), source="test")
    services.projector.catch_up()
    return services


def test_past_position_judges_the_submission_window_at_its_own_moment(
    catalogued_in_2019: Services,
) -> None:
    services = catalogued_in_2019
    before_due = submit(services, [("RTX", FOUR_HOUR, "2019-03", None, 900, 1000)],
                        at=datetime(2019, 4, 10, 9, tzinfo=UTC))
    after_due = submit(services, [("AAH", FOUR_HOUR, "2019-03", None, 700, 1000)],
                       at=FIRST_DAY)
    submit(services, [("8J094", FOUR_HOUR, "2019-03", None, 500, 1000)], at=SECOND_DAY,
           signed_off=False)  # so both positions above are in the past
    cur = services.warehouse.cursor()

    assert measure_latest_at(cur, before_due) == []
    assert _four_hour(measure_latest_at(cur, after_due))["members_reporting"] == 2


def test_position_before_any_return_holds_nothing(
    catalogued: Services, history: History
) -> None:
    cur = catalogued.warehouse.cursor()

    assert measure_latest_at(cur, history.catalogue) == []
    assert value_totals_at(cur, history.catalogue) == {"values_held": 0, "members_reporting": 0,
                                                       "latest_period": None}
