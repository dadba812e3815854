"""The home page (``/``): the alliance, its catalogue, its members and the latest positions.

``?as_of=<log position or ISO time>`` draws the page as the warehouse stood at that moment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import dash
import duckdb
from dash import Dash, Input, Output, State, html

from dashboards import ids
from dashboards.components import table_rows
from dashboards.context import warehouse_cursor
from dashboards.frames import filter_members
from dashboards.pages import home_sections as sections
from dashboards.pages.home_sections import HomeSnapshot
from warehouse.asof import parse_as_of, resolve_position
from warehouse.queries.catalogue import catalogue_at, measures_at, members_at, peer_groups_at
from warehouse.queries.home import measure_latest_at, value_totals_at

PATH = "/"
NAME = "Overview"
TITLE = "Concord · Overview"


def load_snapshot(cur: duckdb.DuckDBPyConnection, as_of: int | datetime | None) -> HomeSnapshot:
    """Read everything the page shows at one log position, so the sections agree."""
    position = resolve_position(cur, as_of)
    catalogue = catalogue_at(cur, position)
    if catalogue is None:
        return HomeSnapshot(position=position, catalogue=None)
    return HomeSnapshot(
        position=position,
        catalogue=catalogue,
        members=members_at(cur, position),
        measures=measures_at(cur, position),
        peer_groups=peer_groups_at(cur, position),
        latest=measure_latest_at(cur, position),
        totals=value_totals_at(cur, position),
    )


def layout(as_of: str | None = None, **_query: Any) -> html.Div:
    """The page for one request; other query parameters are ignored."""
    latest_href = dash.get_relative_path(PATH)
    try:
        moment = parse_as_of(as_of)
    except ValueError as error:
        state = sections.as_of_error(str(error), latest_href=latest_href)
        return html.Div([state], id=ids.HOME, className="home")
    with warehouse_cursor() as cur:
        snapshot = load_snapshot(cur, moment)
    shown_as_of = as_of.strip() if moment is not None and as_of else None
    children: list[Any] = [
        sections.header(snapshot, as_of=shown_as_of, latest_href=latest_href)
    ]
    if snapshot.catalogue is None:
        children.append(sections.no_catalogue(snapshot))
    else:
        children += [
            sections.summary(snapshot),
            sections.latest_positions(snapshot),
            sections.charts(snapshot),
            sections.measures(snapshot),
            sections.members(snapshot),
        ]
    return html.Div(children, id=ids.HOME, className="home")


def show_matching_members(text: str | None, rows: list[dict[str, str]] | None) -> tuple[Any, str]:
    """Callback: the members table body and count for the filter box's text."""
    everyone = rows or []
    shown = filter_members(everyone, text)
    body: list[Any] = table_rows(shown, sections.MEMBER_COLUMNS)
    if not shown:
        body = [html.Tr(html.Td(f"No member matches “{text}”", colSpan=len(sections.MEMBER_COLUMNS),
                                className="empty-row"))]
    return body, sections.member_count_text(len(shown), len(everyone))


def register(app: Dash) -> None:
    """Register the page and its callbacks on ``app`` (``init_dashboards`` calls it once)."""
    dash.register_page(__name__, path=PATH, name=NAME, title=TITLE, order=0, layout=layout)
    app.callback(
        Output(ids.HOME_MEMBERS_BODY, "children"),
        Output(ids.HOME_MEMBERS_COUNT, "children"),
        Input(ids.HOME_MEMBERS_FILTER, "value"),
        State(ids.HOME_MEMBERS_STORE, "data"),
        prevent_initial_call=True,
    )(show_matching_members)
