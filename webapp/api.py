"""JSON twins of the pages, under /api, over the same service calls as the HTML.

The shapes come from ``indexer.search.serialize`` (the CLI's ``--json`` uses them
too); this module only adds the links a client needs to reach the pages.
"""
from __future__ import annotations

from flask import Blueprint, abort, jsonify

from indexer.search.serialize import (
    compare_json, document_json, facet_json, hit_json, paragraph_json, result_json,
)
from webapp.params import COMPARE_PARAMETERS
from webapp.views import (
    CITED_BY_PER_PAGE, MISSING_LISTED, cited_page, compare_view, current_compare_choice, current_search_params,
    document_url, original_url, paragraph_url, service, uid_url,
)

bp = Blueprint("api", __name__, url_prefix="/api")


def _link_hits(hits_json: list[dict]) -> list[dict]:
    for hit in hits_json:
        hit["url"] = paragraph_url(hit["symbol"], hit["paragraph"])
    return hits_json


@bp.get("/search")
def search():
    """The search page's results: the CLI's ``--json`` shape plus links."""
    params = current_search_params()
    result = service().search(
        params.q, params.service_filters, params.page, params.per_page, params.sort
    )
    data = result_json(result)
    data["pages"] = result.pages
    if data["document"]:
        data["document"]["url"] = document_url(data["document"]["symbol"])
    _link_hits(data["hits"])
    return jsonify(data)


@bp.get("/documents")
def documents():
    """Every indexed document: symbol, title, number of units."""
    return jsonify({
        "documents": [
            {"symbol": symbol, "title": title, "units": units, "url": document_url(symbol)}
            for symbol, title, units in service().documents()
        ],
        "missing": [
            {"symbol": m.symbol, "cited_by": m.cited_by, "url": document_url(m.symbol)}
            for m in service().missing_documents(MISSING_LISTED)
        ],
    })


@bp.get("/documents/<path:symbol>/paragraphs/<paragraph>")
def paragraph(symbol: str, paragraph: str):
    """One paragraph with neighbours, outline, references, citing and similar units."""
    view = service().paragraph(symbol, paragraph, cited_page=cited_page(), cited_per_page=CITED_BY_PER_PAGE)
    if view is None:
        abort(404, description=f"There is no paragraph {paragraph!r} in document {symbol!r}.")
    data = paragraph_json(view)
    data["url"] = paragraph_url(symbol, paragraph)
    data["original_url"] = original_url(symbol, view.hit.page)
    _link_hits([data["paragraph"]])
    _link_hits([h for h in (data["previous"], data["next"]) if h])
    _link_hits(data["cited_by"])
    _link_hits(data["similar"])
    for reference in data["references"]:
        if reference["uid"]:
            reference["url"] = uid_url(reference["uid"])
        elif reference["symbol"]:
            reference["url"] = document_url(reference["symbol"])
        else:
            reference["url"] = None
    return jsonify(data)


@bp.get("/documents/<path:symbol>")
def document(symbol: str):
    """A whole document: metadata, outline and every unit with its text."""
    view = service().document(symbol)
    if view is None:
        missing = service().missing_document(symbol, cited_page(), CITED_BY_PER_PAGE)
        if missing is None:
            abort(404, description=f"There is no document {symbol!r} in the index.")
        document, citing = missing
        return jsonify({"symbol": document.symbol, "indexed": False, "cited_by_total": document.cited_by,
                        "cited_by": _link_hits([hit_json(h) for h in citing])})
    data = document_json(view)
    data["original_url"] = original_url(symbol)
    data["url"] = document_url(symbol)
    _link_hits(data["units"])
    return jsonify(data)


@bp.get("/compare")
def compare():
    """Best paragraphs per primary instrument, and instrument x theme counts, for a query."""
    params = current_search_params(COMPARE_PARAMETERS)
    view = compare_view(params, current_compare_choice())
    data = compare_json(view)
    # The primary instruments a client may ask for as columns (``column``).
    data["instruments"] = facet_json(view.instruments)
    for column in data["columns"]:
        _link_hits(column["hits"])
    return jsonify(data)

