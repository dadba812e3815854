"""The upload page (``/upload``): a member's data lead checks a monthly return, then submits it.

The page sends the file to this server's own returns API with the API token the reader pastes,
so every rule of the API (who may submit what, limits, idempotency) applies unchanged.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import dash
from dash import Dash, Input, Output, State, dcc, html
from dash.exceptions import PreventUpdate
from flask import current_app, request

from dashboards import ids
from dashboards.context import api_base_url, warehouse_cursor
from dashboards.pages import upload_sections as sections
from dashboards.pages.upload_api import post_return, upload_request
from dashboards.pages.upload_form import chosen_file, limit_hint, previous_month, template_links
from dashboards.upload_report import (
    ApiAnswer,
    after_submit,
    check_view,
    checked_state,
    receipt_view,
    submit_readiness,
)
from warehouse.asof import resolve_position
from warehouse.queries.catalogue import measures_at, members_at

PATH = "/upload"
NAME = "Upload a return"
TITLE = "Concord · Upload a return"
ORDER = 10
# Runs in the browser, so a large file's contents are not sent to the server just to be sized.
FILE_INFO_JS = """
function (contents, filename) {
    if (!contents) { return null; }
    return {name: filename, encoded_length: contents.length - contents.indexOf(",") - 1};
}
"""
# The token stays in the browser: it is remembered in the tab's session storage without a
# round trip, and reaches the server only inside a check or a submission.
REMEMBER_TOKEN_JS = "function (token) { return (token || '').trim() || null; }"
RECALL_TOKEN_JS = """
function (_stamp, remembered, shown) {
    if (shown || !remembered) { return window.dash_clientside.no_update; }
    return remembered;
}
"""


def layout(**_query: Any) -> html.Div:
    """The page for one request; query parameters are ignored."""
    members = _member_options()
    return html.Div(
        [
            sections.header(),
            _choose_step(members),
            sections.step(2, "Check", [
                html.Button("Check", id=ids.UPLOAD_CHECK, className="button button-primary",
                            disabled=True),
                dcc.Loading(html.Div(id=ids.UPLOAD_REPORT), type="dot"),
            ], intro="A dry run: the file is validated and compared with what is held."),
            _submit_step(),
            _template_step(members),
            dcc.Store(id=ids.UPLOAD_TOKEN_STORE, storage_type="session"),
            dcc.Store(id=ids.UPLOAD_FILE_STORE),
            dcc.Store(id=ids.UPLOAD_CHECKED_STORE),
        ],
        id=ids.UPLOAD,
        className="upload",
    )


def _choose_step(members: list[dict[str, str]]) -> html.Section:
    token = dcc.Input(id=ids.UPLOAD_TOKEN, type="password", autoComplete="off",
                      placeholder="Paste your API token", className="text-input")
    dropzone = dcc.Upload(
        html.Div([html.Div("Choose or drop a file", className="dropzone-title"),
                  html.Div(f"Drag it here or click to browse · {_limit_hint()}",
                           className="dropzone-hint")]),
        id=ids.UPLOAD_FILE, accept=".csv,.xlsx", multiple=False, className="dropzone",
        className_active="dropzone dropzone-active",
    )
    options = html.Div([
        sections.field("On behalf of member", sections.member_dropdown(
            ids.UPLOAD_MEMBER, members, placeholder="Your own member"),
            hint="Administrators only: a submitter always sends their own member's return."),
        sections.field("Sheet", dcc.Input(id=ids.UPLOAD_SHEET, placeholder="The first sheet",
                                          className="text-input", debounce=True),
                       hint="XLSX only: which sheet holds the return."),
    ], className="field-row")
    return sections.step(1, "Choose a file", [
        sections.field("API token", token, hint="Your personal token from the alliance office."
                       " It is kept in this browser tab only, until you close it."),
        dropzone,
        html.Div("No file chosen yet.", id=ids.UPLOAD_FILE_INFO, className="file-info"),
        options,
    ])


def _submit_step() -> html.Section:
    reason = dcc.Input(id=ids.UPLOAD_REASON, placeholder="For example: coding corrected "
                       "after audit", className="text-input wide", required=True)
    return sections.step(3, "Confirm and submit", [
        sections.field("Reason for the restatement", reason, field_id=ids.UPLOAD_REASON_FIELD,
                       hint="Required: this file changes values already held.",
                       class_name="field hidden"),
        html.Div([
            html.Button("Confirm and submit", id=ids.UPLOAD_SUBMIT,
                        className="button button-primary", disabled=True),
            html.Span(id=ids.UPLOAD_SUBMIT_HINT, className="field-hint"),
        ], className="button-row"),
        dcc.Loading(html.Div(id=ids.UPLOAD_RECEIPT), type="dot"),
    ])


def _template_step(members: list[dict[str, str]]) -> html.Section:
    period = dcc.Input(id=ids.UPLOAD_TEMPLATE_PERIOD, value=previous_month(_today()),
                       placeholder="YYYY-MM", className="text-input narrow")
    return sections.step(4, "Download a template", [
        html.Div([
            sections.field("Member", sections.member_dropdown(
                ids.UPLOAD_TEMPLATE_MEMBER, members, placeholder="Choose a member")),
            sections.field("Period", period),
        ], className="field-row"),
        html.Div([
            html.A("CSV template", id=ids.UPLOAD_TEMPLATE_CSV, className="button"),
            html.A("XLSX template", id=ids.UPLOAD_TEMPLATE_XLSX, className="button"),
            html.Span(id=ids.UPLOAD_TEMPLATE_HINT, className="field-hint"),
        ], className="button-row"),
    ], intro="Every measure a member reports, with definitions, ready to fill in.")


def show_chosen_file(info: dict[str, Any] | None) -> tuple[Any, str, bool]:
    """Callback: the chosen file's name and size, any problem with it, and whether to check."""
    choice = chosen_file(info, _max_request_bytes())
    if choice.problem is None:
        return choice.text, "file-info", not choice.ready
    return [choice.text, html.Div(choice.problem)], "file-info file-info-problem", True


def forget_the_check(*_changed: Any) -> tuple[None, None, None]:
    """Callback: a new file, member or sheet makes the last check and receipt stale."""
    return None, None, None


def check_file(_clicks: int, form: dict[str, Any]) -> tuple[Any, dict[str, Any], None]:
    """Callback: a dry run of the file; the report, and what the page remembers of it."""
    answer = _send(form, dry_run=True)
    view = check_view(answer, _measures())
    return sections.check_report(view), checked_state(view, key=str(uuid.uuid4())), None


def show_readiness(checked: dict[str, Any] | None, reason: str | None) -> tuple[bool, str, str]:
    """Callback: whether "Confirm and submit" is enabled and the reason field is shown."""
    ready = submit_readiness(checked, reason)
    return not ready.enabled, "field" if ready.show_reason else "field hidden", ready.hint


def submit_file(_clicks: int, form: dict[str, Any], reason: str | None,
                checked: dict[str, Any] | None) -> tuple[Any, dict[str, Any]]:
    """Callback: submit the checked file for real, under the check's idempotency key."""
    if checked is None or not submit_readiness(checked, reason).enabled:
        raise PreventUpdate
    answer = _send(form, dry_run=False, idempotency_key=checked["key"],
                   reason=reason if checked["needs_reason"] else None)
    return sections.receipt(receipt_view(answer)), after_submit(checked, answer)


def show_template_links(member: str | None, period: str | None) -> tuple[Any, ...]:
    """Callback: the template download links for the chosen member and period."""
    links = template_links(member, period)
    css = "button" if links.csv else "button is-disabled"
    return links.csv, links.xlsx, css, css, links.hint


def _send(form: dict[str, Any], **options: Any) -> ApiAnswer:
    """POST the form's file to this server's own API (``form``: what ``_form()`` reads)."""
    try:
        upload = upload_request(form["contents"], form["filename"], token=form["token"],
                                member=form["member"], sheet=form["sheet"], **options)
    except ValueError as error:
        return ApiAnswer.local(str(error))
    return post_return(api_base_url(request.host_url), upload)


def _member_options() -> list[dict[str, str]]:
    with warehouse_cursor() as cur:
        members = members_at(cur, resolve_position(cur, None))
    return [{"label": f"{m['org_code']} · {m['name']}", "value": m["org_code"]} for m in members]


def _measures() -> dict[str, dict[str, Any]]:
    with warehouse_cursor() as cur:
        return {m["measure_code"]: m for m in measures_at(cur, resolve_position(cur, None))}


def _max_request_bytes() -> int | None:
    return current_app.config.get("MAX_CONTENT_LENGTH")


def _limit_hint() -> str:
    return limit_hint(_max_request_bytes())


def _today() -> date:
    return datetime.now(UTC).date()


def register(app: Dash) -> None:
    """Register the page and its callbacks on ``app`` (``init_dashboards`` calls it once)."""
    dash.register_page(__name__, path=PATH, name=NAME, title=TITLE, order=ORDER, layout=layout)
    _register_file_callbacks(app)
    _register_submission_callbacks(app)
    _register_token_callbacks(app)
    app.callback(
        Output(ids.UPLOAD_TEMPLATE_CSV, "href"), Output(ids.UPLOAD_TEMPLATE_XLSX, "href"),
        Output(ids.UPLOAD_TEMPLATE_CSV, "className"),
        Output(ids.UPLOAD_TEMPLATE_XLSX, "className"), Output(ids.UPLOAD_TEMPLATE_HINT, "children"),
        Input(ids.UPLOAD_TEMPLATE_MEMBER, "value"), Input(ids.UPLOAD_TEMPLATE_PERIOD, "value"),
    )(show_template_links)


def _form() -> dict[str, State]:
    """What a check or a submission sends, as one group of callback states."""
    return {
        "token": State(ids.UPLOAD_TOKEN, "value"),
        "contents": State(ids.UPLOAD_FILE, "contents"),
        "filename": State(ids.UPLOAD_FILE, "filename"),
        "member": State(ids.UPLOAD_MEMBER, "value"),
        "sheet": State(ids.UPLOAD_SHEET, "value"),
    }


def _stale_outputs() -> list[Output]:
    return [Output(ids.UPLOAD_CHECKED_STORE, "data", allow_duplicate=True),
            Output(ids.UPLOAD_REPORT, "children", allow_duplicate=True),
            Output(ids.UPLOAD_RECEIPT, "children", allow_duplicate=True)]


def _register_file_callbacks(app: Dash) -> None:
    app.clientside_callback(
        FILE_INFO_JS, Output(ids.UPLOAD_FILE_STORE, "data"),
        Input(ids.UPLOAD_FILE, "contents"), State(ids.UPLOAD_FILE, "filename"),
    )
    app.callback(
        Output(ids.UPLOAD_FILE_INFO, "children"), Output(ids.UPLOAD_FILE_INFO, "className"),
        Output(ids.UPLOAD_CHECK, "disabled"), Input(ids.UPLOAD_FILE_STORE, "data"),
    )(show_chosen_file)
    app.callback(
        *_stale_outputs(), Input(ids.UPLOAD_FILE_STORE, "data"),
        Input(ids.UPLOAD_MEMBER, "value"), Input(ids.UPLOAD_SHEET, "value"),
        prevent_initial_call=True,
    )(forget_the_check)


def _register_submission_callbacks(app: Dash) -> None:
    stale = _stale_outputs()
    app.callback(
        output=[Output(ids.UPLOAD_REPORT, "children"), Output(ids.UPLOAD_CHECKED_STORE, "data"),
                stale[2]],
        inputs={"_clicks": Input(ids.UPLOAD_CHECK, "n_clicks"), "form": _form()},
        prevent_initial_call=True,
    )(check_file)
    app.callback(
        Output(ids.UPLOAD_SUBMIT, "disabled"), Output(ids.UPLOAD_REASON_FIELD, "className"),
        Output(ids.UPLOAD_SUBMIT_HINT, "children"),
        Input(ids.UPLOAD_CHECKED_STORE, "data"), Input(ids.UPLOAD_REASON, "value"),
    )(show_readiness)
    app.callback(
        output=[Output(ids.UPLOAD_RECEIPT, "children"), stale[0]],
        inputs={"_clicks": Input(ids.UPLOAD_SUBMIT, "n_clicks"), "form": _form(),
                "reason": State(ids.UPLOAD_REASON, "value"),
                "checked": State(ids.UPLOAD_CHECKED_STORE, "data")},
        # Greyed out while the upload is in flight; the idempotency key covers a click
        # that lands before the browser has disabled it.
        running=[(Output(ids.UPLOAD_SUBMIT, "disabled"), True, False)],
        prevent_initial_call=True,
    )(submit_file)


def _register_token_callbacks(app: Dash) -> None:
    app.clientside_callback(
        REMEMBER_TOKEN_JS, Output(ids.UPLOAD_TOKEN_STORE, "data"),
        Input(ids.UPLOAD_TOKEN, "value"), prevent_initial_call=True,
    )
    app.clientside_callback(
        RECALL_TOKEN_JS, Output(ids.UPLOAD_TOKEN, "value"),
        Input(ids.UPLOAD_TOKEN_STORE, "modified_timestamp"),
        State(ids.UPLOAD_TOKEN_STORE, "data"), State(ids.UPLOAD_TOKEN, "value"),
    )
