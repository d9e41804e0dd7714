"""Citations in a real Chromium: follow a reference, see it in "cited by", open the original.

From the seed note's paragraph 7 a drafter follows its reference to article 14,
paragraph 1, of the Basel Convention, finds paragraph 7 among the paragraphs
citing it, and opens the original PDF of paragraph 7 at its page.
"""
from __future__ import annotations

import re

import pytest

from browser_fixtures import TIMEOUT_MS

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

SEED_SYMBOL = "UNEP(DTIE)/Hg/INC.1/10"


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_follow_reference_see_cited_by_open_original(page, app):
    page.goto(f"/doc/{SEED_SYMBOL}/para/7")
    references = page.locator("section", has=page.locator("#references-heading"))
    references.get_by_role("link", name=re.compile(r"^Paragraph 1 of article 14 of the Basel Convention")).click()
    page.wait_for_url(re.compile(r"/doc/Basel%20Convention/para/art14\.1$|/doc/Basel Convention/para/art14\.1$"))
    assert page.locator("#unit-citation").inner_text() == "Basel Convention, art. 14, para. 1"

    cited_by = page.locator("section", has=page.locator("#cited-by-heading"))
    assert re.search(r"Cited by \d+ paragraphs?\.", cited_by.inner_text())
    citing = cited_by.get_by_role("link", name=f"{SEED_SYMBOL}, para. 7", exact=True)
    assert citing.count() == 1
    citing.click()
    page.wait_for_url(re.compile(r"/para/7$"))

    expected_page = app.extensions["search_service"].paragraph(SEED_SYMBOL, "7").hit.page
    original = page.locator("a.original-link")
    href = original.get_attribute("href")
    assert href.endswith(f"#page={expected_page}")
    with page.expect_response(lambda r: "/file/" in r.url) as response_info:
        try:
            original.click()
            page.wait_for_url(re.compile(rf"#page={expected_page}$"))
        except playwright_api.Error:
            pass  # a headless browser may take the PDF as a download instead of showing it
    response = response_info.value
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/pdf")
    assert page.url.endswith(f"#page={expected_page}")
    # Chromium shows the PDF in its viewer (what the page's body then holds); the bytes
    # served at that address are the original file.
    assert page.request.get(page.url.split("#")[0]).body().startswith(b"%PDF")
