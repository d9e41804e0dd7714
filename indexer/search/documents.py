"""Documents as the search service shows them beside paragraphs (pure, plain data).

- ``DocumentCard``: what a symbol typed alone shows first (title, date,
  meeting, paragraph count).
- ``MissingDocument``: a symbol that indexed paragraphs cite but that is not
  in the index, with how many paragraphs cite it.
- ``is_symbol_query``: whether a query is one document symbol and nothing else.
- ``meeting_of``: the session or meeting a document's title names.
- ``original_file``: the file a document was indexed from, looked up by symbol
  in the index's manifest (never a path from a request).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DocumentCard", "MissingDocument", "OriginalFile", "is_symbol_query", "meeting_of", "original_file"]


@dataclass(frozen=True)
class DocumentCard:
    symbol: str
    title: str
    date: str | None
    meeting: str | None
    paragraphs: int


@dataclass(frozen=True)
class MissingDocument:
    symbol: str  # as the citing paragraphs write it
    cited_by: int  # citing units


@dataclass(frozen=True)
class OriginalFile:
    symbol: str
    path: Path
    is_pdf: bool


# One token with "/" between word characters: "INC.1/10", "FCCC/CP/2015/10/Add.1".
_SYMBOL_QUERY_RE = re.compile(r"^[\w().\-]+(?:/[\w().\-]+)+$")
# "... on its twenty-first session, held in ..." / "... at its fifty-eighth session"
_MEETING_RE = re.compile(
    r"\b(?:on|at)\s+its\s+(?P<meeting>(?:[\w\-]+\s+){0,2}?(?:session|meeting)(?:\s+part\s+[\w\-]+)?)"
    r"|\b(?P<ordinal>(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))"
    r"\s+(?:session|meeting))\b",
    re.IGNORECASE,
)


def is_symbol_query(query: str) -> bool:
    """True when the query is one document symbol (a full or partial one) alone."""
    return bool(_SYMBOL_QUERY_RE.match(query.strip()))


def meeting_of(title: str) -> str | None:
    """The session or meeting a title names: '... on its twenty-first session, held in Paris' ->
    'twenty-first session'; None when it names none."""
    m = _MEETING_RE.search(title or "")
    if not m:
        return None
    return (m.group("meeting") or m.group("ordinal")).strip()


def original_file(manifest: dict, symbol: str) -> OriginalFile | None:
    """The indexed file of a document, from the index manifest; None when the symbol is not
    there. Of several files with the symbol (a PDF and its text), the PDF."""
    found = [Path(path) for path, entry in manifest.get("files", {}).items() if entry.get("symbol") == symbol]
    if not found:
        return None
    found.sort(key=lambda p: (p.suffix.lower() != ".pdf", str(p)))
    path = found[0]
    return OriginalFile(symbol, path, path.suffix.lower() == ".pdf")
