"""A document named after a file whose name holds a newline (no symbol printed in it):
its paragraph and document pages open, at the URLs the app itself gives out."""
from __future__ import annotations

import pytest

from indexer.index.build import build_index
from webapp import create_app

NOTE = """\
Note by the secretariat on the handling of file names

1. The secretariat received submissions from Parties on the storage of mercury.

2. Parties shall report on measures taken to implement the present decision.
"""
SYMBOL = "Note by the\nsecretariat"


@pytest.fixture(scope="module")
def odd_client(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("odd-names")
    (corpus / f"{SYMBOL}.txt").write_text(NOTE, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("odd-names-index")
    report = build_index([corpus], index_dir, jobs=1)
    assert report.exit_code == 0, report.failed
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()


def test_the_hit_links_to_an_encoded_url(odd_client):
    hit, = odd_client.get("/api/search", query_string={"q": "mercury"}).get_json()["hits"]
    assert hit["symbol"] == SYMBOL
    assert hit["url"] == "/doc/Note%20by%20the%0Asecretariat/para/1"


@pytest.mark.parametrize(
    "url, shows",
    [
        pytest.param("/doc/Note%20by%20the%0Asecretariat/para/1", "storage of mercury", id="paragraph"),
        pytest.param("/doc/Note%20by%20the%0Asecretariat", "present decision", id="document"),
    ],
)
def test_its_pages_open(odd_client, url, shows):
    response = odd_client.get(url)
    assert response.status_code == 200
    assert shows in response.get_data(as_text=True)
