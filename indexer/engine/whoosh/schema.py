"""The Whoosh schema of the paragraph index, and an ``IndexRecord`` as a Whoosh document.

One schema, defined once. Fields:
- ``text`` ranks (stemmed), ``exact`` matches symbols, numbers and quoted phrases,
  ``heading`` holds the section path so a heading's words count a little,
  ``lead`` the unit's opening words, ``title`` its own (innermost) heading,
  matched only to lift the units under a title holding the query; all hold
  pre-analysed terms.
- the facet fields of ``indexer.facets`` (keyword fields, comma-separated where
  a unit can have several values).
- ``refkey`` holds normalised reference targets so "cited by" is one term lookup.
- ``traits`` what a unit is (a provision) and the kinds of answer its text holds.
Everything a result page shows is stored, so a hit never needs the source file.
"""
from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.engine.base import IndexRecord, StoredUnit
from indexer.engine.whoosh.analyzers import joined, terms_analyzer
from indexer.facets import FACETS

# Field boosts of the lower-ranked text fields (the ranking contract of engine/base.py).
HEADING_BOOST = 0.5
LEAD_BOOST = 0.8


def _facet_field(facet):
    if facet.multi_valued:
        return KEYWORD(stored=True, commas=True, scorable=False)
    return ID(stored=True)


def build_schema() -> Schema:
    """The one schema of the paragraph index."""
    fields = dict(
        uid=ID(stored=True, unique=True),
        paragraph=ID(stored=True),
        kind=ID(stored=True),
        order=NUMERIC(stored=True, sortable=True),
        text=TEXT(analyzer=terms_analyzer(), stored=True, phrase=True),
        exact=TEXT(analyzer=terms_analyzer(), phrase=True),
        heading=TEXT(analyzer=terms_analyzer(), field_boost=HEADING_BOOST),
        lead=TEXT(analyzer=terms_analyzer(), field_boost=LEAD_BOOST),
        title=TEXT(analyzer=terms_analyzer(), phrase=True),
        primary_instrument=ID(stored=True),
        refkey=KEYWORD(commas=True, lowercase=True),
        traits=KEYWORD(commas=True, scorable=False),
        source=ID(stored=True),  # the file the unit came from (for incremental builds)
        data=STORED(),  # JSON of everything shown that is not a field above
    )
    for facet in FACETS:
        fields[facet.field] = _facet_field(facet)
    return Schema(**fields)


def whoosh_document(record: IndexRecord) -> dict:
    """The keyword arguments of ``add_document`` for one record."""
    document = {
        "uid": record.uid,
        "paragraph": record.paragraph,
        "kind": record.kind,
        "order": record.order,
        "text": joined(record.terms["text"]),
        "_stored_text": record.text,  # the terms are indexed, the text is shown
        "exact": joined(record.terms["exact"]),
        "heading": joined(record.terms["heading"]),
        "lead": joined(record.terms["lead"]),
        "title": joined(record.terms.get("title", ())),
        "primary_instrument": record.primary_instrument,
        # Commas separate keywords: one inside a key would split it.
        "refkey": ",".join(k.replace(",", " ") for k in record.refkeys),
        "traits": ",".join(record.traits),
        "source": record.source,
        "data": record.data,
    }
    for facet in FACETS:
        values = record.facets.get(facet.field, ())
        document[facet.field] = ",".join(values) if facet.multi_valued else (values[0] if values else "")
    return document


def stored_unit(fields: dict) -> StoredUnit:
    """A Whoosh document's stored fields as plain data."""
    return StoredUnit(
        uid=fields["uid"],
        document=fields["document"],
        paragraph=fields["paragraph"],
        kind=fields["kind"],
        order=fields["order"],
        text=fields["text"],
        primary_instrument=fields.get("primary_instrument", ""),
        year=fields.get("year", ""),
        decision=fields.get("decision", ""),
        data=fields["data"],
    )
