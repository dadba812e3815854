"""SPC charts per member for one measure, drawn with the board's decisions in force.

A series is a member's values of a measure in time order; a missing month is simply not a
point (the chart does not invent it), so rebase months are mapped onto the points present:
a rebase at month M starts the new segment at the first point in M or after it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from typing import Any

import duckdb
import numpy as np
from numpy.typing import NDArray

from warehouse.analytics.spc import POINT_FIELDS, XmrColumns, XmrResult, xmr_columns
from warehouse.analytics.spc_many import plain_charts
from warehouse.queries.visibility import Viewer
from warehouse.sqlfiles import fetch_dicts, first_row, query

Scope = tuple[str, str | None]  # (measure_code, org_code or None for alliance-wide)


@dataclass(frozen=True)
class ChartSettings:
    """What the board decided for one member's chart: where segments start, frozen baseline."""

    rebase_periods: tuple[date, ...] = ()
    fix_after_n_points: int | None = None


@dataclass(frozen=True)
class DecisionsInForce:
    """Rebases and baselines in force, keyed by (measure, member or None for alliance-wide)."""

    rebases: dict[Scope, list[date]] = field(default_factory=dict)
    baselines: dict[Scope, int] = field(default_factory=dict)

    @property
    def measures(self) -> frozenset[str]:
        """Measures with any decision in force."""
        return frozenset(m for m, _ in (*self.rebases, *self.baselines))

    def for_series(self, measure_code: str, org_code: str) -> ChartSettings:
        """Alliance-wide rebases plus the member's own; the member's baseline overrides."""
        periods = {*self.rebases.get((measure_code, None), ()),
                   *self.rebases.get((measure_code, org_code), ())}
        fixed = self.baselines.get((measure_code, org_code),
                                   self.baselines.get((measure_code, None)))
        return ChartSettings(tuple(sorted(periods)), fixed)


def decisions_in_force(cur: duckdb.DuckDBPyConnection, position: int,
                       measure_code: str | None = None) -> DecisionsInForce:
    """The rebases and frozen baselines in force at `position` (of one measure, or of all)."""
    recorded = first_row(cur, query("spc.sql", "any_decision"), [position, measure_code])
    if recorded is None or not recorded[0]:
        return DecisionsInForce({}, {})
    rebases: dict[Scope, list[date]] = defaultdict(list)
    baselines: dict[Scope, int] = {}
    for row in fetch_dicts(cur, "spc.sql", "decisions_in_force", [position, measure_code]):
        scope = (row["measure_code"], row["org_code"])
        if row["kind"] == "rebase":
            rebases[scope].append(row["period"])
        else:
            baselines[scope] = int(row["n_points"])
    return DecisionsInForce(dict(rebases), baselines)


def month_index(period: date) -> int:
    """Months since year 0, as the SQL computes them, so months compare as integers."""
    return period.year * 12 + period.month - 1


def rebase_indices(months: NDArray[np.int64], rebase_periods: tuple[date, ...]) -> list[int]:
    """Index of the first point at or after each rebase month; rebases after the last point
    (or landing on the same point) count once, and a rebase at the first point changes
    nothing."""
    if not rebase_periods or months.size == 0:
        return []
    wanted = np.array([month_index(p) for p in rebase_periods], dtype=np.int64)
    found = np.searchsorted(months, wanted, side="left")
    return sorted({int(i) for i in found if 0 < i < months.size})


def runs(keys: NDArray[Any]) -> list[tuple[int, int]]:
    """[start, stop) of each run of equal keys in a sorted array: one per series."""
    if keys.size == 0:
        return []
    starts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    bounds = [0, *starts.tolist(), int(keys.size)]
    return list(pairwise(bounds))


def chart(values: list[float], months: NDArray[np.int64], settings: ChartSettings, *,
          improvement: str, target: float | None) -> tuple[XmrResult, list[int]]:
    """The XmR chart of one series and the point indices its segments start at."""
    columns, rebase = chart_columns(values, months, settings, improvement=improvement,
                                    target=target)
    return columns.result(), rebase


def chart_columns(values: list[float], months: NDArray[np.int64], settings: ChartSettings, *,
                  improvement: str, target: float | None) -> tuple[XmrColumns, list[int]]:
    """`chart`, with the points column by column (for writing them out)."""
    rebase = rebase_indices(months, settings.rebase_periods)
    result = xmr_columns(values, improvement=improvement, target=target, rebase=rebase,
                         fix_after_n_points=settings.fix_after_n_points)
    return result, rebase


def is_shared(viewer: Viewer) -> bool:
    """The viewer sees only what everyone may see (no member of its own, not an admin), so
    visible_to_all (sql/definitions/50_visibility.sql), proven equal to visible_values for it,
    answers faster."""
    return viewer.member_code is None and not viewer.sees_all


def reads_spans(viewer: Viewer) -> bool:
    """The viewer is not an admin, so visible_to_member (sql/definitions/50_visibility.sql),
    proven equal to visible_values for a member and for the shared viewer, answers faster:
    it reads the shared-span read model instead of grouping every version."""
    return not viewer.sees_all


def member_charts(cur: duckdb.DuckDBPyConnection, viewer: Viewer, measure: dict[str, Any], *,
                  position: int, moment: datetime,
                  org_code: str | None = None) -> list[dict[str, Any]]:
    """One chart per member with values the viewer may see (or for ``org_code`` only); small
    numbers the viewer may not see are no points."""
    code = measure["measure_code"]
    # fetchnumpy: the cursor may still hold an unread result (e.g. of resolve_position).
    if reads_spans(viewer):
        series = cur.execute(query("spc.sql", "member_series"),
                             [position, moment, code, org_code, viewer.member_code]).fetchnumpy()
    else:
        series = cur.execute(query("spc.sql", "visible_series"), [
            position, moment, viewer.member_code, viewer.sees_all, code, org_code,
        ]).fetchnumpy()
    decisions = decisions_in_force(cur, position, code)
    parts = [{name: column[start:stop] for name, column in series.items()}
             for start, stop in runs(series["org_code"])]
    settings = [decisions.for_series(code, str(rows["org_code"][0])) for rows in parts]
    charts = [_member_chart(rows, setting, drawn)
              for rows, setting, drawn in zip(parts, settings,
                                              _drawn(parts, settings, measure), strict=True)]
    if org_code is not None and not charts:
        charts.append(_empty_chart(org_code, decisions, measure))
    return charts


def _drawn(parts: list[dict[str, NDArray[Any]]], settings: list[ChartSettings],
           measure: dict[str, Any]) -> list[tuple[XmrColumns, list[int]]]:
    """Each member's chart and its rebase indices: the members without a board decision all
    at once (spc_many), the others one by one with their decisions."""
    options = {"improvement": measure["improvement"], "target": measure["target"]}
    plain = [i for i, setting in enumerate(settings) if setting == ChartSettings()]
    together = dict(zip(plain, plain_charts([parts[i]["value"].tolist() for i in plain],
                                            **options), strict=True))
    return [(together[i], []) if i in together else
            chart_columns(rows["value"].tolist(), rows["month_index"].astype(np.int64),
                          setting, **options)
            for i, (rows, setting) in enumerate(zip(parts, settings, strict=True))]


def _member_chart(rows: dict[str, NDArray[Any]], settings: ChartSettings,
                  drawn: tuple[XmrColumns, list[int]]) -> dict[str, Any]:
    result, rebase = drawn
    periods = rows["period"].tolist()
    return {
        "org_code": str(rows["org_code"][0]),
        "variation_icon": result.variation_icon,
        "assurance_type": result.assurance_type,
        **_settings_dict(settings),
        "groups": [{**_as_dict(g), "start_period": periods[g.start_index],
                    "end_period": periods[g.end_index]} for g in result.groups],
        "points": _points(periods, result.columns),
        "rebase_indices": rebase,
    }


def _empty_chart(org_code: str, decisions: DecisionsInForce,
                 measure: dict[str, Any]) -> dict[str, Any]:
    settings = decisions.for_series(measure["measure_code"], org_code)
    return {"org_code": org_code, "variation_icon": None, "assurance_type": None,
            **_settings_dict(settings), "groups": [], "points": [], "rebase_indices": []}


def _settings_dict(settings: ChartSettings) -> dict[str, Any]:
    return {"rebase_periods": [p.strftime("%Y-%m") for p in settings.rebase_periods],
            "fix_after_n_points": settings.fix_after_n_points}


def _points(periods: list[str], columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Each point as a dict with its period first, then POINT_FIELDS. Spelt out from the
    chart's columns: a chart of every member holds thousands of points, and copying them out
    of point objects by name took four times as long."""
    return [{"period": period, "value": value, "mean": mean, "lpl": lpl, "upl": upl,
             "relative_to_mean": side, "outside_limits": outside, "close_to_limits": close,
             "special_cause_flag": flag, "point_type": kind}
            for period, value, mean, lpl, upl, side, outside, close, flag, kind in zip(
                periods, *(columns[name] for name in POINT_FIELDS), strict=True)]


def _as_dict(record: Any) -> dict[str, Any]:
    """A slotted dataclass as a dict (``dataclasses.asdict`` deep-copies; this does not)."""
    return {name: getattr(record, name) for name in record.__slots__}
