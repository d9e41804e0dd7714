"""The shared corpus's files extracted once per test run, for every test module that reads them.

Several unit-test modules look at the same shared documents (citation table,
unique citations, nothing lost, treaties, UN documents); a long PDF takes
seconds to read, so they take its extraction from this one cache. A file the
extractor refuses is remembered too, and its ExtractionError raised again.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from indexer.models import Document
from indexer.units.extract import ExtractionError, extract_document


@lru_cache(maxsize=None)
def _extraction(path: Path) -> tuple[Document | None, ExtractionError | None]:
    try:
        return extract_document(path), None
    except ExtractionError as error:
        return None, error


def extracted(path: str | Path) -> Document:
    """``extract_document(path)``, read once per test run."""
    document, error = _extraction(Path(path).resolve())
    if error is not None:
        raise error
    return document
