"""The dashboards' home page as a reader sees it in a real browser."""

from __future__ import annotations

import threading
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from concord.app import create_app
from concord.services import build_services
from concord.settings import DEFAULT_CONFIG_DIR, Settings
from dashboards import ids
from ingest.catalogue.commands import apply_catalogue
from ingest.log.actor import Actor
from tests.browser.conftest import LiveApp
from tests.support.returns import submit

HOME = "/dashboards/"
WAIT_S = 20
KNOWN_MEMBER = "RTX"
FOUR_HOUR = "ae_4hr_performance"
UNSIGNED_MEMBER = "AC008"


def _config(name: str) -> dict[str, Any]:
    return tomllib.loads((DEFAULT_CONFIG_DIR / name).read_text(encoding="utf-8"))


def _open(browser: WebDriver, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, WAIT_S).until(ec.presence_of_element_located((By.ID, ids.HOME)))


def _text_of(browser: WebDriver, element_id: str) -> str:
    return browser.find_element(By.ID, element_id).text


def _member_codes(browser: WebDriver) -> list[str]:
    cells = browser.find_elements(By.CSS_SELECTOR, f"#{ids.HOME_MEMBERS_BODY} tr td:first-child")
    return [cell.text for cell in cells if cell.is_displayed()]


@pytest.fixture(scope="module")
def returns_app(  # type: ignore[no-untyped-def]
    tmp_path_factory: pytest.TempPathFactory, demo_catalogue
) -> Iterator[tuple[LiveApp, int]]:
    """A server of its own holding a few March 2019 returns, recorded through the log.

    Its own, because the log only grows: the other tests here show a log with no returns.
    February is signed off at ``feb_position``; one member's March return is never signed off.
    """
    settings = Settings.from_env({}, data_dir=tmp_path_factory.mktemp("concord-home"),
                                 config_dir=DEFAULT_CONFIG_DIR, anonymous_role="board")
    services = build_services(settings)
    apply_catalogue(services.log, demo_catalogue, Actor.operator("test"), source="test")
    feb_position = submit(services, [("RTX", FOUR_HOUR, "2019-02", None, 500, 1000)],
                          at=datetime(2019, 4, 1, 9, tzinfo=UTC))
    submit(services, [
        ("RTX", FOUR_HOUR, "2019-03", None, 900, 1000),
        ("AAH", FOUR_HOUR, "2019-03", None, 950, 1000),
        ("8J094", FOUR_HOUR, "2019-03", None, 800, 1000),
        ("RTX", "ae_attendances", "2019-03", 12345, None, None),
    ], at=datetime(2019, 5, 1, 9, tzinfo=UTC))
    submit(services, [
        (UNSIGNED_MEMBER, FOUR_HOUR, "2019-03", None, 100, 1000),
        (UNSIGNED_MEMBER, "shmi", "2019-03", None, 30, 20),
    ], at=datetime(2019, 5, 2, 9, tzinfo=UTC), signed_off=False)
    server = make_server("127.0.0.1", 0, create_app(services), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="concord-home-server",
                              daemon=True)
    thread.start()
    try:
        app = LiveApp(base_url=f"http://127.0.0.1:{server.server_port}", services=services)
        yield app, feb_position
    finally:
        server.shutdown()
        thread.join(timeout=10)
        services.close()


def _latest_rows(browser: WebDriver) -> dict[str, str]:
    """The latest positions table: each row's text keyed by its measure name."""
    table = WebDriverWait(browser, WAIT_S).until(
        ec.presence_of_element_located((By.ID, ids.HOME_LATEST_TABLE))
    )
    return {row.find_element(By.TAG_NAME, "td").text: row.text
            for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")}


@pytest.mark.browser
def test_home_shows_alliance_position_and_empty_returns(
    browser: WebDriver, live_app: LiveApp, screenshot_dir: Path
) -> None:
    alliance = _config("alliance.toml")["alliance"]["name"]
    _open(browser, live_app.url(HOME))

    WebDriverWait(browser, WAIT_S).until(
        ec.text_to_be_present_in_element((By.ID, ids.HOME_ALLIANCE_NAME), alliance)
    )
    assert "Concord" in browser.title
    assert alliance in _text_of(browser, ids.TOPBAR_ALLIANCE)
    assert "Data as of log position 2" in _text_of(browser, ids.HOME_POSITION)
    assert "Catalogue version" in _text_of(browser, ids.HOME_CATALOGUE)
    assert "No returns received yet" in _text_of(browser, ids.HOME_LATEST_EMPTY)
    summary = _text_of(browser, ids.HOME_SUMMARY)
    assert str(len(_config("alliance.toml")["members"])) in summary
    WebDriverWait(browser, WAIT_S).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, f"#{ids.HOME_PEER_GROUP_CHART} .main-svg"))
    )
    browser.set_window_size(1400, 2600)
    try:
        assert browser.save_screenshot(str(screenshot_dir / "home.png"))
    finally:
        browser.set_window_size(1400, 1000)


@pytest.mark.browser
def test_members_table_lists_and_filters_to_a_member(browser: WebDriver, live_app: LiveApp) -> None:
    _open(browser, live_app.url(HOME))
    WebDriverWait(browser, WAIT_S).until(lambda _: KNOWN_MEMBER in _member_codes(browser))
    everyone = len(_member_codes(browser))

    browser.find_element(By.ID, ids.HOME_MEMBERS_FILTER).send_keys(KNOWN_MEMBER)

    WebDriverWait(browser, WAIT_S).until(lambda _: len(_member_codes(browser)) < everyone)
    shown = _member_codes(browser)
    assert KNOWN_MEMBER in shown
    assert all(KNOWN_MEMBER in code for code in shown)
    count = _text_of(browser, ids.HOME_MEMBERS_COUNT)
    assert f"Showing {len(shown)} of {everyone} members" in count


@pytest.mark.browser
def test_measures_section_lists_every_catalogue_measure_by_domain(
    browser: WebDriver, live_app: LiveApp
) -> None:
    measures = _config("measures.toml")["measures"]
    _open(browser, live_app.url(HOME))

    text = _text_of(browser, ids.HOME_MEASURES)
    for measure in measures:
        assert measure["name"] in text
    first_target = next(m for m in measures if m["kind"] == "proportion" and "target" in m)
    code = first_target["code"]
    row = browser.find_element(
        By.XPATH, f"//*[@id='{ids.HOME_MEASURES}']//tr[.//td[contains(., '{code}')]]"
    )
    assert f"{first_target['target'] * 100:g}%" in row.text
    assert "Clinical quality" in text


@pytest.mark.browser
def test_latest_positions_show_signed_off_values_only(
    browser: WebDriver, returns_app: tuple[LiveApp, int]
) -> None:
    app, _feb_position = returns_app
    names = {m["code"]: m["name"] for m in _config("measures.toml")["measures"]}
    members = len(_config("alliance.toml")["members"])
    _open(browser, app.url(HOME))

    rows = _latest_rows(browser)
    assert "Mar 2019" in rows[names[FOUR_HOUR]]
    assert "90%" in rows[names[FOUR_HOUR]]
    assert f"3 of {members}" in rows[names[FOUR_HOUR]]
    assert "12,345 attendances" in rows[names["ae_attendances"]]
    assert "No returns" in rows[names["shmi"]]
    summary = _text_of(browser, ids.HOME_SUMMARY)
    assert "Mar 2019" in summary
    assert "from 3 members" in summary


@pytest.mark.browser
def test_as_of_an_earlier_position_shows_what_was_shared_then(
    browser: WebDriver, returns_app: tuple[LiveApp, int]
) -> None:
    app, feb_position = returns_app
    names = {m["code"]: m["name"] for m in _config("measures.toml")["measures"]}
    members = len(_config("alliance.toml")["members"])
    _open(browser, app.url(f"{HOME}?as_of={feb_position}"))

    rows = _latest_rows(browser)
    assert f"Data as of log position {feb_position}" in _text_of(browser, ids.HOME_POSITION)
    assert "Feb 2019" in rows[names[FOUR_HOUR]]
    assert "50%" in rows[names[FOUR_HOUR]]
    assert f"1 of {members}" in rows[names[FOUR_HOUR]]
    assert "No returns" in rows[names["ae_attendances"]]


@pytest.mark.browser
def test_as_of_before_the_catalogue_shows_no_catalogue_yet(
    browser: WebDriver, live_app: LiveApp
) -> None:
    _open(browser, live_app.url(f"{HOME}?as_of=1"))

    WebDriverWait(browser, WAIT_S).until(
        ec.presence_of_element_located((By.ID, ids.HOME_NO_CATALOGUE))
    )
    assert "Data as of log position 1" in _text_of(browser, ids.HOME_POSITION)
    assert "No catalogue yet" in _text_of(browser, ids.HOME_ALLIANCE_NAME)
    assert not browser.find_elements(By.ID, ids.HOME_MEMBERS_TABLE)


@pytest.mark.browser
def test_unreadable_as_of_is_explained(browser: WebDriver, live_app: LiveApp) -> None:
    _open(browser, live_app.url(f"{HOME}?as_of=last-tuesday"))

    message = WebDriverWait(browser, WAIT_S).until(
        ec.presence_of_element_located((By.ID, ids.HOME_AS_OF_ERROR))
    )
    assert "last-tuesday" in message.text


def test_dashboards_refuse_a_caller_without_access(tmp_path: Path) -> None:
    settings = Settings.from_env({}, data_dir=tmp_path, config_dir=DEFAULT_CONFIG_DIR)
    services = build_services(settings)
    try:
        client = create_app(services).test_client()
        for path in (HOME, f"{HOME}_dash-layout"):
            assert client.get(path).status_code == 401
    finally:
        services.close()
