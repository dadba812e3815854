"""The dashboards' home page as a reader sees it in a real browser."""

from __future__ import annotations

import tomllib
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from concord.app import create_app
from concord.services import build_services
from concord.settings import DEFAULT_CONFIG_DIR, Settings
from dashboards import ids
from tests.browser.conftest import LiveApp

HOME = "/dashboards/"
WAIT_S = 20
KNOWN_MEMBER = "RTX"


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


@pytest.fixture
def returns_received(live_app: LiveApp) -> Iterator[None]:
    """A few latest values in ``current_values``, as if monthly returns had been projected."""
    recorded = datetime(2019, 4, 15, tzinfo=UTC)
    rows = [
        (org, measure, period, value, "submitted", recorded, "test", 2, str(uuid.uuid4()))
        for org, measure, period, value in (
            ("RTX", "ae_4hr_performance", date(2019, 2, 1), 0.5),
            ("RTX", "ae_4hr_performance", date(2019, 3, 1), 0.9),
            ("AAH", "ae_4hr_performance", date(2019, 3, 1), 0.95),
            ("8J094", "ae_4hr_performance", date(2019, 3, 1), 0.8),
            ("RTX", "ae_attendances", date(2019, 3, 1), 12345.0),
        )
    ]
    with live_app.services.warehouse.transaction() as cur:
        cur.executemany(
            "INSERT INTO current_values (org_code, measure_code, period, value, status,"
            " recorded_at, actor, position, return_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    yield
    with live_app.services.warehouse.transaction() as cur:
        cur.execute("DELETE FROM current_values")


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


@pytest.mark.usefixtures("returns_received")
@pytest.mark.browser
def test_latest_positions_show_median_and_members_reporting(
    browser: WebDriver, live_app: LiveApp
) -> None:
    names = {m["code"]: m["name"] for m in _config("measures.toml")["measures"]}
    members = len(_config("alliance.toml")["members"])
    _open(browser, live_app.url(HOME))

    table = WebDriverWait(browser, WAIT_S).until(
        ec.presence_of_element_located((By.ID, ids.HOME_LATEST_TABLE))
    )
    rows = {row.find_element(By.TAG_NAME, "td").text: row.text
            for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")}
    assert "Mar 2019" in rows[names["ae_4hr_performance"]]
    assert "90%" in rows[names["ae_4hr_performance"]]
    assert f"3 of {members}" in rows[names["ae_4hr_performance"]]
    assert "12,345 attendances" in rows[names["ae_attendances"]]
    assert "No returns" in rows[names["shmi"]]
    summary = _text_of(browser, ids.HOME_SUMMARY)
    assert "Mar 2019" in summary
    assert "from 3 members" in summary


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
