"""Browser fixtures: the real app served on a free local port, driven by headless Chromium.

Without Chromium and chromedriver the browser tests skip, unless ``CONCORD_REQUIRE_BROWSER=1``
(as in CI), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver
from werkzeug.serving import make_server

from concord.app import create_app
from concord.services import Services, build_services
from concord.settings import DEFAULT_CONFIG_DIR, Settings
from ingest.catalogue.commands import apply_catalogue
from ingest.log.actor import Actor

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
WINDOW = (1400, 1000)


@dataclass(frozen=True)
class LiveApp:
    """A running Concord server and the services behind it (for arranging warehouse rows)."""

    base_url: str
    services: Services

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


def _browser_binaries() -> tuple[str, str]:
    """Chromium and chromedriver paths, or skip (fail when the browser is required)."""
    chromium = next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)
    driver = shutil.which("chromedriver")
    if chromium and driver:
        return chromium, driver
    found = {"chromium": chromium, "chromedriver": driver}
    missing = " and ".join(name for name, path in found.items() if not path)
    reason = f"{missing} not found (apt-get install chromium chromium-driver)"
    if os.environ.get("CONCORD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"CONCORD_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    chromium, driver_path = _browser_binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.add_argument(f"--window-size={WINDOW[0]},{WINDOW[1]}")
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_window_size(*WINDOW)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory, demo_catalogue) -> Iterator[LiveApp]:  # type: ignore[no-untyped-def]
    """The demo catalogue applied and projected; pages readable without a token (board role)."""
    data_dir = tmp_path_factory.mktemp("concord-data")
    settings = Settings.from_env(
        {}, data_dir=data_dir, config_dir=DEFAULT_CONFIG_DIR, anonymous_role="board"
    )
    services = build_services(settings)
    apply_catalogue(services.log, demo_catalogue, Actor.operator("test"), source="test")
    services.projector.catch_up()
    server = make_server("127.0.0.1", 0, create_app(services), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="concord-test-server", daemon=True)
    thread.start()
    try:
        yield LiveApp(base_url=f"http://127.0.0.1:{server.server_port}", services=services)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        services.close()


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where a test saves what the browser showed (``CONCORD_SCREENSHOT_DIR`` to keep them)."""
    kept = os.environ.get("CONCORD_SCREENSHOT_DIR")
    if kept:
        Path(kept).mkdir(parents=True, exist_ok=True)
        return Path(kept)
    return tmp_path
