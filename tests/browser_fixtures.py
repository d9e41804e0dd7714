"""The browser tests' shared pieces: the app on a loopback port and Debian's Chromium.

Chromium is Debian's (`make chromium` installs it), driven by Playwright and
never downloaded; the flags keep it from reaching the network. Registered as a
plugin by tests/conftest.py.
"""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
# Headless as root, and kept off the network: nothing but the app on loopback.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
# How long a page action or wait may take before the test fails.
TIMEOUT_MS = 10_000


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
