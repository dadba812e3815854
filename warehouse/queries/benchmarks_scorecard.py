"""One member's scorecard: every measure's value against its target, the alliance and a peer
group, with the data quality of the member's returns beside its performance."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from ingest.log.errors import NotFound
from warehouse.queries.benchmarks import View, check_peer_group, member_at
from warehouse.queries.data_quality import member_data_quality
from warehouse.sqlfiles import fetch_dicts

DATA_QUALITY_PERIODS = 12


def scorecard_period(cur: duckdb.DuckDBPyConnection, view: View, org_code: str) -> date:
    """The latest period with any of the member's values the viewer may see."""
    rows = fetch_dicts(cur, "benchmarks.sql", "latest_member_period", [*view.params, org_code])
    if not rows or rows[0]["period"] is None:
        raise NotFound(f"no values from {org_code} are visible as of position {view.position}; "
                       "give a period")
    return rows[0]["period"]  # type: ignore[no-any-return]


def member_scorecard(
    cur: duckdb.DuckDBPyConnection, view: View, org_code: str, *,
    period: date | None = None, peer_group: str | None = None,
) -> dict[str, Any]:
    """Every measure for ``org_code`` in ``period`` (default: its latest visible), ranked in
    the alliance and in ``peer_group`` (default: the member's first peer group)."""
    member = member_at(cur, view.position, org_code)
    check_peer_group(cur, view.position, peer_group)
    chosen = peer_group or (member["peer_groups"][0] if member["peer_groups"] else None)
    period = period or scorecard_period(cur, view, org_code)
    measures = fetch_dicts(cur, "benchmarks.sql", "scorecard",
                           [*view.params, org_code, period, chosen])
    quality = member_data_quality(cur, org_code, position=view.position, moment=view.moment,
                                  through=period, periods=DATA_QUALITY_PERIODS)
    return {
        "member": member, "period": period.strftime("%Y-%m"), "position": view.position,
        "peer_group": chosen, "measures": measures,
        "data_quality": {key: quality[key] for key in (
            "through", "periods", "completeness_rate", "timeliness_rate")},
    }
