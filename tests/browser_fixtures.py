"""The browser tests' shared pieces: the app on a loopback port and Debian's Chromium.

Chromium is Debian's (`make chromium` installs it), driven by Playwright and
never downloaded; the flags keep it from reaching the network. Registered as a
plugin by tests/conftest.py.
"""
from __future__ import annotations

import re
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
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# Console messages Chromium writes when the Content-Security-Policy blocks something.
CSP_MESSAGE = re.compile(r"Content[ -]Security[ -]Policy", re.IGNORECASE)
_CSP_MESSAGES: dict[int, list[str]] = {}


def csp_messages(page) -> list[str]:
    """What the Content-Security-Policy blocked on ``page`` since it opened."""
    return _CSP_MESSAGES[id(page)]


def new_page(browser, live_server, viewport=LAPTOP, **options):
    """A page in a fresh context (its own storage, the clipboard allowed), its
    console watched for the Content-Security-Policy's messages."""
    context = browser.new_context(
        base_url=live_server, viewport=viewport, accept_downloads=True,
        permissions=["clipboard-read", "clipboard-write"], **options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    messages = _CSP_MESSAGES.setdefault(id(page), [])
    page.on("console", lambda message: messages.append(message.text) if CSP_MESSAGE.search(message.text) else None)
    return context, page


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


def _policed_page(browser, live_server, **options):
    """A page for one test; the test fails if the policy blocked anything on it."""
    context, page = new_page(browser, live_server, **options)
    yield page
    messages = csp_messages(page)
    context.close()
    assert messages == [], messages


@pytest.fixture
def laptop(browser, live_server):
    """A laptop-sized page."""
    yield from _policed_page(browser, live_server)


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized touch page, 390 px wide."""
    yield from _policed_page(browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True)
