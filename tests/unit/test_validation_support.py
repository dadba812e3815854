"""Builders for the validation tests: small RAW_SCHEMA uploads, held values and contexts.

The other ``test_validation_*`` modules import these; the tests here pin down the builders
themselves so a broken helper fails loudly rather than making every check look wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import pyarrow as pa

from ingest.catalogue.model import Catalogue
from ingest.log.actor import Actor
from ingest.returns.columns import INPUT_COLUMNS, RAW_SCHEMA
from ingest.returns.issues import Issue
from ingest.validation.contracts import HELD_SCHEMA, UNLOCKED_SCHEMA, ValidationContext

TODAY = date(2024, 6, 15)
OPEN = "2024-05"  # ended, and open until 2024-07-20 (20 days to due + 30 to lock)
LOCKED = "2024-03"  # locked on 2024-05-20
MEMBER = "R0A"  # an acute trust: every measure of the demo catalogue is expected from it


def row(**cells: str | None) -> dict[str, str | None]:
    """One upload row: a count for R0A in an open month unless told otherwise."""
    defaults = {"org_code": MEMBER, "measure_code": "ae_attendances", "period": OPEN,
                "value": "12000"}
    return {**defaults, **cells}


def ratio(measure: str = "ae_4hr_performance", numerator: str | None = "950",
          denominator: str | None = "1000", **cells: str | None) -> dict[str, str | None]:
    """A ratio-kind row, given as numerator and denominator (no value unless told)."""
    return row(**{"measure_code": measure, "value": None, "numerator": numerator,
                  "denominator": denominator, **cells})


def raw(*rows: Mapping[str, str | None]) -> pa.Table:
    """RAW_SCHEMA as a parser gives it: rows numbered from 2 (the header is row 1)."""
    columns: dict[str, list[Any]] = {"row": list(range(2, len(rows) + 2))}
    for name in INPUT_COLUMNS:
        columns[name] = [r.get(name) for r in rows]
    return pa.table(columns, schema=RAW_SCHEMA)


def held(*values: tuple[str, str, str, float | None, float | None, float | None]) -> pa.Table:
    """HELD_SCHEMA from ``(org, measure, 'YYYY-MM', value, numerator, denominator)``."""
    return pa.Table.from_pylist([
        {"org_code": org, "measure_code": measure, "period": first_day(period), "value": value,
         "numerator": numerator, "denominator": denominator}
        for org, measure, period, value, numerator, denominator in values
    ], schema=HELD_SCHEMA)


def unlocked(org: str, period: str, until: date) -> pa.Table:
    return pa.Table.from_pylist(
        [{"org_code": org, "period": first_day(period), "unlocked_until": until}],
        schema=UNLOCKED_SCHEMA,
    )


def context(catalogue: Catalogue, **changes: Any) -> ValidationContext:
    """An operator's validation on TODAY, for no particular member unless told."""
    settings: dict[str, Any] = {"catalogue": catalogue, "actor": Actor.operator("test"),
                                "today": TODAY}
    return ValidationContext(**{**settings, **changes})


def first_day(period: str) -> date:
    year, month = period.split("-")
    return date(int(year), int(month), 1)


def months_before(period: str, count: int) -> list[str]:
    """The ``count`` months before ``period``, oldest first."""
    start = first_day(period)
    index = start.year * 12 + start.month - 1
    return [f"{(i // 12):04d}-{i % 12 + 1:02d}" for i in range(index - count, index)]


def keys(issues: Iterable[Issue]) -> list[tuple[int, str | None, str]]:
    return [(issue.row, issue.column, issue.code) for issue in issues]


def only(issues: Iterable[Issue], code: str) -> Issue:
    """The one issue with this code; fails listing everything found otherwise."""
    issues = list(issues)
    matching = [issue for issue in issues if issue.code == code]
    assert len(matching) == 1, f"expected one {code}, got {keys(issues)}"
    return matching[0]


def test_raw_rows_are_numbered_as_in_a_spreadsheet() -> None:
    table = raw(row(), ratio(comment="note"))
    assert table.schema == RAW_SCHEMA
    assert table["row"].to_pylist() == [2, 3]
    assert table["value"].to_pylist() == ["12000", None]
    assert table["comment"].to_pylist() == [None, "note"]


def test_months_before_crosses_year_ends() -> None:
    assert months_before("2024-02", 3) == ["2023-11", "2023-12", "2024-01"]
