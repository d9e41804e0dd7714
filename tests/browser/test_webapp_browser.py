"""The web app in a real Chromium (Debian's, headless, driven by Playwright).

The app is served on a loopback port by the test itself. The scenario is the
one a drafter follows: search, narrow by an instrument, copy a citation, open
the paragraph, compare instruments, download the results. Screenshots of the
main pages are written to tests/artifacts/ for a person to look at.

Every page runs under the app's Content-Security-Policy: the console of every
page opened here is watched, and a message from the policy fails the test.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from browser_fixtures import CSP_MESSAGE, PHONE, csp_messages, new_page

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def shoot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def count(page) -> int:
    return int(page.locator("#result-count").inner_text())


def facet_counts(page, facet) -> dict[str, int]:
    found = {}
    for label in page.locator(f"#facet-{facet} label.facet-value").all():
        value = label.locator("input").get_attribute("value")
        found[value] = int(re.match(r"\d+", label.locator(".count").text_content()).group())
    return found


def test_drafters_scenario(laptop, live_server):
    page = laptop
    page.goto("/")
    page.locator("#q").fill("regional centres")
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"q=regional\+centres"))
    total = count(page)
    themes = facet_counts(page, "theme")
    documents = facet_counts(page, "document")
    assert total > 0 and "basel" in facet_counts(page, "instrument")
    shoot(page, "search")

    # Ticking Basel submits the form: fewer results, other facets recounted.
    basel = page.locator('#facet-instrument input[value="basel"]')
    with page.expect_navigation():
        basel.check()
    assert "instrument=basel" in page.url
    narrowed = count(page)
    assert 0 < narrowed < total
    assert page.locator('#facet-instrument input[value="basel"]').is_checked()
    assert (facet_counts(page, "theme"), facet_counts(page, "document")) != (themes, documents)
    assert page.get_by_role("link", name=re.compile("Remove filter Instrument: Basel")).is_visible()

    # Unticking restores the counts; so does the back button.
    with page.expect_navigation():
        page.locator('#facet-instrument input[value="basel"]').uncheck()
    assert count(page) == total and facet_counts(page, "theme") == themes
    page.go_back()
    assert count(page) == narrowed
    page.go_forward()
    assert count(page) == total

    # Copy puts exactly the citation on the clipboard.
    first = page.locator("article.hit").first
    citation = first.locator(".citation a").inner_text()
    first.locator("button.copy").click()
    page.wait_for_function("document.querySelector('button.copy').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == citation
    assert re.match(r".+, (para|art)", citation)

    # The permalink opens the paragraph page.
    with page.expect_navigation():
        first.locator("a.permalink").click()
    assert "/para/" in page.url
    assert page.locator("h1#unit-citation").inner_text() == citation
    shoot(page, "paragraph")
    page.go_back()

    # The compare view for the same words.
    with page.expect_navigation():
        page.get_by_role("link", name="Compare instruments").click()
    assert "/compare?q=regional+centres" in page.url
    assert page.locator(".columns .column").count() >= 2
    assert page.locator("table.matrix td a").count() > 0
    shoot(page, "compare")
    page.go_back()

    # The CSV of the result set.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "mea-search-regional-centres.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["citation", "section", "text"]
    assert len(rows) - 1 == total
    assert citation in [r[0] for r in rows]


def test_slash_focuses_the_search_box(laptop):
    laptop.goto("/?q=mercury")
    laptop.locator("body").click(position={"x": 5, "y": 300})
    laptop.keyboard.press("/")
    assert laptop.evaluate("document.activeElement.id") == "q"


def test_filters_apply_without_javascript(browser, live_server):
    context, page = new_page(browser, live_server, java_script_enabled=False)
    try:
        page.goto("/?q=regional+centres")
        total = count(page)
        assert page.locator("button.copy").first.is_hidden()  # nothing to copy with
        page.locator('#facet-instrument input[value="basel"]').check()
        with page.expect_navigation():
            page.get_by_role("button", name="Apply filters").click()
        assert "instrument=basel" in page.url and count(page) < total
        assert csp_messages(page) == []
    finally:
        context.close()


def test_phone_layout(browser, live_server):
    context, page = new_page(browser, live_server, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page.goto("/?q=regional+centres")
        # Filters fold away so the results come first; nothing scrolls sideways.
        assert not page.locator("details.filters-panel").evaluate("d => d.open")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.locator("article.hit").first.is_visible()
        shoot(page, "search-phone")
        page.locator("article.hit a.permalink").first.click()
        page.wait_for_url(re.compile("/para/"))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shoot(page, "paragraph-phone")
        assert csp_messages(page) == []
    finally:
        context.close()


def test_keyboard_focus_is_visible(laptop):
    laptop.goto("/?q=mercury")
    laptop.keyboard.press("Tab")  # the skip link comes first
    assert laptop.evaluate("document.activeElement.className") == "skip-link"
    outline = laptop.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


@pytest.mark.parametrize(
    "path",
    [
        "/", "/?q=regional+centres", "/compare?q=waste", "/documents",
        "/doc/UNEP(DTIE)/Hg/INC.1/10", "/doc/UNEP(DTIE)/Hg/INC.1/10/para/8", "/nowhere",
    ],
)
def test_pages_run_under_the_content_security_policy(laptop, path):
    response = laptop.goto(path)
    assert "script-src 'self'" in response.headers["content-security-policy"]
    laptop.wait_for_load_state("load")
    laptop.locator("body").click(position={"x": 5, "y": 5})  # handlers run too
    assert csp_messages(laptop) == []  # (the fixture checks again at the end)


def test_the_policy_is_enforced_and_its_messages_are_seen(browser, live_server):
    # The watch above can fail: an inline script, as an injection would add, is
    # refused and the console says so.
    context, page = new_page(browser, live_server)
    try:
        page.goto("/?q=mercury")
        with page.expect_console_message(lambda message: CSP_MESSAGE.search(message.text) is not None):
            page.evaluate("""() => {
                const script = document.createElement("script");
                script.textContent = "document.title = 'injected'";
                document.body.appendChild(script);
            }""")
        assert page.title() != "injected"
        assert csp_messages(page)
    finally:
        context.close()
