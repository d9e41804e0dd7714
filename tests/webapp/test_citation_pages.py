"""Citations on the pages: references as links, cited by (counted, paged, as JSON), cited
documents the index lacks, the document a symbol names, and the original file at its page."""
from __future__ import annotations

import html
from collections import defaultdict

import pytest
from flask import url_for

from webapp_fixtures import MARKUP_SYMBOL, SEED_SYMBOL

BASEL = "Basel Convention"


def service(app):
    return app.extensions["search_service"]


def page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.data[:500]
    return response.get_data(as_text=True)


def test_seed_reference_links_to_the_treaty_paragraph(client, app):
    text = page(client, f"/doc/{SEED_SYMBOL}/para/7")
    with app.test_request_context():
        link = url_for("views.paragraph", symbol=BASEL, paragraph="art14.1")
    assert f'<a href="{html.escape(link)}">' in text


def test_missing_target_is_named(client):
    # Each decision of a list is named on its own, with what is missing.
    text = page(client, f"/doc/{SEED_SYMBOL}/para/23")
    assert "(decision SC-1/15: not in the index)" in text
    assert "(decision SC-2/9: not in the index)" in text


def test_cited_by_count_on_the_page_equals_brute_force(client, app):
    svc = service(app)
    citing = defaultdict(set)
    for symbol, _title, _units in svc.documents():
        for unit in svc.document(symbol).units:
            for ref in svc.references(symbol, unit.paragraph):
                if ref.uid and ref.uid != unit.uid:
                    citing[ref.uid].add(unit.uid)
    assert citing
    for target, citers in sorted(citing.items()):
        symbol, _, paragraph = target.rpartition("#")
        text = page(client, url_for_paragraph(app, symbol, paragraph))
        n = len(citers)
        assert f"Cited by {n} paragraph{'s' if n != 1 else ''}." in text, target
        data = client.get(url_for_paragraph(app, symbol, paragraph, api=True)).get_json()
        assert data["cited_by_total"] == n, target


def url_for_paragraph(app, symbol, paragraph, api=False, **kwargs):
    with app.test_request_context():
        return url_for("api.paragraph" if api else "views.paragraph", symbol=symbol, paragraph=paragraph, **kwargs)


def test_cited_by_pages_and_json_twin(client, app):
    svc = service(app)
    target = max(
        (svc.paragraph(u.symbol, u.paragraph, cited_per_page=1) for u in svc.document(BASEL).units[:80]),
        key=lambda v: v.cited_by_total,
    )
    symbol, paragraph = target.hit.symbol, target.hit.paragraph
    whole = svc.paragraph(symbol, paragraph, cited_per_page=100)
    assert whole.cited_by_total >= 2
    data = client.get(url_for_paragraph(app, symbol, paragraph, api=True)).get_json()
    assert data["cited_by_total"] == whole.cited_by_total
    assert [h["uid"] for h in data["cited_by"]] == [h.uid for h in whole.cited_by][:10]
    # Past the last page: nothing listed, the count still given.
    far = client.get(url_for_paragraph(app, symbol, paragraph, api=True, cited_page=999)).get_json()
    assert far["cited_by"] == [] and far["cited_by_total"] == whole.cited_by_total


@pytest.mark.parametrize("value", ["0", "x", "-1", "99999"])
def test_bad_cited_page_is_a_400_naming_the_parameter(client, value):
    response = client.get(f"/api/documents/{SEED_SYMBOL}/paragraphs/7?cited_page={value}")
    assert response.status_code == 400
    assert "cited_page" in response.get_json()["error"]["message"]


def test_markup_document_cites_seed_paragraph_8(app):
    view = service(app).paragraph(SEED_SYMBOL, "8")
    assert f"{MARKUP_SYMBOL}#3" in [h.uid for h in view.cited_by]


def test_cited_document_not_in_the_index(client, app):
    text = page(client, "/doc/UNEP(DTIE)/Hg/OEWG.2/10")
    assert "Cited by 1 paragraph; not in the index." in text
    with app.test_request_context():
        link = url_for("views.paragraph", symbol=SEED_SYMBOL, paragraph="1")
    assert f'href="{html.escape(link)}"' in text
    data = client.get("/api/documents/UNEP(DTIE)/Hg/OEWG.2/10").get_json()
    assert data["indexed"] is False and data["cited_by_total"] == 1
    # Neither indexed nor cited: still a 404.
    page(client, "/doc/UNEP/NOWHERE/1", status=404)


def test_documents_page_lists_most_cited_missing(client, app):
    missing = service(app).missing_documents()
    assert missing[0].symbol == "UNEP(DTIE)/Hg/INC.1/9"
    assert [m.cited_by for m in missing] == sorted((m.cited_by for m in missing), reverse=True)
    text = page(client, "/documents")
    section = text[text.index('id="missing-heading"'):]
    assert html.escape("UNEP(DTIE)/Hg/INC.1/9") in section
    assert client.get("/api/documents").get_json()["missing"][0]["symbol"] == "UNEP(DTIE)/Hg/INC.1/9"


@pytest.mark.parametrize(
    "query, symbol",
    [
        pytest.param("INC.1/10", SEED_SYMBOL, id="partial-symbol"),
        pytest.param("FCCC/CP/2015/10/Add.1", "FCCC/CP/2015/10/Add.1", id="addendum"),
    ],
)
def test_symbol_alone_shows_its_document_card_first(client, query, symbol):
    text = page(client, f"/?q={query}")
    card = text.index('class="document-card"')
    assert card < text.index('class="hits"') if 'class="hits"' in text else True
    assert html.escape(symbol) in text[card:card + 1500]
    data = client.get(f"/api/search?q={query}").get_json()
    assert data["document"]["symbol"] == symbol and data["document"]["paragraphs"] > 0


def test_base_symbol_is_not_its_addendum(client):
    # FCCC/CP/2015/10 itself is not indexed; its addendum must not stand for it.
    assert client.get("/api/search?q=FCCC/CP/2015/10").get_json()["document"] is None


def test_paragraph_links_the_original_pdf_at_its_page(client, app):
    hit = service(app).paragraph(SEED_SYMBOL, "22").hit
    assert hit.page
    with app.test_request_context():
        link = url_for("views.original", symbol=SEED_SYMBOL, _anchor=f"page={hit.page}")
    assert f'href="{html.escape(link)}"' in page(client, f"/doc/{SEED_SYMBOL}/para/22")
    response = client.get(link.split("#")[0])
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")


def test_text_original_is_served_as_plain_text(client):
    response = client.get(f"/file/{MARKUP_SYMBOL}")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert b"<script>" in response.data  # as written, and never rendered as HTML


@pytest.mark.parametrize(
    "path",
    ["/file/UNEP/NOWHERE/1", "/file/../../../etc/passwd", "/file/%2Fetc%2Fpasswd", "/file/UNEP(DTIE)/Hg/INC.1/9"],
)
def test_only_indexed_files_are_served(client, path):
    # (a doubled slash is first redirected to the single one)
    assert client.get(path, follow_redirects=True).status_code == 404
