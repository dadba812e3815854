"""The warehouse's calendar macros agree with the write side's dates, month by month."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.catalogue.model import ReportingCalendar
from ingest.returns.periods import due_date, lock_date
from warehouse.db import Warehouse


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    migrated = Warehouse(Path(tmp_path_factory.mktemp("calendar")) / "w.duckdb")
    migrated.migrate()
    yield migrated
    migrated.close()


@settings(max_examples=200, deadline=None)
@given(month=st.dates(date(2000, 1, 1), date(2099, 12, 1)).map(lambda d: d.replace(day=1)),
       due_days=st.integers(0, 90), lock_days=st.integers(0, 120))
def test_due_and_lock_dates_match_the_write_side(
    warehouse: Warehouse, month: date, due_days: int, lock_days: int
) -> None:
    calendar = ReportingCalendar("2000-01", due_days, lock_days)
    with warehouse.reading() as cur:
        row = cur.execute("SELECT due_date_of($1, $2), lock_date_of($1, $2, $3)",
                          [month, due_days, lock_days]).fetchall()[0]
    assert row == (due_date(calendar, month), lock_date(calendar, month))


def test_a_day_ends_at_the_next_midnight_utc(warehouse: Warehouse) -> None:
    with warehouse.reading() as cur:
        ends = cur.execute("SELECT end_of_day(DATE '2024-02-29')").fetchall()[0][0]
    assert ends == datetime(2024, 3, 1, tzinfo=UTC)


def test_the_periods_view_uses_the_latest_calendar(warehouse: Warehouse) -> None:
    with warehouse.reading() as cur:
        cur.execute("""
            INSERT INTO catalogue_versions BY NAME
            SELECT 1 AS position, 1 AS version, 'A' AS alliance_code, '{}' AS accountability,
                   TIMESTAMPTZ '2024-01-01 00:00:00+00' AS recorded_at,
                   'cli:t' AS actor, 'h' AS content_hash, 'A' AS alliance_name,
                   DATE '2024-01-01' AS first_period, 15 AS due_days_after_month_end,
                   30 AS lock_days_after_due, 5 AS min_peer_group_size, 't' AS source
        """)
        rows = cur.execute("SELECT period, due_date, locks_on FROM periods ORDER BY period "
                           "LIMIT 2").fetchall()
    assert rows == [(date(2024, 1, 1), date(2024, 2, 15), date(2024, 3, 16)),
                    (date(2024, 2, 1), date(2024, 3, 15), date(2024, 4, 14))]
