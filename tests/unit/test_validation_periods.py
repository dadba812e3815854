"""Validation of the month a row reports: its form, the calendar, and the lock."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.catalogue.model import Catalogue
from ingest.validation import validate
from tests.unit.test_validation_support import (
    LOCKED,
    TODAY,
    context,
    keys,
    only,
    raw,
    row,
    unlocked,
)


@pytest.mark.parametrize(("given", "guess"), [
    ("03/2024", "2024-03"),
    ("2024-3", "2024-03"),
    ("2024-03-01", "2024-03"),
    ("Mar 2024", "2024-03"),
    ("March 2024", "2024-03"),
    ("01/03/2024", "2024-03"),  # UK order: day first
    ("45352", "2024-03"),  # an Excel date serial that lost its format
])
def test_other_date_formats_are_bad_period_with_the_month_meant(
    demo_catalogue: Catalogue, given: str, guess: str
) -> None:
    result = validate(raw(row(period=given)), context(demo_catalogue))
    issue = only(result.errors, "bad_period")
    assert (issue.row, issue.column) == (2, "period")
    assert f"period '{given}' is not a month in the form YYYY-MM" in issue.message
    assert issue.message.endswith(f"did you mean {guess}?")


@pytest.mark.parametrize("given", ["2024-13", "2024-00", "last month", "2024"])
def test_unreadable_period_names_the_expected_form(demo_catalogue: Catalogue,
                                                   given: str) -> None:
    issue = only(validate(raw(row(period=given)), context(demo_catalogue)).errors, "bad_period")
    assert "YYYY-MM (month 01 to 12)" in issue.message
    assert "write it like 2024-03" in issue.message


def test_period_before_the_first_reporting_month_is_bad_period(
    demo_catalogue: Catalogue,
) -> None:
    issue = only(validate(raw(row(period="2016-03")), context(demo_catalogue)).errors,
                 "bad_period")
    assert (issue.row, issue.column) == (2, "period")
    assert "before this alliance's first reporting month, 2016-04" in issue.message


def test_empty_period_is_missing_period(demo_catalogue: Catalogue) -> None:
    result = validate(raw(row(period=None)), context(demo_catalogue))
    assert keys(result.errors) == [(2, "period", "missing_period")]


@pytest.mark.parametrize("period", ["2024-06", "2024-07", "2031-01"])
def test_a_month_that_has_not_ended_is_future_period(demo_catalogue: Catalogue,
                                                     period: str) -> None:
    result = validate(raw(row(period=period)), context(demo_catalogue))
    issue = only(result.errors, "future_period")
    assert (issue.row, issue.column) == (2, "period")
    assert f"period {period} has not ended yet (today is 2024-06-15)" in issue.message


def test_last_month_can_be_submitted_on_the_first_of_this_month(
    demo_catalogue: Catalogue,
) -> None:
    result = validate(raw(row(period="2024-05")), context(demo_catalogue, today=date(2024, 6, 1)))
    assert result.errors == []


def test_locked_period_names_the_lock_date_and_the_admin(demo_catalogue: Catalogue) -> None:
    result = validate(raw(row(period=LOCKED)), context(demo_catalogue))
    issue = only(result.errors, "locked_period")
    assert (issue.row, issue.column) == (2, "period")
    assert "the return for R0A 2024-03 locked on 2024-05-20" in issue.message
    assert "ask an alliance admin to unlock it" in issue.message


def test_a_return_is_open_on_its_lock_date_and_locked_the_day_after(
    demo_catalogue: Catalogue,
) -> None:
    # 2024-04 ends on the 30th; due 20 days later (2024-05-20), locked 30 days after that.
    on_lock_date = validate(raw(row(period="2024-04")),
                            context(demo_catalogue, today=date(2024, 6, 19)))
    day_after = validate(raw(row(period="2024-04")),
                         context(demo_catalogue, today=date(2024, 6, 20)))
    assert on_lock_date.errors == []
    assert keys(day_after.errors) == [(2, "period", "locked_period")]


def test_an_unlocked_return_may_change_until_its_unlock_ends(demo_catalogue: Catalogue) -> None:
    upload = raw(row(period=LOCKED))
    still_open = context(demo_catalogue, unlocked=unlocked("R0A", LOCKED, TODAY))
    expired = context(demo_catalogue, unlocked=unlocked("R0A", LOCKED, date(2024, 6, 14)))
    other_member = context(demo_catalogue, unlocked=unlocked("RTX", LOCKED, TODAY))
    assert validate(upload, still_open).errors == []
    assert keys(validate(upload, expired).errors) == [(2, "period", "locked_period")]
    assert keys(validate(upload, other_member).errors) == [(2, "period", "locked_period")]
