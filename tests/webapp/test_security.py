"""Web hardening: security headers on every response, a CSP the app's own pages satisfy,
CSV cells that cannot run as formulas, canonical links that ignore the Host header."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from webapp import SECURITY_HEADERS, SettingError, create_app
from webapp.views import _cell

SEED_SYMBOL = "UNEP(DTIE)/Hg/INC.1/10"
TEMPLATES = Path(__file__).resolve().parents[2] / "webapp" / "templates"

EXPECTED_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def test_the_headers_are_these():
    assert SECURITY_HEADERS == EXPECTED_HEADERS


@pytest.mark.parametrize(
    "path, status",
    [
        pytest.param("/", 200, id="home"),
        pytest.param("/?q=mercury", 200, id="search"),
        pytest.param("/api/search?q=mercury", 200, id="api"),
        pytest.param("/compare?q=waste", 200, id="compare"),
        pytest.param("/export.csv?q=mercury", 200, id="csv"),
        pytest.param("/export.md?q=mercury", 200, id="markdown"),
        pytest.param("/documents", 200, id="documents"),
        pytest.param(f"/doc/{SEED_SYMBOL}", 200, id="document"),
        pytest.param(f"/doc/{SEED_SYMBOL}/para/8", 200, id="paragraph"),
        pytest.param("/static/app.css", 200, id="static"),
        pytest.param("/healthz", 200, id="health"),
        pytest.param("/nowhere", 404, id="not-found"),
        pytest.param("/api/search?page=x", 400, id="bad-parameter"),
        pytest.param("/?q=" + "(" * 244 + "x" + ")" * 244, 400, id="too-deep"),
    ],
)
def test_every_response_carries_the_security_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, name


def test_a_method_not_allowed_carries_them_too(client):
    response = client.post("/")
    assert response.status_code == 405
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_templates_have_nothing_inline_the_policy_would_block(template):
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline script"
    assert "<style" not in text, "inline style element"
    assert not re.search(r"\sstyle\s*=", text), "style attribute"
    assert not re.search(r"\son[a-z]+\s*=", text), "event handler attribute"
    assert "javascript:" not in text


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")", id="equals"),
        pytest.param("+1+1", "'+1+1", id="plus"),
        # a minus sign starts a formula too: "-2+3" evaluates
        pytest.param("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0", id="minus"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
        pytest.param("\t=1", "'\t=1", id="tab"),
        pytest.param("\r=1", "'\r=1", id="carriage-return"),
        pytest.param("Parties shall", "Parties shall", id="plain"),
        pytest.param("14 (a) - see", "14 (a) - see", id="minus-inside"),
    ],
)
def test_csv_cells_cannot_start_a_formula(text, expected):
    assert _cell(text) == expected


def test_csv_export_has_no_cell_starting_a_formula(client):
    response = client.get("/export.csv", query_string={"q": "mercury"})
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) > 1
    assert not [cell for row in rows[1:] for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]


def canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]*)">', html).group(1)


def test_canonical_link_is_a_path_whatever_the_host_header(client):
    response = client.get(f"/doc/{SEED_SYMBOL}/para/8", headers={"Host": "evil.example"})
    assert response.status_code == 200
    link = canonical(response.get_data(as_text=True))
    assert "evil.example" not in link
    assert link.startswith("/doc/") and link.endswith("/para/8")


def test_canonical_link_uses_the_configured_base_url(webapp_index):
    app = create_app({"INDEX_DIR": str(webapp_index), "TESTING": True, "BASE_URL": "https://mea.example.org/"})
    response = app.test_client().get(f"/doc/{SEED_SYMBOL}/para/8", headers={"Host": "evil.example"})
    link = canonical(response.get_data(as_text=True))
    assert link.startswith("https://mea.example.org/doc/") and link.endswith("/para/8")


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("mea.example.org", id="no-scheme"),
        pytest.param("ftp://mea.example.org", id="other-scheme"),
        pytest.param("https://mea.example.org/?x=1", id="query"),
    ],
)
def test_a_bad_base_url_stops_the_app(webapp_index, value):
    with pytest.raises(SettingError, match="BASE_URL"):
        create_app({"INDEX_DIR": str(webapp_index), "BASE_URL": value})
