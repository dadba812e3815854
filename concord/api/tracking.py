"""Submission tracking, templates to fill in, and early publication of a period."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from concord.api import returns_schemas as schemas
from concord.api.auth import authorize
from concord.api.common import app_services
from ingest.identity.policy import Action
from ingest.returns.lifecycle import publish_period
from ingest.returns.periods import parse_period
from ingest.templates import template_csv, template_xlsx
from warehouse.asof import parse_as_of, resolve_position
from warehouse.queries.tracking import submission_status

blp = Blueprint("tracking", __name__, url_prefix="/api/v1", description="Submission tracking")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"



@blp.route("/submissions")
class Submissions(MethodView):
    @blp.arguments(schemas.SubmissionStatusQuerySchema, location="query")
    @blp.response(200, schemas.SubmissionStatusSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Per member for a period: due date, receipts, completeness, on time, status."""
        authorize(Action.READ_SHARED)
        with app_services().warehouse.reading() as cur:
            position = resolve_position(cur, parse_as_of(args["as_of"]))
            return submission_status(cur, parse_period(args["period"]), position)


@blp.route("/templates/<org_code>/<period>.<fmt>")
class Template(MethodView):
    @blp.response(200)
    def get(self, org_code: str, period: str, fmt: str) -> Response:
        """A return to fill in: every expected measure for the member, with definitions."""
        authorize(Action.READ_SHARED)
        parse_period(period)
        catalogue = app_services().catalogue()
        name = f"concord-return-{org_code}-{period}.{fmt}"
        if fmt == "csv":
            body, mimetype = template_csv(catalogue, org_code, period), "text/csv"
        elif fmt == "xlsx":
            body, mimetype = template_xlsx(catalogue, org_code, period), XLSX
        else:
            return Response("use .csv or .xlsx", status=404)
        return Response(body, mimetype=mimetype,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


@blp.route("/periods/<period>/publish")
class Publish(MethodView):
    @blp.arguments(schemas.ReasonSchema)
    @blp.response(200, schemas.LifecycleResultSchema)
    def post(self, body: dict[str, Any], period: str) -> dict[str, Any]:
        """Admin: share a period's signed-off values before its submission window closes."""
        actor = authorize(Action.PUBLISH_PERIOD)
        position = publish_period(app_services().log, actor, period, body["reason"])
        app_services().after_write(position)
        return {"return_id": "", "version": 1, "position": position,
                "message": f"{period} published"}
