"""Benchmarks, scorecards, data quality and "restated since", as JSON or CSV, as of any moment.

Each endpoint loads its query arguments, resolves the view (position, moment, viewer), calls
one warehouse query and dumps one schema. Visibility and small-number suppression happen in
the warehouse's SQL, so the CSV (built from the same dumped rows) cannot differ from the JSON.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema

from concord.api import benchmarks_schemas as schemas
from concord.api.auth import authorize
from concord.api.common import app_services
from ingest.identity.policy import Action
from ingest.returns.periods import parse_period
from warehouse.asof import parse_as_of
from warehouse.queries.benchmarks import View, measure_benchmarks, member_at, view_at
from warehouse.queries.benchmarks_restated import restated_since
from warehouse.queries.benchmarks_scorecard import member_scorecard
from warehouse.queries.data_quality import member_data_quality
from warehouse.queries.visibility import Viewer

blp = Blueprint("benchmarks", __name__, url_prefix="/api/v1",
                description="Benchmarks, scorecards, data quality and restatements")


def _read(args: dict[str, Any], query: Callable[[Any, View], dict[str, Any]]) -> dict[str, Any]:
    """Run ``query`` on a warehouse cursor, through the caller's eyes, at ``as_of``."""
    actor = authorize(Action.READ_SHARED)
    viewer = Viewer(member_code=actor.member_code, sees_all=actor.role == "admin")
    with app_services().warehouse.reading() as cur:
        return query(cur, view_at(cur, parse_as_of(args["as_of"]), viewer))


def _period(text: str | None) -> Any:
    return parse_period(text) if text else None


def _answer(args: dict[str, Any], result: dict[str, Any], schema: Schema, rows: str,
            name: str) -> dict[str, Any] | Response:
    """The result for ``@blp.response`` to dump, or its ``rows`` as CSV when asked for."""
    if args["format"] != "csv":
        return result
    row_schema = schema.fields[rows].inner.schema  # type: ignore[attr-defined]
    columns = list(row_schema.fields)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[_cell(row.get(c)) for c in columns] for row in schema.dump(result)[rows]])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def _cell(value: Any) -> str:
    """A JSON value as CSV text: null empty, booleans as in JSON, lists of objects flattened
    to ``key=value, …; …``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(", ".join(f"{k}={v}" for k, v in item.items() if v is not None)
                         if isinstance(item, dict) else str(item) for item in value)
    return str(value)


@blp.route("/measures/<measure_code>/benchmarks")
class MeasureBenchmarks(MethodView):
    @blp.arguments(schemas.BenchmarksQuerySchema, location="query")
    @blp.response(200, schemas.BenchmarksSchema)
    def get(self, args: dict[str, Any], measure_code: str) -> Any:
        """Alliance and peer statistics and every member's value, rank and percentile for a
        period (default: the latest with a visible value); small numbers suppressed."""
        result = _read(args, lambda cur, view: measure_benchmarks(
            cur, view, measure_code, period=_period(args["period"]),
            peer_group=args["peer_group"]))
        return _answer(args, result, schemas.BenchmarksSchema(), "members",
                       f"benchmarks-{measure_code}-{result['period']}")


@blp.route("/measures/<measure_code>/restated-since")
class RestatedSince(MethodView):
    @blp.arguments(schemas.RestatedQuerySchema, location="query")
    @blp.response(200, schemas.RestatedSinceSchema)
    def get(self, args: dict[str, Any], measure_code: str) -> Any:
        """Values that changed after snapshot ``position``: from what to what, who, when, why."""
        result = _read(args, lambda cur, view: restated_since(
            cur, view, measure_code, args["position"], period=_period(args["period"])))
        return _answer(args, result, schemas.RestatedSinceSchema(), "changes",
                       f"restated-{measure_code}-since-{args['position']}")


@blp.route("/members/<org_code>/scorecard")
class Scorecard(MethodView):
    @blp.arguments(schemas.BenchmarksQuerySchema, location="query")
    @blp.response(200, schemas.ScorecardSchema)
    def get(self, args: dict[str, Any], org_code: str) -> Any:
        """Every measure for one member against target, alliance and peer group (default:
        its first), with restatements, warnings and the member's data quality."""
        result = _read(args, lambda cur, view: member_scorecard(
            cur, view, org_code, period=_period(args["period"]), peer_group=args["peer_group"]))
        return _answer(args, result, schemas.ScorecardSchema(), "measures",
                       f"scorecard-{org_code}-{result['period']}")


@blp.route("/members/<org_code>/data-quality")
class DataQuality(MethodView):
    @blp.arguments(schemas.DataQualityQuerySchema, location="query")
    @blp.response(200, schemas.DataQualitySchema)
    def get(self, args: dict[str, Any], org_code: str) -> Any:
        """Per period: measures expected, received, completeness and on time; with the
        completeness and timeliness rates over the periods listed (default: the last 12)."""
        def query(cur: Any, view: View) -> dict[str, Any]:
            member_at(cur, view.position, org_code)
            return member_data_quality(cur, org_code, position=view.position,
                                       moment=view.moment, through=_period(args["through"]))

        result = _read(args, query)
        return _answer(args, result, schemas.DataQualitySchema(), "rows",
                       f"data-quality-{org_code}")
