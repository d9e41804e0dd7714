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


def ranking_corpus_files() -> list[Path]:
    """The documents of the graded query set (tests/data/ranking/corpus.txt)."""
    lines = (ROOT / "tests" / "data" / "ranking" / "corpus.txt").read_text(encoding="utf-8").splitlines()
    return [SHARED_CORPUS / line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="session")
def ranking_service(tmp_path_factory):
    """A search service over the documents of the graded query set (treaties,
    decisions, UN documents, the BBNJ Agreement, an advisory opinion)."""
    if not SHARED_CORPUS.is_dir():
        pytest.fail(f"reference corpus missing: expected {SHARED_CORPUS} beside the repository")
    from indexer.index.build import build_index
    from indexer.search.service import SearchService

    index_dir = tmp_path_factory.mktemp("ranking-index")
    report = build_index(ranking_corpus_files(), index_dir)
    assert not report.failed, report.failed
    return SearchService(index_dir)


@pytest.fixture(scope="session")
def service(shared_index):
    """A search service over the shared corpus index."""
    from indexer.search.service import SearchService

    return SearchService(shared_index)

