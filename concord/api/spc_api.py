"""SPC charts, the board's SPC decisions, funnel plots and governance signals, as of any moment."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import orjson
from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from concord.api import spc_schemas as schemas
from concord.api.auth import authorize, current_actor
from concord.api.common import app_services
from governance import spc_commands as commands
from ingest.identity.policy import Action
from ingest.log.errors import NotFound
from warehouse.asof import moment_of, parse_as_of, resolve_position
from warehouse.queries.catalogue import measures_at, members_at
from warehouse.queries.funnel_data import funnel_data_type, funnel_plot
from warehouse.queries.spc_series import POINT_FIELDS, member_charts
from warehouse.queries.visibility import Viewer
from warehouse.sqlfiles import fetch_dicts

blp = Blueprint("spc", __name__, url_prefix="/api/v1",
                description="SPC charts, SPC decisions, funnel plots and signals")

SPC_CSV_COLUMNS = ("org_code", "period", *POINT_FIELDS)
FUNNEL_CSV_COLUMNS = ("org_code", "numerator", "denominator", "ratio", "zscore", "lcl95",
                      "ucl95", "lcl998", "ucl998", "outside95", "outside998", "classification")


def _viewer() -> Viewer:
    actor = authorize(Action.READ_SHARED)
    return Viewer(member_code=actor.member_code, sees_all=actor.role == "admin")


def _measure(cur: Any, position: int, code: str) -> dict[str, Any]:
    """The measure as the catalogue stood at ``position`` (direction, target, thresholds)."""
    found = [m for m in measures_at(cur, position) if m["measure_code"] == code]
    if not found:
        raise NotFound(f"no measure {code!r} in the catalogue at position {position}")
    return found[0]


def _csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], name: str) -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@blp.route("/measures/<code>/spc")
class Spc(MethodView):
    @blp.arguments(schemas.SpcQuerySchema, location="query")
    @blp.response(200, schemas.SpcChartSchema)
    def get(self, args: dict[str, Any], code: str) -> Any:
        """XmR charts (Making Data Count) of one member, or of every member, with the rebases
        and baseline the board decided, as they stood at ``as_of``. A month without a value
        is not a point; segments start at the first point on or after a rebase month."""
        viewer = _viewer()
        with app_services().warehouse.reading() as cur:
            position = resolve_position(cur, parse_as_of(args["as_of"]))
            measure = _measure(cur, position, code)
            org = args["org_code"]
            if org is not None and org not in {m["org_code"] for m in members_at(cur, position)}:
                raise NotFound(f"no member {org!r} in the catalogue at position {position}")
            charts = member_charts(cur, viewer, measure, position=position,
                                   moment=moment_of(cur, position), org_code=org)
        if args["format"] == "csv":
            rows = ({"org_code": c["org_code"], **p} for c in charts for p in c["points"])
            return _csv(rows, SPC_CSV_COLUMNS, f"spc-{code}-{position}")
        return json_response({"measure_code": code, "name": measure["name"],
                              "improvement": measure["improvement"], "target": measure["target"],
                              "position": position, "members": charts})


def json_response(body: dict[str, Any]) -> Response:
    """The charts as JSON written by orjson. Every member's chart has a record per point, and
    marshmallow took 144 ms to dump the 5,000 points of 50 members' 100-month charts where
    orjson takes 2 ms. The body holds exactly what SpcChartSchema documents (a test dumps it
    through the schema and compares), so the schema still describes it."""
    return Response(orjson.dumps(body, option=orjson.OPT_SERIALIZE_NUMPY),
                    mimetype="application/json")


@blp.route("/measures/<code>/spc/decisions")
class SpcDecisions(MethodView):
    @blp.arguments(schemas.DecisionsQuerySchema, location="query")
    @blp.response(200, schemas.DecisionSchema(many=True))
    def get(self, args: dict[str, Any], code: str) -> list[dict[str, Any]]:
        """Every rebase and baseline decision on this measure: who, why, which meeting."""
        authorize(Action.READ_SHARED)
        with app_services().warehouse.reading() as cur:
            position = resolve_position(cur, parse_as_of(args["as_of"]))
            return fetch_dicts(cur, "spc.sql", "decision_history",
                               [position, code, args["org_code"]])


def _decision_route(path: str, schema: type, command: Callable[..., Any],
                    extra: str | None) -> None:
    """POST /measures/<code>/spc/<path>: record one decision (executives and admins)."""

    @blp.route(f"/measures/<code>/spc/{path}", endpoint=f"spc_{path}", methods=["POST"])
    @blp.arguments(schema)
    @blp.response(200, schemas.DecisionRecordedSchema)
    @blp.alt_response(403, description="Only executives and admins record SPC decisions")
    @blp.alt_response(409, description="Already in force, or nothing in force to undo")
    @blp.doc(summary=(command.__doc__ or "").split("\n")[0],
             description="Records who decided, why and at which meeting; charts use it from "
                         "this log position on. ``org_code`` omitted: every member's chart.")
    def handler(body: dict[str, Any], code: str) -> dict[str, Any]:
        services = app_services()
        decision = commands.SpcDecision(actor=current_actor(), measure_code=code,
                                        org_code=body["org_code"], reason=body["reason"],
                                        meeting=body["meeting"])
        arguments = (body[extra],) if extra else ()
        result = command(services.log, services.catalogue(), decision, *arguments)
        services.after_write(result.position)
        return {"position": result.position, "message": result.message}


_decision_route("rebase", schemas.RebaseSchema, commands.record_rebase, "period")
_decision_route("withdraw-rebase", schemas.RebaseSchema, commands.withdraw_rebase, "period")
_decision_route("fix-baseline", schemas.FixBaselineSchema, commands.fix_baseline, "n_points")
_decision_route("release-baseline", schemas.DecisionBodySchema, commands.release_baseline, None)


@blp.route("/measures/<code>/funnel")
class Funnel(MethodView):
    @blp.arguments(schemas.FunnelQuerySchema, location="query")
    @blp.response(200, schemas.FunnelSchema)
    def get(self, args: dict[str, Any], code: str) -> Any:
        """Funnel plot (Spiegelhalter; FunnelPlotR) of one month across members: PR for
        proportions, SR for observed/expected ratios. Members whose denominator is below the
        measure's small-number threshold are left out and listed under ``suppressed``."""
        viewer = _viewer()
        with app_services().warehouse.reading() as cur:
            position = resolve_position(cur, parse_as_of(args["as_of"]))
            moment = moment_of(cur, position)
            measure = _measure(cur, position, code)
            data_type = funnel_data_type(measure, args["data_type"])
            period, result = funnel_plot(cur, viewer, measure, args["period"],
                                         data_type=data_type, position=position, moment=moment)
        if args["format"] == "csv":
            return _csv(result["units"], FUNNEL_CSV_COLUMNS, f"funnel-{code}-{period}-{position}")
        return {**result, "measure_code": code, "period": period, "position": position}


@blp.route("/signals")
class Signals(MethodView):
    @blp.arguments(schemas.SignalsQuerySchema, location="query")
    @blp.response(200, schemas.SignalSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Special-cause concerns and consistently failing assurance, per member, measure and
        month, from every value held (governance sees them before publication); a submitter
        sees its own member's only."""
        actor = authorize(Action.READ_SHARED)
        org = actor.member_code if actor.role == "submitter" else args["org_code"]
        with app_services().warehouse.reading() as cur:
            return fetch_dicts(cur, "signals.sql", "list_signals", [args["measure_code"], org])
