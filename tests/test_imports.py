"""Imports point one way: webapp -> indexer -> whoosh/pypdf/nltk.

The engine seam is explicit: only the modules listed below may import Whoosh,
only the PDF reader may import pypdf, and nothing in indexer/ knows Flask.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

INDEXER = ROOT / "indexer"
# Every Whoosh call lives behind these modules (schema/analysis define the
# index, generations opens and writes it, the service reads it).
WHOOSH_MODULES = {
    INDEXER / "text" / "analysis.py",
    INDEXER / "storage" / "generations.py",
    INDEXER / "search" / "service.py",
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def modules(package: str):
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", modules("indexer"), ids=lambda p: str(p.relative_to(ROOT)))
def test_indexer_never_imports_flask(path):
    assert "flask" not in imported_roots(path)


@pytest.mark.parametrize("path", modules("webapp"), ids=lambda p: str(p.relative_to(ROOT)))
def test_webapp_never_imports_engine_or_text_libraries(path):
    assert not imported_roots(path) & {"whoosh", "pypdf", "nltk"}


@pytest.mark.parametrize("path", modules("indexer"), ids=lambda p: str(p.relative_to(ROOT)))
def test_pypdf_only_in_the_pdf_reader(path):
    if path.is_relative_to(INDEXER / "reading" / "pdf"):  # the PDF reader
        return
    assert "pypdf" not in imported_roots(path)


@pytest.mark.parametrize("path", modules("indexer"), ids=lambda p: str(p.relative_to(ROOT)))
def test_whoosh_stays_behind_the_engine_modules(path):
    if path.is_relative_to(INDEXER / "engine" / "whoosh") or path in WHOOSH_MODULES:
        return
    assert "whoosh" not in imported_roots(path)


def test_every_module_has_a_docstring():
    missing = [
        str(p.relative_to(ROOT))
        for p in modules("indexer") + modules("webapp")
        if p.stat().st_size and ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []
