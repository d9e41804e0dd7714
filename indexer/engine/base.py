"""What search and indexing need from a search engine, as protocols over plain data.

The one seam between the product and an engine. ``indexer.search`` builds the
query nodes below on logical fields and asks a ``Reader`` for an
``EngineResult``; ``indexer.index`` hands ``IndexRecord``s to a ``Writer``.
Nothing engine-specific crosses: no engine class, query object or document
number leaves an engine package (``indexer.engine.whoosh`` is the one today).

Logical fields:
- text fields, queried by terms and phrases: ``text`` (stemmed), ``exact``
  (every token, unstemmed), ``heading`` and ``lead`` (stemmed, ranked lower);
- keyword fields, queried by whole values: the facets' fields
  (``indexer.facets``), ``uid``, ``refkey`` and ``source``.

Ranking contract: BM25F over the text fields (b 0.75, k1 1.2; ``heading`` and
``lead`` weighted by their field boosts), a phrase scored as the sum of its
words' scores, an any-of as the sum of the children that match, a prefer as
the required part plus the optional part where both match. Ties are broken by
document order (symbol, then position in the document), so results and pages
are the same across rebuilds of the same corpus.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping, Protocol, Sequence, Union

# The text fields every record fills with pre-analysed terms.
# "title" is the unit's own heading (its article's title), not ranked: a query
# found in a title lifts the units under it (search.planner.TITLE_BOOST).
TEXT_FIELDS = ("text", "exact", "heading", "lead", "title")

# -- query nodes ------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """Documents holding ``text`` in ``field`` (a text term or a keyword value)."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Documents where ``words`` stand in order in ``field``, each at most ``slop``
    positions after the one before (slop 1: adjacent)."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class AnyOf:
    """Documents matching any child, scored with the sum of the children they match;
    with ``coordinate``, that sum times the share of the children matched (a best
    match: documents holding more of the words first)."""

    children: tuple["Node", ...]
    boost: float = 1.0
    coordinate: bool = False


@dataclass(frozen=True)
class AllOf:
    """Documents matching every child, scored with the sum of the children's scores."""

    children: tuple["Node", ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Without:
    """Documents of ``positive`` that do not match ``negative``."""

    positive: "Node"
    negative: "Node"
    boost: float = 1.0


@dataclass(frozen=True)
class Prefer:
    """Documents of ``required``; those also matching ``optional`` score its score more."""

    required: "Node"
    optional: "Node"
    boost: float = 1.0


@dataclass(frozen=True)
class ConstantScore:
    """Documents of ``child``, each scored ``score``."""

    child: "Node"
    score: float
    boost: float = 1.0


@dataclass(frozen=True)
class ShortScale:
    """Documents of ``child``; the score of one whose text field holds fewer than
    ``terms`` terms is scaled by its length over ``terms`` (a fragment ranks below
    the provision it belongs to)."""

    child: "Node"
    terms: int
    boost: float = 1.0


@dataclass(frozen=True)
class Lift:
    """Documents of ``child``; the score of one that also matches ``marker`` is
    multiplied by ``factor`` (a provision of an instrument ranks above the notes
    and reports that speak of it as much)."""

    child: "Node"
    marker: "Node"
    factor: float
    boost: float = 1.0


Node = Union[Term, Phrase, AnyOf, AllOf, Without, Prefer, ConstantScore, ShortScale, Lift]

# -- records ------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexRecord:
    """One unit as every engine indexes it: plain values, text already analysed."""

    uid: str
    document: str  # the document symbol
    paragraph: str
    kind: str
    order: int  # position in the document
    source: str  # the file the unit came from (deletion by source)
    text: str  # stored and shown
    terms: Mapping[str, tuple[str, ...]]  # text field -> its terms, in order (TEXT_FIELDS)
    facets: Mapping[str, tuple[str, ...]]  # facet field -> values ('' none)
    primary_instrument: str
    refkeys: tuple[str, ...]  # what the unit cites (indexer.models.document_key / unit_key)
    data: str  # JSON of everything shown that is not a field above
    # What kind of unit it is beyond its kind: a provision of an instrument, the
    # kinds of answer its text holds (indexer.text.answers); Term("traits", name).
    traits: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredUnit:
    """What an engine gives back of a record: every stored value."""

    uid: str
    document: str
    paragraph: str
    kind: str
    order: int
    text: str
    primary_instrument: str
    year: str
    data: str
    # The decision of a report the unit belongs to ('' none): the facet value, so
    # a ranked page can tell its sources apart without reading ``data``.
    decision: str = ""


# -- requests and results ---------------------------------------------------------


@dataclass(frozen=True)
class SearchRequest:
    """One search: a query (None: every unit), filters, order and page, facets to count.

    ``filters``: facet -> values; a unit passes a facet's filter when it carries
    any of the values, and must pass every facet's. ``require``: (facet, value)
    pairs every unit must carry besides. ``pinned``: uids of units to admit
    even when the query does not match them (unscored) and to put first, in
    this order, when they pass the filters (a cited unit, the rest of a cited
    range; one uid alone is one unit). ``facets``: facets to count, each
    disjunctively (with every filter applied but its own). ``sort``:
    "relevance" or "document".
    """

    query: Node | None = None
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    require: tuple[tuple[str, str], ...] = ()
    pinned: tuple[str, ...] = ()
    sort: str = "relevance"
    offset: int = 0
    limit: int = 10
    facets: tuple[str, ...] = ()

    def __post_init__(self):
        # One uid is one pinned unit (not a sequence of its characters).
        if isinstance(self.pinned, str):
            object.__setattr__(self, "pinned", (self.pinned,))
        elif self.pinned is None:
            object.__setattr__(self, "pinned", ())


@dataclass(frozen=True)
class FacetCounts:
    """A facet's values with hits, in the facet's sort order, and their counts."""

    values: tuple[str, ...]
    counts: tuple[int, ...]


@dataclass(frozen=True)
class EngineHit:
    unit: StoredUnit
    score: float | None  # None: not scored (document order, or pinned only)


@dataclass(frozen=True)
class EngineResult:
    total: int
    hits: tuple[EngineHit, ...]
    facets: Mapping[str, FacetCounts]


# -- protocols ----------------------------------------------------------------------


class Reader(Protocol):
    """One opened, immutable index generation. Safe to share between threads."""

    def search(self, request: SearchRequest) -> EngineResult:
        """Matching, scoring, filters, order, paging and facet counts of one request."""

    def count(self, query: Node | None, filters: Mapping[str, tuple[str, ...]]) -> int:
        """How many units match the query and pass the filters."""

    def stored(self, uid: str) -> StoredUnit | None:
        """The stored values of a live unit, or None."""

    def document_units(self, symbol: str) -> list[StoredUnit]:
        """A document's units, in document order."""

    def documents(self) -> list[tuple[str, str, int]]:
        """Every indexed document as (symbol, title, units), by symbol."""

    def uids_with_prefix(self, prefix: str) -> list[str]:
        """Uids of live units starting with ``prefix``."""

    def cited_by(self, keys: Sequence[str], limit: int, exclude: str | None = None) -> list[StoredUnit]:
        """Units whose reference keys include any of ``keys`` (but ``exclude``), in document order."""

    def referring(self, keys: Sequence[str] = (), prefixes: Sequence[str] = ()) -> list[StoredUnit]:
        """Units whose reference keys include any of ``keys`` or start with any of
        ``prefixes``, in document order."""

    def reference_keys(self, prefix: str) -> list[tuple[str, int]]:
        """Every reference key starting with ``prefix`` that live units carry, and how
        many units carry it, by key."""

    def similar(self, uid: str, limit: int, exclude: tuple[str, str]) -> list[EngineHit]:
        """Units most like ``uid`` by their text, none carrying the (facet, value) ``exclude``."""

    def cooccurrence(
        self, query: Node | None, filters: Mapping[str, tuple[str, ...]], rows: str, columns: str
    ) -> tuple[dict[str, int], dict[str, int], dict[str, dict[str, int]]]:
        """For the units matching and passing the filters: units per row value, units
        per column value, and row value -> column value -> units carrying both."""

    def primary_counts(self, query: Node | None, filters: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
        """For the units matching and passing the filters: units per primary
        instrument ('' for those of none), each unit counted once."""

    def document_frequency(self, field: str, term: str) -> int:
        """How many units hold the term in the field."""

    def suggestion(self, field: str, term: str) -> list[str]:
        """Indexed terms of the field close to ``term`` (spelling candidates), the most frequent first."""

    def sample_texts(self, count: int) -> list[str]:
        """The texts of up to ``count`` units (to train a sentence splitter on)."""

    def unit_count(self) -> int:
        """Live units."""

    def close(self) -> None:
        """Release the generation's files."""


class Writer(Protocol):
    """Changes to one generation, used as a context manager: ``with engine.writer(path) as w:``.

    Leaving the block normally commits; leaving it by an exception discards
    everything since the last ``flush``.
    """

    def add(self, record: IndexRecord) -> None:
        """Index one unit."""

    def delete_source(self, source: str) -> None:
        """Delete every unit that came from the file ``source``."""

    def flush(self) -> None:
        """Commit what was added so far as its own segment and go on writing."""

    def __enter__(self) -> "Writer": ...

    def __exit__(self, kind, value, traceback) -> None: ...


class Engine(Protocol):
    """An engine: makes, seeds, writes and opens the index files of a generation directory."""

    name: str

    def create(self, path) -> None:
        """An empty index in the (empty) directory ``path``."""

    def seed(self, source, target) -> None:
        """The index of directory ``source`` in ``target`` too, cheaply (hard links)."""

    def writer(self, path, *, merge: bool = True, memory_mb: int | None = None, procs: int = 1) -> Writer:
        """A writer of the index in ``path`` (one at a time per index), writing
        what is added with ``procs`` processes."""

    def verify(self, path) -> None:
        """Raise when the index in ``path`` cannot be opened (cheaper than ``open``)."""

    def open(self, path) -> Reader:
        """The index in ``path``, for reading; raises on a missing or broken index."""


def walk(node: Node) -> Iterator[Node]:
    """Every node of a query tree, parents first."""
    yield node
    children: Iterable[Node] = ()
    if isinstance(node, (AnyOf, AllOf)):
        children = node.children
    elif isinstance(node, Without):
        children = (node.positive, node.negative)
    elif isinstance(node, Prefer):
        children = (node.required, node.optional)
    elif isinstance(node, ConstantScore):
        children = (node.child,)
    for child in children:
        yield from walk(child)
