"""Funnel plot of one measure and month across members, from the values the viewer may see.

Units are members with a visible value; those whose denominator is too small to compare
fairly are left out of the funnel for everyone and listed with the reason instead.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import duckdb
import numpy as np
from numpy.typing import NDArray

from ingest.log.errors import Invalid
from ingest.returns.periods import parse_period
from warehouse.analytics.funnel import FunnelResult, classify, funnel
from warehouse.queries.spc_series import is_shared, reads_spans
from warehouse.queries.visibility import Viewer, visible_values
from warehouse.sqlfiles import fetch_dicts, query

DATA_TYPE_BY_KIND = {"proportion": "PR", "ratio": "SR"}
UNIT_FIELDS = ("numerator", "denominator", "ratio", "zscore", "lcl95", "ucl95", "lcl998",
               "ucl998", "outside95", "outside998")
CURVE_FIELDS = ("denominators", "lcl95", "ucl95", "lcl998", "ucl998")


def funnel_data_type(measure: dict[str, Any], requested: str | None) -> str:
    """PR for proportions, SR for observed/expected ratios; other kinds have no funnel."""
    natural = DATA_TYPE_BY_KIND.get(measure["kind"])
    if natural is None:
        raise Invalid(
            f"{measure['measure_code']} is a {measure['kind']} measure: funnel plots are drawn "
            "for proportions (PR) and observed/expected ratios such as SHMI (SR) only",
            field="data_type")
    if requested is not None and requested != natural:
        raise Invalid(f"{measure['measure_code']} is a {measure['kind']} measure, so its funnel "
                      f"is {natural}, not {requested}", field="data_type")
    return natural


def suppression_reasons(numerators: NDArray[np.float64], denominators: NDArray[np.float64],
                        threshold: int | None) -> list[str | None]:
    """Why each unit is kept out of the funnel, or None to keep it.

    The one small-number rule of this endpoint (a general suppression layer may replace it):
    a denominator below the measure's ``small_number_threshold`` is left out for everyone.
    """
    missing = np.isnan(numerators) | np.isnan(denominators)
    small = np.zeros(denominators.shape, dtype=bool) if threshold is None else (
        ~missing & (denominators < threshold))
    empty = ~missing & (denominators <= 0)
    reasons: list[str | None] = [None] * len(denominators)
    for i in np.flatnonzero(missing | small | empty).tolist():
        if missing[i]:
            reasons[i] = "no numerator and denominator"
        elif small[i]:
            reasons[i] = f"denominator below the small-number threshold of {threshold}"
        else:
            reasons[i] = "denominator is zero"
    return reasons


def latest_visible_period(cur: duckdb.DuckDBPyConnection, viewer: Viewer, measure_code: str, *,
                          position: int, moment: datetime) -> str | None:
    """The month a funnel shows when none is asked for."""
    if reads_spans(viewer):  # a member, or the shared viewer (no member)
        row = cur.execute(query("spc.sql", "latest_member_period"), [
            position, moment, viewer.member_code, measure_code]).fetchall()
    else:
        row = cur.execute(query("spc.sql", "latest_visible_period"), [
            position, moment, viewer.member_code, viewer.sees_all, measure_code]).fetchall()
    return row[0][0] if row else None


def funnel_plot(cur: duckdb.DuckDBPyConnection, viewer: Viewer, measure: dict[str, Any],
                period: str | None, *, data_type: str, position: int, moment: datetime
                ) -> tuple[str | None, dict[str, Any]]:
    """The funnel of ``period`` (YYYY-MM), or of the latest month with a value the viewer may
    see, and that month. The shared viewer's is read by shared_month_rows."""
    if not is_shared(viewer):
        period = period or latest_visible_period(cur, viewer, measure["measure_code"],
                                                 position=position, moment=moment)
        return period, funnel_for_period(cur, viewer, measure, period and parse_period(period),
                                         data_type=data_type, position=position, moment=moment)
    rows = shared_month_rows(cur, measure["measure_code"], period and parse_period(period),
                             position=position, moment=moment)
    period = period or (rows[0]["period"] if rows else None)
    return period, _funnel_of(rows, measure, period and parse_period(period),
                              data_type=data_type)


def shared_month_rows(cur: duckdb.DuckDBPyConnection, measure_code: str, period: date | None,
                      *, position: int, moment: datetime) -> list[dict[str, Any]]:
    """What the shared viewer sees of a measure in ``period`` (None: the latest month with a
    value), member by member (org_code, period as YYYY-MM, numerator, denominator), read from
    the shared spans (definitions/50_visibility.sql)."""
    if period is None:
        return fetch_dicts(cur, "spc.sql", "shared_latest_month_values",
                           [position, moment, measure_code])
    return fetch_dicts(cur, "spc.sql", "shared_month_values",
                       [position, moment, measure_code, period])


def funnel_for_period(cur: duckdb.DuckDBPyConnection, viewer: Viewer, measure: dict[str, Any],
                      period: date | None, *, data_type: str, position: int,
                      moment: datetime) -> dict[str, Any]:
    """The funnel (target, φ, τ², limits, labels) and the members left out, with reasons.

    With no period (nothing visible yet) or no unit left, the answer has no units."""
    if period is None:
        return _funnel_of([], measure, None, data_type=data_type)
    if is_shared(viewer):
        rows = shared_month_rows(cur, measure["measure_code"], period, position=position,
                                 moment=moment)
    else:
        rows = visible_values(cur, viewer, position=position, moment=moment,
                              measure_code=measure["measure_code"], period=period)
    return _funnel_of(rows, measure, period, data_type=data_type)


def _funnel_of(rows: list[dict[str, Any]], measure: dict[str, Any], period: date | None, *,
               data_type: str) -> dict[str, Any]:
    """The funnel of the members' values of one month (rows with org_code, numerator and
    denominator), small numbers left out and listed."""
    answer: dict[str, Any] = {"data_type": data_type, "multiplier": measure["multiplier"],
                              "improvement": measure["improvement"], "suppressed": [],
                              "target": None, "phi": None, "tau2": None, "adjusted": False,
                              "units": [], "curve": {name: [] for name in CURVE_FIELDS}}
    if period is None:
        return answer
    orgs = [r["org_code"] for r in rows]
    num = np.array([_number(r["numerator"]) for r in rows], dtype=np.float64)
    den = np.array([_number(r["denominator"]) for r in rows], dtype=np.float64)
    reasons = suppression_reasons(num, den, measure["small_number_threshold"])
    kept = [i for i, reason in enumerate(reasons) if reason is None]
    answer["suppressed"] = [{"org_code": orgs[i], "reason": reason}
                            for i, reason in enumerate(reasons) if reason is not None]
    if not kept:
        return answer
    try:
        result = funnel([orgs[i] for i in kept], num[kept], den[kept], data_type=data_type,
                        multiplier=measure["multiplier"])
    except ValueError as exc:
        raise Invalid(f"no funnel for {measure['measure_code']} {period:%Y-%m}: {exc}") from None
    return answer | _result_dict(result, measure["improvement"])


def _result_dict(result: FunnelResult, improvement: str) -> dict[str, Any]:
    labels = classify(result, improvement)
    units = [{"org_code": u.unit, **{f: _finite(getattr(u, f)) for f in UNIT_FIELDS},
              "classification": labels[u.unit]} for u in result.units]
    curve = {f: [_finite(x) for x in getattr(result.limits, f)] for f in CURVE_FIELDS}
    return {"target": result.target, "phi": _finite(result.phi), "tau2": _finite(result.tau2),
            "adjusted": result.adjusted, "units": units, "curve": curve}


def _number(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _finite(value: Any) -> Any:
    """NaN and infinities (undefined limits) are null in JSON and CSV."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
