"""Document text and queries are shown as text, never as markup."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from markupsafe import escape

from webapp_fixtures import MARKUP_SYMBOL

HOSTILE_QUERY = '"><img src=x onerror=alert(1)>'


def test_document_text_with_a_script_tag_is_escaped_in_results(client):
    text = client.get("/?q=escaping+tests").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text or "&lt;script&gt;alert(<mark>" in text
    assert "<script>alert(1)" not in text
    assert "<b>bold</b>" not in text


@pytest.mark.parametrize("url", [
    pytest.param(f"/doc/{MARKUP_SYMBOL}", id="document"),
    pytest.param(f"/doc/{MARKUP_SYMBOL}/para/1", id="paragraph"),
    pytest.param("/compare?q=escaping+tests", id="compare"),
])
def test_document_text_is_escaped_on_every_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text or "&lt;script&gt;alert(<mark>" in text
    assert "<script>alert(1)" not in text


def test_the_api_returns_text_as_data_and_excerpts_escaped(client):
    data = client.get(f"/api/documents/{MARKUP_SYMBOL}/paragraphs/1").get_json()
    assert "<script>alert(1)</script>" in data["paragraph"]["text"]
    hits = client.get("/api/search?q=escaping+tests").get_json()["hits"]
    assert hits and all("<script>" not in h["excerpt_html"] for h in hits)
    assert any("&lt;script&gt;" in h["excerpt_html"] for h in hits)


@pytest.mark.parametrize("url", [
    pytest.param("/?q={q}", id="search"),
    pytest.param("/?q=mercury&instrument={q}", id="facet-value-chip"),
    pytest.param("/compare?q={q}", id="compare"),
    pytest.param("/compare?q=mercury&column={q}", id="compare-column"),
    pytest.param("/doc/{q}", id="unknown-document"),
    pytest.param("/doc/A/para/{q}", id="unknown-paragraph"),
    pytest.param("/?q=mercury&{q}=1", id="unknown-parameter"),
])
def test_a_hostile_query_appears_as_text(client, url):
    response = client.get(url.format(q=quote(HOSTILE_QUERY)))
    assert response.status_code in (200, 400, 404)
    text = response.get_data(as_text=True)
    assert "<img" not in text
    assert "onerror=alert(1)&gt;" in text


def test_the_query_box_keeps_a_hostile_query_as_its_value(client):
    text = client.get("/", query_string={"q": HOSTILE_QUERY}).get_data(as_text=True)
    assert f'value="{escape(HOSTILE_QUERY)}"' in text


def test_the_compare_forms_keep_a_hostile_query_as_their_value(client):
    # A query with hits: the columns form repeats it as a hidden field.
    query = "mercury OR " + HOSTILE_QUERY.strip('"')
    text = client.get("/compare", query_string={"q": query}).get_data(as_text=True)
    assert 'id="columns-form"' in text
    assert text.count(f'value="{escape(query)}"') == 2
    assert "<img" not in text


def test_exports_are_files_not_pages(client):
    response = client.get("/export.md", query_string={"q": "escaping tests"})
    body = response.get_data(as_text=True)
    # Markdown renderers would run raw tags; the export escapes them.
    assert "<script>" not in body and r"\<script\>" in body
    assert response.headers["Content-Disposition"].startswith("attachment;")
