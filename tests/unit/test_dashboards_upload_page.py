"""The upload page's layout, its callbacks that need no API, and the request it sends."""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from dash.development.base_component import Component
from dash.exceptions import PreventUpdate
from flask import Flask

from concord.services import Services
from dashboards import ids
from dashboards.app import init_dashboards
from dashboards.pages import upload
from dashboards.pages.upload_api import decode_contents, post_return, upload_request

BASE = "/dashboards/"
CSV = b"org_code,measure_code,period,value\nRTX,ae_attendances,2026-10,5\n"
CONTENTS = "data:text/csv;base64," + base64.b64encode(CSV).decode()


def _text(node: Any) -> str:
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
    flask_app.config["MAX_CONTENT_LENGTH"] = 50 * 1024 * 1024
    init_dashboards(flask_app, cursor=catalogued.warehouse.cursor, url_base_pathname=BASE)
    with flask_app.test_request_context(f"{BASE}upload"):
        yield flask_app


def test_the_page_offers_every_step_members_and_the_size_limit(server: Flask) -> None:
    page = upload.layout()

    assert "Upload a monthly return" in _text(page)
    assert "up to 37.5 MB" in _text(page[ids.UPLOAD_FILE])
    assert page[ids.UPLOAD_TOKEN].type == "password"
    assert page[ids.UPLOAD_TOKEN_STORE].storage_type == "session"
    assert page[ids.UPLOAD_CHECK].disabled and page[ids.UPLOAD_SUBMIT].disabled
    members = {option["value"] for option in page[ids.UPLOAD_MEMBER].options}
    assert "RTX" in members and len(members) == 274
    assert "hidden" in page[ids.UPLOAD_REASON_FIELD].className


def test_the_page_is_in_the_navigation(server: Flask) -> None:
    import dash

    pages = {page["name"]: page for page in dash.page_registry.values()}
    assert pages[upload.NAME]["relative_path"] == "/dashboards/upload"
    assert pages[upload.NAME]["order"] > pages["Overview"]["order"]


def test_choosing_a_file_shows_its_name_and_enables_the_check(server: Flask) -> None:
    text, css, check_disabled = upload.show_chosen_file({"name": "m.csv", "encoded_length": 4})
    assert (text, css, check_disabled) == ("m.csv · 3 bytes", "file-info", False)

    big = {"name": "big.csv", "encoded_length": 80 * 1024 * 1024}
    children, css, check_disabled = upload.show_chosen_file(big)
    assert "too large" in _text(children) and check_disabled
    assert "problem" in css


def test_the_reason_field_appears_only_for_a_restatement() -> None:
    checked = {"ready": True, "needs_reason": True, "key": "k", "submitted": False}

    disabled, css, hint = upload.show_readiness(checked, "")
    assert (disabled, css) == (True, "field")
    assert "reason" in hint
    assert upload.show_readiness(checked, "audit fix")[0] is False
    assert upload.show_readiness({**checked, "needs_reason": False}, None)[1] == "field hidden"


def test_a_submission_without_a_passing_check_sends_nothing() -> None:
    form = {"token": "t", "contents": CONTENTS, "filename": "m.csv", "member": None,
            "sheet": None}
    with pytest.raises(PreventUpdate):
        upload.submit_file(1, form, None, None)
    with pytest.raises(PreventUpdate):
        upload.submit_file(1, form, None, {"ready": False, "needs_reason": False, "key": None})


def test_template_links_follow_member_and_period() -> None:
    csv, xlsx, csv_css, _, hint = upload.show_template_links("RTX", "2026-10")
    assert (csv, xlsx) == ("/api/v1/templates/RTX/2026-10.csv",
                           "/api/v1/templates/RTX/2026-10.xlsx")
    assert csv_css == "button"
    csv, _, csv_css, _, hint = upload.show_template_links("RTX", "Oct")
    assert csv is None and "is-disabled" in csv_css and "YYYY-MM" in hint


def test_the_request_carries_the_file_options_and_token() -> None:
    request = upload_request(CONTENTS, "m.csv", token=" abc ", member=" RTX ", sheet="",
                             reason="fix", dry_run=True, idempotency_key="key-1")

    assert request.data == CSV
    assert request.form == {"dry_run": "true", "org_code": "RTX", "reason": "fix"}
    assert (request.token, request.idempotency_key) == ("abc", "key-1")
    with pytest.raises(ValueError, match="Choose a file"):
        upload_request(None, None, token=None, dry_run=True)


@pytest.mark.parametrize("contents", ["not a data url", "data:text/csv;base64,@@@"])
def test_unreadable_contents_are_refused_with_a_message(contents: str) -> None:
    with pytest.raises(ValueError, match="could not be read"):
        decode_contents(contents)


def test_an_unreachable_api_is_an_answer_not_an_exception() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the request: nothing listens
    request = upload_request(CONTENTS, "m.csv", token="t", dry_run=True)

    answer = post_return(f"http://127.0.0.1:{port}/", request)

    assert answer.status == 0
    assert "could not be reached" in answer.body["detail"]
