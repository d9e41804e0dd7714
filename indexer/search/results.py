"""What the search service returns: plain, frozen dataclasses, rendered by both the
web pages and the JSON API (and printed by the CLI)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from indexer.search.documents import DocumentCard


class QueryError(ValueError):
    """A request the user can fix: names the parameter and says what to do."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class FacetValue(NamedTuple):
    """One value of a facet with its count (a named tuple: a search of many hits
    builds hundreds, a frozen dataclass took four times as long to make)."""

    value: str
    label: str
    count: int
    selected: bool


class FacetValues(Sequence):
    """A facet's values as columns, each ``FacetValue`` made when it is read.

    An answer over a million units lists thousands of documents in one facet.
    Made at once, those values outlive the collections of the rest of the
    request, reach the garbage collector's oldest generation and bring on its
    full collections (50 ms each there); made as they are read, they go as
    soon as they are used."""

    __slots__ = ("_columns",)

    def __init__(self, values, labels, counts, selected):
        self._columns = (tuple(values), tuple(labels), tuple(counts), tuple(selected))

    def __len__(self) -> int:
        return len(self._columns[0])

    def __getitem__(self, index):
        if isinstance(index, slice):
            return FacetValues(*(column[index] for column in self._columns))
        return FacetValue(*(column[index] for column in self._columns))

    def __iter__(self):
        return map(FacetValue._make, self.rows())

    def rows(self):
        """(value, label, count, selected) of each value, as plain tuples."""
        return zip(*self._columns)

    def __eq__(self, other) -> bool:
        if isinstance(other, (FacetValues, tuple, list)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._columns)

    def __repr__(self) -> str:
        return f"FacetValues({list(self)!r})"


@dataclass(frozen=True)
class Hit:
    uid: str
    symbol: str
    title: str
    paragraph: str
    kind: str
    citation: str
    section: tuple[str, ...]
    page: int | None
    text: str
    excerpt_html: str
    score: float | None
    primary_instrument: str
    instruments: tuple[str, ...]
    themes: tuple[str, ...]
    references: tuple[str, ...]
    year: str
    order: int
    decision: str | None = None  # the decision of a report the unit belongs to ("decision 2/CP.27")


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    page: int
    per_page: int
    sort: str
    hits: tuple[Hit, ...]
    facets: dict[str, FacetValues]  # facet -> its values, in its order
    filters: dict[str, tuple[str, ...]]
    suggestion: str | None = None
    message: str | None = None  # why the query gave nothing, in words a user understands
    cited: str | None = None  # uid of the unit the query cites, shown first
    document: DocumentCard | None = None  # the document a symbol typed alone names, shown first

    @property
    def pages(self) -> int:
        """Number of result pages."""
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True)
class OutlineEntry:
    heading: str
    depth: int
    first_uid: str
    first_paragraph: str


@dataclass(frozen=True)
class ResolvedReference:
    text: str
    uid: str | None  # the unit it points to, when indexed
    symbol: str | None  # the document it points to, when indexed
    status: str = "missing"  # "unit" | "document" | "missing" (not in the index)
    target: str = ""  # what it names: "UNEP(DTIE)/Hg/OEWG.2/10", "decision II/8"


@dataclass(frozen=True)
class ParagraphView:
    hit: Hit
    previous: Hit | None
    next: Hit | None
    outline: tuple[OutlineEntry, ...]
    references: tuple[ResolvedReference, ...]
    cited_by: tuple[Hit, ...]
    similar: tuple[Hit, ...]
    cited_by_total: int = 0  # every citing unit; ``cited_by`` is the page asked for
    cited_by_page: int = 1
    cited_by_per_page: int = 10

    @property
    def cited_by_pages(self) -> int:
        """Number of pages of citing units."""
        return max(1, -(-self.cited_by_total // self.cited_by_per_page))


@dataclass(frozen=True)
class DocumentView:
    symbol: str
    title: str
    date: str | None
    year: str
    primary_instrument: str
    units: tuple[Hit, ...]
    outline: tuple[OutlineEntry, ...]


# The compare column of the units no instrument is primary to (a document of no
# instrument's body, under no heading naming one); no vocabulary id is this.
NO_INSTRUMENT = "none"
NO_INSTRUMENT_LABEL = "No instrument"


@dataclass(frozen=True)
class CompareColumn:
    """The matching units whose primary instrument is ``instrument`` (each unit is in
    one column only: a Paris Agreement paragraph is not under the UNFCCC too)."""

    instrument: str
    label: str
    total: int  # units in this column
    hits: tuple[Hit, ...]  # the best of them


@dataclass(frozen=True)
class CompareView:
    query: str
    total: int
    columns: tuple[CompareColumn, ...]
    themes: tuple[FacetValue, ...]  # matrix columns
    matrix: dict[str, dict[str, int]]  # instrument -> theme -> count (by every instrument tag)
    message: str | None = None
    # Every primary instrument of the matching units (and any asked for), with its
    # units; ``selected``: shown as a column.
    instruments: tuple[FacetValue, ...] = ()
