"""The upload page as a member's data lead uses it: check a return, submit it, fix a bad one."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
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
from tests.api.conftest import token_for
from tests.browser.conftest import LiveApp

PAGE = "/dashboards/upload"
WAIT_S = 30
HEADER = "org_code,measure_code,period,value,numerator,denominator,comment\n"


def _last_month() -> str:
    """Still open for submissions (returns lock about two months after their period)."""
    today = datetime.now(UTC).date()
    return (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


PERIOD = _last_month()


@pytest.fixture(scope="module")
def upload_app(tmp_path_factory: pytest.TempPathFactory, demo_catalogue) -> Iterator[LiveApp]:  # type: ignore[no-untyped-def]
    """A server of its own: these tests record returns, which other pages' tests must not see.

    Threaded, because the page's callbacks call the same server's API.
    """
    settings = Settings.from_env({}, data_dir=tmp_path_factory.mktemp("concord-upload"),
                                 config_dir=DEFAULT_CONFIG_DIR, anonymous_role="board")
    services = build_services(settings)
    apply_catalogue(services.log, demo_catalogue, Actor.operator("test"), source="test")
    services.projector.catch_up()
    server = make_server("127.0.0.1", 0, create_app(services), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="concord-upload-server",
                              daemon=True)
    thread.start()
    try:
        yield LiveApp(base_url=f"http://127.0.0.1:{server.server_port}", services=services)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        services.close()


@pytest.fixture(scope="module")
def rtx_token(upload_app: LiveApp) -> str:
    """A submitter bound to member RTX (a data lead at that hospital)."""
    return token_for(upload_app.services, "rita", "submitter", "RTX")


def _open(browser: WebDriver, app: LiveApp) -> None:
    browser.get(app.url(PAGE))
    WebDriverWait(browser, WAIT_S).until(ec.presence_of_element_located((By.ID, ids.UPLOAD)))


def _remembered_token(browser: WebDriver) -> str:
    script = "return JSON.parse(window.sessionStorage.getItem(arguments[0]) || 'null') || ''"
    return str(browser.execute_script(script, ids.UPLOAD_TOKEN_STORE))


def _paste_token(browser: WebDriver, token: str) -> None:
    """Replace the token in the box, once the page has put back any token it remembered."""
    box = browser.find_element(By.ID, ids.UPLOAD_TOKEN)
    WebDriverWait(browser, WAIT_S).until(
        lambda _: box.get_attribute("value") == _remembered_token(browser)
    )
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.DELETE)
    box.send_keys(token)
    assert box.get_attribute("value") == token


def _choose_file(browser: WebDriver, path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    picker = browser.find_element(By.CSS_SELECTOR, f"#{ids.UPLOAD_FILE} input[type=file]")
    picker.send_keys(str(path))
    WebDriverWait(browser, WAIT_S).until(
        ec.text_to_be_present_in_element((By.ID, ids.UPLOAD_FILE_INFO), path.name)
    )


def _click_when_enabled(browser: WebDriver, element_id: str) -> None:
    WebDriverWait(browser, WAIT_S).until(ec.element_to_be_clickable((By.ID, element_id))).click()


def _wait_for_text(browser: WebDriver, element_id: str, text: str) -> str:
    WebDriverWait(browser, WAIT_S).until(
        ec.text_to_be_present_in_element((By.ID, element_id), text)
    )
    return browser.find_element(By.ID, element_id).text


def _text_of(browser: WebDriver, element_id: str) -> str:
    return browser.find_element(By.ID, element_id).text


def _screenshot(browser: WebDriver, path: Path) -> None:
    height = browser.execute_script("return document.body.scrollHeight")
    browser.set_window_size(1400, max(1000, int(height) + 120))
    try:
        assert browser.save_screenshot(str(path))
    finally:
        browser.set_window_size(1400, 1000)


@pytest.mark.browser
def test_a_checked_return_is_submitted_and_gets_a_receipt(
    browser: WebDriver, upload_app: LiveApp, rtx_token: str, tmp_path: Path,
    screenshot_dir: Path,
) -> None:
    good = HEADER + (f"RTX,ae_4hr_performance,{PERIOD},,900,1000,\n"
                     f"RTX,ae_attendances,{PERIOD},1000,,,\n")
    head = upload_app.services.log.head()
    _open(browser, upload_app)
    _paste_token(browser, rtx_token)
    _choose_file(browser, tmp_path / "rtx-return.csv", good)

    _click_when_enabled(browser, ids.UPLOAD_CHECK)

    summary = _wait_for_text(browser, ids.UPLOAD_REPORT_SUMMARY, "Check passed")
    assert "2 new values would be recorded" in summary
    assert "nothing recorded" in summary
    counts = _text_of(browser, ids.UPLOAD_REPORT_COUNTS).lower()
    assert "new values\n2" in counts and "changed values\n0" in counts
    diff = _text_of(browser, ids.UPLOAD_REPORT_DIFF)
    assert "A&E 4-hour performance" in diff and "A&E attendances" in diff
    assert "90% (900 / 1,000)" in diff and "1,000 attendances" in diff
    assert diff.count("New") >= 2
    assert upload_app.services.log.head() == head  # the check recorded nothing
    _screenshot(browser, screenshot_dir / "upload-checked.png")

    _click_when_enabled(browser, ids.UPLOAD_SUBMIT)

    receipt = _wait_for_text(browser, ids.UPLOAD_RECEIPT_SUMMARY, "Accepted")
    position = re.search(r"recorded at log position (\d+)", receipt)
    assert position, receipt
    assert int(position.group(1)) == upload_app.services.log.head() > head
    assert "Accepted: 2 new, 0 changed, 0 unchanged values in 1 returns" in receipt
    returns = _text_of(browser, ids.UPLOAD_RECEIPT_RETURNS)
    assert "RTX" in returns
    assert not browser.find_element(By.ID, ids.UPLOAD_SUBMIT).is_enabled()
    assert "Submitted" in _text_of(browser, ids.UPLOAD_SUBMIT_HINT)
    _screenshot(browser, screenshot_dir / "upload-submitted.png")


@pytest.mark.browser
def test_a_bad_row_is_listed_with_its_row_and_column_and_nothing_is_recorded(
    browser: WebDriver, upload_app: LiveApp, rtx_token: str, tmp_path: Path,
    screenshot_dir: Path,
) -> None:
    bad = HEADER + (f"RTX,ae_4hr_performance,{PERIOD},,1200,1000,\n"
                    f"RTX,ae_attendances,{PERIOD},1000,,,\n")
    head = upload_app.services.log.head()
    _open(browser, upload_app)
    _paste_token(browser, rtx_token)
    _choose_file(browser, tmp_path / "rtx-bad-return.csv", bad)

    _click_when_enabled(browser, ids.UPLOAD_CHECK)

    summary = _wait_for_text(browser, ids.UPLOAD_REPORT_SUMMARY, "Rejected")
    assert "nothing was recorded" in summary
    problem = browser.find_element(
        By.XPATH, f"//*[@id='{ids.UPLOAD_REPORT_PROBLEMS}']//tbody/tr[td[2]='2']"
    )
    cells = [cell.text for cell in problem.find_elements(By.TAG_NAME, "td")]
    assert cells[:4] == ["Error", "2", "numerator", "numerator_exceeds_denominator"]
    assert not browser.find_element(By.ID, ids.UPLOAD_SUBMIT).is_enabled()
    assert upload_app.services.log.head() == head
    _screenshot(browser, screenshot_dir / "upload-rejected.png")


@pytest.mark.browser
def test_a_restatement_needs_a_reason_and_a_double_click_records_it_once(
    browser: WebDriver, upload_app: LiveApp, rtx_token: str, tmp_path: Path,
    screenshot_dir: Path,
) -> None:
    auth = {"Authorization": f"Bearer {rtx_token}"}
    held = HEADER + f"RTX,ae_admission_share,{PERIOD},,250,1000,\n"
    arranged = requests.post(upload_app.url("/api/v1/returns"), headers=auth, timeout=30,
                             files={"file": ("held.csv", held.encode())})
    assert arranged.status_code == 200, arranged.text
    _open(browser, upload_app)
    _paste_token(browser, rtx_token)
    _choose_file(browser, tmp_path / "restated.csv", held.replace(",250,", ",300,"))

    _click_when_enabled(browser, ids.UPLOAD_CHECK)

    summary = _wait_for_text(browser, ids.UPLOAD_REPORT_SUMMARY, "1 changed value")
    assert "reason for the restatement below" in summary
    assert "25% (250 / 1,000)" in _text_of(browser, ids.UPLOAD_REPORT_DIFF)
    reason = browser.find_element(By.ID, ids.UPLOAD_REASON)
    assert reason.is_displayed()
    assert not browser.find_element(By.ID, ids.UPLOAD_SUBMIT).is_enabled()

    reason.send_keys("admissions recounted after audit")
    _screenshot(browser, screenshot_dir / "upload-restatement.png")
    submit = WebDriverWait(browser, WAIT_S).until(
        ec.element_to_be_clickable((By.ID, ids.UPLOAD_SUBMIT))
    )
    ActionChains(browser).double_click(submit).perform()

    _wait_for_text(browser, ids.UPLOAD_RECEIPT_SUMMARY, "Accepted")
    history = requests.get(
        upload_app.url(f"/api/v1/values/RTX/ae_admission_share/{PERIOD}/history"),
        headers=auth, timeout=30,
    ).json()
    assert [h["value"] for h in history] == [0.25, 0.3]
    assert history[1]["reason"] == "admissions recounted after audit"


@pytest.mark.browser
def test_an_unknown_token_is_explained_not_shown_as_an_error_page(
    browser: WebDriver, upload_app: LiveApp, tmp_path: Path
) -> None:
    _open(browser, upload_app)
    _paste_token(browser, "not-a-real-token")
    _choose_file(browser, tmp_path / "return.csv", HEADER + f"RTX,ae_attendances,{PERIOD},5,,,\n")

    _click_when_enabled(browser, ids.UPLOAD_CHECK)

    summary = _wait_for_text(browser, ids.UPLOAD_REPORT_SUMMARY, "token was not accepted")
    assert "Traceback" not in browser.page_source
    assert "Nothing was recorded" in summary


@pytest.mark.browser
def test_the_token_is_remembered_for_the_browser_session(
    browser: WebDriver, upload_app: LiveApp
) -> None:
    _open(browser, upload_app)
    _paste_token(browser, "remembered-token")

    _open(browser, upload_app)

    WebDriverWait(browser, WAIT_S).until(
        lambda _: browser.find_element(By.ID, ids.UPLOAD_TOKEN).get_attribute("value")
        == "remembered-token"
    )
    assert browser.find_element(By.ID, ids.UPLOAD_TOKEN).get_attribute("type") == "password"


@pytest.mark.browser
def test_nav_links_to_the_upload_page(browser: WebDriver, upload_app: LiveApp) -> None:
    browser.get(upload_app.url("/dashboards/"))
    link = WebDriverWait(browser, WAIT_S).until(
        ec.element_to_be_clickable((By.LINK_TEXT, "Upload a return"))
    )
    link.click()
    WebDriverWait(browser, WAIT_S).until(ec.presence_of_element_located((By.ID, ids.UPLOAD)))
    assert browser.current_url.endswith(PAGE)
