"""Small layout pieces shared by pages: sections, summary cards, empty states, plain tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import html


def section(
    title: str, children: Any, *, section_id: str, intro: str | None = None
) -> html.Section:
    heading: list[Any] = [html.H2(title)]
    if intro:
        heading.append(html.P(intro, className="section-intro"))
    return html.Section([*heading, children], id=section_id, className="section")


def summary_card(label: str, value: str, *, note: str | None = None) -> html.Div:
    children: list[Any] = [
        html.Div(label, className="card-label"),
        html.Div(value, className="card-value"),
    ]
    if note:
        children.append(html.Div(note, className="card-note"))
    return html.Div(children, className="card")


def empty_state(title: str, detail: str, *, element_id: str) -> html.Div:
    return html.Div(
        [html.Div(title, className="empty-title"), html.P(detail, className="empty-detail")],
        id=element_id,
        className="empty-state",
    )


def table_rows(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[html.Tr]:
    return [html.Tr([html.Td(row[column]) for column in columns]) for row in rows]


def data_table(
    headers: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    table_id: str | None = None,
    body_id: str | None = None,
    numeric: Sequence[str] = (),
) -> html.Table:
    """A plain, styled HTML table; ``numeric`` columns are right-aligned."""
    classes = ["num" if column in numeric else None for column in columns]
    head = html.Thead(
        html.Tr([html.Th(h, className=c) for h, c in zip(headers, classes, strict=True)])
    )
    body_rows = [
        html.Tr([html.Td(row[col], className=c) for col, c in zip(columns, classes, strict=True)])
        for row in rows
    ]
    body = html.Tbody(body_rows, id=body_id) if body_id else html.Tbody(body_rows)
    table = html.Table([head, body], className="data-table")
    if table_id:
        table.id = table_id
    return table
