"""The board overview as JSON or CSV, as of any moment: every measure's latest period with data,
each member's value, direction-aware rank and SPC icons, and the alliance benchmarks.

It is the shared view (what every board member may see), whoever asks. The query does the work
(warehouse.queries.overview); this module parses arguments and writes the answer. Ten thousand
rows go out as JSON or CSV text written by DuckDB (warehouse.arrow_rows) rather
than through marshmallow, which would take longer than the query; the schema below still
documents them.
"""

from __future__ import annotations

from typing import Any

import duckdb
import orjson
from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from concord.api.auth import authorize
from concord.api.common import app_services
from concord.api.schemas import AsOfQuerySchema
from ingest.identity.policy import Action
from warehouse.arrow_rows import csv_text, json_array
from warehouse.asof import moment_of, parse_as_of, resolve_position
from warehouse.queries.overview import COLUMNS, Overview, board_overview

blp = Blueprint("overview", __name__, url_prefix="/api/v1",
                description="Board overview: every measure, member, rank and SPC icon")


class OverviewQuerySchema(AsOfQuerySchema):
    format = fields.String(load_default="json", validate=validate.OneOf(["json", "csv"]))


class OverviewRowSchema(Schema):
    """One member × measure at the measure's latest period with shared data."""

    measure_code = fields.String()
    measure_name = fields.String()
    domain = fields.String()
    kind = fields.String()
    unit = fields.String()
    improvement = fields.String()
    target = fields.Float(allow_none=True)
    period = fields.String(allow_none=True, metadata={"description": "YYYY-MM"})
    org_code = fields.String()
    member_name = fields.String()
    value = fields.Float(allow_none=True, metadata={"description": "null when suppressed"})
    numerator = fields.Float(allow_none=True)
    denominator = fields.Float(allow_none=True)
    suppressed = fields.Boolean(metadata={"description": "denominator below the measure's "
                                          "small_number_threshold: value hidden, unranked"})
    rank = fields.Integer(allow_none=True, metadata={"description": "1 = best; ties share"})
    neutral = fields.Boolean(metadata={"description": "no better direction: highest first"})
    rank_order = fields.String()
    variation_icon = fields.String(allow_none=True)
    assurance = fields.String(allow_none=True)
    spc_points = fields.Integer(allow_none=True, metadata={"description": "points charted"})
    members_reported = fields.Integer(allow_none=True)
    pooled = fields.Float(allow_none=True)
    median = fields.Float(allow_none=True)
    q1 = fields.Float(allow_none=True)
    q3 = fields.Float(allow_none=True)
    min = fields.Float(allow_none=True)
    max = fields.Float(allow_none=True)


class OverviewSchema(Schema):
    position = fields.Integer(metadata={"description": "snapshot id: as_of=<position> "
                                        "reproduces this overview"})
    judged_at = fields.DateTime()
    rows = fields.List(fields.Nested(OverviewRowSchema))


@blp.route("/overview")
class BoardOverview(MethodView):
    @blp.arguments(OverviewQuerySchema, location="query")
    @blp.response(200, OverviewSchema)
    def get(self, args: dict[str, Any]) -> Response:
        """Every measure at its latest period: benchmarks, and each member's value, rank,
        variation and assurance icons; small numbers suppressed."""
        authorize(Action.READ_SHARED)
        with app_services().warehouse.reading() as cur:
            position = resolve_position(cur, parse_as_of(args["as_of"]))
            overview = board_overview(cur, position, moment_of(cur, position))
            return (csv_response(cur, overview) if args["format"] == "csv"
                    else json_response(cur, overview))


def json_response(cur: duckdb.DuckDBPyConnection, overview: Overview) -> Response:
    """{position, judged_at, rows}: DuckDB on `cur` writes the rows' JSON text."""
    head = orjson.dumps({"position": overview.position,
                         "judged_at": overview.moment.isoformat()}).decode()
    rows = json_array(cur, overview.rows)
    return Response(f'{head[:-1]},"rows":{rows}}}', mimetype="application/json")


def csv_response(cur: duckdb.DuckDBPyConnection, overview: Overview) -> Response:
    """The rows in COLUMNS order as CSV written by DuckDB: null empty, booleans true/false."""
    return Response(csv_text(cur, overview.rows.select(COLUMNS)), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="overview-{overview.position}.csv"',
        "X-Concord-Position": str(overview.position)})
