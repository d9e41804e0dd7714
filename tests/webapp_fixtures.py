"""Fixtures of the web app tests: one real index built once, the app over it, a client.

The index holds real documents of the shared corpus (the seed note, the
chemicals and climate treaties, the Paris decision) plus one small document
written here whose text contains markup, to show that pages print document
text as text.
"""
from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
SEED_SYMBOL = "UNEP(DTIE)/Hg/INC.1/10"
WEBAPP_FILES = [
    CORPUS / "seed" / "UNEP-DTIE-Hg-INC.1-10.pdf",
    CORPUS / "treaties" / "Basel_Convention.md",
    CORPUS / "treaties" / "Stockholm_Convention.md",
    CORPUS / "treaties" / "Minamata_Convention.md",
    CORPUS / "treaties" / "Rotterdam_Convention.md",
    CORPUS / "treaties" / "Montreal_Protocol.md",
    CORPUS / "un" / "FCCC_CP_2015_10_Add.1_decision_1-CP.21_Paris.txt",
]

# A document whose numbered paragraphs carry markup (it must show as text),
# and cite the seed note (for "cited by" and linked references).
MARKUP_SYMBOL = "UNEP/WEBTEST/1"
MARKUP_DOCUMENT = """\
UNEP/WEBTEST/1

Distr.: General
1 March 2011

Test note on the display of document text in search results

A. Markup in document text

1. Quoted markup such as <script>alert(1)</script> appears in this paragraph about escaping
tests and the storage of mercury under the Minamata Convention.

2. A second paragraph mentions <b>bold</b> tags & ampersands next to "quotes" and mercury.

3. The secretariat's account of technology transfer is in document
UNEP(DTIE)/Hg/INC.1/10, paragraph 8.
"""


@pytest.fixture(scope="session")
def webapp_index(tmp_path_factory) -> Path:
    """Index directory of the web app tests, built once per session."""
    missing = [str(p) for p in WEBAPP_FILES if not p.exists()]
    if missing:
        pytest.fail(f"reference documents missing: {missing}")
    from indexer.index.build import build_index

    corpus = tmp_path_factory.mktemp("webapp-corpus")
    markup = corpus / "UNEP-WEBTEST-1.txt"
    markup.write_text(MARKUP_DOCUMENT, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("webapp-index")
    report = build_index([*WEBAPP_FILES, markup], index_dir)
    assert not report.failed, report.failed
    return index_dir


@pytest.fixture(scope="session")
def app(webapp_index):
    """The app over the test index (one search service for the whole session)."""
    from webapp import create_app

    return create_app({"INDEX_DIR": str(webapp_index), "TESTING": True})


@pytest.fixture
def client(app):
    """Flask test client of the app."""
    return app.test_client()
