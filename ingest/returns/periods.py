"""Months as ``YYYY-MM`` and the dates the reporting calendar derives from them."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ingest.catalogue.model import ReportingCalendar
from ingest.log.errors import Invalid

PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_period(text: str) -> date:
    """First day of the month; anything but ``YYYY-MM`` is refused with the expected form."""
    match = PERIOD.match(text or "")
    if not match:
        raise Invalid(f"period {text!r} is not a month: use YYYY-MM, e.g. 2024-03",
                      field="period")
    return date(int(match[1]), int(match[2]), 1)


def month_end(period: date) -> date:
    following = date(period.year + period.month // 12, period.month % 12 + 1, 1)
    return following - timedelta(days=1)


def due_date(calendar: ReportingCalendar, period: date) -> date:
    return month_end(period) + timedelta(days=calendar.due_days_after_month_end)


def lock_date(calendar: ReportingCalendar, period: date) -> date:
    return due_date(calendar, period) + timedelta(days=calendar.lock_days_after_due)
