"""What moved since a snapshot: the values of one measure a viewer sees differently now than
at log position N (a board's meeting), from what to what, who, when and why."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from ingest.log.errors import Invalid
from warehouse.asof import moment_of
from warehouse.queries.benchmarks import View, measure_at
from warehouse.sqlfiles import fetch_dicts


def restated_since(
    cur: duckdb.DuckDBPyConnection, view: View, measure_code: str, since: int, *,
    period: date | None = None,
) -> dict[str, Any]:
    """Changes between snapshot ``since`` and ``view.position``: values restated or retracted
    since, and values added late to a period that already had values at ``since``. Each side
    is shown only as the viewer may see it (small numbers of others suppressed)."""
    measure_at(cur, view.position, measure_code)
    if since > view.position:
        raise Invalid(f"position {since} is after the position read ({view.position})",
                      field="position")
    params = [since, moment_of(cur, since), view.position, view.moment,
              view.viewer.member_code, view.viewer.sees_all, measure_code, period]
    changes = fetch_dicts(cur, "benchmarks.sql", "restated_since", params)
    return {
        "measure_code": measure_code, "since": since, "position": view.position,
        "period": period.strftime("%Y-%m") if period else None, "changes": changes,
    }
