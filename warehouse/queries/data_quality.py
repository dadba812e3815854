"""Data quality of a member's returns: completeness and timeliness, period by period.

Reusable beside any performance view (the scorecard shows it next to the measures), and
answerable as of any log position.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import duckdb

from warehouse.sqlfiles import fetch_dicts

DEFAULT_PERIODS = 12


def last_ended_period(moment: datetime) -> date:
    """The latest month that had ended at ``moment``: the newest a return could be due for."""
    first = moment.date().replace(day=1)
    return date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)


def member_data_quality(
    cur: duckdb.DuckDBPyConnection, org_code: str, *, position: int, moment: datetime,
    through: date | None = None, periods: int = DEFAULT_PERIODS,
) -> dict[str, Any]:
    """Per period up to ``through`` (default: the last month ended at ``moment``): measures
    expected of the member, received, completeness, and on_time (``None`` until due), plus
    the rates over those periods: completeness = Σreceived / Σexpected; timeliness = share of
    the periods already due that were complete by their due date."""
    through = through or last_ended_period(moment)
    rows = fetch_dicts(cur, "data_quality.sql", "member_data_quality",
                       [org_code, position, moment, through, periods])
    first = rows[0] if rows else {}
    return {
        "org_code": org_code, "position": position, "through": through.strftime("%Y-%m"),
        "periods": len(rows),
        "completeness_rate": first.get("completeness_rate"),
        "timeliness_rate": first.get("timeliness_rate"),
        "rows": [{k: v for k, v in row.items() if not k.endswith("_rate")} for row in rows],
    }
