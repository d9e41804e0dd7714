"""The JSON API: the same service calls as the pages, the CLI's shapes plus links."""
from __future__ import annotations

from flask import url_for

from indexer.search.serialize import compare_json, document_json, facet_json, paragraph_json, result_json
from webapp_fixtures import SEED_SYMBOL


def service(app):
    return app.extensions["search_service"]


def without_links(data):
    """The payload with the links the API adds taken out, to compare with the serializers."""
    if isinstance(data, dict):
        return {k: without_links(v) for k, v in data.items() if k not in ("url", "pages", "original_url")}
    if isinstance(data, list):
        return [without_links(v) for v in data]
    return data


def test_search_has_the_clis_shape(client, app):
    response = client.get("/api/search?q=regional+centres&instrument=basel&instrument=stockholm&per_page=5")
    assert response.status_code == 200
    data = response.get_json()
    result = service(app).search("regional centres", {"instrument": ["basel", "stockholm"]}, per_page=5)
    assert without_links(data) == result_json(result)
    assert data["pages"] == result.pages
    hit = data["hits"][0]
    for key in ("symbol", "paragraph", "citation", "section", "page", "excerpt_html", "score",
                "instruments", "primary_instrument", "themes", "references"):
        assert key in hit
    for name in ("instrument", "theme", "document", "year"):
        for value in data["facets"][name]:
            assert set(value) == {"value", "count", "selected", "label"}
    assert {v["value"] for v in data["facets"]["instrument"] if v["selected"]} == {"basel", "stockholm"}
    with app.test_request_context():
        assert hit["url"] == url_for("views.paragraph", symbol=hit["symbol"], paragraph=hit["paragraph"])


def test_search_suggestion_and_message(client):
    assert client.get("/api/search?q=mercurry").get_json()["suggestion"]
    data = client.get("/api/search?q=mercury+OR").get_json()
    assert data["message"] and data["total"] == 0


def test_search_pages_and_sort(client, app):
    data = client.get("/api/search?q=mercury&sort=document&page=2&per_page=3").get_json()
    assert (data["page"], data["per_page"], data["sort"]) == (2, 3, "document")
    assert len(data["hits"]) == 3


def test_paragraph(client, app):
    data = client.get("/api/documents/UNEP(DTIE)/Hg/INC.1/10/paragraphs/14(a)").get_json()
    view = service(app).paragraph(SEED_SYMBOL, "14(a)")
    assert without_links(data) == paragraph_json(view)
    assert data["paragraph"]["text"] == view.hit.text
    assert data["url"] == "/doc/UNEP(DTIE)/Hg/INC.1/10/para/14(a)"
    assert data["previous"]["url"] and data["next"]["url"]
    for reference in data["references"]:
        assert ("url" in reference) and (reference["url"] is None) == (not (reference["uid"] or reference["symbol"]))


def test_document(client, app):
    data = client.get("/api/documents/UNEP(DTIE)/Hg/INC.1/10").get_json()
    assert without_links(data) == document_json(service(app).document(SEED_SYMBOL))
    assert [u["paragraph"] for u in data["units"]][:3] == ["1", "2", "3"]


def test_documents(client, app):
    data = client.get("/api/documents").get_json()
    assert [(d["symbol"], d["title"], d["units"]) for d in data["documents"]] == service(app).documents()


def test_compare(client, app):
    data = client.get("/api/compare?q=regional+centres").get_json()
    view = service(app).compare("regional centres")
    instruments = data.pop("instruments")
    assert without_links(data) == compare_json(view)
    assert instruments == facet_json(view.instruments)
    assert len(data["columns"]) >= 2
    assert data["matrix"]


def test_compare_takes_the_pages_choice_of_columns_and_paragraphs(client, app):
    data = client.get("/api/compare?q=mercury&column=basel&column=minamata&per_instrument=2").get_json()
    view = service(app).compare("mercury", per_instrument=2, chosen=("basel", "minamata"))
    data.pop("instruments")
    assert without_links(data) == compare_json(view)
    assert {c["instrument"] for c in data["columns"]} == {"basel", "minamata"}
    assert all(len(c["hits"]) == 2 for c in data["columns"])


def test_every_page_has_a_json_twin(client):
    # The search page links its JSON twin with the same parameters.
    text = client.get("/?q=regional+centres&instrument=basel").get_data(as_text=True)
    assert 'href="/api/search?q=regional+centres&amp;instrument=basel"' in text
