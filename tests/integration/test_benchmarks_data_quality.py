"""Completeness and timeliness of a member's returns, from returns sent at simulated moments.

RTX sends January complete before its due date, February in two parts (the second after the
due date) and March not at all; the rates follow from the event times alone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from concord.services import Services
from ingest.log.actor import Actor, Role
from ingest.log.clock import simulated_clock
from ingest.parsing import parse_upload
from ingest.returns.commands import Submission, submit_returns
from warehouse.queries.data_quality import last_ended_period, member_data_quality

LOADER = Actor(id="system:test-loader", role=Role.ADMIN)
HEADER = "org_code,measure_code,period,value,numerator,denominator,comment\n"


def _rows(services: Services, org: str, period: str, measures: slice) -> str:
    lines = [f"{org},{m.code},{period},,10,100," if m.is_ratio else f"{org},{m.code},{period},5,,,"
             for m in services.catalogue().measures[measures]]
    return HEADER + "\n".join(lines) + "\n"


def _send(services: Services, text: str, moment: datetime) -> int:
    with simulated_clock(moment):
        report = submit_returns(services.log, services.catalogue(), services.held_returns(),
                                Submission(raw=parse_upload(text.encode(), filename="r.csv"),
                                           actor=LOADER, source="test"),
                                today=moment.date())
    assert report.accepted, report.message
    services.projector.catch_up()
    return report.position  # type: ignore[return-value]


@pytest.fixture
def sent(catalogued: Services) -> dict[str, int]:
    at = {"january": _send(catalogued, _rows(catalogued, "RTX", "2024-01", slice(None)),
                           datetime(2024, 2, 10, 9, tzinfo=UTC)),
          "february_part": _send(catalogued, _rows(catalogued, "RTX", "2024-02", slice(0, 3)),
                                 datetime(2024, 3, 10, 9, tzinfo=UTC))}
    at["february_rest"] = _send(catalogued, _rows(catalogued, "RTX", "2024-02", slice(3, None)),
                                datetime(2024, 3, 25, 9, tzinfo=UTC))
    return at


def _quality(services: Services, position: int, moment: datetime) -> dict:
    with services.warehouse.reading() as cur:
        return member_data_quality(cur, "RTX", position=position, moment=moment,
                                   through=date(2024, 3, 1), periods=3)


def test_completeness_and_timeliness_follow_the_event_times(catalogued, sent) -> None:
    quality = _quality(catalogued, sent["february_rest"], datetime(2024, 4, 25, tzinfo=UTC))
    rows = {r["period"]: r for r in quality["rows"]}

    assert [(r["expected"], r["received"]) for r in quality["rows"]] == [(18, 18)] * 2 + [(18, 0)]
    assert [rows[p]["on_time"] for p in ("2024-01", "2024-02", "2024-03")] == [True, False, False]
    assert quality["completeness_rate"] == pytest.approx(36 / 54)
    assert quality["timeliness_rate"] == pytest.approx(1 / 3)


def test_a_period_not_yet_due_is_not_counted_late(catalogued, sent) -> None:
    quality = _quality(catalogued, sent["february_rest"], datetime(2024, 4, 1, tzinfo=UTC))

    assert quality["rows"][-1]["on_time"] is None  # March is due on 20 April
    assert quality["timeliness_rate"] == pytest.approx(1 / 2)


def test_an_earlier_position_sees_only_what_had_arrived(catalogued, sent) -> None:
    quality = _quality(catalogued, sent["february_part"], datetime(2024, 3, 12, tzinfo=UTC))
    february = quality["rows"][1]

    assert (february["received"], february["on_time"]) == (3, None)
    assert february["completeness"] == pytest.approx(3 / 18)


def test_the_default_window_ends_with_the_last_month_that_has_ended() -> None:
    assert last_ended_period(datetime(2024, 1, 5, tzinfo=UTC)) == date(2023, 12, 1)
    assert last_ended_period(datetime(2024, 3, 31, tzinfo=UTC)) == date(2024, 2, 1)
