"""Every error path: 400 naming the parameter, 404, 405, 503; one JSON shape under /api."""
from __future__ import annotations

import pytest

BAD_PARAMETERS = [
    pytest.param("page=-1", "page", id="negative-page"),
    pytest.param("page=abc", "page", id="page-not-a-number"),
    pytest.param("per_page=10000", "per_page", id="per-page-too-big"),
    pytest.param("colour=red", "colour", id="unknown-facet"),
    pytest.param("sort=date", "sort", id="unknown-sort"),
    pytest.param("group=perhaps", "group", id="bad-group"),
    pytest.param("q=" + "x" * 1001, "q", id="query-too-long"),
]


def assert_error_shape(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "message"}
    assert body["error"]["status"] == status
    assert body["error"]["message"]
    return body["error"]["message"]


@pytest.mark.parametrize("query, parameter", BAD_PARAMETERS)
@pytest.mark.parametrize("path", ["/api/search", "/api/compare"])
def test_api_bad_parameter_is_a_400_naming_it(client, path, query, parameter):
    # /api/compare has no paging: there page, sort... are unknown parameters, still named.
    message = assert_error_shape(client.get(f"{path}?{query}"), 400)
    assert parameter in message


@pytest.mark.parametrize("query, parameter", BAD_PARAMETERS)
@pytest.mark.parametrize("path", ["/", "/export.csv", "/export.md"])
def test_page_bad_parameter_is_a_400_page_naming_it(client, path, query, parameter):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "Bad request" in text and parameter in text


@pytest.mark.parametrize("url", [
    "/api/documents/UNEP(DTIE)/Hg/INC.1/10/paragraphs/999",
    "/api/documents/NO/SUCH/DOC",
    "/api/documents/NO/SUCH/DOC/paragraphs/1",
    "/api/nothing-here",
    "/api",
])
def test_api_not_found(client, url):
    assert_error_shape(client.get(url), 404)


@pytest.mark.parametrize("url", [
    "/doc/UNEP(DTIE)/Hg/INC.1/10/para/999",
    "/doc/NO/SUCH/DOC",
    "/doc/NO/SUCH/DOC/para/1",
    "/nothing-here",
])
def test_page_not_found(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Not found" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["post", "put", "delete"])
@pytest.mark.parametrize("url", ["/api/search", "/api/compare", "/api/documents"])
def test_api_method_not_allowed(client, method, url):
    response = getattr(client, method)(url)
    assert_error_shape(response, 405)
    assert "GET" in response.headers["Allow"]


def test_page_method_not_allowed(client):
    response = client.post("/")
    assert response.status_code == 405
    assert "Method not allowed" in response.get_data(as_text=True)


@pytest.fixture
def app_without_index(tmp_path):
    from webapp import create_app

    return create_app({"INDEX_DIR": str(tmp_path / "not-built"), "TESTING": True})


@pytest.mark.parametrize("url", ["/api/search?q=mercury", "/api/documents", "/api/compare?q=x", "/healthz"])
def test_no_index_is_a_503_saying_how_to_build_it_json(app_without_index, url):
    message = assert_error_shape(app_without_index.test_client().get(url), 503)
    assert "make index" in message and "python -m indexer index" in message


@pytest.mark.parametrize("url", ["/", "/?q=mercury", "/compare?q=x", "/doc/A/para/1", "/export.csv"])
def test_no_index_is_a_503_page_saying_how_to_build_it(app_without_index, url):
    response = app_without_index.test_client().get(url)
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    text = response.get_data(as_text=True)
    assert "make index" in text and "python -m indexer index" in text


def test_a_bug_is_a_500_in_the_same_shape(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(app.extensions["search_service"], "search", broken)
    message = assert_error_shape(client.get("/api/search?q=x"), 500)
    assert "boom" not in message
    assert client.get("/?q=x").status_code == 500
