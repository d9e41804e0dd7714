"""Plain value types that flow through the indexer: pages -> units -> tagged records.

Nothing here knows about files, PDFs or the search engine; every other module
passes these values along, so they are the contract between the stages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field


# The trait of a unit numbered inside an article, a rule or a regulation
# ("art14.1", "annexI.rule6.1", "dec1-CP-21.annex.art8.1"): a provision of an
# instrument or of its rules, what a drafter cites first (indexer.index.records).
PROVISION = "provision"
_PROVISION_ID = re.compile(r"(?:^|\.)(?:art|rule|reg)\d")


def is_provision(paragraph: str) -> bool:
    """Whether a unit's paragraph id numbers it inside an article, a rule or a regulation."""
    return _PROVISION_ID.search(paragraph) is not None


def unit_uid(symbol: str, paragraph: str) -> str:
    """The one uid scheme of a unit: its document symbol and paragraph id."""
    return f"{symbol}#{paragraph}"


def document_key(symbol: str) -> str:
    """The reference key of a cited document ("cited by" lookups; lowercase)."""
    return f"doc:{symbol.lower()}"


def unit_key(symbol: str, paragraph: str) -> str:
    """The reference key of a cited unit: the unit's uid, lowercase."""
    return f"unit:{unit_uid(symbol, paragraph).lower()}"


def provision_key(instrument: str, local: str) -> str:
    """The reference key of a cited treaty provision: the instrument's id and the
    article (and paragraph) as a paragraph id writes them, "art14", "art14.1"; an
    empty ``local`` gives the prefix of every provision of the instrument."""
    return f"provision:{instrument}:{local.lower()}"


@dataclass(frozen=True)
class Line:
    """One physical line of a page, in reading order."""

    text: str
    page: int
    # Left edge in points (PDF) or leading spaces (text); used to tell quoted
    # blocks and hanging numbers from body text.
    indent: float = 0.0
    size: float = 0.0
    bold: bool = False


@dataclass(frozen=True)
class Footnote:
    """A footnote as printed at the foot of a page: its marker and text."""

    marker: str
    text: str
    page: int


@dataclass
class RawDocument:
    """What a reader returns: the document's lines in order, plus what it saw of metadata."""

    path: str
    lines: list[Line]
    footnotes: list[Footnote] = field(default_factory=list)
    # Metadata found by the reader itself (PDF info dictionary, first-page header).
    symbol: str | None = None
    title: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd or yyyy
    page_count: int = 0
    format: str = ""  # "pdf" | "txt" | "md"
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Unit:
    """A citable unit of a document: a numbered paragraph, a subparagraph, a footnote..."""

    symbol: str
    title: str
    paragraph: str  # "8", "14(a)", "pp3", "fn1", "art14.1"
    kind: str  # paragraph | subparagraph | preamble | footnote | article | heading-less text
    section: tuple[str, ...]  # heading path, outermost first
    page: int | None
    text: str
    citation: str  # "UNEP(DTIE)/Hg/INC.1/10, para. 14 (a)"
    order: int  # position in the document, 0-based
    date: str | None = None  # document date, ISO yyyy-mm-dd or yyyy
    # The decision or resolution of a report the unit belongs to ("decision 2/CP.27"), a facet value.
    decision: str | None = None

    @property
    def section_label(self) -> str | None:
        """The innermost heading, as a reader would name the section."""
        return self.section[-1] if self.section else None

    @property
    def uid(self) -> str:
        """Stable identifier of the unit across re-indexing: symbol and paragraph id."""
        return unit_uid(self.symbol, self.paragraph)


@dataclass(frozen=True)
class Document:
    """A document after extraction: its metadata and its units in order."""

    path: str
    symbol: str
    title: str
    date: str | None
    format: str
    page_count: int
    units: tuple[Unit, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tags:
    """What tagging adds to a unit."""

    primary_instrument: str | None
    instruments: tuple[str, ...]  # every instrument the unit belongs to or mentions
    themes: tuple[str, ...]
    references: tuple[str, ...]  # document symbols, provisions, decisions, as written
    # What the references point at, normalised for "cited by" lookups (tagging.reference_keys).
    reference_keys: tuple[str, ...] = ()
