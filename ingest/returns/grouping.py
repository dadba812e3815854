"""Split checked rows into per-return payloads, column by column (no per-value Python)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from ingest.returns.aggregate import VALUE_COLUMNS, Values

_ORDERED = """
SELECT * FROM checked WHERE change <> 'unchanged'
ORDER BY org_code, strftime(period, '%Y-%m'), change, row
"""
_GROUPS = """
SELECT org_code, strftime(period, '%Y-%m') AS period, change, count(*) AS n
FROM checked WHERE change <> 'unchanged'
GROUP BY ALL ORDER BY org_code, period, change
"""
_UNCHANGED = """
SELECT org_code, strftime(period, '%Y-%m') AS period, count(*) AS n
FROM checked WHERE change = 'unchanged' GROUP BY ALL
"""


@dataclass
class ReturnChanges:
    """What one upload does to one (member, period) return."""

    org_code: str
    period: str
    new: Values | None = None
    changed: Values | None = None
    unchanged: int = 0

    @property
    def new_count(self) -> int:
        return len(self.new["measure_code"]) if self.new else 0

    @property
    def changed_count(self) -> int:
        return len(self.changed["measure_code"]) if self.changed else 0


def group_changes(checked: pa.Table) -> list[ReturnChanges]:
    """One entry per (member, period) touched by the upload, in a stable order."""
    con = duckdb.connect()
    try:
        con.register("checked", checked)
        ordered = con.sql(_ORDERED).to_arrow_table()
        groups = con.execute(_GROUPS).fetchall()
        unchanged = {(o, p): n for o, p, n in con.execute(_UNCHANGED).fetchall()}
    finally:
        con.close()
    by_key: dict[tuple[str, str], ReturnChanges] = {}
    for (org, period, change, _n), values in zip(groups, _slices(ordered, groups), strict=True):
        entry = by_key.setdefault((org, period), ReturnChanges(org, period))
        setattr(entry, "new" if change == "new" else "changed", values)
    for (org, period), n in unchanged.items():
        by_key.setdefault((org, period), ReturnChanges(org, period)).unchanged = n
    return [by_key[key] for key in sorted(by_key)]


def _slices(ordered: pa.Table, groups: list[tuple[Any, ...]]) -> Iterator[Values]:
    offset = 0
    columns = ordered.select(list(VALUE_COLUMNS))
    for *_key, n in groups:
        part = columns.slice(offset, n)
        offset += n
        yield {name: part.column(name).to_pylist() for name in VALUE_COLUMNS}
