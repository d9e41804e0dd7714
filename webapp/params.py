"""Request parameters checked at the edge, before anything reaches the search service.

Every page and its JSON twin read the same parameters through here: facet and
sort names are looked up in explicit maps, numbers are checked against their
ranges, and anything else is refused with a ``QueryError`` that names the
parameter (answered as a 400).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from indexer.facets import FACETS as FACET_DEFINITIONS
from indexer.search import MAX_PER_PAGE, QueryError

# URL parameter -> (service facet name, label shown in the sidebar), from the one declaration.
FACETS = {facet.name: (facet.name, facet.label) for facet in FACET_DEFINITIONS}
# URL value -> (service sort name, label).
SORTS = {
    "relevance": ("relevance", "Relevance"),
    "document": ("document", "Document order"),
}
MAX_PAGE = 10_000
MAX_FACET_VALUES = 20
MAX_FACET_VALUE_LENGTH = 200
BOOLEAN = {"": False, "0": False, "false": False, "off": False, "no": False,
           "1": True, "true": True, "on": True, "yes": True}

SEARCH_PARAMETERS = ("q", "page", "per_page", "sort", "group", *FACETS)
# Compare: the search's words and filters, how many paragraphs each column shows
# (``per_instrument``) and which instruments are columns (``column``, repeated).
COMPARE_PARAMETERS = ("q", "per_instrument", "column", *FACETS)
COMPARE_HITS_DEFAULT = 5
# A column of more paragraphs than this is a search: the search page pages them.
COMPARE_HITS_MAX = 20
COMPARE_COLUMNS_MAX = MAX_FACET_VALUES
# Control characters (C0 and C1 but tab and newline) arrive from pasted PDF text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class SearchParams:
    """What a search page asks for, checked; ``args`` turns it back into a URL."""

    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    per_page: int = 10
    sort: str = "relevance"
    group: bool = False
    default_per_page: int = 10

    @property
    def service_filters(self) -> dict[str, tuple[str, ...]]:
        """Filters keyed by the service's facet names."""
        return {FACETS[name][0]: values for name, values in self.filters.items() if values}

    @property
    def is_empty(self) -> bool:
        """Nothing asked yet: no words and no filters."""
        return not self.q and not any(self.filters.values())

    def args(self, **changes) -> list[tuple[str, str]]:
        """URL parameters of this state with ``changes`` applied; defaults are left out."""
        state = replace(self, **changes) if changes else self
        pairs: list[tuple[str, str]] = []
        if state.q:
            pairs.append(("q", state.q))
        for name in FACETS:
            pairs.extend((name, value) for value in state.filters.get(name, ()))
        if state.sort != "relevance":
            pairs.append(("sort", state.sort))
        if state.per_page != state.default_per_page:
            pairs.append(("per_page", str(state.per_page)))
        if state.group:
            pairs.append(("group", "1"))
        if state.page != 1:
            pairs.append(("page", str(state.page)))
        return pairs

    def toggled(self, facet: str, value: str) -> dict[str, tuple[str, ...]]:
        """Filters with ``value`` of ``facet`` added, or removed when already selected."""
        current = self.filters.get(facet, ())
        values = tuple(v for v in current if v != value) if value in current else (*current, value)
        return {**self.filters, facet: values}


@dataclass(frozen=True)
class CompareChoice:
    """What the compare page shows of a search: paragraphs per column, and the
    instruments that are columns (None: the instruments with most paragraphs)."""

    per_instrument: int = COMPARE_HITS_DEFAULT
    columns: tuple[str, ...] | None = None

    def args(self) -> list[tuple[str, str]]:
        """URL parameters of this choice; defaults are left out."""
        pairs = [("column", instrument) for instrument in self.columns or ()]
        if self.per_instrument != COMPARE_HITS_DEFAULT:
            pairs.append(("per_instrument", str(self.per_instrument)))
        return pairs


def compare_choice(args, known_instruments) -> CompareChoice:
    """Checked ``per_instrument`` and ``column`` parameters; ``known_instruments``:
    the instrument ids a column may name."""
    columns = []
    for raw in args.getlist("column"):
        value = _CONTROL.sub(" ", raw).strip()
        if not value or value in columns:
            continue
        if value not in known_instruments:
            shown = value if len(value) <= 40 else value[:40] + "…"
            raise QueryError("column", f"column names no instrument: {shown!r}; tick instruments on the compare page")
        columns.append(value)
    if len(columns) > COMPARE_COLUMNS_MAX:
        raise QueryError("column", f"at most {COMPARE_COLUMNS_MAX} column values at a time")
    return CompareChoice(
        per_instrument=_number(args, "per_instrument", COMPARE_HITS_DEFAULT, 1, COMPARE_HITS_MAX),
        columns=tuple(columns) or None,
    )


def search_params(args, default_per_page: int, max_query_length: int,
                  allowed=SEARCH_PARAMETERS) -> SearchParams:
    """Checked search parameters from a request's query string (a MultiDict)."""
    for name in args:
        if name not in allowed:
            facets = ", ".join(FACETS)
            others = ", ".join(p for p in allowed if p not in FACETS)
            raise QueryError(
                name, f"unknown parameter {name!r}: filter with {facets}; other parameters: {others}"
            )
    return SearchParams(
        q=_query(args, max_query_length),
        filters=_filters(args),
        page=_number(args, "page", 1, 1, MAX_PAGE),
        per_page=_number(args, "per_page", default_per_page, 1, MAX_PER_PAGE),
        sort=_sort(args),
        group=_boolean(args, "group"),
        default_per_page=default_per_page,
    )


def _single(args, name: str) -> str | None:
    values = args.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise QueryError(name, f"give {name} only once")
    return values[0]


def _query(args, max_length: int) -> str:
    text = _single(args, "q") or ""
    text = " ".join(_CONTROL.sub(" ", text).split())
    if len(text) > max_length:
        raise QueryError("q", f"q is too long: at most {max_length} characters")
    return text


def _filters(args) -> dict[str, tuple[str, ...]]:
    filters = {}
    for name in FACETS:
        values = []
        for raw in args.getlist(name):
            value = _CONTROL.sub(" ", raw).strip()
            if not value or value in values:
                continue
            if len(value) > MAX_FACET_VALUE_LENGTH:
                raise QueryError(name, f"{name} values must be at most {MAX_FACET_VALUE_LENGTH} characters")
            values.append(value)
        if len(values) > MAX_FACET_VALUES:
            raise QueryError(name, f"at most {MAX_FACET_VALUES} {name} values at a time")
        if values:
            filters[name] = tuple(values)
    return filters


def _number(args, name: str, default: int, low: int, high: int) -> int:
    raw = _single(args, name)
    if raw is None or not raw.strip():
        return default
    try:
        number = int(raw.strip(), 10)
    except ValueError:
        raise QueryError(name, f"{name} must be a whole number from {low} to {high}") from None
    if not low <= number <= high:
        raise QueryError(name, f"{name} must be a whole number from {low} to {high}")
    return number


def _sort(args) -> str:
    raw = _single(args, "sort")
    if raw is None or not raw.strip():
        return "relevance"
    try:
        return SORTS[raw.strip()][0]
    except KeyError:
        raise QueryError("sort", f"sort must be one of: {', '.join(SORTS)}") from None


def _boolean(args, name: str) -> bool:
    raw = _single(args, name)
    if raw is None:
        return False
    try:
        return BOOLEAN[raw.strip().lower()]
    except KeyError:
        raise QueryError(name, f"{name} must be 1 or 0") from None
