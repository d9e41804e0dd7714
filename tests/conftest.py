"""Shared fixtures: where the reference documents are, and one real index of them.

The index of the whole shared corpus is built once per test session (it takes
seconds) and reused read-only by every test that needs it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

# Web app fixtures (webapp_index, app, client) live in tests/webapp_fixtures.py,
# the browser tests' (live_server, browser) in tests/browser_fixtures.py.
pytest_plugins = ["webapp_fixtures", "browser_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_CORPUS = SHARED / "corpus"
SEED_PDF = SHARED_CORPUS / "seed" / "UNEP-DTIE-Hg-INC.1-10.pdf"
SEED_TXT = SHARED_CORPUS / "seed" / "UNEP-DTIE-Hg-INC.1-10.txt"
SEED_SYMBOL = "UNEP(DTIE)/Hg/INC.1/10"


def shared_corpus_files() -> list[Path]:
    """Every shared document once: the seed as PDF (its .txt is the same document)."""
    files = [SEED_PDF]
    files += sorted((SHARED_CORPUS / "treaties").glob("*.md"))
    files += sorted((SHARED_CORPUS / "un").iterdir())
    return files


@pytest.fixture(scope="session")
def vocabulary():
    """The packaged vocabulary (a frozen value, shared by every test)."""
    from indexer.tagging.vocabulary import load_vocabulary

    return load_vocabulary()


@pytest.fixture(scope="session")
def shared_index(tmp_path_factory) -> Path:
    """Index directory holding the whole shared corpus."""
    if not SHARED_CORPUS.is_dir():
        pytest.fail(f"reference corpus missing: expected {SHARED_CORPUS} beside the repository")
    from indexer.index.build import build_index

    index_dir = tmp_path_factory.mktemp("shared-index")
    report = build_index(shared_corpus_files(), index_dir)
    assert not report.failed, report.failed
    return index_dir


@pytest.fixture(scope="session")
def service(shared_index):
    """A search service over the shared corpus index."""
    from indexer.search.service import SearchService

    return SearchService(shared_index)

