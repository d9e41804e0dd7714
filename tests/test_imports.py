"""Imports point one way: webapp -> indexer -> whoosh/pypdf/nltk, and the engine seam holds.

Only ``indexer/engine/whoosh/`` imports Whoosh, only ``indexer/reading/pdf/``
imports pypdf, ``indexer/search/`` reaches the engine only through
``indexer.engine`` and ``indexer.engine.base`` (never an implementation),
nothing in indexer/ knows Flask, and the web app imports neither the engine
implementation nor the text libraries.
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
INDEXER = ROOT / "indexer"
WHOOSH_ENGINE = INDEXER / "engine" / "whoosh"
PDF_READER = INDEXER / "reading" / "pdf"
# Engine implementations: every module or package of indexer/engine/ but the
# protocols (base.py) and the registry (__init__.py).
ENGINE_IMPLEMENTATIONS = sorted(
    f"indexer.engine.{p.stem}" for p in (INDEXER / "engine").iterdir()
    if p.stem not in {"base", "__init__", "__pycache__"} and (p.suffix == ".py" or p.is_dir())
)


def imported(path: Path) -> set[str]:
    """Every module a file imports (absolute names), at any depth of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # "from indexer.engine import whoosh" imports a module too.
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def imported_roots(path: Path) -> set[str]:
    return {name.split(".")[0] for name in imported(path)}


def modules(*parts: str):
    return sorted(ROOT.joinpath(*parts).rglob("*.py"))


def ids(path):
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", modules("indexer"), ids=ids)
def test_indexer_never_imports_flask(path):
    assert "flask" not in imported_roots(path)


@pytest.mark.parametrize("path", modules("webapp"), ids=ids)
def test_webapp_never_imports_engine_or_text_libraries(path):
    assert not imported_roots(path) & {"whoosh", "pypdf", "nltk"}
    assert implementations(path) == set()


@pytest.mark.parametrize("path", modules("indexer"), ids=ids)
def test_pypdf_only_in_the_pdf_reader(path):
    if path.is_relative_to(PDF_READER):
        return
    assert "pypdf" not in imported_roots(path)


@pytest.mark.parametrize("path", modules("indexer"), ids=ids)
def test_whoosh_only_in_the_whoosh_engine(path):
    if path.is_relative_to(WHOOSH_ENGINE):
        return
    assert "whoosh" not in imported_roots(path)


def implementations(path: Path) -> set[str]:
    return {name for name in imported(path) for impl in ENGINE_IMPLEMENTATIONS
            if name == impl or name.startswith(impl + ".")}


@pytest.mark.parametrize("path", modules("indexer", "search"), ids=ids)
def test_search_sees_only_the_engine_protocols(path):
    assert implementations(path) == set()


@pytest.mark.parametrize("path", modules("indexer"), ids=ids)
def test_only_the_engine_package_names_an_engine_implementation(path):
    # The registry (engine/__init__.py) finds implementations by name, at run time.
    if path.is_relative_to(WHOOSH_ENGINE):
        return
    assert implementations(path) == set()


def test_the_import_test_sees_imports():
    # The rules above would pass vacuously if imports were not found.
    assert "whoosh" in imported_roots(WHOOSH_ENGINE / "evaluation.py")
    assert "indexer.engine.base" in imported(INDEXER / "search" / "planner.py")
    assert "indexer.engine.whoosh" in ENGINE_IMPLEMENTATIONS
    assert implementations(ROOT / "tests" / "engine" / "test_store_writer.py")


def test_every_module_has_a_docstring():
    missing = [
        str(p.relative_to(ROOT))
        for p in modules("indexer") + modules("webapp")
        if p.stat().st_size and ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None
    ]
    assert missing == []
