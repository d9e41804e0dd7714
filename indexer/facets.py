"""The facets, declared once: name, index field, single or multi-valued, label and sort rule.

The engine schema, the search service, the web app's URL parameters, the CLI
and the benchmarks all read this table, so a new facet is one entry here (plus
the value the records give it in ``indexer.index.records``).
"""
from __future__ import annotations

from dataclasses import dataclass

# How the values of a facet are listed.
BY_COUNT = "count"  # most frequent first, then by value (case-insensitive)
NEWEST_FIRST = "newest-first"  # numeric values, highest first (years)

# How a value is shown: as stored, or through the vocabulary's labels.
AS_STORED = "as-stored"
INSTRUMENT_LABEL = "instrument-label"
THEME_LABEL = "theme-label"


@dataclass(frozen=True)
class Facet:
    """One facet: what users and URLs call it, where the engine keeps it, how it is shown."""

    name: str
    field: str
    multi_valued: bool
    label: str  # the sidebar heading
    sort: str = BY_COUNT
    value_label: str = AS_STORED


FACETS: tuple[Facet, ...] = (
    Facet("instrument", "instrument", True, "Instrument", value_label=INSTRUMENT_LABEL),
    Facet("theme", "theme", True, "Theme", value_label=THEME_LABEL),
    Facet("document", "document", False, "Document"),
    Facet("year", "year", False, "Year", sort=NEWEST_FIRST),
    # The decision or resolution of a report a unit belongs to ("decision 2/CP.27").
    Facet("decision", "decision", False, "Decision"),
)
FACET_NAMES: tuple[str, ...] = tuple(f.name for f in FACETS)
BY_NAME: dict[str, Facet] = {f.name: f for f in FACETS}


def sort_key(facet: Facet, value: str, count: int):
    """Where a value with ``count`` hits stands in the facet's list (ascending)."""
    if facet.sort == NEWEST_FIRST:
        return (-int(value) if value.isascii() and value.isdigit() else 0, value)
    return (-count, value.lower())
