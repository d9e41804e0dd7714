"""The index schema and the mapping from tagged units to index records.

One schema, defined once. Fields:
- ``text`` ranks (stemmed), ``exact`` matches symbols, numbers and quoted phrases,
  ``heading`` holds the section path so a heading's words count a little.
- ``instrument``, ``theme``, ``document``, ``year`` are the facets (keyword
  fields, multi-valued where a unit can have several values).
- ``decision`` holds the decision of a report a unit belongs to (``decision 2/CP.27``), a facet value.
- ``refkey`` holds normalised reference targets so "cited by" is one term lookup.
Everything a result page shows is stored, so a hit never needs the source file.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.text.analysis import ANALYZER_VERSION, exact_analyzer, stemmed_analyzer
from indexer.models import Document, Tags, Unit

# Bump when fields change: the index must then be rebuilt.
SCHEMA_VERSION = "3"

# How much of a unit counts as its lead: the first sentence, at most this many words.
LEAD_WORDS = 30
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)][.;:])\s+(?=[A-Z(])")

# Facet name (as users and URLs say it) -> index field.
FACET_FIELDS = {
    "instrument": "instrument",
    "theme": "theme",
    "document": "document",
    "year": "year",
}


def build_schema() -> Schema:
    """The one schema of the paragraph index."""
    return Schema(
        uid=ID(stored=True, unique=True),
        document=ID(stored=True),  # the document symbol, also a facet
        paragraph=ID(stored=True),
        kind=ID(stored=True),
        order=NUMERIC(stored=True, sortable=True),
        text=TEXT(analyzer=stemmed_analyzer(), stored=True, phrase=True),
        exact=TEXT(analyzer=exact_analyzer(), phrase=True),
        heading=TEXT(analyzer=stemmed_analyzer(), field_boost=0.5),
        # The unit's opening words: a paragraph whose topic sentence names the
        # query's words is about them, not just mentioning them.
        lead=TEXT(analyzer=stemmed_analyzer(), field_boost=0.8),
        instrument=KEYWORD(stored=True, commas=True, scorable=False),
        primary_instrument=ID(stored=True),
        theme=KEYWORD(stored=True, commas=True, scorable=False),
        year=ID(stored=True),
        decision=ID(stored=True),  # "decision 2/CP.27": the decision of a report a unit belongs to
        refkey=KEYWORD(commas=True, lowercase=True),
        source=ID(stored=True),  # the file the unit came from (for incremental builds)
        data=STORED(),  # JSON of everything shown that is not a field above
    )


def version_stamp(extractor_version: str, vocabulary_fingerprint: str) -> dict:
    """What an index was built with; a change in any part means rebuild or re-tag."""
    return {
        "schema": SCHEMA_VERSION,
        "analyzer": ANALYZER_VERSION,
        "extractor": extractor_version,
        "vocabulary": vocabulary_fingerprint,
    }


@dataclass(frozen=True)
class SourceInfo:
    """Where a document came from, kept with each of its units."""

    path: str
    sha256: str


def lead_of(text: str) -> str:
    """The opening sentence of a unit's text, cut at LEAD_WORDS words."""
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    return " ".join(first.split()[:LEAD_WORDS])


def year_of(date: str | None) -> str:
    """The four-digit year of an ISO date, or '' when unknown."""
    return date[:4] if date and date[:4].isdigit() else ""


def document_records(
    document: Document,
    tags: Iterable[Tags],
    source: SourceInfo,
) -> Iterator[dict]:
    """Index records (field -> value) for every unit of a tagged document."""
    for unit, unit_tags in zip(document.units, tags, strict=True):
        yield unit_record(document, unit, unit_tags, source)


def unit_record(document: Document, unit: Unit, tags: Tags, source: SourceInfo) -> dict:
    """One index record for one unit."""
    data = {
        "symbol": unit.symbol,
        "title": unit.title or document.title,
        "section": list(unit.section),
        "page": unit.page,
        "citation": unit.citation,
        "date": unit.date or document.date,
        "instruments": list(tags.instruments),
        "themes": list(tags.themes),
        "references": list(tags.references),
        "decision": unit.decision,
    }
    return {
        "uid": unit.uid,
        "document": unit.symbol,
        "paragraph": unit.paragraph,
        "kind": unit.kind,
        "order": unit.order,
        "text": unit.text,
        "exact": unit.text,
        "heading": " ".join(unit.section),
        "lead": lead_of(unit.text),
        "instrument": ",".join(tags.instruments),
        "primary_instrument": tags.primary_instrument or "",
        "theme": ",".join(tags.themes),
        "year": year_of(unit.date or document.date),
        "decision": unit.decision or "",
        "refkey": ",".join(k.replace(",", " ") for k in tags.reference_keys),
        "source": source.path,
        "data": json.dumps(data, ensure_ascii=False),
    }
