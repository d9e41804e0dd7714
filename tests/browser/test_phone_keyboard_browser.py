"""Phones and keyboards in a real Chromium: nothing wider than a phone, the filters
panel open while ticking, focus back on the ticked filter, "/" to the search box,
the skip link, and the outline of a long document from its top.

Each test opens a fresh browser context (its own sessionStorage), so what one
page remembers never leaks into another test.
"""
from __future__ import annotations

from urllib.parse import quote

import pytest

from browser_fixtures import PHONE, new_page

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

SEED = "UNEP(DTIE)/Hg/INC.1/10"
# A symbol longer than a phone's line at heading size: it must wrap, not widen the page.
LONG_SYMBOL = "UNEP(DTIE)/Hg/INC.1/10/Add.1/Rev.1"
# A long unit id with no break in it: the answer that the seed note has no such unit shows it.
LONG_PARAGRAPH = "annexIII.partII.sectionB.paragraph14.subparagraphA.clauseIII.itemB"


def focused_checkbox(page) -> tuple:
    state = focused(page)
    return state["tag"], state["name"], state["value"], state["checked"]


def focused(page) -> dict:
    return page.evaluate("""() => {
        const e = document.activeElement;
        return {tag: e.tagName, id: e.id, name: e.getAttribute("name"), value: e.getAttribute("value"),
                checked: !!e.checked, text: (e.textContent || "").trim()};
    }""")


@pytest.mark.parametrize("path", [
    pytest.param(f"/?q={quote(LONG_SYMBOL)}", id="search-long-query"),
    pytest.param(f"/?q=mercury&document={quote(SEED)}", id="search-document-filter"),
    pytest.param(f"/doc/{SEED}/para/8", id="paragraph"),
    pytest.param(f"/doc/{SEED}/para/{LONG_PARAGRAPH}", id="paragraph-missing-long-id"),
    pytest.param(f"/doc/{SEED}", id="document"),
    pytest.param("/doc/UNEP(DTIE)/Hg/OEWG.2/10", id="document-cited-not-indexed"),
    pytest.param(f"/doc/{LONG_SYMBOL}/{'X' * 60}", id="document-missing-long-symbol"),
    pytest.param("/documents", id="documents"),
    pytest.param(f"/compare?q={quote(LONG_SYMBOL)}", id="compare-long-query"),
    pytest.param(f"/compare?q=technology+transfer&document={quote(SEED)}", id="compare"),
])
def test_no_page_is_wider_than_a_phone(phone, path):
    phone.goto(path)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_ticking_a_facet_with_the_keyboard_brings_focus_back_to_it(laptop):
    laptop.goto("/?q=regional+centres")
    box = laptop.locator('#facet-instrument input[value="basel"]')
    box.focus()
    with laptop.expect_navigation():
        laptop.keyboard.press("Space")
    assert "instrument=basel" in laptop.url
    assert focused_checkbox(laptop) == ("INPUT", "instrument", "basel", True)
    # Space again unticks it, and focus comes back once more.
    with laptop.expect_navigation():
        laptop.keyboard.press("Space")
    assert "instrument=basel" not in laptop.url
    assert focused_checkbox(laptop) == ("INPUT", "instrument", "basel", False)


def test_the_filters_panel_stays_open_on_a_phone_while_ticking(phone):
    phone.goto("/?q=regional+centres")
    panel = phone.locator("details.filters-panel")
    assert not panel.evaluate("d => d.open")  # folded: the results come first
    phone.locator("details.filters-panel > summary").tap()
    assert panel.evaluate("d => d.open")
    with phone.expect_navigation():
        phone.locator('#facet-instrument input[value="basel"]').tap()
    assert "instrument=basel" in phone.url
    assert phone.locator("details.filters-panel").evaluate("d => d.open")
    # Unticking the last filter keeps the panel the drafter opened open too.
    with phone.expect_navigation():
        phone.locator('#facet-instrument input[value="basel"]').tap()
    assert "instrument=basel" not in phone.url
    assert phone.locator("details.filters-panel").evaluate("d => d.open")


def test_the_filters_panel_is_open_without_javascript_on_a_phone(browser, live_server):
    context, page = new_page(browser, live_server, viewport=PHONE, java_script_enabled=False)
    try:
        page.goto("/?q=regional+centres")
        assert page.locator("details.filters-panel").evaluate("d => d.open")
    finally:
        context.close()


@pytest.mark.parametrize("path", [
    pytest.param("/?q=mercury", id="search"),
    pytest.param(f"/doc/{SEED}/para/8", id="paragraph"),
    pytest.param(f"/doc/{SEED}", id="document"),
    pytest.param("/compare?q=mercury", id="compare"),
    pytest.param("/documents", id="documents"),
])
def test_slash_focuses_the_search_box_on_every_page(laptop, path):
    laptop.goto(path)
    laptop.locator("footer.site-footer p").click()  # page text, not a control
    assert focused(laptop)["tag"] == "BODY"
    laptop.keyboard.press("/")
    assert focused(laptop)["id"] == "q"
    # Typed into the box, "/" is a character of the query, not the shortcut.
    laptop.keyboard.type("INC.1/10")
    assert laptop.locator("#q").input_value().endswith("INC.1/10")


def test_slash_typed_into_another_input_stays_there(laptop):
    laptop.goto("/compare?q=mercury")
    number = laptop.locator("#per_instrument")
    number.focus()
    laptop.keyboard.press("/")
    assert focused(laptop)["id"] == "per_instrument"


@pytest.mark.parametrize("path", ["/?q=mercury", "/", "/compare?q=mercury"])
def test_the_skip_link_comes_first_and_moves_focus_to_the_results(laptop, path):
    laptop.goto(path)
    laptop.keyboard.press("Tab")
    first = focused(laptop)
    assert (first["tag"], first["text"]) == ("A", "Skip to results")
    laptop.keyboard.press("Enter")
    assert focused(laptop)["id"] == "results"
    # The next Tab goes on from the results, not from the top of the page.
    laptop.keyboard.press("Tab")
    assert laptop.evaluate("document.getElementById('results').contains(document.activeElement)")


def test_the_outline_of_a_long_document_is_reached_from_its_top(phone):
    phone.goto(f"/doc/{SEED}")
    outline = phone.locator("nav#outline")
    # A long document: on a phone its outline comes screens below the top.
    assert outline.evaluate("e => e.getBoundingClientRect().top") > 3 * PHONE["height"]
    jump = phone.locator("a.jump-outline")
    # Near the top: on the first screen.
    assert jump.evaluate("e => e.getBoundingClientRect().bottom") < PHONE["height"]
    jump.tap()
    phone.wait_for_url("**#outline")
    top = outline.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"] / 2
    assert outline.get_by_role("link").count() > 3
