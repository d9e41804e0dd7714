"""The compare page in a real Chromium: paragraphs per instrument, instruments
ticked in its form, each paragraph in one column only, and copy buttons that
put a paragraph's citation on the clipboard.
"""
from __future__ import annotations

import pytest

from browser_fixtures import csp_messages, new_page

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser


def columns(page) -> dict[str, list[str]]:
    """Instrument of each column shown -> the uids of its paragraphs, in order."""
    return page.evaluate("""() => Object.fromEntries(
        [...document.querySelectorAll(".columns .column")].map(column => [
            column.dataset.instrument,
            [...column.querySelectorAll("li[data-uid]")].map(item => item.dataset.uid)]))""")


def column_totals(page) -> dict[str, int]:
    return page.evaluate("""() => Object.fromEntries(
        [...document.querySelectorAll(".columns .column")].map(column => [
            column.dataset.instrument, parseInt(column.querySelector(".column-total").textContent, 10)]))""")


def test_five_paragraphs_per_instrument_by_default(laptop):
    laptop.goto("/compare?q=parties")
    shown, totals = columns(laptop), column_totals(laptop)
    assert len(shown) >= 2 and any(total > 5 for total in totals.values())
    assert {name: len(uids) for name, uids in shown.items()} == {name: min(5, t) for name, t in totals.items()}


def test_the_number_chosen_on_the_page_is_shown(laptop):
    laptop.goto("/compare?q=parties")
    laptop.locator("#per_instrument").fill("2")
    with laptop.expect_navigation():
        laptop.get_by_role("button", name="Show").click()
    assert "per_instrument=2" in laptop.url
    shown = columns(laptop)
    assert shown and all(len(uids) == 2 for uids in shown.values())
    # A new query keeps the number.
    laptop.locator("#q").fill("mercury")
    with laptop.expect_navigation():
        laptop.locator("#q").press("Enter")
    assert "q=mercury" in laptop.url and "per_instrument=2" in laptop.url
    assert all(len(uids) <= 2 for uids in columns(laptop).values())


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_instruments_are_chosen_in_the_form(browser, live_server, javascript):
    context, page = new_page(browser, live_server, java_script_enabled=javascript)
    try:
        page.goto("/compare?q=technology+transfer")
        boxes = page.locator('#columns-form input[name="column"]')
        offered = [boxes.nth(i).get_attribute("value") for i in range(boxes.count())]
        assert {"paris", "unfccc", "minamata"} <= set(offered)
        assert len(offered) > len(columns(page))  # some offered, not shown by default
        for i in range(boxes.count()):
            boxes.nth(i).set_checked(offered[i] in ("paris", "unfccc"))
        with page.expect_navigation():
            page.get_by_role("button", name="Show").click()
        assert "column=paris" in page.url and "column=unfccc" in page.url
        assert set(columns(page)) == {"paris", "unfccc"}
        assert page.locator('#columns-form input[name="column"]:checked').count() == 2
        assert csp_messages(page) == []
    finally:
        context.close()


def test_no_paragraph_is_in_two_columns(laptop):
    laptop.goto("/compare?q=parties")
    for box in laptop.locator('#columns-form input[name="column"]').all():
        box.check()
    laptop.locator("#per_instrument").fill("20")
    with laptop.expect_navigation():
        laptop.get_by_role("button", name="Show").click()
    shown = columns(laptop)
    assert {"paris", "unfccc"} <= set(shown)
    every = [uid for uids in shown.values() for uid in uids]
    assert len(every) > 20 and len(every) == len(set(every))


def test_a_copy_button_copies_the_paragraphs_citation(laptop):
    laptop.goto("/compare?q=regional+centres")
    item = laptop.locator(".columns .column li[data-uid]").nth(1)
    citation = item.locator("a.citation").inner_text()
    button = item.locator("button.copy")
    assert button.is_visible()
    button.click()
    laptop.wait_for_function("button => button.textContent === 'Copied'", arg=button.element_handle())
    assert laptop.evaluate("navigator.clipboard.readText()") == citation
    assert ", para." in citation or ", art." in citation
