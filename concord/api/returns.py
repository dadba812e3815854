"""Returns resources: submit (file or JSON, dry run, idempotent), list, detail, lifecycle."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from concord.api import returns_schemas as schemas
from concord.api.auth import authorize, current_actor
from concord.api.common import app_services
from ingest.identity.policy import Action
from ingest.log.errors import Invalid
from ingest.parsing import parse_json_rows, parse_upload
from ingest.returns.commands import Submission, submit_returns
from ingest.returns.lifecycle import retract_values, sign_off_return, unlock_return
from ingest.returns.periods import parse_period
from warehouse.asof import moment_of, parse_as_of, resolve_position
from warehouse.queries import returns as queries
from warehouse.queries.visibility import Viewer, visible_values

blp = Blueprint("returns", __name__, url_prefix="/api/v1", description="Monthly returns")

IDEMPOTENCY_HEADER = "Idempotency-Key"
UPLOAD_DOC = {"requestBody": {"content": {
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}}}},
    "application/json": {"schema": "JsonSubmission"},
}}}



def _today() -> Any:
    return datetime.now(UTC).date()


@blp.route("/returns")
class Returns(MethodView):
    @blp.arguments(schemas.SubmitQuerySchema, location="query")
    @blp.response(200, schemas.SubmissionReportSchema)
    @blp.alt_response(422, description="Rejected: every problem as {row, column, code, message}")
    @blp.alt_response(413, description="The upload is larger than CONCORD_MAX_UPLOAD_MB")
    @blp.alt_response(409, description="The return changed meanwhile; send again")
    @blp.doc(**UPLOAD_DOC)
    def post(self, query: dict[str, Any]) -> dict[str, Any]:
        """Submit a monthly return as a CSV/XLSX file (multipart ``file``) or JSON ``rows``.

        Parameters may also come in the JSON body or as form fields. With ``dry_run`` the
        answer is the full report and the value-level diff, and nothing is written.
        """
        actor = current_actor()
        raw, options = _read_upload(query)
        services = app_services()
        submission = Submission(
            raw=raw, actor=actor, source=options["source"],
            on_behalf_of=options["org_code"], reason=options["reason"],
            idempotency_key=request.headers.get(IDEMPOTENCY_HEADER), dry_run=options["dry_run"],
        )
        report = submit_returns(services.log, services.catalogue(), services.held_returns(),
                                submission, today=_today())
        if report.position:
            services.after_write(report.position)
        return report.to_dict()

    @blp.arguments(schemas.ReturnsQuerySchema, location="query")
    @blp.response(200, schemas.ReturnSummarySchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Returns held, newest period first; submitters see their own member's."""
        actor = authorize(Action.READ_SHARED)
        org = actor.member_code if actor.role == "submitter" else args["org_code"]
        with _cursor() as cur:
            return queries.list_returns(cur, org_code=org, period=args["period"])


@blp.route("/returns/<uuid:return_id>")
class ReturnDetail(MethodView):
    @blp.response(200, schemas.ReturnDetailSchema)
    def get(self, return_id: Any) -> dict[str, Any]:
        """One return: its state, every event (who, when, why) and the values it holds."""
        with _cursor() as cur:
            detail = queries.return_detail(cur, str(return_id))
        authorize(Action.READ_MEMBER, detail["org_code"])
        return detail


@blp.route("/values")
class Values(MethodView):
    @blp.arguments(schemas.ValuesQuerySchema, location="query")
    @blp.response(200, schemas.VisibleValueSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Values the caller may see: a member's own at once, others' once published
        (signed off, and the submission window closed or the period published early)."""
        actor = authorize(Action.READ_SHARED)
        viewer = Viewer(member_code=actor.member_code, sees_all=actor.role == "admin")
        period = parse_period(args["period"]) if args["period"] else None
        with _cursor() as cur:
            position = resolve_position(cur, parse_as_of(args["as_of"]))
            return visible_values(cur, viewer, position=position,
                                  moment=moment_of(cur, position),
                                  measure_code=args["measure_code"], period=period)


@blp.route("/values/<org_code>/<measure_code>/<period>/history")
class ValueHistory(MethodView):
    @blp.response(200, schemas.ValueVersionSchema(many=True))
    def get(self, org_code: str, measure_code: str, period: str) -> list[dict[str, Any]]:
        """Every version of one value, oldest first: value, who, when, why."""
        authorize(Action.READ_MEMBER, org_code)
        with _cursor() as cur:
            return queries.value_history(cur, org_code, measure_code, period)


def _lifecycle_route(path: str, schema: Any, action: Any) -> None:
    @blp.route(f"/returns/<org_code>/<period>/{path}", endpoint=path, methods=["POST"])
    @blp.arguments(schema)
    @blp.response(200, schemas.LifecycleResultSchema)
    def handler(body: dict[str, Any], org_code: str, period: str) -> dict[str, Any]:
        result = action(app_services(), current_actor(), org_code, period, body)
        app_services().after_write(result.position)
        return result.__dict__

    handler.__doc__ = action.__doc__


def _retract(services: Any, actor: Any, org: str, period: str, body: dict[str, Any]) -> Any:
    """Withdraw held values for a reason; they stay in the history."""
    with _cursor() as cur:
        held = queries.held_measure_codes(cur, org, period)
    return retract_values(services.log, actor, org, period, body["measure_codes"],
                          body["reason"], held)


def _unlock(services: Any, actor: Any, org: str, period: str, body: dict[str, Any]) -> Any:
    """Admin: let the member change a locked return for some days, for a reason."""
    return unlock_return(services.log, actor, org, period, body["reason"], today=_today(),
                         days=body["days"])


def _sign_off(services: Any, actor: Any, org: str, period: str, body: dict[str, Any]) -> Any:
    """The member's approver vouches for the return as it stands."""
    return sign_off_return(services.log, actor, org, period, body["note"])


_lifecycle_route("retract", schemas.RetractSchema, _retract)
_lifecycle_route("unlock", schemas.UnlockSchema, _unlock)
_lifecycle_route("sign-off", schemas.SignOffSchema, _sign_off)


def _read_upload(query: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The raw rows and the options, from a multipart file or a JSON body."""
    options = dict(query)
    if request.files:
        upload = request.files.get("file")
        if upload is None:
            raise Invalid("send the file in the multipart field 'file'", field="file")
        for key in ("reason", "org_code", "sheet"):
            options[key] = options[key] or request.form.get(key)
        options["dry_run"] = options["dry_run"] or request.form.get("dry_run") in ("true", "1")
        options["source"] = f"upload:{upload.filename or 'file'}"
        data = upload.read()
        return parse_upload(data, filename=upload.filename, content_type=upload.mimetype,
                            sheet=options["sheet"]), options
    options["source"] = "api:json"
    body = request.get_json(silent=True)
    if isinstance(body, dict) and "rows" in body:
        loaded = schemas.JsonSubmissionSchema().load(body)
        for key in ("reason", "org_code"):
            options[key] = options[key] or loaded[key]
        options["dry_run"] = options["dry_run"] or loaded["dry_run"]
        return parse_json_rows(loaded["rows"]), options
    data = request.get_data()
    if not data:
        raise Invalid("send a multipart file, a JSON list of rows, or {'rows': [...]}",
                      field="body")
    # A bare list of rows, or something malformed: the parser reports it row by row.
    return parse_upload(data, content_type="application/json"), options


def _cursor() -> Any:
    return app_services().warehouse.reading()
