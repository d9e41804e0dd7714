"""JSON shapes of extracted units, search results, paragraphs, documents and comparisons.

Shared by the CLI's ``--json`` and the web API, so the two cannot drift apart.
Values in, plain dicts out; nothing here knows about the index or the web.
"""
from __future__ import annotations

from indexer.search.results import FacetValues


def unit_json(unit) -> dict:
    """The JSON shape of one extracted unit."""
    return {
        "symbol": unit.symbol,
        "paragraph": unit.paragraph,
        "kind": unit.kind,
        "section": unit.section_label,
        "section_path": list(unit.section),
        "page": unit.page,
        "citation": unit.citation,
        "decision": unit.decision,
        "text": unit.text,
    }


def hit_json(hit) -> dict:
    """The JSON shape of one search hit (shared with the web API)."""
    return {
        "uid": hit.uid,
        "symbol": hit.symbol,
        "title": hit.title,
        "paragraph": hit.paragraph,
        "kind": hit.kind,
        "citation": hit.citation,
        "section": " > ".join(hit.section) if hit.section else None,
        "section_path": list(hit.section),
        "page": hit.page,
        "excerpt_html": hit.excerpt_html,
        "score": hit.score,
        "primary_instrument": hit.primary_instrument,
        "instruments": list(hit.instruments),
        "themes": list(hit.themes),
        "references": list(hit.references),
        "year": hit.year,
        "decision": hit.decision,
    }


def full_hit_json(hit) -> dict:
    """A hit with its full text, as paragraph and document views show it."""
    return {**hit_json(hit), "text": hit.text}


def facet_json(values) -> list[dict]:
    """Facet values as ``[{"value", "label", "count", "selected"}]``."""
    # Built by hand: dataclasses.asdict deep-copies and was half the API's time;
    # from the columns when there are (a million units list thousands of documents).
    rows = values.rows() if isinstance(values, FacetValues) else values
    return [{"value": value, "label": label, "count": count, "selected": selected}
            for value, label, count, selected in rows]


def result_json(result) -> dict:
    """The JSON shape of a search result (shared with the web API)."""
    return {
        "query": result.query,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "sort": result.sort,
        "filters": {k: list(v) for k, v in result.filters.items()},
        "hits": [hit_json(h) for h in result.hits],
        "facets": {name: facet_json(values) for name, values in result.facets.items()},
        "suggestion": result.suggestion,
        "message": result.message,
        "cited": result.cited,
        "document": card_json(result.document) if result.document else None,
    }


def card_json(card) -> dict:
    """A document card: what a symbol typed alone names."""
    return {"symbol": card.symbol, "title": card.title, "date": card.date, "meeting": card.meeting,
            "paragraphs": card.paragraphs}


def outline_json(outline) -> list[dict]:
    """A document outline as ``[{"heading", "depth", "uid", "paragraph"}]``."""
    return [
        {"heading": e.heading, "depth": e.depth, "uid": e.first_uid, "paragraph": e.first_paragraph}
        for e in outline
    ]


def paragraph_json(view) -> dict:
    """A paragraph with its neighbours, outline, references, citing and similar units."""
    return {
        "paragraph": full_hit_json(view.hit),
        "previous": hit_json(view.previous) if view.previous else None,
        "next": hit_json(view.next) if view.next else None,
        "outline": outline_json(view.outline),
        "references": [
            {"text": r.text, "uid": r.uid, "symbol": r.symbol, "status": r.status, "target": r.target}
            for r in view.references
        ],
        "cited_by": [hit_json(h) for h in view.cited_by],
        "cited_by_total": view.cited_by_total,
        "cited_by_page": view.cited_by_page,
        "cited_by_pages": view.cited_by_pages,
        "similar": [hit_json(h) for h in view.similar],
    }


def document_json(view) -> dict:
    """A document's metadata, outline and every unit in order."""
    return {
        "symbol": view.symbol,
        "title": view.title,
        "date": view.date,
        "year": view.year,
        "primary_instrument": view.primary_instrument,
        "outline": outline_json(view.outline),
        "units": [full_hit_json(u) for u in view.units],
    }


def compare_json(view) -> dict:
    """Best paragraphs per instrument for a query, and the instrument x theme counts."""
    return {
        "query": view.query,
        "total": view.total,
        "message": view.message,
        "columns": [
            {
                "instrument": c.instrument,
                "label": c.label,
                "total": c.total,
                "hits": [hit_json(h) for h in c.hits],
            }
            for c in view.columns
        ],
        "themes": facet_json(view.themes),
        "matrix": {name: dict(row) for name, row in view.matrix.items()},
    }
