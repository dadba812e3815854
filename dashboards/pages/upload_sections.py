"""The upload page's pieces, drawn from ``upload_report``'s views; layout only, no calls."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

from dashboards import ids
from dashboards.components import data_table, summary_card
from dashboards.upload_report import CheckView, Outcome, ReceiptView, count_cards, problems_title

PROBLEM_COLUMNS = (("Row", "row"), ("Column", "column"), ("Problem", "code"),
                   ("What to fix", "message"))
RETURN_HEADERS = ("Member", "Period", "Version", "New", "Changed", "Unchanged")
RETURN_COLUMNS = ("member", "period", "version", "new", "changed", "unchanged")


def header() -> html.Header:
    return html.Header(
        [
            html.H1("Upload a monthly return"),
            html.P("Check a CSV or XLSX file against the KPI catalogue, see exactly which values "
                   "it adds or changes, then confirm. Nothing is recorded until you confirm.",
                   className="page-meta"),
        ],
        className="page-header",
    )


def step(number: int, title: str, children: list[Any], *, intro: str | None = None,
         step_id: str | None = None) -> html.Section:
    heading: list[Any] = [html.H2([html.Span(str(number), className="step-number"), title])]
    if intro:
        heading.append(html.P(intro, className="section-intro"))
    section = html.Section([*heading, *children], className="section step")
    if step_id:
        section.id = step_id
    return section


def field(label: str, control: Any, *, hint: str | None = None,
          field_id: str | None = None, class_name: str = "field") -> html.Div:
    children: list[Any] = [html.Label(label, htmlFor=getattr(control, "id", None),
                                      className="field-label"), control]
    if hint:
        children.append(html.Div(hint, className="field-hint"))
    div = html.Div(children, className=class_name)
    if field_id:
        div.id = field_id
    return div


def outcome_banner(outcome: Outcome, *, banner_id: str) -> html.Div:
    children: list[Any] = [html.Div(outcome.headline, className="outcome-headline")]
    if outcome.detail:
        children.append(html.P(outcome.detail, className="outcome-detail"))
    return html.Div(children, id=banner_id, className=f"outcome outcome-{outcome.tone}",
                    role="status")


def check_report(view: CheckView) -> html.Div:
    """The validation report: outcome, counts, problems and the value-level diff."""
    children: list[Any] = [outcome_banner(view.outcome, banner_id=ids.UPLOAD_REPORT_SUMMARY)]
    if view.counts is not None:
        children.append(html.Div([summary_card(label, value) for label, value in
                                  count_cards(view.counts)],
                                 id=ids.UPLOAD_REPORT_COUNTS, className="cards upload-counts"))
    if view.problems:
        children.append(html.Div([html.H3(problems_title(view.problems)),
                                  problems_table(view.problems)],
                                 id=ids.UPLOAD_REPORT_PROBLEMS))
    if view.diff:
        note = " (the first 10,000 shown)" if view.diff_truncated else ""
        children.append(html.Div([html.H3(f"What would change{note}"), diff_table(view.diff)],
                                 id=ids.UPLOAD_REPORT_DIFF))
    return html.Div(children, className="upload-result")


def receipt(view: ReceiptView) -> html.Div:
    children: list[Any] = [outcome_banner(view.outcome, banner_id=ids.UPLOAD_RECEIPT_SUMMARY)]
    if view.returns:
        children.append(html.Div([html.H3("Returns recorded"),
                                  data_table(RETURN_HEADERS, view.returns, RETURN_COLUMNS,
                                             numeric=RETURN_COLUMNS[2:])],
                                 id=ids.UPLOAD_RECEIPT_RETURNS))
    if view.warnings:
        children.append(html.Div([html.H3("Warnings recorded with the values"),
                                  problems_table(view.warnings)], id=ids.UPLOAD_RECEIPT_WARNINGS))
    if view.problems:
        children.append(html.Div([html.H3(problems_title(view.problems)),
                                  problems_table(view.problems)]))
    return html.Div(children, className="upload-result")


def problems_table(rows: Sequence[Mapping[str, str]]) -> html.Div:
    """Errors and warnings, each row marked and coloured by its severity."""
    head = html.Thead(html.Tr([html.Th("Severity")] + [html.Th(h) for h, _ in PROBLEM_COLUMNS]))
    body = html.Tbody([
        html.Tr(
            [html.Td(html.Span(row["severity_label"], className=f"badge badge-{row['severity']}"))]
            + [html.Td(row[key], className="code-cell" if key == "code" else None)
               for _, key in PROBLEM_COLUMNS],
            className=f"issue-{row['severity']}",
        )
        for row in rows
    ])
    return html.Div(html.Table([head, body], className="data-table"), className="table-scroll")


def diff_table(rows: Sequence[Mapping[str, str]]) -> html.Div:
    head = html.Thead(html.Tr([html.Th("Row", className="num"), html.Th("Member"),
                               html.Th("Measure"), html.Th("Period"), html.Th("From"),
                               html.Th(""), html.Th("To"), html.Th("Change")]))
    body = html.Tbody([
        html.Tr([
            html.Td(row["row"], className="num"),
            html.Td(row["member"]),
            html.Td([html.Div(row["measure"]), html.Div(row["measure_code"], className="code")]),
            html.Td(row["period"]),
            html.Td(row["from"], className="num muted"),
            html.Td("→", className="arrow"),
            html.Td(row["to"], className="num"),
            html.Td(html.Span(row["change_label"], className=f"badge badge-{row['change']}")),
        ])
        for row in rows
    ])
    return html.Div(html.Table([head, body], className="data-table"), className="table-scroll")


def member_dropdown(element_id: str, options: list[dict[str, str]], *,
                    placeholder: str) -> dcc.Dropdown:
    return dcc.Dropdown(id=element_id, options=options, placeholder=placeholder,
                        clearable=True, searchable=True, className="member-dropdown")
