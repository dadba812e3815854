"""Load NHS England's monthly A&E file as demo returns, reporting every departure from it.

The file is real published data, so the loader changes as little as it can and says exactly
what it changed: one member per ODS code, department types summed per month, three measures.
The SQL (and the rule for impossible rows) lives in ``concord/demo/sql/nhs_ae.sql``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb
import pyarrow as pa

from concord.demo.long_format import demo_query, to_long

DEMO_CSV = Path(__file__).resolve().parent / "data" / "nhs_ae_attendances.csv"
AE_MEASURES = ("ae_4hr_performance", "ae_admission_share", "ae_attendances")
SQL_FILE = "nhs_ae.sql"

NoteAction = Literal["adjusted", "refused", "gap"]
NO_ATTENDANCES = "no attendances, proportions undefined"


class AeFileError(ValueError):
    """The CSV does not have the shape the adjustment rules were written for."""


@dataclass(frozen=True)
class AdjustmentNote:
    """One departure from the published file: what the loader did, where, and why.

    ``period`` and ``department_type`` are ``None`` when the note concerns a member's whole
    series (a gap) or all its departments (a refused month).
    """

    org_code: str
    period: str | None
    department_type: str | None
    what: str
    why: str
    action: NoteAction


@dataclass(frozen=True)
class GapSummary:
    """How many member series are incomplete, and how; gaps are kept, never filled."""

    members: int
    starting_late: int
    ending_early: int
    missing_inside: int
    member_months_absent: int


@dataclass(frozen=True)
class AeLoad:
    """The A&E returns in ``LONG_SCHEMA`` and the report of everything the loader changed."""

    rows: pa.Table
    report: list[AdjustmentNote]
    gaps: GapSummary = field(default_factory=lambda: GapSummary(0, 0, 0, 0, 0))

    def notes(self, action: NoteAction) -> list[AdjustmentNote]:
        return [note for note in self.report if note.action == action]


def load_ae_returns(csv_path: Path = DEMO_CSV) -> AeLoad:
    """Read the A&E CSV into long returns; real values pass through except where reported."""
    with duckdb.connect() as con:
        con.execute(demo_query(SQL_FILE, "create_departments"), [str(csv_path)])
        unreadable = _records(con, "unreadable_rows")[0]["rows"]
        if unreadable:
            raise AeFileError(f"{csv_path}: {unreadable} rows lack a key or have a bad count")
        con.execute(demo_query(SQL_FILE, "create_member_months"))
        rows = to_long(con.sql(demo_query(SQL_FILE, "long_rows")).to_arrow_table())
        adjusted = [_adjustment_note(r) for r in _records(con, "adjustments")]
        refused = [_refusal_note(r) for r in _records(con, "refused_months")]
        gap_rows = _records(con, "gaps")
    return AeLoad(
        rows=rows,
        report=adjusted + refused + [_gap_note(r) for r in gap_rows],
        gaps=_gap_summary(gap_rows),
    )


def ae_summary(load: AeLoad) -> str:
    """Human-readable lines for the CLI and README: the size of the load and every departure."""
    members = len(set(load.rows.column("org_code").to_pylist()))
    adjusted, refused = load.notes("adjusted"), load.notes("refused")
    gaps = load.gaps
    lines = [
        f"NHS A&E returns: {load.rows.num_rows:,} rows for {members} members "
        "(real data; values unchanged except as listed)",
        f"refused {len(refused)} member-months: {NO_ATTENDANCES}",
        f"adjusted {len(adjusted)} department row{'' if len(adjusted) == 1 else 's'}"
        + "".join(f"\n  - {n.org_code} {n.period} type {n.department_type}: {n.what} ({n.why})"
                  for n in adjusted),
        f"{gaps.members} members have gaps: {gaps.starting_late} start late, "
        f"{gaps.ending_early} end early, {gaps.missing_inside} miss months in between; "
        f"{gaps.member_months_absent:,} member-months absent, none imputed",
    ]
    return "\n".join(lines)


def _records(con: duckdb.DuckDBPyConnection, name: str) -> list[dict[str, Any]]:
    """A (small) named query's rows as dicts: only report-sized results go through Python."""
    return con.sql(demo_query(SQL_FILE, name)).to_arrow_table().to_pylist()


def _adjustment_note(row: dict[str, Any]) -> AdjustmentNote:
    return AdjustmentNote(
        org_code=row["org_code"],
        period=row["period"],
        department_type=row["department_type"],
        what=(
            f"{row['field']} capped at attendances: {row['reported']} reported, "
            f"{row['kept']} kept, so the member's month counts {row['reported'] - row['kept']} "
            f"fewer {row['field']}"
        ),
        why=f"{row['reported']} {row['field']} > {row['attendances']} attendances is impossible",
        action="adjusted",
    )


def _refusal_note(row: dict[str, Any]) -> AdjustmentNote:
    return AdjustmentNote(
        org_code=row["org_code"],
        period=row["period"],
        department_type=None,
        what="no ae_4hr_performance or ae_admission_share row (ae_attendances = 0 kept)",
        why=NO_ATTENDANCES,
        action="refused",
    )


def _gap_note(row: dict[str, Any]) -> AdjustmentNote:
    how = [f"held {row['first_held']} to {row['last_held']}"]
    if row["missing_inside"]:
        how.append(f"{row['missing_inside']} months missing in between")
    return AdjustmentNote(
        org_code=row["org_code"],
        period=None,
        department_type=None,
        what=f"gap kept: {row['months_absent']} months absent ({'; '.join(how)})",
        why="the file has no row for those months; a missing month is not a zero",
        action="gap",
    )


def _gap_summary(rows: list[dict[str, Any]]) -> GapSummary:
    return GapSummary(
        members=len(rows),
        starting_late=sum(r["starts_late"] for r in rows),
        ending_early=sum(r["ends_early"] for r in rows),
        missing_inside=sum(r["missing_inside"] > 0 for r in rows),
        member_months_absent=sum(r["months_absent"] for r in rows),
    )
