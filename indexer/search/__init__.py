"""The search service: one door to the index, plain dataclasses out.

Callers (the web app, the CLI, the benchmarks) import from here only; how a
query is parsed, planned and evaluated stays inside the package.
"""
from indexer.search.service import (
    FACETS,
    MAX_PER_PAGE,
    SORTS,
    CompareColumn,
    CompareView,
    DocumentView,
    FacetValue,
    Hit,
    OutlineEntry,
    ParagraphView,
    QueryError,
    ResolvedReference,
    SearchResult,
    SearchService,
    search,
)
from indexer.search.documents import DocumentCard, MissingDocument, OriginalFile
from indexer.search.syntax import MAX_QUERY_LENGTH
from indexer.storage.generations import IndexMissing

__all__ = [
    "FACETS", "MAX_PER_PAGE", "MAX_QUERY_LENGTH", "SORTS", "CompareColumn", "CompareView", "DocumentCard",
    "DocumentView", "FacetValue", "Hit", "IndexMissing", "MissingDocument", "OriginalFile", "OutlineEntry",
    "ParagraphView", "QueryError",
    "ResolvedReference", "SearchResult", "SearchService", "search",
]
