"""Tagged units -> index records: the plain values every engine indexes.

Each record carries the terms of its text fields already analysed
(``indexer.text.analysis``), so every engine indexes the same terms, and its
facet values as tuples (``indexer.facets`` names them).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from indexer.engine.base import IndexRecord
from indexer.models import PROVISION, Document, Tags, Unit, is_provision
from indexer.text.analysis import exact_terms, stemmed_terms
from indexer.text.answers import answer_kinds

# How much of a unit counts as its lead: the first sentence, at most this many words.
LEAD_WORDS = 30
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)][.;:])\s+(?=[A-Z(])")


@dataclass(frozen=True)
class SourceInfo:
    """Where a document came from, kept with each of its units."""

    path: str
    sha256: str


def lead_of(text: str) -> str:
    """The opening sentence of a unit's text, cut at LEAD_WORDS words."""
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    return " ".join(first.split()[:LEAD_WORDS])


def unit_traits(unit: Unit) -> tuple[str, ...]:
    """What a unit is beyond its kind (a provision) and the kinds of answer it holds."""
    provision = (PROVISION,) if is_provision(unit.paragraph) else ()
    return provision + answer_kinds(unit.text)


def year_of(date: str | None) -> str:
    """The four-digit year of an ISO date, or '' when unknown."""
    return date[:4] if date and date[:4].isdigit() else ""


def document_records(document: Document, tags: Iterable[Tags], source: SourceInfo) -> Iterator[IndexRecord]:
    """Index records for every unit of a tagged document."""
    for unit, unit_tags in zip(document.units, tags, strict=True):
        yield unit_record(document, unit, unit_tags, source)


def unit_record(document: Document, unit: Unit, tags: Tags, source: SourceInfo) -> IndexRecord:
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
    heading = " ".join(unit.section)
    return IndexRecord(
        uid=unit.uid,
        document=unit.symbol,
        paragraph=unit.paragraph,
        kind=unit.kind,
        order=unit.order,
        source=source.path,
        text=unit.text,
        terms={
            "text": tuple(stemmed_terms(unit.text)),
            "exact": tuple(exact_terms(unit.text)),
            "heading": tuple(stemmed_terms(heading)),
            # The unit's opening words: a paragraph whose topic sentence names the
            # query's words is about them, not just mentioning them.
            "lead": tuple(stemmed_terms(lead_of(unit.text))),
            # The unit's own heading: "Article 25 Entry into force" says what every
            # paragraph under it is about, in words they need not repeat.
            "title": tuple(stemmed_terms(unit.section[-1])) if unit.section else (),
        },
        facets={
            "instrument": tuple(tags.instruments),
            "theme": tuple(tags.themes),
            "document": (unit.symbol,),
            "year": (year_of(unit.date or document.date),),
            "decision": (unit.decision or "",),
        },
        primary_instrument=tags.primary_instrument or "",
        refkeys=tuple(tags.reference_keys),
        data=json.dumps(data, ensure_ascii=False),
        traits=unit_traits(unit),
    )


def record_to_json(record: IndexRecord) -> dict:
    """A record as JSON values (the benchmarks keep records in JSONL)."""
    return {
        "uid": record.uid, "document": record.document, "paragraph": record.paragraph,
        "kind": record.kind, "order": record.order, "source": record.source, "text": record.text,
        "terms": {k: list(v) for k, v in record.terms.items()},
        "facets": {k: list(v) for k, v in record.facets.items()},
        "primary_instrument": record.primary_instrument, "refkeys": list(record.refkeys),
        "data": record.data, "traits": list(record.traits),
    }


def record_from_json(value: dict) -> IndexRecord:
    """The record ``record_to_json`` wrote."""
    return IndexRecord(
        **{**value,
           "terms": {k: tuple(v) for k, v in value["terms"].items()},
           "facets": {k: tuple(v) for k, v in value["facets"].items()},
           "refkeys": tuple(value["refkeys"]),
           "traits": tuple(value.get("traits", ()))}
    )
