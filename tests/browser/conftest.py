"""The browser tests' shared pieces: the app on a loopback port and Debian's Chromium.

Chromium is Debian's (`make chromium` installs it), driven by Playwright and
never downloaded; the flags keep it from reaching the network.
"""
from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from chromium import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="module")
def live_server(app):
    """The web app served on a free loopback port, for the module's tests."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for the module's tests."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (Debian's chromium package)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
