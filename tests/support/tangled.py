"""A tangled history of returns, for tests that hold the shared views to their definition:
restatements before and after sign-off, unsigned returns, retractions of signed and unsigned
values, a retraction followed by a resubmission, and an early publication."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from concord.demo.replay import DEMO_LOADER
from concord.services import Services
from ingest.log.clock import simulated_clock
from ingest.returns.lifecycle import publish_period
from tests.support.returns import Row, retract, sign_off, submit

FOUR_HOUR = "ae_4hr_performance"


def when(period: str, day: int = 3) -> datetime:
    """``day`` of the month after ``period``, inside its submission window."""
    year, month = int(period[:4]), int(period[5:7])
    return datetime(year + month // 12, month % 12 + 1, day, 9, 0, tzinfo=UTC)


def attendances(org: str, period: str, value: float) -> Row:
    return (org, "ae_attendances", period, value, None, None)


def tangled_history(services: Services) -> None:
    """Restatements before and after sign-off (of every value or of some), unsigned returns,
    retractions of signed and unsigned values, a retraction followed by a resubmission, and an
    early publication."""
    p1, p2, p3 = "2024-01", "2024-02", "2024-03"
    submit(services, [attendances("RTX", p1, 100), attendances("RXF", p1, 200),
                      ("RTX", FOUR_HOUR, p1, None, 900, 1000)], at=when(p1))
    submit(services, [attendances("RTX", p2, 110)], at=when(p2))
    submit(services, [attendances("RXF", p2, 210), ("RXF", FOUR_HOUR, p2, None, 850, 1000)],
           at=when(p2), signed_off=False)
    submit(services, [attendances("RTX", p1, 101)], at=when(p2, 10), signed_off=False,
           reason="restated after sign-off")
    retract(services, "RXF", p1, ["ae_attendances"], at=when(p2, 12))
    sign_off(services, "RTX", p1, at=when(p2, 13))
    # Only attendances restated again, unsigned: the four-hour value of that return is then
    # found in an event before the latest one its sign-off covers.
    submit(services, [attendances("RTX", p1, 102)], at=when(p2, 14), signed_off=False,
           reason="restated again")
    submit(services, [attendances("RTX", p3, 120), ("RTX", FOUR_HOUR, p3, None, 910, 1000)],
           at=when(p3, 2))
    with simulated_clock(when(p3, 5)):
        publish_period(services.log, DEMO_LOADER, p3, "board meets early")
    services.projector.catch_up()
    retract(services, "RTX", p3, [FOUR_HOUR], at=when(p3, 8))
    submit(services, [("RTX", FOUR_HOUR, p3, None, 920, 1000)], at=when(p3, 9),
           signed_off=False, reason="resubmitted")
    retract(services, "RXF", p2, ["ae_attendances"], at=when(p3, 11))
    submit(services, [attendances("RTX", p2, 111)], at=when(p3, 12), reason="restated")


def judgements(services: Services) -> Iterator[tuple[int, datetime]]:
    """Every position of the log, judged when that event was recorded (windows still open)
    and today (every window of the history closed): where a shared view is held to
    visible_values."""
    now = datetime.now(UTC)
    with services.warehouse.reading() as cur:
        recorded = dict(cur.execute("SELECT position, recorded_at FROM event_index").fetchall())
    for position in range(1, services.log.head() + 1):
        yield position, recorded[position]
        yield position, now

