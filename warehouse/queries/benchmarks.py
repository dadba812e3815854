"""Alliance and peer-group benchmarks of one measure in one period, as a viewer may see them.

Values, ranks and statistics all come from the macros of sql/definitions/60_benchmarks.sql, so
the visibility rule and the small-number rule are applied in SQL, once, for every endpoint and
export.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from ingest.log.errors import Invalid, NotFound
from warehouse.asof import moment_of, resolve_position
from warehouse.queries.catalogue import measures_at, members_at, peer_groups_at
from warehouse.queries.visibility import Viewer
from warehouse.sqlfiles import fetch_dicts

RATIO_KINDS = frozenset({"proportion", "rate", "ratio"})
POOLED_RATIO = "ratio of sums: Σnumerator / Σdenominator × multiplier over reportable members"
POOLED_MEAN = "mean of the reportable members' values (not a ratio measure, so nothing to pool)"


@dataclass(frozen=True)
class View:
    """Where in the log a view is read (``position``), when it is judged (``moment``: are
    submission windows closed?) and through whose eyes (``viewer``)."""

    position: int
    moment: datetime
    viewer: Viewer

    @property
    def params(self) -> list[Any]:
        """The four arguments every benchmark macro takes, in order."""
        return [self.position, self.moment, self.viewer.member_code, self.viewer.sees_all]


def view_at(cur: duckdb.DuckDBPyConnection, as_of: int | datetime | None, viewer: Viewer) -> View:
    """The view at ``as_of`` (``None``: everything projected so far, judged now)."""
    position = resolve_position(cur, as_of)
    return View(position=position, moment=moment_of(cur, position), viewer=viewer)


def measure_at(cur: duckdb.DuckDBPyConnection, position: int, measure_code: str) -> dict[str, Any]:
    """The measure's definition as the catalogue stood at ``position``; 404 if it had none."""
    for measure in measures_at(cur, position):
        if measure["measure_code"] == measure_code:
            neutral = measure["improvement"] == "neutral"
            return {**measure, "direction_neutral": neutral,
                    "pooled_method": POOLED_RATIO if measure["kind"] in RATIO_KINDS
                    else POOLED_MEAN}
    raise NotFound(f"no measure {measure_code!r} in the catalogue as of position {position}")


def member_at(cur: duckdb.DuckDBPyConnection, position: int, org_code: str) -> dict[str, Any]:
    """The member as the catalogue stood at ``position``; 404 if it was not a member then."""
    for member in members_at(cur, position):
        if member["org_code"] == org_code:
            return member
    raise NotFound(f"no member {org_code!r} in the alliance as of position {position}")


def check_peer_group(cur: duckdb.DuckDBPyConnection, position: int, code: str | None) -> None:
    """Refuse (422) a peer group that the catalogue at ``position`` does not define."""
    if code is None:
        return
    known = [group["peer_group_code"] for group in peer_groups_at(cur, position)]
    if code not in known:
        raise Invalid(f"peer_group {code!r} is not defined as of position {position}; "
                      f"known: {', '.join(known)}", field="peer_group")


def latest_period(cur: duckdb.DuckDBPyConnection, view: View, measure_code: str) -> date | None:
    """The latest period with any value of the measure the viewer may see."""
    rows = fetch_dicts(cur, "benchmarks.sql", "latest_period", [*view.params, measure_code])
    return rows[0]["period"] if rows else None


def measure_benchmarks(
    cur: duckdb.DuckDBPyConnection, view: View, measure_code: str, *,
    period: date | None = None, peer_group: str | None = None,
) -> dict[str, Any]:
    """Alliance statistics, every peer group's statistics (or why they are blank) and each
    member's value, rank and percentile: alliance-wide and in ``peer_group`` (by default
    each member's first peer group)."""
    measure = measure_at(cur, view.position, measure_code)
    check_peer_group(cur, view.position, peer_group)
    period = period or latest_period(cur, view, measure_code)
    members: list[dict[str, Any]] = []
    cells: list[dict[str, Any]] = []
    if period is not None:
        args = [*view.params, measure_code, period]
        members = fetch_dicts(cur, "benchmarks.sql", "benchmark_members", [*args, peer_group])
        cells = fetch_dicts(cur, "benchmarks.sql", "benchmark_cells", args)
    alliance = cells[0] if cells else None
    peer_groups = cells[1:]
    chosen = next((c for c in peer_groups if c["peer_group_code"] == peer_group), None)
    return {
        "measure": measure, "period": period.strftime("%Y-%m") if period else None,
        "position": view.position, "peer_group": peer_group, "alliance": alliance,
        "peer": chosen, "peer_groups": peer_groups, "members": members,
    }
