"""The home page's layout and members filter, drawn from a real warehouse without a browser."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from dash.development.base_component import Component
from flask import Flask

from concord.services import Services
from dashboards import ids
from dashboards.app import init_dashboards
from dashboards.pages import home
from tests.support.returns import submit

BASE = "/dashboards/"
FOUR_HOUR_NAME = "A&E 4-hour performance"


def _text(node: Any) -> str:
    """All the text a reader would see under a component."""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list | tuple):
        return " ".join(_text(child) for child in node)
    if isinstance(node, Component):
        return _text(getattr(node, "children", None) or [])
    return ""


def _latest_row(page: Component, measure_name: str) -> str:
    """The text of one measure's row in the latest positions table."""
    _head, body = page[ids.HOME_LATEST_TABLE].children
    rows = [_text(row) for row in body.children]
    (row,) = [text for text in rows if text.startswith(measure_name + " ")]
    return row


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


def test_home_shows_signed_off_values_but_not_unsigned_ones(
    server: Flask, catalogued: Services
) -> None:
    submit(catalogued, [("RTX", "ae_4hr_performance", "2019-03", None, 900, 1000)],
           at=datetime(2019, 5, 1, 9, tzinfo=UTC))
    submit(catalogued, [("AAH", "ae_4hr_performance", "2019-03", None, 100, 1000),
                        ("AAH", "ae_attendances", "2019-03", 1000, None, None)],
           at=datetime(2019, 5, 2, 9, tzinfo=UTC), signed_off=False)

    page = home.layout()

    row = _latest_row(page, FOUR_HOUR_NAME)
    assert "Mar 2019" in row
    assert "90%" in row
    assert "1 of 274" in row
    assert "No returns" in _latest_row(page, "A&E attendances")
    assert "from 1 members" in _text(page[ids.HOME_SUMMARY])


def test_home_as_of_an_earlier_position_shows_the_values_shared_then(
    server: Flask, catalogued: Services
) -> None:
    february = submit(catalogued, [("RTX", "ae_4hr_performance", "2019-02", None, 500, 1000)],
                      at=datetime(2019, 4, 1, 9, tzinfo=UTC))
    submit(catalogued, [("RTX", "ae_4hr_performance", "2019-03", None, 900, 1000)],
           at=datetime(2019, 5, 1, 9, tzinfo=UTC))

    page = home.layout(as_of=str(february))

    assert f"log position {february}" in _text(page[ids.HOME_POSITION])
    row = _latest_row(page, FOUR_HOUR_NAME)
    assert "Feb 2019" in row
    assert "50%" in row
    assert "Mar 2019" in _latest_row(home.layout(), FOUR_HOUR_NAME)


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
