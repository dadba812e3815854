"""The home page's layout and members filter, drawn from a real warehouse without a browser."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from dash.development.base_component import Component
from flask import Flask

from concord.services import Services
from dashboards import ids
from dashboards.app import init_dashboards
from dashboards.pages import home

BASE = "/dashboards/"


def _text(node: Any) -> str:
    """All the text a reader would see under a component."""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return " ".join(_text(child) for child in node)
    if isinstance(node, Component):
        return _text(getattr(node, "children", None) or [])
    return ""


@pytest.fixture
def server(catalogued: Services) -> Iterator[Flask]:
    flask_app = Flask(__name__)
    init_dashboards(flask_app, cursor=catalogued.warehouse.cursor, url_base_pathname=BASE)
    with flask_app.test_request_context(BASE):
        yield flask_app


def test_home_shows_the_catalogue_and_an_empty_returns_state(server: Flask) -> None:
    page = home.layout()

    assert _text(page[ids.HOME_ALLIANCE_NAME]) == "NHS England A&E providers (demo alliance)"
    assert "Data as of log position 2" in _text(page[ids.HOME_POSITION])
    assert "274" in _text(page[ids.HOME_SUMMARY])
    assert "No returns received yet" in _text(page[ids.HOME_LATEST_EMPTY])
    assert "A&E 4-hour performance" in _text(page[ids.HOME_MEASURES])
    assert "RTX" in _text(page[ids.HOME_MEMBERS_BODY])


def test_home_before_the_catalogue_says_there_is_none(server: Flask) -> None:
    page = home.layout(as_of="1")

    assert _text(page[ids.HOME_ALLIANCE_NAME]) == "No catalogue yet"
    assert "log position 1" in _text(page[ids.HOME_NO_CATALOGUE])


def test_home_explains_an_unreadable_as_of(server: Flask) -> None:
    page = home.layout(as_of="yesterday-ish")

    assert "yesterday-ish" in _text(page[ids.HOME_AS_OF_ERROR])


def test_members_filter_shows_matching_rows_and_their_count() -> None:
    rows = [{"code": "RTX", "name": "a", "type": "t", "peer_groups": ""},
            {"code": "AAH", "name": "b", "type": "t", "peer_groups": ""}]

    body, count = home.show_matching_members("rtx", rows)
    assert [_text(row.children[0]) for row in body] == ["RTX"]
    assert count == "Showing 1 of 2 members"

    body, count = home.show_matching_members("zzz", rows)
    assert "No member matches" in _text(body)
    assert count == "Showing 0 of 2 members"


def test_shell_names_the_alliance_and_links_the_pages(server: Flask) -> None:
    response = server.test_client().get(f"{BASE}_dash-layout")

    assert response.status_code == 200
    shell = json.dumps(response.get_json())
    assert "NHS England A&E providers (demo alliance)" in shell
    assert '"href": "/dashboards/"' in shell
