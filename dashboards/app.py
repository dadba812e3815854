"""Build the one Dash app, mount it on Concord's Flask server and register every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dash
from dash import Dash, dcc, html
from flask import Flask, has_request_context

from dashboards import context, ids
from dashboards.context import CursorProvider, warehouse_cursor
from dashboards.pages import home, upload
from warehouse.asof import resolve_position
from warehouse.queries.catalogue import catalogue_at

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
PAGES = (home, upload)


def init_dashboards(
    server: Flask, *, cursor: CursorProvider, url_base_pathname: str = "/dashboards/",
    api_url: str | None = None,
) -> Dash:
    """Create the Dash app on ``server``; pages read the warehouse through ``cursor``.

    Access control is the server's job: it checks every request under ``url_base_pathname``.
    """
    context.install(server, cursor, api_url)
    app = Dash(
        __name__,
        server=server,
        url_base_pathname=url_base_pathname,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS_DIR),
        suppress_callback_exceptions=True,
        title="Concord",
        update_title=None,
    )
    for page in PAGES:
        page.register(app)
    app.layout = shell
    return app


def shell(**_kwargs: Any) -> html.Div:
    """The frame around every page: top bar with the alliance and the page links."""
    return html.Div(
        [
            html.Header(
                html.Div(
                    [
                        html.Div(
                            [html.Span("Concord", className="brand"),
                             html.Span(_alliance_name(), id=ids.TOPBAR_ALLIANCE,
                                       className="topbar-alliance")],
                            className="topbar-title",
                        ),
                        html.Nav(_nav_links(), id=ids.NAV, className="nav"),
                    ],
                    className="topbar-inner",
                ),
                id=ids.TOPBAR,
                className="topbar",
            ),
            html.Main(dash.page_container, className="page"),
        ],
        className="shell",
    )


def _nav_links() -> list[dcc.Link]:
    return [
        dcc.Link(page["name"], href=page["relative_path"], className="nav-link")
        for page in dash.page_registry.values()
    ]


def _alliance_name() -> str:
    """The alliance as it stands now (pages show any past moment themselves)."""
    if not has_request_context():
        return ""
    with warehouse_cursor() as cur:
        catalogue = catalogue_at(cur, resolve_position(cur, None))
    return catalogue["alliance_name"] if catalogue else "No catalogue applied"
